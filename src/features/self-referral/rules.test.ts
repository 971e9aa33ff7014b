import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  answerStep,
  applies,
  firstUnanswered,
  formatReference,
  isComplete,
  isReference,
  nextPage,
  previousPage,
  toReferral,
  type Answers,
} from './rules.ts';

const journeyTwo: Answers = {
  reported: 'no',
  crimeReference: '',
  category: 'domestic_abuse',
  givenName: 'Amira',
  familyName: '',
  channels: ['phone', 'email'],
  phone: '07700 900 982',
  email: 'Amira@Example.com',
  addressLine1: '',
  town: '',
  postcode: '',
  callTime: 'morning',
  callTimeNote: 'Not at weekends',
  voicemail: 'no',
  needs: [],
  language: '',
  otherNeeds: '',
};

describe('which pages are asked', () => {
  test('an empty draft starts at the police question', () => {
    assert.equal(firstUnanswered({}), 'police');
    assert.equal(previousPage('police', {}), 'start');
  });

  test('call time and voicemail are asked only when a phone call is safe', () => {
    assert.equal(applies('call-time', { channels: ['email'] }), false);
    assert.equal(applies('voicemail', { channels: ['sms'] }), false);
    assert.equal(applies('call-time', { channels: ['phone'] }), true);
    assert.equal(nextPage('contact-details', { channels: ['email'] }, false), 'support-needs');
    assert.equal(nextPage('contact-details', { channels: ['phone'] }, false), 'call-time');
    assert.equal(previousPage('support-needs', { channels: ['email'] }), 'contact-details');
  });

  test('after the last question comes check your answers, and a change goes back there when nothing is missing', () => {
    assert.equal(nextPage('support-needs', journeyTwo, false), 'check');
    assert.equal(nextPage('name', journeyTwo, true), 'check');
    assert.ok(isComplete(journeyTwo));
  });

  test('changing the channels to one with no details asks for the details before going back to check', () => {
    const changed: Answers = { ...journeyTwo, channels: ['phone', 'email', 'letter'] };
    assert.equal(nextPage('contact', changed, true), 'contact-details');
    const toPhone: Answers = { ...journeyTwo, channels: ['email'], phone: '' };
    assert.equal(nextPage('contact', { ...toPhone, channels: ['sms'] }, true), 'contact-details');
  });
});

describe('answering a page', () => {
  test('the police question needs an answer, and keeps a reference only for yes', () => {
    assert.deepEqual(answerStep('police', {}, {}), { errors: { reported: 'selfReferral.police.error.required' }, values: { reported: '', crimeReference: '' } });
    const yes = answerStep('police', { reported: 'yes', crimeReference: ' 42/1234/24 ' }, {});
    assert.ok('answers' in yes && yes.answers.crimeReference === '42/1234/24');
    const no = answerStep('police', { reported: 'no', crimeReference: '42/1234/24' }, {});
    assert.ok('answers' in no && no.answers.crimeReference === '');
    const long = answerStep('police', { reported: 'yes', crimeReference: 'x'.repeat(51) }, {});
    assert.ok('errors' in long && long.errors.crimeReference);
  });

  test('what happened is optional, and "rather not say" counts as answered', () => {
    const none = answerStep('what-happened', { category: 'none' }, {});
    assert.ok('answers' in none && none.answers.category === '');
    const skipped = answerStep('what-happened', {}, {});
    assert.ok('answers' in skipped && skipped.answers.category === '');
    assert.ok('errors' in answerStep('what-happened', { category: 'burglary' }, {}));
  });

  test('a first name is required; the last name is not', () => {
    const missing = answerStep('name', { givenName: '   ', familyName: 'Khan' }, {});
    assert.ok('errors' in missing && missing.errors.givenName === 'selfReferral.name.error.givenNameRequired');
    const given = answerStep('name', { givenName: '  Amira  ' }, {});
    assert.ok('answers' in given && given.answers.givenName === 'Amira' && given.answers.familyName === '');
  });

  test('at least one safe channel, and only channels offered', () => {
    assert.ok('errors' in answerStep('contact', {}, {}));
    assert.ok('errors' in answerStep('contact', { channels: ['pigeon'] }, {}));
    const chosen = answerStep('contact', { channels: ['email', 'phone', 'email'] }, {});
    assert.ok('answers' in chosen);
    assert.deepEqual(chosen.answers.channels, ['phone', 'email']);
  });

  test('contact details are asked for each chosen channel and checked', () => {
    const answers: Answers = { channels: ['sms', 'email', 'letter'] };
    const bad = answerStep('contact-details', { phone: '12345', email: 'not-an-email', addressLine1: '', postcode: 'XX' }, answers);
    assert.ok('errors' in bad);
    assert.deepEqual(Object.keys(bad.errors).sort(), ['addressLine1', 'email', 'phone', 'postcode']);
    assert.equal(bad.errors.phone, 'selfReferral.details.error.phoneInvalid');
    const good = answerStep('contact-details', { phone: '+33 1 23 45 67 89', email: 'a@example.com', addressLine1: '1 High St', postcode: 'sw1a1aa' }, answers);
    assert.ok('answers' in good);
    // Only the details for chosen channels are kept.
    const emailOnly = answerStep('contact-details', { phone: '07700 900982', email: 'a@example.com' }, { channels: ['email'] });
    assert.ok('answers' in emailOnly && emailOnly.answers.phone === '');
  });

  test('call time and voicemail need an answer', () => {
    assert.ok('errors' in answerStep('call-time', { callTime: 'midnight' }, {}));
    assert.ok('answers' in answerStep('call-time', { callTime: 'any' }, {}));
    assert.ok('errors' in answerStep('voicemail', {}, {}));
    assert.ok('answers' in answerStep('voicemail', { voicemail: 'no' }, {}));
  });

  test('support needs are optional but only from the list', () => {
    const none = answerStep('support-needs', {}, {});
    assert.ok('answers' in none && Array.isArray(none.answers.needs) && none.answers.needs.length === 0);
    assert.ok('errors' in answerStep('support-needs', { needs: 'magic' }, {}));
    const some = answerStep('support-needs', { needs: ['bsl', 'interpreter'], language: 'Arabic' }, {});
    assert.ok('answers' in some);
    assert.deepEqual(some.answers.needs, ['interpreter', 'bsl']);
  });
});

