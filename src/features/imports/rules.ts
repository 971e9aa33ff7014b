// The daily referral file's layout and the checks on it, without I/O: the header, each row's own checks (dates,
// choices, required cells) and the turning of a row into the referral intake receives. docs/daily-referral-file.md
// describes the same layout for the forces that send it.
import type { CaseRole, SupportConsent } from '../../platform/db/schema.ts';

/** The columns of the daily referral file, in the order the documentation gives them. */
export const REFERRAL_FILE_COLUMNS = [
  'police_reference',
  'crime_reference',
  'offence_code',
  'offence_category',
  'offence_date_from',
  'offence_date_to',
  'reported_date',
  'officer_in_charge',
  'role',
  'given_name',
  'family_name',
  'date_of_birth',
  'phone',
  'email',
  'address_line_1',
  'town',
  'postcode',
  'preferred_language',
  'support',
  'domestic_abuse',
] as const;
export type ReferralFileColumn = (typeof REFERRAL_FILE_COLUMNS)[number];

/** A row as the file gave it: each column's cell, untrimmed. */
export type RawRow = Record<string, string>;
/** A reason for each column that was wrong; `row` for what belongs to no one column. */
export type RowReasons = Record<string, string>;

/** Files larger than this are refused before they are read: a day's referrals for a force are a few megabytes. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export const REQUIRED_COLUMNS: readonly ReferralFileColumn[] = [
  'police_reference',
  'crime_reference',
  'offence_code',
  'offence_category',
  'role',
  'given_name',
  'support',
];

const ROLES: Record<string, CaseRole> = {
  victim: 'victim',
  witness: 'witness',
  bereaved_relative: 'bereaved_relative',
  parent_of_child_victim: 'parent_of_child_victim',
};
const SUPPORT: Record<string, SupportConsent> = { opted_in: 'opted_in', opted_out: 'opted_out', not_asked: 'not_asked' };

export type HeaderCheck = { ok: true } | { ok: false; missing: string[]; unexpected: string[]; duplicated: string[] };

/** Header names are compared trimmed and in lower case; their order does not matter. */
export const normaliseColumnName = (name: string): string => name.replace(/^\uFEFF/, '').trim().toLowerCase();

export function checkHeader(header: readonly string[]): HeaderCheck {
  const names = header.map(normaliseColumnName);
  const expected = new Set<string>(REFERRAL_FILE_COLUMNS);
  const missing = REFERRAL_FILE_COLUMNS.filter((column) => !names.includes(column));
  const unexpected = names.filter((name) => !expected.has(name));
  const duplicated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (!missing.length && !unexpected.length && !duplicated.length) return { ok: true };
  return { ok: false, missing, unexpected, duplicated };
}

/** The plain-words reason a file's header was refused, naming every column expected. */
export function headerProblem(check: Exclude<HeaderCheck, { ok: true }>): string {
  const parts = [`The file's first row must name these columns: ${REFERRAL_FILE_COLUMNS.join(', ')}.`];
  if (check.missing.length) parts.push(`Missing: ${check.missing.join(', ')}.`);
  if (check.unexpected.length) parts.push(`Not expected: ${check.unexpected.map((name) => name || '(blank)').join(', ')}.`);
  if (check.duplicated.length) parts.push(`Given twice: ${check.duplicated.join(', ')}.`);
  return parts.join(' ');
}

/**
 * True when the content cannot be a CSV text file: a NUL byte (every binary format has them near the start) or
 * bytes that are not UTF-8 text.
 */
