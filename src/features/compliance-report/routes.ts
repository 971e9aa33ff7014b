// The quarterly Victims' Code compliance report, under /insights/report: a printable page and the same figures as a
// CSV file. Routes read the quarter and render; the service authorises, reads the aggregates and audits.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { writtenDate } from '../care-plan/rules.ts';
import { INSIGHT_READERS, isQuarter, lastCompleteQuarter, quarterRange, type Quarter } from '../insights/rules.ts';
import { DUTY_MEASURES, DUTY_MEASURE_NAMES, METHOD_NOTE, complianceCsv, percent, quarterName, recentQuarters } from './rules.ts';
import { quarterlyReport } from './service.ts';

type ReportQuery = { Querystring: { quarter?: unknown } };

const BAD_QUARTER = 'Choose a quarter from the list. A quarter is written like 2026-Q3, for July to September 2026';

/** The quarter asked for, the last complete one when none was, or undefined for one that is not a quarter. */
function askedQuarter(request: FastifyRequest<ReportQuery>, today: string): Quarter | undefined {
  const asked = request.query.quarter;
  if (asked === undefined || asked === '') return lastCompleteQuarter(today);
  const trimmed = typeof asked === 'string' ? asked.trim().toUpperCase() : asked;
  return isQuarter(trimmed) ? trimmed : undefined;
}

export function registerComplianceReportPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const readers = { preHandler: requireStaff(INSIGHT_READERS) };

  const choices = (today: string, selected?: Quarter) =>
    recentQuarters(today).map((quarter) => ({ value: quarter, text: quarterName(quarter), selected: quarter === selected }));

  function badQuarter(reply: FastifyReply, today: string) {
    return reply.code(400).view('compliance-report/views/report.njk', {
      title: 'Victims’ Code compliance report',
      quarters: choices(today),
      fieldErrors: { quarter: BAD_QUARTER },
      errors: [{ text: BAD_QUARTER, href: '#quarter' }],
    });
  }

  app.get<ReportQuery>('/insights/report', readers, async (request, reply) => {
    const today = londonDateOf(new Date());
    const quarter = askedQuarter(request, today);
    reply.header('cache-control', 'no-store');
    if (!quarter) return badQuarter(reply, today);
    const report = await quarterlyReport(db, staffActor(request), quarter, 'viewed');
    const range = quarterRange(quarter);
    return reply.view('compliance-report/views/report.njk', {
      // The quarter is in the title, so a printed or saved page says which quarter it is.
      title: `Victims’ Code compliance report, ${quarterName(quarter)}`,
      quarter,
      quarterName: quarterName(quarter),
      period: `${writtenDate(range.from)} to ${writtenDate(range.to)}`,
      unfinished: range.to >= today,
      quarters: choices(today, quarter),
      fieldErrors: {},
      report,
      measures: DUTY_MEASURES.map((measure) => ({ key: measure, name: DUTY_MEASURE_NAMES[measure] })),
      method: METHOD_NOTE,
      percent,
    });
  });

  app.get<ReportQuery>('/insights/report.csv', readers, async (request, reply) => {
    const today = londonDateOf(new Date());
    const quarter = askedQuarter(request, today);
    if (!quarter) return badQuarter(reply, today);
    const report = await quarterlyReport(db, staffActor(request), quarter, 'downloaded');
    return reply
      .header('cache-control', 'no-store')
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="code-compliance-${quarter}.csv"`)
      .send(complianceCsv(report, quarter));
  });
}
