// The hub's referrals to support services in a real browser: a coordinator sends the referral form empty and the GOV.UK
// error summary takes focus, its links reaching the fields; from Find support services a summary is saved as a draft to
// be approved later, the draft says why it cannot be sent, the approval is recorded and the referral sent, and it shows
// on the case's referrals and timeline. The same referral is made without JavaScript. axe on every page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { caseReference } from '../../src/features/cases/rules.ts';
import { recordConsent } from '../../src/features/consent/service.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';

const running = useAppAndBrowser();

const police: Actor = { kind: 'system', label: 'police-api' };
const PROVIDER = 'Safe Homes Support';
const SERVICE = 'Practical help after crime';
const SUMMARY = 'Burglary at home last week.\nNadia would like help with new locks and someone to talk to.';
let referrals = 0;

async function click(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<void> {
  await page.getByRole(role, { name, exact: true }).click();
  await page.waitForLoadState();
}

const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

/** The referrals stored for a case. */
const referralsOf = (caseId: string) =>
  running.database.db.selectFrom('support_referral').select(['id', 'status', 'summary', 'summary_approved_how']).where('case_id', '=', caseId).execute();

describe('the hub’s referrals in a browser', () => {
  let coordinator: TestStaffUser;
  let forceId: string;
  let providerId: string;
  let serviceId: string;

  /** A burglary referred by the police in the coordinator's area, with the victim's consent to share with the provider. */
  async function referredCase(): Promise<string> {
    referrals += 1;
    const caseId = await inTransaction(running.database.db, async (trx) => {
      const receipt = await receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `E2E-REFERRALS-${referrals}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Nadia', familyName: `Khan${referrals}`, dateOfBirth: '1979-03-02' },
        crime: { crimeReference: `WY/${83000 + referrals}/26`, offenceCode: '28E', offenceCategory: '' },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      });
      return receipt.caseId;
    });
    await recordConsent(running.database.db, actorFor(coordinator), caseId, {
      submissionKey: randomUUID(),
      recipientOrganisationId: providerId,
      purpose: 'support_referral',
      legalBasis: 'public_task',
      givenHow: 'verbal',
    });
    return caseId;
  }

  const formPath = (caseId: string) => `/cases/${caseId}/referrals/new?service=${serviceId}`;

  before(async () => {
    coordinator = await createStaffUser(running.database.db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    forceId = (await createOrganisation(running.database.db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    providerId = (await createOrganisation(running.database.db, { kind: 'provider', areaId: coordinator.areaId, name: PROVIDER })).id;
    serviceId = (
      await running.database.db
        .insertInto('organisation_service')
        .values({ organisation_id: providerId, name: SERVICE, category: 'Support', description: 'Locks, repairs and someone to talk to.', capacity: 3, specialism: 'general' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });

  test('an empty referral form gets the GOV.UK error summary, which takes focus and whose links move focus to the fields', async () => {
    const caseId = await referredCase();
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, formPath(caseId));
      assert.equal(await page.title(), `Refer to a support service: case ${caseReference(caseId)} – Haven`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), SERVICE);

      await click(page, 'Send referral');
      assert.equal(here(page), `/cases/${caseId}/referrals`);
      assert.equal(await page.title(), `Error: Refer to a support service: case ${caseReference(caseId)} – Haven`);
      const summary = page.locator('.govuk-error-summary');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), [
        'Enter a summary of what happened and what the victim needs',
        'Select how the victim approved the summary, or that they have not approved it yet',
      ]);
      // GOV.UK Frontend moves focus to the summary, so a screen reader announces the problem first.
      assert.equal(await page.evaluate("document.activeElement === document.querySelector('.govuk-error-summary')"), true);
      assert.equal(await page.locator('#summary-error').count(), 1, 'the message is by the field too');
      assert.equal((await referralsOf(caseId)).length, 0, 'nothing stored from an empty form');
      await expectAccessible(page);

      await summary.getByRole('link', { name: 'Select how the victim approved the summary, or that they have not approved it yet', exact: true }).click();
      assert.equal(await focusedId(page), 'approvedHow', 'the first approval radio');
      await summary.getByRole('link', { name: 'Enter a summary of what happened and what the victim needs', exact: true }).click();
      assert.equal(await focusedId(page), 'summary');

      // What was typed is kept when the form comes back.
      await page.getByLabel(`Summary for ${SERVICE}`).fill(SUMMARY);
      await click(page, 'Send referral');
      assert.deepEqual(await summary.getByRole('link').allInnerTexts(), ['Select how the victim approved the summary, or that they have not approved it yet']);
      assert.equal(await page.getByLabel(`Summary for ${SERVICE}`).inputValue(), SUMMARY);
      assert.equal((await referralsOf(caseId)).length, 0);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('from Find support services: a draft to approve later, its approval recorded, then sent and on the case', async () => {
    const caseId = await referredCase();
    const { context, page } = await running.newPage();
    try {
      await signInAs(page, coordinator);
      await visit(page, `/cases/${caseId}`);
      await page.getByRole('navigation', { name: 'Case work' }).getByRole('link', { name: 'Referrals', exact: true }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/cases/${caseId}/referrals`);
      assert.equal(await page.title(), `Referrals to support services: case ${caseReference(caseId)} – Haven`);
      assert.equal(await page.getByTestId('no-referrals').innerText(), 'No referrals have been made for this case yet.');
      await expectAccessible(page);

      await click(page, 'Find support services', 'link');
      assert.equal(here(page), `/cases/${caseId}/support-options`);
      await click(page, `Refer to ${SERVICE}`, 'link');
      assert.equal(here(page), formPath(caseId));
      await expectAccessible(page);

      await page.getByLabel(`Summary for ${SERVICE}`).fill(SUMMARY);
      await page.getByRole('radio', { name: 'Not yet: they will approve it later', exact: true }).check();
      await click(page, 'Save as draft');

      const [draft] = await referralsOf(caseId);
      assert.ok(draft, 'one referral stored');
      assert.equal(draft.status, 'draft');
      assert.equal(draft.summary, SUMMARY, 'the summary as typed, its line break (CRLF from the browser) stored as one');
      const url = `/cases/${caseId}/referrals/${draft.id}`;
      assert.equal(here(page), `${url}?done=drafted`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Referral saved as a draft/);
      assert.equal(await page.getByTestId('status').getAttribute('data-status'), 'draft');
      assert.match(await page.getByTestId('blockers').innerText(), /This referral cannot be sent yet[\s\S]*The victim has not yet approved the summary/);
      assert.deepEqual(await page.getByTestId('summary').locator('p').allInnerTexts(), SUMMARY.split('\n'), 'each line of the summary kept');
      await expectAccessible(page);

      await page.getByRole('radio', { name: 'By phone', exact: true }).check();
      await click(page, 'Record approval');
      assert.equal(here(page), `${url}?done=approved`);
      assert.equal(await page.getByTestId('blockers').count(), 0, 'nothing stands in the way now');
      assert.match(await page.getByTestId('approval').innerText(), /The victim approved this summary on .+: by phone\./);
      await expectAccessible(page);

      await click(page, 'Send referral');
      assert.equal(here(page), `${url}?done=sent`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Referral sent/);
      assert.equal(await page.getByTestId('status').innerText(), 'Waiting for an answer');
      assert.equal((await referralsOf(caseId))[0]?.status, 'sent');
      assert.equal(await page.getByRole('button', { name: 'Cancel this draft' }).count(), 0);
      await expectAccessible(page);

      await page.getByLabel(`Message to ${PROVIDER}`).fill('Nadia prefers a call after 5pm.');
      await click(page, 'Send message');
      assert.equal(here(page), `${url}?done=messaged`);
      assert.match(await page.getByTestId('message').innerText(), new RegExp(`To ${PROVIDER}[\\s\\S]*Nadia prefers a call after 5pm\\.`));
      await expectAccessible(page);

      await click(page, 'Back to referrals', 'link');
      const row = page.getByTestId(`referral-${draft.id}`);
      assert.equal(await row.getAttribute('data-status'), 'sent');
      assert.match(await row.innerText(), new RegExp(`${SERVICE}[\\s\\S]*${PROVIDER}[\\s\\S]*Waiting for an answer`));
      await expectAccessible(page);

      await visit(page, `/cases/${caseId}`);
      assert.match(await page.getByTestId('timeline').innerText(), new RegExp(`We referred you to ${SERVICE}`));
    } finally {
      await context.close();
    }
  });

  test('a referral is made and sent without JavaScript', async () => {
    const caseId = await referredCase();
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signInAs(page, coordinator);
      await visit(page, formPath(caseId));
      await click(page, 'Send referral');
      assert.equal(await page.title(), `Error: Refer to a support service: case ${caseReference(caseId)} – Haven`);
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      await expectAccessible(page);

      await page.getByLabel(`Summary for ${SERVICE}`).fill(SUMMARY);
      await page.getByRole('radio', { name: 'In person', exact: true }).check();
      await click(page, 'Send referral');

      const [sent] = await referralsOf(caseId);
      assert.ok(sent, 'one referral stored');
      assert.equal(sent.status, 'sent');
      assert.equal(sent.summary_approved_how, 'in_person');
      assert.equal(here(page), `/cases/${caseId}/referrals/${sent.id}?done=sent`);
      assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Referral sent/);
      assert.equal(await page.getByTestId('status').innerText(), 'Waiting for an answer');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
