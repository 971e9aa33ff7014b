// Unit tests for the referral rules: who must opt in to support, how consent is recorded, the renaming of intake's
// field errors for each door, the agency form's checks and the short reference.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAgencyForm, formValues } from './agency-form.ts';
import { apiFieldErrors, formFieldErrors, isRealDate, isSexualOffence, optInReason, shortCaseReference, supportConsentFor } from './rules.ts';

describe('consent to referral', () => {
  test('bereaved relatives, domestic abuse and sexual offences must opt in', () => {
    assert.equal(optInReason({ role: 'bereaved_relative', offenceCode: '1' }), 'bereaved relatives');
    assert.equal(optInReason({ role: 'victim', offenceCode: '8N', indicators: { domesticAbuse: true } }), 'victims of domestic abuse');
    assert.equal(optInReason({ role: 'victim', offenceCode: '19C' }), 'victims of sexual offences');
    assert.equal(optInReason({ role: 'witness', offenceCode: '28E', offenceCategory: 'Theft offences' }), null);
  });

  test('sexual offences are recognised by class, category or flag', () => {
    for (const code of ['17A', '19C', '20A', '22B', '71', '88A']) assert.ok(isSexualOffence({ role: 'victim', offenceCode: code }), code);
    assert.ok(isSexualOffence({ role: 'victim', offenceCode: '99', offenceCategory: 'Sexual offences' }));
    assert.ok(isSexualOffence({ role: 'victim', offenceCode: '99', indicators: { sexualOffence: true } }));
    for (const code of ['1', '8N', '28E', '105A', '170']) assert.ok(!isSexualOffence({ role: 'victim', offenceCode: code }), code);
  });

  test('not asked is implied consent where police may refer, and refused where the victim must opt in', () => {
    assert.deepEqual(supportConsentFor('not_asked', { role: 'victim', offenceCode: '28E' }), { consent: 'implied' });
    assert.ok('error' in supportConsentFor('not_asked', { role: 'victim', offenceCode: '19C' }));
    assert.deepEqual(supportConsentFor('opted_in', { role: 'victim', offenceCode: '19C' }), { consent: 'opted_in' });
    assert.deepEqual(supportConsentFor('opted_out', { role: 'bereaved_relative' }), { consent: 'opted_out' });
  });
});

describe('field names', () => {
  test('intake’s fields in the API’s terms', () => {
    assert.deepEqual(
      apiFieldErrors({ 'person.phone': 'a', 'person.postcode': 'b', 'crime.offenceCode': 'c', 'referral.role': 'd', 'referral.supportConsent': 'e' }),
      { 'victim.phone': 'a', 'victim.address.postcode': 'b', 'crime.offenceCode': 'c', role: 'd', 'consent.support': 'e' },
    );
  });

  test('intake’s fields as the form’s field ids', () => {
    assert.deepEqual(formFieldErrors({ 'person.dateOfBirth': 'a', 'crime.crimeReference': 'b', 'person.otherNames': 'c' }), {
      'dateOfBirth-day': 'a',
      crimeReference: 'b',
      givenName: 'c',
    });
  });
});

describe('agency form', () => {
  const token = '0b9c2b44-5c1e-4a8e-9b1d-2f1f3e6a7c01';
  const answers = {
    referralToken: token,
    givenName: 'Jon',
    'dateOfBirth-day': '4',
    'dateOfBirth-month': '7',
    'dateOfBirth-year': '1990',
    phone: '07700900982',
    safeChannels: 'phone',
    role: 'victim',
    reported: 'no',
    consent: 'yes',
  };

  test('a complete form makes a referral with no crime when it was not reported', () => {
    const checked = checkAgencyForm(formValues(answers), '2026-11-21');
    assert.ok('value' in checked);
    assert.equal(checked.value.dateOfBirth, '1990-07-04');
    assert.deepEqual(checked.value.safeChannels, ['phone']);
    assert.equal(checked.value.crime, null);
  });

  test('each missing or wrong answer names its field', () => {
    const checked = checkAgencyForm(formValues({ referralToken: 'x', 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1990', reported: 'yes', safeChannels: 'email' }), '2026-11-21');
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['consent', 'crimeReference', 'dateOfBirth-day', 'form', 'givenName', 'offence', 'phone', 'role', 'safeChannels'].sort());
  });

  test('a date of birth must be whole, real and in the past', () => {
    const dob = (day: string, month: string, year: string) =>
      checkAgencyForm(formValues({ ...answers, 'dateOfBirth-day': day, 'dateOfBirth-month': month, 'dateOfBirth-year': year }), '2026-11-21');
    assert.ok('errors' in dob('4', '', '1990'));
    assert.ok('errors' in dob('29', '2', '2025'));
    assert.ok('errors' in dob('1', '1', '2027'));
    assert.ok('value' in dob('29', '2', '2024'));
  });
});

test('short reference and dates', () => {
  assert.equal(shortCaseReference('8cbb6643-8ad9-418b-9f3d-03cb0675b195'), 'REF-8CBB-6643');
  assert.ok(isRealDate('2024-02-29'));
  assert.ok(!isRealDate('2025-02-29'));
  assert.ok(!isRealDate('2025-2-1'));
});
