// All SQL for entitlements: decisions (append-only, withdrawn but never edited or deleted), runs of the rules, and the
// victim's view of a category over time. Returns plain typed objects.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type { EntitlementCategory, EntitlementSource } from '../../platform/db/schema.ts';

export type EntitlementDecision = {
  id: string;
  caseId: string;
  category: EntitlementCategory;
  source: EntitlementSource;
  rule: string;
  reason: string;
  evidence: Record<string, unknown>;
  decidedByUserId: string | null;
  decidedBy: string;
  decidedByName: string | null;
  decidedAt: Date;
  /** The latest view recorded for this category: the one given when it was decided, or a later one. */
  victimView: string | null;
  victimViewRecordedAt: Date | null;
  withdrawnAt: Date | null;
  withdrawnByUserId: string | null;
  withdrawnByName: string | null;
  withdrawnReason: string | null;
};

export type NewDecision = {
  caseId: string;
  category: EntitlementCategory;
  source: EntitlementSource;
  rule: string;
  reason: string;
  evidence: Record<string, unknown>;
  decidedByUserId: string | null;
  decidedBy: string;
  victimView: string | null;
};

/**
 * Records a decision unless the same one is already in force (one per rule for the rules, one per category for
 * coordinators, as the partial unique indexes say); the new id, or undefined when one was in force.
 */
export async function insertDecisionIfNew(trx: Trx, decision: NewDecision): Promise<string | undefined> {
  const row = await trx
    .insertInto('entitlement_decision')
    .values({
      case_id: decision.caseId,
      category: decision.category,
      source: decision.source,
      rule: decision.rule,
      reason: decision.reason,
      evidence: JSON.stringify(decision.evidence),
      decided_by_user_id: decision.decidedByUserId,
      decided_by: decision.decidedBy,
      victim_view: decision.victimView,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Every decision on the case, in force or withdrawn, oldest first, each with its latest victim's view. */
export async function listDecisions(trx: Trx, caseId: string): Promise<EntitlementDecision[]> {
  const rows = await trx
    .selectFrom('entitlement_decision as d')
    .leftJoin('staff_user as decider', 'decider.id', 'd.decided_by_user_id')
    .leftJoin('staff_user as withdrawer', 'withdrawer.id', 'd.withdrawn_by_user_id')
    .selectAll('d')
    .select(['decider.display_name as decided_by_name', 'withdrawer.display_name as withdrawn_by_name'])
    .select((eb) =>
      eb
        .selectFrom('entitlement_victim_view as v')
        .select(sql<string>`json_build_object('view', v.victim_view, 'at', v.recorded_at)::text`.as('latest'))
        .whereRef('v.decision_id', '=', 'd.id')
        .orderBy('v.recorded_at', 'desc')
        .orderBy('v.id')
        .limit(1)
        .as('latest_view'),
    )
    .where('d.case_id', '=', caseId)
    .orderBy('d.decided_at')
    .orderBy('d.id')
    .execute();
  return rows.map((row) => {
    const latest = row.latest_view ? (JSON.parse(row.latest_view) as { view: string; at: string }) : null;
    return {
      id: row.id,
      caseId: row.case_id,
      category: row.category,
      source: row.source,
      rule: row.rule,
      reason: row.reason,
      evidence: row.evidence,
      decidedByUserId: row.decided_by_user_id,
      decidedBy: row.decided_by,
      decidedByName: row.decided_by_name,
      decidedAt: row.decided_at,
      victimView: latest ? latest.view : row.victim_view,
      victimViewRecordedAt: latest ? new Date(latest.at) : row.victim_view ? row.decided_at : null,
      withdrawnAt: row.withdrawn_at,
      withdrawnByUserId: row.withdrawn_by_user_id,
      withdrawnByName: row.withdrawn_by_name,
      withdrawnReason: row.withdrawn_reason,
    };
  });
}

/** Sets the withdrawal columns of a decision still in force; false when it was already withdrawn. */
export async function withdrawDecision(trx: Trx, decisionId: string, userId: string, reason: string): Promise<boolean> {
  const result = await trx
    .updateTable('entitlement_decision')
    .set({ withdrawn_at: sql<Date>`now()`, withdrawn_by_user_id: userId, withdrawn_reason: reason })
    .where('id', '=', decisionId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertVictimView(trx: Trx, decisionId: string, victimView: string, userId: string): Promise<void> {
  await trx.insertInto('entitlement_victim_view').values({ decision_id: decisionId, victim_view: victimView, recorded_by_user_id: userId }).execute();
}

/** The rule ids the latest recorded run of the rules gave, or undefined when the rules have never run on the case. */
export async function latestCheckRules(trx: Trx, caseId: string): Promise<string[] | undefined> {
  const row = await trx.selectFrom('entitlement_check').select('rules').where('case_id', '=', caseId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.rules;
}

export async function insertCheck(trx: Trx, caseId: string, rules: readonly string[], checkedByUserId: string | null, checkedBy: string): Promise<number> {
  const row = await trx
    .insertInto('entitlement_check')
    .values({ case_id: caseId, rules: JSON.stringify(rules), checked_by_user_id: checkedByUserId, checked_by: checkedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
