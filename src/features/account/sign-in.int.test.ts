// Staff sign-in through the pages: password, authenticator set-up, TOTP and recovery codes, lockout, session expiry,
// sign-out. Runs on PGlite, or on PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createStaffUser, csrfFor, mergeCookies, signIn, totpCode, type TestStaffUser } from '../../../test/support/staff.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t.close();
});

let addressCounter = 0;
/** Each test signs in from its own address, so address lockouts in one test do not leak into another. */
const newAddress = () => `192.0.2.${++addressCounter}`;

type Browser = { cookie: string; csrfToken: string; address: string };

async function openSignIn(address = newAddress()): Promise<Browser> {
  const start = await csrfFor(t.app, '', '/sign-in');
  return { ...start, address };
}

async function post(browser: Browser, url: string, fields: Record<string, string>, withCsrf = true) {
  const response = await t.app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.address,
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(withCsrf ? { _csrf: browser.csrfToken, ...fields } : fields).toString(),
  });
  browser.cookie = mergeCookies(browser.cookie, response);
  return response;
}

async function get(browser: Browser, url: string) {
  const response = await t.app.inject({ method: 'GET', url, remoteAddress: browser.address, headers: { cookie: browser.cookie } });
  browser.cookie = mergeCookies(browser.cookie, response);
  return response;
}

const sessionToken = (cookie: string) => /haven_session=([^;]+)/.exec(cookie)?.[1];
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

async function sessionsOf(user: TestStaffUser) {
  return t.database.db.selectFrom('staff_session').selectAll().where('user_id', '=', user.id).execute();
}

async function auditActions(user: TestStaffUser): Promise<string[]> {
  const rows = await t.database.db.selectFrom('audit_event').select('action').where('record_id', '=', user.id).orderBy('id').execute();
  return rows.map((row) => row.action);
}

/** Password step for a user who has an authenticator; returns the browser at the second-factor page. */
async function passwordStep(user: TestStaffUser, address?: string): Promise<Browser> {
  const browser = await openSignIn(address);
  const response = await post(browser, '/sign-in', { email: user.email, password: user.password });
  assert.equal(response.statusCode, 303);
  return browser;
}

