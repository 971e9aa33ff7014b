// The preferences rules: each change page's checks (errors as catalogue keys), the hub-only safe-contact fields kept,
// communication needs written as plain lines and read back, the frequency's cadence (and the police view agreeing),
// the changed field names for the audit, and what a supporter is shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_SAFE_CONTACT, type SafeContact } from '../people/rules.ts';
import { cadenceDaysFor } from '../police-view/rules.ts';
import { portalPreferencesMessages } from './messages.ts';
import {
  CODE_DEFAULT,
  FREQUENCY_CADENCE_DAYS,
  cadenceDaysWithPreference,
  changedFields,
  checkFrequency,
  checkLanguage,
  checkNeeds,
  checkSafeContactPreferences,
  notificationLanguage,
  readNeeds,
  secretsShown,
  writeNeeds,
} from './rules.ts';

const stored: SafeContact = {
  ...NO_SAFE_CONTACT,
  channels: ['sms', 'email'],
  doNotContact: false,
  doNotContactReason: null,
  homeVisitSafe: false,
  quietHours: { from: '20:00', to: '09:00' },
};

describe('the safe-contact form', () => {
  it('keeps the order of channels still chosen, adds new ones after, and keeps what only the hub sets', () => {
    const checked = checkSafeContactPreferences({ channels: ['email', 'letter', 'sms'], safeTimes: '  after   6pm ', voicemailSafe: 'no', safeAddress: ' 1 Safe St\r\nTown ', codeWord: ' bluebell ' }, stored);
    assert.ok('value' in checked);
    assert.deepEqual(checked.value.channels, ['sms', 'email', 'letter']);
    assert.equal(checked.value.safeTimes, 'after 6pm');
    assert.equal(checked.value.voicemailSafe, false);
    assert.equal(checked.value.safeAddress, '1 Safe St\nTown');
    assert.equal(checked.value.codeWord, 'bluebell');
    assert.deepEqual(checked.value.quietHours, { from: '20:00', to: '09:00' });
    assert.equal(checked.value.homeVisitSafe, false);
    assert.equal(checked.value.doNotContact, false);
  });

  it('removing text messages leaves them out; "none" stores no channel at all', () => {
    const withoutSms = checkSafeContactPreferences({ channels: 'email' }, stored);
    assert.ok('value' in withoutSms);
    assert.deepEqual(withoutSms.value.channels, ['email']);
    assert.equal(withoutSms.value.voicemailSafe, null, 'no answer is not a yes');
    const none = checkSafeContactPreferences({ channels: 'none' }, stored);
    assert.ok('value' in none);
    assert.deepEqual(none.value.channels, []);
  });

  it('refuses no choice, unknown channels, none with some, bad voicemail answers and long text', () => {
    const errorsOf = (form: Record<string, unknown>) => {
      const checked = checkSafeContactPreferences(form, stored);
      return 'errors' in checked ? checked.errors : {};
    };
    assert.equal(errorsOf({}).channels, 'portalPreferences.safeContact.error.channelsRequired');
    assert.equal(errorsOf({ channels: ['email', 'pigeon'] }).channels, 'portalPreferences.safeContact.error.channelsUnknown');
    assert.equal(errorsOf({ channels: ['email', 'none'] }).channels, 'portalPreferences.safeContact.error.channelsNoneAndSome');
    assert.equal(errorsOf({ channels: 'email', voicemailSafe: 'maybe' }).voicemailSafe, 'portalPreferences.safeContact.error.voicemailUnknown');
    assert.equal(errorsOf({ channels: 'email', safeTimes: 'x'.repeat(201) }).safeTimes, 'portalPreferences.safeContact.error.safeTimesTooLong');
    assert.equal(errorsOf({ channels: 'email', safeAddress: 'x'.repeat(301) }).safeAddress, 'portalPreferences.safeContact.error.safeAddressTooLong');
    assert.equal(errorsOf({ channels: 'email', codeWord: 'x'.repeat(51) }).codeWord, 'portalPreferences.safeContact.error.codeWordTooLong');
    assert.deepEqual(errorsOf({ channels: 'email', safeTimes: 'x'.repeat(200), safeAddress: 'x'.repeat(300), codeWord: 'x'.repeat(50) }), {}, 'the limits themselves pass');
  });
});

describe('language', () => {
  it('takes English or Welsh only, and reads stored values as notifications do', () => {
    assert.deepEqual(checkLanguage({ language: 'cy' }), { value: 'cy' });
    assert.deepEqual(checkLanguage({ language: 'en' }), { value: 'en' });
    assert.deepEqual(checkLanguage({ language: 'fr' }), { errors: { language: 'portalPreferences.language.error.required' } });
    assert.deepEqual(checkLanguage({}), { errors: { language: 'portalPreferences.language.error.required' } });
    assert.equal(notificationLanguage('Cymraeg'), 'cy');
    assert.equal(notificationLanguage('Polish'), 'en');
  });
});

