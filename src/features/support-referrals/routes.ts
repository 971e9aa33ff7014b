// The hub coordinator's pages for referrals to providers' services: a case's referrals, the referral form (the summary
// the victim approves, so they tell their story once), and one referral with its steps and its messages. Each route
// parses the request, calls the referral service and renders or redirects.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import {
  APPROVAL_NAMES,
  NOTE_MAX_LENGTH,
  OUTCOME_NAMES,
  REASON_MAX_LENGTH,
  SCALE_NAMES,
  STAFF_APPROVALS,
  STATUS_NAMES,
  SUMMARY_MAX_LENGTH,
  WITH_PROVIDER,
  referralReference,
  type SupportReferralStatus,
} from './rules.ts';
import {
  approveSummary,
  cancelDraft,
  createReferral,
  getReferral,
  getReferralForm,
  listCaseReferrals,
  messageProvider,
  sendReferral,
  type Referral,
  type ReferralFormPage,
  type ReferralNote,
  type ReferralPage,
} from './service.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { id: string } };
type WithReferral = { Params: { id: string; referralId: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Every page here shows personal data: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DONE: Record<string, string> = {
  sent: 'Referral sent',
  drafted: 'Referral saved as a draft',
  not_sent: 'Referral saved as a draft. It cannot be sent yet: see why below',
  approved: 'Approval of the summary recorded',
  cancelled: 'Draft referral cancelled',
  messaged: 'Message sent',
};
const doneText = (done: unknown) => (typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : undefined);

// The tag colours follow GOV.UK's meaning: blue waiting, green going well, red refused, grey finished or not started.
const STATUS_CLASSES: Record<SupportReferralStatus, string> = {
  draft: 'govuk-tag--grey',
  cancelled: 'govuk-tag--grey',
  sent: 'govuk-tag--blue',
  accepted: 'govuk-tag--green',
  in_progress: 'govuk-tag--green',
  declined: 'govuk-tag--red',
  no_capacity: 'govuk-tag--orange',
  returned: 'govuk-tag--yellow',
  closed: 'govuk-tag--grey',
};

const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
const dayText = (value: Date | null) => (value ? DAY.format(value) : null);
const scaleText = (value: number | null) => (value === null ? 'Not answered' : (SCALE_NAMES[value] ?? String(value)));

// Text is kept as typed; its line breaks become paragraphs, since the page has no inline styles to keep them.
const linesOf = (text: string) => text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);

const newReferralHref = (caseId: string, serviceId: string) => `/cases/${caseId}/referrals/new?service=${encodeURIComponent(serviceId)}`;

/** A referral as the hub's pages show it. */
const referralView = (referral: Referral) => ({
  ...referral,
  reference: referralReference(referral.id),
  summaryLines: linesOf(referral.summary),
  tag: { text: STATUS_NAMES[referral.status], classes: STATUS_CLASSES[referral.status] },
  createdText: dayText(referral.createdAt),
  sentText: dayText(referral.sentAt),
  dueText: dayText(referral.responseDueAt),
  approvedHowText: referral.summaryApprovedHow ? APPROVAL_NAMES[referral.summaryApprovedHow] : null,
  approvedText: dayText(referral.summaryApprovedAt),
  answeredText: dayText(referral.answeredAt),
  startedText: dayText(referral.startedAt),
  closedText: dayText(referral.closedAt),
  outcomeText: referral.outcome ? OUTCOME_NAMES[referral.outcome] : null,
  measured: [referral.copingBefore, referral.copingAfter, referral.safetyBefore, referral.safetyAfter].some((value) => value !== null),
  copingBeforeText: scaleText(referral.copingBefore),
  copingAfterText: scaleText(referral.copingAfter),
  safetyBeforeText: scaleText(referral.safetyBefore),
  safetyAfterText: scaleText(referral.safetyAfter),
  onwardHref: referral.onwardServiceId ? newReferralHref(referral.caseId, referral.onwardServiceId) : null,
});

const messageView = (message: ReferralNote) => ({
  ...message,
  fromProvider: message.kind === 'to_coordinator',
  bodyLines: linesOf(message.body),
  createdIso: message.createdAt.toISOString(),
});

const errorList = (fieldErrors: Record<string, string>, hrefs: [string, string][]) =>
  hrefs.filter(([field]) => fieldErrors[field]).map(([field, href]) => ({ text: fieldErrors[field], href }));

function newFormPage(form: ReferralFormPage, values: Form, fieldErrors: Record<string, string>) {
  const { service } = form.eligibility;
  const excluded = form.eligibility.excludedBecause.length > 0;
  return {
    title: `Refer to a support service: case ${form.reference}`,
    ...form,
    service,
    excluded,
    values,
    fieldErrors,
    // The key is checked before anything else; its message belongs by the summary, the first thing to write again.
    errors: errorList(fieldErrors, [
      ['submissionKey', '#summary'],
      ['overrideReason', '#overrideReason'],
      ['summary', '#summary'],
      ['approvedHow', '#approvedHow'],
    ]),
    approvals: [...STAFF_APPROVALS.map((value) => ({ value, text: APPROVAL_NAMES[value] })), { value: 'not_yet', text: 'Not yet: they will approve it later' }],
    summaryMax: SUMMARY_MAX_LENGTH,
    reasonMax: REASON_MAX_LENGTH,
  };
}

/** The referral page, with what the forms on it were sent with when one of them is shown again with errors. */
function referralPage(page: ReferralPage, values: Form, fieldErrors: Record<string, string>) {
  const referral = referralView(page.referral);
  return {
    title: `Referral ${referral.reference}: case ${page.reference}`,
    ...page,
    referral,
    messages: page.messages.map(messageView),
    canMessage: WITH_PROVIDER.includes(page.referral.status),
    isDraft: page.referral.status === 'draft',
    values,
    fieldErrors,
    errors: errorList(fieldErrors, [
      ['approvedHow', '#approvedHow'],
      ['send', '#send'],
      ['body', '#body'],
    ]),
    approvals: STAFF_APPROVALS.map((value) => ({ value, text: APPROVAL_NAMES[value] })),
    messageMax: NOTE_MAX_LENGTH,
  };
}

export function registerSupportReferralPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithCase & { Querystring: { done?: string } }>('/cases/:id/referrals', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await listCaseReferrals(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('support-referrals/views/referrals.njk', {
      title: `Referrals to support services: case ${page.reference}`,
      ...page,
      referrals: page.referrals.map(referralView),
      done: doneText(request.query.done),
    });
  });

  app.get<WithCase & { Querystring: { service?: string } }>('/cases/:id/referrals/new', { preHandler: caseWorkers }, async (request, reply) => {
    const form = await getReferralForm(db, staffActor(request), request.params.id, request.query.service);
    noStore(reply);
    return reply.view('support-referrals/views/referral-new.njk', newFormPage(form, {}, {}));
  });

  app.post<WithCase>('/cases/:id/referrals', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    let created: Awaited<ReturnType<typeof createReferral>>;
    try {
      created = await createReferral(db, actor, request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const form = await getReferralForm(db, actor, request.params.id, values.serviceId);
      // Keep the key that was sent, so the corrected form still makes the referral only once; unless the key itself was
      // refused (another case's), when only a fresh one lets the form through.
      if (isUuid(values.submissionKey) && !error.fields.submissionKey) form.submissionKey = values.submissionKey;
      noStore(reply);
      return reply.code(422).view('support-referrals/views/referral-new.njk', newFormPage(form, values, error.fields));
    }
    const done = created.sent ? 'sent' : values.action === 'send' ? 'not_sent' : 'drafted';
    return reply.redirect(`/cases/${request.params.id}/referrals/${created.referralId}?done=${done}`, 303);
  });

  app.get<WithReferral & { Querystring: { done?: string } }>('/cases/:id/referrals/:referralId', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getReferral(db, staffActor(request), request.params.id, request.params.referralId);
    noStore(reply);
    return reply.view('support-referrals/views/referral.njk', { ...referralPage(page, {}, {}), done: doneText(request.query.done) });
  });

  /**
   * A step on the referral page: on success back to the page with a banner; on Invalid the page again, 422, with the
   * error by the form that was sent. Conflict (a stale page) is left to the platform's 409 page.
   */
  const step = (path: string, done: string, work: (request: FastifyRequest<WithReferral>, values: Form) => Promise<void>) => {
    app.post<WithReferral>(`/cases/:id/referrals/:referralId/${path}`, { preHandler: caseWorkers }, async (request, reply) => {
      const values = formOf(request);
      try {
        await work(request, values);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        const page = await getReferral(db, staffActor(request), request.params.id, request.params.referralId);
        // A message sent again after a fix must still be stored once: keep its key.
        if (isUuid(values.submissionKey)) page.messageKey = values.submissionKey;
        noStore(reply);
        return reply.code(422).view('support-referrals/views/referral.njk', referralPage(page, values, error.fields));
      }
      return reply.redirect(`/cases/${request.params.id}/referrals/${request.params.referralId}?done=${done}`, 303);
    });
  };

  step('approve', 'approved', (request, values) => approveSummary(db, staffActor(request), request.params.id, request.params.referralId, values));
  step('send', 'sent', (request) => sendReferral(db, staffActor(request), request.params.id, request.params.referralId));
  step('cancel', 'cancelled', (request) => cancelDraft(db, staffActor(request), request.params.id, request.params.referralId));
  step('messages', 'messaged', (request, values) => messageProvider(db, staffActor(request), request.params.id, request.params.referralId, values));
}
