// The portal's message threads through the whole application, on PGlite or PostgreSQL: the victim writes to the
// officer in charge, the officer reads and replies, the victim reads the reply (unread counts drop, staff see the read
// receipt); the hub's thread is its own; a provider's thread exists only with a live referral (and the provider
// writes only under consent); another victim's case is a 404 on every route; a supporter reads but cannot send; a
// double submit stores one message; a script in a message stays text; the pages speak Welsh; and a victim's message
// left unanswered past 2 working days raises one task for the thread's owner.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInDelegate, signInVictim, type TestPortalUser } from '../../../test/support/portal.ts';
import { createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { raiseOverdueReplyTasks, receiveVictimMessage, replyToVictim } from '../case-messages/service.ts';
import { REPLY_TASK_KIND, replyTaskKey } from '../case-messages/rules.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { receiveReferral } from '../intake/service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const DAY = 24 * 60 * 60 * 1000;
const keyIn = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const unreadOf = (html: string, party: string) => new RegExp(`data-thread="${party}" data-unread="(\\d+)"`).exec(html)?.[1];
let counter = 0;

describe('portal messages', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let officer: TestStaffUser;
  let caseworker: TestStaffUser;
  let otherCaseworker: TestStaffUser;
  let forceId: string;
  let providerId: string;
  let serviceId: string;

  /** A police referral for a new victim (unique name and phone, so no two are merged), officer in charge `officer`. */
  async function newCase() {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `PM-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: `Portia${counter}`, familyName: `Messenger${counter}`, dateOfBirth: '1985-03-03', phone: `07700 9${String(counter).padStart(5, '0')}` },
        crime: { crimeReference: `WY/${70000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const row = await test.database.db.selectFrom('victim_case').select(['crime_id', 'person_id']).where('id', '=', receipt.caseId).executeTakeFirstOrThrow();
    await test.database.db.updateTable('crime').set({ officer_user_id: officer.id, police_organisation_id: forceId }).where('id', '=', row.crime_id as string).execute();
    const victim = await signInVictim(test.database.db, row.person_id);
    return { caseId: receipt.caseId, personId: row.person_id, victim };
  }

  /** A referral to the provider, already sent (a fixture write: the referral pages are tested in support-referrals). */
  async function referTo(caseId: string, personId: string, status: 'accepted' | 'in_progress' = 'accepted') {
    const sent = await inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, police, { caseId, kind: 'service_referral_sent', summary: 'Referred', detail: {}, source: 'staff', idempotencyKey: `sent:${randomUUID()}`, visibility: 'staff', occurredAt: new Date() }),
    );
    return (
      await test.database.db
        .insertInto('support_referral')
        .values({ case_id: caseId, person_id: personId, area_id: coordinator.areaId, service_id: serviceId, organisation_id: providerId, status, summary: 'Support', created_by_user_id: coordinator.id, sent_at: new Date(), sent_event_id: sent.event.id, submission_key: randomUUID() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  const consentTo = (caseId: string, personId: string) =>
    test.database.db
      .insertInto('consent')
      .values({ person_id: personId, area_id: coordinator.areaId, case_id: caseId, recipient_organisation_id: providerId, purpose: 'support_referral', legal_basis: 'consent', given_how: 'verbal', submission_key: randomUUID() })
      .execute();

  const get = (url: string, cookie: string) => test.app.inject({ method: 'GET', url, headers: { cookie } });
  const threadUrl = (caseId: string, party: string) => `/my-case/cases/${caseId}/messages/${party}`;
  /** Sends from the portal's form as a browser would: the page's own key unless one is given. */
  async function send(user: TestPortalUser, caseId: string, party: string, body: string, key?: string) {
    const page = await get(threadUrl(caseId, party), user.cookie);
    return postForm(test.app, threadUrl(caseId, party), user.cookie, { body, idempotencyKey: key ?? keyIn(page.body) }, threadUrl(caseId, party));
  }
  const messagesOf = (caseId: string) => test.database.db.selectFrom('case_message').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' })).id;
    officer = await createStaffUser(test.database.db, { role: 'police_officer', displayName: 'PC Ellis', organisationId: forceId });
    providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Kind Support' })).id;
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', displayName: 'Kim Caseworker', organisationId: providerId });
    const otherProviderId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Other Support' })).id;
    otherCaseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: otherProviderId });
    serviceId = (
      await test.database.db.insertInto('organisation_service').values({ organisation_id: providerId, name: 'Emotional support', category: 'emotional', description: 'Listening' }).returning('id').executeTakeFirstOrThrow()
    ).id;
  });
  after(() => test.close());

  it('the victim writes to the officer, the officer replies, the victim reads it, unread counts drop and staff see the receipt', async () => {
    const { caseId, victim } = await newCase();
    const page = await get(threadUrl(caseId, 'police'), victim.cookie);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(titleOf(page.body), 'Messages with the police – Haven');
    assert.match(page.body, /What you write here may be shared with the police, the prosecutor and the court/);
    assert.match(page.body, /data-module="govuk-character-count"[\s\S]*data-maxlength="2000"/);
    assert.match(keyIn(page.body), /^[0-9a-f-]{36}$/);

    const sent = await send(victim, caseId, 'police', 'Has he been charged?');
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `${threadUrl(caseId, 'police')}?done=sent#messages`);
    const [stored] = await messagesOf(caseId);
    assert.equal(stored?.party, 'police');
    assert.equal(stored?.direction, 'from_victim');

    const officerCookie = await signIn(test.app, officer);
    const officerPage = await get(`/my-victims/${caseId}`, officerCookie);
    assert.match(officerPage.body, /Has he been charged\?/);
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(officerPage.body)?.[1] ?? '';
    const replied = await postForm(test.app, `/my-victims/${caseId}/messages`, officerCookie, { body: 'Not yet.\nI will tell you as soon as he is.', submissionKey }, `/my-victims/${caseId}`);
    assert.equal(replied.statusCode, 303);
    const reply = (await messagesOf(caseId)).find((row) => row.direction === 'to_victim');
    assert.equal(reply?.party, 'police', 'the officer writes in the police thread');
    const events = await test.database.db.selectFrom('timeline_event').select(['detail', 'visibility']).where('case_id', '=', caseId).where('kind', '=', 'message_to_victim').execute();
    assert.deepEqual(events, [{ detail: { notifyVictim: 'message', messageId: reply?.id }, visibility: 'victim' }], 'the victim is told there is a message, never what it says');

    const overview = await get('/my-case/messages', victim.cookie);
    assert.equal(overview.statusCode, 200);
    assert.equal(unreadOf(overview.body, 'police'), '1');
    assert.equal(unreadOf(overview.body, 'hub'), '0');
    assert.match(overview.body, /1 unread/);
    const casePage = await get(`/my-case/cases/${caseId}/messages`, victim.cookie);
    assert.equal(unreadOf(casePage.body, 'police'), '1');

    const reading = await get(threadUrl(caseId, 'police'), victim.cookie);
    assert.match(reading.body, /<p class="govuk-body" data-testid="message-line">Not yet\.<\/p>\s*<p class="govuk-body" data-testid="message-line">I will tell you as soon as he is\.<\/p>/, 'a paragraph per line');
    assert.match(reading.body, /From PC Ellis/);
    assert.equal(unreadOf((await get('/my-case/messages', victim.cookie)).body, 'police'), '0', 'reading the thread clears its unread count');
    const audits = await test.database.db.selectFrom('audit_event').select('detail').where('action', '=', 'case_message.thread_viewed_by_victim').where('record_id', '=', caseId).execute();
    assert.ok(audits.some((row) => (row.detail as { markedRead: number }).markedRead === 1), 'the read is audited');

    const receipt = await get(`/my-victims/${caseId}`, officerCookie);
    assert.match(receipt.body, /Read by the victim/);
  });

  it('the hub’s thread is separate from the police’s: each side sees its own, and the hub may read the police’s', async () => {
    const { caseId, victim } = await newCase();
    await send(victim, caseId, 'police', 'For the officer');
    await send(victim, caseId, 'hub', 'For the coordinator');
    const rows = await messagesOf(caseId);
    assert.deepEqual(rows.map((row) => row.party).sort(), ['hub', 'police']);

    const hubCookie = await signIn(test.app, coordinator);
    const hubPage = await get(`/cases/${caseId}/messages`, hubCookie);
    assert.match(hubPage.body, /For the coordinator/);
    assert.doesNotMatch(hubPage.body, /For the officer/);
    assert.match(hubPage.body, /data-thread="police"/, 'the hub can choose the police thread');
    const policeThread = await get(`/cases/${caseId}/messages?thread=police`, hubCookie);
    assert.match(policeThread.body, /For the officer/);
    assert.match(policeThread.body, /data-testid="read-only-thread"/);
    assert.doesNotMatch(policeThread.body, /name="submissionKey"/);
    const officerMessage = (await messagesOf(caseId)).find((row) => row.party === 'police');
    assert.equal(officerMessage?.read_at, null, 'the hub reading the police thread leaves the officer’s receipt alone');

    const hubKey = /name="submissionKey" value="([^"]+)"/.exec(hubPage.body)?.[1] ?? '';
    await postForm(test.app, `/cases/${caseId}/messages`, hubCookie, { body: 'From the hub', submissionKey: hubKey }, `/cases/${caseId}/messages`);
    assert.equal((await messagesOf(caseId)).find((row) => row.direction === 'to_victim')?.party, 'hub');

    const officerPage = await get(`/my-victims/${caseId}`, await signIn(test.app, officer));
    assert.match(officerPage.body, /For the officer/);
    assert.doesNotMatch(officerPage.body, /For the coordinator|From the hub/);
    const hubThread = await get(threadUrl(caseId, 'hub'), victim.cookie);
    assert.match(hubThread.body, /From the hub/);
    assert.doesNotMatch(hubThread.body, /For the officer/);
  });

  it('a provider’s thread exists only while its referral is live, and the provider writes only under consent', async () => {
    const { caseId, personId, victim } = await newCase();
    const providerThread = `provider-${providerId}`;
    assert.equal((await get(threadUrl(caseId, providerThread), victim.cookie)).statusCode, 404, 'no referral, no thread');
    const referralId = await referTo(caseId, personId, 'accepted');
    const list = await get(`/my-case/cases/${caseId}/messages`, victim.cookie);
    assert.match(list.body, new RegExp(`data-thread="${providerThread}"`));
    assert.match(list.body, /Support service: Kind Support/);
    const thread = await get(threadUrl(caseId, providerThread), victim.cookie);
    assert.equal(titleOf(thread.body), 'Messages with a support service – Haven', 'the title never names the service');
    assert.equal((await send(victim, caseId, providerThread, 'Can we meet on Tuesday?')).statusCode, 303);
    const stored = (await messagesOf(caseId)).find((row) => row.party === 'provider');
    assert.equal(stored?.organisation_id, providerId);

    const pageUrl = `/team-inbox/referrals/${referralId}/victim-messages`;
    const workerCookie = await signIn(test.app, caseworker);
    assert.equal((await get(pageUrl, workerCookie)).statusCode, 404, 'no consent in force, no thread for the provider');
    await consentTo(caseId, personId);
    const workerPage = await get(pageUrl, workerCookie);
    assert.equal(workerPage.statusCode, 200);
    assert.match(workerPage.body, /Can we meet on Tuesday\?/);
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(workerPage.body)?.[1] ?? '';
    assert.equal((await postForm(test.app, pageUrl, workerCookie, { body: 'Tuesday at 10 is fine', submissionKey }, pageUrl)).statusCode, 303);
    const reply = (await messagesOf(caseId)).find((row) => row.direction === 'to_victim');
    assert.deepEqual([reply?.party, reply?.organisation_id], ['provider', providerId]);
    assert.equal((await test.database.db.selectFrom('timeline_event').select('id').where('case_id', '=', caseId).where('kind', '=', 'message_to_victim').execute()).length, 1);
    assert.equal((await get(pageUrl, await signIn(test.app, otherCaseworker))).statusCode, 404, 'another provider finds nothing');
    await assert.rejects(replyToVictim(test.database.db, { kind: 'staff', staff: { userId: otherCaseworker.id, email: '', displayName: '', role: 'provider_caseworker', organisationId: otherCaseworker.organisationId, organisationName: '', areaId: otherCaseworker.areaId } }, caseId, { body: 'Hi', submissionKey: randomUUID() }));

    await test.database.db.updateTable('support_referral').set({ status: 'closed', outcome: 'engaged_completed', closed_at: new Date() }).where('id', '=', referralId).execute();
    const closed = await get(threadUrl(caseId, providerThread), victim.cookie);
    assert.equal(closed.statusCode, 200, 'the old messages can still be read');
    assert.match(closed.body, /Tuesday at 10 is fine/);
    assert.match(closed.body, /data-testid="closed"/);
    assert.doesNotMatch(closed.body, /data-testid="send-form"/);
    assert.equal((await send(victim, caseId, providerThread, 'Hello?', randomUUID())).statusCode, 404);
    assert.equal((await get(pageUrl, workerCookie)).statusCode, 404, 'nor may the provider write once it has closed');
  });

  it('another victim’s case, a made-up id and a bad party are 404 on every route, and the refusal is audited', async () => {
    const mine = await newCase();
    const theirs = await newCase();
    await send(theirs.victim, theirs.caseId, 'police', 'Private words');
    for (const caseId of [theirs.caseId, randomUUID(), 'not-a-uuid']) {
      assert.equal((await get(`/my-case/cases/${caseId}/messages`, mine.victim.cookie)).statusCode, 404);
      for (const party of ['police', 'hub', `provider-${providerId}`]) {
        const page = await get(threadUrl(caseId, party), mine.victim.cookie);
        assert.equal(page.statusCode, 404);
        assert.doesNotMatch(page.body, /Private words/);
        const post = await postForm(test.app, threadUrl(caseId, party), mine.victim.cookie, { body: 'Intruding', idempotencyKey: randomUUID() }, '/my-case/messages');
        assert.equal(post.statusCode, 404);
      }
    }
    assert.equal((await get(threadUrl(mine.caseId, 'provider-nope'), mine.victim.cookie)).statusCode, 404);
    assert.equal((await get(threadUrl(mine.caseId, 'probation'), mine.victim.cookie)).statusCode, 404);
    assert.equal((await messagesOf(theirs.caseId)).length, 1, 'nothing was written to their case');
    const refused = await test.database.db.selectFrom('audit_event').select('record_id').where('action', '=', 'portal.access_refused').where('record_id', '=', theirs.caseId).execute();
    assert.ok(refused.length >= 7);
    assert.ok(!(await get('/my-case/messages', mine.victim.cookie)).body.includes(theirs.caseId), 'their case is not listed');
    const signedOut = await test.app.inject({ method: 'GET', url: '/my-case/messages' });
    assert.equal(signedOut.statusCode, 303);
  });

  it('a supporter reads the threads but has no send form, a post from them is 403, and their reading sets no receipt', async () => {
    const { caseId, personId } = await newCase();
    await replyToVictim(test.database.db, { kind: 'staff', staff: { userId: coordinator.id, email: '', displayName: 'Cara', role: 'coordinator', organisationId: coordinator.organisationId, organisationName: '', areaId: coordinator.areaId } }, caseId, { body: 'Hello from the hub', submissionKey: randomUUID() });
    const supporter = await signInDelegate(test.database.db, { personId, relation: 'supporter', email: `supporter${counter}@example.com`, grantedByUserId: coordinator.id });
    const list = await get('/my-case/messages', supporter.cookie);
    assert.match(list.body, new RegExp(`data-case-id="${caseId}"`));
    const page = await get(threadUrl(caseId, 'hub'), supporter.cookie);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Hello from the hub/);
    assert.match(page.body, /data-testid="read-only"/);
    assert.doesNotMatch(page.body, /data-testid="send-form"|name="idempotencyKey"/);
    const post = await postForm(test.app, threadUrl(caseId, 'hub'), supporter.cookie, { body: 'From a supporter', idempotencyKey: randomUUID() }, threadUrl(caseId, 'hub'));
    assert.equal(post.statusCode, 403);
    const rows = await messagesOf(caseId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.read_at, null, 'a supporter’s reading is not the victim’s');
    await assert.rejects(receiveVictimMessage(test.database.db, supporter.actor, caseId, 'hub', { body: 'x', idempotencyKey: 'k' }), /supporter/);
  });

  it('a double submit stores one message, and a bad one comes back with the error summary and the same key', async () => {
    const { caseId, victim } = await newCase();
    const page = await get(threadUrl(caseId, 'hub'), victim.cookie);
    const key = keyIn(page.body);
    const empty = await postForm(test.app, threadUrl(caseId, 'hub'), victim.cookie, { body: '   ', idempotencyKey: key }, threadUrl(caseId, 'hub'));
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary[\s\S]*href="#body">Enter a message/);
    assert.equal(keyIn(empty.body), key, 'the corrected form keeps its key');
    const long = await postForm(test.app, threadUrl(caseId, 'hub'), victim.cookie, { body: 'x'.repeat(2001), idempotencyKey: key }, threadUrl(caseId, 'hub'));
    assert.match(long.body, /Message must be 2,000 characters or fewer/);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const sent = await postForm(test.app, threadUrl(caseId, 'hub'), victim.cookie, { body: 'Only once please', idempotencyKey: key }, threadUrl(caseId, 'hub'));
      assert.equal(sent.statusCode, 303);
    }
    assert.equal((await messagesOf(caseId)).length, 1);
    assert.equal((await test.database.db.selectFrom('timeline_event').select('id').where('case_id', '=', caseId).where('kind', '=', 'message_from_victim').execute()).length, 1);
  });

  it('shows a script or an image sent as a message as text, on the victim’s page and the staff’s', async () => {
    const { caseId, victim } = await newCase();
    const payload = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    assert.equal((await send(victim, caseId, 'hub', payload)).statusCode, 303);
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
    for (const page of [await get(threadUrl(caseId, 'hub'), victim.cookie), await get(`/cases/${caseId}/messages`, await signIn(test.app, coordinator))]) {
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(escaped), 'the words are shown, escaped');
      assert.doesNotMatch(page.body, /<script>alert\(1\)|<img src=x|onerror=alert\(1\)>/);
    }
  });

  it('speaks Welsh', async () => {
    const { caseId, victim } = await newCase();
    const page = await get(`${threadUrl(caseId, 'police')}?lang=cy`, victim.cookie);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="cy"/);
    assert.equal(titleOf(page.body), 'Negeseuon gyda’r heddlu – Haven');
    assert.match(page.body, /Gall yr hyn rydych yn ei ysgrifennu yma gael ei rannu gyda’r heddlu, yr erlynydd a’r llys/);
    assert.match(page.body, /Anfon neges/);
    assert.match(page.body, /Gallwch roi hyd at %\{count\} o nodau|Gallwch roi hyd at 2000 o nodau/);
    const overview = await get('/my-case/messages?lang=cy', victim.cookie);
    assert.equal(titleOf(overview.body), 'Negeseuon – Haven');
    assert.match(overview.body, /Swyddog yr heddlu sy’n gyfrifol/);
    assert.doesNotMatch(overview.body, /Police officer in charge/);
  });

  it('raises one task for the thread’s owner when a victim’s message has no reply within 2 working days', async () => {
    const { caseId, victim } = await newCase();
    const answered = await newCase();
    await send(victim, caseId, 'hub', 'Is anyone there?');
    await send(victim, caseId, 'hub', 'Hello?');
    await send(victim, caseId, 'police', 'Officer?');
    await send(answered.victim, answered.caseId, 'hub', 'A question');
    await replyToVictim(test.database.db, { kind: 'staff', staff: { userId: coordinator.id, email: '', displayName: 'Cara', role: 'coordinator', organisationId: coordinator.organisationId, organisationName: '', areaId: coordinator.areaId } }, answered.caseId, { body: 'An answer', submissionKey: randomUUID() });
    const tasksOf = (id: string) => test.database.db.selectFrom('case_task').selectAll().where('case_id', '=', id).where('idempotency_key', 'like', 'message_reply_overdue:%').execute();

    await raiseOverdueReplyTasks(test.database.db, new Date());
    assert.equal((await tasksOf(caseId)).length, 0, 'nothing is late yet');
    const late = new Date(Date.now() + 10 * DAY);
    await raiseOverdueReplyTasks(test.database.db, late);
    await raiseOverdueReplyTasks(test.database.db, late);
    const tasks = await tasksOf(caseId);
    assert.equal(tasks.length, 2, 'one per thread, however often the job runs and however many messages wait');
    const first = (await messagesOf(caseId)).find((row) => row.party === 'hub');
    const hubTask = tasks.find((task) => task.idempotency_key === replyTaskKey(first!.id));
    assert.equal(hubTask?.owning_organisation_id, coordinator.organisationId, 'the hub’s thread is the hub’s to answer');
    assert.equal(hubTask?.kind, REPLY_TASK_KIND);
    assert.match(hubTask?.title ?? '', /Reply to the victim/);
    assert.ok(hubTask?.due_at && hubTask.due_at.getTime() < late.getTime());
    assert.equal(tasks.find((task) => task !== hubTask)?.owning_organisation_id, forceId, 'the police thread is the force’s');
    assert.equal((await tasksOf(answered.caseId)).length, 0, 'an answered thread raises nothing');
  });
});
