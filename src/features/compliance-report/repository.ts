// All SQL of the compliance report. It reads only the insight aggregate tables and organisation names, so it cannot
// return a person; every query is held to one area and one range of London days.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import type { DateRange } from '../insights/rules.ts';
import type { DutyCounts } from './rules.ts';

/** Duties that fell due in the range, by duty and owning agency. */
export async function dutyCounts(db: Db | Trx, areaId: string, range: DateRange): Promise<DutyCounts[]> {
  const rows = await db
    .selectFrom('insight_duty_day')
    .select([
      'duty', 'owner_kind', 'owner_key',
      sql<number>`sum(met_on_time)::int`.as('met_on_time'),
      sql<number>`sum(met_late)::int`.as('met_late'),
      sql<number>`sum(overdue)::int`.as('overdue'),
      sql<number>`sum(breached)::int`.as('breached'),
      sql<number>`sum(open)::int`.as('open'),
    ])
    .where('area_id', '=', areaId)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy(['duty', 'owner_kind', 'owner_key'])
    .execute();
  return rows.map((row) => ({
    duty: row.duty, ownerKind: row.owner_kind, ownerKey: row.owner_key,
    metOnTime: Number(row.met_on_time), metLate: Number(row.met_late), overdue: Number(row.overdue), breached: Number(row.breached), open: Number(row.open),
  }));
}

/** The names of the area's organisations among the given keys (an owner key is an organisation id as text). */
export async function organisationNames(db: Db | Trx, areaId: string, keys: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(keys.filter(isUuid).map((key) => key.toLowerCase()))];
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('organisation').select(['id', 'name']).where('area_id', '=', areaId).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function casesBySource(db: Db | Trx, areaId: string, range: DateRange): Promise<{ source: string; cases: number }[]> {
  const rows = await db
    .selectFrom('insight_case_day')
    .select(['source', sql<number>`sum(cases)::int`.as('cases')])
    .where('area_id', '=', areaId)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy('source')
    .execute();
  return rows.map((row) => ({ source: row.source, cases: Number(row.cases) }));
}

/** Complaints received in the range by the organisation complained about, with those answered in time. */
export async function complaintCounts(db: Db | Trx, areaId: string, range: DateRange): Promise<{ organisation: string; received: number; answeredInTime: number }[]> {
  const rows = await db
    .selectFrom('insight_complaint_day as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    .select(['o.name', sql<number>`sum(c.received)::int`.as('received'), sql<number>`sum(c.answered_in_time)::int`.as('answered_in_time')])
    .where('c.area_id', '=', areaId)
    .where('c.day', '>=', range.from)
    .where('c.day', '<=', range.to)
    .groupBy(['c.organisation_id', 'o.name'])
    .execute();
  return rows.map((row) => ({ organisation: row.name, received: Number(row.received), answeredInTime: Number(row.answered_in_time) }));
}

export async function ratingCounts(db: Db | Trx, areaId: string, range: DateRange): Promise<{ rating: number; responses: number }[]> {
  const rows = await db
    .selectFrom('insight_feedback_day')
    .select(['rating', sql<number>`sum(responses)::int`.as('responses')])
    .where('area_id', '=', areaId)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy('rating')
    .execute();
  return rows.map((row) => ({ rating: Number(row.rating), responses: Number(row.responses) }));
}
