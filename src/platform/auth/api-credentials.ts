// Credentials of machine clients, without I/O: the scopes, making a client id and secret, hashing and checking the
// secret, reading an HTTP Basic Authorization header, and counting failed attempts per address.
//
// Why HTTP Basic with a client id and secret rather than signed tokens: every police and court system can send it,
// there is no token endpoint, clock or key rotation to get wrong, and over TLS it is as safe as a bearer token. The
// secret is 32 random bytes, so a fast hash (SHA-256) is enough: there is nothing to guess by brute force, and the
// comparison runs in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_SCOPES = ['referrals:write', 'referrals:read', 'imports:write', 'events:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const isApiScope = (value: string): value is ApiScope => (API_SCOPES as readonly string[]).includes(value);

/** The caller the API knows once a request's credentials check out. */
export type ApiClientIdentity = {
  clientId: string;
  name: string;
  organisationId: string;
  organisationName: string;
  areaId: string;
  scopes: ApiScope[];
};

export const CLIENT_ID_PREFIX = 'hvn_';

export function newClientId(): string {
  return `${CLIENT_ID_PREFIX}${randomBytes(12).toString('hex')}`;
}

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares the hash of the offered secret with the stored hash in constant time. */
export function secretMatches(offered: string, storedHash: string): boolean {
  const offeredHash = Buffer.from(hashClientSecret(offered), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === offeredHash.length && timingSafeEqual(offeredHash, stored);
}

export type BasicCredentials = { clientId: string; secret: string };

const CLIENT_ID_SHAPE = /^hvn_[A-Za-z0-9_-]{1,64}$/;

/** The client id and secret from `Authorization: Basic base64(id:secret)`, or null when the header is not that. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null {
  if (!header) return null;
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header.trim());
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return null;
  const clientId = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (!CLIENT_ID_SHAPE.test(clientId) || !secret || secret.length > 256) return null;
  return { clientId, secret };
}

export function basicAuthorization(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`, 'utf8').toString('base64')}`;
}

/** The scopes still missing for an operation; an empty list means it may go ahead. */
export function missingScopes(granted: readonly string[], required: readonly ApiScope[]): ApiScope[] {
  return required.filter((scope) => !granted.includes(scope));
}

/** Stored scopes as the API knows them: anything no longer recognised grants nothing. */
export const knownScopes = (stored: readonly string[]): ApiScope[] => stored.filter(isApiScope);

export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const FAILURE_LIMIT = 20;

/**
 * Failed authentications per address, kept in memory: enough to stop someone guessing at one process, and it costs no
 * write on the database for each bad request. Once an address reaches the limit it is refused until its oldest
 * failure leaves the window, even with good credentials, so guessing cannot carry on behind a refusal.
 */
export class FailedAttempts {
  readonly #failures = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(options: { limit?: number; windowMs?: number } = {}) {
    this.#limit = options.limit ?? FAILURE_LIMIT;
    this.#windowMs = options.windowMs ?? FAILURE_WINDOW_MS;
  }

  #recent(address: string, now: number): number[] {
    const recent = (this.#failures.get(address) ?? []).filter((at) => now - at < this.#windowMs);
    if (recent.length) this.#failures.set(address, recent);
    else this.#failures.delete(address);
    return recent;
  }

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const recent = this.#recent(address, now);
    if (recent.length < this.#limit) return 0;
    const oldest = recent[recent.length - this.#limit] ?? now;
    return Math.max(1, Math.ceil((oldest + this.#windowMs - now) / 1000));
  }

  record(address: string, now = Date.now()): void {
    const recent = this.#recent(address, now);
    this.#failures.set(address, [...recent, now]);
  }
}
