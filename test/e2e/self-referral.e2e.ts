// Journey 2 in a real browser: a victim refers herself, says texts are not safe, leaves once with Exit this page, comes
// back and carries on, and sends. Every page passes axe; the same journey works with JavaScript off.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, useAppAndBrowser } from '../support/browser.ts';

const running = useAppAndBrowser({
  async seed({ database }) {
    const area = await database.db.insertInto('area').values({ code: 'WYV', name: 'Wyvern' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('organisation').values({ area_id: area.id, name: 'Wyvern Victim Hub', kind: 'hub' }).execute();
  },
});

async function continueOn(page: Page, expectedPath: string): Promise<void> {
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForLoadState();
  assert.equal(here(page), expectedPath);
  await expectAccessible(page);
}

/** The questions up to and including the contact channels. */
async function firstQuestions(page: Page, givenName: string): Promise<void> {
  await page.goto('/self-referral');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.waitForLoadState();
  assert.equal(here(page), '/self-referral/police');
  await expectAccessible(page);

  // Nothing chosen: the error summary, which must be accessible too.
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForLoadState();
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Select if you have reported/);
  assert.match(await page.title(), /^Error: /);
  await expectAccessible(page);

  await page.getByLabel('No', { exact: true }).check();
  await continueOn(page, '/self-referral/what-happened');
  await page.getByLabel('Domestic abuse').check();
  await continueOn(page, '/self-referral/name');
  await page.getByLabel('First name').fill(givenName);
  await continueOn(page, '/self-referral/contact');
  // Journey 2: a mobile for calls and an email, but texts are not safe.
  await page.getByLabel('Phone call').check();
  await page.getByLabel('Email').check();
  await continueOn(page, '/self-referral/contact-details');
}

async function remainingQuestions(page: Page, givenName: string): Promise<void> {
  await page.getByLabel('Phone number').fill('07700 900 982');
  await page.getByLabel('Email address').fill(`${givenName.toLowerCase()}@example.com`);
  await continueOn(page, '/self-referral/call-time');
  await page.getByLabel('Evening (5pm to 8pm)').check();
  await continueOn(page, '/self-referral/voicemail');
  await page.getByLabel('No', { exact: true }).check();
  await continueOn(page, '/self-referral/support-needs');
  await continueOn(page, '/self-referral/check');
  assert.match(await page.locator('.govuk-summary-list').innerText(), /Phone call, Email/);
  assert.doesNotMatch(await page.title(), new RegExp(givenName));

  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForLoadState();
  assert.equal(here(page), '/self-referral/confirmation');
  assert.match(await page.locator('.govuk-panel').innerText(), /HVN-[2-9A-Z]{4}-[2-9A-Z]{2}/);
  await expectAccessible(page);
}

async function savedProfile(givenName: string): Promise<{ channels: string[]; source: string; crimeId: string | null }> {
  const row = await running.database.db
    .selectFrom('person')
    .innerJoin('victim_case', 'victim_case.person_id', 'person.id')
    .select(['person.safe_contact', 'victim_case.source', 'victim_case.crime_id'])
    .where('person.given_name', '=', givenName)
    .executeTakeFirstOrThrow();
  return { channels: (row.safe_contact as { channels: string[] }).channels, source: row.source, crimeId: row.crime_id };
}

describe('journey 2: self-referral', () => {
  test('she leaves once with Exit this page, comes back, continues and sends', async () => {
    const { context, page } = await running.newPage();
    // Exit this page leaves for the BBC weather page; answer for it here, as the test machine has no internet.
    await context.route('https://www.bbc.co.uk/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1></html>' }),
    );
    try {
      await firstQuestions(page, 'Amira');
      await page.getByRole('button', { name: 'Exit this page' }).click();
      await page.waitForURL(/bbc\.co\.uk/);

      await page.goto('/self-referral');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Continue where you left off' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), '/self-referral/contact-details');
      await expectAccessible(page);
      await remainingQuestions(page, 'Amira');

      const saved = await savedProfile('Amira');
      assert.deepEqual(saved.channels, ['phone', 'email']);
      assert.equal(saved.source, 'self_referral');
      assert.equal(saved.crimeId, null);
    } finally {
      await context.close();
    }
  });

  test('the same journey works with JavaScript off', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await firstQuestions(page, 'Nadia');
      await remainingQuestions(page, 'Nadia');
      assert.deepEqual((await savedProfile('Nadia')).channels, ['phone', 'email']);
    } finally {
      await context.close();
    }
  });

  test('the start page and a question in Welsh pass axe', async () => {
    const { context, page } = await running.newPage();
    try {
      await page.goto('/self-referral?lang=cy');
      assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
      await expectAccessible(page);
      await page.goto('/self-referral/police');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
