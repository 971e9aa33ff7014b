// The case facts matching reads: the victim's language named in words mapped to the directory's codes, so a Welsh
// speaker fits a service offering 'cy'; and the age, domestic abuse, risk, needs and language gathered from the record.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsForMatching, languageCodeOf, languageOf, matchServices, type CaseRecordForMatching, type MatchableService } from './rules.ts';

const record = (overrides: Partial<CaseRecordForMatching> = {}): CaseRecordForMatching => ({
  areaId: 'area-1',
  dateOfBirth: '1980-06-15',
  today: '2026-03-01',
  offenceGroup: 'Residential burglary',
  referralIndicators: [],
  preferredLanguage: 'en',
  assessment: null,
  enhanced: false,
  ...overrides,
});

const service = (overrides: Partial<MatchableService>): MatchableService => ({
  id: 'service',
  name: 'Service',
  areaId: 'area-1',
  specialism: 'general',
  offenceGroups: [],
  ageBands: [],
  genders: [],
  enhancedOnly: false,
  referralRoutes: ['coordinator'],
  languages: ['en'],
  accessibility: [],
  capacity: 3,
  waitDays: 0,
  active: true,
  ...overrides,
});

describe('the victim’s language for matching', () => {
  it('maps names in English or Welsh, endonyms and codes to the directory’s codes, whatever the case, accents or spacing', () => {
    const cases: [string, string | null][] = [
      ['Welsh', 'cy'],
      ['welsh ', 'cy'],
      ['Cymraeg', 'cy'],
      ['cy', 'cy'],
      ['Polish', 'pl'],
      ['Polski', 'pl'],
      ['Pwyleg', 'pl'],
      ['Română', 'ro'],
      ['Português', 'pt'],
      ['Portugues', 'pt'],
      ['Panjabi', 'pa'],
      ['Mandarin', 'zh'],
      ['Lietuvių', 'lt'],
      ['Welsh (Cymraeg)', 'cy'],
      ['Polish / Polski', 'pl'],
      ['English', 'en'],
      ['en', 'en'],
      ['Tigrinya', null],
      ['', null],
    ];
    for (const [named, code] of cases) assert.equal(languageCodeOf(named), code, named);
    assert.equal(languageCodeOf(null), null);
  });

  it('gives matching the code and the name to show; nothing for English; a language the directory does not list as written', () => {
    assert.deepEqual(languageOf('welsh'), { language: 'cy', languageName: 'Welsh' });
    assert.deepEqual(languageOf('Polski'), { language: 'pl', languageName: 'Polish' });
    assert.equal(languageOf('English'), null);
    assert.equal(languageOf('  '), null);
    assert.equal(languageOf(undefined), null);
    assert.deepEqual(languageOf(' Tigrinya '), { language: 'Tigrinya', languageName: 'Tigrinya' });
  });

  it('lets a Welsh speaker fit a service offering cy, and names the language in words where a service lacks it', () => {
    const facts = factsForMatching(record({ assessment: { answers: { language: 'Welsh' }, dashLevel: null } }));
    const welsh = service({ id: 'w', name: 'Zzz Cymraeg', languages: ['cy', 'en'], waitDays: 5 });
    const english = service({ id: 'e', name: 'Aaa English only' });
    const { matches } = matchServices(facts, [english, welsh]);
    assert.deepEqual(
      matches.map((match) => match.service.name),
      ['Zzz Cymraeg', 'Aaa English only'],
    );
    assert.deepEqual(matches[0]?.cautions, []);
    assert.deepEqual(matches[1]?.cautions, ['Does not list Welsh: an interpreter may be needed']);
  });
});

describe('the case facts matching reads', () => {
  it('counts the age from the date of birth on today’s date', () => {
    assert.equal(factsForMatching(record({ dateOfBirth: '2012-03-02', today: '2026-03-01' })).age, 13);
    assert.equal(factsForMatching(record({ dateOfBirth: '2012-03-01', today: '2026-03-01' })).age, 14);
  });

  it('takes the age the victim gave, or under 18, when there is no date of birth', () => {
    const answers = (given: Record<string, string | number>) => record({ dateOfBirth: null, assessment: { answers: given, dashLevel: null } });
    assert.equal(factsForMatching(answers({ age: 81 })).age, 81);
    assert.equal(factsForMatching(answers({ under_18: 'yes' })).age, 17);
    assert.equal(factsForMatching(answers({ under_18: 'no' })).age, null);
    assert.equal(factsForMatching(record({ dateOfBirth: null })).age, null);
  });

  it('reads domestic abuse from the referral or the assessment, and high risk only from a high DASH result', () => {
    assert.equal(factsForMatching(record({ referralIndicators: ['domesticAbuse'] })).domesticAbuse, true);
    const told = factsForMatching(record({ assessment: { answers: { domestic_abuse: 'yes' }, dashLevel: 'standard' } }));
    assert.deepEqual([told.domesticAbuse, told.highRiskDomesticAbuse], [true, false]);
    const high = factsForMatching(record({ assessment: { answers: { domestic_abuse: 'yes' }, dashLevel: 'high' } }));
    assert.deepEqual([high.domesticAbuse, high.highRiskDomesticAbuse], [true, true]);
    const none = factsForMatching(record());
    assert.deepEqual([none.domesticAbuse, none.highRiskDomesticAbuse], [false, false]);
  });

  it('reads needs, access needs and language from the assessment, the language falling back to the referral’s', () => {
    const facts = factsForMatching(
      record({ enhanced: true, preferredLanguage: 'Polish', assessment: { answers: { home_security: 'yes', coping: 'struggling', bsl: 'yes', language: 'Cymraeg' }, dashLevel: null } }),
    );
    assert.deepEqual(facts.needs, ['practical', 'emotional']);
    assert.deepEqual(facts.accessNeeds, ['bsl']);
    assert.deepEqual([facts.language, facts.languageName], ['cy', 'Welsh']);
    assert.equal(facts.enhanced, true);
    assert.equal(facts.route, 'coordinator');
    assert.equal(facts.gender, null);
    const beforeAssessment = factsForMatching(record({ preferredLanguage: 'Polish' }));
    assert.deepEqual([beforeAssessment.language, beforeAssessment.needs], ['pl', []]);
    assert.equal(factsForMatching(record({ preferredLanguage: 'en' })).language, null);
  });
});
