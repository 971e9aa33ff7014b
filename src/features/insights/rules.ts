// Who may read the commissioner's insights, the date range every dashboard is read over, quarters for the compliance
// report, and the plain-English names of the groups the figures are broken down by. Pure.
import type { StaffRole } from '../../platform/auth/roles.ts';
import { addDays, calendarDate, daysBetween, partsOf, type CalendarDate } from '../../platform/time/calendar-date.ts';
import { readNamedDateInput } from '../../platform/forms/date-input.ts';

/**
 * The commissioner's analysts, and the hub's supervisors who steer the gateway's own work. Every insight is an
 * aggregate of the reader's own area, suppressed (suppression.ts); none names or counts a single person.
 */
export const INSIGHT_READERS: readonly StaffRole[] = ['commissioner_analyst', 'supervisor'];
/** Recording funding is the commissioner's office's work alone. */
export const FUNDING_RECORDERS: readonly StaffRole[] = ['commissioner_analyst'];

export const mayReadInsights = (role: StaffRole): boolean => INSIGHT_READERS.includes(role);
export const mayRecordFunding = (role: StaffRole): boolean => FUNDING_RECORDERS.includes(role);

export type DateRange = { from: CalendarDate; to: CalendarDate };
/** The longest range a dashboard is read over: five years of days is still a small sum over the aggregates. */
export const MAX_RANGE_DAYS = 5 * 366;
/** With no range asked for, dashboards show the 90 days to today. */
export const DEFAULT_RANGE_DAYS = 90;

export function defaultRange(today: CalendarDate): DateRange {
  return { from: addDays(today, -(DEFAULT_RANGE_DAYS - 1)), to: today };
}

/**
 * The range a dashboard's GET form asks for (GOV.UK date inputs `from-*` and `to-*`), or the errors to show in the
 * error summary. Both dates empty means the default range. A range is inclusive of both days.
 */
export function readDateRange(query: Readonly<Record<string, unknown>>, today: CalendarDate): { range: DateRange } | { errors: Record<string, string> } {
  const asked = ['from', 'to'].some((name) => ['day', 'month', 'year'].some((box) => typeof query[`${name}-${box}`] === 'string' && (query[`${name}-${box}`] as string).trim() !== ''));
  if (!asked) return { range: defaultRange(today) };
  const from = readNamedDateInput(query, 'from', 'start date');
  const to = readNamedDateInput(query, 'to', 'end date');
  const errors: Record<string, string> = {};
  if ('error' in from) errors.from = from.error;
  if ('error' in to) errors.to = to.error;
  if ('date' in from && 'date' in to) {
    if (to.date < from.date) errors.to = 'End date must be the same as or after the start date';
    else if (daysBetween(from.date, to.date) >= MAX_RANGE_DAYS) errors.to = 'End date must be within 5 years of the start date';
  }
  if ('date' in from && 'date' in to && Object.keys(errors).length === 0) return { range: { from: from.date, to: to.date } };
  return { errors };
}

/** A quarter in the form '2026-Q3': calendar quarters, January to March being Q1. */
export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;

export function isQuarter(value: unknown): value is Quarter {
  return typeof value === 'string' && /^(20\d\d)-Q[1-4]$/.test(value);
}

export function quarterOf(date: CalendarDate): Quarter {
  const { year, month } = partsOf(date);
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}` as Quarter;
}

export function quarterRange(quarter: Quarter): DateRange {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(-1))];
  const from = calendarDate(year, (q - 1) * 3 + 1, 1);
  const nextQuarterStart = q === 4 ? calendarDate(year + 1, 1, 1) : calendarDate(year, q * 3 + 1, 1);
  return { from, to: addDays(nextQuarterStart, -1) };
}

/** The last quarter that has ended by `today`: the one the report is usually asked for. */
export function lastCompleteQuarter(today: CalendarDate): Quarter {
  return quarterOf(addDays(quarterRange(quarterOf(today)).from, -1));
}

export const SOURCE_NAMES: Record<string, string> = {
  police_feed: 'Police daily file',
  police_api: 'Police system (API)',
  file_import: 'File upload',
  self_referral: 'Self-referral',
  agency_referral: 'Another agency',
};

export const ROLE_NAMES: Record<string, string> = {
  victim: 'Victim',
  witness: 'Witness',
  bereaved_relative: 'Bereaved relative',
  parent_of_child_victim: 'Parent of a child victim',
};

/** Age bands at the day the case opened, as the ONS crime survey groups victims. */
export const AGE_BANDS = ['under_18', '18_24', '25_34', '35_49', '50_64', '65_plus', 'not_recorded'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The age band of someone born on `dateOfBirth`, on `onDay`; 'not_recorded' without a date of birth. */
export function ageBand(dateOfBirth: CalendarDate | null, onDay: CalendarDate): AgeBand {
  if (!dateOfBirth) return 'not_recorded';
  const born = partsOf(dateOfBirth);
  const on = partsOf(onDay);
  const age = on.year - born.year - (on.month < born.month || (on.month === born.month && on.day < born.day) ? 1 : 0);
  if (age < 18) return 'under_18';
  if (age < 25) return '18_24';
  if (age < 35) return '25_34';
  if (age < 50) return '35_49';
  if (age < 65) return '50_64';
  return '65_plus';
}

export const EQUALITY_CATEGORY_NAMES: Record<string, Record<string, string>> = {
  age_band: {
    under_18: 'Under 18', '18_24': '18 to 24', '25_34': '25 to 34', '35_49': '35 to 49', '50_64': '50 to 64', '65_plus': '65 and over', not_recorded: 'Not recorded',
  },
  sex: { female: 'Female', male: 'Male', other: 'Other', not_stated: 'Prefer not to say', not_recorded: 'Not recorded' },
  ethnic_group: {
    asian: 'Asian, Asian British or Asian Welsh',
    black: 'Black, Black British, Black Welsh, Caribbean or African',
    mixed: 'Mixed or Multiple ethnic groups',
    white: 'White',
    other: 'Other ethnic group',
    not_stated: 'Prefer not to say',
    not_recorded: 'Not recorded',
  },
  disability: { yes: 'Disabled', no: 'Not disabled', not_stated: 'Prefer not to say', not_recorded: 'Not recorded' },
};

export const EQUALITY_DIMENSION_NAMES: Record<string, string> = {
  age_band: 'Age band', sex: 'Sex', ethnic_group: 'Ethnic group', disability: 'Disability',
};
