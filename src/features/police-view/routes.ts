// The police view: "My victims" (/my-victims) for the officer in charge, and one case (/my-victims/:id) with how the
// victim may be contacted, what they have been told, the message thread and a reply. Titles carry references only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
// Pure rules (no I/O): how a message reads in the thread, its length limit and the reply form's error summary.
import { MESSAGE_BODY_MAX_LENGTH, messageView, replyFormErrors } from '../case-messages/rules.ts';
import { replyToVictim } from '../case-messages/service.ts';
import { safeContactSummary } from './rules.ts';
import { getOfficerCase, listMyVictims, type MyVictims } from './service.ts';

type Form = Record<string, unknown>;
type WithId = { Params: { id: string } };

const PATH = '/my-victims';
const officers = requireStaff(['police_officer']);
// Every page here shows a victim's details: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

const pageHref = (page: number) => (page === 1 ? PATH : `${PATH}?page=${page}`);

/** GOV.UK pagination: every page when there are few, else the first, the last and those beside the current one. */
function paginationOf(list: MyVictims) {
  if (list.pages <= 1) return undefined;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let page = 1; page <= list.pages; page += 1) {
    if (page === 1 || page === list.pages || Math.abs(page - list.page) <= 1) items.push({ number: page, href: pageHref(page), current: page === list.page });
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return {
    items,
    previous: list.page > 1 ? { href: pageHref(list.page - 1) } : undefined,
    next: list.page < list.pages ? { href: pageHref(list.page + 1) } : undefined,
  };
}

export function registerPoliceViewPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: PATH, text: 'My victims', roles: ['police_officer'], organisationKinds: ['police'] });

  app.get<{ Querystring: { page?: unknown } }>(PATH, { preHandler: officers }, async (request, reply) => {
    const list = await listMyVictims(db, staffActor(request), request.query.page);
    noStore(reply);
    return reply.view('police-view/views/my-victims.njk', {
      title: list.page > 1 ? `My victims (page ${list.page} of ${list.pages})` : 'My victims',
      ...list,
      rows: list.rows.map((row) => ({ ...row, lastUpdateIso: row.lastUpdateAt?.toISOString() })),
      pagination: paginationOf(list),
    });
  });

  async function renderCase(request: FastifyRequest<WithId>, reply: FastifyReply, failed?: { values: Form; fieldErrors: Record<string, string> }) {
    const found = await getOfficerCase(db, staffActor(request), request.params.id);
    const kept = failed && isUuid(failed.values.submissionKey) ? failed.values.submissionKey : undefined;
    noStore(reply);
    return reply.code(failed ? 422 : 200).view('police-view/views/case.njk', {
      title: `Case ${found.reference}, crime ${found.crimeReference}`,
      ...found,
      safe: safeContactSummary(found.safeContact),
      timeline: found.timeline.map((event) => ({ ...event, occurredIso: event.occurredAt.toISOString() })),
      lastUpdateIso: found.lastUpdateAt?.toISOString(),
      messages: found.messages.map(messageView),
      formAction: `${PATH}/${found.caseId}/messages`,
      // Keep the key that was sent, so the corrected form still sends the message only once.
      submissionKey: kept ?? randomUUID(),
      messageMax: MESSAGE_BODY_MAX_LENGTH,
      values: failed?.values ?? {},
      fieldErrors: failed?.fieldErrors ?? {},
      errors: failed ? replyFormErrors(failed.fieldErrors) : [],
      done: (request.query as { done?: unknown } | undefined)?.done === 'sent' ? 'Message sent' : undefined,
    });
  }

  app.get<WithId>(`${PATH}/:id`, { preHandler: officers }, (request, reply) => renderCase(request, reply));

  app.post<WithId>(`${PATH}/:id/messages`, { preHandler: officers }, async (request, reply) => {
    const values = formOf(request);
    try {
      await replyToVictim(db, staffActor(request), request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderCase(request, reply, { values, fieldErrors: error.fields });
    }
    return reply.redirect(`${PATH}/${request.params.id}?done=sent#messages`, 303);
  });
}
