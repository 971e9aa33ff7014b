// Pure rules of "My data": the audit trail told in plain words for a victim, not an auditor (who, by organisation and
// role and never by name, and what, as a sentence), grouped by day; the page number; and the words the export and the
// consents page use. No I/O.
import type { Language } from '../../platform/views/i18n/catalogue.ts';
import { STAFF_ROLES, type StaffRole } from '../../platform/db/schema.ts';
import { portalDataMessages } from './messages.ts';

export const TRAIL_PAGE_SIZE = 50;
/** Far enough for any real record; a larger number is a typed URL and gets the last page's emptiness, not an error. */
export const MAX_TRAIL_PAGE = 10_000;

/** Reads ?page=N: a whole number from 1, anything else is page 1. */
export function pageNumber(value: unknown): number {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,6}$/.test(text)) return 1;
  return Math.min(Math.max(Number(text), 1), MAX_TRAIL_PAGE);
}

/** What happened, by audit action, as the key of a sentence under portalData.did. */
const ACTIONS: Record<string, string> = {
  'case.viewed': 'lookedAtCase',
  'case.timeline_viewed': 'lookedAtCase',
  'case.triage_viewed': 'lookedAtCase',
  'referral.viewed': 'lookedAtCase',
  'case.opened': 'openedCase',
  'referral.received': 'openedCase',
  'self_referral.received': 'openedCase',
  'case.contact_logged': 'recordedContact',
  'case.coordinator_assigned': 'assignedCoordinator',
  'case.status_changed': 'changedStatus',
  'case.offence_classified': 'recordedOffence',
  'crime.offence_classified': 'recordedOffence',
  'crime.created': 'recordedCrime',
  'case.access_refused': 'refused',
  'portal.access_refused': 'refused',
  'portal.data_access_refused': 'refused',
  'support_referral.access_refused': 'refused',
  'case_message.thread_viewed': 'readMessages',
  'case_message.thread_viewed_by_victim': 'readMessages',
  'case_message.sent': 'sentMessage',
  'case_message.received': 'messageFromPortal',
  'consent.viewed': 'lookedAtConsents',
  'consent.form_viewed': 'lookedAtConsents',
  'portal.consents_viewed': 'lookedAtConsents',
  'consent.recorded': 'recordedConsent',
  'consent.withdrawn': 'withdrewConsent',
  'person.safe_contact_changed': 'changedContact',
  'person.created': 'createdRecord',
  'person.merged': 'mergedRecords',
  'person.merge_undone': 'separatedRecords',
  'assessment.viewed': 'lookedAtAssessment',
  'assessment.form_viewed': 'lookedAtAssessment',
  'assessment.completed': 'recordedAssessment',
  'care_plan.viewed': 'lookedAtPlan',
  'care_plan.form_viewed': 'lookedAtPlan',
  'care_plan.action_viewed': 'lookedAtPlan',
  'care_plan.action_added': 'changedPlan',
  'support_referral.viewed': 'lookedAtReferral',
  'support_referral.listed': 'lookedAtReferral',
  'support_referral.form_viewed': 'lookedAtReferral',
  'support_referral.drafted': 'referred',
  'support_referral.sent': 'referred',
  'support_referral.cancelled': 'closedReferral',
  'support_referral.closed': 'closedReferral',
  'support_referral.summary_approved': 'approvedSummary',
  'support_referral.message_sent': 'wroteAboutSupport',
  'timeline_event.appended': 'updatedHistory',
  'code_clock.viewed': 'checkedDeadlines',
  'obligations.started': 'checkedDeadlines',
  'obligations.met': 'checkedDeadlines',
  'obligations.retimed': 'checkedDeadlines',
  'obligation.overdue': 'missedDeadline',
  'obligation.breached': 'missedDeadline',
  'entitlements.viewed': 'lookedAtRights',
  'entitlements.decided': 'decidedRights',
  'entitlement.added': 'decidedRights',
  'entitlement.withdrawn': 'decidedRights',
  'entitlement.victim_view_recorded': 'decidedRights',
  'special_measures.viewed': 'lookedAtCourt',
  'special_measures.form_viewed': 'lookedAtCourt',
  'pre_court_review.viewed': 'lookedAtCourt',
  'special_measures.recorded': 'recordedCourt',
  'hearings.viewed': 'lookedAtHearings',
  'hearing.form_viewed': 'lookedAtHearings',
  'hearing.recorded': 'recordedHearing',
  'hearing.calendar_downloaded': 'downloadedHearing',
  'notification.sent': 'notified',
  'notification.delivered': 'notified',
  'notification.withheld': 'heldBackNotification',
  'case_task.raised': 'workedOnTask',
  'case_task.completed': 'workedOnTask',
  'support_options.viewed': 'lookedAtSupportOptions',
  'portal.data_exported': 'downloadedData',
};

