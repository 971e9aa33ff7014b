// Journeys 2, 4, 7 and 9 of shared/domain/scenarios.md in the victim's portal, in a real browser: each runs once in
// English with JavaScript and once in Welsh without it. People sign in with a one-time code read from the development
// outbox (the test app has no Notify key), as a victim would read it from her email. Every portal page visited is
// checked with axe (WCAG 2.2 AA), shows "Exit this page" in the page's language, and has a title that names neither
// the victim nor the crime.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAccessible, here, signInAs, useAppAndBrowser, visit } from '../support/browser.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../support/staff.ts';
import { systemActor, type Actor } from '../../src/platform/auth/identity.ts';
import { basicAuthorization } from '../../src/platform/auth/api-credentials.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { londonOffsetMs } from '../../src/platform/time/london.ts';
import { translate } from '../../src/platform/views/i18n/catalogue.ts';
import { createApiClient } from '../../src/features/api-clients/service.ts';
import { plainWords } from '../../src/features/case-updates/plain-words.ts';
import { recordConsent } from '../../src/features/consent/service.ts';
import { receiveReferral } from '../../src/features/intake/service.ts';
import { toReferral } from '../../src/features/self-referral/rules.ts';
import { referralReference } from '../../src/features/support-referrals/rules.ts';
import { createReferral } from '../../src/features/support-referrals/service.ts';

type Language = 'en' | 'cy';
type Run = { language: Language; javaScriptEnabled: boolean };
const RUNS: Run[] = [
  { language: 'en', javaScriptEnabled: true },
  { language: 'cy', javaScriptEnabled: false },
];
const EXIT: Record<Language, string> = { en: 'Exit this page', cy: 'Gadael y dudalen hon' };

let serial = 0;
/** A number no other victim in this file has: people sharing a name and phone would rightly be merged into one. */
const next = () => ++serial;

