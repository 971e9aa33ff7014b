// Notifications through the whole application, on PGlite or PostgreSQL, against the fake GOV.UK Notify server on
// loopback: a victim event that asks for it reaches Notify once; the safe-contact profile decides channels, quiet
// hours and whether to send at all; Notify's 500 is retried and its 400 falls back to the next channel, then to a task;
// delivery receipts mark delivery for the Code clock; and with no API key, messages go to the embedded outbox.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFakeNotify, type FakeNotify } from '../../../test/support/fake-notify.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, signIn, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { londonOffsetMs } from '../../platform/time/london.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { receiveReferral } from '../intake/service.ts';
import { createNotifyClientSender } from '../../platform/notify/sender.ts';
import { postForm } from '../../../test/support/staff.ts';
import { rateKeyIdOf, sendNotification, type NotificationDeps } from './service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const hub: Actor = { kind: 'system', label: 'test-hub' };
const TOKEN = 'test-callback-token-0123456789';
let counter = 0;

/** London wall-clock HH:MM, this many minutes from now. */
function londonTimeIn(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  const wall = new Date(at.getTime() + londonOffsetMs(at));
  return `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
}
/** Quiet hours well away from now, so a test at night is not deferred by the default 21:00 to 08:00. */
const awake = () => ({ from: londonTimeIn(600), to: londonTimeIn(660) });

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Person = { email?: string; phone?: string; preferredLanguage?: string; safeContact: Record<string, unknown> };

/** A police referral into the area, for a person with these details and this safe-contact profile. */
async function caseFor(db: Db, areaId: string, forceId: string, person: Person): Promise<string> {
  counter += 1;
  const receipt = await inTransaction(db, (trx) =>
    receiveReferral(trx, police, {
      source: 'police_api',
      sourceReference: `NTF-${counter}-${crypto.randomUUID()}`,
      referringOrganisationId: forceId,
      areaId,
      person: { givenName: 'Nia', familyName: `Secret${counter}`, dateOfBirth: '1990-02-03', ...person },
      crime: { crimeReference: `WY/${80000 + counter}/26`, offenceCode: '8N', offenceCategory: '' },
      role: 'victim',
      supportConsent: 'implied',
      indicators: {},
    }),
  );
  return receipt.caseId;
}

/** A victim-visible event that asks for a notification; returns its id. */
async function victimUpdate(db: Db, caseId: string, detail: Record<string, unknown> = { notifyVictim: 'update' }): Promise<number> {
  const { event } = await inTransaction(db, (trx) =>
    appendTimelineEvent(trx, hub, {
      caseId, kind: 'test_update', summary: 'Your case has moved on', detail, source: 'hub',
      idempotencyKey: `test-update:${crypto.randomUUID()}`, visibility: 'victim', occurredAt: new Date(),
    }),
  );
  return event.id;
}

const notificationOf = (db: Db, eventId: number) => db.selectFrom('notification').selectAll().where('event_id', '=', eventId).executeTakeFirst();
const tasksOf = (db: Db, caseId: string, kind: string) => db.selectFrom('case_task').selectAll().where('case_id', '=', caseId).where('kind', '=', kind as never).execute();

describe('notifications through GOV.UK Notify', () => {
  let fake: FakeNotify;
  let test: TestApp;
  let coordinator: TestStaffUser;
  let forceId: string;
  let callbackUrl: string;

  const sentFor = (id: string) => fake.sent.filter((sent) => sent.reference?.split(':')[0] === id);
  const stateIs = (eventId: number, states: string[]) => until(`notification ${states.join(' or ')}`, async () => {
    const row = await notificationOf(test.database.db, eventId);
    return row && states.includes(row.state) ? row : undefined;
  });

  before(async () => {
    fake = await startFakeNotify();
    test = await createTestApp({ notifyApiKey: fake.apiKey, notifyBaseUrl: fake.baseUrl, notifyCallbackToken: TOKEN, notifyRetryDelaySeconds: 1 });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    callbackUrl = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}/notify/callback`;
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId })).id;
  });
  after(async () => {
    await test.close();
    await fake.close();
  });

  it('sends a victim event that asks for it to Notify once, with a neutral template and nothing personal', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900111', email: 'nia@example.com', safeContact: { channels: ['sms', 'email'], quietHours: awake() } });
    const eventId = await victimUpdate(test.database.db, caseId);
    const row = await stateIs(eventId, ['sent']);
    await pause(1500);
    const sent = sentFor(row.id);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.channel, 'sms');
    assert.equal(sent[0]?.reference, row.id);
    assert.equal(sent[0]?.recipient, '+447700900111');
    assert.deepEqual(Object.keys(sent[0]?.personalisation ?? {}), ['link']);
    assert.doesNotMatch(JSON.stringify(sent[0]?.personalisation), /Nia|Secret|8N|WY\//);
    assert.equal(row.notify_id, sent[0]?.id);
    // An event the victim cannot see, or one that does not ask, makes no notification.
    const { event: staffOnly } = await inTransaction(test.database.db, (trx) => appendTimelineEvent(trx, hub, { caseId, kind: 'note', summary: 'Staff note', detail: { notifyVictim: 'update' }, source: 'hub', idempotencyKey: `n:${crypto.randomUUID()}`, visibility: 'staff', occurredAt: new Date() }));
    const silent = [await victimUpdate(test.database.db, caseId, {}), await victimUpdate(test.database.db, caseId, { notifyVictim: false })];
    await pause(800);
    assert.equal(await notificationOf(test.database.db, staffOnly.id), undefined);
    for (const eventId of silent) assert.equal(await notificationOf(test.database.db, eventId), undefined);
  });

  it('never texts a person whose profile leaves text out, even with a mobile number', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900222', email: 'only-email@example.com', safeContact: { channels: ['email', 'phone'], quietHours: awake() } });
    const row = await stateIs(await victimUpdate(test.database.db, caseId), ['sent']);
    assert.deepEqual(sentFor(row.id).map((sent) => sent.channel), ['email']);
    assert.deepEqual(row.channels, ['email']);
  });

  it('retries after Notify answers 500, and sends once', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { email: 'retry@example.com', safeContact: { channels: ['email'], quietHours: awake() } });
    fake.failNext(1, 500);
    const row = await stateIs(await victimUpdate(test.database.db, caseId), ['sent']);
    await pause(1000);
    assert.equal(sentFor(row.id).length, 1);
  });

  it('falls back to email when Notify rejects the text (400), and raises a task when nothing is left', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900333', email: 'fallback@example.com', safeContact: { channels: ['sms', 'email'], quietHours: awake() } });
    fake.failNext(1, 400);
    const row = await stateIs(await victimUpdate(test.database.db, caseId), ['sent']);
    assert.deepEqual(sentFor(row.id).map((sent) => [sent.channel, sent.reference]), [['email', `${row.id}:email`]]);
    assert.equal(row.channel_index, 1);

    fake.failNext(2, 400);
    const failed = await stateIs(await victimUpdate(test.database.db, caseId), ['failed']);
    assert.equal(sentFor(failed.id).length, 0);
    const tasks = await tasksOf(test.database.db, caseId, 'notification_undeliverable');
    assert.equal(tasks.length, 1);
  });

  it('defers a notification due in quiet hours to their end, and sends nothing meanwhile', async () => {
    const quietHours = { from: londonTimeIn(-30), to: londonTimeIn(90) };
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { email: 'later@example.com', safeContact: { channels: ['email'], quietHours } });
    const eventId = await victimUpdate(test.database.db, caseId);
    const row = await until('notification', () => notificationOf(test.database.db, eventId));
    const minutesAway = (row.due_at.getTime() - Date.now()) / 60_000;
    assert.ok(minutesAway > 88 && minutesAway <= 90, `due in ${minutesAway} minutes`);
    const { rows } = await test.database.jobs.executeSql(`select start_after from pgboss.job where name = 'notification-send' and data->>'notificationId' = $1`, [row.id]);
    assert.equal(rows.length, 1);
    assert.equal(new Date((rows[0] as { start_after: string }).start_after).getTime(), row.due_at.getTime());
    await pause(1500);
    assert.equal(sentFor(row.id).length, 0);
    assert.equal((await notificationOf(test.database.db, eventId))?.state, 'queued');
  });

  it('sends nothing to a person marked do not contact, and gives the hub a task', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900444', email: 'dnc@example.com', safeContact: { channels: ['sms', 'email'], doNotContact: true, quietHours: awake() } });
    const row = await stateIs(await victimUpdate(test.database.db, caseId), ['withheld']);
    assert.equal(row.withheld_reason, 'do_not_contact');
    await pause(800);
    assert.equal(sentFor(row.id).length, 0);
    assert.equal((await tasksOf(test.database.db, caseId, 'victim_not_contactable')).length, 1);
  });

  it('sends nothing when no safe channel is known, and asks the hub to agree one', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900555', safeContact: { channels: [] } });
    const row = await stateIs(await victimUpdate(test.database.db, caseId), ['withheld']);
    assert.equal(row.withheld_reason, 'profile_unknown');
    const [task] = await tasksOf(test.database.db, caseId, 'victim_not_contactable');
    assert.match(task?.title ?? '', /Agree how to contact the victim safely/);
  });

  it('marks a delivered receipt delivered with a staff-only event for the Code clock; a repeat is a no-op; a wrong token is 401', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { email: 'receipt@example.com', safeContact: { channels: ['email'], quietHours: awake() } });
    const eventId = await victimUpdate(test.database.db, caseId);
    const row = await stateIs(eventId, ['sent']);
    assert.equal(await fake.sendCallback(row.notify_id ?? '', 'delivered', callbackUrl, 'wrong-token-wrong-token'), 401);
    assert.equal((await notificationOf(test.database.db, eventId))?.state, 'sent');
    const refused = await test.app.inject({ method: 'POST', url: '/notify/callback', payload: { id: row.notify_id, reference: row.id, status: 'delivered' } });
    assert.equal(refused.statusCode, 401);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);

    assert.equal(await fake.sendCallback(row.notify_id ?? '', 'delivered', callbackUrl, TOKEN), 200);
    assert.equal(await fake.sendCallback(row.notify_id ?? '', 'delivered', callbackUrl, TOKEN), 200);
    const delivered = await notificationOf(test.database.db, eventId);
    assert.equal(delivered?.state, 'delivered');
    const events = await test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', 'notification_delivered').execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.visibility, 'staff');
    assert.deepEqual(events[0]?.detail, { notificationId: row.id, aboutEventId: eventId, channel: 'email' });
  });

  it('moves to the next channel when Notify reports a text could not be delivered', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900666', email: 'second@example.com', safeContact: { channels: ['sms', 'email'], quietHours: awake() } });
    const eventId = await victimUpdate(test.database.db, caseId);
    const first = await stateIs(eventId, ['sent']);
    assert.equal(await fake.sendCallback(first.notify_id ?? '', 'permanent-failure', callbackUrl, TOKEN), 200);
    const second = await until('email fallback', async () => {
      const row = await notificationOf(test.database.db, eventId);
      return row?.state === 'sent' && row.channel_index === 1 ? row : undefined;
    });
    assert.deepEqual(sentFor(second.id).map((sent) => sent.channel), ['sms', 'email']);
    // The late receipt for the text changes nothing now.
    assert.equal(await fake.sendCallback(first.notify_id ?? '', 'permanent-failure', callbackUrl, TOKEN), 200);
    assert.equal((await notificationOf(test.database.db, eventId))?.state, 'sent');
  });
  it('after a crash between sending and recording, records what Notify holds instead of sending again', async () => {
    // Quiet hours now keep the app's own worker away from these notifications (their jobs wait for the morning).
    const quietHours = { from: londonTimeIn(-30), to: londonTimeIn(90) };
    const enqueued: string[] = [];
    const deps: NotificationDeps = {
      db: test.database.db, sender: createNotifyClientSender({ apiKey: fake.apiKey, baseUrl: fake.baseUrl }), outbox: false, rateKeyId: rateKeyIdOf(fake.apiKey),
      ratePerMinute: 3000, templateIds: {}, signInUrl: 'http://localhost/my-case', enqueue: (_trx, id) => {
        enqueued.push(id);
        return Promise.resolve();
      },
    };
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { email: 'crash@example.com', safeContact: { channels: ['email'], quietHours } });
    const crashedEvent = await victimUpdate(test.database.db, caseId);
    const crashed = await until('row', () => notificationOf(test.database.db, crashedEvent));
    // The worker marked it sending and Notify accepted it, then the process died before recording the answer.
    await test.database.db.updateTable('notification').set({ state: 'sending', reference: crashed.id }).where('id', '=', crashed.id).execute();
    const accepted = await deps.sender.send({ channel: 'email', recipient: 'crash@example.com', templateId: '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0001', personalisation: { link: 'x' }, reference: crashed.id });
    assert.equal(accepted.kind, 'accepted');
    await sendNotification(deps, crashed.id, { retryCount: 1 });
    const recorded = await notificationOf(test.database.db, crashed.event_id);
    assert.equal(recorded?.state, 'sent');
    assert.equal(recorded?.notify_id, accepted.kind === 'accepted' ? accepted.notifyId : '');
    assert.equal(sentFor(crashed.id).length, 1, 'not sent a second time');

    // Died before Notify got it: nothing is held, so the send is decided afresh, and quiet hours defer it.
    const eventId = await victimUpdate(test.database.db, caseId);
    const lost = await until('row', () => notificationOf(test.database.db, eventId));
    await test.database.db.updateTable('notification').set({ state: 'sending', reference: lost.id }).where('id', '=', lost.id).execute();
    await sendNotification(deps, lost.id, { retryCount: 1 });
    assert.equal(sentFor(lost.id).length, 0);
    assert.deepEqual(enqueued, [lost.id]);
  });
});

