// All SQL of notifications: the inbox the timeline trigger fills, notifications and their states, the embedded outbox,
// and the per-key send slots that keep every worker process under Notify's rate limit together.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { NotificationState } from '../../platform/db/schema.ts';
import type { Language, NotifyChannel, Purpose } from './rules.ts';

export type InboxEvent = {
  eventId: number;
  caseId: string;
  areaId: string;
  personId: string;
  detail: Record<string, unknown>;
  email: string | null;
  phone: string | null;
  preferredLanguage: string | null;
  safeContact: Record<string, unknown>;
};

/**
 * Takes up to `limit` events off the inbox, oldest first, with the person each is about. Rows another runner holds are
 * skipped (with `wait`, waited for), and the delete commits with what the caller makes of them, so each is read once.
 */
export async function takeInboxEvents(trx: Trx, limit: number, wait = false): Promise<InboxEvent[]> {
  const locking = wait ? sql`for update` : sql`for update skip locked`;
  const result = await sql<{
    id: string | number; case_id: string; area_id: string; person_id: string; detail: Record<string, unknown>;
    email: string | null; phone: string | null; preferred_language: string | null; safe_contact: Record<string, unknown>;
  }>`
    with taken as (
      delete from notification_inbox
      where event_id in (select event_id from notification_inbox order by event_id limit ${limit} ${locking})
      returning event_id
    )
    select e.id, e.case_id, c.area_id, c.person_id, e.detail, p.email, p.phone, p.preferred_language, p.safe_contact
    from taken join timeline_event e on e.id = taken.event_id join victim_case c on c.id = e.case_id join person p on p.id = c.person_id
    order by e.id
  `.execute(trx);
  return result.rows.map((row) => ({
    eventId: Number(row.id), caseId: row.case_id, areaId: row.area_id, personId: row.person_id, detail: row.detail,
    email: row.email, phone: row.phone, preferredLanguage: row.preferred_language, safeContact: row.safe_contact ?? {},
  }));
}

export async function inboxHasEvents(db: Db): Promise<boolean> {
  return (await db.selectFrom('notification_inbox').select('event_id').limit(1).executeTakeFirst()) !== undefined;
}

export type NewNotification = {
  caseId: string; areaId: string; personId: string; eventId: number; purpose: Purpose; language: Language;
  channels: NotifyChannel[]; state: 'queued' | 'withheld'; withheldReason: string | null; dueAt: Date;
};

