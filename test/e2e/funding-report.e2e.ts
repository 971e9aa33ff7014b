// Funding and the quarterly compliance report in a real browser, with axe on every page: the commissioner's analyst
// sends the funding form with mistakes, follows the error summary, records a grant and finds it in the list, reads the
// cost of support, and opens the report for a quarter and its CSV link. Once with JavaScript and once without.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';

const running = useAppAndBrowser();

async function fillDate(page: Page, legend: string, date: { day: string; month: string; year: string }): Promise<void> {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day', { exact: true }).fill(date.day);
  await group.getByLabel('Month', { exact: true }).fill(date.month);
  await group.getByLabel('Year', { exact: true }).fill(date.year);
}

async function recordFunding(page: Page, reference: string, withJavaScript: boolean): Promise<void> {
  await visit(page, '/insights/funding');
  await page.getByRole('button', { name: 'Record funding' }).click();
  await page.waitForLoadState();
  assert.equal(here(page), '/insights/funding/new');
  await expectAccessible(page);

  // Everything wrong: no provider, no kind, an impossible date and a third decimal place.
  await fillDate(page, 'Start of the funded period', { day: '30', month: '2', year: '2026' });
  await page.getByLabel('Amount for the whole period').fill('100.005');
  await page.getByRole('button', { name: 'Record funding' }).click();
  await page.waitForLoadState();
  assert.match(await page.title(), /^Error: Record funding/);
  const summary = page.locator('.govuk-error-summary');
  const text = await summary.innerText();
  for (const message of ['Select the provider', 'Select grant or contract', 'Enter the reference', 'Start date must be a real date', 'Enter the end date', 'Amount must have no more than 2 numbers after the decimal point']) {
    assert.match(text, new RegExp(message), message);
  }
  await expectAccessible(page);
  // The summary's link takes the reader to the field.
  await summary.getByRole('link', { name: 'Start date must be a real date' }).click();
  if (withJavaScript) assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'periodStart-day');
  else assert.match(page.url(), /#periodStart-day$/);

  await page.getByLabel('Provider').selectOption({ label: 'Alpha Support' });
  await page.getByLabel('Grant', { exact: true }).check();
  await page.getByLabel('Reference').fill(reference);
  await fillDate(page, 'Start of the funded period', { day: '1', month: '4', year: '2026' });
  await fillDate(page, 'End of the funded period', { day: '30', month: '6', year: '2026' });
  await page.getByLabel('Amount for the whole period').fill('9100');
  await page.getByRole('button', { name: 'Record funding' }).click();
  await page.waitForLoadState();
  assert.equal(here(page), '/insights/funding?done=recorded');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Funding recorded/);
  const row = page.getByTestId('awards').getByRole('row').filter({ hasText: reference });
  assert.match(await row.innerText(), /Alpha Support\s+Grant\s+\S+\s+1 April 2026 to 30 June 2026\s+£9,100.00/);
  await expectAccessible(page);
}

async function readCosts(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'cost of support per victim and per completed outcome' }).click();
  await page.waitForLoadState();
  assert.equal(here(page), '/insights/funding/costs');
  await expectAccessible(page);
  await fillDate(page, 'From', { day: '1', month: '5', year: '2026' });
  await fillDate(page, 'To', { day: '31', month: '5', year: '2026' });
  await page.getByRole('button', { name: 'Show costs' }).click();
  await page.waitForLoadState();
  const alpha = page.getByTestId('costs').getByRole('row').filter({ hasText: 'Alpha Support' });
  // Each journey adds a £9,100 grant over April to June; May is 31 of its 91 days, and 20 victims were supported.
  assert.match(await alpha.innerText(), /£\d[\d,]*\.\d\d\s+20\s+£\d+\.\d\d/);
  await expectAccessible(page);
}

async function readReport(page: Page): Promise<void> {
  await visit(page, '/insights/report?quarter=2026-Q2');
  assert.equal(await page.title(), 'Victims’ Code compliance report, April to June 2026 – Haven');
  assert.equal(await page.getByRole('heading', { level: 3, name: /^Right \d+:/ }).count(), 12);
  const answers = page.getByTestId('duty-provider_response');
  assert.match(await answers.getByRole('row').filter({ hasText: 'Alpha Support' }).innerText(), /Alpha Support\s+15\s+\[c\]\s+hidden\s+\[c\]\s+hidden/);
  assert.match(await answers.getByRole('row').filter({ hasText: 'All agencies' }).innerText(), /All agencies\s+31\s+21\s+10/);
  assert.match(await page.getByTestId('method').innerText(), /Due in the quarter/);
  assert.equal(await page.getByTestId('csv-link').getAttribute('href'), '/insights/report.csv?quarter=2026-Q2');

  // Choosing another quarter is a plain GET form.
  await page.getByLabel('Quarter').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Show report' }).click();
  await page.waitForLoadState();
  assert.match(here(page), /^\/insights\/report\?quarter=\d{4}-Q\d$/);
  await expectAccessible(page);

  await visit(page, '/insights/report?quarter=2026-Q9');
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Choose a quarter from the list/);
}

describe('funding and the compliance report in a browser', () => {
  let analyst: TestStaffUser;

  before(async () => {
    const db = running.database.db;
    const commissioner = await createOrganisation(db, { kind: 'commissioner', name: 'Office of the Commissioner' });
    analyst = await createStaffUser(db, { role: 'commissioner_analyst', organisationId: commissioner.id, displayName: 'Ana Analyst' });
    const areaId = commissioner.areaId;
    const alpha = await createOrganisation(db, { kind: 'provider', areaId, name: 'Alpha Support' });
    const beta = await createOrganisation(db, { kind: 'provider', areaId, name: 'Beta Advocacy' });
    const service = await db.insertInto('organisation_service').values({ organisation_id: alpha.id, name: 'Alpha ISVA', category: 'isva', description: 'Support' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('insight_referral_day').values({
      area_id: areaId, day: '2026-05-12', organisation_id: alpha.id, service_id: service.id,
      sent: 24, awaiting: 0, accepted: 20, declined: 4, no_capacity: 0, returned: 0, closed: 8, completed: 8, started: 20, wait_days_total: 60,
    }).execute();
    const duty = (organisationId: string, metOnTime: number, metLate: number) => ({
      area_id: areaId, day: '2026-06-01', duty: 'provider_response', owner_kind: 'named_organisation', owner_key: organisationId,
      due: metOnTime + metLate, met_on_time: metOnTime, met_late: metLate, overdue: 0, breached: 0, open: 0,
    });
    await db.insertInto('insight_duty_day').values([duty(alpha.id, 12, 3), duty(beta.id, 9, 7)]).execute();
  });

  test('with JavaScript: record funding through the error summary, read the costs and the report', async () => {
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, analyst);
      await recordFunding(page, 'PCC-JS-1', true);
      await readCosts(page);
      await readReport(page);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript: the same journey', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, analyst);
      await recordFunding(page, 'PCC-NOJS-2', false);
      await readCosts(page);
      await readReport(page);
    } finally {
      await context.close();
    }
  });
});
