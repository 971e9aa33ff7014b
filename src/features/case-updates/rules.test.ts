import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { languageOf, plainWords } from './plain-words.ts';
import { CASE_UPDATE_TYPES, checkDetail, furthestStage, isBehind, orderProblem, typesFor, type Applied } from './rules.ts';

const at = (iso: string) => new Date(iso);
const applied = (type: Applied['type'], iso: string, detail: Record<string, unknown> = {}): Applied => ({ type, occurredAt: at(iso), detail });

describe('case update rules', () => {
  it('checks each type’s details, naming every problem and dropping what the type does not carry', () => {
    assert.deepEqual(checkDetail('no_further_action', {}), { errors: { reason: 'Enter why no further action will be taken' } });
    assert.deepEqual(checkDetail('no_further_action', { reason: '  Not enough evidence  ', extra: 'dropped' }), { detail: { reason: 'Not enough evidence' } });
    assert.deepEqual(checkDetail('verdict', { outcome: 'innocent' }), { errors: { outcome: 'Select verdict' } });
    const sentence = checkDetail('sentence', { sentence: '3 years in prison', custodyMonths: '36', violentOrSexualOffence: 'yes' });
    assert.deepEqual(sentence, { detail: { sentence: '3 years in prison', custodyMonths: 36, violentOrSexualOffence: true } });
    assert.ok('errors' in checkDetail('sentence', { sentence: 'x', custodyMonths: 'three' }));
    assert.ok('errors' in checkDetail('hearing_listed', { hearingAt: 'soon', courtName: 'Court', hearingType: 'trial' }));
    assert.ok('errors' in checkDetail('suspect_bailed', { bailUntil: '2026-02-30' }));
    assert.ok('errors' in checkDetail('special_measures_outcome', {}), 'an outcome grants or refuses something');
    assert.deepEqual(checkDetail('officer_assigned', { officerName: 'DC Patel', officerEmail: 'D.Patel@Force.police.uk' }), { detail: { officerName: 'DC Patel', officerEmail: 'd.patel@force.police.uk' } });
    assert.ok('errors' in checkDetail('no_further_action', { reason: 'x'.repeat(2001) }));
  });

  it('holds back what breaks the expected order: a sentence with no conviction, a verdict with no charge, a move of no hearing', () => {
    assert.equal(orderProblem('sentence', []), 'A sentence arrived with no verdict recorded');
    assert.equal(orderProblem('sentence', [applied('verdict', '2026-11-01T10:00:00Z', { outcome: 'not_guilty' })]), 'A sentence arrived but the verdict recorded is not a conviction');
    assert.equal(orderProblem('sentence', [applied('verdict', '2026-11-01T10:00:00Z', { outcome: 'guilty_plea' })]), undefined);
    assert.match(orderProblem('verdict', []) ?? '', /before any suspect charged/);
    assert.equal(orderProblem('verdict', [applied('suspect_charged', '2026-10-01T10:00:00Z')]), undefined);
    assert.ok(orderProblem('hearing_moved', []));
    assert.ok(orderProblem('victim_contact_scheme_contact_level', [applied('victim_contact_scheme_referred', '2026-10-01T10:00:00Z')]));
    assert.equal(orderProblem('suspect_arrested', []), undefined);
  });

  it('keeps the furthest stage, so a late arrival cannot move the case back', () => {
    const history = [applied('suspect_arrested', '2026-11-01T09:00:00Z'), applied('suspect_charged', '2026-11-03T16:00:00Z'), applied('hearing_listed', '2026-11-04T10:00:00Z')];
    assert.equal(furthestStage(history), 'suspect_charged');
    const charged = history[1];
    assert.equal(isBehind('suspect_arrested', at('2026-11-01T09:00:00Z'), charged), true);
    assert.equal(isBehind('verdict', at('2026-12-01T09:00:00Z'), charged), false);
    assert.equal(isBehind('hearing_listed', at('2026-10-01T09:00:00Z'), charged), false, 'a hearing is not a stage');
    // Bail and release under investigation are the same stage: the later one to happen wins, whatever order they arrive in.
    const bailed = applied('suspect_bailed', '2026-11-05T09:00:00Z');
    assert.equal(isBehind('released_under_investigation', at('2026-11-04T09:00:00Z'), bailed), true);
    assert.equal(isBehind('released_under_investigation', at('2026-11-06T09:00:00Z'), bailed), false);
    assert.equal(furthestStage([bailed, applied('released_under_investigation', '2026-11-04T09:00:00Z')]), 'suspect_bailed');
  });

  it('lets each agency post only its own updates; the hub posts any', () => {
    assert.ok(typesFor('police').includes('suspect_charged'));
    assert.ok(!typesFor('police').includes('sentence'));
    assert.ok(typesFor('witness_care').includes('sentence') && typesFor('witness_care').includes('charge_dropped'));
    assert.deepEqual(typesFor('probation').filter((type) => !type.startsWith('victim_contact_scheme')), []);
    assert.equal(typesFor('hub').length, CASE_UPDATE_TYPES.length);
    assert.deepEqual(typesFor('provider'), []);
  });

  it('explains every type in English and Welsh, with what happens next, and the agency’s facts', () => {
    for (const type of CASE_UPDATE_TYPES) {
      for (const language of ['en', 'cy'] as const) {
        const words = plainWords(type, language);
        assert.ok(words.title && words.meaning && words.next, `${type} in ${language}`);
      }
      assert.notEqual(plainWords(type, 'en').title, plainWords(type, 'cy').title, `${type} is translated`);
    }
    assert.match(plainWords('charge_dropped', 'en').next, /Victims’ Right to Review/);
    const nfa = plainWords('no_further_action', 'cy', { reason: 'Dim digon o dystiolaeth' }, 'Byddaf yn eich ffonio');
    assert.deepEqual(nfa.facts, [{ label: 'Rheswm', value: 'Dim digon o dystiolaeth' }]);
    assert.equal(nfa.personalNote, 'Byddaf yn eich ffonio');
    assert.match(plainWords('hearing_listed', 'en', { hearingAt: '2027-01-12T10:00:00Z', courtName: 'Wyvern Crown Court' }).facts[0]?.value ?? '', /^Tuesday 12 January 2027 at 10am$/);
    assert.equal(languageOf('Welsh'), 'cy');
    assert.equal(languageOf('cy'), 'cy');
    assert.equal(languageOf('en'), 'en');
    assert.equal(languageOf(null), 'en');
  });
});
