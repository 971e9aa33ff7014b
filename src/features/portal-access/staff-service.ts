// The hub's side of portal access: see whether the victim uses the portal, send an invitation link by a safe channel,
// link a parent or carer (for a child victim) or a supporter (read only), remove a link, and turn the crime-reference
// check on or off. Only the hub's coordinators and supervisors with the hub's access to the case may; every change is
// audited and put on the staff timeline, so the record shows who gave whom access and when.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { endPortalSessionsForAccount } from '../../platform/auth/portal-sessions.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { ageOn } from '../assessment/rules.ts';
import { readableCase, type AgencyCase } from '../cases/agency-service.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { todayInLondon } from '../people/service.ts';
import { INVITATION_LIFETIME_MS, channelAllowed, parseAddress } from '../portal-sign-in/rules.ts';
import type { PortalSender } from '../portal-sign-in/sender.ts';
import {
  ensureVictimAccount,
  findLinkOfPerson,
  findOrCreateDelegateAccount,
  findVictimAccount,
  hasLiveLink,
  insertInvitation,
  insertLink,
  linksOfPerson,
  markLinkRevoked,
  recentInvitations,
  setCrimeReferenceCheckOn,
} from './repository.ts';
import { checkDelegateForm, checkRevokeReason, type DelegateForm } from './rules.ts';

const HUB_ROLES = ['coordinator', 'supervisor'];

/** The case, for a hub coordinator or supervisor with the hub's access to it, and who they are. */
async function hubCase(trx: Trx, actor: Actor, caseId: string): Promise<AgencyCase & { staffUserId: string }> {
  if (actor.kind !== 'staff' || !HUB_ROLES.includes(actor.staff.role)) throw new Forbidden('hub coordinators and supervisors only');
  if (!isUuid(caseId)) throw new NotFound('case');
  const found = await readableCase(trx, actor, caseId);
  if (found.access !== 'hub') throw new NotFound('case');
  return { ...found, staffUserId: actor.staff.userId };
}

const ageOf = (dateOfBirth: string | null): number | null => (dateOfBirth ? ageOn(dateOfBirth, todayInLondon()) : null);

export type PortalAccessPage = {
  caseId: string;
  givenName: string;
  victimAge: number | null;
  account: { crimeReferenceCheck: boolean; createdAt: Date } | null;
  invitations: { createdAt: Date; expiresAt: Date; usedAt: Date | null }[];
  links: { id: string; relation: string; displayName: string; contact: string; grantedAt: Date; revokedAt: Date | null; revokeReason: string | null }[];
  invitationChannel: 'email' | 'sms' | null;
};

/** Everything the hub's portal-access page shows, audited as read. */
export async function getPortalAccess(db: Db, actor: Actor, caseId: string): Promise<PortalAccessPage> {
  return inTransaction(db, async (trx) => {
    const found = await hubCase(trx, actor, caseId);
    const personId = found.person.id;
    const account = await findVictimAccount(trx, personId);
    const invitations = await recentInvitations(trx, found.case.id, 10);
    const links = await linksOfPerson(trx, personId);
    await writeAudit(trx, actor, { action: 'portal_access.viewed', recordType: 'case', recordId: found.case.id, detail: { links: links.length } });
    return {
      caseId: found.case.id,
      givenName: found.person.givenName,
      victimAge: ageOf(found.person.dateOfBirth),
      account: account ? { crimeReferenceCheck: account.crime_reference_check, createdAt: account.created_at } : null,
      invitations: invitations.map((row) => ({ createdAt: row.created_at, expiresAt: row.expires_at, usedAt: row.used_at })),
      links: links.map((row) => ({
        id: row.id,
        relation: row.relation,
        displayName: row.display_name,
        contact: row.email ?? row.phone ?? '',
        grantedAt: row.granted_at,
        revokedAt: row.revoked_at,
        revokeReason: row.revoke_reason,
      })),
      invitationChannel: invitationChannelOf(found),
    };
  });
}

/** The victim's first safe channel that can carry a link: email, then text message; none when neither is safe. */
function invitationChannelOf(found: AgencyCase): 'email' | 'sms' | null {
  const profile = found.person.safeContact as unknown as Record<string, unknown>;
  if (found.person.email && channelAllowed({ kind: 'email', value: found.person.email }, profile)) return 'email';
  if (found.person.phone && channelAllowed({ kind: 'phone', value: found.person.phone }, profile)) return 'sms';
  return null;
}

/**
 * Sends the victim a single-use link that signs them in, valid 7 days, by their first safe channel. Staff never see the
 * link, so nobody but the victim can use it. Refused when no channel is safe.
 */