const running = useAppAndBrowser({
  seed: async ({ database }) => {
    const db = database.db;
    coordinator = await createStaffUser(db, { role: 'coordinator', displayName: 'Cara Coordinator', organisationName: 'Wyvern Victim Gateway' });
    const force = await createOrganisation(db, { kind: 'police', areaId: coordinator.areaId, name: 'Wyvern Constabulary' });
    forceId = force.id;
    officer = await createStaffUser(db, { role: 'police_officer', displayName: 'PC Ellis', organisationId: force.id });
    providerId = (await createOrganisation(db, { kind: 'provider', areaId: coordinator.areaId, name: PROVIDER })).id;
    serviceId = (
      await db
        .insertInto('organisation_service')
        .values({ organisation_id: providerId, name: 'Housing support', category: 'Practical', description: 'Help to stay safe at home or to move.' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    caseworker = await createStaffUser(db, { role: 'provider_caseworker', displayName: 'Kofi Caseworker', organisationId: providerId });
    const client = await createApiClient(db, systemActor('test'), { organisation: force.name, name: 'Wyvern case feed', scopes: ['events:write'] });
    policeFeed = basicAuthorization(client.clientId, client.secret);
  },
});

const PROVIDER = 'Safe Homes Housing';
const police: Actor = { kind: 'system', label: 'police-api' };
let coordinator: TestStaffUser;
let officer: TestStaffUser;
let caseworker: TestStaffUser;
let forceId: string;
let providerId: string;
let serviceId: string;
let policeFeed: string;

// ---- Helpers ----

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await pause(100);
  }
}

/**
 * Every browser here comes from 127.0.0.1, and one client may ask for only 10 codes in 15 minutes: without this the
 * file's own later journeys would be refused. Ages the earlier requests out of the window; it changes nothing else.
 */
async function forgetEarlierCodeRequests(): Promise<void> {
  await running.database.db.updateTable('portal_sign_in_code').set({ created_at: new Date(Date.now() - 60 * 60 * 1000) }).execute();
}

/** The newest sign-in code the development outbox holds for this address since the given moment. */
async function codeSentTo(address: string, since: Date): Promise<string> {
  return until(`a sign-in code for ${address}`, async () => {
    const row = await running.database.db
      .selectFrom('notification_outbox')
      .select('personalisation')
      .where('recipient', '=', address)
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const code = row?.personalisation.code;
    return typeof code === 'string' ? code : undefined;
  });
}

/**
 * The checks for every portal page: axe with no violation, "Exit this page" in the page's language, and a title that
 * holds none of the secrets (names, crime reference).
 */
async function checkPortalPage(page: Page, language: Language, secrets: readonly string[]): Promise<void> {
  await expectAccessible(page);
  assert.match(await page.locator('.govuk-exit-this-page').innerText(), new RegExp(EXIT[language]), `Exit this page on ${here(page)}`);
  assert.equal(await page.locator('html').getAttribute('lang'), language, `the page is in ${language}: ${here(page)}`);
  const title = await page.title();
  for (const secret of secrets) assert.ok(!title.toLowerCase().includes(secret.toLowerCase()), `the title of ${here(page)} (“${title}”) holds “${secret}”`);
}

async function go(page: Page, path: string, language: Language, secrets: readonly string[]): Promise<void> {
  const response = await page.goto(path);
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`);
  await checkPortalPage(page, language, secrets);
}

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
  await page.waitForLoadState();
}

/** Opens the sign-in page (in Welsh, switching with ?lang=cy) and asks for a code for the address. */
async function askForCode(page: Page, address: string, language: Language, secrets: readonly string[]): Promise<Date> {
  await go(page, language === 'cy' ? '/my-case/sign-in?lang=cy' : '/my-case/sign-in', language, secrets);
  await page.locator('#address').fill(address);
  const asked = new Date(Date.now() - 1000);
  await submit(page, '[data-testid="send-code"]');
  assert.equal(here(page), '/my-case/sign-in/code');
  await checkPortalPage(page, language, secrets);
  return asked;
}

/**
 * Signs in through the real pages with a code sent to the address, and the crime reference when the account asks for
 * it; lands on My cases.
 */
async function signInWithCode(page: Page, address: string, language: Language, secrets: readonly string[], crimeReference?: string): Promise<void> {
  await forgetEarlierCodeRequests();
  const asked = await askForCode(page, address, language, secrets);
  const code = await codeSentTo(address, asked);
  await page.locator('#code').fill(code);
  await submit(page, '[data-testid="enter-code"]');
  if (crimeReference) {
    assert.equal(here(page), '/my-case/sign-in/crime-reference');
    await checkPortalPage(page, language, secrets);
    await page.locator('#crimeReference').fill(crimeReference);
    await submit(page, 'main form button');
  }
  assert.equal(here(page), '/my-case');
  await checkPortalPage(page, language, secrets);
}

async function signOut(page: Page, language: Language, secrets: readonly string[]): Promise<void> {
  await submit(page, '[data-testid="portal-sign-out"]');
  assert.equal(here(page), '/my-case/signed-out');
  await checkPortalPage(page, language, secrets);
  // Signed out means signed out: My cases asks for sign-in again.
  await page.goto('/my-case');
  assert.equal(new URL(page.url()).pathname, '/my-case/sign-in');
}

/** London wall-clock HH:MM this many minutes from now. */
function londonTimeIn(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  const wall = new Date(at.getTime() + londonOffsetMs(at));
  return `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
}

const textOf = async (page: Page) => page.locator('main').innerText();

/** Sends a message on the thread page the browser is on and checks the page it comes back to. */
async function sendMessage(page: Page, body: string, language: Language, secrets: readonly string[]): Promise<void> {
  const thread = new URL(page.url()).pathname;
  await page.locator('#body').fill(body);
  await submit(page, '[data-testid="send-form"] button');
  assert.equal(here(page), `${thread}?done=sent`);
  assert.match(await textOf(page), new RegExp(body.replace(/[.?]/g, '\\$&')));
  await checkPortalPage(page, language, secrets);
}

async function personOf(caseId: string): Promise<string> {
  return (await running.database.db.selectFrom('victim_case').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow()).person_id;
}

/** A police referral in the coordinator's area. */
async function policeReferral(
  person: { givenName: string; familyName: string; dateOfBirth: string; email?: string; phone?: string; channels: string[] },
  crimeReference: string,
  offenceCode = '8N',
  committedFrom: string | null = null,
): Promise<string> {
  return inTransaction(running.database.db, async (trx) => {
    const receipt = await receiveReferral(trx, police, {
      source: 'police_api',
      sourceReference: `E2E-PORTAL-${next()}`,
      referringOrganisationId: forceId,
      areaId: coordinator.areaId,
      person: {
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirth: person.dateOfBirth,
        email: person.email ?? null,
        phone: person.phone ?? null,
        safeContact: { channels: person.channels as ('email' | 'sms' | 'phone' | 'letter')[] },
      },
      crime: { crimeReference, offenceCode, offenceCategory: '', committedFrom },
      role: 'victim',
      supportConsent: 'implied',
      indicators: {},
    });
    return receipt.caseId;
  });
}

// ---- Journey 2 ----

describe('journey 2: a self-referred woman signs in with her email; texts are not safe, so her mobile gets nothing', () => {
  for (const run of RUNS) {
    test(`${run.language === 'en' ? 'English, with JavaScript' : 'Welsh, without JavaScript'}`, async () => {
      const n = next();
      const givenName = `Leah${String.fromCharCode(97 + n)}`;
      const mobile = `07700 900${String(500 + n)}`;
      const email = `leah.${n}@example.net`;
      const secrets = [givenName];
      const caseId = await inTransaction(running.database.db, async (trx) => {
        const referral = toReferral(
          { reported: 'no', category: 'domestic_abuse', givenName, familyName: '', channels: ['phone', 'email'], phone: mobile, email, callTime: 'morning', voicemail: 'no', needs: [] },
          { areaId: coordinator.areaId, reference: `SR-E2E-${n}`, language: run.language, receivedAt: new Date() },
        );
        return (await receiveReferral(trx, { kind: 'public' }, referral)).caseId;
      });
      const { context, page } = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      try {
        // Her mobile: the page answers exactly as for a known address, and nothing is sent anywhere.
        await forgetEarlierCodeRequests();
        const before = await running.database.db.selectFrom('notification_outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
        await askForCode(page, mobile, run.language, secrets);
        const codeRow = await running.database.db.selectFrom('portal_sign_in_code').select(['channel', 'code_hash', 'person_id']).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
        assert.equal(codeRow.person_id, await personOf(caseId), 'the mobile is hers');
        assert.equal(codeRow.channel, null, 'no channel: texts are not safe');
        assert.equal(codeRow.code_hash, null, 'no code made');
        await pause(1000);
        const afterwards = await running.database.db.selectFrom('notification_outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
        assert.equal(afterwards.n, before.n, 'nothing went to the outbox');
        const sms = await running.database.db.selectFrom('notification_outbox').select('id').where('channel', '=', 'sms').execute();
        assert.equal(sms.length, 0, 'no text message to anyone');

        // Her email works.
        await signInWithCode(page, email, run.language, secrets);
        const caseLinks = page.locator(`main a[href="/my-case/cases/${caseId}"]`);
        assert.equal(await caseLinks.count() >= 1, true, 'her case is listed');
        await caseLinks.first().click();
        await page.waitForLoadState();
        assert.equal(here(page), `/my-case/cases/${caseId}`);
        await checkPortalPage(page, run.language, secrets);
        assert.doesNotMatch(await textOf(page), /\b[A-Z]{2}\/\d+\/\d{2}\b/, 'no crime reference: she reported no crime');

        // Her preferences: phone calls and email are safe, texts are not.
        await go(page, '/my-case/preferences', run.language, secrets);
        const channels = await page.locator('.haven-preference-channels').innerText();
        assert.match(channels, run.language === 'en' ? /Phone call/ : /Galwad ffôn/);
        assert.match(channels, run.language === 'en' ? /Email/ : /E-bost/);
        assert.doesNotMatch(channels, run.language === 'en' ? /Text message/ : /Neges destun/);
        for (const section of ['safe-contact', 'language', 'needs', 'updates']) await go(page, `/my-case/preferences/${caseId}/${section}`, run.language, secrets);

        // The rest of the portal's pages, each checked.
        for (const path of ['/my-case/messages', `/my-case/cases/${caseId}/messages`, `/my-case/cases/${caseId}/messages/hub`, '/my-case/my-data', '/my-case/my-data/who-has-seen', '/my-case/my-data/consents', '/my-case/my-data/download', `/my-case/cases/${caseId}/complaint`, '/my-case/sign-out-everywhere']) {
          await go(page, path, run.language, secrets);
        }
        await signOut(page, run.language, secrets);
      } finally {
        await context.close();
      }
    });
  }
});

// ---- Journey 4 ----

describe('journey 4: the arrest and the release in plain words, a question to the officer, and the answer', () => {
  async function event(crimeReference: string, type: string, occurredAt: Date, detail: Record<string, unknown> = {}): Promise<void> {
    const response = await fetch(`${running.baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: policeFeed, 'content-type': 'application/json' },
      body: JSON.stringify({ sourceEventId: `E2E-PORTAL-EV-${next()}`, type, crimeReference, occurredAt: occurredAt.toISOString(), detail }),
    });
    assert.equal(response.status, 201, await response.text());
  }

  for (const run of RUNS) {
    test(`${run.language === 'en' ? 'English, with JavaScript' : 'Welsh, without JavaScript'}`, async () => {
      const n = next();
      const givenName = `Grace${String.fromCharCode(97 + n)}`;
      const familyName = `Okoro${String.fromCharCode(97 + n)}`;
      const email = `grace.${n}@example.org`;
      const crimeReference = `WY/${84000 + n}/26`;
      const secrets = [givenName, familyName, crimeReference];
      const caseId = await policeReferral({ givenName, familyName, dateOfBirth: '1988-02-11', email, phone: `07700 900${600 + n}`, channels: ['email'] }, crimeReference);
      const personId = await personOf(caseId);
      if (run.language === 'cy') await running.database.db.updateTable('person').set({ preferred_language: 'cy' }).where('id', '=', personId).execute();
      // Quiet hours set well away from now, as the coordinator would record them, so a run at night is not held until
      // the morning by the default quiet hours (21:00 to 08:00).
      await running.database.db
        .updateTable('person')
        .set({ safe_contact: JSON.stringify({ channels: ['email'], quietHours: { from: londonTimeIn(600), to: londonTimeIn(660) } }) })
        .where('id', '=', personId)
        .execute();
      // Her account asks for the crime reference as a second check (a coordinator's choice), so that page is walked too.
      await running.database.db.insertInto('portal_account').values({ person_id: personId, area_id: coordinator.areaId, display_name: givenName, crime_reference_check: true }).execute();
      await event(crimeReference, 'officer_assigned', new Date(Date.now() - 180_000), { officerName: 'PC Ellis', officerEmail: officer.email });
      await event(crimeReference, 'suspect_arrested', new Date(Date.now() - 120_000));
      await event(crimeReference, 'released_under_investigation', new Date(Date.now() - 60_000));

      const question = run.language === 'en' ? 'Will I be told if he comes near my house?' : 'A fyddaf yn cael gwybod os daw ger fy nhŷ?';
      const answer = 'Yes. His release is being checked and I will call you today.';
      const victim = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      try {
        const page = victim.page;
        await signInWithCode(page, email, run.language, secrets, crimeReference);
        await page.locator(`main a[href="/my-case/cases/${caseId}"]`).first().click();
        await page.waitForLoadState();
        assert.equal(here(page), `/my-case/cases/${caseId}`);
        await checkPortalPage(page, run.language, secrets);
        const timeline = await page.getByTestId('portal-timeline').innerText();
        const arrested = plainWords('suspect_arrested', run.language);
        const released = plainWords('released_under_investigation', run.language);
        for (const words of [arrested, released]) {
          assert.ok(timeline.includes(words.title), `the timeline says “${words.title}”`);
          assert.ok(timeline.includes(words.next), `and what happens next: “${words.next}”`);
        }
        assert.ok(timeline.indexOf(released.title) < timeline.indexOf(arrested.title), 'newest first: the release above the arrest');

        await go(page, `/my-case/cases/${caseId}/messages`, run.language, secrets);
        await page.locator(`main a[href="/my-case/cases/${caseId}/messages/police"]`).first().click();
        await page.waitForLoadState();
        assert.equal(here(page), `/my-case/cases/${caseId}/messages/police`);
        await checkPortalPage(page, run.language, secrets);
        await sendMessage(page, question, run.language, secrets);
        await signOut(page, run.language, secrets);
      } finally {
        await victim.context.close();
      }

      // The officer answers from the police view.
      const staff = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      const sentAt = new Date(Date.now() - 1000);
      try {
        const page = staff.page;
        await signInAs(page, officer);
        await visit(page, `/my-victims/${caseId}`);
        assert.ok((await textOf(page)).includes(question), 'the officer reads her question');
        await page.getByLabel('Reply to the victim').fill(answer);
        await submit(page, 'main form button:has-text("Send message")');
        assert.equal(here(page), `/my-victims/${caseId}?done=sent`);
        await expectAccessible(page);
      } finally {
        await staff.context.close();
      }

      // The app's own notifications runner emails her only that there is a new message: a link, nothing else.
      const notificationsOf = () => running.database.db.selectFrom('notification').select(['purpose', 'state', 'withheld_reason', 'channels', 'due_at', 'created_at', 'reference']).where('case_id', '=', caseId).execute();
      const outbox = await until('the new-message email in the outbox', async () => {
        const notification = await running.database.db
          .selectFrom('notification')
          .select(['reference', 'channels'])
          .where('case_id', '=', caseId)
          .where('purpose', '=', 'message')
          .where('created_at', '>=', sentAt)
          .where('reference', 'is not', null)
          .executeTakeFirst();
        if (!notification?.reference) return undefined;
        return running.database.db.selectFrom('notification_outbox').selectAll().where('reference', '=', notification.reference).executeTakeFirst();
      }).catch(async (error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; the case's notifications: ${JSON.stringify(await notificationsOf())}`);
      });
      assert.equal(outbox.recipient, email);
      assert.equal(outbox.channel, 'email');
      assert.deepEqual(Object.keys(outbox.personalisation), ['link']);
      assert.doesNotMatch(JSON.stringify(outbox.personalisation), /release|call you|Grace|Okoro|WY\//, 'the email says only that there is a new message');

      const again = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      try {
        const page = again.page;
        await signInWithCode(page, email, run.language, secrets, crimeReference);
        await go(page, '/my-case/messages', run.language, secrets);
        await go(page, `/my-case/cases/${caseId}/messages/police`, run.language, secrets);
        const messages = await page.getByTestId('message').allInnerTexts();
        assert.equal(messages.length, 2);
        assert.ok((messages[0] ?? '').includes(question));
        assert.ok((messages[1] ?? '').includes(answer), 'she reads the officer’s answer');
        await signOut(page, run.language, secrets);
      } finally {
        await again.context.close();
      }
    });
  }
});

