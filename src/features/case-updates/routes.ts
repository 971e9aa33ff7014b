// Staff pages for case updates: give an update on a case from a template, see it exactly as the victim will read it
// (English and Welsh) and publish it; and the hub's queue of updates waiting for a person (no known crime, or out of
// order). Each route parses the form, calls the service and renders or redirects.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/identity.ts';
import { requireStaff } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, Invalid } from '../../platform/http/domain-errors.ts';
import { readNamedDateInput } from '../../platform/forms/date-input.ts';
import { partsOf } from '../../platform/time/calendar-date.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
// Pure rules (no I/O): a time typed on a form is read, and turned into an instant, as on every other form.
import { londonTime, parseTime } from '../cases/rules.ts';
import { CHOICE_NAMES, isCaseUpdateType, TYPE_NAMES, UPDATE_TYPES, type CaseUpdateType, type UpdateField } from './rules.ts';
import { attachToCrime, confirmFlagged, dismissUpdate, getQueuedUpdate, getReviewQueue, getUpdateTemplates, postUpdate, previewUpdate, type PostingContext } from './service.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { caseId: string } };
type WithUpdate = { Params: { updateId: string } };

const posters = requireStaff(['coordinator', 'supervisor', 'police_officer', 'witness_care_officer', 'victim_liaison_officer']);
const reviewers = requireStaff(['coordinator', 'supervisor']);
const REVIEW_PATH = '/case-updates/review';

function staffActor(request: FastifyRequest): Actor {
  if (!request.staff) throw new Forbidden('not signed in');
  return { kind: 'staff', staff: request.staff, requestId: request.id };
}
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** The form's fields as the template draws them: radios need their items, date-and-time fields their boxes. */
function fieldView(field: UpdateField, values: Form, errors: Record<string, string>) {
  const value = values[field.name];
  return {
    ...field,
    value: typeof value === 'string' ? value : '',
    error: errors[field.name],
    items:
      field.kind === 'choice'
        ? (field.choices ?? []).map((choice) => ({ value: choice, text: CHOICE_NAMES[choice] ?? choice, checked: value === choice }))
        : field.kind === 'yesNo'
          ? [{ value: 'yes', text: 'Yes', checked: value === 'yes' }, { value: 'no', text: 'No', checked: value === 'no' }]
          : undefined,
    day: values[`${field.name}-day`] ?? '',
    month: values[`${field.name}-month`] ?? '',
    year: values[`${field.name}-year`] ?? '',
    time: values[`${field.name}-time`] ?? '',
  };
}

/** Date-and-time fields arrive as four boxes; the service takes one instant, so they are read here, with their errors. */
function readInstants(type: CaseUpdateType, form: Form): { form: Form; errors: Record<string, string> } {
  const read: Form = { ...form };
  const errors: Record<string, string> = {};
  for (const field of UPDATE_TYPES[type].fields.filter((candidate) => candidate.kind === 'instant')) {
    if (typeof form[field.name] === 'string' && form[`${field.name}-day`] === undefined) continue; // already one instant (the preview's hidden field)
    const label = field.label.toLowerCase();
    const date = readNamedDateInput(form, field.name, label);
    const typed = typeof form[`${field.name}-time`] === 'string' ? (form[`${field.name}-time`] as string).trim() : '';
    const time = parseTime(typed);
    if ('error' in date) errors[field.name] = date.error;
    else if (!typed) errors[field.name] = `Enter the time of the ${label.replace('date and time of the ', '')}`;
    else if (!time) errors[field.name] = 'Enter the time like 10:00 or 2:30pm';
    else {
      const parts = partsOf(date.date);
      read[field.name] = londonTime(parts.year, parts.month, parts.day, time.hour, time.minute).toISOString();
    }
  }
  return { form: read, errors };
}

