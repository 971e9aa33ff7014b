// The needs assessment in a real browser: a coordinator opens a domestic abuse case, fills in the assessment with the
// DASH checklist, first with an answer that contradicts the date of birth on record, follows the error summary to the
// field, corrects it and saves; the saved version, a high DASH score's MARAC task and the history show. A re-assessment
// keeps version 1. The form is also filled in once with JavaScript off. axe on every page state.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { createPerson, todayInLondon } from '../../src/features/people/service.ts';
import { findOrCreateCrime, openCase } from '../../src/features/cases/service.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { DASH_QUESTIONS } from '../../src/features/assessment/dash.ts';

const running = useAppAndBrowser();

const policeSystem: Actor = { kind: 'system', label: 'police-api' };
let crimes = 0;

/** A police referral for controlling or coercive behaviour (domestic abuse) of a person who is 40 all year round. */
async function domesticAbuseCase(areaId: string, givenName: string): Promise<string> {
  const fortyYearsAgo = Number(todayInLondon().slice(0, 4)) - 40;
  crimes += 1;
  return inTransaction(running.database.db, async (trx) => {
    const person = await createPerson(trx, policeSystem, { areaId, givenName, familyName: 'Hale', dateOfBirth: `${fortyYearsAgo}-01-01` });
    const { crime } = await findOrCreateCrime(trx, policeSystem, {
      areaId,
      crimeReference: `DA/${crimes}/26`,
      offenceCode: '8U',
      offenceCategory: 'Violence against the person',
      offenceGroup: 'Domestic abuse',
    });
    return (await openCase(trx, policeSystem, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_api' })).case.id;
  });
}

/** Picks an answer to the question whose fieldset legend is `question`. */
async function answer(page: Page, question: string, option: string): Promise<void> {
  await page.getByRole('group', { name: question, exact: true }).getByRole('radio', { name: option, exact: true }).check();
}

/** The answers of an adult in a violent relationship, except "Are you under 18?", which each journey sets itself. */
async function fillAssessment(page: Page): Promise<void> {
  await answer(page, 'How was the assessment done?', 'In person');
  await answer(page, 'Do you feel safe where you live now?', 'No');
  await answer(page, 'Are you worried this could happen to you again?', 'Yes');
  await answer(page, 'Do you know the person who did this?', 'Yes, a partner, ex-partner or family member');
  await answer(page, 'Is a partner, ex-partner or family member hurting, threatening or controlling you?', 'Yes');
  await answer(page, 'Has the same person or group targeted you before?', 'Yes');
  await page.getByLabel('How old are you?').fill('40');
  for (const question of [
    'Do you live alone?',
    'Do you have a mental health condition that affects your daily life?',
    'Do you have a learning disability, or a condition such as autism, that affects how you understand things or get on with people?',
    'Do you have a physical disability or a long-term illness?',
    'Could any of these make it harder for you to tell the police or a court what happened?',
    'Do you need an interpreter?',
    'Do you use British Sign Language (BSL)?',
    'Would you like letters and information in Easy Read?',
    'Do you need help with money because of the crime?',
    'Do you need help with housing?',
    'Do you need help with property that was damaged or taken?',
    'Were any children affected by the crime?',
  ]) {
    await answer(page, question, 'No');
  }
  await page.getByLabel('Which language would you like us to use?').fill('English');
  await answer(page, 'Do you need help to make your home more secure?', 'Yes');
  await answer(page, 'How are you coping since the crime?', 'I am struggling');
  await answer(page, 'Would you like someone to talk to about how you feel?', 'Yes');
  await answer(page, 'Do you have children, or other people who depend on you?', 'Yes');
  await page.getByLabel('How many people depend on you?').fill('2');
  await answer(page, 'Might you need to give evidence in court?', 'Yes');
  await answer(page, 'Are you worried or frightened about giving evidence?', 'Yes');
  await answer(page, 'Would you like the extra support that victims with enhanced rights can have?', 'Yes');
  await page.getByLabel('In your own words, what would help you most? (optional)').fill('New locks, and someone with me at court');
}

/** The DASH checklist with `yes` "yes" answers and "no" to the rest. */
async function fillDash(page: Page, yes: number): Promise<void> {
  for (const [index, question] of DASH_QUESTIONS.entries()) {
    await answer(page, `${index + 1}. ${question.text}`, index < yes ? 'Yes' : 'No');
  }
}

/** The date in the form's date input, as YYYY-MM-DD and as the pages write it ("21 November 2026"). */
async function formDate(page: Page): Promise<{ iso: string; written: string }> {
  const [day, month, year] = await Promise.all(['Day', 'Month', 'Year'].map((label) => page.getByLabel(label, { exact: true }).inputValue()));
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const monthName = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long' }).format(date);
  return { iso: date.toISOString().slice(0, 10), written: `${Number(day)} ${monthName} ${year}` };
}

/** The page's headings in the main content, in order, as "h2 Text"; a notification banner's own title is left out. */
async function headings(page: Page): Promise<string[]> {
  const found: unknown = await page.evaluate(
    `Array.from(document.querySelectorAll('main :is(h1, h2, h3, h4):not(.govuk-notification-banner__title)')).map((heading) => heading.tagName.toLowerCase() + ' ' + heading.textContent.trim())`,
  );
  return found as string[];
}

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save assessment', exact: true }).click();
  await page.waitForLoadState();
}

describe('needs assessment in a browser', () => {
  let coordinator: TestStaffUser;

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator' });
  });

  test('a coordinator assesses needs with the DASH checklist: a contradiction to resolve, a high risk, then a re-assessment', async () => {
    const caseId = await domesticAbuseCase(coordinator.areaId, 'Dana');
    const reference = caseReference(caseId);
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await page.getByRole('navigation', { name: 'Case work' }).getByRole('link', { name: 'Needs assessment' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/assessment`);
      assert.equal(await page.title(), `Needs assessment: case ${reference} – Haven`);
      assert.match(await page.getByTestId('no-assessment').innerText(), /No needs assessment has been done/);
      await expectAccessible(page);

      const dayBefore = todayInLondon();
      await page.getByRole('button', { name: 'Assess needs' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/assessment/new`);
      assert.equal(await page.title(), `New needs assessment: case ${reference} – Haven`);
      // The date of the assessment starts as today (read back from the form, in case this runs across midnight).
      const assessedOn = await formDate(page);
      assert.ok([dayBefore, todayInLondon()].includes(assessedOn.iso), `the form starts on today, not ${assessedOn.iso}`);
      await expectAccessible(page);

      // Under 18, but the date of birth on record makes her 40.
      await fillAssessment(page);
      await answer(page, 'Are you under 18?', 'Yes');
      await fillDash(page, 15);
      await save(page);
      assert.equal(here(page), `/cases/${caseId}/assessment`);
      assert.match(await page.title(), /^Error: New needs assessment: case /);
      const summary = page.locator('.govuk-error-summary');
      const contradiction = 'You said they are under 18, but the date of birth on record makes them 40. Check which is right';
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), [contradiction]);
      assert.match(await page.locator('#under_18-error').innerText(), /You said they are under 18/);
      // Nothing entered is lost: the answers and the checklist are still there to correct.
      assert.equal(await page.getByRole('group', { name: 'Are you under 18?' }).getByRole('radio', { name: 'Yes' }).isChecked(), true);
      assert.equal(await page.getByRole('group', { name: `15. ${DASH_QUESTIONS[14]?.text}` }).getByRole('radio', { name: 'Yes' }).isChecked(), true);
      assert.equal(await page.getByLabel('How old are you?').inputValue(), '40');
      await expectAccessible(page);
      const stored = await running.database.db.selectFrom('needs_assessment').select('id').where('case_id', '=', caseId).execute();
      assert.equal(stored.length, 0, 'a contradictory assessment is not saved');

      await summary.getByRole('link', { name: contradiction }).click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'under_18');
      await answer(page, 'Are you under 18?', 'No');
      await save(page);

      assert.equal(here(page), `/cases/${caseId}/assessment?done=saved`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Assessment saved/);
      assert.match(await page.getByTestId('open-tasks').innerText(), /Refer to MARAC: DASH score 15 of 24/);
      const risk = await page.getByTestId('dash-result').innerText();
      assert.match(risk, /Risk level\s+High risk/);
      assert.match(risk, /Score\s+15 of 24 \(high risk from 14\)/);
      assert.match(risk, /Professional judgement\s+No override/);
      const latest = await page.locator('.govuk-summary-list').first().innerText();
      assert.match(latest, /Version\s+1[\s\S]*How\s+In person[\s\S]*Assessed by\s+Cara Coordinator/);
      assert.match(await page.locator('main').innerText(), /Are you under 18\?\s+No/);
      assert.deepEqual(await page.getByTestId('history').locator('li').allInnerTexts(), [`Version 1: ${assessedOn.written}, in person, by Cara Coordinator. High risk.`]);
      assert.match(latest, new RegExp(`Date\\s+${assessedOn.written}`));
      // The latest version's parts are headings under "Latest assessment", and the history is not one of them.
      assert.deepEqual(await headings(page), [
        'h1 Needs assessment',
        'h2 Open tasks',
        'h2 Latest assessment',
        'h3 DASH risk checklist',
        'h3 Safety and risk of it happening again',
        'h3 Health, disability and mental health',
        'h3 Communication',
        'h3 Practical needs',
        'h3 Emotional wellbeing',
        'h3 Children and dependants',
        'h3 Going to court',
        'h3 What the victim wants',
        'h2 All versions',
      ]);
      await expectAccessible(page);

      // A re-assessment starts from the last answers, asks the DASH again, and keeps version 1.
      await page.getByRole('button', { name: 'Re-assess needs' }).click();
      await page.waitForLoadState();
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Re-assess needs');
      assert.equal(await page.getByLabel('Which language would you like us to use?').inputValue(), 'English');
      assert.equal(await page.getByRole('group', { name: 'Are you under 18?' }).getByRole('radio', { name: 'No' }).isChecked(), true);
      assert.equal(await page.locator('input[name="dash_1"]:checked').count(), 0, 'the checklist is asked afresh');
      await expectAccessible(page);
      await answer(page, 'How was the assessment done?', 'By phone');
      await fillDash(page, 3);
      await page.getByRole('checkbox', { name: 'Raise the risk level to high' }).check();
      await page.getByLabel('Why is the risk high? (needed when you raise the level)').fill('She says he has started following her to work');
      await save(page);
      assert.equal(here(page), `/cases/${caseId}/assessment?done=saved`);
      assert.match(await page.getByTestId('dash-result').innerText(), /Score\s+3 of 24[\s\S]*Raised to high: She says he has started following her to work/);
      // Still one MARAC task: the open one stands.
      assert.equal(await page.getByTestId('open-tasks').locator('li').count(), 1);
      const history = await page.getByTestId('history').locator('li').allInnerTexts();
      assert.equal(history.length, 2);
      assert.match(history.join('\n'), /Version 1: .*, in person, by Cara Coordinator\. High risk\./);
      assert.match(history.join('\n'), /Version 2: .*, by phone, by Cara Coordinator\. High risk\./);
      await expectAccessible(page);

      await page.getByTestId('history').getByRole('link', { name: 'Version 1' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/assessment/1`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Needs assessment version 1');
      assert.match(await page.locator('.govuk-inset-text').innerText(), /This is an earlier version\. The latest is version 2\./);
      assert.match(await page.getByTestId('dash-result').innerText(), /Score\s+15 of 24/);
      assert.deepEqual((await headings(page)).slice(0, 3), ['h1 Needs assessment version 1', 'h2 DASH risk checklist', 'h2 Safety and risk of it happening again']);
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Back to the assessment' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/assessment`);
    } finally {
      await context.close();
    }
  });

  test('the assessment form works without JavaScript', async () => {
    const caseId = await domesticAbuseCase(coordinator.areaId, 'Nell');
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}/assessment/new`);
      // Domestic abuse, but the checklist is left out: each unanswered DASH question is an error linked to its field.
      await fillAssessment(page);
      await answer(page, 'Are you under 18?', 'No');
      await save(page);
      assert.equal(here(page), `/cases/${caseId}/assessment`);
      const links = page.locator('.govuk-error-summary').getByRole('link');
      assert.equal(await links.count(), 24);
      assert.equal(await links.first().innerText(), 'Select yes, no or not known for DASH question 1');
      assert.equal(await links.first().getAttribute('href'), '#dash_1');
      assert.equal(await page.locator('#dash_1').getAttribute('name'), 'dash_1');
      await expectAccessible(page);

      await fillDash(page, 14);
      await save(page);
      assert.equal(here(page), `/cases/${caseId}/assessment?done=saved`);
      assert.match(await page.getByTestId('dash-result').innerText(), /Risk level\s+High risk[\s\S]*Score\s+14 of 24/);
      assert.match(await page.getByTestId('open-tasks').innerText(), /Refer to MARAC: DASH score 14 of 24/);
      assert.equal(await page.getByTestId('history').locator('li').count(), 1);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
