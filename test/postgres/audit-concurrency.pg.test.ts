// The audit chain under real concurrency, on a real PostgreSQL server (PGlite has one session, so it cannot show this):
// many writers at once lose no audit row, keep no rolled-back one, and the chain still verifies with the exact count;
// a row committed after a later one was sealed is sealed on the next pass, further along the chain.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { sealAuditTrail } from '../../src/platform/audit/sealer.ts';
import { verifyAuditChain } from '../../src/platform/audit/verifier.ts';
import { writeAudit } from '../../src/platform/audit/writer.ts';
import { systemActor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { usePostgresServer, type PostgresForTests } from '../support/postgres.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser } from '../support/staff.ts';

const PARALLEL = 50;

class RolledBack extends Error {}

let server: PostgresForTests;
before(async () => {
  server = await usePostgresServer();
});
after(async () => {
  await server.stop();
});

const auditCount = async (database: TestDatabase): Promise<number> =>
  (await database.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

describe('audit chain on PostgreSQL', () => {
  test('a row committed after a later id was sealed is still sealed, further along the chain', async () => {
    const database = await createTestDatabase();
    try {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wroteEarly = new Promise<void>((resolve) => (written = resolve));
    const early = inTransaction(database.db, async (trx) => {
      await writeAudit(trx, systemActor('sealer-test'), { action: 'test.early_id', recordType: 'test', recordId: 'early' });
      written();
      await held;
    });
    await wroteEarly;
    await inTransaction(database.db, (trx) => writeAudit(trx, systemActor('sealer-test'), { action: 'test.late_id', recordType: 'test', recordId: 'late' }));
    await sealAuditTrail(database.db);
    release();
    await early;
    await sealAuditTrail(database.db);
    const [earlyRow, lateRow] = await Promise.all(
      ['early', 'late'].map((recordId) =>
        database.db.selectFrom('audit_event').select(['id', 'chain_position']).where('record_id', '=', recordId).executeTakeFirstOrThrow(),
      ),
    );
    assert.ok(earlyRow && lateRow);
    assert.ok(earlyRow.id < lateRow.id, 'the early writer took the lower id');
    assert.ok(Number(earlyRow.chain_position) > Number(lateRow.chain_position), 'but committed later, so it is later in the chain');
    const report = await verifyAuditChain(database.db);
    assert.equal(report.ok, true);
      } finally {
      await database.drop();
    }
  });

  test(`${PARALLEL} parallel transactions, each writing audit and another row, lose nothing and keep the chain whole`, async () => {
    const database = await createTestDatabase();
    try {
      assert.equal(database.backend, 'postgres');
      const outcomes = await Promise.allSettled(
        Array.from({ length: PARALLEL }, (_, index) =>
          inTransaction(database.db, async (trx) => {
            await writeAudit(trx, systemActor('concurrency-test'), {
              action: 'area.created',
              recordType: 'area',
              recordId: `P${index}`,
              detail: { index },
            });
            // Hold the transaction open a little, so the writers really overlap on the server.
            await sql`select pg_sleep(${(index % 5) / 1000})`.execute(trx);
            await trx.insertInto('area').values({ code: `P${index}`, name: `Parallel ${index}` }).execute();
            await writeAudit(trx, systemActor('concurrency-test'), {
              action: 'area.checked',
              recordType: 'area',
              recordId: `P${index}`,
            });
            // Every seventh rolls back after writing audit: its rows must go, and must not break the chain.
            if (index % 7 === 6) throw new RolledBack();
          }),
        ),
      );
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      for (const outcome of rejected) assert.ok(outcome.reason instanceof RolledBack, String(outcome.reason));
      const committed = PARALLEL - rejected.length;
      assert.equal(rejected.length, Math.floor(PARALLEL / 7));

      assert.equal(await auditCount(database), committed * 2);
      const areas = await database.db.selectFrom('area').select('code').execute();
      assert.equal(areas.length, committed);
      const audited = await database.db.selectFrom('audit_event').select('record_id').where('action', '=', 'area.created').execute();
      assert.deepEqual(audited.map((row) => row.record_id).sort(), areas.map((row) => row.code).sort());
      assert.deepEqual(await verifyAuditChain(database.db), { ok: true, checked: committed * 2 });
    } finally {
      await database.drop();
    }
  });

  test(`${PARALLEL} parallel sign-ins (password and second factor) lose no audit row`, async () => {
    let testApp: TestApp | undefined;
    try {
      testApp = await createTestApp();
      const { app, database } = testApp;
      const organisation = await createOrganisation(database.db);
      const users: TestStaffUser[] = [];
      // Hashing 50 passwords takes a while; a few at a time keeps the two cores from thrashing.
      for (let index = 0; index < PARALLEL; index += 10) {
        users.push(
          ...(await Promise.all(
            Array.from({ length: 10 }, (_, offset) =>
              createStaffUser(database.db, { organisationId: organisation.id, email: `parallel-${index + offset}@example.gov.uk` }),
            ),
          )),
        );
      }
      // One sign-in alone first, to learn how many audit rows a sign-in writes.
      const [first, ...rest] = users;
      assert.ok(first);
      const before = await auditCount(database);
      await signIn(app, first, { remoteAddress: '10.1.0.1' });
      const perSignIn = (await auditCount(database)) - before;
      assert.ok(perSignIn >= 1, 'a sign-in writes at least one audit row');

      const started = await auditCount(database);
      // Each from its own address, so per-address throttling does not get in the way.
      const cookies = await Promise.all(
        rest.map((user, index) => signIn(app, user, { remoteAddress: `10.2.${Math.floor(index / 200)}.${(index % 200) + 1}` })),
      );
      assert.equal(cookies.length, PARALLEL - 1);
      for (const cookie of cookies) assert.match(cookie, /haven_session=/);
      // Anything written after the responses (there should be nothing) would show up as a late change in the count.
      await sleep(100);
      const expected = started + (PARALLEL - 1) * perSignIn;
      assert.equal(await auditCount(database), expected);
      const sessions = await database.db
        .selectFrom('staff_session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stage', '=', 'signed_in')
        .executeTakeFirstOrThrow();
      assert.equal(sessions.n, PARALLEL);
      assert.deepEqual(await verifyAuditChain(database.db), { ok: true, checked: expected });
    } finally {
      await testApp?.close();
    }
  });
});