/** An instant back into the boxes it came from, when the preview's "Change" returns to the form. */
function splitInstants(type: CaseUpdateType, form: Form): Form {
  const split: Form = { ...form };
  for (const field of UPDATE_TYPES[type].fields.filter((candidate) => candidate.kind === 'instant')) {
    const iso = form[field.name];
    if (typeof iso !== 'string' || form[`${field.name}-day`] !== undefined) continue;
    const instant = new Date(iso);
    if (Number.isNaN(instant.getTime())) continue;
    const parts = partsOf(londonDateOf(instant));
    const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
    Object.assign(split, { [`${field.name}-day`]: String(parts.day), [`${field.name}-month`]: String(parts.month), [`${field.name}-year`]: String(parts.year), [`${field.name}-time`]: time });
  }
  return split;
}

function formPage(context: PostingContext, type: CaseUpdateType, values: Form, fieldErrors: Record<string, string>) {
  const fields = UPDATE_TYPES[type].fields.map((field) => fieldView(field, values, fieldErrors));
  const order = [...fields.map((field) => [field.name, field.kind === 'instant' ? `#${field.name}-day` : field.kind === 'choice' || field.kind === 'yesNo' ? `#${field.name}` : `#${field.name}`]), ['personalNote', '#personalNote'], ['submissionKey', '#personalNote']];
  return {
    title: `Give an update: case ${context.reference}`,
    ...context,
    type,
    typeName: TYPE_NAMES[type],
    fields,
    values,
    fieldErrors,
    submissionKey: isUuid(values.submissionKey) ? values.submissionKey : randomUUID(),
    errors: order.filter(([name]) => fieldErrors[name as string]).map(([name, href]) => ({ text: fieldErrors[name as string], href })),
  };
}

/** The detail values as hidden fields on the preview, so publishing sends exactly what was shown. */
function hiddenValues(type: CaseUpdateType, detail: Record<string, unknown>): { name: string; value: string }[] {
  return UPDATE_TYPES[type].fields
    .filter((field) => detail[field.name] !== undefined)
    .map((field) => {
      const value = detail[field.name];
      return { name: field.name, value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value) };
    });
}

