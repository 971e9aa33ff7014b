// The pre-court review in a real browser: a coordinator records a hearing on a domestic abuse case through the form
// (after a try with nothing filled in), finds the case on the pre-court review list and opens it from there, and a
// horizon that is not a number gets the GOV.UK error summary. axe on every page, and the horizon form without JavaScript.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { addDays, partsOf } from '../../src/platform/time/calendar-date.ts';
import { londonDateOf } from '../../src/platform/time/london.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';

const running = useAppAndBrowser();

const police: Actor = { kind: 'system', label: 'police-api' };

async function click(page: Page, name: string | RegExp, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: typeof name === 'string' }).first().click();
  await page.waitForLoadState();
}

describe('the pre-court review in a browser', () => {
  let coordinator: TestStaffUser;
  let caseId: string;

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    const force = await createOrganisation(running.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' });
    caseId = await inTransaction(running.database.db, async (trx) => {
      const receipt = await receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: 'E2E-PRECOURT-1',
        referringOrganisationId: force.id,
        areaId: coordinator.areaId,
        person: { givenName: 'Maya', familyName: 'Okafor', dateOfBirth: '1990-04-12' },
        crime: { crimeReference: 'WY/88001/26', offenceCode: '8N', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: { domesticAbuse: true },
      });
      return receipt.caseId;
    });
  });

  test('a coordinator records a hearing and finds the case on the pre-court review list', async () => {
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await click(page, 'Hearings', 'link');
      assert.equal(here(page), `/cases/${caseId}/hearings`);
      assert.equal(await page.title(), `Hearings: case ${caseReference(caseId)} – Haven`);
      await expectAccessible(page);

      // A GOV.UK button that is a link has the role of a button.
      await click(page, 'Record a hearing');
      assert.equal(here(page), `/cases/${caseId}/hearings/new`);
      await expectAccessible(page);
      await click(page, 'Record hearing');
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the date of the hearing[\s\S]*Enter the time of the hearing[\s\S]*Enter the name of the court[\s\S]*Select the type of hearing/);
      await expectAccessible(page);

      const { day, month, year } = partsOf(addDays(londonDateOf(new Date()), 10));
      await page.getByLabel('Day').fill(String(day));
      await page.getByLabel('Month').fill(String(month));
      await page.getByLabel('Year').fill(String(year));
      await page.getByLabel('Time').fill('10:00');
      await page.getByLabel('Court').fill('Leeds Crown Court');
      await page.getByLabel('Trial', { exact: true }).check();
      await click(page, 'Record hearing');
      assert.equal(here(page), `/cases/${caseId}/hearings?done=recorded`);
      assert.match(await page.getByTestId('hearings').innerText(), /Trial[\s\S]*Leeds Crown Court[\s\S]*Cara Coordinator/);
      await expectAccessible(page);

      await click(page, 'Pre-court review', 'link');
      assert.equal(here(page), '/pre-court-review');
      assert.equal(await page.title(), 'Pre-court review – Haven');
      const row = page.getByTestId(`review-${caseId}`);
      const shown = await row.innerText();
      assert.match(shown, new RegExp(`Case ${caseReference(caseId)}`));
      assert.match(shown, /Maya Okafor/);
      assert.match(shown, /Trial at Leeds Crown Court/);
      assert.match(shown, /Domestic abuse/);
      assert.match(shown, /No needs assessment/);
      assert.match(shown, /Screens, so they do not see the defendant \(section 23\)/);
      assert.match(await page.locator('.govuk-inset-text').innerText(), /special measures page/);
      await expectAccessible(page);

      await row.getByRole('link', { name: `Open case ${caseReference(caseId)}` }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}`);
      assert.match(await page.getByTestId('timeline').innerText(), /Hearing listed: Trial at Leeds Crown Court[\s\S]*Visible to victim/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('the horizon form works without JavaScript and shows the GOV.UK error summary for a bad number', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, '/pre-court-review');
      assert.equal(await page.getByTestId(`review-${caseId}`).count(), 1, 'the hearing recorded in the journey above');
      await page.getByLabel('Show hearings in the next').fill('next month');
      await click(page, 'Show hearings');
      assert.equal(here(page), '/pre-court-review?horizon=next+month');
      assert.equal(await page.title(), 'Error: Pre-court review – Haven');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the number of days as a whole number, like 28/);
      assert.equal(await page.getByTestId(`review-${caseId}`).count(), 0);
      await expectAccessible(page);
      await page.getByLabel('Show hearings in the next').fill('5');
      await click(page, 'Show hearings');
      assert.equal(here(page), '/pre-court-review?horizon=5');
      assert.equal(await page.getByTestId(`review-${caseId}`).count(), 0, 'the hearing in 10 days is beyond 5 days');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
