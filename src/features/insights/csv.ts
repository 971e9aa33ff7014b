// A dashboard as a CSV file: one line per figure, with the same words and the same [c] as the page, since both are
// written from the same suppressed tables. Pure.
import type { Dashboard } from './dashboard-rules.ts';
import { formatFigure } from './figures.ts';
import type { DateRange } from './rules.ts';

/** Quotes a field, and stops a spreadsheet reading a name that starts with = + - or @ as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_HEADER = ['From', 'To', 'Table', 'Group', 'Measure', 'Value'] as const;

export function dashboardCsv(dashboard: Dashboard, range: DateRange): string {
  const lines: string[][] = [[...CSV_HEADER]];
  for (const table of dashboard.tables) {
    for (const row of table.rows) {
      row.figures.forEach((figure, column) => {
        lines.push([range.from, range.to, table.caption, row.heads.join(' – '), table.columns[column] ?? '', formatFigure(figure, 'csv')]);
      });
    }
  }
  return `${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The file's name: the dashboard and the range, never a person or a place name. */
export const csvFilename = (dashboard: Dashboard, range: DateRange): string => `haven-insights-${dashboard.key}-${range.from}-to-${range.to}.csv`;
