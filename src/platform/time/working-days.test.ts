// Worked examples of working-day deadlines, starting with the one in the Victims' Code guidance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holidayCalendar, shippedCalendar } from './holiday-calendar.ts';
import { addWorkingDays, dueBy, isWorkingDay, workingDaysBetween, workingDaysOverdue } from './working-days.ts';

const at = (iso: string) => new Date(iso);

describe('dueBy', () => {
  it('puts a 1-WD duty from 16:00 on Good Friday 2026 at the end of Tuesday 7 April, past Easter Monday', () => {
    const due = dueBy(at('2026-04-03T16:00:00+01:00'), 1, shippedCalendar);
    assert.equal(due.toISOString(), '2026-04-07T22:59:59.999Z'); // 23:59:59.999 BST
  });

  it('counts from the London day, not the UTC day, either side of each clock change', () => {
    // 00:30 BST on Friday 23 October 2026 is still Thursday in UTC.
    assert.equal(dueBy(at('2026-10-22T23:30:00Z'), 1, shippedCalendar).toISOString(), '2026-10-26T23:59:59.999Z');
    // 23:30 BST on Thursday 22 October 2026.
    assert.equal(dueBy(at('2026-10-22T22:30:00Z'), 1, shippedCalendar).toISOString(), '2026-10-23T22:59:59.999Z');
    // 00:30 BST on Monday 30 March 2026, the first night of summer time, is Sunday in UTC.
    assert.equal(dueBy(at('2026-03-29T23:30:00Z'), 1, shippedCalendar).toISOString(), '2026-03-31T22:59:59.999Z');
    assert.equal(dueBy(at('2026-03-29T22:30:00Z'), 1, shippedCalendar).toISOString(), '2026-03-30T22:59:59.999Z');
  });

  it('steps over Christmas and New Year', () => {
    // Thursday 24 December 2026: Friday 25 and Monday 28 (Boxing Day substitute) are holidays.
    assert.equal(dueBy(at('2026-12-24T10:00:00Z'), 1, shippedCalendar).toISOString(), '2026-12-29T23:59:59.999Z');
    // Thursday 23 December 2027: Monday 27 and Tuesday 28 are substitutes, and so is Monday 3 January 2028 for New
    // Year's Day on the Saturday. The five are 24, 29, 30 and 31 December and Tuesday 4 January.
    assert.equal(dueBy(at('2027-12-23T12:00:00Z'), 5, shippedCalendar).toISOString(), '2028-01-04T23:59:59.999Z');
  });

  it('treats a trigger at the weekend like one on the Friday before', () => {
    assert.equal(dueBy(at('2026-06-13T09:00:00+01:00'), 5, shippedCalendar).getTime(), dueBy(at('2026-06-12T09:00:00+01:00'), 5, shippedCalendar).getTime());
  });

  it('refuses a negative or fractional count', () => {
    assert.throws(() => dueBy(at('2026-06-12T09:00:00Z'), -1, shippedCalendar), RangeError);
    assert.throws(() => dueBy(at('2026-06-12T09:00:00Z'), 1.5, shippedCalendar), RangeError);
  });
});

describe('working days', () => {
  it('excludes weekends and bank holidays', () => {
    assert.ok(isWorkingDay('2026-04-07', shippedCalendar));
    assert.ok(!isWorkingDay('2026-04-06', shippedCalendar));
    assert.ok(!isWorkingDay('2026-04-04', shippedCalendar));
    assert.ok(!isWorkingDay('2023-05-08', shippedCalendar));
  });

  it('adds and counts working days as inverses', () => {
    assert.equal(addWorkingDays('2026-04-02', 2, shippedCalendar), '2026-04-08');
    assert.equal(addWorkingDays('2026-04-02', 0, shippedCalendar), '2026-04-02');
    assert.equal(workingDaysBetween('2026-04-02', '2026-04-08', shippedCalendar), 2);
    assert.equal(workingDaysBetween('2026-04-08', '2026-04-02', shippedCalendar), -2);
  });

  it('reports how many working days a duty is overdue', () => {
    const due = dueBy(at('2026-04-03T16:00:00+01:00'), 1, shippedCalendar); // end of Tuesday 7 April
    assert.equal(workingDaysOverdue(due, at('2026-04-07T20:00:00Z'), shippedCalendar), 0);
    assert.equal(workingDaysOverdue(due, at('2026-04-08T08:00:00Z'), shippedCalendar), 1);
    assert.equal(workingDaysOverdue(due, at('2026-04-13T08:00:00Z'), shippedCalendar), 4);
  });

  it('counts a day an administrator added', () => {
    const withExtra = holidayCalendar(shippedCalendar.holidays, [{ date: '2026-04-07', title: 'Extra', notes: '', origin: 'added' }]);
    assert.equal(dueBy(at('2026-04-03T16:00:00+01:00'), 1, withExtra).toISOString(), '2026-04-08T22:59:59.999Z');
  });
});
