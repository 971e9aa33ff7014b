// Classifying an offence by hand in a real browser: a police referral with an offence code Haven does not know puts a
// task on the case page; the coordinator follows it to the form, sends it empty (the GOV.UK error summary takes focus
// and its links lead to the fields), then chooses the offence and a reason, and is back on the case with the task gone.
// The same without JavaScript. axe on every page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';

const running = useAppAndBrowser();

const police: Actor = { kind: 'system', label: 'police-api' };
const focused = (page: Page) => page.evaluate('document.activeElement && (document.activeElement.id || document.activeElement.className)');

async function click(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: true }).first().click();
  await page.waitForLoadState();
}

describe('classifying an offence by hand in a browser', () => {
  let coordinator: TestStaffUser;
  let forceId: string;
  let referrals = 0;

  async function referral(offenceCode: string): Promise<string> {
    referrals += 1;
    return inTransaction(running.database.db, async (trx) => {
      const receipt = await receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `E2E-OFFENCE-${referrals}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Tomasz', familyName: `Nowak${referrals}`, dateOfBirth: '1979-03-08' },
        crime: { crimeReference: `WY/8710${referrals}/26`, offenceCode, offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      });
      return receipt.caseId;
    });
  }

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(running.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
  });

  test('a coordinator follows the task from the case page, corrects an empty form and classifies the offence', async () => {
    const caseId = await referral('999Z');
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      assert.match(await page.getByTestId('open-tasks').innerText(), /Classify the offence by hand/);
      await expectAccessible(page);

      await page.getByTestId('open-tasks').getByRole('link', { name: 'Classify the offence' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/offence`);
      assert.equal(await page.title(), `Classify the offence: case ${caseReference(caseId)} – Haven`);
      assert.match(await page.getByTestId('crime').innerText(), /Code the police sent\s+999Z/);
      await expectAccessible(page);

      await click(page, 'Classify offence');
      assert.equal(await page.title(), `Error: Classify the offence: case ${caseReference(caseId)} – Haven`);
      const summary = page.locator('.govuk-error-summary');
      assert.match(await summary.innerText(), /Select the offence[\s\S]*Enter why this is the right offence/);
      assert.match(String(await focused(page)), /govuk-error-summary/, 'the error summary takes focus as the page loads');
      await expectAccessible(page);
      await summary.getByRole('link', { name: 'Select the offence' }).click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'offenceCode');
      await summary.getByRole('link', { name: 'Enter why this is the right offence' }).click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'reason');

      await page.getByLabel('Offence', { exact: true }).selectOption('5D');
      await page.getByLabel('Why is this the right offence?').fill('The officer in charge confirmed wounding with intent');
      await click(page, 'Classify offence');
      assert.equal(here(page), `/cases/${caseId}?done=offence-classified`);
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Offence classified/);
      assert.equal(await page.getByTestId('open-tasks').count(), 0, 'the task is done');
      assert.match(await page.getByTestId('timeline').innerText(), /Offence classified as Assault with intent to cause serious harm \(wounding with intent\) \(5D\)[\s\S]*Staff only/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('the form works without JavaScript', async () => {
    const caseId = await referral('998Y');
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}/offence`);
      await expectAccessible(page);
      await page.getByLabel('Why is this the right offence?').fill('Robbery of her phone in the street');
      await click(page, 'Classify offence');
      assert.equal(await page.title(), `Error: Classify the offence: case ${caseReference(caseId)} – Haven`);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Select the offence/);
      assert.equal(await page.getByLabel('Why is this the right offence?').inputValue(), 'Robbery of her phone in the street');
      await expectAccessible(page);

      await page.getByLabel('Offence', { exact: true }).selectOption('34B');
      await click(page, 'Classify offence');
      assert.equal(here(page), `/cases/${caseId}?done=offence-classified`);
      assert.equal(await page.getByTestId('open-tasks').count(), 0);
      assert.match(await page.locator('main').innerText(), /Robbery \(34B\)/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
