// Journeys 4, 5, 6 and 10 of shared/domain/scenarios.md end to end, through the real API and pages, with the fake GOV.UK
// Notify server on loopback: agencies' updates start Code clock duties, the victim is told in the way they said is safe,
// and Notify's delivery receipt meets the duty; where nobody tells the victim, the duty turns overdue for the coordinator.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFakeNotify, type FakeNotify } from '../support/fake-notify.ts';
import { signInVictim } from '../support/portal.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, postForm, signIn, type TestStaffUser } from '../support/staff.ts';
import { basicAuthorization } from '../../src/platform/auth/api-credentials.ts';
import { systemActor } from '../../src/platform/auth/identity.ts';
import { londonOffsetMs } from '../../src/platform/time/london.ts';
import { addDays, partsOf } from '../../src/platform/time/calendar-date.ts';
import { londonDateOf } from '../../src/platform/time/london.ts';
import { createApiClient } from '../../src/features/api-clients/service.ts';
import { QUESTIONS } from '../../src/features/assessment/rules.ts';
import { saveAssessment } from '../../src/features/assessment/service.ts';
import { todayInLondon } from '../../src/features/people/service.ts';
import { assignCoordinator, getTimeline, listWorkerCases } from '../../src/features/cases/service.ts';
import { receiveVictimMessage } from '../../src/features/case-messages/service.ts';
import { overdueAlertsFor, runCodeClock, sweepOverdue } from '../../src/features/obligations/service.ts';

