// The provider's side of referrals: the team inbox, "my clients", one referral with only what consent allows, and
// the steps the provider takes (answer, allocate, start, log progress, message the coordinator, close with an outcome,
// send back). Only a provider organisation's caseworkers and supervisors may; allocating is for supervisors.
//
// Every query names the provider's own organisation and reads the person only while the victim's consent is in force
// (the repository embeds the ledger's check). A referral id that is not this provider's, or whose consent has gone,
// gets NotFound for any step, and the attempt is audited in its own transaction, since the step's is rolled back. A
// referral closed by a withdrawal can still be opened, and shows only that it closed.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { findOrganisation } from '../../platform/db/organisations.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { listActiveServices } from '../directory/service.ts';
import {
  closedByWithdrawal,
  consentedCaseOfReferral,
  findNoteBySubmission,
  findReferralOfProvider,
  hubOrganisationOfReferral,
  insertNoteIfNew,
  isProviderStaff,
  listNotes,
  providerInbox,
  providerStaff,
  updateReferral,
  type ConsentedCase,
  type InboxEntry,
  type Referral,
  type ReferralNote,
} from './repository.ts';
import { canTake, checkAnswer, checkClosing, checkNote, checkSendBack, referralReference, VICTIM_WORDS, type ReferralStep } from './rules.ts';
import { raiseReturnedTask } from './service.ts';

const RECORD = 'support_referral';
export const INBOX_PAGE_SIZE = 50;

/** Caseworkers and supervisors of a provider organisation; anyone else is refused. */
async function requireProviderStaff(trx: Trx, actor: Actor): Promise<StaffIdentity> {
  if (actor.kind !== 'staff' || (actor.staff.role !== 'provider_caseworker' && actor.staff.role !== 'supervisor')) throw new Forbidden('provider staff only');
  // A signed-in page's identity carries its organisation's kind; one made elsewhere has it read here.
  const kind = actor.staff.organisationKind ?? (await findOrganisation(trx, actor.staff.organisationId))?.kind;
  if (kind !== 'provider') throw new Forbidden('provider staff only');
  return actor.staff;
}

export type InboxPage = {
  view: 'team' | 'unallocated' | 'mine';
  entries: (InboxEntry & { reference: string })[];
  total: number;
  page: number;
  pages: number;
  closedByWithdrawal: { reference: string; id: string; closedAt: Date; serviceName: string }[];
};

/**
 * The team inbox (every open referral, or only those nobody has yet), or "my clients" (those allocated to me). Names
 * are read under consent, so the read is audited.
 */
export async function getInbox(db: Db, actor: Actor, query: { view?: unknown; page?: unknown }, now = new Date()): Promise<InboxPage> {
  return inTransaction(db, async (trx) => {
    const staff = await requireProviderStaff(trx, actor);
    const view = query.view === 'unallocated' || query.view === 'mine' ? query.view : 'team';
    const requested = typeof query.page === 'string' && /^[1-9][0-9]{0,5}$/.test(query.page) ? Number(query.page) : 1;
    const { entries, total } = await providerInbox(trx, {
      organisationId: staff.organisationId,
      allocatedToUserId: view === 'mine' ? staff.userId : undefined,
      unallocatedOnly: view === 'unallocated',
      limit: INBOX_PAGE_SIZE,
      offset: (requested - 1) * INBOX_PAGE_SIZE,
    });
    // Told for 30 days that a referral closed on a withdrawal, with nothing that identifies the person.
    const closed = view === 'mine' ? [] : await closedByWithdrawal(trx, staff.organisationId, new Date(now.getTime() - 30 * 24 * 3600 * 1000));
    await writeAudit(trx, actor, { action: 'support_referral.inbox_viewed', recordType: 'organisation', recordId: staff.organisationId, detail: { view, page: requested, shown: entries.length } });
    return {
      view,
      entries: entries.map((entry) => ({ ...entry, reference: referralReference(entry.id) })),
      total,
      page: requested,
      pages: Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE)),
      closedByWithdrawal: closed.map((entry) => ({ ...entry, reference: referralReference(entry.id) })),
    };
  });
}

/** Thrown inside a transaction when the referral is not this provider's (or its consent has gone), so the refusal is audited after it. */
class NotOurs extends Error {}

type Held = { staff: StaffIdentity; referral: Referral; consented: ConsentedCase | undefined };

/**
 * Runs `work` on one of the provider's referrals in one transaction. Another provider's id, a made-up one, or (for any
 * step) one whose consent is no longer in force throws NotFound, and the attempt is audited on its own.
 */
