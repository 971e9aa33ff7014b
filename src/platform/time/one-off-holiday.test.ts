// The checks on a one-off bank holiday, one field error at a time and both at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shippedCalendar } from './holiday-calendar.ts';
import { checkOneOffHoliday } from './one-off-holiday.ts';

const check = (date: string, name = 'Extra day') => checkOneOffHoliday({ date, name }, shippedCalendar);

describe('checkOneOffHoliday', () => {
  it('accepts a free weekday in range, trimming the date and tidying the name', () => {
    assert.deepEqual(checkOneOffHoliday({ date: ' 2027-06-04 ', name: '  Royal   event ' }, shippedCalendar), { value: { date: '2027-06-04', name: 'Royal event' } });
    assert.ok('value' in check('2020-01-02'));
    assert.ok('value' in check('2035-12-31'));
  });

  it('says what is wrong with the date', () => {
    assert.deepEqual(check(''), { errors: { date: 'Enter the date of the bank holiday' } });
    assert.deepEqual(check('2027-02-29'), { errors: { date: 'Date of the bank holiday must be a real date' } });
    assert.deepEqual(check('4/6/2027'), { errors: { date: 'Date of the bank holiday must be a real date' } });
    assert.deepEqual(check('2019-12-31'), { errors: { date: 'Date of the bank holiday must be between 2020 and 2035' } });
    assert.deepEqual(check('2036-01-02'), { errors: { date: 'Date of the bank holiday must be between 2020 and 2035' } });
    assert.deepEqual(check('2027-06-05'), { errors: { date: 'Date of the bank holiday must be a weekday' } });
    assert.deepEqual(check('2023-05-08'), { errors: { date: 'That date is already a bank holiday' } });
  });

  it('says what is wrong with the name, alongside the date', () => {
    assert.deepEqual(check('', '   '), { errors: { date: 'Enter the date of the bank holiday', name: 'Enter the name of the bank holiday' } });
    assert.deepEqual(check('2027-06-04', 'x'.repeat(121)), { errors: { name: 'Name of the bank holiday must be 120 characters or fewer' } });
    assert.ok('value' in check('2027-06-04', 'x'.repeat(120)));
  });
});
