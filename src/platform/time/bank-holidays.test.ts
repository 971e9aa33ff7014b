// The shipped calendar: where it came from, that it covers 2020 to 2035, that the published years match GOV.UK's
// one-off changes and no others, and that the computed years are exactly what the rules give.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHIPPED_CALENDAR, shippedBankHolidays } from './bank-holidays.ts';
import { isCalendarDate, isWeekend, partsOf } from './calendar-date.ts';
import { shippedCalendar } from './holiday-calendar.ts';
import { standardBankHolidays } from './holiday-rules.ts';

const shipped = shippedBankHolidays();
const yearOf = (date: string) => partsOf(date).year;
const datesIn = (year: number) => shipped.filter((day) => yearOf(day.date) === year).map((day) => day.date);
const byDate = (date: string) => shipped.find((day) => day.date === date);

// The only published days the standing rules do not give, each with the rule day it replaced.
const ONE_OFF_CHANGES: Record<number, { added: string[]; removed: string[] }> = {
  2020: { added: ['2020-05-08'], removed: ['2020-05-04'] },
  2022: { added: ['2022-06-02', '2022-06-03', '2022-09-19'], removed: ['2022-05-30'] },
  2023: { added: ['2023-05-08'], removed: [] },
};

describe('shipped bank holidays', () => {
  it('names its source, division and the date it was taken', () => {
    assert.match(SHIPPED_CALENDAR.source, /https:\/\/www\.gov\.uk\/bank-holidays\.json/);
    assert.equal(SHIPPED_CALENDAR.division, 'england-and-wales');
    assert.ok(isCalendarDate(SHIPPED_CALENDAR.takenOn));
  });

  it('covers every year from 2020 to 2035 with real, distinct weekdays in date order', () => {
    for (let year = SHIPPED_CALENDAR.firstYear; year <= SHIPPED_CALENDAR.lastYear; year += 1) {
      assert.ok(datesIn(year).length >= 8, `${year} has ${datesIn(year).length}`);
    }
    const dates = shipped.map((day) => day.date);
    assert.equal(new Set(dates).size, dates.length);
    assert.deepEqual(dates, [...dates].sort());
    for (const date of dates) {
      assert.ok(isCalendarDate(date), date);
      assert.ok(!isWeekend(date), `${date} is at a weekend`);
    }
  });

  it('marks published years as GOV.UK and later years as computed', () => {
    for (const day of shipped) {
      assert.equal(day.origin, yearOf(day.date) <= SHIPPED_CALENDAR.publishedThrough ? 'gov.uk' : 'computed', day.date);
    }
  });

  it('gives exactly the rules for every computed year', () => {
    for (let year = SHIPPED_CALENDAR.publishedThrough + 1; year <= SHIPPED_CALENDAR.lastYear; year += 1) {
      assert.deepEqual(
        shipped.filter((day) => yearOf(day.date) === year),
        standardBankHolidays(year),
      );
    }
  });

  it('differs from the rules in published years only by the known one-off changes', () => {
    for (let year = SHIPPED_CALENDAR.firstYear; year <= SHIPPED_CALENDAR.publishedThrough; year += 1) {
      const published = new Set(datesIn(year));
      const ruled = new Set(standardBankHolidays(year).map((day) => day.date));
      const added = [...published].filter((date) => !ruled.has(date));
      const removed = [...ruled].filter((date) => !published.has(date));
      assert.deepEqual({ added, removed }, ONE_OFF_CHANGES[year] ?? { added: [], removed: [] }, String(year));
    }
  });

  it('includes the substitute days and one-off holidays named in the Code guidance', () => {
    assert.deepEqual(byDate('2026-12-28'), { date: '2026-12-28', title: 'Boxing Day', notes: 'Substitute day', origin: 'gov.uk' });
    assert.equal(byDate('2027-12-27')?.notes, 'Substitute day');
    assert.equal(byDate('2027-12-28')?.notes, 'Substitute day');
    assert.match(byDate('2020-05-08')?.title ?? '', /VE day/);
    assert.match(byDate('2022-06-03')?.title ?? '', /Platinum Jubilee/);
    assert.equal(byDate('2022-06-02')?.title, 'Spring bank holiday');
    assert.match(byDate('2022-09-19')?.title ?? '', /State Funeral/);
    assert.match(byDate('2023-05-08')?.title ?? '', /coronation/);
    assert.ok(!shippedCalendar.has('2020-05-04'));
    assert.ok(!shippedCalendar.has('2022-05-30'));
    assert.ok(shippedCalendar.has('2026-04-03') && shippedCalendar.has('2026-04-06'));
  });
});
