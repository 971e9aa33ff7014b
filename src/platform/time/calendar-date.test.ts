// Calendar-day arithmetic: real dates only, and days that add up across month, year and leap-day boundaries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, calendarDate, dayOfWeek, daysBetween, isCalendarDate, isWeekend } from './calendar-date.ts';

describe('calendar dates', () => {
  it('accepts only real dates written YYYY-MM-DD', () => {
    for (const good of ['2024-02-29', '2026-12-31', '2020-01-01']) assert.ok(isCalendarDate(good), good);
    for (const bad of ['2023-02-29', '2026-13-01', '2026-04-31', '2026-4-1', '26-04-01', '2026-04-01T00:00', '', 20260401, null]) {
      assert.ok(!isCalendarDate(bad), String(bad));
    }
  });

  it('adds days across months, years and leap days', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2023-02-28', 1), '2023-03-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(calendarDate(2026, 3, 0), '2026-02-28');
  });

  it('knows the day of the week', () => {
    assert.equal(dayOfWeek('2026-04-03'), 5); // Good Friday 2026
    assert.ok(isWeekend('2026-12-26'));
    assert.ok(!isWeekend('2026-12-28'));
  });

  it('counts days between, both ways', () => {
    assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
    assert.equal(daysBetween('2026-03-30', '2026-03-28'), -2);
    assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
  });
});
