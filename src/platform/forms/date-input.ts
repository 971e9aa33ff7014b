// The GOV.UK date input, read and marked the same way on every form: three boxes named `<name>-day`, `<name>-month` and
// `<name>-year`, errors in the design system's words, and only the empty boxes marked when a date is incomplete.
import { calendarDate, isCalendarDate, partsOf, type CalendarDate } from '../time/calendar-date.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const capitalise = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);

/** The day a GOV.UK date input names, or the message to show against it, in the design system's words. */
export function readDateInput(day: unknown, month: unknown, year: unknown, label: string): { date: CalendarDate } | { error: string } {
  const parts = { day: text(day), month: text(month), year: text(year) };
  const missing = (Object.keys(parts) as (keyof typeof parts)[]).filter((key) => !parts[key]);
  if (missing.length === 3) return { error: `Enter the ${label}` };
  if (missing.length) return { error: `${capitalise(label)} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return { error: `${capitalise(label)} must be a real date` };
  const date = calendarDate(Number(parts.year), Number(parts.month), Number(parts.day));
  // calendarDate rolls 31 February over into March; a real date reads back as the same day and month.
  const back = partsOf(date);
  if (!isCalendarDate(date) || back.day !== Number(parts.day) || back.month !== Number(parts.month)) return { error: `${capitalise(label)} must be a real date` };
  return { date };
}

/** The same, for a form's fields named after the input: `name-day`, `name-month`, `name-year`. */
export const readNamedDateInput = (form: Readonly<Record<string, unknown>>, name: string, label: string) =>
  readDateInput(form[`${name}-day`], form[`${name}-month`], form[`${name}-year`], label);

export const DATE_BOXES = ['day', 'month', 'year'] as const;
export type DateBox = (typeof DATE_BOXES)[number];

/**
 * The boxes of the date input to mark in error, as the GOV.UK date input pattern asks: only the empty ones when the
 * date is incomplete ("must include a month"), otherwise all three. The error summary links to the first of them.
 */
export function dateBoxesInError(values: Readonly<Record<string, unknown>>, name: string, hasError: boolean): { boxes: Record<DateBox, boolean>; first: DateBox } {
  const empty = DATE_BOXES.filter((box) => text(values[`${name}-${box}`]) === '');
  const marked = hasError ? (empty.length > 0 && empty.length < DATE_BOXES.length ? empty : [...DATE_BOXES]) : [];
  return { boxes: { day: marked.includes('day'), month: marked.includes('month'), year: marked.includes('year') }, first: marked[0] ?? 'day' };
}
