// Enhanced rights and the care plan in a real browser. On a stalking case the rules give "persistently targeted" with
// their reason; a coordinator adds "vulnerable" with a reason, tries to withdraw it without one and follows the error
// summary, then withdraws it with one. On the care plan they add an action with an owner and a due date, first with a
// date that does not exist. axe on every page state, and the care plan form once with JavaScript off.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { createPerson, todayInLondon } from '../../src/features/people/service.ts';
import { findOrCreateCrime, openCase } from '../../src/features/cases/service.ts';
import { caseReference } from '../../src/features/cases/rules.ts';

const running = useAppAndBrowser();

const policeSystem: Actor = { kind: 'system', label: 'police-api' };
let crimes = 0;

/** A police referral for stalking, which the rules put in the "persistently targeted" category. */
async function stalkingCase(areaId: string, givenName: string): Promise<string> {
  crimes += 1;
  return inTransaction(running.database.db, async (trx) => {
    const person = await createPerson(trx, policeSystem, { areaId, givenName, familyName: 'Ashdown', dateOfBirth: '1979-06-30' });
    const { crime } = await findOrCreateCrime(trx, policeSystem, {
      areaId,
      crimeReference: `ST/${crimes}/26`,
      offenceCode: '8Q',
      offenceCategory: 'Stalking',
      offenceGroup: 'Stalking and harassment',
    });
    return (await openCase(trx, policeSystem, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_api' })).case.id;
  });
}

async function click(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: true }).click();
  await page.waitForLoadState();
}

const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

/** Day, month and year of 3 December next year, and how the page writes it. */
function nextDecember(): { day: string; month: string; year: string; written: string } {
  const year = String(Number(todayInLondon().slice(0, 4)) + 1);
  return { day: '3', month: '12', year, written: `3 December ${year}` };
}

async function fillDueDate(page: Page, date: { day: string; month: string; year: string }): Promise<void> {
  const due = page.getByRole('group', { name: 'When will it be done by?' });
  await due.getByLabel('Day', { exact: true }).fill(date.day);
  await due.getByLabel('Month', { exact: true }).fill(date.month);
  await due.getByLabel('Year', { exact: true }).fill(date.year);
}

