// All SQL for case tasks.
import type { Selectable } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type { CaseTaskKind, CaseTaskStatus, CaseTaskTable } from '../../platform/db/schema.ts';

export type CaseTask = {
  id: string;
  caseId: string;
  kind: CaseTaskKind;
  title: string;
  owningOrganisationId: string;
  dueAt: Date | null;
  idempotencyKey: string;
  status: CaseTaskStatus;
  raisedByUserId: string | null;
  raisedAt: Date;
  completedAt: Date | null;
  completedByUserId: string | null;
};

const toTask = (row: Selectable<CaseTaskTable>): CaseTask => ({
  id: row.id,
  caseId: row.case_id,
  kind: row.kind,
  title: row.title,
  owningOrganisationId: row.owning_organisation_id,
  dueAt: row.due_at,
  idempotencyKey: row.idempotency_key,
  status: row.status,
  raisedByUserId: row.raised_by_user_id,
  raisedAt: row.raised_at,
  completedAt: row.completed_at,
  completedByUserId: row.completed_by_user_id,
});

/** Inserts the task unless its idempotency key is taken; undefined means it was. */
export async function insertTaskIfNew(
  trx: Trx,
  task: { caseId: string; kind: CaseTaskKind; title: string; owningOrganisationId: string; dueAt: Date | null; idempotencyKey: string; raisedByUserId: string | null },
): Promise<CaseTask | undefined> {
  const row = await trx
    .insertInto('case_task')
    .values({
      case_id: task.caseId,
      kind: task.kind,
      title: task.title,
      owning_organisation_id: task.owningOrganisationId,
      due_at: task.dueAt,
      idempotency_key: task.idempotencyKey,
      raised_by_user_id: task.raisedByUserId,
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toTask(row) : undefined;
}

export async function findTaskByKey(trx: Trx, idempotencyKey: string): Promise<CaseTask | undefined> {
  const row = await trx.selectFrom('case_task').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row ? toTask(row) : undefined;
}

export async function findTask(trx: Trx, caseId: string, taskId: string, options: { forUpdate?: boolean } = {}): Promise<CaseTask | undefined> {
  let query = trx.selectFrom('case_task').selectAll().where('id', '=', taskId).where('case_id', '=', caseId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toTask(row) : undefined;
}

/** Open tasks on the case, oldest first. */
export async function listOpenTasks(trx: Trx, caseId: string): Promise<CaseTask[]> {
  const rows = await trx
    .selectFrom('case_task')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .orderBy('raised_at')
    .orderBy('id')
    .execute();
  return rows.map(toTask);
}

export async function markCompleted(trx: Trx, taskId: string, completedByUserId: string | null, completedAt: Date): Promise<void> {
  await trx
    .updateTable('case_task')
    .set({ status: 'completed', completed_at: completedAt, completed_by_user_id: completedByUserId })
    .where('id', '=', taskId)
    .execute();
}
