// Portal sign-in through its pages, on PGlite or PostgreSQL, with codes sent to a fake GOV.UK Notify on loopback: a
// known address gets a code by a safe channel and signs in; an unknown address gets the same answer and no code; a
// victim whose texts are not safe is never sent one; codes expire, work once and resist guessing (brute force is
// locked out); the crime reference check; invitation links; sign out and sign out on all devices.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startFakeNotify, type FakeNotify } from '../../../test/support/fake-notify.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOrganisation, createStaffUser, csrfFor, mergeCookies, type TestStaffUser } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { receiveReferral } from '../intake/service.ts';
import { CODE_ATTEMPT_LIMIT } from './rules.ts';

const police: Actor = { kind: 'system', label: 'police-api' };
let counter = 0;
let address = 10;

describe('portal sign-in', () => {
  let test: TestApp;
  let notify: FakeNotify;
  let coordinator: TestStaffUser;
  let forceId: string;

  async function newVictim(options: { email?: string | null; phone?: string | null; channels?: ('email' | 'phone' | 'letter' | 'sms')[]; crimeReference?: string } = {}) {
    counter += 1;
    const receipt = await inTransaction(test.database.db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `SIGNIN-${counter}-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: {
          givenName: 'Petra',
          familyName: `Portal${counter}`,
          dateOfBirth: '1985-03-03',
          email: options.email === undefined ? `petra${counter}@example.org` : options.email,
          phone: options.phone === undefined ? `077009${String(10000 + counter).slice(-5)}` : options.phone,
          safeContact: { channels: options.channels ?? ['email', 'sms'] },
        },
        crime: { crimeReference: options.crimeReference ?? `SI/${70000 + counter}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const person = await test.database.db.selectFrom('person').select(['id', 'email', 'phone']).where('id', '=', receipt.personId).executeTakeFirstOrThrow();
    return { caseId: receipt.caseId, personId: person.id, email: person.email, phone: person.phone };
  }

  /** A browser asking for a code from its own client address (so the per-client throttle is per test). */
  async function askForCode(typed: string, remoteAddress: string) {
    const start = await csrfFor(test.app, '', '/my-case/sign-in');
    const response = await test.app.inject({
      method: 'POST',
      url: '/my-case/sign-in',
      remoteAddress,
      headers: { cookie: start.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: start.csrfToken, address: typed }).toString(),
    });
    return { response, cookie: mergeCookies(start.cookie, response), csrfToken: start.csrfToken };
  }

  async function enterCode(browser: { cookie: string; csrfToken: string }, code: string, remoteAddress: string) {
    const response = await test.app.inject({
      method: 'POST',
      url: '/my-case/sign-in/code',
      remoteAddress,
      headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken, code }).toString(),
    });
    return { response, cookie: mergeCookies(browser.cookie, response), csrfToken: browser.csrfToken };
  }

  /** The code Notify was asked to send to this recipient (sent after the answer, so it may take a moment). */
  async function codeSentTo(recipient: string, since: number): Promise<string> {
    for (let i = 0; i < 100; i += 1) {
      const sent = notify.sent.filter((item) => item.recipient === recipient && item.receivedAt >= since).at(-1);
      if (sent?.personalisation.code) return sent.personalisation.code;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('No code was sent');
  }

  const nextClient = () => `10.9.0.${(address += 1)}`;

  before(async () => {
    notify = await startFakeNotify();
    test = await createTestApp({ notifyApiKey: notify.apiKey, notifyBaseUrl: notify.baseUrl });
    coordinator = await createStaffUser(test.database.db, { role: 'coordinator' });
    forceId = (await createOrganisation(test.database.db, { kind: 'police', areaId: coordinator.areaId })).id;
  });
  after(async () => {
    await test.close();
    await notify.close();
  });

  it('sends a code to a known email, signs in with it once, and shows the portal', async () => {
    const victim = await newVictim();
    const client = nextClient();
    const since = Date.now();
    const asked = await askForCode(victim.email!.toUpperCase(), client);
    assert.equal(asked.response.statusCode, 303);
    assert.equal(asked.response.headers.location, '/my-case/sign-in/code');
    const code = await codeSentTo(victim.email!, since);
    const sent = notify.sent.find((item) => item.personalisation.code === code)!;
    assert.deepEqual(Object.keys(sent.personalisation), ['code'], 'the message carries the code and nothing else');
    const signedIn = await enterCode(asked, code, client);
    assert.equal(signedIn.response.statusCode, 303);
    assert.equal(signedIn.response.headers.location, '/my-case');
    const home = await test.app.inject({ method: 'GET', url: '/my-case/sign-out-everywhere', headers: { cookie: signedIn.cookie } });
    assert.equal(home.statusCode, 200);
    assert.equal(home.headers['cache-control'], 'no-store');
    assert.match(home.body, /Signed in as Petra/);
    assert.match(home.body, /Exit this page/);
    const account = await test.database.db.selectFrom('portal_account').select(['id', 'person_id']).where('person_id', '=', victim.personId).executeTakeFirstOrThrow();
    assert.ok(account.id);
    // The same code again: it was used, so the browser is sent back to start.
    const again = await enterCode(asked, code, client);
    assert.equal(again.response.headers.location, '/my-case/sign-in');
  });

  it('answers an unknown address exactly as a known one, and sends nothing', async () => {
    const client = nextClient();
    const before = notify.sent.length;
    const asked = await askForCode('nobody-here@example.org', client);
    assert.equal(asked.response.statusCode, 303);
    assert.equal(asked.response.headers.location, '/my-case/sign-in/code');
    const page = await test.app.inject({ method: 'GET', url: '/my-case/sign-in/code', headers: { cookie: asked.cookie } });
    assert.match(page.body, /If the address you gave matches our records/);
    const wrong = await enterCode(asked, '123456', client);
    assert.equal(wrong.response.statusCode, 422);
    assert.match(wrong.response.body, /The code is not correct/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(notify.sent.length, before);
  });

  it('never texts a victim who said texts are not safe, even when she types her mobile number (journey 2)', async () => {
    const victim = await newVictim({ channels: ['email', 'phone'] });
    const client = nextClient();
    const before = notify.sent.length;
    const asked = await askForCode(victim.phone!, client);
    assert.equal(asked.response.headers.location, '/my-case/sign-in/code', 'the same answer as any other address');
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(notify.sent.length, before);
    assert.ok(!notify.sent.some((item) => item.recipient === victim.phone), 'no text message to her number');
    const since = Date.now();
    await askForCode(victim.email!, client);
    assert.match(await codeSentTo(victim.email!, since), /^\d{6}$/);
  });

  it('refuses bad input with the error summary, and too many codes for one address', async () => {
    const bad = await askForCode('not an address', nextClient());
    assert.equal(bad.response.statusCode, 422);
    assert.match(bad.response.body, /There is a problem/);
    assert.match(bad.response.body, /Enter an email address or a mobile phone number/);
    const victim = await newVictim();
    const client = nextClient();
    for (let i = 0; i < 3; i += 1) assert.equal((await askForCode(victim.email!, client)).response.statusCode, 303);
    const fourth = await askForCode(victim.email!, nextClient());
    assert.equal(fourth.response.statusCode, 429);
    assert.match(fourth.response.body, /too many codes/);
  });

  it('blocks brute force: 5 wrong tries spend a code, and 5 failures lock the address out even with a new code', async () => {
    const victim = await newVictim();
    const client = nextClient();
    const since = Date.now();
    const asked = await askForCode(victim.email!, client);
    const code = await codeSentTo(victim.email!, since);
    const wrongCode = code === '000000' ? '111111' : '000000';
    let browser = asked;
    for (let i = 1; i < CODE_ATTEMPT_LIMIT; i += 1) {
      browser = await enterCode(browser, wrongCode, client);
      assert.equal(browser.response.statusCode, 422);
      assert.match(browser.response.body, new RegExp(`You have ${CODE_ATTEMPT_LIMIT - i} more tries`));
    }
    const last = await enterCode(browser, wrongCode, client);
    assert.equal(last.response.statusCode >= 422, true);
    // Even the right code no longer works on this request.
    const right = await enterCode(last, code, client);
    assert.notEqual(right.response.headers.location, '/my-case');
    // A fresh code for the same address, from another device: still locked out for 15 minutes.
    const otherClient = nextClient();
    const since2 = Date.now();
    const again = await askForCode(victim.email!, otherClient);
    const fresh = await codeSentTo(victim.email!, since2);
    const locked = await enterCode(again, fresh, otherClient);
    assert.equal(locked.response.statusCode, 429);
    assert.match(locked.response.body, /too many wrong codes/);
    const sessions = await test.database.db
      .selectFrom('portal_session as s')
      .innerJoin('portal_account as a', 'a.id', 's.account_id')
      .select('s.id_hash')
      .where('a.person_id', '=', victim.personId)
      .execute();
    assert.equal(sessions.length, 0, 'no session was ever started');
  });

  it('refuses an expired code', async () => {
    const victim = await newVictim();
    const client = nextClient();
    const since = Date.now();
    const asked = await askForCode(victim.email!, client);
    const code = await codeSentTo(victim.email!, since);
    await test.database.db.updateTable('portal_sign_in_code').set({ expires_at: new Date(Date.now() - 1000) }).where('person_id', '=', victim.personId).execute();
    const late = await enterCode(asked, code, client);
    assert.equal(late.response.statusCode, 422);
    assert.match(late.response.body, /expired/);
  });

  it('asks for the crime reference as a second check when the account has it turned on', async () => {
    const victim = await newVictim({ crimeReference: `CR/${60000 + counter}/26` });
    const reference = (await test.database.db.selectFrom('victim_case as c').innerJoin('crime as cr', 'cr.id', 'c.crime_id').select('cr.crime_reference').where('c.id', '=', victim.caseId).executeTakeFirstOrThrow()).crime_reference;
    await test.database.db.insertInto('portal_account').values({ person_id: victim.personId, area_id: coordinator.areaId, display_name: 'Petra', crime_reference_check: true }).execute();
    const client = nextClient();
    const since = Date.now();
    const asked = await askForCode(victim.email!, client);
    const coded = await enterCode(asked, await codeSentTo(victim.email!, since), client);
    assert.equal(coded.response.headers.location, '/my-case/sign-in/crime-reference');
    // Half signed in: portal pages still send the browser to sign in.
    const early = await test.app.inject({ method: 'GET', url: '/my-case/sign-out-everywhere', headers: { cookie: coded.cookie } });
    assert.equal(early.headers.location, '/my-case/sign-in');
    const post = (crimeReference: string) =>
      test.app.inject({
        method: 'POST',
        url: '/my-case/sign-in/crime-reference',
        remoteAddress: client,
        headers: { cookie: coded.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: coded.csrfToken, crimeReference }).toString(),
      });
    const wrong = await post('ZZ/99999/26');
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /does not match/);
    const right = await post(reference.toLowerCase().replace(/\//g, ' '));
    assert.equal(right.headers.location, '/my-case');
    const page = await test.app.inject({ method: 'GET', url: '/my-case/sign-out-everywhere', headers: { cookie: coded.cookie } });
    assert.equal(page.statusCode, 200);
  });

  it('signs in once with an invitation link, which a link checker opening it does not use up', async () => {
    const victim = await newVictim();
    const token = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
    const { createHash } = await import('node:crypto');
    await test.database.db
      .insertInto('portal_invitation')
      .values({ token_hash: createHash('sha256').update(token).digest('hex'), person_id: victim.personId, case_id: victim.caseId, created_by_user_id: coordinator.id, expires_at: new Date(Date.now() + 86_400_000) })
      .execute();
    const opened = await csrfFor(test.app, '', `/my-case/invitation/${token}`);
    const openedAgain = await test.app.inject({ method: 'GET', url: `/my-case/invitation/${token}` });
    assert.equal(openedAgain.statusCode, 200, 'opening the link uses nothing');
    const accept = () =>
      test.app.inject({
        method: 'POST',
        url: `/my-case/invitation/${token}`,
        headers: { cookie: opened.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: opened.csrfToken }).toString(),
      });
    const accepted = await accept();
    assert.equal(accepted.headers.location, '/my-case');
    const second = await accept();
    assert.equal(second.statusCode, 410);
    assert.match(second.body, /already been used/);
    const unknown = await test.app.inject({ method: 'GET', url: `/my-case/invitation/${'x'.repeat(40)}` });
    assert.equal(unknown.statusCode, 410);
  });

  it('signs out here, or on all devices', async () => {
    const victim = await newVictim();
    const sessions: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const client = nextClient();
      const since = Date.now();
      const asked = await askForCode(victim.email!, client);
      const signedIn = await enterCode(asked, await codeSentTo(victim.email!, since), client);
      sessions.push(signedIn.cookie);
    }
    const page = await csrfFor(test.app, sessions[0]!, '/my-case/sign-out-everywhere');
    const everywhere = await test.app.inject({
      method: 'POST',
      url: '/my-case/sign-out-everywhere',
      headers: { cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: page.csrfToken }).toString(),
    });
    assert.equal(everywhere.headers.location, '/my-case/signed-out?everywhere=1');
    for (const cookie of sessions) {
      const after = await test.app.inject({ method: 'GET', url: '/my-case/sign-out-everywhere', headers: { cookie } });
      assert.equal(after.headers.location, '/my-case/sign-in', 'every device is signed out');
    }
  });

  it('ends an idle session and says why', async () => {
    const victim = await newVictim();
    const client = nextClient();
    const since = Date.now();
    const asked = await askForCode(victim.email!, client);
    const signedIn = await enterCode(asked, await codeSentTo(victim.email!, since), client);
    await test.database.db
      .updateTable('portal_session')
      .set({ last_seen_at: new Date(Date.now() - 16 * 60 * 1000) })
      .where('account_id', '=', (await test.database.db.selectFrom('portal_account').select('id').where('person_id', '=', victim.personId).executeTakeFirstOrThrow()).id)
      .execute();
    const page = await test.app.inject({ method: 'GET', url: '/my-case/sign-out-everywhere', headers: { cookie: signedIn.cookie } });
    assert.equal(page.headers.location, '/my-case/sign-in?expired=1');
    const signInPage = await test.app.inject({ method: 'GET', url: '/my-case/sign-in?expired=1' });
    assert.match(signInPage.body, /signed out to keep your information safe/);
  });
});
