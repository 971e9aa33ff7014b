// The self-referral pages through inject(), with cookies and CSRF as a browser sends them, on PGlite or real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, csrfTokenIn, mergeCookies } from '../../../test/support/staff.ts';
import { SUBMISSIONS_PER_HOUR } from './rules.ts';

let testApp: TestApp;
let areaId: string;

before(async () => {
  testApp = await createTestApp();
  ({ areaId } = await createOrganisation(testApp.database.db, { kind: 'hub', name: 'Wyvern Victim Hub' }));
});
after(() => testApp?.close());

let addressCounter = 0;

/** One browser: its cookies, its address, and the CSRF token of the last page it saw. */
class Visitor {
  cookie = '';
  token = '';
  readonly address = `192.0.2.${++addressCounter}`;

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await testApp.app.inject({ method: 'GET', url, remoteAddress: this.address, headers: { cookie: this.cookie } });
    this.cookie = mergeCookies(this.cookie, response);
    if (response.body.includes('name="_csrf"')) this.token = csrfTokenIn(response.body);
    return response;
  }

  async post(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    if (!this.token) await this.get(url);
    const body = new URLSearchParams({ _csrf: this.token });
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
    const response = await testApp.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.address,
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.cookie = mergeCookies(this.cookie, response);
    return response;
  }

  /** Posts a page's answer and checks it moved on to `next`. */
  async answer(step: string, fields: Record<string, string | string[]>, next: string): Promise<void> {
    await this.get(`/self-referral/${step}`);
    const response = await this.post(`/self-referral/${step}`, fields);
    assert.equal(response.statusCode, 303, `${step}: ${response.body.slice(0, 300)}`);
    assert.equal(response.headers.location, next);
  }
}

const journeyTwoAnswers = async (visitor: Visitor, givenName: string) => {
  await visitor.answer('police', { reported: 'no' }, '/self-referral/what-happened');
  await visitor.answer('what-happened', { category: 'domestic_abuse' }, '/self-referral/name');
  await visitor.answer('name', { givenName, familyName: '' }, '/self-referral/contact');
  await visitor.answer('contact', { channels: ['phone', 'email'] }, '/self-referral/contact-details');
  await visitor.answer('contact-details', { phone: '07700 900 982', email: `${givenName.toLowerCase()}@example.com` }, '/self-referral/call-time');
  await visitor.answer('call-time', { callTime: 'morning', callTimeNote: '' }, '/self-referral/voicemail');
  await visitor.answer('voicemail', { voicemail: 'no' }, '/self-referral/support-needs');
  await visitor.answer('support-needs', { language: '' }, '/self-referral/check');
};

const titleOf = (html: string) => /<title>([\s\S]*?)<\/title>/.exec(html)?.[1]?.trim() ?? '';

const peopleNamed = (givenName: string) =>
  testApp.database.db.selectFrom('person').selectAll().where('given_name', '=', givenName).execute();

