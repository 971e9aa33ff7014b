// The special measures pages of a case (the summary with its history, and one form for each thing recorded) and the
// calendar file of a hearing. Any signed-in staff member may ask: the service decides, and someone without access to the
// case (police, providers, another area) gets the same 404 as for a case that does not exist.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
// A pure rule (no I/O): hearing types read the same here as on the hearings page.
import { HEARING_TYPE_NAMES } from '../pre-court/rules.ts';
import {
  ARRANGEMENT_NAMES,
  DECISION_NAMES,
  PLACE_MAX_LENGTH,
  REASON_MAX_LENGTH,
  SPECIAL_MEASURES,
  SPECIAL_MEASURE_NAMES,
  VISIT_STATE_NAMES,
  WISHES,
  WISH_NAMES,
  alternativeLine,
  appliedFor,
  historyLine,
  isUuid,
  visitLine,
  writtenDate,
} from './rules.ts';
import { getHearingCalendar, getSpecialMeasuresForm, getSpecialMeasuresPage, recordSpecialMeasures, type FormKind, type SpecialMeasuresForm } from './service.ts';

type Form = Record<string, unknown>;
type WithCase = { Params: { id: string } };
type WithForm = { Params: { id: string; form: string } };

const anyStaff = requireStaff();
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
// Every page here shows personal data: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Each form's address (a word, never anything personal), what it records, its title and its fields in order. */
const FORMS: Record<string, { kind: FormKind; title: string; fields: string[] }> = {
  wishes: { kind: 'wishes', title: 'What the victim wants', fields: SPECIAL_MEASURES.map((measure) => `wish-${measure}`) },
  application: { kind: 'application', title: 'Record the application', fields: ['measures', 'appliedOn'] },
  outcome: { kind: 'outcome', title: 'Record the court’s decision', fields: ['decisions', ...SPECIAL_MEASURES.flatMap((measure) => [`decision-${measure}`, `reason-${measure}`]), 'decidedOn'] },
  arrangements: { kind: 'alternative_arrangements', title: 'Alternative arrangements', fields: ['arrangement', 'place'] },
  visit: { kind: 'familiarisation_visit', title: 'Court familiarisation visit', fields: ['state', 'bookedFor', 'doneOn'] },
  expenses: { kind: 'expenses_information', title: 'Expenses information given', fields: ['givenOn'] },
};
const DATE_FIELDS = ['appliedOn', 'decidedOn', 'bookedFor', 'doneOn', 'givenOn'];

/** Field errors in the order the form asks for them, each linked to its first input, for the GOV.UK error summary. */
function errorList(slug: string, fields: Record<string, string>) {
  const order = ['submissionKey', ...FORMS[slug]!.fields];
  const first = FORMS[slug]!.fields[0]!;
  const href = (field: string) => {
    if (field === 'submissionKey' || field === 'decisions') return `#${DATE_FIELDS.includes(first) ? `${first}-day` : first}`;
    return `#${DATE_FIELDS.includes(field) ? `${field}-day` : field}`;
  };
  return order.filter((field) => fields[field]).map((field) => ({ text: fields[field], href: href(field) }));
}

const measureName = (measure: string) => SPECIAL_MEASURE_NAMES[measure as keyof typeof SPECIAL_MEASURE_NAMES]?.name ?? measure;

/** The view of a form: what is recorded now fills it in until the user sends something else. */
function formPage(slug: string, form: SpecialMeasuresForm, values: Form, fieldErrors: Record<string, string>) {
  const status = form.status;
  const sent = Object.keys(values).length > 0;
  const value = (field: string, current: unknown) => (sent ? values[field] : current);
  const applied = appliedFor(status);
  const byMeasure = new Map(status.measures.map((item) => [item.measure, item]));
  const sentMeasures = Array.isArray(values.measures) ? values.measures : [values.measures];
  return {
    title: `${FORMS[slug]!.title}: case ${form.reference}`,
    heading: FORMS[slug]!.title,
    slug,
    ...form,
    values,
    fieldErrors,
    errors: errorList(slug, fieldErrors),
    wishGroups: SPECIAL_MEASURES.map((measure) => ({
      measure,
      name: measureName(measure),
      section: SPECIAL_MEASURE_NAMES[measure].section,
      items: WISHES.map((wish) => ({ value: wish, text: WISH_NAMES[wish], checked: value(`wish-${measure}`, byMeasure.get(measure)?.wish ?? null) === wish })),
    })),
    measureItems: SPECIAL_MEASURES.map((measure) => ({
      value: measure,
      text: `${measureName(measure)} (section ${SPECIAL_MEASURE_NAMES[measure].section})`,
      // Unsent, the form offers the measures the victim wants that have not been applied for yet.
      checked: sent ? sentMeasures.includes(measure) : byMeasure.get(measure)?.wish === 'wants' && !byMeasure.get(measure)?.appliedOn,
    })),
    decisionGroups: applied.map((measure) => {
      const current = byMeasure.get(measure)?.decision;
      const chosen = value(`decision-${measure}`, current?.decision ?? 'pending');
      return {
        measure,
        name: measureName(measure),
        appliedOnText: byMeasure.get(measure)?.appliedOn ? writtenDate(byMeasure.get(measure)!.appliedOn!) : '',
        chosen,
        reason: value(`reason-${measure}`, current?.reason ?? ''),
        decisionItems: [
          { value: 'granted', text: DECISION_NAMES.granted },
          { value: 'refused', text: DECISION_NAMES.refused },
          { value: 'pending', text: 'Not decided yet' },
        ],
      };
    }),
    arrangement: value('arrangement', status.alternative?.arrangement),
    place: value('place', status.alternative?.place ?? ''),
    arrangementNames: ARRANGEMENT_NAMES,
    visitState: value('state', status.visit?.state),
    visitNames: VISIT_STATE_NAMES,
    placeMax: PLACE_MAX_LENGTH,
    reasonMax: REASON_MAX_LENGTH,
  };
}

