// Matching a case to the directory's services: specialists first where the offence calls for them, then services for
// assessed needs; places before full services; language and access fit; and a plain reason for every exclusion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessNeedsFromAnswers, ageBandOf, matchServices, needsFromAnswers, type CaseFacts, type MatchableService } from './rules.ts';

const AREA = 'area-1';
let counter = 0;
const service = (overrides: Partial<MatchableService> = {}): MatchableService => {
  counter += 1;
  return {
    id: `service-${counter}`,
    name: `Service ${counter}`,
    areaId: AREA,
    specialism: 'general',
    offenceGroups: [],
    ageBands: [],
    genders: [],
    enhancedOnly: false,
    referralRoutes: ['coordinator'],
    languages: ['English'],
    accessibility: [],
    capacity: 5,
    waitDays: 0,
    active: true,
    ...overrides,
  };
};
const facts = (overrides: Partial<CaseFacts> = {}): CaseFacts => ({
  areaId: AREA,
  age: 40,
  gender: null,
  offenceGroup: 'Residential burglary',
  domesticAbuse: false,
  highRiskDomesticAbuse: false,
  enhanced: false,
  needs: [],
  language: null,
  accessNeeds: [],
  route: 'coordinator',
  ...overrides,
});
const names = (list: readonly { service: MatchableService }[]) => list.map((entry) => entry.service.name);

