// Use-cases for messages on a case between the victim and named staff, in threads: one with the police (the officer in
// charge), one with the hub (the coordinator), and one with each support provider that has a live referral. Staff
// write in their own organisation's thread; the victim (or a parent or carer acting for them) writes in any thread the
// case has, through the portal, whose reach features/portal-access decides. Each write is one transaction with its
// message, its timeline event and its audit row; the timeline never holds a message's words. Reading a thread sets
// the read receipts on the other side's messages. A nudge raises a task when a victim's message waits too long.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { systemActor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { findOrganisation, organisationsByKind } from '../../platform/db/organisations.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { holidaysFor } from '../../platform/time/calendar.ts';
import { caseForAgencyIn, readableCase, type AgencyCase } from '../cases/agency-service.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { casesInReach, portalCase, portalRefusalsAudited, type ReachableCase } from '../portal-access/service.ts';
import { raiseTask } from '../tasks/service.ts';
import {
  caseOfProviderReferral,
  caseParties,
  findMessageIdByKey,
  insertMessageIfNew,
  listThread,
  markRead,
  organisationNames,
  providerReachesCase,
  threadSummaries,
  unansweredMessages,
  type CaseMessage,
} from './repository.ts';
import {
  FROM_VICTIM_SUMMARY,
  HUB_THREAD,
  POLICE_THREAD,
  REPLY_TASK_KIND,
  TO_VICTIM_SUMMARY,
  canMessage,
  checkInboundKey,
  checkMessageBody,
  checkSubmissionKey,
  messageEventKey,
  parseThreadSlug,
  providerThread,
  replyDueAt,
  replyOverdue,
  replyTaskKey,
  replyTaskTitle,
  sameThread,
  staffParty,
  threadsOfCase,
  type ThreadKey,
  type ThreadListing,
} from './rules.ts';

export type { CaseMessage, ThreadKey, ThreadListing };
export type MessageReceipt = { messageId: string; created: boolean };

// ---------------------------------------------------------------------------------------------------------------
// The victim's side (the portal)

/** The threads of these cases, as threadsOfCase lists them. */
async function threadsOfCases(db: Db | Trx, caseIds: readonly string[]): Promise<Map<string, ThreadListing[]>> {
  const [parties, summaries] = await Promise.all([caseParties(db, caseIds), threadSummaries(db, caseIds)]);
  const names = await organisationNames(db, summaries.flatMap((summary) => (summary.organisationId ? [summary.organisationId] : [])));
  return new Map(
    parties.map((party) => [
      party.caseId,
      threadsOfCase(
        party,
        summaries.filter((summary) => summary.caseId === party.caseId),
        names,
      ),
    ]),
  );
}

/** The thread a portal URL names on a reached case; NotFound unless the case has it. */
async function threadOnCase(trx: Trx, caseId: string, rawThread: unknown): Promise<ThreadListing> {
  const thread = parseThreadSlug(rawThread);
  const found = thread && (await threadsOfCases(trx, [caseId])).get(caseId)?.find((item) => sameThread(item.thread, thread));
  if (!found) throw new NotFound('thread');
  return found;
}

export type VictimCaseThreads = { reach: ReachableCase; threads: ThreadListing[] };

/**
 * Every thread of every case the portal account reaches (or of one case, when caseId is given), with unread counts.
 * Counts only, no words; the listing is audited. A case out of reach is NotFound (audited as refused).
 */
export async function victimThreads(db: Db, actor: Actor, caseId?: unknown): Promise<VictimCaseThreads[]> {
  return portalRefusalsAudited(db, actor, caseId, 'messages', () =>
    inTransaction(db, async (trx) => {
      const reach = caseId === undefined ? await casesInReach(trx, actor) : [await portalCase(trx, actor, caseId, 'read')];
      const threads = await threadsOfCases(
        trx,
        reach.map((item) => item.caseId),
      );
      const listed = reach.map((item) => ({ reach: item, threads: threads.get(item.caseId) ?? [] }));
      await writeAudit(trx, actor, {
        action: 'case_message.threads_listed_by_victim',
        recordType: 'case',
        recordId: caseId === undefined ? null : (reach[0]?.caseId ?? null),
        detail: { caseCount: listed.length, threadCount: listed.reduce((sum, item) => sum + item.threads.length, 0) },
      });
      return listed;
    }),
  );
}

/**
 * A message from the victim (or a parent or carer acting for them) in one thread of a case they reach: NotFound for a
 * case out of reach or a thread the case does not have or no longer takes messages in, Forbidden for a supporter. The
 * same idempotency key adds nothing the second time. It goes on the staff-only timeline without its words.
 */
