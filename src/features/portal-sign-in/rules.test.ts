import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CODE_ATTEMPT_LIMIT,
  channelAllowed,
  codeMatches,
  codeUnusable,
  hashCode,
  isWellFormedCode,
  newCode,
  normaliseCode,
  normaliseCrimeReference,
  parseAddress,
} from './rules.ts';

describe('portal sign-in rules', () => {
  it('reads an email or a mobile number as person records hold them, and nothing else', () => {
    assert.deepEqual(parseAddress('  Sam@Example.ORG '), { kind: 'email', value: 'sam@example.org' });
    assert.deepEqual(parseAddress('07700 900 982'), { kind: 'phone', value: '+447700900982' });
    assert.equal(parseAddress('not an address'), null);
    assert.equal(parseAddress(''), null);
    assert.equal(parseAddress(undefined), null);
  });

  it('makes 6-digit codes and matches only the right one', () => {
    for (let i = 0; i < 50; i += 1) assert.ok(isWellFormedCode(newCode()));
    const stored = hashCode('row-1', '123456');
    assert.ok(codeMatches('row-1', stored, '123456'));
    assert.ok(!codeMatches('row-1', stored, '123457'));
    assert.ok(!codeMatches('row-2', stored, '123456'), 'the hash is salted with the row');
    assert.ok(!codeMatches('row-1', null, '123456'));
    assert.equal(normaliseCode(' 123 456\n'), '123456');
    assert.ok(!isWellFormedCode('12345'));
    assert.ok(!isWellFormedCode('12345a'));
  });

  it('refuses a code that is used, expired or has had its tries', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const live = { usedAt: null, expiresAt: new Date('2026-11-22T10:05:00Z'), failedAttempts: 0 };
    assert.equal(codeUnusable(live, now), null);
    assert.equal(codeUnusable({ ...live, usedAt: now }, now), 'used');
    assert.equal(codeUnusable({ ...live, expiresAt: now }, now), 'expired');
    assert.equal(codeUnusable({ ...live, failedAttempts: CODE_ATTEMPT_LIMIT }, now), 'spent');
    assert.equal(codeUnusable({ ...live, failedAttempts: CODE_ATTEMPT_LIMIT - 1 }, now), null);
  });

  it('sends a code only on a channel the victim marked safe', () => {
    const email = { kind: 'email', value: 'a@example.org' } as const;
    const phone = { kind: 'phone', value: '+447700900982' } as const;
    const noTexts = { channels: ['email', 'phone'], doNotContact: false };
    assert.ok(channelAllowed(email, noTexts));
    assert.ok(!channelAllowed(phone, noTexts), 'texts are not safe, so no code goes by text');
    assert.ok(channelAllowed(phone, { channels: ['sms'] }));
    assert.ok(!channelAllowed(email, { channels: ['email'], doNotContact: true }));
    assert.ok(channelAllowed(phone, null), 'a parent or supporter has no profile');
  });

  it('compares crime references without case or separators', () => {
    assert.equal(normaliseCrimeReference(' ab/12345/26 '), 'AB1234526');
    assert.equal(normaliseCrimeReference(undefined), '');
  });
});
