// The victim's "My case" pages through the app, on PGlite or PostgreSQL: the victim's own case with its timeline in
// plain words (English and Welsh) and never a staff-only event, hearings with a calendar file, support, the person to
// contact and Code rights; another victim's case and another case's hearing are 404s (and the refusal is audited);
// a person with two cases sees both; a parent sees the child's case, a supporter reads only, and a revoked link
// reaches nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInDelegate, signInVictim } from '../../../test/support/portal.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { appendTimelineEvent, assignCoordinator, logContact } from '../cases/service.ts';
import { receiveReferral } from '../intake/service.ts';
import { runCodeClock } from '../obligations/service.ts';
import { recordHearing } from '../pre-court/service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const count = (html: string, needle: string) => html.split(needle).length - 1;
let counter = 0;

describe('the victim’s My case pages', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let forceId: string;

  type Person = { givenName: string; familyName: string; phone: string };
  const newPerson = (givenName: string): Person => {
    counter += 1;
    return { givenName, familyName: `Portal${counter}${randomUUID().slice(0, 6)}`, phone: `07700 9${String(10000 + counter).padStart(5, '0')}` };
  };

  /** A police referral for the person on a new crime; the same person details again give the same person a second case. */
  async function newCase(person: Person, offenceCode = '49') {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `PORTAL-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { ...person, dateOfBirth: '1985-04-04' },
        crime: { crimeReference: `WY/${70000 + counter}/26`, offenceCode, offenceCategory: '', reportedAt: new Date('2026-03-03T10:00:00Z') },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const row = await test.database.db.selectFrom('victim_case').select(['id', 'person_id']).where('id', '=', receipt.caseId).executeTakeFirstOrThrow();
    return { caseId: row.id, personId: row.person_id };
  }

  const event = (caseId: string, kind: string, summary: string, visibility: 'victim' | 'staff', detail: Record<string, unknown> = {}) =>
    inTransaction(test.database.db, (trx) =>
      appendTimelineEvent(trx, police, { caseId, kind, summary, detail, source: 'police_api', idempotencyKey: `${kind}:${caseId}:${randomUUID()}`, visibility, occurredAt: new Date() }),
    );
  const get = (url: string, cookie: string) => test.app.inject({ method: 'GET', url, headers: { cookie } });
  const audits = (action: string, recordId: string) =>
    test.database.db.selectFrom('audit_event').select(['actor_label', 'detail']).where('action', '=', action).where('record_id', '=', recordId).execute();

  /** A case with something in every section: updates, a hearing, referrals, a care plan, Code duties and enhanced rights. */
  async function fullCase(person: Person) {
    const made = await newCase(person);
    const { caseId, personId } = made;
    await assignCoordinator(test.database.db, actorFor(coordinator), caseId, coordinator.id);
    await event(caseId, 'suspect_charged', 'The suspect has been charged', 'victim', { charges: 'Theft from a shop', personalNote: 'I will call you on Monday.' });
    await event(caseId, 'contact_logged', 'STAFF-ONLY-SECRET: victim sounded distressed', 'staff');
    const hearingAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const { hearingId } = await recordHearing(test.database.db, actorFor(coordinator), caseId, {
      'hearingDate-day': String(hearingAt.getUTCDate()),
      'hearingDate-month': String(hearingAt.getUTCMonth() + 1),
      'hearingDate-year': String(hearingAt.getUTCFullYear()),
      time: '10:00',
      courtName: 'Wyvern Crown Court',
      hearingType: 'trial',
      submissionKey: randomUUID(),
    });
    const provider = await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: `Safe Homes Trust ${randomUUID().slice(0, 6)}` });
    const service = (name: string, welshName: string | null) =>
      test.database.db.insertInto('organisation_service').values({ organisation_id: provider.id, name, welsh_name: welshName, category: 'Practical support', description: 'Help.' }).returning('id').executeTakeFirstOrThrow();
    const locks = await service('Lock fitting', 'Gosod cloeon');
    const draft = await service('Draft-only counselling', null);
    // A sent referral names the victim-visible event that sent it, as support-referrals records it.
    const referralId = randomUUID();
    const sent = await event(caseId, 'service_referral_sent', 'We referred you to Lock fitting', 'victim', { referralId });
    const referral = (id: string, serviceId: string, status: 'accepted' | 'draft') =>
      test.database.db.insertInto('support_referral').values({
        id, case_id: caseId, person_id: personId, area_id: coordinator.areaId, service_id: serviceId, organisation_id: provider.id, status, summary: 'Needs locks.',
        created_by_user_id: coordinator.id, submission_key: randomUUID(),
        ...(status === 'accepted' ? { sent_at: sent.event.occurredAt, sent_event_id: sent.event.id } : {}),
      }).execute();
    await referral(referralId, locks.id, 'accepted');
    await referral(randomUUID(), draft.id, 'draft');
    const action = (description: string, status: 'agreed' | 'cancelled') =>
      test.database.db.insertInto('care_plan_action').values({ case_id: caseId, description, owner_kind: 'victim', due_date: '2026-12-03', status, submission_key: randomUUID(), created_by_user_id: coordinator.id,
        ...(status === 'cancelled' ? { cancelled_at: new Date(), cancelled_by_user_id: coordinator.id, cancel_reason: 'No longer needed' } : {}) }).execute();
    await action('Keep a diary of any contact', 'agreed');
    await action('Cancelled-plan-item', 'cancelled');
    await test.database.db.insertInto('entitlement_decision').values({
      case_id: caseId, category: 'vulnerable', source: 'coordinator', rule: 'coordinator', reason: 'Test', evidence: '{}', decided_by_user_id: coordinator.id, decided_by: coordinator.id,
    }).execute();
    await test.database.db.insertInto('case_message').values({ id: randomUUID(), case_id: caseId, direction: 'to_victim', author_user_id: coordinator.id, body: 'Hello', idempotency_key: randomUUID() }).execute();
    await runCodeClock(test.database.db, { settle: true });
    return { ...made, hearingId };
  }

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Wyvern Victim Gateway' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' })).id;
  });
  after(async () => {
    await test.close();
  });

  it('shows the victim their case: the timeline in plain words, hearings, support, the person to contact and Code rights, audited', async () => {
    const { caseId, personId } = await fullCase(newPerson('Nadia'));
    const victim = await signInVictim(test.database.db, personId);
    const response = await get(`/my-case/cases/${caseId}`, victim.cookie);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    const html = response.body;
    assert.equal(titleOf(html), 'Your case – Haven', 'the title names neither the victim nor the crime');
    assert.ok(html.includes('class="moj-timeline"'));
    assert.ok(html.includes('The suspect has been charged'));
    assert.ok(html.includes('Witness care will tell you the date of the first hearing'), 'what happens next');
    assert.ok(html.includes('Theft from a shop') && html.includes('I will call you on Monday.'), 'the agency’s facts and the officer’s note');
    assert.ok(html.includes('A coordinator is looking after your case'), 'a victim-visible event that is not an agency update has catalogue words');
    assert.ok(html.includes('We referred you to Lock fitting'), 'a referral event names its service');
    assert.ok(!html.includes('STAFF-ONLY-SECRET'), 'a staff-only event is never shown');
    // Upcoming hearings with a calendar download.
    assert.ok(html.includes('Wyvern Crown Court') && html.includes('Trial'));
    assert.match(html, new RegExp(`href="/my-case/cases/${caseId}/hearings/[0-9a-f-]{36}/calendar.ics"`));
    // My support: the person to contact (no staff email), referrals (no drafts), the care plan (no cancelled actions).
    assert.ok(html.includes('Your coordinator is Cara Coordinator at Wyvern Victim Gateway.'));
    assert.ok(!html.includes(coordinator.email), 'no staff email');
    assert.ok(html.includes('Lock fitting') && html.includes('They will contact you'));
    assert.ok(!html.includes('Draft-only counselling'), 'a draft referral is not shown');
    assert.ok(html.includes('Keep a diary of any contact') && !html.includes('Cancelled-plan-item'));
    // My Code rights, and enhanced rights.
    assert.ok(html.includes('You should be told about a charge within'), 'the charge duty the clock started');
    assert.ok(html.includes('You should be told the date, time and place of a court hearing within'));
    assert.ok(html.includes('You have enhanced rights.'));
    // Links to the messages and complaints pages, by the case's id only.
    assert.ok(html.includes(`href="/my-case/cases/${caseId}/messages"`) && html.includes(`href="/my-case/cases/${caseId}/complaint"`));
    assert.ok(html.includes('1 unread message'));
    const viewed = await audits('portal.case_viewed', caseId);
    assert.equal(viewed.length, 1);
    assert.equal(viewed[0]?.actor_label, `portal:${victim.accountId}`);
  });

  it('shows the case in Welsh with ?lang=cy', async () => {
    const { caseId, personId } = await fullCase(newPerson('Bethan'));
    const victim = await signInVictim(test.database.db, personId);
    const html = (await get(`/my-case/cases/${caseId}?lang=cy`, victim.cookie)).body;
    assert.equal(titleOf(html), 'Eich achos – Haven');
    assert.ok(html.includes('Mae’r sawl a amheuir wedi cael ei gyhuddo'));
    assert.ok(html.includes('Beth sy’n digwydd nesaf'));
    assert.ok(html.includes('Rydym wedi eich atgyfeirio at Gosod cloeon'), 'the service’s Welsh name, on the timeline too');
    assert.ok(html.includes('Dylid dweud wrthych am gyhuddiad o fewn'));
    assert.ok(html.includes('Treial'));
    assert.ok(!html.includes('The suspect has been charged') && !html.includes('STAFF-ONLY-SECRET'));
  });

  it('downloads a hearing as a calendar file, never cached; another case’s hearing is a 404', async () => {
    const first = await fullCase(newPerson('Cerys'));
    const other = await fullCase(newPerson('Dilys'));
    const victim = await signInVictim(test.database.db, first.personId);
    const response = await get(`/my-case/cases/${first.caseId}/hearings/${first.hearingId}/calendar.ics`, victim.cookie);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/calendar/);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(String(response.headers['content-disposition']), /attachment; filename="court-hearing.ics"/);
    assert.match(response.body, /^BEGIN:VCALENDAR\r\n/);
    assert.ok(response.body.includes('LOCATION:Wyvern Crown Court'));
    assert.ok(!response.body.includes('Cerys'), 'the file names no one');
    assert.equal((await audits('portal.hearing_calendar_downloaded', first.caseId)).length, 1);
    // Another case's hearing under the victim's own case, or under the other case: both 404.
    assert.equal((await get(`/my-case/cases/${first.caseId}/hearings/${other.hearingId}/calendar.ics`, victim.cookie)).statusCode, 404);
    assert.equal((await get(`/my-case/cases/${other.caseId}/hearings/${other.hearingId}/calendar.ics`, victim.cookie)).statusCode, 404);
    assert.equal((await get(`/my-case/cases/${first.caseId}/hearings/not-a-uuid/calendar.ics`, victim.cookie)).statusCode, 404);
  });

  it('another victim’s case is a 404, and the refusal is audited', async () => {
    const mine = await newCase(newPerson('Efa'));
    const theirs = await fullCase(newPerson('Ffion'));
    const victim = await signInVictim(test.database.db, mine.personId);
    const response = await get(`/my-case/cases/${theirs.caseId}`, victim.cookie);
    assert.equal(response.statusCode, 404);
    assert.ok(!response.body.includes('Ffion') && !response.body.includes('Wyvern Crown Court'));
    const refused = await audits('portal.access_refused', theirs.caseId);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.actor_label, `portal:${victim.accountId}`);
    assert.equal((await audits('portal.case_viewed', theirs.caseId)).length, 0);
    assert.equal((await get('/my-case/cases/not-a-case', victim.cookie)).statusCode, 404);
    assert.equal((await get(`/my-case/cases/${randomUUID()}`, victim.cookie)).statusCode, 404);
  });

  it('a person with two cases sees both, and only theirs', async () => {
    const person = newPerson('Gwen');
    const first = await newCase(person, '49');
    const second = await newCase(person, '58A');
    assert.equal(first.personId, second.personId, 'the same person details name the same person');
    await newCase(newPerson('Someone'));
    const victim = await signInVictim(test.database.db, first.personId);
    const response = await get('/my-case', victim.cookie);
    assert.equal(response.statusCode, 200);
    assert.equal(titleOf(response.body), 'Your cases – Haven');
    assert.equal(count(response.body, 'data-testid="portal-case"'), 2);
    assert.ok(response.body.includes(`href="/my-case/cases/${first.caseId}"`) && response.body.includes(`href="/my-case/cases/${second.caseId}"`));
    assert.ok(response.body.includes('reported on 3 March 2026'));
    assert.equal((await get(`/my-case/cases/${second.caseId}`, victim.cookie)).statusCode, 200);
  });

  it('a parent sees the child’s case and acts for them; a supporter reads only; a revoked link reaches nothing', async () => {
    const child = await fullCase(newPerson('Hana'));
    const parent = await signInDelegate(test.database.db, { personId: child.personId, relation: 'parent_or_carer', email: `parent-${randomUUID()}@example.com`, grantedByUserId: coordinator.id });
    const list = await get('/my-case', parent.cookie);
    assert.equal(count(list.body, 'data-testid="portal-case"'), 1);
    assert.ok(list.body.includes('You are acting for Hana'));
    const page = await get(`/my-case/cases/${child.caseId}`, parent.cookie);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('The suspect has been charged') && !page.body.includes('STAFF-ONLY-SECRET'));

    const supporter = await signInDelegate(test.database.db, { personId: child.personId, relation: 'supporter', email: `supporter-${randomUUID()}@example.com`, grantedByUserId: coordinator.id });
    assert.ok((await get(`/my-case/cases/${child.caseId}`, supporter.cookie)).body.includes('You are supporting Hana. You can read only.'));
    // Each view is audited under the account that read it, with how it reaches the case.
    const viewed = await audits('portal.case_viewed', child.caseId);
    assert.deepEqual(
      viewed.map((row) => [row.actor_label, (row.detail as { relation: string }).relation]).sort(),
      [[`portal:${parent.accountId}`, 'parent_or_carer'], [`portal:${supporter.accountId}`, 'supporter']].sort(),
    );

    await test.database.db.updateTable('portal_link').set({ revoked_at: new Date(), revoked_by_user_id: coordinator.id, revoke_reason: 'Test' }).where('id', '=', parent.linkId).execute();
    const after = await get('/my-case', parent.cookie);
    assert.equal(after.statusCode, 200);
    assert.equal(count(after.body, 'data-testid="portal-case"'), 0);
    assert.ok(after.body.includes('data-testid="portal-no-cases"'));
    assert.equal((await get(`/my-case/cases/${child.caseId}`, parent.cookie)).statusCode, 404);
    assert.equal((await get(`/my-case/cases/${child.caseId}/hearings/${child.hearingId}/calendar.ics`, parent.cookie)).statusCode, 404);
    assert.equal((await audits('portal.case_viewed', child.caseId)).length, 2, 'a refused view is not audited as a view');
  });

  it('asks the victim to rate each key moment the case has reached and they have not rated; a supporter is asked nothing', async () => {
    const person = newPerson('Jasmin');
    const { caseId, personId } = await newCase(person);
    const victim = await signInVictim(test.database.db, personId);
    const prompts = async (cookie: string) => {
      const html = (await get(`/my-case/cases/${caseId}`, cookie)).body;
      return [...html.matchAll(new RegExp(`href="/my-case/cases/${caseId}/feedback/([a-z_]+)"`, 'g'))].map((match) => match[1]);
    };
    assert.deepEqual(await prompts(victim.cookie), [], 'a new case has reached no moment');

    // A successful contact in the log, on a case whose status says nothing of it (fixture), is the first contact.
    await logContact(test.database.db, actorFor(coordinator), caseId, { channel: 'phone', direction: 'outbound', outcome: 'successful', day: '2', month: '3', year: '2026', time: '10:00' });
    await test.database.db.updateTable('victim_case').set({ status: 'new' }).where('id', '=', caseId).execute();
    // A verdict the victim was told of is the court outcome; a staff-only one would not be.
    await event(caseId, 'verdict', 'The court has reached a verdict', 'victim', { outcome: 'guilty' });
    assert.deepEqual(await prompts(victim.cookie), ['first_contact', 'court_outcome']);

    const provider = await createOrganisation(test.database.db, { kind: 'provider', areaId: coordinator.areaId, name: `Closing Trust ${randomUUID().slice(0, 6)}` });
    const service = await test.database.db.insertInto('organisation_service').values({ organisation_id: provider.id, name: 'Counselling', category: 'Emotional support', description: 'Help.' }).returning('id').executeTakeFirstOrThrow();
    const sent = await event(caseId, 'service_referral_sent', 'We referred you to Counselling', 'victim');
    await test.database.db.insertInto('support_referral').values({
      case_id: caseId, person_id: personId, area_id: coordinator.areaId, service_id: service.id, organisation_id: provider.id, status: 'closed', outcome: 'engaged_completed', closed_at: new Date(),
      summary: 'Support', created_by_user_id: coordinator.id, submission_key: randomUUID(), sent_at: sent.event.occurredAt, sent_event_id: sent.event.id,
    }).execute();
    await test.database.db.insertInto('victim_feedback').values({ case_id: caseId, area_id: coordinator.areaId, moment: 'first_contact', rating: 4, given_by_account_id: victim.accountId }).execute();
    assert.deepEqual(await prompts(victim.cookie), ['referral_closed', 'court_outcome'], 'a rated moment is not asked again');

    const supporter = await signInDelegate(test.database.db, { personId, relation: 'supporter', email: `supporter-${randomUUID()}@example.com`, grantedByUserId: coordinator.id });
    assert.deepEqual(await prompts(supporter.cookie), []);
  });

  it('sends anyone not signed in to the portal to sign in', async () => {
    const { caseId } = await newCase(newPerson('Iona'));
    for (const url of ['/my-case', `/my-case/cases/${caseId}`]) {
      const response = await test.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/my-case/sign-in');
    }
  });
});