/** Signs up a new user through authenticator set-up; returns the browser, the secret and the recovery codes. */
async function enrol(user: TestStaffUser) {
  const browser = await openSignIn();
  const password = await post(browser, '/sign-in', { email: user.email, password: user.password });
  assert.equal(password.statusCode, 303);
  assert.equal(password.headers.location, '/sign-in/set-up-authenticator');
  const page = await get(browser, '/sign-in/set-up-authenticator');
  assert.equal(page.statusCode, 200);
  const secret = /data-secret="([A-Z2-7]+)"/.exec(page.body)?.[1];
  assert.ok(secret, 'the secret is on the page');
  const halfToken = sessionToken(browser.cookie)!;
  const confirmed = await post(browser, '/sign-in/set-up-authenticator', { code: totpCode(secret) });
  assert.equal(confirmed.statusCode, 200);
  const codes = [...confirmed.body.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((match) => match[1]!);
  return { browser, secret, codes, halfToken, page, confirmed };
}

describe('first sign-in with authenticator set-up', () => {
  test('password, QR code, code, recovery codes, then the start page', async () => {
    const user = await createStaffUser(t.database.db, { withTotp: false, displayName: 'Alex Example' });
    const { browser, secret, codes, halfToken, page, confirmed } = await enrol(user);

    assert.match(page.body, /<div class="haven-qr"[^>]*>\s*<svg/);
    assert.match(page.body, /autocomplete="one-time-code"/);
    assert.match(page.body, /inputmode="numeric"/);
    assert.match(confirmed.body, /Save your recovery codes/);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);

    // A new session id once signed in.
    const token = sessionToken(browser.cookie);
    assert.ok(token);
    assert.notEqual(token, halfToken);
    const sessions = await sessionsOf(user);
    assert.deepEqual(sessions.map((session) => [session.id_hash, session.stage]), [[sha256(token), 'signed_in']]);

    const stored = await t.database.db.selectFrom('staff_user').select(['totp_secret', 'totp_last_step']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(stored.totp_secret, secret);
    assert.ok(stored.totp_last_step);
    const hashes = await t.database.db.selectFrom('recovery_code').select('code_hash').where('user_id', '=', user.id).execute();
    assert.equal(hashes.length, 10);
    for (const row of hashes) assert.ok(!codes.some((code) => row.code_hash.includes(code.replace('-', ''))));

    const home = await get(browser, '/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Alex Example/);
    assert.match(home.body, /Victim care coordinator/);
    assert.match(home.body, new RegExp(user.organisationName));
    assert.match(home.body, /Sign out/);

    assert.deepEqual(await auditActions(user), [
      'staff.password_accepted',
      'staff.authenticator_enrolled',
      'staff.recovery_codes_created',
      'staff.signed_in',
    ]);
  });

  test('a wrong code at set-up shows an error and keeps the same secret', async () => {
    const user = await createStaffUser(t.database.db, { withTotp: false });
    const browser = await openSignIn();
    await post(browser, '/sign-in', { email: user.email, password: user.password });
    const page = await get(browser, '/sign-in/set-up-authenticator');
    const secret = /data-secret="([A-Z2-7]+)"/.exec(page.body)?.[1];
    const wrong = await post(browser, '/sign-in/set-up-authenticator', { code: '000000' === totpCode(secret!) ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /govuk-error-summary/);
    assert.match(wrong.body, /Enter a correct security code/);
    assert.match(wrong.body, new RegExp(`data-secret="${secret}"`));
    const stored = await t.database.db.selectFrom('staff_user').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(stored.totp_secret, null);
  });
});

describe('signing in with a TOTP code', () => {
  test('the second sign-in asks for a code and issues a new session id', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await passwordStep(user);
    const halfToken = sessionToken(browser.cookie)!;
    const [half] = await sessionsOf(user);
    assert.equal(half?.stage, 'second_factor');
    const page = await get(browser, '/sign-in/second-factor');
    assert.match(page.body, /autocomplete="one-time-code"/);
    // Half-way through, the start page is still closed.
    assert.equal((await get(browser, '/')).headers.location, '/sign-in');

    const done = await post(browser, '/sign-in/second-factor', { code: totpCode(user.totpSecret!) });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/');
    const token = sessionToken(browser.cookie)!;
    assert.notEqual(token, halfToken);
    const sessions = await sessionsOf(user);
    assert.deepEqual(sessions.map((session) => [session.id_hash, session.stage]), [[sha256(token), 'signed_in']]);
    assert.equal((await get(browser, '/')).statusCode, 200);
  });

  test('a code already used cannot be used again', async () => {
    const user = await createStaffUser(t.database.db);
    const code = totpCode(user.totpSecret!);
    const first = await passwordStep(user);
    assert.equal((await post(first, '/sign-in/second-factor', { code })).statusCode, 303);
    const second = await passwordStep(user);
    const replay = await post(second, '/sign-in/second-factor', { code });
    assert.equal(replay.statusCode, 422);
    assert.match(replay.body, /Enter a correct security code/);
  });

  test('signIn() from test support gives a signed-in cookie', async () => {
    const user = await createStaffUser(t.database.db, { role: 'administrator' });
    const cookie = await signIn(t.app, user);
    const home = await t.app.inject({ url: '/', headers: { cookie } });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Administrator/);
  });
});

describe('recovery codes', () => {
  test('a recovery code signs in once, and only once', async () => {
    const user = await createStaffUser(t.database.db, { withTotp: false });
    const { codes } = await enrol(user);
    const signedIn = { ...user, totpSecret: 'x' };

    const browser = await passwordStep(signedIn);
    const used = await post(browser, '/sign-in/second-factor', { recoveryCode: codes[3]!.toUpperCase() });
    assert.equal(used.statusCode, 303);
    assert.equal(used.headers.location, '/');
    assert.equal((await get(browser, '/')).statusCode, 200);

    const again = await passwordStep(signedIn);
    const reused = await post(again, '/sign-in/second-factor', { recoveryCode: codes[3]! });
    assert.equal(reused.statusCode, 422);
    assert.match(reused.body, /Enter a correct recovery code/);
    assert.match(reused.body, /href="#recoveryCode"/);

    const actions = await auditActions(user);
    assert.equal(actions.filter((action) => action === 'staff.recovery_code_used').length, 1);
    const detail = await t.database.db
      .selectFrom('audit_event')
      .select('detail')
      .where('record_id', '=', user.id)
      .where('action', '=', 'staff.recovery_code_used')
      .executeTakeFirstOrThrow();
    assert.deepEqual(detail.detail, { remaining: 9 });
  });

  test('a signed-in user can replace their recovery codes', async () => {
    const user = await createStaffUser(t.database.db);
    const cookie = await signIn(t.app, user);
    const { cookie: withCsrf, csrfToken } = await csrfFor(t.app, cookie, '/sign-in/recovery-codes');
    const page = await t.app.inject({
      method: 'POST',
      url: '/sign-in/recovery-codes',
      headers: { cookie: withCsrf, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfToken }).toString(),
    });
    assert.equal(page.statusCode, 200);
    assert.equal([...page.body.matchAll(/<li>[a-z2-9]{5}-[a-z2-9]{5}<\/li>/g)].length, 10);
  });
});

