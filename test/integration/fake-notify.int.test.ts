// The fake Notify server itself, spoken to with plain HTTP and hand-made tokens: it must refuse what Notify refuses
// (bad tokens, bad bodies, too many requests), or the tests that lean on it prove nothing. It needs no database; it
// lives with the integration tests because that is where test/ files run.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startFakeNotify, type FakeNotify } from '../support/fake-notify.ts';

const TEMPLATE = randomUUID();

function token(apiKey: string, claims: { iss?: string; iat?: number } = {}, alg = 'HS256'): string {
  const serviceId = apiKey.slice(-73, -37);
  const secret = apiKey.slice(-36);
  const head = Buffer.from(JSON.stringify({ typ: 'JWT', alg })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ iss: serviceId, iat: Math.round(Date.now() / 1000), ...claims })).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

async function call(fake: FakeNotify, method: string, path: string, options: { bearer?: string; body?: unknown } = {}) {
  const bearer = options.bearer ?? token(fake.apiKey);
  const response = await fetch(`${fake.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const emailBody = (reference: string = randomUUID()) => ({ template_id: TEMPLATE, email_address: 'sam@example.com', personalisation: { link: 'x' }, reference });
const firstError = (body: Record<string, unknown>) => (body.errors as { error: string; message: string }[])[0];

let fake: FakeNotify;
before(async () => {
  fake = await startFakeNotify();
});
after(() => fake?.close());

describe('the fake Notify server', () => {
  test('accepts a well-signed email and answers with Notify’s shape', async () => {
    const sent = await call(fake, 'POST', '/v2/notifications/email', { body: emailBody('ref-1') });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.reference, 'ref-1');
    assert.equal(typeof sent.body.id, 'string');
    assert.deepEqual(Object.keys(sent.body).sort(), ['content', 'id', 'reference', 'template', 'uri']);
    assert.equal(fake.sent.at(-1)?.reference, 'ref-1');
  });

  test('refuses a missing token (401), a wrong secret, an unknown service, a stale clock and another algorithm (403)', async () => {
    assert.equal((await call(fake, 'POST', '/v2/notifications/email', { bearer: '', body: emailBody() })).status, 401);
    const otherSecret = `${fake.apiKey.slice(0, -36)}${randomUUID()}`;
    const refusals = [
      token(otherSecret),
      token(fake.apiKey, { iss: randomUUID() }),
      token(fake.apiKey, { iat: Math.round(Date.now() / 1000) - 31 }),
      token(fake.apiKey, {}, 'HS512'),
      'not-a-token',
    ];
    const before = fake.sent.length;
    for (const bearer of refusals) {
      const answer = await call(fake, 'POST', '/v2/notifications/email', { bearer, body: emailBody() });
      assert.equal(answer.status, 403, bearer);
      assert.equal(firstError(answer.body)?.error, 'AuthError');
    }
    assert.equal((await call(fake, 'GET', '/v2/notifications', { bearer: token(otherSecret) })).status, 403);
    assert.equal(fake.sent.length, before, 'nothing refused was recorded');
  });

  test('validates the body as Notify does', async () => {
    const noTemplate = await call(fake, 'POST', '/v2/notifications/email', { body: { email_address: 'sam@example.com' } });
    assert.equal(noTemplate.status, 400);
    assert.equal(firstError(noTemplate.body)?.error, 'ValidationError');
    const badNumber = await call(fake, 'POST', '/v2/notifications/sms', { body: { template_id: TEMPLATE, phone_number: '12345' } });
    assert.equal(badNumber.status, 400);
    const badPersonalisation = await call(fake, 'POST', '/v2/notifications/email', { body: { ...emailBody(), personalisation: 'x' } });
    assert.equal(badPersonalisation.status, 400);
  });

  test('lists by reference, type and status, and fetches one by id', async () => {
    const sms = await call(fake, 'POST', '/v2/notifications/sms', { body: { template_id: TEMPLATE, phone_number: '07700 900456', reference: 'ref-sms' } });
    assert.equal(sms.status, 201);
    const byReference = await call(fake, 'GET', '/v2/notifications?reference=ref-sms');
    assert.deepEqual((byReference.body.notifications as { id: string }[]).map((n) => n.id), [sms.body.id]);
    const wrongType = await call(fake, 'GET', '/v2/notifications?reference=ref-sms&template_type=email');
    assert.deepEqual(wrongType.body.notifications, []);
    const wrongStatus = await call(fake, 'GET', '/v2/notifications?reference=ref-sms&status=delivered');
    assert.deepEqual(wrongStatus.body.notifications, []);
    const one = await call(fake, 'GET', `/v2/notifications/${String(sms.body.id)}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.type, 'sms');
    assert.equal((await call(fake, 'GET', `/v2/notifications/${randomUUID()}`)).status, 404);
  });

  test('fails and delays the next sends when told to', async () => {
    fake.failNext(1, 500);
    fake.failNext(1, 429);
    assert.equal((await call(fake, 'POST', '/v2/notifications/email', { body: emailBody() })).status, 500);
    assert.equal((await call(fake, 'POST', '/v2/notifications/email', { body: emailBody() })).status, 429);
    assert.equal((await call(fake, 'POST', '/v2/notifications/email', { body: emailBody() })).status, 201);
    fake.delayNext(1, 300);
    const started = performance.now();
    assert.equal((await call(fake, 'POST', '/v2/notifications/email', { body: emailBody() })).status, 201);
    assert.ok(performance.now() - started >= 290);
  });

  test('posts a delivery receipt with the bearer token to a callback', async () => {
    const received: { authorization?: string; body: Record<string, unknown> }[] = [];
    const callback = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        received.push({ authorization: request.headers.authorization, body: JSON.parse(text) as Record<string, unknown> });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    try {
      const sent = await call(fake, 'POST', '/v2/notifications/email', { body: emailBody('ref-cb') });
      const url = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/notify/callback`;
      assert.equal(await fake.sendCallback(String(sent.body.id), 'delivered', url, 'callback-secret'), 204);
      assert.equal(received[0]?.authorization, 'Bearer callback-secret');
      assert.deepEqual(
        { id: received[0]?.body.id, reference: received[0]?.body.reference, status: received[0]?.body.status, type: received[0]?.body.notification_type },
        { id: sent.body.id, reference: 'ref-cb', status: 'delivered', type: 'email' },
      );
      const listed = await call(fake, 'GET', '/v2/notifications?reference=ref-cb&status=delivered');
      assert.equal((listed.body.notifications as unknown[]).length, 1);
    } finally {
      await new Promise((resolve) => callback.close(resolve));
    }
  });

  test('enforces the rate per key over a rolling minute with Notify’s 429 body', async () => {
    const limited = await startFakeNotify({ ratePerMinute: 5 });
    try {
      const answers = [];
      for (let index = 0; index < 8; index += 1) answers.push(await call(limited, 'POST', '/v2/notifications/email', { body: emailBody() }));
      assert.deepEqual(answers.map((answer) => answer.status), [201, 201, 201, 201, 201, 429, 429, 429]);
      assert.deepEqual(answers[5]?.body, {
        status_code: 429,
        errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit for key type LIVE of 5 requests per 60 seconds' }],
      });
      assert.equal(limited.rejectedForRate, 3);
      assert.equal(limited.sent.length, 5);
      assert.equal(limited.maxInAnyMinute(), 5);
      // Lookups are not sends: they stay open while sending is limited.
      assert.equal((await call(limited, 'GET', '/v2/notifications')).status, 200);
    } finally {
      await limited.close();
    }
  });
});
