// Loads the staff session named by the haven_session cookie on each request. A fully signed-in session sets
// request.staff; a half-done one (password given, second factor not yet) is left on request.staffSession for the
// sign-in pages. Expired sessions and sessions of users no longer active are deleted as soon as they are seen.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { writeAudit } from '../audit/writer.ts';
import { inTransaction, type Db } from '../db/transaction.ts';
import { isApiRequest } from '../http/security.ts';
import type { StaffIdentity } from './identity.ts';
import { sessionExpiry, sessionNeedsTouch } from './session-rules.ts';
import { SESSION_COOKIE, deleteSession, findSession, touchSession, type StoredSession } from './session-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session behind this request at any stage, or null. request.staff is set only at stage signed_in. */
    staffSession: StoredSession | null;
  }
}

export type SessionCookieOptions = { secureCookies: boolean };

/** Where an ended session sends the browser: the flag shows the inactivity message, and carries nothing personal. */
export const SIGN_IN_EXPIRED_PATH = '/sign-in?expired=1';

export function setSessionCookie(reply: FastifyReply, token: string, options: SessionCookieOptions): void {
  void reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies });
}

export function clearSessionCookie(reply: FastifyReply, options: SessionCookieOptions): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies });
}

export function identityOf(session: StoredSession): StaffIdentity {
  return {
    userId: session.userId,
    email: session.user.email,
    displayName: session.user.displayName,
    role: session.user.role,
    organisationId: session.user.organisationId,
    organisationName: session.user.organisationName,
    areaId: session.user.areaId,
    organisationKind: session.user.organisationKind,
  };
}

// Static files and the machine API never use the staff session, so they cost no database query.
const SESSIONLESS = /^\/(assets|govuk-frontend|moj-frontend|public|api)\//;

export function registerStaffSessions(app: FastifyInstance, options: { db: Db; secureCookies: boolean }): void {
  const { db } = options;
  app.decorateRequest('staffSession', null);
  app.addHook('onRequest', async (request, reply) => {
    if (SESSIONLESS.test(request.url) || isApiRequest(request.url)) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await findSession(db, token);
    if (!session) {
      clearSessionCookie(reply, options);
      return;
    }
    const now = new Date();
    if (session.user.status !== 'active') {
      await inTransaction(db, (trx) => deleteSession(trx, session.idHash));
      clearSessionCookie(reply, options);
      return;
    }
    const expiry = sessionExpiry(session, now);
    if (expiry !== 'live') {
      await inTransaction(db, async (trx) => {
        await deleteSession(trx, session.idHash);
        await writeAudit(trx, { kind: 'system', label: 'sessions', requestId: request.id }, {
          action: 'staff.session_expired',
          recordType: 'staff_user',
          recordId: session.userId,
          detail: { reason: expiry, stage: session.stage },
        });
      });
      clearSessionCookie(reply, options);
      // Only a session that was in use is worth a message, and the sign-in pages themselves just carry on.
      if (session.stage === 'signed_in' && !/^\/sign(-in|ed-out)(\/|$|\?)/.test(request.url)) {
        return reply.redirect(SIGN_IN_EXPIRED_PATH, 303);
      }
      return;
    }
    // One statement, so it needs no transaction of its own (which would cost two more round trips).
    if (sessionNeedsTouch(session, now)) await touchSession(db, session.idHash, now);
    request.staffSession = session;
    if (session.stage === 'signed_in') request.staff = identityOf(session);
    return;
  });
}
