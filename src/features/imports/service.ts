// Use-cases of the daily file import, shared by the command line, the upload page, the API and the job worker: take a
// file (refusing it whole if it is not a referral file), stage every row, then process the pending rows in batches.
// A batch's cases and its rows' statuses commit together, so a killed import resumes with no row lost and none doubled.
import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import type { StaffRole } from '../../platform/db/schema.ts';
import { receiveReferrals, type IncomingReferral } from '../intake/service.ts';
import { todayInLondon } from '../people/service.ts';
import { parseReferralFile } from './referral-file.ts';
import {
  addToTotals,
  countStagedRows,
  findImportFile,
  findImportFileByContent,
  insertImportFile,
  listImportFiles,
  lockPendingRows,
  markRows,
  casesForReferences,
  type PendingRow,
  type RowOutcome,
  organisationByName,
  policeOrganisations,
  quarantinedRows,
  setImportStatus,
  stageRows,
  type ImportFile,
} from './repository.ts';
import { checkRow, MAX_FILE_BYTES, quarantineReportLines, reasonsFromIntake, type ImportTotals } from './rules.ts';

export type { ImportFile };

/** Staff who may import files and see imports: the gateway's own case workers. */
export const IMPORT_ROLES: readonly StaffRole[] = ['coordinator', 'supervisor'];

/** The queue the upload page and the API hand imports to; the worker processes them in the background. */
export const IMPORT_QUEUE = 'imports.process';

/** Enqueues the processing of an import inside the transaction that finishes staging it. */
export type EnqueueImport = (trx: Trx, importFileId: string) => Promise<void>;

const STAGE_BATCH = 1000;
// A batch's rows, cases and totals commit in one transaction: large enough that intake's few statements per batch
// are spread over many rows, small enough that a killed run redoes little.
const PROCESS_BATCH = 1000;

type Sender = { id: string; name: string; areaId: string };

/** The organisation whose file this is, which the actor may import for. */
async function senderFor(db: Db, actor: Actor, organisationId: string | undefined): Promise<Sender> {
  if (actor.kind === 'api_client') {
    return { id: actor.client.organisationId, name: actor.client.organisationName, areaId: actor.client.areaId };
  }
  if (actor.kind === 'staff' && !IMPORT_ROLES.includes(actor.staff.role)) throw new Forbidden('role may not import files');
  if (actor.kind === 'public') throw new Forbidden('not signed in');
  const forces = await policeOrganisations(db);
  if (actor.kind === 'staff') {
    const inArea = forces.filter((force) => force.areaId === actor.staff.areaId);
    const chosen = organisationId ? inArea.find((force) => force.id === organisationId) : inArea.length === 1 ? inArea[0] : undefined;
    if (chosen) return chosen;
    if (organisationId || inArea.length > 1) throw new Invalid({ organisation: 'Select the police force that sent the file' });
    // An area with no force on record: the file is the coordinator's own organisation's.
    return { id: actor.staff.organisationId, name: actor.staff.organisationName, areaId: actor.staff.areaId };
  }
  const chosen = organisationId ? forces.find((force) => force.id === organisationId) : forces.length === 1 ? forces[0] : undefined;
  if (!chosen) throw new Invalid({ organisation: 'Name the police force that sent the file with --organisation' });
  return chosen;
}

/** The organisation named on the command line: a police force or any organisation, by name. */
export async function organisationNamed(db: Db, name: string): Promise<string> {
  const found = await organisationByName(db, name);
  if (found.length !== 1 || !found[0]) throw new Invalid({ organisation: found.length ? `More than one organisation is called ${name}` : `No organisation is called ${name}` });
  return found[0].id;
}

function actorMeta(actor: Actor): { userId: string | null; label: string } {
  switch (actor.kind) {
    case 'staff':
      return { userId: actor.staff.userId, label: actor.staff.displayName };
    case 'api_client':
      return { userId: null, label: `API client ${actor.client.name}` };
    case 'system':
      return { userId: null, label: `Command line (${actor.label})` };
    case 'public':
    case 'victim':
      return { userId: null, label: actor.kind };
  }
}

export type StartedImport = { importFile: ImportFile; created: boolean };

/**
 * Takes a file: refuses it whole when it is too large, not CSV or has the wrong columns (Invalid with a `file`
 * reason), otherwise records it and stages every row. The same content from the same organisation is the same import:
 * it is returned as it is, finishing the staging an interrupted run left undone.
 */
