// A write that marks a bucket already queued, while a refresh runs, is not lost: every marking statement holds the
// lock 'insights:mark' shared until its transaction ends, and the refresh takes it exclusively before it empties the
// queue (service.ts explains why). The lock is checked on both databases; the race itself needs a second connection,
// which only the PostgreSQL server gives (the embedded database has one session, so the race cannot happen there).
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inTransaction } from '../../platform/db/transaction.ts';
import { createOrganisation } from '../../../test/support/staff.ts';
import { createTestDatabase, testBackend, type TestDatabase } from '../../../test/support/test-database.ts';
import { refreshInsights } from './service.ts';

describe('Insights upkeep and concurrent writes', () => {
  let database: TestDatabase;
  let areaId: string;
  let personId: string;
  let crimeId: string;
  before(async () => {
    database = await createTestDatabase();
    const db = database.db;
    areaId = (await createOrganisation(db, { kind: 'hub' })).areaId;
    personId = (await db.insertInto('person').values({ area_id: areaId, given_name: 'Ada', match_name: 'ada' }).returning('id').executeTakeFirstOrThrow()).id;
    crimeId = (await db.insertInto('crime').values({ area_id: areaId, crime_reference: 'WY/1/26', offence_code: '28E', offence_category: 'Burglary', offence_group: 'burglary' })
      .returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('victim_case').values({ person_id: personId, crime_id: crimeId, area_id: areaId, role: 'victim', source: 'self_referral' }).execute();
    await refreshInsights(db);
  });
  after(() => database.drop());

  const offenceGroups = () => database.db.selectFrom('insight_case_day').select(['offence_group', 'cases']).where('area_id', '=', areaId).execute();

  it('holds the mark lock shared from a marking write until its transaction ends', async () => {
    const held = await inTransaction(database.db, async (trx) => {
      await trx.updateTable('crime').set({ offence_group: 'theft' }).where('id', '=', crimeId).execute();
      return (await sql<{ mode: string }>`select mode from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted`.execute(trx)).rows.map((row) => row.mode);
    });
    assert.deepEqual(held, ['ShareLock']);
    const after = await sql<{ count: number }>`select count(*)::int as count from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`.execute(database.db);
    assert.equal(after.rows[0]?.count, 0, 'released at commit');
    await refreshInsights(database.db);
    assert.deepEqual(await offenceGroups(), [{ offence_group: 'theft', cases: 1 }]);
  });

  it('counts a write that merged its mark into a queued bucket while the refresh waited for it', async () => {
    const db = database.db;
    await db.updateTable('person').set({ ethnic_group: 'white' }).where('id', '=', personId).execute();
    assert.equal((await db.selectFrom('insight_dirty').select('day').execute()).length, 1, 'the bucket is queued and committed');
    if (testBackend() === 'pglite') {
      // One session: the write commits before the refresh can start.
      await db.updateTable('crime').set({ offence_group: 'robbery' }).where('id', '=', crimeId).execute();
      await refreshInsights(db);
      assert.deepEqual(await offenceGroups(), [{ offence_group: 'robbery', cases: 1 }]);
      return;
    }
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    try {
      await writer.query('begin');
      // Finds the bucket queued, so its mark merges into the queued one and takes no row lock.
      await writer.query(`update crime set offence_group = 'robbery' where id = $1`, [crimeId]);
      let finished = false;
      const refreshing = refreshInsights(db).then((result) => {
        finished = true;
        return result;
      });
      await sleep(1000);
      assert.equal(finished, false, 'the refresh waits for the open write');
      await writer.query('commit');
      await refreshing;
    } finally {
      await writer.end();
    }
    assert.deepEqual(await offenceGroups(), [{ offence_group: 'robbery', cases: 1 }], 'the refresh saw the write whose mark it took');
  });
});
