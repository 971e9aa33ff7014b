// SQL for the victim's "My case" pages. The case page is one statement returning JSON, as the staff case page is
// (features/cases/repository.ts viewCasePage): it starts from the account's reach of the case (portal-access
// reachOfCase), each section is a scalar subquery on an index that starts with case_id, and the audit row is written
// by the same statement, so the page, its reach check and its audit cost one round trip.
import { sql, type RawBuilder } from 'kysely';
import type { CaseStatus, FeedbackMoment, HearingType, SupportReferralStatus } from '../../platform/db/schema.ts';
import type { ReachRow } from '../portal-access/service.ts';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import { VISIBLE_REFERRAL_STATUSES } from './rules.ts';

const at = (value: string): Date => new Date(value);
const atOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));

export type CaseListRow = {
  caseId: string;
  status: CaseStatus;
  openedAt: Date;
  givenName: string;
  offenceCategory: string | null;
  reportedAt: Date | null;
  unread: number;
};

/** The cases' list facts and unread message counts, for ids already in the account's reach. */
export async function listCases(db: Db | Trx, caseIds: readonly string[]): Promise<CaseListRow[]> {
  if (!caseIds.length) return [];
  const { rows } = await sql<{ id: string; status: CaseStatus; created_at: Date; given_name: string; offence_category: string | null; reported_at: Date | null; unread: number }>`
    select c.id, c.status, c.created_at, p.given_name, cr.offence_category, cr.reported_at,
      (select count(*) from case_message m where m.case_id = c.id and m.direction = 'to_victim' and m.read_at is null)::int as unread
    from victim_case c
    join person p on p.id = c.person_id
    left join crime cr on cr.id = c.crime_id
    where c.id = any(${[...caseIds]}::uuid[])`.execute(db);
  return rows.map((row) => ({
    caseId: row.id,
    status: row.status,
    openedAt: new Date(row.created_at),
    givenName: row.given_name,
    offenceCategory: row.offence_category,
    reportedAt: row.reported_at === null ? null : new Date(row.reported_at),
    unread: Number(row.unread),
  }));
}

export type PageEvent = {
  id: number;
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
  occurredAt: Date;
  /** The organisation a consent event names; a referral's service and a care plan action are in their own sections. */
  organisationName: string | null;
};
export type PageHearing = { id: string; hearingAt: Date; courtName: string; hearingType: HearingType };
export type PageReferral = { id: string; status: SupportReferralStatus; organisationName: string; serviceName: string; serviceWelshName: string | null };
export type PageCarePlanAction = { id: string; description: string; ownerKind: 'organisation' | 'victim'; ownerOrganisationName: string | null; dueDate: string; status: 'agreed' | 'done'; doneAt: Date | null };
export type PageObligation = { id: string; duty: string; ownerKind: string; ownerOrganisationName: string | null; workingDays: number; state: 'open' | 'met' | 'overdue' | 'breached'; dueAt: Date; metAt: Date | null };

export type CasePageRecord = {
  caseId: string;
  status: CaseStatus;
  openedAt: Date;
  givenName: string;
  offenceCategory: string | null;
  reportedAt: Date | null;
  coordinator: { name: string; organisation: string } | null;
  enhanced: boolean;
  unread: number;
  /** Victim-visible events only, newest first. */
  timeline: PageEvent[];
  /** Hearings from `now` on, soonest first. */
  hearings: PageHearing[];
  referrals: PageReferral[];
  carePlan: PageCarePlanAction[];
  obligations: PageObligation[];
  /** A successful contact in the contact log, for the feedback moments (feedback/rules.ts momentsReached). */
  successfulContact: boolean;
  /** The moments the victim has rated already. */
  feedbackGiven: FeedbackMoment[];
};