/** Inserts the event's one notification; undefined when the event already has it. */
export async function insertNotification(trx: Trx, row: NewNotification): Promise<string | undefined> {
  const inserted = await trx
    .insertInto('notification')
    .values({
      dedupe_key: `event:${row.eventId}`, case_id: row.caseId, area_id: row.areaId, person_id: row.personId, event_id: row.eventId,
      purpose: row.purpose, language: row.language, channels: row.channels, state: row.state, withheld_reason: row.withheldReason, due_at: row.dueAt,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export type Notification = {
  id: string; caseId: string; areaId: string; personId: string; eventId: number; purpose: Purpose; language: Language;
  channels: NotifyChannel[]; channelIndex: number; state: NotificationState; notifyId: string | null; reference: string | null;
  dueAt: Date; sentAt: Date | null; deliveredAt: Date | null;
};

/** One notification, locked for the caller's transaction: the worker and a receipt never change it at once. */
export async function lockNotification(trx: Trx, id: string): Promise<Notification | undefined> {
  const row = await trx.selectFrom('notification').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && {
    id: row.id, caseId: row.case_id, areaId: row.area_id, personId: row.person_id, eventId: Number(row.event_id), purpose: row.purpose,
    language: row.language, channels: row.channels as NotifyChannel[], channelIndex: row.channel_index, state: row.state,
    notifyId: row.notify_id, reference: row.reference, dueAt: row.due_at, sentAt: row.sent_at, deliveredAt: row.delivered_at,
  };
}

/** The person's contact details and profile as they are now, for the send. */
export async function recipientOf(trx: Trx, personId: string) {
  return trx.selectFrom('person').select(['email', 'phone', 'preferred_language', 'safe_contact']).where('id', '=', personId).executeTakeFirst();
}

export type Attempt = { channel: NotifyChannel; reference: string; outcome: string; status?: number; at: string };

type Change = { state: NotificationState; channelIndex?: number; notifyId?: string | null; reference?: string; at?: 'sent_at' | 'delivered_at' | 'failed_at'; attempt?: Attempt };

/** Moves a notification on, noting the attempt (channel, outcome, Notify's status) in its history. */
export async function changeNotification(trx: Trx, id: string, change: Change, now: Date): Promise<void> {
  await trx
    .updateTable('notification')
    .set({
      state: change.state,
      updated_at: now,
      ...(change.channelIndex === undefined ? {} : { channel_index: change.channelIndex }),
      ...(change.notifyId === undefined ? {} : { notify_id: change.notifyId }),
      ...(change.reference === undefined ? {} : { reference: change.reference }),
      ...(change.at ? { [change.at]: now } : {}),
      ...(change.attempt ? { attempts: sql<string>`attempts || ${JSON.stringify([change.attempt])}::jsonb` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Takes the next send slot for the key: one every `intervalMs`, never two closer, whichever process asks. Returns how
 * long to wait before sending; the row's update is its own short transaction, so waiting holds no lock.
 */
export async function takeSendSlot(db: Db, keyId: string, intervalMs: number): Promise<number> {
  const interval = sql`(${intervalMs}::double precision * interval '1 millisecond')`;
  const result = await sql<{ wait_ms: number | string }>`
    insert into notify_rate_limit as slot (key_id, next_at) values (${keyId}, clock_timestamp() + ${interval})
    on conflict (key_id) do update set next_at = greatest(slot.next_at, clock_timestamp()) + ${interval}
    returning greatest(0, extract(epoch from (next_at - ${interval} - clock_timestamp())) * 1000) as wait_ms
  `.execute(db);
  return Number(result.rows[0]?.wait_ms ?? 0);
}

export type OutboxMessage = { reference: string; channel: NotifyChannel; recipient: string; templateId: string; personalisation: Record<string, string> };

/** Puts a message in the outbox once per reference; returns the row's id either way. */
export async function putInOutbox(db: Db, message: OutboxMessage): Promise<string> {
  await db
    .insertInto('notification_outbox')
    .values({ reference: message.reference, channel: message.channel, recipient: message.recipient, template_id: message.templateId, personalisation: JSON.stringify(message.personalisation) })
    .onConflict((conflict) => conflict.column('reference').doNothing())
    .execute();
  const row = await db.selectFrom('notification_outbox').select('id').where('reference', '=', message.reference).executeTakeFirstOrThrow();
  return row.id;
}

export async function outboxIdByReference(db: Db, reference: string): Promise<string | undefined> {
  return (await db.selectFrom('notification_outbox').select('id').where('reference', '=', reference).executeTakeFirst())?.id;
}

export type OutboxEntry = { id: string; reference: string; channel: NotifyChannel; templateId: string; personalisation: Record<string, string>; createdAt: Date; purpose: Purpose | null; language: Language | null; caseId: string | null };

/** The newest outbox messages, with the notification each came from, of one area only. */
export async function newestInOutbox(trx: Trx, areaId: string, limit: number): Promise<OutboxEntry[]> {
  const rows = await trx
    .selectFrom('notification_outbox as o')
    .innerJoin('notification as n', (join) => join.on(sql`n.id::text`, '=', sql`split_part(o.reference, ':', 1)`))
    .select(['o.id', 'o.reference', 'o.channel', 'o.template_id', 'o.personalisation', 'o.created_at', 'n.purpose', 'n.language', 'n.case_id'])
    .where('n.area_id', '=', areaId)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id, reference: row.reference, channel: row.channel, templateId: row.template_id, personalisation: row.personalisation,
    createdAt: row.created_at, purpose: row.purpose, language: row.language, caseId: row.case_id,
  }));
}
