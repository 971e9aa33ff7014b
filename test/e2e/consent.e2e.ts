// The consent ledger in a real browser: a coordinator opens Consent to share from a case, sends the Record consent form
// empty and uses the GOV.UK error summary to reach the fields; on a domestic abuse case Public task is refused because
// the victim must opt in, and a spoken consent with an end date (an optional date input, left blank for no end date) is
// recorded, shown in force and then withdrawn. The same form records a consent without JavaScript. axe on every page,
// with no exception.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { partsOf } from '../../src/platform/time/calendar-date.ts';
import { londonDateOf } from '../../src/platform/time/london.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';

const running = useAppAndBrowser();

const police: Actor = { kind: 'system', label: 'police-api' };
const RECIPIENT = 'Safe Homes Housing';
let referrals = 0;

async function click(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: true }).click();
  await page.waitForLoadState();
}

const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

/** "3 December 2027", a London day as the ledger writes it. */
function londonDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(instant);
}

/** Day, month and year of 3 December next year, and how the ledger writes it. */
function nextDecember(): { day: string; month: string; year: string; written: string } {
  const year = String(partsOf(londonDateOf(new Date())).year + 1);
  return { day: '3', month: '12', year, written: `3 December ${year}` };
}

/** The three boxes of "End date (optional)". */
function expiryBoxes(page: Page): { day: Locator; month: Locator; year: Locator } {
  const group = page.getByRole('group', { name: 'End date (optional)' });
  return {
    day: group.getByLabel('Day', { exact: true }),
    month: group.getByLabel('Month', { exact: true }),
    year: group.getByLabel('Year', { exact: true }),
  };
}

/** The consents recorded on a case, as stored. */
const consentsOf = (caseId: string) =>
  running.database.db.selectFrom('consent').select(['id', 'legal_basis', 'given_how', 'expires_at', 'withdrawn_at', 'withdrawn_how']).where('case_id', '=', caseId).orderBy('given_at').execute();

