// The pure rules of notifying a victim: channel choice and order, do-not-contact, an unknown profile, quiet hours across
// midnight and in summer time, the neutral words, references, and the staff form's checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_SAFE_CONTACT } from '../people/rules.ts';
import {
  checkSafeContactForm,
  decideNotification,
  languageOf,
  messageText,
  notificationIdOfReference,
  notificationProfile,
  quietHoursEnd,
  referenceFor,
  slotIntervalMs,
  TEMPLATE_TEXT,
  templateIdFor,
} from './rules.ts';

const both = { email: 'sam@example.com', phone: '+447700900123', preferredLanguage: 'en' };

describe('which channels a notification may use', () => {
  it('uses only the channels the profile lists as safe, in the profile’s order', () => {
    assert.deepEqual(decideNotification(notificationProfile({ channels: ['sms', 'phone', 'email'] }), both), { kind: 'send', channels: ['sms', 'email'], language: 'en' });
    assert.deepEqual(decideNotification(notificationProfile({ channels: ['email', 'sms'] }), both), { kind: 'send', channels: ['email', 'sms'], language: 'en' });
  });

  it('never texts someone whose profile leaves text out', () => {
    const decision = decideNotification(notificationProfile({ channels: ['email', 'phone'] }), both);
    assert.deepEqual(decision, { kind: 'send', channels: ['email'], language: 'en' });
  });

  it('leaves out a safe channel the person has no address or number for', () => {
    assert.deepEqual(decideNotification(notificationProfile({ channels: ['sms', 'email'] }), { ...both, phone: null }), { kind: 'send', channels: ['email'], language: 'en' });
  });

  it('sends nothing when the profile names no channels, and asks the hub to agree a safe way', () => {
    for (const stored of [{}, { channels: [] }, null, { channels: 'sms' }]) {
      const decision = decideNotification(notificationProfile(stored), both);
      assert.equal(decision.kind, 'withhold');
      assert.equal(decision.kind === 'withhold' && decision.reason, 'profile_unknown');
      assert.match(decision.kind === 'withhold' ? decision.taskTitle : '', /Agree how to contact the victim safely/);
    }
  });

  it('sends nothing to a person marked do not contact, whatever channels are listed', () => {
    const decision = decideNotification(notificationProfile({ channels: ['email', 'sms'], doNotContact: true }), both);
    assert.equal(decision.kind === 'withhold' && decision.reason, 'do_not_contact');
  });

  it('withholds when the only safe ways need a person (phone, letter) or lack an address', () => {
    assert.equal(decideNotification(notificationProfile({ channels: ['phone', 'letter'] }), both).kind, 'withhold');
    assert.equal(decideNotification(notificationProfile({ channels: ['email'] }), { ...both, email: null }).kind, 'withhold');
  });

  it('writes in Welsh for those who asked for Welsh', () => {
    for (const preferred of ['cy', 'Welsh', 'cymraeg', 'cy-GB']) assert.equal(languageOf(preferred), 'cy');
    for (const preferred of ['en', 'English', '', null, 'Polish']) assert.equal(languageOf(preferred), 'en');
    assert.equal(templateIdFor({}, 'update', 'sms', 'cy'), templateIdFor({}, 'update', 'sms', 'cy'));
    assert.notEqual(templateIdFor({}, 'update', 'sms', 'cy'), templateIdFor({}, 'update', 'sms', 'en'));
    assert.equal(templateIdFor({ 'update.sms.cy': 'mine' }, 'update', 'sms', 'cy'), 'mine');
  });
});

describe('quiet hours', () => {
  it('defers a notification at 23:30 in winter to 08:00 the next morning', () => {
    assert.equal(quietHoursEnd(new Date('2026-01-14T23:30:00Z'), null)?.toISOString(), '2026-01-15T08:00:00.000Z');
  });

  it('defers one at 06:00 to 08:00 the same morning, and lets one at noon or 20:59 go', () => {
    assert.equal(quietHoursEnd(new Date('2026-01-14T06:00:00Z'), null)?.toISOString(), '2026-01-14T08:00:00.000Z');
    assert.equal(quietHoursEnd(new Date('2026-01-14T12:00:00Z'), null), null);
    assert.equal(quietHoursEnd(new Date('2026-01-14T20:59:00Z'), null), null);
    assert.equal(quietHoursEnd(new Date('2026-01-14T08:00:00Z'), null), null);
  });

  it('reads the London clock in summer time: 20:30 UTC is 21:30 BST, quiet until 07:00 UTC', () => {
    assert.equal(quietHoursEnd(new Date('2026-07-01T20:30:00Z'), null)?.toISOString(), '2026-07-02T07:00:00.000Z');
    assert.equal(quietHoursEnd(new Date('2026-07-01T19:59:00Z'), null), null);
  });

  it('ends at 08:00 local on the morning the clocks go forward', () => {
    // 28 March 2026 23:00 GMT; the clocks go forward at 01:00 GMT on 29 March, so 08:00 BST is 07:00 UTC.
    assert.equal(quietHoursEnd(new Date('2026-03-28T23:00:00Z'), null)?.toISOString(), '2026-03-29T07:00:00.000Z');
  });

  it('uses the person’s own quiet hours, including ones within a day', () => {
    assert.equal(quietHoursEnd(new Date('2026-01-14T12:30:00Z'), { from: '12:00', to: '14:00' })?.toISOString(), '2026-01-14T14:00:00.000Z');
    assert.equal(quietHoursEnd(new Date('2026-01-14T23:30:00Z'), { from: '12:00', to: '14:00' }), null);
    assert.equal(quietHoursEnd(new Date('2026-01-14T22:30:00Z'), { from: '23:00', to: '06:30' }), null);
    assert.equal(quietHoursEnd(new Date('2026-01-14T23:30:00Z'), { from: '23:00', to: '06:30' })?.toISOString(), '2026-01-15T06:30:00.000Z');
  });

  it('reads quiet hours from a stored profile only when both times are real', () => {
    assert.deepEqual(notificationProfile({ quietHours: { from: '22:00', to: '07:00' } }).quietHours, { from: '22:00', to: '07:00' });
    assert.equal(notificationProfile({ quietHours: { from: '25:00', to: '07:00' } }).quietHours, null);
  });
});

