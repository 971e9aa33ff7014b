// The commissioner's dashboards in a real browser (journey 8): an analyst opens Insights from the navigation, asks for a
// range of days, follows the overview to each dashboard and finds small groups shown as [c] beside charts drawn on the
// server, downloads the same figures as a CSV file, and is told plainly when the range is backwards. axe on every page;
// the whole journey with JavaScript and without.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';

const DAY = '2026-08-10';
let analyst: TestStaffUser;

const running = useAppAndBrowser({
  async seed({ database }) {
    const db = database.db;
    const area = await db.insertInto('area').values({ code: 'WYV8', name: 'Wyvern' }).returning('id').executeTakeFirstOrThrow();
    const office = await createOrganisation(db, { kind: 'commissioner', areaId: area.id, name: 'Wyvern Commissioner’s Office' });
    const provider = await createOrganisation(db, { kind: 'provider', areaId: area.id, name: 'Wyvern Refuge Trust' });
    const police = await createOrganisation(db, { kind: 'police', areaId: area.id, name: 'Wyvern Police' });
    analyst = await createStaffUser(db, { role: 'commissioner_analyst', organisationId: office.id, displayName: 'Ana Analyst' });
    const service = await db.insertInto('organisation_service')
      .values({ organisation_id: provider.id, name: 'Refuge places', category: 'Refuge', description: 'Safe housing', capacity: 2, wait_days: 7 })
      .returning('id').executeTakeFirstOrThrow();
    const areaId = area.id;
    await db.insertInto('insight_case_day').values([
      { area_id: areaId, day: DAY, source: 'police_feed', offence_group: 'Violence with injury', role: 'victim', enhanced: true, repeat_victim: false, cases: 48 },
      { area_id: areaId, day: DAY, source: 'self_referral', offence_group: 'not_reported', role: 'victim', enhanced: false, repeat_victim: true, cases: 2 },
      { area_id: areaId, day: DAY, source: 'agency_referral', offence_group: 'Robbery', role: 'witness', enhanced: false, repeat_victim: false, cases: 15 },
    ]).execute();
    await db.insertInto('insight_equality_day').values([
      { area_id: areaId, day: DAY, dimension: 'age_band', category: '25_34', cases: 40 },
      { area_id: areaId, day: DAY, dimension: 'age_band', category: 'under_18', cases: 3 },
      { area_id: areaId, day: DAY, dimension: 'age_band', category: 'not_recorded', cases: 22 },
    ]).execute();
    await db.insertInto('insight_duty_day').values([
      { area_id: areaId, day: DAY, duty: 'needs_assessment', owner_kind: 'hub', owner_key: 'hub', due: 60, met_on_time: 50, met_late: 10, overdue: 0, breached: 0, open: 0 },
      { area_id: areaId, day: DAY, duty: 'support_referral', owner_kind: 'hub', owner_key: 'hub', due: 43, met_on_time: 30, met_late: 0, overdue: 0, breached: 3, open: 10 },
      { area_id: areaId, day: DAY, duty: 'charge_update', owner_kind: 'police', owner_key: police.id, due: 20, met_on_time: 15, met_late: 5, overdue: 0, breached: 0, open: 0 },
    ]).execute();
    await db.insertInto('insight_referral_day').values({
      area_id: areaId, day: DAY, organisation_id: provider.id, service_id: service.id,
      sent: 25, awaiting: 3, accepted: 10, declined: 0, no_capacity: 10, returned: 2, closed: 5, completed: 5, started: 8, wait_days_total: 96,
    }).execute();
    await db.insertInto('insight_feedback_day').values([
      { area_id: areaId, day: DAY, moment: 'first_contact', rating: 5, responses: 12 },
      { area_id: areaId, day: DAY, moment: 'first_contact', rating: 2, responses: 1 },
      { area_id: areaId, day: DAY, moment: 'court_outcome', rating: 4, responses: 7 },
    ]).execute();
    await db.insertInto('insight_feedback_theme_day').values({ area_id: areaId, day: DAY, theme: 'waiting', mentions: 6 }).execute();
    await db.insertInto('insight_complaint_day').values({ area_id: areaId, day: DAY, organisation_id: police.id, received: 9, answered: 9, answered_in_time: 9, answer_days_total: 54 }).execute();
  },
});

