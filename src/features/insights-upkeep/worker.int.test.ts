// The upkeep in a running app: a process that runs workers refreshes the queue on its own, every few seconds, and
// stops with the app.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createOrganisation } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { INSIGHT_REFRESH_INTERVAL_MS } from './worker.ts';

describe('Insights upkeep worker', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  it('recomputes a newly opened case’s day without anyone asking', async () => {
    const db = testApp.database.db;
    const { areaId } = await createOrganisation(db, { kind: 'hub' });
    const person = await db.insertInto('person').values({ area_id: areaId, given_name: 'Ada', match_name: 'ada', sex: 'female' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('victim_case').values({ person_id: person.id, area_id: areaId, role: 'victim', source: 'self_referral' }).execute();
    assert.equal((await db.selectFrom('insight_dirty').select('day').where('area_id', '=', areaId).execute()).length, 1, 'the case marked its day');
    const deadline = Date.now() + INSIGHT_REFRESH_INTERVAL_MS * 4;
    let counted: { cases: number } | undefined;
    while (!counted && Date.now() < deadline) {
      await sleep(250);
      counted = await db.selectFrom('insight_equality_day').select('cases').where('area_id', '=', areaId).where('dimension', '=', 'sex').where('category', '=', 'female').executeTakeFirst();
    }
    assert.equal(counted?.cases, 1);
    assert.equal((await db.selectFrom('insight_dirty').select('day').where('area_id', '=', areaId).execute()).length, 0, 'the queue is empty');
  });
});
