// All SQL of the funding pages: the area's providers, its awards, and the referral aggregates the costs are worked
// out from. Every query is held to one area.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { DateRange } from '../insights/rules.ts';
import type { AwardInput, AwardKind, ProviderActivity } from './rules.ts';

export type Provider = { organisationId: string; name: string };
export type AwardRow = {
  id: string;
  organisationId: string;
  providerName: string;
  kind: AwardKind;
  reference: string;
  periodStart: string;
  periodEnd: string;
  amountPence: number;
};

/** The area's organisations of kind 'provider', by name. */
export async function providersOfArea(db: Db | Trx, areaId: string): Promise<Provider[]> {
  const rows = await db.selectFrom('organisation').select(['id', 'name']).where('area_id', '=', areaId).where('kind', '=', 'provider').orderBy('name').execute();
  return rows.map((row) => ({ organisationId: row.id, name: row.name }));
}

/**
 * Stores the award unless its submission key has been used; returns the id of the award the key stands for either
 * way, and whether this call stored it.
 */
export async function insertAwardOnce(trx: Trx, award: AwardInput & { areaId: string; recordedBy: string; submissionKey: string }): Promise<{ id: string; created: boolean } | undefined> {
  const inserted = await trx
    .insertInto('funding_award')
    .values({
      area_id: award.areaId,
      organisation_id: award.organisationId,
      kind: award.kind,
      reference: award.reference,
      period_start: award.periodStart,
      period_end: award.periodEnd,
      amount_pence: award.amountPence,
      note: award.note,
      recorded_by_user_id: award.recordedBy,
      submission_key: award.submissionKey,
    })
    .onConflict((conflict) => conflict.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  // The key names an award already stored: the same form sent twice. Another area's award is not this reader's.
  const existing = await trx.selectFrom('funding_award').select('id').where('submission_key', '=', award.submissionKey).where('area_id', '=', award.areaId).executeTakeFirst();
  return existing && { id: existing.id, created: false };
}

/** The area's awards, latest period first. */
export async function awardsOfArea(db: Db | Trx, areaId: string): Promise<AwardRow[]> {
  const rows = await db
    .selectFrom('funding_award as f')
    .innerJoin('organisation as o', 'o.id', 'f.organisation_id')
    .select(['f.id', 'f.organisation_id', 'o.name', 'f.kind', 'f.reference', 'f.period_start', 'f.period_end', 'f.amount_pence'])
    .where('f.area_id', '=', areaId)
    .orderBy('f.period_start', 'desc')
    .orderBy('o.name')
    .orderBy('f.recorded_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    organisationId: row.organisation_id,
    providerName: row.name,
    kind: row.kind,
    reference: row.reference,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    amountPence: Number(row.amount_pence),
  }));
}

/** The area's awards whose period overlaps the range. */
export async function awardsOverlapping(db: Db | Trx, areaId: string, range: DateRange) {
  const rows = await db
    .selectFrom('funding_award')
    .select(['organisation_id', 'period_start', 'period_end', 'amount_pence'])
    .where('area_id', '=', areaId)
    .where('period_start', '<=', range.to)
    .where('period_end', '>=', range.from)
    .execute();
  return rows.map((row) => ({ organisationId: row.organisation_id, periodStart: row.period_start, periodEnd: row.period_end, amountPence: Number(row.amount_pence) }));
}

/** Referrals each provider accepted, and support completed, on referrals sent in the range (the aggregate only). */
export async function providerActivity(db: Db | Trx, areaId: string, range: DateRange): Promise<ProviderActivity[]> {
  const rows = await db
    .selectFrom('insight_referral_day as r')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .select(['r.organisation_id', 'o.name', sql<number>`sum(r.accepted)::int`.as('accepted'), sql<number>`sum(r.completed)::int`.as('completed')])
    .where('r.area_id', '=', areaId)
    .where('r.day', '>=', range.from)
    .where('r.day', '<=', range.to)
    .groupBy(['r.organisation_id', 'o.name'])
    .execute();
  return rows.map((row) => ({ organisationId: row.organisation_id, name: row.name, accepted: Number(row.accepted), completed: Number(row.completed) }));
}
