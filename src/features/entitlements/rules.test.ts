// Every enhanced-rights category and every automatic route in victims-code.md, each with the facts that must not give
// it, plus the checks on what a coordinator types.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BEREAVED_RELATIONSHIPS,
  CLOSE_RELATIONSHIPS,
  ROUTES,
  ageOn,
  checkAddition,
  checkVictimView,
  checkWithdrawal,
  decideEntitlementsFor,
  evidenceKey,
  factsFromCase,
  victimViewFromAssessment,
  type AssessmentEvidence,
  type EntitlementFacts,
} from './rules.ts';

const noIndicators = { domesticAbuse: false, hateCrime: false, sexualOffence: false, terrorism: false, humanTrafficking: false };
const burglary = { code: '28E', category: 'Theft offences', group: 'Residential burglary' };
const noAssessment: AssessmentEvidence = {
  mentalDisorder: false,
  impairedIntelligenceAndSocialFunctioning: false,
  physicalDisabilityOrDisorder: false,
  evidenceLikelyAffected: false,
  fearOrDistressAboutTestifying: false,
  persistentlyTargeted: false,
  domesticAbuse: false,
  victimWantsEnhancedSupport: 'not_asked',
};

/** An adult victim of a residential burglary, on their first case: not enhanced. */
function facts(change: Partial<EntitlementFacts> = {}): EntitlementFacts {
  return {
    role: 'victim',
    relationship: null,
    offence: burglary,
    indicators: noIndicators,
    dateOfBirth: '1980-05-01',
    offenceDate: '2026-03-01',
    history: { casesInLast12Months: 1, anyHarassmentOrStalking: false },
    assessment: null,
    ...change,
  };
}
const offence = (code: string, category = 'Violence against the person', group: string | null = null) => ({ code, category, group });
const rulesOf = (input: EntitlementFacts) => decideEntitlementsFor(input).map((found) => found.rule);
const categoriesOf = (input: EntitlementFacts) => [...new Set(decideEntitlementsFor(input).map((found) => found.category))];
const one = (input: EntitlementFacts, rule: string) => {
  const found = decideEntitlementsFor(input).find((item) => item.rule === rule);
  assert.ok(found, `${rule} should match`);
  return found;
};

describe('not enhanced', () => {
  it('an adult burglary victim on their first case has no category', () => {
    assert.deepEqual(decideEntitlementsFor(facts()), []);
  });
  it('an empty assessment, a self-referral with nothing flagged, or a robbery give nothing', () => {
    assert.deepEqual(decideEntitlementsFor(facts({ assessment: noAssessment })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ offence: null, offenceDate: null })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ offence: offence('34B', 'Robbery', 'Robbery') })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ offence: offence('8N', 'Violence against the person', 'Violence with injury') })), []);
  });
  it('every route has a stable, unique id under its own category', () => {
    const ids = ROUTES.map((route) => route.rule);
    assert.equal(new Set(ids).size, ids.length);
    for (const route of ROUTES) assert.ok(route.rule.startsWith(`${route.category}.`), route.rule);
  });
});

