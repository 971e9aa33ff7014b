import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MESSAGES,
  formatRecoveryCode,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  normaliseRecoveryCode,
  signInFormErrors,
} from './rules.ts';

test('an empty sign-in form asks for both fields', () => {
  assert.deepEqual(signInFormErrors({ email: ' ', password: '' }), { email: MESSAGES.emailMissing, password: MESSAGES.passwordMissing });
  assert.deepEqual(signInFormErrors({ email: 'a@b.c', password: 'x' }), {});
});

test('recovery codes are typed back however they are spaced or cased', () => {
  assert.equal(formatRecoveryCode('abcdefghjk'), 'abcde-fghjk');
  assert.equal(normaliseRecoveryCode(' ABCDE-fghjk '), 'abcdefghjk');
  assert.equal(normaliseRecoveryCode('abcde fghjk'), 'abcdefghjk');
  assert.ok(looksLikeRecoveryCode('abcdefghjk'));
  assert.ok(!looksLikeRecoveryCode('abcdefghj'));
  assert.ok(!looksLikeRecoveryCode('abcdefghj0'));
});

test('the hash depends on the code only, not its spacing', () => {
  assert.equal(hashRecoveryCode(normaliseRecoveryCode('ABCDE-FGHJK')), hashRecoveryCode('abcdefghjk'));
  assert.notEqual(hashRecoveryCode('abcdefghjk'), hashRecoveryCode('abcdefghjm'));
  assert.match(hashRecoveryCode('abcdefghjk'), /^[0-9a-f]{64}$/);
});

test('one message for an unknown email and a wrong password', () => {
  assert.equal(MESSAGES.wrongCredentials, 'Enter a correct email address and password');
  assert.match(MESSAGES.locked, /15 minutes/);
});
