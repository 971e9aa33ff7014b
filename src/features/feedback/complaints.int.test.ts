// Complaints through the portal's pages, the staff's pages and the Code clock, on PGlite or PostgreSQL: the victim
// names an organisation on the case, checks and sends; the complaint is stored once per form with a staff-only event
// that starts a 10-working-day duty owned by the organisation named; that organisation (or the hub's supervisor)
// answers and the answer meets the duty, and only that complaint's; anyone else finds nothing. In English and Welsh.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInDelegate, signInVictim, type TestPortalUser } from '../../../test/support/portal.ts';
import { actorFor, createOrganisation, createStaffUser, csrfFor, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent, assignCoordinator } from '../cases/service.ts';
import { receiveReferral } from '../intake/service.ts';
import { runCodeClock } from '../obligations/service.ts';
import { answerComplaint, complaintChoices, getComplaintForStaff, listOpenComplaints, makeComplaint } from './complaint-service.ts';

const feed: Actor = { kind: 'system', label: 'police-api' };
// Any page with a form gives a CSRF token: its cookie is the browser's, not the session's.
const FORM_PAGE = '/sign-in';
let counter = 0;

describe('complaints', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let supervisor: TestStaffUser;
  let officer: TestStaffUser;
  let caseworker: TestStaffUser;
  let otherSupervisor: TestStaffUser;
  let force: { id: string; name: string };
  let provider: { id: string; name: string };
  let witnessCare: { id: string; name: string };
  let serviceId: string;

  /** A police referral with the force on the crime, the coordinator assigned, a referral sent to the provider and a charge. */
  async function newCase() {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, feed, {
        source: 'police_api',
        sourceReference: `CMP-${counter}-${randomUUID()}`,
        referringOrganisationId: force.id,
        areaId: coordinator.areaId,
        person: { givenName: 'Rowan', familyName: `Complaint${counter}${randomUUID().slice(0, 6)}`, dateOfBirth: '1979-04-04', phone: `07700 8${String(counter).padStart(5, '0')}` },
        crime: { crimeReference: `WY/${60000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const row = await test.database.db.selectFrom('victim_case').select(['person_id', 'crime_id']).where('id', '=', receipt.caseId).executeTakeFirstOrThrow();
    await test.database.db.updateTable('crime').set({ police_organisation_id: force.id }).where('id', '=', row.crime_id as string).execute();
    await assignCoordinator(test.database.db, actorFor(coordinator), receipt.caseId, coordinator.id);
    return { caseId: receipt.caseId, personId: row.person_id };
  }

  /** A referral already sent to the provider (a fixture write: the referral pages are tested in support-referrals). */
  async function referralSent(caseId: string, personId: string) {
    const { event } = await inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, feed, { caseId, kind: 'test_referral_sent', summary: 'Referred', source: 'staff', idempotencyKey: `test-referral:${randomUUID()}`, visibility: 'staff', occurredAt: new Date() }),
    );
    await test.database.db
      .insertInto('support_referral')
      .values({ case_id: caseId, person_id: personId, area_id: coordinator.areaId, service_id: serviceId, organisation_id: provider.id, status: 'sent', summary: 'Support', submission_key: randomUUID(), created_by_user_id: coordinator.id, sent_at: new Date(), sent_event_id: event.id })
      .execute();
  }

  const charged = (caseId: string) =>
    inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, feed, { caseId, kind: 'suspect_charged', summary: 'Charged', source: 'police_api', idempotencyKey: `charged:${caseId}`, visibility: 'victim', occurredAt: new Date() }),
    );

  const complaintDuties = (caseId: string) =>
    test.database.db.selectFrom('obligation').selectAll().where('case_id', '=', caseId).where('duty', '=', 'complaint_response').orderBy('triggered_at').execute();

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', organisationName: 'Wyvern Victim Hub' });
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor', organisationId: coordinator.organisationId });
    force = await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' });
    officer = await createStaffUser(test.database.db, { role: 'police_officer', organisationId: force.id });
    provider = await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Wyvern Women’s Aid' });
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: provider.id });
    witnessCare = await createOrganisation(test.database.db, { kind: 'witness_care', areaId: coordinator.areaId, name: 'Wyvern Witness Care' });
    otherSupervisor = await createStaffUser(test.database.db, { role: 'supervisor', organisationKind: 'hub' });
    serviceId = (
      await test.database.db.insertInto('organisation_service').values({ organisation_id: provider.id, name: 'Advocacy', category: 'advocacy', description: 'Help' }).returning('id').executeTakeFirstOrThrow()
    ).id;
  });
  after(() => test.close());

  it('offers the organisations on the case, checks, sends once, and tells the victim who replies within 10 working days', async () => {
    const { caseId, personId } = await newCase();
    const victim = await signInVictim(test.database.db, personId);
    assert.deepEqual((await complaintChoices(test.database.db, victim.actor, caseId)).organisations.map((o) => [o.name, o.part]), [
      ['Wyvern Constabulary', 'police'],
      ['Wyvern Victim Hub', 'hub'],
    ], 'no provider or witness care before they are involved');
    await referralSent(caseId, personId);
    await charged(caseId);
    assert.deepEqual((await complaintChoices(test.database.db, victim.actor, caseId)).organisations.map((o) => o.part), ['police', 'hub', 'provider', 'witness_care']);

    const url = `/my-case/cases/${caseId}/complaint`;
    const form = await test.app.inject({ method: 'GET', url, headers: { cookie: victim.cookie } });
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['cache-control'], 'no-store');
    for (const name of [force.name, 'Wyvern Victim Hub', provider.name, witnessCare.name]) assert.ok(form.body.includes(name.replace('’', '&#8217;')) || form.body.includes(name), name);
    assert.match(form.body, /data-maxlength="5000"/);
    assert.match(form.body, /<title>Make a complaint – Haven<\/title>/);
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    assert.ok(submissionKey);

    const empty = await postForm(test.app, url, victim.cookie, { step: 'check', submissionKey, body: ' ' }, FORM_PAGE);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Select who your complaint is about/);
    assert.match(empty.body, /Enter your complaint/);
    assert.ok(empty.body.includes(`value="${submissionKey}"`), 'the corrected form keeps its key');
    const foreign = await postForm(test.app, url, victim.cookie, { step: 'check', submissionKey, organisationId: otherSupervisor.organisationId, body: 'About someone else' }, FORM_PAGE);
    assert.equal(foreign.statusCode, 422, 'an organisation not on the case cannot be named');

    const body = 'Nobody told me the suspect had been released. <script>alert(1)</script>';
    const check = await postForm(test.app, url, victim.cookie, { step: 'check', submissionKey, organisationId: force.id, body }, FORM_PAGE);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check your complaint before sending it/);
    assert.ok(!check.body.includes('<script>alert(1)</script>'), 'the victim’s words are escaped');
    assert.equal(await test.database.db.selectFrom('complaint').select('id').where('case_id', '=', caseId).executeTakeFirst(), undefined, 'checking stores nothing');
    const change = await postForm(test.app, url, victim.cookie, { step: 'change', submissionKey, organisationId: force.id, body }, FORM_PAGE);
    assert.match(change.body, /Nobody told me the suspect had been released/);

    const sent = await postForm(test.app, url, victim.cookie, { step: 'send', submissionKey, organisationId: force.id, body }, FORM_PAGE);
    assert.equal(sent.statusCode, 303);
    const again = await postForm(test.app, url, victim.cookie, { step: 'send', submissionKey, organisationId: coordinator.organisationId, body: 'A second click' }, FORM_PAGE);
    assert.equal(again.headers.location, sent.headers.location, 'the same form sent twice makes one complaint');

    const complaints = await test.database.db.selectFrom('complaint').selectAll().where('case_id', '=', caseId).execute();
    assert.equal(complaints.length, 1);
    const complaint = complaints[0];
    assert.ok(complaint);
    assert.deepEqual([complaint.organisation_id, complaint.body, complaint.made_by_account_id, complaint.area_id], [force.id, body, victim.accountId, coordinator.areaId]);
    assert.equal(sent.headers.location, `${url}/${complaint.id}`);
    const events = await test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', 'complaint_received').execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'staff');
    assert.deepEqual(events[0]?.detail, { complaintId: complaint.id, organisationId: force.id });
    const audits = await test.database.db.selectFrom('audit_event').select(['detail']).where('action', '=', 'complaint.made').where('record_id', '=', caseId).execute();
    assert.equal(audits.length, 1);
    assert.ok(!JSON.stringify(audits).includes('released'), 'the audit trail never holds the complaint’s words');

    const confirmation = await test.app.inject({ method: 'GET', url: sent.headers.location ?? '', headers: { cookie: victim.cookie } });
    assert.equal(confirmation.statusCode, 200);
    assert.ok(confirmation.body.includes(complaint.id.slice(0, 8).toUpperCase()));
    assert.match(confirmation.body, /Wyvern Constabulary should reply to you within 10 working days\./);
  });

  it('starts a 10-working-day duty owned by the organisation named, which only its own answer meets', async () => {
    const { caseId, personId } = await newCase();
    const victim = await signInVictim(test.database.db, personId);
    // Thursday 19 November 2026: ten working days later is Thursday 3 December.
    const received = new Date('2026-11-19T10:00:00Z');
    const aboutPolice = await makeComplaint(test.database.db, victim.actor, caseId, { organisationId: force.id, body: 'Not kept informed', submissionKey: randomUUID() }, received);
    const aboutHub = await makeComplaint(test.database.db, victim.actor, caseId, { organisationId: coordinator.organisationId, body: 'Slow to call back', submissionKey: randomUUID() }, received);
    await runCodeClock(test.database.db, { settle: true });
    const duties = await complaintDuties(caseId);
    assert.equal(duties.length, 2);
    const police = duties.find((duty) => duty.owner_organisation_id === force.id);
    assert.ok(police, 'the police own the duty for the complaint about them');
    assert.equal(police.owner_kind, 'named_organisation');
    assert.equal(police.working_days, 10);
    assert.equal(police.due_at.toISOString(), '2026-12-03T23:59:59.999Z');
    assert.equal(police.state, 'open');
    assert.ok(duties.some((duty) => duty.owner_organisation_id === coordinator.organisationId));

    // The police see their complaint with its due date; the provider, another area's supervisor and a hub coordinator do not.
    assert.ok((await listOpenComplaints(test.database.db, actorFor(officer))).some((row) => row.id === aboutPolice.complaintId && row.dueAt?.toISOString() === '2026-12-03T23:59:59.999Z'));
    const supervisorSees = (await listOpenComplaints(test.database.db, actorFor(supervisor))).map((row) => row.id);
    assert.ok(supervisorSees.includes(aboutPolice.complaintId) && supervisorSees.includes(aboutHub.complaintId), 'the hub supervisor sees the area’s');
    for (const outsider of [caseworker, otherSupervisor, coordinator]) {
      assert.ok(!(await listOpenComplaints(test.database.db, actorFor(outsider))).some((row) => row.id === aboutPolice.complaintId));
      await assert.rejects(getComplaintForStaff(test.database.db, actorFor(outsider), aboutPolice.complaintId), NotFound);
      await assert.rejects(answerComplaint(test.database.db, actorFor(outsider), aboutPolice.complaintId, { answerSummary: 'We looked into it and apologised' }), NotFound);
    }
    const caseworkerCookie = await signIn(test.app, caseworker);
    const page = await test.app.inject({ method: 'GET', url: `/complaints/${aboutPolice.complaintId}/answer`, headers: { cookie: caseworkerCookie } });
    assert.equal(page.statusCode, 404);
    const csrf = await csrfFor(test.app, caseworkerCookie, '/complaints');
    const posted = await test.app.inject({
      method: 'POST', url: `/complaints/${aboutPolice.complaintId}/answer`, headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.csrfToken, answerSummary: 'Not ours to answer at all' }).toString(),
    });
    assert.equal(posted.statusCode, 404);

    // The officer answers through the pages.
    const officerCookie = await signIn(test.app, officer);
    const list = await test.app.inject({ method: 'GET', url: '/complaints', headers: { cookie: officerCookie } });
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(aboutPolice.complaintId.slice(0, 8).toUpperCase()));
    assert.ok(!list.body.includes('Slow to call back') && !list.body.includes('Not kept informed'), 'the list shows no complaint’s words');
    const answerPage = await test.app.inject({ method: 'GET', url: `/complaints/${aboutPolice.complaintId}/answer`, headers: { cookie: officerCookie } });
    assert.match(answerPage.body, /Not kept informed/);
    const tooShort = await postForm(test.app, `/complaints/${aboutPolice.complaintId}/answer`, officerCookie, { answerSummary: 'Sorry' }, '/complaints');
    assert.equal(tooShort.statusCode, 422);
    const answered = await postForm(test.app, `/complaints/${aboutPolice.complaintId}/answer`, officerCookie, { answerSummary: 'Called her, apologised, and set up weekly updates.' }, '/complaints');
    assert.equal(answered.statusCode, 303);
    await assert.rejects(answerComplaint(test.database.db, actorFor(officer), aboutPolice.complaintId, { answerSummary: 'A second answer, later on' }), Conflict);

    const row = await test.database.db.selectFrom('complaint').selectAll().where('id', '=', aboutPolice.complaintId).executeTakeFirstOrThrow();
    assert.equal(row.answered_by_user_id, officer.id);
    assert.equal(row.answer_summary, 'Called her, apologised, and set up weekly updates.');
    assert.ok(row.answered_at);
    await runCodeClock(test.database.db, { settle: true });
    const after = await complaintDuties(caseId);
    assert.deepEqual(after.map((duty) => [duty.owner_organisation_id, duty.state, duty.met_by_kind]).sort(), [
      [force.id, 'met', 'complaint_answered'],
      [coordinator.organisationId, 'open', null],
    ].sort(), 'the complaint about the hub is still open');
    assert.ok(!(await listOpenComplaints(test.database.db, actorFor(officer))).some((complaint) => complaint.id === aboutPolice.complaintId), 'an answered complaint leaves the list');
  });

  it('refuses a supporter (403) and another victim (404), and shows the pages in Welsh', async () => {
    const { caseId, personId } = await newCase();
    const supporter = await signInDelegate(test.database.db, { personId, relation: 'supporter', email: `complaint-supporter-${randomUUID()}@example.com`, grantedByUserId: coordinator.id });
    await assert.rejects(complaintChoices(test.database.db, supporter.actor, caseId), Forbidden);
    await assert.rejects(makeComplaint(test.database.db, supporter.actor, caseId, { organisationId: force.id, body: 'x', submissionKey: randomUUID() }), Forbidden);
    assert.equal((await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/complaint`, headers: { cookie: supporter.cookie } })).statusCode, 403);

    const stranger: TestPortalUser = await signInVictim(test.database.db, (await newCase()).personId);
    await assert.rejects(makeComplaint(test.database.db, stranger.actor, caseId, { organisationId: force.id, body: 'x', submissionKey: randomUUID() }), NotFound);
    assert.equal((await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/complaint`, headers: { cookie: stranger.cookie } })).statusCode, 404);
    const strangerPost = await postForm(test.app, `/my-case/cases/${caseId}/complaint`, stranger.cookie, { step: 'send', submissionKey: randomUUID(), organisationId: force.id, body: 'x' }, FORM_PAGE);
    assert.equal(strangerPost.statusCode, 404);
    assert.equal((await test.database.db.selectFrom('complaint').select('id').where('case_id', '=', caseId).execute()).length, 0);

    // The victim's own complaint confirmation is theirs alone: another victim, even one who guesses both ids, finds nothing.
    const victim = await signInVictim(test.database.db, personId);
    const made = await makeComplaint(test.database.db, victim.actor, caseId, { organisationId: force.id, body: 'Nobody called', submissionKey: randomUUID() });
    assert.equal((await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/complaint/${made.complaintId}`, headers: { cookie: stranger.cookie } })).statusCode, 404);
    assert.equal((await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/complaint/${randomUUID()}`, headers: { cookie: victim.cookie } })).statusCode, 404);

    const welsh = await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/complaint?lang=cy`, headers: { cookie: victim.cookie } });
    assert.equal(welsh.statusCode, 200);
    assert.match(welsh.body, /<html lang="cy"/);
    assert.match(welsh.body, /<title>Gwneud cwyn – Haven<\/title>/);
    assert.match(welsh.body, /Am bwy mae eich cwyn\?/);
    assert.match(welsh.body, /Gallwch roi hyd at 5000 nod/);
    assert.match(welsh.body, /data-i18n.characters-under-limit.other="Mae gennych %\{count\} nod ar ôl"/);
    const confirmation = await test.app.inject({ method: 'GET', url: `/my-case/cases/${caseId}/complaint/${made.complaintId}?lang=cy`, headers: { cookie: victim.cookie } });
    assert.match(confirmation.body, /Dylai Wyvern Constabulary ymateb i chi o fewn 10 diwrnod gwaith\./);
  });
});
