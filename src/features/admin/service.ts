// Administrators manage the staff accounts of their own organisation: list, view, invite, disable, enable and reset a
// second factor; and an invited person accepts their invitation. Each use-case authorises, validates, and runs in one
// transaction with its audit event. Reading an account is audited too, because the page shows personal data.
import { randomBytes } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { endSessionsForUser } from '../../platform/auth/session-store.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import {
  EMAIL_TAKEN_MESSAGE,
  availableActions,
  checkInvitation,
  checkNewPassword,
  hashInvitationToken,
  invitationExpiry,
  isInvitationUsable,
  isUuid,
  isWellFormedToken,
  statusOnEnable,
  type InvitationForm,
  type PasswordForm,
} from './rules.ts';
import {
  activateAccount,
  clearSecondFactor,
  findAccount,
  findByInvitationHash,
  insertInvitedAccount,
  isEmailInUse,
  listAccounts,
  replaceInvitation,
  setStatus,
  type InvitedAccount,
  type StaffAccount,
  type StaffListing,
} from './repository.ts';

const RECORD = 'staff_user';

function requireAdministrator(actor: Actor): StaffIdentity {
  if (actor.kind !== 'staff' || actor.staff.role !== 'administrator') throw new Forbidden('administrators only');
  return actor.staff;
}

/** The target account, locked when it is about to change; another organisation's id looks exactly like a missing one. */
async function accountInOrganisation(trx: Trx, admin: StaffIdentity, userId: string, forUpdate = false) {
  if (!isUuid(userId)) throw new NotFound('user');
  const account = await findAccount(trx, admin.organisationId, userId, { forUpdate });
  if (!account) throw new NotFound('user');
  return account;
}

export async function listUsers(db: Db, actor: Actor): Promise<StaffListing[]> {
  const admin = requireAdministrator(actor);
  return inTransaction(db, async (trx) => {
    const accounts = await listAccounts(trx, admin.organisationId);
    await writeAudit(trx, actor, {
      action: 'staff_user.list_viewed',
      recordType: 'organisation',
      recordId: admin.organisationId,
      detail: { count: accounts.length },
    });
    return accounts;
  });
}

/** Which page the account was read for, recorded in the audit trail. */
export type ViewPurpose = 'details' | 'disable' | 'enable' | 'reset_second_factor';

export type UserDetails = { account: StaffAccount; actions: ReturnType<typeof availableActions>; isSelf: boolean };

export async function viewUser(db: Db, actor: Actor, userId: string, purpose: ViewPurpose = 'details'): Promise<UserDetails> {
  const admin = requireAdministrator(actor);
  return inTransaction(db, async (trx) => {
    const account = await accountInOrganisation(trx, admin, userId);
    await writeAudit(trx, actor, { action: 'staff_user.viewed', recordType: RECORD, recordId: account.id, detail: { page: purpose } });
    return { account, actions: availableActions(account, admin.userId), isSelf: account.id === admin.userId };
  });
}

export type IssuedInvitation = { userId: string; token: string; expiresAt: Date };

const newInvitationToken = (): string => randomBytes(32).toString('base64url');

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

export async function inviteUser(db: Db, actor: Actor, form: InvitationForm): Promise<IssuedInvitation> {
  const admin = requireAdministrator(actor);
  const checked = checkInvitation(form);
  if ('errors' in checked) throw new Invalid(checked.errors);
  const { fullName, email, role } = checked.value;
  const token = newInvitationToken();
  const expiresAt = invitationExpiry(new Date());
  try {
    const userId = await inTransaction(db, async (trx) => {
      if (await isEmailInUse(trx, email)) throw new Invalid({ email: EMAIL_TAKEN_MESSAGE });
      const id = await insertInvitedAccount(trx, {
        organisationId: admin.organisationId,
        displayName: fullName,
        email,
        role,
        invitationHash: hashInvitationToken(token),
        expiresAt,
      });
      await writeAudit(trx, actor, { action: 'staff_user.invited', recordType: RECORD, recordId: id, detail: { role } });
      return id;
    });
    return { userId, token, expiresAt };
  } catch (error) {
    // Two administrators inviting the same address at once: the unique index decides, and the loser sees the field error.
    if (isUniqueViolation(error)) throw new Invalid({ email: EMAIL_TAKEN_MESSAGE });
    throw error;
  }
}

