// All SQL of case messages: the thread of a case, inserting a message once per idempotency key, and read receipts.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { CaseMessageDirection } from './rules.ts';

export type CaseMessage = {
  id: string;
  caseId: string;
  direction: CaseMessageDirection;
  authorUserId: string | null;
  /** The staff author's name; null for the victim's own messages. */
  authorName: string | null;
  body: string;
  createdAt: Date;
  readAt: Date | null;
};

export type NewCaseMessage = { id: string; caseId: string; direction: CaseMessageDirection; authorUserId: string | null; body: string; idempotencyKey: string };

/** The case's id and area, when it exists: for an inbound message, whose sender's access the portal has decided. */
export async function findCaseArea(trx: Trx, caseId: string): Promise<{ id: string; areaId: string } | undefined> {
  const row = await trx.selectFrom('victim_case').select(['id', 'area_id']).where('id', '=', caseId).executeTakeFirst();
  return row && { id: row.id, areaId: row.area_id };
}

/** Inserts the message unless the case already has one with its key; true when this call inserted it. */
export async function insertMessageIfNew(trx: Trx, message: NewCaseMessage): Promise<boolean> {
  const inserted = await trx
    .insertInto('case_message')
    .values({
      id: message.id,
      case_id: message.caseId,
      direction: message.direction,
      author_user_id: message.authorUserId,
      body: message.body,
      idempotency_key: message.idempotencyKey,
    })
    .onConflict((conflict) => conflict.columns(['case_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findMessageIdByKey(trx: Trx, caseId: string, idempotencyKey: string): Promise<string | undefined> {
  const row = await trx.selectFrom('case_message').select('id').where('case_id', '=', caseId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row?.id;
}

/** The case's messages, oldest first, with each staff author's name. */
export async function listThread(db: Db | Trx, caseId: string): Promise<CaseMessage[]> {
  const rows = await db
    .selectFrom('case_message as m')
    .leftJoin('staff_user as s', 's.id', 'm.author_user_id')
    .select(['m.id', 'm.case_id', 'm.direction', 'm.author_user_id', 's.display_name', 'm.body', 'm.created_at', 'm.read_at'])
    .where('m.case_id', '=', caseId)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    direction: row.direction,
    authorUserId: row.author_user_id,
    authorName: row.display_name,
    body: row.body,
    createdAt: row.created_at,
    readAt: row.read_at,
  }));
}

/** Sets the read receipt on the case's unread messages sent in this direction; returns how many it marked. */
export async function markRead(trx: Trx, caseId: string, direction: CaseMessageDirection, now: Date): Promise<number> {
  const result = await trx
    .updateTable('case_message')
    .set({ read_at: now })
    .where('case_id', '=', caseId)
    .where('direction', '=', direction)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Unread messages from the victim on each of these cases (absent when none). */
export async function unreadFromVictim(db: Db | Trx, caseIds: readonly string[]): Promise<Map<string, number>> {
  if (!caseIds.length) return new Map();
  const rows = await db
    .selectFrom('case_message')
    .select(['case_id', sql<number>`count(*)::int`.as('unread')])
    .where('case_id', 'in', [...caseIds])
    .where('direction', '=', 'from_victim')
    .where('read_at', 'is', null)
    .groupBy('case_id')
    .execute();
  return new Map(rows.map((row) => [row.case_id, row.unread]));
}
