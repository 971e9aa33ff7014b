// The needs assessment pages: the latest version with its history and open tasks, a past version, and the form (with
// the DASH checklist as its last section). Routes parse and render; the service decides who may see and do what.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { CASE_TASK_KIND_NAMES } from '../tasks/service.ts';
import { DASH_LEVEL_NAMES } from './dash.ts';
import { assessmentView, errorList, formSections, valuesFrom } from './form-view.ts';
import { METHOD_NAMES } from './rules.ts';
import { getAssessmentForm, getAssessmentPage, getAssessmentVersion, saveAssessment, type AssessmentSummary } from './service.ts';

type WithId = { Params: { id: string } };
// Any signed-in staff member reaches the service, which answers 404 for anyone but the case's hub staff, so a
// provider or police user cannot even learn that the case exists.
const signedIn = requireStaff();


// Every page here shows personal data: no browser or proxy may keep it.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
/** "21 November 2026": dates as GOV.UK writes them (and a screen reader reads them), from parts, whatever ICU's punctuation. */
function writtenDate(date: string): string {
  const parts = new Map(DAY_MONTH_YEAR.formatToParts(new Date(`${date}T00:00:00Z`)).map((part) => [part.type, part.value]));
  return `${parts.get('day')} ${parts.get('month')} ${parts.get('year')}`;
}

/** A stored version as the answers template shows it. */
const versionView = (assessment: Parameters<typeof assessmentView>[0]) => ({ ...assessmentView(assessment), assessedOnText: writtenDate(assessment.assessedOn) });

const historyRow = (caseId: string) => (summary: AssessmentSummary) => ({
  ...summary,
  assessedOnText: writtenDate(summary.assessedOn),
  href: `/cases/${caseId}/assessment/${summary.version}`,
  methodName: METHOD_NAMES[summary.method],
  dashLevelName: summary.dashLevel ? DASH_LEVEL_NAMES[summary.dashLevel] : 'No DASH',
});

export function registerAssessmentPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get<WithId & { Querystring: { done?: string } }>('/cases/:id/assessment', { preHandler: signedIn }, async (request, reply) => {
    const page = await getAssessmentPage(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.view('assessment/views/assessment.njk', {
      title: `Needs assessment: case ${page.reference}`,
      ...page,
      view: page.latest && versionView(page.latest),
      history: page.history.map(historyRow(page.caseId)),
      openTasks: page.openTasks.map((task) => ({ ...task, kindName: CASE_TASK_KIND_NAMES[task.kind] })),
      done: request.query.done === 'saved',
    });
  });

  app.get<WithId>('/cases/:id/assessment/new', { preHandler: signedIn }, async (request, reply) => {
    const form = await getAssessmentForm(db, staffActor(request), request.params.id);
    const [year, month, day] = form.today.split('-');
    noStore(reply);
    return reply.view('assessment/views/form.njk', {
      title: `New needs assessment: case ${form.reference}`,
      caseId: form.caseId,
      reference: form.reference,
      reassessing: form.previous !== undefined,
      values: { ...valuesFrom(form.previous), submissionKey: form.submissionKey, day: String(Number(day)), month: String(Number(month)), year },
      fieldErrors: {},
      ...formSections(valuesFrom(form.previous), {}),
    });
  });

  app.post<WithId>('/cases/:id/assessment', { preHandler: signedIn }, async (request, reply) => {
    const actor = staffActor(request);
    const values = (request.body ?? {}) as Record<string, unknown>;
    try {
      await saveAssessment(db, actor, request.params.id, values);
      return await reply.redirect(`/cases/${request.params.id}/assessment?done=saved`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const form = await getAssessmentForm(db, actor, request.params.id);
      noStore(reply);
      return reply.code(422).view('assessment/views/form.njk', {
        title: `New needs assessment: case ${form.reference}`,
        caseId: form.caseId,
        reference: form.reference,
        reassessing: form.previous !== undefined,
        // The same key again, so resending the corrected form still makes one version.
        values: { ...values, submissionKey: typeof values.submissionKey === 'string' && !error.fields.submissionKey ? values.submissionKey : form.submissionKey },
        fieldErrors: error.fields,
        errors: errorList(error.fields),
        ...formSections(values, error.fields),
      });
    }
  });

  app.get<{ Params: { id: string; version: string } }>('/cases/:id/assessment/:version', { preHandler: signedIn }, async (request, reply) => {
    const page = await getAssessmentVersion(db, staffActor(request), request.params.id, request.params.version);
    noStore(reply);
    return reply.view('assessment/views/version.njk', {
      title: `Needs assessment version ${page.assessment.version}: case ${page.reference}`,
      ...page,
      view: versionView(page.assessment),
    });
  });
}
