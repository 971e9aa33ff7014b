// The Victims' Code duties Haven keeps a clock for: which timeline event starts each one, who owns it, how many working
// days it allows (with the Code's figures as defaults an area may change), and which recorded action meets it. Pure:
// the holidays are passed in, and nothing here reads or writes.
import type { SupportConsent } from '../../platform/db/schema.ts';
import type { HolidayLookup } from '../../platform/time/holiday-calendar.ts';
import { dueBy } from '../../platform/time/working-days.ts';

export const DUTIES = [
  'needs_assessment',
  'support_referral',
  'investigation_update',
  'charge_update',
  'prosecution_update',
  'hearing_update',
  'special_measures_update',
  'outcome_update',
  'victim_contact_scheme_referral',
  'complaint_response',
  'provider_response',
] as const;
export type Duty = (typeof DUTIES)[number];

export const OBLIGATION_STATES = ['open', 'met', 'overdue', 'breached'] as const;
export type ObligationState = (typeof OBLIGATION_STATES)[number];

export type OwnerKind = 'hub' | 'police' | 'witness_care' | 'prosecutor' | 'probation' | 'named_organisation';

/** What the police must tell the victim of within Right 6's deadline (features/case-updates records each). */
const INVESTIGATION_EVENTS = ['suspect_arrested', 'suspect_interviewed', 'released_under_investigation', 'suspect_bailed', 'no_further_action', 'out_of_court_disposal'] as const;