describe('most serious crime', () => {
  it('domestic abuse from the referral, the assessment, or coercive control', () => {
    assert.deepEqual(one(facts({ indicators: { ...noIndicators, domesticAbuse: true } }), 'most_serious.domestic_abuse').evidence, { 'indicators.domesticAbuse': true });
    assert.deepEqual(one(facts({ assessment: { ...noAssessment, domesticAbuse: true } }), 'most_serious.domestic_abuse').evidence, { 'assessment.domesticAbuse': true });
    assert.equal(one(facts({ offence: offence('8U') }), 'most_serious.domestic_abuse').evidence['offence.code'], '8U');
    // Journey 2: a self-referral with no crime, marked as domestic abuse, is enhanced.
    const selfReferral = facts({ offence: null, offenceDate: null, indicators: { ...noIndicators, domesticAbuse: true } });
    assert.ok(categoriesOf(selfReferral).includes('most_serious'));
  });
  it('hate crime from the referral or an aggravated offence', () => {
    one(facts({ indicators: { ...noIndicators, hateCrime: true } }), 'most_serious.hate_crime');
    for (const code of ['8P', '105B', '8M', '58E', '58J', '9B', '8F']) one(facts({ offence: offence(code) }), 'most_serious.hate_crime');
    assert.ok(!rulesOf(facts({ offence: offence('105A') })).includes('most_serious.hate_crime'));
  });
  it('terrorism from the referral', () => {
    const found = one(facts({ indicators: { ...noIndicators, terrorism: true } }), 'most_serious.terrorism');
    assert.equal(found.category, 'most_serious');
    assert.match(found.reason, /terrorism/);
  });
  it('sexual offences by category or flag', () => {
    one(facts({ offence: offence('19C', 'Sexual offences', 'Rape') }), 'most_serious.sexual_offence');
    one(facts({ indicators: { ...noIndicators, sexualOffence: true } }), 'most_serious.sexual_offence');
  });
  it('human trafficking by flag or modern slavery offence', () => {
    one(facts({ indicators: { ...noIndicators, humanTrafficking: true } }), 'most_serious.human_trafficking');
    one(facts({ offence: offence('106') }), 'most_serious.human_trafficking');
  });
  it('attempted murder, kidnap or false imprisonment, arson endangering life, wounding with intent', () => {
    const cases: [string, string][] = [
      ['2', 'most_serious.attempted_murder'],
      ['36', 'most_serious.kidnap_or_false_imprisonment'],
      ['56A', 'most_serious.arson_endangering_life'],
      ['5D', 'most_serious.wounding_with_intent'],
    ];
    for (const [code, rule] of cases) {
      assert.deepEqual(rulesOf(facts({ offence: offence(code) })), [rule], code);
      // The code is read as intake stores it, whatever the case or spacing.
      assert.deepEqual(rulesOf(facts({ offence: offence(` ${code.toLowerCase()} `) })), [rule], code);
    }
    assert.deepEqual(rulesOf(facts({ offence: offence('56B') })), [], 'arson not endangering life is not listed');
    assert.deepEqual(rulesOf(facts({ offence: offence('3B') })), [], 'threats to kill is not listed');
  });
  it('bereaved close relatives automatically; other relatives at discretion', () => {
    for (const relationship of CLOSE_RELATIONSHIPS) {
      const found = one(facts({ role: 'bereaved_relative', relationship, offence: offence('1', 'Violence against the person', 'Homicide') }), 'most_serious.bereaved_close_relative');
      assert.equal(found.evidence.relationship, relationship);
    }
    assert.deepEqual(BEREAVED_RELATIONSHIPS.filter((relationship) => !CLOSE_RELATIONSHIPS.includes(relationship)), ['other']);
    assert.deepEqual(decideEntitlementsFor(facts({ role: 'bereaved_relative', relationship: 'other', offence: offence('1') })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ role: 'bereaved_relative', relationship: null, offence: offence('1') })), []);
    // The relationship means nothing for a victim.
    assert.deepEqual(decideEntitlementsFor(facts({ relationship: 'parent' })), []);
  });
  it('a witness to a most serious crime is not its victim', () => {
    assert.deepEqual(decideEntitlementsFor(facts({ role: 'witness', offence: offence('5D') })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ role: 'witness', indicators: { ...noIndicators, domesticAbuse: true } })), []);
  });
});

describe('persistently targeted', () => {
  it('harassment, stalking or coercive control as the offence, or in the history', () => {
    for (const code of ['8L', '8M', '8Q', '8U']) one(facts({ offence: offence(code, 'Violence against the person', 'Stalking and harassment') }), 'persistently_targeted.harassment_or_stalking');
    const history = one(facts({ history: { casesInLast12Months: 1, anyHarassmentOrStalking: true } }), 'persistently_targeted.harassment_or_stalking');
    assert.deepEqual(history.evidence, { 'history.anyHarassmentOrStalking': true });
  });
  it('more than one case in 12 months', () => {
    assert.deepEqual(one(facts({ history: { casesInLast12Months: 2, anyHarassmentOrStalking: false } }), 'persistently_targeted.repeat_victim').evidence, {
      'history.casesInLast12Months': 2,
    });
    assert.deepEqual(decideEntitlementsFor(facts({ history: { casesInLast12Months: 1, anyHarassmentOrStalking: false } })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ history: { casesInLast12Months: 0, anyHarassmentOrStalking: false } })), []);
  });
  it('the assessment found it', () => {
    one(facts({ assessment: { ...noAssessment, persistentlyTargeted: true } }), 'persistently_targeted.assessment');
  });
  it('not for a witness or a bereaved relative', () => {
    assert.deepEqual(decideEntitlementsFor(facts({ role: 'witness', history: { casesInLast12Months: 4, anyHarassmentOrStalking: true } })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ role: 'bereaved_relative', relationship: 'other', history: { casesInLast12Months: 4, anyHarassmentOrStalking: false } })), []);
  });
});

