// The one thing staff do to a case's Code clock by hand: record that a duty was not met, and why. A duty is met only by
// the action that fulfils it (service.ts), so there is no "mark as met" page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { caseReference } from '../cases/rules.ts';
import { getObligationForBreach, recordBreach } from './service.ts';

type WithObligation = { Params: { id: string; obligationId: string } };
type Form = Record<string, unknown>;

const caseWorkers = requireStaff(['coordinator', 'supervisor']);
const REASON_MAX = 1000;


// The page shows a case's duty: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function registerCodeClockPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  const breachPage = async (request: FastifyRequest<WithObligation>, values: Form, fieldErrors: Record<string, string>) => {
    const { caseId, obligation } = await getObligationForBreach(db, staffActor(request), request.params.id, request.params.obligationId);
    return {
      title: `Record a duty not met: case ${caseReference(caseId)}`,
      caseId,
      reference: caseReference(caseId),
      obligation,
      values,
      fieldErrors,
      errors: fieldErrors.reason ? [{ text: fieldErrors.reason, href: '#reason' }] : [],
      reasonMax: REASON_MAX,
    };
  };

  app.get<WithObligation>('/cases/:id/code-clock/:obligationId/not-met', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await breachPage(request, {}, {});
    // A duty already met or closed has nothing left to record; the case page says what happened to it.
    if (page.obligation.state === 'met' || page.obligation.state === 'breached') return reply.redirect(`/cases/${page.caseId}#code-clock`, 303);
    noStore(reply);
    return reply.view('obligations/views/not-met.njk', page);
  });

  app.post<WithObligation>('/cases/:id/code-clock/:obligationId/not-met', { preHandler: caseWorkers }, async (request, reply) => {
    const values = (request.body ?? {}) as Form;
    try {
      await recordBreach(db, staffActor(request), request.params.id, request.params.obligationId, { reason: values.reason });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      noStore(reply);
      return reply.code(422).view('obligations/views/not-met.njk', await breachPage(request, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}#code-clock`, 303);
  });
}
