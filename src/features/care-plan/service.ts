// Use-cases for a case's care plan: read it, open the add form, add an action, mark one done, cancel one. Only hub
// coordinators and supervisors of the case's area may; anyone else, and a guessed id, gets NotFound. Every read and
// write is audited, and every change is put on the case timeline in the same transaction, so no history is lost.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Conflict, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { appendTimelineEvent, getCaseForStaff, type VictimCase } from '../cases/service.ts';
// A pure rule (no I/O): pages name a case by the same short reference everywhere.
import { caseReference } from '../cases/rules.ts';
import { findAction, findActionIdBySubmission, insertActionIfNew, listActions, lockAction, ownerChoices, setCancelled, setDone, type CarePlanAction } from './repository.ts';
import { checkAction, checkCancelReason, isUuid, statusChange, victimText, type ActionForm, type OwnerChoices } from './rules.ts';

export type { CarePlanAction, OwnerChoices };

const RECORD = 'case';

type AuthorisedCase = { case: VictimCase; reference: string; personName: string; staff: StaffIdentity };

/**
 * The case, if this actor may work on it. The cases service decides (and audits the read of the case); it reads in its
 * own transaction, so this is called before ours opens. A case never changes area, so the answer still holds in ours.
 */
async function authorisedCase(db: Db, actor: Actor, caseId: string): Promise<AuthorisedCase> {
  const found = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  const personName = [found.person.givenName, found.person.familyName].filter(Boolean).join(' ');
  return { case: found.case, reference: caseReference(found.case.id), personName, staff: actor.staff };
}

export type CarePlanPage = { caseId: string; reference: string; personName: string; actions: CarePlanAction[]; today: string };

export async function getCarePlan(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<CarePlanPage> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const actions = await listActions(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'care_plan.viewed', recordType: RECORD, recordId: victimCase.id, detail: { actionCount: actions.length } });
    return { caseId: victimCase.id, reference, personName, actions, today: londonDateOf(now) };
  });
}

export type AddActionForm = { caseId: string; reference: string; personName: string; choices: OwnerChoices; submissionKey: string };

/** What the add form needs: who may own an action, and a fresh submission key so sending the form twice adds one. */
export async function getAddActionForm(db: Db, actor: Actor, caseId: string): Promise<AddActionForm> {
  const { case: victimCase, reference, personName, staff } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const choices = await ownerChoices(trx, victimCase.areaId, staff.organisationId);
    await writeAudit(trx, actor, { action: 'care_plan.form_viewed', recordType: RECORD, recordId: victimCase.id });
    return { caseId: victimCase.id, reference, personName, choices, submissionKey: randomUUID() };
  });
}

/**
 * Adds an agreed action, with its audit event and a victim-visible timeline event. The same submission key returns the
 * action it made before (created: false), so a double click or a resent form adds one action. Bad input throws
 * Invalid and stores nothing.
 */
export async function addAction(db: Db, actor: Actor, caseId: string, form: ActionForm & { submissionKey?: unknown }, now = new Date()): Promise<{ actionId: string; created: boolean }> {
  const { case: victimCase, staff } = await authorisedCase(db, actor, caseId);
  const submissionKey = form.submissionKey;
  if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the action' });
  return inTransaction(db, async (trx) => {
    const replay = await findActionIdBySubmission(trx, victimCase.id, submissionKey);
    if (replay) return { actionId: replay, created: false };
    const checked = checkAction(form, londonDateOf(now), await ownerChoices(trx, victimCase.areaId, staff.organisationId));
    if ('errors' in checked) throw new Invalid(checked.errors);
    const actionId = await insertActionIfNew(trx, victimCase.id, checked.value, submissionKey, staff.userId);
    if (!actionId) {
      // The same form sent at the same moment: the unique key let the other one in, so this is its replay.
      const raced = await findActionIdBySubmission(trx, victimCase.id, submissionKey);
      if (raced) return { actionId: raced, created: false };
      throw new Error('A care plan action was refused as a repeat but could not be found');
    }
    const action = await savedAction(trx, victimCase.id, actionId);
    await writeAudit(trx, actor, {
      action: 'care_plan.action_added',
      recordType: RECORD,
      recordId: victimCase.id,
      detail: { actionId, ownerKind: action.ownerKind, ownerOrganisationId: action.ownerOrganisationId, dueDate: action.dueDate },
    });
    await onTimeline(trx, actor, action, 'agreed', 'victim');
    return { actionId, created: true };
  });
}

