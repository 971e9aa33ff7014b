// Pure rules for managing staff accounts: what a valid invitation and password look like, how an invitation token is
// checked, and which actions an administrator may take on an account. Deterministic: no I/O and no randomness.
import { createHash } from 'node:crypto';
import { isStaffRole, type StaffRole } from '../../platform/auth/roles.ts';
import type { StaffStatus } from '../../platform/db/schema.ts';

export const INVITATION_VALID_DAYS = 7;
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 254;

export type FieldErrors = Record<string, string>;

export type InvitationInput = { fullName: string; email: string; role: StaffRole };

/** The form as sent: any field may be missing or repeated, so each is read as unknown. */
export type InvitationForm = { fullName?: unknown; email?: unknown; role?: unknown };

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

// Deliberately loose: one @, something either side, a dot in the domain and no spaces. Whether the address works is
// proved when the invitation is accepted, not here.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(value) && !value.includes('..');
}

/** Emails are compared without regard to case, so they are kept in lower case. */
export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function checkInvitation(form: InvitationForm): { value: InvitationInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fullName = text(form.fullName).replace(/\s+/g, ' ');
  const email = normaliseEmail(text(form.email));
  if (!fullName) errors.fullName = 'Enter the person’s full name';
  else if (fullName.length > NAME_MAX_LENGTH) errors.fullName = `Full name must be ${NAME_MAX_LENGTH} characters or fewer`;
  if (!email) errors.email = 'Enter an email address';
  else if (!isEmailAddress(email)) errors.email = 'Enter an email address in the correct format, like name@example.com';
  if (!isStaffRole(form.role)) errors.role = 'Select a role';
  if (Object.keys(errors).length || !isStaffRole(form.role)) return { errors };
  return { value: { fullName, email, role: form.role } };
}

export const EMAIL_TAKEN_MESSAGE = 'This email address is already used by another account';

export type PasswordForm = { password?: unknown; confirmPassword?: unknown };

export function checkNewPassword(form: PasswordForm): { value: string } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  // Passwords are taken exactly as typed: trimming would quietly change what the person chose.
  const password = typeof form.password === 'string' ? form.password : '';
  const confirm = typeof form.confirmPassword === 'string' ? form.confirmPassword : '';
  if (!password) errors.password = 'Enter a password';
  else if (password.length < PASSWORD_MIN_LENGTH) errors.password = `Password must be ${PASSWORD_MIN_LENGTH} characters or more`;
  else if (password.length > PASSWORD_MAX_LENGTH) errors.password = `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  if (!errors.password) {
    if (!confirm) errors.confirmPassword = 'Confirm your password';
    else if (confirm !== password) errors.confirmPassword = 'Passwords must match';
  }
  return Object.keys(errors).length ? { errors } : { value: password };
}

/** Only the hash of an invitation token is stored, so a copy of the database cannot be used to accept one. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token that cannot be one we issued (wrong length or alphabet) is refused before it reaches the database. */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}


export { isUuid } from '../../platform/db/uuid.ts';

export function invitationExpiry(now: Date): Date {
  return new Date(now.getTime() + INVITATION_VALID_DAYS * 24 * 60 * 60 * 1000);
}

export type InvitationState = { status: StaffStatus; invitationExpiresAt: Date | null };

export function isInvitationUsable(account: InvitationState, now: Date): boolean {
  return account.status === 'invited' && account.invitationExpiresAt !== null && account.invitationExpiresAt > now;
}

export type AccountView = { id: string; status: StaffStatus; hasPassword: boolean };

/** Which actions the user page offers an administrator for one account. */
export function availableActions(account: AccountView, actorUserId: string) {
  const self = account.id === actorUserId;
  return {
    disable: !self && account.status !== 'disabled',
    enable: account.status === 'disabled',
    resetSecondFactor: !self && account.status === 'active',
    reissueInvitation: account.status === 'invited',
  };
}

/** The status an account returns to when re-enabled: active if it was ever set up, otherwise still invited. */
export function statusOnEnable(account: { hasPassword: boolean }): StaffStatus {
  return account.hasPassword ? 'active' : 'invited';
}

export const STATUS_NAMES: Record<StaffStatus, { text: string; colour: string }> = {
  active: { text: 'Active', colour: 'green' },
  invited: { text: 'Invited', colour: 'blue' },
  disabled: { text: 'Disabled', colour: 'grey' },
};

/** Outcomes named in the query string after a redirect: flags only, never who or what. */
export const DONE_MESSAGES = {
  disabled: 'The user has been disabled and signed out everywhere',
  enabled: 'The user has been enabled',
  'second-factor-reset': 'The user’s second factor has been reset. They will set it up again when they next sign in',
} as const;
export type DoneFlag = keyof typeof DONE_MESSAGES;

export function doneMessage(flag: unknown): string | undefined {
  return typeof flag === 'string' && Object.hasOwn(DONE_MESSAGES, flag) ? DONE_MESSAGES[flag as DoneFlag] : undefined;
}