export async function receiveVictimMessage(
  db: Db,
  actor: Actor,
  caseId: unknown,
  rawThread: unknown,
  form: { body?: unknown; idempotencyKey?: unknown },
  now = new Date(),
): Promise<MessageReceipt> {
  return portalRefusalsAudited(db, actor, caseId, 'send_message', () =>
    inTransaction(db, async (trx) => {
      const reach = await portalCase(trx, actor, caseId, 'act');
      const listing = await threadOnCase(trx, reach.caseId, rawThread);
      if (!listing.open) throw new NotFound('thread');
      const key = checkInboundKey(form.idempotencyKey);
      if ('errors' in key) throw new Invalid(key.errors);
      const earlier = await findMessageIdByKey(trx, reach.caseId, key.value);
      if (earlier) return { messageId: earlier, created: false };
      const body = checkMessageBody(form.body);
      if ('errors' in body) throw new Invalid(body.errors);
      return storeMessage(trx, actor, { caseId: reach.caseId, thread: listing.thread, direction: 'from_victim', authorUserId: null, body: body.value, idempotencyKey: key.value }, now);
    }),
  );
}

export type VictimThread = { reach: ReachableCase; listing: ThreadListing; messages: CaseMessage[]; markedRead: number; canSend: boolean };

/**
 * One thread as the portal shows it, audited. The victim, or a parent or carer acting for them, reading it sets the
 * read receipts on the staff's messages; a supporter's reading does not, since staff take a receipt to mean the
 * victim's side has seen it. A supporter never gets the send form.
 */
