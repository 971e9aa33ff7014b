// The job queue on the backend under test: a job enqueued in a committed transaction is worked; one enqueued in a
// rolled-back transaction never exists.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { inTransaction } from '../db/transaction.ts';
import { createJobQueue, JOB_SCHEMA, QueueNotDeclared, type JobQueue } from './job-queue.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function jobsNamed(database: TestDatabase, name: string, marker: string): Promise<number> {
  const { rows } = await database.jobs.executeSql(
    `select count(*)::int as count from ${JOB_SCHEMA}.job where name = $1 and data->>'marker' = $2`,
    [name, marker],
  );
  return Number((rows[0] as { count: number }).count);
}

describe('job queue', () => {
  let database: TestDatabase;
  let jobs: JobQueue;
  const worked: string[] = [];
  let resolveWorked: (() => void) | undefined;

  before(async () => {
    database = await createTestDatabase();
    jobs = createJobQueue({ database, runWorkers: true, gracePeriodMs: 2000 });
    await jobs.work<{ marker: string }>(
      'test-echo',
      async (data) => {
        worked.push(data.marker);
        resolveWorked?.();
        return Promise.resolve();
      },
      { pollingIntervalSeconds: 0.5 },
    );
    await jobs.start(silent);
  });

  after(async () => {
    await jobs.stop();
    await database.drop();
  });

  test('a job enqueued in a committed transaction is worked', async () => {
    const done = new Promise<void>((resolve) => (resolveWorked = resolve));
    const id = await inTransaction(database.db, (trx) => jobs.enqueue(trx, 'test-echo', { marker: 'committed' }));
    assert.match(id, /^[0-9a-f-]{36}$/);
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('job was not worked')), 10_000))]);
    assert.deepEqual(worked, ['committed']);
  });

  test('a job enqueued in a rolled-back transaction never appears', async () => {
    await assert.rejects(
      inTransaction(database.db, async (trx) => {
        await jobs.enqueue(trx, 'test-echo', { marker: 'rolled-back' });
        // Nobody outside the transaction sees it (on PGlite, nobody else may even query while the transaction runs).
        assert.ok((await jobsNamed(database, 'test-echo', 'rolled-back').catch(() => -1)) <= 0);
        throw new Error('change refused');
      }),
      /change refused/,
    );
    assert.equal(await jobsNamed(database, 'test-echo', 'rolled-back'), 0);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.ok(!worked.includes('rolled-back'));
  });

  test('sending to an undeclared queue says what to do', async () => {
    await assert.rejects(
      inTransaction(database.db, (trx) => jobs.enqueue(trx, 'never-declared', {})),
      (error: unknown) => error instanceof QueueNotDeclared && /defineQueue/.test(error.message),
    );
  });

  test('reports health and depth', async () => {
    await jobs.defineQueue('test-idle');
    await inTransaction(database.db, (trx) =>
      jobs.enqueue(trx, 'test-idle', { marker: 'waiting' }, { startAfter: new Date(Date.now() + 3_600_000) }),
    );
    assert.equal(await jobs.isHealthy(), true);
    const depth = await jobs.depth();
    assert.deepEqual(
      depth.find((row) => row.queue === 'test-idle'),
      { queue: 'test-idle', waiting: 1, active: 0 },
    );
  });
});

describe('a web-only job queue', () => {
  test('enqueues but never works jobs', async () => {
    const database = await createTestDatabase();
    const jobs = createJobQueue({ database, runWorkers: false });
    let calls = 0;
    await jobs.work('test-web', () => {
      calls += 1;
      return Promise.resolve();
    }, { pollingIntervalSeconds: 0.5 });
    await jobs.start(silent);
    try {
      await inTransaction(database.db, (trx) => jobs.enqueue(trx, 'test-web', { marker: 'web' }));
      await new Promise((resolve) => setTimeout(resolve, 1200));
      assert.equal(calls, 0);
      assert.equal(await jobsNamed(database, 'test-web', 'web'), 1);
    } finally {
      await jobs.stop();
      await database.drop();
    }
  });
});
