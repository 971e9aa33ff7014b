// The service directory in a real browser: a provider administrator finds their services from the navigation, is told
// plainly that open places cannot be negative, then updates them and edits a service (after an error); a victim, not
// signed in, searches by need and area and reads the results in English and in Welsh. axe on every page; each journey
// also without JavaScript.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';

let admin: TestStaffUser;
let isvaId: string;

const running = useAppAndBrowser({
  async seed({ database }) {
    const db = database.db;
    const area = await db.insertInto('area').values({ code: 'WYV', name: 'Wyvern' }).returning('id').executeTakeFirstOrThrow();
    const centre = await createOrganisation(db, { kind: 'provider', areaId: area.id, name: 'Wyvern Sexual Violence Support Centre' });
    const partnership = await createOrganisation(db, { kind: 'provider', areaId: area.id, name: 'Wyvern Domestic Abuse Partnership' });
    admin = await createStaffUser(db, { role: 'administrator', organisationId: centre.id, displayName: 'Pat Provider' });
    const isva = await db
      .insertInto('organisation_service')
      .values({
        organisation_id: centre.id,
        name: 'Independent sexual violence adviser (ISVA)',
        category: 'Sexual violence',
        description: 'Practical and emotional support after rape or sexual assault.',
        welsh_name: 'Cynghorydd trais rhywiol annibynnol (ISVA)',
        specialism: 'isva',
        offence_groups: ['Rape', 'Other sexual offences'],
        genders: ['female', 'male'],
        referral_routes: ['coordinator', 'self'],
        languages: ['en', 'cy'],
        accessibility: ['bsl'],
        capacity: 4,
        wait_days: 3,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    isvaId = isva.id;
    await db
      .insertInto('organisation_service')
      .values({
        organisation_id: partnership.id,
        name: 'Independent domestic violence adviser (IDVA)',
        category: 'Domestic abuse',
        description: 'Crisis support and safety planning for people at high risk.',
        specialism: 'idva',
        offence_groups: ['Domestic abuse'],
        enhanced_only: true,
        capacity: 0,
        wait_days: 21,
      })
      .execute();
  },
});

async function click(page: Page, name: string | RegExp, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: typeof name === 'string' }).first().click();
  await page.waitForLoadState();
}

/** From the home page to the quick form, then a negative number (refused) and a real one (saved). */
async function updatePlaces(page: Page, javaScript: boolean, places: string): Promise<void> {
  await click(page, 'Services', 'link');
  assert.equal(here(page), '/services');
  assert.equal(await page.title(), 'Your services – Haven');
  await expectAccessible(page);
  await click(page, 'Update places for Independent sexual violence adviser (ISVA)', 'link');
  assert.equal(here(page), `/services/${isvaId}/capacity`);
  await expectAccessible(page);

  await page.getByLabel('Open places').fill('-2');
  await click(page, 'Update');
  assert.equal(await page.title(), 'Error: Update open places: Independent sexual violence adviser (ISVA) – Haven');
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Open places must be 0 or more/);
  await expectAccessible(page);
  if (javaScript) {
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Open places must be 0 or more' }).click();
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'capacity');
  }
  const stored = await running.database.db.selectFrom('organisation_service').select('capacity').where('id', '=', isvaId).executeTakeFirstOrThrow();
  assert.ok(stored.capacity >= 0, 'nothing negative was stored');

  await page.getByLabel('Open places').fill(places);
  await page.getByLabel('Current wait, in days').fill('21');
  await click(page, 'Update');
  assert.equal(here(page), `/services?done=capacity`);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Open places and wait updated/);
  assert.match(await page.getByTestId(`service-${isvaId}`).innerText(), new RegExp(`${places}\\s+21 days`));
  await expectAccessible(page);
}

