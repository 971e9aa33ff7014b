// Notification use-cases. The runner reads victim events from the inbox and makes one notification (and one job) per
// event, or withholds it with a task for the hub. The worker sends it exactly once: our id is Notify's reference, and
// a send that may be a repeat first asks Notify what it already holds. Receipts mark delivery (which meets the Code
// duty) or move to the next safe channel. Nothing personal goes into a message, a log or an audit row.
import { createHash, randomUUID } from 'node:crypto';
import { systemActor, type Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { findOrganisation, organisationsByKind } from '../../platform/db/organisations.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, Invalid } from '../../platform/http/domain-errors.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { NotifyUnavailable, type NotifySender } from '../../platform/notify/sender.ts';
import { appendTimelineEvent, getCaseForStaff } from '../cases/service.ts';
// A pure rule (no I/O): pages name a case by the same short reference everywhere.
import { caseReference } from '../cases/rules.ts';
import { changeSafeContact, type SafeContact } from '../people/service.ts';
import { raiseTask } from '../tasks/service.ts';
import {
  changeNotification,
  inboxHasEvents,
  insertNotification,
  lockNotification,
  outboxIdByReference,
  putInOutbox,
  recipientOf,
  takeInboxEvents,
  takeSendSlot,
  newestInOutbox,
  type Notification,
  type OutboxEntry,
} from './repository.ts';
import {
  checkSafeContactForm,
  decideNotification,
  messageText,
  storedSafeContact,
  isFailureStatus,
  notificationIdOfReference,
  notificationProfile,
  personalisationFor,
  purposeOf,
  quietHoursEnd,
  referenceFor,
  SEND_RETRY_LIMIT,
  slotIntervalMs,
  templateIdFor,
  type NotifyChannel,
  type ReceiptStatus,
} from './rules.ts';

const actor = systemActor('notifications');
const INBOX_BATCH = 200;
const FINISHED = new Set(['sent', 'delivered', 'failed', 'withheld']);

/** Puts a notification's send job on the queue inside trx, to start no earlier than startAfter. */
export type EnqueueSend = (trx: Trx, notificationId: string, startAfter?: Date) => Promise<void>;

export type NotificationDeps = {
  db: Db;
  sender: NotifySender;
  /** The embedded outbox: what it accepts counts as delivered at once. */
  outbox: boolean;
  /** Which rate-limit row the sends count against: one per API key. */
  rateKeyId: string;
  ratePerMinute: number;
  templateIds: Record<string, string>;
  signInUrl: string;
  enqueue: EnqueueSend;
  now?: () => Date;
};

/** A rate-limit row's name for an API key: a hash, so the key itself is never stored. */
export const rateKeyIdOf = (apiKey: string | undefined): string => (apiKey ? createHash('sha256').update(apiKey).digest('hex').slice(0, 32) : 'outbox');

/**
 * Reads every event waiting in the inbox; returns how many it read. Safe in several processes at once. With `settle`
 * it waits for rows other runners hold, and returns only when every event recorded before the call has been read.
 */
export async function runNotificationInbox(deps: Pick<NotificationDeps, 'db' | 'enqueue' | 'now'>, options: { settle?: boolean } = {}): Promise<number> {
  const now = deps.now ?? (() => new Date());
  let read = 0;
  for (;;) {
    const count = await inTransaction(deps.db, async (trx) => {
      const events = await takeInboxEvents(trx, INBOX_BATCH, options.settle);
      const hubs = await organisationsByKind(trx, events.map((event) => event.areaId));
      for (const event of events) {
        const profile = notificationProfile(event.safeContact);
        const decision = decideNotification(profile, event);
        const at = now();
        const quietUntil = decision.kind === 'send' ? quietHoursEnd(at, profile.quietHours) : null;
        const id = await insertNotification(trx, {
          caseId: event.caseId, areaId: event.areaId, personId: event.personId, eventId: event.eventId, purpose: purposeOf(event.detail.notifyVictim),
          language: decision.kind === 'send' ? decision.language : 'en', channels: decision.kind === 'send' ? decision.channels : [],
          state: decision.kind === 'send' ? 'queued' : 'withheld', withheldReason: decision.kind === 'send' ? null : decision.reason, dueAt: quietUntil ?? at,
        });
        if (!id) continue;
        if (decision.kind === 'send') await deps.enqueue(trx, id, quietUntil ?? undefined);
        else await raiseHubTask(trx, hubs.get(`${event.areaId}:hub`), event.caseId, 'victim_not_contactable', decision.taskTitle, `notification-withheld:${id}`);
        await writeAudit(trx, actor, {
          action: decision.kind === 'send' ? 'notification.created' : 'notification.withheld',
          recordType: 'case',
          recordId: event.caseId,
          detail: { notificationId: id, eventId: event.eventId, ...(decision.kind === 'send' ? { channels: decision.channels, deferred: Boolean(quietUntil) } : { reason: decision.reason }) },
        });
      }
      return events.length;
    });
    if (!count && !(options.settle && (await inboxHasEvents(deps.db)))) return read;
    read += count;
  }
}

async function raiseHubTask(trx: Trx, hubId: string | undefined, caseId: string, kind: 'victim_not_contactable' | 'notification_undeliverable', title: string, key: string): Promise<void> {
  // An area always has its hub; without one there is nobody to give the task to, and the notification's state says why.
  if (!hubId) return;
  await raiseTask(trx, actor, { caseId, kind, title, owningOrganisationId: hubId, idempotencyKey: key });
}

const UNDELIVERABLE_TITLE = 'Tell the victim about their update another way: no safe message could be delivered';

/** No channel is left: the notification failed, and the hub tells the victim another way. */
async function giveUp(trx: Trx, notification: Notification, now: Date, why: string): Promise<void> {
  await changeNotification(trx, notification.id, { state: 'failed', at: 'failed_at' }, now);
  const hubs = await organisationsByKind(trx, [notification.areaId]);
  await raiseHubTask(trx, hubs.get(`${notification.areaId}:hub`), notification.caseId, 'notification_undeliverable', UNDELIVERABLE_TITLE, `notification-undeliverable:${notification.id}`);
  await writeAudit(trx, actor, { action: 'notification.undeliverable', recordType: 'case', recordId: notification.caseId, detail: { notificationId: notification.id, why } });
}

/** The next channel after the current one, or a failure; a job is queued when the move came from a receipt. */
async function moveToNextChannel(trx: Trx, notification: Notification, now: Date, why: string, enqueue?: EnqueueSend): Promise<boolean> {
  const next = notification.channelIndex + 1;
  if (next >= notification.channels.length) {
    await giveUp(trx, notification, now, why);
    return false;
  }
  await changeNotification(trx, notification.id, { state: 'queued', channelIndex: next, notifyId: null }, now);
  if (enqueue) await enqueue(trx, notification.id);
  return true;
}

/** Marks the notification delivered and tells the Code clock, through a staff-only timeline event, which update arrived. */
async function recordDelivered(trx: Trx, notification: Notification, channel: NotifyChannel, notifyId: string | null, now: Date): Promise<void> {
  await changeNotification(trx, notification.id, { state: 'delivered', at: 'delivered_at', ...(notifyId ? { notifyId } : {}) }, now);
  await appendTimelineEvent(trx, actor, {
    caseId: notification.caseId,
    kind: 'notification_delivered',
    summary: `Notification of an update delivered by ${channel === 'sms' ? 'text message' : 'email'}`,
    detail: { notificationId: notification.id, aboutEventId: notification.eventId, channel },
    source: 'notify',
    idempotencyKey: `notification-delivered:${notification.id}`,
    visibility: 'staff',
    occurredAt: now,
  });
  await writeAudit(trx, actor, { action: 'notification.delivered', recordType: 'case', recordId: notification.caseId, detail: { notificationId: notification.id, channel } });
}

type Step =
  | { kind: 'done' }
  | { kind: 'send'; notification: Notification; channel: NotifyChannel; recipient: string; reference: string; repeat: boolean };

/** Under the row's lock: whether to send now, defer to the end of quiet hours, or stop (done, withheld, no channel left). */
async function nextStep(trx: Trx, deps: NotificationDeps, id: string, mayBeRepeat: boolean, now: Date): Promise<Step> {
  const notification = await lockNotification(trx, id);
  if (!notification || FINISHED.has(notification.state)) return { kind: 'done' };
  const person = await recipientOf(trx, notification.personId);
  // The profile as it is now: a victim marked "do not contact" since the event was recorded is not contacted.
  const profile = notificationProfile(person?.safe_contact);
  const decision = decideNotification(profile, { email: person?.email ?? null, phone: person?.phone ?? null, preferredLanguage: person?.preferred_language ?? null });
  // A send that may already have reached Notify is looked up before anything else is decided; once Notify says it holds
  // nothing, the caller asks again with mayBeRepeat false, and the profile, quiet hours and channel are checked afresh.
  const repeat = mayBeRepeat && notification.state === 'sending';
  if (decision.kind === 'withhold' && !repeat) {
    await changeNotification(trx, id, { state: 'withheld' }, now);
    const hubs = await organisationsByKind(trx, [notification.areaId]);
    await raiseHubTask(trx, hubs.get(`${notification.areaId}:hub`), notification.caseId, 'victim_not_contactable', decision.taskTitle, `notification-withheld:${id}`);
    await writeAudit(trx, actor, { action: 'notification.withheld', recordType: 'case', recordId: notification.caseId, detail: { notificationId: id, reason: decision.reason } });
    return { kind: 'done' };
  }
  const quietUntil = quietHoursEnd(now, profile.quietHours);
  if (quietUntil && !repeat) {
    await deps.enqueue(trx, id, quietUntil);
    await writeAudit(trx, actor, { action: 'notification.deferred', recordType: 'case', recordId: notification.caseId, detail: { notificationId: id, until: quietUntil.toISOString() } });
    return { kind: 'done' };
  }
  const channel = notification.channels[notification.channelIndex] as NotifyChannel;
  const allowed = decision.kind === 'send' && decision.channels.includes(channel);
  if (!allowed && !repeat) {
    // The profile no longer allows this channel (or the address has gone): on to the next, or give up.
    await moveToNextChannel(trx, notification, now, 'channel no longer allowed');
    return (await lockNotification(trx, id))?.state === 'queued' ? nextStep(trx, deps, id, false, now) : { kind: 'done' };
  }
  const recipient = channel === 'email' ? person?.email : person?.phone;
  return { kind: 'send', notification, channel, recipient: recipient ?? '', reference: referenceFor(id, notification.channelIndex, channel), repeat };
}

/**
 * The job: sends the notification once, through each allowed channel in turn until one is accepted. Throws when Notify
 * is unavailable, so the queue retries with backoff; the next attempt finds the send if it got through.
 */
export async function sendNotification(deps: NotificationDeps, id: string, job: { retryCount: number } = { retryCount: 0 }): Promise<void> {
  const now = deps.now ?? (() => new Date());
  let mayBeRepeat = true;
  for (let turn = 0; turn < 12; turn += 1) {
    const step = await inTransaction(deps.db, (trx) => nextStep(trx, deps, id, mayBeRepeat, now()));
    if (step.kind === 'done') return;
    const { notification, channel, reference } = step;
    let outcome: { kind: 'accepted'; notifyId: string } | { kind: 'rejected'; status: number; reason: string };
    const earlier = step.repeat ? await deps.sender.findByReference(reference) : undefined;
    if (step.repeat && !earlier) {
      mayBeRepeat = false;
      continue;
    }
    if (earlier) {
      outcome = isFailureStatus(earlier.status) ? { kind: 'rejected', status: 0, reason: earlier.status } : { kind: 'accepted', notifyId: earlier.notifyId };
    } else {
      // Recorded before the send, so a crash or a retry after it is known to be a possible repeat.
      if (notification.state !== 'sending' || notification.reference !== reference) {
        await inTransaction(deps.db, (trx) => changeNotification(trx, id, { state: 'sending', reference }, now()));
      }
      const wait = await takeSendSlot(deps.db, deps.rateKeyId, slotIntervalMs(deps.ratePerMinute));
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        outcome = await deps.sender.send({ channel, recipient: step.recipient, templateId: templateIdFor(deps.templateIds, notification.purpose, channel, notification.language), personalisation: personalisationFor(deps.signInUrl), reference });
      } catch (error) {
        if (!(error instanceof NotifyUnavailable) || job.retryCount < SEND_RETRY_LIMIT) throw error;
        await inTransaction(deps.db, async (trx) => {
          const current = await lockNotification(trx, id);
          if (current && !FINISHED.has(current.state)) await giveUp(trx, current, now(), 'Notify unavailable');
        });
        return;
      }
    }
    const moveOn = await inTransaction(deps.db, async (trx) => {
      const current = await lockNotification(trx, id);
      // A receipt may have got here first.
      if (!current || FINISHED.has(current.state)) return false;
      const at = now();
      const attempt = { channel, reference, outcome: outcome.kind, ...(outcome.kind === 'rejected' ? { status: outcome.status } : {}), at: at.toISOString() };
      if (outcome.kind === 'rejected') {
        await changeNotification(trx, id, { state: current.state, attempt }, at);
        await writeAudit(trx, actor, { action: 'notification.rejected', recordType: 'case', recordId: current.caseId, detail: { notificationId: id, channel, status: outcome.status } });
        return moveToNextChannel(trx, current, at, `rejected by Notify (${outcome.status})`);
      }
      await changeNotification(trx, id, { state: 'sent', notifyId: outcome.notifyId, reference, at: 'sent_at', attempt }, at);
      await writeAudit(trx, actor, { action: 'notification.sent', recordType: 'case', recordId: current.caseId, detail: { notificationId: id, channel, outbox: deps.outbox } });
      if (deps.outbox) await recordDelivered(trx, current, channel, outcome.notifyId, at);
      return false;
    });
    if (!moveOn) return;
  }
}