export function registerSpecialMeasuresPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithCase & { Querystring: { done?: unknown } }>('/cases/:id/special-measures', { preHandler: anyStaff }, async (request, reply) => {
    const page = await getSpecialMeasuresPage(db, staffActor(request), request.params.id);
    noStore(reply);
    const doneSlug = typeof request.query.done === 'string' && FORMS[request.query.done] ? request.query.done : undefined;
    return reply.view('special-measures/views/summary.njk', {
      title: `Special measures: case ${page.reference}`,
      ...page,
      nextHearingText: page.nextHearing ? `${HEARING_TYPE_NAMES[page.nextHearing.hearingType]} at ${page.nextHearing.courtName}` : null,
      measures: page.status.measures.map((item) => ({
        ...item,
        wishText: item.wish ? WISH_NAMES[item.wish] : 'Not recorded',
        appliedText: item.appliedOn ? writtenDate(item.appliedOn) : 'Not applied for',
        decisionText: item.decision ? `${DECISION_NAMES[item.decision.decision]}, ${writtenDate(item.decision.decidedOn)}` : item.appliedOn ? 'Awaiting decision' : '',
        available: page.review.toConsider.some((measure) => measure.measure === item.measure) ? 'To consider' : page.review.alsoAvailable.some((measure) => measure.measure === item.measure) ? 'Available' : 'Not available',
      })),
      alternativeText: alternativeLine(page.status.alternative),
      visitText: visitLine(page.status.visit),
      expensesText: page.status.expensesGivenOn ? writtenDate(page.status.expensesGivenOn) : null,
      canRecordOutcome: appliedFor(page.status).length > 0,
      history: page.history.map((entry) => ({ ...entry, text: historyLine(entry), occurredIso: entry.recordedAt.toISOString() })),
      done: doneSlug ? `${FORMS[doneSlug]!.title.replace(/^Record the /, 'The ').replace(/^What the victim wants$/, 'The victim’s wishes')} recorded` : undefined,
    });
  });

  app.get<WithForm>('/cases/:id/special-measures/:form', { preHandler: anyStaff }, async (request, reply) => {
    const slug = request.params.form;
    const spec = FORMS[slug];
    if (!spec) throw new NotFound('page');
    const form = await getSpecialMeasuresForm(db, staffActor(request), request.params.id, spec.kind);
    noStore(reply);
    return reply.view(`special-measures/views/${slug}.njk`, formPage(slug, form, {}, {}));
  });

  app.post<WithForm>('/cases/:id/special-measures/:form', { preHandler: anyStaff }, async (request, reply) => {
    const slug = request.params.form;
    const spec = FORMS[slug];
    if (!spec) throw new NotFound('page');
    const actor = staffActor(request);
    const values = formOf(request);
    try {
      await recordSpecialMeasures(db, actor, request.params.id, spec.kind, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const form = await getSpecialMeasuresForm(db, actor, request.params.id, spec.kind);
      // Keep the key that was sent, so the corrected form still records only once.
      if (isUuid(values.submissionKey)) form.submissionKey = values.submissionKey;
      noStore(reply);
      return reply.code(422).view(`special-measures/views/${slug}.njk`, formPage(slug, form, values, error.fields));
    }
    return reply.redirect(`/cases/${request.params.id}/special-measures?done=${slug}`, 303);
  });

  app.get<{ Params: { id: string; hearingId: string } }>('/cases/:id/hearings/:hearingId/calendar.ics', { preHandler: anyStaff }, async (request, reply) => {
    const ics = await getHearingCalendar(db, staffActor(request), request.params.id, request.params.hearingId);
    noStore(reply);
    // A fixed file name: the name of a download is kept by browsers and mail, so it carries nothing personal.
    return reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="hearing.ics"').send(ics);
  });
}
