// All SQL of referrals to providers' services. Two kinds of reader use it:
// - the hub, whose service has already authorised the case, reads a case's referrals in full;
// - a provider, whose every query names its own organisation and reads the person and case only where the consent
//   ledger has a support-referral consent in force (consentInForce). No provider page or API can forget the check,
//   because there is no provider query here without it.
import { sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { SupportReferralNoteKind, SupportReferralStatus, SupportReferralTable } from '../../platform/db/schema.ts';
// The ledger's check, as SQL, owned by the consent feature and embedded here.
import { consentInForce } from '../consent/repository.ts';
import type { SummaryApproval, SupportReferralOutcome } from './rules.ts';
import { WITH_PROVIDER } from './rules.ts';

/** A referral's own state: no person data, so both the hub and the provider may hold it. */
export type Referral = {
  id: string;
  caseId: string;
  personId: string;
  areaId: string;
  serviceId: string;
  serviceName: string;
  organisationId: string;
  organisationName: string;
  responseWorkingDays: number;
  status: SupportReferralStatus;
  summary: string;
  summaryApprovedHow: SummaryApproval | null;
  summaryApprovedAt: Date | null;
  overrideReason: string | null;
  excludedBecause: string[];
  createdAt: Date;
  sentAt: Date | null;
  sentEventId: number | null;
  allocatedToUserId: string | null;
  allocatedToName: string | null;
  answeredAt: Date | null;
  declineReason: string | null;
  startedAt: Date | null;
  returnedReason: string | null;
  onwardServiceId: string | null;
  onwardServiceName: string | null;
  closedAt: Date | null;
  outcome: SupportReferralOutcome | null;
  closeNote: string | null;
  copingBefore: number | null;
  copingAfter: number | null;
  safetyBefore: number | null;
  safetyAfter: number | null;
  /** The provider's answer is due by this time on the Code clock, once the clock has read the sent event. */
  responseDueAt: Date | null;
};

/** When the provider's answer is due: the response duty the Code clock started from the referral's sent event. */
const responseDueAt = (caseId: string, sentEventId: string) =>
  sql<Date | null>`(select ob.due_at from obligation ob
    where ob.case_id = ${sql.ref(caseId)} and ob.trigger_event_id = ${sql.ref(sentEventId)} and ob.duty = 'provider_response' limit 1)`;

function referrals(db: Db | Trx) {
  return db
    .selectFrom('support_referral as r')
    .innerJoin('organisation_service as s', 's.id', 'r.service_id')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .leftJoin('staff_user as a', 'a.id', 'r.allocated_to_user_id')
    .leftJoin('organisation_service as onward', 'onward.id', 'r.onward_service_id')
    .select([
      'r.id',
      'r.case_id',
      'r.person_id',
      'r.area_id',
      'r.service_id',
      's.name as service_name',
      's.response_working_days',
      'r.organisation_id',
      'o.name as organisation_name',
      'r.status',
      'r.summary',
      'r.summary_approved_how',
      'r.summary_approved_at',
      'r.override_reason',
      'r.excluded_because',
      'r.created_at',
      'r.sent_at',
      'r.sent_event_id',
      'r.allocated_to_user_id',
      'a.display_name as allocated_to_name',
      'r.answered_at',
      'r.decline_reason',
      'r.started_at',
      'r.returned_reason',
      'r.onward_service_id',
      'onward.name as onward_service_name',
      'r.closed_at',
      'r.outcome',
      'r.close_note',
      'r.coping_before',
      'r.coping_after',
      'r.safety_before',
      'r.safety_after',
    ])
    .select(responseDueAt('r.case_id', 'r.sent_event_id').as('response_due_at'));
}

type Row = Awaited<ReturnType<ReturnType<typeof referrals>['executeTakeFirstOrThrow']>>;

const toReferral = (row: Row): Referral => ({
  id: row.id,
  caseId: row.case_id,
  personId: row.person_id,
  areaId: row.area_id,
  serviceId: row.service_id,
  serviceName: row.service_name,
  organisationId: row.organisation_id,
  organisationName: row.organisation_name,
  responseWorkingDays: row.response_working_days,
  status: row.status,
  summary: row.summary,
  summaryApprovedHow: row.summary_approved_how,
  summaryApprovedAt: row.summary_approved_at,
  overrideReason: row.override_reason,
  excludedBecause: row.excluded_because,
  createdAt: row.created_at,
  sentAt: row.sent_at,
  sentEventId: row.sent_event_id === null ? null : Number(row.sent_event_id),
  allocatedToUserId: row.allocated_to_user_id,
  allocatedToName: row.allocated_to_name,
  answeredAt: row.answered_at,
  declineReason: row.decline_reason,
  startedAt: row.started_at,
  returnedReason: row.returned_reason,
  onwardServiceId: row.onward_service_id,
  onwardServiceName: row.onward_service_name,
  closedAt: row.closed_at,
  outcome: row.outcome,
  closeNote: row.close_note,
  copingBefore: row.coping_before,
  copingAfter: row.coping_after,
  safetyBefore: row.safety_before,
  safetyAfter: row.safety_after,
  responseDueAt: row.response_due_at === null ? null : new Date(row.response_due_at),
});

export type NewDraft = {
  caseId: string;
  personId: string;
  areaId: string;
  serviceId: string;
  organisationId: string;
  summary: string;
  approvedHow: SummaryApproval | null;
  approvedByUserId: string | null;
  overrideReason: string | null;
  overrideByUserId: string | null;
  excludedBecause: string[];
  createdByUserId: string;
  submissionKey: string;
  now: Date;
};

/** Inserts a draft; undefined when the submission key was used already (a resent form). */
export async function insertDraftIfNew(trx: Trx, draft: NewDraft): Promise<string | undefined> {
  const row = await trx
    .insertInto('support_referral')
    .values({
      case_id: draft.caseId,
      person_id: draft.personId,
      area_id: draft.areaId,
      service_id: draft.serviceId,
      organisation_id: draft.organisationId,
      summary: draft.summary,
      summary_approved_how: draft.approvedHow,
      summary_approved_at: draft.approvedHow ? draft.now : null,
      summary_approved_by_user_id: draft.approvedHow ? draft.approvedByUserId : null,
      override_reason: draft.overrideReason,
      override_by_user_id: draft.overrideReason ? draft.overrideByUserId : null,
      excluded_because: draft.excludedBecause,
      created_by_user_id: draft.createdByUserId,
      created_at: draft.now,
      submission_key: draft.submissionKey,
    })
    .onConflict((conflict) => conflict.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findDraftBySubmission(trx: Trx, submissionKey: string): Promise<{ id: string; caseId: string } | undefined> {
  const row = await trx.selectFrom('support_referral').select(['id', 'case_id']).where('submission_key', '=', submissionKey).executeTakeFirst();
  return row ? { id: row.id, caseId: row.case_id } : undefined;
}

/** One referral of a case the hub has authorised. `forUpdate` locks it for a change of state. */
export async function findReferralOfCase(trx: Trx, caseId: string, referralId: string, options: { forUpdate?: boolean } = {}): Promise<Referral | undefined> {
  let query = referrals(trx).where('r.case_id', '=', caseId).where('r.id', '=', referralId);
  if (options.forUpdate) query = query.forUpdate('r');
  const row = await query.executeTakeFirst();
  return row ? toReferral(row) : undefined;
}

export async function listReferralsOfCase(trx: Trx, caseId: string): Promise<Referral[]> {
  return (await referrals(trx).where('r.case_id', '=', caseId).orderBy('r.created_at', 'desc').execute()).map(toReferral);
}

export async function updateReferral(trx: Trx, referralId: string, change: Updateable<SupportReferralTable>): Promise<void> {
  await trx.updateTable('support_referral').set(change).where('id', '=', referralId).execute();
}

/** A person's referrals with one provider that are still with it, locked: a withdrawal closes them. */
export async function lockReferralsWithProvider(trx: Trx, personId: string, organisationId: string): Promise<Referral[]> {
  const rows = await referrals(trx)
    .where('r.person_id', '=', personId)
    .where('r.organisation_id', '=', organisationId)
    .where('r.status', 'in', WITH_PROVIDER)
    .forUpdate('r')
    .execute();
  return rows.map(toReferral);
}

export type ReferralNote = { id: string; kind: SupportReferralNoteKind; body: string; authorName: string; authorOrganisation: string; createdAt: Date };

export async function insertNoteIfNew(
  trx: Trx,
  note: { referralId: string; kind: SupportReferralNoteKind; body: string; authorUserId: string; submissionKey: string; now: Date },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('support_referral_note')
    .values({ referral_id: note.referralId, kind: note.kind, body: note.body, author_user_id: note.authorUserId, submission_key: note.submissionKey, created_at: note.now })
    .onConflict((conflict) => conflict.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findNoteBySubmission(trx: Trx, submissionKey: string): Promise<{ id: string; referralId: string } | undefined> {
  const row = await trx.selectFrom('support_referral_note').select(['id', 'referral_id']).where('submission_key', '=', submissionKey).executeTakeFirst();
  return row ? { id: row.id, referralId: row.referral_id } : undefined;
}

export async function listNotes(trx: Trx, referralId: string, kinds: readonly SupportReferralNoteKind[]): Promise<ReferralNote[]> {
  const rows = await trx
    .selectFrom('support_referral_note as n')
    .innerJoin('staff_user as u', 'u.id', 'n.author_user_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['n.id', 'n.kind', 'n.body', 'u.display_name', 'o.name as organisation_name', 'n.created_at'])
    .where('n.referral_id', '=', referralId)
    .where('n.kind', 'in', kinds)
    .orderBy('n.created_at')
    .execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind, body: row.body, authorName: row.display_name, authorOrganisation: row.organisation_name, createdAt: row.created_at }));
}

// ---- The provider's side: every query names the provider's organisation, and reads the person only under consent ----

/** A referral of this provider, in any state, with no person data: enough to decide a step or say it is closed. */
export async function findReferralOfProvider(trx: Trx, organisationId: string, referralId: string, options: { forUpdate?: boolean } = {}): Promise<Referral | undefined> {
  let query = referrals(trx).where('r.organisation_id', '=', organisationId).where('r.id', '=', referralId);
  if (options.forUpdate) query = query.forUpdate('r');
  const row = await query.executeTakeFirst();
  return row ? toReferral(row) : undefined;
}

/** What a provider may see of the person and case behind a referral while consent is in force. */
export type ConsentedCase = {
  givenName: string;
  familyName: string | null;
  dateOfBirth: string | null;
  email: string | null;
  phone: string | null;
  preferredLanguage: string;
  communicationNeeds: string | null;
  safeContact: Record<string, unknown>;
  caseRole: string;
  offenceCategory: string | null;
  coordinatorName: string | null;
  coordinatorEmail: string | null;
};

/**
 * The person and case behind the provider's referral, only while the victim's support-referral consent to this
 * provider is in force; undefined otherwise (then the provider sees only that the referral closed).
 */
export async function consentedCaseOfReferral(trx: Trx, organisationId: string, referralId: string): Promise<ConsentedCase | undefined> {
  const row = await trx
    .selectFrom('support_referral as r')
    .innerJoin('victim_case as c', 'c.id', 'r.case_id')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .leftJoin('crime as cr', 'cr.id', 'c.crime_id')
    .leftJoin('staff_user as co', 'co.id', 'c.coordinator_user_id')
    .select([
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.email',
      'p.phone',
      'p.preferred_language',
      'p.communication_needs',
      'p.safe_contact',
      'c.role',
      'cr.offence_category',
      'co.display_name as coordinator_name',
      'co.email as coordinator_email',
    ])
    .where('r.organisation_id', '=', organisationId)
    .where('r.id', '=', referralId)
    .where(consentInForce(sql.ref('r.person_id'), sql.ref('r.organisation_id'), 'support_referral'))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    email: row.email,
    phone: row.phone,
    preferredLanguage: row.preferred_language,
    communicationNeeds: row.communication_needs,
    safeContact: row.safe_contact,
    caseRole: row.role,
    offenceCategory: row.offence_category,
    coordinatorName: row.coordinator_name,
    coordinatorEmail: row.coordinator_email,
  };
}

/** One line of the team inbox or "my clients": the victim's name is read under consent, like everything else. */
export type InboxEntry = {
  id: string;
  status: SupportReferralStatus;
  serviceName: string;
  sentAt: Date;
  allocatedToName: string | null;
  victimName: string;
  responseDueAt: Date | null;
};

export type InboxFilter = { organisationId: string; allocatedToUserId?: string; unallocatedOnly?: boolean; limit: number; offset: number };

/**
 * A provider's open referrals, oldest first, where consent is in force. Paged, with the total for the page links.
 * The page's ids are chosen first on the referral table alone (its inbox index, and the consent check, which the
 * planner can run as one hash semi-join over the provider's consents), and only those 50 rows are joined to the
 * person, service, caseworker and Code clock: a deep page never reads thousands of people to skip them.
 */
export async function providerInbox(db: Db | Trx, filter: InboxFilter): Promise<{ entries: InboxEntry[]; total: number }> {
  let base = db
    .selectFrom('support_referral as r')
    .where('r.organisation_id', '=', filter.organisationId)
    .where('r.status', 'in', WITH_PROVIDER)
    .where(consentInForce(sql.ref('r.person_id'), sql.ref('r.organisation_id'), 'support_referral'));
  if (filter.allocatedToUserId) base = base.where('r.allocated_to_user_id', '=', filter.allocatedToUserId);
  if (filter.unallocatedOnly) base = base.where('r.allocated_to_user_id', 'is', null);
  const page = base
    .select(['r.id', 'r.case_id', 'r.person_id', 'r.service_id', 'r.status', 'r.sent_at', 'r.sent_event_id', 'r.allocated_to_user_id'])
    .orderBy('r.sent_at')
    .orderBy('r.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .as('page');
  const [rows, count] = await Promise.all([
    db
      .selectFrom(page)
      .innerJoin('organisation_service as s', 's.id', 'page.service_id')
      .innerJoin('person as p', 'p.id', 'page.person_id')
      .leftJoin('staff_user as a', 'a.id', 'page.allocated_to_user_id')
      .select(['page.id', 'page.status', 's.name as service_name', 'page.sent_at', 'a.display_name as allocated_to_name', 'p.given_name', 'p.family_name'])
      .select(responseDueAt('page.case_id', 'page.sent_event_id').as('response_due_at'))
      .orderBy('page.sent_at')
      .orderBy('page.id')
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.total),
    entries: rows.map((row) => ({
      id: row.id,
      status: row.status,
      serviceName: row.service_name,
      sentAt: row.sent_at as Date,
      allocatedToName: row.allocated_to_name,
      victimName: [row.given_name, row.family_name].filter(Boolean).join(' '),
      responseDueAt: row.response_due_at === null ? null : new Date(row.response_due_at),
    })),
  };
}

/** Referrals a withdrawal closed lately: the provider is told that they closed, and nothing else. */
export async function closedByWithdrawal(db: Db | Trx, organisationId: string, since: Date): Promise<{ id: string; closedAt: Date; serviceName: string }[]> {
  const rows = await db
    .selectFrom('support_referral as r')
    .innerJoin('organisation_service as s', 's.id', 'r.service_id')
    .select(['r.id', 'r.closed_at', 's.name as service_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.outcome', '=', 'consent_withdrawn')
    .where('r.closed_at', '>=', since)
    .orderBy('r.closed_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((row) => ({ id: row.id, closedAt: row.closed_at as Date, serviceName: row.service_name }));
}

/** The provider's active caseworkers and supervisors, whom a supervisor can allocate a referral to. */
export async function providerStaff(trx: Trx, organisationId: string): Promise<{ id: string; displayName: string }[]> {
  return trx
    .selectFrom('staff_user')
    .select(['id', 'display_name as displayName'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'active')
    .where('role', 'in', ['provider_caseworker', 'supervisor'])
    .orderBy('display_name')
    .execute();
}

/** The hub organisation that made the referral: a referral the provider gives back becomes that team's task. */
export async function hubOrganisationOfReferral(trx: Trx, referralId: string): Promise<string> {
  const row = await trx
    .selectFrom('support_referral as r')
    .innerJoin('staff_user as u', 'u.id', 'r.created_by_user_id')
    .select('u.organisation_id')
    .where('r.id', '=', referralId)
    .executeTakeFirstOrThrow();
  return row.organisation_id;
}

/** Whether a user is one of the provider's own active staff, so a supervisor cannot allocate to anyone else. */
export async function isProviderStaff(trx: Trx, organisationId: string, userId: string): Promise<boolean> {
  return (await providerStaff(trx, organisationId)).some((user) => user.id === userId);
}
