// Staff sign-in use-cases: password, then a TOTP code (or a recovery code), setting up an authenticator at first
// sign-in, new recovery codes, and sign-out. Each change runs in one transaction with its audit event; nothing that
// could identify a person goes into the audit detail.
import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { writeAudit } from '../../platform/audit/writer.ts';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { verifyAgainstDecoy, verifyPassword } from '../../platform/auth/passwords.ts';
import { identityOf as sessionIdentity } from '../../platform/auth/sessions.ts';
import { createSession, deleteSession, setPendingTotpSecret, type StoredSession } from '../../platform/auth/session-store.ts';
import { accountKey, checkSignInThrottle, recordSignInAttempt } from '../../platform/auth/sign-in-throttle.ts';
import { formatSecretForTyping, generateTotpSecret, totpUri, verifyTotp } from '../../platform/auth/totp.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Conflict, Invalid } from '../../platform/http/domain-errors.ts';
import {
  MESSAGES,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_COUNT,
  formatRecoveryCode,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  normaliseRecoveryCode,
  signInFormErrors,
} from './rules.ts';
import * as repository from './repository.ts';

/** Who is asking, as far as sign-in can know before the user is signed in. */
export type SignInRequest = { address: string; requestId?: string };

export type PasswordOutcome = { token: string; next: 'second_factor' | 'enrolment' };

const signInActor = (request: SignInRequest): Actor => ({ kind: 'system', label: 'sign-in', requestId: request.requestId });
const staffActor = (staff: StaffIdentity, request: { requestId?: string }): Actor => ({ kind: 'staff', staff, requestId: request.requestId });

function identityOf(user: repository.SignInUser): StaffIdentity {
  return {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    organisationId: user.organisationId,
    organisationName: user.organisationName,
    areaId: user.areaId,
  };
}

/** Thrown while an account key or address is locked out: the form shows the try-again-later message. */
export class SignInLocked extends Invalid {
  constructor(field: string) {
    super({ [field]: MESSAGES.locked }, 'Too many attempts to sign in');
  }
}

async function refuseIfLocked(db: Db, key: string, field: string, userId: string | null, request: SignInRequest, stage: string) {
  const throttle = await checkSignInThrottle(db, key, request.address, new Date());
  if (!throttle.locked) return;
  await inTransaction(db, (trx) =>
    writeAudit(trx, signInActor(request), {
      action: 'staff.sign_in_locked_out',
      recordType: 'staff_user',
      recordId: userId,
      detail: { stage },
    }),
  );
  throw new SignInLocked(field);
}

async function recordFailure(
  trx: Trx,
  key: string,
  userId: string | null,
  request: SignInRequest,
  detail: { stage: string; reason: string },
): Promise<void> {
  await recordSignInAttempt(trx, key, request.address, false, new Date());
  await writeAudit(trx, signInActor(request), { action: 'staff.sign_in_failed', recordType: 'staff_user', recordId: userId, detail });
}

/** After a failure, the message to show: the lockout message if this failure reached the limit. */
async function failureError(db: Db, key: string, request: SignInRequest, field: string, message: string): Promise<Invalid> {
  const throttle = await checkSignInThrottle(db, key, request.address, new Date());
  return throttle.locked ? new SignInLocked(field) : new Invalid({ [field]: message });
}

/**
 * Checks the email and password. On success starts a half-done session (second factor, or authenticator set-up
 * when the user has none yet) and returns its token; any session the browser already had is ended.
 */
export async function signInWithPassword(
  db: Db,
  form: { email: string; password: string },
  request: SignInRequest & { previousSession?: StoredSession | null },
): Promise<PasswordOutcome> {
  const formErrors = signInFormErrors(form);
  if (Object.keys(formErrors).length) throw new Invalid(formErrors);
  const key = accountKey(form.email);
  const user = await repository.findUserByEmail(db, key);
  await refuseIfLocked(db, key, 'email', user?.id ?? null, request, 'password');

  // Every path verifies one argon2 hash, so an unknown email takes as long as a wrong password.
  const passwordOk = user?.passwordHash ? await verifyPassword(user.passwordHash, form.password) : await verifyAgainstDecoy(form.password);
  const reason = !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : user.status !== 'active' ? `account_${user.status}` : null;
  if (!user || reason) {
    await inTransaction(db, (trx) => recordFailure(trx, key, user?.id ?? null, request, { stage: 'password', reason: reason ?? 'unknown_account' }));
    throw await failureError(db, key, request, 'email', MESSAGES.wrongCredentials);
  }

  const next = user.totpSecret ? 'second_factor' : 'enrolment';
  const token = await inTransaction(db, async (trx) => {
    if (request.previousSession) await deleteSession(trx, request.previousSession.idHash);
    const created = await createSession(trx, user.id, next, new Date(), next === 'enrolment' ? generateTotpSecret() : null);
    await writeAudit(trx, signInActor(request), {
      action: 'staff.password_accepted',
      recordType: 'staff_user',
      recordId: user.id,
      detail: { next },
    });
    return created;
  });
  return { token, next };
}

