// The safe-contact profile page in a real browser: a coordinator follows "Change safe contact" from the case, sends
// "do not contact" without a reason and uses the GOV.UK error summary, then saves a profile with text left out, quiet
// hours and do not contact; the case page shows the change. Without JavaScript the form saves the same. axe on every
// page.
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
let referrals = 0;

async function click(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: true }).click();
  await page.waitForLoadState();
}

const profileOf = async (caseId: string) => {
  const row = await running.database.db
    .selectFrom('victim_case')
    .innerJoin('person', 'person.id', 'victim_case.person_id')
    .select('person.safe_contact')
    .where('victim_case.id', '=', caseId)
    .executeTakeFirstOrThrow();
  return row.safe_contact;
};

describe('the safe-contact profile in a browser', () => {
  let coordinator: TestStaffUser;
  let forceId: string;

  async function referral(): Promise<string> {
    referrals += 1;
    return inTransaction(running.database.db, async (trx) => {
      const receipt = await receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `E2E-SAFE-${referrals}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Rhian', familyName: `Evans${referrals}`, dateOfBirth: `1984-06-${String(referrals).padStart(2, '0')}`, phone: `07700 900${320 + referrals}`, email: `rhian${referrals}@example.com`, safeContact: { channels: ['sms', 'email'] } },
        crime: { crimeReference: `WY/${83000 + referrals}/26`, offenceCode: '8N', offenceCategory: '' },
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

  test('the error summary leads to the reason; a saved profile leaves text out, sets quiet hours and do not contact', async () => {
    const caseId = await referral();
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await click(page, 'Change safe contact profile', 'link');
      assert.equal(here(page), `/cases/${caseId}/safe-contact`);
      assert.equal(await page.title(), `Safe contact: case ${caseReference(caseId)} – Haven`);
      assert.equal(await page.getByRole('checkbox', { name: 'Text message', exact: true }).isChecked(), true);
      await expectAccessible(page);

      await page.getByRole('radio', { name: 'Yes, do not contact', exact: true }).check();
      await click(page, 'Save safe contact');
      assert.match(await page.title(), /^Error: Safe contact: case /);
      const summary = page.locator('.govuk-error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), ['Enter why the victim must not be contacted']);
      await summary.getByRole('link', { name: 'Enter why the victim must not be contacted', exact: true }).click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'doNotContactReason');
      assert.deepEqual((await profileOf(caseId)).channels, ['sms', 'email'], 'nothing saved from a form in error');
      assert.equal((await profileOf(caseId)).doNotContact ?? null, null, 'nothing saved from a form in error');
      await expectAccessible(page);

      await page.getByRole('checkbox', { name: 'Text message', exact: true }).uncheck();
      await page.getByLabel('Why must they not be contacted?').fill('Her partner reads her messages');
      await page.getByLabel('From', { exact: true }).fill('20:00');
      await page.getByLabel('To', { exact: true }).fill('09:30');
      await click(page, 'Save safe contact');
      assert.equal(here(page), `/cases/${caseId}`);
      const stored = await profileOf(caseId);
      assert.deepEqual(stored.channels, ['email']);
      assert.equal(stored.doNotContact, true);
      assert.deepEqual(stored.quietHours, { from: '20:00', to: '09:30' });
      assert.match(await page.getByTestId('safe-contact').innerText(), /Not safe\s+Text message/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the form shows every field and saves', async () => {
    const caseId = await referral();
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}/safe-contact`);
      assert.equal(await page.getByLabel('Why must they not be contacted?').isVisible(), true);
      await expectAccessible(page);
      await page.getByRole('group', { name: 'Must the victim not be contacted by message at all?' }).getByRole('radio', { name: 'No', exact: true }).check();
      await page.getByRole('checkbox', { name: 'Phone call', exact: true }).check();
      await click(page, 'Save safe contact');
      assert.equal(here(page), `/cases/${caseId}`);
      const stored = await profileOf(caseId);
      assert.deepEqual(stored.channels, ['sms', 'email', 'phone']);
      assert.equal(stored.doNotContact, false);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