// ---- Journey 7 ----

describe('journey 7: she withdraws consent to a housing provider in one click; the provider then sees only a closed referral', () => {
  for (const run of RUNS) {
    test(`${run.language === 'en' ? 'English, with JavaScript' : 'Welsh, without JavaScript'}`, async () => {
      const n = next();
      const givenName = `Nadia${String.fromCharCode(97 + n)}`;
      const familyName = `Khan${String.fromCharCode(97 + n)}`;
      const email = `nadia.${n}@example.org`;
      const crimeReference = `WY/${85000 + n}/26`;
      const secrets = [givenName, familyName, crimeReference];
      const caseId = await policeReferral({ givenName, familyName, dateOfBirth: '1979-03-02', email, phone: `07700 900${700 + n}`, channels: ['email'] }, crimeReference, '28E');
      const actor = actorFor(coordinator);
      const { consentId } = await recordConsent(running.database.db, actor, caseId, {
        submissionKey: randomUUID(), recipientOrganisationId: providerId, purpose: 'support_referral', legalBasis: 'consent', givenHow: 'verbal',
      });
      const made = await createReferral(running.database.db, actor, caseId, {
        submissionKey: randomUUID(), serviceId, summary: 'She needs help to stay safe at home.', approvedHow: 'phone', action: 'send',
      });
      assert.equal(made.sent, true);
      const reference = referralReference(made.referralId);

      const victim = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      try {
        const page = victim.page;
        await signInWithCode(page, email, run.language, secrets);
        await go(page, '/my-case/my-data', run.language, secrets);
        await page.locator('main a[href^="/my-case/my-data/consents"]').first().click();
        await page.waitForLoadState();
        assert.equal(new URL(page.url()).pathname, '/my-case/my-data/consents');
        await checkPortalPage(page, run.language, secrets);
        const card = page.getByTestId('consent-in-force').filter({ hasText: PROVIDER });
        assert.equal(await card.count(), 1, 'her agreement to share with the provider is in force');
        await Promise.all([page.waitForNavigation(), card.locator('button').click()]);
        await page.waitForLoadState();
        assert.equal(here(page), '/my-case/my-data/consents?done=withdrawn');
        await checkPortalPage(page, run.language, secrets);
        assert.equal(await page.getByTestId('consents-none-in-force').count(), 1, 'nothing in force now');
        assert.equal(await page.getByTestId('consent-past').filter({ hasText: PROVIDER }).count(), 1);
        const stored = await running.database.db.selectFrom('consent').select(['withdrawn_at']).where('id', '=', consentId).executeTakeFirstOrThrow();
        assert.ok(stored.withdrawn_at, 'withdrawn in the ledger');
        await go(page, '/my-case/my-data/who-has-seen', run.language, secrets);

        // Her case shows the referral closed, and the closed referral is a moment she may give feedback on.
        await go(page, `/my-case/cases/${caseId}`, run.language, secrets);
        assert.match(await page.getByTestId('portal-referrals').innerText(), /Housing support/);
        await go(page, `/my-case/cases/${caseId}/feedback/referral_closed`, run.language, secrets);
        await go(page, `/my-case/cases/${caseId}/complaint`, run.language, secrets);
        await signOut(page, run.language, secrets);
      } finally {
        await victim.context.close();
      }

      const provider = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      try {
        const page = provider.page;
        await signInAs(page, caseworker);
        await visit(page, '/team-inbox');
        const banner = await page.getByTestId('closed-by-withdrawal').innerText();
        assert.match(banner, new RegExp(`${reference}, Housing support, closed `));
        const inbox = await textOf(page);
        for (const secret of secrets) assert.ok(!inbox.includes(secret), `the inbox does not show “${secret}”`);
        await visit(page, `/team-inbox/referrals/${made.referralId}`);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Referral ${reference} is closed`);
        const shown = await textOf(page);
        for (const secret of [...secrets, 'stay safe at home']) assert.ok(!shown.includes(secret), `the referral page does not show “${secret}”`);
      } finally {
        await provider.context.close();
      }
    });
  }
});

// ---- Journey 9 ----

describe('journey 9: a parent signs in to their own email and acts for a 14-year-old; a supporter only reads', () => {
  /** A date of birth that makes a child 14 today (14 years and about two months ago). */
  function fourteenYearsAgo(): string {
    const now = new Date();
    const born = new Date(Date.UTC(now.getUTCFullYear() - 14, now.getUTCMonth() - 2, 10));
    return born.toISOString().slice(0, 10);
  }

  async function linkAccount(personId: string, relation: 'parent_or_carer' | 'supporter', email: string, displayName: string): Promise<void> {
    const db = running.database.db;
    const account = await db.insertInto('portal_account').values({ person_id: null, area_id: coordinator.areaId, display_name: displayName, email }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('portal_link').values({ account_id: account.id, person_id: personId, relation, granted_by_user_id: coordinator.id }).execute();
  }

  for (const run of RUNS) {
    test(`${run.language === 'en' ? 'English, with JavaScript' : 'Welsh, without JavaScript'}`, async () => {
      const n = next();
      const givenName = `Ffion${String.fromCharCode(97 + n)}`;
      const familyName = `Price${String.fromCharCode(97 + n)}`;
      const crimeReference = `WY/${86000 + n}/26`;
      const parentEmail = `parent.${n}@example.com`;
      const supporterEmail = `supporter.${n}@example.com`;
      const secrets = [givenName, familyName, crimeReference, 'Mam', 'Aunt'];
      // Last week: she was 14 at the time of the offence.
      const lastWeek = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
      const caseId = await policeReferral({ givenName, familyName, dateOfBirth: fourteenYearsAgo(), channels: [] }, crimeReference, '8N', lastWeek);
      const personId = await personOf(caseId);
      // The app's own Code clock reads the new referral and decides her entitlements: under 18, so vulnerable.
      const decision = await until('the under-18 entitlement decision', () =>
        running.database.db.selectFrom('entitlement_decision').select(['category', 'rule']).where('case_id', '=', caseId).where('withdrawn_at', 'is', null).where('rule', '=', 'vulnerable.under_18').executeTakeFirst(),
      );
      assert.equal(decision.category, 'vulnerable');
      await linkAccount(personId, 'parent_or_carer', parentEmail, 'Mam Price');
      await linkAccount(personId, 'supporter', supporterEmail, 'Aunt Bethan');
      const message = run.language === 'en' ? 'Ffion is scared to walk to school. Can someone help?' : 'Mae ofn ar Ffion gerdded i’r ysgol. All rhywun helpu?';

      const parent = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      try {
        const page = parent.page;
        await signInWithCode(page, parentEmail, run.language, secrets);
        const link = page.locator(`main a[href="/my-case/cases/${caseId}"]`);
        assert.ok((await link.count()) >= 1, 'the child’s case is listed');
        await link.first().click();
        await page.waitForLoadState();
        assert.equal(here(page), `/my-case/cases/${caseId}`);
        await checkPortalPage(page, run.language, secrets);
        assert.equal(await page.getByTestId('portal-case-reach').count(), 1, 'the page says whose case it is');
        // A child is a victim with enhanced rights under the Code.
        assert.equal((await page.getByTestId('portal-enhanced').innerText()).trim(), translate(run.language, 'portalCase.rights.enhanced'));
        await go(page, `/my-case/cases/${caseId}/messages`, run.language, secrets);
        await go(page, `/my-case/cases/${caseId}/messages/hub`, run.language, secrets);
        await sendMessage(page, message, run.language, secrets);
        const stored = await running.database.db.selectFrom('case_message').select(['case_id', 'party']).where('body', '=', message).execute();
        assert.deepEqual(stored, [{ case_id: caseId, party: 'hub' }], 'the parent’s message is on the child’s case, to the hub');
        await go(page, '/my-case/preferences', run.language, secrets);
        await go(page, '/my-case/my-data', run.language, secrets);
        await signOut(page, run.language, secrets);
      } finally {
        await parent.context.close();
      }

      const supporter = await running.newPage({ javaScriptEnabled: run.javaScriptEnabled });
      try {
        const page = supporter.page;
        await signInWithCode(page, supporterEmail, run.language, secrets);
        await go(page, `/my-case/cases/${caseId}`, run.language, secrets);
        await go(page, `/my-case/cases/${caseId}/messages/hub`, run.language, secrets);
        assert.ok((await textOf(page)).includes(message), 'the supporter reads the parent’s message');
        assert.equal(await page.getByTestId('send-form').count(), 0, 'no send form for a supporter');
        assert.equal(await page.getByTestId('read-only').count(), 1);
        assert.equal(await page.locator('textarea[name="body"]').count(), 0);
        await go(page, '/my-case/preferences', run.language, secrets);
        assert.equal(await page.getByTestId('preferences-read-only').count(), 1);
        await signOut(page, run.language, secrets);
      } finally {
        await supporter.context.close();
      }
    });
  }
});
