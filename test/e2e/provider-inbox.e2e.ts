// The provider's team inbox in a real browser: a caseworker opens a referral the hub sent, declines it without a reason
// and uses the GOV.UK error summary to reach the reason, then accepts it; after a consent withdrawal the inbox lists
// the closed referral by reference only and its page says only that it closed. Without JavaScript a referral is
// accepted, started, logged and closed. axe on every page, with no exception.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { recordConsent, withdrawConsent } from '../../src/features/consent/service.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';
import { referralReference } from '../../src/features/support-referrals/rules.ts';
import { createReferral } from '../../src/features/support-referrals/service.ts';

const running = useAppAndBrowser();

const police: Actor = { kind: 'system', label: 'police-api' };
let referrals = 0;

async function click(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: true }).click();
  await page.waitForLoadState();
}

const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

describe('the provider’s team inbox in a browser', () => {
  let coordinator: TestStaffUser;
  let caseworker: TestStaffUser;
  let forceId: string;
  let providerId: string;
  let serviceId: string;

  /** A police referral, a support-referral consent to the provider, and a referral the hub sent to its service. */
  async function sentReferral(givenName: string): Promise<{ caseId: string; consentId: string; referralId: string; name: string }> {
    referrals += 1;
    const db = running.database.db;
    const receipt = await inTransaction(db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `E2E-PROVIDER-${referrals}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName, familyName: `Mensah${referrals}`, dateOfBirth: '1990-01-20' },
        crime: { crimeReference: `WY/${82000 + referrals}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    const actor = actorFor(coordinator);
    const { consentId } = await recordConsent(db, actor, receipt.caseId, {
      submissionKey: randomUUID(),
      recipientOrganisationId: providerId,
      purpose: 'support_referral',
      legalBasis: 'public_task',
      givenHow: 'verbal',
    });
    const made = await createReferral(db, actor, receipt.caseId, {
      submissionKey: randomUUID(),
      serviceId,
      summary: 'Her flat was burgled. She would like new locks and someone to talk to.',
      approvedHow: 'phone',
      action: 'send',
    });
    assert.equal(made.sent, true, 'the referral was sent');
    return { caseId: receipt.caseId, consentId, referralId: made.referralId, name: `${givenName} Mensah${referrals}` };
  }

  before(async () => {
    const db = running.database.db;
    coordinator = await createStaffUser(db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    providerId = (await createOrganisation(db, { kind: 'provider', areaId: coordinator.areaId, name: 'Safe Homes Housing' })).id;
    serviceId = (
      await db
        .insertInto('organisation_service')
        .values({ organisation_id: providerId, name: 'Home security', category: 'Practical', description: 'New locks and a safety check at home.' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    caseworker = await createStaffUser(db, { role: 'provider_caseworker', displayName: 'Kofi Caseworker', organisationId: providerId });
  });

  test('a decline without a reason gets the error summary, which takes focus and links to the reason; then it is accepted', async () => {
    const { referralId, name } = await sentReferral('Efua');
    const reference = referralReference(referralId);
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, caseworker);
      await page.getByRole('link', { name: 'Team inbox', exact: true }).click();
      await page.waitForLoadState();
      assert.equal(here(page), '/team-inbox');
      assert.equal(await page.title(), 'Team inbox – Haven');
      const row = page.getByTestId(`referral-${referralId}`);
      assert.match(await row.innerText(), new RegExp(`${reference}\\s+${name}\\s+Home security\\s+Waiting for an answer`));
      await expectAccessible(page);

      await visit(page, '/my-clients');
      assert.equal(await page.getByTestId('no-referrals').innerText(), 'No referrals are allocated to you at the moment.');
      await visit(page, '/team-inbox');

      await click(page, reference, 'link');
      assert.equal(here(page), `/team-inbox/referrals/${referralId}`);
      assert.equal(await page.title(), `Referral ${reference} – Haven`);
      assert.match(await page.getByTestId('victim').innerText(), new RegExp(name));
      await expectAccessible(page);

      await page.getByRole('radio', { name: 'Decline the referral', exact: true }).check();
      await click(page, 'Send answer');
      assert.equal(await page.title(), `Error: Referral ${reference} – Haven`);
      const summary = page.locator('.govuk-error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), ['Enter why you are declining the referral']);
      // GOV.UK Frontend moves focus to the summary, so a screen reader announces the problem first.
      assert.equal(await page.evaluate("document.activeElement === document.querySelector('.govuk-error-summary')"), true);
      assert.equal(await page.getByRole('radio', { name: 'Decline the referral', exact: true }).isChecked(), true, 'the answer chosen is kept');
      await expectAccessible(page);
      await summary.getByRole('link', { name: 'Enter why you are declining the referral', exact: true }).click();
      assert.equal(await focusedId(page), 'declineReason');

      await page.getByRole('radio', { name: 'Accept the referral', exact: true }).check();
      await click(page, 'Send answer');
      assert.equal(here(page), `/team-inbox/referrals/${referralId}?done=accepted`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Referral accepted/);
      assert.match(await page.getByTestId('referral-status').innerText(), /Status\s+Accepted/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('after a consent withdrawal the inbox lists the referral by reference only, and its page says only that it closed', async () => {
    const { caseId, consentId, referralId, name } = await sentReferral('Abena');
    await withdrawConsent(running.database.db, actorFor(coordinator), caseId, consentId, { how: 'verbal' });
    const reference = referralReference(referralId);
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, caseworker);
      await visit(page, '/team-inbox');
      const banner = page.getByTestId('closed-by-withdrawal');
      const text = await banner.innerText();
      assert.match(text, /Referrals closed because the victim withdrew consent/);
      assert.match(text, new RegExp(`${reference}, Home security, closed `));
      assert.match(text, /You can no longer see these cases\. The record of what you saw before is kept\./);
      assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(name));

      await visit(page, `/team-inbox/referrals/${referralId}`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Referral ${reference} is closed`);
      assert.doesNotMatch(await page.locator('main').innerText(), /Abena|Mensah/);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript a referral is accepted, started, logged and closed', async () => {
    const { referralId } = await sentReferral('Kwame');
    const path = `/team-inbox/referrals/${referralId}`;
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, caseworker);
      await visit(page, path);
      // The reason box is there from the start: no radio reveals it.
      assert.equal(await page.getByLabel('If you are declining, why?').isVisible(), true);
      await page.getByRole('radio', { name: 'Accept the referral', exact: true }).check();
      await click(page, 'Send answer');
      assert.equal(here(page), `${path}?done=accepted`);
      await expectAccessible(page);

      await click(page, 'Start support');
      assert.equal(here(page), `${path}?done=started`);
      await expectAccessible(page);

      await page.getByLabel('Add to the progress log').fill('Called her at a safe time; visit booked.');
      await click(page, 'Add progress note');
      assert.equal(here(page), `${path}?done=progress`);
      assert.match(await page.getByTestId('progress-notes').innerText(), /Called her at a safe time; visit booked\./);
      await expectAccessible(page);

      await page.getByRole('radio', { name: 'Engaged and completed', exact: true }).check();
      await page.getByRole('group', { name: 'How well was the victim coping before support?' }).getByRole('radio', { name: '2: a little', exact: true }).check();
      await page.getByRole('group', { name: 'How well is the victim coping now?' }).getByRole('radio', { name: '4: mostly', exact: true }).check();
      await click(page, 'Close the referral');
      assert.equal(here(page), '/team-inbox?done=closed');
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Referral closed/);
      await expectAccessible(page);
      const row = await running.database.db.selectFrom('support_referral').select(['status', 'outcome', 'coping_before', 'coping_after', 'safety_before']).where('id', '=', referralId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'closed', outcome: 'engaged_completed', coping_before: 2, coping_after: 4, safety_before: null });
    } finally {
      await context.close();
    }
  });
});
