// SQL for portal sign-in: who an address belongs to, the code rows, and the accounts made on first sign-in.
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { Address } from './rules.ts';

export type AddressOwner = { accountId: string | null; personId: string | null; profile: Record<string, unknown> | null; language: string };

/**
 * Whose address this is: a victim, by the email or mobile on their person record (one record only: an address two
 * people share signs neither in), or else a parent, carer or supporter by their account's own address.
 */
export async function findAddressOwner(trx: Trx, address: Address): Promise<AddressOwner | undefined> {
  const column = address.kind === 'email' ? 'p.email' : 'p.phone';
  const people = await trx
    .selectFrom('person as p')
    .leftJoin('portal_account as a', 'a.person_id', 'p.id')
    .select(['p.id', 'p.safe_contact', 'p.preferred_language', 'a.id as account_id', 'a.disabled_at'])
    .where(column, '=', address.value)
    .where('p.merged_into_person_id', 'is', null)
    .limit(2)
    .execute();
  if (people.length === 1 && people[0]) {
    const person = people[0];
    if (person.disabled_at) return undefined;
    return { accountId: person.account_id, personId: person.id, profile: person.safe_contact, language: person.preferred_language };
  }
  if (people.length > 1) return undefined;
  const delegate = await trx
    .selectFrom('portal_account')
    .select(['id'])
    .where('person_id', 'is', null)
    .where(address.kind === 'email' ? 'email' : 'phone', '=', address.value)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return delegate ? { accountId: delegate.id, personId: null, profile: null, language: 'en' } : undefined;
}

export async function countRecentCodes(trx: Trx, column: 'address_key' | 'client_key', key: string, since: Date): Promise<number> {
  const row = await trx.selectFrom('portal_sign_in_code').select((eb) => eb.fn.countAll<string>().as('n')).where(column, '=', key).where('created_at', '>', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

export type NewCodeRow = {
  id: string;
  tokenHash: string;
  addressKey: string;
  clientKey: string;
  accountId: string | null;
  personId: string | null;
  channel: 'email' | 'sms' | null;
  codeHash: string | null;
  createdAt: Date;
  expiresAt: Date;
};

export async function insertCode(trx: Trx, row: NewCodeRow): Promise<void> {
  await trx
    .insertInto('portal_sign_in_code')
    .values({
      id: row.id,
      token_hash: row.tokenHash,
      address_key: row.addressKey,
      client_key: row.clientKey,
      account_id: row.accountId,
      person_id: row.personId,
      channel: row.channel,
      code_hash: row.codeHash,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** The code row behind a pending-sign-in cookie, locked so two tries at once cannot both count as the first. */
export async function lockCode(trx: Trx, tokenHash: string) {
  return trx.selectFrom('portal_sign_in_code').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

export async function recordWrongCode(trx: Trx, id: string): Promise<number> {
  const row = await trx
    .updateTable('portal_sign_in_code')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return row.failed_attempts;
}

export async function markCodeUsed(trx: Trx, id: string, now: Date): Promise<void> {
  await trx.updateTable('portal_sign_in_code').set({ used_at: now }).where('id', '=', id).execute();
}

export async function findAccount(db: Db | Trx, accountId: string) {
  return db.selectFrom('portal_account').selectAll().where('id', '=', accountId).executeTakeFirst();
}

/** The crime references of every case the account reaches, for the second check. */
export async function crimeReferencesInReach(trx: Trx, caseIds: readonly string[]): Promise<string[]> {
  if (!caseIds.length) return [];
  const rows = await trx
    .selectFrom('victim_case as c')
    .innerJoin('crime as cr', 'cr.id', 'c.crime_id')
    .select('cr.crime_reference')
    .where('c.id', 'in', caseIds)
    .execute();
  return rows.map((row) => row.crime_reference);
}

export async function lockInvitation(trx: Trx, tokenHash: string) {
  return trx.selectFrom('portal_invitation').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

export async function markInvitationUsed(trx: Trx, tokenHash: string, now: Date): Promise<void> {
  await trx.updateTable('portal_invitation').set({ used_at: now }).where('token_hash', '=', tokenHash).execute();
}

export async function findInvitation(db: Db, tokenHash: string) {
  return db.selectFrom('portal_invitation').select(['used_at', 'revoked_at', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Failed attempts under a throttle key since the given time. */
export async function countFailures(trx: Trx, accountKey: string, since: Date): Promise<number> {
  const row = await trx
    .selectFrom('sign_in_attempt')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_key', '=', accountKey)
    .where('succeeded', '=', false)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