export function registerCaseUpdatePages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: REVIEW_PATH, text: 'Updates to review', roles: ['coordinator', 'supervisor'], organisationKinds: ['hub'] });

  app.get<WithCase & { Querystring: { type?: unknown; published?: unknown } }>('/case-updates/:caseId/new', { preHandler: posters }, async (request, reply) => {
    const context = await getUpdateTemplates(db, staffActor(request), request.params.caseId);
    noStore(reply);
    const type = request.query.type;
    if (isCaseUpdateType(type) && context.types.includes(type)) return reply.view('case-updates/views/form.njk', formPage(context, type, {}, {}));
    const invalid = type !== undefined;
    return reply.code(invalid ? 400 : 200).view('case-updates/views/templates.njk', {
      title: `Give an update: case ${context.reference}`,
      ...context,
      items: context.types.map((candidate) => ({ value: candidate, text: TYPE_NAMES[candidate] })),
      fieldErrors: invalid ? { type: 'Select the update to give' } : {},
      errors: invalid ? [{ text: 'Select the update to give', href: '#type' }] : [],
      published: request.query.published === '1',
    });
  });

  // The preview's "Change" button: back to the form with what was entered.
  app.post<WithCase>('/case-updates/:caseId/change', { preHandler: posters }, async (request, reply) => {
    const values = formOf(request);
    const context = await getUpdateTemplates(db, staffActor(request), request.params.caseId);
    if (!isCaseUpdateType(values.type) || !context.types.includes(values.type)) return reply.redirect(`/case-updates/${context.caseId}/new`, 303);
    noStore(reply);
    return reply.view('case-updates/views/form.njk', formPage(context, values.type, splitInstants(values.type, values), {}));
  });

  app.post<WithCase>('/case-updates/:caseId/preview', { preHandler: posters }, async (request, reply) => {
    const actor = staffActor(request);
    const raw = formOf(request);
    const context = await getUpdateTemplates(db, actor, request.params.caseId);
    if (!isCaseUpdateType(raw.type) || !context.types.includes(raw.type)) return reply.redirect(`/case-updates/${context.caseId}/new`, 303);
    const type = raw.type;
    const { form, errors: instantErrors } = readInstants(type, raw);
    noStore(reply);
    try {
      const preview = await previewUpdate(db, actor, context.caseId, form);
      if (Object.keys(instantErrors).length) throw new Invalid({});
      return await reply.view('case-updates/views/preview.njk', {
        title: `Check the update: case ${context.reference}`,
        ...preview,
        typeName: TYPE_NAMES[type],
        hidden: hiddenValues(type, preview.detail),
        submissionKey: isUuid(raw.submissionKey) ? raw.submissionKey : randomUUID(),
      });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      // The boxes' own messages say more than the service's "enter the date", so they win for their fields.
      const fields = { ...error.fields, ...instantErrors };
      return reply.code(422).view('case-updates/views/form.njk', formPage(context, type, raw, fields));
    }
  });

  app.post<WithCase>('/case-updates/:caseId', { preHandler: posters }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await postUpdate(db, actor, request.params.caseId, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const context = await getUpdateTemplates(db, actor, request.params.caseId);
      if (!isCaseUpdateType(values.type) || !context.types.includes(values.type)) return reply.redirect(`/case-updates/${context.caseId}/new`, 303);
      noStore(reply);
      return reply.code(422).view('case-updates/views/form.njk', formPage(context, values.type, splitInstants(values.type, values), error.fields));
    }
    return reply.redirect(`/case-updates/${request.params.caseId}/new?published=1`, 303);
  });

  // --- The review queue ---

  app.get(REVIEW_PATH, { preHandler: reviewers }, async (request, reply) => {
    const updates = await getReviewQueue(db, staffActor(request));
    noStore(reply);
    return reply.view('case-updates/views/review.njk', {
      title: 'Updates to review',
      updates: updates.map((update) => ({ ...update, receivedIso: update.receivedAt.toISOString() })),
    });
  });

  async function reviewPage(request: FastifyRequest<WithUpdate>, reply: FastifyReply, fieldErrors: Record<string, string> = {}, values: Form = {}) {
    const update = await getQueuedUpdate(db, staffActor(request), request.params.updateId);
    noStore(reply);
    const hrefs: Record<string, string> = { crimeReference: '#crimeReference', reason: '#reason', action: '#main-content' };
    return reply.code(Object.keys(fieldErrors).length ? 422 : 200).view('case-updates/views/review-update.njk', {
      title: `Review an update: ${update.typeName}`,
      update: { ...update, receivedIso: update.receivedAt.toISOString(), occurredIso: update.occurredAt.toISOString() },
      values,
      fieldErrors,
      errors: Object.entries(fieldErrors).map(([name, text]) => ({ text, href: hrefs[name] ?? '#main-content' })),
    });
  }

  app.get<WithUpdate>(`${REVIEW_PATH}/:updateId`, { preHandler: reviewers }, (request, reply) => reviewPage(request, reply));

  const reviewAction = (path: string, act: (actor: Actor, updateId: string, form: Form) => Promise<unknown>) =>
    app.post<WithUpdate>(`${REVIEW_PATH}/:updateId/${path}`, { preHandler: reviewers }, async (request, reply) => {
      const values = formOf(request);
      try {
        await act(staffActor(request), request.params.updateId, values);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return reviewPage(request, reply, error.fields, values);
      }
      return reply.redirect(REVIEW_PATH, 303);
    });
  reviewAction('attach', (actor, updateId, form) => attachToCrime(db, actor, updateId, form));
  reviewAction('confirm', (actor, updateId) => confirmFlagged(db, actor, updateId));
  reviewAction('dismiss', (actor, updateId, form) => dismissUpdate(db, actor, updateId, form));
}