/** The sentence key for an audit action; unknown reads are "looked at your record", anything else is neutral. */
export function actionSentenceKey(action: string): string {
  const known = ACTIONS[action];
  if (known) return `portalData.did.${known}`;
  // care_plan.action_done, care_plan.action_cancelled and any step added later change the plan.
  if (action.startsWith('care_plan.action_')) return 'portalData.did.changedPlan';
  if (/(^|[._])viewed$|\.listed$/.test(action)) return 'portalData.did.lookedAtRecord';
  return 'portalData.did.neutral';
}

/** One row of the audit trail as the repository reads it: never the actor's user id or name. */
export type TrailRow = { id: number; at: Date; actorLabel: string; organisationName: string | null; action: string };

export type Who =
  | { kind: 'staff'; role: StaffRole | null; organisationName: string | null }
  | { kind: 'system' }
  | { kind: 'api'; organisationName: string | null }
  | { kind: 'public' }
  | { kind: 'portal' }
  | { kind: 'unknown' };

const isRole = (value: string): value is StaffRole => (STAFF_ROLES as readonly string[]).includes(value);

/**
 * Who acted, from the audit row's label (writer.ts: 'staff:<role>', 'system:<label>', 'api:<client>', 'public',
 * 'portal:<account>') and the organisation it records. The staff member's name is never read.
 */
export function whoOf(row: Pick<TrailRow, 'actorLabel' | 'organisationName'>): Who {
  const [kind, rest = ''] = row.actorLabel.split(/:(.*)/s);
  switch (kind) {
    case 'staff':
      return { kind: 'staff', role: isRole(rest) ? rest : null, organisationName: row.organisationName };
    case 'system':
      return { kind: 'system' };
    case 'api':
      return { kind: 'api', organisationName: row.organisationName };
    case 'public':
      return { kind: 'public' };
    case 'portal':
      return { kind: 'portal' };
    default:
      return { kind: 'unknown' };
  }
}

type Text = Record<string, string>;
const catalogueOf = (language: Language): Text => portalDataMessages[language];
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
const say = (language: Language, key: string, values: Record<string, string> = {}) => fill(catalogueOf(language)[key] ?? portalDataMessages.en[key] ?? key, values);

export function roleInPlainWords(role: StaffRole | null, language: Language): string {
  return say(language, `portalData.role.${role ?? 'unknown'}`);
}

export function whoInPlainWords(who: Who, language: Language): string {
  switch (who.kind) {
    case 'staff': {
      const role = roleInPlainWords(who.role, language);
      return who.organisationName ? say(language, 'portalData.who.staff', { organisation: who.organisationName, role }) : say(language, 'portalData.who.staffHaven', { role });
    }
    case 'api':
      return who.organisationName ? say(language, 'portalData.who.api', { organisation: who.organisationName }) : say(language, 'portalData.who.apiUnknown');
    default:
      return say(language, `portalData.who.${who.kind}`);
  }
}

/** The whole sentence: "Someone at West Yorkshire Police (police officer) looked at your case". */
export function describeTrailRow(row: TrailRow, language: Language): string {
  const sentence = say(language, actionSentenceKey(row.action), { who: whoInPlainWords(whoOf(row), language) });
  // The Welsh "who" phrases are written for the middle of a sentence; whichever starts one gets a capital.
  return sentence.charAt(0).toLocaleUpperCase(language) + sentence.slice(1);
}

const LOCALE: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' };
const dayFormats = new Map<Language, Intl.DateTimeFormat>();
const timeFormats = new Map<Language, Intl.DateTimeFormat>();

export function londonDay(at: Date, language: Language): string {
  let format = dayFormats.get(language);
  if (!format) dayFormats.set(language, (format = new Intl.DateTimeFormat(LOCALE[language], { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })));
  // GOV.UK style has no commas: "Thursday 2 July 2026", "Dydd Iau 2 Gorffennaf 2026".
  return format
    .formatToParts(at)
    .filter((part) => part.type !== 'literal')
    .map((part) => part.value)
    .join(' ');
}

export function londonTime(at: Date, language: Language): string {
  let format = timeFormats.get(language);
  if (!format) timeFormats.set(language, (format = new Intl.DateTimeFormat(LOCALE[language], { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hour12: false })));
  return format.format(at);
}

export type TrailDay = { day: string; entries: { time: string; sentence: string }[] };

/** Rows newest first into days (Europe/London), each entry a time and a sentence. */
export function groupByDay(rows: readonly TrailRow[], language: Language): TrailDay[] {
  const days: TrailDay[] = [];
  for (const row of rows) {
    const day = londonDay(row.at, language);
    let current = days.at(-1);
    if (!current || current.day !== day) days.push((current = { day, entries: [] }));
    current.entries.push({ time: londonTime(row.at, language), sentence: describeTrailRow(row, language) });
  }
  return days;
}

/** Whether the audit trail's row belongs to the viewer themselves, whose own actions the page leaves out. */
export const ownLabel = (accountId: string): string => `portal:${accountId}`;
