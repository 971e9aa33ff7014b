// The checks on a one-off bank holiday an administrator adds, and the list of holidays the page shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holidayCalendar, shippedCalendar } from '../../platform/time/holiday-calendar.ts';
import { shippedBankHolidays } from '../../platform/time/bank-holidays.ts';
import { checkNewHoliday, holidaysByYear, longDate } from './bank-holiday-rules.ts';

const TODAY = '2026-06-10';
const form = (date: [string, string, string], name = 'Bank holiday for a royal event') => ({
  'date-day': date[0],
  'date-month': date[1],
  'date-year': date[2],
  name,
});

describe('checkNewHoliday', () => {
  it('accepts a future weekday that is not yet a bank holiday, tidying the name', () => {
    assert.deepEqual(checkNewHoliday(form(['8', '5', '2028'], '  Coronation   day '), TODAY, shippedCalendar), { value: { date: '2028-05-08', name: 'Coronation day' } });
  });

  it('accepts today', () => {
    assert.ok('value' in checkNewHoliday(form(['10', '6', '2026']), TODAY, shippedCalendar));
  });

  it('refuses a day in the past', () => {
    assert.deepEqual(checkNewHoliday(form(['9', '6', '2026']), TODAY, shippedCalendar), { errors: { date: 'Date of the bank holiday must be today or in the future' } });
  });

  it('refuses a weekend, an existing bank holiday and a year outside the calendar', () => {
    assert.deepEqual(checkNewHoliday(form(['13', '6', '2026']), TODAY, shippedCalendar), { errors: { date: 'Date of the bank holiday must be a weekday' } });
    assert.deepEqual(checkNewHoliday(form(['28', '12', '2026']), TODAY, shippedCalendar), { errors: { date: 'That date is already a bank holiday' } });
    assert.match(String((checkNewHoliday(form(['8', '5', '2036']), TODAY, shippedCalendar) as { errors: Record<string, string> }).errors.date), /between 2020 and 2035/);
  });

  it('counts a day an administrator added earlier as a bank holiday already', () => {
    const withAdded = holidayCalendar(shippedBankHolidays(), [{ date: '2028-05-08', title: 'Coronation', notes: '', origin: 'added' }]);
    assert.deepEqual(checkNewHoliday(form(['8', '5', '2028']), TODAY, withAdded), { errors: { date: 'That date is already a bank holiday' } });
  });

  it('needs a name of sensible length', () => {
    assert.deepEqual(checkNewHoliday(form(['8', '5', '2028'], ' '), TODAY, shippedCalendar), { errors: { name: 'Enter the name of the bank holiday' } });
    assert.deepEqual(checkNewHoliday(form(['8', '5', '2028'], 'VE'), TODAY, shippedCalendar), { errors: { name: 'Name of the bank holiday must be 3 characters or more' } });
    assert.deepEqual(checkNewHoliday(form(['8', '5', '2028'], 'x'.repeat(121)), TODAY, shippedCalendar), { errors: { name: 'Name of the bank holiday must be 120 characters or fewer' } });
    assert.ok('value' in checkNewHoliday(form(['8', '5', '2028'], 'x'.repeat(120)), TODAY, shippedCalendar));
  });

  it('reports every problem at once', () => {
    assert.deepEqual(checkNewHoliday({ name: '' }, TODAY, shippedCalendar), {
      errors: { date: 'Enter the date of the bank holiday', name: 'Enter the name of the bank holiday' },
    });
  });
});

describe('holidaysByYear', () => {
  it('lists from 1 January of this year, grouped by year, marking added and computed days', () => {
    const calendar = holidayCalendar(shippedBankHolidays(), [{ date: '2028-05-08', title: 'Coronation', notes: '', origin: 'added' }]);
    const years = holidaysByYear(calendar.holidays, TODAY);
    assert.equal(years[0]?.year, 2026);
    assert.equal(years[0]?.days[0]?.date, '2026-01-01', 'days earlier this year are still listed');
    assert.equal(years.at(-1)?.year, 2035);
    assert.ok(years.every((year, index) => index === 0 || year.year > years[index - 1]!.year));
    const boxing = years[0]?.days.find((day) => day.date === '2026-12-28');
    assert.deepEqual(boxing, { date: '2026-12-28', dateText: 'Monday 28 December 2026', title: 'Boxing Day', notes: 'Substitute day', tag: null });
    const added = years.find((year) => year.year === 2028)?.days.find((day) => day.date === '2028-05-08');
    assert.deepEqual(added?.tag, { text: 'One-off', colour: 'purple' });
    assert.deepEqual(years.find((year) => year.year === 2030)?.days[0]?.tag, { text: 'Expected', colour: 'grey' });
  });

  it('writes dates as GOV.UK does', () => {
    assert.equal(longDate('2027-03-26'), 'Friday 26 March 2027');
  });
});
