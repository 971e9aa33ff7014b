// Statistical disclosure control for every figure the commissioner's insights show or export. Pure: counts in, what
// may be shown out.
//
// Primary suppression hides any count from 1 to 4: a group that small could be someone the reader knows. Zero is
// shown, since it tells nothing about anyone. Secondary suppression stops a hidden count being worked out by
// subtraction: wherever a line of a table (a row or a column, with its total) has exactly one hidden member, the
// smallest other non-zero count in that line is hidden too, or the line's total when there is no other. That repeats
// until no line has exactly one hidden member, because hiding a cell for its row can leave its column with one.
export const SUPPRESSION_THRESHOLD = 5;

export type Shown = { value: number; suppressed: false } | { value: null; suppressed: true };

export type SuppressedTable = {
  cells: Shown[][];
  rowTotals: Shown[];
  columnTotals: Shown[];
  total: Shown;
};

const shown = (value: number): Shown => ({ value, suppressed: false });
const hidden: Shown = { value: null, suppressed: true };

/** Whether a count on its own is too small to show. */
export function belowThreshold(count: number): boolean {
  return count > 0 && count < SUPPRESSION_THRESHOLD;
}

function checkCounts(cells: readonly (readonly number[])[]): void {
  const width = cells[0]?.length ?? 0;
  for (const row of cells) {
    if (row.length !== width) throw new Error('every row of a table of counts must have the same number of columns');
    for (const count of row) if (!Number.isInteger(count) || count < 0) throw new Error(`a count must be a whole number of 0 or more, not ${count}`);
  }
}

/**
 * Suppresses a table of counts shown with its row totals, column totals and grand total. The totals take part: a
 * total under 5 is hidden, and a line whose total is hidden is safe only if another member is hidden too.
 */
export function suppressTable(cells: readonly (readonly number[])[]): SuppressedTable {
  checkCounts(cells);
  const rows = cells.length;
  const columns = cells[0]?.length ?? 0;
  // The table with its totals as one grid: the last column holds row totals, the last row column totals.
  const grid: number[][] = cells.map((row) => [...row, row.reduce((sum, count) => sum + count, 0)]);
  const totalsRow = Array.from({ length: columns + 1 }, (_, column) => grid.reduce((sum, row) => sum + (row[column] ?? 0), 0));
  grid.push(totalsRow);
  const hide = grid.map((row) => row.map((count) => belowThreshold(count)));

  // Each line is a list of [row, column] positions; its last member is its total.
  const lines: [number, number][][] = [];
  for (let row = 0; row <= rows; row += 1) lines.push(Array.from({ length: columns + 1 }, (_, column) => [row, column] as [number, number]));
  for (let column = 0; column <= columns; column += 1) lines.push(Array.from({ length: rows + 1 }, (_, row) => [row, column] as [number, number]));

  const count = ([row, column]: [number, number]) => grid[row]?.[column] ?? 0;
  const isHidden = ([row, column]: [number, number]) => hide[row]?.[column] === true;
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      if (line.filter(isHidden).length !== 1) continue;
      const members = line.slice(0, -1);
      const total = line[line.length - 1];
      const candidates = members.filter((position) => !isHidden(position) && count(position) > 0).sort((a, b) => count(a) - count(b));
      const chosen = candidates[0] ?? (total && !isHidden(total) ? total : undefined);
      // A line of one member (a one-column table) has nothing else to hide but its total, which the column line handles.
      if (!chosen) continue;
      const [row, column] = chosen;
      const hideRow = hide[row];
      if (hideRow) hideRow[column] = true;
      changed = true;
    }
  }

  const at = (row: number, column: number): Shown => (hide[row]?.[column] ? hidden : shown(grid[row]?.[column] ?? 0));
  return {
    cells: cells.map((row, r) => row.map((_, c) => at(r, c))),
    rowTotals: cells.map((_, r) => at(r, columns)),
    columnTotals: Array.from({ length: columns }, (_, c) => at(rows, c)),
    total: at(rows, columns),
  };
}

/** A one-way breakdown with its total, such as cases by source: a table of one column. */
export function suppressList(counts: readonly number[]): { cells: Shown[]; total: Shown } {
  const table = suppressTable(counts.map((count) => [count]));
  return { cells: table.cells.map((row) => row[0] ?? hidden), total: table.total };
}

/**
 * A share (0 to 1) worked out from two counts that are shown, or null where either is hidden or there is nothing to
 * divide by. A share of a hidden count would give the count away.
 */
export function suppressedShare(numerator: Shown, denominator: Shown): number | null {
  if (numerator.suppressed || denominator.suppressed || denominator.value === 0) return null;
  return numerator.value / denominator.value;
}

/** A figure worked out from a group of people (an average wait, a cost per victim): shown only for 5 or more. */
export function figureForGroup<T>(groupSize: number, figure: () => T): T | null {
  return groupSize >= SUPPRESSION_THRESHOLD ? figure() : null;
}
