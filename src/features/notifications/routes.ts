// Notifications' pages and endpoint: a case's safe-contact profile form, the embedded outbox (development and test
// only), and GOV.UK Notify's delivery receipts. Each route parses the request, calls the service and answers.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { CODE_WORD_MAX_LENGTH, REASON_MAX_LENGTH, RECEIPT_STATUSES, SAFE_TIMES_MAX_LENGTH } from './rules.ts';
import { getOutbox, getSafeContactForm, receiveReceipt, saveSafeContact, type EnqueueSend, type SafeContactPage } from './service.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { caseId: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });

const FIELDS: [string, string][] = [
  ['submissionKey', '#channels'],
  ['channels', '#channels'],
  ['safeTimes', '#safeTimes'],
  ['quietFrom', '#quietFrom'],
  ['quietTo', '#quietTo'],
  ['doNotContact', '#doNotContact'],
  ['doNotContactReason', '#doNotContactReason'],
  ['codeWord', '#codeWord'],
];

const yesNo = (value: boolean | null | undefined) => (value === true ? 'yes' : value === false ? 'no' : 'unknown');

function formPage(page: SafeContactPage, values: Form | undefined, fieldErrors: Record<string, string>) {
  const profile = page.profile;
  const shown: Form = values ?? {
    channels: profile.channels,
    safeTimes: profile.safeTimes ?? '',
    voicemailSafe: yesNo(profile.voicemailSafe),
    homeVisitSafe: yesNo(profile.homeVisitSafe),
    quietFrom: profile.quietHours?.from ?? '',
    quietTo: profile.quietHours?.to ?? '',
    doNotContact: profile.doNotContact === true ? 'yes' : profile.doNotContact === false ? 'no' : '',
    doNotContactReason: profile.doNotContactReason ?? '',
    codeWord: profile.codeWord ?? '',
  };
  const channels = Array.isArray(shown.channels) ? shown.channels : shown.channels ? [shown.channels] : [];
  return {
    title: `Safe contact: case ${page.reference}`,
    caseId: page.caseId,
    reference: page.reference,
    personName: page.personName,
    submissionKey: page.submissionKey,
    values: { ...shown, channels },
    fieldErrors,
    errors: FIELDS.filter(([field]) => fieldErrors[field]).map(([field, href]) => ({ text: fieldErrors[field], href })),
    safeTimesMax: SAFE_TIMES_MAX_LENGTH,
    reasonMax: REASON_MAX_LENGTH,
    codeWordMax: CODE_WORD_MAX_LENGTH,
  };
}

const receiptSchema = z.object({
  id: z.string().min(1).max(100),
  reference: z.string().max(200).nullable().optional(),
  status: z.enum(RECEIPT_STATUSES),
  notification_type: z.string().max(20).optional(),
});

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time: the comparison takes as long whatever the token, so it cannot be guessed a character at a time. */
function bearerMatches(request: FastifyRequest, token: string | undefined): boolean {
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  return Boolean(token) && timingSafeEqual(digest(given), digest(token ?? ''));
}

const problem = (request: FastifyRequest, reply: FastifyReply, status: number, title: string, detail?: string) =>
  reply.code(status).type('application/problem+json').send({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), instance: request.id });

export function registerNotificationPages(app: FastifyInstance, deps: { db: Db; enqueue: EnqueueSend; callbackToken: string | undefined; showOutbox: boolean }): void {
  const { db } = deps;

  app.get<WithCase>('/cases/:caseId/safe-contact', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getSafeContactForm(db, staffActor(request), request.params.caseId);
    noStore(reply);
    return reply.view('notifications/views/safe-contact.njk', formPage(page, undefined, {}));
  });

  app.post<WithCase>('/cases/:caseId/safe-contact', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const values = (request.body ?? {}) as Form;
    try {
      await saveSafeContact(db, actor, request.params.caseId, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const page = await getSafeContactForm(db, actor, request.params.caseId);
      // Keep the key that was sent, so the corrected form still changes the profile only once.
      if (isUuid(values.submissionKey)) page.submissionKey = values.submissionKey;
      noStore(reply);
      return reply.code(422).view('notifications/views/safe-contact.njk', formPage(page, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.caseId}`, 303);
  });

  // Notify's delivery receipts: a machine call with a bearer token, answered in problem+json when refused.
  app.post('/notify/callback', async (request, reply) => {
    if (!bearerMatches(request, deps.callbackToken)) return problem(request, reply, 401, 'Unauthorised', 'The bearer token is missing or wrong.');
    const parsed = receiptSchema.safeParse(request.body);
    if (!parsed.success) return problem(request, reply, 400, 'Bad request', 'The body is not a Notify delivery receipt.');
    const { id, reference, status, notification_type: notificationType } = parsed.data;
    const outcome = await receiveReceipt(db, deps.enqueue, { id, reference: reference ?? null, status, notificationType: notificationType ?? '' });
    return reply.code(200).send({ outcome });
  });

  if (!deps.showOutbox) return;
  addStaffNavigation({ href: '/outbox', text: 'Outbox', roles: ['coordinator', 'supervisor'], organisationKinds: ['hub'] });
  app.get('/outbox', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getOutbox(db, staffActor(request));
    noStore(reply);
    return reply.view('notifications/views/outbox.njk', {
      title: 'Outbox',
      entries: page.entries.map((entry) => ({ ...entry, when: TIME.format(entry.createdAt), channelText: entry.channel === 'sms' ? 'Text message' : 'Email', languageText: entry.language === 'cy' ? 'Welsh' : 'English' })),
    });
  });
}
