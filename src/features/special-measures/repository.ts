// All SQL of special measures: a case's ledger, oldest first, and adding an entry once per idempotency key.
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { SpecialMeasuresRecordKind } from '../../platform/db/schema.ts';
import type { LedgerEntry } from './rules.ts';

/** A case's ledger, oldest first, with who recorded each entry. */
export async function listLedger(db: Db | Trx, caseId: string): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('special_measures_record as r')
    .leftJoin('staff_user as u', 'u.id', 'r.recorded_by_user_id')
    .select(['r.id', 'r.kind', 'r.detail', 'r.occurred_at', 'r.source', 'r.recorded_at', 'u.display_name as recorded_by_name'])
    .where('r.case_id', '=', caseId)
    .orderBy('r.id')
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    detail: row.detail,
    occurredAt: row.occurred_at,
    source: row.source,
    recordedByName: row.recorded_by_name,
    recordedAt: row.recorded_at,
  }));
}

export type LedgerEntryToInsert = {
  caseId: string;
  kind: SpecialMeasuresRecordKind;
  detail: Record<string, unknown>;
  occurredAt: Date;
  source: 'staff' | 'case_update';
  idempotencyKey: string;
  recordedByUserId: string | null;
};

/** Adds the entry unless its key already recorded one on the case; its id when added, undefined for a repeat. */
export async function insertLedgerEntryIfNew(trx: Trx, entry: LedgerEntryToInsert): Promise<number | undefined> {
  const row = await trx
    .insertInto('special_measures_record')
    .values({
      case_id: entry.caseId,
      kind: entry.kind,
      detail: JSON.stringify(entry.detail),
      occurred_at: entry.occurredAt,
      source: entry.source,
      idempotency_key: entry.idempotencyKey,
      recorded_by_user_id: entry.recordedByUserId,
    })
    .onConflict((conflict) => conflict.columns(['case_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

export async function ledgerKeyExists(db: Db | Trx, caseId: string, idempotencyKey: string): Promise<boolean> {
  const row = await db.selectFrom('special_measures_record').select('id').where('case_id', '=', caseId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row !== undefined;
}
