// The portal's preferences pages end to end, on PGlite or PostgreSQL: a victim changes her safe ways of contact (and
// the notification engine then never chooses text messages), her language (notifications and the pages turn Welsh),
// her communication needs and how often she wants updates (which sets the stale-case nudge's period). Bad input shows
// the error summary and stores nothing; a supporter reads with the secrets hidden and is refused a change; a parent
// changes the child's; another victim's ids are a 404; audit rows and timeline events name fields, never values.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { signInDelegate, signInVictim, type TestPortalUser } from '../../../test/support/portal.ts';
import { createOrganisation, createStaffUser, mergeCookies, postForm, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { decideNotification, notificationProfile } from '../notifications/rules.ts';
import { raiseStaleCaseTasks } from '../police-view/service.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const submissionKeyIn = (html: string) => /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
let counter = 0;

describe('the portal’s preferences', () => {
  let test: TestApp;
  let coordinator: TestStaffUser;
  let forceId: string;

  /** A police referral for a new victim with an email, a phone and texts and emails as safe channels. */
  async function newVictim(options: { givenName?: string; ageDays?: number } = {}) {
    counter += 1;
    const stamp = `${counter}${Date.now() % 100000}`;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `PREF-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: {
          givenName: options.givenName ?? 'Rhian',
          familyName: `Prefs${stamp}`,
          dateOfBirth: '1985-03-04',
          email: `prefs${stamp}@example.com`,
          phone: `07700 9${stamp.padStart(5, '0').slice(-5)}`,
          safeContact: { channels: ['sms', 'email'], codeWord: null },
        },
        crime: { crimeReference: `PR/${70000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    if (options.ageDays) await sql`update victim_case set created_at = now() - make_interval(days => ${options.ageDays}) where id = ${receipt.caseId}`.execute(test.database.db);
    const row = await test.database.db.selectFrom('victim_case').select('person_id').where('id', '=', receipt.caseId).executeTakeFirstOrThrow();
    return { caseId: receipt.caseId, personId: row.person_id };
  }

  const personOf = (personId: string) => test.database.db.selectFrom('person').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
  const get = (url: string, user: TestPortalUser) => test.app.inject({ method: 'GET', url, headers: { cookie: user.cookie } });
  /** Opens the change page (for its submission key and CSRF token) and sends the form as a browser would. */
  async function change(user: TestPortalUser, caseId: string, section: string, fields: Record<string, string | string[]>) {
    const url = `/my-case/preferences/${caseId}/${section}`;
    const page = await get(url, user);
    assert.equal(page.statusCode, 200, `the ${section} page opens`);
    return postForm(test.app, url, user.cookie, { submissionKey: submissionKeyIn(page.body), ...fields }, url);
  }
  const auditsOf = (action: string, recordId: string) =>
    test.database.db.selectFrom('audit_event').selectAll().where('action', '=', action).where('record_id', '=', recordId).orderBy('id').execute();
  const eventsOf = (caseId: string) => test.database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId).where('kind', '=', 'portal_preferences_changed').execute();

  before(async () => {
    test = await createTestApp();
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' })).id;
  });
  after(async () => {
    await test.close();
  });

  it('shows the summary with Change links, and a title that names nobody', async () => {
    const { caseId, personId } = await newVictim({ givenName: 'Bronwen' });
    const victim = await signInVictim(test.database.db, personId);
    const page = await get('/my-case/preferences', victim);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(titleOf(page.body), 'Your preferences – Haven');
    for (const section of ['safe-contact', 'language', 'needs', 'updates']) assert.ok(page.body.includes(`href="/my-case/preferences/${caseId}/${section}"`), section);
    assert.match(page.body, /Text message/);
    assert.match(page.body, /As the Victims’ Code says/);
    assert.equal((await auditsOf('portal_preferences.viewed', personId)).length, 1, 'the read is audited');
    const signedOut = await test.app.inject({ method: 'GET', url: '/my-case/preferences' });
    assert.equal(signedOut.statusCode, 303);
    assert.equal(signedOut.headers.location, '/my-case/sign-in');
  });

  it('removing text messages means notifications never choose them; the coordinator is told, once, without values', async () => {
    const { caseId, personId } = await newVictim();
    const victim = await signInVictim(test.database.db, personId);
    const recipientOf = async () => {
      const person = await personOf(personId);
      return { profile: notificationProfile(person.safe_contact), recipient: { email: person.email, phone: person.phone, preferredLanguage: person.preferred_language } };
    };
    const before = await recipientOf();
    assert.deepEqual(decideNotification(before.profile, before.recipient), { kind: 'send', channels: ['sms', 'email'], language: 'en' }, 'texts were chosen first before');

    const page = await get(`/my-case/preferences/${caseId}/safe-contact`, victim);
    const submissionKey = submissionKeyIn(page.body);
    assert.ok(submissionKey);
    const fields = { submissionKey, channels: ['email', 'letter'], safeTimes: 'Weekdays 10am to 2pm', voicemailSafe: 'no', safeAddress: '4 Quiet Lane\nSafeton', codeWord: 'bluebell' };
    const url = `/my-case/preferences/${caseId}/safe-contact`;
    const saved = await postForm(test.app, url, victim.cookie, fields, url);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/my-case/preferences?saved=1');

    const after = await recipientOf();
    assert.deepEqual(after.profile.channels, ['email', 'letter']);
    const decision = decideNotification(after.profile, after.recipient);
    assert.deepEqual(decision, { kind: 'send', channels: ['email'], language: 'en' });
    const stored = (await personOf(personId)).safe_contact;
    assert.equal(stored.codeWord, 'bluebell');
    assert.equal(stored.safeAddress, '4 Quiet Lane\nSafeton');
    assert.equal(stored.voicemailSafe, false);

    // The same form sent again changes nothing more.
    assert.equal((await postForm(test.app, url, victim.cookie, fields, url)).statusCode, 303);
    const events = await eventsOf(caseId);
    assert.equal(events.length, 1, 'one staff-only event, however often the form is sent');
    assert.equal(events[0]?.visibility, 'staff');
    assert.deepEqual(events[0]?.detail.fields, ['channels', 'safeTimes', 'voicemailSafe', 'safeAddress', 'codeWord']);
    const changed = await auditsOf('portal_preferences.changed', personId);
    assert.equal(changed.length, 1);
    assert.deepEqual(changed[0]?.detail.fields, ['channels', 'safeTimes', 'voicemailSafe', 'safeAddress', 'codeWord']);
    assert.equal(changed[0]?.actor_label, `portal:${victim.accountId}`);
    const everything = JSON.stringify([...changed, ...(await auditsOf('person.safe_contact_changed', personId)), ...events]);
    for (const secret of ['bluebell', 'Quiet Lane', 'Weekdays 10am']) assert.ok(!everything.includes(secret), `no audit row or event holds ${secret}`);

    const summary = await get('/my-case/preferences?saved=1', victim);
    assert.match(summary.body, /Your changes have been saved/);
    assert.match(summary.body, /4 Quiet Lane<br \/>\s*Safeton/, 'she sees her own safe address');
    assert.match(summary.body, /bluebell/, 'and her own code word');
  });

  it('Welsh: notifications and the pages change language', async () => {
    const { caseId, personId } = await newVictim();
    const victim = await signInVictim(test.database.db, personId);
    const saved = await change(victim, caseId, 'language', { language: 'cy' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/my-case/preferences?saved=1&lang=cy');
    const person = await personOf(personId);
    assert.equal(person.preferred_language, 'cy');
    const decision = decideNotification(notificationProfile(person.safe_contact), { email: person.email, phone: person.phone, preferredLanguage: person.preferred_language });
    assert.equal(decision.kind === 'send' && decision.language, 'cy');

    const welsh = await test.app.inject({ method: 'GET', url: saved.headers.location as string, headers: { cookie: victim.cookie } });
    assert.match(welsh.body, /<html lang="cy"/);
    assert.equal(titleOf(welsh.body), 'Eich dewisiadau – Haven');
    assert.match(welsh.body, /Mae eich newidiadau wedi’u cadw/);
    const remembered = mergeCookies(victim.cookie, welsh);
    assert.match(remembered, /haven_lang=cy/, 'the language cookie now matches');
    const next = await test.app.inject({ method: 'GET', url: `/my-case/preferences/${caseId}/updates`, headers: { cookie: remembered } });
    assert.match(next.body, /<html lang="cy"/);
    assert.match(next.body, /Pa mor aml ydych chi eisiau diweddariadau\?/);
    assert.deepEqual((await auditsOf('portal_preferences.changed', personId))[0]?.detail.fields, ['preferredLanguage']);
  });

  it('communication needs are stored as plain lines and shown back', async () => {
    const { caseId, personId } = await newVictim();
    const victim = await signInVictim(test.database.db, personId);
    const saved = await change(victim, caseId, 'needs', { needs: ['large_print', 'bsl_interpreter'], interpreterLanguage: 'Polish', other: 'Please give me <extra> time' });
    assert.equal(saved.statusCode, 303);
    assert.equal((await personOf(personId)).communication_needs, 'Large print\nBritish Sign Language (BSL) interpreter\nInterpreter language: Polish\nOther needs: Please give me <extra> time');
    const summary = await get('/my-case/preferences', victim);
    assert.match(summary.body, /Interpreter: Polish/);
    assert.match(summary.body, /Please give me &lt;extra&gt; time/, 'her words are escaped');
    const form = await get(`/my-case/preferences/${caseId}/needs`, victim);
    assert.match(form.body, /value="large_print" checked/);
    const audit = JSON.stringify(await auditsOf('portal_preferences.changed', personId));
    assert.ok(!audit.includes('Polish') && !audit.includes('extra'));
  });

  it('how often she wants updates sets the stale-case nudge’s period', async () => {
    const weekly = await newVictim({ ageDays: 8 });
    const unchosen = await newVictim({ ageDays: 8 });
    const monthly = await newVictim({ ageDays: 20 });
    const victim = await signInVictim(test.database.db, weekly.personId);
    assert.equal((await change(victim, weekly.caseId, 'updates', { frequency: 'weekly' })).statusCode, 303);
    assert.equal((await personOf(weekly.personId)).update_frequency, 'weekly');
    const other = await signInVictim(test.database.db, monthly.personId);
    assert.equal((await change(other, monthly.caseId, 'updates', { frequency: 'fortnightly' })).statusCode, 303);

    await raiseStaleCaseTasks(test.database.db, new Date());
    const tasksOf = (caseId: string) => test.database.db.selectFrom('case_task').selectAll().where('case_id', '=', caseId).where('kind', '=', 'stale_case_update').execute();
    const raised = await tasksOf(weekly.caseId);
    assert.equal(raised.length, 1, 'a weekly victim without an update for 8 days is stale');
    assert.match(raised[0]?.title ?? '', /agreed 7 days/);
    assert.equal((await tasksOf(unchosen.caseId)).length, 0, 'the area’s 28 days still apply to a victim who chose nothing');
    assert.match((await tasksOf(monthly.caseId))[0]?.title ?? '', /agreed 14 days/);

    // Back to the Code's default: the area's cadence again.
    assert.equal((await change(victim, weekly.caseId, 'updates', { frequency: 'code_default' })).statusCode, 303);
    assert.equal((await personOf(weekly.personId)).update_frequency, null);
    const form = await get(`/my-case/preferences/${weekly.caseId}/updates`, victim);
    assert.match(form.body, /value="code_default" checked/);
  });

  it('bad input shows the error summary, keeps what was typed and stores nothing', async () => {
    const { caseId, personId } = await newVictim();
    const victim = await signInVictim(test.database.db, personId);
    const before = await personOf(personId);
    const refused = await change(victim, caseId, 'safe-contact', { channels: ['email', 'none'], codeWord: 'x'.repeat(51), safeTimes: 'Evenings' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /govuk-error-summary/);
    assert.match(refused.body, /href="#channels"/);
    assert.match(refused.body, /href="#codeWord"/);
    assert.match(titleOf(refused.body), /^Error: /);
    assert.match(refused.body, /value="Evenings"/);
    assert.ok(submissionKeyIn(refused.body), 'the corrected form can still be sent');
    const noFrequency = await change(victim, caseId, 'updates', { frequency: 'hourly' });
    assert.equal(noFrequency.statusCode, 422);
    assert.match(noFrequency.body, /Select how often you want updates/);
    const noKey = await postForm(test.app, `/my-case/preferences/${caseId}/language`, victim.cookie, { language: 'cy' }, `/my-case/preferences/${caseId}/language`);
    assert.equal(noKey.statusCode, 422, 'a form without its submission key is not saved');
    const after = await personOf(personId);
    assert.deepEqual(after.safe_contact, before.safe_contact);
    assert.equal(after.update_frequency, null);
    assert.equal(after.preferred_language, before.preferred_language);
    assert.equal((await auditsOf('portal_preferences.changed', personId)).length, 0);
    assert.equal((await eventsOf(caseId)).length, 0);
  });

  it('a supporter reads with the safe address and code word hidden, and cannot change anything', async () => {
    const { caseId, personId } = await newVictim();
    await test.database.db
      .updateTable('person')
      .set({ safe_contact: JSON.stringify({ channels: ['email'], safeAddress: '9 Hidden Road', codeWord: 'kingfisher' }) })
      .where('id', '=', personId)
      .execute();
    const supporter = await signInDelegate(test.database.db, { personId, relation: 'supporter', email: `supporter${counter}@example.com`, grantedByUserId: coordinator.id });
    const summary = await get('/my-case/preferences', supporter);
    assert.equal(summary.statusCode, 200);
    assert.ok(!summary.body.includes('9 Hidden Road'), 'never the safe address');
    assert.ok(!summary.body.includes('kingfisher'), 'never the code word');
    assert.match(summary.body, /A safe address is recorded \(hidden\)/);
    assert.match(summary.body, /Set \(hidden\)/);
    assert.match(summary.body, /You can see these preferences but you cannot change them/);
    assert.ok(!summary.body.includes(`/my-case/preferences/${caseId}/`), 'no Change links');

    assert.equal((await get(`/my-case/preferences/${caseId}/safe-contact`, supporter)).statusCode, 403);
    const refused = await postForm(test.app, `/my-case/preferences/${caseId}/updates`, supporter.cookie, { submissionKey: randomUUID(), frequency: 'weekly' }, '/my-case/preferences');
    assert.equal(refused.statusCode, 403);
    assert.equal((await personOf(personId)).update_frequency, null);
    const refusals = await auditsOf('portal.access_refused', caseId);
    assert.equal(refusals.length, 2);
    assert.equal(refusals[1]?.detail.refusal, 'Forbidden');
  });

  it('a parent or carer changes the child’s preferences, and the page language stays theirs', async () => {
    const child = await newVictim({ givenName: 'Dylan' });
    const parent = await signInDelegate(test.database.db, { personId: child.personId, relation: 'parent_or_carer', email: `parent${counter}@example.com`, grantedByUserId: coordinator.id });
    const summary = await get('/my-case/preferences', parent);
    assert.match(summary.body, /Preferences for Dylan/);
    assert.equal(titleOf(summary.body), 'Your preferences – Haven', 'the title names nobody');
    assert.equal((await change(parent, child.caseId, 'updates', { frequency: 'monthly' })).statusCode, 303);
    assert.equal((await personOf(child.personId)).update_frequency, 'monthly');
    const language = await change(parent, child.caseId, 'language', { language: 'cy' });
    assert.equal(language.headers.location, '/my-case/preferences?saved=1');
    assert.equal((await personOf(child.personId)).preferred_language, 'cy');
    const events = await eventsOf(child.caseId);
    assert.equal(events.length, 2);
    assert.equal(events[0]?.detail.relation, 'parent_or_carer');
    assert.match(events[0]?.summary ?? '', /parent or carer/);
  });

  it('another victim’s ids, a guessed id and an unknown page are all 404, and nothing changes', async () => {
    const mine = await newVictim();
    const theirs = await newVictim();
    const victim = await signInVictim(test.database.db, mine.personId);
    for (const url of [`/my-case/preferences/${theirs.caseId}/safe-contact`, `/my-case/preferences/${randomUUID()}/language`, '/my-case/preferences/not-a-uuid/needs', `/my-case/preferences/${mine.caseId}/nothing`]) {
      assert.equal((await get(url, victim)).statusCode, 404, url);
    }
    const refused = await postForm(test.app, `/my-case/preferences/${theirs.caseId}/updates`, victim.cookie, { submissionKey: randomUUID(), frequency: 'weekly' }, '/my-case/preferences');
    assert.equal(refused.statusCode, 404);
    assert.equal((await personOf(theirs.personId)).update_frequency, null);
    assert.equal((await auditsOf('portal.access_refused', theirs.caseId)).length, 2);
    const summary = await get('/my-case/preferences', victim);
    assert.ok(!summary.body.includes(theirs.caseId));
  });
});