const TOKEN = 'journeys-callback-token-0123456789';
let serial = 0;

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** London wall-clock HH:MM this many minutes from now: quiet hours set well away from now, so a night-time run is not deferred. */
function londonTimeIn(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  const wall = new Date(at.getTime() + londonOffsetMs(at));
  return `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
}

const submissionKeyIn = (html: string): string => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('journeys 4, 5, 6 and 10: updates, the Code clock and notifications', () => {
  let fake: FakeNotify;
  let test: TestApp;
  let callbackUrl: string;
  let coordinator: TestStaffUser;
  let witnessCare: TestStaffUser;
  let officer: TestStaffUser;
  let hubCookie: string;
  let police: string;
  let witnessCareFeed: string;
  let probation: string;

  before(async () => {
    fake = await startFakeNotify();
    test = await createTestApp({ notifyApiKey: fake.apiKey, notifyBaseUrl: fake.baseUrl, notifyCallbackToken: TOKEN, notifyRetryDelaySeconds: 1 });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    callbackUrl = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}/notify/callback`;
    const { db } = test.database;
    const force = await createOrganisation(db, { kind: 'police', name: 'Journey Constabulary' });
    const hub = await createOrganisation(db, { kind: 'hub', name: 'Journey Victim Gateway', areaId: force.areaId });
    const wcu = await createOrganisation(db, { kind: 'witness_care', name: 'Journey Witness Care Unit', areaId: force.areaId });
    const probationService = await createOrganisation(db, { kind: 'probation', name: 'Journey Probation Service', areaId: force.areaId });
    coordinator = await createStaffUser(db, { role: 'coordinator', organisationId: hub.id });
    witnessCare = await createStaffUser(db, { role: 'witness_care_officer', organisationId: wcu.id });
    officer = await createStaffUser(db, { role: 'police_officer', organisationId: force.id });
    hubCookie = await signIn(test.app, coordinator);
    const issue = async (organisation: string, scopes: string[]) => {
      const client = await createApiClient(db, systemActor('test'), { organisation, name: `Feed ${organisation}`, scopes });
      return basicAuthorization(client.clientId, client.secret);
    };
    police = await issue(force.name, ['referrals:write', 'events:write']);
    witnessCareFeed = await issue(wcu.name, ['events:write']);
    probation = await issue(probationService.name, ['events:write']);
  });
  after(async () => {
    await test.close();
    await fake.close();
  });

  async function refer(offenceCode: string, offenceCategory: string, support = 'not_asked'): Promise<{ caseId: string; crimeReference: string }> {
    const crimeReference = `JY/${(Date.now() % 1_000_000) * 100 + ++serial}/26`;
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: police },
      payload: {
        policeReference: `JY-${++serial}-${Date.now().toString(36)}`,
        // Each journey's victim is somebody else: no shared phone, or one-record-per-person would rightly join them.
        victim: { givenName: 'Grace', familyName: `Journey${serial}`, email: `grace${serial}@example.com`, phone: `07700900${String(100 + serial).padStart(3, '0')}` },
        role: 'victim',
        crime: { crimeReference, offenceCode, offenceCategory },
        consent: { support },
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return { caseId: response.json<{ referralId: string }>().referralId, crimeReference };
  }

  /** The coordinator records, on the real page, that email is the only safe way to send the victim messages. */
  async function emailIsSafe(caseId: string): Promise<void> {
    const page = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/safe-contact`, headers: { cookie: hubCookie } });
    assert.equal(page.statusCode, 200, page.body);
    const saved = await postForm(test.app, `/cases/${caseId}/safe-contact`, hubCookie, {
      submissionKey: submissionKeyIn(page.body), channels: ['email'], quietFrom: londonTimeIn(600), quietTo: londonTimeIn(660), doNotContact: 'no',
    }, `/cases/${caseId}/safe-contact`);
    assert.equal(saved.statusCode, 303, saved.body);
  }

  async function sendEvent(authorization: string, crimeReference: string, type: string, occurredAt: Date, detail: Record<string, unknown> = {}): Promise<void> {
    const response = await test.app.inject({
      method: 'POST', url: '/api/v1/events', headers: { authorization },
      payload: { sourceEventId: `JY-EV-${++serial}`, type, crimeReference, occurredAt: occurredAt.toISOString(), detail },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json<{ state: string }>().state, 'applied');
  }

  const eventOf = (caseId: string, kind: string) =>
    test.database.db.selectFrom('timeline_event').select(['id', 'visibility', 'detail']).where('case_id', '=', caseId).where('kind', '=', kind).orderBy('id', 'desc').executeTakeFirstOrThrow();

  /** Waits for the notification about the event to reach the fake Notify, then sends its delivery receipt. */
  async function deliver(eventId: number): Promise<{ channel: string; personalisation: Record<string, string> }> {
    const row = await until('the notification to be sent', async () => {
      const found = await test.database.db.selectFrom('notification').select(['id', 'state', 'notify_id']).where('event_id', '=', eventId).executeTakeFirst();
      return found?.state === 'sent' && found.notify_id ? found : undefined;
    });
    const sent = fake.sent.filter((message) => message.id === row.notify_id);
    assert.equal(sent.length, 1, 'sent exactly once');
    assert.equal(await fake.sendCallback(row.notify_id as string, 'delivered', callbackUrl, TOKEN), 200);
    await until('the delivery to be recorded', async () => (await test.database.db.selectFrom('notification').select('state').where('id', '=', row.id).executeTakeFirst())?.state === 'delivered');
    return sent[0] as { channel: string; personalisation: Record<string, string> };
  }

  const obligation = (caseId: string, duty: string) =>
    test.database.db.selectFrom('obligation').selectAll().where('case_id', '=', caseId).where('duty', '=', duty).orderBy('created_at', 'desc').executeTakeFirstOrThrow();

  it('journey 4: the victim sees the arrest and the release explained, asks the officer, and is emailed only that there is a new message', async () => {
    const { caseId, crimeReference } = await refer('8N', 'Violence against the person');
    await emailIsSafe(caseId);
    await sendEvent(police, crimeReference, 'officer_assigned', new Date(Date.now() - 120_000), { officerName: 'DC 2231 Okoro', officerEmail: officer.email });
    await sendEvent(police, crimeReference, 'suspect_arrested', new Date(Date.now() - 60_000));
    await sendEvent(police, crimeReference, 'released_under_investigation', new Date());
    // What the victim's timeline holds (the portal that shows it to her after a one-time code comes with issue 7).
    const seen = await getTimeline(test.database.db, actorFor(coordinator), caseId, 'victim');
    const summaries = seen.map((event) => event.summary);
    assert.ok(summaries.includes('A suspect has been arrested'));
    assert.ok(summaries.includes('The suspect has been released while the police investigate'));
    assert.ok(seen.every((event) => event.visibility === 'victim'));

    // She asks the officer from the portal, signed in as herself.
    const { person_id: personId } = await test.database.db.selectFrom('victim_case').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    const victim = await signInVictim(test.database.db, personId);
    await receiveVictimMessage(test.database.db, victim.actor, caseId, 'police', { body: 'Will I be told if he comes near my house?', idempotencyKey: `q-${caseId}` });
    const officerCookie = await signIn(test.app, officer);
    const mine = await test.app.inject({ method: 'GET', url: '/my-victims', headers: { cookie: officerCookie } });
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, new RegExp(`/my-victims/${caseId}`), 'the case is in the officer’s list');
    const page = await test.app.inject({ method: 'GET', url: `/my-victims/${caseId}`, headers: { cookie: officerCookie } });
    assert.match(page.body, /Will I be told if he comes near my house\?/);
    const replied = await postForm(test.app, `/my-victims/${caseId}/messages`, officerCookie, { submissionKey: submissionKeyIn(page.body), body: 'Yes. His release conditions are being checked and I will call you today.' }, `/my-victims/${caseId}`);
    assert.equal(replied.statusCode, 303, replied.body);

    const message = await eventOf(caseId, 'message_to_victim');
    assert.equal(message.visibility, 'victim');
    const sent = await deliver(message.id);
    assert.equal(sent.channel, 'email');
    assert.doesNotMatch(JSON.stringify(sent.personalisation), /release conditions|call you|Grace/, 'the email says only that there is a new message');
    const arrest = await eventOf(caseId, 'suspect_arrested');
    await deliver(arrest.id);
    await runCodeClock(test.database.db, { settle: true });
    const told = await test.database.db.selectFrom('obligation').selectAll().where('case_id', '=', caseId).where('trigger_event_id', '=', arrest.id).executeTakeFirstOrThrow();
    assert.equal(told.duty, 'investigation_update');
    assert.equal(told.state, 'met', 'the delivered update meets the police’s duty to tell her of the arrest');
  });

  it('journey 5: a charge on Good Friday is due the day after Easter Monday, and turns overdue at the top of the coordinator’s list when nobody tells the victim', async () => {
    const { caseId, crimeReference } = await refer('5D', 'Violence against the person');
    await assignCoordinator(test.database.db, actorFor(coordinator), caseId, coordinator.id);
    // 16:00 BST on Good Friday, 3 April 2026.
    await sendEvent(police, crimeReference, 'suspect_charged', new Date('2026-04-03T15:00:00Z'), { charges: 'Wounding with intent' });
    await runCodeClock(test.database.db, { settle: true });
    const duty = await obligation(caseId, 'charge_update');
    assert.equal(duty.enhanced, true, 'wounding with intent is a most serious crime');
    assert.equal(duty.working_days, 1);
    assert.equal(new Date(duty.due_at).toISOString(), '2026-04-07T22:59:59.999Z', 'the end of Tuesday 7 April, London time');
    // Nobody has said how the victim may safely be contacted, so no message goes: a coordinator task does instead.
    const charged = await eventOf(caseId, 'suspect_charged');
    // The decision is made again just before sending (the profile may have changed), so wait for the final one.
    const notification = await until('the notification to be withheld', async () => {
      const row = await test.database.db.selectFrom('notification').select(['state', 'withheld_reason']).where('event_id', '=', charged.id).executeTakeFirst();
      return row && row.state !== 'queued' && row.state !== 'sending' ? row : undefined;
    });
    assert.equal(notification.state, 'withheld');
    const tasks = await test.database.db.selectFrom('case_task').select('kind').where('case_id', '=', caseId).execute();
    assert.ok(tasks.some((task) => task.kind === 'victim_not_contactable'));

    await sweepOverdue(test.database.db, new Date('2026-04-08T00:00:00Z'));
    assert.equal((await obligation(caseId, 'charge_update')).state, 'overdue');
    const list = await listWorkerCases(test.database.db, actorFor(coordinator), {});
    assert.equal(list.cases[0]?.id, caseId, 'the overdue case is at the top of the coordinator’s list');
    const alerts = await overdueAlertsFor(test.database.db, actorFor(coordinator));
    assert.ok(alerts.alerts.some((alert) => alert.caseId === caseId && alert.duty === 'charge_update' && alert.forMe));
  });

  it('journey 6: the special-measures outcome reaches the victim within the working day after witness care records it', async () => {
    const { caseId } = await refer('5D', 'Violence against the person');
    await emailIsSafe(caseId);
    const [year, month, day] = todayInLondon().split('-') as [string, string, string];
    const assessment: Record<string, string> = { method: 'phone', day, month, year, language: 'English', submissionKey: crypto.randomUUID() };
    for (const question of QUESTIONS) if (question.required && question.type !== 'text') assessment[question.id] = question.type === 'yes_no' ? 'no' : (question.options?.[0]?.value ?? '');
    await saveAssessment(test.database.db, actorFor(coordinator), caseId, { ...assessment, physical_disability: 'yes', health_affects_evidence: 'yes', may_give_evidence: 'yes', health_notes: 'Severe epileptic seizures' });
    const hearingForm = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/hearings/new`, headers: { cookie: hubCookie } });
    const hearingDay = partsOf(addDays(londonDateOf(new Date()), 14));
    const hearing = await postForm(test.app, `/cases/${caseId}/hearings`, hubCookie, {
      submissionKey: submissionKeyIn(hearingForm.body), 'hearingDate-day': String(hearingDay.day), 'hearingDate-month': String(hearingDay.month), 'hearingDate-year': String(hearingDay.year),
      time: '10:00', courtName: 'Wyvern Crown Court', hearingType: 'trial',
    }, `/cases/${caseId}/hearings/new`);
    assert.equal(hearing.statusCode, 303, hearing.body);
    await runCodeClock(test.database.db, { settle: true });
    const review = await test.app.inject({ method: 'GET', url: '/pre-court-review', headers: { cookie: hubCookie } });
    assert.match(review.body, /Live link: giving evidence from another room or place \(section 24\)/);
    assert.match(review.body, /remote live link from another place/);

    const wcuCookie = await signIn(test.app, witnessCare);
    const form = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/special-measures/application`, headers: { cookie: wcuCookie } });
    assert.equal(form.statusCode, 200, form.body);
    const today = partsOf(londonDateOf(new Date()));
    const dated = (prefix: string) => ({ [`${prefix}-day`]: String(today.day), [`${prefix}-month`]: String(today.month), [`${prefix}-year`]: String(today.year) });
    const applied = await postForm(test.app, `/cases/${caseId}/special-measures/application`, wcuCookie, { submissionKey: submissionKeyIn(form.body), measures: ['live_link'], ...dated('appliedOn') }, `/cases/${caseId}/special-measures/application`);
    assert.equal(applied.statusCode, 303, applied.body);
    const outcomeForm = await test.app.inject({ method: 'GET', url: `/cases/${caseId}/special-measures/outcome`, headers: { cookie: wcuCookie } });
    const outcome = await postForm(test.app, `/cases/${caseId}/special-measures/outcome`, wcuCookie, { submissionKey: submissionKeyIn(outcomeForm.body), 'decision-live_link': 'granted', ...dated('decidedOn') }, `/cases/${caseId}/special-measures/outcome`);
    assert.equal(outcome.statusCode, 303, outcome.body);

    const decided = await eventOf(caseId, 'special_measures_outcome');
    assert.equal(decided.visibility, 'victim');
    const sent = await deliver(decided.id);
    assert.equal(sent.channel, 'email', 'only the channel the victim said is safe');
    await runCodeClock(test.database.db, { settle: true });
    const duty = await obligation(caseId, 'special_measures_update');
    assert.equal(duty.working_days, 1);
    assert.equal(duty.state, 'met');
    assert.ok(new Date(duty.met_at as Date).getTime() <= new Date(duty.due_at).getTime(), 'met on time');
  });

  it('journey 10: a 3-year sentence for a sexual offence is told within 1 WD, the Victim Contact Scheme referral is due in 20 WD, and the opt-in and contact level are recorded', async () => {
    const { caseId, crimeReference } = await refer('19C', 'Sexual offences', 'opted_in');
    await emailIsSafe(caseId);
    await sendEvent(police, crimeReference, 'suspect_charged', new Date(Date.now() - 90 * 86_400_000), { charges: 'Rape' });
    await sendEvent(witnessCareFeed, crimeReference, 'verdict', new Date(Date.now() - 60_000), { outcome: 'guilty' });
    const sentencedAt = new Date();
    await sendEvent(witnessCareFeed, crimeReference, 'sentence', sentencedAt, { sentence: '3 years in prison', custodyMonths: 36, violentOrSexualOffence: true });
    const sentence = await eventOf(caseId, 'sentence');
    assert.equal(sentence.visibility, 'victim');
    const sent = await deliver(sentence.id);
    assert.doesNotMatch(JSON.stringify(sent.personalisation), /3 years|Rape|Grace|JY\//, 'the message says only that there is an update');
    await runCodeClock(test.database.db, { settle: true });
    const told = await test.database.db.selectFrom('obligation').selectAll().where('case_id', '=', caseId).where('duty', '=', 'outcome_update').where('trigger_event_id', '=', sentence.id).executeTakeFirstOrThrow();
    assert.equal(told.state, 'met');
    assert.equal(told.working_days, 1);
    assert.ok(new Date(told.met_at as Date).getTime() <= new Date(told.due_at).getTime());
    const vcs = await obligation(caseId, 'victim_contact_scheme_referral');
    assert.equal(vcs.working_days, 20);
    assert.equal(vcs.state, 'open');

    await sendEvent(probation, crimeReference, 'victim_contact_scheme_referred', new Date());
    await sendEvent(probation, crimeReference, 'victim_contact_scheme_opted_in', new Date());
    await sendEvent(probation, crimeReference, 'victim_contact_scheme_contact_level', new Date(), { contactLevel: 'key_stages' });
    await runCodeClock(test.database.db, { settle: true });
    assert.equal((await obligation(caseId, 'victim_contact_scheme_referral')).state, 'met');
    const level = await eventOf(caseId, 'victim_contact_scheme_contact_level');
    assert.equal(level.visibility, 'victim');
    assert.equal(level.detail.contactLevel, 'key_stages');
    assert.ok(await eventOf(caseId, 'victim_contact_scheme_opted_in'));
  });
});
