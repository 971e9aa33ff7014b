// The needs assessment catalogue and its rules: per-question checks, contradictions, the DASH gate and the evidence
// the entitlements rules read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DASH_QUESTIONS, DEFAULT_DASH_CONFIG } from './dash.ts';
import { CATALOGUE_VERSION, QUESTIONS, SECTIONS, ageOn, checkAnswer, checkAssessment, contradictions, entitlementEvidence } from './rules.ts';

const question = (id: string) => {
  const found = QUESTIONS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
};

/** A complete, consistent form for an adult with no domestic abuse. */
function validForm(overrides: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = { method: 'phone', day: '2', month: '3', year: '2026', language: 'English' };
  for (const q of QUESTIONS) if (q.required && q.type !== 'text') form[q.id] = q.type === 'yes_no' ? 'no' : q.options![0]!.value;
  return { ...form, ...overrides };
}
const context = { dateOfBirth: '1986-01-15', today: '2026-03-10', dash: DEFAULT_DASH_CONFIG };

describe('the question catalogue', () => {
  it('has a version, unique ids, and questions in every section', () => {
    assert.ok(CATALOGUE_VERSION);
    assert.equal(new Set(QUESTIONS.map((q) => q.id)).size, QUESTIONS.length);
    for (const section of SECTIONS) assert.ok(QUESTIONS.some((q) => q.section === section), section);
    for (const q of QUESTIONS) if (q.type === 'choice') assert.ok(q.options?.length, q.id);
  });
  it('asks about language, interpreters, BSL and Easy Read', () => {
    for (const id of ['language', 'interpreter', 'bsl', 'easy_read']) assert.equal(question(id).section, 'communication');
  });
});

describe('checkAnswer', () => {
  it('accepts yes or no, and refuses anything else or nothing when required', () => {
    assert.deepEqual(checkAnswer(question('feels_safe'), 'yes'), { value: 'yes' });
    assert.ok('error' in checkAnswer(question('feels_safe'), 'perhaps'));
    assert.ok('error' in checkAnswer(question('feels_safe'), ''));
  });
  it('accepts only the listed choices', () => {
    assert.deepEqual(checkAnswer(question('coping'), 'struggling'), { value: 'struggling' });
    assert.ok('error' in checkAnswer(question('coping'), 'fine'));
  });
  it('reads an age as a whole number within range, and lets it be left blank', () => {
    assert.deepEqual(checkAnswer(question('age'), ' 81 '), { value: 81 });
    assert.deepEqual(checkAnswer(question('age'), ''), {});
    assert.ok('error' in checkAnswer(question('age'), 'forty'));
    assert.ok('error' in checkAnswer(question('age'), '4.5'));
    assert.ok('error' in checkAnswer(question('age'), '121'));
  });
  it('needs required text and caps its length', () => {
    assert.ok('error' in checkAnswer(question('language'), '  '));
    assert.deepEqual(checkAnswer(question('language'), ' Polish '), { value: 'Polish' });
    assert.ok('error' in checkAnswer(question('victim_wants'), 'x'.repeat(2001)));
    assert.deepEqual(checkAnswer(question('victim_wants'), ''), {});
  });
});

describe('contradictions', () => {
  it('works out an age from a date of birth', () => {
    assert.equal(ageOn('1986-03-10', '2026-03-10'), 40);
    assert.equal(ageOn('1986-03-11', '2026-03-10'), 39);
    assert.equal(ageOn('2012-02-29', '2026-02-28'), 13);
  });
  it('refuses "under 18" for a person whose date of birth makes them 40', () => {
    const errors = contradictions({ under_18: 'yes' }, { dateOfBirth: '1986-01-15', today: '2026-03-10' });
    assert.match(errors.under_18!, /makes them 40/);
  });
  it('refuses "not under 18" for a child, and an age that does not fit the date of birth', () => {
    assert.ok(contradictions({ under_18: 'no' }, { dateOfBirth: '2012-01-01', today: '2026-03-10' }).under_18);
    assert.match(contradictions({ age: 35 }, { dateOfBirth: '1986-01-15', today: '2026-03-10' }).age!, /makes them 40/);
  });
  it('checks the age given against "under 18" when no date of birth is known', () => {
    assert.ok(contradictions({ under_18: 'yes', age: 19 }, { dateOfBirth: null, today: '2026-03-10' }).under_18);
    assert.ok(contradictions({ under_18: 'no', age: 14 }, { dateOfBirth: null, today: '2026-03-10' }).under_18);
    assert.deepEqual(contradictions({ under_18: 'no', age: 81 }, { dateOfBirth: null, today: '2026-03-10' }), {});
  });
  it('refuses dependants counted when the victim said nobody depends on them', () => {
    assert.ok(contradictions({ has_dependants: 'no', dependants_count: 2 }, { dateOfBirth: null, today: '2026-03-10' }).dependants_count);
    assert.deepEqual(contradictions({ has_dependants: 'yes', dependants_count: 2 }, { dateOfBirth: null, today: '2026-03-10' }), {});
  });
});

