// Nunjucks set up for GOV.UK Frontend and MoJ Frontend, with each feature's views/ folder on the search path, and the
// values every page needs (CSP nonce, language, signed-in user) put on reply.locals.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyView from '@fastify/view';
import nunjucks from 'nunjucks';
import { ROLE_NAMES } from '../auth/roles.ts';
import { CSRF_FIELD } from '../http/security.ts';
import { translate } from './i18n/catalogue.ts';
import { portalNavigationFor, staffNavigationFor } from './navigation.ts';

const require = createRequire(import.meta.url);
declare module 'fastify' {
  interface FastifyReply {
    /** Merged into every template's context by @fastify/view. */
    locals: Record<string, unknown>;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
export const govukFrontendDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const mojFrontendDir = dirname(require.resolve('@ministryofjustice/frontend/package.json'));
const featuresDir = join(here, '..', '..', 'features');

// One formatter for the process: toLocaleString builds a new one on every call, which showed as 4% of the case
// page's CPU time (a timeline has a date on every event).
const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });

function formatDate(value: unknown): string {
  if (!(value instanceof Date)) return typeof value === 'string' ? value : '';
  return LONDON_DATE_TIME.format(value);
}

/**
 * Nunjucks' trim filter with String#trim, which strips exactly what \s matches, in place of the regular expression
 * /^\s*|\s*$/g: GOV.UK Frontend's templates trim nearly every value, and the expression was a tenth of the case page's
 * render time. Anything but a string or a safe string goes to Nunjucks' own filter, to fail as it always did.
 */
function trimFilter(builtin: (value: unknown) => unknown): (value: unknown) => unknown {
  const { SafeString } = nunjucks.runtime;
  return (value) => {
    if (typeof value === 'string') return value.trim();
    if (value instanceof SafeString) return new SafeString(value.val.trim());
    return builtin(value);
  };
}

/**
 * GOV.UK Frontend's macros include their templates and import their helpers by relative name on every call, and the
 * loader resolves each name with path.resolve every time: 5% of the case page's render. The answer for a pair of
 * names never changes (even when templates are reloaded in development), so the loader remembers it; the names are the
 * templates' own, so the map stays small.
 */
function rememberRelativeNames(env: nunjucks.Environment): void {
  for (const loader of (env as unknown as { loaders: nunjucks.Loader[] }).loaders) {
    const resolve = loader.resolve.bind(loader);
    const resolved = new Map<string, string>();
    loader.resolve = (from: string, to: string): string => {
      const key = `${from}\n${to}`;
      let name = resolved.get(key);
      if (name === undefined) {
        name = resolve(from, to);
        resolved.set(key, name);
      }
      return name;
    };
  }
}

export async function registerViews(app: FastifyInstance, options: { production: boolean }): Promise<void> {
  await app.register(fastifyView, {
    engine: { nunjucks },
    // Templates are named from these roots: 'layouts/staff.njk', 'account/views/sign-in.njk', 'govuk/components/...'.
    templates: [join(here, 'templates'), featuresDir, govukFrontendDist, mojFrontendDir],
    production: options.production,
    options: {
      autoescape: true,
      trimBlocks: true,
      lstripBlocks: true,
      noCache: !options.production,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('date', formatDate);
        env.addFilter('trim', trimFilter(env.getFilter('trim')));
        rememberRelativeNames(env);
      },
    },
  });
  app.addHook('preHandler', async (request, reply) => {
    reply.locals = { ...reply.locals, ...pageLocals(request, reply) };
  });
}

/** What every page template may use. Error pages call this directly, since they can be sent before preHandler runs. */
export function pageLocals(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const language = request.language;
  const currentPath = request.url.split('?')[0] ?? '/';
  return {
    cspNonce: reply.cspNonce?.script,
    language,
    htmlLang: language,
    t: (key: string, values?: Record<string, string | number>) => translate(language, key, values),
    currentPath,
    staff: request.staff,
    staffRoleName: request.staff ? ROLE_NAMES[request.staff.role] : undefined,
    staffNavigation: staffNavigationFor(request.staff?.role, currentPath, request.staff?.organisationKind),
    victim: request.victim,
    portalNavigation: request.victim ? portalNavigationFor(language, currentPath) : [],
    portalSecondsLeft: request.victim ? request.portalSession?.secondsLeft : undefined,
    requestId: request.id,
    csrfToken: reply.generateCsrf(),
    csrfField: CSRF_FIELD,
  };
}