describe('references', () => {
  test('look like HVN-7K3M-Q9 and come only from the random bytes', () => {
    const reference = formatReference(new Uint8Array([0, 1, 2, 3, 4, 5]));
    assert.equal(reference, 'HVN-2345-67');
    assert.ok(isReference(reference));
    assert.ok(isReference(formatReference(new Uint8Array([255, 254, 253, 252, 251, 250]))));
    assert.equal(isReference('HVN-0000-00'), false);
    assert.throws(() => formatReference(new Uint8Array(3)));
  });
});

describe('the referral sent to intake', () => {
  const referral = toReferral(journeyTwo, { areaId: 'area-1', reference: 'HVN-7K3M-Q9', language: 'en', receivedAt: new Date('2026-01-01T10:00:00Z') });

  test('is a self-referral with no crime, opted in, with the Haven reference', () => {
    assert.equal(referral.source, 'self_referral');
    assert.equal(referral.sourceReference, 'HVN-7K3M-Q9');
    assert.equal(referral.crime, null);
    assert.equal(referral.supportConsent, 'opted_in');
    assert.equal(referral.role, 'victim');
    assert.equal(referral.referringOrganisationId, null);
    assert.deepEqual(referral.indicators, { domesticAbuse: true, sexualOffence: false, hateCrime: false });
  });

  test('journey 2: a mobile number is kept, but texts are not a safe channel', () => {
    assert.equal(referral.person.phone, '+447700900982');
    assert.equal(referral.person.email, 'amira@example.com');
    assert.deepEqual(referral.person.safeContact?.channels, ['phone', 'email']);
    assert.equal(referral.person.safeContact?.channels?.includes('sms'), false);
    assert.equal(referral.person.safeContact?.voicemailSafe, false);
    assert.equal(referral.person.safeContact?.safeTimes, 'Morning (9am to midday). Not at weekends');
    assert.match(referral.notes ?? '', /Texts are not a safe way/);
  });

  test('a crime reference she gave goes in the notes, not a crime record', () => {
    const reported = toReferral(
      { ...journeyTwo, reported: 'yes', crimeReference: '42/1234/24' },
      { areaId: 'a', reference: 'HVN-2345-67', language: 'cy', receivedAt: new Date() },
    );
    assert.equal(reported.crime, null);
    assert.match(reported.notes ?? '', /42\/1234\/24 \(|not verified/);
    assert.equal(reported.person.preferredLanguage, 'cy');
  });

  test('letters go to the safe address, and support needs are put in words', () => {
    const letter = toReferral(
      { ...journeyTwo, channels: ['letter'], addressLine1: '1 High St', town: 'Wyvern', postcode: 'sw1a1aa', needs: ['bsl'], language: 'Polish' },
      { areaId: 'a', reference: 'HVN-2345-67', language: 'en', receivedAt: new Date() },
    );
    assert.equal(letter.person.safeContact?.safeAddress, '1 High St, Wyvern, SW1A 1AA');
    assert.equal(letter.person.phone, null);
    assert.equal(letter.person.safeContact?.voicemailSafe, null);
    assert.equal(letter.person.communicationNeeds, 'British Sign Language (BSL); Language: Polish');
  });
});
