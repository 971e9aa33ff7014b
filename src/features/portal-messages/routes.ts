// The portal's message pages: every thread across the cases the account reaches (/my-case/messages), the threads of
// one case, and one thread with its send form (/my-case/cases/:caseId/messages/:party). Reach, reading and sending
// are decided and audited in features/case-messages through features/portal-access; these routes only parse and
// render. Titles come from the catalogue and never name the victim, the crime or a support service.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireVictim, victimActor } from '../../platform/auth/portal-sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { translate, type Language } from '../../platform/views/i18n/catalogue.ts';
// Pure rules (no I/O): the case's short reference, and a message's length limit.
import { caseReference } from '../cases/rules.ts';
import { MESSAGE_BODY_MAX_LENGTH } from '../case-messages/rules.ts';
import { readThreadForVictim, receiveVictimMessage, victimThreads, type ThreadListing, type VictimCaseThreads } from '../case-messages/service.ts';
import { registerPortalMessagesText } from './messages.ts';
import { casePath, formErrors, overviewPath, partyName, threadPath, threadTitle, totalUnread, unreadText, victimMessageView, type Text } from './rules.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { caseId: string } };
type WithThread = { Params: { caseId: string; party: string }; Querystring: { done?: unknown } };
type Failed = { values: Form; fieldErrors: Record<string, string> };

const signedIn = requireVictim();
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

const DATE_FORMATS: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' }),
  cy: new Intl.DateTimeFormat('cy-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' }),
};

export function registerPortalMessagePages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  registerPortalMessagesText();

  const say = (request: FastifyRequest, text: Text) => translate(request.language, text.key, text.values);
  const when = (request: FastifyRequest, at: Date | null) => (at ? { text: DATE_FORMATS[request.language].format(at), iso: at.toISOString() } : null);

  /** One case's threads as the lists show them, in the page's language. */
  const caseView = (request: FastifyRequest, item: VictimCaseThreads) => ({
    caseId: item.reach.caseId,
    heading: say(request, { key: 'portalMessages.case.heading', values: { reference: caseReference(item.reach.caseId) } }),
    relation: say(request, { key: `portalMessages.relation.${item.reach.relation}` }),
    href: casePath(item.reach.caseId),
    unread: totalUnread(item.threads),
    threads: item.threads.map((listing: ThreadListing) => ({
      slug: listing.slug,
      name: say(request, partyName(listing)),
      href: threadPath(item.reach.caseId, listing.slug),
      unread: listing.unreadByVictim,
      unreadText: say(request, unreadText(listing.unreadByVictim)),
      last: when(request, listing.lastAt),
    })),
  });

  app.get(overviewPath, { preHandler: signedIn }, async (request, reply) => {
    const cases = await victimThreads(db, victimActor(request));
    return reply.view('portal-messages/views/overview.njk', {
      title: translate(request.language, 'portalMessages.overview.title'),
      cases: cases.map((item) => caseView(request, item)),
    });
  });

  app.get<WithCase>('/my-case/cases/:caseId/messages', { preHandler: signedIn }, async (request, reply) => {
    const [found] = await victimThreads(db, victimActor(request), request.params.caseId);
    return reply.view('portal-messages/views/case.njk', {
      title: translate(request.language, 'portalMessages.case.title'),
      item: caseView(request, found!),
    });
  });

  async function renderThread(request: FastifyRequest<WithThread>, reply: FastifyReply, failed?: Failed) {
    const found = await readThreadForVictim(db, victimActor(request), request.params.caseId, request.params.party);
    const kept = typeof failed?.values.idempotencyKey === 'string' && failed.values.idempotencyKey ? failed.values.idempotencyKey : undefined;
    const errors = failed ? formErrors(failed.fieldErrors) : [];
    const bodyError = errors.map((error) => say(request, error)).join('. ');
    return reply.code(failed ? 422 : 200).view('portal-messages/views/thread.njk', {
      title: say(request, threadTitle(found.listing.thread)),
      caseId: found.reach.caseId,
      backHref: casePath(found.reach.caseId),
      partyName: say(request, partyName(found.listing)),
      messages: found.messages.map((message) => {
        const view = victimMessageView(message);
        return { ...view, heading: say(request, view.heading ?? { key: 'portalMessages.fromParty', values: { party: say(request, partyName(found.listing)) } }), when: when(request, message.createdAt) };
      }),
      canSend: found.canSend,
      readOnly: !found.reach.canAct,
      closed: found.reach.canAct && !found.listing.open,
      formAction: threadPath(found.reach.caseId, found.listing.slug),
      // A new key each time the form is drawn, and the same one again when it comes back with an error: a double
      // submit of one form stores one message.
      idempotencyKey: kept ?? randomUUID(),
      messageMax: MESSAGE_BODY_MAX_LENGTH,
      body: typeof failed?.values.body === 'string' ? failed.values.body : '',
      bodyError,
      errors: errors.map((error) => ({ text: say(request, error), href: error.href })),
      done: request.query.done === 'sent',
    });
  }

  app.get<WithThread>('/my-case/cases/:caseId/messages/:party', { preHandler: signedIn }, (request, reply) => renderThread(request, reply));

  app.post<WithThread>('/my-case/cases/:caseId/messages/:party', { preHandler: signedIn }, async (request, reply) => {
    const values = formOf(request);
    let caseId: string;
    try {
      await receiveVictimMessage(db, victimActor(request), request.params.caseId, request.params.party, { body: values.body, idempotencyKey: values.idempotencyKey });
      caseId = request.params.caseId.toLowerCase();
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderThread(request, reply, { values, fieldErrors: error.fields });
    }
    return reply.redirect(`${threadPath(caseId, request.params.party.toLowerCase())}?done=sent#messages`, 303);
  });
}