describe('enhanced rights and the care plan in a browser', () => {
  let coordinator: TestStaffUser;
  const hubName = `Haven Victim Gateway ${Date.now()}`;

  before(async () => {
    const hub = await createOrganisation(running.database.db, { name: hubName, kind: 'hub' });
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationId: hub.id });
  });

  test('the rules’ categories with their reasons; a coordinator adds one, and withdraws it only with a reason', async () => {
    const caseId = await stalkingCase(coordinator.areaId, 'Robin');
    const reference = caseReference(caseId);
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await page.getByRole('navigation', { name: 'Case work' }).getByRole('link', { name: 'Enhanced rights under the Victims’ Code' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/entitlements`);
      assert.equal(await page.title(), `Enhanced rights: case ${reference} – Haven`);
      // The Code clock may already have decided the rules on the referral; checking again gives the same answer.
      await click(page, 'Check the rules again');
      assert.equal(here(page), `/cases/${caseId}/entitlements?done=checked`);
      assert.match(await page.getByTestId('enhanced-status').innerText(), /entitled to enhanced rights/);
      assert.deepEqual(await page.getByTestId('category').allInnerTexts(), ['Persistently targeted']);
      const ruled = await page.locator('.govuk-summary-list').first().innerText();
      assert.match(ruled, /Given by\s+Victims’ Code rule \(persistently_targeted\.harassment_or_stalking\)/);
      assert.match(ruled, /Reason\s+Harassment, stalking or coercive control is conduct repeated over time/);
      assert.match(ruled, /Evidence\s+offence\.code: 8Q/);
      assert.match(ruled, /Decided\s+Haven \(automatic\)/);
      await expectAccessible(page);

      // Adding a category needs a reason.
      await page.getByRole('radio', { name: 'Vulnerable', exact: true }).check();
      await click(page, 'Add category');
      assert.match(await page.title(), /^Error: Enhanced rights: case /);
      const summary = page.locator('.govuk-error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), ['Enter why the victim is in this category']);
      assert.equal(await page.getByRole('radio', { name: 'Vulnerable', exact: true }).isChecked(), true);
      await expectAccessible(page);
      await summary.getByRole('link', { name: 'Enter why the victim is in this category' }).click();
      assert.equal(await focusedId(page), 'reason');
      await page.getByLabel('Reason', { exact: true }).fill('She has a brain injury that affects her memory of events');
      await page.getByLabel('The victim’s view (optional)').fill('Wants to give evidence by video link');
      await click(page, 'Add category');
      assert.equal(here(page), `/cases/${caseId}/entitlements?done=added`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Category added/);
      assert.deepEqual(await page.getByTestId('category').allInnerTexts(), ['Persistently targeted', 'Vulnerable']);
      const added = await page.locator('.govuk-summary-list').nth(1).innerText();
      assert.match(added, /Given by\s+Coordinator/);
      assert.match(added, /Reason\s+She has a brain injury that affects her memory of events/);
      assert.match(added, /Decided\s+Cara Coordinator/);
      assert.match(added, /Victim’s view\s+Wants to give evidence by video link/);
      await expectAccessible(page);

      // Withdrawing without a reason is refused, beside the field and in the summary.
      await page.getByText('Record the victim’s view or withdraw vulnerable').click();
      const withdrawForm = page.locator(`form[action$="/withdraw"]`).nth(1);
      await withdrawForm.getByRole('button', { name: 'Withdraw this category' }).click();
      await page.waitForLoadState();
      assert.match(here(page), new RegExp(`^/cases/${caseId}/entitlements/[0-9a-f-]{36}/withdraw$`));
      assert.match(await page.title(), /^Error: /);
      const withdrawLink = summary.getByRole('link', { name: 'Enter why this category no longer applies' });
      assert.equal(await withdrawLink.count(), 1);
      const field = (await withdrawLink.getAttribute('href'))?.slice(1) ?? '';
      assert.match(field, /^withdraw-[0-9a-f-]{36}$/);
      // Still in force: nothing was withdrawn.
      assert.deepEqual(await page.getByTestId('category').allInnerTexts(), ['Persistently targeted', 'Vulnerable']);
      await expectAccessible(page);
      await withdrawLink.click();
      assert.equal(await focusedId(page), field);
      await page.locator(`#${field}`).fill('The hospital letter says the injury has healed');
      await page.locator(`#${field}`).locator('xpath=ancestor::form').getByRole('button', { name: 'Withdraw this category' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/entitlements?done=withdrawn`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Category withdrawn/);
      assert.deepEqual(await page.getByTestId('category').allInnerTexts(), ['Persistently targeted']);
      const withdrawnSection = page.locator('h2', { hasText: 'Withdrawn' });
      assert.equal(await withdrawnSection.count(), 1);
      assert.match(await page.locator('main').innerText(), /Withdrawn\s+Vulnerable[\s\S]*Withdrawn\s+Cara Coordinator, .*: The hospital letter says the injury has healed/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('a coordinator adds an action to the care plan with an owner and a due date', async () => {
    const caseId = await stalkingCase(coordinator.areaId, 'Kit');
    const reference = caseReference(caseId);
    const due = nextDecember();
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await page.getByRole('navigation', { name: 'Case work' }).getByRole('link', { name: 'Care plan' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/care-plan`);
      assert.equal(await page.title(), `Care plan: case ${reference} – Haven`);
      assert.match(await page.getByTestId('no-actions').innerText(), /No actions have been agreed yet/);
      await expectAccessible(page);

      await click(page, 'Add an action');
      assert.equal(here(page), `/cases/${caseId}/care-plan/new`);
      assert.equal(await page.title(), `Add an action: case ${reference} – Haven`);
      await expectAccessible(page);

      // 31 April does not exist.
      await page.getByLabel('What will be done?').fill('Arrange for a locksmith to fit new locks');
      await page.getByRole('radio', { name: hubName, exact: true }).check();
      await page.getByLabel('Named person (optional)').selectOption({ label: 'Cara Coordinator' });
      await fillDueDate(page, { day: '31', month: '4', year: due.year });
      await click(page, 'Add action');
      assert.equal(here(page), `/cases/${caseId}/care-plan`);
      assert.match(await page.title(), /^Error: Add an action: case /);
      const summary = page.locator('.govuk-error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), ['Due date must be a real date']);
      assert.match(await page.locator('#dueDate-error').innerText(), /Due date must be a real date/);
      // What was entered is kept.
      assert.equal(await page.getByLabel('What will be done?').inputValue(), 'Arrange for a locksmith to fit new locks');
      assert.equal(await page.getByRole('radio', { name: hubName, exact: true }).isChecked(), true);
      assert.equal(await page.getByLabel('Named person (optional)').inputValue(), coordinator.id);
      await expectAccessible(page);
      await summary.getByRole('link', { name: 'Due date must be a real date' }).click();
      assert.equal(await focusedId(page), 'dueDate-day');

      await fillDueDate(page, due);
      await click(page, 'Add action');
      assert.equal(here(page), `/cases/${caseId}/care-plan?done=added`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Action added to the care plan/);
      const actions = page.locator('[data-testid^="action-"]');
      assert.equal(await actions.count(), 1);
      const action = await actions.first().innerText();
      assert.match(action, /What will be done\s+Arrange for a locksmith to fit new locks/);
      assert.match(action, new RegExp(`Who will do it\\s+Cara Coordinator, ${hubName}`));
      assert.match(action, new RegExp(`Due by\\s+${due.written}`));
      assert.match(action, /Status\s+Agreed/);
      assert.match(action, new RegExp(`The victim reads\\s+Cara Coordinator at ${hubName} will arrange for a locksmith to fit new locks by ${due.written}\\.`));
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('the care plan form and the withdrawal work without JavaScript', async () => {
    const caseId = await stalkingCase(coordinator.areaId, 'Lou');
    const due = nextDecember();
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}/care-plan/new`);
      await page.getByLabel('What will be done?').fill('Keep a diary of each time he contacts you');
      await page.getByRole('radio', { name: 'The victim', exact: true }).check();
      await fillDueDate(page, { day: due.day, month: '', year: due.year });
      await click(page, 'Add action');
      assert.match(await summaryText(page), /Due date must include a month/);
      // Only the empty box is marked, and the summary links to it.
      assert.equal(await page.locator('.govuk-error-summary a[href="#dueDate-month"]').count(), 1);
      assert.deepEqual(await boxesInError(page), ['dueDate-month']);
      await expectAccessible(page);
      await fillDueDate(page, due);
      await click(page, 'Add action');
      assert.equal(here(page), `/cases/${caseId}/care-plan?done=added`);
      assert.match(await page.locator('[data-testid^="action-"]').innerText(), new RegExp(`The victim reads\\s+You will keep a diary of each time he contacts you by ${due.written}\\.`));
      await expectAccessible(page);

      // The withdrawal form sits in a details element, which opens without JavaScript too.
      await visit(page, `/cases/${caseId}/entitlements`);
      await click(page, 'Check the rules again');
      await page.getByText('Record the victim’s view or withdraw persistently targeted').click();
      // A reason over the limit is refused, and kept in its box to shorten.
      const tooLong = `The stalking charge was recorded against the wrong person. ${'x'.repeat(1000)}`;
      await page.getByLabel('Why this category no longer applies').fill(tooLong);
      await click(page, 'Withdraw this category');
      assert.match(await summaryText(page), /The reason must be 1000 characters or fewer/);
      assert.equal(await page.getByLabel('Why this category no longer applies').inputValue(), tooLong);
      assert.match(await page.locator('.govuk-character-count__message').first().innerText(), /You can enter up to 1000 characters/);
      await expectAccessible(page);
      await page.getByLabel('Why this category no longer applies').fill('The stalking charge was recorded against the wrong person');
      await click(page, 'Withdraw this category');
      assert.equal(here(page), `/cases/${caseId}/entitlements?done=withdrawn`);
      assert.match(await page.getByTestId('enhanced-status').innerText(), /No enhanced-rights category applies yet/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});

async function summaryText(page: Page): Promise<string> {
  return page.locator('.govuk-error-summary').innerText();
}

/** The ids of the date input's boxes marked in error. */
async function boxesInError(page: Page): Promise<(string | null)[]> {
  const boxes = await page.locator('.govuk-date-input input.govuk-input--error').all();
  return Promise.all(boxes.map((box) => box.getAttribute('id')));
}
