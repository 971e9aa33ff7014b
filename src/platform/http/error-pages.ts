// Turns every failure into a clear GOV.UK page or, for the API, problem+json, with the right status and no detail
// that would help an attacker: the request id is the only link to the log line that has the rest.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Conflict, Forbidden, Invalid, NotFound } from './domain-errors.ts';
import { isApiRequest } from './security.ts';
import { pageLocals } from '../views/views.ts';

type Outcome = { status: number; key: string; title: string; detail?: string; fields?: Record<string, string> };

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Errors that mean the database is down or unreachable, rather than a fault in what was asked. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === '57P01' ||
    code === '57P03' ||
    code === '53300' ||
    // PGlite closed, Kysely or the pg Pool shut down, or a connection lost or never made.
    /closed|terminat|driver has already been destroyed|after calling end on the pool|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}

function classify(error: FastifyError | Error): Outcome {
  if (error instanceof NotFound) return { status: 404, key: '404', title: TITLES[404]! };
  if (error instanceof Forbidden) return { status: 403, key: '403', title: TITLES[403]! };
  if (error instanceof Invalid) return { status: 422, key: '400', title: TITLES[422]!, detail: error.message, fields: error.fields };
  if (error instanceof Conflict) return { status: 409, key: '400', title: TITLES[409]!, detail: error.message };
  const code = (error as FastifyError).code ?? '';
  if (code.startsWith('FST_CSRF')) return { status: 403, key: 'csrf', title: 'Invalid CSRF token', detail: 'The form token was missing or wrong.' };
  const status = (error as FastifyError).statusCode;
  if (status === 413) return { status, key: '413', title: TITLES[413]! };
  if (status === 429) return { status, key: '429', title: TITLES[429]! };
  if (status && status >= 400 && status < 500) return { status, key: '400', title: TITLES[status] ?? TITLES[400]! };
  if (isDatabaseUnavailable(error)) return { status: 503, key: '503', title: TITLES[503]! };
  return { status: 500, key: '500', title: TITLES[500]! };
}

/** The victim side is everything that is not staff, API or operations: it gets Exit this page on its errors too. */
const isPublicSide = (url: string) => /^\/(help|self-referral|my-case|cymraeg)(\/|$|\?)/.test(url);

export async function sendError(request: FastifyRequest, reply: FastifyReply, outcome: Outcome): Promise<void> {
  reply.code(outcome.status);
  if (outcome.status === 405) void reply.header('allow', reply.getHeader('allow') ?? 'GET');
  if (isApiRequest(request.url) || request.headers.accept?.includes('application/json')) {
    await reply.type('application/problem+json').send({
      type: 'about:blank',
      title: outcome.title,
      status: outcome.status,
      ...(outcome.detail ? { detail: outcome.detail } : {}),
      ...(outcome.fields ? { errors: outcome.fields } : {}),
      instance: request.id,
    });
    return;
  }
  await reply.type('text/html; charset=utf-8').view('errors/error.njk', {
    ...pageLocals(request, reply),
    errorKey: outcome.key,
    publicSide: isPublicSide(request.url),
    showReference: outcome.status >= 500,
  });
}

export function registerErrorPages(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const outcome = classify(error);
    if (outcome.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: error.code ?? error.name, status: outcome.status }, 'request refused');
    await sendError(request, reply, outcome);
  });

  app.setNotFoundHandler(async (request, reply) => {
    // A path that exists for another method is a wrong method, not a missing page.
    const path = request.url.split('?')[0] ?? '/';
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter(
      (method) => method !== request.method && app.hasRoute({ method, url: path }),
    );
    if (allowed.length) {
      void reply.header('allow', allowed.join(', '));
      await sendError(request, reply, { status: 405, key: '405', title: TITLES[405]! });
      return;
    }
    await sendError(request, reply, { status: 404, key: '404', title: TITLES[404]! });
  });
}