/** The timeline event kinds that start a clock. Other features record them; their names are the clock's contract. */
export const TRIGGER_KINDS = [
  'referral_received',
  ...INVESTIGATION_EVENTS,
  'suspect_charged',
  'charge_dropped',
  'charge_changed',
  'hearing_listed',
  'hearing_moved',
  'hearing_vacated',
  'special_measures_outcome',
  'verdict',
  'sentence',
  'appeal',
  'complaint_received',
  'service_referral_sent',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** What reaches the victim: a successful contact in the contact log, or a notification delivered to them. */
const VICTIM_TOLD = ['contact_logged:successful', 'notification_delivered'] as const;

type DutyDefinition = {
  right: string;
  /** Plain words for staff, and for the victim in the portal later. */
  title: string;
  triggers: readonly TriggerKind[];
  owner: OwnerKind;
  /** The recorded actions that meet it; a coordinator cannot simply tick an obligation off. */
  metBy: readonly string[];
};

export const DUTY_DEFINITIONS: Record<Duty, DutyDefinition> = {
  needs_assessment: {
    right: 'Right 4',
    title: 'Assess the victim’s needs, including the check for enhanced rights',
    triggers: ['referral_received'],
    owner: 'hub',
    metBy: ['assessment_completed'],
  },
  support_referral: {
    right: 'Right 4',
    title: 'Refer the victim to support services, unless they opted out',
    triggers: ['referral_received'],
    owner: 'hub',
    metBy: ['service_referral_sent', 'support_declined'],
  },
  investigation_update: {
    right: 'Right 6',
    title: 'Tell the victim about the arrest, interview, release, bail or decision',
    triggers: INVESTIGATION_EVENTS,
    owner: 'police',
    metBy: VICTIM_TOLD,
  },
  charge_update: {
    right: 'Right 6',
    title: 'Tell the victim the suspect has been charged',
    triggers: ['suspect_charged'],
    owner: 'witness_care',
    metBy: VICTIM_TOLD,
  },
  prosecution_update: {
    right: 'Right 6',
    title: 'Tell the victim the charge was dropped or changed, and about their Right to Review',
    triggers: ['charge_dropped', 'charge_changed'],
    owner: 'prosecutor',
    metBy: VICTIM_TOLD,
  },
  hearing_update: {
    right: 'Right 8',
    title: 'Tell the victim the date, time and place of the hearing',
    triggers: ['hearing_listed', 'hearing_moved', 'hearing_vacated'],
    owner: 'witness_care',
    metBy: VICTIM_TOLD,
  },
  special_measures_update: {
    right: 'Right 8',
    title: 'Tell the victim the outcome of the special measures application',
    triggers: ['special_measures_outcome'],
    owner: 'witness_care',
    metBy: VICTIM_TOLD,
  },
  outcome_update: {
    right: 'Right 9',
    title: 'Tell the victim the verdict, sentence or appeal and explain it',
    triggers: ['verdict', 'sentence', 'appeal'],
    owner: 'witness_care',
    metBy: VICTIM_TOLD,
  },
  victim_contact_scheme_referral: {
    right: 'Right 11',
    title: 'Refer the victim to the probation Victim Contact Scheme',
    triggers: ['sentence'],
    owner: 'witness_care',
    metBy: ['victim_contact_scheme_referred'],
  },
  complaint_response: {
    right: 'Right 12',
    title: 'Acknowledge or answer the complaint, with a timescale',
    triggers: ['complaint_received'],
    owner: 'named_organisation',
    metBy: ['complaint_answered'],
  },
  provider_response: {
    right: 'Right 4',
    title: 'Accept or decline the referral for support',
    triggers: ['service_referral_sent'],
    // The provider the referral went to, named in the event; its team inbox answers, not one person.
    owner: 'named_organisation',
    // A referral closed before it was answered (the victim withdrew consent) leaves nothing to answer: the closing
    // event ends the duty, naming the sent event like an answer does.
    metBy: ['service_referral_accepted', 'service_referral_declined', 'service_referral_no_capacity', 'service_referral_closed'],
  },
};

/** Working days each duty allows: for everyone, and (where the Code differs) for victims with enhanced rights. */
export type Deadline = { workingDays: number; enhancedWorkingDays?: number };
export type CodeClockSettings = { deadlines: Record<Duty, Deadline>; updateCadenceDays: { standard: number; enhanced: number } };

/**
 * The Code's figures. Written confirmation and the Victim Contact Scheme's 20 WD are unconfirmed for the 2020 Code
 * (victims-code.md), which is why every figure can be changed per area. The needs assessment has no Code deadline;
 * Haven gives it the referral's 2 WD so that the referral can follow from it.
 */
export const CODE_DEFAULTS: CodeClockSettings = {
  deadlines: {
    needs_assessment: { workingDays: 2 },
    support_referral: { workingDays: 2 },
    investigation_update: { workingDays: 5, enhancedWorkingDays: 1 },
    charge_update: { workingDays: 5, enhancedWorkingDays: 1 },
    prosecution_update: { workingDays: 5, enhancedWorkingDays: 1 },
    hearing_update: { workingDays: 1 },
    special_measures_update: { workingDays: 1 },
    outcome_update: { workingDays: 1 },
    victim_contact_scheme_referral: { workingDays: 20 },
    complaint_response: { workingDays: 10 },
    // Each service may set its own response time (features/directory); this is the default where it does not.
    provider_response: { workingDays: 2 },
  },
  // One area's standard: an update every 28 days. Issue-6 staleness nudges read it.
  updateCadenceDays: { standard: 28, enhanced: 28 },
};

const MAX_WORKING_DAYS = 60;

/** An area's stored changes over the Code's figures; anything missing or out of range keeps the default. */
export function settingsFor(overrides: unknown): CodeClockSettings {
  const stored = (overrides && typeof overrides === 'object' ? overrides : {}) as { deadlines?: Record<string, Partial<Deadline>>; updateCadenceDays?: Partial<CodeClockSettings['updateCadenceDays']> };
  const valid = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_WORKING_DAYS;
  const deadlines = {} as Record<Duty, Deadline>;
  for (const duty of DUTIES) {
    const base = CODE_DEFAULTS.deadlines[duty];
    const own = stored.deadlines?.[duty] ?? {};
    const enhanced = valid(own.enhancedWorkingDays) ? own.enhancedWorkingDays : base.enhancedWorkingDays;
    deadlines[duty] = { workingDays: valid(own.workingDays) ? own.workingDays : base.workingDays, ...(enhanced === undefined ? {} : { enhancedWorkingDays: enhanced }) };
  }
  const cadence = stored.updateCadenceDays ?? {};
  const days = (value: unknown, fallback: number) => (Number.isInteger(value) && (value as number) > 0 && (value as number) <= 365 ? (value as number) : fallback);
  return {
    deadlines,
    updateCadenceDays: { standard: days(cadence.standard, CODE_DEFAULTS.updateCadenceDays.standard), enhanced: days(cadence.enhanced, CODE_DEFAULTS.updateCadenceDays.enhanced) },
  };
}

export function workingDaysFor(settings: CodeClockSettings, duty: Duty, enhanced: boolean): number {
  const deadline = settings.deadlines[duty];
  return enhanced && deadline.enhancedWorkingDays !== undefined ? deadline.enhancedWorkingDays : deadline.workingDays;
}

/** What the clock knows about the case when an event arrives. */
export type CaseFacts = {
  enhanced: boolean;
  supportConsent: SupportConsent;
  hasCrime: boolean;
};

export type TriggerEvent = { id: number; kind: string; occurredAt: Date; detail: Record<string, unknown> };

export type NewObligation = { duty: Duty; ownerKind: OwnerKind; workingDays: number; enhanced: boolean; dueAt: Date };

/** Sentences that bring the Victim Contact Scheme: 12 months or more in custody for a violent or sexual offence, or a hospital order. */
export function qualifiesForVictimContactScheme(detail: Record<string, unknown>): boolean {
  if (detail.hospitalOrder === true) return true;
  const months = Number(detail.custodyMonths);
  return Number.isFinite(months) && months >= 12 && (detail.violentOrSexualOffence === true);
}

/** The obligations an event starts on a case, each due by the end of its Nth working day after the event. */
export function obligationsStartedBy(event: TriggerEvent, facts: CaseFacts, settings: CodeClockSettings, holidays: HolidayLookup): NewObligation[] {
  const started: NewObligation[] = [];
  for (const duty of DUTIES) {
    const definition = DUTY_DEFINITIONS[duty];
    if (!(definition.triggers as readonly string[]).includes(event.kind)) continue;
    // An update that arrived after the case had moved past it (an arrest reported after the charge) is history: the
    // victim is not told it as news, so it starts no duty to tell them.
    if (event.detail.behind === true && definition.metBy === VICTIM_TOLD) continue;
    // A victim who opted out of support is not referred (Right 4); their needs are still assessed.
    if (duty === 'support_referral' && facts.supportConsent === 'opted_out') continue;
    if (duty === 'victim_contact_scheme_referral' && !qualifiesForVictimContactScheme(event.detail)) continue;
    const workingDays = duty === 'provider_response' ? (responseDaysOf(event.detail) ?? workingDaysFor(settings, duty, facts.enhanced)) : workingDaysFor(settings, duty, facts.enhanced);
    started.push({ duty, ownerKind: definition.owner, workingDays, enhanced: facts.enhanced, dueAt: dueBy(event.occurredAt, workingDays, holidays) });
  }
  return started;
}

/** The response time the service set, carried on the 'service_referral_sent' event, when it is a sensible one. */
function responseDaysOf(detail: Record<string, unknown>): number | undefined {
  const days = detail.responseWorkingDays;
  return Number.isInteger(days) && (days as number) >= 1 && (days as number) <= 20 ? (days as number) : undefined;
}

/** The action an event records, in the terms DUTY_DEFINITIONS.metBy uses. */
export function actionOf(event: { kind: string; detail: Record<string, unknown> }): string {
  return event.kind === 'contact_logged' ? `contact_logged:${String(event.detail.outcome)}` : event.kind;
}

/** Whether the event meets an obligation: the right kind of action, recorded at or after the trigger. */
export function meets(
  obligation: { duty: Duty; triggeredAt: Date; state: ObligationState; triggerEventId?: number },
  event: { kind: string; occurredAt: Date; detail: Record<string, unknown> },
): boolean {
  if (obligation.state !== 'open' && obligation.state !== 'overdue') return false;
  if (event.occurredAt.getTime() < obligation.triggeredAt.getTime()) return false;
  // A case can have referrals out to several providers: only the answer to this one (naming the event that sent it)
  // meets this one's response duty.
  if (obligation.duty === 'provider_response' && event.detail.sentEventId !== obligation.triggerEventId) return false;
  // Likewise a case can carry complaints about several organisations: an answer names the event that received its
  // complaint (features/feedback), and meets only that complaint's duty.
  if (obligation.duty === 'complaint_response' && event.detail.receivedEventId !== obligation.triggerEventId) return false;
  // A delivered notification tells the victim about the one event it was sent for, so it meets only the duty that
  // event started; a successful call in the contact log can cover everything outstanding.
  if (event.kind === 'notification_delivered' && Number(event.detail.aboutEventId) !== obligation.triggerEventId) return false;
  return DUTY_DEFINITIONS[obligation.duty].metBy.includes(actionOf(event));
}

/** Does this duty's deadline depend on enhanced rights? Only those are re-timed when the status changes. */
export const dependsOnEnhanced = (settings: CodeClockSettings, duty: Duty): boolean => settings.deadlines[duty].enhancedWorkingDays !== undefined;

/** The new due time of an unmet obligation when enhanced status changes; undefined when it does not move. */
export function retimed(
  obligation: { duty: Duty; triggeredAt: Date; enhanced: boolean; state: ObligationState },
  enhanced: boolean,
  settings: CodeClockSettings,
  holidays: HolidayLookup,
): { workingDays: number; dueAt: Date } | undefined {
  if (obligation.state !== 'open' && obligation.state !== 'overdue') return undefined;
  if (obligation.enhanced === enhanced || !dependsOnEnhanced(settings, obligation.duty)) return undefined;
  const workingDays = workingDaysFor(settings, obligation.duty, enhanced);
  return { workingDays, dueAt: dueBy(obligation.triggeredAt, workingDays, holidays) };
}

/** A breach needs a reason a reader can follow, and only an unmet obligation can be breached. */
export function checkBreach(state: ObligationState, reason: string): { reason: string } | { errors: Record<string, string> } {
  if (state === 'met' || state === 'breached') return { errors: { reason: 'This duty is already closed' } };
  const trimmed = reason.trim();
  if (trimmed.length < 10) return { errors: { reason: 'Say why the duty was not met, in at least 10 characters' } };
  if (trimmed.length > 1000) return { errors: { reason: 'The reason must be 1,000 characters or fewer' } };
  return { reason: trimmed };
}

export const OBLIGATION_STATE_NAMES: Record<ObligationState, string> = { open: 'Due', met: 'Met', overdue: 'Overdue', breached: 'Not met' };

export const OWNER_KIND_NAMES: Record<OwnerKind, string> = {
  hub: 'Victim gateway (coordinator)',
  police: 'Police',
  witness_care: 'Witness care unit',
  prosecutor: 'Crown Prosecution Service',
  probation: 'Probation',
  named_organisation: 'The organisation complained about',
};

/** Whether the duty was met by its deadline: for the clock's display, and later the commissioner's compliance figures. */
export const metOnTime = (obligation: { state: ObligationState; metAt: Date | null; dueAt: Date }): boolean =>
  obligation.state === 'met' && obligation.metAt !== null && obligation.metAt.getTime() <= obligation.dueAt.getTime();

const STATE_TAG_CLASSES: Record<ObligationState, string> = { open: 'govuk-tag--blue', met: 'govuk-tag--green', overdue: 'govuk-tag--red', breached: 'govuk-tag--orange' };
const STATE_ORDER: Record<ObligationState, number> = { overdue: 0, open: 1, breached: 2, met: 3 };

/** A case's obligations as staff read them: overdue first, then due soonest, then the closed ones. */
export function clockRows<T extends { duty: Duty; state: ObligationState; dueAt: Date; metAt: Date | null; ownerKind: OwnerKind; ownerOrganisationName: string | null }>(obligations: readonly T[]) {
  return [...obligations]
    .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.dueAt.getTime() - b.dueAt.getTime())
    .map((obligation) => ({
      ...obligation,
      title: DUTY_DEFINITIONS[obligation.duty].title,
      right: DUTY_DEFINITIONS[obligation.duty].right,
      ownerName: obligation.ownerOrganisationName ?? OWNER_KIND_NAMES[obligation.ownerKind],
      stateName: OBLIGATION_STATE_NAMES[obligation.state],
      stateClass: STATE_TAG_CLASSES[obligation.state],
      dueIso: obligation.dueAt.toISOString(),
      onTime: metOnTime(obligation),
    }));
}
