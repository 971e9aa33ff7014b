// Portal sign-in for integration tests: an account for a person (or a parent, carer or supporter linked to one) and a
// signed-in session, made directly in the database so tests of portal pages need not go through the one-time code.
// The sign-in pages themselves are tested through the code in features/portal-sign-in.
import type { Actor } from '../../src/platform/auth/identity.ts';
import { PORTAL_COOKIE, createPortalSession } from '../../src/platform/auth/portal-sessions.ts';
import type { PortalRelation } from '../../src/platform/db/schema.ts';
import { inTransaction, type Db } from '../../src/platform/db/transaction.ts';

export type TestPortalUser = { accountId: string; personId: string | null; displayName: string; areaId: string; cookie: string; actor: Actor };

/** The victim's own account (made once per person) and a fresh signed-in session. */
export async function signInVictim(db: Db, personId: string): Promise<TestPortalUser> {
  const person = await db.selectFrom('person').select(['id', 'area_id', 'given_name']).where('id', '=', personId).executeTakeFirstOrThrow();
  const existing = await db.selectFrom('portal_account').select('id').where('person_id', '=', personId).executeTakeFirst();
  const accountId =
    existing?.id ??
    (await db.insertInto('portal_account').values({ person_id: personId, area_id: person.area_id, display_name: person.given_name }).returning('id').executeTakeFirstOrThrow()).id;
  return sessionFor(db, { accountId, personId, displayName: person.given_name, areaId: person.area_id });
}

/**
 * A parent, carer or supporter's account, linked to the victim's person record by the given staff member, signed in.
 * The email must be unique among delegates.
 */
export async function signInDelegate(
  db: Db,
  options: { personId: string; relation: PortalRelation; email: string; displayName?: string; grantedByUserId: string },
): Promise<TestPortalUser & { linkId: string }> {
  const person = await db.selectFrom('person').select(['area_id']).where('id', '=', options.personId).executeTakeFirstOrThrow();
  const displayName = options.displayName ?? 'Test supporter';
  const account = await db.insertInto('portal_account').values({ person_id: null, area_id: person.area_id, display_name: displayName, email: options.email }).returning('id').executeTakeFirstOrThrow();
  const link = await db
    .insertInto('portal_link')
    .values({ account_id: account.id, person_id: options.personId, relation: options.relation, granted_by_user_id: options.grantedByUserId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...(await sessionFor(db, { accountId: account.id, personId: null, displayName, areaId: person.area_id })), linkId: link.id };
}

async function sessionFor(db: Db, victim: { accountId: string; personId: string | null; displayName: string; areaId: string }): Promise<TestPortalUser> {
  const token = await inTransaction(db, (trx) => createPortalSession(trx, victim.accountId, 'signed_in', new Date()));
  return { ...victim, cookie: `${PORTAL_COOKIE}=${token}`, actor: { kind: 'victim', victim } };
}
