// Sessions for the victim's portal, kept apart from staff sessions: their own cookie (scoped to /my-case), their own
// table and shorter limits. Loads the session on each portal request and sets request.victim; every portal response
// is marked no-store, so a shared or seized device keeps nothing of a case in its cache.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { writeAudit } from '../audit/writer.ts';
import type { PortalSessionStage } from '../db/schema.ts';
import { inTransaction, type Db, type Trx } from '../db/transaction.ts';
import { Forbidden } from '../http/domain-errors.ts';
import type { Actor, VictimIdentity } from './identity.ts';
import { portalSecondsLeft, portalSessionExpiry, portalSessionNeedsTouch } from './portal-session-rules.ts';

export const PORTAL_COOKIE = 'haven_portal';
export const PORTAL_PATH = '/my-case';
export const PORTAL_SIGN_IN_PATH = '/my-case/sign-in';
export const PORTAL_EXPIRED_PATH = '/my-case/sign-in?expired=1';

export type PortalSession = { idHash: string; stage: PortalSessionStage; createdAt: Date; lastSeenAt: Date; secondsLeft: number };

declare module 'fastify' {
  interface FastifyRequest {
    /** The portal session at any stage; request.victim is set only when it is signed in. */
    portalSession: PortalSession | null;
    victim: VictimIdentity | null;
    /** The signed-in account's own id even at the crime-reference stage, for the sign-in pages. */
    portalAccountId: string | null;
  }
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const isPortalUrl = (url: string): boolean => url === PORTAL_PATH || url.startsWith(`${PORTAL_PATH}/`) || url.startsWith(`${PORTAL_PATH}?`);
// The sign-in pages carry on without a session; every other portal page sends an ended session back to sign in.
const isSignInUrl = (url: string): boolean => /^\/my-case\/(sign-in|signed-out|invitation)(\/|\?|$)/.test(url);

export function setPortalCookie(reply: FastifyReply, token: string, secureCookies: boolean): void {
  void reply.setCookie(PORTAL_COOKIE, token, { path: PORTAL_PATH, httpOnly: true, sameSite: 'lax', secure: secureCookies });
}

export function clearPortalCookie(reply: FastifyReply, secureCookies: boolean): void {
  void reply.clearCookie(PORTAL_COOKIE, { path: PORTAL_PATH, httpOnly: true, sameSite: 'lax', secure: secureCookies });
}

/** Starts a session for the account and returns the token for the cookie. */
export async function createPortalSession(trx: Trx, accountId: string, stage: PortalSessionStage, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await trx.insertInto('portal_session').values({ id_hash: hashToken(token), account_id: accountId, stage, created_at: now, last_seen_at: now }).execute();
  return token;
}

export async function advancePortalSession(trx: Trx, idHash: string, now: Date): Promise<void> {
  await trx.updateTable('portal_session').set({ stage: 'signed_in', last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deletePortalSession(db: Db | Trx, idHash: string): Promise<void> {
  await db.deleteFrom('portal_session').where('id_hash', '=', idHash).execute();
}

/** Sign out everywhere: every session the account has, on every device. Returns how many ended. */
export async function endPortalSessionsForAccount(trx: Trx, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('portal_session').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function findPortalSession(db: Db, token: string) {
  return db
    .selectFrom('portal_session as s')
    .innerJoin('portal_account as a', 'a.id', 's.account_id')
    .select(['s.id_hash', 's.account_id', 's.stage', 's.created_at', 's.last_seen_at', 'a.person_id', 'a.display_name', 'a.area_id', 'a.disabled_at'])
    .where('s.id_hash', '=', hashToken(token))
    .executeTakeFirst();
}

export function registerPortalSessions(app: FastifyInstance, options: { db: Db; secureCookies: boolean }): void {
  const { db, secureCookies } = options;
  app.decorateRequest('portalSession', null);
  app.decorateRequest('victim', null);
  app.decorateRequest('portalAccountId', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!isPortalUrl(request.url)) return;
    // Nothing of a victim's case is kept by the browser or anything between: not the pages, not the calendar files.
    void reply.header('Cache-Control', 'no-store');
    const token = request.cookies[PORTAL_COOKIE];
    if (!token) return;
    const row = await findPortalSession(db, token);
    if (!row || row.disabled_at) {
      if (row) await deletePortalSession(db, row.id_hash);
      clearPortalCookie(reply, secureCookies);
      return;
    }
    const now = new Date();
    const session = { createdAt: row.created_at, lastSeenAt: row.last_seen_at };
    const expiry = portalSessionExpiry(session, now);
    if (expiry !== 'live') {
      await inTransaction(db, async (trx) => {
        await deletePortalSession(trx, row.id_hash);
        await writeAudit(trx, { kind: 'system', label: 'portal-sessions', requestId: request.id }, {
          action: 'portal.session_expired',
          recordType: 'portal_account',
          recordId: row.account_id,
          detail: { reason: expiry, stage: row.stage },
        });
      });
      clearPortalCookie(reply, secureCookies);
      if (row.stage === 'signed_in' && !isSignInUrl(request.url)) return reply.redirect(PORTAL_EXPIRED_PATH, 303);
      return;
    }
    if (portalSessionNeedsTouch(session, now)) {
      await db.updateTable('portal_session').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
    }
    request.portalSession = { idHash: row.id_hash, stage: row.stage, createdAt: row.created_at, lastSeenAt: now, secondsLeft: portalSecondsLeft(session, now) };
    request.portalAccountId = row.account_id;
    if (row.stage === 'signed_in') {
      request.victim = { accountId: row.account_id, personId: row.person_id, displayName: row.display_name, areaId: row.area_id };
    }
    return;
  });
}

/** The route guard for portal pages: a signed-in portal session, or back to sign in. */
export function requireVictim(): preHandlerAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (request.victim) return undefined;
    return reply.redirect(PORTAL_SIGN_IN_PATH, 303);
  };
}

/** The signed-in portal user as the actor a service authorises and audits. For routes behind requireVictim. */
export function victimActor(request: FastifyRequest): Actor {
  if (!request.victim) throw new Forbidden('not signed in to the portal');
  return { kind: 'victim', victim: request.victim, requestId: request.id };
}
