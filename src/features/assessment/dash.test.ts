// DASH: the 24 questions, scoring, the threshold from config, and the professional-judgement override.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DASH_QUESTIONS, DEFAULT_DASH_CONFIG, checkDash, dashStarted, scoreDash, type DashAnswer } from './dash.ts';

/** A complete checklist with `yes` answers to the first n questions, "not known" to the next and "no" to the rest. */
function checklist(yes: number, notKnown = 0): Record<string, string> {
  return Object.fromEntries(DASH_QUESTIONS.map((question, index) => [question.id, index < yes ? 'yes' : index < yes + notKnown ? 'not_known' : 'no']));
}

describe('DASH checklist', () => {
  it('has the 24 SafeLives questions in order', () => {
    assert.equal(DASH_QUESTIONS.length, 24);
    assert.equal(new Set(DASH_QUESTIONS.map((question) => question.id)).size, 24);
    assert.match(DASH_QUESTIONS[0]!.text, /injury/);
    assert.match(DASH_QUESTIONS[14]!.text, /strangle, choke, suffocate or drown/);
    assert.match(DASH_QUESTIONS[23]!.text, /trouble with the police/);
  });

  it('scores the number of yes answers; not known counts as no', () => {
    const answers = checklist(5, 10) as Record<string, DashAnswer>;
    assert.deepEqual(scoreDash(answers, DEFAULT_DASH_CONFIG), { score: 5, scoreLevel: 'standard' });
  });

  it('reads 14 or more as high risk by default, and uses the configured threshold', () => {
    const at13 = checkDash(checklist(13), DEFAULT_DASH_CONFIG);
    const at14 = checkDash(checklist(14), DEFAULT_DASH_CONFIG);
    assert.ok('value' in at13 && 'value' in at14);
    assert.equal(at13.value.level, 'standard');
    assert.equal(at14.value.level, 'high');
    assert.equal(at14.value.threshold, 14);
    const strict = checkDash(checklist(10), { highRiskThreshold: 10 });
    assert.ok('value' in strict);
    assert.deepEqual([strict.value.score, strict.value.scoreLevel, strict.value.threshold], [10, 'high', 10]);
  });

  it('needs an answer to every question', () => {
    const form = checklist(3);
    delete form.dash_7;
    form.dash_9 = 'maybe';
    const checked = checkDash(form, DEFAULT_DASH_CONFIG);
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['dash_7', 'dash_9']);
    assert.match(checked.errors.dash_7!, /question 7/);
  });

  it('lets professional judgement raise the level to high with a reason, and keeps the score level', () => {
    const checked = checkDash({ ...checklist(4), dashOverride: 'high', dashOverrideReason: ' Tried to strangle her last week ' }, DEFAULT_DASH_CONFIG);
    assert.ok('value' in checked);
    assert.deepEqual(
      { score: checked.value.score, scoreLevel: checked.value.scoreLevel, level: checked.value.level, reason: checked.value.overrideReason },
      { score: 4, scoreLevel: 'standard', level: 'high', reason: 'Tried to strangle her last week' },
    );
  });

  it('refuses an override without a reason, a reason without the override, and an unknown level', () => {
    const noReason = checkDash({ ...checklist(4), dashOverride: 'high' }, DEFAULT_DASH_CONFIG);
    assert.ok('errors' in noReason && noReason.errors.dashOverrideReason);
    const noOverride = checkDash({ ...checklist(4), dashOverrideReason: 'Stalking' }, DEFAULT_DASH_CONFIG);
    assert.ok('errors' in noOverride && noOverride.errors.dashOverrideReason);
    const lower = checkDash({ ...checklist(20), dashOverride: 'standard', dashOverrideReason: 'Seems fine' }, DEFAULT_DASH_CONFIG);
    assert.ok('errors' in lower && lower.errors.dashOverride);
  });

  it('tells whether any of the checklist was filled in', () => {
    assert.equal(dashStarted({ feels_safe: 'yes' }), false);
    assert.equal(dashStarted({ dash_3: 'no' }), true);
    assert.equal(dashStarted({ dashOverrideReason: 'x' }), true);
  });
});