export function looksLikeText(content: Uint8Array): boolean {
  if (content.subarray(0, 64 * 1024).includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/** A date written DD/MM/YYYY (as forces' exports write them) or YYYY-MM-DD, as YYYY-MM-DD; null when it is not a real date. */
export function parseFileDate(value: string): string | null {
  const written = value.trim();
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(written);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(written);
  let parts: [number, number, number];
  if (uk) parts = [Number(uk[3]), Number(uk[2]), Number(uk[1])];
  else if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  const [year, month, day] = parts;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1900) return null;
  return date.toISOString().slice(0, 10);
}

/** What a valid row says, in the shape intake's referral needs (the area and sender are added by the service). */
export type RowReferral = {
  sourceReference: string;
  person: {
    givenName: string;
    familyName: string | null;
    dateOfBirth: string | null;
    phone: string | null;
    email: string | null;
    addressLine1: string | null;
    town: string | null;
    postcode: string | null;
    preferredLanguage: string | null;
  };
  crime: {
    crimeReference: string;
    offenceCode: string;
    offenceCategory: string;
    committedFrom: string | null;
    committedTo: string | null;
    reportedAt: Date | null;
    officerInCharge: string | null;
  };
  role: CaseRole;
  supportConsent: SupportConsent;
  indicators: { domesticAbuse: boolean };
};

const cell = (row: RawRow, column: ReferralFileColumn): string => (row[column] ?? '').trim();
const optional = (row: RawRow, column: ReferralFileColumn): string | null => cell(row, column) || null;

const DATE_REASON = 'Enter a real date as DD/MM/YYYY, like 04/07/2025';
const MAX_CELL = 500;

/**
 * The checks a row can have without Haven's records: required cells, dates, choices. `today` is YYYY-MM-DD in
 * Europe/London. Names, phone numbers, emails, postcodes, crime references and offence codes are checked by intake
 * itself, so the file, the API and the forms share one rule; its reasons are mapped back to columns by columnOf.
 */
export function checkRow(row: RawRow, today: string): { value: RowReferral } | { reasons: RowReasons } {
  const reasons: RowReasons = {};
  if (row._cells) reasons.row = `This row has ${row._cells} cells but the header names ${REFERRAL_FILE_COLUMNS.length} columns`;
  for (const column of REQUIRED_COLUMNS) if (!cell(row, column)) reasons[column] = `Enter the ${column.replace(/_/g, ' ')}`;
  for (const column of REFERRAL_FILE_COLUMNS) {
    if (!reasons[column] && cell(row, column).length > MAX_CELL) reasons[column] = `Must be ${MAX_CELL} characters or fewer`;
  }
  const dates: Partial<Record<ReferralFileColumn, string | null>> = {};
  for (const column of ['offence_date_from', 'offence_date_to', 'reported_date', 'date_of_birth'] as const) {
    const written = cell(row, column);
    if (!written) {
      dates[column] = null;
      continue;
    }
    const date = parseFileDate(written);
    if (!date) reasons[column] = DATE_REASON;
    else if (date > today) reasons[column] = column === 'date_of_birth' ? 'Date of birth must be in the past' : 'The date must not be in the future';
    dates[column] = date;
  }
  const from = dates.offence_date_from;
  const to = dates.offence_date_to;
  if (!reasons.offence_date_from && !reasons.offence_date_to && from && to && from > to) {
    reasons.offence_date_to = 'The end of the offence must be on or after its start';
  }
  const reported = dates.reported_date;
  if (!reasons.reported_date && !reasons.offence_date_from && reported && from && reported < from) {
    reasons.reported_date = 'The crime cannot be reported before it happened';
  }
  const role = ROLES[cell(row, 'role').toLowerCase()];
  if (!role && !reasons.role) reasons.role = `Role must be one of: ${Object.keys(ROLES).join(', ')}`;
  const support = SUPPORT[cell(row, 'support').toLowerCase()];
  if (!support && !reasons.support) reasons.support = `Support must be one of: ${Object.keys(SUPPORT).join(', ')}`;
  const domesticAbuse = cell(row, 'domestic_abuse').toUpperCase();
  if (!['', 'Y', 'N'].includes(domesticAbuse)) reasons.domestic_abuse = 'Domestic abuse must be Y, N or left blank';
  const language = cell(row, 'preferred_language').toLowerCase();
  if (language && !/^[a-z]{2,3}$/.test(language)) reasons.preferred_language = 'Preferred language must be a 2 or 3 letter code, like en or cy';

  if (Object.keys(reasons).length || !role || !support) return { reasons };
  return {
    value: {
      sourceReference: cell(row, 'police_reference'),
      person: {
        givenName: cell(row, 'given_name'),
        familyName: optional(row, 'family_name'),
        dateOfBirth: dates.date_of_birth ?? null,
        phone: optional(row, 'phone'),
        email: optional(row, 'email'),
        addressLine1: optional(row, 'address_line_1'),
        town: optional(row, 'town'),
        postcode: optional(row, 'postcode'),
        preferredLanguage: language || null,
      },
      crime: {
        crimeReference: cell(row, 'crime_reference'),
        offenceCode: cell(row, 'offence_code'),
        offenceCategory: cell(row, 'offence_category'),
        committedFrom: from ?? null,
        committedTo: to ?? null,
        // Noon UTC is the same calendar day in London all year round.
        reportedAt: reported ? new Date(`${reported}T12:00:00Z`) : null,
        officerInCharge: optional(row, 'officer_in_charge'),
      },
      role,
      supportConsent: support,
      indicators: { domesticAbuse: domesticAbuse === 'Y' },
    },
  };
}

// Intake names its fields after the referral (person.givenName); the file's sender knows them by column.
const INTAKE_FIELD_COLUMNS: Record<string, ReferralFileColumn> = {
  sourceReference: 'police_reference',
  'person.givenName': 'given_name',
  'person.familyName': 'family_name',
  'person.dateOfBirth': 'date_of_birth',
  'person.phone': 'phone',
  'person.email': 'email',
  'person.addressLine1': 'address_line_1',
  'person.town': 'town',
  'person.postcode': 'postcode',
  'person.preferredLanguage': 'preferred_language',
  'crime.crimeReference': 'crime_reference',
  'crime.offenceCode': 'offence_code',
  'crime.offenceCategory': 'offence_category',
  'crime.committedFrom': 'offence_date_from',
  'crime.committedTo': 'offence_date_to',
  'crime.reportedAt': 'reported_date',
  'crime.officerInCharge': 'officer_in_charge',
  'referral.role': 'role',
  'referral.supportConsent': 'support',
  'referral.sourceReference': 'police_reference',
  role: 'role',
  supportConsent: 'support',
  'indicators.domesticAbuse': 'domestic_abuse',
};

/** The file column an intake field error belongs to; `row` when it belongs to none. */
export function columnOf(field: string): string {
  const exact = INTAKE_FIELD_COLUMNS[field];
  if (exact) return exact;
  // Intake may report the bare field name (givenName) or a nested path (person.safeContact.channels).
  const match = Object.entries(INTAKE_FIELD_COLUMNS).find(([name]) => name.endsWith(`.${field}`) || field.startsWith(`${name}.`));
  return match ? match[1] : 'row';
}

/** Intake's field errors as reasons by column; two errors on one column are joined. */
export function reasonsFromIntake(fields: Record<string, string>): RowReasons {
  const reasons: RowReasons = {};
  for (const [field, message] of Object.entries(fields)) {
    const column = columnOf(field);
    reasons[column] = reasons[column] ? `${reasons[column]}; ${message}` : message;
  }
  return reasons;
}

export const QUARANTINE_REPORT_COLUMNS = ['row_number', 'police_reference', 'column', 'reason'] as const;

/**
 * One CSV cell, quoted when it must be. A cell a spreadsheet would run as a formula (=, +, -, @) is given a leading
 * apostrophe: the police reference comes from the file and the report is opened in spreadsheets.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export type QuarantinedRow = { rowNumber: number; policeReference: string; reasons: RowReasons };

/** The quarantine report: one line per reason, so a force can filter by column. Only the reference identifies the row. */
export function quarantineReportLines(rows: readonly QuarantinedRow[]): string[] {
  const lines = [QUARANTINE_REPORT_COLUMNS.join(',')];
  for (const row of rows) {
    for (const [column, reason] of Object.entries(row.reasons)) {
      lines.push([csvCell(row.rowNumber), csvCell(row.policeReference), csvCell(column), csvCell(reason)].join(','));
    }
  }
  return lines;
}

export type ImportTotals = { rowCount: number; imported: number; replayed: number; quarantined: number };

/** Rows still to be processed. */
export const pendingOf = (totals: ImportTotals): number => totals.rowCount - totals.imported - totals.replayed - totals.quarantined;

/** Whole percent processed, for the progress bar and page. */
export const percentDone = (totals: ImportTotals): number =>
  totals.rowCount === 0 ? 100 : Math.floor(((totals.rowCount - pendingOf(totals)) * 100) / totals.rowCount);
