// The support options page in a real browser: a coordinator opens Find support services from a child's case and sees
// the young victims' service first, each service with a link to refer; the services the case is not eligible for sit
// in a details component that opens from the keyboard, each with its reason and a supervisor's override link. After a
// rape the ISVA comes first, and the page works the same without JavaScript. axe on every page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';
import { todayInLondon } from '../../src/features/people/service.ts';

const running = useAppAndBrowser();

const police: Actor = { kind: 'system', label: 'police-api' };
let referrals = 0;

/** The service names of the matched cards, in the page's order. */
const matchedNames = (page: Page) => page.getByTestId('match').locator('h3').allInnerTexts();

describe('the support options page in a browser', () => {
  let coordinator: TestStaffUser;
  let forceId: string;
  const services: Record<string, string> = {};

  async function referral(options: { offenceCode: string; dateOfBirth: string }): Promise<string> {
    referrals += 1;
    return inTransaction(running.database.db, async (trx) => {
      const receipt = await receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `E2E-SUPPORT-${referrals}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Megan', familyName: `Price${referrals}`, dateOfBirth: options.dateOfBirth },
        crime: { crimeReference: `DP/${82000 + referrals}/26`, offenceCode: options.offenceCode, offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      });
      return receipt.caseId;
    });
  }

  /** From the case page, through "Find support services" in the case work links, to the support options page. */
  async function openOptions(page: Page, caseId: string): Promise<void> {
    await visit(page, `/cases/${caseId}`);
    await page.getByRole('navigation', { name: 'Case work' }).getByRole('link', { name: 'Find support services', exact: true }).click();
    await page.waitForLoadState();
    assert.equal(here(page), `/cases/${caseId}/support-options`);
    assert.equal(await page.title(), `Support options: case ${caseReference(caseId)} – Haven`);
    assert.doesNotMatch(await page.title(), /Megan|Price/, 'the title never names the victim');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Support options');
    assert.match(await page.getByTestId('case-banner').innerText(), /Megan Price/);
    await expectAccessible(page);
  }

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(running.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Dyfed-Powys Police' })).id;
    const providerId = (await createOrganisation(running.database.db, { kind: 'provider', areaId: coordinator.areaId, name: 'Wales Victim Services' })).id;
    const add = async (name: string, values: Record<string, unknown>) => {
      const row = await running.database.db
        .insertInto('organisation_service')
        .values({ organisation_id: providerId, name, category: 'Support', description: `${name}.`, capacity: 3, ...values })
        .returning('id')
        .executeTakeFirstOrThrow();
      services[name] = row.id;
    };
    await add('General support', { specialism: 'general' });
    await add('Young victims’ service', { specialism: 'young_victims', age_bands: ['child'], wait_days: 5 });
    await add('Adults only support', { specialism: 'general', age_bands: ['adult', 'older'] });
    await add('Sexual violence ISVA', { specialism: 'isva', offence_groups: ['Rape', 'Other sexual offences'], capacity: 1, wait_days: 10 });
    await add('Full service', { specialism: 'general', capacity: 0, wait_days: 21 });
  });

  test('a child sees the young victims’ service first, and the services not for them open from the keyboard', async () => {
    const year = Number(todayInLondon().slice(0, 4)) - 14;
    const caseId = await referral({ offenceCode: '28E', dateOfBirth: `${year}-01-01` });
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await openOptions(page, caseId);

      assert.deepEqual(await matchedNames(page), ['Young victims’ service', 'General support', 'Full service']);
      assert.equal(await page.getByRole('heading', { level: 2, name: 'Specialist support' }).count(), 1);
      const young = page.getByTestId('match').first();
      assert.equal(await young.getAttribute('data-tier'), 'specialist');
      assert.match(await young.innerText(), /Organisation\s+Wales Victim Services[\s\S]*The young victims’ service, for a child[\s\S]*Open places\s+3 open[\s\S]*Wait\s+5 days/);
      const refer = young.getByRole('link', { name: 'Refer to Young victims’ service', exact: true });
      assert.equal(await refer.getAttribute('href'), `/cases/${caseId}/referrals/new?service=${services['Young victims’ service']}`);
      const full = page.getByTestId('match').last();
      assert.match(await full.innerText(), /Full: 21-day wait/);

      // The services the case is not eligible for are behind a details component, closed until opened.
      const excluded = page.getByTestId('excluded');
      const override = page.getByRole('link', { name: 'Refer with a supervisor’s override to Adults only support', exact: true });
      assert.equal(await override.isVisible(), false);
      await excluded.locator('summary').focus();
      await page.keyboard.press('Enter');
      await override.waitFor({ state: 'visible', timeout: 5_000 });
      assert.equal(await excluded.getAttribute('open'), '', 'the details are open');
      assert.equal(await override.getAttribute('href'), `/cases/${caseId}/referrals/new?service=${services['Adults only support']}`);
      const adults = page.locator(`[data-testid="exclusion"][data-service-id="${services['Adults only support']}"]`);
      assert.match(await adults.innerText(), /Adults only support\s+Wales Victim Services\s+Not for under-18s/);
      // The link's visible words are the same for each excluded service; the service's name, visually hidden, is read
      // out with them.
      assert.equal((await override.innerText()).replace(/\s*to Adults only support$/, ''), 'Refer with a supervisor’s override');
      assert.equal(await override.locator('.govuk-visually-hidden').innerText(), ' to Adults only support');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('after a rape the ISVA comes first, and the page works without JavaScript', async () => {
    const caseId = await referral({ offenceCode: '19C', dateOfBirth: '1990-05-04' });
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await openOptions(page, caseId);

      assert.deepEqual(await matchedNames(page), ['Sexual violence ISVA', 'Adults only support', 'General support', 'Full service']);
      const isva = page.getByTestId('match').first();
      assert.equal(await isva.getAttribute('data-tier'), 'specialist');
      assert.match(await isva.innerText(), /An independent sexual violence adviser, for sexual violence/);
      assert.equal(
        await isva.getByRole('link', { name: 'Refer to Sexual violence ISVA', exact: true }).getAttribute('href'),
        `/cases/${caseId}/referrals/new?service=${services['Sexual violence ISVA']}`,
      );

      // A details component is the browser's own: it opens without JavaScript.
      await page.getByText('What the ranking is based on').click();
      assert.match(await page.locator('.govuk-details').first().innerText(), /Crime\s+Rape/);
      await page.getByTestId('excluded').locator('summary').click();
      const young = page.locator(`[data-testid="exclusion"][data-service-id="${services['Young victims’ service']}"]`);
      assert.equal(await young.isVisible(), true);
      assert.match(await young.innerText(), /Only for under-18s/);
      assert.equal(await young.getByRole('link', { name: 'Refer with a supervisor’s override to Young victims’ service', exact: true }).isVisible(), true);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
