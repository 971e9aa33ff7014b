// All SQL of the commissioner's dashboards: sums over the per-day aggregate tables for one area and an inclusive range
// of London days, and the names of organisations and services (never of people). No raw case or person table is read.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { CaseSum, ComplaintSum, DutySum, EqualitySum, RatingSum, ReferralSum, ThemeSum } from './dashboard-rules.ts';
import type { DateRange } from './rules.ts';

type Reader = Db | Trx;
// Sums come back from PostgreSQL as bigint or numeric text.
const n = (value: unknown): number => Number(value ?? 0);
const inRange = (areaId: string, range: DateRange) => sql`area_id = ${areaId}::uuid and day between ${range.from}::date and ${range.to}::date`;

export async function caseSums(db: Reader, areaId: string, range: DateRange): Promise<CaseSum[]> {
  const { rows } = await sql<{ source: string; offence_group: string; role: string; enhanced: boolean; repeat_victim: boolean; cases: string }>`
    select source, offence_group, role, enhanced, repeat_victim, sum(cases) as cases
    from insight_case_day where ${inRange(areaId, range)}
    group by source, offence_group, role, enhanced, repeat_victim`.execute(db);
  return rows.map((row) => ({ source: row.source, offenceGroup: row.offence_group, role: row.role, enhanced: row.enhanced, repeatVictim: row.repeat_victim, cases: n(row.cases) }));
}

export async function equalitySums(db: Reader, areaId: string, range: DateRange): Promise<EqualitySum[]> {
  const { rows } = await sql<{ dimension: string; category: string; cases: string }>`
    select dimension, category, sum(cases) as cases
    from insight_equality_day where ${inRange(areaId, range)}
    group by dimension, category`.execute(db);
  return rows.map((row) => ({ dimension: row.dimension, category: row.category, cases: n(row.cases) }));
}

/** Duties by owner; an owner known by organisation is named from the area's own organisations. */
export async function dutySums(db: Reader, areaId: string, range: DateRange): Promise<DutySum[]> {
  const { rows } = await sql<{ duty: string; owner_kind: string; owner_key: string; owner_name: string | null; met_on_time: string; met_late: string; overdue: string; breached: string; open: string }>`
    select d.duty, d.owner_kind, d.owner_key, o.name as owner_name, d.met_on_time, d.met_late, d.overdue, d.breached, d.open
    from (
      select duty, owner_kind, owner_key, sum(met_on_time) as met_on_time, sum(met_late) as met_late, sum(overdue) as overdue,
        sum(breached) as breached, sum(open) as open
      from insight_duty_day where ${inRange(areaId, range)}
      group by duty, owner_kind, owner_key
    ) d
    left join organisation o on o.id::text = d.owner_key and o.area_id = ${areaId}::uuid`.execute(db);
  return rows.map((row) => ({
    duty: row.duty, ownerKind: row.owner_kind, ownerKey: row.owner_key, ownerName: row.owner_name,
    metOnTime: n(row.met_on_time), metLate: n(row.met_late), overdue: n(row.overdue), breached: n(row.breached), open: n(row.open),
  }));
}

/** Referrals per provider and service, with the open places and wait the directory declares for the service. */
export async function referralSums(db: Reader, areaId: string, range: DateRange): Promise<ReferralSum[]> {
  const { rows } = await sql<Record<string, string> & { organisation_name: string; service_name: string }>`
    select o.name as organisation_name, s.name as service_name, s.capacity, s.wait_days, r.*
    from (
      select organisation_id, service_id, sum(sent) as sent, sum(awaiting) as awaiting, sum(accepted) as accepted, sum(declined) as declined,
        sum(no_capacity) as no_capacity, sum(returned) as returned, sum(completed) as completed, sum(started) as started,
        sum(wait_days_total) as wait_days_total
      from insight_referral_day where ${inRange(areaId, range)}
      group by organisation_id, service_id
    ) r
    join organisation o on o.id = r.organisation_id
    join organisation_service s on s.id = r.service_id`.execute(db);
  return rows.map((row) => ({
    organisationName: row.organisation_name, serviceName: row.service_name, capacity: n(row.capacity), declaredWaitDays: n(row.wait_days),
    sent: n(row.sent), awaiting: n(row.awaiting), accepted: n(row.accepted), declined: n(row.declined), noCapacity: n(row.no_capacity),
    returned: n(row.returned), completed: n(row.completed), started: n(row.started), waitDaysTotal: n(row.wait_days_total),
  }));
}

export async function ratingSums(db: Reader, areaId: string, range: DateRange): Promise<RatingSum[]> {
  const { rows } = await sql<{ moment: string; rating: number; responses: string }>`
    select moment, rating, sum(responses) as responses
    from insight_feedback_day where ${inRange(areaId, range)}
    group by moment, rating`.execute(db);
  return rows.map((row) => ({ moment: row.moment, rating: n(row.rating), responses: n(row.responses) }));
}

export async function themeSums(db: Reader, areaId: string, range: DateRange): Promise<ThemeSum[]> {
  const { rows } = await sql<{ theme: string; mentions: string }>`
    select theme, sum(mentions) as mentions
    from insight_feedback_theme_day where ${inRange(areaId, range)}
    group by theme`.execute(db);
  return rows.map((row) => ({ theme: row.theme, mentions: n(row.mentions) }));
}

export async function complaintSums(db: Reader, areaId: string, range: DateRange): Promise<ComplaintSum[]> {
  const { rows } = await sql<{ organisation_name: string; received: string; answered: string; answered_in_time: string; answer_days_total: string }>`
    select o.name as organisation_name, c.received, c.answered, c.answered_in_time, c.answer_days_total
    from (
      select organisation_id, sum(received) as received, sum(answered) as answered, sum(answered_in_time) as answered_in_time,
        sum(answer_days_total) as answer_days_total
      from insight_complaint_day where ${inRange(areaId, range)}
      group by organisation_id
    ) c
    join organisation o on o.id = c.organisation_id`.execute(db);
  return rows.map((row) => ({
    organisationName: row.organisation_name, received: n(row.received), answered: n(row.answered), answeredInTime: n(row.answered_in_time), answerDaysTotal: n(row.answer_days_total),
  }));
}
