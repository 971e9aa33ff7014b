// Use-cases of the victim's "My case" pages: the list of cases in reach, one case's page (timeline, hearings, support,
// Code rights) and a hearing's calendar file. Every case is authorised through portal-access (a case out of reach is
// a 404, and the refusal is audited), and every read of a case is audited under the portal account, never a name.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/identity.ts';
import { auditRowsFor, writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { NotFound } from '../../platform/http/domain-errors.ts';
import { translate, type Language } from '../../platform/views/i18n/catalogue.ts';
import { COURT_OUTCOME_KINDS, momentsReached, pendingMoments } from '../feedback/rules.ts';
import { casesInReach, portalCase, portalRefusalsAudited, readPortalCase, type ReachableCase } from '../portal-access/service.ts';
import { hearingCalendar } from '../special-measures/calendar.ts';
import { findHearingOfCase, listCases, readCasePage, type CasePageRecord, type PageReferral } from './repository.ts';
import {
  carePlanRow,
  caseLabel,
  caseStatusWords,
  hearingTypeWords,
  londonDateTime,
  reachWords,
  referralStatus,
  rightRows,
  timelineEntry,
  type Translate,
} from './rules.ts';

const translator = (language: Language): Translate => (key, values) => translate(language, key, values);

export type PortalCaseSummary = {
  caseId: string;
  label: string;
  reach: string | null;
  canAct: boolean;
  status: string;
  unread: number;
  unreadText: string;
};

const unreadText = (count: number, t: Translate): string =>
  count === 0 ? t('portalCase.cases.unread.none') : count === 1 ? t('portalCase.cases.unread.one') : t('portalCase.cases.unread.many', { count });

/** Every case the account reaches, its own first, in the victim's words; the view of the list is audited. */
export async function getPortalCases(db: Db, actor: Actor, language: Language = 'en'): Promise<PortalCaseSummary[]> {
  const t = translator(language);
  return inTransaction(db, async (trx) => {
    const reach = await casesInReach(trx, actor);
    const facts = new Map((await listCases(trx, reach.map((item) => item.caseId))).map((row) => [row.caseId, row]));
    await writeAudit(trx, actor, { action: 'portal.cases_listed', recordType: 'portal_account', recordId: actor.kind === 'victim' ? actor.victim.accountId : null, detail: { cases: reach.length } });
    return reach.flatMap((item) => {
      const row = facts.get(item.caseId);
      if (!row) return [];
      return [{
        caseId: item.caseId,
        label: caseLabel(row, language, t),
        reach: reachWords(item.relation, row.givenName, t),
        canAct: item.canAct,
        status: caseStatusWords(row.status, t),
        unread: row.unread,
        unreadText: unreadText(row.unread, t),
      }];
    });
  });
}

export type PortalCasePage = ReturnType<typeof shapePage>;

/**
 * One case's page, in one statement: the reach check, the page and its audit row ('portal.case_viewed', written only
 * for a case in reach). A case out of reach is a 404, audited as 'portal.access_refused'.
 */
export async function getPortalCase(db: Db, actor: Actor, caseId: unknown, language: Language = 'en', now = new Date()) {
  return portalRefusalsAudited(db, actor, caseId, 'case_page', async () => {
    const { reach, record } = await readPortalCase(actor, caseId, (reachSql) =>
      readCasePage(db, reachSql, now, (source) =>
        auditRowsFor(actor, { action: 'portal.case_viewed', recordType: 'case', source, recordId: sql.ref(`${source}.id`), detail: sql`jsonb_build_object('relation', ${sql.ref(`${source}.relation`)}::text)` }),
      ),
    );
    return shapePage(record, reach, language, now);
  });
}

/**
 * The key moments the victim may rate now (feedback/service.ts pendingFeedback's rule), from the page's own reading: a
 * closed referral is among the page's referrals and a court outcome on its victim-visible timeline. A supporter, who
 * may not act, is asked for nothing.
 */
function feedbackDue(record: CasePageRecord, reach: ReachableCase) {
  if (!reach.canAct) return [];
  const reached = momentsReached({
    caseStatus: record.status,
    successfulContact: record.successfulContact,
    referralClosed: record.referrals.some((referral) => referral.status === 'closed'),
    courtOutcome: record.timeline.some((event) => (COURT_OUTCOME_KINDS as readonly string[]).includes(event.kind)),
  });
  return pendingMoments(reached, record.feedbackGiven);
}

function shapePage(record: CasePageRecord, reach: ReachableCase, language: Language, now: Date) {
  const t = translator(language);
  const base = `/my-case/cases/${record.caseId}`;
  const serviceNameOf = (referral: PageReferral) => (language === 'cy' && referral.serviceWelshName) || referral.serviceName;
  const referrals = new Map(record.referrals.map((referral) => [referral.id, referral]));
  const actions = new Map(record.carePlan.map((action) => [action.id, action]));
  return {
    caseId: record.caseId,
    label: caseLabel(record, language, t),
    reach: reachWords(reach.relation, record.givenName, t),
    canAct: reach.canAct,
    status: caseStatusWords(record.status, t),
    unreadText: unreadText(record.unread, t),
    links: { messages: `${base}/messages`, complaint: `${base}/complaint` },
    timeline: record.timeline.map((event) => {
      // Events name their referral or care plan action by id; both are on the page already (see readCasePage).
      const referral = typeof event.detail.referralId === 'string' ? referrals.get(event.detail.referralId) : undefined;
      const action = typeof event.detail.actionId === 'string' ? actions.get(event.detail.actionId) : undefined;
      return timelineEntry({ ...event, serviceName: referral ? serviceNameOf(referral) : null, actionDescription: action?.description ?? null }, language, t);
    }),
    hearings: record.hearings.map((hearing) => {
      const type = hearingTypeWords(hearing.hearingType, t);
      const when = londonDateTime(hearing.hearingAt, language);
      return { type, when, iso: hearing.hearingAt.toISOString(), court: hearing.courtName, calendarUrl: `${base}/hearings/${hearing.id}/calendar.ics`, calendarFor: t('portalCase.hearings.calendarFor', { type, date: when }) };
    }),
    coordinator: record.coordinator ? t('portalCase.support.coordinator', { name: record.coordinator.name, organisation: record.coordinator.organisation }) : null,
    referrals: record.referrals.map((referral) => ({
      service: serviceNameOf(referral),
      organisation: referral.organisationName,
      status: referralStatus(referral.status, t),
    })),
    carePlan: record.carePlan.map((action) => carePlanRow(action, language, t)),
    enhanced: record.enhanced,
    rights: rightRows(record.obligations, language, now, t),
    pendingFeedback: feedbackDue(record, reach),
  };
}

/** A hearing of a case in reach as an .ics file; a hearing of any other case is a 404, as an unknown one is. */
export async function getHearingCalendar(db: Db, actor: Actor, caseId: unknown, hearingId: unknown, language: Language = 'en', now = new Date()): Promise<{ filename: string; body: string }> {
  return portalRefusalsAudited(db, actor, caseId, 'hearing_calendar', async () => {
    const reach = await portalCase(db, actor, caseId);
    if (!isUuid(hearingId)) throw new NotFound('hearing');
    return inTransaction(db, async (trx) => {
      const hearing = await findHearingOfCase(trx, reach.caseId, hearingId.toLowerCase());
      if (!hearing) throw new NotFound('hearing');
      await writeAudit(trx, actor, { action: 'portal.hearing_calendar_downloaded', recordType: 'case', recordId: reach.caseId, detail: { hearingId: hearing.id } });
      const body = hearingCalendar({ id: hearing.id, hearingAt: hearing.hearingAt, courtName: hearing.courtName, hearingTypeName: hearingTypeWords(hearing.hearingType, translator(language)) }, now);
      // The file name says what it is and nothing about whose it is.
      return { filename: 'court-hearing.ics', body };
    });
  });
}