describe('the consent ledger in a browser', () => {
  let coordinator: TestStaffUser;
  let forceId: string;

  /** A police referral in the coordinator's area: a burglary, or (with domesticAbuse) a victim who must opt in. */
  async function referral(options: { domesticAbuse?: boolean } = {}): Promise<string> {
    referrals += 1;
    return inTransaction(running.database.db, async (trx) => {
      const receipt = await receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `E2E-CONSENT-${referrals}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Nadia', familyName: `Khan${referrals}`, dateOfBirth: '1979-03-02' },
        crime: { crimeReference: `WY/${81000 + referrals}/26`, offenceCode: options.domesticAbuse ? '8N' : '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: options.domesticAbuse ? 'opted_in' : 'implied',
        indicators: options.domesticAbuse ? { domesticAbuse: true } : {},
      });
      return receipt.caseId;
    });
  }

  /** From the case page, through "Consent to share", to the empty ledger, and on to the Record consent form. */
  async function openForm(page: Page, caseId: string): Promise<void> {
    const reference = caseReference(caseId);
    await visit(page, `/cases/${caseId}`);
    await page.getByRole('navigation', { name: 'Case work' }).getByRole('link', { name: 'Consent to share', exact: true }).click();
    await page.waitForLoadState();
    assert.equal(here(page), `/cases/${caseId}/consents`);
    assert.equal(await page.title(), `Consent to share: case ${reference} – Haven`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Consent to share');
    assert.equal(await page.getByTestId('no-consents').innerText(), 'No consent has been recorded yet.');
    await expectAccessible(page);

    // A GOV.UK button that is a link has the role of a button.
    await click(page, 'Record consent');
    assert.equal(here(page), `/cases/${caseId}/consents/new`);
    assert.equal(await page.title(), `Record consent: case ${reference} – Haven`);
    await expectAccessible(page);
  }

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(running.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    await createOrganisation(running.database.db, { kind: 'provider', areaId: coordinator.areaId, name: RECIPIENT });
  });

  test('an empty form gets the GOV.UK error summary, which takes focus and whose links move focus to the fields', async () => {
    const caseId = await referral();
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await openForm(page, caseId);

      await click(page, 'Record consent');
      assert.equal(here(page), `/cases/${caseId}/consents`);
      assert.equal(await page.title(), `Error: Record consent: case ${caseReference(caseId)} – Haven`);
      const summary = page.locator('.govuk-error-summary');
      assert.equal(await summary.count(), 1);
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), [
        'Select who the information will be shared with',
        'Select what the information will be shared for',
        'Select the legal basis for sharing',
        'Select how the victim agreed',
      ]);
      // GOV.UK Frontend moves focus to the summary, so a screen reader announces the problem first.
      assert.equal(await page.evaluate("document.activeElement === document.querySelector('.govuk-error-summary')"), true);
      assert.equal(await page.locator('#legalBasis-error').count(), 1, 'the message is by the field too');
      assert.equal(await consentsOf(caseId).then((rows) => rows.length), 0, 'nothing stored from an empty form');
      await expectAccessible(page);

      await summary.getByRole('link', { name: 'Select the legal basis for sharing', exact: true }).click();
      assert.equal(await focusedId(page), 'legalBasis', 'the first legal basis radio');
      assert.equal(await page.getByRole('radio', { name: 'Consent', exact: true }).getAttribute('id'), 'legalBasis');
      await summary.getByRole('link', { name: 'Select who the information will be shared with', exact: true }).click();
      assert.equal(await focusedId(page), 'recipientOrganisationId');
      await expectAccessible(page);

      // The end date is optional, but a date half filled in is an error on the date, and its link reaches the first empty box.
      await expiryBoxes(page).day.fill('3');
      await click(page, 'Record consent');
      assert.ok((await summary.getByRole('link').allInnerTexts()).includes('End date must include a month and year'));
      assert.equal(await page.locator('#expiresOn-error').count(), 1, 'the message is by the date too');
      assert.equal(await expiryBoxes(page).day.inputValue(), '3', 'what was typed is kept');
      await summary.getByRole('link', { name: 'End date must include a month and year', exact: true }).click();
      assert.equal(await focusedId(page), 'expiresOn-month');
      assert.equal(await consentsOf(caseId).then((rows) => rows.length), 0, 'nothing stored from a half-filled date');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('on a domestic abuse case Public task is refused; a spoken consent with an end date is recorded, then withdrawn', async () => {
    const caseId = await referral({ domesticAbuse: true });
    const ends = nextDecember();
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await openForm(page, caseId);
      assert.match(
        await page.locator('.govuk-inset-text').innerText(),
        /The victim must opt in: victims of domestic abuse are referred only with their agreement\. Public task and legal obligation cannot be used\./,
      );

      // Everything right but the basis: the victim must opt in.
      await page.getByLabel('Who may the information be shared with?').selectOption({ label: RECIPIENT });
      await page.getByRole('radio', { name: 'Referral for support, sharing the summary the victim approved', exact: true }).check();
      await page.getByRole('radio', { name: 'Public task', exact: true }).check();
      await page.getByRole('radio', { name: 'Spoken (by phone or in person)', exact: true }).check();
      await click(page, 'Record consent');
      assert.match(await page.title(), /^Error: Record consent: case /);
      const summary = page.locator('.govuk-error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), [
        'The victim must opt in, as victims of domestic abuse are referred only with their agreement: record their consent',
      ]);
      assert.equal(await consentsOf(caseId).then((rows) => rows.length), 0, 'nothing stored on a refused basis');
      // What was chosen is kept.
      assert.equal(await page.getByRole('radio', { name: 'Public task', exact: true }).isChecked(), true);
      assert.equal(await page.getByRole('radio', { name: 'Spoken (by phone or in person)', exact: true }).isChecked(), true);
      assert.equal(await page.getByLabel('Who may the information be shared with?').locator('option:checked').innerText(), RECIPIENT);
      await expectAccessible(page);

      await page.getByRole('radio', { name: 'Consent', exact: true }).check();
      // The end date is a plain optional date input: no radio reveals it, so nothing on the form needs aria-expanded.
      const boxes = expiryBoxes(page);
      assert.equal(await boxes.day.isVisible(), true);
      assert.equal(await page.locator('main form [aria-expanded]').count(), 0);
      await boxes.day.fill(ends.day);
      await boxes.month.fill(ends.month);
      await boxes.year.fill(ends.year);
      await expectAccessible(page);
      await click(page, 'Record consent');

      assert.equal(here(page), `/cases/${caseId}/consents?done=recorded`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Consent recorded/);
      assert.equal(await page.getByTestId('no-consents').count(), 0);
      const [stored] = await consentsOf(caseId);
      assert.ok(stored, 'one consent stored');
      assert.equal(stored.legal_basis, 'consent');
      assert.equal(stored.given_how, 'verbal');
      assert.ok(stored.expires_at, 'with its end date');
      assert.equal(londonDay(new Date(stored.expires_at)), ends.written);
      const card = page.getByTestId(`consent-${stored.id}`);
      assert.equal(await card.getAttribute('data-state'), 'in_force');
      const shown = await card.innerText();
      assert.match(shown, new RegExp(`Shared with\\s+${RECIPIENT}`));
      assert.match(shown, /Legal basis\s+Consent\n/);
      assert.match(shown, /How the victim agreed\s+Spoken \(by phone or in person\)/);
      assert.match(shown, /Recorded\s+.+ by Cara Coordinator/);
      assert.match(shown, new RegExp(`Ends\\s+${ends.written}`));
      assert.match(shown, /Status\s+In force/);
      assert.equal(await card.locator('.govuk-tag--green').innerText(), 'In force');
      await expectAccessible(page);

      // Withdraw it.
      await card.getByRole('link', { name: `Withdraw consent (${RECIPIENT})`, exact: true }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/consents/${stored.id}/withdraw`);
      assert.equal(await page.title(), `Withdraw consent: case ${caseReference(caseId)} – Haven`);
      assert.match(await page.locator('main').innerText(), new RegExp(`${RECIPIENT} can no longer see this case`));
      await expectAccessible(page);
      await page.getByRole('radio', { name: 'In writing', exact: true }).check();
      await click(page, 'Withdraw consent');

      assert.equal(here(page), `/cases/${caseId}/consents?done=withdrawn`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Consent withdrawn\. The organisation can no longer see the case/);
      const withdrawn = page.getByTestId(`consent-${stored.id}`);
      assert.equal(await withdrawn.getAttribute('data-state'), 'withdrawn');
      assert.match(await withdrawn.innerText(), /Status\s+Withdrawn/);
      assert.match(await withdrawn.innerText(), new RegExp(`Withdrawn\\s+${londonDay(new Date())}, in writing \\(recorded by Cara Coordinator\\)`));
      assert.equal(await withdrawn.getByRole('link', { name: /Withdraw/ }).count(), 0, 'a withdrawn consent has no Withdraw link');
      assert.equal(await page.locator(`a[href$="/consents/${stored.id}/withdraw"]`).count(), 0);
      assert.equal((await consentsOf(caseId))[0]?.withdrawn_how, 'written');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('a consent with an end date is recorded without JavaScript, the date boxes there from the start', async () => {
    const caseId = await referral({ domesticAbuse: true });
    const ends = nextDecember();
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await openForm(page, caseId);
      // The date boxes are there from the start, as with JavaScript.
      const boxes = expiryBoxes(page);
      assert.equal(await boxes.day.isVisible(), true);
      assert.equal(await boxes.month.isVisible(), true);
      assert.equal(await boxes.year.isVisible(), true);

      await page.getByLabel('Who may the information be shared with?').selectOption({ label: RECIPIENT });
      await page.getByRole('radio', { name: 'Referral for support, sharing the summary the victim approved', exact: true }).check();
      await page.getByRole('radio', { name: 'Consent', exact: true }).check();
      await page.getByRole('radio', { name: 'Spoken (by phone or in person)', exact: true }).check();
      await boxes.day.fill(ends.day);
      await boxes.month.fill(ends.month);
      await boxes.year.fill(ends.year);
      await click(page, 'Record consent');

      assert.equal(here(page), `/cases/${caseId}/consents?done=recorded`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Consent recorded/);
      const [stored] = await consentsOf(caseId);
      assert.ok(stored, 'one consent stored');
      assert.ok(stored.expires_at, 'with its end date');
      assert.equal(londonDay(new Date(stored.expires_at)), ends.written);
      const card = page.getByTestId(`consent-${stored.id}`);
      assert.equal(await card.getAttribute('data-state'), 'in_force');
      assert.match(await card.innerText(), new RegExp(`Ends\\s+${ends.written}[\\s\\S]*Status\\s+In force`));
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