export type ActionPage = { caseId: string; reference: string; personName: string; action: CarePlanAction };

/** One action, for the page that asks why it is being cancelled. */
export async function getAction(db: Db, actor: Actor, caseId: string, actionId: string): Promise<ActionPage> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  if (!isUuid(actionId)) throw new NotFound('care plan action');
  return inTransaction(db, async (trx) => {
    const action = await findAction(trx, victimCase.id, actionId);
    if (!action) throw new NotFound('care plan action');
    await writeAudit(trx, actor, { action: 'care_plan.action_viewed', recordType: RECORD, recordId: victimCase.id, detail: { actionId } });
    return { caseId: victimCase.id, reference, personName, action };
  });
}

/** Marks an agreed action done. Sending it twice changes nothing the second time; a cancelled action cannot be done. */
export async function markActionDone(db: Db, actor: Actor, caseId: string, actionId: string): Promise<{ changed: boolean }> {
  const { case: victimCase, staff } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const current = await lockedAction(trx, victimCase.id, actionId);
    const change = statusChange(current.status, 'done');
    if (change === 'same') return { changed: false };
    if (change === 'refused') throw new Conflict('This action was cancelled, so it cannot be marked as done');
    await setDone(trx, current.id, staff.userId);
    await recordChange(trx, actor, victimCase.id, current.id, current.status, 'done');
    return { changed: true };
  });
}

/**
 * Cancels an agreed action with a reason. The reason may name people or circumstances, so it is kept on the action and
 * on the staff-only timeline, never in the audit trail.
 */
export async function cancelAction(db: Db, actor: Actor, caseId: string, actionId: string, reasonInput: unknown): Promise<{ changed: boolean }> {
  const { case: victimCase, staff } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const current = await lockedAction(trx, victimCase.id, actionId);
    const change = statusChange(current.status, 'cancelled');
    if (change === 'same') return { changed: false };
    if (change === 'refused') throw new Conflict('This action is done, so it cannot be cancelled');
    const reason = checkCancelReason(reasonInput);
    if ('errors' in reason) throw new Invalid(reason.errors);
    await setCancelled(trx, current.id, staff.userId, reason.value);
    await recordChange(trx, actor, victimCase.id, current.id, current.status, 'cancelled', reason.value);
    return { changed: true };
  });
}

async function lockedAction(trx: Trx, caseId: string, actionId: string) {
  const current = isUuid(actionId) ? await lockAction(trx, caseId, actionId) : undefined;
  if (!current) throw new NotFound('care plan action');
  return current;
}

async function savedAction(trx: Trx, caseId: string, actionId: string): Promise<CarePlanAction> {
  const action = await findAction(trx, caseId, actionId);
  if (!action) throw new Error('The care plan action just saved could not be read back');
  return action;
}

async function recordChange(trx: Trx, actor: Actor, caseId: string, actionId: string, from: string, to: 'done' | 'cancelled', reason?: string) {
  await writeAudit(trx, actor, { action: `care_plan.action_${to}`, recordType: RECORD, recordId: caseId, detail: { actionId, from, to } });
  const action = await savedAction(trx, caseId, actionId);
  // The victim sees an action done; a cancellation carries a reason written for staff, so it stays on the staff view.
  await onTimeline(trx, actor, action, to, to === 'done' ? 'victim' : 'staff', reason);
}

const EVENT_KINDS = { agreed: 'care_plan_action_agreed', done: 'care_plan_action_done', cancelled: 'care_plan_action_cancelled' } as const;

function onTimeline(trx: Trx, actor: Actor, action: CarePlanAction, status: keyof typeof EVENT_KINDS, visibility: 'victim' | 'staff', reason?: string) {
  return appendTimelineEvent(trx, actor, {
    caseId: action.caseId,
    kind: EVENT_KINDS[status],
    summary: `Care plan: ${victimText(action)}`,
    detail: { actionId: action.id, status, dueDate: action.dueDate, ...(reason ? { reason } : {}) },
    source: 'staff',
    // Each action reaches each status once (done and cancelled are final), so the pair is a natural idempotency key.
    idempotencyKey: `care_plan_action:${action.id}:${status}`,
    visibility,
    occurredAt: new Date(),
  });
}
