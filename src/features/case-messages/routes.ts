// The hub's page for a case's messages with the victim (/cases/:id/messages): the thread and the reply form. The
// police view shows the same thread on its own case page (features/police-view).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
// A pure rule (no I/O): the case's short reference, the same on every page.
import { caseReference } from '../cases/rules.ts';
import { MESSAGE_BODY_MAX_LENGTH, messageView, replyFormErrors } from './rules.ts';
import { getThread, replyToVictim } from './service.ts';

type Form = Record<string, unknown>;
type WithId = { Params: { id: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);
// Every page here shows a victim's words: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

export function registerCaseMessagePages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  async function render(request: FastifyRequest<WithId>, reply: FastifyReply, failed?: { values: Form; fieldErrors: Record<string, string> }) {
    const thread = await getThread(db, staffActor(request), request.params.id);
    const { case: victimCase, person } = thread.agencyCase;
    const kept = failed && isUuid(failed.values.submissionKey) ? failed.values.submissionKey : undefined;
    noStore(reply);
    return reply.code(failed ? 422 : 200).view('case-messages/views/messages.njk', {
      title: `Messages: case ${caseReference(victimCase.id)}`,
      caseId: victimCase.id,
      reference: caseReference(victimCase.id),
      personName: [person.givenName, person.familyName].filter(Boolean).join(' '),
      messages: thread.messages.map(messageView),
      formAction: `/cases/${victimCase.id}/messages`,
      // Keep the key that was sent, so the corrected form still sends the message only once.
      submissionKey: kept ?? randomUUID(),
      messageMax: MESSAGE_BODY_MAX_LENGTH,
      values: failed?.values ?? {},
      fieldErrors: failed?.fieldErrors ?? {},
      errors: failed ? replyFormErrors(failed.fieldErrors) : [],
      done: (request.query as { done?: unknown }).done === 'sent' ? 'Message sent' : undefined,
    });
  }

  app.get<WithId>('/cases/:id/messages', { preHandler: caseWorkers }, (request, reply) => render(request, reply));

  app.post<WithId>('/cases/:id/messages', { preHandler: caseWorkers }, async (request, reply) => {
    const values = formOf(request);
    try {
      await replyToVictim(db, staffActor(request), request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return render(request, reply, { values, fieldErrors: error.fields });
    }
    return reply.redirect(`/cases/${request.params.id}/messages?done=sent#messages`, 303);
  });
}
