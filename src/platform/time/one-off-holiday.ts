// The checks on a one-off bank holiday an administrator adds. Pure, so the form and the API give the same messages.
import { isCalendarDate, isWeekend, partsOf, type CalendarDate } from './calendar-date.ts';
import type { HolidayLookup } from './holiday-calendar.ts';

export const ONE_OFF_FIRST_YEAR = 2020;
export const ONE_OFF_LAST_YEAR = 2035;
export const ONE_OFF_NAME_MAX = 120;

export type OneOffHolidayForm = { date: string; name: string };

export type OneOffHolidayCheck = { value: { date: CalendarDate; name: string } } | { errors: Record<string, string> };

/** Field errors keyed 'date' and 'name', in the GOV.UK style, or the cleaned value. */
export function checkOneOffHoliday(form: OneOffHolidayForm, holidays: HolidayLookup): OneOffHolidayCheck {
  const errors: Record<string, string> = {};
  const date = form.date.trim();
  const name = form.name.trim().replace(/\s+/g, ' ');
  if (!date) errors.date = 'Enter the date of the bank holiday';
  else if (!isCalendarDate(date)) errors.date = 'Date of the bank holiday must be a real date';
  else if (partsOf(date).year < ONE_OFF_FIRST_YEAR || partsOf(date).year > ONE_OFF_LAST_YEAR) {
    errors.date = `Date of the bank holiday must be between ${ONE_OFF_FIRST_YEAR} and ${ONE_OFF_LAST_YEAR}`;
  } else if (isWeekend(date)) errors.date = 'Date of the bank holiday must be a weekday';
  else if (holidays.has(date)) errors.date = 'That date is already a bank holiday';
  if (!name) errors.name = 'Enter the name of the bank holiday';
  else if (name.length > ONE_OFF_NAME_MAX) errors.name = `Name of the bank holiday must be ${ONE_OFF_NAME_MAX} characters or fewer`;
  return Object.keys(errors).length ? { errors } : { value: { date, name } };
}