describe('matching a case to services', () => {
  it('puts the ISVA first after a rape, ahead of a general service with a shorter wait', () => {
    const general = service({ name: 'Victim Support', waitDays: 0 });
    const isva = service({ name: 'Rape Crisis ISVA', specialism: 'isva', offenceGroups: ['Rape', 'Other sexual offences'], waitDays: 10 });
    const { matches } = matchServices(facts({ offenceGroup: 'Rape' }), [general, isva]);
    assert.deepEqual(names(matches), ['Rape Crisis ISVA', 'Victim Support']);
    assert.equal(matches[0]?.tier, 'specialist');
    assert.match(matches[0]?.reasons[0] ?? '', /sexual violence adviser/);
  });

  it('puts the IDVA first for high-risk domestic abuse, and leaves it out when the risk is not high and it is enhanced-only', () => {
    const idva = service({ name: 'IDVA service', specialism: 'idva', offenceGroups: ['Domestic abuse'], enhancedOnly: true });
    const general = service({ name: 'A general service' });
    const high = matchServices(facts({ offenceGroup: 'Violence with injury', domesticAbuse: true, highRiskDomesticAbuse: true, enhanced: true }), [general, idva]);
    assert.deepEqual(names(high.matches), ['IDVA service', 'A general service']);
    const standard = matchServices(facts({ offenceGroup: 'Violence with injury', domesticAbuse: true }), [general, idva]);
    assert.deepEqual(names(standard.matches), ['A general service']);
    assert.deepEqual(standard.excluded.map((entry) => entry.reasons), [['Only for victims with enhanced rights']]);
  });

  it('offers the young victims’ service first to a 14-year-old (journey 9), and says an adult service is not for under-18s', () => {
    const young = service({ name: 'Young victims’ service', specialism: 'young_victims', ageBands: ['child'], waitDays: 5 });
    const adults = service({ name: 'Adults only', ageBands: ['adult', 'older'] });
    const general = service({ name: 'Anyone' });
    const { matches, excluded } = matchServices(facts({ age: 14, offenceGroup: 'Violence without injury', enhanced: true }), [general, adults, young]);
    assert.deepEqual(names(matches), ['Young victims’ service', 'Anyone']);
    assert.deepEqual(excluded.map((entry) => [entry.service.name, entry.reasons]), [['Adults only', ['Not for under-18s']]]);
    const grownUp = matchServices(facts({ age: 30 }), [young]);
    assert.deepEqual(grownUp.excluded[0]?.reasons, ['Only for under-18s']);
  });

  it('ranks a practical-support service above general support for an 81-year-old who needs her home made secure (journey 1)', () => {
    const general = service({ name: 'A general service' });
    const practical = service({ name: 'Safer Homes', specialism: 'practical', offenceGroups: ['Residential burglary'], ageBands: ['adult', 'older'], waitDays: 3 });
    const needs = needsFromAnswers({ home_security: 'yes', lives_alone: 'yes', coping: 'well' });
    assert.deepEqual(needs, ['practical']);
    const { matches } = matchServices(facts({ age: 81, needs }), [general, practical]);
    assert.deepEqual(names(matches), ['Safer Homes', 'A general service']);
    assert.equal(matches[0]?.tier, 'need');
    assert.deepEqual(matches[0]?.reasons, ['Practical help the assessment found a need for', '5 places open, 3-day wait']);
  });

  it('lists a full service after one with places, with its wait, rather than leaving it out', () => {
    const full = service({ name: 'Aaa Full', capacity: 0, waitDays: 21 });
    const open = service({ name: 'Zzz Open', waitDays: 30 });
    const { matches } = matchServices(facts(), [full, open]);
    assert.deepEqual(names(matches), ['Zzz Open', 'Aaa Full']);
    assert.equal(matches[1]?.full, true);
    assert.equal(matches[1]?.cautions[0], 'Full: 21-day wait');
  });

  it('prefers a service that speaks the victim’s language and offers BSL, and notes what another lacks', () => {
    const plain = service({ name: 'Aaa English only' });
    const fits = service({ name: 'Zzz Cymraeg', languages: ['English', 'Welsh'], accessibility: ['bsl'], waitDays: 7 });
    const { matches } = matchServices(facts({ language: 'Welsh', accessNeeds: ['bsl'] }), [plain, fits]);
    assert.deepEqual(names(matches), ['Zzz Cymraeg', 'Aaa English only']);
    assert.deepEqual(matches[1]?.cautions, ['Does not list Welsh: an interpreter may be needed', 'Does not list British Sign Language']);
  });

  it('gives a reason for every exclusion: area, route, offence, gender, closed', () => {
    const { matches, excluded } = matchServices(facts({ gender: 'male', offenceGroup: 'Residential burglary' }), [
      service({ name: 'A elsewhere', areaId: 'area-2' }),
      service({ name: 'B self-referral only', referralRoutes: ['self'] }),
      service({ name: 'C sexual violence', offenceGroups: ['Rape', 'Other sexual offences'] }),
      service({ name: 'D women only', genders: ['female'] }),
      service({ name: 'E closed', active: false }),
    ]);
    assert.deepEqual(matches, []);
    assert.deepEqual(
      excluded.map((entry) => [entry.service.name, entry.reasons]),
      [
        ['A elsewhere', ['Not in this area']],
        ['B self-referral only', ['Does not take referrals from the gateway']],
        ['C sexual violence', ['Not for this crime: only for rape or other sexual offences']],
        ['D women only', ['Only for women and girls']],
        ['E closed', ['Not taking new referrals']],
      ],
    );
  });

  it('includes a service whose condition it cannot check, with what to check: unknown age, gender or crime', () => {
    const { matches, excluded } = matchServices(facts({ age: null, gender: null, offenceGroup: null }), [
      service({ name: 'Women under 18 after sexual violence', genders: ['female'], ageBands: ['child'], offenceGroups: ['Rape'] }),
    ]);
    assert.deepEqual(excluded, []);
    assert.deepEqual(matches[0]?.cautions, ['Check the victim’s age: only for under-18s', 'Check with the victim: only for women and girls', 'Check the crime: only for rape']);
  });

  it('matches a domestic abuse service on the domestic abuse flag, whatever the offence recorded', () => {
    const da = service({ name: 'Domestic abuse outreach', offenceGroups: ['Domestic abuse'] });
    assert.equal(matchServices(facts({ offenceGroup: 'Criminal damage', domesticAbuse: true }), [da]).matches.length, 1);
    assert.equal(matchServices(facts({ offenceGroup: 'Criminal damage', domesticAbuse: false }), [da]).matches.length, 0);
  });

  it('reads needs and access needs from the assessment answers', () => {
    assert.deepEqual(needsFromAnswers({ coping: 'struggling', mental_health: 'yes' }), ['emotional', 'mental_health']);
    assert.deepEqual(needsFromAnswers({ coping: 'well', wants_emotional_support: 'no' }), []);
    assert.deepEqual(accessNeedsFromAnswers({ bsl: 'yes', easy_read: 'yes', interpreter: 'no' }), ['bsl', 'easy_read']);
    assert.deepEqual([ageBandOf(17), ageBandOf(18), ageBandOf(64), ageBandOf(65)], ['child', 'adult', 'adult', 'older']);
  });
});
