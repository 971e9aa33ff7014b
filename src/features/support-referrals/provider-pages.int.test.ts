// The provider's referral pages through the whole application (app.inject), on PGlite or PostgreSQL: a referral the hub
// sent arrives in the team inbox with the victim's name; it is declined wrongly (GOV.UK errors), accepted, allocated
// by a supervisor, seen in "My clients", started, logged, messaged about and closed with its measures. Another
// provider sees none of it. After a consent withdrawal the provider sees only that the referral closed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { referralReference } from './rules.ts';
import { createReferral } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string, action: string) =>
  new RegExp(`action="[^"]*/${action}"[^>]*>[\\s\\S]*?name="submissionKey" value="([^"]+)"`).exec(html)?.[1] ?? '';
let counter = 0;

describe('the provider’s referral pages', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let hubSupervisor: TestStaffUser;
  let supervisor: TestStaffUser;
  let caseworker: TestStaffUser;
  let outsider: TestStaffUser;
  let forceId: string;
  let providerId: string;
  let serviceId: string;
  const cookies = new Map<string, string>();

  const cookieOf = async (user: TestStaffUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(test.app, user));
    return cookies.get(user.id)!;
  };
  const get = async (url: string, as: TestStaffUser) => test.app.inject({ method: 'GET', url, headers: { cookie: await cookieOf(as) } });
  const post = async (url: string, fields: Record<string, string>, csrfFrom: string, as: TestStaffUser) => postForm(test.app, url, await cookieOf(as), fields, csrfFrom);
  const referralRow = (id: string) => test.database.db.selectFrom('support_referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const notesOf = (id: string) => test.database.db.selectFrom('support_referral_note').selectAll().where('referral_id', '=', id).orderBy('created_at').execute();

  /** A police referral in the hub's area, a support-referral consent to the provider, and a referral sent to it. */
  async function sentReferral(givenName: string): Promise<{ caseId: string; referralId: string; name: string }> {
    counter += 1;
    const name = `${givenName} Okafor${counter}`;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `PRV-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName, familyName: `Okafor${counter}`, dateOfBirth: '1985-06-14' },
        crime: { crimeReference: `WY/${90000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const caseId = receipt.caseId;
    await test.database.db.updateTable('victim_case').set({ coordinator_user_id: coordinator.id }).where('id', '=', caseId).execute();
    const form = await get(`/cases/${caseId}/consents/new`, coordinator);
    const consent = await post(
      `/cases/${caseId}/consents`,
      { submissionKey: /name="submissionKey" value="([^"]+)"/.exec(form.body)?.[1] ?? '', recipientOrganisationId: providerId, purpose: 'support_referral', legalBasis: 'public_task', givenHow: 'verbal' },
      `/cases/${caseId}/consents/new`,
      coordinator,
    );
    assert.equal(consent.statusCode, 303, 'consent recorded');
    const made = await createReferral(test.database.db, actorFor(coordinator), caseId, {
      submissionKey: randomUUID(),
      serviceId,
      summary: 'Burglary while she was at work. She would like help with fitting new locks and someone to talk to.',
      approvedHow: 'phone',
      action: 'send',
    });
    assert.equal(made.sent, true, 'the referral was sent');
    return { caseId, referralId: made.referralId, name };
  }

  before(async () => {
    test = await createTestApp();
    const db = test.database.db;
    coordinator = await createStaffUser(db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    hubSupervisor = await createStaffUser(db, { role: 'supervisor', displayName: 'Hana Hub', organisationId: coordinator.organisationId });
    forceId = (await createOrganisation(db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    providerId = (await createOrganisation(db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safe Homes Housing' })).id;
    serviceId = (
      await db
        .insertInto('organisation_service')
        .values({ organisation_id: providerId, name: 'Home security', category: 'Practical', description: 'New locks and a safety check at home.' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    supervisor = await createStaffUser(db, { role: 'supervisor', displayName: 'Sunita Supervisor', organisationId: providerId });
    caseworker = await createStaffUser(db, { role: 'provider_caseworker', displayName: 'Kofi Caseworker', organisationId: providerId });
    const otherProvider = await createOrganisation(db, { kind: 'provider', areaId: coordinator.areaId, name: 'Another Charity' });
    outsider = await createStaffUser(db, { role: 'provider_caseworker', displayName: 'Olu Outsider', organisationId: otherProvider.id });
  });
  after(async () => {
    await test.close();
  });

  it('takes a referral from the inbox through answer, allocation, support, notes and closing, and shows another provider nothing', async () => {
    const { referralId, name } = await sentReferral('Grace');
    const reference = referralReference(referralId);
    const page = `/team-inbox/referrals/${referralId}`;

    const inbox = await get('/team-inbox', caseworker);
    assert.equal(inbox.statusCode, 200);
    assert.equal(inbox.headers['cache-control'], 'no-store');
    assert.equal(titleOf(inbox.body), 'Team inbox – Haven');
    assert.match(inbox.body, new RegExp(`href="${page}">${reference}</a>[\\s\\S]*${name}[\\s\\S]*Home security[\\s\\S]*Waiting for an answer[\\s\\S]*Not allocated`));
    assert.match(inbox.body, /govuk-service-navigation__link" href="\/team-inbox"[^>]*>[\s\S]{0,160}?Team inbox</, 'the service navigation has Team inbox');
    assert.match(inbox.body, /govuk-service-navigation__link" href="\/my-clients"[^>]*>\s*My clients/);
    assert.match(inbox.body, /aria-current="page" href="\/team-inbox">All open/);
    assert.match((await get('/team-inbox?view=unallocated', caseworker)).body, new RegExp(reference));
    assert.match((await get('/my-clients', caseworker)).body, /No referrals are allocated to you at the moment/);

    // The hub's supervisor shares a role name with the provider's, but not the provider's pages.
    const hubHome = await get('/', hubSupervisor);
    assert.doesNotMatch(hubHome.body, /href="\/team-inbox"/);
    assert.doesNotMatch(hubHome.body, /href="\/my-clients"/);
    assert.equal((await get('/team-inbox', hubSupervisor)).statusCode, 403);
    assert.equal((await get('/team-inbox', coordinator)).statusCode, 403);

    const shown = await get(page, caseworker);
    assert.equal(shown.statusCode, 200);
    assert.equal(shown.headers['cache-control'], 'no-store');
    assert.equal(titleOf(shown.body), `Referral ${reference} – Haven`, 'the title names the referral, never the victim');
    assert.match(shown.body, new RegExp(name));
    assert.match(shown.body, /14 June 1985|1985-06-14/);
    assert.match(shown.body, /fitting new locks/);
    assert.match(shown.body, /The victim approved this summary on .+: by phone\./);
    assert.match(shown.body, /Cara Coordinator/);
    assert.match(shown.body, /Can you offer this victim support\?/);
    assert.match(shown.body, /If you are declining, why\?/);
    assert.doesNotMatch(shown.body, /data-aria-controls|govuk-radios__conditional/, 'no conditional reveals');
    assert.doesNotMatch(shown.body, /action="[^"]*\/allocate"/, 'a caseworker does not allocate');

    const decline = await post(`${page}/answer`, { answer: 'declined', declineReason: '' }, page, caseworker);
    assert.equal(decline.statusCode, 422);
    assert.match(titleOf(decline.body), /^Error: Referral /);
    assert.match(decline.body, /govuk-error-summary[\s\S]*href="#declineReason"[^>]*>Enter why you are declining the referral/);
    assert.match(decline.body, /value="declined" checked/, 'the answer chosen is kept');
    assert.equal((await referralRow(referralId)).status, 'sent', 'nothing stored from a bad answer');
    const none = await post(`${page}/answer`, {}, page, caseworker);
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /href="#answer"[^>]*>Select whether you accept the referral/);

    const accepted = await post(`${page}/answer`, { answer: 'accepted', declineReason: '' }, page, caseworker);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, `${page}?done=accepted`);
    assert.equal((await referralRow(referralId)).status, 'accepted');
    assert.match((await get(`${page}?done=accepted`, caseworker)).body, /govuk-notification-banner--success[\s\S]*Referral accepted/);

    // Another provider's caseworker: the page and every step are not found, and nothing changes.
    assert.equal((await get(page, outsider)).statusCode, 404);
    for (const step of ['answer', 'allocate', 'start', 'progress', 'messages', 'close', 'send-back']) {
      const refused = await post(`${page}/${step}`, { answer: 'declined', declineReason: 'x', userId: outsider.id, body: 'x', submissionKey: randomUUID(), outcome: 'moved_on', returnReason: 'x' }, '/team-inbox', outsider);
      assert.equal(refused.statusCode, 404, step);
    }
    assert.doesNotMatch((await get('/team-inbox', outsider)).body, new RegExp(reference));
    assert.equal((await referralRow(referralId)).status, 'accepted');

    // Allocating is for the provider's supervisors.
    assert.equal((await post(`${page}/allocate`, { userId: caseworker.id }, page, caseworker)).statusCode, 403);
    const badPick = await post(`${page}/allocate`, { userId: outsider.id }, page, supervisor);
    assert.equal(badPick.statusCode, 422);
    assert.match(badPick.body, /href="#userId"[^>]*>Select who in your team will work with the victim/);
    const allocated = await post(`${page}/allocate`, { userId: caseworker.id }, page, supervisor);
    assert.equal(allocated.statusCode, 303);
    assert.equal(allocated.headers.location, `${page}?done=allocated`);
    assert.equal((await referralRow(referralId)).allocated_to_user_id, caseworker.id);
    const mine = await get('/my-clients', caseworker);
    assert.equal(titleOf(mine.body), 'My clients – Haven');
    assert.match(mine.body, new RegExp(`${reference}[\\s\\S]*${name}[\\s\\S]*Kofi Caseworker`));
    assert.doesNotMatch((await get('/team-inbox?view=unallocated', caseworker)).body, new RegExp(reference));

    const started = await post(`${page}/start`, {}, page, caseworker);
    assert.equal(started.statusCode, 303);
    assert.equal((await referralRow(referralId)).status, 'in_progress');

    const working = await get(page, caseworker);
    const progressKey = submissionKeyIn(working.body, 'progress');
    const messageKey = submissionKeyIn(working.body, 'messages');
    assert.ok(progressKey && messageKey && progressKey !== messageKey, 'each note form has its own key');
    const emptyNote = await post(`${page}/progress`, { submissionKey: progressKey, body: '' }, page, caseworker);
    assert.equal(emptyNote.statusCode, 422);
    assert.match(emptyNote.body, /href="#progressBody"[^>]*>Enter the note/);
    assert.equal(submissionKeyIn(emptyNote.body, 'progress'), progressKey, 'the corrected form keeps its key');
    for (let sent = 0; sent < 2; sent += 1) {
      const logged = await post(`${page}/progress`, { submissionKey: progressKey, body: 'First visit done; locks ordered.' }, page, caseworker);
      assert.equal(logged.statusCode, 303);
      assert.equal(logged.headers.location, `${page}?done=progress`);
    }
    const messaged = await post(`${page}/messages`, { submissionKey: messageKey, body: 'Could you confirm her safe times?' }, page, caseworker);
    assert.equal(messaged.statusCode, 303);
    const notes = await notesOf(referralId);
    assert.deepEqual(notes.map((note) => note.kind), ['progress', 'to_coordinator'], 'a note sent twice is kept once');
    const logged = await get(`${page}?done=message`, caseworker);
    assert.match(logged.body, /Message sent to the coordinator/);
    assert.match(logged.body, /data-testid="progress-notes"[\s\S]*First visit done; locks ordered\./);
    assert.match(logged.body, /data-testid="messages-thread"[\s\S]*To the coordinator: Kofi Caseworker, Safe Homes Housing[\s\S]*Could you confirm her safe times\?/);

    const badClose = await post(`${page}/close`, { outcome: '', copingBefore: '9' }, page, caseworker);
    assert.equal(badClose.statusCode, 422);
    assert.match(badClose.body, /href="#outcome"[^>]*>Select the outcome of the support[\s\S]*href="#copingBefore"/);
    const closed = await post(`${page}/close`, { outcome: 'engaged_completed', closeNote: 'Locks fitted', copingBefore: '2', copingAfter: '4', safetyBefore: '1', safetyAfter: '' }, page, caseworker);
    assert.equal(closed.statusCode, 303);
    assert.equal(closed.headers.location, '/team-inbox?done=closed');
    const row = await referralRow(referralId);
    assert.equal(row.status, 'closed');
    assert.equal(row.outcome, 'engaged_completed');
    assert.deepEqual([row.coping_before, row.coping_after, row.safety_before, row.safety_after], [2, 4, 1, null]);
    const afterClose = await get('/team-inbox?done=closed', caseworker);
    assert.match(afterClose.body, /Referral closed/);
    assert.doesNotMatch(afterClose.body, new RegExp(`href="${page}"`), 'a closed referral leaves the inbox');
  });

  it('after a consent withdrawal shows only that the referral closed, and the inbox says so by reference', async () => {
    const { caseId, referralId, name } = await sentReferral('Amara');
    const reference = referralReference(referralId);
    const page = `/team-inbox/referrals/${referralId}`;
    assert.match((await get(page, caseworker)).body, new RegExp(name));

    const consent = await test.database.db.selectFrom('consent').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const withdrawUrl = `/cases/${caseId}/consents/${consent.id}/withdraw`;
    assert.equal((await post(withdrawUrl, { how: 'verbal' }, withdrawUrl, coordinator)).statusCode, 303);
    assert.equal((await referralRow(referralId)).outcome, 'consent_withdrawn', 'the withdrawal closed the referral');

    const closed = await get(page, caseworker);
    assert.equal(closed.statusCode, 200);
    assert.equal(closed.headers['cache-control'], 'no-store');
    assert.match(closed.body, new RegExp(`Referral ${reference} is closed`));
    assert.match(closed.body, /The victim withdrew their consent to share information with you, so you can no longer see their details\./);
    assert.doesNotMatch(closed.body, new RegExp(`Amara|Okafor|fitting new locks|1985`), 'nothing about the victim');
    assert.doesNotMatch(closed.body, /<form method="post" action="\/team-inbox/, 'no steps');
    for (const step of ['start', 'progress', 'messages', 'close', 'send-back']) {
      assert.equal((await post(`${page}/${step}`, { body: 'x', submissionKey: randomUUID(), outcome: 'moved_on', returnReason: 'x' }, '/team-inbox', caseworker)).statusCode, 404, step);
    }

    const inbox = await get('/team-inbox', caseworker);
    assert.match(inbox.body, /data-testid="closed-by-withdrawal"[\s\S]*Referrals closed because the victim withdrew consent[\s\S]*You can no longer see these cases\. The record of what you saw before is kept\./);
    assert.match(inbox.body, new RegExp(`${reference}, Home security, closed `));
    assert.doesNotMatch(inbox.body, /Amara/);
    assert.doesNotMatch(inbox.body, new RegExp(`href="${page}"`));
  });
});
