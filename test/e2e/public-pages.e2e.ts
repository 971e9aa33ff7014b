// Public pages in a real browser: every one passes axe with no console errors, in English and Welsh, and victim-facing
// pages carry the Exit this page component.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectAccessible, useAppAndBrowser } from '../support/browser.ts';

const running = useAppAndBrowser();

describe('public pages', () => {
  for (const path of ['/cookies', '/accessibility', '/accessibility?lang=cy', '/cookies?lang=cy']) {
    test(`${path} passes axe and has no console errors`, async () => {
      const { context, page } = await running.newPage();
      try {
        const response = await page.goto(path);
        assert.equal(response?.status(), 200);
        await expectAccessible(page);
        // Victims reach these from the footer of every victim page, so the way out must be here too.
        assert.equal(await page.locator('.govuk-exit-this-page').count(), 1, 'Exit this page is missing');
        if (path.includes('lang=cy')) assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
      } finally {
        await context.close();
      }
    });
  }

  test('a page that does not exist shows an accessible 404 page', async () => {
    const { context, page } = await running.newPage();
    try {
      const response = await page.goto('/no-such-page');
      assert.equal(response?.status(), 404);
      assert.match(await page.locator('h1').innerText(), /not found|could not be found/i);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  // The victim-facing side is /help, /self-referral, /my-case and /cymraeg; until its pages land, its error pages are
  // what a victim can reach there, and they must offer the way out too.
  for (const path of ['/help/no-such-page', '/self-referral/no-such-page', '/my-case/no-such-page?lang=cy']) {
    test(`victim-facing ${path} carries Exit this page, leaving for another site`, async () => {
      const { context, page } = await running.newPage();
      try {
        await page.goto(path);
        const exit = page.locator('.govuk-exit-this-page');
        assert.equal(await exit.count(), 1, 'Exit this page is missing');
        const button = exit.locator('a.govuk-exit-this-page__button');
        assert.match(await button.innerText(), path.includes('lang=cy') ? /Gadael y dudalen hon/ : /Exit this page/);
        const href = await button.getAttribute('href');
        assert.ok(href && /^https:\/\//.test(href), `Exit this page should leave for another site, not ${String(href)}`);
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    });
  }

  test('the API reference at /api/docs passes axe', async () => {
    const { context, page } = await running.newPage();
    try {
      const response = await page.goto('/api/docs');
      assert.equal(response?.status(), 200);
      assert.match(await page.locator('h1').innerText(), /API reference/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  test('public pages work without JavaScript', async () => {
    const { context, page } = await running.newPage({ javaScriptEnabled: false });
    try {
      await page.goto('/cookies');
      await page.getByRole('link', { name: 'Cymraeg' }).click();
      assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
