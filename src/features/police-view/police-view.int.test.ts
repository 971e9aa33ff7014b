// The police view through the whole application, on PGlite or PostgreSQL: "My victims" lists only the signed-in
// officer's open cases (first names only, those needing an update and with unread messages first), the officer's case
// page with the safe-contact summary, what the victim was told and a reply, other forces and roles finding nothing,
// and the stale-case nudge raising exactly one hub task per case per cadence period and none for a case kept informed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import { signInVictim } from '../../../test/support/portal.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveVictimMessage } from '../case-messages/service.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { caseReference } from '../cases/rules.ts';
import { receiveReferral } from '../intake/service.ts';
import { staleTaskKey } from './rules.ts';
import { raiseStaleCaseTasks } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
const DAY = 24 * 60 * 60 * 1000;
let counter = 0;

describe('the police view', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let officer: TestStaffUser;
  let colleague: TestStaffUser;
  let otherForceOfficer: TestStaffUser;
  let forceId: string;
  let officerCookie: string;

  /** A police referral on a new crime whose officer in charge is set straight on the crime (a fixture write). */
  async function newCase(options: { officerUserId?: string | null; familyName?: string; givenName?: string; safeContact?: Record<string, unknown>; ageDays?: number } = {}) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `PV-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: options.givenName ?? 'Maggie', familyName: options.familyName ?? `Okafor${counter}`, dateOfBirth: '1944-05-12', email: `v${counter}@example.com` },
        crime: { crimeReference: `WY/${90000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const row = await test.database.db.selectFrom('victim_case').select(['crime_id', 'person_id']).where('id', '=', receipt.caseId).executeTakeFirstOrThrow();
    await test.database.db
      .updateTable('crime')
      .set({ officer_user_id: options.officerUserId === undefined ? officer.id : options.officerUserId, police_organisation_id: forceId })
      .where('id', '=', row.crime_id as string)
      .execute();
    if (options.safeContact) await test.database.db.updateTable('person').set({ safe_contact: JSON.stringify(options.safeContact) }).where('id', '=', row.person_id).execute();
    if (options.ageDays) await sql`update victim_case set created_at = now() - make_interval(days => ${options.ageDays}) where id = ${receipt.caseId}`.execute(test.database.db);
    return receipt.caseId;
  }

  /** A victim-visible update (the notification contract's notifyVictim 'update') on the case at this time. */
  const giveUpdate = (caseId: string, occurredAt: Date) =>
    inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, police, {
        caseId,
        kind: 'suspect_arrested',
        summary: 'A suspect was arrested',
        detail: { notifyVictim: 'update' },
        source: 'police_api',
        idempotencyKey: `update:${caseId}:${occurredAt.toISOString()}`,
        visibility: 'victim',
        occurredAt,
      }),
    );

  /** The case's victim signed in to the portal, as the actor their messages come from. */
  const victimOf = async (caseId: string) => {
    const row = await test.database.db.selectFrom('victim_case').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    return (await signInVictim(test.database.db, row.person_id)).actor;
  };
  const get = (url: string, cookie = officerCookie) => test.app.inject({ method: 'GET', url, headers: { cookie } });
  const staleTasksOf = (caseId: string) =>
    test.database.db.selectFrom('case_task').selectAll().where('case_id', '=', caseId).where('kind', '=', 'stale_case_update').orderBy('raised_at').execute();
  const rowsOf = (html: string) => [...html.matchAll(/data-testid="my-victim" data-case-id="([^"]+)"/g)].map((match) => match[1]);

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' })).id;
    officer = await createStaffUser(test.database.db, { role: 'police_officer', displayName: 'PC Ellis', organisationId: forceId });
    colleague = await createStaffUser(test.database.db, { role: 'police_officer', displayName: 'PC Other', organisationId: forceId });
    otherForceOfficer = await createStaffUser(test.database.db, { role: 'police_officer', organisationKind: 'police', organisationName: 'Another Force' });
    officerCookie = await signIn(test.app, officer);
  });
  after(async () => {
    await test.close();
  });

  it('lists only the officer’s open cases, first names only, those needing an update and with unread messages first', async () => {
    const fresh = await newCase({ givenName: 'Freya', familyName: 'Freshcase' });
    const unread = await newCase({ givenName: 'Uma', familyName: 'Unreadcase' });
    const stale = await newCase({ givenName: 'Stan', familyName: 'Stalecase', ageDays: 40 });
    const informed = await newCase({ givenName: 'Ida', familyName: 'Informedcase', ageDays: 40 });
    await giveUpdate(informed, new Date(Date.now() - 2 * DAY));
    const colleagues = await newCase({ officerUserId: colleague.id, givenName: 'Colin' });
    const closed = await newCase({ givenName: 'Cleo' });
    await test.database.db.updateTable('victim_case').set({ status: 'closed', closed_reason: 'Done' }).where('id', '=', closed).execute();
    await receiveVictimMessage(test.database.db, await victimOf(unread), unread, 'police', { body: 'Any news?', idempotencyKey: 'u1' });
    await receiveVictimMessage(test.database.db, await victimOf(unread), unread, 'police', { body: 'Hello?', idempotencyKey: 'u2' });
    // A message to the hub is not the officer's to answer: it adds nothing to their unread count.
    await receiveVictimMessage(test.database.db, await victimOf(unread), unread, 'hub', { body: 'For the hub', idempotencyKey: 'u3' });

    const page = await get('/my-victims');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(titleOf(page.body), 'My victims – Haven');
    assert.match(page.body, /govuk-service-navigation__link" href="\/my-victims"[^<]*<strong[^>]*>My victims/, 'the navigation has My victims');
    const listed = rowsOf(page.body);
    assert.deepEqual(listed.slice(0, 2), [stale, unread], 'stale first, then unread');
    assert.deepEqual(new Set(listed), new Set([stale, unread, fresh, informed]), 'only the officer’s open cases');
    assert.ok(!listed.includes(colleagues) && !listed.includes(closed));
    for (const name of ['Freya', 'Uma', 'Stan', 'Ida']) assert.match(page.body, new RegExp(`>${name}<`));
    for (const name of ['Freshcase', 'Unreadcase', 'Stalecase', 'Informedcase', 'Colin']) assert.doesNotMatch(page.body, new RegExp(name), 'first names only');
    assert.match(page.body, new RegExp(`WY/${90000 + counter - 5}/26`), 'crime references are listed');
    assert.match(page.body, new RegExp(caseReference(stale)));
    const rowOf = (caseId: string) => new RegExp(`data-case-id="${caseId}"[\\s\\S]*?</tr>`).exec(page.body)?.[0] ?? '';
    assert.match(rowOf(stale), /Needs an update/);
    assert.doesNotMatch(rowOf(informed), /Needs an update/);
    assert.match(rowOf(unread), /2 unread/);
    assert.match(rowOf(informed), /<time datetime/);

    const colleaguePage = await get('/my-victims', await signIn(test.app, colleague));
    assert.deepEqual(rowsOf(colleaguePage.body), [colleagues]);
    const hub = await get('/my-victims', await signIn(test.app, coordinator));
    assert.equal(hub.statusCode, 403);
    const audits = await test.database.db.selectFrom('audit_event').select('actor_user_id').where('action', '=', 'police_view.list_viewed').execute();
    assert.ok(audits.some((row) => row.actor_user_id === officer.id));
  });

  it('pages the list 25 at a time', async () => {
    const pager = await createStaffUser(test.database.db, { role: 'police_officer', organisationId: forceId });
    for (let made = 0; made < 26; made += 1) await newCase({ officerUserId: pager.id });
    const cookie = await signIn(test.app, pager);
    const first = await get('/my-victims', cookie);
    assert.equal(rowsOf(first.body).length, 25);
    assert.match(first.body, /govuk-pagination/);
    const second = await get('/my-victims?page=2', cookie);
    assert.equal(titleOf(second.body), 'My victims (page 2 of 2) – Haven');
    assert.equal(rowsOf(second.body).length, 1);
    const past = await get('/my-victims?page=9', cookie);
    assert.equal(past.statusCode, 200);
    assert.equal(rowsOf(past.body).length, 0);
  });

  it('shows the officer the case: how to contact the victim, what they were told, the thread, and a reply', async () => {
    const caseId = await newCase({ givenName: 'Margaret', familyName: 'Okafor', safeContact: { channels: ['email', 'phone'], safeTimes: 'Weekdays after 10', voicemailSafe: false, codeWord: 'bluebell' } });
    await giveUpdate(caseId, new Date(Date.now() - DAY));
    await receiveVictimMessage(test.database.db, await victimOf(caseId), caseId, 'police', { body: 'Has he been charged?', idempotencyKey: 'q1' });

    const page = await get(`/my-victims/${caseId}`);
    assert.equal(page.statusCode, 200);
    const title = titleOf(page.body);
    assert.match(title, new RegExp(`^Case ${caseReference(caseId)}, crime WY/\\d+/26 – Haven$`));
    assert.doesNotMatch(title, /Margaret|Okafor/);
    assert.match(page.body, /Margaret Okafor/);
    assert.match(page.body, /Do not text/);
    assert.match(page.body, /data-testid="safe-contact"[\s\S]*Email, Phone[\s\S]*Text message, Letter[\s\S]*Weekdays after 10/);
    assert.doesNotMatch(page.body, /bluebell/, 'the code word itself stays with the hub');
    assert.match(page.body, /data-testid="victim-timeline"[\s\S]*Referral received[\s\S]*A suspect was arrested/, 'newest first');
    assert.doesNotMatch(page.body, /The victim sent a message/, 'only the victim-visible timeline');
    assert.match(page.body, /Has he been charged\?/);
    assert.match(page.body, new RegExp(`href="/case-updates/${caseId}/new"`));
    const read = await test.database.db.selectFrom('case_message').select('read_at').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.ok(read.read_at, 'opening the case reads the victim’s message');

    const key = submissionKeyIn(page.body);
    const bad = await postForm(test.app, `/my-victims/${caseId}/messages`, officerCookie, { body: 'x'.repeat(2001), submissionKey: key }, `/my-victims/${caseId}`);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary[\s\S]*Message must be 2,000 characters or fewer/);
    const fields = { body: 'Not yet. I will tell you as soon as he is.', submissionKey: key };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const sent = await postForm(test.app, `/my-victims/${caseId}/messages`, officerCookie, fields, `/my-victims/${caseId}`);
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/my-victims/${caseId}?done=sent#messages`);
    }
    const events = await test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', 'message_to_victim').execute();
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.detail, { notifyVictim: 'message', messageId: (events[0]?.detail as { messageId: string }).messageId });
    const after = await get(`/my-victims/${caseId}?done=sent`);
    assert.match(after.body, /Message sent/);
    assert.match(after.body, /data-testid="victim-timeline"[\s\S]*You have a new message/);
  });

  it('another force’s officer, a guessed id and other roles find nothing, and the refusal is audited', async () => {
    const caseId = await newCase();
    const other = await get(`/my-victims/${caseId}`, await signIn(test.app, otherForceOfficer));
    assert.equal(other.statusCode, 404);
    assert.doesNotMatch(other.body, /Okafor/);
    const guessed = randomUUID();
    assert.equal((await get(`/my-victims/${guessed}`)).statusCode, 404);
    assert.equal((await get('/my-victims/not-a-uuid')).statusCode, 404);
    const refused = await test.database.db.selectFrom('audit_event').select(['record_id', 'actor_user_id']).where('action', '=', 'case.access_refused').execute();
    assert.ok(refused.some((row) => row.record_id === caseId && row.actor_user_id === otherForceOfficer.id));
    assert.ok(refused.some((row) => row.record_id === guessed && row.actor_user_id === officer.id));
    assert.equal((await get(`/my-victims/${caseId}`, await signIn(test.app, coordinator))).statusCode, 403);
  });

  it('raises exactly one hub task per stale case per cadence period, and none for a case given an update', async () => {
    const hubId = coordinator.organisationId;
    const stale = await newCase();
    const informed = await newCase();
    const enhanced = await newCase();
    const closed = await newCase();
    await test.database.db.updateTable('victim_case').set({ status: 'closed', closed_reason: 'Done' }).where('id', '=', closed).execute();
    await test.database.db
      .insertInto('entitlement_decision')
      .values({ case_id: enhanced, category: 'vulnerable', source: 'coordinator', rule: 'coordinator', reason: 'Test', evidence: '{}', decided_by: 'test' })
      .execute();
    await test.database.db
      .insertInto('code_clock_setting')
      .values({ area_id: coordinator.areaId, settings: JSON.stringify({ updateCadenceDays: { standard: 28, enhanced: 7 } }) })
      .execute();
    const now = Date.now();
    await giveUpdate(informed, new Date(now + 20 * DAY));

    await raiseStaleCaseTasks(test.database.db, new Date(now + 8 * DAY));
    assert.equal((await staleTasksOf(enhanced)).length, 1, 'an enhanced victim’s shorter cadence is passed');
    assert.equal((await staleTasksOf(stale)).length, 0, 'a standard victim is in time at 8 days');

    const at29 = new Date(now + 29 * DAY);
    await raiseStaleCaseTasks(test.database.db, at29);
    await raiseStaleCaseTasks(test.database.db, at29);
    await raiseStaleCaseTasks(test.database.db, new Date(now + 30 * DAY));
    const tasks = await staleTasksOf(stale);
    assert.equal(tasks.length, 1, 'one task in the period, however often the job runs');
    assert.equal(tasks[0]?.owning_organisation_id, hubId);
    assert.equal(tasks[0]?.status, 'open');
    const created = await test.database.db.selectFrom('victim_case').select('created_at').where('id', '=', stale).executeTakeFirstOrThrow();
    assert.equal(tasks[0]?.idempotency_key, staleTaskKey(stale, created.created_at, 1), 'the SQL and the rule agree on the key');
    assert.equal((await staleTasksOf(informed)).length, 0, 'a case updated within the cadence is not stale');
    assert.equal((await staleTasksOf(closed)).length, 0, 'a closed case is never nudged');
    assert.equal((await staleTasksOf(enhanced)).length, 2, 'the enhanced case is nudged again in a later 7-day period (periods 1 and 4; missed runs are not made up)');

    await raiseStaleCaseTasks(test.database.db, new Date(now + 57 * DAY));
    assert.equal((await staleTasksOf(stale)).length, 2, 'a second period without an update raises a second task');
    assert.equal((await staleTasksOf(informed)).length, 1, 'the informed case falls stale 28 days after its update');
    const audits = await test.database.db.selectFrom('audit_event').select('detail').where('action', '=', 'case_task.raised').where('record_id', '=', stale).execute();
    assert.equal(audits.length, 2);
  });

  it('keeps the stale-case lookup on the partial index of updates to the victim', async () => {
    const indexes = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'timeline_event_victim_update'`.execute(test.database.db);
    assert.match(indexes.rows[0]?.indexdef ?? '', /WHERE \(\(visibility = 'victim'::text\) AND \(\(detail ->> 'notifyVictim'::text\) = 'update'::text\)\)/);
  });
});
