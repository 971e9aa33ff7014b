// The hub's side of referrals to providers' services: write a draft with the summary the victim approved, record the
// approval, send it (only with consent in force, and past the service's eligibility only with a hub supervisor's
// reasoned override), cancel a draft, read a case's referrals with the provider's messages, and write back. Only hub
// coordinators and supervisors of the case's area may (the cases service decides); a guessed id gets NotFound. Every
// read and write is audited, and every step is a timeline event in the same transaction.
//
// The provider's side is in provider-service.ts. A consent withdrawal closes open referrals through
// closeReferralsOnWithdrawal, called by the consent service inside its own transaction.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Conflict, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent, getCaseForStaff, type VictimCase } from '../cases/service.ts';
import { caseReference } from '../cases/rules.ts';
import { checkSharing } from '../consent/service.ts';
import { eligibilityForService, type ServiceEligibility } from '../service-matching/service.ts';
import { raiseTask } from '../tasks/service.ts';
import {
  findDraftBySubmission,
  findNoteBySubmission,
  findReferralOfCase,
  insertDraftIfNew,
  insertNoteIfNew,
  listNotes,
  listReferralsOfCase,
  lockReferralsWithProvider,
  updateReferral,
  type Referral,
  type ReferralNote,
} from './repository.ts';
import { canTake, checkApproval, checkDraft, checkNote, sendBlockers, VICTIM_WORDS, type ReferralStep } from './rules.ts';

export type { Referral, ReferralNote };

const RECORD = 'case';

type AuthorisedCase = { case: VictimCase; reference: string; personName: string; staff: StaffIdentity };

/** The case, if this actor may work on it (the cases service decides, and audits the read of the case). */
async function authorisedCase(db: Db, actor: Actor, caseId: string): Promise<AuthorisedCase> {
  const found = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  const personName = [found.person.givenName, found.person.familyName].filter(Boolean).join(' ');
  return { case: found.case, reference: caseReference(found.case.id), personName, staff: actor.staff };
}

const isHubSupervisor = (staff: StaffIdentity): boolean => staff.role === 'supervisor';

export type ReferralFormPage = {
  caseId: string;
  reference: string;
  personName: string;
  eligibility: ServiceEligibility;
  sharing: { allowed: true } | { allowed: false; reason: string };
  canOverride: boolean;
  submissionKey: string;
};

/** The referral form for one service: whether the case is eligible, whether consent is in force, and a fresh key. */
export async function getReferralForm(db: Db, actor: Actor, caseId: string, serviceId: unknown): Promise<ReferralFormPage> {
  const { case: victimCase, reference, personName, staff } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const eligibility = await serviceInArea(trx, victimCase, serviceId);
    const sharing = await checkSharing(trx, victimCase.id, victimCase.personId, eligibility.service.organisationId, 'support_referral');
    await writeAudit(trx, actor, { action: 'support_referral.form_viewed', recordType: RECORD, recordId: victimCase.id, detail: { serviceId: eligibility.service.id } });
    return { caseId: victimCase.id, reference, personName, eligibility, sharing, canOverride: isHubSupervisor(staff), submissionKey: randomUUID() };
  });
}

/** The service, if it is an active one in the case's area, with what matching says of this case and it. */
async function serviceInArea(trx: Trx, victimCase: VictimCase, serviceId: unknown): Promise<ServiceEligibility> {
  const eligibility = isUuid(serviceId) ? await eligibilityForService(trx, victimCase.id, serviceId) : undefined;
  if (!eligibility) throw new NotFound('service');
  return eligibility;
}

/**
 * Writes the referral as a draft and, when the form asks to send it and nothing stands in the way, sends it in the
 * same transaction. A draft that cannot be sent yet (no approval, no consent) is kept, with the reasons shown on its
 * page, so nothing the coordinator wrote is lost. The same submission key finds the first referral.
 */
