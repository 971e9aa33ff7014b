// Staff pages for a case's messages with the victim. The hub's (/cases/:id/messages) shows the hub's thread with a
// reply, and lets the coordinator open the case's other threads (the police's, each provider's) to read. A provider's
// (/team-inbox/referrals/:referralId/victim-messages) shows its own thread on the referral's case. The police view shows the
// police's thread on its own case page (features/police-view).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
// A pure rule (no I/O): the case's short reference, the same on every page.
import { caseReference } from '../cases/rules.ts';
import { MESSAGE_BODY_MAX_LENGTH, messageView, replyFormErrors, staffThreadName, threadSlug } from './rules.ts';
import { caseOfReferralForProvider, getThread, replyToVictim, replyToVictimAsProvider, type StaffThreadPage } from './service.ts';

type Form = Record<string, unknown>;
type Failed = { values: Form; fieldErrors: Record<string, string> };
type WithId = { Params: { id: string }; Querystring: { thread?: unknown; done?: unknown } };
type WithReferral = { Params: { referralId: string }; Querystring: { done?: unknown } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);
const providerStaff = requireStaff(['provider_caseworker', 'supervisor']);
// Every page here shows a victim's words: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

/** What the thread template needs, whichever page shows it. */
function threadLocals(page: StaffThreadPage, formAction: string, failed: Failed | undefined, done: unknown) {
  const kept = failed && isUuid(failed.values.submissionKey) ? failed.values.submissionKey : undefined;
  const shown = page.threads.find((item) => threadSlug(item.thread) === threadSlug(page.thread));
  return {
    messages: page.messages.map(messageView),
    threadName: staffThreadName(page.thread, shown?.organisationName),
    readOnly: !page.own,
    formAction,
    // Keep the key that was sent, so the corrected form still sends the message only once.
    submissionKey: kept ?? randomUUID(),
    messageMax: MESSAGE_BODY_MAX_LENGTH,
    values: failed?.values ?? {},
    fieldErrors: failed?.fieldErrors ?? {},
    errors: failed ? replyFormErrors(failed.fieldErrors) : [],
    done: done === 'sent' ? 'Message sent' : undefined,
  };
}

export function registerCaseMessagePages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  async function renderHub(request: FastifyRequest<WithId>, reply: FastifyReply, failed?: Failed) {
    const page = await getThread(db, staffActor(request), request.params.id, failed ? undefined : request.query.thread);
    // A provider's supervisor passes the role check but reads messages on their own page, by referral.
    if (!page.agencyCase) throw new NotFound('case');
    const { case: victimCase, person } = page.agencyCase;
    const base = `/cases/${victimCase.id}/messages`;
    noStore(reply);
    return reply.code(failed ? 422 : 200).view('case-messages/views/messages.njk', {
      title: `Messages: case ${caseReference(victimCase.id)}`,
      caseId: victimCase.id,
      reference: caseReference(victimCase.id),
      personName: [person.givenName, person.familyName].filter(Boolean).join(' '),
      threads: page.threads.map((item) => ({
        slug: item.slug,
        name: staffThreadName(item.thread, item.organisationName),
        href: item.thread.party === 'hub' ? base : `${base}?thread=${item.slug}`,
        current: item.slug === threadSlug(page.thread),
        unreadByStaff: item.unreadByStaff,
      })),
      ...threadLocals(page, base, failed, request.query.done),
    });
  }

  app.get<WithId>('/cases/:id/messages', { preHandler: caseWorkers }, (request, reply) => renderHub(request, reply));

  app.post<WithId>('/cases/:id/messages', { preHandler: caseWorkers }, async (request, reply) => {
    const values = formOf(request);
    try {
      await replyToVictim(db, staffActor(request), request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderHub(request, reply, { values, fieldErrors: error.fields });
    }
    return reply.redirect(`/cases/${request.params.id}/messages?done=sent#messages`, 303);
  });

  const providerPath = (referralId: string) => `/team-inbox/referrals/${referralId}/victim-messages`;

  async function renderProvider(request: FastifyRequest<WithReferral>, reply: FastifyReply, failed?: Failed) {
    const actor = staffActor(request);
    const caseId = await caseOfReferralForProvider(db, actor, request.params.referralId);
    const page = await getThread(db, actor, caseId);
    noStore(reply);
    return reply.code(failed ? 422 : 200).view('case-messages/views/messages.njk', {
      title: 'Messages with the victim',
      providerPage: true,
      backText: 'Back to the referral',
      backHref: `/team-inbox/referrals/${request.params.referralId}`,
      threads: [],
      ...threadLocals(page, providerPath(request.params.referralId), failed, request.query.done),
    });
  }

  app.get<WithReferral>('/team-inbox/referrals/:referralId/victim-messages', { preHandler: providerStaff }, (request, reply) => renderProvider(request, reply));

  app.post<WithReferral>('/team-inbox/referrals/:referralId/victim-messages', { preHandler: providerStaff }, async (request, reply) => {
    const values = formOf(request);
    const actor = staffActor(request);
    try {
      await replyToVictimAsProvider(db, actor, request.params.referralId, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderProvider(request, reply, { values, fieldErrors: error.fields });
    }
    return reply.redirect(`${providerPath(request.params.referralId)}?done=sent#messages`, 303);
  });
}
