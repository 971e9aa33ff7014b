// Use-cases for signing in to the victim's portal: ask for a code, enter it, the optional crime-reference check, a
// coordinator's invitation link, sign out and sign out everywhere. Every request for a code is answered the same way
// whether or not the address is known (no account enumeration): a row is stored either way, and only a known address
// on a safe channel gets a code, sent after the answer so the timing says nothing either.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { advancePortalSession, createPortalSession, deletePortalSession, endPortalSessionsForAccount } from '../../platform/auth/portal-sessions.ts';
import { checkSignInThrottle, recordSignInAttempt } from '../../platform/auth/sign-in-throttle.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { casesOfAccount, victimAccountFor } from '../portal-access/service.ts';
import {
  countFailures,
  countRecentCodes,
  crimeReferencesInReach,
  findAccount,
  findAddressOwner,
  findInvitation,
  insertCode,
  lockCode,
  lockInvitation,
  markCodeUsed,
  markInvitationUsed,
  recordWrongCode,
} from './repository.ts';
import {
  CODES_PER_ADDRESS,
  CODES_PER_CLIENT,
  CODE_ATTEMPT_LIMIT,
  CODE_LIFETIME_MS,
  CRIME_REFERENCE_ATTEMPT_LIMIT,
  THROTTLE_WINDOW_MS,
  channelAllowed,
  codeMatches,
  codeUnusable,
  hashCode,
  isWellFormedCode,
  keyOf,
  newCode,
  normaliseCode,
  normaliseCrimeReference,
  parseAddress,
} from './rules.ts';
import type { PortalLanguage, PortalSender } from './sender.ts';

const SIGN_IN: Actor = { kind: 'system', label: 'portal-sign-in' };
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');
const throttleKey = (addressKey: string): string => `portal:${addressKey}`;

export class TooManyCodes extends Error {
  constructor() {
    super('too many codes asked for');
    this.name = 'TooManyCodes';
  }
}

export type CodeRequest = { address: unknown; clientAddress: string; language: PortalLanguage; requestId?: string };

/**
 * Stores a code request and returns the token for the pending-sign-in cookie, plus the send to make once the answer
 * has gone (or null when nothing is to be sent). Throws Invalid for something that is not an email or mobile number,
 * and TooManyCodes when this address or this client has asked too often: both whether or not the address is known.
 */
export async function requestCode(db: Db, request: CodeRequest, now = new Date()): Promise<{ token: string; send: ((sender: PortalSender) => Promise<void>) | null }> {
  const address = parseAddress(request.address);
  if (!address) throw new Invalid({ address: 'Enter an email address or a mobile phone number, like name@example.com or 07700 900 982' });
  const addressKey = keyOf(address.value);
  const clientKey = keyOf(`client:${request.clientAddress}`);
  const token = newToken();
  return inTransaction(db, async (trx) => {
    const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
    if ((await countRecentCodes(trx, 'address_key', addressKey, since)) >= CODES_PER_ADDRESS) throw new TooManyCodes();
    if ((await countRecentCodes(trx, 'client_key', clientKey, since)) >= CODES_PER_CLIENT) throw new TooManyCodes();
    const owner = await findAddressOwner(trx, address);
    const deliverable = owner && channelAllowed(address, owner.profile);
    const id = randomUUID();
    const code = deliverable ? newCode() : null;
    await insertCode(trx, {
      id,
      tokenHash: hashToken(token),
      addressKey,
      clientKey,
      accountId: owner?.accountId ?? null,
      personId: owner?.personId ?? null,
      channel: deliverable ? (address.kind === 'email' ? 'email' : 'sms') : null,
      codeHash: code ? hashCode(id, code) : null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
    });
    await writeAudit(trx, { ...SIGN_IN, requestId: request.requestId }, {
      action: 'portal.code_requested',
      recordType: owner?.accountId ? 'portal_account' : 'person',
      recordId: owner?.accountId ?? owner?.personId ?? null,
      // Whether a code went, and why not: never the address.
      detail: { known: Boolean(owner), sent: Boolean(code), ...(owner && !deliverable ? { withheld: 'channel_not_safe' } : {}) },
    });
    const language: PortalLanguage = owner?.language === 'cy' ? 'cy' : request.language;
    const send = code
      ? (sender: PortalSender) =>
          sender.send({ kind: 'sign_in_code', channel: address.kind === 'email' ? 'email' : 'sms', recipient: address.value, language, personalisation: { code }, reference: `sign-in:${id}` })
      : null;
    return { token, send };
  });
}

