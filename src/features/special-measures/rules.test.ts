// The special measures forms' checks, the ledger folded into where things stand, the victim's timeline words, the
// calendar file, and journey 6 (a victim with severe epileptic seizures) through the review's rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeText, foldLine, hearingCalendar, utcStamp } from './calendar.ts';
import { reviewSpecialMeasures, type ReviewFacts } from '../pre-court/rules.ts';
import {
  OUTCOME_SUMMARY,
  applicationSummary,
  awaitingDecision,
  checkAlternative,
  checkApplication,
  checkExpenses,
  checkOutcome,
  checkVisit,
  checkWishes,
  foldLedger,
  historyLine,
  knownMeasures,
  outcomeEventDetail,
  statusLines,
  type LedgerEntry,
} from './rules.ts';

const TODAY = '2026-11-20';
const date = (prefix: string, day: string, month: string, year: string) => ({ [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year });

describe('the special measures forms', () => {
  it('needs a wish for every measure', () => {
    const all = Object.fromEntries(['screens', 'live_link', 'evidence_in_private', 'wigs_and_gowns', 'video_recorded_evidence', 'pre_recorded_cross_examination', 'intermediary', 'communication_aids'].map((m) => [`wish-${m}`, 'not_discussed']));
    const ok = checkWishes({ ...all, 'wish-live_link': 'wants' });
    assert.ok('value' in ok);
    assert.equal(ok.value.wishes.live_link, 'wants');
    const missing = checkWishes({ ...all, 'wish-screens': 'maybe' });
    assert.deepEqual(Object.keys('errors' in missing ? missing.errors : {}), ['wish-screens']);
  });

  it('checks an application: known measures, a real date not in the future', () => {
    assert.deepEqual(checkApplication({ measures: ['live_link', 'screens'], ...date('appliedOn', '19', '11', '2026') }, TODAY), { value: { measures: ['screens', 'live_link'], appliedOn: '2026-11-19' } });
    assert.deepEqual(checkApplication({ measures: 'live_link', ...date('appliedOn', '20', '11', '2026') }, TODAY), { value: { measures: ['live_link'], appliedOn: '2026-11-20' } });
    assert.deepEqual(checkApplication({ ...date('appliedOn', '21', '11', '2026') }, TODAY), {
      errors: { measures: 'Select the special measures applied for', appliedOn: 'Date of the application must be today or in the past' },
    });
    assert.deepEqual(checkApplication({ measures: ['live_link', 'teleport'], ...date('appliedOn', '31', '2', '2026') }, TODAY), {
      errors: { measures: 'Select the special measures applied for', appliedOn: 'Date of the application must be a real date' },
    });
    assert.deepEqual(checkApplication({ measures: 'screens', 'appliedOn-day': '3' }, TODAY), { errors: { appliedOn: 'Date of the application must include a month and year' } });
  });

  it('needs the court’s reason for a refusal, and at least one decision', () => {
    const decided = date('decidedOn', '20', '11', '2026');
    const ok = checkOutcome({ 'decision-live_link': 'granted', 'decision-screens': 'refused', 'reason-screens': 'Live link is enough', ...decided }, ['screens', 'live_link'], TODAY);
    assert.deepEqual(ok, {
      value: {
        decisions: [
          { measure: 'screens', decision: 'refused', reason: 'Live link is enough' },
          { measure: 'live_link', decision: 'granted', reason: null },
        ],
        decidedOn: '2026-11-20',
      },
    });
    assert.deepEqual(checkOutcome({ 'decision-screens': 'refused', ...decided }, ['screens'], TODAY), { errors: { 'reason-screens': 'Enter the reason the court gave for refusing it' } });
    assert.deepEqual(checkOutcome({ 'decision-screens': 'pending', ...decided }, ['screens'], TODAY), { errors: { 'decision-screens': 'Select the court’s decision on at least one measure' } });
    assert.deepEqual(checkOutcome({ ...decided }, [], TODAY), { errors: { decisions: 'Record the application before its outcome' } });
    // A decision on a measure never applied for is not read at all.
    const other = checkOutcome({ 'decision-screens': 'granted', 'decision-intermediary': 'granted', ...decided }, ['screens'], TODAY);
    assert.deepEqual('value' in other && other.value.decisions.map((item) => item.measure), ['screens']);
  });

  it('needs a place for a remote live link, and a date for a booked or done visit', () => {
    assert.deepEqual(checkAlternative({ arrangement: 'remote_live_link', place: '  Home  ' }), { value: { arrangement: 'remote_live_link', place: 'Home' } });
    assert.deepEqual(checkAlternative({ arrangement: 'remote_live_link' }), { errors: { place: 'Enter where they will give evidence from' } });
    assert.deepEqual(checkAlternative({ arrangement: 'not_needed', place: 'ignored' }), { value: { arrangement: 'not_needed', place: null } });
    assert.deepEqual(checkAlternative({}), { errors: { arrangement: 'Select the alternative arrangements' } });
    assert.deepEqual(checkVisit({ state: 'booked', ...date('bookedFor', '3', '12', '2026') }, TODAY), { value: { state: 'booked', date: '2026-12-03' } });
    assert.deepEqual(checkVisit({ state: 'done', ...date('doneOn', '3', '12', '2026') }, TODAY), { errors: { doneOn: 'Date of the visit must be today or in the past' } });
    assert.deepEqual(checkVisit({ state: 'declined' }, TODAY), { value: { state: 'declined', date: null } });
    assert.deepEqual(checkVisit({ state: 'booked' }, TODAY), { errors: { bookedFor: 'Enter the date of the visit' } });
    assert.deepEqual(checkExpenses(date('givenOn', '20', '11', '2026'), TODAY), { value: { givenOn: '2026-11-20' } });
  });
});

describe('where things stand', () => {
  let id = 0;
  const entry = (kind: LedgerEntry['kind'], detail: Record<string, unknown>): LedgerEntry => ({ id: ++id, kind, detail, occurredAt: new Date(), source: 'staff', recordedByName: null, recordedAt: new Date() });

  it('folds the ledger in order: the latest wish, application and decision win; a new application clears a decision', () => {
    const status = foldLedger([
      entry('wishes', { wishes: { live_link: 'wants', screens: 'does_not_want' } }),
      entry('application', { measures: ['live_link', 'screens'], appliedOn: '2026-11-01' }),
      entry('outcome', { decisions: [{ measure: 'screens', decision: 'refused', reason: 'Not needed' }], decidedOn: '2026-11-10' }),
      entry('wishes', { wishes: { screens: 'wants' } }),
      entry('outcome', { decisions: [{ measure: 'teleport', decision: 'granted' }], decidedOn: '2026-11-10' }),
      entry('alternative_arrangements', { arrangement: 'remote_live_link', place: 'Home' }),
      entry('familiarisation_visit', { state: 'offered', date: null }),
      entry('familiarisation_visit', { state: 'booked', date: '2026-12-01' }),
    ]);
    const of = (measure: string) => status.measures.find((item) => item.measure === measure);
    assert.equal(of('live_link')?.wish, 'wants');
    assert.equal(of('screens')?.wish, 'wants');
    assert.deepEqual(of('screens')?.decision, { decision: 'refused', reason: 'Not needed', decidedOn: '2026-11-10' });
    assert.deepEqual(awaitingDecision(status), ['live_link']);
    assert.deepEqual(status.alternative, { arrangement: 'remote_live_link', place: 'Home' });
    assert.deepEqual(status.visit, { state: 'booked', date: '2026-12-01' });
    assert.deepEqual(statusLines(status), ['Screens, so they do not see the defendant: wants it; applied for 1 November 2026; refused 10 November 2026', 'Live link: wants it; applied for 1 November 2026; awaiting the court’s decision']);

    const again = foldLedger([entry('application', { measures: ['screens'], appliedOn: '2026-11-01' }), entry('outcome', { decisions: [{ measure: 'screens', decision: 'refused', reason: 'x' }], decidedOn: '2026-11-02' }), entry('application', { measures: ['screens'], appliedOn: '2026-11-05' })]);
    assert.equal(again.measures.find((item) => item.measure === 'screens')?.decision, null);
    assert.equal(foldLedger([]).started, false);
  });

  it('tells each entry of the history in words', () => {
    assert.equal(historyLine(entry('wishes', { wishes: { live_link: 'wants', screens: 'not_discussed', intermediary: 'does_not_want' } })), 'Victim’s wishes: Live link (wants it), An intermediary (does not want it)');
    assert.equal(historyLine(entry('application', { measures: ['live_link'], appliedOn: '2026-11-01' })), 'Applied for Live link on 1 November 2026');
    assert.equal(historyLine(entry('outcome', { decisions: [{ measure: 'live_link', decision: 'refused', reason: 'No room' }], decidedOn: '2026-11-02' })), 'Court’s decision: Live link refused (No room)');
    assert.equal(historyLine(entry('alternative_arrangements', { arrangement: 'remote_live_link', place: 'Hospital' })), 'Alternative arrangements: Remote live link from another place (Hospital)');
    assert.equal(historyLine(entry('familiarisation_visit', { state: 'booked', date: '2026-12-01' })), 'Court visit: Booked, 1 December 2026');
    assert.equal(historyLine(entry('expenses_information', { givenOn: '2026-11-03' })), 'Expenses information given 3 November 2026');
  });

  it('tells the victim the court has decided, in plain words and without the court’s reasons', () => {
    const detail = outcomeEventDetail([
      { measure: 'live_link', decision: 'granted', reason: null },
      { measure: 'screens', decision: 'refused', reason: 'The defendant will not be in court' },
    ]);
    assert.deepEqual(detail, { notifyVictim: 'update', measures: ['live_link', 'screens'], granted: ['live_link'], refused: ['screens'] });
    assert.doesNotMatch(JSON.stringify(detail) + OUTCOME_SUMMARY, /defendant will not/);
    assert.equal(applicationSummary(['screens', 'live_link']), 'Special measures applied for: screens, live link');
    assert.deepEqual(knownMeasures(['live_link', 'teleport', 'screens']), ['screens', 'live_link']);
  });
});

describe('journey 6: a victim with severe epileptic seizures', () => {
  const facts: ReviewFacts = {
    role: 'victim',
    dateOfBirth: '1984-03-02',
    offence: { code: '5A', category: 'Violence against the person', group: 'Violence with injury' },
    referralIndicators: [],
    entitlements: [{ category: 'most_serious', rule: 'most_serious.wounding_with_intent', reason: 'Wounding with intent' }],
    // As the needs assessment stores them: a long-term illness that could make it harder to tell a court what happened.
    assessment: {
      version: 1,
      assessedOn: '2026-11-01',
      answers: { physical_disability: 'yes', health_affects_evidence: 'yes', may_give_evidence: 'yes', health_notes: 'Severe epileptic seizures', mental_health: 'no', fear_testifying: 'no' },
      dashLevel: null,
    },
    hearingDate: '2026-12-03',
  };

  it('flags a live link and alternative arrangements: a remote live link', () => {
    const review = reviewSpecialMeasures(facts);
    assert.ok(review.eligible);
    assert.deepEqual(review.eligibility.vulnerable.map((ground) => ground.id), ['physical_disability']);
    assert.ok(review.toConsider.some((measure) => measure.measure === 'live_link'));
    assert.equal(review.alternativeArrangements.length, 1);
    assert.match(review.alternativeArrangements[0] ?? '', /remote live link from another place/);
  });

  it('still flags the remote live link when only attending court is the hard part, but not without a condition', () => {
    const attending = reviewSpecialMeasures({ ...facts, assessment: { ...facts.assessment!, answers: { physical_disability: 'yes', health_affects_evidence: 'no', may_give_evidence: 'yes' } } });
    assert.equal(attending.alternativeArrangements.length, 1);
    assert.equal(reviewSpecialMeasures({ ...facts, assessment: { ...facts.assessment!, answers: { physical_disability: 'no', health_affects_evidence: 'yes', may_give_evidence: 'yes' } } }).alternativeArrangements.length, 0);
    assert.equal(reviewSpecialMeasures({ ...facts, assessment: null }).alternativeArrangements.length, 0);
  });
});

describe('the calendar file', () => {
  it('escapes text, folds long lines at 75 octets without splitting a character, and writes UTC times', () => {
    assert.equal(escapeText('Court 1, Floor 2; A\\B\nC'), 'Court 1\\, Floor 2\\; A\\\\B\\nC');
    assert.equal(utcStamp(new Date('2026-12-03T10:00:00.000Z')), '20261203T100000Z');
    const long = `LOCATION:${'é'.repeat(60)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
    assert.equal(folded.split('\r\n').map((line, index) => (index ? line.slice(1) : line)).join(''), long);
  });

  it('describes the hearing with no one’s name, a stable UID, and CRLF line ends', () => {
    const hearing = { id: '7d3f5c1e-0000-4000-8000-000000000001', hearingAt: new Date('2026-06-03T09:00:00Z'), courtName: 'Leeds Crown Court', hearingTypeName: 'Trial' };
    const ics = hearingCalendar(hearing, new Date('2026-05-01T12:00:00Z'));
    assert.match(ics, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    assert.match(ics, /\r\nBEGIN:VEVENT\r\n/);
    assert.match(ics, /\r\nDTSTART:20260603T090000Z\r\n/, '10am in London in summer is 9am UTC');
    assert.match(ics, /\r\nLOCATION:Leeds Crown Court\r\n/);
    assert.match(ics, /\r\nSUMMARY:Court hearing: Trial\r\n/);
    assert.match(ics, /\r\nUID:hearing-7d3f5c1e-0000-4000-8000-000000000001@hearings\.haven\.invalid\r\n/);
    assert.match(ics, /END:VCALENDAR\r\n$/);
    assert.equal(hearingCalendar(hearing, new Date('2026-05-02T12:00:00Z')).match(/UID:.*/)?.[0], ics.match(/UID:.*/)?.[0]);
    assert.doesNotMatch(ics.replace(/\r\n/g, ''), /[^\r]\n/);
  });
});
