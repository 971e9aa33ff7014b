// The GOV.UK date input as every form reads it: real dates with or without leading zeros, the design system's words for
// a missing or impossible date, and which boxes to mark in error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateBoxesInError, readDateInput, readNamedDateInput } from './date-input.ts';

describe('readDateInput', () => {
  const read = (day: unknown, month: unknown, year: unknown) => readDateInput(day, month, year, 'date of the bank holiday');

  it('reads a real date, with or without leading zeros', () => {
    assert.deepEqual(read('8', '5', '2028'), { date: '2028-05-08' });
    assert.deepEqual(read(' 08 ', '05', '2028'), { date: '2028-05-08' });
    assert.deepEqual(read('29', '2', '2028'), { date: '2028-02-29' });
  });

  it('asks for the date when every box is empty, and names the missing parts otherwise', () => {
    assert.deepEqual(read('', '', ''), { error: 'Enter the date of the bank holiday' });
    assert.deepEqual(read(undefined, ['1'], null), { error: 'Enter the date of the bank holiday' });
    assert.deepEqual(read('8', '', '2028'), { error: 'Date of the bank holiday must include a month' });
    assert.deepEqual(read('', '', '2028'), { error: 'Date of the bank holiday must include a day and month' });
  });

  it('refuses dates that do not exist or are not numbers', () => {
    for (const [day, month, year] of [['31', '2', '2028'], ['29', '2', '2027'], ['0', '5', '2028'], ['8', '13', '2028'], ['eight', '5', '2028'], ['8', '5', '28'], ['8', '5', '20281']]) {
      assert.deepEqual(read(day, month, year), { error: 'Date of the bank holiday must be a real date' }, `${day}/${month}/${year}`);
    }
  });
});

describe('readNamedDateInput', () => {
  it('reads the three boxes named after the input', () => {
    assert.deepEqual(readNamedDateInput({ 'dueDate-day': '1', 'dueDate-month': 'Dec', 'dueDate-year': '2027' }, 'dueDate', 'due date'), { error: 'Due date must be a real date' });
    assert.deepEqual(readNamedDateInput({ 'dueDate-day': '1', 'dueDate-month': '12', 'dueDate-year': '2027' }, 'dueDate', 'due date'), { date: '2027-12-01' });
  });
});

describe('dateBoxesInError', () => {
  it('marks only the empty boxes of an incomplete date, all three otherwise, and none without an error', () => {
    const incomplete = { 'expiry-day': '8', 'expiry-month': '', 'expiry-year': ' ' };
    assert.deepEqual(dateBoxesInError(incomplete, 'expiry', true), { boxes: { day: false, month: true, year: true }, first: 'month' });
    assert.deepEqual(dateBoxesInError({ 'expiry-day': '31', 'expiry-month': '2', 'expiry-year': '2028' }, 'expiry', true), { boxes: { day: true, month: true, year: true }, first: 'day' });
    assert.deepEqual(dateBoxesInError({}, 'expiry', true), { boxes: { day: true, month: true, year: true }, first: 'day' });
    assert.deepEqual(dateBoxesInError(incomplete, 'expiry', false), { boxes: { day: false, month: false, year: false }, first: 'day' });
  });
});
