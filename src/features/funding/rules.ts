// The commissioner's funding awards: what a sound award is (checked from the form), money in pence, and the cost of
// support worked out from awards and the referral aggregates over a date range. Pure: no I/O.
import { readNamedDateInput } from '../../platform/forms/date-input.ts';
import { daysBetween, type CalendarDate } from '../../platform/time/calendar-date.ts';
import { figureForGroup, suppressList, type Shown } from '../insights/suppression.ts';
import type { DateRange } from '../insights/rules.ts';

export const AWARD_KINDS = ['grant', 'contract'] as const;
export type AwardKind = (typeof AWARD_KINDS)[number];
export const AWARD_KIND_NAMES: Record<AwardKind, string> = { grant: 'Grant', contract: 'Contract' };

export const REFERENCE_MAX_LENGTH = 100;
export const NOTE_MAX_LENGTH = 1000;
/** Bigger than any victim services budget in England and Wales, and safely inside a JavaScript number of pence. */
export const MAX_AMOUNT_PENCE = 100_000_000_000;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * An amount typed in pounds ("12,500", "£12500.5", "12500.50") as whole pence, or the message to show. The pence are
 * counted from the digits, never by multiplying a float, so 0.29 is 29 pence and not 28.999….
 */
export function readPounds(value: unknown): { pence: number } | { error: string } {
  const typed = text(value).replace(/^£/, '').replace(/,/g, '');
  if (typed === '') return { error: 'Enter the amount in pounds' };
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(typed);
  if (!match) {
    if (/^-/.test(typed)) return { error: 'Amount must be more than £0' };
    if (/^\d+\.\d{3,}$/.test(typed)) return { error: 'Amount must have no more than 2 numbers after the decimal point' };
    return { error: 'Amount must be a number, like 12500 or 12500.50' };
  }
  const pence = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (pence <= 0) return { error: 'Amount must be more than £0' };
  if (pence > MAX_AMOUNT_PENCE) return { error: 'Amount must be £1,000,000,000 or less' };
  return { pence };
}

/** Pence as pounds for a page or a CSV: "£12,500.50". */
export function formatPounds(pence: number): string {
  const rounded = Math.round(pence);
  const pounds = Math.floor(rounded / 100);
  return `£${pounds.toLocaleString('en-GB')}.${String(rounded % 100).padStart(2, '0')}`;
}

export type AwardInput = {
  organisationId: string;
  kind: AwardKind;
  reference: string;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  amountPence: number;
  note: string | null;
};

/**
 * The award a form describes, or an error for every bad field. `providerIds` are the providers of the reader's own
 * area: any other id (another area's provider, a hub, a guess) is refused as a field error.
 */
export function checkAward(form: Readonly<Record<string, unknown>>, providerIds: ReadonlySet<string>): AwardInput | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const organisationId = text(form.organisationId);
  if (!organisationId) errors.organisationId = 'Select the provider';
  else if (!providerIds.has(organisationId.toLowerCase())) errors.organisationId = 'Select a provider from the list';
  const kind = text(form.kind);
  if (!(AWARD_KINDS as readonly string[]).includes(kind)) errors.kind = 'Select grant or contract';
  const reference = text(form.reference);
  if (!reference) errors.reference = 'Enter the reference';
  else if (reference.length > REFERENCE_MAX_LENGTH) errors.reference = `Reference must be ${REFERENCE_MAX_LENGTH} characters or fewer`;
  const start = readNamedDateInput(form, 'periodStart', 'start date');
  const end = readNamedDateInput(form, 'periodEnd', 'end date');
  if ('error' in start) errors.periodStart = start.error;
  if ('error' in end) errors.periodEnd = end.error;
  if ('date' in start && 'date' in end && end.date < start.date) errors.periodEnd = 'End date must be the same as or after the start date';
  const amount = readPounds(form.amount);
  if ('error' in amount) errors.amount = amount.error;
  const note = text(form.note);
  if (note.length > NOTE_MAX_LENGTH) errors.note = `Note must be ${NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`;
  if (Object.keys(errors).length || !('date' in start) || !('date' in end) || !('pence' in amount)) return { errors };
  return { organisationId: organisationId.toLowerCase(), kind: kind as AwardKind, reference, periodStart: start.date, periodEnd: end.date, amountPence: amount.pence, note: note || null };
}

