// Equality monitoring in a real browser: a coordinator goes from the case to the three optional questions, answers
// them with the victim and sees the answers shown back; a value the form never offers gets the GOV.UK error summary,
// whose link reaches the question. The same page works without JavaScript. axe on every page, with no exception.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { openCase } from '../../src/features/cases/service.ts';
import { createPerson } from '../../src/features/people/service.ts';

const running = useAppAndBrowser();
const selfReferral: Actor = { kind: 'system', label: 'self-referral' };
let people = 0;

async function click(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: true }).click();
  await page.waitForLoadState();
}

const answersOf = (personId: string) => running.database.db.selectFrom('person').select(['sex', 'ethnic_group', 'disabled']).where('id', '=', personId).executeTakeFirstOrThrow();

describe('equality monitoring in a browser', () => {
  let coordinator: TestStaffUser;

  async function newCase(): Promise<{ caseId: string; personId: string }> {
    people += 1;
    return inTransaction(running.database.db, async (trx) => {
      const person = await createPerson(trx, selfReferral, { areaId: coordinator.areaId, givenName: 'Amara', familyName: `Okafor${people}`, phone: `07700 90031${people}` });
      return { personId: person.id, caseId: (await openCase(trx, selfReferral, { personId: person.id, crimeId: null, role: 'victim', source: 'self_referral' })).case.id };
    });
  }

  /** From the case page, through "Equality monitoring questions", to the form. */
  async function openForm(page: Page, caseId: string): Promise<void> {
    await visit(page, `/cases/${caseId}`);
    await page.getByRole('navigation', { name: 'Case work' }).getByRole('link', { name: 'Equality monitoring questions', exact: true }).click();
    await page.waitForLoadState();
    assert.equal(here(page), `/cases/${caseId}/equality`);
    assert.equal(await page.title(), `Equality monitoring: case ${caseReference(caseId)} – Haven`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Equality monitoring');
    await expectAccessible(page);
  }

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
  });

  for (const javaScriptEnabled of [true, false]) {
    test(`the answers are recorded and shown back ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
      const { caseId, personId } = await newCase();
      const { context, page } = await running.newPage({ javaScriptEnabled });
      try {
        await signInAs(page, coordinator);
        await openForm(page, caseId);
        const recorded = page.getByTestId('equality-recorded');
        assert.equal((await recorded.innerText()).match(/Not answered/g)?.length, 3);

        await page.getByRole('group', { name: 'What is your sex?' }).getByRole('radio', { name: 'Male', exact: true }).check();
        await page.getByRole('radio', { name: 'Mixed or Multiple ethnic groups', exact: true }).check();
        const disability = page.getByRole('group', { name: 'Do you consider yourself to have a disability or long-term health condition?' });
        await disability.getByRole('radio', { name: 'Yes', exact: true }).check();
        await click(page, 'Save answers');

        assert.equal(here(page), `/cases/${caseId}/equality?saved=1`);
        assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Equality monitoring answers saved/);
        assert.deepEqual(await answersOf(personId), { sex: 'male', ethnic_group: 'mixed', disabled: 'yes' });
        const shown = await recorded.innerText();
        assert.match(shown, /What is your sex\?\s+Male/);
        assert.match(shown, /What is your ethnic group\?\s+Mixed or Multiple ethnic groups/);
        assert.match(shown, /health condition\?\s+Yes/);
        assert.equal(await disability.getByRole('radio', { name: 'Yes', exact: true }).isChecked(), true, 'the form starts from the answers recorded');
        await expectAccessible(page);

        // "Prefer not to say" is an answer too, kept apart from a question not asked.
        await disability.getByRole('radio', { name: 'Prefer not to say', exact: true }).check();
        await click(page, 'Save answers');
        assert.equal((await answersOf(personId)).disabled, 'not_stated');
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    });
  }

  test('a value the form does not offer gets the GOV.UK error summary, whose link reaches the question', async () => {
    const { caseId, personId } = await newCase();
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await openForm(page, caseId);
      // A tampered form: the first sex radio carries a value the service never offers.
      await page.locator('#sex').evaluate((radio) => {
        (radio as { value: string }).value = 'unknown';
      });
      await page.locator('#sex').check();
      await click(page, 'Save answers');

      assert.equal(here(page), `/cases/${caseId}/equality`);
      assert.equal(await page.title(), `Error: Equality monitoring: case ${caseReference(caseId)} – Haven`);
      const summary = page.locator('.govuk-error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), ['Select the victim’s sex from the list, or leave the question unanswered']);
      assert.equal(await page.evaluate("document.activeElement === document.querySelector('.govuk-error-summary')"), true);
      assert.equal(await page.locator('#sex-error').count(), 1, 'the message is by the question too');
      await expectAccessible(page);
      await summary.getByRole('link').click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'sex');
      assert.deepEqual(await answersOf(personId), { sex: null, ethnic_group: null, disabled: null });
    } finally {
      await context.close();
    }
  });
});