export async function createReferral(
  db: Db,
  actor: Actor,
  caseId: string,
  form: Record<string, unknown>,
  now = new Date(),
): Promise<{ referralId: string; created: boolean; sent: boolean }> {
  const { case: victimCase, staff } = await authorisedCase(db, actor, caseId);
  const submissionKey = form.submissionKey;
  if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the referral' });
  return inTransaction(db, async (trx) => {
    const replay = await findDraftBySubmission(trx, submissionKey);
    if (replay) return replayOf(trx, replay, victimCase.id);
    const eligibility = await serviceInArea(trx, victimCase, form.serviceId);
    const excluded = eligibility.excludedBecause.length > 0;
    const checked = checkDraft(form, { excluded, supervisor: isHubSupervisor(staff) });
    if ('errors' in checked) throw new Invalid(checked.errors);
    const { service } = eligibility;
    const referralId = await insertDraftIfNew(trx, {
      caseId: victimCase.id,
      personId: victimCase.personId,
      areaId: victimCase.areaId,
      serviceId: service.id,
      organisationId: service.organisationId,
      summary: checked.value.summary,
      approvedHow: checked.value.approvedHow,
      approvedByUserId: staff.userId,
      overrideReason: checked.value.overrideReason,
      overrideByUserId: staff.userId,
      excludedBecause: eligibility.excludedBecause,
      createdByUserId: staff.userId,
      submissionKey,
      now,
    });
    if (!referralId) {
      const raced = await findDraftBySubmission(trx, submissionKey);
      if (raced) return replayOf(trx, raced, victimCase.id);
      throw new Error('A referral was refused as a repeat but could not be found');
    }
    await appendTimelineEvent(trx, actor, {
      caseId: victimCase.id,
      kind: 'service_referral_drafted',
      summary: `Referral to ${service.name} drafted`,
      detail: { referralId, serviceId: service.id, organisationId: service.organisationId, override: Boolean(checked.value.overrideReason) },
      source: 'hub',
      idempotencyKey: `service_referral_drafted:${referralId}`,
      visibility: 'staff',
      occurredAt: now,
    });
    await writeAudit(trx, actor, {
      action: 'support_referral.drafted',
      recordType: RECORD,
      recordId: victimCase.id,
      detail: { referralId, serviceId: service.id, organisationId: service.organisationId, approvedHow: checked.value.approvedHow, override: Boolean(checked.value.overrideReason) },
    });
    let sent = false;
    if (form.action === 'send') {
      const referral = await findReferralOfCase(trx, victimCase.id, referralId, { forUpdate: true });
      if (!referral) throw new Error('A referral just written could not be read');
      sent = (await blockersOf(trx, victimCase, referral)).length === 0;
      if (sent) await send(trx, actor, staff, victimCase, referral, now);
    }
    return { referralId, created: true, sent };
  });
}

/** A replayed key names a referral; it must be one made on this case, or the key is someone else's. */
async function replayOf(trx: Trx, replay: { id: string; caseId: string }, caseId: string): Promise<{ referralId: string; created: boolean; sent: boolean }> {
  if (replay.caseId !== caseId) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the referral' });
  const referral = await findReferralOfCase(trx, caseId, replay.id);
  return { referralId: replay.id, created: false, sent: referral !== undefined && referral.status !== 'draft' };
}

async function blockersOf(trx: Trx, victimCase: VictimCase, referral: Referral): Promise<string[]> {
  const [sharing, eligibility] = await Promise.all([
    checkSharing(trx, victimCase.id, victimCase.personId, referral.organisationId, 'support_referral'),
    eligibilityForService(trx, victimCase.id, referral.serviceId),
  ]);
  return sendBlockers({ approved: referral.summaryApprovedHow !== null, sharing, serviceActive: eligibility !== undefined });
}

/**
 * Sends a draft: the 'service_referral_sent' event starts the provider's response clock (in the service's own working
 * days) and meets the hub's duty to refer. The referral keeps the event's id, which the provider's answer names.
 */
async function send(trx: Trx, actor: Actor, staff: StaffIdentity, victimCase: VictimCase, referral: Referral, now: Date): Promise<void> {
  const { event } = await appendTimelineEvent(trx, actor, {
    caseId: victimCase.id,
    kind: 'service_referral_sent',
    summary: VICTIM_WORDS.sent(referral.serviceName),
    detail: { referralId: referral.id, serviceId: referral.serviceId, organisationId: referral.organisationId, responseWorkingDays: referral.responseWorkingDays },
    source: 'hub',
    idempotencyKey: `service_referral_sent:${referral.id}`,
    visibility: 'victim',
    occurredAt: now,
  });
  await updateReferral(trx, referral.id, { status: 'sent', sent_at: now, sent_by_user_id: staff.userId, sent_event_id: event.id });
  await writeAudit(trx, actor, {
    action: 'support_referral.sent',
    recordType: RECORD,
    recordId: victimCase.id,
    detail: { referralId: referral.id, organisationId: referral.organisationId, eventId: event.id },
  });
}

