// All SQL of case messages: a thread of a case (one per party), inserting a message once per idempotency key, read
// receipts, the threads a case has (the police's, the hub's, each live support provider's), and the reply nudge's scan.
import { sql, type SqlBool } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { MessageParty, SupportReferralStatus } from '../../platform/db/schema.ts';
import { consentInForce } from '../consent/service.ts';
import { replyTaskKey, type CaseMessageDirection, type ThreadKey } from './rules.ts';

export type CaseMessage = {
  id: string;
  caseId: string;
  direction: CaseMessageDirection;
  party: MessageParty;
  organisationId: string | null;
  authorUserId: string | null;
  /** The staff author's name; null for the victim's own messages. */
  authorName: string | null;
  body: string;
  createdAt: Date;
  readAt: Date | null;
};

export type NewCaseMessage = {
  id: string;
  caseId: string;
  thread: ThreadKey;
  direction: CaseMessageDirection;
  authorUserId: string | null;
  body: string;
  idempotencyKey: string;
};

/** A referral the provider still works on: the only ones that open a thread with the provider. */
export const LIVE_REFERRAL: readonly SupportReferralStatus[] = ['sent', 'accepted', 'in_progress'];

// `organisation_id = $1` never matches null, so the hub's and the police's threads ask for `is null`.
const inThread = (thread: ThreadKey) => (thread.organisationId === null ? sql<SqlBool>`m.organisation_id is null` : sql<SqlBool>`m.organisation_id = ${thread.organisationId}`);

