// The staff pages for case updates through inject(): the officer of a crime chooses a template, sees the update as the
// victim will read it in English and Welsh, and publishes it once however often the form is sent; bad input is shown
// with the error summary; another force's officer gets 404; the hub reviews what waits in its queue.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { basicAuthorization } from '../../platform/auth/api-credentials.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { createApiClient } from '../api-clients/service.ts';

let serial = 0;

describe('case update pages', () => {
  let testApp: TestApp;
  let officer: TestStaffUser;
  let otherOfficer: TestStaffUser;
  let coordinator: TestStaffUser;
  let referrals: string;
  let events: string;

  before(async () => {
    testApp = await createTestApp();
    const { db } = testApp.database;
    const force = await createOrganisation(db, { kind: 'police', name: 'Pages Constabulary Test' });
    const hub = await createOrganisation(db, { kind: 'hub', name: 'Pages Hub Test', areaId: force.areaId });
    const otherForce = await createOrganisation(db, { kind: 'police', name: 'Other Pages Constabulary' });
    officer = await createStaffUser(db, { role: 'police_officer', organisationId: force.id });
    otherOfficer = await createStaffUser(db, { role: 'police_officer', organisationId: otherForce.id });
    coordinator = await createStaffUser(db, { role: 'coordinator', organisationId: hub.id });
    const client = await createApiClient(db, systemActor('test'), { organisation: force.name, name: 'Records', scopes: ['referrals:write', 'events:write'] });
    referrals = basicAuthorization(client.clientId, client.secret);
    events = referrals;
  });
  after(() => testApp.close());

  async function caseWithCrime(preferredLanguage = 'cy'): Promise<{ caseId: string; crimeReference: string }> {
    const crimeReference = `PG/${(Date.now() % 1_000_000) * 100 + ++serial}/26`;
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: referrals },
      payload: {
        policeReference: `PGREF-${++serial}-${Date.now().toString(36)}`,
        victim: { givenName: 'Ffion', familyName: `Pages${serial}`, preferredLanguage },
        role: 'victim',
        crime: { crimeReference, offenceCode: '8N', offenceCategory: 'Violence against the person' },
        consent: { support: 'not_asked' },
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return { caseId: response.json<{ referralId: string }>().referralId, crimeReference };
  }

  test('the officer previews the update in English and Welsh, then publishes it once', async () => {
    const { caseId } = await caseWithCrime();
    const cookie = await signIn(testApp.app, officer);
    const templates = await testApp.app.inject({ method: 'GET', url: `/case-updates/${caseId}/new`, headers: { cookie } });
    assert.equal(templates.statusCode, 200, templates.body);
    assert.match(templates.body, /Suspect released on bail/);
    assert.doesNotMatch(templates.body, /value="sentence"/, 'the police do not post court outcomes');
    assert.doesNotMatch(templates.body, /Ffion/, 'the page carries references, not names');
    const form = await testApp.app.inject({ method: 'GET', url: `/case-updates/${caseId}/new?type=no_further_action`, headers: { cookie } });
    assert.equal(form.statusCode, 200);
    const formUrl = `/case-updates/${caseId}/new?type=no_further_action`;

    const empty = await postForm(testApp.app, `/case-updates/${caseId}/preview`, cookie, { type: 'no_further_action', reason: '' }, formUrl);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /Enter why no further action will be taken/);

    const preview = await postForm(testApp.app, `/case-updates/${caseId}/preview`, cookie, { type: 'no_further_action', reason: 'There is not enough evidence to charge', personalNote: 'I will call you tomorrow.' }, formUrl);
    assert.equal(preview.statusCode, 200, preview.body);
    assert.match(preview.body, /The police will take no further action/);
    assert.match(preview.body, /Ni fydd yr heddlu yn gweithredu ymhellach/);
    assert.match(preview.body, /Victims’ Right to Review/);
    assert.match(preview.body, /I will call you tomorrow/);
    assert.match(preview.body, /reads it in Welsh/);
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(preview.body)?.[1] ?? '';
    const publish = { type: 'no_further_action', reason: 'There is not enough evidence to charge', personalNote: 'I will call you tomorrow.', submissionKey };
    const published = await postForm(testApp.app, `/case-updates/${caseId}`, cookie, publish, formUrl);
    assert.equal(published.statusCode, 303, published.body);
    assert.equal(published.headers.location, `/case-updates/${caseId}/new?published=1`);
    const again = await postForm(testApp.app, `/case-updates/${caseId}`, cookie, publish, formUrl);
    assert.equal(again.statusCode, 303);
    const rows = await testApp.database.db.selectFrom('timeline_event').select(['kind', 'visibility', 'detail']).where('case_id', '=', caseId).where('kind', '=', 'no_further_action').execute();
    assert.equal(rows.length, 1, 'sending the form twice publishes once');
    assert.equal(rows[0]?.visibility, 'victim');
    assert.equal(rows[0]?.detail.personalNote, 'I will call you tomorrow.');
    assert.equal(rows[0]?.detail.notifyVictim, 'update');
    const done = await testApp.app.inject({ method: 'GET', url: published.headers.location, headers: { cookie } });
    assert.match(done.body, /Update published/);
  });

  test('a hearing is entered as a date and time, checked, and changed from the preview', async () => {
    const { caseId } = await caseWithCrime('en');
    const cookie = await signIn(testApp.app, coordinator);
    const formUrl = `/case-updates/${caseId}/new?type=hearing_listed`;
    const bad = await postForm(testApp.app, `/case-updates/${caseId}/preview`, cookie, { type: 'hearing_listed', 'hearingAt-day': '31', 'hearingAt-month': '2', 'hearingAt-year': '2027', 'hearingAt-time': '10am', courtName: '', hearingType: 'trial' }, formUrl);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /must be a real date/);
    assert.match(bad.body, /Enter court/);
    const fields = { type: 'hearing_listed', 'hearingAt-day': '12', 'hearingAt-month': '1', 'hearingAt-year': '2027', 'hearingAt-time': '10am', courtName: 'Wyvern Crown Court', hearingType: 'trial' };
    const preview = await postForm(testApp.app, `/case-updates/${caseId}/preview`, cookie, fields, formUrl);
    assert.equal(preview.statusCode, 200, preview.body);
    assert.match(preview.body, /Tuesday 12 January 2027 at 10am/);
    assert.match(preview.body, /name="hearingAt" value="2027-01-12T10:00:00.000Z"/);
    const change = await postForm(testApp.app, `/case-updates/${caseId}/change`, cookie, { type: 'hearing_listed', hearingAt: '2027-01-12T10:00:00.000Z', courtName: 'Wyvern Crown Court', hearingType: 'trial' }, formUrl);
    assert.equal(change.statusCode, 200);
    assert.match(change.body, /name="hearingAt-day" type="text"[^>]*value="12"|value="12"/);
    assert.match(change.body, /value="10:00"/);
  });

  test('an officer of another force, and a guessed id, get 404', async () => {
    const { caseId } = await caseWithCrime();
    const cookie = await signIn(testApp.app, otherOfficer);
    assert.equal((await testApp.app.inject({ method: 'GET', url: `/case-updates/${caseId}/new`, headers: { cookie } })).statusCode, 404);
    assert.equal((await testApp.app.inject({ method: 'GET', url: '/case-updates/00000000-0000-4000-8000-000000000000/new', headers: { cookie } })).statusCode, 404);
    assert.equal((await testApp.app.inject({ method: 'GET', url: '/case-updates/not-an-id/new', headers: { cookie } })).statusCode, 404);
  });

  test('the hub sees what waits for review and sets it aside with a reason', async () => {
    const sent = await testApp.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: events }, payload: { sourceEventId: `PG-EV-${++serial}-${Date.now()}`, type: 'suspect_charged', crimeReference: 'PG/404/26', occurredAt: '2026-11-05T09:00:00Z' } });
    assert.equal(sent.statusCode, 202);
    const id = sent.json<{ id: string }>().id;
    const cookie = await signIn(testApp.app, coordinator);
    const queue = await testApp.app.inject({ method: 'GET', url: '/case-updates/review', headers: { cookie } });
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, new RegExp(`/case-updates/review/${id}`));
    const page = `/case-updates/review/${id}`;
    const noReason = await postForm(testApp.app, `${page}/dismiss`, cookie, { reason: '' }, page);
    assert.equal(noReason.statusCode, 422);
    assert.match(noReason.body, /Say why this update is set aside/);
    const dismissed = await postForm(testApp.app, `${page}/dismiss`, cookie, { reason: 'Sent to the wrong force' }, page);
    assert.equal(dismissed.statusCode, 303);
    const officerCookie = await signIn(testApp.app, officer);
    assert.equal((await testApp.app.inject({ method: 'GET', url: '/case-updates/review', headers: { cookie: officerCookie } })).statusCode, 403);
  });
});
