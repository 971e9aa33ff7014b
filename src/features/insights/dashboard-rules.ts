// The commissioner's dashboards, built from sums over the aggregate tables: every count goes through suppression
// (suppression.ts) here, before anything is drawn or exported. Pure: sums in, tables of shown figures out.
// The plain names of duties, owners, moments and ratings are other features' pure rules, imported so the words match.
import { FEEDBACK_MOMENTS, MOMENT_NAMES, RATING_NAMES } from '../feedback/rules.ts';
import { DUTIES, DUTY_DEFINITIONS, OWNER_KIND_NAMES, type OwnerKind } from '../obligations/rules.ts';
import {
  averageDaysFigure,
  countFigure,
  declaredFigure,
  humanise,
  shareFigure,
  sumShown,
  type Figure,
  type FigureRow,
  type FigureTable,
  type Headline,
} from './figures.ts';
import { EQUALITY_CATEGORY_NAMES, EQUALITY_DIMENSION_NAMES, ROLE_NAMES, SOURCE_NAMES } from './rules.ts';
import { suppressList, suppressTable, type Shown } from './suppression.ts';
import { FEEDBACK_THEME_NAMES } from './themes.ts';

export const DASHBOARDS = ['demand', 'compliance', 'provision', 'voice', 'equality'] as const;
export type DashboardKey = (typeof DASHBOARDS)[number];
export const isDashboard = (value: unknown): value is DashboardKey => typeof value === 'string' && (DASHBOARDS as readonly string[]).includes(value);

export const DASHBOARD_TITLES: Record<DashboardKey, string> = {
  demand: 'Demand',
  compliance: 'Victims’ Code compliance',
  provision: 'Support provision',
  voice: 'Victims’ voice',
  equality: 'Equality',
};

export const DASHBOARD_SUMMARIES: Record<DashboardKey, string> = {
  demand: 'Cases opened by source, offence group and role, the share with enhanced rights, and repeat victims.',
  compliance: 'For each Code duty, the share met on time by the agency that owns it.',
  provision: 'Referrals to each provider and service, what became of them, and the wait against declared capacity.',
  voice: 'Victims’ ratings after key moments, themes in their comments, and how fast complaints were answered.',
  equality: 'Cases opened by age band, sex, ethnic group and disability.',
};

export type Dashboard = { key: DashboardKey; title: string; headlines: Headline[]; tables: FigureTable[] };

export type CaseSum = { source: string; offenceGroup: string; role: string; enhanced: boolean; repeatVictim: boolean; cases: number };
export type EqualitySum = { dimension: string; category: string; cases: number };
export type DutySum = {
  duty: string; ownerKind: string; ownerKey: string; ownerName: string | null;
  metOnTime: number; metLate: number; overdue: number; breached: number; open: number;
};
export type ReferralSum = {
  organisationName: string; serviceName: string; capacity: number; declaredWaitDays: number;
  sent: number; awaiting: number; accepted: number; declined: number; noCapacity: number; returned: number; completed: number;
  started: number; waitDaysTotal: number;
};
export type RatingSum = { moment: string; rating: number; responses: number };
export type ThemeSum = { theme: string; mentions: number };
export type ComplaintSum = { organisationName: string; received: number; answered: number; answeredInTime: number; answerDaysTotal: number };

/** suppressTable, with the totals of an empty table as zeros of the table's width (a range with no figures). */
function suppressRows(cells: readonly (readonly number[])[], width: number) {
  if (cells.length) return suppressTable(cells);
  const zero: Shown = { value: 0, suppressed: false };
  return { cells: [] as Shown[][], rowTotals: [] as Shown[], columnTotals: Array.from({ length: width }, () => zero), total: zero };
}

const OFFENCE_GROUP_NAMES: Record<string, string> = { unclassified: 'Not yet classified', not_reported: 'No crime reported' };
const TOTAL = 'Total';