export type Receipt = { id: string; reference: string | null; status: ReceiptStatus; notificationType: string };

/**
 * Notify's delivery receipt. Delivered: the notification is delivered and the Code clock hears of it. A failure: the
 * next safe channel, or a task for the hub. A repeated or stale receipt changes nothing. Returns what it did.
 */
export async function receiveReceipt(db: Db, enqueue: EnqueueSend, receipt: Receipt, now = new Date()): Promise<'delivered' | 'fallback' | 'failed' | 'ignored'> {
  const id = receipt.reference ? notificationIdOfReference(receipt.reference) : '';
  if (!/^[0-9a-f-]{36}$/i.test(id)) return 'ignored';
  return inTransaction(db, async (trx) => {
    const notification = await lockNotification(trx, id);
    if (!notification || (notification.state !== 'sending' && notification.state !== 'sent')) return 'ignored';
    // Only a receipt for the current attempt counts: a late one for an earlier channel says nothing now.
    if (receipt.reference !== referenceFor(id, notification.channelIndex, notification.channels[notification.channelIndex] as NotifyChannel)) return 'ignored';
    if (notification.notifyId && notification.notifyId !== receipt.id) return 'ignored';
    const channel = notification.channels[notification.channelIndex] as NotifyChannel;
    if (receipt.status === 'delivered') {
      await recordDelivered(trx, notification, channel, receipt.id, now);
      return 'delivered';
    }
    await changeNotification(trx, id, { state: notification.state, attempt: { channel, reference: receipt.reference, outcome: receipt.status, at: now.toISOString() } }, now);
    await writeAudit(trx, actor, { action: 'notification.failed', recordType: 'case', recordId: notification.caseId, detail: { notificationId: id, channel, status: receipt.status } });
    return (await moveToNextChannel(trx, notification, now, receipt.status, enqueue)) ? 'fallback' : 'failed';
  });
}

