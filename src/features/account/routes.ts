// The sign-in pages: email and password, the second factor, authenticator set-up and recovery codes, and sign-out.
// Thin: read the form, call the service, render or redirect.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff } from '../../platform/auth/guard.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/auth/sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Conflict, Invalid } from '../../platform/http/domain-errors.ts';
import * as account from './service.ts';

type Form = Record<string, string | string[] | undefined>;
const field = (form: unknown, name: string): string | undefined => {
  const value = (form as Form | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/** GOV.UK error summary items, linking each message to its field. */
const errorList = (fields: Record<string, string>) => Object.entries(fields).map(([name, text]) => ({ text, href: `#${name}` }));

const requestOf = (request: FastifyRequest) => ({ address: request.ip, requestId: request.id });

export function registerAccountPages(app: FastifyInstance, options: { db: Db; secureCookies: boolean }): void {
  const { db } = options;

  /** The half-done session this page needs, or a redirect back to the start of sign-in. */
  const halfSession = (request: FastifyRequest, stage: 'second_factor' | 'enrolment') =>
    request.staffSession?.stage === stage ? request.staffSession : null;

  /** A Conflict from the service means this sign-in cannot go on (user disabled, or done in another tab). */
  async function restartOnConflict(reply: FastifyReply, error: unknown): Promise<FastifyReply> {
    if (!(error instanceof Conflict)) throw error;
    clearSessionCookie(reply, options);
    return reply.redirect('/sign-in', 303);
  }

  app.get('/sign-in', async (request, reply) => {
    if (request.staff) return reply.redirect('/', 303);
    return reply.view('account/views/sign-in.njk', { expired: field(request.query, 'expired') === '1' });
  });

  app.post('/sign-in', async (request, reply) => {
    const email = field(request.body, 'email') ?? '';
    const password = field(request.body, 'password') ?? '';
    try {
      const outcome = await account.signInWithPassword(db, { email, password }, { ...requestOf(request), previousSession: request.staffSession });
      setSessionCookie(reply, outcome.token, options);
      return await reply.redirect(outcome.next === 'second_factor' ? '/sign-in/second-factor' : '/sign-in/set-up-authenticator', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.code(422).view('account/views/sign-in.njk', { email, fields: error.fields, errors: errorList(error.fields) });
    }
  });

  app.get('/sign-in/second-factor', async (request, reply) => {
    if (!halfSession(request, 'second_factor')) return reply.redirect('/sign-in', 303);
    return reply.view('account/views/second-factor.njk', {});
  });

  app.post('/sign-in/second-factor', async (request, reply) => {
    const session = halfSession(request, 'second_factor');
    if (!session) return reply.redirect('/sign-in', 303);
    const form = { code: field(request.body, 'code'), recoveryCode: field(request.body, 'recoveryCode') };
    try {
      const outcome = await account.completeSecondFactor(db, session, form, requestOf(request));
      setSessionCookie(reply, outcome.token, options);
      return await reply.redirect('/', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) return restartOnConflict(reply, error);
      return reply.code(422).view('account/views/second-factor.njk', {
        fields: error.fields,
        errors: errorList(error.fields),
        openRecovery: 'recoveryCode' in error.fields,
      });
    }
  });

  app.get('/sign-in/set-up-authenticator', async (request, reply) => {
    const session = halfSession(request, 'enrolment');
    if (!session) return reply.redirect('/sign-in', 303);
    return reply.view('account/views/set-up-authenticator.njk', await account.authenticatorSetUp(db, session));
  });

  app.post('/sign-in/set-up-authenticator', async (request, reply) => {
    const session = halfSession(request, 'enrolment');
    if (!session) return reply.redirect('/sign-in', 303);
    try {
      const outcome = await account.confirmAuthenticator(db, session, { code: field(request.body, 'code') }, requestOf(request));
      setSessionCookie(reply, outcome.token, options);
      // Shown in answer to this post and never again: only the hashes are kept.
      return await reply.view('account/views/recovery-codes.njk', { recoveryCodes: outcome.recoveryCodes, firstTime: true });
    } catch (error) {
      if (!(error instanceof Invalid)) return restartOnConflict(reply, error);
      const setUp = await account.authenticatorSetUp(db, session);
      return reply.code(422).view('account/views/set-up-authenticator.njk', { ...setUp, fields: error.fields, errors: errorList(error.fields) });
    }
  });

  app.get('/sign-in/recovery-codes', { preHandler: requireStaff() }, async (request, reply) => {
    const remaining = await account.unusedRecoveryCodeCount(db, request.staff!);
    return reply.view('account/views/recovery-codes.njk', { remaining });
  });

  app.post('/sign-in/recovery-codes', { preHandler: requireStaff() }, async (request, reply) => {
    const recoveryCodes = await account.createNewRecoveryCodes(db, request.staff!, { requestId: request.id });
    return reply.view('account/views/recovery-codes.njk', { recoveryCodes, firstTime: false });
  });

  app.post('/sign-out', async (request, reply) => {
    if (request.staffSession) await account.signOut(db, request.staffSession, { requestId: request.id });
    clearSessionCookie(reply, options);
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', async (request, reply) => {
    if (request.staff) return reply.redirect('/', 303);
    return reply.view('account/views/signed-out.njk', {});
  });
}