describe('vulnerable', () => {
  it('under 18 at the time of the offence (journey 9: a 14-year-old is assaulted)', () => {
    const child = one(facts({ dateOfBirth: '2011-09-10', offenceDate: '2026-03-01', offence: offence('105A') }), 'vulnerable.under_18');
    assert.deepEqual(child.evidence, { ageAtOffence: 14, offenceDate: '2026-03-01' });
    assert.deepEqual(categoriesOf(facts({ dateOfBirth: '2011-09-10', offence: offence('105A') })), ['vulnerable']);
    // The day before the 18th birthday is still under 18; the birthday itself is not.
    one(facts({ dateOfBirth: '2008-03-02', offenceDate: '2026-03-01' }), 'vulnerable.under_18');
    assert.deepEqual(decideEntitlementsFor(facts({ dateOfBirth: '2008-03-01', offenceDate: '2026-03-01' })), []);
    // Witnesses and bereaved relatives too.
    one(facts({ role: 'witness', dateOfBirth: '2012-01-01' }), 'vulnerable.under_18');
  });
  it('no age rule when the date of birth or the offence date is unknown or unreal', () => {
    assert.deepEqual(decideEntitlementsFor(facts({ dateOfBirth: null })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ dateOfBirth: '2015-01-01', offenceDate: null })), []);
    assert.deepEqual(decideEntitlementsFor(facts({ dateOfBirth: '2015-02-30' })), []);
    assert.equal(ageOn('2030-01-01', '2026-01-01'), null);
    assert.equal(ageOn('2008-02-29', '2026-02-28'), 17);
    assert.equal(ageOn('2008-02-29', '2026-03-01'), 18);
  });
  it('a parent acting for a child victim', () => {
    assert.deepEqual(rulesOf(facts({ role: 'parent_of_child_victim', offence: offence('105A') })), ['vulnerable.parent_of_child_victim']);
  });
  it('a mental disorder, impaired intelligence and social functioning, or a physical disability, only when evidence is likely affected', () => {
    const routes: [keyof AssessmentEvidence, string][] = [
      ['mentalDisorder', 'vulnerable.mental_disorder'],
      ['impairedIntelligenceAndSocialFunctioning', 'vulnerable.impaired_intelligence'],
      ['physicalDisabilityOrDisorder', 'vulnerable.physical_disability'],
    ];
    for (const [condition, rule] of routes) {
      const found = one(facts({ assessment: { ...noAssessment, [condition]: true, evidenceLikelyAffected: true } }), rule);
      assert.deepEqual(found.evidence, { [`assessment.${condition}`]: true, 'assessment.evidenceLikelyAffected': true });
      assert.deepEqual(decideEntitlementsFor(facts({ assessment: { ...noAssessment, [condition]: true } })), [], `${condition} alone`);
    }
    assert.deepEqual(decideEntitlementsFor(facts({ assessment: { ...noAssessment, evidenceLikelyAffected: true } })), []);
  });
});

describe('intimidated', () => {
  it('fear or distress about testifying', () => {
    assert.deepEqual(rulesOf(facts({ assessment: { ...noAssessment, fearOrDistressAboutTestifying: true } })), ['intimidated.fear_or_distress']);
    one(facts({ role: 'witness', assessment: { ...noAssessment, fearOrDistressAboutTestifying: true } }), 'intimidated.fear_or_distress');
  });
  it('complainants of sexual offences, automatically', () => {
    const rape = facts({ offence: offence('19C', 'Sexual offences', 'Rape') });
    assert.deepEqual(rulesOf(rape), ['most_serious.sexual_offence', 'intimidated.sexual_offence_complainant']);
    one(facts({ indicators: { ...noIndicators, sexualOffence: true } }), 'intimidated.sexual_offence_complainant');
    one(facts({ role: 'parent_of_child_victim', offence: offence('19E', 'Sexual offences', 'Rape') }), 'intimidated.sexual_offence_complainant');
    assert.deepEqual(rulesOf(facts({ role: 'witness', offence: offence('19C', 'Sexual offences', 'Rape') })), []);
  });
  it('complainants of trafficking, automatically', () => {
    one(facts({ indicators: { ...noIndicators, humanTrafficking: true } }), 'intimidated.trafficking_complainant');
    one(facts({ offence: offence('106') }), 'intimidated.trafficking_complainant');
  });
  it('complainants of domestic abuse (YJCEA s17)', () => {
    one(facts({ indicators: { ...noIndicators, domesticAbuse: true } }), 'intimidated.domestic_abuse_complainant');
  });
  it('witnesses in firearm and knife offences, and not their victims through this route', () => {
    for (const code of ['10A', '10D']) one(facts({ role: 'witness', offence: offence(code, 'Possession of weapons offences') }), 'intimidated.weapons_offence_witness');
    assert.deepEqual(decideEntitlementsFor(facts({ offence: offence('10D', 'Possession of weapons offences') })), []);
  });
});

