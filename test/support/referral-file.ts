// Daily referral files for tests: good rows made from a number (each with its own police reference, crime and
// person), and a file from rows.
import { REFERRAL_FILE_COLUMNS, type RawRow } from '../../src/features/imports/rules.ts';

const GIVEN = ['Amara', 'Bronwen', 'Callum', 'Dafydd', 'Eilidh', 'Farhan', 'Gwen', 'Hamza', 'Isla', 'Jonah', 'Kiran', 'Lowri'];
const FAMILY = ['Adeyemi', 'Bevan', 'Chowdhury', 'Davies', 'Evans', 'Fraser', 'Griffiths', 'Hughes', 'Iqbal', 'Jenkins', 'Kowalski'];
const CODES = [
  ['28E', 'Burglary'],
  ['8N', 'Violence against the person'],
  ['105A', 'Violence against the person'],
  ['58C', 'Criminal damage and arson'],
];
const pad = (value: number) => String(value).padStart(2, '0');

/** A good row; `n` makes it unique (reference, crime and a person no other row resembles). */
export function referralRow(n: number, overrides: Partial<RawRow> = {}): RawRow {
  const [code, category] = CODES[n % CODES.length]!;
  // Letters from the number, so no two people share a name that matching would link.
  const tag = n.toString(26).replace(/[0-9]/g, (digit) => 'qrstuvwxyz'[Number(digit)]!);
  const capitalised = tag.charAt(0).toUpperCase() + tag.slice(1);
  return {
    police_reference: `WYP-${String(n).padStart(7, '0')}`,
    crime_reference: `WY/${100000 + n}/25`,
    offence_code: code!,
    offence_category: category!,
    offence_date_from: `${pad((n % 28) + 1)}/03/2025`,
    offence_date_to: '',
    reported_date: `${pad((n % 28) + 1)}/04/2025`,
    officer_in_charge: 'PC 1234 Morgan',
    role: 'victim',
    given_name: `${GIVEN[n % GIVEN.length]!}${capitalised}`,
    family_name: `${FAMILY[n % FAMILY.length]!}-${capitalised}`,
    date_of_birth: `${pad((n % 28) + 1)}/${pad((n % 12) + 1)}/${1940 + (n % 60)}`,
    phone: '',
    email: '',
    address_line_1: '',
    town: 'Wakefield',
    postcode: '',
    preferred_language: 'en',
    support: 'not_asked',
    domestic_abuse: 'N',
    ...overrides,
  };
}

// As a force's system writes them: quoted where needed, with nothing defused.
const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function referralFile(rows: RawRow[], columns: readonly string[] = REFERRAL_FILE_COLUMNS): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((column) => cell(row[column] ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
