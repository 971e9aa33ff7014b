// All SQL for managing staff accounts. Every lookup by id is scoped to an organisation, so a query cannot reach an
// account in another one by mistake.
import type { Trx } from '../../platform/db/transaction.ts';
import type { StaffRole, StaffStatus } from '../../platform/db/schema.ts';

export type StaffAccount = {
  id: string;
  organisationId: string;
  displayName: string;
  email: string;
  role: StaffRole;
  status: StaffStatus;
  hasPassword: boolean;
  hasSecondFactor: boolean;
  invitationExpiresAt: Date | null;
  createdAt: Date;
};

export type StaffListing = Pick<StaffAccount, 'id' | 'displayName' | 'email' | 'role' | 'status'>;

export async function listAccounts(trx: Trx, organisationId: string): Promise<StaffListing[]> {
  const rows = await trx
    .selectFrom('staff_user')
    .select(['id', 'display_name', 'email', 'role', 'status'])
    .where('organisation_id', '=', organisationId)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, displayName: row.display_name, email: row.email, role: row.role, status: row.status }));
}

/** The account, if it belongs to the organisation. With forUpdate the row stays locked until the transaction ends. */
export async function findAccount(
  trx: Trx,
  organisationId: string,
  userId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StaffAccount | undefined> {
  let query = trx
    .selectFrom('staff_user')
    .select([
      'id',
      'organisation_id',
      'display_name',
      'email',
      'role',
      'status',
      'password_hash',
      'totp_secret',
      'invitation_expires_at',
      'created_at',
    ])
    .where('id', '=', userId)
    .where('organisation_id', '=', organisationId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    status: row.status,
    hasPassword: row.password_hash !== null,
    hasSecondFactor: row.totp_secret !== null,
    invitationExpiresAt: row.invitation_expires_at,
    createdAt: row.created_at,
  };
}

/** Emails are unique across every organisation, whatever their case. */
export async function isEmailInUse(trx: Trx, email: string): Promise<boolean> {
  const row = await trx
    .selectFrom('staff_user')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertInvitedAccount(
  trx: Trx,
  values: { organisationId: string; displayName: string; email: string; role: StaffRole; invitationHash: string; expiresAt: Date },
): Promise<string> {
  const row = await trx
    .insertInto('staff_user')
    .values({
      organisation_id: values.organisationId,
      display_name: values.displayName,
      email: values.email,
      role: values.role,
      status: 'invited',
      invitation_hash: values.invitationHash,
      invitation_expires_at: values.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function replaceInvitation(trx: Trx, userId: string, invitationHash: string, expiresAt: Date): Promise<void> {
  await trx
    .updateTable('staff_user')
    .set({ invitation_hash: invitationHash, invitation_expires_at: expiresAt, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export type InvitedAccount = {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  status: StaffStatus;
  invitationExpiresAt: Date | null;
  organisationId: string;
  organisationName: string;
  areaId: string;
};

export async function findByInvitationHash(
  trx: Trx,
  invitationHash: string,
  options: { forUpdate?: boolean } = {},
): Promise<InvitedAccount | undefined> {
  let query = trx
    .selectFrom('staff_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.role',
      'u.status',
      'u.invitation_expires_at',
      'u.organisation_id',
      'o.name as organisation_name',
      'o.area_id',
    ])
    .where('u.invitation_hash', '=', invitationHash);
  if (options.forUpdate) query = query.forUpdate('u');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    status: row.status,
    invitationExpiresAt: row.invitation_expires_at,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    areaId: row.area_id,
  };
}

/** Sets the password and makes the account active; the invitation is spent in the same statement. */
export async function activateAccount(trx: Trx, userId: string, passwordHash: string): Promise<void> {
  await trx
    .updateTable('staff_user')
    .set({ password_hash: passwordHash, status: 'active', invitation_hash: null, invitation_expires_at: null, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function setStatus(trx: Trx, userId: string, status: StaffStatus): Promise<void> {
  await trx.updateTable('staff_user').set({ status, updated_at: new Date() }).where('id', '=', userId).execute();
}

/** Forgets the authenticator and every recovery code, so the person enrols a new second factor at next sign-in. */
export async function clearSecondFactor(trx: Trx, userId: string): Promise<void> {
  await trx
    .updateTable('staff_user')
    .set({ totp_secret: null, totp_last_step: null, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
  await trx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
}