async function withProviderReferral<T>(
  db: Db,
  actor: Actor,
  referralId: string,
  step: ReferralStep | 'view',
  work: (trx: Trx, held: Held) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(db, async (trx) => {
      const staff = await requireProviderStaff(trx, actor);
      const referral = isUuid(referralId) ? await findReferralOfProvider(trx, staff.organisationId, referralId, { forUpdate: step !== 'view' }) : undefined;
      if (!referral) throw new NotOurs();
      const consented = await consentedCaseOfReferral(trx, staff.organisationId, referral.id);
      if (step !== 'view') {
        if (!consented) throw new NotOurs();
        if (!canTake(step, referral.status)) throw new Conflict('This referral has moved on since the page was opened. Check its status');
      } else if (!consented && referral.status !== 'closed') {
        // Consent ended (an end date) while the referral was open: the provider may know only the referral exists.
        throw new NotOurs();
      }
      return work(trx, { staff, referral, consented });
    });
  } catch (error) {
    if (!(error instanceof NotOurs)) throw error;
    await inTransaction(db, (trx) =>
      writeAudit(trx, actor, { action: 'support_referral.access_refused', recordType: RECORD, recordId: isUuid(referralId) ? referralId : null, detail: { step } }),
    );
    throw new NotFound('referral');
  }
}

/** What a provider may see of one referral: everything while consent is in force; after a withdrawal only that it closed. */
export type ProviderReferralPage =
  | {
      consented: true;
      reference: string;
      referral: Referral;
      person: ConsentedCase;
      notes: ReferralNote[];
      staff: { id: string; displayName: string }[];
      canAllocate: boolean;
      onwardServices: { id: string; name: string; organisationName: string }[];
      submissionKey: string;
    }
  | { consented: false; reference: string; serviceName: string; closedAt: Date | null; withdrawn: boolean };

export async function getProviderReferral(db: Db, actor: Actor, referralId: string): Promise<ProviderReferralPage> {
  return withProviderReferral(db, actor, referralId, 'view', async (trx, { staff, referral, consented }) => {
    const reference = referralReference(referral.id);
    if (!consented) {
      await writeAudit(trx, actor, { action: 'support_referral.viewed', recordType: RECORD, recordId: referral.id, detail: { consented: false } });
      return { consented: false, reference, serviceName: referral.serviceName, closedAt: referral.closedAt, withdrawn: referral.outcome === 'consent_withdrawn' };
    }
    const [notes, team, services] = await Promise.all([
      listNotes(trx, referral.id, ['progress', 'to_coordinator', 'to_provider']),
      providerStaff(trx, staff.organisationId),
      listActiveServices(trx, referral.areaId),
    ]);
    await writeAudit(trx, actor, { action: 'support_referral.viewed', recordType: RECORD, recordId: referral.id, detail: { consented: true, caseId: referral.caseId } });
    return {
      consented: true,
      reference,
      referral,
      person: consented,
      notes,
      staff: team,
      canAllocate: staff.role === 'supervisor',
      onwardServices: services.filter((service) => service.id !== referral.serviceId).map((service) => ({ id: service.id, name: service.name, organisationName: service.organisationName })),
      submissionKey: randomUUID(),
    };
  });
}

const EVENT_KIND = { accepted: 'service_referral_accepted', declined: 'service_referral_declined', no_capacity: 'service_referral_no_capacity' } as const;

/**
 * The provider's answer. Its event names the sent event, which meets this referral's response duty on the Code clock.
 * A decline or "no capacity" comes back to the hub as a task; the reason stays with staff.
 */