describe('the safe-contact page', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let forceId: string;
  let cookie: string;

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId })).id;
    cookie = await signIn(test.app, coordinator);
  });
  after(() => test.close());

  const profileOf = async (caseId: string) =>
    (await test.database.db.selectFrom('victim_case').innerJoin('person', 'person.id', 'victim_case.person_id').select('person.safe_contact').where('victim_case.id', '=', caseId).executeTakeFirstOrThrow()).safe_contact;
  const keyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

  it('changes the profile once per submission, with an audit row naming fields only and a staff-only event', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900888', safeContact: { channels: ['sms'], codeWord: 'otter', safeAddress: 'PO Box 1' } });
    const url = `/cases/${caseId}/safe-contact`;
    const form = await test.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(form.statusCode, 200);
    assert.match(form.headers['cache-control'] as string, /no-store/);
    assert.doesNotMatch(/<title>([^<]*)<\/title>/.exec(form.body)?.[1] ?? '', /Nia|Secret/);
    const fields = { submissionKey: keyIn(form.body), channels: ['email', 'sms'], doNotContact: 'no', voicemailSafe: 'no', homeVisitSafe: 'unknown', quietFrom: '22:00', quietTo: '07:00', codeWord: 'badger' };
    for (let send = 0; send < 2; send += 1) {
      const saved = await postForm(test.app, url, cookie, fields, url);
      assert.equal(saved.statusCode, 303);
    }
    const stored = await profileOf(caseId);
    assert.deepEqual(stored.channels, ['sms', 'email']);
    assert.deepEqual(stored.quietHours, { from: '22:00', to: '07:00' });
    assert.equal(stored.safeAddress, 'PO Box 1', 'the safe address, not on the form, is kept');
    const audits = await test.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.safe_contact_changed').execute();
    assert.equal(audits.length, 1);
    assert.doesNotMatch(JSON.stringify(audits[0]?.detail), /badger|otter|22:00/);
    const events = await test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', 'safe_contact_changed').execute();
    assert.deepEqual(events.map((event) => event.visibility), ['staff']);
  });

  it('shows the GOV.UK error summary for a bad form and stores nothing; refuses a missing CSRF token and other areas', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900999', safeContact: { channels: ['sms'] } });
    const url = `/cases/${caseId}/safe-contact`;
    const form = await test.app.inject({ method: 'GET', url, headers: { cookie } });
    const bad = await postForm(test.app, url, cookie, { submissionKey: keyIn(form.body), channels: 'sms', doNotContact: 'yes', quietFrom: '7pm' }, url);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /href="#doNotContactReason"/);
    assert.match(bad.body, /href="#quietFrom"/);
    assert.equal(keyIn(bad.body), keyIn(form.body), 'the corrected form keeps its key');
    assert.equal((await profileOf(caseId)).doNotContact ?? null, null);

    const noToken = await test.app.inject({ method: 'POST', url, headers: { cookie }, payload: { submissionKey: crypto.randomUUID(), doNotContact: 'yes', doNotContactReason: 'x' } });
    assert.equal(noToken.statusCode, 403);
    const stranger = await createStaffUser(test.database.db, { role: 'coordinator' });
    const strangerCookie = await signIn(test.app, stranger);
    assert.equal((await test.app.inject({ method: 'GET', url, headers: { cookie: strangerCookie } })).statusCode, 404);
    assert.equal((await test.app.inject({ method: 'GET', url: '/cases/not-a-case/safe-contact', headers: { cookie } })).statusCode, 404);
  });
});

