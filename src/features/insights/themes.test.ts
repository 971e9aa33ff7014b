// The comment themes: what each keyword finds, word starts only, several themes at once, and a name for every theme.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FEEDBACK_THEMES, FEEDBACK_THEME_NAMES, themesOf } from './themes.ts';

describe('themesOf', () => {
  it('finds nothing in an empty, missing or unrelated comment', () => {
    assert.deepEqual(themesOf(null), []);
    assert.deepEqual(themesOf(undefined), []);
    assert.deepEqual(themesOf(''), []);
    assert.deepEqual(themesOf('Thank you.'), []);
  });

  it('finds each theme from its words', () => {
    assert.deepEqual(themesOf('Nobody kept me informed about the case'), ['kept_informed']);
    assert.deepEqual(themesOf('I waited three weeks'), ['waiting']);
    assert.deepEqual(themesOf('The officer was rude'), ['staff_attitude']);
    assert.deepEqual(themesOf('My counsellor was brilliant'), ['support_quality']);
    assert.deepEqual(themesOf('The trial was adjourned twice'), ['court']);
    assert.deepEqual(themesOf('I still feel scared at home'), ['safety']);
    assert.deepEqual(themesOf('It was scary'), ['safety']);
    assert.deepEqual(themesOf('There was no interpreter'), ['accessibility']);
  });

  it('gives several themes in their fixed order, each once', () => {
    assert.deepEqual(themesOf('Court was frightening and I waited all day with no update, waiting and waiting'), ['kept_informed', 'waiting', 'court', 'safety']);
  });

  it('matches the start of a word only, whatever the case, accents or apostrophes', () => {
    assert.deepEqual(themesOf('I had to await nothing'), [], '"await" is not waiting');
    assert.deepEqual(themesOf('They were UNHELPFUL'), ['staff_attitude'], '"unhelpful" is not "help"');
    assert.deepEqual(themesOf('SAFE now'), ['safety']);
    assert.deepEqual(themesOf('The interprète came'), ['accessibility']);
    assert.deepEqual(themesOf('They didn’t update me'), ['kept_informed']);
  });

  it('names every theme plainly', () => {
    for (const theme of FEEDBACK_THEMES) assert.ok(FEEDBACK_THEME_NAMES[theme].length > 0, theme);
    assert.equal(Object.keys(FEEDBACK_THEME_NAMES).length, FEEDBACK_THEMES.length);
  });
});
