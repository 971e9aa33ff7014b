// Staff sign-in in a real browser: authenticator set-up, recovery codes, sign-out and back in with a TOTP code, errors,
// lockout, session expiry, and the whole sign-in without JavaScript. Every page is checked with axe.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  enterPassword,
  enterSecurityCode,
  expectAccessible,
  here,
  typedAuthenticatorKey,
  useAppAndBrowser,
} from '../support/browser.ts';
import { createStaffUser, totpCode, type StaffUserOptions, type TestStaffUser } from '../support/staff.ts';

const running = useAppAndBrowser();

const newUser = (options: StaffUserOptions = {}): Promise<TestStaffUser> =>
  createStaffUser(running.database.db, { displayName: 'Robin Browser', ...options });

async function expectStartPage(page: Page, user: TestStaffUser): Promise<void> {
  assert.equal(here(page), '/');
  assert.match(await page.locator('main').innerText(), new RegExp(`Welcome, ${user.displayName}`));
  await expectAccessible(page);
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.waitForLoadState();
  assert.equal(here(page), '/signed-out');
  assert.match(await page.locator('h1').innerText(), /You have signed out/);
  await expectAccessible(page);
}

/** Password then the current TOTP code, for a user who already has an authenticator. */
async function signInFully(page: Page, user: TestStaffUser, codeOffsetSteps = 0): Promise<void> {
  assert.ok(user.totpSecret);
  await enterPassword(page, user.email, user.password);
  assert.equal(here(page), '/sign-in/second-factor');
  await expectAccessible(page);
  await enterSecurityCode(page, totpCode(user.totpSecret, codeOffsetSteps));
  await expectStartPage(page, user);
}

describe('staff sign-in in a browser', () => {
  test('a new user sets up their authenticator, sees recovery codes, signs out and signs in again with a code', async () => {
    const user = await newUser({ withTotp: false });
    const { context, page } = await running.newPage();
    try {
      await enterPassword(page, user.email, user.password);
      assert.equal(here(page), '/sign-in/set-up-authenticator');
      await expectAccessible(page);
      assert.equal(await page.locator('.haven-qr svg').count(), 1, 'the QR code is shown');

      // What someone types into their app by hand when they cannot scan the QR code.
      const secret = await typedAuthenticatorKey(page);
      assert.match(secret, /^[A-Z2-7]{32}$/);
      await enterSecurityCode(page, totpCode(secret));

      assert.match(await page.locator('h1').innerText(), /Save your recovery codes/);
      const codes = await page.getByTestId('recovery-codes').locator('li').allInnerTexts();
      assert.ok(codes.length >= 8, `expected recovery codes, got ${codes.length}`);
      assert.equal(new Set(codes).size, codes.length, 'recovery codes are all different');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState();
      await expectStartPage(page, user);

      await signOut(page);
      // The session is gone: the start page sends us to sign in.
      await page.goto('/');
      assert.equal(here(page), '/sign-in');
      await expectAccessible(page);

      // The next step's code: the set-up code's own step may not be used twice.
      await signInFully(page, { ...user, totpSecret: secret }, 1);
    } finally {
      await context.close();
    }
  });

  test('a wrong password shows the error summary, linked to the field', async () => {
    const user = await newUser();
    const { context, page } = await running.newPage();
    try {
      await enterPassword(page, user.email, 'not the password');
      assert.equal(here(page), '/sign-in');
      assert.match(await page.title(), /^Error: /);
      const summary = page.locator('.govuk-error-summary');
      assert.equal(await summary.count(), 1);
      const link = summary.locator('a').first();
      const target = await link.getAttribute('href');
      assert.ok(target && (await page.locator(target).count()) === 1, `the summary links to a field on the page (${String(target)})`);
      assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is never sent back');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('repeated failures lock the account, even against the right password', async () => {
    const user = await newUser();
    const { context, page } = await running.newPage();
    try {
      let locked = false;
      for (let attempt = 1; attempt <= 6 && !locked; attempt += 1) {
        await enterPassword(page, user.email, `wrong ${attempt}`);
        await expectAccessible(page);
        locked = /Try again in 15 minutes/.test(await page.locator('.govuk-error-summary').innerText());
      }
      assert.ok(locked, 'the lockout message appears within 6 attempts');
      await enterPassword(page, user.email, user.password);
      assert.equal(here(page), '/sign-in');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Try again in 15 minutes/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('an idle session ends, and the sign-in page says why', async () => {
    const user = await newUser();
    const { context, page } = await running.newPage();
    try {
      await signInFully(page, user);
      await running.database.db
        .updateTable('staff_session')
        .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
        .where('user_id', '=', user.id)
        .execute();
      await page.goto('/');
      assert.equal(here(page), '/sign-in?expired=1');
      assert.match(await page.locator('main').innerText(), /Your session has ended because you were inactive/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('sign-in, set-up and sign-out all work without JavaScript', async () => {
    const user = await newUser({ withTotp: false });
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await enterPassword(page, user.email, user.password);
      assert.equal(here(page), '/sign-in/set-up-authenticator');
      await expectAccessible(page);
      const secret = await typedAuthenticatorKey(page);
      await enterSecurityCode(page, totpCode(secret));
      assert.match(await page.locator('h1').innerText(), /Save your recovery codes/);
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState();
      await expectStartPage(page, user);
      await signOut(page);
      await signInFully(page, { ...user, totpSecret: secret }, 1);
    } finally {
      await context.close();
    }
  });
});
