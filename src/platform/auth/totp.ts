// TOTP second factor (RFC 6238: SHA1, 6 digits, 30-second steps). A code is accepted one step either side of now, and
// never for a step at or before the last one accepted, so a code seen over someone's shoulder cannot be replayed.
import * as OTPAuth from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = 'Haven';

function totpFor(secret: string, label = 'staff'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

/** A new random 160-bit secret, base32 as authenticator apps expect it. */
export function generateTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

/** The secret in groups of four, easier to type into an app by hand. */
export function formatSecretForTyping(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** A code as typed: spaces and dashes removed. */
export function normaliseTotpCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export const looksLikeTotpCode = (code: string): boolean => /^\d{6}$/.test(code);

/**
 * The step the code belongs to if it is valid now (±1 step) and later than `lastStep`; otherwise null.
 * Store the returned step as the user's last accepted step.
 */
export function verifyTotp(secret: string, input: string, lastStep: number | null, now: Date = new Date()): number | null {
  const code = normaliseTotpCode(input);
  if (!looksLikeTotpCode(code)) return null;
  const delta = totpFor(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
