// The pre-court rules: checking a hearing, the horizon, which cases qualify, the victim's needs, and eligibility for
// special measures with the measures each ground points to (victims-code.md, "Special measures").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_HORIZON_DAYS,
  SPECIAL_MEASURES,
  ageOn,
  areaHorizonDays,
  checkHearing,
  checkHorizonDays,
  eligibility,
  hearingText,
  horizonWindow,
  isDomesticAbuse,
  parseHorizon,
  qualifyingReasons,
  reviewSpecialMeasures,
  sexualOffence,
  victimNeeds,
  writtenTime,
  type ReviewFacts,
  type SpecialMeasure,
} from './rules.ts';

// 20 November 2026, 09:00 in London (GMT).
const NOW = new Date('2026-11-20T09:00:00Z');
const form = (fields: Record<string, unknown> = {}) => ({
  'hearingDate-day': '3',
  'hearingDate-month': '12',
  'hearingDate-year': '2026',
  time: '10:00',
  courtName: '  Leeds   Crown Court ',
  hearingType: 'trial',
  ...fields,
});

describe('checkHearing', () => {
  it('reads the date and time as London wall-clock time and tidies the court name', () => {
    assert.deepEqual(checkHearing(form(), NOW), { value: { hearingAt: new Date('2026-12-03T10:00:00Z'), courtName: 'Leeds Crown Court', hearingType: 'trial' } });
    // In British Summer Time, 10am in London is 9am UTC.
    const summer = checkHearing(form({ 'hearingDate-day': '1', 'hearingDate-month': '6', 'hearingDate-year': '2027', time: '2:30pm' }), NOW);
    assert.deepEqual('value' in summer && summer.value.hearingAt, new Date('2027-06-01T13:30:00Z'));
  });

  it('accepts today, and refuses the past and more than two years ahead', () => {
    assert.ok('value' in checkHearing(form({ 'hearingDate-day': '20', 'hearingDate-month': '11' }), NOW));
    assert.deepEqual(checkHearing(form({ 'hearingDate-day': '19', 'hearingDate-month': '11' }), NOW), { errors: { hearingDate: 'Date of the hearing must be today or in the future' } });
    assert.deepEqual(checkHearing(form({ 'hearingDate-year': '2029' }), NOW), { errors: { hearingDate: 'Date of the hearing must be within the next 2 years' } });
  });

  it('names each problem in the GOV.UK words, all at once', () => {
    assert.deepEqual(checkHearing({}, NOW), {
      errors: {
        hearingDate: 'Enter the date of the hearing',
        time: 'Enter the time of the hearing',
        courtName: 'Enter the name of the court',
        hearingType: 'Select the type of hearing',
      },
    });
    assert.deepEqual(checkHearing(form({ 'hearingDate-month': '', 'hearingDate-year': '' }), NOW), { errors: { hearingDate: 'Date of the hearing must include a month and year' } });
    assert.deepEqual(checkHearing(form({ 'hearingDate-day': '31', 'hearingDate-month': '2', 'hearingDate-year': '2027' }), NOW), { errors: { hearingDate: 'Date of the hearing must be a real date' } });
    assert.deepEqual(checkHearing(form({ time: '25:00' }), NOW), { errors: { time: 'Enter the time like 10:00 or 10am' } });
    assert.deepEqual(checkHearing(form({ courtName: 'x'.repeat(121) }), NOW), { errors: { courtName: 'Court name must be 120 characters or fewer' } });
    assert.deepEqual(checkHearing(form({ hearingType: 'party' }), NOW), { errors: { hearingType: 'Select the type of hearing' } });
    assert.deepEqual(checkHearing(form({ hearingType: ['trial', 'other'] }), NOW), { errors: { hearingType: 'Select the type of hearing' } });
  });

  it('words the hearing for the timeline in GOV.UK style', () => {
    assert.equal(hearingText({ hearingAt: new Date('2026-12-03T10:00:00Z'), courtName: 'Leeds Crown Court', hearingType: 'trial' }), 'Trial at Leeds Crown Court on 3 December 2026 at 10am');
    assert.equal(writtenTime(new Date('2027-06-01T13:30:00Z')), '2:30pm');
    assert.equal(writtenTime(new Date('2026-12-03T12:00:00Z')), 'midday');
    assert.equal(writtenTime(new Date('2026-12-03T00:00:00Z')), 'midnight');
    assert.equal(writtenTime(new Date('2026-12-03T00:05:00Z')), '12:05am');
  });
});

