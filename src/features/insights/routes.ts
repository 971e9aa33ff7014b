// The commissioner's dashboards under /insights: the overview, one page per dashboard over a range of days asked for
// with a GET form, and each dashboard's figures as a CSV file carrying the same suppression.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffActor } from '../../platform/auth/guard.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { dateBoxesInError } from '../../platform/forms/date-input.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { addStaffNavigation } from '../../platform/views/navigation.ts';
import { csvFilename, dashboardCsv } from './csv.ts';
import { DASHBOARDS, DASHBOARD_SUMMARIES, DASHBOARD_TITLES } from './dashboard-rules.ts';
import { formatFigure } from './figures.ts';
import { METHOD_NOTES } from './method-notes.ts';
import { longDate, rangeInputs, rangeQuery, tableView } from './page-model.ts';
import { INSIGHT_READERS, readDateRange, type DateRange } from './rules.ts';
import { insightArea, readDashboard, readOverview } from './service.ts';

type Query = Record<string, unknown>;

const SUPPRESSION_KEY = '[c] hidden to protect privacy: fewer than 5 people, or a figure that would let one be worked out. n/a: nothing to work a share or average from.';

export function registerInsightPages(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  addStaffNavigation({ href: '/insights', text: 'Insights', roles: INSIGHT_READERS });
  // Any signed-in staff member reaches the handler, so the service's own check decides (and refuses with 403).
  const staff = { preHandler: requireStaff() };

  /** The range asked for, or the page sent with the error summary (400) and no figures. */
  async function rangeOr(request: FastifyRequest, reply: FastifyReply, page: { title: string; action: string }): Promise<DateRange | undefined> {
    insightArea(staffActor(request));
    const query = (request.query ?? {}) as Query;
    const read = readDateRange(query, londonDateOf(new Date()));
    if ('range' in read) return read.range;
    const fieldErrors = read.errors;
    const boxes = Object.fromEntries(['from', 'to'].map((name) => [name, dateBoxesInError(query, name, Boolean(fieldErrors[name]))]));
    reply.header('cache-control', 'no-store');
    await reply.code(400).view('insights/views/dashboard.njk', {
      ...page,
      values: Object.fromEntries(Object.entries(query).filter(([, value]) => typeof value === 'string')),
      fieldErrors,
      boxes,
      errors: Object.entries(fieldErrors).map(([name, text]) => ({ text, href: `#${name}-${boxes[name]?.first ?? 'day'}` })),
      tables: [],
      method: [],
    });
    return undefined;
  }

  const common = (range: DateRange) => ({
    values: rangeInputs(range),
    rangeText: `${longDate(range.from)} to ${longDate(range.to)}`,
    query: rangeQuery(range),
    suppressionKey: SUPPRESSION_KEY,
    fieldErrors: {},
    boxes: {},
  });

  app.get('/insights', staff, async (request, reply) => {
    const page = { title: 'Insights', action: '/insights' };
    const range = await rangeOr(request, reply, page);
    if (!range) return reply;
    const dashboards = await readOverview(db, staffActor(request), range);
    reply.header('cache-control', 'no-store');
    return reply.view('insights/views/overview.njk', {
      ...page,
      ...common(range),
      method: METHOD_NOTES.overview,
      dashboards: dashboards.map((dashboard) => ({
        key: dashboard.key,
        title: dashboard.title,
        summary: DASHBOARD_SUMMARIES[dashboard.key],
        headlines: dashboard.headlines.map((headline) => ({ label: headline.label, text: formatFigure(headline.figure) })),
      })),
    });
  });

  for (const key of DASHBOARDS) {
    const page = { title: DASHBOARD_TITLES[key], action: `/insights/${key}`, dashboardKey: key };
    app.get(`/insights/${key}`, staff, async (request, reply) => {
      const range = await rangeOr(request, reply, page);
      if (!range) return reply;
      const dashboard = await readDashboard(db, staffActor(request), key, range);
      reply.header('cache-control', 'no-store');
      return reply.view('insights/views/dashboard.njk', {
        ...page,
        ...common(range),
        csvHref: `/insights/${key}.csv?${rangeQuery(range)}`,
        method: METHOD_NOTES[key],
        tables: dashboard.tables.map(tableView),
      });
    });

    // A CSV link is made by the page from a range it read, so a bad range was edited by hand: the form says what is wrong.
    app.get(`/insights/${key}.csv`, staff, async (request, reply) => {
      const range = await rangeOr(request, reply, page);
      if (!range) return reply;
      const dashboard = await readDashboard(db, staffActor(request), key, range, 'csv');
      return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${csvFilename(dashboard, range)}"`)
      .header('cache-control', 'no-store')
      .send(dashboardCsv(dashboard, range));
    });
  }
}