describe('several categories at once', () => {
  it('a 15-year-old stalked by a former partner, afraid to testify', () => {
    const found = facts({
      dateOfBirth: '2010-06-01',
      offence: offence('8Q', 'Violence against the person', 'Stalking and harassment'),
      indicators: { ...noIndicators, domesticAbuse: true },
      assessment: { ...noAssessment, fearOrDistressAboutTestifying: true, victimWantsEnhancedSupport: 'yes' },
    });
    assert.deepEqual(categoriesOf(found), ['most_serious', 'persistently_targeted', 'vulnerable', 'intimidated']);
    for (const item of decideEntitlementsFor(found)) assert.ok(item.reason.length > 10);
  });
});

describe('what a coordinator types', () => {
  it('adding needs a category and a reason', () => {
    assert.deepEqual(checkAddition({ category: 'vulnerable', reason: '  ' }), { errors: { reason: 'Enter why the victim is in this category' } });
    assert.deepEqual(checkAddition({ category: 'nope', reason: 'x' }), { errors: { category: 'Select a category' } });
    assert.ok('errors' in checkAddition({ category: 'vulnerable', reason: 'x'.repeat(1001) }));
    assert.deepEqual(checkAddition({ category: 'intimidated', reason: ' Threats from the family ', victimView: '' }), {
      value: { category: 'intimidated', reason: 'Threats from the family', victimView: null },
    });
  });
  it('withdrawing needs a reason, and a view must say something', () => {
    assert.ok('errors' in checkWithdrawal({ reason: '' }));
    assert.deepEqual(checkWithdrawal({ reason: ' Wrong offence code ' }), { value: { reason: 'Wrong offence code' } });
    assert.ok('errors' in checkVictimView({ victimView: ' ' }));
    assert.deepEqual(checkVictimView({ victimView: 'Happy with it' }), { value: { victimView: 'Happy with it' } });
  });
  it('reads the victim’s own view from the assessment, and compares evidence whatever its key order', () => {
    assert.equal(victimViewFromAssessment(null), null);
    assert.equal(victimViewFromAssessment(noAssessment), null);
    assert.match(victimViewFromAssessment({ ...noAssessment, victimWantsEnhancedSupport: 'no' }) ?? '', /Does not want/);
    assert.equal(evidenceKey({ a: 1, b: 2 }), evidenceKey({ b: 2, a: 1 }));
    assert.notEqual(evidenceKey({ a: 1 }), evidenceKey({ a: 2 }));
  });
});

describe('facts from the case record', () => {
  it('reads the offence, date, referral flags, recent cases and assessment', () => {
    const built = factsFromCase({
      role: 'victim',
      dateOfBirth: '2011-09-10',
      crime: { offenceCode: '105A', offenceCategory: 'Violence against the person', offenceGroup: 'Violence without injury', committedFrom: '2026-03-01' },
      referralIndicators: ['domesticAbuse'],
      otherRecentCases: [{ offenceCode: '8Q', offenceGroup: null }],
      assessment: null,
    });
    assert.deepEqual(built.indicators, { ...noIndicators, domesticAbuse: true });
    assert.deepEqual(built.history, { casesInLast12Months: 2, anyHarassmentOrStalking: true });
    assert.equal(built.offenceDate, '2026-03-01');
    assert.deepEqual(categoriesOf(built), ['most_serious', 'persistently_targeted', 'vulnerable', 'intimidated']);
  });
  it('a self-referral with no crime and no other cases is a first case with no offence date', () => {
    const built = factsFromCase({ role: 'victim', dateOfBirth: null, crime: null, referralIndicators: [], otherRecentCases: [], assessment: null });
    assert.deepEqual(built, facts({ offence: null, offenceDate: null, dateOfBirth: null }));
    assert.deepEqual(decideEntitlementsFor(built), []);
  });
});
