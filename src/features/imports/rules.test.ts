import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { referralFile, referralRow } from '../../../test/support/referral-file.ts';
import { parseReferralFile } from './referral-file.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import {
  REFERRAL_FILE_COLUMNS,
  checkHeader,
  checkRow,
  columnOf,
  csvCell,
  headerProblem,
  looksLikeText,
  parseFileDate,
  percentDone,
  quarantineReportLines,
  reasonsFromIntake,
} from './rules.ts';

const TODAY = '2025-06-01';

describe('the header', () => {
  test('the documented columns, in any order and case, are accepted', () => {
    assert.deepEqual(checkHeader([...REFERRAL_FILE_COLUMNS]), { ok: true });
    assert.deepEqual(checkHeader([...REFERRAL_FILE_COLUMNS].reverse().map((name) => ` ${name.toUpperCase()} `)), { ok: true });
    assert.deepEqual(checkHeader(['\uFEFFpolice_reference', ...REFERRAL_FILE_COLUMNS.slice(1)]), { ok: true });
  });

  test('missing, unexpected and repeated columns are each named, with the whole expected list', () => {
    const check = checkHeader(['police_reference', 'crime_ref', 'police_reference', ...REFERRAL_FILE_COLUMNS.slice(2)]);
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.deepEqual(check.missing, ['crime_reference']);
    assert.deepEqual(check.unexpected, ['crime_ref']);
    assert.deepEqual(check.duplicated, ['police_reference']);
    const message = headerProblem(check);
    assert.match(message, /must name these columns: police_reference, crime_reference, offence_code/);
    assert.match(message, /Missing: crime_reference\./);
    assert.match(message, /Not expected: crime_ref\./);
  });
});

describe('the file', () => {
  test('binary content and bytes that are not UTF-8 are not CSV', () => {
    assert.equal(looksLikeText(Buffer.from('%PDF-1.7\n\0\0binary')), false);
    assert.equal(looksLikeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe])), false);
    assert.equal(looksLikeText(Buffer.from('police_reference,crime_reference\n')), true);
  });

  test('a good file gives every row keyed by column; a short row is kept and marked', () => {
    const text = referralFile([referralRow(1), referralRow(2)]) + 'WYP-9,WY/1/25\r\n';
    const { rows } = parseReferralFile(Buffer.from(text));
    assert.equal(rows.length, 3);
    assert.equal(rows[0]?.police_reference, 'WYP-0000001');
    assert.equal(rows[2]?._cells, '2');
    const checked = checkRow(rows[2], TODAY);
    assert.ok('reasons' in checked);
    assert.match(checked.reasons.row ?? '', /2 cells but the header names 20 columns/);
  });

  test('wrong columns, an empty file, binary and broken quoting are refused whole under `file`', () => {
    const refusals: [string, Buffer, RegExp][] = [
      ['wrong columns', Buffer.from('name,dob\nJo,1/1/1990\n'), /must name these columns: police_reference/],
      ['empty', Buffer.alloc(0), /empty/],
      ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), /must be a CSV file/],
      ['unclosed quote', Buffer.from(`${REFERRAL_FILE_COLUMNS.join(',')}\n"WYP-1,oops\n`), /could not be read/],
    ];
    for (const [name, content, reason] of refusals) {
      assert.throws(
        () => parseReferralFile(content),
        (error) => error instanceof Invalid && reason.test(error.fields.file ?? ''),
        name,
      );
    }
  });
});

