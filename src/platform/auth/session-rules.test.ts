import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_ABSOLUTE_LIMIT_MS, SESSION_IDLE_LIMIT_MS, sessionExpiry, sessionNeedsTouch } from './session-rules.ts';

const now = new Date('2026-03-02T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const minutes = (n: number) => n * 60 * 1000;

test('the limits are 30 minutes idle and 12 hours in all', () => {
  assert.equal(SESSION_IDLE_LIMIT_MS, minutes(30));
  assert.equal(SESSION_ABSOLUTE_LIMIT_MS, minutes(12 * 60));
});

test('a session in use is live', () => {
  assert.equal(sessionExpiry({ createdAt: ago(minutes(60)), lastSeenAt: ago(minutes(29)) }, now), 'live');
});

test('30 minutes without a request ends the session', () => {
  assert.equal(sessionExpiry({ createdAt: ago(minutes(60)), lastSeenAt: ago(minutes(30)) }, now), 'idle');
});

test('12 hours after sign-in the session ends however busy it is', () => {
  assert.equal(sessionExpiry({ createdAt: ago(minutes(12 * 60)), lastSeenAt: now }, now), 'absolute');
  assert.equal(sessionExpiry({ createdAt: ago(minutes(12 * 60 - 1)), lastSeenAt: now }, now), 'live');
});

test('last seen is written at most once a minute', () => {
  assert.equal(sessionNeedsTouch({ lastSeenAt: ago(59_000) }, now), false);
  assert.equal(sessionNeedsTouch({ lastSeenAt: ago(60_000) }, now), true);
});
