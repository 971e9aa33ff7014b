// Special measures in a real browser: a witness care officer records the victim's wishes (after a try with nothing
// chosen), the application and the court's decision, and a remote live link; a hub coordinator without JavaScript
// reaches the page from the case, records the court visit (its date field shown without JavaScript) and downloads the
// hearing's calendar file from the hearings page. axe on every page.
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
import { recordHearing } from '../../src/features/pre-court/service.ts';

const running = useAppAndBrowser();
const police: Actor = { kind: 'system', label: 'police-api' };

async function click(page: Page, name: string | RegExp, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: typeof name === 'string' }).first().click();
  await page.waitForLoadState();
}

async function fillDate(page: Page, days: number): Promise<void> {
  const { day, month, year } = partsOf(addDays(londonDateOf(new Date()), days));
  await page.getByLabel('Day', { exact: true }).fill(String(day));
  await page.getByLabel('Month', { exact: true }).fill(String(month));
  await page.getByLabel('Year', { exact: true }).fill(String(year));
}

describe('special measures in a browser', () => {
  let coordinator: TestStaffUser;
  let witnessCare: TestStaffUser;
  let caseId: string;
  let hearingId: string;

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
    const force = await createOrganisation(running.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' });
    const unit = await createOrganisation(running.database.db, { kind: 'witness_care', areaId: coordinator.areaId, name: 'Witness Care Unit' });
    witnessCare = await createStaffUser(running.database.db, { role: 'witness_care_officer', displayName: 'Wren Witnesscare', organisationId: unit.id });
    caseId = await inTransaction(running.database.db, async (trx) => {
      const receipt = await receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: 'E2E-SPECIAL-MEASURES-1',
        referringOrganisationId: force.id,
        areaId: coordinator.areaId,
        person: { givenName: 'Selina', familyName: 'Marsh', dateOfBirth: '1984-03-02' },
        crime: { crimeReference: 'WY/88101/26', offenceCode: '5D', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      });
      return receipt.caseId;
    });
    const { day, month, year } = partsOf(addDays(londonDateOf(new Date()), 14));
    const actor: Actor = {
      kind: 'staff',
      staff: { userId: coordinator.id, email: coordinator.email, displayName: coordinator.displayName, role: coordinator.role, organisationId: coordinator.organisationId, organisationName: coordinator.organisationName, areaId: coordinator.areaId },
    };
    const recorded = await recordHearing(running.database.db, actor, caseId, {
      submissionKey: crypto.randomUUID(),
      'hearingDate-day': String(day),
      'hearingDate-month': String(month),
      'hearingDate-year': String(year),
      time: '10:00',
      courtName: 'Leeds Crown Court',
      hearingType: 'trial',
    });
    hearingId = recorded.hearingId;
  });

  test('witness care records the wishes, the application, the court’s decision and a remote live link', async () => {
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, witnessCare);
      await visit(page, `/cases/${caseId}/special-measures`);
      assert.equal(await page.title(), `Special measures: case ${caseReference(caseId)} – Haven`);
      assert.equal(await page.getByTestId('no-history').count(), 1);
      await expectAccessible(page);

      await click(page, 'Record what the victim wants', 'link');
      assert.equal(here(page), `/cases/${caseId}/special-measures/wishes`);
      await expectAccessible(page);
      await click(page, 'Save');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Select whether they want screens/);
      assert.match(await page.title(), /^Error: /);
      await expectAccessible(page);
      for (const measure of ['screens', 'live_link', 'evidence_in_private', 'wigs_and_gowns', 'video_recorded_evidence', 'pre_recorded_cross_examination', 'intermediary', 'communication_aids']) {
        // GOV.UK radios: the first option takes the prefix as its id, the third is "-3".
        await page.locator(measure === 'live_link' ? `#wish-${measure}` : `#wish-${measure}-3`).check();
      }
      await click(page, 'Save');
      assert.equal(here(page), `/cases/${caseId}/special-measures?done=wishes`);
      assert.match(await page.locator('[data-measure="live_link"]').innerText(), /Wants it/);
      await expectAccessible(page);

      await click(page, 'Record the application', 'link');
      assert.equal(here(page), `/cases/${caseId}/special-measures/application`);
      await expectAccessible(page);
      assert.ok(await page.locator('input[name="measures"][value="live_link"]').isChecked(), 'what the victim wants is ticked for them');
      await fillDate(page, 0);
      await click(page, 'Save');
      assert.equal(here(page), `/cases/${caseId}/special-measures?done=application`);
      assert.match(await page.locator('[data-measure="live_link"]').innerText(), /Awaiting decision/);

      await click(page, 'Record the court’s decision', 'link');
      await expectAccessible(page);
      await page.locator('#decision-live_link').check();
      await fillDate(page, 0);
      await click(page, 'Save');
      assert.equal(here(page), `/cases/${caseId}/special-measures?done=outcome`);
      assert.match(await page.locator('[data-measure="live_link"]').innerText(), /Granted/);

      await page.getByRole('link', { name: /Change\s+alternative arrangements/ }).click();
      await page.waitForLoadState();
      await page.getByLabel('Remote live link from another place').check();
      await page.getByLabel('Where they will give evidence from').fill('Home');
      await click(page, 'Save');
      assert.match(await page.getByTestId('preparation').innerText(), /Remote live link from another place \(Home\)/);
      assert.match(await page.getByTestId('history').innerText(), /Alternative arrangements[\s\S]*Court’s decision: Live link granted[\s\S]*Applied for Live link[\s\S]*Victim’s wishes: Live link \(wants it\)/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('a coordinator without JavaScript records the court visit and downloads the hearing’s calendar file', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await click(page, 'Special measures and court', 'link');
      assert.equal(here(page), `/cases/${caseId}/special-measures`);
      await expectAccessible(page);
      await page.getByRole('link', { name: /Change\s+court familiarisation visit/ }).click();
      await page.waitForLoadState();
      await page.getByLabel('Booked').check();
      await click(page, 'Save');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the date of the visit/);
      await expectAccessible(page);
      await page.getByLabel('Booked').check();
      // Without JavaScript every conditional field shows: the booked visit's date comes first.
      await page.locator('#bookedFor-day').fill(String(partsOf(addDays(londonDateOf(new Date()), 7)).day));
      await page.locator('#bookedFor-month').fill(String(partsOf(addDays(londonDateOf(new Date()), 7)).month));
      await page.locator('#bookedFor-year').fill(String(partsOf(addDays(londonDateOf(new Date()), 7)).year));
      await click(page, 'Save');
      assert.equal(here(page), `/cases/${caseId}/special-measures?done=visit`);
      assert.match(await page.getByTestId('preparation').innerText(), /Booked, \d+ \w+ \d{4}/);
      await expectAccessible(page);

      await visit(page, `/cases/${caseId}/hearings`);
      const link = page.getByRole('link', { name: /Add to calendar/ });
      assert.equal(await link.getAttribute('href'), `/cases/${caseId}/hearings/${hearingId}/calendar.ics`);
      await expectAccessible(page);
      const file = await context.request.get(`/cases/${caseId}/hearings/${hearingId}/calendar.ics`);
      assert.equal(file.status(), 200);
      assert.match(file.headers()['content-type'] ?? '', /^text\/calendar/);
      assert.equal(file.headers()['content-disposition'], 'attachment; filename="hearing.ics"');
      const body = await file.text();
      assert.match(body, /BEGIN:VEVENT[\s\S]*LOCATION:Leeds Crown Court/);
      assert.doesNotMatch(body, /Selina|Marsh/);
    } finally {
      await context.close();
    }
  });
});
