// Pure rules for special measures and getting ready for court (victims-code.md, "Special measures"): checking each
// form (the victim's wishes, the application, the court's decision, alternative arrangements, the familiarisation visit,
// the expenses information), folding a case's append-only ledger into where things stand now, and the words the
// victim's timeline shows. Which measures a witness is eligible for is worked out in features/pre-court/rules.ts. No I/O.
import type { SpecialMeasuresRecordKind } from '../../platform/db/schema.ts';
import { calendarDate, isCalendarDate, partsOf, type CalendarDate } from '../../platform/time/calendar-date.ts';
// A pure rule (no I/O): the measures of the Act, their sections and names, and which to consider, live with the review.
import { SPECIAL_MEASURES, SPECIAL_MEASURE_NAMES, writtenDate, type SpecialMeasure } from '../pre-court/rules.ts';

export { SPECIAL_MEASURES, SPECIAL_MEASURE_NAMES, writtenDate, type SpecialMeasure };
export { isUuid } from '../../platform/db/uuid.ts';

export type FieldErrors = Record<string, string>;
type Form = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
export const isSpecialMeasure = (value: unknown): value is SpecialMeasure => typeof value === 'string' && (SPECIAL_MEASURES as readonly string[]).includes(value);

export const WISHES = ['wants', 'does_not_want', 'not_discussed'] as const;
export type Wish = (typeof WISHES)[number];
export const WISH_NAMES: Record<Wish, string> = { wants: 'Wants it', does_not_want: 'Does not want it', not_discussed: 'Not discussed yet' };

export const DECISIONS = ['granted', 'refused'] as const;
export type Decision = (typeof DECISIONS)[number];
export const DECISION_NAMES: Record<Decision, string> = { granted: 'Granted', refused: 'Refused' };

export const ARRANGEMENTS = ['remote_live_link', 'not_needed'] as const;
export type Arrangement = (typeof ARRANGEMENTS)[number];
export const ARRANGEMENT_NAMES: Record<Arrangement, string> = {
  remote_live_link: 'Remote live link from another place',
  not_needed: 'No alternative arrangements needed',
};

export const VISIT_STATES = ['offered', 'booked', 'done', 'declined'] as const;
export type VisitState = (typeof VISIT_STATES)[number];
export const VISIT_STATE_NAMES: Record<VisitState, string> = { offered: 'Offered', booked: 'Booked', done: 'Done', declined: 'Declined' };

export const PLACE_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 1000;

const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

