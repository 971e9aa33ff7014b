// The pure rules for cases: status changes, closing reasons, and checking a crime.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CASE_STATUSES, canMoveCase, checkCrime, checkStatusChange, normaliseCrimeReference } from './rules.ts';

describe('case status', () => {
  it('allows only the forward moves, and reopening a closed case', () => {
    const allowed = CASE_STATUSES.flatMap((from) => CASE_STATUSES.filter((to) => canMoveCase(from, to)).map((to) => `${from}->${to}`));
    assert.deepEqual(allowed, ['new->contacted', 'new->active', 'new->closed', 'contacted->active', 'contacted->closed', 'active->closed', 'closed->active']);
  });
  it('needs a reason to close, and drops it otherwise', () => {
    assert.deepEqual(checkStatusChange('active', 'closed', '  '), { errors: { reason: 'Enter why the case is being closed' } });
    assert.deepEqual(checkStatusChange('active', 'closed', ' Moved away '), { value: { status: 'closed', closedReason: 'Moved away' } });
    assert.deepEqual(checkStatusChange('closed', 'active', 'ignored'), { value: { status: 'active', closedReason: null } });
  });
  it('refuses unknown, unchanged and backward statuses', () => {
    assert.ok('errors' in checkStatusChange('new', 'lost', undefined));
    assert.ok('errors' in checkStatusChange('new', 'new', undefined));
    assert.ok('errors' in checkStatusChange('active', 'new', undefined));
    assert.ok('errors' in checkStatusChange('closed', 'contacted', undefined));
  });
});

describe('checkCrime', () => {
  const base = { areaId: 'a', crimeReference: ' ab/123/26 ', offenceCode: '105/01', offenceCategory: 'Violence against the person' };
  it('normalises the crime reference', () => {
    assert.equal(normaliseCrimeReference(' ab  12 '), 'AB 12');
    const checked = checkCrime(base, '2026-06-01');
    assert.ok('value' in checked);
    assert.equal(checked.value.crimeReference, 'AB/123/26');
  });
  it('refuses future, unreal and reversed offence dates', () => {
    const future = checkCrime({ ...base, committedFrom: '2026-06-02' }, '2026-06-01');
    assert.ok('errors' in future && future.errors.committedFrom);
    const unreal = checkCrime({ ...base, committedTo: '2026-02-30' }, '2026-06-01');
    assert.ok('errors' in unreal && unreal.errors.committedTo);
    const reversed = checkCrime({ ...base, committedFrom: '2026-05-02', committedTo: '2026-05-01' }, '2026-06-01');
    assert.ok('errors' in reversed && reversed.errors.committedTo);
  });
  it('needs a reference, an offence code and a category', () => {
    const checked = checkCrime({ areaId: 'a', crimeReference: '', offenceCode: '', offenceCategory: '' }, '2026-06-01');
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['crimeReference', 'offenceCategory', 'offenceCode']);
  });
});
