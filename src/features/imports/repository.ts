// All SQL of the file import: import files, their staged rows, and the counts the progress page and summary show.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { ImportRowStatus, ImportStatus } from '../../platform/db/schema.ts';
import type { RawRow, RowReasons } from './rules.ts';

export type ImportFile = {
  id: string;
  areaId: string;
  organisationId: string;
  organisationName: string;
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  status: ImportStatus;
  imported: number;
  replayed: number;
  quarantined: number;
  createdByLabel: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

function selectImportFiles(db: Db | Trx) {
  return db
    .selectFrom('import_file')
    .innerJoin('organisation', 'organisation.id', 'import_file.organisation_id')
    .select([
      'import_file.id',
      'import_file.area_id as areaId',
      'import_file.organisation_id as organisationId',
      'organisation.name as organisationName',
      'import_file.sha256',
      'import_file.size_bytes as sizeBytes',
      'import_file.row_count as rowCount',
      'import_file.status',
      'import_file.imported_count as imported',
      'import_file.replayed_count as replayed',
      'import_file.quarantined_count as quarantined',
      'import_file.created_by_label as createdByLabel',
      'import_file.created_at as createdAt',
      'import_file.started_at as startedAt',
      'import_file.finished_at as finishedAt',
    ]);
}

export function findImportFile(db: Db | Trx, id: string): Promise<ImportFile | undefined> {
  return selectImportFiles(db).where('import_file.id', '=', id).executeTakeFirst();
}

export function findImportFileByContent(db: Db | Trx, organisationId: string, sha256: string): Promise<ImportFile | undefined> {
  return selectImportFiles(db).where('import_file.organisation_id', '=', organisationId).where('import_file.sha256', '=', sha256).executeTakeFirst();
}

export function listImportFiles(db: Db, areaId: string, limit: number): Promise<ImportFile[]> {
  return selectImportFiles(db).where('import_file.area_id', '=', areaId).orderBy('import_file.created_at', 'desc').limit(limit).execute();
}

export type NewImportFile = {
  areaId: string;
  organisationId: string;
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  createdByUserId: string | null;
  createdByLabel: string;
};

/** Inserts the import unless the organisation already sent this content; returns the id either way and whether it is new. */
export async function insertImportFile(trx: Trx, file: NewImportFile): Promise<{ id: string; created: boolean }> {
  const inserted = await trx
    .insertInto('import_file')
    .values({
      area_id: file.areaId,
      organisation_id: file.organisationId,
      sha256: file.sha256,
      size_bytes: file.sizeBytes,
      row_count: file.rowCount,
      created_by_user_id: file.createdByUserId,
      created_by_label: file.createdByLabel,
    })
    .onConflict((conflict) => conflict.columns(['organisation_id', 'sha256']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await trx
    .selectFrom('import_file')
    .select('id')
    .where('organisation_id', '=', file.organisationId)
    .where('sha256', '=', file.sha256)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** Stages rows; rows already staged (an earlier, interrupted staging of the same file) are left as they are. */
export async function stageRows(trx: Trx, importFileId: string, rows: { rowNumber: number; raw: RawRow }[]): Promise<void> {
  if (!rows.length) return;
  await trx
    .insertInto('import_row')
    .values(
      rows.map((row) => ({
        import_file_id: importFileId,
        row_number: row.rowNumber,
        raw: JSON.stringify(row.raw),
        police_reference: row.raw.police_reference?.trim() || null,
      })),
    )
    .onConflict((conflict) => conflict.columns(['import_file_id', 'row_number']).doNothing())
    .execute();
}

export async function countStagedRows(db: Db | Trx, importFileId: string): Promise<number> {
  const row = await db
    .selectFrom('import_row')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('import_file_id', '=', importFileId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export type PendingRow = { rowNumber: number; raw: RawRow };

/** The next pending rows, locked for this transaction; rows another run holds are skipped, not waited for. */
export async function lockPendingRows(trx: Trx, importFileId: string, limit: number): Promise<PendingRow[]> {
  const rows = await trx
    .selectFrom('import_row')
    .select(['row_number', 'raw'])
    .where('import_file_id', '=', importFileId)
    .where('status', '=', 'pending')
    .orderBy('row_number')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => ({ rowNumber: row.row_number, raw: row.raw }));
}

/**
 * The cases already made from rows this organisation sent before, by police reference: the file's own idempotency
 * record, so a repeated row is recognised in one query for the whole batch.
 */
export async function casesForReferences(trx: Trx, organisationId: string, references: string[]): Promise<Map<string, string>> {
  if (!references.length) return new Map();
  const rows = await trx
    .selectFrom('import_row')
    .innerJoin('import_file', 'import_file.id', 'import_row.import_file_id')
    .select(['import_row.police_reference', 'import_row.case_id'])
    .where('import_file.organisation_id', '=', organisationId)
    .where('import_row.police_reference', 'in', references)
    .where('import_row.case_id', 'is not', null)
    .execute();
  const found = new Map<string, string>();
  for (const row of rows) if (row.police_reference && row.case_id) found.set(row.police_reference, row.case_id);
  return found;
}

export type RowOutcome = { rowNumber: number; status: Exclude<ImportRowStatus, 'pending'>; reasons: RowReasons; caseId: string | null };

/** Records a batch's outcomes in one statement, inside the batch's transaction (only rows still pending change). */
export async function markRows(trx: Trx, importFileId: string, outcomes: RowOutcome[]): Promise<void> {
  if (!outcomes.length) return;
  const values = sql.join(
    outcomes.map((outcome) => sql`(${outcome.rowNumber}::integer, ${outcome.status}::text, ${JSON.stringify(outcome.reasons)}::jsonb, ${outcome.caseId}::uuid)`),
  );
  await sql`
    update import_row set status = outcome.status, reasons = outcome.reasons, case_id = outcome.case_id, processed_at = now()
    from (values ${values}) as outcome (row_number, status, reasons, case_id)
    where import_row.import_file_id = ${importFileId} and import_row.row_number = outcome.row_number and import_row.status = 'pending'
  `.execute(trx);
}

/** Adds a batch's outcomes to the import's totals, in the batch's own transaction, so totals always match the rows. */
export async function addToTotals(trx: Trx, importFileId: string, added: { imported: number; replayed: number; quarantined: number }): Promise<void> {
  await trx
    .updateTable('import_file')
    .set((eb) => ({
      imported_count: eb('imported_count', '+', added.imported),
      replayed_count: eb('replayed_count', '+', added.replayed),
      quarantined_count: eb('quarantined_count', '+', added.quarantined),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', importFileId)
    .execute();
}

export async function setImportStatus(db: Db | Trx, importFileId: string, status: ImportStatus): Promise<void> {
  await db
    .updateTable('import_file')
    .set({
      status,
      updated_at: sql<Date>`now()`,
      ...(status === 'running' ? { started_at: sql<Date>`coalesce(started_at, now())` } : {}),
      ...(status === 'done' || status === 'failed' ? { finished_at: sql<Date>`now()` } : {}),
    })
    .where('id', '=', importFileId)
    .execute();
}

export type QuarantineRow = { rowNumber: number; raw: RawRow; reasons: RowReasons };

export async function quarantinedRows(db: Db, importFileId: string): Promise<QuarantineRow[]> {
  const rows = await db
    .selectFrom('import_row')
    .select(['row_number', 'raw', 'reasons'])
    .where('import_file_id', '=', importFileId)
    .where('status', '=', 'quarantined')
    .orderBy('row_number')
    .execute();
  return rows.map((row) => ({ rowNumber: row.row_number, raw: row.raw, reasons: row.reasons }));
}

/** Row counts by status, straight from the rows: for tests and for checking the totals. */
export async function rowStatusCounts(db: Db, importFileId: string): Promise<Record<ImportRowStatus, number>> {
  const rows = await db
    .selectFrom('import_row')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('import_file_id', '=', importFileId)
    .groupBy('status')
    .execute();
  const counts: Record<ImportRowStatus, number> = { pending: 0, imported: 0, replayed: 0, quarantined: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

export async function organisationByName(db: Db, name: string): Promise<{ id: string; name: string; areaId: string }[]> {
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'name', 'area_id'])
    .where(sql`lower(name)`, '=', name.trim().toLowerCase())
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, areaId: row.area_id }));
}

export async function policeOrganisations(db: Db): Promise<{ id: string; name: string; areaId: string }[]> {
  const rows = await db.selectFrom('organisation').select(['id', 'name', 'area_id']).where('kind', '=', 'police').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, areaId: row.area_id }));
}
