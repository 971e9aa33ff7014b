import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT_FAILURE_LIMIT, LOCKOUT_MS, accountKey, lockedUntil } from './sign-in-throttle.ts';

const now = new Date('2026-03-02T12:00:00Z');
const minutesAgo = (n: number) => new Date(now.getTime() - n * 60_000);

test('the account key is the trimmed, lower-case email', () => {
  assert.equal(accountKey('  Sam.Staff@Example.GOV.uk '), 'sam.staff@example.gov.uk');
});

test('fewer failures than the limit do not lock', () => {
  assert.equal(lockedUntil([1, 2, 3, 4].map(minutesAgo), ACCOUNT_FAILURE_LIMIT, now), null);
});

test('the limit reached within 15 minutes locks for 15 minutes from the last failure', () => {
  const failures = [10, 8, 6, 4, 2].map(minutesAgo);
  assert.deepEqual(lockedUntil(failures, ACCOUNT_FAILURE_LIMIT, now), new Date(minutesAgo(2).getTime() + LOCKOUT_MS));
});

test('failures spread over more than 15 minutes do not lock', () => {
  assert.equal(lockedUntil([29, 24, 18, 12, 1].map(minutesAgo), ACCOUNT_FAILURE_LIMIT, now), null);
});

test('a lockout ends 15 minutes after the failure that caused it', () => {
  assert.equal(lockedUntil([25, 24, 23, 22, 16].map(minutesAgo), ACCOUNT_FAILURE_LIMIT, now), null);
  assert.notEqual(lockedUntil([25, 24, 23, 22, 14].map(minutesAgo), ACCOUNT_FAILURE_LIMIT, now), null);
});

test('the order of the failures does not matter', () => {
  assert.notEqual(lockedUntil([2, 10, 4, 8, 6].map(minutesAgo), ACCOUNT_FAILURE_LIMIT, now), null);
});
