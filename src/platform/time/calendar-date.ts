// Calendar days with no time of day or zone, written as ISO 'YYYY-MM-DD' strings so they sort, compare and sit in a Set
// as they are. Arithmetic runs on UTC midnights, where every day is exactly 24 hours long.

/** A day on the calendar, 'YYYY-MM-DD'. Which zone it belongs to is the caller's business (Haven's is Europe/London). */
export type CalendarDate = string;

const DAY_MS = 86_400_000;
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a well-formed date that exists: '2024-02-29' yes, '2023-02-29' and '2024-2-1' no. */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = SHAPE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return formatUtcDay(Date.UTC(year, month - 1, day)) === value && year >= 1;
}

export function calendarDate(year: number, month: number, day: number): CalendarDate {
  return formatUtcDay(Date.UTC(year, month - 1, day));
}

/** Year, month (1-12) and day of a calendar date. */
export function partsOf(date: CalendarDate): { year: number; month: number; day: number } {
  const match = SHAPE.exec(date);
  if (!match) throw new RangeError(`not a calendar date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return formatUtcDay(utcMidnight(date) + days * DAY_MS);
}

/** 0 Sunday to 6 Saturday, as Date#getDay. */
export function dayOfWeek(date: CalendarDate): number {
  return new Date(utcMidnight(date)).getUTCDay();
}

export function isWeekend(date: CalendarDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

function utcMidnight(date: CalendarDate): number {
  const { year, month, day } = partsOf(date);
  return Date.UTC(year, month - 1, day);
}

function formatUtcDay(ms: number): CalendarDate {
  return new Date(ms).toISOString().slice(0, 10);
}
