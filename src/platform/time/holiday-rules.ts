// The standing rules for England and Wales bank holidays (Banking and Financial Dealings Act 1971 and the yearly royal
// proclamations), used for years GOV.UK has not yet published. One-off days, such as a coronation, cannot be foreseen:
// they come in with the next GOV.UK update, or an administrator adds them.
import { addDays, calendarDate, dayOfWeek, type CalendarDate } from './calendar-date.ts';
import { easterSunday } from './easter.ts';

/** One bank holiday, in GOV.UK's words: its title, and notes such as 'Substitute day'. */
export type BankHoliday = {
  date: CalendarDate;
  title: string;
  notes: string;
  /** gov.uk: published on GOV.UK; computed: by these rules; added: by an administrator in Haven. */
  origin: 'gov.uk' | 'computed' | 'added';
};

const SUBSTITUTE = 'Substitute day';
const MONDAY = 1;
const FRIDAY = 5;
const SATURDAY = 6;
const SUNDAY = 0;

function firstMonday(year: number, month: number): CalendarDate {
  const first = calendarDate(year, month, 1);
  return addDays(first, (MONDAY - dayOfWeek(first) + 7) % 7);
}

function lastMonday(year: number, month: number): CalendarDate {
  const last = calendarDate(year, month + 1, 0);
  return addDays(last, -((dayOfWeek(last) - MONDAY + 7) % 7));
}

function newYear(year: number): Omit<BankHoliday, 'origin'> {
  const day = calendarDate(year, 1, 1);
  const weekday = dayOfWeek(day);
  if (weekday === SATURDAY) return { date: addDays(day, 2), title: 'New Year’s Day', notes: SUBSTITUTE };
  if (weekday === SUNDAY) return { date: addDays(day, 1), title: 'New Year’s Day', notes: SUBSTITUTE };
  return { date: day, title: 'New Year’s Day', notes: '' };
}

/** Christmas and Boxing Day together, as a weekend moves one past the other. */
function christmas(year: number): Omit<BankHoliday, 'origin'>[] {
  const christmasDay = calendarDate(year, 12, 25);
  const weekday = dayOfWeek(christmasDay);
  const on = (day: number) => calendarDate(year, 12, day);
  if (weekday === FRIDAY) {
    return [
      { date: christmasDay, title: 'Christmas Day', notes: '' },
      { date: on(28), title: 'Boxing Day', notes: SUBSTITUTE },
    ];
  }
  if (weekday === SATURDAY) {
    return [
      { date: on(27), title: 'Christmas Day', notes: SUBSTITUTE },
      { date: on(28), title: 'Boxing Day', notes: SUBSTITUTE },
    ];
  }
  if (weekday === SUNDAY) {
    return [
      { date: on(26), title: 'Boxing Day', notes: '' },
      { date: on(27), title: 'Christmas Day', notes: SUBSTITUTE },
    ];
  }
  return [
    { date: christmasDay, title: 'Christmas Day', notes: '' },
    { date: on(26), title: 'Boxing Day', notes: '' },
  ];
}

/** The eight bank holidays the rules give for a year, in date order, marked as computed. */
export function standardBankHolidays(year: number): BankHoliday[] {
  const easter = easterSunday(year);
  const days: Omit<BankHoliday, 'origin'>[] = [
    newYear(year),
    { date: addDays(easter, -2), title: 'Good Friday', notes: '' },
    { date: addDays(easter, 1), title: 'Easter Monday', notes: '' },
    { date: firstMonday(year, 5), title: 'Early May bank holiday', notes: '' },
    { date: lastMonday(year, 5), title: 'Spring bank holiday', notes: '' },
    { date: lastMonday(year, 8), title: 'Summer bank holiday', notes: '' },
    ...christmas(year),
  ];
  return days.map((day) => ({ ...day, origin: 'computed' as const }));
}
