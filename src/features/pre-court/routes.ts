// The hearing pages of a case (its hearings, and the form to record one) and the area's pre-court review list, with
// the supervisor's form for the area's horizon. Each route parses the request, calls the service and renders or
// redirects.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/identity.ts';
import { requireStaff } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid } from '../../platform/http/domain-errors.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
// Pure names (no I/O): a case's status and role read the same here as on the case page.
import { CASE_ROLE_NAMES, CASE_STATUS_NAMES } from '../cases/rules.ts';
// Pure rules (no I/O): what has been recorded of special measures, in the words the special measures page uses.
import { alternativeLine, statusLines } from '../special-measures/rules.ts';
import { COURT_NAME_MAX_LENGTH, HEARING_TYPES, HEARING_TYPE_NAMES, MAX_HORIZON_DAYS, isUuid, writtenDate } from './rules.ts';
import {
  getAreaHorizon,
  getCaseHearings,
  getHearingForm,
  getPreCourtReview,
  recordHearing,
  setAreaHorizon,
  type HearingFormPage,
  type ReviewRow,
} from './service.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { id: string } };

const caseWorkers = requireStaff(['coordinator', 'supervisor']);
const supervisors = requireStaff(['supervisor']);

function staffActor(request: FastifyRequest): Actor {
  if (!request.staff) throw new Forbidden('not signed in');
  return { kind: 'staff', staff: request.staff, requestId: request.id };
}

const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Every page here shows personal data: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const REVIEW_PATH = '/pre-court-review';

const hearingTypeItems = (selected: unknown) => HEARING_TYPES.map((type) => ({ value: type, text: HEARING_TYPE_NAMES[type], checked: selected === type }));

/** Field errors in the order the form asks for them, for the GOV.UK error summary. */
function hearingFormErrors(fields: Record<string, string>) {
  const hrefs: [string, string][] = [
    ['submissionKey', '#hearingDate-day'],
    ['hearingDate', '#hearingDate-day'],
    ['time', '#time'],
    ['courtName', '#courtName'],
    ['hearingType', '#hearingType'],
  ];
  return hrefs.filter(([field]) => fields[field]).map(([field, href]) => ({ text: fields[field], href }));
}

function hearingFormPage(form: HearingFormPage, values: Form, fieldErrors: Record<string, string>) {
  return {
    title: `Record a hearing: case ${form.reference}`,
    ...form,
    values,
    fieldErrors,
    errors: hearingFormErrors(fieldErrors),
    hearingTypeItems: hearingTypeItems(values.hearingType),
    courtNameMax: COURT_NAME_MAX_LENGTH,
  };
}

/** A review row as the list shows it. */
const reviewRowView = (row: ReviewRow) => ({
  ...row,
  statusName: CASE_STATUS_NAMES[row.status],
  roleName: CASE_ROLE_NAMES[row.role],
  hearingTypeName: HEARING_TYPE_NAMES[row.hearing.hearingType],
  hearingIso: row.hearing.hearingAt.toISOString(),
  offenceName: row.offence ? (row.offence.group ?? row.offence.category) : 'No crime reported',
  assessedOnText: row.assessment ? writtenDate(row.assessment.assessedOn) : null,
  preparationLines: statusLines(row.courtPreparation),
  alternativeText: alternativeLine(row.courtPreparation.alternative),
});

export function registerPreCourtPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: REVIEW_PATH, text: 'Pre-court review', roles: ['coordinator', 'supervisor'] });

  app.get<{ Querystring: { horizon?: unknown; done?: unknown } }>(REVIEW_PATH, { preHandler: caseWorkers }, async (request, reply) => {
    noStore(reply);
    const horizon = request.query.horizon;
    try {
      const review = await getPreCourtReview(db, staffActor(request), horizon);
      return await reply.view('pre-court/views/review.njk', {
        title: 'Pre-court review',
        ...review,
        lastDayText: writtenDate(review.lastDay),
        rows: review.rows.map(reviewRowView),
        values: { horizon: typeof horizon === 'string' ? horizon : '' },
        fieldErrors: {},
        maxHorizon: MAX_HORIZON_DAYS,
        done: request.query.done === 'horizon' ? 'Your area’s default horizon has been changed' : undefined,
      });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      // Nothing is listed for a horizon that could not be read: the error says how to put it right.
      return reply.code(400).view('pre-court/views/review.njk', {
        title: 'Pre-court review',
        rows: [],
        invalid: true,
        values: { horizon: typeof horizon === 'string' ? horizon : '' },
        fieldErrors: error.fields,
        errors: [{ text: error.fields.horizon, href: '#horizon' }],
        maxHorizon: MAX_HORIZON_DAYS,
      });
    }
  });

  app.get(`${REVIEW_PATH}/horizon`, { preHandler: supervisors }, async (request, reply) => {
    const current = await getAreaHorizon(db, staffActor(request));
    noStore(reply);
    return reply.view('pre-court/views/horizon.njk', { title: 'Change your area’s review horizon', values: { horizonDays: String(current.days) }, fieldErrors: {}, maxHorizon: MAX_HORIZON_DAYS });
  });

  app.post(`${REVIEW_PATH}/horizon`, { preHandler: supervisors }, async (request, reply) => {
    const values = formOf(request);
    try {
      await setAreaHorizon(db, staffActor(request), values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      noStore(reply);
      return reply.code(422).view('pre-court/views/horizon.njk', {
        title: 'Change your area’s review horizon',
        values,
        fieldErrors: error.fields,
        errors: [{ text: error.fields.horizonDays, href: '#horizonDays' }],
        maxHorizon: MAX_HORIZON_DAYS,
      });
    }
    return reply.redirect(`${REVIEW_PATH}?done=horizon`, 303);
  });

  app.get<WithCase & { Querystring: { done?: unknown } }>('/cases/:id/hearings', { preHandler: caseWorkers }, async (request, reply) => {
    const page = await getCaseHearings(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('pre-court/views/hearings.njk', {
      title: `Hearings: case ${page.reference}`,
      ...page,
      hearings: page.hearings.map((hearing) => ({ ...hearing, hearingTypeName: HEARING_TYPE_NAMES[hearing.hearingType], hearingIso: hearing.hearingAt.toISOString() })),
      done: request.query.done === 'recorded' ? 'Hearing recorded' : undefined,
    });
  });

  app.get<WithCase>('/cases/:id/hearings/new', { preHandler: caseWorkers }, async (request, reply) => {
    const form = await getHearingForm(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('pre-court/views/hearing-new.njk', hearingFormPage(form, {}, {}));
  });

  app.post<WithCase>('/cases/:id/hearings', { preHandler: caseWorkers }, async (request, reply) => {
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await recordHearing(db, actor, request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const form = await getHearingForm(db, actor, request.params.id);
      // Keep the key that was sent, so the corrected form still records the hearing only once.
      if (isUuid(values.submissionKey)) form.submissionKey = values.submissionKey;
      noStore(reply);
      return reply.code(422).view('pre-court/views/hearing-new.njk', hearingFormPage(form, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}/hearings?done=recorded`, 303);
  });
}
