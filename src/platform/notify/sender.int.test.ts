// The Notify sender against the fake Notify server on loopback: what it reports for each of Notify's answers, that a
// lost answer can be recovered by reference, and that no reason it gives carries the recipient.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startFakeNotify, type FakeNotify } from '../../../test/support/fake-notify.ts';
import { createNotifyClientSender, NotifyUnavailable, type NotifyMessage, type NotifySender } from './sender.ts';

const TEMPLATE = '5f2b1a3c-7d4e-4f60-9a8b-1c2d3e4f5a6b';

let fake: FakeNotify;
let sender: NotifySender;
before(async () => {
  fake = await startFakeNotify();
  sender = createNotifyClientSender({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, timeoutMs: 2000 });
});
after(() => fake?.close());

const email = (overrides: Partial<NotifyMessage> = {}): NotifyMessage => ({
  channel: 'email',
  recipient: 'alex.victim@example.com',
  templateId: TEMPLATE,
  personalisation: { link: 'https://haven.example/updates' },
  reference: randomUUID(),
  ...overrides,
});

async function unavailable(promise: Promise<unknown>): Promise<NotifyUnavailable> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof NotifyUnavailable, `expected NotifyUnavailable, got ${String(error)}`);
    return error;
  }
  assert.fail('expected NotifyUnavailable, but the send was accepted');
}

describe('the GOV.UK Notify sender', () => {
  test('an accepted email returns Notify’s id, and Notify holds it under our reference', async () => {
    const message = email();
    const result = await sender.send(message);
    assert.equal(result.kind, 'accepted');
    const received = fake.sent.find((sent) => sent.reference === message.reference);
    assert.ok(received, 'the fake received the email');
    assert.equal(result.kind === 'accepted' && result.notifyId, received.id);
    assert.deepEqual(
      { channel: received.channel, recipient: received.recipient, templateId: received.templateId, personalisation: received.personalisation },
      { channel: 'email', recipient: message.recipient, templateId: TEMPLATE, personalisation: message.personalisation },
    );
  });

  test('an accepted text message goes to the SMS endpoint', async () => {
    const message = email({ channel: 'sms', recipient: '07700900123' });
    const result = await sender.send(message);
    assert.equal(result.kind, 'accepted');
    assert.equal(fake.sent.find((sent) => sent.reference === message.reference)?.channel, 'sms');
  });

  test('400 for an invalid number is rejected for good, and the reason does not carry the number', async () => {
    const message = email({ channel: 'sms', recipient: '0123 not a mobile' });
    const result = await sender.send(message);
    assert.equal(result.kind, 'rejected');
    assert.equal(result.kind === 'rejected' && result.status, 400);
    assert.match(result.kind === 'rejected' ? result.reason : '', /ValidationError: phone_number Not a UK mobile number/);
    assert.ok(!JSON.stringify(result).includes('0123 not a mobile'));
    assert.equal(fake.sent.some((sent) => sent.reference === message.reference), false);
  });

  test('400 from Notify for any other reason is rejected too', async () => {
    fake.failNext(1, 400);
    const result = await sender.send(email());
    assert.deepEqual(result, { kind: 'rejected', status: 400, reason: "BadRequestError: Can't send to this recipient using a team-only API key" });
  });

  test('403 for a key Notify does not know is rejected, not retried', async () => {
    const wrongSecret = `${fake.apiKey.slice(0, -36)}${randomUUID()}`;
    const badSender = createNotifyClientSender({ apiKey: wrongSecret, baseUrl: fake.baseUrl });
    const result = await badSender.send(email());
    assert.equal(result.kind, 'rejected');
    assert.equal(result.kind === 'rejected' && result.status, 403);
    assert.match(result.kind === 'rejected' ? result.reason : '', /AuthError/);
    fake.failNext(1, 403);
    assert.equal((await sender.send(email())).kind, 'rejected');
  });

  test('500 means Notify is unavailable: retry', async () => {
    fake.failNext(1, 500);
    const message = email();
    const error = await unavailable(sender.send(message));
    assert.equal(error.status, 500);
    assert.ok(!error.message.includes(message.recipient));
    assert.equal(fake.sent.some((sent) => sent.reference === message.reference), false);
  });

  test('429 means Notify is unavailable: retry', async () => {
    fake.failNext(1, 429);
    const error = await unavailable(sender.send(email()));
    assert.equal(error.status, 429);
    assert.match(error.message, /RateLimitError/);
  });

  test('going over the real rate limit is reported as 429 unavailable', async () => {
    const limited = await startFakeNotify({ ratePerMinute: 2 });
    try {
      const limitedSender = createNotifyClientSender({ apiKey: limited.apiKey, baseUrl: limited.baseUrl });
      assert.equal((await limitedSender.send(email())).kind, 'accepted');
      assert.equal((await limitedSender.send(email())).kind, 'accepted');
      assert.equal((await unavailable(limitedSender.send(email()))).status, 429);
      assert.equal(limited.rejectedForRate, 1);
    } finally {
      await limited.close();
    }
  });

  test('a timeout means unavailable, and the message Notify did take is then found by its reference', async () => {
    const quick = createNotifyClientSender({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, timeoutMs: 200 });
    fake.delayNext(1, 3000);
    const message = email();
    const started = performance.now();
    const error = await unavailable(quick.send(message));
    assert.ok(performance.now() - started < 2000, 'gave up at the time limit');
    assert.equal(error.status, undefined);
    const found = await quick.findByReference(message.reference);
    assert.equal(found?.notifyId, fake.sent.find((sent) => sent.reference === message.reference)?.id);
    assert.equal(found?.status, 'created');
  });

  test('no server listening means unavailable', async () => {
    const gone = await startFakeNotify();
    const { apiKey, baseUrl } = gone;
    await gone.close();
    await unavailable(createNotifyClientSender({ apiKey, baseUrl }).send(email()));
  });

  test('findByReference finds only the notification with exactly that reference', async () => {
    const message = email();
    const result = await sender.send(message);
    assert.equal(result.kind, 'accepted');
    assert.deepEqual(await sender.findByReference(message.reference), {
      notifyId: result.kind === 'accepted' ? result.notifyId : '',
      status: 'created',
    });
    assert.equal(await sender.findByReference(randomUUID()), undefined);
  });
});
