import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { suppressList, suppressTable, suppressedShare, figureForGroup, type Shown } from './suppression.ts';

const values = (cells: Shown[]) => cells.map((cell) => cell.value);

test('counts from 1 to 4 are hidden, 0 and 5 or more are shown', () => {
  const table = suppressTable([[0, 5, 12], [7, 9, 30]]);
  assert.deepEqual(table.cells.map(values), [[0, 5, 12], [7, 9, 30]]);
  assert.equal(table.total.value, 63);
});

test('a hidden count cannot be worked out by subtracting the others from the total (secondary suppression)', () => {
  // Sources: 40 police, 3 self-referrals, 20 agency, total 63. Without secondary suppression 63 - 40 - 20 = 3.
  const list = suppressList([40, 3, 20]);
  assert.deepEqual(values(list.cells), [40, null, null]);
  assert.equal(list.total.value, 63);
});

test('the second hidden cell is the smallest other non-zero one, so the least is lost', () => {
  const list = suppressList([0, 50, 2, 6, 9]);
  assert.deepEqual(values(list.cells), [0, 50, null, null, 9]);
});

test('when nothing else in the line can be hidden, the total is', () => {
  const list = suppressList([0, 3, 0]);
  assert.deepEqual(values(list.cells), [0, null, 0]);
  assert.equal(list.total.suppressed, true);
});

test('hiding a cell for its row makes its column safe too', () => {
  // Row 0 hides 2 and then 6 (its smallest other); column 1 then has 6 hidden alone, so it hides another in that column.
  const table = suppressTable([
    [2, 6, 40],
    [30, 20, 50],
    [25, 15, 60],
  ]);
  const hiddenInColumn1 = table.cells.filter((row) => row[1]?.suppressed).length + (table.columnTotals[1]?.suppressed ? 1 : 0);
  assert.ok(hiddenInColumn1 >= 2);
  const hiddenInColumn0 = table.cells.filter((row) => row[0]?.suppressed).length + (table.columnTotals[0]?.suppressed ? 1 : 0);
  assert.ok(hiddenInColumn0 >= 2);
});

test('a share of a hidden count is hidden, and a share of nothing is not a number to show', () => {
  assert.equal(suppressedShare({ value: null, suppressed: true }, { value: 10, suppressed: false }), null);
  assert.equal(suppressedShare({ value: 0, suppressed: false }, { value: 0, suppressed: false }), null);
  assert.equal(suppressedShare({ value: 6, suppressed: false }, { value: 8, suppressed: false }), 0.75);
  assert.equal(figureForGroup(4, () => 1), null);
  assert.equal(figureForGroup(5, () => 1), 1);
});

test('bad counts are refused rather than shown', () => {
  assert.throws(() => suppressTable([[1, 2], [3]]), /same number of columns/);
  assert.throws(() => suppressList([-1]), /whole number/);
  assert.throws(() => suppressList([1.5]), /whole number/);
});

test('property: no shown count is 1 to 4, and no row or column has exactly one hidden member', () => {
  const table = fc.integer({ min: 1, max: 5 }).chain((columns) =>
    fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 200 })), { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 6 }),
  );
  fc.assert(
    fc.property(table, (cells) => {
      const result = suppressTable(cells);
      const grid = [...result.cells.map((row, r) => [...row, result.rowTotals[r] as Shown]), [...result.columnTotals, result.total]];
      for (const row of grid) for (const cell of row) if (!cell.suppressed) assert.ok(cell.value === 0 || cell.value >= 5, `shown ${cell.value}`);
      const lines = [...grid, ...(grid[0] ?? []).map((_, column) => grid.map((row) => row[column] as Shown))];
      for (const line of lines) assert.notEqual(line.filter((cell) => cell.suppressed).length, 1);
      // What is shown is the truth.
      result.cells.forEach((row, r) => row.forEach((cell, c) => { if (!cell.suppressed) assert.equal(cell.value, cells[r]?.[c]); }));
    }),
    { numRuns: 500 },
  );
});