/** The embedded outbox as a sender: what it takes counts as accepted, once per reference. */
export function outboxSender(db: Db): NotifySender {
  return {
    async send(message) {
      return { kind: 'accepted', notifyId: await putInOutbox(db, message) };
    },
    async findByReference(reference) {
      const id = await outboxIdByReference(db, reference);
      return id ? { notifyId: id, status: 'delivered' } : undefined;
    },
  };
}

export type OutboxPage = { entries: (OutboxEntry & { caseReference: string | null; text: string })[] };

/** The area's newest outbox messages for hub staff, as the neutral template text only (development and test). */
export async function getOutbox(db: Db, reader: Actor, limit = 100): Promise<OutboxPage> {
  if (reader.kind !== 'staff' || !['coordinator', 'supervisor'].includes(reader.staff.role)) throw new Forbidden('hub coordinators and supervisors only');
  const organisation = await findOrganisation(db, reader.staff.organisationId);
  if (organisation?.kind !== 'hub') throw new Forbidden('hub coordinators and supervisors only');
  return inTransaction(db, async (trx) => {
    const entries = await newestInOutbox(trx, reader.staff.areaId, limit);
    await writeAudit(trx, reader, { action: 'notification_outbox.viewed', recordType: 'area', recordId: reader.staff.areaId, detail: { count: entries.length } });
    return {
      entries: entries.map((entry) => ({
        ...entry,
        caseReference: entry.caseId ? caseReference(entry.caseId) : null,
        text: entry.purpose && entry.language ? messageText(entry.purpose, entry.language, entry.personalisation) : '',
      })),
    };
  });
}

