// All SQL of the account feature: the staff user as sign-in sees it, their authenticator and their recovery codes.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { StaffRole, StaffStatus } from '../../platform/db/schema.ts';

export type SignInUser = {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  status: StaffStatus;
  passwordHash: string | null;
  totpSecret: string | null;
  totpLastStep: number | null;
  organisationId: string;
  organisationName: string;
  areaId: string;
};

function userQuery(db: Db | Trx) {
  return db
    .selectFrom('staff_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.role',
      'u.status',
      'u.password_hash',
      'u.totp_secret',
      'u.totp_last_step',
      'u.organisation_id',
      'o.name as organisation_name',
      'o.area_id',
    ]);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>;

const toUser = (row: UserRow): SignInUser => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  status: row.status,
  passwordHash: row.password_hash,
  totpSecret: row.totp_secret,
  totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  organisationId: row.organisation_id,
  organisationName: row.organisation_name,
  areaId: row.area_id,
});

/** By email, matched without regard to case (the unique index is on lower(email)). */
export async function findUserByEmail(db: Db | Trx, normalisedEmail: string): Promise<SignInUser | undefined> {
  const row = await userQuery(db).where(sql<string>`lower(u.email)`, '=', normalisedEmail).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function findUserById(db: Db | Trx, id: string): Promise<SignInUser | undefined> {
  const row = await userQuery(db).where('u.id', '=', id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/** Records the TOTP step just accepted; false when this or a later step was accepted meanwhile (a replay). */
export async function acceptTotpStep(trx: Trx, userId: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('staff_user')
    .set({ totp_last_step: step, updated_at: new Date() })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Saves the newly confirmed authenticator; false when the user already has one (a second tab finished first). */
export async function saveAuthenticator(trx: Trx, userId: string, secret: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('staff_user')
    .set({ totp_secret: secret, totp_last_step: step, updated_at: new Date() })
    .where('id', '=', userId)
    .where('totp_secret', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function replaceRecoveryCodes(trx: Trx, userId: string, codeHashes: readonly string[]): Promise<void> {
  await trx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  await trx
    .insertInto('recovery_code')
    .values(codeHashes.map((codeHash) => ({ user_id: userId, code_hash: codeHash })))
    .execute();
}

/** Marks the matching unused code used; false when there is none. */
export async function useRecoveryCode(trx: Trx, userId: string, codeHash: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('recovery_code')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countUnusedRecoveryCodes(db: Db | Trx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
