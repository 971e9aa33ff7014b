// SQL for portal reach: the cases an account reaches, through its own person record or a live link.
import { sql, type RawBuilder } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { ReachableCase, Relation } from './rules.ts';
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

/** One row of reachOfCase. */
export type ReachRow = { case_id: string; person_id: string; area_id: string; relation: Relation };

/**
 * The account's reach of one case, as a query for a page's own statement to start from (so the check costs no round
 * trip of its own): one row, the case with the strongest relation the account has to it (its own, then a parent's or
 * carer's, then a supporter's), or no row. The same reach as reachableCases, by primary key and the live-link index
 * rather than every case of the account.
 */
export function reachOfCase(accountId: string, caseId: string): RawBuilder<ReachRow> {
  return sql<ReachRow>`
    select c.id as case_id, c.person_id, c.area_id, r.relation
    from victim_case c
    cross join lateral (
      select 'self'::text as relation, 0 as strength
      from portal_account a join person p on p.id = a.person_id
      where a.id = ${accountId}::uuid and a.disabled_at is null and coalesce(p.merged_into_person_id, p.id) = c.person_id
      union all
      select l.relation::text, case when l.relation = 'supporter' then 2 else 1 end
      from portal_link l join person p on p.id = l.person_id join portal_account a on a.id = l.account_id
      where l.account_id = ${accountId}::uuid and l.revoked_at is null and a.disabled_at is null and coalesce(p.merged_into_person_id, p.id) = c.person_id
      order by strength
      limit 1
    ) r
    where c.id = ${caseId}::uuid`;
}

export const reachableFrom = (row: ReachRow): ReachableCase => ({ caseId: row.case_id, personId: row.person_id, areaId: row.area_id, relation: row.relation, canAct: canActAs(row.relation) });

/** The victim's own account, made the first time it is needed; a second call at the same moment finds the first's. */
export async function ensureVictimAccount(trx: Trx, personId: string, createdByUserId: string | null): Promise<string> {
  const person = await trx.selectFrom('person').select(['area_id', 'given_name']).where('id', '=', personId).executeTakeFirstOrThrow();
  await trx
    .insertInto('portal_account')
    .values({ person_id: personId, area_id: person.area_id, display_name: person.given_name, created_by_user_id: createdByUserId })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .execute();
  const account = await trx.selectFrom('portal_account').select('id').where('person_id', '=', personId).executeTakeFirstOrThrow();
  return account.id;
}

export async function findVictimAccount(trx: Trx, personId: string) {
  return trx.selectFrom('portal_account').select(['crime_reference_check', 'created_at']).where('person_id', '=', personId).executeTakeFirst();
}

export async function setCrimeReferenceCheckOn(trx: Trx, accountId: string, on: boolean): Promise<void> {
  await trx.updateTable('portal_account').set({ crime_reference_check: on }).where('id', '=', accountId).execute();
}

export async function recentInvitations(trx: Trx, caseId: string, limit: number) {
  return trx.selectFrom('portal_invitation').select(['created_at', 'expires_at', 'used_at']).where('case_id', '=', caseId).orderBy('created_at', 'desc').limit(limit).execute();
}

export async function insertInvitation(trx: Trx, row: { tokenHash: string; personId: string; caseId: string; createdByUserId: string; expiresAt: Date }): Promise<void> {
  await trx
    .insertInto('portal_invitation')
    .values({ token_hash: row.tokenHash, person_id: row.personId, case_id: row.caseId, created_by_user_id: row.createdByUserId, expires_at: row.expiresAt })
    .execute();
}

/** Everyone ever linked to the person, newest first, with how they sign in. */
export async function linksOfPerson(trx: Trx, personId: string) {
  return trx
    .selectFrom('portal_link as l')
    .innerJoin('portal_account as a', 'a.id', 'l.account_id')
    .select(['l.id', 'l.relation', 'a.display_name', 'a.email', 'a.phone', 'l.granted_at', 'l.revoked_at', 'l.revoke_reason'])
    .where('l.person_id', '=', personId)
    .orderBy('l.granted_at', 'desc')
    .execute();
}

/** A parent's, carer's or supporter's account by the address they sign in with, made when there is none yet. */
export async function findOrCreateDelegateAccount(
  trx: Trx,
  account: { column: 'email' | 'phone'; address: string; areaId: string; displayName: string; createdByUserId: string },
): Promise<string> {
  const existing = await trx.selectFrom('portal_account').select('id').where('person_id', 'is', null).where(account.column, '=', account.address).executeTakeFirst();
  if (existing) return existing.id;
  const created = await trx
    .insertInto('portal_account')
    .values({ person_id: null, area_id: account.areaId, display_name: account.displayName, [account.column]: account.address, created_by_user_id: account.createdByUserId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

export async function hasLiveLink(trx: Trx, accountId: string, personId: string): Promise<boolean> {
  const live = await trx.selectFrom('portal_link').select('id').where('account_id', '=', accountId).where('person_id', '=', personId).where('revoked_at', 'is', null).executeTakeFirst();
  return Boolean(live);
}

export async function insertLink(trx: Trx, link: { accountId: string; personId: string; relation: 'parent_or_carer' | 'supporter'; grantedByUserId: string }): Promise<string> {
  const row = await trx
    .insertInto('portal_link')
    .values({ account_id: link.accountId, person_id: link.personId, relation: link.relation, granted_by_user_id: link.grantedByUserId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findLinkOfPerson(trx: Trx, linkId: string, personId: string) {
  return trx.selectFrom('portal_link').select(['id', 'account_id', 'revoked_at']).where('id', '=', linkId).where('person_id', '=', personId).executeTakeFirst();
}

export async function markLinkRevoked(trx: Trx, linkId: string, revokedByUserId: string, reason: string, now: Date): Promise<void> {
  await trx.updateTable('portal_link').set({ revoked_at: now, revoked_by_user_id: revokedByUserId, revoke_reason: reason }).where('id', '=', linkId).execute();
}
