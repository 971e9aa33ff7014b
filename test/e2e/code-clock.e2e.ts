// The Code clock in a real browser (journey 5's overdue handling): a police referral starts its duties, and the case page
// shows each one, who owns it and by when. Once the overdue sweep runs past the deadline, My cases lists the case
// first, tagged, ahead of a case received later, and the case page shows the duty overdue. axe on every page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { holidaysFor } from '../../src/platform/time/calendar.ts';
import { dueBy } from '../../src/platform/time/working-days.ts';
import { createPerson } from '../../src/features/people/service.ts';
import { assignCoordinator, findOrCreateCrime, openCase } from '../../src/features/cases/service.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { runCodeClock, sweepOverdue } from '../../src/features/obligations/service.ts';

const running = useAppAndBrowser();

const policeSystem: Actor = { kind: 'system', label: 'police-api' };
let crimes = 0;

/**
 * A police referral for a residential burglary (no enhanced rights) received now, given to the coordinator. The clock
 * then reads its inbox, as the web process does about once a second: on the embedded database this turn waits for any
 * turn already running, so the duties exist when it returns.
 */
async function policeReferral(coordinator: TestStaffUser, givenName: string, familyName: string): Promise<{ caseId: string; receivedAt: Date }> {
  crimes += 1;
  const receivedAt = new Date();
  const caseId = await inTransaction(running.database.db, async (trx) => {
    const person = await createPerson(trx, policeSystem, { areaId: coordinator.areaId, givenName, familyName, dateOfBirth: '1958-09-14' });
    const { crime } = await findOrCreateCrime(trx, policeSystem, {
      areaId: coordinator.areaId,
      crimeReference: `CC/${crimes}/26`,
      offenceCode: '28E',
      offenceCategory: 'Theft offences',
      offenceGroup: 'Residential burglary',
    });
    return (await openCase(trx, policeSystem, { personId: person.id, crimeId: crime.id, role: 'victim', source: 'police_api', receivedAt })).case.id;
  });
  await assignCoordinator(running.database.db, actorFor(coordinator), caseId, coordinator.id);
  await runCodeClock(running.database.db, { settle: true });
  return { caseId, receivedAt };
}

/** "24 November 2026", the London calendar day of an instant, as the pages write dates. */
function londonDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(instant);
}

async function clockRow(page: Page, duty: string): Promise<{ cells: string[]; due: string | null }> {
  const row = page.getByTestId('code-clock').locator(`tr[data-duty="${duty}"]`);
  assert.equal(await row.count(), 1, `one ${duty} row on the clock`);
  return { cells: (await row.locator('td').allInnerTexts()).map((cell) => cell.trim()), due: await row.locator('time').getAttribute('datetime') };
}

/** A hub in an area of its own with its coordinator, so each journey's My cases holds only its own cases. */
async function newHub(): Promise<{ coordinator: TestStaffUser; hubName: string }> {
  const hubName = `Haven Victim Gateway ${++crimes}`;
  const hub = await createOrganisation(running.database.db, { name: hubName, kind: 'hub' });
  const coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationId: hub.id });
  return { coordinator, hubName };
}

/** The overdue sweep a minute past `due`: it turns the first case's two duties overdue (and any other open by then). */
async function sweepPast(due: Date): Promise<void> {
  assert.ok((await sweepOverdue(running.database.db, new Date(due.getTime() + 60_000))) >= 2);
}

/** My cases lists the overdue case first, tagged, though the other was received later. */
async function expectOverdueFirst(page: Page, overdue: string, later: string): Promise<void> {
  const rows = page.getByTestId('case-list').locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), new RegExp(`^${caseReference(overdue)}\\s+Code duty overdue\\s+Edith Marlow`));
  assert.match(await rows.nth(1).innerText(), new RegExp(`^${caseReference(later)}\\s+Bert Ashdown`));
  assert.doesNotMatch(await rows.nth(1).innerText(), /overdue/i);
}

