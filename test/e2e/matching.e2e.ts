// Journey 3's review step in a real browser: a police referral and a charity's near-match wait in the supervisor's
// queue; the supervisor compares both records side by side and merges them into one person with two cases. axe on
// every page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectAccessible, here, signInAs, useAppAndBrowser } from '../support/browser.ts';
import { createOrganisation, createStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';

const running = useAppAndBrowser();

describe('possible matches in a browser', () => {
  test('a supervisor opens the queue, compares both records and merges them', async () => {
    const db = running.database.db;
    const supervisor = await createStaffUser(db, { role: 'supervisor', displayName: 'Sue Supervisor' });
    const force = await createOrganisation(db, { kind: 'police', areaId: supervisor.areaId });
    const charity = await createOrganisation(db, { kind: 'provider', areaId: supervisor.areaId });
    const feed: Actor = { kind: 'system', label: 'police-api' };
    const police = await inTransaction(db, (trx) =>
      receiveReferral(trx, feed, {
        source: 'police_api',
        sourceReference: 'PR-77',
        referringOrganisationId: force.id,
        areaId: supervisor.areaId,
        person: { givenName: 'Jon', familyName: 'Smyth', dateOfBirth: '1990-07-04', phone: '07700 900123' },
        crime: { crimeReference: 'WY/10001/26', offenceCode: '9B', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
      }),
    );
    const agency = await inTransaction(db, (trx) =>
      receiveReferral(trx, feed, {
        source: 'agency_referral',
        sourceReference: null,
        referringOrganisationId: charity.id,
        areaId: supervisor.areaId,
        person: { givenName: 'Jonathan', familyName: 'Smith', dateOfBirth: '1990-07-04', phone: '07700 900123' },
        crime: { crimeReference: 'WY/20002/26', offenceCode: '8M', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'opted_in',
      }),
    );
    assert.equal(agency.match, 'new_person_possible_match_queued');

    const { page } = await running.newPage();
    await signInAs(page, supervisor);
    await page.getByRole('link', { name: 'Possible matches' }).first().click();
    await page.waitForLoadState();
    assert.equal(here(page), '/matches');
    await expectAccessible(page);

    await page.getByRole('link', { name: /Jonathan Smith/ }).click();
    await page.waitForLoadState();
    assert.match(here(page), /^\/matches\/[0-9a-f-]{36}$/);
    const table = page.locator('table').first();
    assert.match(await table.innerText(), /Jon\s/);
    assert.match(await table.innerText(), /Jonathan/);
    assert.doesNotMatch(await page.title(), /Smith|Smyth/);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Merge these records' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /merged/);
    await expectAccessible(page);

    const cases = await db.selectFrom('victim_case').select('id').where('person_id', '=', police.personId).execute();
    assert.equal(cases.length, 2, 'one person with two cases');

    await page.getByRole('link', { name: 'Undo this merge' }).click();
    await page.waitForLoadState();
    await expectAccessible(page);
  });
});