export type CodeOutcome =
  | { kind: 'signed_in'; sessionToken: string }
  | { kind: 'crime_reference'; sessionToken: string }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'spent' }
  | { kind: 'expired' }
  | { kind: 'locked' }
  | { kind: 'restart' };

/**
 * Checks a typed code against the pending sign-in. Wrong codes are counted on the code (5 tries) and on the address
 * (5 failures in 15 minutes lock it for 15 minutes, whichever code they were on) and the client (20), so guessing a
 * 6-digit code is hopeless. An unknown address has no code, so every try is wrong, exactly as for a known one.
 */
export async function enterCode(db: Db, input: { pendingToken: string; code: unknown; clientAddress: string; requestId?: string }, now = new Date()): Promise<CodeOutcome> {
  const clientKey = keyOf(`client:${input.clientAddress}`);
  return inTransaction(db, async (trx) => {
    const row = await lockCode(trx, hashToken(input.pendingToken));
    if (!row) return { kind: 'restart' };
    const throttle = await checkSignInThrottle(trx, throttleKey(row.address_key), clientKey, now);
    if (throttle.locked) return { kind: 'locked' };
    const unusable = codeUnusable({ usedAt: row.used_at, expiresAt: row.expires_at, failedAttempts: row.failed_attempts }, now);
    if (unusable === 'used') return { kind: 'restart' };
    if (unusable) return { kind: unusable };
    const code = normaliseCode(input.code);
    if (!isWellFormedCode(code) || !codeMatches(row.id, row.code_hash, code)) {
      const failed = await recordWrongCode(trx, row.id);
      await recordSignInAttempt(trx, throttleKey(row.address_key), clientKey, false, now);
      await writeAudit(trx, { ...SIGN_IN, requestId: input.requestId }, { action: 'portal.code_wrong', recordType: 'portal_account', recordId: row.account_id, detail: { failedAttempts: failed } });
      if (failed >= CODE_ATTEMPT_LIMIT) return { kind: 'spent' };
      const locked = await checkSignInThrottle(trx, throttleKey(row.address_key), clientKey, now);
      return locked.locked ? { kind: 'locked' } : { kind: 'wrong', attemptsLeft: CODE_ATTEMPT_LIMIT - failed };
    }
    await markCodeUsed(trx, row.id, now);
    await recordSignInAttempt(trx, throttleKey(row.address_key), clientKey, true, now);
    const accountId = row.account_id ?? (row.person_id ? await victimAccountFor(trx, row.person_id) : null);
    if (!accountId) return { kind: 'restart' };
    return startSession(trx, accountId, 'code', input.requestId, now);
  });
}

async function startSession(trx: Trx, accountId: string, how: 'code' | 'invitation', requestId: string | undefined, now: Date): Promise<{ kind: 'signed_in' | 'crime_reference'; sessionToken: string }> {
  const account = await findAccount(trx, accountId);
  if (!account || account.disabled_at) throw new Invalid({ code: 'This account cannot be used' });
  const stage = account.crime_reference_check ? 'crime_reference' : 'signed_in';
  const sessionToken = await createPortalSession(trx, accountId, stage, now);
  await writeAudit(trx, { ...SIGN_IN, requestId }, { action: stage === 'signed_in' ? 'portal.signed_in' : 'portal.first_check_passed', recordType: 'portal_account', recordId: accountId, detail: { how } });
  return { kind: stage, sessionToken };
}

/**
 * The second check: a crime reference of any case the account reaches. Three wrong answers end the half-done session,
 * and the person starts again with a new code.
 */
