// The public self-referral pages: a start page, one question per page, check your answers and a confirmation. The
// answers live in a server-side draft named by a random id in an httpOnly cookie, so no URL or title holds them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/identity.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { NotFound } from '../../platform/http/domain-errors.ts';
import { translate } from '../../platform/views/i18n/catalogue.ts';
import { addSelfReferralMessages } from './messages.ts';
import {
  CALL_TIMES,
  CATEGORIES,
  CHANNELS,
  DRAFT_LIFETIME_MS,
  NEEDS,
  SUBMISSIONS_PER_HOUR,
  applies,
  firstUnanswered,
  isReference,
  isStep,
  nextPage,
  previousPage,
  type Answers,
  type FieldErrors,
  type Step,
} from './rules.ts';
import { answerQuestion, discardDraft, loadDraft, newDraftId, submitSelfReferral } from './service.ts';

export const DRAFT_COOKIE = 'haven_self_referral';
const DONE_COOKIE = 'haven_self_referral_done';
const BASE = '/self-referral';
/** The field bots fill and people leave empty. */
export const HONEYPOT_FIELD = 'website';

/** The fields of each page, in the order they appear, for the error summary. */
const FIELD_ORDER: Record<Step, string[]> = {
  police: ['reported', 'crimeReference'],
  'what-happened': ['category'],
  name: ['givenName', 'familyName'],
  contact: ['channels'],
  'contact-details': ['phone', 'email', 'addressLine1', 'town', 'postcode'],
  'call-time': ['callTime', 'callTimeNote'],
  voicemail: ['voicemail'],
  'support-needs': ['needs', 'language', 'otherNeeds'],
};

const TITLE_KEYS: Record<Step, string> = {
  police: 'selfReferral.police.title',
  'what-happened': 'selfReferral.whatHappened.title',
  name: 'selfReferral.name.title',
  contact: 'selfReferral.contact.title',
  'contact-details': 'selfReferral.details.title',
  'call-time': 'selfReferral.callTime.title',
  voicemail: 'selfReferral.voicemail.title',
  'support-needs': 'selfReferral.needs.title',
};

const pageUrl = (page: Step | 'check' | 'start') => (page === 'start' ? BASE : `${BASE}/${page}`);

type Form = Record<string, unknown>;

export type SelfReferralDeps = {
  db: Db;
  secureCookies: boolean;
  /** Keys the hash of client addresses kept for the throttle. */
  addressKey: string;
  submissionsPerHour?: number;
};