export type ReferralPage = {
  caseId: string;
  reference: string;
  personName: string;
  referral: Referral;
  blockers: string[];
  messages: ReferralNote[];
  messageKey: string;
};

export async function getReferral(db: Db, actor: Actor, caseId: string, referralId: string): Promise<ReferralPage> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  if (!isUuid(referralId)) throw new NotFound('referral');
  return inTransaction(db, async (trx) => {
    const referral = await findReferralOfCase(trx, victimCase.id, referralId);
    if (!referral) throw new NotFound('referral');
    const blockers = referral.status === 'draft' ? await blockersOf(trx, victimCase, referral) : [];
    const messages = await listNotes(trx, referral.id, ['to_coordinator', 'to_provider']);
    await writeAudit(trx, actor, { action: 'support_referral.viewed', recordType: RECORD, recordId: victimCase.id, detail: { referralId } });
    return { caseId: victimCase.id, reference, personName, referral, blockers, messages, messageKey: randomUUID() };
  });
}

export async function listCaseReferrals(db: Db, actor: Actor, caseId: string): Promise<{ caseId: string; reference: string; personName: string; referrals: Referral[] }> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const referrals = await listReferralsOfCase(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'support_referral.listed', recordType: RECORD, recordId: victimCase.id, detail: { count: referrals.length } });
    return { caseId: victimCase.id, reference, personName, referrals };
  });
}

/** Runs one step on one of the case's referrals under its row lock; a step the state does not allow is a Conflict. */
async function withReferral<T>(
  db: Db,
  actor: Actor,
  caseId: string,
  referralId: string,
  step: ReferralStep,
  work: (trx: Trx, context: AuthorisedCase, referral: Referral) => Promise<T>,
  replayed?: (trx: Trx, referral: Referral) => Promise<T | undefined>,
): Promise<T> {
  const context = await authorisedCase(db, actor, caseId);
  if (!isUuid(referralId)) throw new NotFound('referral');
  return inTransaction(db, async (trx) => {
    const referral = await findReferralOfCase(trx, context.case.id, referralId, { forUpdate: true });
    if (!referral) throw new NotFound('referral');
    // A form sent again after it was carried out succeeds quietly, even if the referral has moved on since.
    const replay = replayed ? await replayed(trx, referral) : undefined;
    if (replay !== undefined) return replay;
    if (!canTake(step, referral.status)) throw new Conflict('This referral has moved on since the page was opened. Check its status');
    return work(trx, context, referral);
  });
}

