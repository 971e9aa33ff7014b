// Use-cases for case tasks, composed into other features' transactions: the caller has already authorised the actor
// for the case (for example the assessment service, which raises a MARAC referral). Every write is audited here.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { Conflict, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { findTask, findTaskByKey, insertTaskIfNew, listOpenTasks, markCompleted, type CaseTask } from './repository.ts';
import { CASE_TASK_KIND_NAMES, checkTask, type CaseTaskKind, type TaskInput } from './rules.ts';

export type { CaseTask, CaseTaskKind, TaskInput };
export { CASE_TASK_KIND_NAMES };

const actorUserId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.staff.userId : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Raises a task on a case. The same idempotency key returns the task already raised (created: false) and adds nothing. */
export async function raiseTask(trx: Trx, actor: Actor, input: TaskInput): Promise<{ task: CaseTask; created: boolean }> {
  const checked = checkTask(input);
  if ('errors' in checked) throw new Invalid(checked.errors);
  const task = checked.value;
  const inserted = await insertTaskIfNew(trx, { ...task, raisedByUserId: actorUserId(actor) });
  if (!inserted) {
    const existing = await findTaskByKey(trx, task.idempotencyKey);
    if (!existing) throw new Error('A task with this idempotency key exists but could not be read');
    if (existing.caseId !== task.caseId) throw new Conflict('This idempotency key belongs to a task on another case');
    return { task: existing, created: false };
  }
  await writeAudit(trx, actor, {
    action: 'case_task.raised',
    recordType: 'case',
    recordId: task.caseId,
    detail: { taskId: inserted.id, kind: inserted.kind, owningOrganisationId: inserted.owningOrganisationId },
  });
  return { task: inserted, created: true };
}

/** The case's open tasks, oldest first. */
export function listOpenTasksForCase(trx: Trx, caseId: string): Promise<CaseTask[]> {
  return listOpenTasks(trx, caseId);
}

/** Marks a task done, recording who and when. Completing it again changes nothing. */
export async function completeTask(trx: Trx, actor: Actor, caseId: string, taskId: string, now = new Date()): Promise<CaseTask> {
  const task = UUID.test(taskId) ? await findTask(trx, caseId, taskId, { forUpdate: true }) : undefined;
  if (!task) throw new NotFound('task');
  if (task.status === 'completed') return task;
  await markCompleted(trx, task.id, actorUserId(actor), now);
  await writeAudit(trx, actor, { action: 'case_task.completed', recordType: 'case', recordId: caseId, detail: { taskId: task.id, kind: task.kind } });
  return { ...task, status: 'completed', completedAt: now, completedByUserId: actorUserId(actor) };
}

/** Completes every open task of this kind on the case (the work it asked for is done); returns those it completed. */
export async function completeOpenTasksOfKind(trx: Trx, actor: Actor, caseId: string, kind: CaseTaskKind, now = new Date()): Promise<CaseTask[]> {
  const open = (await listOpenTasks(trx, caseId)).filter((task) => task.kind === kind);
  const done: CaseTask[] = [];
  for (const task of open) done.push(await completeTask(trx, actor, caseId, task.id, now));
  return done;
}
