// The officer's side of journey 4 in a real browser: the victim has asked a question (signed in to the portal as
// herself); the officer in charge signs in, sees the victim on "My victims" with an unread
// message, opens the case, and answers, first with nothing written (the GOV.UK error summary), then properly. The
// victim's timeline gains "You have a new message" and never the words. With JavaScript (character count) and
// without, axe on every page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { signInVictim } from '../support/portal.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';
import { receiveVictimMessage } from '../../src/features/case-messages/service.ts';

const running = useAppAndBrowser();

const police: Actor = { kind: 'system', label: 'police-api' };

async function click(page: Page, name: string | RegExp, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: typeof name === 'string' }).first().click();
  await page.waitForLoadState();
}

describe('the police view in a browser', () => {
  let officer: TestStaffUser;
  const caseIds: string[] = [];

  before(async () => {
    const coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Wyvern Victim and Witness Hub' });
    const force = await createOrganisation(running.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' });
    officer = await createStaffUser(running.database.db, { role: 'police_officer', displayName: 'PC Ellis', organisationId: force.id });
    for (const [index, givenName] of ['Margaret', 'Nia'].entries()) {
      const caseId = await inTransaction(running.database.db, async (trx) => {
        const receipt = await receiveReferral(trx, police, {
          source: 'police_api',
          sourceReference: `E2E-POLICE-VIEW-${index}`,
          referringOrganisationId: force.id,
          areaId: coordinator.areaId,
          person: { givenName, familyName: 'Okafor', dateOfBirth: '1944-05-12', email: `victim${index}@example.com` },
          crime: { crimeReference: `WY/1234${index}/26`, offenceCode: '28E', offenceCategory: '' },
          role: 'victim',
          supportConsent: 'implied',
          indicators: {},
        });
        return receipt.caseId;
      });
      // The officer in charge, as the 'officer_assigned' update will set it (a fixture write until then).
      const { crime_id: crimeId } = await running.database.db.selectFrom('victim_case').select('crime_id').where('id', '=', caseId).executeTakeFirstOrThrow();
      await running.database.db
        .updateTable('crime')
        .set({ officer_user_id: officer.id, police_organisation_id: force.id })
        .where('id', '=', crimeId as string)
        .execute();
      await running.database.db
        .updateTable('person')
        .set({ safe_contact: JSON.stringify({ channels: ['email'], safeTimes: 'Mornings' }) })
        .where('given_name', '=', givenName)
        .execute();
      const { person_id: personId } = await running.database.db.selectFrom('victim_case').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow();
      const victim = await signInVictim(running.database.db, personId);
      await receiveVictimMessage(running.database.db, victim.actor, caseId, 'police', { body: 'Has anyone been arrested yet?', idempotencyKey: `e2e-${index}` });
      caseIds.push(caseId);
    }
  });

  async function journey(javaScriptEnabled: boolean, caseId: string, givenName: string) {
    const { context, page } = await running.newPage({ javaScriptEnabled });
    try {
      await signInAs(page, officer);
      await click(page, 'My victims', 'link');
      assert.equal(here(page), '/my-victims');
      assert.equal(await page.title(), 'My victims – Haven');
      const row = page.locator(`[data-case-id="${caseId}"]`);
      const shown = await row.innerText();
      assert.match(shown, new RegExp(givenName));
      assert.doesNotMatch(shown, /Okafor/, 'first name only');
      assert.match(shown, /1 unread/);
      await expectAccessible(page);

      const link = row.getByRole('link');
      assert.match((await link.innerText()).replace(/\s+/g, ' '), new RegExp(`${caseReference(caseId)}`));
      await link.click();
      await page.waitForLoadState();
      assert.equal(here(page), `/my-victims/${caseId}`);
      assert.match(await page.title(), new RegExp(`^Case ${caseReference(caseId)}, crime WY/\\d+/26 – Haven$`));
      assert.match(await page.getByTestId('safe-contact').innerText(), /Email[\s\S]*Mornings/);
      assert.match(await page.getByTestId('do-not-text').innerText(), /Do not text/);
      assert.match(await page.getByTestId('message').first().innerText(), /Has anyone been arrested yet\?/);
      assert.equal(await page.getByTestId('give-update').getAttribute('href'), `/case-updates/${caseId}/new`);
      await expectAccessible(page);

      await click(page, 'Send message');
      assert.equal(await page.title(), `Error: Case ${caseReference(caseId)}, crime ${await page.locator('.govuk-caption-l').innerText().then((text) => text.replace('Crime ', ''))} – Haven`);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a message/);
      await expectAccessible(page);

      await page.getByLabel('Reply to the victim').fill('Not yet. I will call you on Monday morning.');
      if (javaScriptEnabled) assert.match(await page.locator('.govuk-character-count__status').innerText(), /You have 1,9\d\d characters remaining/);
      await click(page, 'Send message');
      assert.equal(here(page), `/my-victims/${caseId}?done=sent`);
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Message sent/);
      const messages = await page.getByTestId('message').allInnerTexts();
      assert.equal(messages.length, 2);
      assert.match(messages[1] ?? '', /From PC Ellis[\s\S]*Not read by the victim yet[\s\S]*Not yet\. I will call you on Monday morning\./);
      const told = await page.getByTestId('victim-timeline').innerText();
      assert.match(told, /You have a new message/);
      assert.doesNotMatch(told, /Monday/, 'the timeline never carries the words');
      await expectAccessible(page);

      await click(page, 'Back to my victims', 'link');
      assert.match(await page.locator(`[data-case-id="${caseId}"]`).innerText(), /None/, 'no unread messages now');
    } finally {
      await context.close();
    }
  }

  test('the officer in charge sees their victims, opens a case and replies, with JavaScript', async () => {
    await journey(true, caseIds[0] as string, 'Margaret');
  });

  test('the same without JavaScript', async () => {
    await journey(false, caseIds[1] as string, 'Nia');
  });
});
