// Walks every portal route as one victim with another victim's ids, on PGlite or PostgreSQL. The routes are read from
// the application itself, so a new portal route is walked as soon as it exists, and a route with a kind of id this test
// does not know fails it until the test is taught. Every page or action naming another victim's case, hearing,
// consent or complaint must be a 404 and change nothing; every list must leave the other victim out.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInVictim, type TestPortalUser } from '../support/portal.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { routesOf } from '../support/routes.ts';
import { createOrganisation, createStaffUser, csrfFor, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { appendTimelineEvent } from '../../src/features/cases/service.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };

/** Every route under /my-case. */
const portalRoutes = (test: TestApp) => routesOf(test.app).filter((route) => route.path.startsWith('/my-case'));

describe('every portal route with another victim’s ids', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let forceId: string;
  let providerId: string;
  let mine: TestPortalUser;
  let theirs: { caseId: string; personId: string; hearingId: string; consentId: string; complaintId: string; givenName: string; crimeReference: string };
  let myCaseId: string;

  async function newCase(givenName: string, crimeReference: string, phone: string) {
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `WALK-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName, familyName: 'Walker', dateOfBirth: '1979-09-09', phone, email: `${givenName.toLowerCase()}@example.org`, safeContact: { channels: ['email'] } },
        crime: { crimeReference, offenceCode: '8N', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    await test.database.db.updateTable('victim_case').set({ status: 'contacted' }).where('id', '=', receipt.caseId).execute();
    return receipt;
  }

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId })).id;
    providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId })).id;
    const me = await newCase('Aled', 'RW/11111/26', '07700 900111');
    myCaseId = me.caseId;
    mine = await signInVictim(test.database.db, me.personId);
    const other = await newCase('Bethan', 'RW/22222/26', '07700 900222');
    const otherAccount = await signInVictim(test.database.db, other.personId);
    const event = await inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, police, { caseId: other.caseId, kind: 'hearing_listed', summary: 'A court hearing has been listed', source: 'police', idempotencyKey: `walk-hearing-${other.caseId}`, visibility: 'victim', occurredAt: new Date() }),
    );
    const hearingId = randomUUID();
    await test.database.db
      .insertInto('hearing')
      .values({ id: hearingId, case_id: other.caseId, area_id: coordinator.areaId, hearing_at: new Date(Date.now() + 30 * 86_400_000), court_name: 'Bethan Crown Court', hearing_type: 'trial', timeline_event_id: event.event.id, submission_key: randomUUID() })
      .execute();
    const consent = await test.database.db
      .insertInto('consent')
      .values({ person_id: other.personId, area_id: coordinator.areaId, case_id: other.caseId, recipient_organisation_id: providerId, purpose: 'support_referral', legal_basis: 'consent', given_how: 'verbal', submission_key: randomUUID() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const complaint = await test.database.db
      .insertInto('complaint')
      .values({ case_id: other.caseId, area_id: coordinator.areaId, organisation_id: forceId, body: 'Bethan’s complaint', made_by_account_id: otherAccount.accountId, submission_key: randomUUID() })
      .returning('id')
      .executeTakeFirstOrThrow();
    theirs = { caseId: other.caseId, personId: other.personId, hearingId, consentId: consent.id, complaintId: complaint.id, givenName: 'Bethan', crimeReference: 'RW/22222/26' };
  });
  after(() => test.close());

  const idFor: Record<string, () => string> = {
    caseId: () => theirs.caseId,
    hearingId: () => theirs.hearingId,
    consentId: () => theirs.consentId,
    complaintId: () => theirs.complaintId,
    party: () => 'hub',
    moment: () => 'first_contact',
    section: () => 'language',
  };

  it('finds the portal routes, and knows every kind of id they take', () => {
    const routes = portalRoutes(test);
    assert.ok(routes.length >= 25, `portal routes found: ${routes.length}`);
    const params = new Set(routes.flatMap((route) => [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!)));
    params.delete('token'); // the invitation link, which is not a victim's id
    assert.deepEqual([...params].filter((param) => !(param in idFor)), []);
  });

  it('answers 404 to every page and action that names another victim’s record, and changes nothing', async () => {
    const routes = portalRoutes(test).filter((route) => /:(?!token)\w+/.test(route.path));
    const csrf = await csrfFor(test.app, mine.cookie, '/my-case/sign-out-everywhere');
    let walked = 0;
    for (const route of routes) {
      const url = route.path.replace(/:(\w+)/g, (_whole, name: string) => idFor[name]!());
      for (const method of route.methods.filter((item) => item === 'GET' || item === 'POST')) {
        const response =
          method === 'GET'
            ? await test.app.inject({ method: 'GET', url, headers: { cookie: mine.cookie } })
            : await test.app.inject({ method: 'POST', url, headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf.csrfToken, body: 'Hello', rating: '5', language: 'cy', organisationId: forceId, step: 'send', submissionKey: randomUUID(), idempotencyKey: randomUUID() }).toString() });
        assert.equal(response.statusCode, 404, `${method} ${route.path}`);
        assert.ok(!response.body.includes(theirs.givenName) && !response.body.includes(theirs.crimeReference), `${method} ${route.path} shows nothing of hers`);
        walked += 1;
      }
    }
    assert.ok(walked >= 14, `requests walked: ${walked}`);
    const consent = await test.database.db.selectFrom('consent').select('withdrawn_at').where('id', '=', theirs.consentId).executeTakeFirstOrThrow();
    assert.equal(consent.withdrawn_at, null);
    assert.equal((await test.database.db.selectFrom('case_message').select('id').where('case_id', '=', theirs.caseId).execute()).length, 0);
    assert.equal((await test.database.db.selectFrom('complaint').select('id').where('case_id', '=', theirs.caseId).execute()).length, 1);
    assert.equal((await test.database.db.selectFrom('victim_feedback').select('id').where('case_id', '=', theirs.caseId).execute()).length, 0);
    const person = await test.database.db.selectFrom('person').select('preferred_language').where('id', '=', theirs.personId).executeTakeFirstOrThrow();
    assert.notEqual(person.preferred_language, 'cy');
  });

  it('shows her own case, and leaves the other victim out of every list', async () => {
    const own = await test.app.inject({ method: 'GET', url: `/my-case/cases/${myCaseId}`, headers: { cookie: mine.cookie } });
    assert.equal(own.statusCode, 200, 'the walk would mean nothing if her own pages were refused too');
    const lists = portalRoutes(test).filter((route) => !route.path.includes(':') && route.methods.includes('GET') && !/sign-in|signed-out/.test(route.path));
    assert.ok(lists.length >= 6);
    for (const route of lists) {
      const response = await test.app.inject({ method: 'GET', url: route.path, headers: { cookie: mine.cookie } });
      assert.ok([200, 303].includes(response.statusCode), `${route.path}: ${response.statusCode}`);
      assert.ok(!response.body.includes(theirs.givenName) && !response.body.includes(theirs.crimeReference) && !response.body.includes(theirs.caseId), `${route.path} shows nothing of hers`);
    }
  });
});