type Row = {
  reach_case_id: string;
  reach_person_id: string;
  reach_area_id: string;
  relation: ReachRow['relation'];
  successful_contact: boolean;
  feedback_given: FeedbackMoment[];
  id: string;
  status: CaseStatus;
  created_at: Date | string;
  given_name: string;
  crime: { offence_category: string | null; reported_at: string | null } | null;
  coordinator: { name: string; organisation: string } | null;
  enhanced: boolean;
  unread: number;
  timeline: { id: number; kind: string; summary: string; detail: Record<string, unknown>; occurred_at: string; organisation_name: string | null }[];
  hearings: { id: string; hearing_at: string; court_name: string; hearing_type: HearingType }[];
  referrals: { id: string; status: SupportReferralStatus; organisation_name: string; service_name: string; service_welsh_name: string | null }[];
  care_plan: { id: string; description: string; owner_kind: 'organisation' | 'victim'; owner_organisation_name: string | null; due_date: string; status: 'agreed' | 'done'; done_at: string | null }[];
  obligations: { id: string; duty: string; owner_kind: string; owner_organisation_name: string | null; working_days: number; state: 'open' | 'met' | 'overdue' | 'breached'; due_at: string; met_at: string | null }[];
};

// Ids named in an event's detail are read only when they are uuids, so a malformed detail cannot fail the page's cast.
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * Everything the victim's case page shows, for the case `reach` finds (portal-access reachOfCase: one row or none),
 * with the audit row `audit` builds over the `found` row; nothing is read or audited when the case is out of reach.
 * The reach row comes back beside the page, for the service to apply the rule. The timeline holds victim-visible
 * events only: the filter is here, in SQL, so a staff-only event never leaves the database for this page. The
 * organisation a consent event names is read by key beside it; the service a referral event names and the action a care
 * plan event names are in the page's own referrals and care plan sections, so the service joins them up rather than
 * this statement planning more subqueries (planning, not running, is most of this statement's time). For the same
 * reason the feedback moments read only what the page does not hold already (a successful contact, the moments rated).
 */
export async function readCasePage(db: Db, reach: RawBuilder<ReachRow>, now: Date, audit: (source: string) => RawBuilder<unknown>): Promise<{ reach: ReachRow; record: CasePageRecord } | undefined> {
  const { rows } = await sql<Row>`
    with found as (
      select r.case_id as reach_case_id, r.person_id as reach_person_id, r.area_id as reach_area_id, r.relation,
        c.id, c.person_id, c.crime_id, c.status, c.created_at, c.coordinator_user_id
      from (${reach}) r join victim_case c on c.id = r.case_id
    ),
    viewed as (${audit('found')})
    select found.id, found.status, found.created_at,
      (select p.given_name from person p where p.id = found.person_id) as given_name,
      (select json_build_object('offence_category', cr.offence_category, 'reported_at', cr.reported_at) from crime cr where cr.id = found.crime_id) as crime,
      (select json_build_object('name', s.display_name, 'organisation', o.name) from staff_user s join organisation o on o.id = s.organisation_id
        where s.id = found.coordinator_user_id) as coordinator,
      exists (select 1 from entitlement_decision d where d.case_id = found.id and d.withdrawn_at is null) as enhanced,
      (select count(*) from case_message m where m.case_id = found.id and m.direction = 'to_victim' and m.read_at is null)::int as unread,
      (select coalesce(json_agg(json_build_object(
          'id', e.id, 'kind', e.kind, 'summary', e.summary, 'detail', e.detail, 'occurred_at', e.occurred_at,
          'organisation_name', case when e.kind in ('consent_recorded', 'consent_withdrawn') and e.detail->>'recipientOrganisationId' ~ ${UUID} then
            (select o.name from organisation o where o.id = (e.detail->>'recipientOrganisationId')::uuid) end
        ) order by e.occurred_at desc, e.id desc), '[]')
        from timeline_event e where e.case_id = found.id and e.visibility = 'victim') as timeline,
      (select coalesce(json_agg(json_build_object('id', h.id, 'hearing_at', h.hearing_at, 'court_name', h.court_name, 'hearing_type', h.hearing_type)
          order by h.hearing_at, h.id), '[]')
        from hearing h where h.case_id = found.id and h.hearing_at >= ${now}::timestamptz) as hearings,
      (select coalesce(json_agg(json_build_object('id', r.id, 'status', r.status, 'organisation_name', o.name, 'service_name', sv.name, 'service_welsh_name', sv.welsh_name)
          order by r.created_at desc, r.id), '[]')
        from support_referral r join organisation o on o.id = r.organisation_id join organisation_service sv on sv.id = r.service_id
        where r.case_id = found.id and r.status = any(${[...VISIBLE_REFERRAL_STATUSES]}::text[])) as referrals,
      (select coalesce(json_agg(json_build_object('id', a.id, 'description', a.description, 'owner_kind', a.owner_kind,
          'owner_organisation_name', (select o.name from organisation o where o.id = a.owner_organisation_id),
          'due_date', a.due_date, 'status', a.status, 'done_at', a.done_at) order by a.due_date, a.id), '[]')
        from care_plan_action a where a.case_id = found.id and a.status in ('agreed', 'done')) as care_plan,
      (select coalesce(json_agg(json_build_object('id', b.id, 'duty', b.duty, 'owner_kind', b.owner_kind,
          'owner_organisation_name', (select o.name from organisation o where o.id = b.owner_organisation_id),
          'working_days', b.working_days, 'state', b.state, 'due_at', b.due_at, 'met_at', b.met_at) order by b.due_at, b.id), '[]')
        from obligation b where b.case_id = found.id) as obligations,
      exists (select 1 from contact_log l where l.case_id = found.id and l.outcome = 'successful') as successful_contact,
      (select coalesce(json_agg(f.moment), '[]') from victim_feedback f where f.case_id = found.id) as feedback_given,
      found.reach_case_id, found.reach_person_id, found.reach_area_id, found.relation
    from found`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const record: CasePageRecord = {
    caseId: row.id,
    status: row.status,
    openedAt: new Date(row.created_at),
    givenName: row.given_name,
    offenceCategory: row.crime?.offence_category ?? null,
    reportedAt: atOrNull(row.crime?.reported_at ?? null),
    coordinator: row.coordinator,
    enhanced: row.enhanced,
    unread: Number(row.unread),
    timeline: row.timeline.map((event) => ({
      id: event.id,
      kind: event.kind,
      summary: event.summary,
      detail: event.detail,
      occurredAt: at(event.occurred_at),
      organisationName: event.organisation_name,
    })),
    hearings: row.hearings.map((hearing) => ({ id: hearing.id, hearingAt: at(hearing.hearing_at), courtName: hearing.court_name, hearingType: hearing.hearing_type })),
    referrals: row.referrals.map((referral) => ({
      id: referral.id, status: referral.status, organisationName: referral.organisation_name, serviceName: referral.service_name, serviceWelshName: referral.service_welsh_name,
    })),
    carePlan: row.care_plan.map((action) => ({
      id: action.id, description: action.description, ownerKind: action.owner_kind, ownerOrganisationName: action.owner_organisation_name,
      dueDate: action.due_date, status: action.status, doneAt: atOrNull(action.done_at),
    })),
    obligations: row.obligations.map((obligation) => ({
      id: obligation.id, duty: obligation.duty, ownerKind: obligation.owner_kind, ownerOrganisationName: obligation.owner_organisation_name,
      workingDays: obligation.working_days, state: obligation.state, dueAt: at(obligation.due_at), metAt: atOrNull(obligation.met_at),
    })),
    successfulContact: row.successful_contact,
    feedbackGiven: row.feedback_given,
  };
  return { reach: { case_id: row.reach_case_id, person_id: row.reach_person_id, area_id: row.reach_area_id, relation: row.relation }, record };
}

/** One hearing of one case; nothing when the hearing belongs to another case. */
export async function findHearingOfCase(db: Db | Trx, caseId: string, hearingId: string): Promise<PageHearing | undefined> {
  const row = await db
    .selectFrom('hearing')
    .select(['id', 'hearing_at', 'court_name', 'hearing_type'])
    .where('id', '=', hearingId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return row && { id: row.id, hearingAt: row.hearing_at, courtName: row.court_name, hearingType: row.hearing_type };
}
