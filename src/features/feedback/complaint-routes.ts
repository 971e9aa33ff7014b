// The complaint pages: for the victim, /my-case/cases/:caseId/complaint (the form, check and send, in one POST address
// with a step) and its confirmation; for staff, /complaints (open complaints with due dates) and the answer form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import { requireVictim, victimActor } from '../../platform/auth/portal-sessions.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { translate } from '../../platform/views/i18n/catalogue.ts';
// A pure rule (no I/O): the case's short reference, the same on every staff page.
import { caseReference } from '../cases/rules.ts';
import { COMPLAINT_ANSWERERS, ANSWER_SUMMARY_MAX_LENGTH, COMPLAINT_BODY_MAX_LENGTH, COMPLAINT_WORKING_DAYS, complaintReference } from './complaint-rules.ts';
import { answerComplaint, checkComplaintForm, complaintChoices, complaintConfirmation, getComplaintForStaff, listOpenComplaints, makeComplaint } from './complaint-service.ts';

type WithCase = { Params: { caseId: string } };
type WithComplaint = { Params: { caseId: string; complaintId: string } };
type WithId = { Params: { id: string } };
type Form = Record<string, unknown>;

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function registerComplaintPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const victims = { preHandler: requireVictim() };
  const t = (request: FastifyRequest, key: string) => translate(request.language, key);
  const formAction = (caseId: string) => `/my-case/cases/${caseId}/complaint`;

  async function form(request: FastifyRequest<WithCase>, reply: FastifyReply, values: Form = {}, fieldErrorKeys: Record<string, string> = {}) {
    const { caseId, organisations } = await complaintChoices(db, victimActor(request), request.params.caseId);
    const fieldErrors = Object.fromEntries(Object.entries(fieldErrorKeys).map(([field, key]) => [field, t(request, key)]));
    const failed = Object.keys(fieldErrors).length > 0;
    return reply.code(failed ? 422 : 200).view('feedback/views/complaint.njk', {
      title: t(request, 'feedback.complaint.title'),
      caseId,
      organisations,
      formAction: formAction(caseId),
      // Keep the key the form was sent with, so correcting it still makes only one complaint.
      submissionKey: isUuid(values.submissionKey) ? values.submissionKey : randomUUID(),
      bodyMax: COMPLAINT_BODY_MAX_LENGTH,
      values: { organisationId: text(values.organisationId), body: text(values.body) },
      fieldErrors,
      errors: Object.entries(fieldErrors).map(([field, message]) => ({ text: message, href: field === 'organisationId' ? '#organisationId' : `#${field}` })),
    });
  }

  app.get<WithCase>('/my-case/cases/:caseId/complaint', victims, (request, reply) => form(request, reply));

  app.post<WithCase>('/my-case/cases/:caseId/complaint', victims, async (request, reply) => {
    const values = (request.body ?? {}) as Form;
    const actor = victimActor(request);
    if (values.step === 'change') return form(request, reply, values);
    try {
      if (values.step === 'send') {
        const { complaintId } = await makeComplaint(db, actor, request.params.caseId, values);
        return reply.redirect(`${formAction(request.params.caseId.toLowerCase())}/${complaintId}`, 303);
      }
      const checked = await checkComplaintForm(db, actor, request.params.caseId, values);
      return reply.view('feedback/views/complaint-check.njk', {
        title: t(request, 'feedback.complaint.check.title'),
        caseId: request.params.caseId.toLowerCase(),
        formAction: formAction(request.params.caseId.toLowerCase()),
        submissionKey: isUuid(values.submissionKey) ? values.submissionKey : randomUUID(),
        organisation: checked.organisation,
        values: checked.input,
      });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return form(request, reply, values, error.fields);
    }
  });

  app.get<WithComplaint>('/my-case/cases/:caseId/complaint/:complaintId', victims, async (request, reply) => {
    const sent = await complaintConfirmation(db, victimActor(request), request.params.caseId, request.params.complaintId);
    return reply.view('feedback/views/complaint-sent.njk', {
      title: t(request, 'feedback.complaint.sent.title'),
      caseId: request.params.caseId.toLowerCase(),
      reference: sent.reference,
      organisationName: sent.organisationName,
      workingDays: COMPLAINT_WORKING_DAYS,
    });
  });

  // Staff who answer complaints: the service shows them only their own organisation's complaints (and, for a hub
  // supervisor, the area's).
  const staff = { preHandler: requireStaff(COMPLAINT_ANSWERERS) };

  app.get('/complaints', staff, async (request, reply) => {
    const complaints = await listOpenComplaints(db, staffActor(request));
    noStore(reply);
    return reply.view('feedback/views/complaints.njk', {
      title: 'Complaints',
      complaints: complaints.map((complaint) => ({ ...complaint, reference: complaintReference(complaint.id), caseReference: caseReference(complaint.caseId) })),
      done: (request.query as { done?: unknown }).done === 'answered' ? 'Answer recorded' : undefined,
    });
  });

  async function answerPage(request: FastifyRequest<WithId>, reply: FastifyReply, values: Form = {}, fieldErrors: Record<string, string> = {}) {
    const complaint = await getComplaintForStaff(db, staffActor(request), request.params.id);
    noStore(reply);
    return reply.code(Object.keys(fieldErrors).length ? 422 : 200).view('feedback/views/complaint-answer.njk', {
      title: `Complaint ${complaintReference(complaint.id)}`,
      complaint: { ...complaint, caseReference: caseReference(complaint.caseId) },
      answerMax: ANSWER_SUMMARY_MAX_LENGTH,
      values,
      fieldErrors,
      errors: Object.entries(fieldErrors).map(([field, message]) => ({ text: message, href: `#${field}` })),
    });
  }

  app.get<WithId>('/complaints/:id/answer', staff, (request, reply) => answerPage(request, reply));

  app.post<WithId>('/complaints/:id/answer', staff, async (request, reply) => {
    const values = (request.body ?? {}) as Form;
    try {
      await answerComplaint(db, staffActor(request), request.params.id, values);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return answerPage(request, reply, values, error.fields);
    }
    return reply.redirect('/complaints?done=answered', 303);
  });
}
