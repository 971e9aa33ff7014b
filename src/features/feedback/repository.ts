// All SQL of the victim's feedback: what a case's timeline says about its key moments, the ratings given, and the
// area's counts and comments for staff, never joined to a name or a case.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { CaseStatus } from '../../platform/db/schema.ts';
import { COURT_OUTCOME_KINDS, type FeedbackMoment, type MomentFacts, type RatingCount } from './rules.ts';

/** The facts the moments are decided from, in one round trip; undefined for an unknown case. */
export async function momentFacts(db: Db | Trx, caseId: string): Promise<MomentFacts | undefined> {
  const { rows } = await sql<{ status: CaseStatus; successful_contact: boolean; referral_closed: boolean; court_outcome: boolean }>`
    select c.status,
      exists (select 1 from contact_log l where l.case_id = c.id and l.outcome = 'successful') as successful_contact,
      exists (select 1 from support_referral r where r.case_id = c.id and r.status = 'closed') as referral_closed,
      exists (
        select 1 from timeline_event e
        where e.case_id = c.id and e.visibility = 'victim' and e.kind in (${sql.join(COURT_OUTCOME_KINDS.map((kind) => sql`${kind}`))})
      ) as court_outcome
    from victim_case c where c.id = ${caseId}::uuid`.execute(db);
  const row = rows[0];
  return row && { caseStatus: row.status, successfulContact: row.successful_contact, referralClosed: row.referral_closed, courtOutcome: row.court_outcome };
}

export async function momentsGiven(db: Db | Trx, caseId: string): Promise<FeedbackMoment[]> {
  const rows = await db.selectFrom('victim_feedback').select('moment').where('case_id', '=', caseId).execute();
  return rows.map((row) => row.moment);
}

/** Stores the rating unless the case already has one for the moment; true when it was stored. */
export async function insertFeedbackIfNew(
  trx: Trx,
  feedback: { caseId: string; areaId: string; moment: FeedbackMoment; rating: number; comment: string | null; accountId: string; givenAt: Date },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('victim_feedback')
    .values({
      case_id: feedback.caseId,
      area_id: feedback.areaId,
      moment: feedback.moment,
      rating: feedback.rating,
      comment: feedback.comment,
      given_by_account_id: feedback.accountId,
      given_at: feedback.givenAt,
    })
    .onConflict((conflict) => conflict.columns(['case_id', 'moment']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The area's ratings counted by moment and answer. */
export async function ratingCounts(db: Db | Trx, areaId: string): Promise<RatingCount[]> {
  const rows = await db
    .selectFrom('victim_feedback')
    .select(['moment', 'rating', sql<number>`count(*)::int`.as('count')])
    .where('area_id', '=', areaId)
    .groupBy(['moment', 'rating'])
    .execute();
  return rows.map((row) => ({ moment: row.moment, rating: row.rating, count: Number(row.count) }));
}

export type RecentComment = { moment: FeedbackMoment; rating: number; comment: string; month: Date };

/**
 * The area's latest comments, newest first, with only the moment, the answer and the month: no case, account or day,
 * so a comment cannot be traced back to a victim from this list.
 */
export async function recentComments(db: Db | Trx, areaId: string, limit: number): Promise<RecentComment[]> {
  const rows = await db
    .selectFrom('victim_feedback')
    .select(['moment', 'rating', 'comment', sql<Date>`date_trunc('month', given_at)`.as('month')])
    .where('area_id', '=', areaId)
    .where('comment', 'is not', null)
    .orderBy('given_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ moment: row.moment, rating: row.rating, comment: row.comment ?? '', month: new Date(row.month) }));
}
