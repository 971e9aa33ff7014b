// The pure rules behind the coordinator's pages: case list query strings, search term keys, typed dates and times,
// contact log checks and the safe-contact breaches that need confirming.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  caseListQueryString,
  caseReference,
  checkContactLog,
  londonTime,
  parseCaseListQuery,
  parseTime,
  parseTypedDate,
  safeContactBreaches,
  safeContactView,
  searchKeysFor,
  smsForbidden,
} from './rules.ts';

const normalise = {
  phone: (value: string) => (/^0?7\d{9}$/.test(value.replace(/\s/g, '')) ? `+44${value.replace(/\s/g, '').replace(/^0/, '')}` : null),
  postcode: (value: string) => (/^[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$/i.test(value) ? value.toUpperCase() : null),
  name: (value: string) => value.toLowerCase(),
};

describe('case list query', () => {
  it('keeps only known category values and round-trips through the query string', () => {
    const query = parseCaseListQuery({ status: ['new', 'bogus'], source: 'police_api', group: ['Burglary', 'Alex Morgan'], flag: 'repeat', scope: 'all', sort: 'name' }, ['Burglary'], true);
    assert.deepEqual(query.statuses, ['new']);
    assert.deepEqual(query.offenceGroups, ['Burglary']);
    assert.equal(query.repeatOnly, true);
    assert.equal(query.scope, 'all');
    assert.equal(query.order, 'asc');
    assert.equal(caseListQueryString(query), '?scope=all&status=new&source=police_api&group=Burglary&flag=repeat&sort=name&order=asc');
    assert.equal(parseCaseListQuery({ scope: 'all' }, [], false).scope, 'mine');
    assert.equal(caseListQueryString(parseCaseListQuery({}, [], false)), '');
  });
});

describe('search keys', () => {
  it('reads names, references, dates, phones and postcodes from one box', () => {
    assert.deepEqual(searchKeysFor('Alex Morgan', normalise), { keys: { name: 'alex morgan', crimeReference: null, dateOfBirth: null, phone: null, postcode: null } });
    const date = searchKeysFor('4 July 1990', normalise);
    assert.ok('keys' in date && date.keys.dateOfBirth === '1990-07-04' && date.keys.crimeReference === null);
    const phone = searchKeysFor('07700 900982', normalise);
    assert.ok('keys' in phone && phone.keys.phone === '+447700900982' && phone.keys.crimeReference === '07700 900982');
    const postcode = searchKeysFor('sw1a 1aa', normalise);
    assert.ok('keys' in postcode && postcode.keys.postcode === 'SW1A 1AA');
    assert.ok('error' in searchKeysFor('', normalise));
    assert.ok('error' in searchKeysFor('a', normalise));
    assert.ok('error' in searchKeysFor('x'.repeat(101), normalise));
  });

  it('parses typed dates and refuses impossible ones', () => {
    assert.equal(parseTypedDate('04/07/1990'), '1990-07-04');
    assert.equal(parseTypedDate('1990-7-4'), '1990-07-04');
    assert.equal(parseTypedDate('4 Jul 1990'), '1990-07-04');
    assert.equal(parseTypedDate('31/02/1990'), null);
    assert.equal(parseTypedDate('4 Julyish 1990'), null);
  });
});

describe('contact log', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  const valid = { channel: 'phone', direction: 'outbound', outcome: 'no_answer', day: '15', month: '6', year: '2026', time: '9:30am' };

  it('reads times and London wall-clock dates across summer time', () => {
    assert.deepEqual(parseTime('14:30'), { hour: 14, minute: 30 });
    assert.deepEqual(parseTime('12am'), { hour: 0, minute: 0 });
    assert.equal(parseTime('25:00'), null);
    assert.equal(parseTime('14'), null);
    assert.equal(londonTime(2026, 6, 15, 9, 30).toISOString(), '2026-06-15T08:30:00.000Z');
    assert.equal(londonTime(2026, 1, 15, 9, 30).toISOString(), '2026-01-15T09:30:00.000Z');
  });

  it('checks every field and refuses a contact in the future', () => {
    const checked = checkContactLog(valid, now);
    assert.ok('value' in checked && checked.value.contactedAt.toISOString() === '2026-06-15T08:30:00.000Z');
    const empty = checkContactLog({}, now);
    assert.ok('errors' in empty);
    assert.deepEqual(Object.keys(empty.errors).sort(), ['channel', 'contactedAt', 'direction', 'outcome']);
    const future = checkContactLog({ ...valid, time: '14:00' }, now);
    assert.ok('errors' in future && future.errors.contactedAt === 'The contact must not be in the future');
    const badDate = checkContactLog({ ...valid, day: '31', month: '2' }, now);
    assert.ok('errors' in badDate && badDate.errors.contactedAt);
  });

  it('finds what an outbound contact would break in the safe-contact profile, and treats unknown as not forbidden', () => {
    const safe = safeContactView({ channels: ['phone'], voicemailSafe: false, homeVisitSafe: false });
    assert.equal(smsForbidden(safe), true);
    assert.equal(smsForbidden(safeContactView({})), false);
    assert.equal(safeContactBreaches(safe, { channel: 'sms', direction: 'outbound', outcome: 'successful' }).length, 1);
    assert.equal(safeContactBreaches(safe, { channel: 'sms', direction: 'inbound', outcome: 'successful' }).length, 0);
    assert.equal(safeContactBreaches(safe, { channel: 'phone', direction: 'outbound', outcome: 'voicemail_left' }).length, 1);
    assert.equal(safeContactBreaches(safe, { channel: 'visit', direction: 'outbound', outcome: 'successful' }).length, 1);
    assert.equal(safeContactBreaches(safeContactView({}), { channel: 'sms', direction: 'outbound', outcome: 'voicemail_left' }).length, 0);
  });

  it('gives a short reference that is not the whole id', () => {
    assert.equal(caseReference('3f2a9c1b-0000-4000-8000-000000000000'), '3F2A9C1B');
  });
});