describe('the horizon', () => {
  it('defaults to the area’s, which defaults to 28 days', () => {
    assert.equal(areaHorizonDays(undefined), DEFAULT_HORIZON_DAYS);
    assert.equal(areaHorizonDays(14), 14);
    assert.equal(areaHorizonDays(0), DEFAULT_HORIZON_DAYS);
    assert.deepEqual(parseHorizon(undefined, 21), { days: 21 });
    assert.deepEqual(parseHorizon(' ', 21), { days: 21 });
    assert.deepEqual(parseHorizon(' 7 ', 21), { days: 7 });
  });

  it('refuses anything but one whole number of days from 1 to 365', () => {
    for (const bad of ['abc', '1.5', '-3', '2e3', '28 days']) assert.deepEqual(parseHorizon(bad, 28), { error: 'Enter the number of days as a whole number, like 28' }, bad);
    for (const bad of ['0', '366', '9999']) assert.deepEqual(parseHorizon(bad, 28), { error: 'Enter a number of days between 1 and 365' }, bad);
    assert.deepEqual(parseHorizon(['7', '14'], 28), { error: 'Enter one number of days, like 28' });
    assert.deepEqual(checkHorizonDays(''), { error: 'Enter the number of days' });
    assert.deepEqual(checkHorizonDays('365'), { days: 365 });
  });

  it('runs from the start of today to the end of the last day, in London time', () => {
    assert.deepEqual(horizonWindow(NOW, 28), { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-12-18T23:59:59.999Z'), lastDay: '2026-12-18' });
    // Across the clocks going forward: the last day ends at 23:59:59.999 BST.
    assert.deepEqual(horizonWindow(new Date('2027-03-20T12:00:00Z'), 10), { from: new Date('2027-03-20T00:00:00Z'), to: new Date('2027-03-30T22:59:59.999Z'), lastDay: '2027-03-30' });
  });
});

const answers = (fields: Record<string, string | number> = {}): Record<string, string | number> => ({
  domestic_abuse: 'no',
  under_18: 'no',
  mental_health: 'no',
  learning_disability: 'no',
  physical_disability: 'no',
  health_affects_evidence: 'no',
  language: 'English',
  interpreter: 'no',
  bsl: 'no',
  easy_read: 'no',
  may_give_evidence: 'yes',
  fear_testifying: 'no',
  ...fields,
});

function facts(overrides: Partial<ReviewFacts> = {}): ReviewFacts {
  return {
    role: 'victim',
    dateOfBirth: '1980-05-01',
    offence: { code: '28E', category: 'Theft offences', group: 'Residential burglary' },
    referralIndicators: [],
    entitlements: [],
    assessment: null,
    hearingDate: '2026-12-03',
    ...overrides,
  };
}
const assessed = (fields: Record<string, string | number> = {}, dashLevel: 'high' | 'standard' | null = null): ReviewFacts['assessment'] => ({
  version: 1,
  assessedOn: '2026-11-01',
  answers: answers(fields),
  dashLevel,
});
const kinds = (f: ReviewFacts) => qualifyingReasons(f).map((reason) => reason.kind);

describe('which cases qualify', () => {
  it('leaves out a burglary with no domestic abuse and no enhanced rights', () => {
    assert.deepEqual(qualifyingReasons(facts()), []);
    assert.deepEqual(qualifyingReasons(facts({ assessment: assessed() })), []);
  });

  it('takes domestic abuse from the referral, the offence, the assessment, its DASH checklist or the rule that gave rights', () => {
    assert.deepEqual(kinds(facts({ referralIndicators: ['domesticAbuse'] })), ['domestic_abuse']);
    assert.deepEqual(kinds(facts({ offence: { code: ' 8u', category: 'Violence against the person', group: 'Stalking and harassment' } })), ['domestic_abuse']);
    assert.deepEqual(kinds(facts({ assessment: assessed({ domestic_abuse: 'yes' }) })), ['domestic_abuse']);
    assert.equal(isDomesticAbuse(facts({ assessment: assessed({}, 'standard') })), true);
    assert.equal(isDomesticAbuse(facts({ entitlements: [{ category: 'most_serious', rule: 'most_serious.domestic_abuse', reason: 'Victim of domestic abuse' }] })), true);
    assert.equal(isDomesticAbuse(facts({ referralIndicators: ['hateCrime'] })), false);
  });

  it('names rape apart from other sexual offences', () => {
    assert.equal(sexualOffence(facts({ offence: { code: '19C', category: 'Sexual offences', group: 'Rape' } })), 'rape');
    assert.equal(sexualOffence(facts({ offence: { code: '20A', category: 'Sexual offences', group: 'Other sexual offences' } })), 'sexual_offence');
    assert.equal(sexualOffence(facts({ offence: null, referralIndicators: ['sexualOffence'] })), 'sexual_offence');
    assert.deepEqual(qualifyingReasons(facts({ offence: { code: '19C', category: 'Sexual offences', group: 'Rape' } })), [{ kind: 'rape', text: 'Rape' }]);
  });

  it('takes any enhanced-rights category in force, listing them in the Code’s order', () => {
    assert.deepEqual(
      qualifyingReasons(facts({
        entitlements: [
          { category: 'intimidated', rule: 'intimidated.fear_or_distress', reason: 'Fear' },
          { category: 'persistently_targeted', rule: 'persistently_targeted.repeat_victim', reason: 'Again' },
          { category: 'intimidated', rule: 'coordinator.intimidated', reason: 'Seen' },
        ],
      })),
      [{ kind: 'enhanced', text: 'Enhanced rights: persistently targeted, intimidated' }],
    );
  });
});

describe('victimNeeds', () => {
  it('lists health, communication, court and risk needs from the assessment', () => {
    assert.deepEqual(victimNeeds(null), []);
    assert.deepEqual(victimNeeds(assessed({ may_give_evidence: 'no' })), []);
    assert.deepEqual(
      victimNeeds(assessed({ mental_health: 'yes', learning_disability: 'yes', physical_disability: 'yes', health_affects_evidence: 'yes', interpreter: 'yes', language: 'Polish', bsl: 'yes', easy_read: 'yes', fear_testifying: 'yes' }, 'high')),
      [
        'Mental health condition that affects daily life',
        'Learning disability, or a condition such as autism',
        'Physical disability or long-term illness',
        'Their health could make it harder to tell a court what happened',
        'Needs an interpreter (Polish)',
        'Uses British Sign Language (BSL)',
        'Information in Easy Read',
        'Might need to give evidence',
        'Worried or frightened about giving evidence',
        'High risk on the DASH checklist',
      ],
    );
  });
});

const ids = (grounds: { id: string }[]) => grounds.map((ground) => ground.id);
const considered = (f: ReviewFacts): SpecialMeasure[] => reviewSpecialMeasures(f).toConsider.map((measure) => measure.measure);
const availableMeasures = (f: ReviewFacts): SpecialMeasure[] => {
  const review = reviewSpecialMeasures(f);
  return [...review.toConsider, ...review.alsoAvailable].map((measure) => measure.measure).sort();
};

describe('eligibility for special measures', () => {
  it('counts age at the hearing, not at the offence (s16(1)(a))', () => {
    assert.equal(ageOn('2009-01-10', '2026-12-03'), 17);
    assert.equal(ageOn('2008-12-03', '2026-12-03'), 18);
    assert.equal(ageOn(null, '2026-12-03'), null);
    const seventeen = eligibility(facts({ dateOfBirth: '2009-01-10' }));
    assert.equal(seventeen.childAtHearing, true);
    assert.deepEqual(seventeen.vulnerable, [{ id: 'under_18', text: 'Under 18 at the hearing (aged 17)' }]);
    // Under 18 when the crime happened, 18 by the hearing: the entitlement does not make them a child witness.
    const turned = eligibility(facts({ dateOfBirth: '2008-06-01', entitlements: [{ category: 'vulnerable', rule: 'vulnerable.under_18', reason: 'Under 18 at the time of the offence' }] }));
    assert.equal(turned.childAtHearing, false);
    assert.deepEqual(turned.vulnerable, []);
    // With no date of birth, the assessment's answer stands.
    assert.deepEqual(ids(eligibility(facts({ dateOfBirth: null, assessment: assessed({ under_18: 'yes' }) })).vulnerable), ['under_18']);
    assert.equal(eligibility(facts({ dateOfBirth: null })).childAtHearing, null);
  });

  it('makes a witness vulnerable when a condition is likely to affect their evidence (s16(2))', () => {
    assert.deepEqual(ids(eligibility(facts({ assessment: assessed({ mental_health: 'yes' }) })).vulnerable), [], 'a condition alone is not enough');
    assert.deepEqual(
      ids(eligibility(facts({ assessment: assessed({ mental_health: 'yes', learning_disability: 'yes', physical_disability: 'yes', health_affects_evidence: 'yes' }) })).vulnerable),
      ['mental_disorder', 'impaired_intelligence', 'physical_disability'],
    );
  });

  it('maps the vulnerable category to s16 and the intimidated category to s17, once per ground', () => {
    const found = eligibility(facts({
      assessment: assessed({ mental_health: 'yes', health_affects_evidence: 'yes', fear_testifying: 'yes' }),
      entitlements: [
        { category: 'vulnerable', rule: 'vulnerable.mental_disorder', reason: 'A mental disorder is likely to affect the quality of their evidence' },
        { category: 'vulnerable', rule: 'vulnerable.parent_of_child_victim', reason: 'Parent' },
        { category: 'vulnerable', rule: 'coordinator.vulnerable', reason: 'Private words' },
        { category: 'intimidated', rule: 'intimidated.fear_or_distress', reason: 'Fear' },
        { category: 'intimidated', rule: 'intimidated.weapons_offence_witness', reason: 'Witnesses in firearm and knife offences are eligible' },
        { category: 'most_serious', rule: 'most_serious.attempted_murder', reason: 'Most serious' },
      ],
    }));
    assert.deepEqual(ids(found.vulnerable), ['mental_disorder', 'child_victim', 'coordinator']);
    assert.deepEqual(ids(found.intimidated), ['fear_or_distress', 'weapons_offence_witness']);
    assert.ok(!JSON.stringify(found).includes('Private words'), 'a coordinator’s own reason stays on the entitlements page');
  });

  it('makes complainants of sexual offences, modern slavery and domestic abuse intimidated automatically, but not a witness', () => {
    const rape = { offence: { code: '19C', category: 'Sexual offences', group: 'Rape' } };
    assert.deepEqual(ids(eligibility(facts(rape)).intimidated), ['sexual_offence_complainant']);
    assert.equal(eligibility(facts(rape)).sexualOffenceComplainant, true);
    assert.deepEqual(ids(eligibility(facts({ ...rape, role: 'witness' })).intimidated), []);
    assert.deepEqual(ids(eligibility(facts({ offence: { code: '106', category: 'Violence against the person', group: 'Violence without injury' } })).intimidated), ['trafficking_complainant']);
    assert.deepEqual(ids(eligibility(facts({ referralIndicators: ['domesticAbuse'] })).intimidated), ['domestic_abuse_complainant']);
    assert.deepEqual(ids(eligibility(facts({ role: 'parent_of_child_victim', referralIndicators: ['domesticAbuse'] })).intimidated), ['domestic_abuse_complainant']);
  });
});

describe('special measures to consider', () => {
  it('offers nothing to a witness with no ground, and says so', () => {
    const review = reviewSpecialMeasures(facts({ assessment: assessed() }));
    assert.equal(review.eligible, false);
    assert.deepEqual(review.toConsider, []);
    assert.deepEqual(review.alsoAvailable, []);
  });

  it('lists every measure with its section', () => {
    const review = reviewSpecialMeasures(facts({ dateOfBirth: '2012-01-01' }));
    const sections = Object.fromEntries([...review.toConsider, ...review.alsoAvailable].map((measure) => [measure.measure, measure.section]));
    assert.deepEqual(sections, {
      screens: 23,
      live_link: 24,
      wigs_and_gowns: 26,
      video_recorded_evidence: 27,
      pre_recorded_cross_examination: 28,
      intermediary: 29,
      communication_aids: 30,
    });
    assert.equal(SPECIAL_MEASURES.length, 8);
  });

  it('gives a child witness video-recorded evidence and live link by default, and the s16-only measures', () => {
    const child = facts({ dateOfBirth: '2012-01-01' });
    assert.deepEqual(considered(child), ['live_link', 'wigs_and_gowns', 'video_recorded_evidence', 'intermediary']);
    const review = reviewSpecialMeasures(child);
    assert.deepEqual(review.toConsider.find((measure) => measure.measure === 'video_recorded_evidence')?.reasons, ['The default for a child witness']);
    assert.deepEqual(availableMeasures(child), ['communication_aids', 'intermediary', 'live_link', 'pre_recorded_cross_examination', 'screens', 'video_recorded_evidence', 'wigs_and_gowns']);
  });

  it('keeps the intermediary and aids to communication for s16 witnesses only', () => {
    const intimidatedOnly = facts({ assessment: assessed({ fear_testifying: 'yes', easy_read: 'yes' }) });
    assert.deepEqual(availableMeasures(intimidatedOnly), ['evidence_in_private', 'live_link', 'screens', 'video_recorded_evidence', 'wigs_and_gowns']);
    assert.deepEqual(considered(intimidatedOnly), ['screens', 'live_link', 'evidence_in_private', 'wigs_and_gowns']);
  });

  it('points a domestic abuse complainant to screens and live link', () => {
    const review = reviewSpecialMeasures(facts({ referralIndicators: ['domesticAbuse'] }));
    assert.deepEqual(review.toConsider.map((measure) => measure.measure), ['screens', 'live_link']);
    assert.deepEqual(review.toConsider[0]?.reasons, ['Domestic abuse: they need not see the defendant']);
    // Evidence in private needs a sexual or slavery case, or feared intimidation; pre-recording needs s16 or s17(4).
    assert.ok(!availableMeasures(facts({ referralIndicators: ['domesticAbuse'] })).includes('evidence_in_private'));
    assert.ok(!availableMeasures(facts({ referralIndicators: ['domesticAbuse'] })).includes('pre_recorded_cross_examination'));
  });

  it('opens pre-recorded cross-examination and evidence in private to a sexual offence complainant', () => {
    const rape = facts({ offence: { code: '19C', category: 'Sexual offences', group: 'Rape' } });
    assert.deepEqual(considered(rape), ['screens', 'evidence_in_private', 'video_recorded_evidence', 'pre_recorded_cross_examination']);
    assert.deepEqual(reviewSpecialMeasures(rape).toConsider.find((measure) => measure.measure === 'pre_recorded_cross_examination')?.reasons, ['Complainant of a sexual offence (s17(4))']);
  });

  it('suggests a remote live link when their health makes attending court hard, and an intermediary for understanding', () => {
    const physical = facts({ assessment: assessed({ physical_disability: 'yes', health_affects_evidence: 'yes' }) });
    assert.deepEqual(reviewSpecialMeasures(physical).toConsider.map((measure) => [measure.measure, measure.reasons]), [
      ['live_link', ['Their health could make attending court very hard: consider a remote live link']],
    ]);
    const learning = facts({ assessment: assessed({ learning_disability: 'yes', health_affects_evidence: 'yes', easy_read: 'yes' }) });
    assert.deepEqual(considered(learning), ['video_recorded_evidence', 'pre_recorded_cross_examination', 'intermediary', 'communication_aids']);
    assert.deepEqual(reviewSpecialMeasures(learning).toConsider.find((measure) => measure.measure === 'communication_aids')?.reasons, [
      'A condition that affects how they understand or communicate',
      'Asked for information in Easy Read',
    ]);
  });

  it('lists interpreters apart, as they are not special measures', () => {
    const review = reviewSpecialMeasures(facts({ assessment: assessed({ interpreter: 'yes', language: 'Polish', bsl: 'yes' }) }));
    assert.deepEqual(review.otherArrangements, ['An interpreter at court (Polish)', 'A British Sign Language interpreter at court']);
    assert.equal(review.eligible, false);
  });
});
