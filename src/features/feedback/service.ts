// Use-cases for the victim's feedback after key moments: which moments want a rating on a case in reach, the one
// question and its answer (one per case and moment), and the area's aggregate for the victims' forum and the
// commissioner. The portal decides reach (features/portal-access); supporters read but never rate.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { portalCase, portalRefusalsAudited, victimOf } from '../portal-access/service.ts';
import { insertFeedbackIfNew, momentFacts, momentsGiven, ratingCounts, recentComments, type RecentComment } from './repository.ts';
import { checkFeedback, isMoment, momentsReached, pendingMoments, summaryRows, type FeedbackMoment } from './rules.ts';

export type { FeedbackMoment };

/**
 * Staff who may read the summary: the hub's supervisors and administrators. The summary quotes victims' own words, so
 * the commissioner's analyst, who may never read about a person, gets the themes from /insights/voice instead.
 */
export const FEEDBACK_READERS = ['supervisor', 'administrator'] as const;
const RECENT_COMMENTS = 20;

/**
 * The moments of a case in reach that have happened and have no rating yet, for the portal's case page to prompt for.
 * A supporter is prompted for nothing. It reads only whether moments happened, never what was said, and the case page
 * that calls it audits its own view, so it writes no audit row of its own (and runs on the caller's db or transaction).
 */
export async function pendingFeedback(db: Db | Trx, actor: Actor, caseId: string): Promise<FeedbackMoment[]> {
  const reach = await portalCase(db, actor, caseId, 'read');
  if (!reach.canAct) return [];
  const facts = await momentFacts(db, reach.caseId);
  if (!facts) return [];
  return pendingMoments(momentsReached(facts), await momentsGiven(db, reach.caseId));
}

/** The case and moment a feedback page is for: in reach to act on, and a moment the case has reached; else 404. */
async function momentInReach(trx: Trx, actor: Actor, caseId: unknown, moment: unknown) {
  const reach = await portalCase(trx, actor, caseId, 'act');
  if (!isMoment(moment)) throw new NotFound('feedback moment');
  const facts = await momentFacts(trx, reach.caseId);
  if (!facts || !momentsReached(facts).includes(moment)) throw new NotFound('feedback moment');
  return { reach, moment, given: (await momentsGiven(trx, reach.caseId)).includes(moment) };
}

/** The one-question page: whether this moment has been rated already. Refusals are audited. */
export async function getFeedbackQuestion(db: Db, actor: Actor, caseId: unknown, moment: unknown): Promise<{ caseId: string; moment: FeedbackMoment; alreadyGiven: boolean }> {
  return portalRefusalsAudited(db, actor, caseId, 'feedback', () =>
    inTransaction(db, async (trx) => {
      const found = await momentInReach(trx, actor, caseId, moment);
      await writeAudit(trx, actor, { action: 'victim_feedback.question_viewed', recordType: 'case', recordId: found.reach.caseId, detail: { moment: found.moment, alreadyGiven: found.given } });
      return { caseId: found.reach.caseId, moment: found.moment, alreadyGiven: found.given };
    }),
  );
}

/**
 * Stores the rating and comment, once per case and moment: a second answer (another tab, a parent and the victim both)
 * changes nothing and says so. The audit row holds the moment and the id, never the words.
 */
export async function giveFeedback(db: Db, actor: Actor, caseId: unknown, moment: unknown, form: { rating?: unknown; comment?: unknown }, now = new Date()): Promise<{ created: boolean }> {
  return portalRefusalsAudited(db, actor, caseId, 'feedback', () =>
    inTransaction(db, async (trx) => {
      const found = await momentInReach(trx, actor, caseId, moment);
      if (found.given) return { created: false };
      const checked = checkFeedback(form);
      if ('errors' in checked) throw new Invalid(checked.errors);
      const id = await insertFeedbackIfNew(trx, {
        caseId: found.reach.caseId, areaId: found.reach.areaId, moment: found.moment, rating: checked.rating, comment: checked.comment, accountId: victimOf(actor).accountId, givenAt: now,
      });
      if (!id) return { created: false };
      await writeAudit(trx, actor, { action: 'victim_feedback.given', recordType: 'case', recordId: found.reach.caseId, detail: { feedbackId: id, moment: found.moment } });
      return { created: true };
    }),
  );
}

export type FeedbackSummary = { rows: ReturnType<typeof summaryRows>; comments: RecentComment[] };

/** The staff member's area's counts by moment and answer, and its latest comments, with no case or person in them. */
export async function feedbackSummary(db: Db, actor: Actor): Promise<FeedbackSummary> {
  if (actor.kind !== 'staff' || !(FEEDBACK_READERS as readonly string[]).includes(actor.staff.role)) throw new Forbidden('feedback summary');
  const areaId = actor.staff.areaId;
  return inTransaction(db, async (trx) => {
    const [counts, comments] = [await ratingCounts(trx, areaId), await recentComments(trx, areaId, RECENT_COMMENTS)];
    await writeAudit(trx, actor, { action: 'victim_feedback.summary_viewed', recordType: 'area', recordId: areaId, detail: { comments: comments.length } });
    return { rows: summaryRows(counts), comments };
  });
}