describe('self-referral', () => {
  test('/help leads to the start page, which explains the service, 999 and Exit this page', async () => {
    const visitor = new Visitor();
    const help = await visitor.get('/help');
    assert.equal(help.statusCode, 302);
    assert.equal(help.headers.location, '/self-referral');
    const start = await visitor.get('/self-referral');
    assert.equal(start.statusCode, 200);
    assert.match(titleOf(start.body), /^Get support after a crime/);
    assert.match(start.body, /999/);
    assert.match(start.body, /govuk-exit-this-page/);
    assert.match(start.body, /do not need to have reported/);
    assert.match(start.body, /href="\/self-referral\/police"/);
  });

  test('journey 2: the whole flow makes a self-referral case with no crime and an SMS-forbidden safe-contact profile', async () => {
    const visitor = new Visitor();
    const titles: string[] = [];
    for (const step of ['police']) titles.push(titleOf((await visitor.get(`/self-referral/${step}`)).body));
    await journeyTwoAnswers(visitor, 'Amira');

    const check = await visitor.get('/self-referral/check');
    assert.equal(check.statusCode, 200);
    titles.push(titleOf(check.body));
    assert.match(check.body, /Amira/);
    assert.match(check.body, /href="\/self-referral\/name\?change=1"/);
    assert.match(check.body, /Domestic abuse/);
    assert.match(check.body, /name="website"[^>]*tabindex="-1"[^>]*autocomplete="off"/);

    const sent = await visitor.post('/self-referral/check', {});
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/self-referral/confirmation');
    const done = await visitor.get('/self-referral/confirmation');
    assert.equal(done.statusCode, 200);
    titles.push(titleOf(done.body));
    const reference = /HVN-[2-9A-Z]{4}-[2-9A-Z]{2}/.exec(done.body)?.[0];
    assert.ok(reference, 'the confirmation shows a Haven reference');
    assert.match(done.body, /govuk-panel/);
    assert.match(done.body, /What happens next/);

    const [person] = await peopleNamed('Amira');
    assert.ok(person);
    assert.equal(person.phone, '+447700900982');
    assert.equal(person.email, 'amira@example.com');
    assert.equal(person.area_id, areaId);
    const safe = person.safe_contact as { channels: string[]; voicemailSafe: boolean; safeTimes: string };
    assert.deepEqual(safe.channels, ['phone', 'email']);
    assert.equal(safe.channels.includes('sms'), false);
    assert.equal(safe.voicemailSafe, false);
    assert.match(safe.safeTimes, /Morning/);

    const victimCase = await testApp.database.db.selectFrom('victim_case').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    assert.equal(victimCase.source, 'self_referral');
    assert.equal(victimCase.crime_id, null);
    assert.equal(victimCase.source_reference, reference);
    assert.equal(victimCase.support_consent, 'opted_in');

    // The draft is gone, and no title or audit entry holds what she told us.
    assert.equal((await testApp.database.db.selectFrom('self_referral_draft').selectAll().execute()).length, 0);
    for (const title of titles) assert.doesNotMatch(title, /Amira|07700|example\.com/);
    const audit = await testApp.database.db.selectFrom('audit_event').select(['action', 'detail']).execute();
    assert.ok(audit.some((row) => row.action === 'self_referral.received'));
    assert.doesNotMatch(JSON.stringify(audit), /Amira|7700900982|amira@/);

    // Starting again after sending shows a fresh start page.
    const again = await visitor.get('/self-referral');
    assert.doesNotMatch(again.body, /Continue where you left off/);
  });

  test('no page title holds personal data, and every question page has a back link and Exit this page', async () => {
    const visitor = new Visitor();
    await journeyTwoAnswers(visitor, 'Zenobia');
    for (const step of ['police', 'what-happened', 'name', 'contact', 'contact-details', 'call-time', 'voicemail', 'support-needs', 'check']) {
      const page = await visitor.get(`/self-referral/${step}`);
      assert.equal(page.statusCode, 200, step);
      assert.doesNotMatch(titleOf(page.body), /Zenobia|07700|example/, step);
      assert.match(page.body, /govuk-back-link/, step);
      assert.match(page.body, /govuk-exit-this-page/, step);
    }
    const name = await visitor.get('/self-referral/name');
    assert.match(name.body, /value="Zenobia"/);
  });

  test('validation errors show the error summary and inline errors, and nothing moves on', async () => {
    const visitor = new Visitor();
    await visitor.get('/self-referral/police');
    const police = await visitor.post('/self-referral/police', {});
    assert.equal(police.statusCode, 422);
    assert.match(titleOf(police.body), /^Error: Have you reported/);
    assert.match(police.body, /govuk-error-summary/);
    assert.match(police.body, /href="#reported"/);
    assert.match(police.body, /Select if you have reported what happened to the police/);

    await visitor.answer('police', { reported: 'yes', crimeReference: '42/1234/24' }, '/self-referral/what-happened');
    await visitor.answer('what-happened', { category: 'none' }, '/self-referral/name');
    const name = await visitor.post('/self-referral/name', { givenName: ' ' });
    assert.equal(name.statusCode, 422);
    assert.match(name.body, /Enter your first name/);
    await visitor.answer('name', { givenName: 'Bea' }, '/self-referral/contact');
    const contact = await visitor.post('/self-referral/contact', {});
    assert.equal(contact.statusCode, 422);
    assert.match(contact.body, /Select at least one safe way to contact you/);
    await visitor.answer('contact', { channels: ['sms'] }, '/self-referral/contact-details');
    const details = await visitor.post('/self-referral/contact-details', { phone: '12345' });
    assert.equal(details.statusCode, 422);
    assert.match(details.body, /href="#phone"/);
    assert.match(details.body, /Enter a UK phone number/);
    assert.match(details.body, /value="12345"/);
    // Only the text channel was chosen: no call time or voicemail question.
    await visitor.answer('contact-details', { phone: '+33 1 23 45 67 89' }, '/self-referral/support-needs');
    const skipped = await visitor.get('/self-referral/call-time');
    assert.equal(skipped.statusCode, 303);
  });

  test('a change link returns to check your answers', async () => {
    const visitor = new Visitor();
    await journeyTwoAnswers(visitor, 'Carys');
    const page = await visitor.get('/self-referral/name?change=1');
    assert.match(page.body, /name="change" value="1"/);
    assert.match(page.body, /href="\/self-referral\/check"/);
    const changed = await visitor.post('/self-referral/name', { givenName: 'Carys', familyName: 'Jones', change: '1' });
    assert.equal(changed.headers.location, '/self-referral/check');
    const toLetter = await visitor.post('/self-referral/contact', { channels: ['phone', 'email', 'letter'], change: '1' });
    assert.equal(toLetter.headers.location, '/self-referral/contact-details');
  });

  test('a victim who leaves comes back to the start page and continues where she was', async () => {
    const visitor = new Visitor();
    await visitor.answer('police', { reported: 'not_sure' }, '/self-referral/what-happened');
    await visitor.answer('what-happened', {}, '/self-referral/name');
    const start = await visitor.get('/self-referral');
    assert.match(start.body, /Continue where you left off/);
    assert.match(start.body, /href="\/self-referral\/name"/);
    assert.doesNotMatch(start.body, /isStartButton|govuk-button--start/);

    // Starting again deletes the answers.
    const restart = await visitor.post('/self-referral/start-again', {});
    assert.equal(restart.headers.location, '/self-referral/police');
    assert.doesNotMatch((await visitor.get('/self-referral')).body, /Continue where you left off/);
  });

  test('a draft expires after two hours', async () => {
    const visitor = new Visitor();
    await visitor.answer('police', { reported: 'no' }, '/self-referral/what-happened');
    const drafts = await testApp.database.db.selectFrom('self_referral_draft').select(['created_at', 'expires_at']).execute();
    const lifetimes = drafts.map((draft) => draft.expires_at.getTime() - draft.created_at.getTime());
    assert.ok(lifetimes.some((ms) => Math.abs(ms - 2 * 60 * 60 * 1000) < 60_000), 'a draft lives two hours');
    await testApp.database.db.updateTable('self_referral_draft').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    const start = await visitor.get('/self-referral');
    assert.doesNotMatch(start.body, /Continue where you left off/);
    const check = await visitor.get('/self-referral/check');
    assert.equal(check.headers.location, '/self-referral');
    const police = await visitor.get('/self-referral/police');
    assert.doesNotMatch(police.body, /checked/);
  });

  test('a filled honeypot shows the confirmation but stores nothing, and the audit holds no personal data', async () => {
    const visitor = new Visitor();
    await journeyTwoAnswers(visitor, 'Botty');
    const sent = await visitor.post('/self-referral/check', { website: 'http://spam.example' });
    assert.equal(sent.headers.location, '/self-referral/confirmation');
    const done = await visitor.get('/self-referral/confirmation');
    assert.match(done.body, /HVN-[2-9A-Z]{4}-[2-9A-Z]{2}/);
    assert.equal((await peopleNamed('Botty')).length, 0);
    const drafts = await testApp.database.db.selectFrom('self_referral_draft').select('answers').execute();
    assert.doesNotMatch(JSON.stringify(drafts), /Botty/);
    const audit = await testApp.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'self_referral.honeypot_refused').execute();
    assert.ok(audit.length >= 1);
    assert.doesNotMatch(JSON.stringify(audit), /Botty|spam/);

    // A honeypot filled on a question page is remembered, so the later submission stores nothing either.
    const sly = new Visitor();
    await sly.answer('police', { reported: 'no', website: 'x' }, '/self-referral/what-happened');
    await sly.answer('what-happened', {}, '/self-referral/name');
    await sly.answer('name', { givenName: 'Slybot' }, '/self-referral/contact');
    await sly.answer('contact', { channels: ['email'] }, '/self-referral/contact-details');
    await sly.answer('contact-details', { email: 'bot@example.com' }, '/self-referral/support-needs');
    await sly.answer('support-needs', {}, '/self-referral/check');
    assert.equal((await sly.post('/self-referral/check', {})).headers.location, '/self-referral/confirmation');
    assert.equal((await peopleNamed('Slybot')).length, 0);
  });

  test(`more than ${SUBMISSIONS_PER_HOUR} submissions an hour from one address get the 429 page, with Exit this page`, async () => {
    const visitor = new Visitor();
    await visitor.get('/self-referral/police');
    for (let count = 0; count < SUBMISSIONS_PER_HOUR; count += 1) {
      const sent = await visitor.post('/self-referral/check', { website: 'spam' });
      assert.equal(sent.statusCode, 303);
    }
    const refused = await visitor.post('/self-referral/check', { website: 'spam' });
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /Too many requests/);
    assert.match(refused.body, /govuk-exit-this-page/);
    // Another address is not affected.
    const other = new Visitor();
    await other.get('/self-referral/police');
    assert.equal((await other.post('/self-referral/check', { website: 'spam' })).statusCode, 303);
  });

  test('Welsh text is shown with ?lang=cy', async () => {
    const visitor = new Visitor();
    const start = await visitor.get('/self-referral?lang=cy');
    assert.match(start.body, /<html lang="cy"/);
    assert.match(titleOf(start.body), /^Cael cymorth ar ôl trosedd/);
    assert.match(start.body, /Gadael y dudalen hon/);
    const police = await visitor.get('/self-referral/police');
    assert.match(police.body, /Ydych chi wedi rhoi gwybod i’r heddlu/);
    const error = await visitor.post('/self-referral/police', {});
    assert.match(error.body, /Mae problem wedi codi/);
    assert.match(error.body, /Dewiswch a ydych wedi rhoi gwybod/);
    await visitor.get('/self-referral?lang=en');
  });

  test('an unknown question page is a 404 in the victim layout', async () => {
    const visitor = new Visitor();
    const missing = await visitor.get('/self-referral/nope');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /govuk-exit-this-page/);
  });
});
