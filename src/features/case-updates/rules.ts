// Pure rules for case updates from the agencies: the types there are and who sends them, what each must carry, the
// order a case moves through (so a late "arrested" after "charged" cannot move it back), and which arrivals break the
// expected order and need a person to look (a sentence with no verdict). No I/O.
import { isCalendarDate } from '../../platform/time/calendar-date.ts';

export const AGENCIES = ['police', 'prosecutor', 'witness_care', 'probation'] as const;
export type Agency = (typeof AGENCIES)[number];

export const CASE_UPDATE_TYPES = [
  'officer_assigned',
  'suspect_arrested',
  'suspect_interviewed',
  'released_under_investigation',
  'suspect_bailed',
  'suspect_charged',
  'no_further_action',
  'out_of_court_disposal',
  'charge_dropped',
  'charge_changed',
  'hearing_listed',
  'hearing_moved',
  'hearing_vacated',
  'witness_required',
  'special_measures_application',
  'special_measures_outcome',
  'verdict',
  'sentence',
  'appeal',
  'victim_contact_scheme_eligible',
  'victim_contact_scheme_referred',
  'victim_contact_scheme_opted_in',
  'victim_contact_scheme_contact_level',
] as const;
export type CaseUpdateType = (typeof CASE_UPDATE_TYPES)[number];

export const isCaseUpdateType = (value: unknown): value is CaseUpdateType => typeof value === 'string' && (CASE_UPDATE_TYPES as readonly string[]).includes(value);

export const VERDICTS = ['guilty', 'guilty_plea', 'not_guilty', 'case_dismissed'] as const;
export const DISPOSALS = ['caution', 'conditional_caution', 'community_resolution', 'penalty_notice'] as const;
export const CONTACT_LEVELS = ['key_stages', 'all_updates', 'none'] as const;
export const HEARING_KINDS = ['first_hearing', 'plea_and_trial_preparation', 'trial', 'sentencing', 'appeal', 'other'] as const;

/** A field an update of some type carries, described once for the API's checks and the staff form alike. */
export type FieldKind = 'text' | 'longText' | 'instant' | 'choice' | 'months' | 'yesNo' | 'list' | 'email';
export type UpdateField = { name: string; label: string; hint?: string; kind: FieldKind; required: boolean; choices?: readonly string[] };

type TypeDefinition = {
  agency: Agency;
  /** How far along the case is once this has happened; undefined when it does not move the case on. */
  stage?: number;
  /** An update that makes no sense before one of these has happened is kept, but flagged for review. */
  needsOneOf?: readonly CaseUpdateType[];
  /** A verdict that must have come first (a sentence follows a conviction, never an acquittal). */
  needsVerdict?: readonly (typeof VERDICTS)[number][];
  /** Shown to the victim and sent as a notification; false for what only agencies need to know. */
  victimFacing: boolean;
  fields: readonly UpdateField[];
};

const text = (name: string, label: string, required = false, hint?: string): UpdateField => ({ name, label, kind: 'text', required, ...(hint ? { hint } : {}) });
const longText = (name: string, label: string, required = false, hint?: string): UpdateField => ({ name, label, kind: 'longText', required, ...(hint ? { hint } : {}) });
const choice = (name: string, label: string, choices: readonly string[], required = true): UpdateField => ({ name, label, kind: 'choice', required, choices });
const HEARING_FIELDS = [
  { name: 'hearingAt', label: 'Date and time of the hearing', kind: 'instant', required: true } as UpdateField,
  text('courtName', 'Court', true),
  choice('hearingType', 'Type of hearing', HEARING_KINDS),
];

