// The frontends' stylesheets and scripts travel compressed, as the browser asks, with the same security headers as any
// response; pages never do (BREACH); fonts and images are still served; a repeat visit revalidates to a 304.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { govukFrontendDist, mojFrontendDir } from '../views/views.ts';
import { chooseEncoding } from './compressed-assets.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const govukCss = readFileSync(join(govukFrontendDist, 'govuk', 'govuk-frontend.min.css'));
const mojJs = readFileSync(join(mojFrontendDir, 'moj', 'moj-frontend.min.js'));

describe('static assets', () => {
  it('sends GOV.UK Frontend CSS brotli-compressed to a browser that accepts br, and the bytes decode to the file', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/govuk-frontend/govuk-frontend.min.css', headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-encoding'], 'br');
    assert.match(String(response.headers.vary), /Accept-Encoding/i);
    assert.match(String(response.headers['content-type']), /^text\/css/);
    assert.equal(response.headers['cache-control'], 'public, max-age=3600');
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/, 'assets keep the security headers');
    assert.ok(response.rawPayload.length < govukCss.length / 5, `${response.rawPayload.length} bytes sent for ${govukCss.length}`);
    assert.ok(brotliDecompressSync(response.rawPayload).equals(govukCss));
  });

  it('sends gzip when br is not accepted, and the file as it is when neither is', async () => {
    const gzip = await t.app.inject({ method: 'GET', url: '/moj-frontend/moj-frontend.min.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.match(String(gzip.headers['content-type']), /^text\/javascript/);
    assert.ok(gunzipSync(gzip.rawPayload).equals(mojJs));
    const plain = await t.app.inject({ method: 'GET', url: '/moj-frontend/moj-frontend.min.js' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /Accept-Encoding/i);
    assert.ok(plain.rawPayload.equals(mojJs));
    const refused = await t.app.inject({ method: 'GET', url: '/moj-frontend/moj-frontend.min.js', headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  it('answers a repeat request with the same ETag by 304, per encoding', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/public/haven.css', headers: { 'accept-encoding': 'br' } });
    assert.equal(first.statusCode, 200);
    const etag = String(first.headers.etag);
    const again = await t.app.inject({ method: 'GET', url: '/public/haven.css', headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    const otherEncoding = await t.app.inject({ method: 'GET', url: '/public/haven.css', headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
    assert.equal(otherEncoding.statusCode, 200, 'a br body’s ETag does not validate a gzip one');
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await t.app.inject({ method: 'HEAD', url: '/govuk-frontend/govuk-frontend.min.js', headers: { 'accept-encoding': 'br' } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-encoding'], 'br');
    assert.equal(response.rawPayload.length, 0);
  });

  it('still serves fonts and images, uncompressed, from both frontends’ asset folders', async () => {
    const font = await t.app.inject({ method: 'GET', url: '/assets/fonts/light-94a07e06a1-v2.woff2', headers: { 'accept-encoding': 'br' } });
    assert.equal(font.statusCode, 200);
    assert.equal(font.headers['content-encoding'], undefined);
    const image = await t.app.inject({ method: 'GET', url: '/assets/images/favicon.ico' });
    assert.equal(image.statusCode, 200);
  });

  it('never compresses a page, which carries the CSRF token (BREACH)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sign-in', headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/html/);
    assert.equal(response.headers['content-encoding'], undefined);
  });

  it('a path outside the frontends’ folders is not served', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/govuk-frontend/../../package.json' });
    assert.notEqual(response.statusCode, 200);
  });
});

describe('chooseEncoding', () => {
  it('prefers br, then gzip, honours q=0 and *', () => {
    assert.equal(chooseEncoding('gzip, deflate, br'), 'br');
    assert.equal(chooseEncoding('gzip'), 'gzip');
    assert.equal(chooseEncoding('br;q=0.5, gzip;q=1'), 'gzip');
    assert.equal(chooseEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('*, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('identity'), 'identity');
    assert.equal(chooseEncoding(undefined), 'identity');
  });
});
