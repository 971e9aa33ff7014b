// Agency referral in a real browser: a support provider's caseworker signs in, sends the form empty and sees the error
// summary, then refers someone and sees the confirmation with a short reference. axe on every page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser } from '../support/browser.ts';
import { createOrganisation, createStaffUser } from '../support/staff.ts';

const running = useAppAndBrowser();

async function submit(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Send referral', exact: true }).click();
  await page.waitForLoadState();
}

describe('agency referral in a browser', () => {
  test('a provider caseworker refers someone: errors first, then the confirmation', async () => {
    const provider = await createOrganisation(running.database.db, { kind: 'provider', name: `Hate Crime Support ${Date.now()}` });
    const caseworker = await createStaffUser(running.database.db, { role: 'provider_caseworker', organisationId: provider.id });
    const tab = await running.newPage();
    try {
      const page = tab.page;
      await signInAs(page, caseworker);
      await page.getByRole('link', { name: 'Refer someone' }).first().click();
      await page.waitForLoadState();
      assert.equal(here(page), '/refer');
      await expectAccessible(page);

      await submit(page);
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      assert.match(await page.title(), /^Error: Refer someone for support/);
      await expectAccessible(page);
      // The summary's link takes the user to the field.
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter the person’s first name' }).click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'givenName');

      await page.getByLabel('First name').fill('Jonathan');
      await page.getByLabel('Last name (optional)').fill('Smith');
      await page.getByLabel('Day').fill('4');
      await page.getByLabel('Month').fill('7');
      await page.getByLabel('Year').fill('1990');
      await page.getByRole('radio', { name: 'Victim', exact: true }).check();
      await page.getByLabel('Phone number').fill('07700 900 982');
      await page.getByRole('checkbox', { name: 'Phone call' }).check();
      await page.getByRole('radio', { name: 'Yes' }).check();
      await page.getByLabel('Crime reference').fill('WY/77123/26');
      await page.getByLabel('Offence').selectOption({ label: 'Racially or religiously aggravated harassment' });
      await page.getByLabel('What support do they need? (optional)').fill('Someone to talk to, and help feeling safe at home.');
      await page.getByRole('checkbox', { name: 'The person has agreed to this referral' }).check();
      await expectAccessible(page);
      await submit(page);

      assert.match(here(page), /^\/refer\/sent\/[0-9a-f-]{36}$/);
      assert.match(await page.title(), /^Referral sent/);
      assert.match(await page.getByTestId('referral-reference').innerText(), /^REF-[0-9A-F]{4}-[0-9A-F]{4}$/);
      assert.doesNotMatch(await page.content(), /Jonathan/);
      await expectAccessible(page);
    } finally {
      await tab.context.close();
    }
  });
});