export const UPDATE_TYPES: Record<CaseUpdateType, TypeDefinition> = {
  officer_assigned: {
    agency: 'police',
    victimFacing: true,
    fields: [text('officerName', 'Officer’s name, rank and collar number', true), { name: 'officerEmail', label: 'Officer’s work email', kind: 'email', required: false, hint: 'Links the officer’s Haven account, so the case shows in their list' }],
  },
  suspect_arrested: { agency: 'police', stage: 10, victimFacing: true, fields: [] },
  suspect_interviewed: { agency: 'police', stage: 20, victimFacing: true, fields: [] },
  released_under_investigation: { agency: 'police', stage: 30, victimFacing: true, fields: [] },
  suspect_bailed: {
    agency: 'police',
    stage: 30,
    victimFacing: true,
    fields: [longText('bailConditions', 'Bail conditions that matter for the victim’s safety', false, 'For example, not to contact the victim or go to their street. Written for the victim to read.'), text('bailUntil', 'Bailed until (date, YYYY-MM-DD)')],
  },
  suspect_charged: { agency: 'police', stage: 50, victimFacing: true, fields: [text('charges', 'What the suspect is charged with', false, 'In plain words, like "Wounding with intent"')] },
  no_further_action: { agency: 'police', stage: 40, victimFacing: true, fields: [longText('reason', 'Why no further action will be taken', true, 'In plain words, for the victim to read')] },
  out_of_court_disposal: { agency: 'police', stage: 40, victimFacing: true, fields: [choice('disposal', 'Out-of-court disposal', DISPOSALS)] },
  charge_dropped: { agency: 'prosecutor', stage: 60, needsOneOf: ['suspect_charged'], victimFacing: true, fields: [longText('reason', 'Why the charge was dropped', false, 'In plain words, for the victim to read')] },
  charge_changed: { agency: 'prosecutor', needsOneOf: ['suspect_charged'], victimFacing: true, fields: [text('charges', 'The charge now', true), longText('reason', 'Why it changed', false)] },
  hearing_listed: { agency: 'witness_care', victimFacing: true, fields: HEARING_FIELDS },
  hearing_moved: { agency: 'witness_care', needsOneOf: ['hearing_listed', 'hearing_moved'], victimFacing: true, fields: HEARING_FIELDS },
  hearing_vacated: { agency: 'witness_care', needsOneOf: ['hearing_listed', 'hearing_moved'], victimFacing: true, fields: [longText('reason', 'Why the hearing will not go ahead', false)] },
  witness_required: { agency: 'witness_care', victimFacing: true, fields: [] },
  special_measures_application: { agency: 'witness_care', victimFacing: false, fields: [{ name: 'measures', label: 'Measures applied for', kind: 'list', required: true }] },
  special_measures_outcome: {
    agency: 'witness_care',
    needsOneOf: ['special_measures_application'],
    victimFacing: true,
    fields: [{ name: 'granted', label: 'Measures granted', kind: 'list', required: false }, { name: 'refused', label: 'Measures refused', kind: 'list', required: false }],
  },
  verdict: { agency: 'witness_care', stage: 70, needsOneOf: ['suspect_charged', 'charge_changed'], victimFacing: true, fields: [choice('outcome', 'Verdict', VERDICTS)] },
  sentence: {
    agency: 'witness_care',
    stage: 80,
    needsVerdict: ['guilty', 'guilty_plea'],
    victimFacing: true,
    fields: [
      text('sentence', 'The sentence, in plain words', true, 'Like "3 years in prison"'),
      { name: 'custodyMonths', label: 'Months in custody, if any', kind: 'months', required: false },
      { name: 'hospitalOrder', label: 'Is it a hospital order?', kind: 'yesNo', required: false },
      { name: 'violentOrSexualOffence', label: 'Is the offence violent or sexual?', kind: 'yesNo', required: false },
    ],
  },
  appeal: { agency: 'witness_care', stage: 90, needsOneOf: ['verdict', 'sentence'], victimFacing: true, fields: [choice('against', 'What the appeal is against', ['conviction', 'sentence'])] },
  victim_contact_scheme_eligible: { agency: 'probation', victimFacing: true, fields: [] },
  victim_contact_scheme_referred: { agency: 'probation', victimFacing: true, fields: [] },
  victim_contact_scheme_opted_in: { agency: 'probation', needsOneOf: ['victim_contact_scheme_referred', 'victim_contact_scheme_eligible'], victimFacing: true, fields: [] },
  victim_contact_scheme_contact_level: { agency: 'probation', needsOneOf: ['victim_contact_scheme_opted_in'], victimFacing: true, fields: [choice('contactLevel', 'Contact level the victim chose', CONTACT_LEVELS)] },
};

export const AGENCY_NAMES: Record<Agency, string> = { police: 'Police', prosecutor: 'Crown Prosecution Service', witness_care: 'Witness care and court', probation: 'Probation' };

