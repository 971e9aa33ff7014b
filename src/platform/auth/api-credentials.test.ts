// Reading the Basic header, checking scopes and secrets, and counting failures, without a database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FailedAttempts,
  basicAuthorization,
  hashClientSecret,
  knownScopes,
  missingScopes,
  newClientId,
  newClientSecret,
  parseBasicAuthorization,
  secretMatches,
} from './api-credentials.ts';

const encode = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('parseBasicAuthorization', () => {
  test('reads the client id and secret, splitting at the first colon', () => {
    assert.deepEqual(parseBasicAuthorization(encode('hvn_abc:s3cret:with:colons')), { clientId: 'hvn_abc', secret: 's3cret:with:colons' });
    assert.deepEqual(parseBasicAuthorization(basicAuthorization('hvn_x', 'y')), { clientId: 'hvn_x', secret: 'y' });
  });

  test('accepts the scheme in any case', () => {
    assert.deepEqual(parseBasicAuthorization(`bAsIc ${Buffer.from('hvn_a:b').toString('base64')}`), { clientId: 'hvn_a', secret: 'b' });
  });

  test('refuses anything else', () => {
    for (const header of [
      undefined,
      '',
      'Bearer abc',
      'Basic',
      'Basic !!!',
      encode('no-colon'),
      encode(':secret'),
      encode('hvn_abc:'),
      encode('someone:secret'),
      encode(`hvn_abc:${'x'.repeat(300)}`),
    ]) {
      assert.equal(parseBasicAuthorization(header), null, String(header));
    }
  });
});

describe('scopes', () => {
  test('lists the scopes an operation needs that the client lacks', () => {
    assert.deepEqual(missingScopes(['referrals:read'], ['referrals:write']), ['referrals:write']);
    assert.deepEqual(missingScopes(['referrals:read', 'referrals:write'], ['referrals:write']), []);
    assert.deepEqual(missingScopes([], []), []);
  });

  test('a stored scope no longer known grants nothing', () => {
    assert.deepEqual(knownScopes(['referrals:read', 'everything']), ['referrals:read']);
  });
});

describe('secrets', () => {
  test('new credentials are random and well formed', () => {
    const id = newClientId();
    assert.match(id, /^hvn_[0-9a-f]{24}$/);
    assert.notEqual(id, newClientId());
    const secret = newClientSecret();
    assert.equal(Buffer.from(secret, 'base64url').length, 32);
    assert.deepEqual(parseBasicAuthorization(basicAuthorization(id, secret)), { clientId: id, secret });
  });

  test('only the right secret matches its hash', () => {
    const hash = hashClientSecret('right');
    assert.equal(secretMatches('right', hash), true);
    assert.equal(secretMatches('wrong', hash), false);
    assert.equal(secretMatches('right', 'not-hex'), false);
  });
});

describe('FailedAttempts', () => {
  test('refuses an address at the limit until its oldest failure leaves the window', () => {
    const failures = new FailedAttempts({ limit: 3, windowMs: 60_000 });
    failures.record('10.0.0.1', 0);
    failures.record('10.0.0.1', 10_000);
    assert.equal(failures.retryAfterSeconds('10.0.0.1', 20_000), 0);
    failures.record('10.0.0.1', 20_000);
    assert.equal(failures.retryAfterSeconds('10.0.0.1', 20_000), 40);
    assert.equal(failures.retryAfterSeconds('10.0.0.2', 20_000), 0);
    assert.equal(failures.retryAfterSeconds('10.0.0.1', 60_000), 0);
  });
});
