// The SQL of the insights upkeep: taking stale buckets off the queue, and recomputing a batch of one topic's buckets
// from the raw tables, set-based: one delete and one insert per aggregate table per batch, joined to the batch's
// (area, London day) buckets. The aggregates hold counts only; comments are read here to find their themes and
// never leave this module.
import { sql, type RawBuilder } from 'kysely';
import type { InsightTopic } from '../../platform/db/schema.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { themesOf } from '../insights/themes.ts';

export type Bucket = { area_id: string; day: string };
export type DirtyBucket = Bucket & { topic: InsightTopic };

/** The lock one refresh holds at a time: a second caller waits for the running refresh instead of skipping it. */
export async function lockRefresh(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('insights:refresh', 0))`.execute(trx);
}

/**
 * Takes the mark lock exclusively if no transaction that marked a bucket is still open (the triggers of 0027 hold it
 * shared), without queueing: a queued request would make every new marking write wait behind it.
 */
export async function tryLockMarks(trx: Trx): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtextextended('insights:mark', 0)) as locked`.execute(trx);
  return result.rows[0]?.locked === true;
}

/** Takes up to `limit` stale buckets off the queue, oldest marks first. */
export async function takeDirtyBuckets(trx: Trx, limit: number): Promise<DirtyBucket[]> {
  const result = await sql<DirtyBucket>`
    delete from insight_dirty d
    using (select topic, area_id, day from insight_dirty order by marked_at, topic, area_id, day limit ${limit}) taken
    where d.topic = taken.topic and d.area_id = taken.area_id and d.day = taken.day
    returning d.topic, d.area_id, d.day
  `.execute(trx);
  return result.rows;
}

// A London day as an instant range: [midnight, next midnight) in Europe/London, whatever the clocks do.
const dayStart = sql`(b.day::timestamp at time zone 'Europe/London')`;
const dayEnd = sql`((b.day + 1)::timestamp at time zone 'Europe/London')`;
const londonDay = (column: ReturnType<typeof sql.ref>) => sql`(${column} at time zone 'Europe/London')::date`;

const bucketsOf = (buckets: readonly Bucket[]) =>
  sql`unnest(${buckets.map((bucket) => bucket.area_id)}::uuid[], ${buckets.map((bucket) => bucket.day)}::date[]) as b (area_id, day)`;

/**
 * The rows of `table` whose `column` falls on the bucket's London day, read bucket by bucket through the (area, time)
 * index: the fence (offset 0) keeps the planner from joining the whole area's rows to every bucket at once.
 */
const rowsOfDay = (table: string, column: string, alias: string) => sql`cross join lateral (
  select * from ${sql.table(table)} t where t.area_id = b.area_id and ${sql.ref(`t.${column}`)} >= ${dayStart} and ${sql.ref(`t.${column}`)} < ${dayEnd} offset 0
) as ${sql.id(alias)}`;

async function clear(trx: Trx, table: string, buckets: readonly Bucket[]): Promise<void> {
  await sql`delete from ${sql.table(table)} t using ${bucketsOf(buckets)} where t.area_id = b.area_id and t.day = b.day`.execute(trx);
}

/**
 * The age band of someone born on `dateOfBirth` on `day`, as ageBand in features/insights/rules.ts: whole years, a
 * year complete once the month and day of the birthday are reached (so a 29 February birthday completes on 1 March in
 * other years), and 'not_recorded' without a date of birth.
 */
export function ageBandSql(dateOfBirth: RawBuilder<unknown>, day: RawBuilder<unknown>): RawBuilder<string> {
  const age = sql`(extract(year from ${day})::int - extract(year from ${dateOfBirth})::int
    - case when to_char(${day}, 'MMDD') < to_char(${dateOfBirth}, 'MMDD') then 1 else 0 end)`;
  return sql<string>`case
    when ${dateOfBirth} is null then 'not_recorded'
    when ${age} < 18 then 'under_18'
    when ${age} < 25 then '18_24'
    when ${age} < 35 then '25_34'
    when ${age} < 50 then '35_49'
    when ${age} < 65 then '50_64'
    else '65_plus' end`;
}

/**
 * Topic case, by the London day each victim_case was created:
 * - insight_case_day: cases per source, offence group (crime.offence_group, 'unclassified' when the crime has none,
 *   'not_reported' when the case has no crime), role, enhanced (an entitlement_decision for the case with
 *   withdrawn_at null) and repeat victim (person.repeat_victim).
 * - insight_equality_day: the same cases once per dimension: age band on the day the case opened (the bands of
 *   ageBand in features/insights/rules.ts: under_18, 18_24, 25_34, 35_49, 50_64, 65_plus, not_recorded when no date of
 *   birth), sex, ethnic group and disability (person.disabled); a question not asked is 'not_recorded'.
 */
