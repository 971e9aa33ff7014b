// The portal's sign-in pages: ask for a code, enter it, the optional crime reference, invitation links, the timeout
// warning's "stay signed in", sign out and sign out on all devices. Thin: read the form, call the service, answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { PORTAL_PATH, clearPortalCookie, requireVictim, setPortalCookie, victimActor } from '../../platform/auth/portal-sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { translate } from '../../platform/views/i18n/catalogue.ts';
import { addPortalSignInMessages } from './messages.ts';
import { createPortalSender, type PortalSender } from './sender.ts';
import * as signIn from './service.ts';

const PENDING_COOKIE = 'haven_portal_pending';
const field = (form: unknown, name: string): string | undefined => {
  const value = (form as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

export type PortalSignInDeps = { db: Db; config: Pick<Config, 'secureCookies' | 'notifyApiKey' | 'notifyBaseUrl' | 'notifyTemplateIds'>; sender?: PortalSender };

export function registerPortalSignInPages(app: FastifyInstance, deps: PortalSignInDeps): void {
  const { db } = deps;
  const secure = deps.config.secureCookies;
  const sender = deps.sender ?? createPortalSender(deps.config, db);
  addPortalSignInMessages();
  const t = (request: FastifyRequest, key: string, values?: Record<string, string | number>) => translate(request.language, key, values);
  const pendingOptions = { path: PORTAL_PATH, httpOnly: true, sameSite: 'lax' as const, secure, maxAge: 15 * 60 };
  const fieldError = (name: string, text: string) => ({ fields: { [name]: text }, errors: [{ text, href: `#${name}` }] });

  function signedIn(reply: FastifyReply, outcome: { kind: 'signed_in' | 'crime_reference'; sessionToken: string }): FastifyReply {
    setPortalCookie(reply, outcome.sessionToken, secure);
    void reply.clearCookie(PENDING_COOKIE, { path: PORTAL_PATH });
    return reply.redirect(outcome.kind === 'signed_in' ? PORTAL_PATH : '/my-case/sign-in/crime-reference', 303);
  }

  app.get('/my-case/sign-in', async (request, reply) => {
    if (request.victim) return reply.redirect(PORTAL_PATH, 303);
    return reply.view('portal-sign-in/views/sign-in.njk', { expired: field(request.query, 'expired') === '1' });
  });

  app.post('/my-case/sign-in', async (request, reply) => {
    const address = field(request.body, 'address') ?? '';
    try {
      const { token, send } = await signIn.requestCode(db, { address, clientAddress: request.ip, language: request.language, requestId: request.id });
      // Sent after the answer is decided, so a known address takes no longer to answer than an unknown one. A code
      // that fails to go is logged without its recipient; the person asks for another.
      if (send) void send(sender).catch((error: unknown) => request.log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'A sign-in code could not be sent'));
      void reply.setCookie(PENDING_COOKIE, token, pendingOptions);
      return await reply.redirect('/my-case/sign-in/code', 303);
    } catch (error) {
      if (error instanceof Invalid) return reply.code(422).view('portal-sign-in/views/sign-in.njk', { address, ...fieldError('address', t(request, 'portalSignIn.error.address')) });
      if (error instanceof signIn.TooManyCodes) return reply.code(429).view('portal-sign-in/views/sign-in.njk', { address, ...fieldError('address', t(request, 'portalSignIn.error.tooMany')) });
      throw error;
    }
  });

  app.get('/my-case/sign-in/code', async (request, reply) => {
    if (!request.cookies[PENDING_COOKIE]) return reply.redirect('/my-case/sign-in', 303);
    return reply.view('portal-sign-in/views/code.njk', {});
  });

  app.post('/my-case/sign-in/code', async (request, reply) => {
    const pendingToken = request.cookies[PENDING_COOKIE];
    if (!pendingToken) return reply.redirect('/my-case/sign-in', 303);
    const outcome = await signIn.enterCode(db, { pendingToken, code: field(request.body, 'code'), clientAddress: request.ip, requestId: request.id });
    switch (outcome.kind) {
      case 'signed_in':
      case 'crime_reference':
        return signedIn(reply, outcome);
      case 'restart':
        return reply.redirect('/my-case/sign-in', 303);
      case 'wrong':
        return reply.code(422).view('portal-sign-in/views/code.njk', fieldError('code', t(request, 'portalSignIn.error.code', { left: outcome.attemptsLeft })));
      case 'locked':
        return reply.code(429).view('portal-sign-in/views/code.njk', { spent: true, ...fieldError('code', t(request, 'portalSignIn.error.locked')) });
      case 'spent':
      case 'expired':
        return reply.code(422).view('portal-sign-in/views/code.njk', { spent: true, ...fieldError('code', t(request, `portalSignIn.error.${outcome.kind}`)) });
    }
  });

  const halfSignedIn = (request: FastifyRequest) => (request.portalSession?.stage === 'crime_reference' && request.portalAccountId ? request.portalSession : null);

  app.get('/my-case/sign-in/crime-reference', async (request, reply) => {
    if (!halfSignedIn(request)) return reply.redirect('/my-case/sign-in', 303);
    return reply.view('portal-sign-in/views/crime-reference.njk', {});
  });

  app.post('/my-case/sign-in/crime-reference', async (request, reply) => {
    const session = halfSignedIn(request);
    if (!session || !request.portalAccountId) return reply.redirect('/my-case/sign-in', 303);
    try {
      const outcome = await signIn.enterCrimeReference(db, {
        sessionIdHash: session.idHash,
        accountId: request.portalAccountId,
        reference: field(request.body, 'crimeReference'),
        clientAddress: request.ip,
        requestId: request.id,
      });
      if (outcome === 'signed_in') return await reply.redirect(PORTAL_PATH, 303);
      if (outcome === 'ended') {
        clearPortalCookie(reply, secure);
        return await reply.redirect('/my-case/sign-in', 303);
      }
      return await reply.code(422).view('portal-sign-in/views/crime-reference.njk', fieldError('crimeReference', t(request, 'portalSignIn.error.crimeReferenceWrong')));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return reply.code(422).view('portal-sign-in/views/crime-reference.njk', fieldError('crimeReference', t(request, 'portalSignIn.error.crimeReference')));
    }
  });

  // The token is random and says nothing about anyone; opening the link only shows a button.
  app.get<{ Params: { token: string } }>('/my-case/invitation/:token', async (request, reply) => {
    const state = await signIn.invitationState(db, request.params.token);
    return reply.code(state === 'usable' ? 200 : 410).view('portal-sign-in/views/invitation.njk', { state, action: `/my-case/invitation/${encodeURIComponent(request.params.token)}` });
  });

  app.post<{ Params: { token: string } }>('/my-case/invitation/:token', async (request, reply) => {
    const outcome = await signIn.acceptInvitation(db, { token: request.params.token, requestId: request.id });
    if (outcome.kind === 'signed_in' || outcome.kind === 'crime_reference') return signedIn(reply, outcome);
    return reply.code(410).view('portal-sign-in/views/invitation.njk', { state: outcome.kind === 'usable' ? 'expired' : outcome.kind });
  });

  // The timeout warning's "Stay signed in": the session hook has already counted this request as activity.
  app.post('/my-case/session/extend', { preHandler: requireVictim() }, async (request, reply) => {
    if (request.headers.accept?.includes('application/json')) return reply.send({ secondsLeft: request.portalSession?.secondsLeft ?? 0 });
    return reply.redirect(PORTAL_PATH, 303);
  });

  app.post('/my-case/sign-out', async (request, reply) => {
    if (request.portalSession) await signIn.signOut(db, { sessionIdHash: request.portalSession.idHash, accountId: request.portalAccountId, requestId: request.id });
    clearPortalCookie(reply, secure);
    return reply.redirect('/my-case/signed-out', 303);
  });

  app.get('/my-case/signed-out', async (request, reply) => reply.view('portal-sign-in/views/signed-out.njk', { everywhere: field(request.query, 'everywhere') === '1' }));

  app.get('/my-case/sign-out-everywhere', { preHandler: requireVictim() }, async (_request, reply) => reply.view('portal-sign-in/views/sign-out-everywhere.njk', {}));

  app.post('/my-case/sign-out-everywhere', { preHandler: requireVictim() }, async (request, reply) => {
    await signIn.signOutEverywhere(db, victimActor(request));
    clearPortalCookie(reply, secure);
    return reply.redirect('/my-case/signed-out?everywhere=1', 303);
  });
}
