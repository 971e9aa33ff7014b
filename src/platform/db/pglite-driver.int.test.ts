// Our PGlite driver under concurrent use: transactions take turns on the one session, so no request ever sees another's
// uncommitted rows or loses its own work to another's rollback; mistakes fail fast instead of hanging. PGlite only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../../app.ts';
import { readConfig } from '../../config.ts';
import { migrations } from '../../migrations/index.ts';
import { openDatabase, type Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { inTransaction, type Db } from './transaction.ts';

type Deferred<T = void> = { promise: Promise<T>; resolve: (value: T) => void };
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** Tracks whether a promise has settled, to show that something is still waiting. */
function watch<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const tracked = promise.finally(() => (settled = true));
  // The test awaits it later; this keeps an early rejection from counting as unhandled meanwhile.
  tracked.catch(() => undefined);
  return { promise: tracked, settled: () => settled };
}

class RolledBack extends Error {}

const codes = async (db: Db): Promise<string[]> =>
  (await db.selectFrom('area').select('code').orderBy('code').execute()).map((row) => row.code);

const insertArea = (db: Db, code: string) => db.insertInto('area').values({ code, name: `Area ${code}` }).execute();

// PGlite whatever the environment says: this file tests the embedded driver, which the server run would not reach.
let database: Database;
before(async () => {
  database = await openDatabase({ memory: true });
  await migrateToLatest(database.db, migrations);
});
after(async () => {
  await database.close();
});

async function clearAreas(): Promise<void> {
  await database.db.deleteFrom('area').execute();
}

describe('PGlite driver: transactions take turns', () => {
  test('a query outside a running transaction waits for it and never sees its uncommitted rows', async () => {
    await clearAreas();
    const inserted = deferred();
    const release = deferred();
    const a = inTransaction(database.db, async (trx) => {
      await insertArea(trx, 'A1');
      inserted.resolve();
      await release.promise;
      await insertArea(trx, 'A2');
      throw new RolledBack();
    });
    await inserted.promise;
    // Started from the test, not from inside A: this is another request's plain query.
    const reader = watch(codes(database.db));
    await sleep(50);
    assert.equal(reader.settled(), false, 'the reader must wait while A holds the session');
    release.resolve();
    await assert.rejects(a, RolledBack);
    assert.deepEqual(await reader.promise, [], 'the reader saw none of the rolled-back transaction');
  });

  test('a second transaction waits for the first, sees all of its committed work, and its rollback undoes only its own', async () => {
    await clearAreas();
    const order: string[] = [];
    const inserted = deferred();
    const release = deferred();
    const a = inTransaction(database.db, async (trx) => {
      order.push('A begin');
      await insertArea(trx, 'A1');
      inserted.resolve();
      await release.promise;
      await insertArea(trx, 'A2');
      order.push('A end');
    });
    await inserted.promise;
    let seenByB: string[] = [];
    const b = watch(
      inTransaction(database.db, async (trx) => {
        order.push('B begin');
        seenByB = await codes(trx);
        await insertArea(trx, 'B1');
        throw new RolledBack();
      }),
    );
    await sleep(50);
    assert.equal(b.settled(), false);
    assert.deepEqual(order, ['A begin'], 'B must not start while A holds the session');
    release.resolve();
    await a;
    await assert.rejects(b.promise, RolledBack);
    assert.deepEqual(order, ['A begin', 'A end', 'B begin']);
    assert.deepEqual(seenByB, ['A1', 'A2'], 'B sees A whole, never half');
    assert.deepEqual(await codes(database.db), ['A1', 'A2'], "B's rollback left A's committed rows alone");
  });

  test("a rollback in the first transaction does not undo the second's committed rows", async () => {
    await clearAreas();
    const inserted = deferred();
    const release = deferred();
    const a = inTransaction(database.db, async (trx) => {
      await insertArea(trx, 'A1');
      inserted.resolve();
      await release.promise;
      throw new RolledBack();
    });
    await inserted.promise;
    let seenByB: string[] = [];
    const b = inTransaction(database.db, async (trx) => {
      seenByB = await codes(trx);
      await insertArea(trx, 'B1');
    });
    await sleep(20);
    release.resolve();
    await assert.rejects(a, RolledBack);
    await b;
    assert.deepEqual(seenByB, [], 'B never saw A1, which was never committed');
    assert.deepEqual(await codes(database.db), ['B1']);
  });

  test('many interleaved transactions each commit or roll back exactly their own rows', async () => {
    await clearAreas();
    const work = Array.from({ length: 20 }, (_, index) =>
      inTransaction(database.db, async (trx) => {
        await insertArea(trx, `M${String(index).padStart(2, '0')}a`);
        await sleep(index % 3);
        await insertArea(trx, `M${String(index).padStart(2, '0')}b`);
        if (index % 2 === 1) throw new RolledBack();
      }),
    );
    const outcomes = await Promise.allSettled(work);
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 10);
    const expected = Array.from({ length: 20 }, (_, index) => index)
      .filter((index) => index % 2 === 0)
      .flatMap((index) => [`M${String(index).padStart(2, '0')}a`, `M${String(index).padStart(2, '0')}b`]);
    assert.deepEqual(await codes(database.db), expected);
  });
});

