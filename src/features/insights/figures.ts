// The shape every insight dashboard is drawn from: tables of figures that have already been through suppression, and
// how one figure is written on the page and in the CSV file, so both always show the same thing. Pure.
import { figureForGroup, suppressedShare, type Shown } from './suppression.ts';

/**
 * A figure as shown: a count, a share (0 to 1), a number of days, or words. `missing` says why there is no number:
 * 'suppressed' is written [c]; 'none' (nothing to divide by) is written n/a.
 */
export type Figure =
  | { kind: 'count' | 'share' | 'days'; value: number; missing?: undefined }
  | { kind: 'count' | 'share' | 'days'; value: null; missing: 'suppressed' | 'none' }
  | { kind: 'text'; text: string };

export type FigureRow = { heads: string[]; figures: Figure[]; total?: boolean };

export type FigureTable = {
  /** Unique on the page; also names the chart. */
  id: string;
  caption: string;
  /** The headings of the columns that name each row (one, or two such as provider and service). */
  rowHeads: string[];
  columns: string[];
  rows: FigureRow[];
  /** Draw the given column of the rows (not the total) as a bar chart beside the table. */
  chart?: { title: string; column: number };
};

export type Headline = { label: string; figure: Figure };

export const SUPPRESSED_TEXT = '[c]';
export const NOTHING_TEXT = 'n/a';

/** A count that has been through suppressTable or suppressList. */
export function countFigure(shown: Shown): Figure {
  return shown.suppressed ? { kind: 'count', value: null, missing: 'suppressed' } : { kind: 'count', value: shown.value };
}

/** A number that counts no one (a service's declared open places): shown as it is. */
export const declaredFigure = (value: number): Figure => ({ kind: 'count', value });

/** The sum of two shown counts: hidden if either is, since the sum and the other would give the hidden one away. */
export function sumShown(a: Shown, b: Shown): Shown {
  return a.suppressed || b.suppressed ? { value: null, suppressed: true } : { value: a.value + b.value, suppressed: false };
}

/** A share of two shown counts, hidden where either is hidden or the group is under 5, n/a with nothing to divide. */
export function shareFigure(numerator: Shown, denominator: Shown): Figure {
  if (numerator.suppressed || denominator.suppressed) return { kind: 'share', value: null, missing: 'suppressed' };
  if (denominator.value === 0) return { kind: 'share', value: null, missing: 'none' };
  const share = figureForGroup(denominator.value, () => suppressedShare(numerator, denominator));
  return share === null ? { kind: 'share', value: null, missing: 'suppressed' } : { kind: 'share', value: share };
}

/** An average number of days over a group of people: shown only for a group of 5 or more. */
export function averageDaysFigure(groupSize: number, totalDays: number): Figure {
  if (groupSize === 0) return { kind: 'days', value: null, missing: 'none' };
  const average = figureForGroup(groupSize, () => totalDays / groupSize);
  return average === null ? { kind: 'days', value: null, missing: 'suppressed' } : { kind: 'days', value: average };
}

/** The number a chart draws for a figure: null where the table says [c] or n/a. */
export function chartValue(figure: Figure | undefined): number | null {
  if (!figure || figure.kind === 'text') return null;
  return figure.value;
}

/** How a figure is written, on the page ('html', with thousands separators) or in the CSV file. */
export function formatFigure(figure: Figure, target: 'html' | 'csv' = 'html'): string {
  if (figure.kind === 'text') return figure.text;
  if (figure.value === null) return figure.missing === 'suppressed' ? SUPPRESSED_TEXT : NOTHING_TEXT;
  switch (figure.kind) {
    case 'count':
      return target === 'html' ? figure.value.toLocaleString('en-GB') : String(figure.value);
    case 'share':
      return `${Math.round(figure.value * 100)}%`;
    case 'days':
      return figure.value.toFixed(1);
  }
}

/** 'repeat_victim' → 'Repeat victim': for a key with no plain name yet. */
export function humanise(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
