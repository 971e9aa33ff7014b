// Pure rules for signing in to the victim's portal without a password: what counts as an address, the one-time code
// (6 digits, 10 minutes, single use, 5 tries), how often codes may be asked for, which channel may carry a code given
// the victim's safe-contact profile, and the crime reference as an optional second check. No I/O.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { normaliseEmail, normalisePhone } from '../people/rules.ts';

export const CODE_LENGTH = 6;
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Wrong tries allowed on one code before it is spent. */
export const CODE_ATTEMPT_LIMIT = 5;
/** Codes that may be asked for one address, and from one client, in THROTTLE_WINDOW_MS. */
export const CODES_PER_ADDRESS = 3;
export const CODES_PER_CLIENT = 10;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Wrong crime references before the half-done session is ended. */
export const CRIME_REFERENCE_ATTEMPT_LIMIT = 3;
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type Address = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

/** An email address or a mobile number, normalised as person records hold them; null when it is neither. */
export function parseAddress(input: unknown): Address | null {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text) return null;
  if (text.includes('@')) {
    const email = normaliseEmail(text);
    return email.ok ? { kind: 'email', value: email.value } : null;
  }
  const phone = normalisePhone(text);
  return phone.ok ? { kind: 'phone', value: phone.value } : null;
}

/** The key the throttles count by: a hash, so the table of attempts holds no address. */
export const keyOf = (text: string): string => createHash('sha256').update(`portal:${text}`).digest('hex');

export const newCode = (): string => String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');

/** The code's hash, salted with its row's id, so two rows with the same code do not share a hash. */
export const hashCode = (rowId: string, code: string): string => createHash('sha256').update(`${rowId}:${code}`).digest('hex');

/** Digits only: people type codes with spaces or dashes, and paste them with a trailing newline. */
export const normaliseCode = (input: unknown): string => (typeof input === 'string' ? input.replace(/[\s-]/g, '') : '');

export const isWellFormedCode = (code: string): boolean => new RegExp(`^\\d{${CODE_LENGTH}}$`).test(code);

export function codeMatches(rowId: string, stored: string | null, typed: string): boolean {
  if (!stored) return false;
  const typedHash = Buffer.from(hashCode(rowId, typed), 'hex');
  return timingSafeEqual(typedHash, Buffer.from(stored, 'hex'));
}

/**
 * Whether a code may go to this address, given the safe-contact profile of the person it belongs to: a code is a
 * message too, so an address on a channel the victim has not marked safe gets nothing (journey 2: a victim who said
 * texts are not safe is never sent one, even if she types her mobile number here). A parent's or supporter's own
 * address has no profile, and may receive codes.
 */
export function channelAllowed(address: Address, profile: Record<string, unknown> | null): boolean {
  if (!profile) return true;
  if (profile.doNotContact === true) return false;
  const channels = Array.isArray(profile.channels) ? (profile.channels as unknown[]) : [];
  return channels.includes(address.kind === 'email' ? 'email' : 'sms');
}

export type CodeState = { usedAt: Date | null; expiresAt: Date; failedAttempts: number };

/** Why a code can no longer be tried, or null when it can. */
export function codeUnusable(code: CodeState, now: Date): 'used' | 'expired' | 'spent' | null {
  if (code.usedAt) return 'used';
  if (code.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (code.failedAttempts >= CODE_ATTEMPT_LIMIT) return 'spent';
  return null;
}

/** Crime references compared as people type them: case, spaces and the separators forces use are ignored. */
export const normaliseCrimeReference = (value: unknown): string => (typeof value === 'string' ? value.toUpperCase().replace(/[^A-Z0-9]/g, '') : '');
