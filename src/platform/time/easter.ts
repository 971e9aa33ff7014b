// Easter Sunday in the Gregorian calendar, which fixes Good Friday and Easter Monday for years GOV.UK has not yet
// published. The Anonymous Gregorian algorithm (Meeus, Jones, Butcher) is exact for every Gregorian year.
import { calendarDate, type CalendarDate } from './calendar-date.ts';

export function easterSunday(year: number): CalendarDate {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`no Gregorian Easter for ${year}`);
  const a = year % 19; // place in the 19-year lunar (Metonic) cycle
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3); // the lunar correction
  const h = (19 * a + b - d - g + 15) % 30; // days from 21 March to the Paschal full moon, roughly
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7; // days from the full moon to the following Sunday
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return calendarDate(year, month, day);
}