/** Which agencies' updates an organisation of each kind may post; the hub posts any, for the agencies it hears from. */
export function typesFor(organisationKind: string): CaseUpdateType[] {
  const agencies: readonly Agency[] = organisationKind === 'hub' ? AGENCIES : organisationKind === 'police' ? ['police'] : organisationKind === 'witness_care' ? ['witness_care', 'prosecutor'] : organisationKind === 'prosecutor' ? ['prosecutor', 'witness_care'] : organisationKind === 'probation' ? ['probation'] : [];
  return CASE_UPDATE_TYPES.filter((type) => agencies.includes(UPDATE_TYPES[type].agency));
}

export type UpdateDetail = Record<string, string | number | boolean | string[]>;
export type FieldErrors = Record<string, string>;

const MAX_TEXT = 200;
const MAX_LONG_TEXT = 2000;
export const PERSONAL_NOTE_MAX = 2000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks the details an update of this type carries, as sent (strings from a form, or JSON values from the API). Every
 * problem is reported at once, keyed by field name. Unknown fields are dropped, so nothing unexpected is stored.
 */
export function checkDetail(type: CaseUpdateType, raw: Record<string, unknown>): { detail: UpdateDetail } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const detail: UpdateDetail = {};
  for (const field of UPDATE_TYPES[type].fields) {
    const value = raw[field.name];
    const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (field.required) errors[field.name] = `Enter ${field.label.charAt(0).toLowerCase()}${field.label.slice(1)}`;
      continue;
    }
    const checked = checkField(field, value);
    if ('error' in checked) errors[field.name] = checked.error;
    else detail[field.name] = checked.value;
  }
  if (type === 'special_measures_outcome' && !errors.granted && !errors.refused && !detail.granted && !detail.refused) errors.granted = 'Enter the measures granted or refused';
  if (type === 'suspect_bailed' && detail.bailUntil !== undefined && !isCalendarDate(String(detail.bailUntil))) errors.bailUntil = 'Enter the date bail ends as YYYY-MM-DD, like 2026-12-01';
  return Object.keys(errors).length ? { errors } : { detail };
}

function checkField(field: UpdateField, value: unknown): { value: string | number | boolean | string[] } | { error: string } {
  const name = field.label.charAt(0).toLowerCase() + field.label.slice(1);
  switch (field.kind) {
    case 'text':
    case 'longText': {
      if (typeof value !== 'string') return { error: `${field.label} must be text` };
      const trimmed = value.trim().replace(/\r\n/g, '\n');
      const max = field.kind === 'text' ? MAX_TEXT : MAX_LONG_TEXT;
      return trimmed.length > max ? { error: `${field.label} must be ${max.toLocaleString('en-GB')} characters or fewer` } : { value: trimmed };
    }
    case 'email':
      return typeof value === 'string' && EMAIL.test(value.trim()) && value.length <= 254 ? { value: value.trim().toLowerCase() } : { error: `Enter ${name} like name@force.police.uk` };
    case 'instant': {
      const instant = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
      return Number.isNaN(instant.getTime()) ? { error: `Enter ${name} as a real date and time` } : { value: instant.toISOString() };
    }
    case 'choice':
      return typeof value === 'string' && (field.choices ?? []).includes(value) ? { value } : { error: `Select ${name}` };
    case 'months': {
      const months = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,4}$/.test(value.trim()) ? Number(value) : Number.NaN;
      return Number.isInteger(months) && months >= 0 && months <= 1200 ? { value: months } : { error: `${field.label} must be a whole number of months` };
    }
    case 'yesNo':
      if (value === true || value === 'yes') return { value: true };
      if (value === false || value === 'no') return { value: false };
      return { error: `Select yes or no for ${name}` };
    case 'list': {
      const items = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').map((item) => item.trim()).filter(Boolean);
      return items.length && items.every((item) => item.length <= 100) ? { value: [...new Set(items)] } : { error: `${field.label}: list each one, up to 100 characters` };
    }
  }
}

/** An update already applied to the crime, as the order check reads it. */
export type Applied = { type: CaseUpdateType; occurredAt: Date; detail: Record<string, unknown> };

/**
 * Why an update breaks the expected order of a case, in words a reviewer can act on; undefined when it fits. The check
 * is against what has already arrived, so a sentence before any verdict is flagged even if the verdict comes later: a
 * person then confirms it, rather than the victim being told as fact something Haven cannot yet stand behind.
 */