describe('the service directory in a browser', () => {
  test('a provider administrator updates open places and edits a service, after an error each time', async () => {
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, admin);
      await updatePlaces(page, true, '0');

      await click(page, 'Edit Independent sexual violence adviser (ISVA)', 'link');
      assert.equal(here(page), `/services/${isvaId}/edit`);
      await expectAccessible(page);
      await page.getByLabel('Name', { exact: true }).fill('');
      await page.getByLabel('Step-free access').check();
      await click(page, 'Save changes');
      assert.match(await page.title(), /^Error: /);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the name of the service/);
      assert.equal(await page.getByLabel('Step-free access').isChecked(), true, 'what was chosen is kept');
      await expectAccessible(page);
      await page.getByLabel('Name', { exact: true }).fill('ISVA service');
      await click(page, 'Save changes');
      assert.equal(here(page), '/services?done=updated');
      assert.match(await page.getByTestId(`service-${isvaId}`).innerText(), /ISVA service/);
      await expectAccessible(page);
      const row = await running.database.db.selectFrom('organisation_service').select(['name', 'accessibility']).where('id', '=', isvaId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { name: 'ISVA service', accessibility: ['bsl', 'step_free'] });
    } finally {
      await context.close();
    }
  });

  test('the quick form works without JavaScript', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, admin);
      await running.database.db.updateTable('organisation_service').set({ name: 'Independent sexual violence adviser (ISVA)' }).where('id', '=', isvaId).execute();
      await updatePlaces(page, false, '3');
    } finally {
      await context.close();
    }
  });

  for (const javaScriptEnabled of [true, false]) {
    test(`a victim finds support by need and area, in English and Welsh${javaScriptEnabled ? '' : ', without JavaScript'}`, async () => {
      const { context, page } = await running.newPage({ javaScriptEnabled });
      try {
        await visit(page, '/find-support');
        assert.equal(await page.title(), 'Find support after a crime – Haven');
        assert.equal(await page.getByRole('button', { name: 'Exit this page' }).count(), 1);

        // No area: the error summary.
        await page.getByLabel('Support with domestic abuse').check();
        await click(page, 'Search');
        assert.equal(here(page), '/find-support?need=domestic_abuse&area=');
        assert.match(await page.locator('.govuk-error-summary').innerText(), /Select your area/);
        await expectAccessible(page);

        await page.getByLabel('Your area').selectOption({ label: 'Wyvern' });
        await click(page, 'Search');
        assert.equal(here(page), '/find-support?need=domestic_abuse&area=WYV');
        const abuse = await page.getByTestId('results').innerText();
        assert.match(abuse, /Independent domestic violence adviser \(IDVA\)/);
        assert.match(abuse, /Full at the moment: about a 21-day wait/);
        assert.doesNotMatch(abuse, /sexual violence adviser/);
        await expectAccessible(page);

        await page.getByLabel('Support after rape or sexual assault').check();
        await click(page, 'Search');
        assert.equal(here(page), '/find-support?need=sexual_violence&area=WYV');
        const sexual = await page.getByTestId('results').innerText();
        assert.match(sexual, /Independent sexual violence adviser \(ISVA\)/);
        assert.match(sexual, /British Sign Language \(BSL\)/);
        assert.match(sexual, /You can contact them yourself/);
        await expectAccessible(page);

        await click(page, 'Cymraeg', 'link');
        assert.equal(here(page), '/find-support?area=WYV&need=sexual_violence&lang=cy');
        assert.equal(await page.title(), 'Dod o hyd i gymorth ar ôl trosedd – Haven');
        assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
        const welsh = await page.getByTestId('results').innerText();
        assert.match(welsh, /Cynghorydd trais rhywiol annibynnol \(ISVA\)/);
        assert.match(welsh, /Gallwch gysylltu â nhw eich hun/);
        assert.match(welsh, /Iaith Arwyddion Prydain \(BSL\)/);
        assert.equal(await page.getByRole('button', { name: 'Gadael y dudalen hon' }).count(), 1);
        await expectAccessible(page);
        await click(page, 'English', 'link');
        assert.equal(await page.title(), 'Find support after a crime – Haven');
      } finally {
        await context.close();
      }
    });
  }
});