export async function answerReferral(db: Db, actor: Actor, referralId: string, form: Record<string, unknown>, now = new Date()): Promise<void> {
  await withProviderReferral(db, actor, referralId, 'answer', async (trx, { staff, referral }) => {
    const checked = checkAnswer(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const answer = checked.value;
    await updateReferral(trx, referral.id, {
      status: answer.kind,
      answered_at: now,
      answered_by_user_id: staff.userId,
      decline_reason: answer.kind === 'declined' ? answer.reason : null,
    });
    await step(trx, actor, referral, {
      kind: EVENT_KIND[answer.kind],
      summary: VICTIM_WORDS[answer.kind](referral.serviceName),
      now,
    });
    if (answer.kind !== 'accepted') {
      await raiseReturnedTask(trx, actor, referral, await hubOrganisationOfReferral(trx, referral.id), answer.kind === 'declined' ? 'declined the referral' : 'has no capacity');
    }
  });
}

/** A supervisor gives the referral to one of the team. */
export async function allocateReferral(db: Db, actor: Actor, referralId: string, form: Record<string, unknown>, now = new Date()): Promise<void> {
  await withProviderReferral(db, actor, referralId, 'allocate', async (trx, { staff, referral }) => {
    if (staff.role !== 'supervisor') throw new Forbidden('provider supervisors only');
    const userId = form.userId;
    if (!isUuid(userId) || !(await isProviderStaff(trx, staff.organisationId, userId))) throw new Invalid({ userId: 'Select who in your team will work with the victim' });
    await updateReferral(trx, referral.id, { allocated_to_user_id: userId, allocated_at: now });
    await step(trx, actor, referral, { kind: 'service_referral_allocated', summary: `Referral to ${referral.serviceName} allocated to a caseworker`, detail: { userId }, now, key: `${userId}:${now.getTime()}` });
  });
}

/** Support has started: the victim sees it on their timeline. */
export async function startSupport(db: Db, actor: Actor, referralId: string, now = new Date()): Promise<void> {
  await withProviderReferral(db, actor, referralId, 'start', async (trx, { referral }) => {
    await updateReferral(trx, referral.id, { status: 'in_progress', started_at: now });
    await step(trx, actor, referral, { kind: 'service_referral_started', summary: VICTIM_WORDS.started(referral.serviceName), now });
  });
}

/** A progress log entry, or a message to the coordinator: both kept with the referral, and a staff-only event. */
export async function addNote(db: Db, actor: Actor, referralId: string, kind: 'progress' | 'to_coordinator', form: Record<string, unknown>, now = new Date()): Promise<void> {
  const submissionKey = form.submissionKey;
  if (!isUuid(submissionKey)) throw new Invalid({ body: 'The form could not be matched. Open the page again and re-enter the note' });
  await withProviderReferral(db, actor, referralId, kind === 'progress' ? 'log_progress' : 'message', async (trx, { staff, referral }) => {
    if (await findNoteBySubmission(trx, submissionKey)) return;
    const checked = checkNote(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const noteId = await insertNoteIfNew(trx, { referralId: referral.id, kind, body: checked.value, authorUserId: staff.userId, submissionKey, now });
    if (!noteId) return;
    await step(trx, actor, referral, {
      kind: kind === 'progress' ? 'service_referral_progress' : 'service_referral_message',
      summary: kind === 'progress' ? `${referral.organisationName} logged progress` : `Message from ${referral.organisationName} about the referral`,
      detail: { noteId, direction: kind },
      now,
      key: noteId,
    });
  });
}

/** Closes the referral with its outcome and the victim's before-and-after measures. */
export async function closeReferral(db: Db, actor: Actor, referralId: string, form: Record<string, unknown>, now = new Date()): Promise<void> {
  await withProviderReferral(db, actor, referralId, 'close', async (trx, { staff, referral }) => {
    const checked = checkClosing(form);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const closing = checked.value;
    await updateReferral(trx, referral.id, {
      status: 'closed',
      outcome: closing.outcome,
      close_note: closing.note,
      closed_at: now,
      closed_by_user_id: staff.userId,
      coping_before: closing.copingBefore,
      coping_after: closing.copingAfter,
      safety_before: closing.safetyBefore,
      safety_after: closing.safetyAfter,
    });
    await step(trx, actor, referral, {
      kind: 'service_referral_closed',
      summary: VICTIM_WORDS.closed(referral.serviceName),
      detail: { outcome: closing.outcome, copingBefore: closing.copingBefore, copingAfter: closing.copingAfter, safetyBefore: closing.safetyBefore, safetyAfter: closing.safetyAfter },
      now,
    });
  });
}

/** Sends the case back to the coordinator with a reason, suggesting another service if the provider knows a better one. */
export async function sendBack(db: Db, actor: Actor, referralId: string, form: Record<string, unknown>, now = new Date()): Promise<void> {
  await withProviderReferral(db, actor, referralId, 'send_back', async (trx, { referral }) => {
    const services = await listActiveServices(trx, referral.areaId);
    const checked = checkSendBack(form, new Set(services.filter((service) => service.id !== referral.serviceId).map((service) => service.id)));
    if ('errors' in checked) throw new Invalid(checked.errors);
    await updateReferral(trx, referral.id, { status: 'returned', returned_reason: checked.value.reason, onward_service_id: checked.value.onwardServiceId });
    await step(trx, actor, referral, {
      kind: 'service_referral_returned',
      summary: VICTIM_WORDS.returned(referral.serviceName),
      // The reason stays on the referral, for staff: the victim's timeline carries only the plain words.
      detail: { onwardServiceId: checked.value.onwardServiceId },
      now,
    });
    await raiseReturnedTask(trx, actor, referral, await hubOrganisationOfReferral(trx, referral.id), checked.value.onwardServiceId ? 'suggests another service' : 'sent the case back');
  });
}

/** Victim-visible steps carry the victim's words; the rest are staff-only. Each names the referral and its sent event. */
const VICTIM_SEES = new Set(['service_referral_accepted', 'service_referral_declined', 'service_referral_no_capacity', 'service_referral_started', 'service_referral_closed', 'service_referral_returned']);

async function step(
  trx: Trx,
  actor: Actor,
  referral: Referral,
  event: { kind: string; summary: string; detail?: Record<string, unknown>; now: Date; key?: string },
): Promise<void> {
  const { event: recorded } = await appendTimelineEvent(trx, actor, {
    caseId: referral.caseId,
    kind: event.kind,
    summary: event.summary,
    detail: { referralId: referral.id, sentEventId: referral.sentEventId, ...event.detail },
    source: 'provider',
    idempotencyKey: `${event.kind}:${referral.id}${event.key ? `:${event.key}` : ''}`,
    visibility: VICTIM_SEES.has(event.kind) ? 'victim' : 'staff',
    occurredAt: event.now,
  });
  await writeAudit(trx, actor, {
    action: `support_referral.${event.kind.replace('service_referral_', '')}`,
    recordType: RECORD,
    recordId: referral.id,
    detail: { caseId: referral.caseId, eventId: recorded.id },
  });
}