export function registerSelfReferralPages(app: FastifyInstance, deps: SelfReferralDeps): void {
  const { db } = deps;
  addSelfReferralMessages();
  const submissionsPerHour = deps.submissionsPerHour ?? SUBMISSIONS_PER_HOUR;

  const t = (request: FastifyRequest, key: string) => translate(request.language, key);
  const draftIdOf = (request: FastifyRequest): string | undefined => {
    const value = request.cookies[DRAFT_COOKIE];
    return value && /^[\w-]{43}$/.test(value) ? value : undefined;
  };
  const cookieOptions = { path: BASE, httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies };
  const setDraftCookie = (reply: FastifyReply, draftId: string) =>
    reply.setCookie(DRAFT_COOKIE, draftId, { ...cookieOptions, maxAge: DRAFT_LIFETIME_MS / 1000 });
  // These pages may hold what she told us: no browser or proxy should keep a copy.
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
  const errorList = (request: FastifyRequest, fields: FieldErrors, order: readonly string[]) =>
    order.filter((name) => fields[name]).map((name) => ({ text: t(request, fields[name]!), href: `#${name}` }));
  const fieldMessages = (request: FastifyRequest, fields: FieldErrors) =>
    Object.fromEntries(Object.entries(fields).map(([name, key]) => [name, { text: t(request, key) }]));
  const changing = (request: FastifyRequest) => {
    const query = request.query as Record<string, unknown>;
    const body = (request.body ?? {}) as Form;
    return query.change === '1' || body.change === '1';
  };

  function renderQuestion(
    request: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    answers: Answers,
    values: Record<string, unknown>,
    fields: FieldErrors = {},
  ) {
    const change = changing(request);
    noStore(reply);
    return reply.code(Object.keys(fields).length ? 422 : 200).view(`self-referral/views/${step}.njk`, {
      title: t(request, TITLE_KEYS[step]),
      step,
      action: pageUrl(step),
      change,
      backHref: change ? pageUrl('check') : pageUrl(previousPage(step, answers)),
      values,
      answers,
      fieldErrors: fieldMessages(request, fields),
      errors: errorList(request, fields, FIELD_ORDER[step]),
      honeypotField: HONEYPOT_FIELD,
      options: { CATEGORIES, CHANNELS, CALL_TIMES, NEEDS },
    });
  }

  app.get('/help', (_request, reply) => reply.redirect(BASE, 302));

  app.get(BASE, async (request, reply) => {
    const answers = await loadDraft(db, draftIdOf(request));
    noStore(reply);
    const hasDraft = answers !== undefined && Object.keys(answers).length > 0;
    return reply.view('self-referral/views/start.njk', {
      title: t(request, 'selfReferral.start.title'),
      hasDraft,
      continueHref: hasDraft ? pageUrl(firstUnanswered(answers) ?? 'check') : undefined,
      firstHref: pageUrl('police'),
    });
  });

  app.post(`${BASE}/start-again`, async (request, reply) => {
    await discardDraft(db, draftIdOf(request));
    void reply.clearCookie(DRAFT_COOKIE, cookieOptions);
    return reply.redirect(pageUrl('police'), 303);
  });

  app.get(`${BASE}/check`, async (request, reply) => {
    const answers = await loadDraft(db, draftIdOf(request));
    if (!answers) return reply.redirect(BASE, 303);
    const missing = firstUnanswered(answers);
    if (missing) return reply.redirect(pageUrl(missing), 303);
    noStore(reply);
    return reply.view('self-referral/views/check.njk', {
      title: t(request, 'selfReferral.check.title'),
      answers,
      backHref: pageUrl('support-needs'),
      honeypotField: HONEYPOT_FIELD,
    });
  });

  app.post(`${BASE}/check`, async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const actor: Actor = { kind: 'public', requestId: request.id };
    const outcome = await submitSelfReferral(db, actor, {
      draftId: draftIdOf(request),
      address: request.ip,
      addressKey: deps.addressKey,
      honeypotFilled: honeypotFilled(form),
      language: request.language,
      submissionsPerHour,
    });
    if (outcome.kind === 'throttled') {
      request.log.info({ event: 'self_referral.throttled' }, 'self-referral refused: too many from one address');
      throw Object.assign(new Error('Too many self-referrals from one address'), { statusCode: 429 });
    }
    if (outcome.kind === 'no_draft') return reply.redirect(BASE, 303);
    if (outcome.kind === 'incomplete') return reply.redirect(pageUrl(outcome.step), 303);
    void reply.clearCookie(DRAFT_COOKIE, cookieOptions);
    void reply.setCookie(DONE_COOKIE, outcome.reference, { ...cookieOptions, signed: true, maxAge: 30 * 60 });
    return reply.redirect(`${BASE}/confirmation`, 303);
  });

  app.get(`${BASE}/confirmation`, (request, reply) => {
    const raw = request.cookies[DONE_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    const reference = unsigned?.valid && isReference(unsigned.value) ? unsigned.value : undefined;
    noStore(reply);
    return reply.view('self-referral/views/confirmation.njk', { title: t(request, 'selfReferral.done.title'), reference });
  });

  app.get<{ Params: { step: string } }>(`${BASE}/:step`, async (request, reply) => {
    const step = request.params.step;
    if (!isStep(step)) throw new NotFound('page');
    const answers = (await loadDraft(db, draftIdOf(request))) ?? {};
    // A page that does not apply to her answers, or needs an earlier answer first, sends her where she should be.
    if (!applies(step, answers)) return reply.redirect(pageUrl(firstUnanswered(answers) ?? 'check'), 303);
    return renderQuestion(request, reply, step, answers, answers);
  });

  app.post<{ Params: { step: string } }>(`${BASE}/:step`, async (request, reply) => {
    const step = request.params.step;
    if (!isStep(step)) throw new NotFound('page');
    const form = (request.body ?? {}) as Form;
    const draftId = draftIdOf(request) ?? newDraftId();
    const result = await answerQuestion(db, draftId, step, form, { honeypotFilled: honeypotFilled(form) });
    if ('errors' in result) {
      const answers = (await loadDraft(db, draftId)) ?? {};
      return renderQuestion(request, reply, step, answers, result.values, result.errors);
    }
    setDraftCookie(reply, draftId);
    return reply.redirect(pageUrl(nextPage(step, result.answers, changing(request))), 303);
  });
}

const honeypotFilled = (form: Form): boolean => {
  const value = form[HONEYPOT_FIELD];
  return (Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '').trim() !== '';
};
