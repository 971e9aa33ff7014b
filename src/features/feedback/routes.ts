// The victim's feedback pages (/my-case/cases/:caseId/feedback/:moment: one question, then thanks) and the staff's
// aggregate (/feedback). The complaint pages are registered from here too (complaint-routes.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import { requireVictim, victimActor } from '../../platform/auth/portal-sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { translate } from '../../platform/views/i18n/catalogue.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { registerComplaintPages } from './complaint-routes.ts';
import { addFeedbackMessages } from './messages.ts';
import { COMPLAINT_ANSWERERS } from './complaint-rules.ts';
import { COMMENT_MAX_LENGTH, MOMENT_NAMES, RATINGS, RATING_NAMES } from './rules.ts';
import { FEEDBACK_READERS, feedbackSummary, getFeedbackQuestion, giveFeedback } from './service.ts';

type WithMoment = { Params: { caseId: string; moment: string } };
type Form = Record<string, unknown>;

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'Europe/London' });

export function registerFeedbackPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addFeedbackMessages();
  const victims = { preHandler: requireVictim() };
  const t = (request: FastifyRequest, key: string) => translate(request.language, key);
  const base = (caseId: string, moment: string) => `/my-case/cases/${caseId}/feedback/${moment}`;

  function question(request: FastifyRequest<WithMoment>, reply: FastifyReply, page: { caseId: string; moment: string }, failed?: { values: Form; fieldErrors: Record<string, string> }) {
    const fieldErrors = Object.fromEntries(Object.entries(failed?.fieldErrors ?? {}).map(([field, key]) => [field, t(request, key)]));
    return reply.code(failed ? 422 : 200).view('feedback/views/question.njk', {
      title: t(request, `feedback.question.${page.moment}`),
      caseId: page.caseId,
      formAction: base(page.caseId, page.moment),
      ratings: RATINGS,
      commentMax: COMMENT_MAX_LENGTH,
      values: failed?.values ?? {},
      fieldErrors,
      errors: Object.entries(fieldErrors).map(([field, text]) => ({ text, href: field === 'rating' ? '#rating' : `#${field}` })),
    });
  }

  const done = (request: FastifyRequest, reply: FastifyReply, caseId: string, already: boolean) =>
    reply.view('feedback/views/done.njk', { title: t(request, already ? 'feedback.already.title' : 'feedback.thanks.title'), caseId, already });

  app.get<WithMoment>('/my-case/cases/:caseId/feedback/:moment', victims, async (request, reply) => {
    const page = await getFeedbackQuestion(db, victimActor(request), request.params.caseId, request.params.moment);
    if (page.alreadyGiven) return done(request, reply, page.caseId, true);
    return question(request, reply, page);
  });

  app.post<WithMoment>('/my-case/cases/:caseId/feedback/:moment', victims, async (request, reply) => {
    const values = (request.body ?? {}) as Form;
    try {
      const { created } = await giveFeedback(db, victimActor(request), request.params.caseId, request.params.moment, values);
      if (!created) return done(request, reply, request.params.caseId.toLowerCase(), true);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return question(request, reply, { caseId: request.params.caseId.toLowerCase(), moment: request.params.moment }, { values, fieldErrors: error.fields });
    }
    return reply.redirect(`${base(request.params.caseId.toLowerCase(), request.params.moment)}/thanks`, 303);
  });

  app.get<WithMoment>('/my-case/cases/:caseId/feedback/:moment/thanks', victims, async (request, reply) => {
    // The same check as the question (the case is in reach, the moment reached), so a guessed address shows nothing.
    const page = await getFeedbackQuestion(db, victimActor(request), request.params.caseId, request.params.moment);
    return done(request, reply, page.caseId, false);
  });

  app.get('/feedback', { preHandler: requireStaff(FEEDBACK_READERS) }, async (request, reply) => {
    const summary = await feedbackSummary(db, staffActor(request));
    reply.header('cache-control', 'no-store');
    return reply.view('feedback/views/summary.njk', {
      title: 'Victims’ feedback',
      summary: { ...summary, comments: summary.comments.map((comment) => ({ ...comment, monthText: MONTH.format(comment.month) })) },
      momentNames: MOMENT_NAMES,
      ratingNames: RATINGS.map((rating) => RATING_NAMES[rating.value]),
    });
  });

  registerComplaintPages(app, deps);
  addStaffNavigation({ href: '/feedback', text: 'Victims’ feedback', roles: FEEDBACK_READERS });
  addStaffNavigation({ href: '/complaints', text: 'Complaints', roles: COMPLAINT_ANSWERERS });
}
