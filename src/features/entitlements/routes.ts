// The enhanced-rights page of a case: the categories in force with their rule, reason, evidence, who and when, and the
// victim's view; forms to add a category, withdraw one with a reason and record the victim's view. Thin: the service
// decides who may see and do what.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { ENTITLEMENT_CATEGORIES, ENTITLEMENT_CATEGORY_NAMES, REASON_MAX_LENGTH, VIEW_MAX_LENGTH } from './rules.ts';
import { addEntitlement, getEntitlementsPage, recheckEntitlements, recordVictimView, withdrawEntitlement, type EntitlementsPage } from './service.ts';
import type { EntitlementDecision } from './repository.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { id: string } };
type WithDecision = { Params: { id: string; decisionId: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);

const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DONE: Record<string, string> = { checked: 'The rules were checked again', added: 'Category added', withdrawn: 'Category withdrawn', view: 'Victim’s view recorded' };

const evidenceText = (value: unknown): string => (typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value));

/** A decision as the page shows it: names instead of ids, and its evidence as lines. */
const shown = (decision: EntitlementDecision & { forReview?: boolean }) => ({
  ...decision,
  categoryName: ENTITLEMENT_CATEGORY_NAMES[decision.category],
  sourceName: decision.source === 'rule' ? 'Victims’ Code rule' : 'Coordinator',
  decider: decision.decidedByName ?? (decision.decidedBy.startsWith('system:') ? 'Haven (automatic)' : decision.decidedBy),
  evidenceLines: Object.entries(decision.evidence).map(([key, value]) => `${key}: ${evidenceText(value)}`),
});

function pageView(page: EntitlementsPage, extra: { values?: Form; fieldErrors?: Record<string, string>; errors?: { text: string; href: string }[]; done?: string } = {}) {
  return {
    title: `Enhanced rights: case ${page.reference}`,
    caseId: page.caseId,
    reference: page.reference,
    enhanced: page.enhanced,
    current: page.current.map(shown),
    withdrawn: page.withdrawn.map(shown),
    categoryItems: ENTITLEMENT_CATEGORIES.map((value) => ({ value, text: ENTITLEMENT_CATEGORY_NAMES[value], checked: extra.values?.category === value })),
    values: extra.values ?? {},
    reasonMax: REASON_MAX_LENGTH,
    viewMax: VIEW_MAX_LENGTH,
    fieldErrors: extra.fieldErrors ?? {},
    errors: extra.errors,
    done: extra.done,
  };
}

/** Field errors from a per-category form are keyed by the form and the decision, so each shows beside its own field. */
const keyed = (prefix: string, decisionId: string, fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([, text]) => [`${prefix}-${decisionId}`, text]));

export function registerEntitlementPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithCase & { Querystring: { done?: string } }>('/cases/:id/entitlements', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getEntitlementsPage(db, staffActor(request), request.params.id);
    noStore(reply);
    const done = typeof request.query.done === 'string' ? DONE[request.query.done] : undefined;
    return reply.view('entitlements/views/entitlements.njk', pageView(page, { done }));
  });

  async function showErrors(request: FastifyRequest<WithCase>, reply: FastifyReply, fieldErrors: Record<string, string>, values: Form) {
    const page = await getEntitlementsPage(db, staffActor(request), request.params.id);
    noStore(reply);
    const errors = Object.entries(fieldErrors).map(([field, text]) => ({ text, href: `#${field}` }));
    return reply.code(422).view('entitlements/views/entitlements.njk', pageView(page, { values, fieldErrors, errors }));
  }

  app.post<WithCase>('/cases/:id/entitlements', { preHandler: caseWorkers }, async (request, reply) => {
    const form = formOf(request);
    try {
      await addEntitlement(db, staffActor(request), request.params.id, form);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return showErrors(request, reply, error.fields, form);
    }
    return reply.redirect(`/cases/${request.params.id}/entitlements?done=added`, 303);
  });

  app.post<WithCase>('/cases/:id/entitlements/check', { preHandler: caseWorkers }, async (request, reply) => {
    await recheckEntitlements(db, staffActor(request), request.params.id);
    return reply.redirect(`/cases/${request.params.id}/entitlements?done=checked`, 303);
  });

  app.post<WithDecision>('/cases/:id/entitlements/:decisionId/withdraw', { preHandler: caseWorkers }, async (request, reply) => {
    const form = formOf(request);
    try {
      await withdrawEntitlement(db, staffActor(request), request.params.id, request.params.decisionId, { reason: form.reason });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      // What was typed stays in its own box, so a reason that is too long can be shortened rather than typed again.
      return showErrors(request, reply, keyed('withdraw', request.params.decisionId, error.fields), { [`withdraw-${request.params.decisionId}`]: form.reason });
    }
    return reply.redirect(`/cases/${request.params.id}/entitlements?done=withdrawn`, 303);
  });

  app.post<WithDecision>('/cases/:id/entitlements/:decisionId/view', { preHandler: caseWorkers }, async (request, reply) => {
    const form = formOf(request);
    try {
      await recordVictimView(db, staffActor(request), request.params.id, request.params.decisionId, { victimView: form.victimView });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return showErrors(request, reply, keyed('view', request.params.decisionId, error.fields), { [`view-${request.params.decisionId}`]: form.victimView });
    }
    return reply.redirect(`/cases/${request.params.id}/entitlements?done=view`, 303);
  });
}
