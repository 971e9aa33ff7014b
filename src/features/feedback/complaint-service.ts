// Use-cases for complaints. A victim (or a parent acting for them) names an organisation on their case and says what
// went wrong; receiving it puts a staff-only 'complaint_received' event on the timeline naming that organisation, which
// starts its 10-working-day Code clock (features/obligations, duty complaint_response). The named organisation's
// staff, or the area's hub supervisors, record the answer; its 'complaint_answered' event meets that duty.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { findOrganisation } from '../../platform/db/organisations.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { portalCase, portalRefusalsAudited, victimOf } from '../portal-access/service.ts';
import {
  findComplaintForStaff,
  findComplaintForVictim,
  findComplaintIdByKey,
  insertComplaintIfNew,
  markAnswered,
  openComplaints,
  organisationsOnCase,
  type ComplaintReach,
  type StaffComplaint,
} from './complaint-repository.ts';
import {
  answeredEventKey,
  checkAnswer,
  checkComplaint,
  checkSubmissionKey,
  complaintOrganisations,
  complaintReference,
  COMPLAINT_ANSWERERS,
  receivedEventKey,
  type ComplaintInput,
  type ComplaintOrganisation,
} from './complaint-rules.ts';

export type { ComplaintOrganisation, StaffComplaint };

const OPEN_LIST_LIMIT = 200;

async function organisationsFor(trx: Trx, caseId: string): Promise<ComplaintOrganisation[]> {
  return complaintOrganisations(await organisationsOnCase(trx, caseId));
}

/** The organisations the victim may name on this case. Only those who can act (not a supporter) may complain. */
export async function complaintChoices(db: Db, actor: Actor, caseId: unknown): Promise<{ caseId: string; organisations: ComplaintOrganisation[] }> {
  return portalRefusalsAudited(db, actor, caseId, 'complaint', () =>
    inTransaction(db, async (trx) => {
      const reach = await portalCase(trx, actor, caseId, 'act');
      const organisations = await organisationsFor(trx, reach.caseId);
      await writeAudit(trx, actor, { action: 'complaint.form_viewed', recordType: 'case', recordId: reach.caseId, detail: { organisations: organisations.length } });
      return { caseId: reach.caseId, organisations };
    }),
  );
}

/** Checks the form for the "check your complaint" page; nothing is stored. */
export async function checkComplaintForm(db: Db, actor: Actor, caseId: unknown, form: { organisationId?: unknown; body?: unknown }): Promise<{ input: ComplaintInput; organisation: ComplaintOrganisation; organisations: ComplaintOrganisation[] }> {
  const { organisations } = await complaintChoices(db, actor, caseId);
  const checked = checkComplaint(form, organisations);
  if ('errors' in checked) throw new Invalid(checked.errors);
  return { input: checked, organisation: organisations.find((organisation) => organisation.id === checked.organisationId) as ComplaintOrganisation, organisations };
}

/**
 * Stores the complaint with its timeline event and audit row, in one transaction. The form's submission key makes a
 * resent form return the complaint already made. The event's detail names the organisation, so the Code clock makes
 * it the owner of the duty to answer.
 */
export async function makeComplaint(db: Db, actor: Actor, caseId: unknown, form: { organisationId?: unknown; body?: unknown; submissionKey?: unknown }, now = new Date()): Promise<{ complaintId: string; created: boolean }> {
  return portalRefusalsAudited(db, actor, caseId, 'complaint', () =>
    inTransaction(db, async (trx) => {
      const reach = await portalCase(trx, actor, caseId, 'act');
      const { accountId } = victimOf(actor);
      const key = checkSubmissionKey(form.submissionKey);
      if ('errors' in key) throw new Invalid(key.errors);
      const earlier = await findComplaintIdByKey(trx, accountId, key.value);
      if (earlier) return { complaintId: earlier, created: false };
      const checked = checkComplaint(form, await organisationsFor(trx, reach.caseId));
      if ('errors' in checked) throw new Invalid(checked.errors);
      const complaintId = await insertComplaintIfNew(trx, { caseId: reach.caseId, areaId: reach.areaId, ...checked, accountId, submissionKey: key.value, receivedAt: now });
      if (!complaintId) {
        // The same form sent twice at the same moment: the unique key let the other in, so this is its replay.
        const raced = await findComplaintIdByKey(trx, accountId, key.value);
        if (!raced) throw new Error('A complaint was refused as a repeat but could not be found');
        return { complaintId: raced, created: false };
      }
      await appendTimelineEvent(trx, actor, {
        caseId: reach.caseId,
        kind: 'complaint_received',
        summary: 'Complaint received from the victim’s portal',
        detail: { complaintId, organisationId: checked.organisationId },
        source: 'victim',
        idempotencyKey: receivedEventKey(complaintId),
        visibility: 'staff',
        occurredAt: now,
      });
      await writeAudit(trx, actor, { action: 'complaint.made', recordType: 'case', recordId: reach.caseId, detail: { complaintId, organisationId: checked.organisationId } });
      return { complaintId, created: true };
    }),
  );
}

