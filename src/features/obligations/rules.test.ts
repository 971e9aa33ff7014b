// The Code clock's rules against the real England and Wales calendar: deadlines over weekends, Easter, Christmas and
// the clock change, what starts and meets each duty, re-timing on enhanced status, and an area's own figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shippedCalendar } from '../../platform/time/holiday-calendar.ts';
import {
  CODE_DEFAULTS,
  checkBreach,
  meets,
  metOnTime,
  obligationsStartedBy,
  qualifiesForVictimContactScheme,
  retimed,
  settingsFor,
  type CaseFacts,
} from './rules.ts';

const standard: CaseFacts = { enhanced: false, supportConsent: 'not_asked', hasCrime: true };
const enhanced: CaseFacts = { ...standard, enhanced: true };
const event = (kind: string, occurredAt: string, detail: Record<string, unknown> = {}) => ({ id: 1, kind, occurredAt: new Date(occurredAt), detail });
const dueOf = (kind: string, at: string, facts: CaseFacts, duty: string, detail: Record<string, unknown> = {}) =>
  obligationsStartedBy(event(kind, at, detail), facts, CODE_DEFAULTS, shippedCalendar).find((obligation) => obligation.duty === duty)?.dueAt.toISOString();

describe('Code clock rules', () => {
  it('gives an enhanced victim charged on Good Friday 2026 until the end of the Tuesday after Easter Monday (victims-code.md)', () => {
    // 16:00 BST on Friday 3 April 2026; Easter Monday is 6 April; due 23:59:59.999 BST on 7 April.
    assert.equal(dueOf('suspect_charged', '2026-04-03T15:00:00Z', enhanced, 'charge_update'), '2026-04-07T22:59:59.999Z');
    // Without enhanced rights, five working days: 7, 8, 9, 10 and 13 April.
    assert.equal(dueOf('suspect_charged', '2026-04-03T15:00:00Z', standard, 'charge_update'), '2026-04-13T22:59:59.999Z');
  });

  it('starts the 2 WD referral clock at 17:40 on a Thursday, due at the end of Monday (journey 1)', () => {
    const started = obligationsStartedBy(event('referral_received', '2026-11-19T17:40:00Z'), standard, CODE_DEFAULTS, shippedCalendar);
    assert.deepEqual(started.map((obligation) => obligation.duty).sort(), ['needs_assessment', 'support_referral']);
    for (const obligation of started) {
      assert.equal(obligation.dueAt.toISOString(), '2026-11-23T23:59:59.999Z');
      assert.equal(obligation.ownerKind, 'hub');
    }
  });

  it('counts over Christmas 2026, when Boxing Day falls on a Saturday and its substitute is Monday 28 December', () => {
    assert.equal(dueOf('hearing_listed', '2026-12-24T10:00:00Z', standard, 'hearing_update'), '2026-12-29T23:59:59.999Z');
    assert.equal(dueOf('sentence', '2026-12-23T10:00:00Z', standard, 'outcome_update'), '2026-12-24T23:59:59.999Z');
  });

  it('counts over Easter 2027 (Good Friday 26 March, Easter Monday 29 March) and the clocks going forward on 28 March', () => {
    assert.equal(dueOf('suspect_charged', '2027-03-25T12:00:00Z', standard, 'charge_update'), '2027-04-05T22:59:59.999Z');
    assert.equal(dueOf('suspect_charged', '2027-03-25T12:00:00Z', enhanced, 'charge_update'), '2027-03-30T22:59:59.999Z');
  });

  it('reads the trigger’s London day, not its UTC day: 00:30 BST is the next day', () => {
    // 23:30 UTC on Tuesday 9 June 2026 is 00:30 BST on Wednesday 10 June; one working day later is Thursday 11 June.
    assert.equal(dueOf('hearing_listed', '2026-06-09T23:30:00Z', standard, 'hearing_update'), '2026-06-11T22:59:59.999Z');
  });

  it('does not refer a victim who opted out, but still assesses their needs', () => {
    const started = obligationsStartedBy(event('referral_received', '2026-11-19T10:00:00Z'), { ...standard, supportConsent: 'opted_out' }, CODE_DEFAULTS, shippedCalendar);
    assert.deepEqual(started.map((obligation) => obligation.duty), ['needs_assessment']);
  });

  it('starts the Victim Contact Scheme referral only for 12 months or more in custody for a violent or sexual offence, or a hospital order', () => {
    assert.equal(qualifiesForVictimContactScheme({ custodyMonths: 36, violentOrSexualOffence: true }), true);
    assert.equal(qualifiesForVictimContactScheme({ custodyMonths: 11, violentOrSexualOffence: true }), false);
    assert.equal(qualifiesForVictimContactScheme({ custodyMonths: 36, violentOrSexualOffence: false }), false);
    assert.equal(qualifiesForVictimContactScheme({ hospitalOrder: true }), true);
    // Journey 10: 3 years for a sexual offence on Monday 2 November 2026; 20 WD later is Monday 30 November.
    assert.equal(dueOf('sentence', '2026-11-02T15:00:00Z', standard, 'victim_contact_scheme_referral', { custodyMonths: 36, violentOrSexualOffence: true }), '2026-11-30T23:59:59.999Z');
    assert.equal(dueOf('sentence', '2026-11-02T15:00:00Z', standard, 'victim_contact_scheme_referral', { custodyMonths: 6, violentOrSexualOffence: true }), undefined);
  });

  it('is met only by the action that fulfils the duty, recorded after the trigger', () => {
    const charge = { duty: 'charge_update' as const, triggeredAt: new Date('2026-04-03T15:00:00Z'), state: 'open' as const, triggerEventId: 41 };
    assert.equal(meets(charge, event('contact_logged', '2026-04-07T09:00:00Z', { outcome: 'successful' })), true);
    assert.equal(meets(charge, event('notification_delivered', '2026-04-07T09:00:00Z', { aboutEventId: 41 })), true);
    assert.equal(meets(charge, event('notification_delivered', '2026-04-07T09:00:00Z', { aboutEventId: 42 })), false, 'a notification about another event does not tell the victim of the charge');
    assert.equal(meets(charge, event('contact_logged', '2026-04-07T09:00:00Z', { outcome: 'voicemail_left' })), false);
    assert.equal(meets(charge, event('contact_logged', '2026-04-02T09:00:00Z', { outcome: 'successful' })), false);
    assert.equal(meets({ ...charge, state: 'overdue' }, event('contact_logged', '2026-04-09T09:00:00Z', { outcome: 'successful' })), true);
    assert.equal(meets({ ...charge, state: 'breached' }, event('contact_logged', '2026-04-09T09:00:00Z', { outcome: 'successful' })), false);
    const assessment = { duty: 'needs_assessment' as const, triggeredAt: new Date('2026-11-19T17:40:00Z'), state: 'open' as const };
    assert.equal(meets(assessment, event('assessment_completed', '2026-11-20T10:00:00Z')), true);
    assert.equal(meets(assessment, event('contact_logged', '2026-11-20T10:00:00Z', { outcome: 'successful' })), false);
    // Two complaints on one case: each answer meets only the duty its own complaint started.
    const complaint = { duty: 'complaint_response' as const, triggeredAt: new Date('2026-11-19T10:00:00Z'), state: 'open' as const, triggerEventId: 77 };
    assert.equal(meets(complaint, event('complaint_answered', '2026-11-20T10:00:00Z', { receivedEventId: 77 })), true);
    assert.equal(meets(complaint, event('complaint_answered', '2026-11-20T10:00:00Z', { receivedEventId: 78 })), false, 'the answer to another complaint');
  });

  it('starts Right 6, 8 and 9 duties from the agencies’ updates, and none from an update that arrived behind the case', () => {
    const started = (kind: string, detail: Record<string, unknown> = {}, facts = standard) =>
      obligationsStartedBy(event(kind, '2026-04-03T15:00:00Z', detail), facts, CODE_DEFAULTS, shippedCalendar).map((duty) => `${duty.duty}:${duty.ownerKind}:${duty.workingDays}`);
    assert.deepEqual(started('suspect_arrested'), ['investigation_update:police:5']);
    assert.deepEqual(started('released_under_investigation', {}, { ...standard, enhanced: true }), ['investigation_update:police:1']);
    assert.deepEqual(started('charge_dropped'), ['prosecution_update:prosecutor:5']);
    assert.deepEqual(started('hearing_moved'), ['hearing_update:witness_care:1']);
    assert.deepEqual(started('special_measures_outcome'), ['special_measures_update:witness_care:1']);
    assert.deepEqual(started('verdict'), ['outcome_update:witness_care:1']);
    assert.deepEqual(started('sentence', { custodyMonths: 36, violentOrSexualOffence: true }), ['outcome_update:witness_care:1', 'victim_contact_scheme_referral:witness_care:20']);
    assert.deepEqual(started('suspect_arrested', { behind: true }), [], 'a late arrest after the charge is history, not news to tell');
  });

  it('gives a provider the service’s own response time to answer a referral, owned by that provider, 2 WD by default', () => {
    const sent = (detail: Record<string, unknown>) => obligationsStartedBy(event('service_referral_sent', '2026-11-19T16:40:00Z', detail), standard, CODE_DEFAULTS, shippedCalendar);
    const [duty] = sent({ organisationId: 'provider-1', responseWorkingDays: 5 });
    assert.equal(duty?.duty, 'provider_response');
    assert.equal(duty?.ownerKind, 'named_organisation');
    assert.equal(duty?.workingDays, 5);
    assert.equal(duty?.dueAt.toISOString(), '2026-11-26T23:59:59.999Z', 'Thursday 19 November plus 5 working days');
    for (const odd of [undefined, 0, 21, 2.5, '3']) assert.equal(sent({ responseWorkingDays: odd })[0]?.workingDays, 2, String(odd));
  });

  it('meets a provider’s response duty only with the answer to that referral, not another referral on the case', () => {
    const duty = { duty: 'provider_response' as const, triggeredAt: new Date('2026-11-19T16:40:00Z'), state: 'open' as const, triggerEventId: 41 };
    assert.equal(meets(duty, event('service_referral_accepted', '2026-11-20T09:00:00Z', { sentEventId: 41 })), true);
    assert.equal(meets(duty, event('service_referral_declined', '2026-11-20T09:00:00Z', { sentEventId: 41 })), true);
    assert.equal(meets(duty, event('service_referral_no_capacity', '2026-11-20T09:00:00Z', { sentEventId: 41 })), true);
    assert.equal(meets(duty, event('service_referral_accepted', '2026-11-20T09:00:00Z', { sentEventId: 57 })), false, 'another referral’s answer');
    assert.equal(meets(duty, event('service_referral_accepted', '2026-11-20T09:00:00Z')), false);
    assert.equal(meets(duty, event('assessment_completed', '2026-11-20T09:00:00Z', { sentEventId: 41 })), false);
  });

  it('re-times only unmet duties whose deadline depends on enhanced rights', () => {
    const charge = { duty: 'charge_update' as const, triggeredAt: new Date('2026-04-03T15:00:00Z'), enhanced: false, state: 'open' as const };
    assert.deepEqual(retimed(charge, true, CODE_DEFAULTS, shippedCalendar), { workingDays: 1, dueAt: new Date('2026-04-07T22:59:59.999Z') });
    assert.equal(retimed({ ...charge, enhanced: true }, true, CODE_DEFAULTS, shippedCalendar), undefined);
    assert.equal(retimed({ ...charge, state: 'met' }, true, CODE_DEFAULTS, shippedCalendar), undefined);
    assert.equal(retimed({ ...charge, duty: 'hearing_update' }, true, CODE_DEFAULTS, shippedCalendar), undefined);
  });

  it('takes an area’s own figures where they are sound, and the Code’s elsewhere', () => {
    const own = settingsFor({ deadlines: { charge_update: { workingDays: 3 }, hearing_update: { workingDays: -1 }, complaint_response: { workingDays: 'ten' } }, updateCadenceDays: { standard: 14 } });
    assert.deepEqual(own.deadlines.charge_update, { workingDays: 3, enhancedWorkingDays: 1 });
    assert.deepEqual(own.deadlines.hearing_update, CODE_DEFAULTS.deadlines.hearing_update);
    assert.deepEqual(own.deadlines.complaint_response, { workingDays: 10 });
    assert.deepEqual(own.updateCadenceDays, { standard: 14, enhanced: 28 });
    assert.deepEqual(settingsFor(null), CODE_DEFAULTS);
    assert.equal(dueOf('complaint_received', '2026-11-19T10:00:00Z', standard, 'complaint_response'), '2026-12-03T23:59:59.999Z');
  });

  it('closes a duty as not met only with a reason, and never one already closed', () => {
    assert.deepEqual(checkBreach('overdue', '  The victim could not be reached by any safe channel  '), { reason: 'The victim could not be reached by any safe channel' });
    assert.ok('errors' in checkBreach('overdue', 'late'));
    assert.ok('errors' in checkBreach('met', 'The victim could not be reached by any safe channel'));
    assert.ok('errors' in checkBreach('breached', 'The victim could not be reached by any safe channel'));
  });

  it('counts a duty met on time only when it was met by its deadline', () => {
    const dueAt = new Date('2026-04-07T22:59:59.999Z');
    assert.equal(metOnTime({ state: 'met', metAt: new Date('2026-04-07T22:00:00Z'), dueAt }), true);
    assert.equal(metOnTime({ state: 'met', metAt: new Date('2026-04-08T08:00:00Z'), dueAt }), false);
    assert.equal(metOnTime({ state: 'open', metAt: null, dueAt }), false);
  });
});