/** A new link for someone who has not yet accepted: the old link stops working. */
export async function reissueInvitation(db: Db, actor: Actor, userId: string): Promise<IssuedInvitation> {
  const admin = requireAdministrator(actor);
  const token = newInvitationToken();
  const expiresAt = invitationExpiry(new Date());
  await inTransaction(db, async (trx) => {
    const account = await accountInOrganisation(trx, admin, userId, true);
    if (account.status !== 'invited') throw new Conflict('Only a user who has not yet accepted their invitation can be sent a new link');
    await replaceInvitation(trx, account.id, hashInvitationToken(token), expiresAt);
    await writeAudit(trx, actor, { action: 'staff_user.invitation_reissued', recordType: RECORD, recordId: account.id });
  });
  return { userId, token, expiresAt };
}

export async function disableUser(db: Db, actor: Actor, userId: string): Promise<void> {
  const admin = requireAdministrator(actor);
  if (userId === admin.userId) throw new Conflict('You cannot disable your own account');
  await inTransaction(db, async (trx) => {
    const account = await accountInOrganisation(trx, admin, userId, true);
    // Sending the form twice changes nothing the second time.
    if (account.status === 'disabled') return;
    await setStatus(trx, account.id, 'disabled');
    await endSessionsForUser(trx, account.id);
    await writeAudit(trx, actor, {
      action: 'staff_user.disabled',
      recordType: RECORD,
      recordId: account.id,
      detail: { previousStatus: account.status },
    });
  });
}

export async function enableUser(db: Db, actor: Actor, userId: string): Promise<void> {
  const admin = requireAdministrator(actor);
  await inTransaction(db, async (trx) => {
    const account = await accountInOrganisation(trx, admin, userId, true);
    if (account.status !== 'disabled') return;
    const status = statusOnEnable(account);
    await setStatus(trx, account.id, status);
    await writeAudit(trx, actor, { action: 'staff_user.enabled', recordType: RECORD, recordId: account.id, detail: { status } });
  });
}

export async function resetSecondFactor(db: Db, actor: Actor, userId: string): Promise<void> {
  const admin = requireAdministrator(actor);
  // Resetting one's own factor would end this session mid-task; another administrator does it.
  if (userId === admin.userId) throw new Conflict('You cannot reset your own second factor');
  await inTransaction(db, async (trx) => {
    const account = await accountInOrganisation(trx, admin, userId, true);
    await clearSecondFactor(trx, account.id);
    await endSessionsForUser(trx, account.id);
    await writeAudit(trx, actor, {
      action: 'staff_user.second_factor_reset',
      recordType: RECORD,
      recordId: account.id,
      detail: { hadSecondFactor: account.hasSecondFactor },
    });
  });
}

/** Thrown for a token that is unknown, spent or out of date: the person cannot tell which, and need not. */
export class InvitationUnusable extends NotFound {
  constructor() {
    super('invitation');
    this.name = 'InvitationUnusable';
  }
}

async function usableInvitation(trx: Trx, token: unknown, forUpdate = false): Promise<InvitedAccount> {
  if (!isWellFormedToken(token)) throw new InvitationUnusable();
  const account = await findByInvitationHash(trx, hashInvitationToken(token), { forUpdate });
  if (!account || !isInvitationUsable(account, new Date())) throw new InvitationUnusable();
  return account;
}

/** Checks a link before showing the password form. Nothing personal is shown, so nothing is audited. */
export async function checkInvitationLink(db: Db, token: unknown): Promise<void> {
  await inTransaction(db, async (trx) => {
    await usableInvitation(trx, token);
  });
}

export async function acceptInvitation(db: Db, token: unknown, form: PasswordForm, requestId?: string): Promise<void> {
  await checkInvitationLink(db, token);
  const checked = checkNewPassword(form);
  if ('errors' in checked) throw new Invalid(checked.errors);
  // Hashing is slow on purpose, so it runs before the transaction rather than holding the row meanwhile.
  const passwordHash = await hashPassword(checked.value);
  await inTransaction(db, async (trx) => {
    // Checked again under the row lock: two tabs sending the form at once accept it only once.
    const account = await usableInvitation(trx, token, true);
    await activateAccount(trx, account.id, passwordHash);
    await endSessionsForUser(trx, account.id);
    const self: StaffIdentity = {
      userId: account.id,
      email: account.email,
      displayName: account.displayName,
      role: account.role,
      organisationId: account.organisationId,
      organisationName: account.organisationName,
      areaId: account.areaId,
    };
    await writeAudit(trx, { kind: 'staff', staff: self, requestId }, {
      action: 'staff_user.invitation_accepted',
      recordType: RECORD,
      recordId: account.id,
    });
  });
}
