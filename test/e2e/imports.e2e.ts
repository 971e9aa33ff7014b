// A coordinator imports a daily referral file in a real browser: uploads a small file with a bad row, sees the progress
// page (which refreshes itself without JavaScript) turn into the totals, and downloads the quarantine report. axe on
// every page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser } from '../support/browser.ts';
import { referralFile, referralRow } from '../support/referral-file.ts';
import { createOrganisation, createStaffUser } from '../support/staff.ts';

const running = useAppAndBrowser();

async function submit(page: Page, button: string): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState();
}

describe('importing a referral file in a browser', () => {
  test('a coordinator uploads a file with a bad row, watches it finish and downloads the quarantine report', async () => {
    const force = await createOrganisation(running.database.db, { name: 'Browser Constabulary', kind: 'police' });
    const hub = await createOrganisation(running.database.db, { name: 'Haven Browser Area', kind: 'hub', areaId: force.areaId });
    const coordinator = await createStaffUser(running.database.db, { organisationId: hub.id, role: 'coordinator' });
    const { page } = await running.newPage();

    await signInAs(page, coordinator);

    await page.getByRole('link', { name: 'Imports' }).first().click();
    await page.waitForLoadState();
    assert.equal(here(page), '/imports');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Import a referral file' }).click();
    await page.waitForLoadState();
    assert.equal(here(page), '/imports/new');
    await expectAccessible(page);

    // Nothing chosen: the error summary says so.
    await submit(page, 'Import file');
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await expectAccessible(page);

    const file = referralFile([referralRow(900_001), referralRow(900_002, { offence_date_from: '31/02/2025' }), referralRow(900_003)]);
    await page.getByLabel('Referral file').setInputFiles({ name: 'daily.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await submit(page, 'Import file');
    assert.match(here(page), /^\/imports\/[0-9a-f-]{36}$/);
    const importPath = here(page);

    // The progress page refreshes itself every 2 seconds until the worker has finished.
    if ((await page.locator('h1').innerText()) === 'Import in progress') {
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 1);
    }
    await page.locator('h1', { hasText: 'Import finished' }).waitFor({ timeout: 30_000 });
    await page.waitForLoadState();
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    const summary = await page.locator('.govuk-summary-list').innerText();
    assert.match(summary, /Imported\s+2/);
    assert.match(summary, /Quarantined\s+1/);
    await expectAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the quarantine report (CSV)' }).click(),
    ]);
    const report = await readFile(await download.path(), 'utf8');
    assert.equal(report, 'row_number,police_reference,column,reason\r\n2,WYP-0900002,offence_date_from,"Enter a real date as DD/MM/YYYY, like 04/07/2025"\r\n');

    await page.getByRole('link', { name: 'Back to imports' }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator(`a[href="${importPath}"]`).count(), 1);
    await expectAccessible(page);
  });
});