export function orderProblem(type: CaseUpdateType, earlier: readonly Applied[]): string | undefined {
  const definition = UPDATE_TYPES[type];
  if (definition.needsVerdict) {
    const verdicts = earlier.filter((update) => update.type === 'verdict').map((update) => String(update.detail.outcome));
    if (!verdicts.some((verdict) => (definition.needsVerdict as readonly string[]).includes(verdict))) {
      return verdicts.length ? 'A sentence arrived but the verdict recorded is not a conviction' : 'A sentence arrived with no verdict recorded';
    }
  }
  if (definition.needsOneOf && !earlier.some((update) => definition.needsOneOf?.includes(update.type))) {
    return `${TYPE_NAMES[type]} arrived before any ${definition.needsOneOf.map((needed) => TYPE_NAMES[needed].toLowerCase()).join(' or ')}`;
  }
  return undefined;
}

/**
 * The furthest stage the case has reached: the highest stage, and among equals the latest to happen. An update that
 * arrives late (an arrest reported after the charge) is kept on the timeline but cannot move the case back.
 */
export function furthestStage(updates: readonly Pick<Applied, 'type' | 'occurredAt'>[]): CaseUpdateType | undefined {
  let best: Pick<Applied, 'type' | 'occurredAt'> | undefined;
  for (const update of updates) {
    const stage = UPDATE_TYPES[update.type].stage;
    if (stage === undefined) continue;
    const bestStage = best ? (UPDATE_TYPES[best.type].stage as number) : -1;
    if (!best || stage > bestStage || (stage === bestStage && update.occurredAt.getTime() > best.occurredAt.getTime())) best = update;
  }
  return best?.type;
}

/** Whether an update, arriving now, is behind the stage the case has already reached: history, not news. */
export function isBehind(type: CaseUpdateType, occurredAt: Date, current: Pick<Applied, 'type' | 'occurredAt'> | undefined): boolean {
  const stage = UPDATE_TYPES[type].stage;
  if (stage === undefined || !current) return false;
  const currentStage = UPDATE_TYPES[current.type].stage ?? -1;
  return stage < currentStage || (stage === currentStage && occurredAt.getTime() < current.occurredAt.getTime());
}

/** The update's name for staff, in lists and the review queue. */
export const TYPE_NAMES: Record<CaseUpdateType, string> = {
  officer_assigned: 'Officer in charge assigned or changed',
  suspect_arrested: 'Suspect arrested',
  suspect_interviewed: 'Suspect interviewed under caution',
  released_under_investigation: 'Suspect released under investigation',
  suspect_bailed: 'Suspect released on bail',
  suspect_charged: 'Suspect charged',
  no_further_action: 'No further action',
  out_of_court_disposal: 'Out-of-court disposal',
  charge_dropped: 'Charge dropped',
  charge_changed: 'Charge substantially changed',
  hearing_listed: 'Hearing listed',
  hearing_moved: 'Hearing moved',
  hearing_vacated: 'Hearing vacated',
  witness_required: 'Witness required at court',
  special_measures_application: 'Special measures applied for',
  special_measures_outcome: 'Special measures decided',
  verdict: 'Verdict',
  sentence: 'Sentence',
  appeal: 'Appeal',
  victim_contact_scheme_eligible: 'Eligible for the Victim Contact Scheme',
  victim_contact_scheme_referred: 'Referred to the Victim Contact Scheme',
  victim_contact_scheme_opted_in: 'Victim opted in to the Victim Contact Scheme',
  victim_contact_scheme_contact_level: 'Victim Contact Scheme contact level chosen',
};

/** The words a choice is shown in on the staff form. */
export const CHOICE_NAMES: Record<string, string> = {
  guilty: 'Guilty', guilty_plea: 'Guilty plea', not_guilty: 'Not guilty', case_dismissed: 'Case dismissed',
  caution: 'Caution', conditional_caution: 'Conditional caution', community_resolution: 'Community resolution', penalty_notice: 'Penalty notice',
  key_stages: 'Key stages of the sentence only', all_updates: 'All updates', none: 'No contact',
  first_hearing: 'First hearing', plea_and_trial_preparation: 'Plea and trial preparation hearing', trial: 'Trial', sentencing: 'Sentencing hearing', appeal: 'Appeal hearing', other: 'Other hearing',
  conviction: 'Conviction', sentence: 'Sentence',
};

/** The source event id the API takes: the sender's own id, printable, so it can be quoted back in support calls. */
export const SOURCE_EVENT_ID_PATTERN = /^[A-Za-z0-9._:/-]{1,200}$/;