async function fillRange(page: Page, from: [number, number, number], to: [number, number, number]): Promise<void> {
  for (const [name, date] of [['From', from], ['To', to]] as const) {
    const group = page.getByRole('group', { name });
    await group.getByLabel('Day', { exact: true }).fill(String(date[0]));
    await group.getByLabel('Month', { exact: true }).fill(String(date[1]));
    await group.getByLabel('Year', { exact: true }).fill(String(date[2]));
  }
  await page.getByRole('button', { name: 'Show figures', exact: true }).click();
  await page.waitForLoadState();
}

const RANGE = 'from-day=1&from-month=8&from-year=2026&to-day=31&to-month=8&to-year=2026';

/** The whole journey, the same with JavaScript or without. */
async function commissionersQuarter(javaScriptEnabled: boolean): Promise<void> {
  const { context, page } = await running.newPage({ javaScriptEnabled });
  try {
    await signInAs(page, analyst);
    await page.getByRole('link', { name: 'Insights', exact: true }).first().click();
    await page.waitForLoadState();
    assert.equal(here(page), '/insights');
    assert.equal(await page.title(), 'Insights – Haven');
    await expectAccessible(page);

    // A range that ends before it starts: the error summary links to the box to correct.
    await fillRange(page, [1, 9, 2026], [1, 8, 2026]);
    assert.equal(await page.title(), 'Error: Insights – Haven');
    assert.match(await page.locator('.govuk-error-summary').innerText(), /End date must be the same as or after the start date/);
    assert.equal(await page.locator('.govuk-error-summary a[href="#to-day"]').count(), 1);
    await expectAccessible(page);

    await fillRange(page, [1, 8, 2026], [31, 8, 2026]);
    assert.equal(here(page), `/insights?${RANGE}`);
    assert.match(await page.getByTestId('range').innerText(), /1 August 2026 to 31 August 2026/);
    assert.match(await page.getByTestId('overview-demand').innerText(), /Cases opened\s+65/);
    await expectAccessible(page);

    const expected: Record<string, { heading: string; table: string; shows: RegExp }> = {
      demand: { heading: 'Demand', table: 'source', shows: /Self-referral\s+\[c\]/ },
      compliance: { heading: 'Victims’ Code compliance', table: 'duties', shows: /Wyvern Police\s+20\s+15\s+5/ },
      provision: { heading: 'Support provision', table: 'services', shows: /Often no capacity; Wait longer than declared/ },
      voice: { heading: 'Victims’ voice', table: 'ratings', shows: /First contact\s+\[c\]/ },
      equality: { heading: 'Equality', table: 'equality-age_band', shows: /Under 18\s+\[c\]/ },
    };
    for (const [key, want] of Object.entries(expected)) {
      await page.goto(`/insights?${RANGE}`);
      await page.getByRole('link', { name: want.heading, exact: true }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/insights/${key}?${RANGE}`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), want.heading);
      // The chart is an image named by its title; the table beside it carries the figures.
      assert.ok((await page.getByRole('img').count()) >= 1);
      assert.match(await page.getByTestId(`table-${want.table}`).innerText(), want.shows);
      await page.getByText('How these figures are worked out').click();
      await expectAccessible(page);
      const csv = await context.request.get(await page.getByTestId('csv-link').getAttribute('href') ?? '');
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-disposition'] ?? '', new RegExp(`^attachment; filename="haven-insights-${key}-2026-08-01-to-2026-08-31.csv"$`));
      assert.match(await csv.text(), /\[c\]/);
    }
  } finally {
    await context.close();
  }
}

describe('the commissioner’s dashboards in a browser', () => {
  test('an analyst reads every dashboard over a range, with JavaScript', () => commissionersQuarter(true));
  test('the same without JavaScript', () => commissionersQuarter(false));
});
