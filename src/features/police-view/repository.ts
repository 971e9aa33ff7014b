// All SQL of the police view and the stale-case nudge: the officer's cases with their unread messages and last update,
// a case's victim-visible timeline, and the one statement that picks the stale cases across every area.
import { sql, type RawBuilder } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { Cadence } from './rules.ts';
// A pure rule (no I/O): the days a victim's chosen update frequency sets, which the SQL below must agree with.
import { FREQUENCY_CADENCE_DAYS } from '../portal-preferences/rules.ts';

/** Every area's agreed cadence: those that set their own, and the default for the rest. */
export type Cadences = { areas: Map<string, Cadence>; fallback: Cadence };

export async function storedCodeClockSettings(db: Db | Trx): Promise<{ areaId: string; settings: unknown }[]> {
  const rows = await db.selectFrom('code_clock_setting').select(['area_id', 'settings']).execute();
  return rows.map((row) => ({ areaId: row.area_id, settings: row.settings }));
}

/** The areas' cadences as a table the statement can join (one row an area that set its own). */
function cadenceTable(cadences: Cadences): RawBuilder<unknown> {
  const areas = [...cadences.areas];
  return sql`select * from unnest(${areas.map(([id]) => id)}::uuid[], ${areas.map(([, c]) => c.standard)}::int[], ${areas.map(([, c]) => c.enhanced)}::int[])
    as cadence (area_id, standard_days, enhanced_days)`;
}

/**
 * The last update to the victim: their latest victim-visible event that the notification contract marks
 * notifyVictim 'update'. One probe of the partial index timeline_event_victim_update (migration 0023) per case.
 */
const lastUpdateOf = (caseAlias: string) => sql`(
  select max(e.occurred_at) from timeline_event e
  where e.case_id = ${sql.ref(`${caseAlias}.id`)} and e.visibility = 'victim' and e.detail->>'notifyVictim' = 'update')`;

/** Enhanced rights in force: any entitlement decision not withdrawn (as entitlements' isEnhanced decides). */
const enhancedOf = (caseAlias: string) => sql`exists (
  select 1 from entitlement_decision d where d.case_id = ${sql.ref(`${caseAlias}.id`)} and d.withdrawn_at is null)`;

const FREQUENCY_DAYS = Object.entries(FREQUENCY_CADENCE_DAYS).filter((entry): entry is [string, number] => entry[1] !== null);
/** The shortest cadence a victim can choose: no case younger than it can be stale. */
const SHORTEST_CHOSEN = Math.min(...FREQUENCY_DAYS.map(([, days]) => days));

/**
 * The cadence in days for a row with area_id, enhanced and the person's update_frequency: the victim's chosen frequency
 * where it sets one (rules.ts cadenceDaysFor), else the joined cadence row `s` or the default.
 */
const cadenceDays = (cadences: Cadences, enhanced: RawBuilder<unknown>, updateFrequency: RawBuilder<unknown>) =>
  sql`coalesce((case ${updateFrequency} ${sql.join(FREQUENCY_DAYS.map(([frequency, days]) => sql`when ${frequency} then ${days}::int`), sql` `)} end),
    (case when ${enhanced} then coalesce(s.enhanced_days, ${cadences.fallback.enhanced}) else coalesce(s.standard_days, ${cadences.fallback.standard}) end))`;

/** Whole cadence periods from `since` to now, as rules.ts stalePeriod counts them. */
const periodsSince = (now: Date, since: RawBuilder<unknown>, days: RawBuilder<unknown>) =>
  sql`floor(extract(epoch from (${now}::timestamptz - ${since})) / (${days} * 86400))::int`;

export type OfficerCaseRow = {
  caseId: string;
  crimeReference: string;
  givenName: string;
  lastUpdateAt: Date | null;
  unread: number;
  needsUpdate: boolean;
};

/**
 * One page of the open cases on crimes the officer is in charge of (index crime_officer, then victim_case_crime),
 * those that need an update and those with unread messages first, with the total for paging.
 */
export async function officerCases(
  db: Db | Trx,
  officerUserId: string,
  cadences: Cadences,
  now: Date,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: OfficerCaseRow[] }> {
  const result = await sql<{ case_id: string; crime_reference: string; given_name: string; last_update: Date | null; unread: number; needs_update: boolean; total: number }>`
    with cadence as (${cadenceTable(cadences)}),
    mine as (
      select c.id, c.area_id, c.created_at, cr.crime_reference, p.given_name, p.update_frequency,
        ${lastUpdateOf('c')} as last_update, ${enhancedOf('c')} as enhanced,
        (select count(*)::int from case_message m where m.case_id = c.id and m.party = 'police' and m.direction = 'from_victim' and m.read_at is null) as unread
      from crime cr
      join victim_case c on c.crime_id = cr.id and c.status <> 'closed'
      join person p on p.id = c.person_id
      where cr.officer_user_id = ${officerUserId}
    )
    select mine.id as case_id, crime_reference, given_name, last_update, unread,
      ${periodsSince(now, sql`coalesce(last_update, mine.created_at)`, cadenceDays(cadences, sql`mine.enhanced`, sql`mine.update_frequency`))} >= 1 as needs_update,
      count(*) over ()::int as total
    from mine left join cadence s on s.area_id = mine.area_id
    order by needs_update desc, unread > 0 desc, coalesce(last_update, mine.created_at), mine.id
    limit ${page.limit} offset ${page.offset}
  `.execute(db);
  const total = result.rows[0]?.total ?? (page.offset > 0 ? await countOfficerCases(db, officerUserId) : 0);
  return {
    total,
    rows: result.rows.map((row) => ({
      caseId: row.case_id,
      crimeReference: row.crime_reference,
      givenName: row.given_name,
      lastUpdateAt: row.last_update,
      unread: row.unread,
      needsUpdate: row.needs_update,
    })),
  };
}