describe('wrong details', () => {
  test('an unknown email and a wrong password get the same answer', async () => {
    const user = await createStaffUser(t.database.db);
    const wrongPassword = await post(await openSignIn(), '/sign-in', { email: user.email, password: 'not the password' });
    const unknown = await post(await openSignIn(), '/sign-in', { email: 'nobody@example.gov.uk', password: 'not the password' });
    for (const response of [wrongPassword, unknown]) {
      assert.equal(response.statusCode, 422);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /Enter a correct email address and password/);
      assert.match(response.body, /<title>Error: /);
    }
    const summary = (body: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0];
    assert.equal(summary(wrongPassword.body), summary(unknown.body));
  });

  test('empty fields are each named', async () => {
    const response = await post(await openSignIn(), '/sign-in', { email: '', password: '' });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /href="#email">Enter your email address/);
    assert.match(response.body, /href="#password">Enter your password/);
  });

  test('invited and disabled users cannot sign in, and are told nothing more', async () => {
    for (const status of ['invited', 'disabled'] as const) {
      const user = await createStaffUser(t.database.db, { status });
      const response = await post(await openSignIn(), '/sign-in', { email: user.email, password: user.password });
      assert.equal(response.statusCode, 422);
      assert.match(response.body, /Enter a correct email address and password/);
      assert.equal((await sessionsOf(user)).length, 0);
    }
  });

  test('email is matched without regard to case', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await openSignIn();
    const response = await post(browser, '/sign-in', { email: `  ${user.email.toUpperCase()} `, password: user.password });
    assert.equal(response.statusCode, 303);
  });

  test('no email or other personal data goes into the audit trail', async () => {
    const rows = await t.database.db.selectFrom('audit_event').select(sql<string>`detail::text`.as('detail')).execute();
    assert.ok(rows.length > 0);
    for (const row of rows) assert.doesNotMatch(row.detail, /@/);
  });
});

describe('lockout', () => {
  test('5 wrong passwords lock the account for 15 minutes, even the right password', async () => {
    const user = await createStaffUser(t.database.db);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const response = await post(await openSignIn(), '/sign-in', { email: user.email, password: `wrong ${attempt}` });
      assert.match(response.body, /Enter a correct email address and password/);
    }
    const fifth = await post(await openSignIn(), '/sign-in', { email: user.email, password: 'wrong 5' });
    assert.match(fifth.body, /Try again in 15 minutes/);
    const right = await post(await openSignIn(), '/sign-in', { email: user.email, password: user.password });
    assert.equal(right.statusCode, 422);
    assert.match(right.body, /Try again in 15 minutes/);
    assert.ok((await auditActions(user)).includes('staff.sign_in_locked_out'));

    // Once the failures are older than the lockout, the right password works again.
    await t.database.db
      .updateTable('sign_in_attempt')
      .set({ at: sql`at - interval '16 minutes'` })
      .where('account_key', '=', user.email.toLowerCase())
      .execute();
    assert.equal((await post(await openSignIn(), '/sign-in', { email: user.email, password: user.password })).statusCode, 303);
  });

  test('an email with no account locks the same way, so a lockout reveals nothing', async () => {
    const email = 'no-such-person@example.gov.uk';
    for (let attempt = 1; attempt <= 5; attempt += 1) await post(await openSignIn(), '/sign-in', { email, password: 'guess' });
    const locked = await post(await openSignIn(), '/sign-in', { email: email.toUpperCase(), password: 'guess' });
    assert.match(locked.body, /Try again in 15 minutes/);
  });

  test('wrong second-factor codes count towards the lockout', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await passwordStep(user);
    const wrong = totpCode(user.totpSecret!) === '123456' ? '654321' : '123456';
    for (let attempt = 1; attempt <= 5; attempt += 1) await post(browser, '/sign-in/second-factor', { code: wrong });
    const right = await post(browser, '/sign-in/second-factor', { code: totpCode(user.totpSecret!) });
    assert.equal(right.statusCode, 422);
    assert.match(right.body, /Try again in 15 minutes/);
  });

  test('20 failures from one address lock that address', async () => {
    const address = newAddress();
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      await post(await openSignIn(address), '/sign-in', { email: `person${attempt}@example.gov.uk`, password: 'guess' });
    }
    const user = await createStaffUser(t.database.db);
    const fromThere = await post(await openSignIn(address), '/sign-in', { email: user.email, password: user.password });
    assert.match(fromThere.body, /Try again in 15 minutes/);
    const fromElsewhere = await post(await openSignIn(), '/sign-in', { email: user.email, password: user.password });
    assert.equal(fromElsewhere.statusCode, 303);
  });
});

