// What each request carries besides Fastify's own: its language and, once sessions have run, the signed-in staff member.
import type { FastifyInstance } from 'fastify';
import type { StaffIdentity } from '../auth/identity.ts';
import { isLanguage, type Language } from '../views/i18n/catalogue.ts';

declare module 'fastify' {
  interface FastifyRequest {
    language: Language;
    staff: StaffIdentity | null;
  }
}

export const LANGUAGE_COOKIE = 'haven_lang';

export function registerRequestContext(app: FastifyInstance, options: { secureCookies: boolean }): void {
  app.decorateRequest('language', 'en');
  app.decorateRequest('staff', null);
  // ?lang= switches language and is remembered in a cookie, so the switch works without JavaScript.
  app.addHook('onRequest', async (request, reply) => {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (isLanguage(asked)) {
      request.language = asked;
      void reply.setCookie(LANGUAGE_COOKIE, asked, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        maxAge: 60 * 60 * 24 * 365,
      });
      return;
    }
    const remembered = request.cookies[LANGUAGE_COOKIE];
    if (isLanguage(remembered)) request.language = remembered;
  });
}