describe('the Code clock in a browser', () => {
  test('a referral’s duties show on the case with owner and deadline, and turn overdue after the sweep', async () => {
    const { coordinator, hubName } = await newHub();
    const first = await policeReferral(coordinator, 'Edith', 'Marlow');
    const due = dueBy(first.receivedAt, 2, await holidaysFor(running.database.db));
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${first.caseId}`);
      assert.equal(await page.getByRole('heading', { level: 2, name: 'Code clock' }).count(), 1);
      // What is due, by when, and who owns it.
      const assessment = await clockRow(page, 'needs_assessment');
      assert.match(assessment.cells[0] ?? '', /^Assess the victim’s needs, including the check for enhanced rights\s+Right 4, 2 working days$/);
      assert.equal(assessment.cells[1], hubName);
      assert.equal(assessment.due, due.toISOString());
      assert.match(assessment.cells[2] ?? '', new RegExp(`^${londonDay(due)} at 23:59$`));
      assert.equal(assessment.cells[3], 'Due');
      const referral = await clockRow(page, 'support_referral');
      assert.match(referral.cells[0] ?? '', /^Refer the victim to support services, unless they opted out/);
      assert.equal(referral.cells[1], hubName);
      assert.equal(referral.cells[3], 'Due');
      await expectAccessible(page);

      await sweepPast(due);
      // A case received after the first, with its duties not yet due: by date alone it would come first.
      const later = await policeReferral(coordinator, 'Bert', 'Ashdown');

      await page.reload();
      const overdue = await clockRow(page, 'needs_assessment');
      assert.equal(overdue.cells[3], 'Overdue');
      assert.equal(await page.getByTestId('code-clock').locator('tr[data-duty="needs_assessment"] .govuk-tag--red').count(), 1);
      assert.equal((await clockRow(page, 'support_referral')).cells[3], 'Overdue');
      await expectAccessible(page);
      await visit(page, `/cases/${later.caseId}`);
      assert.equal((await clockRow(page, 'needs_assessment')).cells[3], 'Due');

      // The overdue filter of My cases finds only the first case.
      await page.getByRole('link', { name: 'Cases', exact: true }).first().click();
      await page.waitForLoadState();
      assert.equal(here(page), '/cases');
      assert.equal(await page.title(), 'My cases – Haven');
      await expectAccessible(page);
      await page.getByLabel('Overdue Code duty').check();
      await page.getByTestId('apply-filters').click();
      await page.waitForLoadState();
      const rows = page.getByTestId('case-list').locator('tbody tr');
      assert.equal(await rows.count(), 1);
      assert.match(await rows.first().innerText(), new RegExp(`^${caseReference(first.caseId)}\\s+Code duty overdue`));
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  // MoJ's sortable table re-sorts rows in the browser on load by any column marked aria-sort; in the default order no
  // column is marked, so the server's overdue-first order stands. This failed before cases.njk stopped marking one.
  test(
    'with JavaScript on, My cases still lists the overdue case first',
    async () => {
      const { coordinator } = await newHub();
      const first = await policeReferral(coordinator, 'Edith', 'Marlow');
      await sweepPast(dueBy(first.receivedAt, 2, await holidaysFor(running.database.db)));
      const later = await policeReferral(coordinator, 'Bert', 'Ashdown');
      const { context, page } = await running.newPage();
      try {
        await signInAs(page, coordinator);
        await visit(page, '/cases');
        await expectOverdueFirst(page, first.caseId, later.caseId);
      } finally {
        await context.close();
      }
    },
  );

  test('without JavaScript, My cases lists the overdue case first and the case shows the duty overdue', async () => {
    const { coordinator } = await newHub();
    const first = await policeReferral(coordinator, 'Edith', 'Marlow');
    await sweepPast(dueBy(first.receivedAt, 2, await holidaysFor(running.database.db)));
    const later = await policeReferral(coordinator, 'Bert', 'Ashdown');
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, '/cases');
      await expectOverdueFirst(page, first.caseId, later.caseId);
      await page.getByRole('link', { name: caseReference(first.caseId), exact: true }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${first.caseId}`);
      assert.equal((await clockRow(page, 'needs_assessment')).cells[3], 'Overdue');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('a coordinator records an overdue duty as not met only with a reason, and it shows closed on the case', async () => {
    const { coordinator } = await newHub();
    const { caseId, receivedAt } = await policeReferral(coordinator, 'Edith', 'Marlow');
    await sweepPast(dueBy(receivedAt, 2, await holidaysFor(running.database.db)));
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await page.getByTestId('code-clock').locator('tr[data-duty="support_referral"]').getByRole('link', { name: /^Record as not met/ }).click();
      await page.waitForLoadState();
      assert.match(here(page), new RegExp(`^/cases/${caseId}/code-clock/[0-9a-f-]{36}/not-met$`));
      assert.equal(await page.title(), `Record a duty not met: case ${caseReference(caseId)} – Haven`);
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Record as not met' }).click();
      await page.waitForLoadState();
      const summary = page.locator('.govuk-error-summary');
      assert.match(await summary.innerText(), /Say why the duty was not met, in at least 10 characters/);
      await expectAccessible(page);
      await summary.getByRole('link').first().click();
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'reason');

      await page.getByLabel('Why was the duty not met?').fill('She asked us not to refer her anywhere until after the trial');
      await page.getByRole('button', { name: 'Record as not met' }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}`);
      const closed = await clockRow(page, 'support_referral');
      assert.match(closed.cells[3] ?? '', /^Not met\s+She asked us not to refer her anywhere until after the trial$/);
      assert.equal(closed.cells[4], '', 'a closed duty offers nothing more to record');
      assert.equal((await clockRow(page, 'needs_assessment')).cells[3], 'Overdue', 'the other duty is untouched');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
