// Equality monitoring questions on a case, under /cases/:id/equality: the form, showing the answers recorded, and the
// post that records them. The routes parse, call the equality service and render or redirect.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { QUESTIONS, answerText } from './rules.ts';
import { getEqualityAnswers, recordEqualityAnswers, type EqualityPage } from './service.ts';

type WithCase = { Params: { id: string } };

// The same roles as every other page of a case; the service (through the cases service) has the final say.
const caseWorkers = requireStaff(['coordinator', 'supervisor']);
// The answers are special category data: no browser or proxy may keep them.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

function equalityPage(page: EqualityPage, values: Readonly<Record<string, unknown>>, fieldErrors: Record<string, string>, saved: boolean) {
  return {
    title: `Equality monitoring: case ${page.reference}`,
    caseId: page.caseId,
    reference: page.reference,
    personName: page.personName,
    questions: QUESTIONS.map((question) => ({
      ...question,
      recorded: answerText(question.field, page.answers[question.field]),
      items: question.answers.map((answer) => ({ value: answer.value, text: answer.text, checked: values[question.field] === answer.value })),
      errorMessage: fieldErrors[question.field] ? { text: fieldErrors[question.field] } : undefined,
    })),
    errors: QUESTIONS.filter((question) => fieldErrors[question.field]).map((question) => ({ text: fieldErrors[question.field], href: `#${question.field}` })),
    saved,
  };
}

export function registerEqualityPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithCase & { Querystring: { saved?: string } }>('/cases/:id/equality', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getEqualityAnswers(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('equality/views/equality.njk', equalityPage(page, page.answers, {}, request.query.saved === '1'));
  });

  app.post<WithCase>('/cases/:id/equality', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const values = (request.body ?? {}) as Record<string, unknown>;
    try {
      await recordEqualityAnswers(db, actor, request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const page = await getEqualityAnswers(db, actor, request.params.id);
      noStore(reply);
      return reply.code(422).view('equality/views/equality.njk', equalityPage(page, values, error.fields, false));
    }
    return reply.redirect(`/cases/${request.params.id}/equality?saved=1`, 303);
  });
}
