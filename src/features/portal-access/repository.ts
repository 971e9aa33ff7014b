// SQL for portal reach: the cases an account reaches, through its own person record or a live link.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { ReachableCase } from './rules.ts';
import { canActAs } from './rules.ts';

/**
 * Every case the account reaches, in one query. A person merged into another reaches the kept record's cases: the
 * merge moved them there (features/matching), and the victim is the same person.
 */
export async function reachableCases(db: Db | Trx, accountId: string): Promise<ReachableCase[]> {
  const { rows } = await sql<{ case_id: string; person_id: string; area_id: string; relation: ReachableCase['relation'] }>`
    with own as (
      select coalesce(p.merged_into_person_id, p.id) as person_id
      from portal_account a join person p on p.id = a.person_id
      where a.id = ${accountId}::uuid and a.disabled_at is null
    ),
    linked as (
      select coalesce(p.merged_into_person_id, p.id) as person_id, l.relation
      from portal_link l join person p on p.id = l.person_id
      join portal_account a on a.id = l.account_id
      where l.account_id = ${accountId}::uuid and l.revoked_at is null and a.disabled_at is null
    )
    select c.id as case_id, c.person_id, c.area_id, 'self' as relation from victim_case c join own on own.person_id = c.person_id
    union all
    select c.id, c.person_id, c.area_id, linked.relation from victim_case c join linked on linked.person_id = c.person_id
    order by 1`.execute(db);
  // A case reached both as oneself and through a link keeps the stronger relation.
  const byCase = new Map<string, ReachableCase>();
  for (const row of rows) {
    const item: ReachableCase = { caseId: row.case_id, personId: row.person_id, areaId: row.area_id, relation: row.relation, canAct: canActAs(row.relation) };
    const earlier = byCase.get(row.case_id);
    if (!earlier || (!earlier.canAct && item.canAct) || (item.relation === 'self' && earlier.relation !== 'self')) byCase.set(row.case_id, item);
  }
  return [...byCase.values()];
}
