// Use-cases of the quarterly compliance report: the figures for one quarter of the reader's own area, as a page or a
// CSV file. Insight readers only; each view and each download is audited with the quarter it covered.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db } from '../../platform/db/transaction.ts';
import { Forbidden } from '../../platform/http/domain-errors.ts';
import { mayReadInsights, quarterRange, type Quarter } from '../insights/rules.ts';
import { casesBySource, complaintCounts, dutyCounts, organisationNames, ratingCounts } from './repository.ts';
import { complianceReport, type ComplianceReport } from './rules.ts';

/** The report for the quarter; `use` says whether it was viewed or downloaded, for the audit trail. */
export async function quarterlyReport(db: Db, actor: Actor, quarter: Quarter, use: 'viewed' | 'downloaded'): Promise<ComplianceReport> {
  if (actor.kind !== 'staff' || !mayReadInsights(actor.staff.role)) throw new Forbidden('insights are for the commissioner’s analysts and supervisors');
  const areaId = actor.staff.areaId;
  const range = quarterRange(quarter);
  return inTransaction(db, async (trx) => {
    const duties = await dutyCounts(trx, areaId, range);
    const names = await organisationNames(trx, areaId, duties.map((row) => row.ownerKey));
    const report = complianceReport({
      duties,
      organisationNames: names,
      casesBySource: await casesBySource(trx, areaId, range),
      complaints: await complaintCounts(trx, areaId, range),
      ratings: await ratingCounts(trx, areaId, range),
    });
    await writeAudit(trx, actor, { action: `insights.report_${use}`, recordType: 'area', recordId: areaId, detail: { quarter, from: range.from, to: range.to } });
    return report;
  });
}
