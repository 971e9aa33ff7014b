// Scoring rules for matching people: exact, strong, possible and no match, and the repeat-victim window.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRecords, decideMatch, givenNamesAgree, isRepeatVictim, repeatVictimWindowStart, scoreCandidate, type MatchCandidate, type MatchSubject } from './rules.ts';

const subject: MatchSubject = {
  givenName: 'jonathan',
  familyName: 'smith',
  matchName: 'jonathan smith',
  dateOfBirth: '1990-07-04',
  phone: '+447700900123',
  email: null,
  postcode: null,
};

const candidate = (overrides: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id: 'p1',
  givenName: 'jonathan',
  familyName: 'smith',
  matchName: 'jonathan smith',
  dateOfBirth: null,
  phone: null,
  email: null,
  postcode: null,
  nameSimilarity: 1,
  familyNameSoundsAlike: true,
  givenNameSoundsAlike: true,
  onSameCrime: false,
  sameSourceReference: false,
  ...overrides,
});

describe('scoreCandidate', () => {
  it('is exact for the same sender reference, or the same crime and the same name', () => {
    assert.equal(scoreCandidate(subject, candidate({ sameSourceReference: true, matchName: 'someone else', givenName: 'x', familyName: 'y' })).level, 'exact');
    assert.equal(scoreCandidate(subject, candidate({ onSameCrime: true })).level, 'exact');
    assert.notEqual(scoreCandidate(subject, candidate({ onSameCrime: true, matchName: 'jane smith', givenName: 'jane', nameSimilarity: 0.4 })).level, 'exact');
  });

  it('is strong for the same full name and date of birth, or a shared phone or email with a name', () => {
    assert.equal(scoreCandidate(subject, candidate({ dateOfBirth: '1990-07-04' })).level, 'strong');
    const byPhone = scoreCandidate(subject, candidate({ phone: '+447700900123', givenName: 'jon', matchName: 'jon smith', nameSimilarity: 0.5 }));
    assert.equal(byPhone.level, 'strong');
    assert.deepEqual(byPhone.reasons, ['family_name', 'similar_name', 'phone']);
  });

  it('is not strong when both records give different dates of birth', () => {
    const sibling = scoreCandidate(subject, candidate({ phone: '+447700900123', dateOfBirth: '1992-01-01', givenName: 'jon', matchName: 'jon smith', nameSimilarity: 0.5 }));
    assert.equal(sibling.level, 'possible');
  });

  it('is possible for a similar-sounding name with another matching field (journey 3)', () => {
    const jon = candidate({ givenName: 'jon', familyName: 'smyth', matchName: 'jon smyth', nameSimilarity: 0.3, givenNameSoundsAlike: false, dateOfBirth: '1990-07-04', phone: '+447700900123' });
    const score = scoreCandidate(subject, jon);
    assert.equal(score.level, 'possible');
    assert.deepEqual(score.reasons, ['similar_name', 'date_of_birth', 'phone']);
    assert.ok(score.score > 0.5 && score.score < 0.9);
  });

  it('is no match for a similar name alone, or another field alone', () => {
    assert.equal(scoreCandidate(subject, candidate({ givenName: 'jon', familyName: 'smyth', matchName: 'jon smyth', nameSimilarity: 0.3 })).level, 'none');
    assert.equal(
      scoreCandidate(subject, candidate({ givenName: 'amir', familyName: 'khan', matchName: 'amir khan', nameSimilarity: 0, familyNameSoundsAlike: false, givenNameSoundsAlike: false, dateOfBirth: '1990-07-04' })).level,
      'none',
    );
  });
});

describe('decideMatch', () => {
  it('links the best certain match, queues up to three possible ones, or finds none', () => {
    assert.deepEqual(decideMatch(subject, []), { kind: 'none' });
    const certain = decideMatch(subject, [candidate({ id: 'a', dateOfBirth: '1990-07-04' }), candidate({ id: 'b', onSameCrime: true })]);
    assert.equal(certain.kind, 'certain');
    assert.equal(certain.kind === 'certain' && certain.personId, 'b');
    const fuzzy = { givenName: 'jon', familyName: 'smyth', matchName: 'jon smyth', nameSimilarity: 0.3, dateOfBirth: '1990-07-04' };
    const possible = decideMatch(subject, ['a', 'b', 'c', 'd'].map((id) => candidate({ id, ...fuzzy })));
    assert.equal(possible.kind, 'possible');
    assert.equal(possible.kind === 'possible' && possible.candidates.length, 3);
  });
});

describe('givenNamesAgree', () => {
  it('takes a shortened given name as agreeing', () => {
    assert.equal(givenNamesAgree('jon', 'jonathan'), true);
    assert.equal(givenNamesAgree('al', 'alan'), false);
    assert.equal(givenNamesAgree('sam', 'tom'), false);
  });
});

describe('repeat victims', () => {
  it('flags two or more cases in the 12 months before now', () => {
    assert.equal(isRepeatVictim(1), false);
    assert.equal(isRepeatVictim(2), true);
    assert.equal(repeatVictimWindowStart(new Date('2026-03-15T10:00:00Z')).toISOString(), '2025-03-15T10:00:00.000Z');
  });
});

describe('compareRecords', () => {
  it('says which details agree', () => {
    const rows = compareRecords(
      { givenName: 'Jon', familyName: 'Smyth', dateOfBirth: '1990-07-04', phone: '+447700900123', email: null, postcode: null, town: null },
      { givenName: 'JON', familyName: 'Smith', dateOfBirth: '1990-07-04', phone: null, email: null, postcode: null, town: null },
      (name) => name.toLowerCase(),
    );
    assert.deepEqual(rows.map((row) => row.same), [true, false, true, false, false, false, false]);
  });
});
