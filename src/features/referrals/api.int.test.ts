// The police referral API through inject(): a referral makes one case, a replay (even a concurrent one) makes nothing
// and answers with the first receipt, each kind of bad input names its field, and credentials and scopes are enforced.
// Journey 1 up to the triage queue: a burglary referral sent at 17:40 on a Thursday lands as a new case.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser } from '../../../test/support/staff.ts';
import { basicAuthorization } from '../../platform/auth/api-credentials.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { createApiClient } from '../api-clients/service.ts';
import { getCaseForStaff } from '../cases/service.ts';

type Receipt = {
  referralId: string;
  policeReference: string;
  personMatch: string;
  supportConsent: string;
  created: boolean;
  receivedAt: string;
  links: { self: string };
};
type Problem = { status: number; errors?: Record<string, string> };

let serial = 0;
const nextReference = () => `WYV-${Date.now().toString(36)}-${++serial}`;

function referral(overrides: Record<string, unknown> = {}, crime: Record<string, unknown> = {}, victim: Record<string, unknown> = {}) {
  const number = 10000 + serial;
  return {
    policeReference: nextReference(),
    victim: {
      givenName: 'Margaret',
      familyName: `Okafor${serial}`,
      dateOfBirth: '1944-05-12',
      phone: '01632 960 001',
      address: { line1: '4 Elm Row', town: 'Wyvern', postcode: 'WY1 2AB' },
      preferredLanguage: 'en',
      ...victim,
    },
    role: 'victim',
    crime: {
      crimeReference: `WY/${number}/26`,
      offenceCode: '28E',
      offenceCategory: 'Theft offences',
      committedFrom: '2026-03-26',
      reportedAt: '2026-03-26T16:05:00+00:00',
      officerInCharge: 'PC 4521 Ellis',
      ...crime,
    },
    consent: { support: 'not_asked' },
    referredAt: '2026-03-26T17:40:00+00:00',
    ...overrides,
  };
}

