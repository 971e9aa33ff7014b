// Sign-in rules with no I/O: what the forms must contain, what the user is told, and the shape of recovery codes.
import { createHash } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: a code read off paper must be typed back without doubt. 31 symbols, 10 of them: about 49 bits.
export const RECOVERY_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export const MESSAGES = {
  emailMissing: 'Enter your email address',
  passwordMissing: 'Enter your password',
  // One message for an unknown email, a wrong password and an account that may not sign in: none reveals the others.
  wrongCredentials: 'Enter a correct email address and password',
  locked: 'You have tried to sign in too many times. Try again in 15 minutes.',
  codeMissing: 'Enter the 6-digit security code from your authenticator app',
  codeWrong: 'Enter a correct security code',
  recoveryCodeMissing: 'Enter a recovery code',
  recoveryCodeWrong: 'Enter a correct recovery code. Each code can only be used once.',
} as const;

export type SignInForm = { email: string; password: string };

/** Field errors for a sign-in form left incomplete; an empty map means it can be checked. */
export function signInFormErrors(form: SignInForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.email.trim()) errors.email = MESSAGES.emailMissing;
  if (!form.password) errors.password = MESSAGES.passwordMissing;
  return errors;
}

/** Recovery codes are shown as two groups of five: abcde-fghjk. */
export function formatRecoveryCode(raw: string): string {
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** A recovery code as typed, in the form it is hashed: lower case, no spaces or dashes. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(normalised: string): boolean {
  return normalised.length === 10 && [...normalised].every((char) => RECOVERY_CODE_ALPHABET.includes(char));
}

/** Codes carry about 49 random bits and guesses are throttled, so a fast hash is enough; only the hash is stored. */
export function hashRecoveryCode(normalised: string): string {
  return createHash('sha256').update(`haven-recovery:${normalised}`).digest('hex');
}
