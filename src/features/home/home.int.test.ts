// The home page through the whole application: a coordinator sees the overdue Victims' Code duties of their cases as
// soon as the sweep turns them, a coordinator elsewhere sees none, and a duty closed as breached stops showing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createStaffUser, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { caseReference } from '../cases/rules.ts';
import { assignCoordinator, findOrCreateCrime, openCase } from '../cases/service.ts';
import { getCodeClock, recordBreach, runCodeClock, sweepOverdue } from '../obligations/service.ts';
import { createPerson } from '../people/service.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };

describe('home page alerts', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let elsewhere: TestStaffUser;

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationKind: 'hub' });
    elsewhere = await createStaffUser(test.database.db, { role: 'coordinator', organisationKind: 'hub' });
  });
  after(() => test.close());

  it('lists the overdue duties of the coordinator’s cases, and stops when a duty is closed', async () => {
    const caseId = await inTransaction(test.database.db, async (trx) => {
      const person = await createPerson(trx, feed, { areaId: coordinator.areaId, givenName: 'Iris', familyName: 'Pennant', dateOfBirth: '1950-04-04' });
      const { crime } = await findOrCreateCrime(trx, feed, { areaId: coordinator.areaId, crimeReference: 'HM/1/26', offenceCode: '28E', offenceCategory: 'Theft offences', committedFrom: '2026-03-01' });
      return (await openCase(trx, feed, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_api', receivedAt: new Date('2026-03-02T10:00:00Z') })).case.id;
    });
    await assignCoordinator(test.database.db, actorFor(coordinator), caseId, coordinator.id);
    await runCodeClock(test.database.db, { settle: true });

    const home = async (user: TestStaffUser) => (await test.app.inject({ method: 'GET', url: '/', headers: { cookie: await signIn(test.app, user) } })).body;
    assert.doesNotMatch(await home(coordinator), /Overdue Victims’ Code duties/, 'nothing is overdue before the sweep');

    await sweepOverdue(test.database.db, new Date('2026-03-10T09:00:00Z'));
    const page = await home(coordinator);
    assert.match(page, /Overdue Victims’ Code duties/);
    assert.match(page, /2 duties are past their deadline/);
    assert.match(page, new RegExp(`href="/cases/${caseId}">Case ${caseReference(caseId)}</a>`));
    assert.match(page, /Assess the victim’s needs/);
    assert.match(page, /\(your case\)/);
    assert.doesNotMatch(page, /Iris|Pennant/, 'the banner names cases by reference only');
    assert.doesNotMatch(await home(elsewhere), /Overdue Victims’ Code duties/, 'another area’s coordinator is not alerted');

    const audited = await test.database.db.selectFrom('audit_event').select('detail').where('action', '=', 'obligation_alerts.viewed').where('actor_user_id', '=', coordinator.id).execute();
    assert.deepEqual(audited.map((row) => row.detail), [{ caseIds: [caseId] }]);

    for (const duty of await getCodeClock(test.database.db, actorFor(coordinator), caseId)) {
      await recordBreach(test.database.db, actorFor(coordinator), caseId, duty.id, { reason: 'The victim could not be reached by any safe channel' });
    }
    assert.doesNotMatch(await home(coordinator), /Overdue Victims’ Code duties/);
  });
});
