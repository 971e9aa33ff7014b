// Converts between instants and Europe/London calendar days. Deadlines in the Victims' Code run to the end of a day in
// London, whatever the server's own zone, so every conversion names the zone rather than trusting the process's TZ.
import { addDays, partsOf, type CalendarDate } from './calendar-date.ts';

export const LONDON = 'Europe/London';

// One formatter, reused: building an Intl.DateTimeFormat is far slower than formatting with it.
const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function londonWallClock(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const part of wallClock.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

/** The London calendar day on which the instant falls. */
export function londonDateOf(instant: Date): CalendarDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid date');
  const { year, month, day } = londonWallClock(instant);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** London's offset from UTC at the instant, in milliseconds: 0 in GMT, 3,600,000 in BST. */
export function londonOffsetMs(instant: Date): number {
  const wall = londonWallClock(instant);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant when the London wall clock shows this time on this day. */
export function londonInstant(date: CalendarDate, hour: number, minute: number, second: number, ms: number): Date {
  const { year, month, day } = partsOf(date);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Guess with the offset at the wall-clock time read as UTC, then take the offset again at the guess: one correction is
  // enough for any time the clocks never skip or repeat. Midnight is one, since London changes at 01:00 UTC.
  const first = asUtc - londonOffsetMs(new Date(asUtc));
  return new Date(asUtc - londonOffsetMs(new Date(first)));
}

/** 00:00:00.000 London time at the start of the day. */
export function startOfLondonDay(date: CalendarDate): Date {
  return londonInstant(date, 0, 0, 0, 0);
}

/** 23:59:59.999 London time on the day: the last moment at which something due "by the end of the day" is on time. */
export function endOfLondonDay(date: CalendarDate): Date {
  return new Date(startOfLondonDay(addDays(date, 1)).getTime() - 1);
}