describe('what a message says', () => {
  it('says only that there is something new and where to sign in, with nothing about the person or the crime', () => {
    for (const purpose of ['update', 'message'] as const) {
      for (const language of ['en', 'cy'] as const) {
        const text = TEMPLATE_TEXT[purpose][language];
        assert.doesNotMatch(text, /victim|crime|police|court|dioddefwr|trosedd|heddlu|llys/i);
        assert.equal(messageText(purpose, language, { link: 'https://haven.example/my-case' }).endsWith('https://haven.example/my-case'), true);
      }
    }
  });

  it('uses our notification id as the reference, and a separate one for a fallback channel', () => {
    const id = '6f1c1e2a-1b2c-4d5e-8f90-123456789abc';
    assert.equal(referenceFor(id, 0, 'sms'), id);
    assert.equal(referenceFor(id, 1, 'email'), `${id}:email`);
    assert.equal(notificationIdOfReference(`${id}:email`), id);
  });

  it('keeps sends under the permitted rate', () => {
    assert.ok(slotIntervalMs(3000) >= 20);
    assert.ok(60_000 / slotIntervalMs(3000) < 3000);
  });
});

describe('the safe-contact form', () => {
  const valid = { channels: ['email', 'sms'], doNotContact: 'no', voicemailSafe: 'no', homeVisitSafe: 'unknown', quietFrom: '', quietTo: '' };

  it('keeps the order the person gave for channels still chosen', () => {
    const checked = checkSafeContactForm(valid, { ...NO_SAFE_CONTACT, channels: ['sms', 'phone'] });
    assert.ok('value' in checked);
    assert.deepEqual(checked.value.channels, ['sms', 'email']);
    assert.equal(checked.value.voicemailSafe, false);
    assert.equal(checked.value.homeVisitSafe, null);
    assert.equal(checked.value.quietHours, null);
  });

  it('accepts one ticked channel sent as a single value', () => {
    const checked = checkSafeContactForm({ ...valid, channels: 'letter' }, NO_SAFE_CONTACT);
    assert.ok('value' in checked && checked.value.channels.length === 1);
  });

  it('needs a reason for do not contact, an answer to it, and both quiet-hour times or neither', () => {
    const errors = (form: Record<string, unknown>) => {
      const checked = checkSafeContactForm(form, NO_SAFE_CONTACT);
      return 'errors' in checked ? checked.errors : {};
    };
    assert.match(errors({ ...valid, doNotContact: 'yes' }).doNotContactReason ?? '', /Enter why/);
    assert.match(errors({ ...valid, doNotContact: undefined }).doNotContact ?? '', /Select yes/);
    assert.match(errors({ ...valid, quietFrom: '22:00' }).quietTo ?? '', /end of quiet hours/);
    assert.match(errors({ ...valid, quietFrom: '9pm', quietTo: '08:00' }).quietFrom ?? '', /24-hour/);
    assert.match(errors({ ...valid, quietFrom: '08:00', quietTo: '08:00' }).quietTo ?? '', /different time/);
    assert.match(errors({ ...valid, channels: ['pigeon'] }).channels ?? '', /Select safe ways/);
    const checked = checkSafeContactForm({ ...valid, doNotContact: 'yes', doNotContactReason: 'Partner reads texts', quietFrom: '22:00', quietTo: '07:30' }, NO_SAFE_CONTACT);
    assert.ok('value' in checked);
    assert.equal(checked.value.doNotContact, true);
    assert.deepEqual(checked.value.quietHours, { from: '22:00', to: '07:30' });
  });
});
