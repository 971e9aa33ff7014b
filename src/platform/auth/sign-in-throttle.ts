// Slows password and code guessing: too many failures for one account, or from one address, lock it for a while.
// The account key is the normalised email whether or not an account has it, so a lockout says nothing about existence.
// Attempts refused during a lockout are not recorded, so a lockout ends on time even while someone keeps trying.
import type { Db, Trx } from '../db/transaction.ts';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_MS = 15 * 60 * 1000;
export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;

export const accountKey = (email: string): string => email.trim().toLowerCase();

/**
 * When the lockout ends, given the times of recent failures, or null when not locked: `limit` failures within the
 * window lock for LOCKOUT_MS from the last of them.
 */
export function lockedUntil(failures: readonly Date[], limit: number, now: Date): Date | null {
  const times = failures.map((failure) => failure.getTime()).sort((a, b) => a - b);
  let until = 0;
  for (let last = limit - 1; last < times.length; last += 1) {
    const first = times[last - limit + 1]!;
    const end = times[last]!;
    if (end - first <= THROTTLE_WINDOW_MS) until = Math.max(until, end + LOCKOUT_MS);
  }
  return until > now.getTime() ? new Date(until) : null;
}

export type ThrottleState = { locked: boolean; until: Date | null };

export async function checkSignInThrottle(db: Db | Trx, key: string, address: string, now: Date): Promise<ThrottleState> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS - LOCKOUT_MS);
  const lastSuccess = await db
    .selectFrom('sign_in_attempt')
    .select('at')
    .where('account_key', '=', key)
    .where('succeeded', '=', true)
    .where('at', '>=', since)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  // A success clears the account's count; the address count stands, as many people may share an address.
  const accountSince = lastSuccess && lastSuccess.at > since ? lastSuccess.at : since;
  const accountFailures = await db
    .selectFrom('sign_in_attempt')
    .select('at')
    .where('account_key', '=', key)
    .where('succeeded', '=', false)
    .where('at', '>', accountSince)
    .execute();
  const addressFailures = await db
    .selectFrom('sign_in_attempt')
    .select('at')
    .where('address', '=', address)
    .where('succeeded', '=', false)
    .where('at', '>=', since)
    .execute();
  const ends = [
    lockedUntil(accountFailures.map((row) => row.at), ACCOUNT_FAILURE_LIMIT, now),
    lockedUntil(addressFailures.map((row) => row.at), ADDRESS_FAILURE_LIMIT, now),
  ].filter((end): end is Date => end !== null);
  if (!ends.length) return { locked: false, until: null };
  return { locked: true, until: new Date(Math.max(...ends.map((end) => end.getTime()))) };
}

export async function recordSignInAttempt(trx: Trx, key: string, address: string, succeeded: boolean, now: Date): Promise<void> {
  await trx.insertInto('sign_in_attempt').values({ account_key: key, address, succeeded, at: now }).execute();
}
