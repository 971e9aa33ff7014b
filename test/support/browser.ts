// Browser journeys: the real app on a fresh in-memory PGlite database, served on a free local port, driven by Debian's
// Chromium through playwright-core. expectAccessible() fails a journey on any axe WCAG 2.2 AA violation or console error.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { migrations } from '../../src/migrations/index.ts';
import { totpCode, type TestStaffUser } from './staff.ts';

export const CHROMIUM_PATH = process.env.HAVEN_CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type RunningApp = { app: FastifyInstance; database: Database; baseUrl: string; close(): Promise<void> };

/** The whole app over its own in-memory PGlite database (whatever the environment says), listening on 127.0.0.1. */
export async function startApp(): Promise<RunningApp> {
  const database = await openDatabase({ memory: true });
  await migrateToLatest(database.db, migrations);
  const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    database,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** The app and Chromium for one e2e file, from useAppAndBrowser(). */
export type AppAndBrowser = {
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly baseUrl: string;
  readonly browser: Browser;
  /** newPage() on this browser and app: a fresh browser profile and a page in it. */
  newPage(options?: { javaScriptEnabled?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
};

/**
 * The set-up every journey file shares: registers node:test hooks that start the app (startApp) and launch Chromium
 * before the file's tests, and close both after them. Call it once at the top level of the file; its properties can be
 * read in tests and in a describe()'s hooks (reading one before the app has started throws). Data the whole file needs
 * goes in `seed`, which runs once the app has started: node:test runs each top-level before() as soon as it is
 * registered, without waiting for the one before it, so a file's own top-level before() would race the start-up.
 */
export function useAppAndBrowser(options: { seed?: (running: AppAndBrowser) => Promise<void> } = {}): AppAndBrowser {
  let running: RunningApp | undefined;
  let browser: Browser | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useAppAndBrowser(): the app and browser are not started yet; read them in a test, a describe() hook or seed');
    return value;
  };
  const appAndBrowser: AppAndBrowser = {
    get app() {
      return started(running).app;
    },
    get database() {
      return started(running).database;
    },
    get baseUrl() {
      return started(running).baseUrl;
    },
    get browser() {
      return started(browser);
    },
    newPage(pageOptions = {}) {
      return newPage(started(browser), started(running).baseUrl, pageOptions);
    },
  };
  before(async () => {
    running = await startApp();
    browser = await launchBrowser();
    await options.seed?.(appAndBrowser);
  });
  after(async () => {
    try {
      await browser?.close();
    } finally {
      await running?.close();
    }
  });
  return appAndBrowser;
}

// What each page has logged as an error since its last check.
const consoleErrors = new WeakMap<Page, string[]>();
// Pages whose context runs no JavaScript: axe cannot run in them (its asynchronous run never finishes there).
const withoutJavaScript = new WeakSet<Page>();

/** A fresh browser profile (no cookies) and a page in it, with console errors recorded for expectAccessible(). */
export async function newPage(
  browser: Browser,
  baseUrl: string,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const javaScriptEnabled = options.javaScriptEnabled ?? true;
  const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled });
  const page = await context.newPage();
  if (!javaScriptEnabled) withoutJavaScript.add(page);
  const errors: string[] = [];
  consoleErrors.set(page, errors);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs an error status of the page itself (a 404 page, a 401) as a failed load: that is the page under
    // test answering as it should, not a broken script or asset.
    if (message.text().startsWith('Failed to load resource') && message.location().url === page.url()) return;
    errors.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught error on ${page.url()}: ${error.message}`));
  return { context, page };
}

function describeViolations(violations: AxeResults['violations']): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `      ${node.target.join(' ')}\n        ${node.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`);
      return `  [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/**
 * axe for a page seen without JavaScript: the same HTML, with its scripts removed so the DOM stays as a browser without
 * JavaScript has it, served at the same address (so styles load) in a scratch context where axe itself can run.
 */
async function analyseWithoutJavaScript(page: Page): Promise<AxeResults> {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const url = page.url();
  const browser = page.context().browser();
  if (!browser) throw new Error('The page has no browser to run axe in.');
  const scratch = await browser.newContext();
  try {
    const copy = await scratch.newPage();
    await copy.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(url);
    return await new AxeBuilder({ page: copy }).withTags(AXE_TAGS).analyze();
  } finally {
    await scratch.close();
  }
}

/** Runs axe with the WCAG 2.2 AA rules and fails on any violation, or on any console error since the last check. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = withoutJavaScript.has(page)
    ? await analyseWithoutJavaScript(page)
    : await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const errors = consoleErrors.get(page) ?? [];
  const found = [...errors];
  errors.length = 0;
  if (results.violations.length) {
    const report = `Accessibility violations on ${page.url()}:\n${describeViolations(results.violations)}`;
    console.error(report);
    assert.fail(report);
  }
  if (found.length) {
    console.error(found.join('\n'));
    assert.fail(`Browser console errors:\n${found.join('\n')}`);
  }
}

/** Navigates and checks the page: the usual step of a journey. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expectAccessible(page);
}

/** Path and query of the page the browser is on. */
export function here(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Opens the sign-in page (checking it) and submits an email and password. */
export async function enterPassword(page: Page, email: string, password: string): Promise<void> {
  await visit(page, '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForLoadState();
}

/** Submits a 6-digit code on the second-factor or authenticator set-up page. */
export async function enterSecurityCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Security code').fill(code);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForLoadState();
}

/** The authenticator key as the set-up page offers it for typing into an app by hand, without its spaces. */
export async function typedAuthenticatorKey(page: Page): Promise<string> {
  const typed = await page.getByText(/^([A-Z2-7]{4} ?)+$/).first().innerText();
  return typed.replace(/\s/g, '');
}

/**
 * Signs a staff user with an authenticator in through the real pages and checks they land on the home page. The
 * service refuses a TOTP step already used (replay protection), and a journey may sign the same user in twice within
 * one 30-second step, so the last accepted step is cleared first, as signIn() in staff.ts does.
 */
export async function signInAs(page: Page, user: TestStaffUser, options: { checkEachPage?: boolean } = {}): Promise<void> {
  if (!user.totpSecret) throw new Error('signInAs() needs a user with an authenticator');
  await user.db.updateTable('staff_user').set({ totp_last_step: null }).where('id', '=', user.id).execute();
  await enterPassword(page, user.email, user.password);
  assert.equal(here(page), '/sign-in/second-factor');
  if (options.checkEachPage) await expectAccessible(page);
  await enterSecurityCode(page, totpCode(user.totpSecret));
  assert.equal(here(page), '/');
  if (options.checkEachPage) await expectAccessible(page);
}
