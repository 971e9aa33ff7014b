// When a portal session ends, and when the page warns that it is about to. Victims' sessions are short: a phone left
// on a table, or a shared computer, should not keep someone's case open for long. Pure, so unit-tested without a clock.

export const PORTAL_IDLE_LIMIT_MS = 15 * 60 * 1000;
export const PORTAL_ABSOLUTE_LIMIT_MS = 2 * 60 * 60 * 1000;
/** The GOV.UK timeout warning opens this long before an idle session would end. */
export const PORTAL_WARNING_BEFORE_MS = 2 * 60 * 1000;
/** last_seen_at is written at most this often. */
export const PORTAL_TOUCH_INTERVAL_MS = 30 * 1000;

export type PortalExpiry = 'live' | 'idle' | 'absolute';

export function portalSessionExpiry(session: { createdAt: Date; lastSeenAt: Date }, now: Date): PortalExpiry {
  if (now.getTime() - session.createdAt.getTime() >= PORTAL_ABSOLUTE_LIMIT_MS) return 'absolute';
  if (now.getTime() - session.lastSeenAt.getTime() >= PORTAL_IDLE_LIMIT_MS) return 'idle';
  return 'live';
}

/** Seconds until the session ends if nothing more happens: the timeout warning counts down from this. */
export function portalSecondsLeft(session: { createdAt: Date }, now: Date): number {
  const idleEnd = now.getTime() + PORTAL_IDLE_LIMIT_MS;
  const absoluteEnd = session.createdAt.getTime() + PORTAL_ABSOLUTE_LIMIT_MS;
  return Math.max(0, Math.floor((Math.min(idleEnd, absoluteEnd) - now.getTime()) / 1000));
}

export const portalSessionNeedsTouch = (session: { lastSeenAt: Date }, now: Date): boolean =>
  now.getTime() - session.lastSeenAt.getTime() >= PORTAL_TOUCH_INTERVAL_MS;
