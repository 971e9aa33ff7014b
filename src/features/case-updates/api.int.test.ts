// The inbound events API through inject(): an event reaches every case on its crime in plain words, a replay changes
// nothing, a late arrival cannot move the case back, an out-of-order sentence is held for review, an unknown crime is
// quarantined and can be matched by a person, bad details name their field, and scopes are enforced.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { basicAuthorization } from '../../platform/auth/api-credentials.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { createApiClient } from '../api-clients/service.ts';
import { runCodeClock } from '../obligations/service.ts';
import { attachToCrime, confirmFlagged, dismissUpdate, getReviewQueue } from './service.ts';

type Receipt = { id: string; state: string; created: boolean; cases: number; reason: string | null };

let serial = 0;

describe('inbound events API', () => {
  let testApp: TestApp;
  let events: string;
  let referrals: string;
  let coordinator: TestStaffUser;
  let officer: TestStaffUser;

  before(async () => {
    testApp = await createTestApp();
    const { db } = testApp.database;
    const force = await createOrganisation(db, { kind: 'police', name: 'Events Constabulary Test' });
    const hub = await createOrganisation(db, { kind: 'hub', name: 'Events Hub Test', areaId: force.areaId });
    coordinator = await createStaffUser(db, { role: 'coordinator', organisationId: hub.id });
    officer = await createStaffUser(db, { role: 'police_officer', organisationId: force.id });
    await createOrganisation(db, { kind: 'witness_care', name: 'Events Witness Care Test', areaId: force.areaId });
    const actor = systemActor('test');
    const eventsClient = await createApiClient(db, actor, { organisation: force.name, name: 'Records events', scopes: ['events:write'] });
    events = basicAuthorization(eventsClient.clientId, eventsClient.secret);
    const referralClient = await createApiClient(db, actor, { organisation: force.name, name: 'Records referrals', scopes: ['referrals:write'] });
    referrals = basicAuthorization(referralClient.clientId, referralClient.secret);
  });
  after(() => testApp.close());

  /** A victim referred on a new crime, as the police feed does it; returns the case id and crime reference. */
  async function referredCase(crimeReference = `EV/${(Date.now() % 1_000_000) * 100 + ++serial}/26`): Promise<{ caseId: string; crimeReference: string }> {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: referrals },
      payload: {
        policeReference: `EVREF-${++serial}-${Date.now().toString(36)}`,
        victim: { givenName: 'Dana', familyName: `Events${serial}`, email: `dana${serial}@example.com` },
        role: 'victim',
        crime: { crimeReference, offenceCode: '8N', offenceCategory: 'Violence against the person' },
        consent: { support: 'not_asked' },
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return { caseId: response.json<{ referralId: string }>().referralId, crimeReference };
  }

  const send = (payload: Record<string, unknown>, authorization = events) =>
    testApp.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization }, payload });

  const event = (crimeReference: string, type: string, occurredAt: string, detail: Record<string, unknown> = {}) => ({
    sourceEventId: `SRC-${++serial}-${Date.now().toString(36)}`,
    type,
    crimeReference,
    occurredAt,
    detail,
  });

  async function timeline(caseId: string) {
    return testApp.database.db.selectFrom('timeline_event').select(['kind', 'visibility', 'detail', 'summary']).where('case_id', '=', caseId).orderBy('id').execute();
  }

  test('an event reaches the case in plain words, notifies the victim, moves the crime on, and a replay changes nothing', async () => {
    const { caseId, crimeReference } = await referredCase();
    const arrested = event(crimeReference, 'suspect_arrested', '2026-11-02T10:00:00+00:00');
    const first = await send(arrested);
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual({ ...first.json<Receipt>(), id: undefined }, { id: undefined, state: 'applied', created: true, cases: 1, reason: null, receivedAt: first.json<{ receivedAt: string }>().receivedAt });
    const replay = await send(arrested);
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.json<Receipt>().id, first.json<Receipt>().id);
    assert.equal(replay.json<Receipt>().created, false);
    const arrests = (await timeline(caseId)).filter((row) => row.kind === 'suspect_arrested');
    assert.equal(arrests.length, 1, 'a replay adds no second event');
    assert.equal(arrests[0]?.visibility, 'victim');
    assert.equal(arrests[0]?.summary, 'A suspect has been arrested');
    assert.equal(arrests[0]?.detail.notifyVictim, 'update');
    const crime = await testApp.database.db.selectFrom('crime').select('stage').where('crime_reference', '=', crimeReference).executeTakeFirstOrThrow();
    assert.equal(crime.stage, 'suspect_arrested');
  });

  test('a late "arrested" after "charged" is kept as history and does not move the case back or tell the victim', async () => {
    const { caseId, crimeReference } = await referredCase();
    assert.equal((await send(event(crimeReference, 'suspect_charged', '2026-11-03T16:00:00+00:00', { charges: 'Wounding with intent' }))).statusCode, 201);
    const late = await send(event(crimeReference, 'suspect_arrested', '2026-11-01T09:00:00+00:00'));
    assert.equal(late.statusCode, 201);
    assert.equal(late.json<Receipt>().state, 'applied');
    const crime = await testApp.database.db.selectFrom('crime').select('stage').where('crime_reference', '=', crimeReference).executeTakeFirstOrThrow();
    assert.equal(crime.stage, 'suspect_charged');
    const arrest = (await timeline(caseId)).find((row) => row.kind === 'suspect_arrested');
    assert.equal(arrest?.detail.behind, true);
    assert.equal(arrest?.detail.notifyVictim, undefined, 'no notification for history');
    await runCodeClock(testApp.database.db, { settle: true });
    const duties = await testApp.database.db.selectFrom('obligation').select('duty').where('case_id', '=', caseId).execute();
    assert.ok(duties.some((row) => row.duty === 'charge_update'), 'the charge starts its duty');
    assert.ok(!duties.some((row) => row.duty === 'investigation_update'), 'the late arrest starts none');
  });

  test('a sentence with no verdict is accepted but held for review, never shown to the victim as fact, until confirmed', async () => {
    const { caseId, crimeReference } = await referredCase();
    const response = await send(event(crimeReference, 'sentence', '2026-11-04T12:00:00+00:00', { sentence: '3 years in prison', custodyMonths: 36, violentOrSexualOffence: true }));
    assert.equal(response.statusCode, 201, response.body);
    const receipt = response.json<Receipt>();
    assert.equal(receipt.state, 'flagged');
    assert.equal(receipt.reason, 'A sentence arrived with no verdict recorded');
    const rows = await timeline(caseId);
    assert.ok(!rows.some((row) => row.kind === 'sentence'), 'no sentence event yet');
    assert.ok(rows.some((row) => row.kind === 'case_update_flagged' && row.visibility === 'staff'));
    const task = await testApp.database.db.selectFrom('case_task').select(['kind', 'status']).where('case_id', '=', caseId).where('kind', '=', 'case_update_review').executeTakeFirst();
    assert.equal(task?.status, 'open');
    const queue = await getReviewQueue(testApp.database.db, actorFor(coordinator));
    assert.ok(queue.some((update) => update.id === receipt.id && update.state === 'flagged'));
    const confirmed = await confirmFlagged(testApp.database.db, actorFor(coordinator), receipt.id);
    assert.equal(confirmed.state, 'applied');
    const sentence = (await timeline(caseId)).find((row) => row.kind === 'sentence');
    assert.equal(sentence?.visibility, 'victim');
    assert.equal(sentence?.detail.notifyVictim, 'update');
    await assert.rejects(confirmFlagged(testApp.database.db, actorFor(coordinator), receipt.id), /already been dealt with|Invalid/);
  });

  test('an event for an unknown crime is quarantined with a reason, then matched by a person or set aside', async () => {
    const unknown = `EV/UNKNOWN/${++serial}`;
    const response = await send(event(unknown, 'suspect_arrested', '2026-11-05T09:00:00+00:00'));
    assert.equal(response.statusCode, 202, response.body);
    const receipt = response.json<Receipt>();
    assert.equal(receipt.state, 'quarantined');
    assert.match(receipt.reason ?? '', /No crime with reference/);
    const { caseId, crimeReference } = await referredCase();
    await assert.rejects(attachToCrime(testApp.database.db, actorFor(coordinator), receipt.id, { crimeReference: 'NOPE/1' }), (error: Error & { fields?: Record<string, string> }) => Boolean(error.fields?.crimeReference));
    const attached = await attachToCrime(testApp.database.db, actorFor(coordinator), receipt.id, { crimeReference });
    assert.equal(attached.state, 'applied');
    assert.ok((await timeline(caseId)).some((row) => row.kind === 'suspect_arrested'));

    const another = await send(event(`EV/UNKNOWN/${++serial}`, 'suspect_arrested', '2026-11-05T09:00:00+00:00'));
    await assert.rejects(dismissUpdate(testApp.database.db, actorFor(coordinator), another.json<Receipt>().id, { reason: '' }));
    await dismissUpdate(testApp.database.db, actorFor(coordinator), another.json<Receipt>().id, { reason: 'Sent to the wrong force' });
    const queue = await getReviewQueue(testApp.database.db, actorFor(coordinator));
    assert.ok(!queue.some((update) => update.id === another.json<Receipt>().id));
    await assert.rejects(getReviewQueue(testApp.database.db, actorFor(officer)), /Forbidden|hub/);
  });

  test('an officer assigned by email becomes the crime’s officer account; a hearing listed reaches the pre-court record', async () => {
    const { caseId, crimeReference } = await referredCase();
    const assigned = await send(event(crimeReference, 'officer_assigned', '2026-11-05T09:00:00+00:00', { officerName: 'DC 1234 Patel', officerEmail: officer.email.toUpperCase() }));
    assert.equal(assigned.statusCode, 201, assigned.body);
    const crime = await testApp.database.db.selectFrom('crime').select(['officer_user_id', 'officer_in_charge']).where('crime_reference', '=', crimeReference).executeTakeFirstOrThrow();
    assert.equal(crime.officer_user_id, officer.id);
    assert.equal(crime.officer_in_charge, 'DC 1234 Patel');
    const listed = await send(event(crimeReference, 'hearing_listed', '2026-11-05T10:00:00+00:00', { hearingAt: '2027-01-12T10:00:00+00:00', courtName: 'Wyvern Crown Court', hearingType: 'trial' }));
    assert.equal(listed.statusCode, 201, listed.body);
    const hearing = await testApp.database.db.selectFrom('hearing').select(['court_name', 'hearing_at']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(hearing.court_name, 'Wyvern Crown Court');
    assert.equal(new Date(hearing.hearing_at).toISOString(), '2027-01-12T10:00:00.000Z');
  });

  test('bad details name their field and store nothing; a missing scope is refused', async () => {
    const { caseId, crimeReference } = await referredCase();
    // Only what the API could have written: the Code clock's runner may add its own events to the case meanwhile.
    const fromApi = async () => (await testApp.database.db.selectFrom('timeline_event').select('id').where('case_id', '=', caseId).where('source', '=', 'agency_api').execute()).length;
    const before = await fromApi();
    const bad = await send(event(crimeReference, 'no_further_action', '2026-11-05T09:00:00+00:00', {}));
    assert.equal(bad.statusCode, 422, bad.body);
    assert.ok(bad.json<{ errors: Record<string, string> }>().errors['detail.reason']);
    const badType = await send({ ...event(crimeReference, 'suspect_abducted', '2026-11-05T09:00:00+00:00') });
    assert.equal(badType.statusCode, 422);
    const badTime = await send({ ...event(crimeReference, 'suspect_arrested', 'yesterday') });
    assert.equal(badTime.statusCode, 422);
    assert.equal(await fromApi(), before);
    const noScope = await send(event(crimeReference, 'suspect_arrested', '2026-11-05T09:00:00+00:00'), referrals);
    assert.equal(noScope.statusCode, 403);
    const openapi = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.ok(openapi.json<{ paths: Record<string, unknown> }>().paths['/api/v1/events'], 'the operation is published');
  });
});
