// Use-cases for messages on a case between the victim and named staff. Staff with the hub's or the police's access to
// the case (features/cases/agency-service.ts decides) read the thread and reply; the victim's portal sends and reads
// through receiveVictimMessage and listThreadForVictim. Each write is one transaction with its message, its timeline
// event and its audit row; the timeline never holds a message's words. Reading the thread sets the read receipts.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { caseForAgencyIn, readableCase, type AgencyCase } from '../cases/agency-service.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { findCaseArea, findMessageIdByKey, insertMessageIfNew, listThread, markRead, type CaseMessage } from './repository.ts';
import {
  FROM_VICTIM_SUMMARY,
  TO_VICTIM_SUMMARY,
  canMessage,
  checkInboundKey,
  checkMessageBody,
  checkSubmissionKey,
  messageEventKey,
} from './rules.ts';

export type { CaseMessage };
export type MessageReceipt = { messageId: string; created: boolean };

/**
 * A message from the victim. The victim's portal (a later issue) calls it once it has signed the victim in and knows
 * the case is theirs; until then only the system may. The same idempotency key adds nothing the second time. It goes
 * on the staff-only timeline without its words.
 */
export async function receiveVictimMessage(db: Db, input: { caseId: unknown; body: unknown; idempotencyKey: unknown }, actor: Actor, now = new Date()): Promise<MessageReceipt> {
  if (actor.kind !== 'system') throw new Forbidden('only the victim’s portal sends the victim’s messages');
  if (!isUuid(input.caseId)) throw new NotFound('case');
  const caseId = input.caseId;
  const key = checkInboundKey(input.idempotencyKey);
  if ('errors' in key) throw new Invalid(key.errors);
  return inTransaction(db, async (trx) => {
    if (!(await findCaseArea(trx, caseId))) throw new NotFound('case');
    const earlier = await findMessageIdByKey(trx, caseId, key.value);
    if (earlier) return { messageId: earlier, created: false };
    const body = checkMessageBody(input.body);
    if ('errors' in body) throw new Invalid(body.errors);
    return storeMessage(trx, actor, { caseId, direction: 'from_victim', authorUserId: null, body: body.value, idempotencyKey: key.value }, now);
  });
}

/**
 * A reply to the victim from a member of staff with the hub's or the police's access to the case. The victim sees
 * "You have a new message" on their timeline, and the event asks the notification engine to tell them so (detail
 * notifyVictim 'message'); the words stay in the thread. The form's submission key makes a double submit send one.
 */
export async function replyToVictim(db: Db, actor: Actor, caseId: string, form: { body?: unknown; submissionKey?: unknown }, now = new Date()): Promise<MessageReceipt> {
  return refusalsAudited(db, actor, caseId, 'reply', () =>
    inTransaction(db, async (trx) => {
      const { case: victimCase, access } = await readableCase(trx, actor, caseId);
      if (!canMessage(access) || actor.kind !== 'staff') throw new Forbidden('only the hub and the police write to the victim');
      const key = checkSubmissionKey(form.submissionKey);
      if ('errors' in key) throw new Invalid(key.errors);
      const earlier = await findMessageIdByKey(trx, victimCase.id, key.value);
      if (earlier) return { messageId: earlier, created: false };
      const body = checkMessageBody(form.body);
      if ('errors' in body) throw new Invalid(body.errors);
      return storeMessage(trx, actor, { caseId: victimCase.id, direction: 'to_victim', authorUserId: actor.staff.userId, body: body.value, idempotencyKey: key.value }, now, access);
    }),
  );
}

async function storeMessage(
  trx: Trx,
  actor: Actor,
  message: { caseId: string; direction: 'from_victim' | 'to_victim'; authorUserId: string | null; body: string; idempotencyKey: string },
  now: Date,
  access?: string,
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
    // The notification contract: a victim-visible event with notifyVictim 'message' tells the victim there is one.
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
    detail: { messageId: id, ...(access ? { access } : {}) },
  });
  return { messageId: id, created: true };
}

export type Thread = { messages: CaseMessage[]; markedRead: number };

/** The thread for staff with the hub's or the police's access, audited; the victim's unread messages become read. */
export async function getThread(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<Thread & { agencyCase: AgencyCase }> {
  return refusalsAudited(db, actor, caseId, 'thread', () =>
    inTransaction(db, async (trx) => {
      const agencyCase = await caseForAgencyIn(trx, actor, caseId);
      return { ...(await threadForAgencyCase(trx, actor, agencyCase, now)), agencyCase };
    }),
  );
}

/**
 * The thread of a case the caller has already read with caseForAgencyIn in this transaction (the police view's case
 * page shows it with the rest of the case): checks the access allows messages, sets the read receipts and audits.
 */
export async function threadForAgencyCase(trx: Trx, actor: Actor, agencyCase: AgencyCase, now = new Date()): Promise<Thread> {
  if (!canMessage(agencyCase.access)) throw new Forbidden('only the hub and the police read the victim’s messages');
  const markedRead = await markRead(trx, agencyCase.case.id, 'from_victim', now);
  const messages = await listThread(trx, agencyCase.case.id);
  await writeAudit(trx, actor, { action: 'case_message.thread_viewed', recordType: 'case', recordId: agencyCase.case.id, detail: { messageCount: messages.length, markedRead, access: agencyCase.access } });
  return { messages, markedRead };
}

/**
 * The thread as the victim's portal shows it: the staff's messages become read. The portal has signed the victim in
 * and decided the case is theirs; until it exists only the system may call this.
 */
export async function listThreadForVictim(db: Db, caseId: string, actor: Actor, now = new Date()): Promise<CaseMessage[]> {
  if (actor.kind !== 'system') throw new Forbidden('only the victim’s portal reads the thread for the victim');
  if (!isUuid(caseId)) throw new NotFound('case');
  return inTransaction(db, async (trx) => {
    if (!(await findCaseArea(trx, caseId))) throw new NotFound('case');
    const markedRead = await markRead(trx, caseId, 'to_victim', now);
    const messages = await listThread(trx, caseId);
    await writeAudit(trx, actor, { action: 'case_message.thread_viewed_by_victim', recordType: 'case', recordId: caseId, detail: { messageCount: messages.length, markedRead } });
    return messages;
  });
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