/** Loads the user behind a half-done session; a user who is gone or no longer active cannot go on. */
async function sessionUser(db: Db, session: StoredSession): Promise<repository.SignInUser> {
  const user = await repository.findUserById(db, session.userId);
  if (!user || user.status !== 'active') throw new Conflict('This sign-in can no longer continue');
  return user;
}

/**
 * The second step: a TOTP code, or instead a single-use recovery code. On success the half-done session is ended
 * and a new one issued at stage signed_in, so the session id changes at sign-in.
 */
export async function completeSecondFactor(
  db: Db,
  session: StoredSession,
  form: { code?: string; recoveryCode?: string },
  request: SignInRequest,
): Promise<{ token: string; method: 'totp' | 'recovery_code' }> {
  if (session.stage !== 'second_factor') throw new Conflict('No second factor is due');
  const user = await sessionUser(db, session);
  if (!user.totpSecret) throw new Conflict('No authenticator is set up');
  const usingRecoveryCode = form.recoveryCode !== undefined && form.code === undefined;
  const field = usingRecoveryCode ? 'recoveryCode' : 'code';
  const typed = (usingRecoveryCode ? form.recoveryCode : form.code)?.trim() ?? '';
  if (!typed) throw new Invalid({ [field]: usingRecoveryCode ? MESSAGES.recoveryCodeMissing : MESSAGES.codeMissing });

  const key = accountKey(user.email);
  await refuseIfLocked(db, key, field, user.id, request, 'second_factor');

  const now = new Date();
  const step = usingRecoveryCode ? null : verifyTotp(user.totpSecret, typed, user.totpLastStep, now);
  const recoveryHash = usingRecoveryCode && looksLikeRecoveryCode(normaliseRecoveryCode(typed)) ? hashRecoveryCode(normaliseRecoveryCode(typed)) : null;

  const token = await inTransaction(db, async (trx) => {
    const accepted =
      step !== null
        ? await repository.acceptTotpStep(trx, user.id, step)
        : recoveryHash !== null && (await repository.useRecoveryCode(trx, user.id, recoveryHash, now));
    if (!accepted) {
      await recordFailure(trx, key, user.id, request, { stage: 'second_factor', reason: usingRecoveryCode ? 'wrong_recovery_code' : 'wrong_code' });
      return null;
    }
    await recordSignInAttempt(trx, key, request.address, true, now);
    await deleteSession(trx, session.idHash);
    const created = await createSession(trx, user.id, 'signed_in', now);
    const actor = staffActor(identityOf(user), request);
    if (usingRecoveryCode) {
      await writeAudit(trx, actor, {
        action: 'staff.recovery_code_used',
        recordType: 'staff_user',
        recordId: user.id,
        detail: { remaining: await repository.countUnusedRecoveryCodes(trx, user.id) },
      });
    }
    await writeAudit(trx, actor, {
      action: 'staff.signed_in',
      recordType: 'staff_user',
      recordId: user.id,
      detail: { method: usingRecoveryCode ? 'recovery_code' : 'totp' },
    });
    return created;
  });
  if (token === null) {
    throw await failureError(db, key, request, field, usingRecoveryCode ? MESSAGES.recoveryCodeWrong : MESSAGES.codeWrong);
  }
  return { token, method: usingRecoveryCode ? 'recovery_code' : 'totp' };
}

export type AuthenticatorSetUp = { secret: string; secretForTyping: string; qrSvg: string };

