import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as OTPAuth from 'otpauth';
import { formatSecretForTyping, generateTotpSecret, totpUri, verifyTotp } from './totp.ts';

const secret = generateTotpSecret();
const now = new Date('2026-03-02T12:00:10Z');
const step = Math.floor(now.getTime() / 30_000);
const codeAt = (offsetSteps: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: now.getTime() + offsetSteps * 30_000,
  });

test('a secret is 160 bits in base32', () => {
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal(formatSecretForTyping('ABCDEFGH'), 'ABCD EFGH');
});

test('the current code is accepted and its step returned', () => {
  assert.equal(verifyTotp(secret, codeAt(0), null, now), step);
  assert.equal(verifyTotp(secret, ` ${codeAt(0).slice(0, 3)} ${codeAt(0).slice(3)} `, null, now), step);
});

test('one step either side is accepted, two are not', () => {
  assert.equal(verifyTotp(secret, codeAt(-1), null, now), step - 1);
  assert.equal(verifyTotp(secret, codeAt(1), null, now), step + 1);
  assert.equal(verifyTotp(secret, codeAt(-2), null, now), null);
  assert.equal(verifyTotp(secret, codeAt(2), null, now), null);
});

test('a step at or before the last accepted one is refused', () => {
  assert.equal(verifyTotp(secret, codeAt(0), step, now), null);
  assert.equal(verifyTotp(secret, codeAt(-1), step - 1, now), null);
  assert.equal(verifyTotp(secret, codeAt(1), step, now), step + 1);
});

test('anything but six digits is refused', () => {
  assert.equal(verifyTotp(secret, '', null, now), null);
  assert.equal(verifyTotp(secret, 'abcdef', null, now), null);
  assert.equal(verifyTotp(secret, `${codeAt(0)}1`, null, now), null);
});

test('the URI names the issuer, SHA1, 6 digits and 30 seconds', () => {
  const uri = totpUri(secret, 'sam@example.gov.uk');
  assert.match(uri, /^otpauth:\/\/totp\/Haven:/);
  assert.match(uri, /algorithm=SHA1/);
  assert.match(uri, /digits=6/);
  assert.match(uri, /period=30/);
});
