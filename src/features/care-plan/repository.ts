// All SQL of the care plan: its actions, with the names of their owners, and who may own one. The driver hands a date
// column back as 'YYYY-MM-DD' text (platform/db/database.ts), so a due date never passes through an instant.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { CarePlanOwnerKind, CarePlanStatus } from '../../platform/db/schema.ts';
import type { CalendarDate } from '../../platform/time/calendar-date.ts';
import type { NewAction, OwnerChoices } from './rules.ts';

export type CarePlanAction = {
  id: string;
  caseId: string;
  description: string;
  ownerKind: CarePlanOwnerKind;
  ownerOrganisationId: string | null;
  ownerOrganisationName: string | null;
  ownerUserId: string | null;
  ownerUserName: string | null;
  dueDate: CalendarDate;
  status: CarePlanStatus;
  doneAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdAt: Date;
};

function actionsWithOwners(db: Db | Trx) {
  return db
    .selectFrom('care_plan_action as a')
    .leftJoin('organisation as o', 'o.id', 'a.owner_organisation_id')
    .leftJoin('staff_user as u', 'u.id', 'a.owner_user_id')
    .select([
      'a.id',
      'a.case_id',
      'a.description',
      'a.owner_kind',
      'a.owner_organisation_id',
      'o.name as owner_organisation_name',
      'a.owner_user_id',
      'u.display_name as owner_user_name',
      'a.due_date',
      'a.status',
      'a.done_at',
      'a.cancelled_at',
      'a.cancel_reason',
      'a.created_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof actionsWithOwners>['executeTakeFirstOrThrow']>>;

const toAction = (row: Row): CarePlanAction => ({
  id: row.id,
  caseId: row.case_id,
  description: row.description,
  ownerKind: row.owner_kind,
  ownerOrganisationId: row.owner_organisation_id,
  ownerOrganisationName: row.owner_organisation_name,
  ownerUserId: row.owner_user_id,
  ownerUserName: row.owner_user_name,
  dueDate: row.due_date,
  status: row.status,
  doneAt: row.done_at,
  cancelledAt: row.cancelled_at,
  cancelReason: row.cancel_reason,
  createdAt: row.created_at,
});

/** A case's actions: open ones first by due date, then the done and cancelled ones, newest change first. */
export async function listActions(db: Db | Trx, caseId: string): Promise<CarePlanAction[]> {
  const rows = await actionsWithOwners(db)
    .where('a.case_id', '=', caseId)
    .orderBy(sql`a.status = 'agreed'`, 'desc')
    .orderBy('a.due_date')
    .orderBy('a.created_at')
    .execute();
  return rows.map(toAction);
}

export async function findAction(db: Db | Trx, caseId: string, actionId: string): Promise<CarePlanAction | undefined> {
  const row = await actionsWithOwners(db).where('a.case_id', '=', caseId).where('a.id', '=', actionId).executeTakeFirst();
  return row && toAction(row);
}

/** Locks the action for a status change, so two people marking it at once take turns and the second sees the first. */
export async function lockAction(trx: Trx, caseId: string, actionId: string): Promise<{ id: string; status: CarePlanStatus } | undefined> {
  return trx.selectFrom('care_plan_action').select(['id', 'status']).where('case_id', '=', caseId).where('id', '=', actionId).forUpdate().executeTakeFirst();
}

export async function findActionIdBySubmission(db: Db | Trx, caseId: string, submissionKey: string): Promise<string | undefined> {
  const row = await db.selectFrom('care_plan_action').select('id').where('case_id', '=', caseId).where('submission_key', '=', submissionKey).executeTakeFirst();
  return row?.id;
}

/** Inserts the action unless this submission key already made one on the case; returns the new id, or undefined. */
export async function insertActionIfNew(trx: Trx, caseId: string, action: NewAction, submissionKey: string, createdByUserId: string | null): Promise<string | undefined> {
  const row = await trx
    .insertInto('care_plan_action')
    .values({
      case_id: caseId,
      description: action.description,
      owner_kind: action.owner.kind,
      owner_organisation_id: action.owner.kind === 'organisation' ? action.owner.organisationId : null,
      owner_user_id: action.owner.kind === 'organisation' ? action.owner.userId : null,
      due_date: action.dueDate,
      submission_key: submissionKey,
      created_by_user_id: createdByUserId,
    })
    .onConflict((conflict) => conflict.columns(['case_id', 'submission_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function setDone(trx: Trx, actionId: string, byUserId: string | null): Promise<void> {
  await trx
    .updateTable('care_plan_action')
    .set({ status: 'done', done_at: sql<Date>`now()`, done_by_user_id: byUserId, updated_at: sql<Date>`now()` })
    .where('id', '=', actionId)
    .execute();
}

export async function setCancelled(trx: Trx, actionId: string, byUserId: string | null, reason: string): Promise<void> {
  await trx
    .updateTable('care_plan_action')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()`, cancelled_by_user_id: byUserId, cancel_reason: reason, updated_at: sql<Date>`now()` })
    .where('id', '=', actionId)
    .execute();
}

/**
 * Who may own an action on a case in this area: its organisations, the hub first; and, to name a person, the active
 * staff of the hub doing the planning.
 */
export async function ownerChoices(db: Db | Trx, areaId: string, hubOrganisationId: string): Promise<OwnerChoices> {
  const organisations = await db
    .selectFrom('organisation')
    .select(['id', 'name'])
    .where('area_id', '=', areaId)
    .orderBy(sql`id = ${hubOrganisationId}`, 'desc')
    .orderBy('name')
    .execute();
  const staff = await db
    .selectFrom('staff_user')
    .select(['id', 'display_name as displayName', 'organisation_id as organisationId'])
    .where('organisation_id', '=', hubOrganisationId)
    .where('status', '=', 'active')
    .where('role', 'in', ['coordinator', 'supervisor'])
    .orderBy('display_name')
    .execute();
  return { organisations, staff };
}