describe('police referral API', () => {
  let testApp: TestApp;
  let writer: string;
  let readerOnly: string;
  let otherForce: string;
  let areaId: string;
  let forceId: string;

  before(async () => {
    testApp = await createTestApp();
    const { db } = testApp.database;
    const force = await createOrganisation(db, { kind: 'police', name: 'Wyvern Constabulary Test' });
    areaId = force.areaId;
    forceId = force.id;
    await createOrganisation(db, { kind: 'police', name: 'Neighbouring Police Test', areaId });
    const actor = systemActor('test');
    const issue = async (organisation: string, scopes: string[]) => {
      const client = await createApiClient(db, actor, { organisation, name: `Records ${scopes.join(' ')}`, scopes });
      return basicAuthorization(client.clientId, client.secret);
    };
    writer = await issue(force.name, ['referrals:write', 'referrals:read']);
    readerOnly = await issue(force.name, ['referrals:read']);
    otherForce = await issue('Neighbouring Police Test', ['referrals:write', 'referrals:read']);
  });

  after(async () => {
    await testApp.close();
  });

  const post = (body: unknown, authorization = writer) =>
    testApp.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { authorization }, payload: body as object });
  const get = (reference: string, authorization = writer) =>
    testApp.app.inject({ method: 'GET', url: `/api/v1/referrals/${encodeURIComponent(reference)}`, headers: { authorization } });
  const casesWithReference = async (reference: string) =>
    (
      await testApp.database.db
        .selectFrom('victim_case')
        .select('id')
        .where('source', '=', 'police_api')
        .where('source_reference', '=', reference)
        .execute()
    ).length;
  const caseCount = async () => Number((await testApp.database.db.selectFrom('victim_case').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('journey 1: a burglary referral sent at 17:40 on a Thursday lands as a new case in the triage queue', async () => {
    const body = referral();
    const response = await post(body);
    assert.equal(response.statusCode, 201, response.body);
    const receipt = response.json<Receipt>();
    assert.equal(receipt.created, true);
    assert.equal(receipt.personMatch, 'new_person');
    assert.equal(receipt.supportConsent, 'implied');
    assert.equal(receipt.policeReference, body.policeReference);
    assert.equal(receipt.links.self, `/api/v1/referrals/${body.policeReference}`);
    assert.equal(response.headers.location, receipt.links.self);

    const hub = await createOrganisation(testApp.database.db, { kind: 'hub', areaId });
    const coordinator = await createStaffUser(testApp.database.db, { role: 'coordinator', organisationId: hub.id });
    const actor = {
      kind: 'staff' as const,
      staff: {
        userId: coordinator.id,
        email: coordinator.email,
        displayName: coordinator.displayName,
        role: coordinator.role,
        organisationId: hub.id,
        organisationName: hub.name,
        areaId,
      },
    };
    const found = await getCaseForStaff(testApp.database.db, actor, receipt.referralId);
    assert.equal(found.case.status, 'new');
    assert.equal(found.case.source, 'police_api');
    assert.equal(found.case.role, 'victim');
    assert.equal(found.case.supportConsent, 'implied');
    assert.equal(found.person.givenName, 'Margaret');

    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select(['actor_label', 'organisation_id'])
      .where('record_id', '=', receipt.referralId)
      .where('action', '=', 'case.opened')
      .executeTakeFirstOrThrow();
    assert.match(audit.actor_label, /^api:hvn_/);
    assert.equal(audit.organisation_id, forceId);
  });

  test('a replay answers 200 with the first receipt and creates nothing', async () => {
    const body = referral();
    const first = await post(body);
    assert.equal(first.statusCode, 201, first.body);
    const before = await caseCount();
    // Even with changed details: the police reference is the key, and the first referral stands.
    const again = await post({ ...body, victim: { ...body.victim, givenName: 'Someone else' } });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json(), { ...first.json<Receipt>(), created: false });
    assert.equal(await caseCount(), before);
  });

  test('two identical referrals at the same moment make one case', async () => {
    const body = referral();
    const [a, b] = await Promise.all([post(body), post(body)]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 201], `${a.body} ${b.body}`);
    assert.equal(a.json<Receipt>().referralId, b.json<Receipt>().referralId);
    assert.equal(await casesWithReference(body.policeReference), 1);
  });

  const badInput: [string, Record<string, unknown>, string][] = [
    ['an invalid date of birth', referral({}, {}, { dateOfBirth: '1990-02-30' }), 'victim.dateOfBirth'],
    ['an offence date in the future', referral({}, { committedFrom: '2099-01-01' }), 'crime.committedFrom'],
    ['a crime reference in the wrong format', referral({}, { crimeReference: 'not a reference' }), 'crime.crimeReference'],
    ['an unknown offence code', referral({}, { offenceCode: 'ZZ9' }), 'crime.offenceCode'],
    ['a phone that is not a UK or international number', referral({}, {}, { phone: '12345' }), 'victim.phone'],
    ['a postcode that is not one', referral({}, {}, { address: { postcode: 'NOT A CODE' } }), 'victim.address.postcode'],
    ['a missing given name', referral({}, {}, { givenName: '' }), 'victim.givenName'],
    ['an unknown role', referral({ role: 'bystander' }), 'role'],
    ['a police reference with a slash', referral({ policeReference: 'a/b' }), 'policeReference'],
    ['a sexual offence with consent not asked', referral({}, { offenceCode: '19C', offenceCategory: 'Sexual offences' }), 'consent.support'],
    ['domestic abuse with consent not asked', referral({ indicators: { domesticAbuse: true } }), 'consent.support'],
    ['a bereaved relative with consent not asked', referral({ role: 'bereaved_relative' }), 'consent.support'],
  ];
  for (const [label, body, field] of badInput) {
    test(`${label}: 422 problem+json naming ${field}, and nothing stored`, async () => {
      const before = await caseCount();
      const response = await post(body);
      assert.equal(response.statusCode, 422, response.body);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      const problem = response.json<Problem>();
      assert.ok(problem.errors?.[field], `expected a reason for ${field}: ${response.body}`);
      assert.equal(await caseCount(), before);
    });
  }

  test('opted out is recorded: the case is kept with support_consent opted_out', async () => {
    const response = await post(referral({ consent: { support: 'opted_out' } }));
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json<Receipt>().supportConsent, 'opted_out');
  });

  test('a victim of a sexual offence who opted in is referred', async () => {
    const response = await post(referral({ consent: { support: 'opted_in' } }, { offenceCode: '20A', offenceCategory: 'Sexual offences' }));
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json<Receipt>().supportConsent, 'opted_in');
  });

  test('credentials without referrals:write get 403; wrong credentials get 401', async () => {
    const before = await caseCount();
    assert.equal((await post(referral(), readerOnly)).statusCode, 403);
    assert.equal((await post(referral(), basicAuthorization('hvn_nobody', 'wrong'))).statusCode, 401);
    assert.equal(await caseCount(), before);
  });

  test('GET by police reference returns the receipt to its own organisation only', async () => {
    const body = referral();
    const created = (await post(body)).json<Receipt>();
    const read = await get(body.policeReference, readerOnly);
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(read.json(), { ...created, created: false });
    const other = await get(body.policeReference, otherForce);
    assert.equal(other.statusCode, 404);
    assert.match(String(other.headers['content-type']), /application\/problem\+json/);
    assert.equal((await get('never-sent', readerOnly)).statusCode, 404);
    assert.equal((await get(body.policeReference, basicAuthorization('hvn_nobody', 'x'))).statusCode, 401);
  });

  test('another force may use the same police reference for its own referral', async () => {
    const body = referral();
    assert.equal((await post(body)).statusCode, 201);
    const theirs = await post({ ...referral(), policeReference: body.policeReference }, otherForce);
    assert.equal(theirs.statusCode, 201, theirs.body);
  });

  test('both operations are published in the OpenAPI document and the docs page', async () => {
    const document = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    assert.ok(document.paths['/api/v1/referrals']?.post);
    assert.ok(document.paths['/api/v1/referrals/{policeReference}']?.get);
    const docs = await testApp.app.inject({ method: 'GET', url: '/api/docs' });
    assert.match(docs.body, /\/api\/v1\/referrals/);
  });
});
