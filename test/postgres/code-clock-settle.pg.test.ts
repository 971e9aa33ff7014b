// Two Code clocks at once, on a real PostgreSQL server (PGlite has one session, so clocks there never overlap). The web
// process reads the inbox every second; a clock run by hand skips the events that one holds, so what it returns may not
// yet include their duties. With `settle` it waits for the other clock to commit, and then their duties are there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { createPerson } from '../../src/features/people/service.ts';
import { findOrCreateCrime, openCase } from '../../src/features/cases/service.ts';
import { runCodeClock } from '../../src/features/obligations/service.ts';
import { usePostgresServer, type PostgresForTests } from '../support/postgres.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { createStaffUser } from '../support/staff.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };

let server: PostgresForTests;
let database: TestDatabase;
before(async () => {
  server = await usePostgresServer();
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
  await server?.stop();
});

async function referral(areaId: string, n: number): Promise<string> {
  return inTransaction(database.db, async (trx) => {
    const person = await createPerson(trx, feed, { areaId, givenName: 'Ada', familyName: `Settle${n}`, dateOfBirth: '1960-05-01' });
    const { crime } = await findOrCreateCrime(trx, feed, { areaId, crimeReference: `SET/${n}/26`, offenceCode: '28E', offenceCategory: 'Burglary', committedFrom: '2026-03-01' });
    return (await openCase(trx, feed, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_feed', receivedAt: new Date('2026-03-02T10:00:00Z') })).case.id;
  });
}

/**
 * Holds the inbox row of a case's referral in a transaction of its own, as a clock partway through reading it does,
 * and deletes it; the row goes when `release` is called. Its duties are then started by the clock that finally reads it.
 */
async function holdInboxRowOf(caseId: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const done = inTransaction(database.db, async (trx) => {
    await sql`
      delete from code_clock_inbox where event_id in (
        select e.id from timeline_event e where e.case_id = ${caseId} and e.kind = 'referral_received'
      )`.execute(trx);
    held();
    await released;
    // Put it back as it was, so the test then sees which clock reads it once the hold is gone.
    await sql`insert into code_clock_inbox (event_id) select e.id from timeline_event e where e.case_id = ${caseId} and e.kind = 'referral_received'`.execute(trx);
  });
  await holding;
  return { release, done };
}

const dutiesOf = async (caseId: string) => (await database.db.selectFrom('obligation').select('duty').where('case_id', '=', caseId).execute()).map((row) => row.duty).sort();

describe('the Code clock on PostgreSQL', () => {
  test('a clock run by hand skips what another clock holds, and with settle waits for it', async () => {
    assert.equal(database.backend, 'postgres');
    const coordinator = await createStaffUser(database.db, { role: 'coordinator', organisationKind: 'hub' });
    const caseId = await referral(coordinator.areaId, 1);

    const skipping = await holdInboxRowOf(caseId);
    await runCodeClock(database.db);
    assert.deepEqual(await dutiesOf(caseId), [], 'without settle, the held event is left to the clock holding it');
    skipping.release();
    await skipping.done;

    const waiting = await holdInboxRowOf(caseId);
    let settled = false;
    const run = runCodeClock(database.db, { settle: true }).then((read) => {
      settled = true;
      return read;
    });
    await sleep(300);
    assert.equal(settled, false, 'settle waits while another clock holds an event');
    waiting.release();
    await waiting.done;
    assert.equal(await run, 2, 'once the hold is gone, the settling clock reads the referral itself, then the entitlement decision it made');
    assert.deepEqual(await dutiesOf(caseId), ['needs_assessment', 'support_referral']);
  });
});
