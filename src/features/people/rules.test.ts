// The pure rules for a person's details: phone, name, email and postcode normalisation, and checking a new person.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPerson, matchingFullName, matchingName, normaliseEmail, normalisePhone, normalisePostcode, tidyName } from './rules.ts';

const phone = (value: string) => normalisePhone(value);

describe('normalisePhone', () => {
  it('turns UK national numbers into E.164', () => {
    assert.deepEqual(phone('07700 900982'), { ok: true, value: '+447700900982' });
    assert.deepEqual(phone('020 7946 0000'), { ok: true, value: '+442079460000' });
    assert.deepEqual(phone('(0161) 496-0000'), { ok: true, value: '+441614960000' });
  });
  it('accepts +44 and 0044, with or without (0)', () => {
    assert.deepEqual(phone('+44 7700 900982'), { ok: true, value: '+447700900982' });
    assert.deepEqual(phone('+44 (0)20 7946 0000'), { ok: true, value: '+442079460000' });
    assert.deepEqual(phone('0044 7700 900982'), { ok: true, value: '+447700900982' });
  });
  it('accepts international numbers with a country code', () => {
    assert.deepEqual(phone('+33 1 23 45 67 89'), { ok: true, value: '+33123456789' });
    assert.deepEqual(phone('00353 1 234 5678'), { ok: true, value: '+35312345678' });
    assert.deepEqual(phone('+1 (202) 555-0143'), { ok: true, value: '+12025550143' });
  });
  it('refuses numbers that are not UK or international numbers', () => {
    for (const bad of ['12345', '7700 900982', '0770090098', '077009009821', '+44 0770 090 0982', '+44 4123 456789', '07700 9OO982', '+0 123 456 789', '+1234567890123456', '07700+900982', 'call me']) {
      const result = phone(bad);
      assert.equal(result.ok, false, bad);
      if (!result.ok) assert.match(result.error, /UK phone number/);
    }
    assert.deepEqual(phone('  '), { ok: false, error: 'Enter a phone number' });
  });
});

describe('names', () => {
  it('tidies a name for display without changing its case', () => {
    assert.equal(tidyName('  Mary   Ann  '), 'Mary Ann');
  });
  it('strips accents, folds case and punctuation for matching', () => {
    assert.equal(matchingName('  Siân  O’Brien-Jones '), 'sian obrien jones');
    assert.equal(matchingName('ZOË'), 'zoe');
    assert.equal(matchingName('Łukasz Straße'), 'łukasz strasse');
    assert.equal(matchingName("D'Arcy"), 'darcy');
    assert.equal(matchingFullName('Renée', null), 'renee');
    assert.equal(matchingFullName(' Renée ', ' Dupont '), 'renee dupont');
  });
});

describe('email and postcode', () => {
  it('lower-cases an email and refuses a malformed one', () => {
    assert.deepEqual(normaliseEmail(' Sam@Example.COM '), { ok: true, value: 'sam@example.com' });
    assert.equal(normaliseEmail('sam@example').ok, false);
    assert.equal(normaliseEmail('sam..x@example.com').ok, false);
  });
  it('formats a UK postcode and refuses a wrong one', () => {
    assert.deepEqual(normalisePostcode('sw1a1aa'), { ok: true, value: 'SW1A 1AA' });
    assert.deepEqual(normalisePostcode(' m1  1ae '), { ok: true, value: 'M1 1AE' });
    assert.equal(normalisePostcode('12345').ok, false);
  });
});

describe('checkPerson', () => {
  const today = '2026-06-01';
  it('needs only a first name', () => {
    const checked = checkPerson({ areaId: 'a', givenName: '  Jo ' }, today);
    assert.ok('value' in checked);
    assert.equal(checked.value.givenName, 'Jo');
    assert.equal(checked.value.matchName, 'jo');
    assert.deepEqual(checked.value.safeContact.channels, []);
    assert.equal(checked.value.preferredLanguage, 'en');
  });
  it('normalises contact details and the safe-contact profile', () => {
    const checked = checkPerson(
      {
        areaId: 'a',
        givenName: 'Jo',
        familyName: 'Bloggs',
        phone: '07700 900982',
        email: 'JO@example.com',
        postcode: 'sw1a1aa',
        safeContact: { channels: ['sms', 'sms', 'email'], voicemailSafe: false, codeWord: ' bluebell ' },
      },
      today,
    );
    assert.ok('value' in checked);
    assert.equal(checked.value.phone, '+447700900982');
    assert.equal(checked.value.email, 'jo@example.com');
    assert.equal(checked.value.postcode, 'SW1A 1AA');
    assert.deepEqual(checked.value.safeContact, {
      channels: ['sms', 'email'],
      safeTimes: null,
      voicemailSafe: false,
      homeVisitSafe: null,
      safeAddress: null,
      codeWord: 'bluebell',
    });
  });
  it('gives a reason for each bad field', () => {
    const checked = checkPerson(
      { areaId: 'a', givenName: ' ', phone: '12345', email: 'x', postcode: 'nope', dateOfBirth: '2026-02-30' },
      today,
    );
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['dateOfBirth', 'email', 'givenName', 'phone', 'postcode']);
    const future = checkPerson({ areaId: 'a', givenName: 'Jo', dateOfBirth: '2026-06-02' }, today);
    assert.ok('errors' in future);
    assert.equal(future.errors.dateOfBirth, 'Date of birth must be in the past');
  });
});
