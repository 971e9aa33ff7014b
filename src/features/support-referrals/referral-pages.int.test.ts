// The hub's referral pages through the whole application (app.inject), on PGlite or PostgreSQL: the form refused with
// the GOV.UK error summary, a draft waiting for the victim's approval, approval then sending (on the case's timeline),
// no sending without consent in force, a supervisor's reasoned override of eligibility (and a coordinator refused),
// one referral however often the form is sent, messages to the provider, and other areas that see nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { caseReference } from '../cases/rules.ts';
import { receiveReferral } from '../intake/service.ts';
import { addNote, answerReferral, closeReferral, sendBack } from './provider-service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
const SUMMARY = 'Burglary at home last week. Nadia would like help with new locks and someone to talk to.';
let counter = 0;

describe('the hub’s referral pages', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let supervisor: TestStaffUser;
  let elsewhere: TestStaffUser;
  let caseworker: TestStaffUser;
  let cookie: string;
  let supervisorCookie: string;
  let elsewhereCookie: string;
  let forceId: string;
  let providerId: string;
  let serviceId: string;
  let childrenOnlyId: string;

  /** A burglary referred by the police in the coordinator's area, for an adult (so an under-18s service excludes it). */
  async function newCase() {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `REF-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Nadia', familyName: `Khan${counter}`, dateOfBirth: '1979-03-02' },
        crime: { crimeReference: `WY/${60000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    return receipt.caseId;
  }

  const get = (url: string, as = cookie) => test.app.inject({ method: 'GET', url, headers: { cookie: as } });
  const post = (url: string, fields: Record<string, string>, csrfFrom: string, as = cookie) => postForm(test.app, url, as, fields, csrfFrom);

  /** The victim's consent to share with the provider for a support referral, through the consent pages. */
  async function consent(caseId: string) {
    const form = await get(`/cases/${caseId}/consents/new`);
    const sent = await post(
      `/cases/${caseId}/consents`,
      { submissionKey: submissionKeyIn(form.body), recipientOrganisationId: providerId, purpose: 'support_referral', legalBasis: 'public_task', givenHow: 'verbal' },
      `/cases/${caseId}/consents/new`,
    );
    assert.equal(sent.statusCode, 303);
  }

  /** Opens the form for a service and sends it with these fields, under the form's own key unless one is given. */
  async function refer(caseId: string, fields: Record<string, string>, options: { service?: string; as?: string; submissionKey?: string } = {}) {
    const service = options.service ?? serviceId;
    const as = options.as ?? cookie;
    const formUrl = `/cases/${caseId}/referrals/new?service=${service}`;
    const form = await get(formUrl, as);
    assert.equal(form.statusCode, 200);
    return post(`/cases/${caseId}/referrals`, { submissionKey: options.submissionKey ?? submissionKeyIn(form.body), serviceId: service, ...fields }, formUrl, as);
  }

  const referralsOf = (caseId: string) => test.database.db.selectFrom('support_referral').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
  const referralIdIn = (location: unknown) => /\/referrals\/([0-9a-f-]{36})\?/.exec(String(location))?.[1] ?? '';

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    supervisor = await createStaffUser(test.database.db, { role: 'supervisor', displayName: 'Sid Supervisor', organisationId: coordinator.organisationId });
    elsewhere = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Olly Otherarea', organisationName: 'Another Hub' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safe Homes Support' })).id;
    const service = (name: string, values: Record<string, unknown>) =>
      test.database.db
        .insertInto('organisation_service')
        .values({ organisation_id: providerId, name, category: 'Support', description: `${name}.`, capacity: 3, specialism: 'general', ...values })
        .returning('id')
        .executeTakeFirstOrThrow();
    serviceId = (await service('Practical help after crime', {})).id;
    childrenOnlyId = (await service('Young people’s support', { specialism: 'young_victims', age_bands: ['child'] })).id;
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', displayName: 'Pat Provider', organisationId: providerId });
    cookie = await signIn(test.app, coordinator);
    supervisorCookie = await signIn(test.app, supervisor);
    elsewhereCookie = await signIn(test.app, elsewhere);
  });
  after(async () => {
    await test.close();
  });

  it('refuses an empty form with the GOV.UK error summary, keeps its key, and stores nothing', async () => {
    const caseId = await newCase();
    await consent(caseId);
    const form = await get(`/cases/${caseId}/referrals/new?service=${serviceId}`);
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['cache-control'], 'no-store');
    assert.equal(titleOf(form.body), `Refer to a support service: case ${caseReference(caseId)} – Haven`);
    assert.doesNotMatch(titleOf(form.body), /Nadia|Khan/, 'the title never names the victim');
    assert.match(form.body, /Practical help after crime[\s\S]*Safe Homes Support/);
    assert.match(form.body, /Write what happened and what the victim needs, in words the victim has agreed to\. The service will not ask them to tell their story again\./);
    assert.match(form.body, /value="not_yet"[\s\S]*Not yet: they will approve it later/);
    assert.doesNotMatch(form.body, /data-testid="no-sharing"/, 'consent is in force');
    assert.doesNotMatch(form.body, /name="overrideReason"/);
    const key = submissionKeyIn(form.body);

    const empty = await post(`/cases/${caseId}/referrals`, { submissionKey: key, serviceId, action: 'send' }, `/cases/${caseId}/referrals/new?service=${serviceId}`);
    assert.equal(empty.statusCode, 422);
    assert.equal(empty.headers['cache-control'], 'no-store');
    assert.match(titleOf(empty.body), /^Error: Refer to a support service/);
    assert.match(empty.body, /govuk-error-summary[\s\S]*href="#summary"[^>]*>Enter a summary of what happened and what the victim needs[\s\S]*href="#approvedHow"/);
    assert.equal(submissionKeyIn(empty.body), key, 'the key sent is kept');
    assert.equal((await referralsOf(caseId)).length, 0, 'nothing stored from an empty form');

    // What was typed is kept when only the approval is missing.
    const half = await post(`/cases/${caseId}/referrals`, { submissionKey: key, serviceId, summary: SUMMARY, action: 'send' }, `/cases/${caseId}/referrals/new?service=${serviceId}`);
    assert.equal(half.statusCode, 422);
    assert.match(half.body, /Nadia would like help with new locks/);
    assert.doesNotMatch(half.body, /href="#summary"/);
    assert.equal((await referralsOf(caseId)).length, 0);
  });

  it('saves a draft to be approved later, lists why it cannot be sent, then records approval, sends it and puts it on the timeline', async () => {
    const caseId = await newCase();
    await consent(caseId);
    const saved = await refer(caseId, { summary: SUMMARY, approvedHow: 'not_yet', action: 'draft' });
    assert.equal(saved.statusCode, 303);
    const referralId = referralIdIn(saved.headers.location);
    assert.equal(saved.headers.location, `/cases/${caseId}/referrals/${referralId}?done=drafted`);
    const [draft] = await referralsOf(caseId);
    assert.equal(draft?.status, 'draft');
    assert.equal(draft?.summary_approved_how, null);

    const url = `/cases/${caseId}/referrals/${referralId}`;
    const page = await get(`${url}?done=drafted`);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.doesNotMatch(titleOf(page.body), /Nadia|Khan/);
    assert.match(page.body, /Referral saved as a draft/);
    assert.match(page.body, /data-testid="status" data-status="draft"/);
    assert.match(page.body, /data-testid="blockers"[\s\S]*This referral cannot be sent yet[\s\S]*<li>The victim has not yet approved the summary<\/li>/);
    assert.match(page.body, /The victim has not approved this summary yet/);
    assert.match(page.body, new RegExp(`action="${url}/approve"`));

    // Sending before approval is refused on the page, and the draft stays.
    const early = await post(`${url}/send`, {}, url);
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /govuk-error-summary[\s\S]*href="#send"[^>]*>The victim has not yet approved the summary/);
    assert.equal((await referralsOf(caseId))[0]?.status, 'draft');

    const noChoice = await post(`${url}/approve`, {}, url);
    assert.equal(noChoice.statusCode, 422);
    assert.match(noChoice.body, /href="#approvedHow"[^>]*>Select how the victim approved the summary/);

    const approved = await post(`${url}/approve`, { approvedHow: 'phone' }, url);
    assert.equal(approved.statusCode, 303);
    assert.equal(approved.headers.location, `${url}?done=approved`);
    const afterApproval = await get(url);
    assert.doesNotMatch(afterApproval.body, /data-testid="blockers"/);
    assert.match(afterApproval.body, /The victim approved this summary on [^:]+: by phone\./);

    const sent = await post(`${url}/send`, {}, url);
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `${url}?done=sent`);
    const [row] = await referralsOf(caseId);
    assert.equal(row?.status, 'sent');
    const sentPage = await get(`${url}?done=sent`);
    assert.match(sentPage.body, /Referral sent/);
    assert.match(sentPage.body, /data-status="sent"[\s\S]*Waiting for an answer/);
    assert.match(sentPage.body, /Sent\s*<\/dt>[\s\S]*Answer due\s*<\/dt>/);
    assert.doesNotMatch(sentPage.body, /Cancel this draft/);
    assert.match(sentPage.body, /Messages with Safe Homes Support/);

    const timeline = await get(`/cases/${caseId}`);
    assert.match(timeline.body, /href="\/cases\/[^"]+\/referrals">Referrals<\/a>/, 'the case links to its referrals');
    assert.match(timeline.body, /data-testid="timeline"[\s\S]*We referred you to Practical help after crime/);

    const list = await get(`/cases/${caseId}/referrals`);
    assert.equal(list.statusCode, 200);
    assert.equal(list.headers['cache-control'], 'no-store');
    assert.equal(titleOf(list.body), `Referrals to support services: case ${caseReference(caseId)} – Haven`);
    assert.match(list.body, new RegExp(`data-testid="referral-${referralId}" data-status="sent"[\\s\\S]*href="${url}">Practical help after crime[\\s\\S]*Safe Homes Support[\\s\\S]*Waiting for an answer`));
    assert.match(list.body, new RegExp(`href="/cases/${caseId}/support-options">Find support services`));

    // A message to the provider, once however often it is sent.
    const messagePage = await get(url);
    const messageKey = submissionKeyIn(messagePage.body);
    const blank = await post(`${url}/messages`, { submissionKey: messageKey, body: ' ' }, url);
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /href="#body"[^>]*>Enter the note/);
    assert.equal(submissionKeyIn(blank.body), messageKey, 'the message key sent is kept');
    for (let i = 0; i < 2; i += 1) {
      const message = await post(`${url}/messages`, { submissionKey: messageKey, body: 'Nadia prefers a call after 5pm.' }, url);
      assert.equal(message.statusCode, 303);
      assert.equal(message.headers.location, `${url}?done=messaged`);
    }
    const notes = await test.database.db.selectFrom('support_referral_note').selectAll().where('referral_id', '=', referralId).execute();
    assert.equal(notes.length, 1, 'a message sent twice is stored once');
    assert.match((await get(url)).body, /data-testid="message" data-from="hub"[\s\S]*To Safe Homes Support[\s\S]*Nadia prefers a call after 5pm\./);
  });

  it('does not send without consent in force: the referral stays a draft with the reason, and the form says so', async () => {
    const caseId = await newCase();
    const form = await get(`/cases/${caseId}/referrals/new?service=${serviceId}`);
    assert.match(form.body, /data-testid="no-sharing"[\s\S]*There is no consent in force to share with this organisation for this purpose/);
    assert.match(form.body, new RegExp(`href="/cases/${caseId}/consents/new"`));

    const saved = await refer(caseId, { summary: SUMMARY, approvedHow: 'in_person', action: 'send' });
    assert.equal(saved.statusCode, 303);
    const referralId = referralIdIn(saved.headers.location);
    assert.equal(saved.headers.location, `/cases/${caseId}/referrals/${referralId}?done=not_sent`);
    assert.equal((await referralsOf(caseId))[0]?.status, 'draft');
    const url = `/cases/${caseId}/referrals/${referralId}`;
    const page = await get(`${url}?done=not_sent`);
    assert.match(page.body, /It cannot be sent yet/);
    assert.match(page.body, /data-testid="blockers"[\s\S]*<li>There is no consent in force to share with this organisation for this purpose<\/li>/);
    assert.doesNotMatch(page.body, new RegExp(`action="${url}/approve"`), 'already approved');
    const refused = await post(`${url}/send`, {}, url);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /href="#send"[^>]*>There is no consent in force/);
    assert.equal((await referralsOf(caseId))[0]?.status, 'draft');

    const cancelled = await post(`${url}/cancel`, {}, url);
    assert.equal(cancelled.statusCode, 303);
    assert.equal(cancelled.headers.location, `${url}?done=cancelled`);
    assert.equal((await referralsOf(caseId))[0]?.status, 'cancelled');
    const cancelEvents = await test.database.db.selectFrom('timeline_event').select('visibility').where('case_id', '=', caseId).where('kind', '=', 'service_referral_cancelled').execute();
    assert.deepEqual(cancelEvents, [{ visibility: 'staff' }]);
    const again = await post(`${url}/send`, {}, url);
    assert.equal(again.statusCode, 409, 'a cancelled draft cannot be sent');
  });

  it('refuses a coordinator a service whose eligibility excludes the case; a supervisor with a reason can send it', async () => {
    const caseId = await newCase();
    await consent(caseId);
    const formUrl = `/cases/${caseId}/referrals/new?service=${childrenOnlyId}`;
    const coordinatorForm = await get(formUrl);
    assert.match(coordinatorForm.body, /data-testid="excluded"[\s\S]*<li>Only for under-18s<\/li>/);
    assert.match(coordinatorForm.body, /data-testid="supervisor-only"/);
    assert.doesNotMatch(coordinatorForm.body, /name="overrideReason"/);
    // No form to type into and lose; a coordinator who sends one anyway is refused with the reason.
    assert.doesNotMatch(coordinatorForm.body, /name="summary"/);
    const refused = await refer(caseId, { summary: SUMMARY, approvedHow: 'phone', action: 'send', overrideReason: 'I think so' }, { service: childrenOnlyId, submissionKey: crypto.randomUUID() });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /href="#overrideReason"[^>]*>This service’s eligibility excludes the case\. Ask a hub supervisor to make this referral/);
    assert.equal((await referralsOf(caseId)).length, 0);

    const supervisorForm = await get(formUrl, supervisorCookie);
    assert.match(supervisorForm.body, /<label[^>]*for="overrideReason"[^>]*>\s*Why should this referral go ahead\?/);
    const noReason = await refer(caseId, { summary: SUMMARY, approvedHow: 'phone', action: 'send' }, { service: childrenOnlyId, as: supervisorCookie });
    assert.equal(noReason.statusCode, 422);
    assert.match(noReason.body, /href="#overrideReason"[^>]*>Enter why this referral should go ahead/);

    const sent = await refer(caseId, { summary: SUMMARY, approvedHow: 'phone', action: 'send', overrideReason: 'Nadia is 18 and already known to them.' }, { service: childrenOnlyId, as: supervisorCookie });
    assert.equal(sent.statusCode, 303);
    const referralId = referralIdIn(sent.headers.location);
    assert.equal(sent.headers.location, `/cases/${caseId}/referrals/${referralId}?done=sent`);
    const [row] = await referralsOf(caseId);
    assert.equal(row?.status, 'sent');
    assert.equal(row?.override_reason, 'Nadia is 18 and already known to them.');
    const page = await get(`/cases/${caseId}/referrals/${referralId}`);
    assert.match(page.body, /data-testid="override"[\s\S]*<li>Only for under-18s<\/li>[\s\S]*Why it went ahead: Nadia is 18 and already known to them\./);
  });

  it('shows what the provider did: their message, a case sent back with a link to the service they suggest, and an outcome with its measures', async () => {
    const caseId = await newCase();
    await consent(caseId);
    const first = referralIdIn((await refer(caseId, { summary: SUMMARY, approvedHow: 'phone', action: 'send' })).headers.location);
    const provider = actorFor(caseworker);
    await answerReferral(test.database.db, provider, first, { answer: 'accepted' });
    await addNote(test.database.db, provider, first, 'to_coordinator', { submissionKey: randomUUID(), body: 'We have tried twice.\nIs there a better number?' });
    await sendBack(test.database.db, provider, first, { returnReason: 'Nadia needs a counsellor rather than practical help.', onwardServiceId: childrenOnlyId });
    const url = `/cases/${caseId}/referrals/${first}`;
    const page = await get(url);
    assert.match(page.body, /data-status="returned"[\s\S]*Sent back/);
    assert.match(page.body, /Why it was sent back\s*<\/dt>\s*<dd[^>]*>\s*Nadia needs a counsellor rather than practical help\./);
    assert.match(page.body, new RegExp(`href="/cases/${caseId}/referrals/new\\?service=${childrenOnlyId}">Refer to Young people’s support</a>`));
    assert.match(page.body, /data-testid="message" data-from="provider"[\s\S]*From Safe Homes Support[\s\S]*<p class="govuk-body">We have tried twice\.<\/p><p class="govuk-body">Is there a better number\?<\/p>/);
    assert.doesNotMatch(page.body, new RegExp(`action="${url}/messages"`), 'no messages once the provider has given the case back');

    const second = referralIdIn((await refer(caseId, { summary: SUMMARY, approvedHow: 'phone', action: 'send' })).headers.location);
    await answerReferral(test.database.db, provider, second, { answer: 'accepted' });
    await closeReferral(test.database.db, provider, second, { outcome: 'engaged_completed', copingBefore: '2', copingAfter: '4', safetyBefore: '1', safetyAfter: '' });
    const closed = await get(`/cases/${caseId}/referrals/${second}`);
    assert.match(closed.body, /Outcome\s*<\/dt>\s*<dd[^>]*>\s*Engaged and completed/);
    assert.match(closed.body, /data-testid="measures"[\s\S]*Able to cope[\s\S]*2: a little[\s\S]*4: mostly[\s\S]*Feeling safe[\s\S]*1: not at all[\s\S]*Not answered/);
    const list = await get(`/cases/${caseId}/referrals`);
    assert.match(list.body, new RegExp(`data-testid="referral-${second}" data-status="closed"[\\s\\S]*Engaged and completed`));
    assert.match(list.body, new RegExp(`data-testid="referral-${first}" data-status="returned"[\\s\\S]*Sent back`));
  });

  it('makes one referral however often the same form is sent', async () => {
    const caseId = await newCase();
    await consent(caseId);
    const form = await get(`/cases/${caseId}/referrals/new?service=${serviceId}`);
    const key = submissionKeyIn(form.body);
    const first = await refer(caseId, { summary: SUMMARY, approvedHow: 'phone', action: 'send' }, { submissionKey: key });
    const second = await refer(caseId, { summary: SUMMARY, approvedHow: 'phone', action: 'send' }, { submissionKey: key });
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);
    assert.match(String(first.headers.location), /\?done=sent$/);
    assert.equal((await referralsOf(caseId)).length, 1);
    const sentEvents = await test.database.db.selectFrom('timeline_event').select('id').where('case_id', '=', caseId).where('kind', '=', 'service_referral_sent').execute();
    assert.equal(sentEvents.length, 1);
  });

  it('shows a coordinator of another area nothing: 404 for the case’s referrals, the form and a referral', async () => {
    const caseId = await newCase();
    await consent(caseId);
    const saved = await refer(caseId, { summary: SUMMARY, approvedHow: 'not_yet', action: 'draft' });
    const referralId = referralIdIn(saved.headers.location);
    for (const url of [`/cases/${caseId}/referrals`, `/cases/${caseId}/referrals/new?service=${serviceId}`, `/cases/${caseId}/referrals/${referralId}`]) {
      const seen = await get(url, elsewhereCookie);
      assert.equal(seen.statusCode, 404, url);
      assert.doesNotMatch(seen.body, /Nadia|Safe Homes/);
    }
    const approve = await post(`/cases/${caseId}/referrals/${referralId}/approve`, { approvedHow: 'phone' }, '/', elsewhereCookie);
    assert.equal(approve.statusCode, 404);
    assert.equal((await referralsOf(caseId))[0]?.summary_approved_how, null);
    // A referral id of another case, even in the same area, is not found under this case.
    const other = await newCase();
    assert.equal((await get(`/cases/${other}/referrals/${referralId}`)).statusCode, 404);
    assert.equal((await get(`/cases/${caseId}/referrals/not-an-id`)).statusCode, 404);
    assert.equal((await get(`/cases/${caseId}/referrals/new?service=${randomUUID()}`)).statusCode, 404);
  });
});