describe('checkAssessment', () => {
  it('accepts a complete, consistent form', () => {
    const checked = checkAssessment(validForm({ age: '40' }), context);
    assert.ok('value' in checked, JSON.stringify('errors' in checked && checked.errors));
    assert.equal(checked.value.method, 'phone');
    assert.equal(checked.value.assessedOn, '2026-03-02');
    assert.equal(checked.value.answers.age, 40);
    assert.equal(checked.value.dash, null);
  });
  it('reports every bad field at once, contradictions included', () => {
    const checked = checkAssessment(validForm({ method: '', day: '31', month: '2', under_18: 'yes', feels_safe: '' }), context);
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['assessedOn', 'feels_safe', 'method', 'under_18']);
  });
  it('refuses a date in the future or more than a year ago', () => {
    const future = checkAssessment(validForm({ day: '11' }), context);
    assert.ok('errors' in future && /today or in the past/.test(future.errors.assessedOn!));
    const old = checkAssessment(validForm({ year: '2025' }), context);
    assert.ok('errors' in old && /last year/.test(old.errors.assessedOn!));
  });
  it('needs the DASH checklist when there is domestic abuse, and scores it', () => {
    const missing = checkAssessment(validForm({ domestic_abuse: 'yes' }), context);
    assert.ok('errors' in missing);
    assert.equal(Object.keys(missing.errors).filter((field) => field.startsWith('dash_')).length, 24);
    const dash = Object.fromEntries(DASH_QUESTIONS.map((q, index) => [q.id, index < 15 ? 'yes' : 'no']));
    const complete = checkAssessment(validForm({ domestic_abuse: 'yes', ...dash }), context);
    assert.ok('value' in complete);
    assert.deepEqual([complete.value.dash?.score, complete.value.dash?.level], [15, 'high']);
  });
  it('refuses a DASH checklist filled in when there is no domestic abuse, rather than dropping it', () => {
    const checked = checkAssessment(validForm({ domestic_abuse: 'no', dash_1: 'yes' }), context);
    assert.ok('errors' in checked && checked.errors.domestic_abuse);
  });
});

describe('entitlementEvidence', () => {
  it('is all false and not asked for an empty assessment', () => {
    assert.deepEqual(entitlementEvidence({}), {
      mentalDisorder: false,
      impairedIntelligenceAndSocialFunctioning: false,
      physicalDisabilityOrDisorder: false,
      evidenceLikelyAffected: false,
      fearOrDistressAboutTestifying: false,
      persistentlyTargeted: false,
      domesticAbuse: false,
      victimWantsEnhancedSupport: 'not_asked',
    });
  });
  it('reads each piece of evidence from its own answer', () => {
    const pairs: [string, keyof ReturnType<typeof entitlementEvidence>][] = [
      ['mental_health', 'mentalDisorder'],
      ['learning_disability', 'impairedIntelligenceAndSocialFunctioning'],
      ['physical_disability', 'physicalDisabilityOrDisorder'],
      ['health_affects_evidence', 'evidenceLikelyAffected'],
      ['fear_testifying', 'fearOrDistressAboutTestifying'],
      ['targeted_before', 'persistentlyTargeted'],
      ['domestic_abuse', 'domesticAbuse'],
    ];
    for (const [answer, evidence] of pairs) {
      const result = entitlementEvidence({ [answer]: 'yes' });
      assert.equal(result[evidence], true, answer);
      assert.equal(Object.values(result).filter((value) => value === true).length, 1, answer);
      assert.equal(entitlementEvidence({ [answer]: 'no' })[evidence], false, answer);
    }
  });
  it('passes on the victim’s own view of enhanced support', () => {
    assert.equal(entitlementEvidence({ wants_enhanced_support: 'yes' }).victimWantsEnhancedSupport, 'yes');
    assert.equal(entitlementEvidence({ wants_enhanced_support: 'no' }).victimWantsEnhancedSupport, 'no');
    assert.equal(entitlementEvidence({ wants_enhanced_support: 'not_asked' }).victimWantsEnhancedSupport, 'not_asked');
  });
});