/** What the set-up page shows: the pending secret as a QR code and as text to type. */
export async function authenticatorSetUp(db: Db, session: StoredSession): Promise<AuthenticatorSetUp> {
  if (session.stage !== 'enrolment') throw new Conflict('No authenticator set-up is due');
  let secret = session.pendingTotpSecret;
  if (!secret) {
    const fresh = generateTotpSecret();
    await inTransaction(db, (trx) => setPendingTotpSecret(trx, session.idHash, fresh));
    secret = fresh;
  }
  const qrSvg = await QRCode.toString(totpUri(secret, session.user.email), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, secretForTyping: formatSecretForTyping(secret), qrSvg };
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: 10 }, () => RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)]).join(''),
  );
}

/**
 * Confirms the authenticator with a code from it, saves it, creates recovery codes (only their hashes are kept) and
 * signs the user in with a new session. The codes are returned to show once.
 */
export async function confirmAuthenticator(
  db: Db,
  session: StoredSession,
  form: { code?: string },
  request: SignInRequest,
): Promise<{ token: string; recoveryCodes: string[] }> {
  if (session.stage !== 'enrolment' || !session.pendingTotpSecret) throw new Conflict('No authenticator set-up is due');
  const user = await sessionUser(db, session);
  const typed = form.code?.trim() ?? '';
  if (!typed) throw new Invalid({ code: MESSAGES.codeMissing });
  const key = accountKey(user.email);
  await refuseIfLocked(db, key, 'code', user.id, request, 'enrolment');

  const now = new Date();
  const secret = session.pendingTotpSecret;
  const step = verifyTotp(secret, typed, null, now);
  const codes = newRecoveryCodes();
  const token = await inTransaction(db, async (trx) => {
    if (step === null) {
      await recordFailure(trx, key, user.id, request, { stage: 'enrolment', reason: 'wrong_code' });
      return null;
    }
    if (!(await repository.saveAuthenticator(trx, user.id, secret, step))) throw new Conflict('An authenticator is already set up');
    await repository.replaceRecoveryCodes(trx, user.id, codes.map(hashRecoveryCode));
    await recordSignInAttempt(trx, key, request.address, true, now);
    await deleteSession(trx, session.idHash);
    const created = await createSession(trx, user.id, 'signed_in', now);
    const actor = staffActor(identityOf(user), request);
    await writeAudit(trx, actor, { action: 'staff.authenticator_enrolled', recordType: 'staff_user', recordId: user.id, detail: {} });
    await writeAudit(trx, actor, {
      action: 'staff.recovery_codes_created',
      recordType: 'staff_user',
      recordId: user.id,
      detail: { count: codes.length },
    });
    await writeAudit(trx, actor, { action: 'staff.signed_in', recordType: 'staff_user', recordId: user.id, detail: { method: 'totp', enrolled: true } });
    return created;
  });
  if (token === null) throw await failureError(db, key, request, 'code', MESSAGES.codeWrong);
  return { token, recoveryCodes: codes.map(formatRecoveryCode) };
}

export async function unusedRecoveryCodeCount(db: Db, staff: StaffIdentity): Promise<number> {
  return repository.countUnusedRecoveryCodes(db, staff.userId);
}

/** Replaces the signed-in user's recovery codes with a new set, returned to show once. */
export async function createNewRecoveryCodes(db: Db, staff: StaffIdentity, request: { requestId?: string }): Promise<string[]> {
  const codes = newRecoveryCodes();
  await inTransaction(db, async (trx) => {
    await repository.replaceRecoveryCodes(trx, staff.userId, codes.map(hashRecoveryCode));
    await writeAudit(trx, staffActor(staff, request), {
      action: 'staff.recovery_codes_created',
      recordType: 'staff_user',
      recordId: staff.userId,
      detail: { count: codes.length },
    });
  });
  return codes.map(formatRecoveryCode);
}

/** Ends the session. A half-done sign-in is ended too, with the sign-in actor. */
export async function signOut(db: Db, session: StoredSession, request: { requestId?: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    await deleteSession(trx, session.idHash);
    const actor: Actor =
      session.stage === 'signed_in'
        ? staffActor(sessionIdentity(session), request)
        : { kind: 'system', label: 'sign-in', requestId: request.requestId };
    await writeAudit(trx, actor, { action: 'staff.signed_out', recordType: 'staff_user', recordId: session.userId, detail: { stage: session.stage } });
  });
}
