// The police view's rules: the agreed cadence per area and for enhanced victims, the cadence periods that make a case
// stale (one nudge per period), the list's paging, and the safe-contact summary an officer reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MY_VICTIMS_PAGE_SIZE, cadenceDaysFor, cadenceFor, needsUpdate, pageCount, parsePage, safeContactSummary, stalePeriod, staleTaskKey, staleTaskTitle } from './rules.ts';

const DAY = 24 * 60 * 60 * 1000;
const start = new Date('2026-01-01T09:00:00Z');
const after = (days: number, ms = 0) => new Date(start.getTime() + days * DAY + ms);

describe('police view rules', () => {
  it('reads the area’s cadence from its Code clock settings, with the default where it set none or a bad one', () => {
    assert.deepEqual(cadenceFor(undefined), { standard: 28, enhanced: 28 });
    assert.deepEqual(cadenceFor({ updateCadenceDays: { standard: 30, enhanced: 14 } }), { standard: 30, enhanced: 14 });
    assert.deepEqual(cadenceFor({ updateCadenceDays: { standard: 0, enhanced: 'x' } }), { standard: 28, enhanced: 28 });
    assert.equal(cadenceDaysFor({ standard: 30, enhanced: 14 }, true), 14);
    assert.equal(cadenceDaysFor({ standard: 30, enhanced: 14 }, false), 30);
  });

  it('counts whole cadence periods since the last update: none before the cadence, one at it, two at twice it', () => {
    assert.equal(stalePeriod(start, after(27, DAY - 1), 28), 0);
    assert.equal(stalePeriod(start, after(28), 28), 1);
    assert.equal(stalePeriod(start, after(55), 28), 1);
    assert.equal(stalePeriod(start, after(56), 28), 2);
    assert.equal(stalePeriod(start, after(-3), 28), 0, 'an update dated after now is not stale');
    assert.equal(stalePeriod(start, after(400), 0), 0, 'a cadence of nothing never nudges');
    assert.equal(needsUpdate(start, after(14), 14), true);
    assert.equal(needsUpdate(start, after(13), 14), false);
  });

  it('keys the nudge by case, last update and period, so each period raises one task and a new update starts afresh', () => {
    const key = staleTaskKey('c1', new Date('2026-01-01T09:00:00.750Z'), 1);
    assert.equal(key, `stale_case_update:c1:${Date.UTC(2026, 0, 1, 9) / 1000}:1`);
    assert.notEqual(staleTaskKey('c1', start, 2), staleTaskKey('c1', start, 1));
    assert.notEqual(staleTaskKey('c1', after(1), 1), staleTaskKey('c1', start, 1));
    assert.match(staleTaskTitle(28), /28 days/);
  });

  it('pages the list 25 at a time from page 1, refusing anything that is not a page number', () => {
    assert.deepEqual(parsePage('3'), { page: 3, offset: 2 * MY_VICTIMS_PAGE_SIZE });
    for (const raw of [undefined, '', '0', '-1', '1.5', 'abc', ['2'], '99999999']) assert.deepEqual(parsePage(raw), { page: 1, offset: 0 });
    assert.equal(pageCount(0), 1);
    assert.equal(pageCount(25), 1);
    assert.equal(pageCount(26), 2);
  });

  it('summarises how the victim may be contacted without giving away the safe address or the code word', () => {
    const summary = safeContactSummary({ channels: ['email', 'phone'], safeTimes: 'Weekdays 10–12', voicemailSafe: false, homeVisitSafe: null, safeAddress: '1 Safe St', codeWord: 'bluebell' });
    assert.equal(summary.known, true);
    assert.equal(summary.doNotText, true);
    assert.equal(summary.channels, 'Email, Phone');
    assert.equal(summary.notSafe, 'Text message, Letter');
    assert.equal(summary.safeTimes, 'Weekdays 10–12');
    assert.equal(summary.voicemail, 'No');
    assert.equal(summary.homeVisit, 'Not known');
    assert.equal(summary.hasSafeAddress, true);
    assert.equal(summary.hasCodeWord, true);
    assert.ok(!JSON.stringify(summary).includes('bluebell') && !JSON.stringify(summary).includes('Safe St'));
    const unknown = safeContactSummary({});
    assert.equal(unknown.known, false);
    assert.equal(unknown.doNotText, false);
    assert.equal(unknown.notSafe, '');
  });
});
