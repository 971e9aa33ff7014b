// All SQL on staff sessions: create, look up, touch, move on a stage, and end. The cookie holds a random token; the
// table holds only its sha256, so a leaked table cannot be replayed as a cookie.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Trx } from '../db/transaction.ts';
import type { OrganisationKind, SessionStage, StaffRole, StaffStatus } from '../db/schema.ts';

export const SESSION_COOKIE = 'haven_session';

export const newSessionToken = (): string => randomBytes(32).toString('base64url');
export const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export type StoredSession = {
  idHash: string;
  userId: string;
  stage: SessionStage;
  pendingTotpSecret: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  user: {
    email: string;
    displayName: string;
    role: StaffRole;
    status: StaffStatus;
    organisationId: string;
    organisationName: string;
    organisationKind: OrganisationKind;
    areaId: string;
  };
};

/** Starts a session at the given stage and returns the token for the cookie. */
export async function createSession(
  trx: Trx,
  userId: string,
  stage: SessionStage,
  now: Date,
  pendingTotpSecret: string | null = null,
): Promise<string> {
  const token = newSessionToken();
  await trx
    .insertInto('staff_session')
    .values({
      id_hash: hashSessionToken(token),
      user_id: userId,
      stage,
      pending_totp_secret: pendingTotpSecret,
      created_at: now,
      last_seen_at: now,
    })
    .execute();
  return token;
}

/**
 * The session with the user and their organisation, in one query: every signed-in page pays for it, so it also reads
 * what the services' checks need of the organisation (its kind), which would otherwise cost each page another query.
 */
export async function findSession(db: Db | Trx, token: string): Promise<StoredSession | undefined> {
  const row = await db
    .selectFrom('staff_session as s')
    .innerJoin('staff_user as u', 'u.id', 's.user_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select([
      's.id_hash',
      's.user_id',
      's.stage',
      's.pending_totp_secret',
      's.created_at',
      's.last_seen_at',
      'u.email',
      'u.display_name',
      'u.role',
      'u.status',
      'u.organisation_id',
      'o.name as organisation_name',
      'o.kind as organisation_kind',
      'o.area_id',
    ])
    .where('s.id_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    stage: row.stage,
    pendingTotpSecret: row.pending_totp_secret,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    user: {
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      status: row.status,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      organisationKind: row.organisation_kind,
      areaId: row.area_id,
    },
  };
}

export async function touchSession(db: Db | Trx, idHash: string, now: Date): Promise<void> {
  await db.updateTable('staff_session').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function setPendingTotpSecret(trx: Trx, idHash: string, secret: string): Promise<void> {
  await trx.updateTable('staff_session').set({ pending_totp_secret: secret }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db | Trx, idHash: string): Promise<void> {
  await db.deleteFrom('staff_session').where('id_hash', '=', idHash).execute();
}

/** Ends every session the user has, at any stage: used when a user is disabled, or their password or role changes. */
export async function endSessionsForUser(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('staff_session').where('user_id', '=', userId).execute();
}