describe('sessions', () => {
  async function signedInBrowser(user: TestStaffUser): Promise<Browser> {
    const cookie = await signIn(t.app, user);
    return { ...(await csrfFor(t.app, cookie, '/')), address: newAddress() };
  }

  test('30 minutes idle ends the session with a message', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await signedInBrowser(user);
    await t.database.db
      .updateTable('staff_session')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('user_id', '=', user.id)
      .execute();
    const response = await get(browser, '/');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in?expired=1');
    assert.equal(sessionToken(browser.cookie), undefined, 'the cookie is cleared');
    assert.equal((await sessionsOf(user)).length, 0);
    const page = await get(browser, '/sign-in?expired=1');
    assert.match(page.body, /Your session has ended because you were inactive for 30 minutes/);
    assert.ok((await auditActions(user)).includes('staff.session_expired'));
  });

  test('12 hours after sign-in the session ends however busy', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await signedInBrowser(user);
    await t.database.db
      .updateTable('staff_session')
      .set({ created_at: new Date(Date.now() - 12 * 60 * 60_000 - 1000), last_seen_at: new Date() })
      .where('user_id', '=', user.id)
      .execute();
    const response = await get(browser, '/');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in?expired=1');
    assert.equal((await sessionsOf(user)).length, 0);
  });

  test('a request moves last seen on', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await signedInBrowser(user);
    const earlier = new Date(Date.now() - 10 * 60_000);
    await t.database.db.updateTable('staff_session').set({ last_seen_at: earlier }).where('user_id', '=', user.id).execute();
    assert.equal((await get(browser, '/')).statusCode, 200);
    const [session] = await sessionsOf(user);
    assert.ok(session!.last_seen_at.getTime() > earlier.getTime() + 60_000);
  });

  test('sign-out ends the session and clears the cookie', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await signedInBrowser(user);
    const oldCookie = browser.cookie;
    const response = await post(browser, '/sign-out', {});
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/signed-out');
    assert.equal(sessionToken(browser.cookie), undefined);
    assert.equal((await sessionsOf(user)).length, 0);
    const page = await get(browser, '/signed-out');
    assert.match(page.body, /You have signed out/);
    // The old cookie, kept by someone, opens nothing.
    const replay = await t.app.inject({ url: '/', headers: { cookie: oldCookie } });
    assert.equal(replay.statusCode, 303);
    assert.equal(replay.headers.location, '/sign-in');
    assert.ok((await auditActions(user)).includes('staff.signed_out'));
  });

  test('a disabled user is signed out at once', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await signedInBrowser(user);
    assert.equal((await get(browser, '/')).statusCode, 200);
    await t.database.db.updateTable('staff_user').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    const response = await get(browser, '/');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in');
    assert.equal((await sessionsOf(user)).length, 0);
  });

  test('the session cookie is httpOnly, sameSite lax, path /', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await openSignIn();
    const response = await post(browser, '/sign-in', { email: user.email, password: user.password });
    const cookie = response.cookies.find((each) => each.name === 'haven_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
    assert.equal(cookie.value.length, 43, '32 random bytes, base64url');
  });

  test('a form without its CSRF token is refused', async () => {
    const user = await createStaffUser(t.database.db);
    const browser = await openSignIn();
    const signInResponse = await post(browser, '/sign-in', { email: user.email, password: user.password }, false);
    assert.equal(signInResponse.statusCode, 403);
    const signedIn = await signedInBrowser(user);
    const signOutResponse = await post(signedIn, '/sign-out', {}, false);
    assert.equal(signOutResponse.statusCode, 403);
    assert.equal((await get(signedIn, '/')).statusCode, 200);
  });

  test('pages of the sign-in journey send the browser back to the start when out of turn', async () => {
    const browser = await openSignIn();
    assert.equal((await get(browser, '/sign-in/second-factor')).headers.location, '/sign-in');
    assert.equal((await get(browser, '/sign-in/set-up-authenticator')).headers.location, '/sign-in');
    assert.equal((await get(browser, '/sign-in/recovery-codes')).headers.location, '/sign-in');
  });
});
