// The victim's "My case" pages in a real browser: a signed-in victim opens their cases, follows one to its page (the
// timeline in plain words, a hearing with its calendar link, support and Code rights), reads it in Welsh, and reads it
// again with JavaScript turned off. axe on every page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { expectAccessible, here, useAppAndBrowser, visit } from '../support/browser.ts';
import { signInVictim } from '../support/portal.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { appendTimelineEvent, assignCoordinator } from '../../src/features/cases/service.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';
import { runCodeClock } from '../../src/features/obligations/service.ts';
import { recordHearing } from '../../src/features/pre-court/service.ts';

const running = useAppAndBrowser();
const police: Actor = { kind: 'system', label: 'police-api' };

describe('the victim’s My case pages in a browser', () => {
  let coordinator: TestStaffUser;
  let caseId: string;
  let cookie: string;

  /** The portal session's cookie in the browser, scoped to /my-case as the real one is. */
  async function signedIn(context: BrowserContext): Promise<void> {
    const [name = '', value = ''] = cookie.split('=');
    await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/my-case', httpOnly: true, sameSite: 'Lax' }]);
  }

  before(async () => {
    const { db } = running.database;
    coordinator = await createStaffUser(db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Haven Victim Gateway' });
    const forceId = (await createOrganisation(db, { kind: 'police', areaId: coordinator.areaId, name: 'West Yorkshire Police' })).id;
    const receipt = await inTransaction(db, (trx) =>
      receiveReferral(trx, police, {
        source: 'police_api',
        sourceReference: `E2E-PORTAL-${randomUUID()}`,
        referringOrganisationId: forceId,
        areaId: coordinator.areaId,
        person: { givenName: 'Sioned', familyName: 'Portal', dateOfBirth: '1990-01-02', phone: '07700 900456' },
        crime: { crimeReference: 'WY/84001/26', offenceCode: '49', offenceCategory: '', reportedAt: new Date('2026-03-03T10:00:00Z') },
        role: 'victim',
        supportConsent: 'implied',
        indicators: {},
      }),
    );
    caseId = receipt.caseId;
    await assignCoordinator(db, actorFor(coordinator), caseId, coordinator.id);
    await inTransaction(db, (trx) =>
      appendTimelineEvent(trx, police, { caseId, kind: 'suspect_charged', summary: 'The suspect has been charged', detail: { charges: 'Theft from a shop' }, source: 'police_api', idempotencyKey: `e2e-charge:${caseId}`, visibility: 'victim', occurredAt: new Date() }),
    );
    const hearingAt = new Date(Date.now() + 21 * 24 * 3600 * 1000);
    await recordHearing(db, actorFor(coordinator), caseId, {
      'hearingDate-day': String(hearingAt.getUTCDate()), 'hearingDate-month': String(hearingAt.getUTCMonth() + 1), 'hearingDate-year': String(hearingAt.getUTCFullYear()),
      time: '10:00', courtName: 'Leeds Crown Court', hearingType: 'trial', submissionKey: randomUUID(),
    });
    await runCodeClock(db, { settle: true });
    const person = await db.selectFrom('victim_case').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    cookie = (await signInVictim(db, person.person_id)).cookie;
  });

  test('the victim opens their case from the list, and reads it in Welsh', async () => {
    const { context, page } = await running.newPage();
    try {
      await signedIn(context);
      await visit(page, '/my-case');
      assert.equal(await page.title(), 'Your cases – Haven');
      await page.getByRole('link', { name: 'Theft, reported on 3 March 2026', exact: true }).click();
      await page.waitForLoadState();
      assert.equal(here(page), `/my-case/cases/${caseId}`);
      assert.equal(await page.title(), 'Your case – Haven');
      await expectAccessible(page);
      const timeline = page.getByTestId('portal-timeline');
      assert.ok((await timeline.innerText()).includes('The suspect has been charged'));
      assert.ok((await timeline.innerText()).includes('What happens next'));
      assert.match((await page.getByRole('link', { name: /^Add to your calendar/ }).getAttribute('href')) ?? '', /\/calendar\.ics$/);
      assert.ok((await page.getByTestId('portal-contact').innerText()).includes('Cara Coordinator'));
      assert.ok((await page.getByTestId('portal-rights').innerText()).includes('You should be told about a charge within'));

      await visit(page, `/my-case/cases/${caseId}?lang=cy`);
      assert.equal(await page.title(), 'Eich achos – Haven');
      assert.ok((await page.getByTestId('portal-timeline').innerText()).includes('Mae’r sawl a amheuir wedi cael ei gyhuddo'));
      await visit(page, '/my-case');
      assert.equal(await page.title(), 'Eich achosion – Haven');
      await visit(page, '/my-case?lang=en');
    } finally {
      await context.close();
    }
  });

  test('the case page works with JavaScript turned off', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await signedIn(context);
      await visit(page, `/my-case/cases/${caseId}`);
      assert.ok((await page.getByTestId('portal-hearing').innerText()).includes('Leeds Crown Court'));
    } finally {
      await context.close();
    }
  });
});
