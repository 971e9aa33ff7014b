// User management in a real browser: an administrator invites someone, the invitee sets a password from the link and
// signs in for the first time; the administrator disables, enables and resets the second factor. axe on every page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  enterPassword,
  enterSecurityCode,
  expectAccessible,
  here,
  signInAs,
  typedAuthenticatorKey,
  useAppAndBrowser,
  visit,
} from '../support/browser.ts';
import { createStaffUser, totpCode } from '../support/staff.ts';

const running = useAppAndBrowser();

async function submit(page: Page, button: string): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState();
}

describe('user management in a browser', () => {
  test('an administrator invites a user, who sets a password and signs in; then disable, enable and reset', async () => {
    const admin = await createStaffUser(running.database.db, { role: 'administrator', displayName: 'Ada Admin' });
    const adminTab = await running.newPage();
    const inviteeTab = await running.newPage();
    try {
      const page = adminTab.page;
      await signInAs(page, admin, { checkEachPage: true });
      await page.getByRole('link', { name: 'Users' }).first().click();
      await page.waitForLoadState();
      assert.equal(here(page), '/users');
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Invite a user' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), '/users/invite');
      await expectAccessible(page);

      // Nothing filled in: the error summary lists every field.
      await submit(page, 'Create invitation');
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      assert.match(await page.title(), /^Error: /);
      await expectAccessible(page);

      const email = `invitee-${Date.now()}@example.gov.uk`;
      await page.getByLabel('Full name').fill('Ivy Invitee');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Victim care coordinator').check();
      await submit(page, 'Create invitation');
      await expectAccessible(page);
      const link = await page.getByTestId('invitation-link').innerText();
      const invitation = new URL(link);
      assert.equal(invitation.pathname, '/invitation');

      // The invitee, in a browser of their own.
      const invitee = inviteeTab.page;
      await visit(invitee, invitation.pathname + invitation.search);
      const password = 'a long and unguessable passphrase';
      await invitee.getByLabel('Password', { exact: true }).fill(password);
      await invitee.getByLabel('Confirm password').fill('something else entirely');
      await submit(invitee, 'Create password');
      assert.equal(await invitee.locator('.govuk-error-summary').count(), 1, 'passwords that differ are refused');
      await expectAccessible(invitee);
      await invitee.getByLabel('Password', { exact: true }).fill(password);
      await invitee.getByLabel('Confirm password').fill(password);
      await submit(invitee, 'Create password');
      assert.equal(here(invitee), '/invitation/accepted');
      await expectAccessible(invitee);

      await enterPassword(invitee, email, password);
      assert.equal(here(invitee), '/sign-in/set-up-authenticator');
      await expectAccessible(invitee);
      await enterSecurityCode(invitee, totpCode(await typedAuthenticatorKey(invitee)));
      assert.match(await invitee.locator('h1').innerText(), /Save your recovery codes/);
      await expectAccessible(invitee);

      // Back to the administrator: the new user's page, then disable, enable and reset their second factor.
      await visit(page, '/users');
      await page.getByRole('link', { name: 'Ivy Invitee' }).click();
      await page.waitForLoadState();
      assert.match(here(page), /^\/users\/[0-9a-f-]+$/);
      await expectAccessible(page);
      const userPage = here(page);

      await page.getByRole('button', { name: 'Disable user' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `${userPage}/disable`);
      await expectAccessible(page);
      await submit(page, 'Disable user');
      assert.equal(here(page), `${userPage}?done=disabled`);
      await expectAccessible(page);

      // A disabled user's session has gone.
      await invitee.goto('/');
      assert.equal(here(invitee), '/sign-in');

      await submit(page, 'Enable user');
      assert.equal(here(page), `${userPage}?done=enabled`);
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Reset second factor' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `${userPage}/reset-second-factor`);
      await expectAccessible(page);
      await submit(page, 'Reset second factor');
      assert.equal(here(page), `${userPage}?done=second-factor-reset`);
      await expectAccessible(page);

      // After the reset the user sets up an authenticator again at their next sign-in.
      await enterPassword(invitee, email, password);
      assert.equal(here(invitee), '/sign-in/set-up-authenticator');
      await expectAccessible(invitee);
    } finally {
      await adminTab.context.close();
      await inviteeTab.context.close();
    }
  });

  test('an administrator page is refused to a user without the role, accessibly', async () => {
    const coordinator = await createStaffUser(running.database.db, { role: 'coordinator' });
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator, { checkEachPage: true });
      const response = await page.goto('/users');
      assert.equal(response?.status(), 403);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
