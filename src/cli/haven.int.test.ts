// `npm run haven -- api-clients ...`: create prints the secret once, list shows the client, disable stops it; usage
// errors exit 2 before touching the database; and the real command runs on the configured database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { authenticateApiClient } from '../platform/auth/api-clients.ts';
import { runHavenCommand } from './haven.ts';

const run = promisify(execFile);

async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [join(import.meta.dirname, ...args.slice(0, 1)), ...args.slice(1)], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('haven api-clients', () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase();
    const area = await database.db.insertInto('area').values({ code: 'CLI', name: 'Cli' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('organisation').values({ area_id: area.id, name: 'Cli Constabulary', kind: 'police' }).execute();
  });

  after(async () => {
    await database.drop();
  });

  async function haven(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runHavenCommand(argv, database.db, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('create prints the client id and secret once; list shows it; disable stops it; all audited', async () => {
    const created = await haven('api-clients', 'create', '--organisation', 'cli constabulary', '--name', 'Niche RMS', '--scopes', 'referrals:write,referrals:read');
    assert.equal(created.code, 0, created.err);
    const clientId = /Client id: (\S+)/.exec(created.out)?.[1] ?? '';
    const secret = /Secret:\s+(\S+)/.exec(created.out)?.[1] ?? '';
    assert.match(clientId, /^hvn_/);
    assert.ok(await authenticateApiClient(database.db, clientId, secret));
    const stored = await database.db.selectFrom('api_client').select('secret_hash').where('client_id', '=', clientId).executeTakeFirstOrThrow();
    assert.notEqual(stored.secret_hash, secret);

    const listed = await haven('api-clients', 'list');
    assert.equal(listed.code, 0);
    assert.match(listed.out, new RegExp(`${clientId}\\s+Cli Constabulary\\s+Niche RMS\\s+referrals:write,referrals:read\\s+active, last used`));
    assert.doesNotMatch(listed.out, new RegExp(secret));

    const disabled = await haven('api-clients', 'disable', clientId);
    assert.equal(disabled.code, 0, disabled.err);
    assert.equal(await authenticateApiClient(database.db, clientId, secret), null);
    assert.match((await haven('api-clients', 'list')).out, /disabled/);
    const again = await haven('api-clients', 'disable', clientId);
    assert.equal(again.code, 1);
    assert.match(again.err, /already disabled/);

    const audit = await database.db.selectFrom('audit_event').select(['action', 'actor_label']).orderBy('id').execute();
    assert.deepEqual(audit, [
      { action: 'api_client.created', actor_label: 'system:cli' },
      { action: 'api_client.disabled', actor_label: 'system:cli' },
    ]);
  });

  test('bad input gets a plain message', async () => {
    const unknownOrganisation = await haven('api-clients', 'create', '--organisation', 'Nowhere', '--name', 'x', '--scopes', 'referrals:read');
    assert.equal(unknownOrganisation.code, 1);
    assert.match(unknownOrganisation.err, /No organisation is called Nowhere/);
    const badScope = await haven('api-clients', 'create', '--organisation', 'Cli Constabulary', '--name', 'x', '--scopes', 'everything');
    assert.equal(badScope.code, 1);
    assert.match(badScope.err, /Unknown scope everything/);
    const missing = await haven('api-clients', 'disable', 'hvn_nobody');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /No API client has that client id/);
    for (const argv of [[], ['nonsense'], ['api-clients'], ['api-clients', 'create', '--name', 'x']]) {
      const usage = await haven(...argv);
      assert.equal(usage.code, 2, argv.join(' '));
      assert.match(usage.err, /Usage: npm run haven/);
    }
  });

  test('the command runs on the configured database', async () => {
    if (database.url) {
      const listed = await runCli(['haven.ts', 'api-clients', 'list'], { DATABASE_URL: database.url });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /Cli Constabulary/);
      return;
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'haven-cli-'));
    try {
      assert.equal((await runCli(['migrate.ts'], { HAVEN_DATA_DIR: dataDir })).code, 0);
      const listed = await runCli(['haven.ts', 'api-clients', 'list'], { HAVEN_DATA_DIR: dataDir });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /No API clients yet/);
      const usage = await runCli(['haven.ts'], { HAVEN_DATA_DIR: dataDir });
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /api-clients create/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
