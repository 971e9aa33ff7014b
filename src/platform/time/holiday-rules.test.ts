// The standing rules, including where a weekend pushes New Year, Christmas and Boxing Day to a substitute day.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayOfWeek, isWeekend } from './calendar-date.ts';
import { standardBankHolidays } from './holiday-rules.ts';

const dates = (year: number) => standardBankHolidays(year).map((day) => day.date);
const christmasPair = (year: number) => standardBankHolidays(year).slice(-2).map((day) => `${day.title} ${day.date} ${day.notes}`.trim());

describe('standard bank holidays', () => {
  it('gives 2026 as GOV.UK publishes it', () => {
    assert.deepEqual(dates(2026), ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']);
  });

  it('moves Christmas and Boxing Day off a weekend, keeping their order of substitution', () => {
    assert.deepEqual(christmasPair(2026), ['Christmas Day 2026-12-25', 'Boxing Day 2026-12-28 Substitute day']); // Friday
    assert.deepEqual(christmasPair(2027), ['Christmas Day 2027-12-27 Substitute day', 'Boxing Day 2027-12-28 Substitute day']); // Saturday
    assert.deepEqual(christmasPair(2022), ['Boxing Day 2022-12-26', 'Christmas Day 2022-12-27 Substitute day']); // Sunday
    assert.deepEqual(christmasPair(2024), ['Christmas Day 2024-12-25', 'Boxing Day 2024-12-26']); // Wednesday
  });

  it('moves New Year’s Day to the Monday after a weekend', () => {
    assert.equal(dates(2022)[0], '2022-01-03'); // Saturday
    assert.equal(dates(2023)[0], '2023-01-02'); // Sunday
    assert.equal(dates(2024)[0], '2024-01-01');
  });

  it('gives eight distinct weekdays a year, with the May and August holidays on Mondays', () => {
    for (let year = 2000; year <= 2100; year += 1) {
      const days = standardBankHolidays(year);
      assert.equal(new Set(days.map((day) => day.date)).size, 8, String(year));
      for (const day of days) assert.ok(!isWeekend(day.date), `${day.title} ${day.date}`);
      for (const day of days.slice(3, 6)) assert.equal(dayOfWeek(day.date), 1, day.date);
      assert.equal(dayOfWeek(days[1]?.date ?? ''), 5, 'Good Friday');
      assert.ok(days.every((day) => day.origin === 'computed'));
    }
  });
});
