// The supervisor's pages for possible matches: the queue, both records side by side, merge or keep apart, and undoing a
// merge. Each route parses, calls the service and renders or redirects; the service decides who may do what.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Conflict } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { matchingName } from '../people/service.ts';
import { MATCH_REASON_NAMES, compareRecords } from './rules.ts';
import { keepApart, listMatchQueue, mergeMatch, undoMerge, viewMatch, viewMerge } from './service.ts';

type WithId = { Params: { id: string } };
type WithMergeId = { Params: { mergeId: string } };

const supervisors = requireStaff(['supervisor']);


/** These pages show personal details: never kept by the browser or a proxy. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DONE: Record<string, string> = {
  merged: 'The records have been merged. The cases are now on one record.',
  'kept-apart': 'The records have been kept apart.',
  undone: 'The merge has been undone. The cases are back on their own records.',
};

const fullName = (person: { givenName: string; familyName: string | null }) => `${person.givenName} ${person.familyName ?? ''}`.trim();

export function registerMatchingPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: '/matches', text: 'Possible matches', roles: ['supervisor'] });

  app.get<{ Querystring: { done?: string } }>('/matches', { preHandler: supervisors }, async (request, reply) => {
    const queue = await listMatchQueue(db, staffActor(request));
    noStore(reply);
    return reply.view('matching/views/queue.njk', {
      title: 'Possible matches',
      done: DONE[request.query.done ?? ''],
      items: queue.map((item) => ({
        id: item.review.id,
        personName: fullName(item.person),
        candidateName: fullName(item.candidate),
        reasons: item.review.reasons.map((reason) => MATCH_REASON_NAMES[reason]).join(', '),
        score: Math.round(item.review.score * 100),
        createdAt: item.review.createdAt,
      })),
    });
  });

  app.get<WithId & { Querystring: { done?: string } }>('/matches/:id', { preHandler: supervisors }, async (request, reply) => {
    const details = await viewMatch(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('matching/views/match.njk', { ...matchPage(details), done: DONE[request.query.done ?? ''] });
  });

  app.post<WithId>('/matches/:id/merge', { preHandler: supervisors }, async (request, reply) => {
    try {
      await mergeMatch(db, staffActor(request), request.params.id);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      const details = await viewMatch(db, staffActor(request), request.params.id);
      noStore(reply);
      return reply.code(409).view('matching/views/match.njk', { ...matchPage(details), problem: error.message });
    }
    return reply.redirect(`/matches/${request.params.id}?done=merged`, 303);
  });

  app.post<WithId>('/matches/:id/keep-apart', { preHandler: supervisors }, async (request, reply) => {
    try {
      await keepApart(db, staffActor(request), request.params.id);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
    }
    return reply.redirect('/matches?done=kept-apart', 303);
  });

  app.get<WithMergeId>('/matches/merges/:mergeId/undo', { preHandler: supervisors }, async (request, reply) => {
    const merge = await viewMerge(db, staffActor(request), request.params.mergeId);
    noStore(reply);
    return reply.view('matching/views/undo.njk', { title: 'Undo this merge', merge, caseCount: merge.movedCaseIds.length });
  });

  app.post<WithMergeId>('/matches/merges/:mergeId/undo', { preHandler: supervisors }, async (request, reply) => {
    const merge = await undoMerge(db, staffActor(request), request.params.mergeId);
    return reply.redirect(merge.reviewId ? `/matches/${merge.reviewId}?done=undone` : '/matches?done=undone', 303);
  });
}

function matchPage(details: Awaited<ReturnType<typeof viewMatch>>) {
  const { review, person, candidate } = details;
  return {
    title: 'Possible match',
    review: { id: review.id, status: review.status, score: Math.round(review.score * 100), reasons: review.reasons.map((reason) => MATCH_REASON_NAMES[reason]) },
    rows: compareRecords(candidate, person, matchingName),
    candidateCases: details.candidateCases,
    personCases: details.personCases,
    candidateLabel: 'Record already held',
    personLabel: 'Record from the new referral',
    merge: details.merge,
  };
}
