// Reads a daily referral file: refuses what is not CSV text or has the wrong columns (the whole file, with the reason),
// and otherwise gives every data row as it stands, good or bad, for staging.
import { parse } from 'csv-parse/sync';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { checkHeader, headerProblem, looksLikeText, normaliseColumnName, type RawRow } from './rules.ts';

export type ParsedReferralFile = { rows: RawRow[] };

/** The field errors use `file`: the one form field (and API body) a whole file comes in. */
export function parseReferralFile(content: Uint8Array): ParsedReferralFile {
  if (!content.length) throw new Invalid({ file: 'The file is empty' });
  if (!looksLikeText(content)) throw new Invalid({ file: 'The file must be a CSV file: this one is not text' });
  let records: string[][];
  try {
    const options = { bom: true, relax_column_count: true, skip_empty_lines: true };
    records = parse(Buffer.from(content), options);
  } catch (error) {
    const detail = error instanceof Error && 'lines' in error ? ` (at line ${String((error as { lines: number }).lines)})` : '';
    throw new Invalid({ file: `The file must be a CSV file: it could not be read as one${detail}` });
  }
  const [header, ...data] = records;
  if (!header) throw new Invalid({ file: 'The file is empty' });
  const check = checkHeader(header);
  if (!check.ok) throw new Invalid({ file: headerProblem(check) });
  const names = header.map(normaliseColumnName);
  const rows = data.map((record) => {
    const row: RawRow = {};
    names.forEach((name, index) => (row[name] = record[index] ?? ''));
    // A row with a different number of cells is kept whole and quarantined, so the force can see what it sent.
    if (record.length !== names.length) row._cells = String(record.length);
    if (record.length > names.length) row._extra = record.slice(names.length).join(',');
    return row;
  });
  return { rows };
}
