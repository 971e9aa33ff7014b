// Bad input at the edge: every failure gets a clear page or problem+json with the right status and no leaked detail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { BODY_LIMIT_BYTES } from '../../app.ts';
import { createStaffUser, csrfFor, signIn } from '../../../test/support/staff.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp({}, (app) => {
    app.post('/api/v1/test-echo', () => ({ ok: true }));
    app.post('/test-echo-form', () => 'received');
    app.get('/test-form', (_request, reply) =>
      reply.type('text/html').send(`<input type="hidden" name="_csrf" value="${String(reply.locals.csrfToken)}">`),
    );
    app.get('/test-broken', () => {
      throw new Error('secret internal detail at /srv/haven/thing.ts:12');
    });
    app.get('/test-database-down', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
  });
});
after(() => t.close());

const noStackTrace = (body: string) => {
  assert.doesNotMatch(body, /at \w+ \(|node_modules|\.ts:\d+/);
};

describe('error pages and problem+json', () => {
  it('answers an unknown page with a GOV.UK 404 page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/no-such-page' });
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /text\/html/);
    assert.match(response.body, /<title>Page not found – Haven<\/title>/);
    assert.match(response.body, /govuk-heading-l">Page not found/);
  });

  it('answers an unknown API path with problem+json', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
    const problem = response.json<{ status: number; title: string; instance: string }>();
    assert.equal(problem.status, 404);
    assert.equal(problem.title, 'Not found');
    assert.ok(problem.instance);
  });

  it('answers a wrong method with 405 and the allowed methods', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/cookies' });
    assert.equal(response.statusCode, 405);
    assert.match(String(response.headers.allow), /GET/);
    assert.match(response.body, /This page cannot be used that way/);
  });

  it('refuses an oversized form with 413 before reading it all', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/cookies',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `field=${'a'.repeat(BODY_LIMIT_BYTES + 10)}`,
    });
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /What you sent is too large/);
  });

  it('refuses malformed JSON on the API with a 400 problem', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"broken": ',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
    noStackTrace(response.body);
  });

  it('refuses a body type Haven does not read with 415', async () => {
    t.app.log.level = 'silent';
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      headers: { 'content-type': 'application/x-made-up' },
      payload: 'x',
    });
    assert.equal(response.statusCode, 415);
    noStackTrace(response.body);
  });

  it('shows a 500 page with a reference and no detail when something breaks', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/test-broken' });
    assert.equal(response.statusCode, 500);
    assert.match(response.body, /Sorry, there is a problem with the service/);
    assert.match(response.body, /haven-reference">[0-9a-f-]{36}</, 'the page gives the request id as a reference');
    assert.doesNotMatch(response.body, /secret internal detail/);
    noStackTrace(response.body);
  });

  it('shows "service unavailable" with 503 when the database cannot be reached', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/test-database-down' });
    assert.equal(page.statusCode, 503);
    assert.match(page.body, /Sorry, the service is unavailable/);
    assert.doesNotMatch(page.body, /ECONNREFUSED|5432/);
    const api = await t.app.inject({ method: 'GET', url: '/test-database-down', headers: { accept: 'application/json' } });
    assert.equal(api.statusCode, 503);
    assert.equal(api.json<{ title: string }>().title, 'Service unavailable');
  });

  it('refuses a form post without a CSRF token, and with a forged one', async () => {
    const missing = await t.app.inject({
      method: 'POST',
      url: '/test-echo-form',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /Your form could not be sent/);
    const page = await t.app.inject({ method: 'GET', url: '/cookies' });
    const secret = page.cookies.find((each) => each.name === 'haven_csrf');
    assert.ok(secret, 'a CSRF secret cookie is set');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/test-echo-form',
      cookies: { haven_csrf: secret.value },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=forged-token&name=x',
    });
    assert.equal(forged.statusCode, 403);
  });

  it('accepts a form post with the token from the page it came from', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/test-form' });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(token);
    const secret = page.cookies.find((each) => each.name === 'haven_csrf');
    assert.ok(secret);
    const response = await t.app.inject({
      method: 'POST',
      url: '/test-echo-form',
      cookies: { haven_csrf: secret.value },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}&name=x`,
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, 'received');
  });
});

describe('security headers', () => {
  it('sets a CSP with a script nonce and no unsafe-inline', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/cookies' });
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce);
    assert.ok(response.body.includes(`<script nonce="${nonce}">`), 'the inline script carries the nonce');
    assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
  });
});

describe('language', () => {
  it('switches to Welsh with ?lang=cy and remembers it', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/cookies?lang=cy' });
    assert.match(first.body, /<html lang="cy"/);
    assert.match(first.body, /<title>Cwcis – Haven<\/title>/);
    const cookie = first.cookies.find((each) => each.name === 'haven_lang');
    assert.equal(cookie?.value, 'cy');
    const second = await t.app.inject({ method: 'GET', url: '/no-such-page', cookies: { haven_lang: 'cy' } });
    assert.match(second.body, /Heb ddod o hyd i’r dudalen/);
  });
});

describe('bad input on real pages', () => {
  it('treats a form with repeated or missing fields as a form error, not a crash', async () => {
    const { cookie, csrfToken } = await csrfFor(t.app, '', '/sign-in');
    const response = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrfToken)}&email=a%40example.com&email=b%40example.com&password=x&password=y`,
    });
    assert.ok([400, 422].includes(response.statusCode), `status ${response.statusCode}`);
    assert.match(response.body, /govuk-error-summary/);
    noStackTrace(response.body);
  });
});

describe('a database that has stopped', () => {
  it('gives the service-unavailable page and a 503 health check, with no detail', async () => {
    const stopped = await createTestApp();
    try {
      const user = await createStaffUser(stopped.database.db, { role: 'coordinator' });
      const cookie = await signIn(stopped.app, user);
      await stopped.database.close();
      const page = await stopped.app.inject({ method: 'GET', url: '/', headers: { cookie } });
      assert.equal(page.statusCode, 503);
      assert.match(page.body, /Sorry, the service is unavailable/);
      noStackTrace(page.body);
      const health = await stopped.app.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 503);
    } finally {
      await stopped.close().catch(() => undefined);
    }
  });
});
