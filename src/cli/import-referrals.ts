// `npm run haven -- import referrals FILE.csv [--organisation NAME]`: imports a daily referral file on this machine,
// with a progress bar on stderr and a summary. Killed halfway, the same command again finishes the job.
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { systemActor } from '../platform/auth/identity.ts';
import type { Db } from '../platform/db/transaction.ts';
import { Forbidden, Invalid, NotFound } from '../platform/http/domain-errors.ts';
import { MAX_FILE_BYTES, percentDone } from '../features/imports/rules.ts';
import { organisationNamed, runImport, startImport, type ImportProgress } from '../features/imports/service.ts';
import type { Output, PreparedCommand } from './api-clients.ts';

export const IMPORT_USAGE = ['import referrals <file.csv> [--organisation "<police force>"]'];

/** Where the progress bar goes: a terminal gets one line redrawn; a pipe or log gets a line at each whole percent. */
export type ProgressSink = { write(text: string): unknown; isTTY?: boolean };

const BAR_WIDTH = 30;
const count = (value: number) => value.toLocaleString('en-GB');

export function progressLine(progress: ImportProgress): string {
  const percent = percentDone(progress);
  const filled = Math.round((percent * BAR_WIDTH) / 100);
  const done = progress.imported + progress.replayed + progress.quarantined;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent}% ${count(done)}/${count(progress.rowCount)} rows`;
}

function progressBar(sink: ProgressSink): { update(progress: ImportProgress): void; end(): void } {
  let lastPercent = -1;
  let drawn = false;
  return {
    update(progress) {
      const percent = percentDone(progress);
      if (sink.isTTY) {
        sink.write(`\r${progressLine(progress)}`);
        drawn = true;
      } else if (percent !== lastPercent) {
        sink.write(`${progressLine(progress)}\n`);
      }
      lastPercent = percent;
    },
    end() {
      if (drawn) sink.write('\n');
    },
  };
}

export function prepareImportCommand(args: string[], sink: ProgressSink = process.stderr): PreparedCommand {
  const [kind, ...rest] = args;
  if (kind !== 'referrals') return { usageError: kind ? `Unknown import: ${kind}` : 'import needs what to import: referrals.' };
  let parsed: { values: { organisation?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: { organisation: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    return { usageError: (error as Error).message };
  }
  const [path, ...extra] = parsed.positionals;
  if (!path || extra.length) return { usageError: 'import referrals needs one file.' };
  const organisation = parsed.values.organisation;
  return {
    run: async (db, output) => {
      try {
        return await importFile(db, output, sink, path, organisation);
      } catch (error) {
        if (error instanceof Invalid) {
          for (const message of Object.values(error.fields)) output.err(message);
          return 1;
        }
        if (error instanceof NotFound || error instanceof Forbidden) {
          output.err(error.message);
          return 1;
        }
        throw error;
      }
    },
  };
}

async function importFile(db: Db, output: Output, sink: ProgressSink, path: string, organisation: string | undefined): Promise<number> {
  const started = performance.now();
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    output.err(`Cannot read the file ${path}.`);
    return 1;
  }
  // Refused from its size alone, before it is read.
  if (size > MAX_FILE_BYTES) {
    output.err(`The file is ${Math.ceil(size / 1024 / 1024)} MB: files must be smaller than ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
    return 1;
  }
  const content = await readFile(path);
  const actor = systemActor('cli');
  const organisationId = organisation ? await organisationNamed(db, organisation) : undefined;
  const { importFile: file, created } = await startImport(db, actor, { content, organisationId });
  if (!created && file.status === 'done') {
    output.out(`This file was imported before (import ${file.id}), so nothing has changed.`);
    output.out(summary(file, null));
    return 0;
  }
  output.out(`${created ? 'Importing' : 'Resuming'} ${count(file.rowCount)} rows from ${file.organisationName} (import ${file.id}).`);
  const bar = progressBar(sink);
  const totals = await runImport(db, actor, file.id, { onProgress: (progress) => bar.update(progress) });
  bar.end();
  output.out(summary(totals, (performance.now() - started) / 1000));
  if (totals.quarantined) output.out(`Download the quarantine report at /imports/${file.id}/quarantine.csv, or see it on the import's page.`);
  return 0;
}

function summary(totals: { rowCount: number; imported: number; replayed: number; quarantined: number }, seconds: number | null): string {
  const timing = seconds === null ? '' : ` in ${seconds.toFixed(1)} s (${count(Math.round(totals.rowCount / Math.max(seconds, 0.001)))} rows/s)`;
  return `Imported ${count(totals.imported)}, already held ${count(totals.replayed)}, quarantined ${count(totals.quarantined)} of ${count(totals.rowCount)} rows${timing}.`;
}
