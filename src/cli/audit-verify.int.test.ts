// The audit verifier names the first tampered row, and the command-line tools run on the configured database and
// respect the data-folder lock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { systemActor } from '../platform/auth/identity.ts';
import { writeAudit } from '../platform/audit/writer.ts';
import { lockDataDir } from '../platform/db/data-dir-lock.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import { verifyAndReport } from './audit-verify.ts';

const run = promisify(execFile);

async function runCli(file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [join(import.meta.dirname, file)], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('audit verification', () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase();
  });

  after(async () => {
    await database.drop();
  });

  test('an untouched trail verifies; a tampered row is named', async () => {
    for (const recordId of ['a', 'b', 'c', 'd']) {
      await inTransaction(database.db, (trx) =>
        writeAudit(trx, systemActor('test'), { action: 'test.done', recordType: 'test', recordId, detail: { step: recordId } }),
      );
    }
    assert.deepEqual(await verifyAndReport(database.db), { exitCode: 0, message: 'Audit trail verified: 4 rows' });

    const third = await database.db.selectFrom('audit_event').select('id').where('record_id', '=', 'c').executeTakeFirstOrThrow();
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(database.db);
    await sql`update audit_event set detail = ${JSON.stringify({ step: 'changed' })} where id = ${third.id}`.execute(database.db);
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(database.db);

    const report = await verifyAndReport(database.db);
    assert.equal(report.exitCode, 1);
    assert.match(report.message, new RegExp(`^Audit trail broken at row ${third.id}: its contents do not match its hash`));
  });

  test('npm run migrate and npm run audit:verify work on the configured database', async () => {
    if (database.url) {
      const migrate = await runCli('migrate.ts', { DATABASE_URL: database.url });
      assert.equal(migrate.code, 0, migrate.stderr);
      assert.match(migrate.stdout, /No migrations to run: PostgreSQL at .* is up to date\./);
      assert.doesNotMatch(migrate.stdout, /password|postgres:\/\//);
      const verify = await runCli('audit-verify.ts', { DATABASE_URL: database.url });
      assert.equal(verify.code, 1);
      assert.match(verify.stderr, /Audit trail broken at row \d+/);
      return;
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'haven-cli-'));
    try {
      const migrate = await runCli('migrate.ts', { HAVEN_DATA_DIR: dataDir });
      assert.equal(migrate.code, 0, migrate.stderr);
      assert.match(migrate.stdout, /Ran \d+ migrations? on the embedded database/);
      assert.match(migrate.stdout, /0001-foundation/);
      const verify = await runCli('audit-verify.ts', { HAVEN_DATA_DIR: dataDir });
      assert.equal(verify.code, 0, verify.stderr);
      assert.match(verify.stdout, /Audit trail verified: \d+ rows/);

      // While another process holds the data folder, the tools refuse rather than corrupt it.
      const unlock = lockDataDir(dataDir);
      try {
        const refused = await runCli('audit-verify.ts', { HAVEN_DATA_DIR: dataDir });
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /already using the data folder/);
      } finally {
        unlock();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
