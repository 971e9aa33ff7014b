// Messages on a case through the service and the hub's page, on PGlite or PostgreSQL: a reply puts a victim-visible
// "new message" event on the timeline that asks for a notification and never holds the words; a message from the
// victim goes on the staff-only timeline; replays add nothing; reading sets the read receipts; and only the hub and
// the police of the crime may read or write, anyone else (another force, a provider, a guessed id) finding nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { signInVictim } from '../../../test/support/portal.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { caseReference } from '../cases/rules.ts';
import { receiveReferral } from '../intake/service.ts';
import { getThread, readThreadForVictim, receiveVictimMessage, replyToVictim } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
let counter = 0;

describe('messages on a case', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let officer: TestStaffUser;
  let otherForceOfficer: TestStaffUser;
  let caseworker: TestStaffUser;
  let witnessCare: TestStaffUser;
  let forceId: string;

  /** A police referral on a new crime, whose officer in charge is `officer` (a fixture write until updates set it). */
  async function newCase(options: { officerUserId?: string | null } = {}) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `MSG-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Mira', familyName: `Message${counter}`, dateOfBirth: '1980-02-02' },
        crime: { crimeReference: `WY/${80000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const victimCase = await test.database.db.selectFrom('victim_case').select('crime_id').where('id', '=', receipt.caseId).executeTakeFirstOrThrow();
    await test.database.db
      .updateTable('crime')
      .set({ officer_user_id: options.officerUserId === undefined ? officer.id : options.officerUserId, police_organisation_id: forceId })
      .where('id', '=', victimCase.crime_id as string)
      .execute();
    return receipt.caseId;
  }

  /** The case's victim, signed in to the portal: the actor their messages come from. */
  const victimOf = async (caseId: string) => {
    const row = await test.database.db.selectFrom('victim_case').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    return (await signInVictim(test.database.db, row.person_id)).actor;
  };
  const messagesOf = (caseId: string) => test.database.db.selectFrom('case_message').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
  const eventsOf = (caseId: string, kind: string) => test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).execute();
  const auditOf = (action: string, recordId: string) =>
    test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).where('record_id', '=', recordId).execute();

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' })).id;
    officer = await createStaffUser(test.database.db, { role: 'police_officer', displayName: 'PC Ellis', organisationId: forceId });
    otherForceOfficer = await createStaffUser(test.database.db, { role: 'police_officer', organisationKind: 'police', organisationName: 'Another Force' });
    const providerId = (await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId })).id;
    caseworker = await createStaffUser(test.database.db, { role: 'provider_caseworker', organisationId: providerId });
    const witnessCareId = (await createOrganisation(test.database.db, { kind: 'witness_care', areaId: coordinator.areaId })).id;
    witnessCare = await createStaffUser(test.database.db, { role: 'witness_care_officer', organisationId: witnessCareId });
  });
  after(async () => {
    await test.close();
  });

  it('a reply is stored once, with a victim-visible event that asks for a notification and never holds the words', async () => {
    const caseId = await newCase();
    const submissionKey = randomUUID();
    const body = 'We arrested a suspect today. I will call you tomorrow.';
    const first = await replyToVictim(test.database.db, actorFor(officer), caseId, { body, submissionKey });
    const replay = await replyToVictim(test.database.db, actorFor(officer), caseId, { body: 'different words', submissionKey });
    assert.equal(first.created, true);
    assert.deepEqual(replay, { messageId: first.messageId, created: false });

    const messages = await messagesOf(caseId);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.direction, 'to_victim');
    assert.equal(messages[0]?.author_user_id, officer.id);
    assert.equal(messages[0]?.body, body);
    assert.equal(messages[0]?.read_at, null);

    const events = await eventsOf(caseId, 'message_to_victim');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'victim');
    assert.equal(events[0]?.summary, 'You have a new message');
    assert.deepEqual(events[0]?.detail, { notifyVictim: 'message', messageId: first.messageId });
    assert.ok(!JSON.stringify(events).includes('arrested'), 'the timeline never carries the message’s words');
    const audits = await auditOf('case_message.sent', caseId);
    assert.equal(audits.length, 1);
    assert.ok(!JSON.stringify(audits).includes('arrested'), 'nor does the audit trail');

    // The hub may reply on the same case too.
    const hubReply = await replyToVictim(test.database.db, actorFor(coordinator), caseId, { body: 'From the hub', submissionKey: randomUUID() });
    assert.equal(hubReply.created, true);
    assert.equal((await eventsOf(caseId, 'message_to_victim')).length, 2);
  });

  it('refuses a bad reply with words for the page and stores nothing', async () => {
    const caseId = await newCase();
    for (const form of [{ body: '   ', submissionKey: randomUUID() }, { body: 'x'.repeat(2001), submissionKey: randomUUID() }, { body: 'Hello', submissionKey: 'not-a-key' }]) {
      await assert.rejects(replyToVictim(test.database.db, actorFor(officer), caseId, form), Invalid);
    }
    assert.equal((await messagesOf(caseId)).length, 0);
    assert.equal((await eventsOf(caseId, 'message_to_victim')).length, 0);
  });

  it('a message from the victim goes on the staff-only timeline without its words, once however often it is sent', async () => {
    const caseId = await newCase();
    const victim = await victimOf(caseId);
    const input = { body: 'Has anyone been arrested yet?', idempotencyKey: 'portal-msg-1' };
    const first = await receiveVictimMessage(test.database.db, victim, caseId, 'police', input);
    const replay = await receiveVictimMessage(test.database.db, victim, caseId, 'police', input);
    assert.equal(first.created, true);
    assert.deepEqual(replay, { messageId: first.messageId, created: false });
    const messages = await messagesOf(caseId);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.direction, 'from_victim');
    assert.equal(messages[0]?.author_user_id, null);
    assert.equal(messages[0]?.party, 'police', 'it is in the thread the victim chose');
    const events = await eventsOf(caseId, 'message_from_victim');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'staff');
    assert.equal(events[0]?.summary, 'The victim sent a message');
    assert.ok(!JSON.stringify(events).includes('arrested'));
    assert.equal((await auditOf('case_message.received', caseId)).length, 1);

    await assert.rejects(receiveVictimMessage(test.database.db, actorFor(officer), caseId, 'police', { ...input, idempotencyKey: 'k2' }), Forbidden, 'staff never write as the victim');
    await assert.rejects(receiveVictimMessage(test.database.db, victim, randomUUID(), 'police', { ...input, idempotencyKey: 'k3' }), NotFound);
    await assert.rejects(receiveVictimMessage(test.database.db, victim, caseId, 'police', { ...input, body: '', idempotencyKey: 'k4' }), Invalid);
    await assert.rejects(receiveVictimMessage(test.database.db, victim, caseId, `provider-${randomUUID()}`, { ...input, idempotencyKey: 'k5' }), NotFound, 'no such thread on the case');
    assert.equal((await messagesOf(caseId)).length, 1);
  });

  it('reading the thread sets the read receipts: staff read the victim’s messages, the victim reads the replies', async () => {
    const caseId = await newCase();
    const victim = await victimOf(caseId);
    await receiveVictimMessage(test.database.db, victim, caseId, 'police', { body: 'Question one', idempotencyKey: 'r1' });
    const reply = await replyToVictim(test.database.db, actorFor(officer), caseId, { body: 'Answer one', submissionKey: randomUUID() });

    const thread = await getThread(test.database.db, actorFor(officer), caseId);
    assert.deepEqual(thread.messages.map((message) => [message.direction, message.body]), [['from_victim', 'Question one'], ['to_victim', 'Answer one']]);
    assert.equal(thread.markedRead, 1);
    assert.equal(thread.messages.find((message) => message.id === reply.messageId)?.authorName, 'PC Ellis');
    let rows = await messagesOf(caseId);
    assert.ok(rows.find((row) => row.direction === 'from_victim')?.read_at, 'the victim’s message is read');
    assert.equal(rows.find((row) => row.direction === 'to_victim')?.read_at, null, 'a staff read does not mark the reply read');
    const audits = await auditOf('case_message.thread_viewed', caseId);
    assert.equal(audits.length, 1);
    assert.equal((await getThread(test.database.db, actorFor(coordinator), caseId)).markedRead, 0, 'a message is marked read once');

    const forVictim = await readThreadForVictim(test.database.db, victim, caseId, 'police');
    assert.equal(forVictim.messages.length, 2);
    assert.equal(forVictim.markedRead, 1);
    rows = await messagesOf(caseId);
    assert.ok(rows.find((row) => row.direction === 'to_victim')?.read_at, 'the victim has read the reply');
    await assert.rejects(readThreadForVictim(test.database.db, actorFor(officer), caseId, 'police'), Forbidden);
    await assert.rejects(
      test.database.db.updateTable('case_message').set({ body: 'changed' }).where('case_id', '=', caseId).execute(),
      /append-only/,
      'a message is never edited',
    );
  });

  it('the crime’s officer may read and write; another force’s officer, a provider and a guessed id find nothing, and the refusal is audited', async () => {
    const caseId = await newCase();
    assert.equal((await getThread(test.database.db, actorFor(officer), caseId)).agencyCase?.access, 'police');
    for (const stranger of [otherForceOfficer, caseworker]) {
      await assert.rejects(getThread(test.database.db, actorFor(stranger), caseId), NotFound);
      await assert.rejects(replyToVictim(test.database.db, actorFor(stranger), caseId, { body: 'Hi', submissionKey: randomUUID() }), NotFound);
    }
    await assert.rejects(getThread(test.database.db, actorFor(witnessCare), caseId), Forbidden, 'witness care reads the case, not the messages');
    assert.equal((await messagesOf(caseId)).length, 0);
    const refused = await auditOf('case.access_refused', caseId);
    assert.equal(refused.length, 5);
    assert.ok(refused.some((row) => row.actor_user_id === otherForceOfficer.id));

    const guessed = randomUUID();
    await assert.rejects(getThread(test.database.db, actorFor(officer), guessed), NotFound);
    assert.equal((await auditOf('case.access_refused', guessed)).length, 1, 'a guessed id is audited as refused');

    // The named officer in charge reads the case even when they serve in another force.
    const named = await newCase({ officerUserId: otherForceOfficer.id });
    assert.equal((await getThread(test.database.db, actorFor(otherForceOfficer), named)).agencyCase?.access, 'police');
  });

  it('the hub’s messages page shows the thread and sends a reply once, with an error summary for a bad one', async () => {
    const caseId = await newCase();
    await receiveVictimMessage(test.database.db, await victimOf(caseId), caseId, 'hub', { body: 'When is court?', idempotencyKey: 'hub-1' });
    const cookie = await signIn(test.app, coordinator);
    const casePage = await test.app.inject({ method: 'GET', url: `/cases/${caseId}`, headers: { cookie } });
    assert.match(casePage.body, new RegExp(`href="/cases/${caseId}/messages"`), 'the case page links to the messages');

    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/messages`, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(titleOf(page.body), `Messages: case ${caseReference(caseId)} – Haven`);
    assert.match(page.body, /When is court\?/);
    assert.match(page.body, /data-module="govuk-character-count"/);
    const key = submissionKeyIn(page.body);

    const empty = await postForm(test.app, `/cases/${caseId}/messages`, cookie, { body: '', submissionKey: key }, `/cases/${caseId}/messages`);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /href="#body">Enter a message/);
    assert.equal(submissionKeyIn(empty.body), key, 'the corrected form keeps its key');

    const fields = { body: 'The hearing is not listed yet.', submissionKey: key };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const sent = await postForm(test.app, `/cases/${caseId}/messages`, cookie, fields, `/cases/${caseId}/messages`);
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/cases/${caseId}/messages?done=sent#messages`);
    }
    assert.equal((await messagesOf(caseId)).filter((row) => row.direction === 'to_victim').length, 1);
    const after = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/messages?done=sent`, headers: { cookie } });
    assert.match(after.body, /Message sent/);
    assert.match(after.body, /Not read by the victim yet/);

    const unsigned = await test.app.inject({ method: 'GET', url: `/cases/${randomUUID()}/messages`, headers: { cookie } });
    assert.equal(unsigned.statusCode, 404);
    const officerCookie = await signIn(test.app, officer);
    const asOfficer = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/messages`, headers: { cookie: officerCookie } });
    assert.equal(asOfficer.statusCode, 403, 'officers use the police view');
  });
});