describe('PGlite driver: mistakes fail fast', () => {
  test('a query on db inside a transaction fails at once with a clear error, and the transaction carries on', async () => {
    await clearAreas();
    await inTransaction(database.db, async (trx) => {
      await insertArea(trx, 'T1');
      const mistaken = codes(database.db);
      const timeout = sleep(2000).then(() => 'hung' as const);
      const outcome = await Promise.race([mistaken.then(() => 'answered' as const, (error: unknown) => error), timeout]);
      assert.ok(outcome instanceof Error, `expected a fast error, got ${String(outcome)}`);
      assert.match(outcome.message, /outside its transaction/);
      await insertArea(trx, 'T2');
    });
    assert.deepEqual(await codes(database.db), ['T1', 'T2']);
  });
});

describe('PGlite driver: the job queue’s raw SQL', () => {
  test('waits for a running transaction instead of running inside it', async () => {
    await clearAreas();
    const inserted = deferred();
    const release = deferred();
    const a = inTransaction(database.db, async (trx) => {
      await insertArea(trx, 'A1');
      inserted.resolve();
      await release.promise;
      throw new RolledBack();
    });
    await inserted.promise;
    // pg-boss sends parameterless multi-statement text as well as parameterised queries.
    const job = watch(
      database.jobs.executeSql("insert into area (code, name) values ('J1', 'Job area'); select count(*)::int as n from area"),
    );
    const count = watch(database.jobs.executeSql('select count(*)::int as n from area where code = $1', ['A1']));
    await sleep(50);
    assert.equal(job.settled(), false, 'the job SQL must wait for the transaction');
    assert.equal(count.settled(), false);
    release.resolve();
    await assert.rejects(a, RolledBack);
    assert.deepEqual((await job.promise).rows, [{ n: 1 }], 'the job saw only its own row');
    assert.deepEqual((await count.promise).rows, [{ n: 0 }]);
    assert.deepEqual(await codes(database.db), ['J1'], "A's rollback did not take the job's row with it");
  });

  test('a failing statement in raw SQL leaves the session usable', async () => {
    await assert.rejects(database.jobs.executeSql('begin; select * from no_such_table; commit'));
    assert.deepEqual((await database.jobs.executeSql('select 1 as one')).rows, [{ one: 1 }]);
    await inTransaction(database.db, (trx) => insertArea(trx, 'AFTER'));
    assert.ok((await codes(database.db)).includes('AFTER'));
  });
});

describe('PGlite driver: concurrent HTTP requests', () => {
  test('two requests with transactions at once keep to their own rows', async () => {
    await clearAreas();
    const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, database });
    // A test-only route, added before the app is ready: a write that holds its transaction across an await.
    app.get('/__test/areas/:code', async (request, reply) => {
      const { code } = request.params as { code: string };
      const fail = (request.query as Record<string, string>).fail === '1';
      const seen = await inTransaction(database.db, async (trx) => {
        await insertArea(trx, code);
        await sleep(40);
        const visible = await codes(trx);
        if (fail) throw new RolledBack('deliberate');
        return visible;
      });
      return reply.send({ seen });
    });
    await app.ready();
    try {
      const [failing, committing] = await Promise.all([
        app.inject({ method: 'GET', url: '/__test/areas/H1?fail=1' }),
        app.inject({ method: 'GET', url: '/__test/areas/H2' }),
      ]);
      assert.equal(failing.statusCode, 500);
      assert.equal(committing.statusCode, 200);
      assert.deepEqual(committing.json(), { seen: ['H2'] }, 'the second request never saw the first one’s row');
      assert.deepEqual(await codes(database.db), ['H2']);

      const both = await Promise.all([
        app.inject({ method: 'GET', url: '/__test/areas/H3' }),
        app.inject({ method: 'GET', url: '/__test/areas/H4' }),
      ]);
      const seen = both.map((response) => response.json<{ seen: string[] }>().seen);
      // Whichever ran first saw only its own row and H2; the other saw both, committed.
      assert.deepEqual(seen.map((list) => list.length).sort(), [2, 3]);
      assert.deepEqual(await codes(database.db), ['H2', 'H3', 'H4']);
    } finally {
      await app.close();
    }
  });
});
