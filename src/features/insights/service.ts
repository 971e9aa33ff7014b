// Reading the commissioner's dashboards: only analysts and supervisors, only their own area, every figure suppressed
// (dashboard-rules.ts), and every view audited with the range it was read over.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Forbidden } from '../../platform/http/domain-errors.ts';
import {
  DASHBOARDS,
  complianceDashboard,
  demandDashboard,
  equalityDashboard,
  provisionDashboard,
  voiceDashboard,
  type Dashboard,
  type DashboardKey,
} from './dashboard-rules.ts';
import { caseSums, complaintSums, dutySums, equalitySums, ratingSums, referralSums, themeSums } from './repository.ts';
import { mayReadInsights, type DateRange } from './rules.ts';

/** The reader's own area; anyone who may not read insights is refused. */
export function insightArea(actor: Actor): string {
  if (actor.kind !== 'staff' || !mayReadInsights(actor.staff.role)) throw new Forbidden('insights are for analysts and supervisors');
  return actor.staff.areaId;
}

const build: Record<DashboardKey, (trx: Trx, areaId: string, range: DateRange) => Promise<Dashboard>> = {
  demand: async (trx, areaId, range) => demandDashboard(await caseSums(trx, areaId, range)),
  compliance: async (trx, areaId, range) => complianceDashboard(await dutySums(trx, areaId, range)),
  provision: async (trx, areaId, range) => provisionDashboard(await referralSums(trx, areaId, range)),
  voice: async (trx, areaId, range) =>
    voiceDashboard(await ratingSums(trx, areaId, range), await themeSums(trx, areaId, range), await complaintSums(trx, areaId, range)),
  equality: async (trx, areaId, range) => equalityDashboard(await equalitySums(trx, areaId, range)),
};

/** One dashboard over the range, for the page or its CSV file (`format` goes in the audit). */
export async function readDashboard(db: Db, actor: Actor, key: DashboardKey, range: DateRange, format: 'page' | 'csv' = 'page'): Promise<Dashboard> {
  const areaId = insightArea(actor);
  return inTransaction(db, async (trx) => {
    const dashboard = await build[key](trx, areaId, range);
    await writeAudit(trx, actor, { action: `insights.${key}_viewed`, recordType: 'area', recordId: areaId, detail: { from: range.from, to: range.to, format } });
    return dashboard;
  });
}

/** The overview: each dashboard's headline figures, read in one transaction and audited once. */
export async function readOverview(db: Db, actor: Actor, range: DateRange): Promise<Dashboard[]> {
  const areaId = insightArea(actor);
  return inTransaction(db, async (trx) => {
    const dashboards: Dashboard[] = [];
    for (const key of DASHBOARDS) dashboards.push(await build[key](trx, areaId, range));
    await writeAudit(trx, actor, { action: 'insights.overview_viewed', recordType: 'area', recordId: areaId, detail: { from: range.from, to: range.to } });
    return dashboards;
  });
}