/** Groups in the order of their plain names, then any the names do not know yet; zero for a known group not seen. */
function grouped<T>(rows: readonly T[], keyOf: (row: T) => string, countOf: (row: T) => number, names: Record<string, string>): [string, number][] {
  const sums = new Map<string, number>(Object.keys(names).map((key) => [key, 0]));
  for (const row of rows) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + countOf(row));
  return [...sums].map(([key, count]) => [names[key] ?? humanise(key), count]);
}

/** A one-way breakdown with its total and each group's share of it. */
function breakdown(id: string, caption: string, rowHead: string, measure: string, groups: readonly [string, number][], shares = true): FigureTable {
  const list = suppressList(groups.map(([, count]) => count));
  const figures = (cell: Shown): Figure[] => (shares ? [countFigure(cell), shareFigure(cell, list.total)] : [countFigure(cell)]);
  return {
    id,
    caption,
    rowHeads: [rowHead],
    columns: shares ? [measure, 'Share of total'] : [measure],
    rows: [...groups.map(([label], index) => ({ heads: [label], figures: figures(list.cells[index] as Shown) })), { heads: [TOTAL], figures: figures(list.total), total: true }],
    chart: { title: caption, column: 0 },
  };
}

/** The figure in a table's row named `label`, column `column`. */
function figureAt(table: FigureTable, label: string, column: number): Figure {
  return table.rows.find((row) => row.heads[0] === label)?.figures[column] ?? { kind: 'count', value: null, missing: 'none' };
}

export function demandDashboard(sums: readonly CaseSum[]): Dashboard {
  const offenceGroups = [...new Set(sums.map((row) => row.offenceGroup))]
    .sort((a, b) => Number(a in OFFENCE_GROUP_NAMES) - Number(b in OFFENCE_GROUP_NAMES) || a.localeCompare(b));
  const offenceNames = Object.fromEntries(offenceGroups.map((group) => [group, OFFENCE_GROUP_NAMES[group] ?? group]));
  const bySource = breakdown('source', 'Cases opened by source', 'Source', 'Cases', grouped(sums, (row) => row.source, (row) => row.cases, SOURCE_NAMES));
  const byOffence = breakdown('offence', 'Cases opened by offence group', 'Offence group', 'Cases', grouped(sums, (row) => row.offenceGroup, (row) => row.cases, offenceNames));
  const byRole = breakdown('role', 'Cases opened by role', 'Role', 'Cases', grouped(sums, (row) => row.role, (row) => row.cases, ROLE_NAMES));
  const ENHANCED = 'Enhanced rights';
  const REPEAT = 'Repeat victims';
  const enhanced = breakdown('enhanced', 'Cases with enhanced rights', 'Rights', 'Cases',
    grouped(sums, (row) => (row.enhanced ? 'yes' : 'no'), (row) => row.cases, { yes: ENHANCED, no: 'Standard rights' }));
  const repeat = breakdown('repeat', 'Cases for repeat victims', 'Victim', 'Cases',
    grouped(sums, (row) => (row.repeatVictim ? 'yes' : 'no'), (row) => row.cases, { yes: REPEAT, no: 'First recorded case' }));
  return {
    key: 'demand',
    title: DASHBOARD_TITLES.demand,
    headlines: [
      { label: 'Cases opened', figure: figureAt(bySource, TOTAL, 0) },
      { label: 'Share with enhanced rights', figure: figureAt(enhanced, ENHANCED, 1) },
      { label: 'Share for repeat victims', figure: figureAt(repeat, REPEAT, 1) },
    ],
    tables: [bySource, byOffence, byRole, enhanced, repeat],
  };
}

const dutyOrder = (duty: string) => {
  const index = (DUTIES as readonly string[]).indexOf(duty);
  return index < 0 ? DUTIES.length : index;
};