/** Days of a period, counting both its first and last day. */
const daysIn = (from: CalendarDate, to: CalendarDate): number => daysBetween(from, to) + 1;

/**
 * The part of an award that falls in the range, in pence (not rounded): the amount spread evenly over every day of the
 * award's period, counted by calendar day so that 29 February is a day like any other.
 */
export function proratedPence(award: { periodStart: CalendarDate; periodEnd: CalendarDate; amountPence: number }, range: DateRange): number {
  const from = award.periodStart > range.from ? award.periodStart : range.from;
  const to = award.periodEnd < range.to ? award.periodEnd : range.to;
  if (to < from) return 0;
  return (award.amountPence * daysIn(from, to)) / daysIn(award.periodStart, award.periodEnd);
}

export type ProviderActivity = { organisationId: string; name: string; accepted: number; completed: number };
export type ProviderCost = {
  organisationId: string;
  name: string;
  fundingPence: number;
  victimsSupported: Shown;
  costPerVictimPence: number | null;
  completedOutcomes: Shown;
  costPerOutcomePence: number | null;
};

/**
 * Each provider's funding in the range beside the people it supported. A cost per head is shown only for a group of 5
 * or more whose count is itself shown: with the funding on the page, a cost per head would give away a hidden count.
 */
export function providerCosts(
  providers: readonly { organisationId: string; name: string }[],
  awards: readonly { organisationId: string; periodStart: CalendarDate; periodEnd: CalendarDate; amountPence: number }[],
  activity: readonly ProviderActivity[],
  range: DateRange,
): { rows: ProviderCost[]; totals: { fundingPence: number; victimsSupported: Shown; completedOutcomes: Shown; costPerVictimPence: number | null; costPerOutcomePence: number | null } } {
  const funding = new Map<string, number>();
  for (const award of awards) funding.set(award.organisationId, (funding.get(award.organisationId) ?? 0) + proratedPence(award, range));
  const activityOf = new Map(activity.map((row) => [row.organisationId, row]));
  // A provider appears when it had funding or activity in the range; the rest would be rows of nothing.
  const listed = providers.filter((provider) => (funding.get(provider.organisationId) ?? 0) > 0 || (activityOf.get(provider.organisationId)?.accepted ?? 0) > 0 || (activityOf.get(provider.organisationId)?.completed ?? 0) > 0);
  const accepted = suppressList(listed.map((provider) => activityOf.get(provider.organisationId)?.accepted ?? 0));
  const completed = suppressList(listed.map((provider) => activityOf.get(provider.organisationId)?.completed ?? 0));
  const costPer = (pence: number, count: Shown): number | null =>
    count.suppressed ? null : figureForGroup(count.value, () => pence / count.value);
  const rows = listed.map((provider, index): ProviderCost => {
    const fundingPence = funding.get(provider.organisationId) ?? 0;
    const victimsSupported = accepted.cells[index] as Shown;
    const completedOutcomes = completed.cells[index] as Shown;
    return {
      organisationId: provider.organisationId,
      name: provider.name,
      fundingPence,
      victimsSupported,
      costPerVictimPence: fundingPence > 0 ? costPer(fundingPence, victimsSupported) : null,
      completedOutcomes,
      costPerOutcomePence: fundingPence > 0 ? costPer(fundingPence, completedOutcomes) : null,
    };
  });
  const fundingPence = rows.reduce((sum, row) => sum + row.fundingPence, 0);
  return {
    rows,
    totals: {
      fundingPence,
      victimsSupported: accepted.total,
      completedOutcomes: completed.total,
      costPerVictimPence: fundingPence > 0 ? costPer(fundingPence, accepted.total) : null,
      costPerOutcomePence: fundingPence > 0 ? costPer(fundingPence, completed.total) : null,
    },
  };
}