export async function enterCrimeReference(
  db: Db,
  input: { sessionIdHash: string; accountId: string; reference: unknown; clientAddress: string; requestId?: string },
  now = new Date(),
): Promise<'signed_in' | 'wrong' | 'ended'> {
  const typed = normaliseCrimeReference(input.reference);
  if (!typed) throw new Invalid({ crimeReference: 'Enter the crime reference number' });
  const clientKey = keyOf(`client:${input.clientAddress}`);
  const key = `portal-crime:${input.accountId}`;
  return inTransaction(db, async (trx) => {
    const reach = await casesOfAccount(trx, input.accountId);
    const references = await crimeReferencesInReach(trx, reach.map((item) => item.caseId));
    if (references.some((reference) => normaliseCrimeReference(reference) === typed)) {
      await advancePortalSession(trx, input.sessionIdHash, now);
      await recordSignInAttempt(trx, key, clientKey, true, now);
      await writeAudit(trx, { ...SIGN_IN, requestId: input.requestId }, { action: 'portal.signed_in', recordType: 'portal_account', recordId: input.accountId, detail: { how: 'crime_reference' } });
      return 'signed_in';
    }
    await recordSignInAttempt(trx, key, clientKey, false, now);
    const failures = await countFailures(trx, key, new Date(now.getTime() - THROTTLE_WINDOW_MS));
    await writeAudit(trx, { ...SIGN_IN, requestId: input.requestId }, { action: 'portal.crime_reference_wrong', recordType: 'portal_account', recordId: input.accountId, detail: { failures } });
    if (failures >= CRIME_REFERENCE_ATTEMPT_LIMIT) {
      await deletePortalSession(trx, input.sessionIdHash);
      return 'ended';
    }
    return 'wrong';
  });
}

export type InvitationState = 'usable' | 'used' | 'expired';

/** Whether an invitation link can still be used, without using it (link checkers open links; only the button uses it). */
export async function invitationState(db: Db, token: string, now = new Date()): Promise<InvitationState> {
  const row = await findInvitation(db, hashToken(token));
  if (!row || row.revoked_at || row.expires_at.getTime() <= now.getTime()) return 'expired';
  return row.used_at ? 'used' : 'usable';
}

/** Uses a coordinator's invitation link: once, within 7 days, unless withdrawn. */
export async function acceptInvitation(db: Db, input: { token: string; requestId?: string }, now = new Date()): Promise<{ kind: 'signed_in' | 'crime_reference'; sessionToken: string } | { kind: InvitationState }> {
  return inTransaction(db, async (trx) => {
    const row = await lockInvitation(trx, hashToken(input.token));
    if (!row || row.revoked_at || row.expires_at.getTime() <= now.getTime()) return { kind: 'expired' };
    if (row.used_at) return { kind: 'used' };
    await markInvitationUsed(trx, row.token_hash, now);
    const accountId = await victimAccountFor(trx, row.person_id, row.created_by_user_id);
    return startSession(trx, accountId, 'invitation', input.requestId, now);
  });
}

export async function signOut(db: Db, input: { sessionIdHash: string; accountId: string | null; requestId?: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    await deletePortalSession(trx, input.sessionIdHash);
    if (input.accountId) await writeAudit(trx, { ...SIGN_IN, requestId: input.requestId }, { action: 'portal.signed_out', recordType: 'portal_account', recordId: input.accountId, detail: {} });
  });
}

/** Ends every session of the account, on every device: for a lost phone, or a device someone else may have used. */
export async function signOutEverywhere(db: Db, actor: Actor): Promise<number> {
  if (actor.kind !== 'victim') throw new Invalid({ account: 'Not signed in' });
  return inTransaction(db, async (trx) => {
    const ended = await endPortalSessionsForAccount(trx, actor.victim.accountId);
    await writeAudit(trx, actor, { action: 'portal.signed_out_everywhere', recordType: 'portal_account', recordId: actor.victim.accountId, detail: { sessions: ended } });
    return ended;
  });
}