export async function recomputeCases(trx: Trx, buckets: readonly Bucket[]): Promise<void> {
  await clear(trx, 'insight_case_day', buckets);
  await sql`
    insert into insight_case_day (area_id, day, source, offence_group, role, enhanced, repeat_victim, cases)
    select c.area_id, b.day, c.source,
      case when c.crime_id is null then 'not_reported' else coalesce(cr.offence_group, 'unclassified') end,
      c.role,
      exists (select 1 from entitlement_decision e where e.case_id = c.id and e.withdrawn_at is null),
      p.repeat_victim,
      count(*)
    from ${bucketsOf(buckets)}
    ${rowsOfDay('victim_case', 'created_at', 'c')}
    join person p on p.id = c.person_id
    left join crime cr on cr.id = c.crime_id
    group by 1, 2, 3, 4, 5, 6, 7
  `.execute(trx);
  await clear(trx, 'insight_equality_day', buckets);
  await sql`
    insert into insight_equality_day (area_id, day, dimension, category, cases)
    select c.area_id, b.day, dimension.name, dimension.category, count(*)
    from ${bucketsOf(buckets)}
    ${rowsOfDay('victim_case', 'created_at', 'c')}
    join person p on p.id = c.person_id
    cross join lateral (values
      ('age_band', ${ageBandSql(sql.ref('p.date_of_birth'), sql.ref('b.day'))}),
      ('sex', coalesce(p.sex, 'not_recorded')),
      ('ethnic_group', coalesce(p.ethnic_group, 'not_recorded')),
      ('disability', coalesce(p.disabled, 'not_recorded'))) as dimension (name, category)
    group by 1, 2, 3, 4
  `.execute(trx);
}

/**
 * Topic duty, insight_duty_day, by the London day each obligation falls due (due_at), per duty, owner kind and owner
 * (the owning organisation's id, or the owner kind where Haven does not know it): due = every obligation; met_on_time
 * = state met and met_at <= due_at; met_late = state met and met_at > due_at; overdue, breached and open = that state.
 */
export async function recomputeDuties(trx: Trx, buckets: readonly Bucket[]): Promise<void> {
  await clear(trx, 'insight_duty_day', buckets);
  await sql`
    insert into insight_duty_day (area_id, day, duty, owner_kind, owner_key, due, met_on_time, met_late, overdue, breached, open)
    select o.area_id, b.day, o.duty, o.owner_kind, coalesce(o.owner_organisation_id::text, o.owner_kind),
      count(*),
      count(*) filter (where o.state = 'met' and o.met_at <= o.due_at),
      count(*) filter (where o.state = 'met' and o.met_at > o.due_at),
      count(*) filter (where o.state = 'overdue'),
      count(*) filter (where o.state = 'breached'),
      count(*) filter (where o.state = 'open')
    from ${bucketsOf(buckets)}
    ${rowsOfDay('obligation', 'due_at', 'o')}
    group by 1, 2, 3, 4, 5
  `.execute(trx);
}

/**
 * Topic referral, insight_referral_day, by the London day each support_referral was sent (drafts and cancelled drafts
 * were never sent and count nowhere), per provider and service: sent = every one; awaiting = status sent (no answer
 * yet); accepted = the provider answered yes: answered_at is set and the status is one only an acceptance leads to
 * (accepted, in_progress, returned, or closed; a referral closed by a consent withdrawal before any answer has no
 * answered_at); declined, no_capacity, returned, closed = that status; completed = outcome engaged_completed;
 * started = started_at set; wait_days_total = the sum over started referrals of the days (with fractions) from sent_at
 * to started_at.
 */
export async function recomputeReferrals(trx: Trx, buckets: readonly Bucket[]): Promise<void> {
  await clear(trx, 'insight_referral_day', buckets);
  await sql`
    insert into insight_referral_day (area_id, day, organisation_id, service_id, sent, awaiting, accepted, declined,
      no_capacity, returned, closed, completed, started, wait_days_total)
    select r.area_id, b.day, r.organisation_id, r.service_id,
      count(*),
      count(*) filter (where r.status = 'sent'),
      count(*) filter (where r.answered_at is not null and r.status in ('accepted', 'in_progress', 'returned', 'closed')),
      count(*) filter (where r.status = 'declined'),
      count(*) filter (where r.status = 'no_capacity'),
      count(*) filter (where r.status = 'returned'),
      count(*) filter (where r.status = 'closed'),
      count(*) filter (where r.outcome = 'engaged_completed'),
      count(r.started_at),
      coalesce(round(sum(extract(epoch from r.started_at - r.sent_at) / 86400), 4), 0)
    from ${bucketsOf(buckets)}
    ${rowsOfDay('support_referral', 'sent_at', 'r')}
    group by 1, 2, 3, 4
  `.execute(trx);
}

/**
 * Topic feedback, by the London day each victim_feedback was given: insight_feedback_day counts responses per moment
 * and rating; insight_feedback_theme_day counts comments mentioning each theme of features/insights/themes.ts. The
 * comments are read for the classifier only; the tables keep the counts, never the words.
 */