/** A GOV.UK date input's day, or the message to show against it; `label` names the date in the design system's words. */
export function readDate(form: Form, prefix: string, label: string): { date: CalendarDate } | { error: string } {
  const parts = { day: text(form[`${prefix}-day`]), month: text(form[`${prefix}-month`]), year: text(form[`${prefix}-year`]) };
  const missing = (Object.keys(parts) as (keyof typeof parts)[]).filter((key) => !parts[key]);
  if (missing.length === 3) return { error: `Enter the ${label}` };
  const capital = label.charAt(0).toUpperCase() + label.slice(1);
  if (missing.length) return { error: `${capital} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return { error: `${capital} must be a real date` };
  const date = calendarDate(Number(parts.year), Number(parts.month), Number(parts.day));
  // calendarDate rolls 31 February over into March; a real date reads back as the same day and month.
  const back = partsOf(date);
  if (!isCalendarDate(date) || back.day !== Number(parts.day) || back.month !== Number(parts.month)) return { error: `${capital} must be a real date` };
  return { date };
}

/** A date that has happened: today or before. */
function pastDate(form: Form, prefix: string, label: string, today: CalendarDate): { date: CalendarDate } | { error: string } {
  const read = readDate(form, prefix, label);
  if ('date' in read && read.date > today) return { error: `${label.charAt(0).toUpperCase() + label.slice(1)} must be today or in the past` };
  return read;
}

// --- What each form records: the detail stored in the ledger ---

export type WishesDetail = { wishes: Partial<Record<SpecialMeasure, Wish>> };
export type ApplicationDetail = { measures: SpecialMeasure[]; appliedOn: CalendarDate };
export type OutcomeDetail = { decisions: { measure: SpecialMeasure; decision: Decision; reason: string | null }[]; decidedOn: CalendarDate };
export type AlternativeDetail = { arrangement: Arrangement; place: string | null };
export type VisitDetail = { state: VisitState; date: CalendarDate | null };
export type ExpensesDetail = { givenOn: CalendarDate };

export type Checked<T> = { value: T } | { errors: FieldErrors };

/** Every measure's wish, one radio group each (`wish-<measure>`); a group left unanswered is an error. */
export function checkWishes(form: Form): Checked<WishesDetail> {
  const errors: FieldErrors = {};
  const wishes: Partial<Record<SpecialMeasure, Wish>> = {};
  for (const measure of SPECIAL_MEASURES) {
    const value = form[`wish-${measure}`];
    if (oneOf(WISHES, value)) wishes[measure] = value;
    else errors[`wish-${measure}`] = `Select whether they want ${SPECIAL_MEASURE_NAMES[measure].name.charAt(0).toLowerCase()}${SPECIAL_MEASURE_NAMES[measure].name.slice(1)}`;
  }
  return Object.keys(errors).length ? { errors } : { value: { wishes } };
}

/** The measures applied for (checkboxes named `measures`) and the day the application was made. */
export function checkApplication(form: Form, today: CalendarDate): Checked<ApplicationDetail> {
  const errors: FieldErrors = {};
  const raw = Array.isArray(form.measures) ? form.measures : form.measures === undefined ? [] : [form.measures];
  const measures = SPECIAL_MEASURES.filter((measure) => raw.includes(measure));
  if (!measures.length || measures.length !== new Set(raw).size) errors.measures = 'Select the special measures applied for';
  const date = pastDate(form, 'appliedOn', 'date of the application', today);
  if ('error' in date) errors.appliedOn = date.error;
  if (Object.keys(errors).length || 'error' in date) return { errors };
  return { value: { measures, appliedOn: date.date } };
}

/**
 * The court's decision on the measures applied for: per measure (`decision-<measure>`) granted, refused, or 'pending'
 * (not decided yet); the court's reason (`reason-<measure>`) is needed for a refusal, so the victim can be told why if
 * they ask, and is optional for a grant. At least one decision, and the day the court decided.
 */
export function checkOutcome(form: Form, applied: readonly SpecialMeasure[], today: CalendarDate): Checked<OutcomeDetail> {
  const errors: FieldErrors = {};
  const decisions: OutcomeDetail['decisions'] = [];
  for (const measure of applied) {
    const value = text(form[`decision-${measure}`]) || 'pending';
    const reason = text(form[`reason-${measure}`]).replace(/\r\n/g, '\n');
    if (value === 'pending') continue;
    if (!oneOf(DECISIONS, value)) {
      errors[`decision-${measure}`] = `Select the court’s decision on ${SPECIAL_MEASURE_NAMES[measure].name.toLowerCase()}`;
      continue;
    }
    if (value === 'refused' && !reason) errors[`reason-${measure}`] = 'Enter the reason the court gave for refusing it';
    else if (reason.length > REASON_MAX_LENGTH) errors[`reason-${measure}`] = `The reason must be ${REASON_MAX_LENGTH} characters or fewer`;
    decisions.push({ measure, decision: value, reason: reason || null });
  }
  if (!applied.length) errors.decisions = 'Record the application before its outcome';
  else if (!decisions.length && !Object.keys(errors).length) errors[`decision-${applied[0]}`] = 'Select the court’s decision on at least one measure';
  const date = pastDate(form, 'decidedOn', 'date of the decision', today);
  if ('error' in date) errors.decidedOn = date.error;
  if (Object.keys(errors).length || 'error' in date) return { errors };
  return { value: { decisions, decidedOn: date.date } };
}

/** A remote live link needs the place they will give evidence from (such as home or a hospital), without an address. */
export function checkAlternative(form: Form): Checked<AlternativeDetail> {
  const arrangement = form.arrangement;
  if (!oneOf(ARRANGEMENTS, arrangement)) return { errors: { arrangement: 'Select the alternative arrangements' } };
  if (arrangement === 'not_needed') return { value: { arrangement, place: null } };
  const place = text(form.place).replace(/\s+/g, ' ');
  if (!place) return { errors: { place: 'Enter where they will give evidence from' } };
  if (place.length > PLACE_MAX_LENGTH) return { errors: { place: `Where they will give evidence from must be ${PLACE_MAX_LENGTH} characters or fewer` } };
  return { value: { arrangement, place } };
}

/** The court familiarisation visit: a booked or done visit has its date; offered and declined need none. */
export function checkVisit(form: Form, today: CalendarDate): Checked<VisitDetail> {
  const state = form.state;
  if (!oneOf(VISIT_STATES, state)) return { errors: { state: 'Select where the court visit stands' } };
  if (state === 'offered' || state === 'declined') return { value: { state, date: null } };
  const prefix = state === 'booked' ? 'bookedFor' : 'doneOn';
  const read = state === 'done' ? pastDate(form, prefix, 'date of the visit', today) : readDate(form, prefix, 'date of the visit');
  if ('error' in read) return { errors: { [prefix]: read.error } };
  return { value: { state, date: read.date } };
}

export function checkExpenses(form: Form, today: CalendarDate): Checked<ExpensesDetail> {
  const read = pastDate(form, 'givenOn', 'date the information was given', today);
  return 'error' in read ? { errors: { givenOn: read.error } } : { value: { givenOn: read.date } };
}

// --- Where things stand: the ledger folded in order ---

export type LedgerEntry = { id: number; kind: SpecialMeasuresRecordKind; detail: Record<string, unknown>; occurredAt: Date; source: 'staff' | 'case_update'; recordedByName: string | null; recordedAt: Date };

export type MeasureStatus = {
  measure: SpecialMeasure;
  section: number;
  name: string;
  wish: Wish | null;
  appliedOn: CalendarDate | null;
  decision: { decision: Decision; reason: string | null; decidedOn: CalendarDate } | null;
};

export type SpecialMeasuresStatus = {
  measures: MeasureStatus[];
  alternative: AlternativeDetail | null;
  visit: VisitDetail | null;
  expensesGivenOn: CalendarDate | null;
  /** Anything recorded at all. */
  started: boolean;
};

const dateOr = (value: unknown): CalendarDate | null => (isCalendarDate(value) ? value : null);
const measuresIn = (value: unknown): SpecialMeasure[] => (Array.isArray(value) ? value.filter(isSpecialMeasure) : []);

/**
 * Where the case stands, from its ledger oldest first: the latest wish per measure, the latest application of each
 * measure, and the court's latest decision on it; an application made after a decision (asking again) clears it. The
 * stored detail is read defensively: anything not in the shape a form writes is passed over.
 */
export function foldLedger(entries: readonly LedgerEntry[]): SpecialMeasuresStatus {
  const byMeasure = new Map<SpecialMeasure, MeasureStatus>(SPECIAL_MEASURES.map((measure) => [measure, { measure, ...SPECIAL_MEASURE_NAMES[measure], wish: null, appliedOn: null, decision: null }]));
  const status: SpecialMeasuresStatus = { measures: [], alternative: null, visit: null, expensesGivenOn: null, started: entries.length > 0 };
  for (const entry of entries) {
    const detail = entry.detail;
    switch (entry.kind) {
      case 'wishes': {
        const wishes = (detail.wishes ?? {}) as Record<string, unknown>;
        for (const [measure, wish] of Object.entries(wishes)) if (isSpecialMeasure(measure) && oneOf(WISHES, wish)) byMeasure.get(measure)!.wish = wish;
        break;
      }
      case 'application': {
        const appliedOn = dateOr(detail.appliedOn);
        for (const measure of measuresIn(detail.measures)) Object.assign(byMeasure.get(measure)!, { appliedOn, decision: null });
        break;
      }
      case 'outcome': {
        const decidedOn = dateOr(detail.decidedOn);
        const decisions = Array.isArray(detail.decisions) ? (detail.decisions as Record<string, unknown>[]) : [];
        for (const item of decisions) {
          if (!isSpecialMeasure(item.measure) || !oneOf(DECISIONS, item.decision) || !decidedOn) continue;
          byMeasure.get(item.measure)!.decision = { decision: item.decision, reason: typeof item.reason === 'string' ? item.reason : null, decidedOn };
        }
        break;
      }
      case 'alternative_arrangements':
        if (oneOf(ARRANGEMENTS, detail.arrangement)) status.alternative = { arrangement: detail.arrangement, place: typeof detail.place === 'string' ? detail.place : null };
        break;
      case 'familiarisation_visit':
        if (oneOf(VISIT_STATES, detail.state)) status.visit = { state: detail.state, date: dateOr(detail.date) };
        break;
      case 'expenses_information':
        status.expensesGivenOn = dateOr(detail.givenOn) ?? status.expensesGivenOn;
        break;
    }
  }
  status.measures = [...byMeasure.values()];
  return status;
}

/** The measures applied for that the court has not decided yet: the outcome form asks about these first. */
export const awaitingDecision = (status: SpecialMeasuresStatus): SpecialMeasure[] => status.measures.filter((item) => item.appliedOn && !item.decision).map((item) => item.measure);
/** Every measure ever applied for: the outcome form may also correct a decision already recorded. */
export const appliedFor = (status: SpecialMeasuresStatus): SpecialMeasure[] => status.measures.filter((item) => item.appliedOn).map((item) => item.measure);

/** One line per measure with anything recorded, for the pre-court review list: "Live link: wants it; applied for 3 December 2026; granted". */
export function statusLines(status: SpecialMeasuresStatus): string[] {
  return status.measures
    .filter((item) => item.wish || item.appliedOn || item.decision)
    .map((item) => {
      const parts: string[] = [];
      if (item.wish) parts.push(WISH_NAMES[item.wish].toLowerCase());
      if (item.appliedOn) parts.push(`applied for ${writtenDate(item.appliedOn)}`);
      if (item.decision) parts.push(`${DECISION_NAMES[item.decision.decision].toLowerCase()} ${writtenDate(item.decision.decidedOn)}`);
      else if (item.appliedOn) parts.push('awaiting the court’s decision');
      return `${item.name.split(':')[0]}: ${parts.join('; ')}`;
    });
}

/** Alternative arrangements in a line: "Remote live link from another place: from home". */
export function alternativeLine(alternative: AlternativeDetail | null): string | null {
  if (!alternative) return null;
  return alternative.place ? `${ARRANGEMENT_NAMES[alternative.arrangement]} (${alternative.place})` : ARRANGEMENT_NAMES[alternative.arrangement];
}

export function visitLine(visit: VisitDetail | null): string | null {
  if (!visit) return null;
  return visit.date ? `${VISIT_STATE_NAMES[visit.state]}, ${writtenDate(visit.date)}` : VISIT_STATE_NAMES[visit.state];
}

const shortName = (measure: SpecialMeasure): string => SPECIAL_MEASURE_NAMES[measure].name.split(':')[0]!;

/** One entry of the history in words, read through the same fold as the current position so both agree. */
export function historyLine(entry: LedgerEntry): string {
  const alone = foldLedger([entry]);
  const touched = alone.measures.filter((item) => item.wish || item.appliedOn || item.decision);
  switch (entry.kind) {
    case 'wishes': {
      const named = touched.filter((item) => item.wish !== 'not_discussed');
      return named.length ? `Victim’s wishes: ${named.map((item) => `${shortName(item.measure)} (${WISH_NAMES[item.wish!].toLowerCase()})`).join(', ')}` : 'Victim’s wishes: nothing discussed yet';
    }
    case 'application':
      return `Applied for ${touched.map((item) => shortName(item.measure)).join(', ')}${touched[0]?.appliedOn ? ` on ${writtenDate(touched[0].appliedOn)}` : ''}`;
    case 'outcome':
      return `Court’s decision: ${touched.map((item) => `${shortName(item.measure)} ${item.decision!.decision}${item.decision!.reason ? ` (${item.decision!.reason})` : ''}`).join('; ')}`;
    case 'alternative_arrangements':
      return `Alternative arrangements: ${alternativeLine(alone.alternative) ?? 'not readable'}`;
    case 'familiarisation_visit':
      return `Court visit: ${visitLine(alone.visit) ?? 'not readable'}`;
    case 'expenses_information':
      return `Expenses information given${alone.expensesGivenOn ? ` ${writtenDate(alone.expensesGivenOn)}` : ''}`;
  }
}

// --- The victim's timeline ---

/** Plain words for the victim: no measure names in legal terms, and never the court's reasons (staff tell them). */
export const OUTCOME_SUMMARY = 'The court has decided on the help you asked for when giving evidence';

export function outcomeEventDetail(decisions: OutcomeDetail['decisions']): { notifyVictim: 'update'; measures: SpecialMeasure[]; granted: SpecialMeasure[]; refused: SpecialMeasure[] } {
  return {
    notifyVictim: 'update',
    measures: decisions.map((item) => item.measure),
    granted: decisions.filter((item) => item.decision === 'granted').map((item) => item.measure),
    refused: decisions.filter((item) => item.decision === 'refused').map((item) => item.measure),
  };
}

/** The staff-only timeline line for an application: "Special measures applied for: screens, live link". */
export function applicationSummary(measures: readonly SpecialMeasure[]): string {
  return `Special measures applied for: ${measures.map((measure) => SPECIAL_MEASURE_NAMES[measure].name.split(':')[0]!.split(',')[0]!.toLowerCase()).join(', ')}`;
}

/** Measure codes from a case update: unknown codes are ignored (a sender may know measures Haven does not). */
export const knownMeasures = (codes: readonly string[]): SpecialMeasure[] => SPECIAL_MEASURES.filter((measure) => codes.includes(measure));
