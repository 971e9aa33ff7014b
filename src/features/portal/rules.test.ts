// The "My case" pages' pure rules: every word they can produce exists in English and Welsh, timeline events read in
// plain words with what happens next, and each Code right says whether it was kept on time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CASE_STATUSES, HEARING_TYPES, SUPPORT_REFERRAL_STATUSES } from '../../platform/db/schema.ts';
import { CASE_UPDATE_TYPES } from '../case-updates/rules.ts';
import { DUTIES } from '../obligations/rules.ts';
import { portalCaseMessages } from './messages.ts';
import {
  OTHER_EVENT_KINDS,
  RIGHT_DUTIES,
  RIGHT_STATUSES,
  carePlanRow,
  caseLabel,
  londonDate,
  londonDateTime,
  reachWords,
  referralStatus,
  VISIBLE_REFERRAL_STATUSES,
  rightRow,
  rightRows,
  rightStatus,
  timelineEntry,
  type Language,
  type ObligationFacts,
  type TimelineFacts,
  type Translate,
} from './rules.ts';

/** The catalogue's own lookup, over this feature's words only, failing loudly on a key that is not there. */
const strict = (language: Language): Translate => (key, values = {}) => {
  const text = portalCaseMessages[language][key];
  if (text === undefined) throw new Error(`missing ${language} key ${key}`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
};
const en = strict('en');
const cy = strict('cy');
const now = new Date('2026-11-20T12:00:00Z');

const event = (kind: string, extra: Partial<TimelineFacts> = {}): TimelineFacts => ({
  kind, summary: 'Stored summary', detail: {}, occurredAt: new Date('2026-11-02T10:00:00Z'), serviceName: null, organisationName: null, actionDescription: null, ...extra,
});
const obligation = (extra: Partial<ObligationFacts> = {}): ObligationFacts => ({
  duty: 'charge_update', ownerKind: 'witness_care', ownerOrganisationName: null, workingDays: 1, state: 'open', dueAt: new Date('2026-11-21T23:59:59Z'), metAt: null, ...extra,
});

describe('the catalogue', () => {
  it('has the same keys in English and Welsh, and no empty text', () => {
    assert.deepEqual(Object.keys(portalCaseMessages.cy).sort(), Object.keys(portalCaseMessages.en).sort());
    for (const language of ['en', 'cy'] as const) {
      for (const [key, text] of Object.entries(portalCaseMessages[language])) {
        assert.ok(key.startsWith('portalCase.'), key);
        assert.ok(text.trim(), `${language} ${key} is empty`);
      }
    }
  });

  it('has words for every duty, status, hearing type and victim-visible kind the pages can show', () => {
    for (const t of [en, cy]) {
      for (const duty of DUTIES) rightRow(obligation({ duty }), 'en', now, t);
      for (const state of ['open', 'met', 'overdue', 'breached'] as const) rightRow(obligation({ state, metAt: new Date() }), 'en', now, t);
      for (const status of SUPPORT_REFERRAL_STATUSES) referralStatus(status, t);
      for (const status of CASE_STATUSES) t(`portalCase.caseStatus.${status}`);
      for (const type of HEARING_TYPES) t(`portalCase.hearingType.${type}`);
      for (const kind of [...OTHER_EVENT_KINDS, 'something_new']) timelineEntry(event(kind), 'en', t);
      for (const relation of ['self', 'parent_or_carer', 'supporter'] as const) reachWords(relation, 'Ana', t);
    }
    assert.deepEqual([...RIGHT_DUTIES].sort(), [...DUTIES].sort(), 'a duty added to the Code clock needs its words here');
  });
});

describe('timeline entries', () => {
  it('agency updates read as the case-updates plain words, in the victim’s language, with what happens next', () => {
    const english = timelineEntry(event('suspect_charged'), 'en', en);
    assert.equal(english.title, 'The suspect has been charged');
    assert.match(english.next ?? '', /Witness care will tell you/);
    const welsh = timelineEntry(event('suspect_charged'), 'cy', cy);
    assert.equal(welsh.title, 'Mae’r sawl a amheuir wedi cael ei gyhuddo');
    assert.equal(welsh.when, '2 Tachwedd 2026');
    assert.ok(CASE_UPDATE_TYPES.every((type) => timelineEntry(event(type), 'cy', cy).next));
  });

  it('shows the officer’s note and the agency’s facts, such as a hearing’s date and court', () => {
    const entry = timelineEntry(event('hearing_listed', { detail: { hearingAt: '2027-01-12T10:00:00Z', courtName: 'Wyvern Crown Court', personalNote: 'Call me first.' } }), 'en', en);
    assert.deepEqual(entry.facts, [
      { label: 'Date and time', value: 'Tuesday 12 January 2027 at 10am' },
      { label: 'Court', value: 'Wyvern Crown Court' },
    ]);
    assert.equal(entry.note, 'Call me first.');
  });

  it('other victim-visible kinds use the catalogue, naming the service or organisation when it is known', () => {
    assert.equal(timelineEntry(event('service_referral_accepted', { serviceName: 'Practical help' }), 'en', en).title, 'Practical help accepted your referral');
    assert.equal(timelineEntry(event('service_referral_accepted'), 'en', en).title, 'a support service accepted your referral');
    assert.equal(timelineEntry(event('consent_withdrawn', { organisationName: 'Safe Homes' }), 'cy', cy).title, 'Rydych wedi tynnu’n ôl eich cytundeb i rannu gwybodaeth gyda Safe Homes');
    const done = timelineEntry(event('care_plan_action_done', { actionDescription: 'Fit new locks' }), 'en', en);
    assert.deepEqual(done.facts, [{ label: 'What was agreed', value: 'Fit new locks' }]);
    assert.match(timelineEntry(event('message_to_victim'), 'en', en).next ?? '', /messages/);
  });

  it('an unknown kind keeps its stored summary under a title in the victim’s language', () => {
    const entry = timelineEntry(event('something_new', { summary: 'Your appointment is booked' }), 'cy', cy);
    assert.equal(entry.title, 'Mae diweddariad ar eich achos');
    assert.equal(entry.meaning, 'Your appointment is booked');
  });
});

describe('Code rights', () => {
  it('kept on time when met by the deadline, late when met after it', () => {
    const dueAt = new Date('2026-11-10T23:59:59Z');
    assert.equal(rightStatus({ state: 'met', dueAt, metAt: new Date('2026-11-10T23:59:59Z') }, now), 'kept');
    assert.equal(rightStatus({ state: 'met', dueAt, metAt: new Date('2026-11-11T00:00:00Z') }, now), 'late');
    assert.equal(rightStatus({ state: 'met', dueAt, metAt: null }, now), 'late');
  });

  it('open before the deadline is due; past it is late even before the sweep marks it; breached is not kept', () => {
    assert.equal(rightStatus({ state: 'open', dueAt: new Date('2026-11-21T00:00:00Z'), metAt: null }, now), 'due');
    assert.equal(rightStatus({ state: 'open', dueAt: new Date('2026-11-19T00:00:00Z'), metAt: null }, now), 'overdue');
    assert.equal(rightStatus({ state: 'overdue', dueAt: new Date('2026-11-19T00:00:00Z'), metAt: null }, now), 'overdue');
    assert.equal(rightStatus({ state: 'breached', dueAt: new Date('2026-11-19T00:00:00Z'), metAt: null }, now), 'not_kept');
  });

  it('words each duty as the victim’s entitlement, with working days and who owes it', () => {
    const row = rightRow(obligation(), 'en', now, en);
    assert.equal(row.right, 'You should be told about a charge within 1 working day');
    assert.equal(row.owner, 'Witness care');
    assert.deepEqual([row.status.key, row.status.text, row.when], ['due', 'Still to do', 'Due by 21 November 2026']);
    const welsh = rightRow(obligation({ duty: 'investigation_update', ownerKind: 'police', workingDays: 5 }), 'cy', now, cy);
    assert.equal(welsh.right, 'Dylid dweud wrthych am arestiad, cyfweliad, rhyddhau, mechnïaeth neu benderfyniad gan yr heddlu o fewn 5 diwrnod gwaith');
    assert.equal(welsh.owner, 'Yr heddlu');
    const provider = rightRow(obligation({ duty: 'provider_response', ownerKind: 'named_organisation', ownerOrganisationName: 'Safe Homes', workingDays: 2 }), 'en', now, en);
    assert.equal(provider.owner, 'Safe Homes');
    const kept = rightRow(obligation({ state: 'met', metAt: new Date('2026-11-03T09:00:00Z') }), 'en', now, en);
    assert.deepEqual([kept.status.text, kept.when], ['Kept on time', 'Done on 3 November 2026']);
  });

  it('lists late and open promises first, then the closed ones', () => {
    const rows = rightRows([
      obligation({ state: 'met', metAt: new Date('2026-11-03T09:00:00Z') }),
      obligation({ dueAt: new Date('2026-11-25T00:00:00Z') }),
      obligation({ dueAt: new Date('2026-11-18T00:00:00Z') }),
    ], 'en', now, en);
    assert.deepEqual(rows.map((row) => row.status.key), ['overdue', 'due', 'kept']);
    assert.equal(RIGHT_STATUSES.length, 5);
  });
});

describe('support and the case label', () => {
  it('hides drafts and cancelled referrals, and words the rest for the victim', () => {
    assert.deepEqual(SUPPORT_REFERRAL_STATUSES.filter((status) => VISIBLE_REFERRAL_STATUSES.includes(status)), ['sent', 'accepted', 'in_progress', 'declined', 'no_capacity', 'returned', 'closed']);
    assert.deepEqual(referralStatus('sent', en), { text: 'Waiting for them to reply', colour: 'blue' });
    assert.equal(referralStatus('in_progress', cy).text, 'Mae eich cymorth wedi dechrau');
  });

  it('a care plan action says who does it and by when', () => {
    const row = carePlanRow({ description: 'Fit new locks', ownerKind: 'victim', ownerOrganisationName: null, dueDate: '2026-12-03', status: 'agreed', doneAt: null }, 'en', en);
    assert.deepEqual([row.who, row.by, row.status.text, row.doneOn], ['You', '3 December 2026', 'Agreed', null]);
    const done = carePlanRow({ description: 'Call back', ownerKind: 'organisation', ownerOrganisationName: 'Safe Homes', dueDate: '2026-12-03', status: 'done', doneAt: new Date('2026-11-30T10:00:00Z') }, 'cy', cy);
    assert.deepEqual([done.who, done.by, done.status.text, done.doneOn], ['Safe Homes', '3 Rhagfyr 2026', 'Wedi’i wneud', 'Wedi’i wneud ar 30 Tachwedd 2026']);
  });

  it('labels a case by the kind of crime and a date, and says whose case a linked account sees', () => {
    assert.equal(caseLabel({ offenceCategory: 'Theft offences', reportedAt: new Date('2026-03-03T10:00:00Z'), openedAt: now }, 'en', en), 'Theft, reported on 3 March 2026');
    assert.equal(caseLabel({ offenceCategory: '', reportedAt: null, openedAt: now }, 'cy', cy), 'Eich achos, a agorwyd ar 20 Tachwedd 2026');
    assert.equal(caseLabel({ offenceCategory: 'Something else', reportedAt: null, openedAt: now }, 'en', en), 'Your case, opened on 20 November 2026');
    assert.equal(reachWords('self', 'Ana', en), null);
    assert.equal(reachWords('parent_or_carer', 'Ana', en), 'You are acting for Ana');
    assert.equal(reachWords('supporter', 'Ana', en), 'You are supporting Ana. You can read only.');
  });

  it('writes dates in GOV.UK style in London time, in English or Welsh', () => {
    assert.equal(londonDate(new Date('2026-06-30T23:30:00Z'), 'en'), '1 July 2026');
    assert.equal(londonDateTime(new Date('2027-01-12T14:30:00Z'), 'en'), 'Tuesday 12 January 2027 at 2:30pm');
    assert.equal(londonDateTime(new Date('2027-01-12T10:00:00Z'), 'cy'), 'Dydd Mawrth 12 Ionawr 2027 am 10am');
  });
});
