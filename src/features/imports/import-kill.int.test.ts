// The Done-when test: `haven import referrals` on a 20,000-row file is killed with SIGKILL halfway, then run again.
// The second run must finish the job with every row accounted for once and exactly the right cases, none doubled.
// On PGlite the command runs on a data folder; on PostgreSQL on this test's own database.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createOrganisation } from '../../../test/support/staff.ts';
import { createTestDatabase, testBackend, type TestDatabase } from '../../../test/support/test-database.ts';
import { referralFile, referralRow } from '../../../test/support/referral-file.ts';
import { openDatabase, type Database } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrate.ts';
import { migrations } from '../../migrations/index.ts';
import type { RawRow } from './rules.ts';

const ROWS = 20_000;
const FORCE = 'Kill Test Constabulary';
const CLI = join(import.meta.dirname, '../../cli/haven.ts');

// A day's file of new referrals, every one a new person, crime and case, with every 100th row bad. Each batch of rows
// goes through matching and intake as a whole, so the kill can land between batches or in the middle of one.
function rows(): { rows: RawRow[]; imported: number; quarantined: number } {
  const made: RawRow[] = [];
  const counts = { imported: 0, quarantined: 0 };
  for (let index = 0; index < ROWS; index += 1) {
    if (index % 100 === 99) {
      made.push(referralRow(index, { phone: 'not a number' }));
      counts.quarantined += 1;
    } else {
      made.push(referralRow(index));
      counts.imported += 1;
    }
  }
  return { rows: made, ...counts };
}

let folder: string;
let postgres: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;
let file: ReturnType<typeof rows>;
let todayId: string;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'haven-import-kill-'));
  env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent' };
  let database: Database;
  if (testBackend() === 'postgres') {
    postgres = await createTestDatabase();
    database = postgres;
    env.DATABASE_URL = postgres.url;
  } else {
    database = await openDatabase({ dataDir: join(folder, 'pglite') });
    await migrateToLatest(database.db, migrations);
    delete env.DATABASE_URL;
    env.HAVEN_DATA_DIR = folder;
  }
  await createOrganisation(database.db, { name: FORCE, kind: 'police' });
  file = rows();
  if (!postgres) await database.close();
});

after(async () => {
  await postgres?.drop();
  rmSync(folder, { recursive: true, force: true });
});

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the command; with killAtPercent, sends SIGKILL once the progress bar passes it. */
function runImportCommand(file: string, killAtPercent?: number): Promise<Run & { killedAt?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'import', 'referrals', file, '--organisation', FORCE], { env });
    let stdout = '';
    let stderr = '';
    let killedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const percents = [...stderr.matchAll(/\] (\d+)% /g)].map((match) => Number(match[1]));
      const latest = percents.at(-1) ?? 0;
      if (killAtPercent !== undefined && killedAt === undefined && latest >= killAtPercent) {
        killedAt = latest;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, killedAt }));
  });
}

async function open(): Promise<Database> {
  return postgres ?? openDatabase({ dataDir: join(folder, 'pglite') });
}

async function statusCounts(database: Database): Promise<Record<string, number>> {
  const counted = await database.db
    .selectFrom('import_row')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('import_file_id', '=', todayId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(counted.map((row) => [row.status, Number(row.n)]));
}

const countCases = async (database: Database) =>
  Number((await database.db.selectFrom('victim_case').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

test(`an import of ${ROWS.toLocaleString('en-GB')} rows killed halfway finishes on the next run with no row lost or doubled`, async () => {
  const path = join(folder, 'daily.csv');
  writeFileSync(path, referralFile(file.rows));

  const killed = await runImportCommand(path, 45);
  assert.equal(killed.signal, 'SIGKILL', `the first run ended by itself: ${killed.stdout}${killed.stderr}`);

  let database = await open();
  const today = await database.db
    .selectFrom('import_file')
    .select(['id', 'imported_count', 'replayed_count', 'quarantined_count', 'row_count'])
    .executeTakeFirstOrThrow();
  todayId = today.id;
  const halfway = await statusCounts(database);
  const processedHalfway = ROWS - (halfway.pending ?? 0);
  assert.ok((halfway.pending ?? 0) > 0 && processedHalfway > 0, `killed halfway: ${JSON.stringify(halfway)}`);
  // The totals, the rows they count and the cases made all committed together.
  assert.equal(today.imported_count + today.replayed_count + today.quarantined_count, processedHalfway);
  assert.equal(await countCases(database), halfway.imported ?? 0);
  if (!postgres) await database.close();

  const resumed = await runImportCommand(path);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /Resuming 20,000 rows/);
  assert.match(
    resumed.stdout,
    new RegExp(`Imported ${file.imported.toLocaleString('en-GB')}, already held 0, quarantined ${file.quarantined} of 20,000 rows`),
  );

  database = await open();
  try {
    assert.deepEqual(await statusCounts(database), { imported: file.imported, quarantined: file.quarantined });
    assert.equal(await countCases(database), file.imported);
    // No referral doubled: one case per police reference, and each imported row has its own case.
    const references = await database.db
      .selectFrom('victim_case')
      .select((eb) => eb.fn.count<number>('source_reference').distinct().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(references.n), file.imported);
    const linked = await database.db
      .selectFrom('import_row')
      .select((eb) => eb.fn.count<number>('case_id').distinct().as('n'))
      .where('import_file_id', '=', todayId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(linked.n), file.imported);
    const finished = await database.db.selectFrom('import_file').select(['status', 'imported_count', 'row_count']).where('id', '=', todayId).executeTakeFirstOrThrow();
    assert.deepEqual(finished, { status: 'done', imported_count: file.imported, row_count: ROWS });

    // And once more: the finished file changes nothing.
    if (!postgres) await database.close();
    const again = await runImportCommand(path);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /imported before/);
    database = await open();
    assert.equal(await countCases(database), file.imported);
  } finally {
    if (!postgres) await database.close();
  }
});