/** Inserts the message unless the case already has one with its key; true when this call inserted it. */
export async function insertMessageIfNew(trx: Trx, message: NewCaseMessage): Promise<boolean> {
  const inserted = await trx
    .insertInto('case_message')
    .values({
      id: message.id,
      case_id: message.caseId,
      party: message.thread.party,
      organisation_id: message.thread.organisationId,
      direction: message.direction,
      author_user_id: message.authorUserId,
      body: message.body,
      idempotency_key: message.idempotencyKey,
    })
    .onConflict((conflict) => conflict.columns(['case_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findMessageIdByKey(trx: Trx, caseId: string, idempotencyKey: string): Promise<string | undefined> {
  const row = await trx.selectFrom('case_message').select('id').where('case_id', '=', caseId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row?.id;
}

/** One thread of the case, oldest first, with each staff author's name. */
export async function listThread(db: Db | Trx, caseId: string, thread: ThreadKey): Promise<CaseMessage[]> {
  const rows = await db
    .selectFrom('case_message as m')
    .leftJoin('staff_user as s', 's.id', 'm.author_user_id')
    .select(['m.id', 'm.case_id', 'm.direction', 'm.party', 'm.organisation_id', 'm.author_user_id', 's.display_name', 'm.body', 'm.created_at', 'm.read_at'])
    .where('m.case_id', '=', caseId)
    .where('m.party', '=', thread.party)
    .where(inThread(thread))
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    direction: row.direction,
    party: row.party,
    organisationId: row.organisation_id,
    authorUserId: row.author_user_id,
    authorName: row.display_name,
    body: row.body,
    createdAt: row.created_at,
    readAt: row.read_at,
  }));
}

/** Sets the read receipt on the thread's unread messages sent in this direction; returns how many it marked. */
export async function markRead(trx: Trx, caseId: string, thread: ThreadKey, direction: CaseMessageDirection, now: Date): Promise<number> {
  const result = await trx
    .updateTable('case_message as m')
    .set({ read_at: now })
    .where('m.case_id', '=', caseId)
    .where('m.party', '=', thread.party)
    .where(inThread(thread))
    .where('m.direction', '=', direction)
    .where('m.read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type ThreadSummary = { caseId: string; party: MessageParty; organisationId: string | null; messages: number; unreadByVictim: number; unreadByStaff: number; lastAt: Date };

/** Each thread that holds messages on these cases, with its unread counts both ways. */
export async function threadSummaries(db: Db | Trx, caseIds: readonly string[]): Promise<ThreadSummary[]> {
  if (!caseIds.length) return [];
  const rows = await db
    .selectFrom('case_message')
    .select([
      'case_id',
      'party',
      'organisation_id',
      sql<number>`count(*)::int`.as('messages'),
      sql<number>`(count(*) filter (where direction = 'to_victim' and read_at is null))::int`.as('unread_by_victim'),
      sql<number>`(count(*) filter (where direction = 'from_victim' and read_at is null))::int`.as('unread_by_staff'),
      sql<Date>`max(created_at)`.as('last_at'),
    ])
    .where('case_id', 'in', [...caseIds])
    .groupBy(['case_id', 'party', 'organisation_id'])
    .execute();
  return rows.map((row) => ({
    caseId: row.case_id,
    party: row.party,
    organisationId: row.organisation_id,
    messages: row.messages,
    unreadByVictim: row.unread_by_victim,
    unreadByStaff: row.unread_by_staff,
    lastAt: new Date(row.last_at),
  }));
}

export type CaseParties = {
  caseId: string;
  areaId: string;
  /** The case has a crime with an officer in charge or a force: the police thread is open. */
  hasPolice: boolean;
  /** The providers with a live referral on the case, by name. */
  providers: { organisationId: string; name: string }[];
};

/** Who the case's victim may write to: the hub always, the police when a crime has them, providers with a live referral. */
export async function caseParties(db: Db | Trx, caseIds: readonly string[]): Promise<CaseParties[]> {
  if (!caseIds.length) return [];
  const cases = await db
    .selectFrom('victim_case as c')
    .leftJoin('crime as cr', 'cr.id', 'c.crime_id')
    .select(['c.id', 'c.area_id', 'cr.officer_user_id', 'cr.police_organisation_id'])
    .where('c.id', 'in', [...caseIds])
    .execute();
  const providers = await db
    .selectFrom('support_referral as r')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .select(['r.case_id', 'o.id', 'o.name'])
    .distinct()
    .where('r.case_id', 'in', [...caseIds])
    .where('r.status', 'in', [...LIVE_REFERRAL])
    .orderBy('o.name')
    .execute();
  return cases.map((row) => ({
    caseId: row.id,
    areaId: row.area_id,
    hasPolice: row.officer_user_id !== null || row.police_organisation_id !== null,
    providers: providers.filter((provider) => provider.case_id === row.id).map((provider) => ({ organisationId: provider.id, name: provider.name })),
  }));
}

/** Organisations' names, for threads whose provider no longer has a live referral. */
export async function organisationNames(db: Db | Trx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * Whether the provider reaches the case for messages: a live referral to it, with the victim's consent to share with
 * it for support in force (the same ledger check the provider's referral pages make).
 */
export async function providerReachesCase(trx: Trx, organisationId: string, caseId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('support_referral as r')
    .select('r.id')
    .where('r.case_id', '=', caseId)
    .where('r.organisation_id', '=', organisationId)
    .where('r.status', 'in', [...LIVE_REFERRAL])
    .where(consentInForce(sql.ref('r.person_id'), sql.ref('r.organisation_id'), 'support_referral'))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The case of one of the provider's referrals (the provider's pages are by referral), if it is theirs. */
export async function caseOfProviderReferral(trx: Trx, organisationId: string, referralId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('support_referral').select('case_id').where('id', '=', referralId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row?.case_id;
}

export type UnansweredMessage = {
  messageId: string;
  caseId: string;
  areaId: string;
  party: MessageParty;
  organisationId: string | null;
  sentAt: Date;
  /** The force that owns the police thread: the crime's, else the officer in charge's. */
  policeOrganisationId: string | null;
};

/**
 * The reply nudge's scan: the victim's first unanswered message of each thread (no staff reply after it, and no
 * earlier unanswered one), sent before `sentBefore`, whose task has not been raised yet. Paged by message id.
 * The task key is rules.ts replyTaskKey, built here the same way.
 */
export async function unansweredMessages(trx: Trx, sentBefore: Date, page: { afterId: string | null; limit: number }): Promise<UnansweredMessage[]> {
  const keyPrefix = replyTaskKey('');
  const result = await sql<{
    id: string;
    case_id: string;
    area_id: string;
    party: MessageParty;
    organisation_id: string | null;
    created_at: Date;
    police_organisation_id: string | null;
  }>`
    select m.id, m.case_id, c.area_id, m.party, m.organisation_id, m.created_at,
      coalesce(cr.police_organisation_id, officer.organisation_id) as police_organisation_id
    from case_message m
    join victim_case c on c.id = m.case_id
    left join crime cr on cr.id = c.crime_id
    left join staff_user officer on officer.id = cr.officer_user_id
    where m.direction = 'from_victim' and m.created_at <= ${sentBefore}
      and m.id > coalesce(${page.afterId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
      and not exists (
        select 1 from case_message r
        where r.case_id = m.case_id and r.party = m.party and r.organisation_id is not distinct from m.organisation_id
          and r.direction = 'to_victim' and r.created_at >= m.created_at)
      and not exists (
        select 1 from case_message e
        where e.case_id = m.case_id and e.party = m.party and e.organisation_id is not distinct from m.organisation_id
          and e.direction = 'from_victim' and (e.created_at, e.id) < (m.created_at, m.id)
          and not exists (
            select 1 from case_message r
            where r.case_id = e.case_id and r.party = e.party and r.organisation_id is not distinct from e.organisation_id
              and r.direction = 'to_victim' and r.created_at >= e.created_at))
      and not exists (select 1 from case_task t where t.idempotency_key = ${keyPrefix} || m.id::text)
    order by m.id
    limit ${page.limit}
  `.execute(trx);
  return result.rows.map((row) => ({
    messageId: row.id,
    caseId: row.case_id,
    areaId: row.area_id,
    party: row.party,
    organisationId: row.organisation_id,
    sentAt: new Date(row.created_at),
    policeOrganisationId: row.police_organisation_id,
  }));
}
