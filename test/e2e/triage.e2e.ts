// Journey 1 up to the coordinator's work, in a real browser: a police referral lands in triage, a coordinator takes it,
// finds it in My cases with the filter, opens the case page with its timeline and logs a call. axe on every page, and a
// pass with JavaScript off for the filter and the server-side sort.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { createPerson } from '../../src/features/people/service.ts';
import { findOrCreateCrime, openCase } from '../../src/features/cases/service.ts';
import { caseReference } from '../../src/features/cases/rules.ts';

const running = useAppAndBrowser();

const policeSystem: Actor = { kind: 'system', label: 'police-api' };

async function policeReferral(areaId: string, givenName: string, familyName: string, crimeReference: string, offenceGroup: string) {
  return inTransaction(running.database.db, async (trx) => {
    const person = await createPerson(trx, policeSystem, {
      areaId,
      givenName,
      familyName,
      dateOfBirth: '1945-03-02',
      phone: '07700 900982',
      safeContact: { channels: ['phone', 'letter'], voicemailSafe: true },
    });
    const { crime } = await findOrCreateCrime(trx, policeSystem, {
      areaId,
      crimeReference,
      offenceCode: '28/1',
      offenceCategory: 'Burglary in a dwelling',
      offenceGroup,
      officerInCharge: 'DC Priya Shah',
    });
    const opened = await openCase(trx, policeSystem, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_api' });
    return opened.case.id;
  });
}

async function click(page: Page, name: string | RegExp, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name }).first().click();
  await page.waitForLoadState();
}

describe('triage and the coordinator’s work in a browser', () => {
  let coordinator: TestStaffUser;
  let caseId: string;

  before(async () => {
    const supervisor = await createStaffUser(running.database.db, { role: 'supervisor', displayName: 'Sue Supervisor' });
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationId: supervisor.organisationId });
    caseId = await policeReferral(supervisor.areaId, 'Edith', 'Marlow', 'WY/4001/26', 'Burglary');
    const other = await policeReferral(supervisor.areaId, 'Bert', 'Ashdown', 'WY/4002/26', 'Theft');
    // The second case is someone else's, so My cases has something to filter out.
    const colleague = await createStaffUser(running.database.db, { role: 'coordinator', organisationId: supervisor.organisationId });
    await running.database.db.updateTable('victim_case').set({ coordinator_user_id: colleague.id }).where('id', '=', other).execute();
  });

  test('a coordinator takes a police referral from triage, finds it, reads it and logs a call', async () => {
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await click(page, 'Triage', 'link');
      assert.equal(here(page), '/triage');
      await expectAccessible(page);
      const row = page.locator(`tr[data-case-id="${caseId}"]`);
      assert.match(await row.innerText(), /Edith Marlow[\s\S]*Police referral[\s\S]*Burglary/);
      await row.getByRole('button', { name: /Take this case/ }).click();
      await page.waitForLoadState();
      assert.equal(here(page), '/triage?done=taken');
      assert.equal(await page.locator(`tr[data-case-id="${caseId}"]`).count(), 0);
      await expectAccessible(page);

      await click(page, 'Cases', 'link');
      assert.equal(here(page), '/cases');
      await expectAccessible(page);
      await page.getByLabel('New', { exact: true }).check();
      await page.getByLabel('Police referral').check();
      await page.getByTestId('apply-filters').click();
      await page.waitForLoadState();
      assert.match(here(page), /status=new/);
      assert.doesNotMatch(here(page), /Edith|Marlow/);
      await expectAccessible(page);
      const list = await page.getByTestId('case-list').innerText();
      assert.match(list, /Edith Marlow/);
      assert.doesNotMatch(list, /Bert Ashdown/);
      // With JavaScript the table sorts in the browser.
      await page.getByRole('button', { name: 'Name' }).click();
      await expectAccessible(page);

      await click(page, caseReference(caseId), 'link');
      assert.equal(here(page), `/cases/${caseId}`);
      assert.equal(await page.title(), `Case ${caseReference(caseId)} – Haven`);
      assert.match(await page.getByTestId('coordinator').innerText(), /you are the coordinator/);
      const timeline = await page.getByTestId('timeline').innerText();
      assert.match(timeline, /Cara Coordinator is now the coordinator/);
      assert.match(timeline, /Referral received/);
      await expectAccessible(page);

      // A GOV.UK start-style button that is a link has the role of a button.
      await click(page, 'Log contact');
      assert.equal(here(page), `/cases/${caseId}/contact/new`);
      await expectAccessible(page);
      await click(page, 'Log contact');
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      await expectAccessible(page);
      await page.getByLabel('Phone call').check();
      await page.getByLabel('We contacted them').check();
      await page.getByLabel('Successful: we spoke or they replied').check();
      const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(new Date());
      const part = (type: string) => today.find((item) => item.type === type)?.value ?? '';
      await page.getByLabel('Day').fill(part('day'));
      await page.getByLabel('Month').fill(part('month'));
      await page.getByLabel('Year').fill(part('year'));
      await page.getByLabel('Time').fill('00:01');
      await page.getByLabel('Notes (optional)').fill('Spoke to her; she lives alone');
      await click(page, 'Log contact');
      assert.equal(here(page), `/cases/${caseId}?done=contact-logged-contacted`);
      assert.match(await page.getByTestId('contact-log').innerText(), /Phone call[\s\S]*Successful/);
      assert.match(await page.getByTestId('timeline').innerText(), /Phone call \(to them\): successful[\s\S]*Staff only/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('the filter and the sort work without JavaScript', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, '/cases');
      await page.getByLabel('Police referral').check();
      await page.getByTestId('apply-filters').click();
      await page.waitForLoadState();
      assert.equal(here(page), '/cases?source=police_api');
      await expectAccessible(page);
      assert.match(await page.getByTestId('case-list').innerText(), /Edith Marlow/);
      await click(page, 'Name', 'link');
      assert.equal(here(page), '/cases?source=police_api&sort=name&order=asc');
      assert.equal(await page.locator('th[aria-sort="ascending"]').innerText(), 'Name');
      await expectAccessible(page);
      await click(page, 'Remove this filter Police referral', 'link');
      assert.equal(here(page), '/cases?sort=name&order=asc');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