export async function recomputeFeedback(trx: Trx, buckets: readonly Bucket[]): Promise<void> {
  await clear(trx, 'insight_feedback_day', buckets);
  await sql`
    insert into insight_feedback_day (area_id, day, moment, rating, responses)
    select f.area_id, b.day, f.moment, f.rating, count(*)
    from ${bucketsOf(buckets)}
    ${rowsOfDay('victim_feedback', 'given_at', 'f')}
    group by 1, 2, 3, 4
  `.execute(trx);
  await clear(trx, 'insight_feedback_theme_day', buckets);
  const comments = await sql<{ area_id: string; day: string; comment: string }>`
    select f.area_id, b.day::text as day, f.comment
    from ${bucketsOf(buckets)}
    ${rowsOfDay('victim_feedback', 'given_at', 'f')}
    where f.comment is not null
  `.execute(trx);
  const mentions = new Map<string, { area_id: string; day: string; theme: string; mentions: number }>();
  for (const row of comments.rows) {
    for (const theme of themesOf(row.comment)) {
      const key = `${row.area_id}|${row.day}|${theme}`;
      const counted = mentions.get(key) ?? { area_id: row.area_id, day: row.day, theme, mentions: 0 };
      counted.mentions += 1;
      mentions.set(key, counted);
    }
  }
  if (mentions.size === 0) return;
  const rows = [...mentions.values()];
  await sql`
    insert into insight_feedback_theme_day (area_id, day, theme, mentions)
    select * from unnest(${rows.map((row) => row.area_id)}::uuid[], ${rows.map((row) => row.day)}::date[],
      ${rows.map((row) => row.theme)}::text[], ${rows.map((row) => row.mentions)}::int[])
  `.execute(trx);
}

/**
 * Topic complaint, insight_complaint_day, by the London day each complaint was received, per organisation complained
 * about: received = every one; answered = answered_at set; answered_in_time = answered no later than the due time of
 * its complaint_response obligation (10 working days, made by the Code clock from the complaint's 'complaint_received'
 * event, whose detail names the complaint; the answer's event meets it at the answer's time, so answered_at <= due_at
 * is the obligation's met_at <= due_at, and it needs no wait for the clock to read the answer); answer_days_total =
 * the sum over answered complaints of calendar (London) days from received to answered. A complaint whose duty the
 * clock has not made yet counts as not in time until it does: making the duty marks the complaint's bucket (0027).
 */
export async function recomputeComplaints(trx: Trx, buckets: readonly Bucket[]): Promise<void> {
  await clear(trx, 'insight_complaint_day', buckets);
  await sql`
    insert into insight_complaint_day (area_id, day, organisation_id, received, answered, answered_in_time, answer_days_total)
    select k.area_id, b.day, k.organisation_id,
      count(*),
      count(k.answered_at),
      count(*) filter (where k.answered_at <= duty.due_at),
      coalesce(sum(${londonDay(sql.ref('k.answered_at'))} - ${londonDay(sql.ref('k.received_at'))}), 0)
    from ${bucketsOf(buckets)}
    ${rowsOfDay('complaint', 'received_at', 'k')}
    left join lateral (
      select o.due_at from timeline_event e
      join obligation o on o.case_id = k.case_id and o.duty = 'complaint_response' and o.trigger_event_id = e.id
      where e.case_id = k.case_id and e.kind = 'complaint_received' and e.detail->>'complaintId' = k.id::text
      order by o.due_at limit 1
    ) as duty on true
    group by 1, 2, 3
  `.execute(trx);
}

export const RECOMPUTE: Record<InsightTopic, (trx: Trx, buckets: readonly Bucket[]) => Promise<void>> = {
  case: recomputeCases,
  duty: recomputeDuties,
  referral: recomputeReferrals,
  feedback: recomputeFeedback,
  complaint: recomputeComplaints,
};

/**
 * Marks every bucket that has raw data, and every bucket that still has aggregate rows (so rows whose raw data has
 * gone are recomputed away), for a rebuild: after loading bench or demo data, or to check the upkeep.
 */
export async function markEveryBucket(trx: Trx): Promise<void> {
  await sql`
    insert into insight_dirty (topic, area_id, day)
    select 'case', area_id, ${londonDay(sql.ref('created_at'))} from victim_case
    union select 'case', area_id, day from insight_case_day
    union select 'case', area_id, day from insight_equality_day
    union select 'duty', area_id, ${londonDay(sql.ref('due_at'))} from obligation
    union select 'duty', area_id, day from insight_duty_day
    union select 'referral', area_id, ${londonDay(sql.ref('sent_at'))} from support_referral where sent_at is not null
    union select 'referral', area_id, day from insight_referral_day
    union select 'feedback', area_id, ${londonDay(sql.ref('given_at'))} from victim_feedback
    union select 'feedback', area_id, day from insight_feedback_day
    union select 'feedback', area_id, day from insight_feedback_theme_day
    union select 'complaint', area_id, ${londonDay(sql.ref('received_at'))} from complaint
    union select 'complaint', area_id, day from insight_complaint_day
    on conflict do nothing
  `.execute(trx);
}