describe('the embedded outbox (no Notify API key)', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let forceId: string;

  before(async () => {
    test = await createTestApp({ notifyApiKey: undefined });
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId })).id;
  });
  after(() => test.close());

  it('keeps the message in the outbox, counts it delivered, and shows hub staff the neutral text only', async () => {
    const caseId = await caseFor(test.database.db, coordinator.areaId, forceId, { phone: '07700900777', preferredLanguage: 'cy', safeContact: { channels: ['sms'], quietHours: awake() } });
    const eventId = await victimUpdate(test.database.db, caseId, { notifyVictim: 'message' });
    const row = await until('delivered', async () => {
      const found = await notificationOf(test.database.db, eventId);
      return found?.state === 'delivered' ? found : undefined;
    });
    const outbox = await test.database.db.selectFrom('notification_outbox').selectAll().where('reference', '=', row.id).execute();
    assert.equal(outbox.length, 1);
    assert.equal(outbox[0]?.channel, 'sms');
    const delivered = await test.database.db.selectFrom('timeline_event').select('detail').where('case_id', '=', caseId).where('kind', '=', 'notification_delivered').execute();
    assert.deepEqual(delivered.map((event) => event.detail), [{ notificationId: row.id, aboutEventId: eventId, channel: 'sms' }]);

    const cookie = await signIn(test.app, coordinator);
    const page = await test.app.inject({ method: 'GET', url: '/outbox', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Mae gennych neges newydd/);
    assert.doesNotMatch(page.body, /07700|\+447700900777|Secret/);
    const other = await createStaffUser(test.database.db, { role: 'coordinator' });
    const otherPage = await test.app.inject({ method: 'GET', url: '/outbox', headers: { cookie: await signIn(test.app, other) } });
    assert.match(otherPage.body, /The outbox is empty/);
  });
});
