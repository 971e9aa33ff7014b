// Working-day arithmetic for the Victims' Code: "within N working days" of a trigger ends at the close of the Nth
// working day after the London calendar day on which the trigger happened. Pure: the holidays are passed in.
import { addDays, daysBetween, isWeekend, type CalendarDate } from './calendar-date.ts';
import type { HolidayLookup } from './holiday-calendar.ts';
import { endOfLondonDay, londonDateOf } from './london.ts';

/** Monday to Friday and not a bank holiday in England and Wales. */
export function isWorkingDay(date: CalendarDate, holidays: HolidayLookup): boolean {
  return !isWeekend(date) && !holidays.has(date);
}

function checkCount(workingDays: number): void {
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError(`working days must be a whole number of at least 0, not ${workingDays}`);
}

/**
 * The Nth working day after `date`, not counting `date` itself, whatever kind of day it is. Zero gives `date` back:
 * something due "within 0 working days" is due on the day it happened.
 */
export function addWorkingDays(date: CalendarDate, workingDays: number, holidays: HolidayLookup): CalendarDate {
  checkCount(workingDays);
  let day = date;
  for (let left = workingDays; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, holidays)) left -= 1;
  }
  return day;
}

/**
 * How many working days lie after `from` up to and including `to`; negative when `to` is earlier. The inverse of
 * addWorkingDays: workingDaysBetween(d, addWorkingDays(d, n)) === n.
 */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate, holidays: HolidayLookup): number {
  // `0 -` rather than unary minus, so an empty span backwards is 0 and not -0.
  if (to < from) return 0 - workingDaysBetween(to, from, holidays);
  let count = 0;
  const span = daysBetween(from, to);
  for (let offset = 1; offset <= span; offset += 1) {
    if (isWorkingDay(addDays(from, offset), holidays)) count += 1;
  }
  return count;
}

/** The last instant (23:59:59.999 London time) of the Nth working day after the London day of the trigger. */
export function dueBy(trigger: Date, workingDays: number, holidays: HolidayLookup): Date {
  return endOfLondonDay(addWorkingDays(londonDateOf(trigger), workingDays, holidays));
}

/**
 * How many working days late something due at `due` is at `now`: the working days begun since the deadline's day. A
 * duty due by the end of Friday is 0 working days overdue over the weekend, and 1 from Monday.
 */
export function workingDaysOverdue(due: Date, now: Date, holidays: HolidayLookup): number {
  if (now.getTime() <= due.getTime()) return 0;
  return Math.max(0, workingDaysBetween(londonDateOf(due), londonDateOf(now), holidays));
}