export async function startImport(
  db: Db,
  actor: Actor,
  input: { content: Uint8Array; organisationId?: string },
  enqueue?: EnqueueImport,
): Promise<StartedImport> {
  const sender = await senderFor(db, actor, input.organisationId);
  if (input.content.length > MAX_FILE_BYTES) throw new Invalid({ file: `The file must be smaller than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
  const { rows } = parseReferralFile(input.content);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const meta = actorMeta(actor);

  const existing = await findImportFileByContent(db, sender.id, sha256);
  if (existing && (await countStagedRows(db, existing.id)) === existing.rowCount) {
    await inTransaction(db, async (trx) => {
      await writeAudit(trx, actor, {
        action: 'import.repeated',
        recordType: 'import_file',
        recordId: existing.id,
        detail: { status: existing.status },
      });
      if (existing.status !== 'done' && enqueue) await enqueue(trx, existing.id);
    });
    return { importFile: existing, created: false };
  }

  const { id, created } = await inTransaction(db, (trx) =>
    insertImportFile(trx, {
      areaId: sender.areaId,
      organisationId: sender.id,
      sha256,
      sizeBytes: input.content.length,
      rowCount: rows.length,
      createdByUserId: meta.userId,
      createdByLabel: meta.label,
    }),
  );
  // Staged in batches so a large file never holds one long transaction; an interrupted staging is finished by the next
  // run, as staging a row twice does nothing.
  for (let start = 0; start < rows.length || start === 0; start += STAGE_BATCH) {
    const batch = rows.slice(start, start + STAGE_BATCH).map((raw, index) => ({ rowNumber: start + index + 1, raw }));
    const last = start + STAGE_BATCH >= rows.length;
    await inTransaction(db, async (trx) => {
      await stageRows(trx, id, batch);
      if (!last) return;
      await writeAudit(trx, actor, {
        action: created ? 'import.received' : 'import.restaged',
        recordType: 'import_file',
        recordId: id,
        detail: { organisationId: sender.id, rows: rows.length, bytes: input.content.length },
      });
      if (enqueue) await enqueue(trx, id);
    });
    if (last) break;
  }
  const importFile = await findImportFile(db, id);
  if (!importFile) throw new Error('The import just recorded could not be read back');
  return { importFile, created };
}

export type ImportProgress = ImportTotals & { status: ImportFile['status'] };

const totalsOf = (file: ImportFile): ImportProgress => ({
  rowCount: file.rowCount,
  imported: file.imported,
  replayed: file.replayed,
  quarantined: file.quarantined,
  status: file.status,
});

/**
 * One batch of rows: each row's own checks, then every row that passed them to intake at once. A row intake refuses
 * is quarantined with its reasons by column and the rest of the batch is received; nothing needs undoing, as intake
 * checks every referral before it writes anything.
 */
async function processRows(trx: Trx, actor: Actor, file: ImportFile, rows: readonly PendingRow[], today: string): Promise<RowOutcome[]> {
  const references = [...new Set(rows.map((row) => row.raw.police_reference?.trim()).filter((reference): reference is string => !!reference))];
  // Rows the force sent before (in an earlier file) and Haven imported: the same case, nothing new, in one query.
  const known = await casesForReferences(trx, file.organisationId, references);
  const outcomes: RowOutcome[] = [];
  const toReceive: { rowNumber: number; referral: IncomingReferral }[] = [];
  for (const row of rows) {
    const checked = checkRow(row.raw, today);
    if ('reasons' in checked) {
      outcomes.push({ rowNumber: row.rowNumber, status: 'quarantined', reasons: checked.reasons, caseId: null });
      continue;
    }
    const { value } = checked;
    const knownCase = known.get(value.sourceReference);
    if (knownCase) {
      outcomes.push({ rowNumber: row.rowNumber, status: 'replayed', reasons: {}, caseId: knownCase });
      continue;
    }
    toReceive.push({
      rowNumber: row.rowNumber,
      referral: {
        source: 'file_import',
        sourceReference: value.sourceReference,
        referringOrganisationId: file.organisationId,
        areaId: file.areaId,
        person: value.person,
        crime: value.crime,
        role: value.role,
        supportConsent: value.supportConsent,
        indicators: value.indicators,
      },
    });
  }
  const results = await receiveReferrals(trx, actor, toReceive.map((entry) => entry.referral));
  toReceive.forEach(({ rowNumber }, position) => {
    const result = results[position];
    if (!result) throw new Error('Intake gave no result for a row');
    outcomes.push(
      result.ok
        ? { rowNumber, status: result.receipt.created ? 'imported' : 'replayed', reasons: {}, caseId: result.receipt.caseId }
        : { rowNumber, status: 'quarantined', reasons: reasonsFromIntake(result.fields), caseId: null },
    );
  });
  return outcomes;
}

/**
 * Processes every pending row of an import, a batch per transaction, and reports the totals after each batch. Safe to
 * run again after a crash, and alongside another run: rows are taken with skip-locked, and a row's outcome commits
 * with whatever intake made of it.
 */
export async function runImport(
  db: Db,
  actor: Actor,
  importFileId: string,
  options: { onProgress?: (progress: ImportProgress) => void; batchSize?: number; signal?: AbortSignal } = {},
): Promise<ImportProgress> {
  const file = await findImportFile(db, importFileId);
  if (!file) throw new NotFound('import');
  if (file.status === 'done') return totalsOf(file);
  await setImportStatus(db, importFileId, 'running');
  const today = todayInLondon();
  const batchSize = options.batchSize ?? PROCESS_BATCH;
  for (;;) {
    if (options.signal?.aborted) break;
    const processed = await inTransaction(db, async (trx) => {
      const rows = await lockPendingRows(trx, importFileId, batchSize);
      const outcomes = await processRows(trx, actor, file, rows, today);
      const added = { imported: 0, replayed: 0, quarantined: 0 };
      for (const outcome of outcomes) added[outcome.status] += 1;
      // The rows' outcomes, the cases they made and the totals all commit together.
      await markRows(trx, importFileId, outcomes);
      await addToTotals(trx, importFileId, added);
      return rows.length;
    });
    const now = await findImportFile(db, importFileId);
    if (now) options.onProgress?.(totalsOf(now));
    if (processed === 0) break;
  }
  const finished = await inTransaction(db, async (trx) => {
    const current = await findImportFile(trx, importFileId);
    if (!current) throw new NotFound('import');
    const pending = current.rowCount - current.imported - current.replayed - current.quarantined;
    if (pending === 0 && current.status !== 'done') {
      await setImportStatus(trx, importFileId, 'done');
      await writeAudit(trx, actor, {
        action: 'import.completed',
        recordType: 'import_file',
        recordId: importFileId,
        detail: { imported: current.imported, replayed: current.replayed, quarantined: current.quarantined },
      });
      return { ...totalsOf(current), status: 'done' as const };
    }
    return totalsOf(current);
  });
  return finished;
}

/** Marks an import failed after its job gave up; its pending rows stay pending, for a later run to finish. */
export async function failImport(db: Db, actor: Actor, importFileId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await setImportStatus(trx, importFileId, 'failed');
    await writeAudit(trx, actor, { action: 'import.failed', recordType: 'import_file', recordId: importFileId });
  });
}

function assertMayView(actor: Actor, file: ImportFile): void {
  if (actor.kind === 'system') return;
  if (actor.kind === 'api_client' && actor.client.organisationId === file.organisationId) return;
  if (actor.kind === 'staff' && IMPORT_ROLES.includes(actor.staff.role) && actor.staff.areaId === file.areaId) return;
  // Another area's import, or another client's, looks the same as none.
  throw new NotFound('import');
}

function assertStaffMayImport(actor: Actor): { areaId: string } {
  if (actor.kind !== 'staff') throw new Forbidden('staff only');
  if (!IMPORT_ROLES.includes(actor.staff.role)) throw new Forbidden('role may not see imports');
  return { areaId: actor.staff.areaId };
}

export async function getImport(db: Db, actor: Actor, importFileId: string): Promise<ImportFile> {
  const file = /^[0-9a-f-]{36}$/i.test(importFileId) ? await findImportFile(db, importFileId) : undefined;
  if (!file) throw new NotFound('import');
  assertMayView(actor, file);
  return file;
}

export async function listImports(db: Db, actor: Actor): Promise<ImportFile[]> {
  const { areaId } = assertStaffMayImport(actor);
  return listImportFiles(db, areaId, 50);
}

/** The police forces in the staff member's area, for the upload form's "which force sent this file" question. */
export async function forcesForUpload(db: Db, actor: Actor): Promise<{ id: string; name: string }[]> {
  const { areaId } = assertStaffMayImport(actor);
  return (await policeOrganisations(db)).filter((force) => force.areaId === areaId).map(({ id, name }) => ({ id, name }));
}

/** The quarantine report as CSV text; each download is audited, as the report names the force's references. */
export async function quarantineReport(db: Db, actor: Actor, importFileId: string): Promise<string> {
  const file = await getImport(db, actor, importFileId);
  const rows = await quarantinedRows(db, file.id);
  await inTransaction(db, (trx) =>
    writeAudit(trx, actor, {
      action: 'import.quarantine_downloaded',
      recordType: 'import_file',
      recordId: file.id,
      detail: { rows: rows.length },
    }),
  );
  const lines = quarantineReportLines(rows.map((row) => ({ rowNumber: row.rowNumber, policeReference: row.raw.police_reference ?? '', reasons: row.reasons })));
  return `${lines.join('\r\n')}\r\n`;
}