export async function readThreadForVictim(db: Db, actor: Actor, caseId: unknown, rawThread: unknown, now = new Date()): Promise<VictimThread> {
  return portalRefusalsAudited(db, actor, caseId, 'read_messages', () =>
    inTransaction(db, async (trx) => {
      const reach = await portalCase(trx, actor, caseId, 'read');
      const listing = await threadOnCase(trx, reach.caseId, rawThread);
      const markedRead = reach.canAct ? await markRead(trx, reach.caseId, listing.thread, 'to_victim', now) : 0;
      const messages = await listThread(trx, reach.caseId, listing.thread);
      await writeAudit(trx, actor, {
        action: 'case_message.thread_viewed_by_victim',
        recordType: 'case',
        recordId: reach.caseId,
        detail: { party: listing.thread.party, organisationId: listing.thread.organisationId, messageCount: messages.length, markedRead, relation: reach.relation },
      });
      return { reach, listing, messages, markedRead, canSend: reach.canAct && listing.open };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The staff's side

/** The member of staff's own thread on the case, with the case when they read it as the hub or the police. */
type StaffReach = { thread: ThreadKey; agencyCase: AgencyCase | null; caseId: string };

/**
 * Which thread a member of staff writes in on this case: the hub's coordinators the hub's, the police the police's,
 * and a provider's caseworkers and supervisors their organisation's, only while it has a live referral on the case and
 * the victim's consent to share with it is in force. Anyone else finds nothing (witness care and probation read the
 * case, but not the messages: Forbidden, as before). `audited` reads the case with its 'case.viewed' row.
 */
async function staffReach(trx: Trx, actor: Actor, caseId: string, audited: boolean): Promise<StaffReach> {
  if (actor.kind !== 'staff' || !isUuid(caseId)) throw new NotFound('case');
  const kind = actor.staff.organisationKind ?? (await findOrganisation(trx, actor.staff.organisationId))?.kind;
  if (kind === 'provider') {
    if (actor.staff.role !== 'provider_caseworker' && actor.staff.role !== 'supervisor') throw new NotFound('case');
    if (!(await providerReachesCase(trx, actor.staff.organisationId, caseId.toLowerCase()))) throw new NotFound('case');
    return { thread: providerThread(actor.staff.organisationId), agencyCase: null, caseId: caseId.toLowerCase() };
  }
  const agencyCase = audited ? await caseForAgencyIn(trx, actor, caseId) : await readableCase(trx, actor, caseId);
  if (!canMessage(agencyCase.access) || !staffParty(kind)) throw new Forbidden('only the hub, the police and support providers write to the victim');
  return { thread: agencyCase.access === 'police' ? POLICE_THREAD : HUB_THREAD, agencyCase, caseId: agencyCase.case.id };
}

/**
 * A reply to the victim in the staff member's own organisation's thread. The victim sees "You have a new message" on
 * their timeline, and the event asks the notification engine to tell them so (detail notifyVictim 'message'); the
 * words stay in the thread. The form's submission key makes a double submit send one.
 */
export async function replyToVictim(db: Db, actor: Actor, caseId: string, form: { body?: unknown; submissionKey?: unknown }, now = new Date()): Promise<MessageReceipt> {
  if (actor.kind !== 'staff') throw new Forbidden('only staff reply to the victim');
  const staff = actor.staff;
  return refusalsAudited(db, actor, caseId, 'reply', () =>
    inTransaction(db, async (trx) => {
      const reach = await staffReach(trx, actor, caseId, false);
      const key = checkSubmissionKey(form.submissionKey);
      if ('errors' in key) throw new Invalid(key.errors);
      const earlier = await findMessageIdByKey(trx, reach.caseId, key.value);
      if (earlier) return { messageId: earlier, created: false };
      const body = checkMessageBody(form.body);
      if ('errors' in body) throw new Invalid(body.errors);
      return storeMessage(trx, actor, { caseId: reach.caseId, thread: reach.thread, direction: 'to_victim', authorUserId: staff.userId, body: body.value, idempotencyKey: key.value }, now);
    }),
  );
}

async function storeMessage(
  trx: Trx,
  actor: Actor,
  message: { caseId: string; thread: ThreadKey; direction: 'from_victim' | 'to_victim'; authorUserId: string | null; body: string; idempotencyKey: string },
  now: Date,
): Promise<MessageReceipt> {
  const id = randomUUID();
  if (!(await insertMessageIfNew(trx, { id, ...message }))) {
    // The same key sent at the same moment: the unique key let the other one in, so this is its replay.
    const raced = await findMessageIdByKey(trx, message.caseId, message.idempotencyKey);
    if (!raced) throw new Error('A message was refused as a repeat but could not be found');
    return { messageId: raced, created: false };
  }
  const toVictim = message.direction === 'to_victim';
  await appendTimelineEvent(trx, actor, {
    caseId: message.caseId,
    kind: toVictim ? 'message_to_victim' : 'message_from_victim',
    summary: toVictim ? TO_VICTIM_SUMMARY : FROM_VICTIM_SUMMARY,
    // The notification contract: a victim-visible event with notifyVictim 'message' tells the victim there is one,
    // whichever thread it is in, and never what it says.
    detail: toVictim ? { notifyVictim: 'message', messageId: id } : { messageId: id },
    source: toVictim ? 'staff' : 'victim',
    idempotencyKey: messageEventKey(id),
    visibility: toVictim ? 'victim' : 'staff',
    occurredAt: now,
  });
  await writeAudit(trx, actor, {
    action: toVictim ? 'case_message.sent' : 'case_message.received',
    recordType: 'case',
    recordId: message.caseId,
    detail: { messageId: id, party: message.thread.party, organisationId: message.thread.organisationId },
  });
  return { messageId: id, created: true };
}

export type Thread = { messages: CaseMessage[]; markedRead: number };
export type StaffThreadPage = Thread & {
  caseId: string;
  agencyCase: AgencyCase | null;
  /** The thread shown, and whether it is the staff member's own (only their own takes a reply and sets receipts). */
  thread: ThreadKey;
  own: boolean;
  /** The threads they may choose between: the hub sees every thread of the case; anyone else only their own. */
  threads: ThreadListing[];
};

/**
 * A thread for staff, audited. By default their own; the hub's coordinators, who look after the whole case, may also
 * open the case's other threads to read (which sets no receipts: those are for the thread's owner).
 */
export async function getThread(db: Db, actor: Actor, caseId: string, rawThread?: unknown, now = new Date()): Promise<StaffThreadPage> {
  return refusalsAudited(db, actor, caseId, 'thread', () =>
    inTransaction(db, async (trx) => {
      const reach = await staffReach(trx, actor, caseId, true);
      const all = (await threadsOfCases(trx, [reach.caseId])).get(reach.caseId) ?? [];
      const threads = reach.thread.party === 'hub' ? all : all.filter((item) => sameThread(item.thread, reach.thread));
      const asked = rawThread === undefined || rawThread === '' ? reach.thread : parseThreadSlug(rawThread);
      const shown = asked && (sameThread(asked, reach.thread) ? asked : threads.find((item) => sameThread(item.thread, asked))?.thread);
      if (!shown) throw new NotFound('thread');
      const thread = await threadIn(trx, actor, reach.caseId, shown, sameThread(shown, reach.thread), now);
      return { ...thread, caseId: reach.caseId, agencyCase: reach.agencyCase, thread: shown, own: sameThread(shown, reach.thread), threads };
    }),
  );
}

async function threadIn(trx: Trx, actor: Actor, caseId: string, thread: ThreadKey, own: boolean, now: Date): Promise<Thread> {
  const markedRead = own ? await markRead(trx, caseId, thread, 'from_victim', now) : 0;
  const messages = await listThread(trx, caseId, thread);
  await writeAudit(trx, actor, {
    action: 'case_message.thread_viewed',
    recordType: 'case',
    recordId: caseId,
    detail: { party: thread.party, organisationId: thread.organisationId, messageCount: messages.length, markedRead },
  });
  return { messages, markedRead };
}

/**
 * The staff member's own thread on a case the caller has already read with caseForAgencyIn in this transaction (the
 * police view's case page shows it with the rest of the case): checks the access allows messages, sets the read
 * receipts and audits.
 */
export async function threadForAgencyCase(trx: Trx, actor: Actor, agencyCase: AgencyCase, now = new Date()): Promise<Thread> {
  if (!canMessage(agencyCase.access)) throw new Forbidden('only the hub and the police read the victim’s messages');
  return threadIn(trx, actor, agencyCase.case.id, agencyCase.access === 'police' ? POLICE_THREAD : HUB_THREAD, true, now);
}

/**
 * The case behind one of the provider's referrals, for the provider's messages page (their pages go by referral). A
 * referral that is not theirs is NotFound, audited; whether they may message is then getThread's check.
 */
export async function caseOfReferralForProvider(db: Db, actor: Actor, referralId: string): Promise<string> {
  const caseId = await inTransaction(db, async (trx) =>
    actor.kind === 'staff' && isUuid(referralId) ? caseOfProviderReferral(trx, actor.staff.organisationId, referralId) : undefined,
  );
  if (caseId) return caseId;
  return refuseProviderReferral(db, actor, referralId, 'victim_messages');
}

/** Refused the way every other provider page refuses a referral that is not theirs, so one audit action covers them all. */
async function refuseProviderReferral(db: Db, actor: Actor, referralId: string, step: string): Promise<never> {
  await inTransaction(db, (trx) =>
    writeAudit(trx, actor, { action: 'support_referral.access_refused', recordType: 'support_referral', recordId: isUuid(referralId) ? referralId : null, detail: { step } }),
  );
  throw new NotFound('referral');
}

/**
 * A provider's reply from its referral's page: refused (and audited as a refused referral) when the referral is not the
 * provider's, or no longer live with consent in force, as every provider page refuses it.
 */
export async function replyToVictimAsProvider(db: Db, actor: Actor, referralId: string, form: { body?: unknown; submissionKey?: unknown }, now = new Date()): Promise<MessageReceipt> {
  const caseId = await caseOfReferralForProvider(db, actor, referralId);
  try {
    return await replyToVictim(db, actor, caseId, form, now);
  } catch (error) {
    if (error instanceof NotFound || error instanceof Forbidden) return refuseProviderReferral(db, actor, referralId, 'victim_message_reply');
    throw error;
  }
}

/**
 * Runs a use-case on one case and, when the case is not found for this actor (a guessed id, another force's case),
 * records the refused attempt in its own transaction, since the use-case's rolled back, then refuses as before.
 */
export async function refusalsAudited<T>(db: Db, actor: Actor, caseId: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFound || error instanceof Forbidden) {
      await inTransaction(db, (trx) =>
        writeAudit(trx, actor, { action: 'case.access_refused', recordType: 'case', recordId: isUuid(caseId) ? caseId : null, detail: { what, refusal: error.name } }),
      );
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The reply target's nudge

const NUDGE = systemActor('message-reply-nudge');
const NUDGE_BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Raises a task for the thread's owner on each thread whose victim's message has had no reply within the target (2
 * working days), once per unanswered message: the hub's for the hub's thread, the force's for the police's (the
 * hub's if no force is known), the provider's for its own. A batch per transaction; returns how many it raised.
 */
export async function raiseOverdueReplyTasks(db: Db, now = new Date()): Promise<number> {
  const holidays = await holidaysFor(db);
  // 2 working days always span at least 2 whole days, so nothing younger can be late: a cheap filter for the scan.
  const sentBefore = new Date(now.getTime() - 2 * DAY_MS);
  let raised = 0;
  let afterId: string | null = null;
  for (;;) {
    const batch: { picked: number; lastId: string | null; created: number } = await inTransaction(db, async (trx) => {
      const waiting = await unansweredMessages(trx, sentBefore, { afterId, limit: NUDGE_BATCH });
      const hubs = await organisationsByKind(
        trx,
        waiting.map((item) => item.areaId),
      );
      let created = 0;
      for (const item of waiting) {
        if (!replyOverdue(item.sentAt, now, holidays)) continue;
        const hub = hubs.get(`${item.areaId}:hub`);
        const owner = item.party === 'provider' ? item.organisationId : item.party === 'police' ? (item.policeOrganisationId ?? hub) : hub;
        if (!owner) continue;
        const task = await raiseTask(trx, NUDGE, {
          caseId: item.caseId,
          kind: REPLY_TASK_KIND,
          title: replyTaskTitle(item.party),
          owningOrganisationId: owner,
          dueAt: replyDueAt(item.sentAt, holidays),
          idempotencyKey: replyTaskKey(item.messageId),
        });
        if (task.created) created += 1;
      }
      return { picked: waiting.length, lastId: waiting.at(-1)?.messageId ?? null, created };
    });
    raised += batch.created;
    if (batch.picked < NUDGE_BATCH || !batch.lastId) return raised;
    afterId = batch.lastId;
  }
}