export async function sendInvitation(db: Db, actor: Actor, caseId: string, sender: PortalSender, baseUrl: string, now = new Date()): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const message = await inTransaction(db, async (trx) => {
    const found = await hubCase(trx, actor, caseId);
    const channel = invitationChannelOf(found);
    if (!channel) throw new Invalid({ invitation: 'There is no safe way to send a link: the victim has no email address or mobile number marked safe. Update the safe-contact profile first' });
    await insertInvitation(trx, { tokenHash, personId: found.person.id, caseId: found.case.id, createdByUserId: found.staffUserId, expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS) });
    await writeAudit(trx, actor, { action: 'portal_access.invitation_sent', recordType: 'case', recordId: found.case.id, detail: { channel } });
    await appendTimelineEvent(trx, actor, {
      caseId: found.case.id,
      kind: 'portal_invitation_sent',
      summary: 'Invited to follow the case online',
      detail: { channel },
      source: 'staff',
      idempotencyKey: `portal_invitation:${tokenHash.slice(0, 32)}`,
      visibility: 'staff',
      occurredAt: now,
    });
    return {
      channel,
      recipient: (channel === 'email' ? found.person.email : found.person.phone) as string,
      language: found.person.preferredLanguage === 'cy' ? ('cy' as const) : ('en' as const),
      reference: `invitation:${found.case.id}:${now.getTime()}`,
    };
  });
  await sender.send({ kind: 'invitation', ...message, personalisation: { link: `${baseUrl}/my-case/invitation/${token}` } });
}

/**
 * Links a parent or carer (who may act for a child victim) or a supporter (who may only read) to the victim's record.
 * They sign in with their own email or mobile; an address already used by another linked person shares one account.
 */
export async function linkDelegate(db: Db, actor: Actor, caseId: string, form: DelegateForm): Promise<{ linkId: string }> {
  return inTransaction(db, async (trx) => {
    const found = await hubCase(trx, actor, caseId);
    const checked = checkDelegateForm(form, ageOf(found.person.dateOfBirth));
    const address = typeof form.contact === 'string' ? parseAddress(form.contact) : null;
    const errors = 'errors' in checked ? { ...checked.errors } : {};
    if (!address && !errors.contact) errors.contact = 'Enter an email address or a mobile phone number, like name@example.com or 07700 900 982';
    if ('errors' in checked || !address || Object.keys(errors).length) throw new Invalid(errors);
    const column = address.kind === 'email' ? 'email' : 'phone';
    const accountId = await findOrCreateDelegateAccount(trx, { column, address: address.value, areaId: found.case.areaId, displayName: checked.value.displayName, createdByUserId: found.staffUserId });
    if (await hasLiveLink(trx, accountId, found.person.id)) throw new Invalid({ contact: 'Someone with this email address or mobile number is already linked to this victim' });
    const link = { id: await insertLink(trx, { accountId, personId: found.person.id, relation: checked.value.relation, grantedByUserId: found.staffUserId }) };
    await writeAudit(trx, actor, { action: 'portal_access.linked', recordType: 'case', recordId: found.case.id, detail: { linkId: link.id, relation: checked.value.relation } });
    await appendTimelineEvent(trx, actor, {
      caseId: found.case.id,
      kind: 'portal_link_added',
      summary: checked.value.relation === 'parent_or_carer' ? 'A parent or carer can now act for the victim online' : 'A supporter can now read the case online',
      detail: { linkId: link.id, relation: checked.value.relation },
      source: 'staff',
      idempotencyKey: `portal_link:${link.id}`,
      visibility: 'staff',
      occurredAt: new Date(),
    });
    return { linkId: link.id };
  });
}

/** Removes a link at once: the person's sessions end, so they lose access on every device straight away. */
export async function revokeLink(db: Db, actor: Actor, caseId: string, linkId: string, reason: unknown): Promise<void> {
  await inTransaction(db, async (trx) => {
    const found = await hubCase(trx, actor, caseId);
    if (!isUuid(linkId)) throw new NotFound('link');
    const link = await findLinkOfPerson(trx, linkId, found.person.id);
    if (!link) throw new NotFound('link');
    if (link.revoked_at) return;
    const checked = checkRevokeReason(reason);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const now = new Date();
    await markLinkRevoked(trx, link.id, found.staffUserId, checked.value, now);
    const ended = await endPortalSessionsForAccount(trx, link.account_id);
    await writeAudit(trx, actor, { action: 'portal_access.revoked', recordType: 'case', recordId: found.case.id, detail: { linkId: link.id, sessionsEnded: ended } });
    await appendTimelineEvent(trx, actor, {
      caseId: found.case.id,
      kind: 'portal_link_revoked',
      summary: 'Online access for a parent, carer or supporter was removed',
      detail: { linkId: link.id },
      source: 'staff',
      idempotencyKey: `portal_link_revoked:${link.id}`,
      visibility: 'staff',
      occurredAt: now,
    });
  });
}

/** Turns the crime-reference second check on or off for the victim's own account (made now if they have none). */
export async function setCrimeReferenceCheck(db: Db, actor: Actor, caseId: string, on: boolean): Promise<void> {
  await inTransaction(db, async (trx) => {
    const found = await hubCase(trx, actor, caseId);
    const accountId = await ensureVictimAccount(trx, found.person.id, found.staffUserId);
    await setCrimeReferenceCheckOn(trx, accountId, on);
    await writeAudit(trx, actor, { action: 'portal_access.crime_reference_check_set', recordType: 'case', recordId: found.case.id, detail: { on } });
  });
}
