// Security headers, cookies, form parsing and CSRF: every page form must carry the token, or the request is refused.
import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { parse as parseQueryString } from 'node:querystring';

export const CSRF_FIELD = '_csrf';

export async function registerSecurity(
  app: FastifyInstance,
  options: { sessionSecret: string; secureCookies: boolean },
): Promise<void> {
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: options.secureCookies ? [] : null,
      },
    },
    // The exit-this-page link goes to another site; the referrer must not tell it where the victim was.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.secureCookies,
  });
  await app.register(fastifyCookie, { secret: options.sessionSecret });
  // Forms are parsed with Node's own query-string parser: flat fields only, which is all a GOV.UK form sends.
  await app.register(fastifyFormbody, { parser: (body) => parseQueryString(body) });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'haven_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, signed: true },
    getToken: (request) => (request.body as Record<string, string> | undefined)?.[CSRF_FIELD],
  });
  await app.register(fastifyRateLimit, { global: false });
  // Every state-changing page request must carry the token; there is no route that can forget to ask for it.
  app.addHook('preHandler', (request, reply, done) => {
    // No route matched: the not-found handler answers 404 or 405, and there is nothing to protect.
    if (SAFE_METHODS.has(request.method) || isApiRequest(request.url) || request.is404) return done();
    app.csrfProtection(request, reply, done);
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True for the machine API, and for GOV.UK Notify's delivery receipts, which authenticate each call with credentials
 * rather than a cookie.
 */
export const isApiRequest = (url: string) => url.startsWith('/api/') || url.startsWith('/notify/');