export function dutyName(duty: string): string {
  const definition = (DUTY_DEFINITIONS as Record<string, { title: string; right: string } | undefined>)[duty];
  return definition ? `${definition.title} (${definition.right})` : humanise(duty);
}

/**
 * Duty by owning agency. The counts in a row split the duties that fell due in the range (met on time, met late,
 * overdue, not met, not yet due), so the row's total is the number due and suppression protects it by subtraction.
 * The share met on time is of those whose deadline has passed: due less those not yet due.
 */
export function complianceDashboard(sums: readonly DutySum[]): Dashboard {
  const rows = [...sums].sort((a, b) => dutyOrder(a.duty) - dutyOrder(b.duty) || ownerName(a).localeCompare(ownerName(b)));
  const table = suppressRows(rows.map((row) => [row.metOnTime, row.metLate, row.overdue, row.breached, row.open]), 5);
  const figures = (cells: readonly Shown[], due: Shown): Figure[] => {
    const [onTime, late, overdue, breached, open] = cells as [Shown, Shown, Shown, Shown, Shown];
    const decided: Shown = due.suppressed || open.suppressed ? { value: null, suppressed: true } : { value: due.value - open.value, suppressed: false };
    return [countFigure(due), countFigure(onTime), countFigure(late), countFigure(overdue), countFigure(breached), countFigure(open), shareFigure(onTime, decided)];
  };
  const compliance: FigureTable = {
    id: 'duties',
    caption: 'Code duties met on time, by owning agency',
    rowHeads: ['Duty', 'Agency'],
    columns: ['Due', 'Met on time', 'Met late', 'Overdue', 'Not met', 'Not yet due', 'Share met on time'],
    rows: [
      ...rows.map((row, index) => ({ heads: [dutyName(row.duty), ownerName(row)], figures: figures(table.cells[index] as Shown[], table.rowTotals[index] as Shown) })),
      { heads: ['All duties', 'All agencies'], figures: figures(table.columnTotals, table.total), total: true },
    ],
    chart: { title: 'Share of each duty met on time, by agency', column: 6 },
  };
  const overall = compliance.rows[compliance.rows.length - 1] as FigureRow;
  return {
    key: 'compliance',
    title: DASHBOARD_TITLES.compliance,
    headlines: [
      { label: 'Code duties due', figure: overall.figures[0] as Figure },
      { label: 'Share met on time', figure: overall.figures[6] as Figure },
    ],
    tables: [compliance],
  };
}

function ownerName(row: DutySum): string {
  return row.ownerName ?? OWNER_KIND_NAMES[row.ownerKind as OwnerKind] ?? humanise(row.ownerKind);
}

/** How far a share of referrals turned away for lack of places is a gap worth flagging. */
export const NO_CAPACITY_GAP_SHARE = 0.2;

/**
 * Gaps in provision a commissioner should look at, read only from figures that are shown (a flag must not tell what
 * [c] hides): many referrals turned away for lack of places, a wait longer than the provider declares, no open places.
 */
export function provisionGaps(figures: { sent: Figure; noCapacity: Figure; averageWait: Figure }, declared: { capacity: number; waitDays: number }): string[] {
  const gaps: string[] = [];
  const value = (figure: Figure) => (figure.kind === 'text' ? null : figure.value);
  const sent = value(figures.sent);
  const noCapacity = value(figures.noCapacity);
  if (sent && noCapacity !== null && noCapacity >= 5 && noCapacity / sent >= NO_CAPACITY_GAP_SHARE) gaps.push('Often no capacity');
  const wait = value(figures.averageWait);
  if (wait !== null && wait > declared.waitDays) gaps.push('Wait longer than declared');
  if (declared.capacity === 0) gaps.push('No open places declared');
  return gaps;
}

