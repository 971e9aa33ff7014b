// The coordinator's pages through the whole application: triage (assign and take), "My cases" with filters and sort,
// search by each key with its audit, the case page with safe contact and timeline, and the contact log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser, postForm as postFormAs } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { createPerson, type PersonInput } from '../people/service.ts';
import { findOrCreateCrime, openCase } from './service.ts';
import { caseReference } from './rules.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };
let counter = 0;

const postForm = (app: FastifyInstance, url: string, cookie: string, fields: Record<string, string | string[]>, csrfFrom = '/cases') => postFormAs(app, url, cookie, fields, csrfFrom);

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';

describe('coordinator pages', () => {
  let test: TestApp;
  let supervisor: TestStaffUser;
  let coordinator: TestStaffUser;
  let colleague: TestStaffUser;
  let areaId: string;
  let cookies: { supervisor: string; coordinator: string };

  async function referral(person: Partial<PersonInput> = {}, crime: { reference?: string; group?: string } | null = {}) {
    return inTransaction(test.database.db, async (trx) => {
      const created = await createPerson(trx, feed, { areaId, givenName: 'Alex', familyName: 'Morgan', ...person });
      const found = crime
        ? (
            await findOrCreateCrime(trx, feed, {
              areaId,
              crimeReference: crime.reference ?? `CR/${++counter}/26`,
              offenceCode: '28/1',
              offenceCategory: 'Burglary',
              offenceGroup: crime.group ?? 'Burglary',
              officerInCharge: 'PC Dana Reed',
            })
          ).crime
        : null;
      const opened = await openCase(trx, feed, { personId: created.id, crimeId: found?.id ?? null, role: 'victim', source: crime ? 'police_api' : 'self_referral' });
      return { person: created, caseId: opened.case.id };
    });
  }

  before(async () => {
    test = await createTestApp();
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor', displayName: 'Sue Supervisor' });
    areaId = supervisor.areaId;
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationId: supervisor.organisationId });
    colleague = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cole Colleague', organisationId: supervisor.organisationId });
    cookies = { supervisor: await signIn(test.app, supervisor), coordinator: await signIn(test.app, coordinator) };
  });
  after(async () => {
    await test.close();
  });

  it('lists new unassigned cases oldest first; a supervisor assigns and a coordinator takes a case', async () => {
    const first = await referral({ givenName: 'Triage', familyName: 'First' });
    const second = await referral({ givenName: 'Triage', familyName: 'Second' });
    const page = await test.app.inject({ method: 'GET', url: '/triage', headers: { cookie: cookies.coordinator } });
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), 'Triage – Haven');
    assert.ok(page.body.indexOf('Triage First') < page.body.indexOf('Triage Second'));
    assert.match(page.body, /Police referral/);
    assert.match(page.body, /Take this case/);
    assert.match(page.body, /href="\/triage"/);

    const supervisorPage = await test.app.inject({ method: 'GET', url: '/triage', headers: { cookie: cookies.supervisor } });
    assert.match(supervisorPage.body, /Cole Colleague/);
    const missing = await postForm(test.app, `/triage/${first.caseId}/assign`, cookies.supervisor, { coordinator: '' }, '/triage');
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /govuk-error-summary/);
    const assigned = await postForm(test.app, `/triage/${first.caseId}/assign`, cookies.supervisor, { coordinator: colleague.id }, '/triage');
    assert.equal(assigned.statusCode, 303);
    assert.equal(assigned.headers.location, '/triage?done=assigned');

    // A coordinator cannot take a colleague's case, but can take an unassigned one.
    const clash = await postForm(test.app, `/triage/${first.caseId}/assign`, cookies.coordinator, {}, '/triage');
    assert.equal(clash.statusCode, 409);
    const taken = await postForm(test.app, `/triage/${second.caseId}/assign`, cookies.coordinator, {}, '/triage');
    assert.equal(taken.headers.location, '/triage?done=taken');
    const after = await test.app.inject({ method: 'GET', url: '/triage?done=taken', headers: { cookie: cookies.coordinator } });
    assert.match(after.body, /You are now the coordinator/);
    assert.doesNotMatch(after.body, /Triage First|Triage Second/);
    const row = await test.database.db.selectFrom('victim_case').select('coordinator_user_id').where('id', '=', second.caseId).executeTakeFirstOrThrow();
    assert.equal(row.coordinator_user_id, coordinator.id);
    const casePage = await test.app.inject({ method: 'GET', url: `/cases/${first.caseId}`, headers: { cookie: cookies.coordinator } });
    assert.match(casePage.body, /Coordinator: <strong>Cole Colleague<\/strong>/);
  });

  it('refuses other roles, hides other areas, and refuses coordinators outside a hub', async () => {
    const { caseId } = await referral();
    const officer = await createStaffUser(test.database.db, { role: 'police_officer' });
    const officerCookie = await signIn(test.app, officer);
    for (const url of ['/triage', '/cases', `/cases/${caseId}`]) {
      const page = await test.app.inject({ method: 'GET', url, headers: { cookie: officerCookie } });
      assert.equal(page.statusCode, 403, url);
    }
    const elsewhere = await createStaffUser(test.database.db, { role: 'coordinator' });
    const elsewhereCookie = await signIn(test.app, elsewhere);
    const hidden = await test.app.inject({ method: 'GET', url: `/cases/${caseId}`, headers: { cookie: elsewhereCookie } });
    assert.equal(hidden.statusCode, 404);
    const take = await postForm(test.app, `/triage/${caseId}/assign`, elsewhereCookie, {}, '/triage');
    assert.equal(take.statusCode, 404);
    const provider = await createOrganisation(test.database.db, { kind: 'provider', areaId });
    const notHub = await createStaffUser(test.database.db, { role: 'coordinator', organisationId: provider.id });
    const notHubCookie = await signIn(test.app, notHub);
    const refused = await test.app.inject({ method: 'GET', url: '/triage', headers: { cookie: notHubCookie } });
    assert.equal(refused.statusCode, 403);
  });

  it('shows my cases with filters and server-side sort, and all hub cases to a supervisor', async () => {
    const a = await referral({ givenName: 'Zoe', familyName: 'Adams' }, { group: 'Violence' });
    const b = await referral({ givenName: 'Amy', familyName: 'Baker' }, { group: 'Burglary' });
    for (const { caseId } of [a, b]) await postForm(test.app, `/triage/${caseId}/assign`, cookies.coordinator, {}, '/triage');
    const list = await test.app.inject({ method: 'GET', url: '/cases', headers: { cookie: cookies.coordinator } });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /moj-filter/);
    assert.match(list.body, /data-module="moj-sortable-table"/);
    assert.match(list.body, /Zoe Adams/);
    assert.doesNotMatch(list.body, /Code duty overdue/);
    const byGroup = await test.app.inject({ method: 'GET', url: '/cases?group=Violence', headers: { cookie: cookies.coordinator } });
    assert.match(byGroup.body, /Zoe Adams/);
    assert.doesNotMatch(byGroup.body, /Amy Baker/);
    const bogus = await test.app.inject({ method: 'GET', url: '/cases?group=Alex%20Morgan&status=nonsense', headers: { cookie: cookies.coordinator } });
    assert.equal(bogus.statusCode, 200);
    assert.match(bogus.body, /Amy Baker/);
    const byStatus = await test.app.inject({ method: 'GET', url: '/cases?status=closed', headers: { cookie: cookies.coordinator } });
    assert.match(byStatus.body, /No cases match/);
    const overdue = await test.app.inject({ method: 'GET', url: '/cases?flag=overdue', headers: { cookie: cookies.coordinator } });
    assert.match(overdue.body, /No case has an overdue Code duty/);
    const bySource = await test.app.inject({ method: 'GET', url: '/cases?source=self_referral', headers: { cookie: cookies.coordinator } });
    assert.doesNotMatch(bySource.body, /Zoe Adams/);
    const asc = await test.app.inject({ method: 'GET', url: '/cases?sort=name&order=asc', headers: { cookie: cookies.coordinator } });
    assert.ok(asc.body.indexOf('Amy Baker') < asc.body.indexOf('Zoe Adams'));
    assert.match(asc.body, /aria-sort="ascending"><a class="govuk-link" href="\/cases\?sort=name&amp;order=desc"/);
    const desc = await test.app.inject({ method: 'GET', url: '/cases?sort=name&order=desc', headers: { cookie: cookies.coordinator } });
    assert.ok(desc.body.indexOf('Amy Baker') > desc.body.indexOf('Zoe Adams'));
    const mineForSupervisor = await test.app.inject({ method: 'GET', url: '/cases', headers: { cookie: cookies.supervisor } });
    assert.doesNotMatch(mineForSupervisor.body, /Zoe Adams/);
    const all = await test.app.inject({ method: 'GET', url: '/cases?scope=all', headers: { cookie: cookies.supervisor } });
    assert.match(all.body, /Zoe Adams/);
    assert.match(all.body, /Cara Coordinator/);
  });

  it('searches by name, crime reference, date of birth, phone and postcode, by POST, auditing counts only', async () => {
    const { caseId } = await referral(
      { givenName: 'Siân', familyName: 'O’Brien', dateOfBirth: '1990-07-04', phone: '07700 900123', postcode: 'sw1a 1aa' },
      { reference: 'CR/777/26' },
    );
    const reference = caseReference(caseId);
    for (const term of ['sian obrien', 'OBrien', 'cr/777/26', '4/7/1990', '04 July 1990', '+44 7700 900123', '07700900123', 'SW1A1AA']) {
      const page = await postForm(test.app, '/cases/search', cookies.coordinator, { term }, '/cases/search');
      assert.equal(page.statusCode, 200, term);
      assert.ok(page.body.includes(reference), term);
    }
    const none = await postForm(test.app, '/cases/search', cookies.coordinator, { term: 'Zzyzx Qwerty' }, '/cases/search');
    assert.match(none.body, /0 cases found/);
    const empty = await postForm(test.app, '/cases/search', cookies.coordinator, { term: '' }, '/cases/search');
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    const audits = await test.database.db.selectFrom('audit_event').select(['detail']).where('action', '=', 'case.searched').execute();
    assert.ok(audits.length >= 9);
    const details = JSON.stringify(audits.map((row) => row.detail));
    assert.match(details, /resultCount/);
    assert.doesNotMatch(details, /Brien|1990|7700|SW1A|777/i);
  });

  it('shows the case page with person, safe contact, crime, linked cases and the timeline', async () => {
    const { person, caseId } = await referral(
      { givenName: 'Rhea', familyName: 'Safe', phone: '07700 900456', communicationNeeds: 'Needs large print', safeContact: { channels: ['phone', 'email'], voicemailSafe: false, safeTimes: 'Weekdays 10 to 2', codeWord: 'bluebird' } },
    );
    const other = await inTransaction(test.database.db, (trx) => openCase(trx, feed, { personId: person.id, crimeId: null, role: 'victim', source: 'self_referral' }));
    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}`, headers: { cookie: cookies.coordinator } });
    assert.equal(page.statusCode, 200);
    assert.equal(titleOf(page.body), `Case ${caseReference(caseId)} – Haven`);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /Do not text/);
    assert.match(page.body, /govuk-warning-text/);
    assert.match(page.body, /Weekdays 10 to 2/);
    assert.match(page.body, /Needs large print/);
    assert.match(page.body, /Set: ask for it/);
    assert.doesNotMatch(page.body, /bluebird/);
    assert.match(page.body, /PC Dana Reed/);
    assert.ok(page.body.includes(caseReference(other.case.id)));
    assert.match(page.body, /moj-timeline/);
    assert.match(page.body, /Referral received/);
    assert.match(page.body, /Visible to victim/);
    const viewed = await test.database.db.selectFrom('audit_event').select('id').where('action', '=', 'case.viewed').where('record_id', '=', caseId).execute();
    assert.equal(viewed.length, 1);
  });

  it('logs contact on the staff timeline, moves a new case to contacted, and warns about forbidden channels', async () => {
    const { caseId } = await referral({ givenName: 'Tess', familyName: 'Text', phone: '07700 900789', safeContact: { channels: ['phone'], voicemailSafe: false } });
    const now = new Date();
    const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(now);
    const part = (type: string) => london.find((item) => item.type === type)?.value ?? '';
    const when = { day: part('day'), month: part('month'), year: part('year'), time: '00:01' };
    const url = `/cases/${caseId}/contact`;
    const form = `/cases/${caseId}/contact/new`;
    const blank = await postForm(test.app, url, cookies.coordinator, {}, form);
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /Select how the contact was made/);

    const text = await postForm(test.app, url, cookies.coordinator, { channel: 'sms', direction: 'outbound', outcome: 'successful', ...when }, form);
    assert.equal(text.statusCode, 422);
    assert.match(text.body, /do not text them/);
    assert.match(text.body, /Confirm that this contact was safe/);
    const voicemail = await postForm(test.app, url, cookies.coordinator, { channel: 'phone', direction: 'outbound', outcome: 'voicemail_left', ...when }, form);
    assert.equal(voicemail.statusCode, 422);
    assert.match(voicemail.body, /do not leave a voicemail/);

    const noAnswer = await postForm(test.app, url, cookies.coordinator, { channel: 'phone', direction: 'outbound', outcome: 'no_answer', ...when, notes: 'Rang twice' }, form);
    assert.equal(noAnswer.statusCode, 303);
    assert.equal(noAnswer.headers.location, `/cases/${caseId}?done=contact-logged`);
    const reached = await postForm(test.app, url, cookies.coordinator, { channel: 'phone', direction: 'outbound', outcome: 'successful', ...when }, form);
    assert.equal(reached.headers.location, `/cases/${caseId}?done=contact-logged-contacted`);
    const overridden = await postForm(test.app, url, cookies.coordinator, { channel: 'sms', direction: 'outbound', outcome: 'successful', ...when, confirmUnsafe: 'yes' }, form);
    assert.equal(overridden.statusCode, 303);

    const status = await test.database.db.selectFrom('victim_case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(status.status, 'contacted');
    const entries = await test.database.db.selectFrom('contact_log').selectAll().where('case_id', '=', caseId).execute();
    assert.equal(entries.length, 3);
    assert.deepEqual(entries.map((entry) => entry.overrode_safe_contact).sort(), [false, false, true]);
    const events = await test.database.db.selectFrom('timeline_event').select(['kind', 'visibility', 'idempotency_key']).where('case_id', '=', caseId).execute();
    const contactEvents = events.filter((event) => event.kind === 'contact_logged');
    assert.equal(contactEvents.length, 3);
    assert.ok(contactEvents.every((event) => event.visibility === 'staff' && event.idempotency_key.startsWith('contact_log:')));
    assert.equal(events.filter((event) => event.kind === 'status_changed').length, 1);
    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}?done=contact-logged-contacted`, headers: { cookie: cookies.coordinator } });
    assert.match(page.body, /The case is now contacted/);
    assert.match(page.body, /Rang twice/);
    assert.match(page.body, /Staff only/);
    assert.match(page.body, /Against safe-contact profile/);
  });
});