describe('a row', () => {
  test('a good row becomes a referral: dates to ISO, choices checked, blanks to null', () => {
    const checked = checkRow(referralRow(7, { domestic_abuse: 'y', phone: '07700 900982', offence_date_to: '2025-03-09' }), TODAY);
    assert.ok('value' in checked);
    assert.equal(checked.value.sourceReference, 'WYP-0000007');
    assert.equal(checked.value.crime.committedFrom, '2025-03-08');
    assert.equal(checked.value.crime.committedTo, '2025-03-09');
    assert.equal(checked.value.crime.reportedAt?.toISOString(), '2025-04-08T12:00:00.000Z');
    assert.equal(checked.value.person.dateOfBirth, '1947-08-08');
    assert.equal(checked.value.person.phone, '07700 900982');
    assert.equal(checked.value.person.email, null);
    assert.deepEqual(checked.value.indicators, { domesticAbuse: true });
    assert.equal(checked.value.role, 'victim');
    assert.equal(checked.value.supportConsent, 'not_asked');
  });

  test('each bad cell gets its own reason, by column', () => {
    const checked = checkRow(
      referralRow(1, {
        police_reference: ' ',
        given_name: '',
        date_of_birth: '31/02/1990',
        offence_date_from: '01/01/2030',
        role: 'suspect',
        support: 'maybe',
        domestic_abuse: 'yes',
        preferred_language: 'English',
      }),
      TODAY,
    );
    assert.ok('reasons' in checked);
    assert.deepEqual(Object.keys(checked.reasons).sort(), [
      'date_of_birth',
      'domestic_abuse',
      'given_name',
      'offence_date_from',
      'police_reference',
      'preferred_language',
      'role',
      'support',
    ]);
    assert.match(checked.reasons.date_of_birth!, /real date/);
    assert.match(checked.reasons.offence_date_from!, /future/);
    assert.match(checked.reasons.role!, /victim, witness/);
  });

  test('an offence that ends before it starts, or is reported before it happened, is refused', () => {
    const backwards = checkRow(referralRow(1, { offence_date_from: '10/03/2025', offence_date_to: '09/03/2025' }), TODAY);
    assert.ok('reasons' in backwards);
    assert.match(backwards.reasons.offence_date_to!, /on or after its start/);
    const early = checkRow(referralRow(1, { offence_date_from: '10/03/2025', reported_date: '09/03/2025' }), TODAY);
    assert.ok('reasons' in early);
    assert.ok(early.reasons.reported_date);
  });

  test('dates are DD/MM/YYYY or YYYY-MM-DD and must exist', () => {
    assert.equal(parseFileDate('4/7/1990'), '1990-07-04');
    assert.equal(parseFileDate('1990-07-04'), '1990-07-04');
    assert.equal(parseFileDate('29/02/2023'), null);
    assert.equal(parseFileDate('07/04/90'), null);
    assert.equal(parseFileDate('4 July 1990'), null);
  });
});

describe('intake reasons and the report', () => {
  test('intake field names map back to the file columns', () => {
    assert.equal(columnOf('person.givenName'), 'given_name');
    assert.equal(columnOf('crime.crimeReference'), 'crime_reference');
    assert.equal(columnOf('crime.offenceCode'), 'offence_code');
    assert.equal(columnOf('referral.role'), 'role');
    assert.equal(columnOf('person.safeContact.channels'), 'row');
    assert.deepEqual(reasonsFromIntake({ 'person.phone': 'Enter a UK phone number', 'referral.notes': 'Too long' }), {
      phone: 'Enter a UK phone number',
      row: 'Too long',
    });
  });

  test('the report has a line per reason; cells a spreadsheet would run are defused', () => {
    const lines = quarantineReportLines([
      { rowNumber: 3, policeReference: '=HYPERLINK("x")', reasons: { phone: 'Enter a UK phone number, like 07700 900 982', given_name: 'Enter a first name' } },
    ]);
    assert.deepEqual(lines, [
      'row_number,police_reference,column,reason',
      `3,"'=HYPERLINK(""x"")",phone,"Enter a UK phone number, like 07700 900 982"`,
      `3,"'=HYPERLINK(""x"")",given_name,Enter a first name`,
    ]);
    assert.equal(csvCell(12), '12');
  });

  test('progress is whole percent of the rows processed', () => {
    assert.equal(percentDone({ rowCount: 3, imported: 1, replayed: 0, quarantined: 0 }), 33);
    assert.equal(percentDone({ rowCount: 0, imported: 0, replayed: 0, quarantined: 0 }), 100);
  });
});