/** The victim approved the summary by phone or in person; the coordinator records how. */
export async function approveSummary(db: Db, actor: Actor, caseId: string, referralId: string, form: Record<string, unknown>, now = new Date()): Promise<void> {
  await withReferral(db, actor, caseId, referralId, 'approve_summary', async (trx, { staff }, referral) => {
    const checked = checkApproval(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    await updateReferral(trx, referral.id, { summary_approved_how: checked.value, summary_approved_at: now, summary_approved_by_user_id: staff.userId });
    await appendTimelineEvent(trx, actor, {
      caseId: referral.caseId,
      kind: 'service_referral_summary_approved',
      summary: `You approved the summary we will share with ${referral.serviceName}`,
      detail: { referralId: referral.id, how: checked.value },
      source: 'hub',
      idempotencyKey: `service_referral_summary_approved:${referral.id}`,
      visibility: 'victim',
      occurredAt: now,
    });
    await writeAudit(trx, actor, { action: 'support_referral.summary_approved', recordType: RECORD, recordId: referral.caseId, detail: { referralId, how: checked.value } });
  });
}

/** Sends a draft, or says in plain words what stands in the way. */
export async function sendReferral(db: Db, actor: Actor, caseId: string, referralId: string, now = new Date()): Promise<void> {
  await withReferral(db, actor, caseId, referralId, 'send', async (trx, { case: victimCase, staff }, referral) => {
    const blockers = await blockersOf(trx, victimCase, referral);
    if (blockers.length) throw new Invalid({ send: blockers.join('. ') });
    await send(trx, actor, staff, victimCase, referral, now);
  });
}

export async function cancelDraft(db: Db, actor: Actor, caseId: string, referralId: string, now = new Date()): Promise<void> {
  await withReferral(db, actor, caseId, referralId, 'cancel', async (trx, _context, referral) => {
    await updateReferral(trx, referral.id, { status: 'cancelled' });
    await appendTimelineEvent(trx, actor, {
      caseId: referral.caseId,
      kind: 'service_referral_cancelled',
      summary: `Draft referral to ${referral.serviceName} cancelled`,
      detail: { referralId: referral.id },
      source: 'hub',
      idempotencyKey: `service_referral_cancelled:${referral.id}`,
      visibility: 'staff',
      occurredAt: now,
    });
    await writeAudit(trx, actor, { action: 'support_referral.cancelled', recordType: RECORD, recordId: referral.caseId, detail: { referralId } });
  });
}

/** A message from the coordinator to the provider's team, on a referral the provider holds. */
export async function messageProvider(db: Db, actor: Actor, caseId: string, referralId: string, form: Record<string, unknown>, now = new Date()): Promise<void> {
  const submissionKey = form.submissionKey;
  if (!isUuid(submissionKey)) throw new Invalid({ body: 'The form could not be matched. Open the page again and re-enter the message' });
  await withReferral<'sent' | 'replayed'>(db, actor, caseId, referralId, 'message', async (trx, { staff }, referral) => {
    const checked = checkNote(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const noteId = await insertNoteIfNew(trx, { referralId: referral.id, kind: 'to_provider', body: checked.value, authorUserId: staff.userId, submissionKey, now });
    if (!noteId) return 'replayed';
    await appendTimelineEvent(trx, actor, {
      caseId: referral.caseId,
      kind: 'service_referral_message',
      summary: `Message to ${referral.organisationName} about the referral`,
      detail: { referralId: referral.id, noteId, direction: 'to_provider' },
      source: 'hub',
      idempotencyKey: `service_referral_message:${noteId}`,
      visibility: 'staff',
      occurredAt: now,
    });
    await writeAudit(trx, actor, { action: 'support_referral.message_sent', recordType: RECORD, recordId: referral.caseId, detail: { referralId, noteId } });
    return 'sent';
  }, async (trx, referral) => ((await findNoteBySubmission(trx, submissionKey))?.referralId === referral.id ? 'replayed' : undefined));
}

/**
 * After a withdrawal of the victim's support-referral consent to an organisation: every referral still with that
 * organisation closes at once, in the withdrawal's transaction. The provider then sees only that it closed. The
 * closing event names the sent event, so an unanswered referral's response duty ends with it.
 */
export async function closeReferralsOnWithdrawal(trx: Trx, actor: Actor, personId: string, organisationId: string, now = new Date()): Promise<number> {
  const open = await lockReferralsWithProvider(trx, personId, organisationId);
  for (const referral of open) {
    await updateReferral(trx, referral.id, { status: 'closed', outcome: 'consent_withdrawn', closed_at: now, closed_by_user_id: actor.kind === 'staff' ? actor.staff.userId : null });
    await appendTimelineEvent(trx, actor, {
      caseId: referral.caseId,
      kind: 'service_referral_closed',
      summary: `Referral to ${referral.serviceName} closed: consent withdrawn`,
      detail: { referralId: referral.id, outcome: 'consent_withdrawn', sentEventId: referral.sentEventId },
      source: 'hub',
      idempotencyKey: `service_referral_closed:${referral.id}`,
      visibility: 'staff',
      occurredAt: now,
    });
    await writeAudit(trx, actor, { action: 'support_referral.closed', recordType: RECORD, recordId: referral.caseId, detail: { referralId: referral.id, outcome: 'consent_withdrawn' } });
  }
  return open.length;
}

/** Raises a task for the hub that sent the referral, when the provider gives it back in any way. */
export async function raiseReturnedTask(trx: Trx, actor: Actor, referral: Referral, hubOrganisationId: string, why: string): Promise<void> {
  await raiseTask(trx, actor, {
    caseId: referral.caseId,
    kind: 'support_referral_returned',
    title: `Find other support: ${referral.serviceName} ${why}`,
    owningOrganisationId: hubOrganisationId,
    idempotencyKey: `support_referral_returned:${referral.id}`,
  });
}
