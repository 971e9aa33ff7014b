// Properties of working-day deadlines over 2020 to 2035, with triggers drawn often from around the clock changes (last
// Sundays of March and October), weekends, Easter and Christmas, where mistakes in date handling show.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, calendarDate, dayOfWeek, isCalendarDate, type CalendarDate } from './calendar-date.ts';
import { easterSunday } from './easter.ts';
import { shippedCalendar } from './holiday-calendar.ts';
import { endOfLondonDay, londonDateOf, londonOffsetMs, startOfLondonDay } from './london.ts';
import { addWorkingDays, dueBy, isWorkingDay, workingDaysBetween } from './working-days.ts';

const DAY = 86_400_000;
const holidays = shippedCalendar;
const YEARS = Array.from({ length: 15 }, (_, index) => 2020 + index); // to 2034, so 40 working days stay inside the data

function lastSunday(year: number, month: number): CalendarDate {
  const last = calendarDate(year, month + 1, 0);
  return addDays(last, -dayOfWeek(last));
}

const clockChanges = YEARS.flatMap((year) => [lastSunday(year, 3), lastSunday(year, 10)]);
const hotSpots = [...clockChanges, ...YEARS.flatMap((year) => [easterSunday(year), calendarDate(year, 12, 25), calendarDate(year, 1, 1)])];

/** An instant within a few days of a clock change, Easter, Christmas or New Year, or anywhere in 2020 to 2034. */
const trigger = fc.oneof(
  fc
    .tuple(fc.constantFrom(...hotSpots), fc.integer({ min: -4 * DAY, max: 4 * DAY }))
    .map(([day, offset]) => new Date(startOfLondonDay(day).getTime() + offset)),
  fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2034-12-31T23:59:59.999Z'), noInvalidDate: true }),
);
const count = fc.integer({ min: 0, max: 40 });
const calendarDay = trigger.map(londonDateOf);

const wallClockMs = (instant: Date) => (((instant.getTime() + londonOffsetMs(instant)) % DAY) + DAY) % DAY;

describe('dueBy properties', () => {
  it('is always 23:59:59.999 London time on a working day, the last instant of that London day', () => {
    fc.assert(
      fc.property(trigger, fc.integer({ min: 1, max: 40 }), (at, n) => {
        const due = dueBy(at, n, holidays);
        const day = londonDateOf(due);
        assert.ok(isWorkingDay(day, holidays), day);
        assert.equal(wallClockMs(due), DAY - 1);
        assert.notEqual(londonDateOf(new Date(due.getTime() + 1)), day);
      }),
      { numRuns: 500 },
    );
  });

  it('lands exactly n working days after the trigger’s London day', () => {
    fc.assert(
      fc.property(trigger, count, (at, n) => {
        assert.equal(workingDaysBetween(londonDateOf(at), londonDateOf(dueBy(at, n, holidays)), holidays), n);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same deadline for any time in the same London day', () => {
    fc.assert(
      fc.property(trigger, count, fc.double({ min: 0, max: 1, noNaN: true }), (at, n, fraction) => {
        const day = londonDateOf(at);
        const start = startOfLondonDay(day).getTime();
        const end = endOfLondonDay(day).getTime();
        const somewhere = new Date(start + Math.floor(fraction * (end - start)));
        const expected = dueBy(at, n, holidays).getTime();
        assert.equal(dueBy(new Date(start), n, holidays).getTime(), expected);
        assert.equal(dueBy(new Date(end), n, holidays).getTime(), expected);
        assert.equal(dueBy(somewhere, n, holidays).getTime(), expected);
      }),
      { numRuns: 300 },
    );
  });

  it('moves later with more working days, and never earlier with a later trigger', () => {
    fc.assert(
      fc.property(trigger, trigger, count, (a, b, n) => {
        assert.ok(dueBy(a, n + 1, holidays) > dueBy(a, n, holidays));
        const [early, late] = a <= b ? [a, b] : [b, a];
        assert.ok(dueBy(early, n, holidays) <= dueBy(late, n, holidays));
      }),
      { numRuns: 500 },
    );
  });

  it('puts a trigger just before and just after London midnight around a clock change on the right day', () => {
    const nearChanges = clockChanges.flatMap((change) => [-1, 0, 1, 2].map((shift) => addDays(change, shift)));
    fc.assert(
      fc.property(fc.constantFrom(...nearChanges), fc.integer({ min: 1, max: 3_600_000 }), count, (day, epsilon, n) => {
        const midnight = startOfLondonDay(day).getTime();
        const before = new Date(midnight - epsilon);
        const after = new Date(midnight + epsilon - 1);
        assert.equal(londonDateOf(before), addDays(day, -1));
        assert.equal(londonDateOf(after), day);
        assert.equal(dueBy(before, n, holidays).getTime(), endOfLondonDay(addWorkingDays(addDays(day, -1), n, holidays)).getTime());
        assert.equal(dueBy(after, n, holidays).getTime(), endOfLondonDay(addWorkingDays(day, n, holidays)).getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('finds London midnight where an independent rule of thumb puts it: 00:00Z in GMT, 23:00Z the day before in BST', () => {
    for (const change of clockChanges) {
      const march = change.slice(5, 7) === '03';
      // On the day of the change, midnight is still in the old season; the next day's is in the new one.
      const offsetOnDay = march ? 0 : 1;
      const offsetNextDay = march ? 1 : 0;
      assert.equal(startOfLondonDay(change).toISOString(), new Date(Date.parse(`${change}T00:00:00Z`) - offsetOnDay * 3_600_000).toISOString());
      const next = addDays(change, 1);
      assert.equal(startOfLondonDay(next).toISOString(), new Date(Date.parse(`${next}T00:00:00Z`) - offsetNextDay * 3_600_000).toISOString());
    }
  });
});

describe('working-day arithmetic properties', () => {
  it('counts back to n after adding n working days, and adding in two steps equals adding at once', () => {
    fc.assert(
      fc.property(calendarDay, count, count, (day, a, b) => {
        const there = addWorkingDays(day, a, holidays);
        assert.equal(workingDaysBetween(day, there, holidays), a);
        assert.equal(workingDaysBetween(there, day, holidays), 0 - a);
        assert.equal(addWorkingDays(there, b, holidays), addWorkingDays(day, a + b, holidays));
        assert.ok(isCalendarDate(there));
      }),
      { numRuns: 500 },
    );
  });

  it('never counts a weekend or a shipped bank holiday as a working day, and counts every other day', () => {
    fc.assert(
      fc.property(calendarDay, (day) => {
        const weekend = dayOfWeek(day) === 0 || dayOfWeek(day) === 6;
        assert.equal(isWorkingDay(day, holidays), !weekend && !holidays.holidays.some((holiday) => holiday.date === day));
      }),
      { numRuns: 500 },
    );
  });
});
