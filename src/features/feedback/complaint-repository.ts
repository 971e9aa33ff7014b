// All SQL of complaints: the organisations on a case a victim may complain about, storing a complaint once per form,
// and the staff's open complaints with the Code clock's deadline for each.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { ObligationState } from '../obligations/rules.ts';
import { WITNESS_CARE_KINDS, type ComplaintOrganisation, type OrganisationPart } from './complaint-rules.ts';

/**
 * Every organisation that played a part in the case: the crime's police force; the coordinator's organisation (or,
 * before one is assigned, the area's hub); each provider a referral was sent to; and the area's witness care unit once
 * the case has reached it (a charge, a hearing, a verdict). Unsorted and possibly repeated; the rules tidy them.
 */
export async function organisationsOnCase(db: Db | Trx, caseId: string): Promise<ComplaintOrganisation[]> {
  const { rows } = await sql<{ id: string; name: string; part: OrganisationPart }>`
    with c as (select id, area_id, crime_id, coordinator_user_id from victim_case where id = ${caseId}::uuid)
    select o.id, o.name, 'police' as part from c join crime cr on cr.id = c.crime_id join organisation o on o.id = cr.police_organisation_id
    union all
    select o.id, o.name, 'hub' from c join staff_user s on s.id = c.coordinator_user_id join organisation o on o.id = s.organisation_id
    union all
    (select o.id, o.name, 'hub' from c join organisation o on o.area_id = c.area_id and o.kind = 'hub'
      where c.coordinator_user_id is null order by o.created_at limit 1)
    union all
    select o.id, o.name, 'provider' from c join support_referral r on r.case_id = c.id and r.sent_at is not null join organisation o on o.id = r.organisation_id
    union all
    (select o.id, o.name, 'witness_care' from c join organisation o on o.area_id = c.area_id and o.kind = 'witness_care'
      where exists (select 1 from timeline_event e where e.case_id = c.id and e.kind in (${sql.join(WITNESS_CARE_KINDS.map((kind) => sql`${kind}`))}))
      order by o.created_at limit 1)
  `.execute(db);
  return rows;
}

export async function findComplaintIdByKey(trx: Trx, accountId: string, submissionKey: string): Promise<string | undefined> {
  const row = await trx.selectFrom('complaint').select('id').where('made_by_account_id', '=', accountId).where('submission_key', '=', submissionKey).executeTakeFirst();
  return row?.id;
}

/** Stores the complaint unless the same form was sent already (the same account and key); its id when stored. */
export async function insertComplaintIfNew(
  trx: Trx,
  complaint: { caseId: string; areaId: string; organisationId: string; body: string; accountId: string; submissionKey: string; receivedAt: Date },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('complaint')
    .values({
      case_id: complaint.caseId,
      area_id: complaint.areaId,
      organisation_id: complaint.organisationId,
      body: complaint.body,
      made_by_account_id: complaint.accountId,
      submission_key: complaint.submissionKey,
      received_at: complaint.receivedAt,
    })
    .onConflict((conflict) => conflict.columns(['made_by_account_id', 'submission_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** A complaint this account made on this case, with the organisation's name, for the confirmation page. */
export async function findComplaintForVictim(db: Db | Trx, caseId: string, complaintId: string, accountId: string): Promise<{ id: string; organisationName: string } | undefined> {
  return db
    .selectFrom('complaint as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'o.name as organisationName'])
    .where('c.id', '=', complaintId)
    .where('c.case_id', '=', caseId)
    .where('c.made_by_account_id', '=', accountId)
    .executeTakeFirst();
}

/** Who a member of staff answers for: their own organisation, and the area of the hub they supervise, if they do. */
export type ComplaintReach = { organisationId: string; supervisedAreaId: string | null };

export type StaffComplaint = {
  id: string;
  caseId: string;
  organisationId: string;
  organisationName: string;
  body: string;
  receivedAt: Date;
  answeredAt: Date | null;
  answerSummary: string | null;
  receivedEventId: number | null;
  dueAt: Date | null;
  dutyState: ObligationState | null;
};

function staffComplaintQuery(db: Db | Trx, reach: ComplaintReach) {
  return db
    .selectFrom('complaint as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    // The Code clock's duty for the complaint, once the clock has read the event that started it (the event's key is
    // complaint-rules.ts receivedEventKey, spelt out here in SQL).
    .leftJoin('timeline_event as e', (join) => join.on('e.idempotency_key', '=', sql<string>`'complaint:' || c.id::text || ':received'`))
    .leftJoin('obligation as d', (join) => join.onRef('d.trigger_event_id', '=', 'e.id').on('d.duty', '=', 'complaint_response'))
    .select([
      'c.id', 'c.case_id', 'c.organisation_id', 'o.name as organisation_name', 'c.body', 'c.received_at', 'c.answered_at', 'c.answer_summary',
      'e.id as received_event_id', 'd.due_at', 'd.state',
    ])
    .where((where) =>
      reach.supervisedAreaId === null
        ? where('c.organisation_id', '=', reach.organisationId)
        : where.or([where('c.organisation_id', '=', reach.organisationId), where('c.area_id', '=', reach.supervisedAreaId)]),
    );
}

type StaffComplaintRow = Awaited<ReturnType<ReturnType<typeof staffComplaintQuery>['executeTakeFirstOrThrow']>>;

const toStaffComplaint = (row: StaffComplaintRow): StaffComplaint => ({
  id: row.id,
  caseId: row.case_id,
  organisationId: row.organisation_id,
  organisationName: row.organisation_name,
  body: row.body,
  receivedAt: row.received_at,
  answeredAt: row.answered_at,
  answerSummary: row.answer_summary,
  receivedEventId: row.received_event_id === null ? null : Number(row.received_event_id),
  dueAt: row.due_at,
  dutyState: row.state,
});

/** The unanswered complaints within the staff member's reach, soonest due first (those not yet timed last). */
export async function openComplaints(db: Db | Trx, reach: ComplaintReach, limit: number): Promise<StaffComplaint[]> {
  const rows = await staffComplaintQuery(db, reach)
    .where('c.answered_at', 'is', null)
    .orderBy(sql`d.due_at asc nulls last`)
    .orderBy('c.received_at')
    .limit(limit)
    .execute();
  return rows.map(toStaffComplaint);
}

/** One complaint within the staff member's reach; undefined for anything else, which the service turns into a 404. */
export async function findComplaintForStaff(trx: Trx, complaintId: string, reach: ComplaintReach, forUpdate = false): Promise<StaffComplaint | undefined> {
  let query = staffComplaintQuery(trx, reach).where('c.id', '=', complaintId);
  if (forUpdate) query = query.forUpdate('c');
  const row = await query.executeTakeFirst();
  return row ? toStaffComplaint(row) : undefined;
}

export async function markAnswered(trx: Trx, complaintId: string, answer: { summary: string; userId: string; at: Date }): Promise<void> {
  await trx
    .updateTable('complaint')
    .set({ answered_at: answer.at, answered_by_user_id: answer.userId, answer_summary: answer.summary })
    .where('id', '=', complaintId)
    .where('answered_at', 'is', null)
    .execute();
}
