// What the dashboard templates draw: each table's chart as SVG and its figures as written text, and the range as the
// date inputs and the query string of the CSV link. Pure.
import { partsOf } from '../../platform/time/calendar-date.ts';
import { barChart } from './charts.ts';
import { chartValue, formatFigure, type FigureTable } from './figures.ts';
import type { DateRange } from './rules.ts';

export type TableView = {
  id: string;
  caption: string;
  chartSvg: string | null;
  rowHeads: string[];
  columns: string[];
  rows: { heads: string[]; cells: { text: string; numeric: boolean }[]; total: boolean }[];
};

export function tableView(table: FigureTable): TableView {
  const bars = table.chart
    ? table.rows.filter((row) => !row.total).map((row) => ({ label: row.heads.join(' – '), value: chartValue(row.figures[table.chart?.column ?? 0]) }))
    : [];
  const unit = table.chart && table.rows[0]?.figures[table.chart.column]?.kind === 'share' ? 'share' : 'count';
  return {
    id: table.id,
    caption: table.caption,
    chartSvg: table.chart && bars.length ? barChart({ id: `chart-${table.id}`, title: table.chart.title, description: `A bar chart of the figures in the table “${table.caption}” that follows it. [c] marks a hidden figure.`, unit, bars }) : null,
    rowHeads: table.rowHeads,
    columns: table.columns,
    rows: table.rows.map((row) => ({
      heads: row.heads,
      cells: row.figures.map((figure) => ({ text: formatFigure(figure), numeric: figure.kind !== 'text' })),
      total: row.total === true,
    })),
  };
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' });
export const longDate = (date: string): string => LONG_DATE.format(new Date(`${date}T00:00:00Z`));

/** The date inputs' values for a range that was read. */
export function rangeInputs(range: DateRange): Record<string, string> {
  const from = partsOf(range.from);
  const to = partsOf(range.to);
  return {
    'from-day': String(from.day), 'from-month': String(from.month), 'from-year': String(from.year),
    'to-day': String(to.day), 'to-month': String(to.month), 'to-year': String(to.year),
  };
}

/** The query string of a range, so a CSV link reads exactly the figures on the page. */
export const rangeQuery = (range: DateRange): string => new URLSearchParams(rangeInputs(range)).toString();