describe('communication needs', () => {
  it('writes plain lines staff can read and reads them back', () => {
    const value = { needs: ['large_print' as const, 'bsl_interpreter' as const], interpreterLanguage: 'Polish', other: 'Someone with me\nat meetings' };
    const text = writeNeeds(value);
    assert.equal(text, 'Large print\nBritish Sign Language (BSL) interpreter\nInterpreter language: Polish\nOther needs: Someone with me\nat meetings');
    assert.deepEqual(readNeeds(text), value);
    assert.equal(writeNeeds({ needs: [], interpreterLanguage: null, other: null }), null);
    assert.deepEqual(readNeeds(null), { needs: [], interpreterLanguage: null, other: null });
  });

  it('keeps what staff wrote as other needs', () => {
    assert.deepEqual(readNeeds('Uses a hearing aid\nLarge print'), { needs: ['large_print'], interpreterLanguage: null, other: 'Uses a hearing aid' });
  });

  it('checks the options and the lengths', () => {
    assert.deepEqual(checkNeeds({ needs: 'easy_read', interpreterLanguage: ' Urdu ', other: '' }), { value: { needs: ['easy_read'], interpreterLanguage: 'Urdu', other: null } });
    const bad = checkNeeds({ needs: ['telepathy'], interpreterLanguage: 'x'.repeat(51), other: 'x'.repeat(501) });
    assert.deepEqual(bad, {
      errors: {
        needs: 'portalPreferences.needs.error.unknown',
        interpreterLanguage: 'portalPreferences.needs.error.interpreterTooLong',
        other: 'portalPreferences.needs.error.otherTooLong',
      },
    });
  });
});

describe('how often updates come', () => {
  it('takes a frequency, or the Code default as null', () => {
    assert.deepEqual(checkFrequency({ frequency: 'weekly' }), { value: 'weekly' });
    assert.deepEqual(checkFrequency({ frequency: CODE_DEFAULT }), { value: null });
    assert.deepEqual(checkFrequency({ frequency: 'hourly' }), { errors: { frequency: 'portalPreferences.updates.error.required' } });
    assert.deepEqual(checkFrequency({}), { errors: { frequency: 'portalPreferences.updates.error.required' } });
  });

  it('sets the cadence: a week, two weeks, four weeks; as things happen and no choice keep the area’s', () => {
    assert.deepEqual(FREQUENCY_CADENCE_DAYS, { as_they_happen: null, weekly: 7, fortnightly: 14, monthly: 28 });
    assert.equal(cadenceDaysWithPreference(28, 'weekly'), 7);
    assert.equal(cadenceDaysWithPreference(28, 'fortnightly'), 14);
    assert.equal(cadenceDaysWithPreference(10, 'monthly'), 28);
    assert.equal(cadenceDaysWithPreference(21, 'as_they_happen'), 21);
    assert.equal(cadenceDaysWithPreference(21, null), 21);
    assert.equal(cadenceDaysWithPreference(21, 'nonsense'), 21);
  });

  it('drives the police view’s cadence', () => {
    const area = { standard: 28, enhanced: 10 };
    assert.equal(cadenceDaysFor(area, false), 28);
    assert.equal(cadenceDaysFor(area, true, null), 10);
    assert.equal(cadenceDaysFor(area, false, 'weekly'), 7);
    assert.equal(cadenceDaysFor(area, true, 'fortnightly'), 14);
    assert.equal(cadenceDaysFor(area, true, 'as_they_happen'), 10);
  });
});

describe('the audit and the supporter’s view', () => {
  it('names the changed fields only', () => {
    assert.deepEqual(changedFields({ a: 1, b: ['x'], c: null }, { a: 1, b: ['y'], c: undefined, d: 'new' }), ['b', 'd']);
  });

  it('shows a supporter whether a safe address and code word are set, never what they are', () => {
    const profile = { ...stored, safeAddress: '1 Safe St', codeWord: 'bluebell' };
    assert.deepEqual(secretsShown(profile, false), { safeAddress: null, codeWord: null, hasSafeAddress: true, hasCodeWord: true, masked: true });
    assert.deepEqual(secretsShown(profile, true), { safeAddress: '1 Safe St', codeWord: 'bluebell', hasSafeAddress: true, hasCodeWord: true, masked: false });
  });
});

describe('the catalogue', () => {
  it('has every key in Welsh, under the feature’s prefix', () => {
    const { en, cy } = portalPreferencesMessages;
    assert.deepEqual(Object.keys(cy).sort(), Object.keys(en).sort());
    for (const key of Object.keys(en)) assert.ok(key.startsWith('portalPreferences.'), key);
    for (const [key, text] of Object.entries(cy)) assert.ok(text.trim(), key);
  });
});
