// Pure rules for the administrator's bank holiday pages: reading the GOV.UK date input, the checks on a new one-off
// holiday (the calendar's own checks plus "not in the past"), and the list of days from this year onwards.
import { readDateInput } from '../../platform/forms/date-input.ts';
import { partsOf, type CalendarDate } from '../../platform/time/calendar-date.ts';
import type { HolidayLookup } from '../../platform/time/holiday-calendar.ts';
import type { BankHoliday } from '../../platform/time/holiday-rules.ts';
import { checkOneOffHoliday } from '../../platform/time/one-off-holiday.ts';
import type { FieldErrors } from './rules.ts';

/** Long enough to name a real occasion ("VE Day" is the shortest GOV.UK has used); the upper limit is the calendar's. */
export const HOLIDAY_NAME_MIN_LENGTH = 3;

/** The form as sent: the GOV.UK date input's three boxes and a name, any of them missing or repeated. */
export type HolidayForm = { 'date-day'?: unknown; 'date-month'?: unknown; 'date-year'?: unknown; name?: unknown };

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Checks a new one-off holiday against the calendar in force. Every problem is reported at once, so the error summary
 * lists them together; the calendar repeats its own checks when the day is stored, inside the transaction.
 */
export function checkNewHoliday(form: HolidayForm, today: CalendarDate, holidays: HolidayLookup): { value: { date: CalendarDate; name: string } } | { errors: FieldErrors } {
  const read = readDateInput(form['date-day'], form['date-month'], form['date-year'], 'date of the bank holiday');
  const name = text(form.name).replace(/\s+/g, ' ');
  const checked = checkOneOffHoliday({ date: 'date' in read ? read.date : '', name }, holidays);
  const errors: FieldErrors = 'errors' in checked ? { ...checked.errors } : {};
  if ('error' in read) errors.date = read.error;
  // Deadlines already past cannot be moved, so a day in the past would only make the record untrue.
  else if (!errors.date && read.date < today) errors.date = 'Date of the bank holiday must be today or in the future';
  if (!errors.name && name.length < HOLIDAY_NAME_MIN_LENGTH) errors.name = `Name of the bank holiday must be ${HOLIDAY_NAME_MIN_LENGTH} characters or more`;
  if (Object.keys(errors).length || 'errors' in checked) return { errors };
  return { value: checked.value };
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** "Friday 25 December 2026": a calendar day as GOV.UK writes it (ICU puts a comma after the weekday; GOV.UK does not). */
export function longDate(date: CalendarDate): string {
  const parts = new Map(LONG_DATE.formatToParts(new Date(`${date}T00:00:00Z`)).map((part) => [part.type, part.value]));
  return `${parts.get('weekday')} ${parts.get('day')} ${parts.get('month')} ${parts.get('year')}`;
}

export type HolidayRow = { date: CalendarDate; dateText: string; title: string; notes: string; tag: { text: string; colour: string } | null };

const ORIGIN_TAGS: Record<BankHoliday['origin'], HolidayRow['tag']> = {
  'gov.uk': null,
  computed: { text: 'Expected', colour: 'grey' },
  added: { text: 'One-off', colour: 'purple' },
};

/** The holidays from 1 January of this year onwards, grouped by year, with one-off days an administrator added marked. */
export function holidaysByYear(holidays: readonly BankHoliday[], today: CalendarDate): { year: number; days: HolidayRow[] }[] {
  const from = `${partsOf(today).year}-01-01`;
  const years = new Map<number, HolidayRow[]>();
  for (const holiday of holidays) {
    if (holiday.date < from) continue;
    const year = partsOf(holiday.date).year;
    const row = { date: holiday.date, dateText: longDate(holiday.date), title: holiday.title, notes: holiday.notes, tag: ORIGIN_TAGS[holiday.origin] };
    years.set(year, [...(years.get(year) ?? []), row]);
  }
  return [...years].sort(([a], [b]) => a - b).map(([year, days]) => ({ year, days: days.sort((a, b) => (a.date < b.date ? -1 : 1)) }));
}
