// The care plan pages of a case: the list of actions, the form to add one, marking one done and cancelling one with a
// reason. Each route parses the request, calls the care plan service and renders or redirects.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { dateBoxesInError, type DateBox } from '../../platform/forms/date-input.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { DESCRIPTION_MAX_LENGTH, CANCEL_REASON_MAX_LENGTH, STATUS_TAGS, VICTIM_OWNER, isOverdue, isUuid, victimText, writtenDate } from './rules.ts';
import { addAction, cancelAction, getAction, getAddActionForm, getCarePlan, markActionDone, type AddActionForm, type CarePlanAction } from './service.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { id: string } };
type WithAction = { Params: { id: string; actionId: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);


const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Every page here shows personal data: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DONE: Record<string, string> = {
  added: 'Action added to the care plan',
  done: 'Action marked as done',
  cancelled: 'Action cancelled',
};

/** An action as the list shows it to staff. */
function actionView(action: CarePlanAction, today: string) {
  const overdue = isOverdue(action, today);
  return {
    ...action,
    dueText: writtenDate(action.dueDate),
    owner: action.ownerKind === 'victim' ? 'The victim' : action.ownerUserName ? `${action.ownerUserName}, ${action.ownerOrganisationName}` : action.ownerOrganisationName,
    tags: [STATUS_TAGS[action.status], ...(overdue ? [STATUS_TAGS.overdue] : [])],
    overdue,
    victimText: victimText(action),
  };
}

/** Field errors in the order the form asks for them, for the GOV.UK error summary. */
function addFormErrors(fields: Record<string, string>, firstDateBox: DateBox) {
  const hrefs: [string, string][] = [
    ['submissionKey', '#description'],
    ['description', '#description'],
    ['owner', '#owner'],
    ['ownerUserId', '#ownerUserId'],
    ['dueDate', `#dueDate-${firstDateBox}`],
  ];
  return hrefs.filter(([field]) => fields[field]).map(([field, href]) => ({ text: fields[field], href }));
}

function addFormPage(form: AddActionForm, values: Form, fieldErrors: Record<string, string>) {
  const dueDate = dateBoxesInError(values, 'dueDate', Boolean(fieldErrors.dueDate));
  return {
    title: `Add an action: case ${form.reference}`,
    ...form,
    values,
    fieldErrors,
    dueDateBoxesInError: dueDate.boxes,
    errors: addFormErrors(fieldErrors, dueDate.first),
    victimOwner: VICTIM_OWNER,
    descriptionMax: DESCRIPTION_MAX_LENGTH,
  };
}

export function registerCarePlanPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithCase & { Querystring: { done?: string } }>('/cases/:id/care-plan', { preHandler: caseWorkers }, async (request, reply) => {
    const plan = await getCarePlan(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('care-plan/views/care-plan.njk', {
      title: `Care plan: case ${plan.reference}`,
      ...plan,
      actions: plan.actions.map((action) => actionView(action, plan.today)),
      done: typeof request.query.done === 'string' ? DONE[request.query.done] : undefined,
    });
  });

  app.get<WithCase>('/cases/:id/care-plan/new', { preHandler: caseWorkers }, async (request, reply) => {
    const form = await getAddActionForm(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('care-plan/views/care-plan-new.njk', addFormPage(form, {}, {}));
  });

  app.post<WithCase>('/cases/:id/care-plan', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await addAction(db, actor, request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const form = await getAddActionForm(db, actor, request.params.id);
      // Keep the key that was sent, so the corrected form still adds the action only once.
      if (isUuid(values.submissionKey)) form.submissionKey = values.submissionKey;
      noStore(reply);
      return reply.code(422).view('care-plan/views/care-plan-new.njk', addFormPage(form, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}/care-plan?done=added`, 303);
  });

  app.post<WithAction>('/cases/:id/care-plan/:actionId/done', { preHandler: caseWorkers }, async (request, reply) => {
    await markActionDone(db, staffActor(request), request.params.id, request.params.actionId);
    return reply.redirect(`/cases/${request.params.id}/care-plan?done=done`, 303);
  });

  const cancelPage = async (request: FastifyRequest<WithAction>, values: Form, fieldErrors: Record<string, string>) => {
    const page = await getAction(db, staffActor(request), request.params.id, request.params.actionId);
    return {
      title: `Cancel an action: case ${page.reference}`,
      ...page,
      action: { ...page.action, dueText: writtenDate(page.action.dueDate), victimText: victimText(page.action) },
      values,
      fieldErrors,
      errors: fieldErrors.reason ? [{ text: fieldErrors.reason, href: '#reason' }] : [],
      reasonMax: CANCEL_REASON_MAX_LENGTH,
    };
  };

  app.get<WithAction>('/cases/:id/care-plan/:actionId/cancel', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await cancelPage(request, {}, {});
    // Only an agreed action can be cancelled; for any other the list says what happened to it.
    if (page.action.status !== 'agreed') return reply.redirect(`/cases/${request.params.id}/care-plan`, 303);
    noStore(reply);
    return reply.view('care-plan/views/care-plan-cancel.njk', page);
  });

  app.post<WithAction>('/cases/:id/care-plan/:actionId/cancel', { preHandler: caseWorkers }, async (request, reply) => {
    const values = formOf(request);
    try {
      await cancelAction(db, staffActor(request), request.params.id, request.params.actionId, values.reason);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      noStore(reply);
      return reply.code(422).view('care-plan/views/care-plan-cancel.njk', await cancelPage(request, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}/care-plan?done=cancelled`, 303);
  });
}