/** The count alone, for a page past the end (which has no rows to carry it). */
async function countOfficerCases(db: Db | Trx, officerUserId: string): Promise<number> {
  const row = await db
    .selectFrom('crime as cr')
    .innerJoin('victim_case as c', 'c.crime_id', 'cr.id')
    .select(sql<number>`count(*)::int`.as('total'))
    .where('cr.officer_user_id', '=', officerUserId)
    .where('c.status', '<>', 'closed')
    .executeTakeFirst();
  return row?.total ?? 0;
}

export type VictimTimelineEntry = { id: number; kind: string; summary: string; occurredAt: Date };

/** The case's victim-visible timeline, newest first: what the victim has been told. */
export async function victimTimeline(trx: Trx, caseId: string): Promise<VictimTimelineEntry[]> {
  const rows = await trx
    .selectFrom('timeline_event')
    .select(['id', 'kind', 'summary', 'occurred_at'])
    .where('case_id', '=', caseId)
    .where('visibility', '=', 'victim')
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind, summary: row.summary, occurredAt: row.occurred_at }));
}

/**
 * The case's last update to the victim, whether it has enhanced rights and how often the victim wants updates, for the
 * case page's "needs an update".
 */
export async function caseStaleness(
  trx: Trx,
  caseId: string,
): Promise<{ lastUpdateAt: Date | null; enhanced: boolean; createdAt: Date; areaId: string; updateFrequency: string | null } | undefined> {
  const result = await sql<{ last_update: Date | null; enhanced: boolean; created_at: Date; area_id: string; update_frequency: string | null }>`
    select ${lastUpdateOf('c')} as last_update, ${enhancedOf('c')} as enhanced, c.created_at, c.area_id,
      (select p.update_frequency from person p where p.id = c.person_id) as update_frequency
    from victim_case c where c.id = ${caseId}
  `.execute(trx);
  const row = result.rows[0];
  return row && { lastUpdateAt: row.last_update, enhanced: row.enhanced, createdAt: row.created_at, areaId: row.area_id, updateFrequency: row.update_frequency };
}

export type StaleCase = { caseId: string; areaId: string; lastUpdateAt: Date; cadenceDays: number; period: number; taskKey: string };

/**
 * One statement that picks up to `limit` open cases with a crime whose last update to the victim (or opening, if
 * none) is at least one cadence period old and whose task for this period has not been raised. Set-based for a
 * million cases: open cases come from victim_case with a cheap filter on created_at (no case younger than the
 * shortest cadence can be stale); each case's last update is one probe of timeline_event_victim_update (migration
 * 0023), its enhanced rights one probe of entitlement_decision_case, and the raised-already check one probe of
 * case_task's unique idempotency_key. The key is the same as rules.ts staleTaskKey. Pages go by case id after the
 * last one seen (the primary key's order), so the planner walks victim_case once across all the pages of a run
 * instead of judging every open case for each page.
 */
export async function staleCases(trx: Trx, cadences: Cadences, now: Date, page: { afterCaseId: string | null; limit: number }): Promise<StaleCase[]> {
  const all = [cadences.fallback, ...cadences.areas.values()];
  const shortest = Math.min(SHORTEST_CHOSEN, ...all.flatMap((cadence) => [cadence.standard, cadence.enhanced]));
  const result = await sql<{ case_id: string; area_id: string; last_update: Date; days: number; period: number; task_key: string }>`
    with cadence as (${cadenceTable(cadences)}),
    open_cases as (
      select c.id, c.area_id, coalesce(${lastUpdateOf('c')}, c.created_at) as last_update, ${enhancedOf('c')} as enhanced,
        (select p.update_frequency from person p where p.id = c.person_id) as update_frequency
      from victim_case c
      where c.status <> 'closed' and c.crime_id is not null and c.created_at <= ${now}::timestamptz - make_interval(days => ${shortest})
        -- A task needs a hub to own it; an area without one would be picked again every run.
        and exists (select 1 from organisation h where h.area_id = c.area_id and h.kind = 'hub')
        and c.id > coalesce(${page.afterCaseId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
    ),
    periods as (
      select o.id, o.area_id, o.last_update, d.days, ${periodsSince(now, sql`o.last_update`, sql`d.days`)} as period
      from open_cases o
      left join cadence s on s.area_id = o.area_id
      cross join lateral (select ${cadenceDays(cadences, sql`o.enhanced`, sql`o.update_frequency`)} as days) d
    ),
    keyed as (
      select p.*, 'stale_case_update:' || p.id::text || ':' || floor(extract(epoch from p.last_update))::bigint::text || ':' || p.period::text as task_key
      from periods p
      where p.period >= 1
    )
    select k.id as case_id, k.area_id, k.last_update, k.days, k.period, k.task_key
    from keyed k
    where not exists (select 1 from case_task t where t.idempotency_key = k.task_key)
    order by k.id
    limit ${page.limit}
  `.execute(trx);
  return result.rows.map((row) => ({ caseId: row.case_id, areaId: row.area_id, lastUpdateAt: row.last_update, cadenceDays: row.days, period: row.period, taskKey: row.task_key }));
}