export type SafeContactPage = { caseId: string; reference: string; personName: string; profile: SafeContact; submissionKey: string };

/** The safe-contact form of a case's person, for hub staff of the area (the cases service authorises and audits the read). */
export async function getSafeContactForm(db: Db, reader: Actor, caseId: string): Promise<SafeContactPage> {
  const found = await getCaseForStaff(db, reader, caseId);
  const personName = [found.person.givenName, found.person.familyName].filter(Boolean).join(' ');
  return { caseId: found.case.id, reference: caseReference(found.case.id), personName, profile: storedSafeContact(found.person.safeContact), submissionKey: randomUUID() };
}

/**
 * Changes the person's safe-contact profile from the staff form. The submission key makes a resent form change it
 * once; a staff-only timeline event records that it changed (never what to).
 */
export async function saveSafeContact(db: Db, writer: Actor, caseId: string, form: Record<string, unknown>, now = new Date()): Promise<{ changed: boolean }> {
  const found = await getCaseForStaff(db, writer, caseId);
  const submissionKey = form.submissionKey;
  if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and make your changes' });
  const checked = checkSafeContactForm(form, storedSafeContact(found.person.safeContact));
  if ('errors' in checked) throw new Invalid(checked.errors);
  return inTransaction(db, async (trx) => {
    const { created } = await appendTimelineEvent(trx, writer, {
      caseId: found.case.id,
      kind: 'safe_contact_changed',
      summary: 'Safe-contact profile changed',
      detail: { doNotContact: checked.value.doNotContact },
      source: 'hub',
      idempotencyKey: `safe-contact:${submissionKey}`,
      visibility: 'staff',
      occurredAt: now,
    });
    if (!created) return { changed: false };
    await changeSafeContact(trx, writer, found.person, checked.value);
    return { changed: true };
  });
}
