// A set of bank holidays that working-day arithmetic can ask about, built from the shipped calendar and any days an
// administrator added.
import type { CalendarDate } from './calendar-date.ts';
import { shippedBankHolidays } from './bank-holidays.ts';
import type { BankHoliday } from './holiday-rules.ts';

/** All working-day arithmetic needs: is this London calendar day a bank holiday? A ReadonlySet<CalendarDate> fits. */
export type HolidayLookup = { has(date: CalendarDate): boolean };

export type HolidayCalendar = HolidayLookup & { readonly holidays: readonly BankHoliday[] };

/** Merges lists of holidays; on a clash the first list's entry is kept, so shipped data goes first. */
export function holidayCalendar(...lists: readonly (readonly BankHoliday[])[]): HolidayCalendar {
  const byDate = new Map<CalendarDate, BankHoliday>();
  for (const list of lists) {
    for (const holiday of list) if (!byDate.has(holiday.date)) byDate.set(holiday.date, holiday);
  }
  const holidays = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { has: (date) => byDate.has(date), holidays };
}

/** The shipped calendar alone: for pure code and tests that have no database. */
export const shippedCalendar: HolidayCalendar = holidayCalendar(shippedBankHolidays());
