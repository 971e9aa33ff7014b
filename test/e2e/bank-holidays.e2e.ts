// One-off bank holidays in a real browser: an administrator opens Bank holidays from the navigation, sends an impossible
// date and follows the error summary to the date field, then adds the day and finds it in the list, marked one-off.
// axe on every page, and the same form once with JavaScript off.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createStaffUser, type TestStaffUser } from '../support/staff.ts';

const running = useAppAndBrowser();

/**
 * A weekday in June of next year, a month with no England and Wales bank holiday, so the calendar cannot already have
 * it and it is never in the past. `day` picks which June: two journeys need two different days.
 */
function juneWeekdayNextYear(day: number): { day: number; month: number; year: number; iso: string; long: RegExp } {
  const year = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric' }).format(new Date())) + 1;
  const date = new Date(Date.UTC(year, 5, day));
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' }).format(date);
  return {
    day: date.getUTCDate(),
    month: 6,
    year,
    iso: date.toISOString().slice(0, 10),
    long: new RegExp(`^${weekday} ${date.getUTCDate()} June ${year}$`),
  };
}

async function fillDate(page: Page, date: { day: number | string; month: number | string; year: number | string }): Promise<void> {
  await page.getByLabel('Day', { exact: true }).fill(String(date.day));
  await page.getByLabel('Month', { exact: true }).fill(String(date.month));
  await page.getByLabel('Year', { exact: true }).fill(String(date.year));
}

async function submit(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add bank holiday', exact: true }).click();
  await page.waitForLoadState();
}

describe('one-off bank holidays in a browser', () => {
  let administrator: TestStaffUser;

  before(async () => {
    administrator = await createStaffUser(running.database.db, { role: 'administrator', displayName: 'Ada Administrator' });
  });

  test('an administrator adds a one-off bank holiday: an impossible date first, then a real one', async () => {
    const holiday = juneWeekdayNextYear(10);
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, administrator);
      await page.getByRole('link', { name: 'Bank holidays', exact: true }).first().click();
      await page.waitForLoadState();
      assert.equal(here(page), '/bank-holidays');
      assert.equal(await page.title(), 'Bank holidays – Haven');
      // The shipped calendar is listed, year by year.
      assert.match(await page.getByTestId(`holidays-${holiday.year}`).innerText(), /Christmas Day/);
      assert.equal(await page.getByTestId(`holidays-${holiday.year}`).locator(`time[datetime="${holiday.iso}"]`).count(), 0);
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Add a one-off bank holiday' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), '/bank-holidays/new');
      await expectAccessible(page);

      // 30 February does not exist.
      await fillDate(page, { day: 30, month: 2, year: holiday.year });
      await page.getByLabel('Name of the bank holiday').fill('Bank holiday for the royal wedding');
      await submit(page);
      assert.equal(here(page), '/bank-holidays/new');
      assert.match(await page.title(), /^Error: Add a one-off bank holiday/);
      const summary = page.locator('.govuk-error-summary');
      assert.equal(await summary.count(), 1);
      assert.match(await summary.innerText(), /There is a problem[\s\S]*Date of the bank holiday must be a real date/);
      assert.match(await page.locator('#date-error').innerText(), /Date of the bank holiday must be a real date/);
      // What was typed is kept.
      assert.equal(await page.getByLabel('Name of the bank holiday').inputValue(), 'Bank holiday for the royal wedding');
      assert.equal(await page.getByLabel('Day', { exact: true }).inputValue(), '30');
      await expectAccessible(page);
      // A date that does not exist is wrong as a whole: all three boxes are marked, and the link goes to the first.
      assert.equal(await page.locator('.govuk-date-input input.govuk-input--error').count(), 3);
      await summary.getByRole('link', { name: 'Date of the bank holiday must be a real date' }).click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'date-day');

      await fillDate(page, holiday);
      await submit(page);
      assert.equal(here(page), '/bank-holidays?done=added');
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Bank holiday added/);
      const row = page.getByTestId(`holidays-${holiday.year}`).locator('tr', { has: page.locator(`time[datetime="${holiday.iso}"]`) });
      assert.equal(await row.count(), 1);
      const cells = await row.locator('td').allInnerTexts();
      assert.match(cells[0] ?? '', holiday.long);
      assert.equal(cells[1], 'Bank holiday for the royal wedding');
      assert.match(cells[2] ?? '', /One-off/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('the form works without JavaScript', async () => {
    const holiday = juneWeekdayNextYear(24);
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, administrator);
      await visit(page, '/bank-holidays/new');
      await fillDate(page, { day: holiday.day, month: holiday.month, year: '' });
      await page.getByLabel('Name of the bank holiday').fill('Bank holiday for the jubilee');
      await submit(page);
      assert.equal(here(page), '/bank-holidays/new');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Date of the bank holiday must include a year/);
      // Only the empty box is marked, and the summary links to it.
      assert.equal(await page.locator('.govuk-error-summary a[href="#date-year"]').count(), 1);
      assert.deepEqual(await boxesInError(page), ['date-year']);
      await expectAccessible(page);
      await page.getByLabel('Year', { exact: true }).fill(String(holiday.year));
      await submit(page);
      assert.equal(here(page), '/bank-holidays?done=added');
      const row = page.getByTestId(`holidays-${holiday.year}`).locator('tr', { has: page.locator(`time[datetime="${holiday.iso}"]`) });
      assert.match(await row.innerText(), /Bank holiday for the jubilee[\s\S]*One-off/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});

/** The ids of the date input's boxes marked in error. */
async function boxesInError(page: Page): Promise<(string | null)[]> {
  const boxes = await page.locator('.govuk-date-input input.govuk-input--error').all();
  return Promise.all(boxes.map((box) => box.getAttribute('id')));
}