export function provisionDashboard(sums: readonly ReferralSum[]): Dashboard {
  const rows = [...sums].sort((a, b) => a.organisationName.localeCompare(b.organisationName) || a.serviceName.localeCompare(b.serviceName));
  const table = suppressRows(rows.map((row) => [row.sent, row.accepted, row.declined, row.noCapacity, row.returned, row.completed, row.awaiting]), 7);
  let servicesWithGaps = 0;
  const figureRows: FigureRow[] = rows.map((row, index) => {
    const counts = (table.cells[index] as Shown[]).map(countFigure);
    const averageWait = averageDaysFigure(row.started, row.waitDaysTotal);
    const gaps = provisionGaps({ sent: counts[0] as Figure, noCapacity: counts[3] as Figure, averageWait }, { capacity: row.capacity, waitDays: row.declaredWaitDays });
    if (gaps.length) servicesWithGaps += 1;
    return {
      heads: [row.organisationName, row.serviceName],
      figures: [...counts, averageWait, declaredFigure(row.capacity), declaredFigure(row.declaredWaitDays), { kind: 'text', text: gaps.join('; ') || 'None' }],
    };
  });
  const started = rows.reduce((sum, row) => sum + row.started, 0);
  const waited = rows.reduce((sum, row) => sum + row.waitDaysTotal, 0);
  const totals: FigureRow = {
    heads: ['All providers', 'All services'],
    figures: [...table.columnTotals.map(countFigure), averageDaysFigure(started, waited), { kind: 'text', text: '' }, { kind: 'text', text: '' }, { kind: 'text', text: '' }],
    total: true,
  };
  return {
    key: 'provision',
    title: DASHBOARD_TITLES.provision,
    headlines: [
      { label: 'Referrals sent', figure: totals.figures[0] as Figure },
      { label: 'Services with a gap to look at', figure: declaredFigure(servicesWithGaps) },
    ],
    tables: [{
      id: 'services',
      caption: 'Referrals by provider and service, against declared capacity',
      rowHeads: ['Provider', 'Service'],
      columns: ['Sent', 'Accepted', 'Declined', 'No capacity', 'Returned', 'Completed', 'Awaiting an answer', 'Average wait to start (days)', 'Open places declared', 'Wait declared (days)', 'Gaps'],
      rows: [...figureRows, totals],
      chart: { title: 'Referrals sent to each service', column: 0 },
    }],
  };
}

/** Ratings from 5 (very satisfied) to 1, as the feedback pages list them, best first. */
const RATINGS = [5, 4, 3, 2, 1] as const;

