// Pure rules for the victim's "My case" pages: which catalogue words describe each timeline event, Code right, referral,
// care plan action and hearing, and whether each promise was kept on time. No I/O: the words come through the
// translator the caller passes (the portal's catalogue, in the victim's language).
import type { CaseStatus, HearingType, SupportReferralStatus } from '../../platform/db/schema.ts';
import { isCaseUpdateType } from '../case-updates/rules.ts';
import { plainWords } from '../case-updates/plain-words.ts';
import type { Relation } from '../portal-access/rules.ts';

export type Language = 'en' | 'cy';
export type Translate = (key: string, values?: Record<string, string | number>) => string;

// ---- Dates, in GOV.UK style and the victim's language ----

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: Language, withWeekday: boolean): Intl.DateTimeFormat {
  const key = `${language}:${withWeekday}`;
  let made = formatters.get(key);
  if (!made) {
    // One formatter per language and shape for the process: building one per date is a measurable part of a page.
    made = new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', {
      timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', ...(withWeekday ? { weekday: 'long' } : {}),
    });
    formatters.set(key, made);
  }
  return made;
}
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "22 November 2026" (or "Dydd Sul 22 Tachwedd 2026" with the weekday), without the commas ICU may add. */
export function londonDate(instant: Date, language: Language, withWeekday = false): string {
  return formatter(language, withWeekday)
    .formatToParts(instant)
    .map((part) => (part.type === 'literal' ? ' ' : part.value))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Tuesday 12 January 2027 at 10am", "… at 2:30pm" (GOV.UK style), or the Welsh "… am 10am". */
export function londonDateTime(instant: Date, language: Language): string {
  const [hour = 0, minute = 0] = LONDON_TIME.format(instant).split(':').map(Number);
  const time = `${hour % 12 || 12}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
  return `${londonDate(instant, language, true)} ${language === 'cy' ? 'am' : 'at'} ${time}`;
}

/** A date column ('YYYY-MM-DD') as the same written date; it names a day, not an instant, so it is read at noon UTC. */
export const calendarDay = (date: string, language: Language): string => londonDate(new Date(`${date}T12:00:00Z`), language);

// ---- The case as the victim's list names it ----

/** Crime categories the police send (features/intake/offence-codes.ts), each with a short, neutral label. */
const OFFENCE_LABELS: Record<string, string> = {
  'Violence against the person': 'violence',
  'Sexual offences': 'sexual',
  Robbery: 'robbery',
  'Theft offences': 'theft',
  'Criminal damage and arson': 'damage',
  'Public order offences': 'publicOrder',
  Fraud: 'fraud',
  'Possession of weapons offences': 'weapons',
  'Miscellaneous crimes against society': 'other',
};

export type CaseLabelFacts = { offenceCategory: string | null; reportedAt: Date | null; openedAt: Date };

/** "Theft, reported on 3 March 2026", or "Your case, opened on …" when the crime or its category is not known. */
export function caseLabel(facts: CaseLabelFacts, language: Language, t: Translate): string {
  const label = facts.offenceCategory ? OFFENCE_LABELS[facts.offenceCategory.trim()] : undefined;
  const what = t(label ? `portalCase.offence.${label}` : 'portalCase.offence.unknown');
  return facts.reportedAt
    ? t('portalCase.label.reported', { what, date: londonDate(facts.reportedAt, language) })
    : t('portalCase.label.opened', { what, date: londonDate(facts.openedAt, language) });
}

/** Whose case it is, for an account that reaches it through a link; nothing for the victim's own case. */
export function reachWords(relation: Relation, givenName: string, t: Translate): string | null {
  if (relation === 'parent_or_carer') return t('portalCase.reach.actingFor', { name: givenName });
  if (relation === 'supporter') return t('portalCase.reach.supporting', { name: givenName });
  return null;
}

export const caseStatusWords = (status: CaseStatus, t: Translate): string => t(`portalCase.caseStatus.${status}`);

// ---- The timeline ----

export type TimelineFacts = {
  kind: string;
  /** The plain words stored with the event (English), kept for kinds the catalogue does not know. */
  summary: string;
  detail: Record<string, unknown>;
  occurredAt: Date;
  /** Names read alongside the event: the support service a referral event names, the organisation a consent names… */
  serviceName: string | null;
  organisationName: string | null;
  actionDescription: string | null;
};

export type TimelineEntry = { title: string; meaning: string | null; next: string | null; facts: { label: string; value: string }[]; note: string | null; when: string; iso: string };

/** Victim-visible kinds other than agency updates, whose words are in the portal's catalogue. */
export const OTHER_EVENT_KINDS = [
  'referral_received',
  'coordinator_assigned',
  'service_referral_sent',
  'service_referral_summary_approved',
  'service_referral_accepted',
  'service_referral_declined',
  'service_referral_no_capacity',
  'service_referral_started',
  'service_referral_closed',
  'service_referral_returned',
  'care_plan_action_done',
  'message_to_victim',
  'consent_recorded',
  'consent_withdrawn',
] as const;
const OTHER_KINDS: ReadonlySet<string> = new Set(OTHER_EVENT_KINDS);

/** One victim-visible event in plain words, with what happens next, in the victim's language. */
export function timelineEntry(event: TimelineFacts, language: Language, t: Translate): TimelineEntry {
  const when = londonDate(event.occurredAt, language);
  const iso = event.occurredAt.toISOString();
  if (isCaseUpdateType(event.kind)) {
    // Agency updates read exactly as the officer's preview and the notification did (features/case-updates).
    const note = typeof event.detail.personalNote === 'string' && event.detail.personalNote.trim() ? event.detail.personalNote : null;
    // The hearing's date and time is written here with the cached formatters: plain-words builds two formatters a call,
    // which showed in the page's profile; the words are the same.
    const { hearingAt, ...detail } = event.detail;
    const words = plainWords(event.kind, language, detail);
    const at = typeof hearingAt === 'string' ? new Date(hearingAt) : undefined;
    const facts = at && !Number.isNaN(at.getTime()) ? [{ label: t('portalCase.timeline.dateAndTime'), value: londonDateTime(at, language) }, ...words.facts] : words.facts;
    return { title: words.title, meaning: words.meaning, next: words.next, facts, note, when, iso };
  }
  if (OTHER_KINDS.has(event.kind)) {
    const values = {
      service: event.serviceName ?? t('portalCase.event.aSupportService'),
      organisation: event.organisationName ?? t('portalCase.event.anOrganisation'),
    };
    const facts = event.kind === 'care_plan_action_done' && event.actionDescription ? [{ label: t('portalCase.event.whatWasAgreed'), value: event.actionDescription }] : [];
    return { title: t(`portalCase.event.${event.kind}.title`, values), meaning: null, next: t(`portalCase.event.${event.kind}.next`, values), facts, note: null, when, iso };
  }
  // A kind added later: the stored summary is written to be read by the victim (cases/service.ts), so it is shown as it
  // is, under a title in their language.
  return { title: t('portalCase.event.other.title'), meaning: event.summary, next: null, facts: [], note: null, when, iso };
}

// ---- Upcoming hearings ----

export const hearingTypeWords = (type: HearingType, t: Translate): string => t(`portalCase.hearingType.${type}`);

// ---- My support ----

/** Referrals the victim sees: a draft was never sent and a cancelled one never left the hub. */
export const VISIBLE_REFERRAL_STATUSES: readonly SupportReferralStatus[] = ['sent', 'accepted', 'in_progress', 'declined', 'no_capacity', 'returned', 'closed'];

const REFERRAL_TAGS: Record<SupportReferralStatus, string> = {
  draft: 'grey', cancelled: 'grey', sent: 'blue', accepted: 'green', in_progress: 'green', declined: 'orange', no_capacity: 'orange', returned: 'yellow', closed: 'grey',
};

export function referralStatus(status: SupportReferralStatus, t: Translate): { text: string; colour: string } {
  return { text: t(`portalCase.referralStatus.${status}`), colour: REFERRAL_TAGS[status] };
}

export type CarePlanFacts = { description: string; ownerKind: 'organisation' | 'victim'; ownerOrganisationName: string | null; dueDate: string; status: 'agreed' | 'done' | 'cancelled'; doneAt: Date | null };

/** Who does it, by when, and whether it is done; the description is the coordinator's own words. */
export function carePlanRow(action: CarePlanFacts, language: Language, t: Translate) {
  const who = action.ownerKind === 'victim' ? t('portalCase.carePlan.you') : (action.ownerOrganisationName ?? t('portalCase.carePlan.yourSupport'));
  const done = action.status === 'done';
  return {
    description: action.description,
    who,
    by: calendarDay(action.dueDate, language),
    status: { text: t(done ? 'portalCase.carePlan.done' : 'portalCase.carePlan.agreed'), colour: done ? 'green' : 'blue' },
    doneOn: done && action.doneAt ? t('portalCase.carePlan.doneOn', { date: londonDate(action.doneAt, language) }) : null,
  };
}

// ---- My Code rights ----

/** The Code's duties (features/obligations/rules.ts DUTIES), each as a right of the victim's. */
export const RIGHT_DUTIES = [
  'needs_assessment', 'support_referral', 'investigation_update', 'charge_update', 'prosecution_update', 'hearing_update',
  'special_measures_update', 'outcome_update', 'victim_contact_scheme_referral', 'complaint_response', 'provider_response',
] as const;
const KNOWN_DUTIES: ReadonlySet<string> = new Set(RIGHT_DUTIES);

export const RIGHT_STATUSES = ['kept', 'late', 'due', 'overdue', 'not_kept'] as const;
export type RightStatus = (typeof RIGHT_STATUSES)[number];
export type ObligationFacts = { duty: string; ownerKind: string; ownerOrganisationName: string | null; workingDays: number; state: 'open' | 'met' | 'overdue' | 'breached'; dueAt: Date; metAt: Date | null };

/**
 * Whether the promise was kept: met by its deadline ('kept'), met after it ('late'), still open before it ('due') or
 * past it ('overdue', even before the clock's sweep has marked it), or closed as not met ('not_kept').
 */
export function rightStatus(obligation: Pick<ObligationFacts, 'state' | 'dueAt' | 'metAt'>, now: Date): RightStatus {
  switch (obligation.state) {
    case 'met':
      return obligation.metAt !== null && obligation.metAt.getTime() <= obligation.dueAt.getTime() ? 'kept' : 'late';
    case 'breached':
      return 'not_kept';
    case 'overdue':
      return 'overdue';
    case 'open':
      return obligation.dueAt.getTime() < now.getTime() ? 'overdue' : 'due';
  }
}

const RIGHT_TAGS: Record<RightStatus, string> = { kept: 'green', late: 'orange', due: 'blue', overdue: 'red', not_kept: 'red' };
// Open promises first (the late ones at the top), then the closed ones.
const RIGHT_ORDER: Record<RightStatus, number> = { overdue: 0, due: 1, not_kept: 2, late: 3, kept: 4 };

const OWNER_KINDS: ReadonlySet<string> = new Set(['hub', 'police', 'witness_care', 'prosecutor', 'probation']);

/** "You should be told about a charge within 1 working day", who owes it, and whether it was kept. */
export function rightRow(obligation: ObligationFacts, language: Language, now: Date, t: Translate) {
  const within = t(obligation.workingDays === 1 ? 'portalCase.rights.withinOne' : 'portalCase.rights.withinMany', { count: obligation.workingDays });
  const status = rightStatus(obligation, now);
  const due = londonDate(obligation.dueAt, language);
  const owner = OWNER_KINDS.has(obligation.ownerKind)
    ? t(`portalCase.owner.${obligation.ownerKind}`)
    : (obligation.ownerOrganisationName ?? t('portalCase.owner.other'));
  return {
    right: t(KNOWN_DUTIES.has(obligation.duty) ? `portalCase.right.${obligation.duty}` : 'portalCase.right.other', { within }),
    owner,
    status: { key: status, text: t(`portalCase.rightStatus.${status}`), colour: RIGHT_TAGS[status] },
    when: status === 'kept' || status === 'late'
      ? t('portalCase.rights.doneOn', { date: obligation.metAt ? londonDate(obligation.metAt, language) : due })
      : status === 'not_kept' ? t('portalCase.rights.wasDue', { date: due }) : t(status === 'due' ? 'portalCase.rights.dueBy' : 'portalCase.rights.wasDue', { date: due }),
    order: RIGHT_ORDER[status],
    dueAt: obligation.dueAt.getTime(),
  };
}

export function rightRows(obligations: readonly ObligationFacts[], language: Language, now: Date, t: Translate) {
  return obligations.map((obligation) => rightRow(obligation, language, now, t)).sort((a, b) => a.order - b.order || a.dueAt - b.dueAt);
}
