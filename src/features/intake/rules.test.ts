// Crime reference format, offence codes, the field names of a referral's errors and the rounds of a batch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OFFENCES, offenceByCode } from './offence-codes.ts';
import { checkCrimeReference, checkOffenceCode, indicatorsGiven, prefixFields, receivingRounds } from './rules.ts';

describe('crime references', () => {
  it('accepts a force code, number and two-digit year, in any case and spacing', () => {
    assert.deepEqual(checkCrimeReference('WY/12345/26'), { ok: true, value: 'WY/12345/26' });
    assert.deepEqual(checkCrimeReference(' wy / 12345 / 26 '), { ok: true, value: 'WY/12345/26' });
  });
  it('refuses other shapes with a reason', () => {
    for (const bad of ['', '12345', 'W/1/26', 'WY/123456789/26', 'WY/12A/26', 'WY-12345-26', 'WY/12345/2026']) {
      const checked = checkCrimeReference(bad);
      assert.equal(checked.ok, false, bad);
    }
  });
});

describe('offence codes', () => {
  it('knows common Home Office codes with their category and group', () => {
    assert.ok(OFFENCES.length >= 60);
    assert.equal(new Set(OFFENCES.map((offence) => offence.code)).size, OFFENCES.length);
    assert.equal(offenceByCode('28e')?.group, 'Residential burglary');
    assert.equal(offenceByCode('5D')?.category, 'Violence against the person');
    assert.equal(offenceByCode(' 9b ')?.category, 'Public order offences');
  });
  it('refuses what is not an offence code, and accepts a known one as classified', () => {
    assert.equal(checkOffenceCode('ZZ9').ok, false);
    assert.equal(checkOffenceCode('').ok, false);
    assert.equal(checkOffenceCode('28E/1/X').ok, false);
    assert.deepEqual(checkOffenceCode('8n'), { ok: true, value: offenceByCode('8N'), needsClassification: false });
  });
  it('accepts a code in the Home Office shape that Haven lacks as needing manual classification, keeping a known category', () => {
    assert.deepEqual(checkOffenceCode(' 999z ', 'sexual offences'), {
      ok: true,
      value: { code: '999Z', description: 'Not yet classified', category: 'Sexual offences', group: 'Needs manual classification' },
      needsClassification: true,
    });
    const unknownCategory = checkOffenceCode('123/45', 'Something else');
    assert.ok(unknownCategory.ok && unknownCategory.needsClassification && unknownCategory.value.category === 'Needs manual classification');
  });
});

describe('field names', () => {
  it('prefixes a service’s field names with the part of the referral', () => {
    assert.deepEqual(prefixFields('person', { givenName: 'Enter a first name' }), { 'person.givenName': 'Enter a first name' });
  });
  it('lists the indicators that are set', () => {
    assert.deepEqual(indicatorsGiven({ domesticAbuse: true, hateCrime: false }), ['domesticAbuse']);
    assert.deepEqual(indicatorsGiven(undefined), []);
  });
});

describe('receivingRounds', () => {
  it('receives referrals that share no key together', () => {
    assert.deepEqual(receivingRounds([['phone:1'], ['phone:2'], []]), [0, 0, 0]);
  });
  it('puts a referral after every earlier one it shares a key with, and no later', () => {
    // The third shares the first's crime and the second's phone, so it must follow both; the fourth shares nothing.
    assert.deepEqual(receivingRounds([['crime:A', 'phone:1'], ['phone:2'], ['crime:A', 'phone:2'], ['phone:3']]), [0, 0, 1, 0]);
    assert.deepEqual(receivingRounds([['born:1990-01-01'], ['born:1990-01-01', 'phone:9'], ['phone:9'], ['born:1990-01-01']]), [0, 1, 2, 2]);
  });
});