export function voiceDashboard(ratings: readonly RatingSum[], themes: readonly ThemeSum[], complaints: readonly ComplaintSum[], themeNames: Record<string, string> = FEEDBACK_THEME_NAMES): Dashboard {
  const moments = [...new Set([...FEEDBACK_MOMENTS, ...ratings.map((row) => row.moment)])];
  const ratingTable = suppressRows(moments.map((moment) => RATINGS.map((rating) => ratings.filter((row) => row.moment === moment && row.rating === rating).reduce((sum, row) => sum + row.responses, 0))), RATINGS.length);
  const ratingFigures = (cells: readonly Shown[], responses: Shown): Figure[] => [
    ...cells.map(countFigure), countFigure(responses), shareFigure(sumShown(cells[0] as Shown, cells[1] as Shown), responses),
  ];
  const satisfaction: FigureTable = {
    id: 'ratings',
    caption: 'Victims’ ratings by moment',
    rowHeads: ['Moment'],
    columns: [...RATINGS.map((rating) => `${RATING_NAMES[rating] ?? rating} (${rating})`), 'Responses', 'Share rating 4 or 5'],
    rows: [
      ...moments.map((moment, index) => ({ heads: [MOMENT_NAMES[moment as keyof typeof MOMENT_NAMES] ?? humanise(moment)], figures: ratingFigures(ratingTable.cells[index] as Shown[], ratingTable.rowTotals[index] as Shown) })),
      { heads: ['All moments'], figures: ratingFigures(ratingTable.columnTotals, ratingTable.total), total: true },
    ],
    chart: { title: 'Share of victims rating 4 or 5, by moment', column: RATINGS.length + 1 },
  };
  const themeSums = new Map<string, number>();
  for (const row of themes) themeSums.set(row.theme, (themeSums.get(row.theme) ?? 0) + row.mentions);
  const themeGroups = [...themeSums].map(([key, count]): [string, number] => [themeNames[key] ?? humanise(key), count]).sort((a, b) => a[0].localeCompare(b[0]));
  const themeTable = breakdown('themes', 'Themes in victims’ comments', 'Theme', 'Mentions', themeGroups, false);

  const rows = [...complaints].sort((a, b) => a.organisationName.localeCompare(b.organisationName));
  // A row's counts split the complaints received: answered in time, answered late, not answered yet.
  const complaintTable = suppressRows(rows.map((row) => [row.answeredInTime, row.answered - row.answeredInTime, row.received - row.answered]), 3);
  const complaintFigures = (cells: readonly Shown[], received: Shown, answered: number, answerDays: number): Figure[] => {
    const [inTime, late] = cells as [Shown, Shown];
    const answeredShown = sumShown(inTime, late);
    return [countFigure(received), countFigure(answeredShown), countFigure(inTime), shareFigure(inTime, answeredShown), averageDaysFigure(answered, answerDays)];
  };
  const complaintsTable: FigureTable = {
    id: 'complaints',
    caption: 'Complaints by organisation complained about',
    rowHeads: ['Organisation'],
    columns: ['Received', 'Answered', 'Answered within 10 working days', 'Share answered within 10 working days', 'Average days to answer'],
    rows: [
      ...rows.map((row, index) => ({ heads: [row.organisationName], figures: complaintFigures(complaintTable.cells[index] as Shown[], complaintTable.rowTotals[index] as Shown, row.answered, row.answerDaysTotal) })),
      {
        heads: ['All organisations'],
        figures: complaintFigures(complaintTable.columnTotals, complaintTable.total, rows.reduce((sum, row) => sum + row.answered, 0), rows.reduce((sum, row) => sum + row.answerDaysTotal, 0)),
        total: true,
      },
    ],
    chart: { title: 'Complaints received, by organisation', column: 0 },
  };
  const overall = satisfaction.rows[satisfaction.rows.length - 1] as FigureRow;
  const complaintTotals = complaintsTable.rows[complaintsTable.rows.length - 1] as FigureRow;
  return {
    key: 'voice',
    title: DASHBOARD_TITLES.voice,
    headlines: [
      { label: 'Share of victims rating 4 or 5', figure: overall.figures[RATINGS.length + 1] as Figure },
      { label: 'Complaints received', figure: complaintTotals.figures[0] as Figure },
      { label: 'Share of complaints answered within 10 working days', figure: complaintTotals.figures[3] as Figure },
    ],
    tables: [satisfaction, themeTable, complaintsTable],
  };
}

export function equalityDashboard(sums: readonly EqualitySum[]): Dashboard {
  const tables = Object.entries(EQUALITY_DIMENSION_NAMES).map(([dimension, name]) =>
    breakdown(`equality-${dimension}`, `Cases opened by ${name.toLowerCase()}`, name, 'Cases',
      grouped(sums.filter((row) => row.dimension === dimension), (row) => row.category, (row) => row.cases, EQUALITY_CATEGORY_NAMES[dimension] ?? {})),
  );
  const recorded = (dimension: string) => {
    const table = tables.find((candidate) => candidate.id === `equality-${dimension}`) as FigureTable;
    return figureAt(table, EQUALITY_CATEGORY_NAMES[dimension]?.not_recorded ?? 'Not recorded', 1);
  };
  return {
    key: 'equality',
    title: DASHBOARD_TITLES.equality,
    headlines: [{ label: 'Share with ethnic group not recorded', figure: recorded('ethnic_group') }],
    tables,
  };
}

