import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cy, en, translate } from './catalogue.ts';

describe('English and Welsh catalogue', () => {
  it('has a Welsh text for every English key', () => {
    const missing = Object.keys(en).filter((key) => !(key in cy));
    assert.deepEqual(missing, []);
  });

  it('translates, fills values, and falls back to English then to the key', () => {
    assert.equal(translate('cy', 'layout.footer.cookies'), 'Cwcis');
    assert.equal(translate('en', 'layout.footer.cookies'), 'Cookies');
    assert.equal(translate('cy', 'no.such.key'), 'no.such.key');
  });
});
