// The equality questions' rules: every question optional, only the answers offered accepted, and a change named by
// its fields alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerText, changedFields, checkEqualityAnswers, QUESTIONS } from './rules.ts';

describe('equality monitoring rules', () => {
  it('offers the ONS 2021 high-level ethnic groups and prefer not to say for each question', () => {
    assert.deepEqual(QUESTIONS.map((question) => question.field), ['sex', 'ethnicGroup', 'disabled']);
    assert.deepEqual(QUESTIONS[1].answers.map((answer) => answer.value), ['asian', 'black', 'mixed', 'white', 'other', 'not_stated']);
    for (const question of QUESTIONS) assert.equal(question.answers.at(-1)?.text, 'Prefer not to say');
  });

  it('leaves an unanswered question as not asked, and accepts the answers offered', () => {
    assert.deepEqual(checkEqualityAnswers({}), { value: { sex: null, ethnicGroup: null, disabled: null } });
    assert.deepEqual(checkEqualityAnswers({ sex: 'other', ethnicGroup: '', disabled: 'not_stated' }), { value: { sex: 'other', ethnicGroup: null, disabled: 'not_stated' } });
  });

  it('refuses a value not offered, or sent twice, naming each question', () => {
    const checked = checkEqualityAnswers({ sex: 'F', ethnicGroup: ['white', 'black'], disabled: 'yes' });
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors), ['sex', 'ethnicGroup']);
  });

  it('names the fields that changed, never their values', () => {
    assert.deepEqual(changedFields({ sex: null, ethnicGroup: 'white', disabled: 'no' }, { sex: 'male', ethnicGroup: 'white', disabled: null }), ['sex', 'disabled']);
    assert.deepEqual(changedFields({ sex: 'male', ethnicGroup: null, disabled: null }, { sex: 'male', ethnicGroup: null, disabled: null }), []);
  });

  it('shows an answer by its plain name', () => {
    assert.equal(answerText('disabled', 'yes'), 'Yes');
    assert.equal(answerText('ethnicGroup', 'mixed'), 'Mixed or Multiple ethnic groups');
    assert.equal(answerText('sex', null), 'Not answered');
  });
});