/** The confirmation: the reference and who should reply. Only the account that made the complaint sees it. */
export async function complaintConfirmation(db: Db, actor: Actor, caseId: unknown, complaintId: unknown): Promise<{ reference: string; organisationName: string }> {
  return portalRefusalsAudited(db, actor, caseId, 'complaint', () =>
    inTransaction(db, async (trx) => {
      const reach = await portalCase(trx, actor, caseId, 'read');
      const found = isUuid(complaintId) ? await findComplaintForVictim(trx, reach.caseId, complaintId, victimOf(actor).accountId) : undefined;
      if (!found) throw new NotFound('complaint');
      await writeAudit(trx, actor, { action: 'complaint.confirmation_viewed', recordType: 'case', recordId: reach.caseId, detail: { complaintId: found.id } });
      return { reference: complaintReference(found.id), organisationName: found.organisationName };
    }),
  );
}

/** Whose complaints a member of staff answers: their organisation's, and every one in the area if they supervise its hub. */
async function reachOf(trx: Trx, actor: Actor): Promise<ComplaintReach> {
  if (actor.kind !== 'staff' || !COMPLAINT_ANSWERERS.includes(actor.staff.role)) throw new Forbidden('complaint answerers only');
  const kind = actor.staff.organisationKind ?? (await findOrganisation(trx, actor.staff.organisationId))?.kind;
  const supervisesHub = kind === 'hub' && actor.staff.role === 'supervisor';
  return { organisationId: actor.staff.organisationId, supervisedAreaId: supervisesHub ? actor.staff.areaId : null };
}

/** The open complaints the staff member answers for, soonest due first. The list shows no complaint's words. */
export async function listOpenComplaints(db: Db, actor: Actor): Promise<StaffComplaint[]> {
  return inTransaction(db, async (trx) => {
    const complaints = await openComplaints(trx, await reachOf(trx, actor), OPEN_LIST_LIMIT);
    await writeAudit(trx, actor, { action: 'complaints.listed', recordType: 'complaint', detail: { complaintIds: complaints.map((complaint) => complaint.id) } });
    return complaints;
  });
}

/** One complaint, with its words, for the answer page: another organisation's (or a guessed id) is NotFound. */
export async function getComplaintForStaff(db: Db, actor: Actor, complaintId: unknown): Promise<StaffComplaint> {
  return inTransaction(db, async (trx) => {
    const complaint = isUuid(complaintId) ? await findComplaintForStaff(trx, complaintId, await reachOf(trx, actor)) : undefined;
    if (!complaint) throw new NotFound('complaint');
    await writeAudit(trx, actor, { action: 'complaint.viewed', recordType: 'case', recordId: complaint.caseId, detail: { complaintId: complaint.id } });
    return complaint;
  });
}

/**
 * Records the answer: a summary, who gave it and when, and the 'complaint_answered' event that meets the Code clock's
 * duty started by this complaint (it names that event, so another complaint on the case stays open).
 */
export async function answerComplaint(db: Db, actor: Actor, complaintId: unknown, form: { answerSummary?: unknown }, now = new Date()): Promise<void> {
  await inTransaction(db, async (trx) => {
    const complaint = isUuid(complaintId) ? await findComplaintForStaff(trx, complaintId, await reachOf(trx, actor), true) : undefined;
    if (!complaint || actor.kind !== 'staff') throw new NotFound('complaint');
    if (complaint.answeredAt) throw new Conflict('This complaint has already been answered');
    const checked = checkAnswer(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    await markAnswered(trx, complaint.id, { summary: checked.answerSummary, userId: actor.staff.userId, at: now });
    await appendTimelineEvent(trx, actor, {
      caseId: complaint.caseId,
      kind: 'complaint_answered',
      summary: 'Complaint answered',
      detail: { complaintId: complaint.id, organisationId: complaint.organisationId, receivedEventId: complaint.receivedEventId },
      source: 'staff',
      idempotencyKey: answeredEventKey(complaint.id),
      visibility: 'staff',
      occurredAt: now,
    });
    await writeAudit(trx, actor, { action: 'complaint.answered', recordType: 'case', recordId: complaint.caseId, detail: { complaintId: complaint.id } });
  });
}
