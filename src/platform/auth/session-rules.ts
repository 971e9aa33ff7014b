// When a staff session ends: after 30 minutes without a request, or 12 hours after sign-in, whichever comes first.
// Pure, so the limits are unit-tested without a clock or a database.

export const SESSION_IDLE_LIMIT_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_LIMIT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so a busy page does not write on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

export type SessionExpiry = 'live' | 'idle' | 'absolute';

export function sessionExpiry(session: { createdAt: Date; lastSeenAt: Date }, now: Date): SessionExpiry {
  if (now.getTime() - session.createdAt.getTime() >= SESSION_ABSOLUTE_LIMIT_MS) return 'absolute';
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_LIMIT_MS) return 'idle';
  return 'live';
}

export function sessionNeedsTouch(session: { lastSeenAt: Date }, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS;
}
