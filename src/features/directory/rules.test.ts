// The directory's pure rules: the option lists, the service and capacity form checks, and how the public page matches
// a need and describes a service in English and Welsh.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCESSIBILITY,
  ACCESSIBILITY_LABELS,
  AGE_BANDS,
  AGE_BAND_LABELS,
  DOMESTIC_ABUSE_GROUP,
  GENDER_LABELS,
  GENDERS,
  LANGUAGE_LABELS,
  NEED_LABELS,
  NEED_SPECIALISMS,
  NEEDS,
  OFFENCE_GROUPS,
  REFERRAL_ROUTE_LABELS,
  REFERRAL_ROUTES,
  SPECIALISM_LABELS,
  SPECIALISMS,
  agesText,
  checkCapacity,
  checkService,
  servicesForNeed,
  waitText,
  whoItIsFor,
  type DirectoryService,
} from './rules.ts';

const form = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: ' ISVA ',
  description: 'Support after rape or sexual assault.',
  specialism: 'isva',
  offenceGroups: ['Rape', 'Other sexual offences'],
  ageBands: 'adult',
  genders: ['female', 'male'],
  enhancedOnly: 'no',
  referralRoutes: ['self', 'coordinator'],
  languages: ['cy', 'en'],
  capacity: '3',
  waitDays: '0',
  responseWorkingDays: '2',
  active: 'yes',
  ...overrides,
});

const service = (overrides: Partial<DirectoryService> = {}): DirectoryService => ({
  id: 'id',
  organisationId: 'org',
  organisationName: 'Provider',
  areaId: 'area',
  name: 'Service',
  description: 'What it does',
  specialism: 'general',
  offenceGroups: [],
  ageBands: [],
  genders: [],
  enhancedOnly: false,
  referralRoutes: ['coordinator'],
  languages: ['en'],
  accessibility: [],
  capacity: 1,
  waitDays: 0,
  responseWorkingDays: 2,
  active: true,
  ...overrides,
});

describe('the option lists', () => {
  it('label every option in English and Welsh', () => {
    const lists: [readonly string[], Record<string, { en: string; cy: string }>][] = [
      [SPECIALISMS, SPECIALISM_LABELS],
      [AGE_BANDS, AGE_BAND_LABELS],
      [GENDERS, GENDER_LABELS],
      [REFERRAL_ROUTES, REFERRAL_ROUTE_LABELS],
      [ACCESSIBILITY, ACCESSIBILITY_LABELS],
      [NEEDS, NEED_LABELS],
      [Object.keys(LANGUAGE_LABELS), LANGUAGE_LABELS],
    ];
    for (const [options, labels] of lists) {
      for (const option of options) {
        assert.ok(labels[option]?.en && labels[option]?.cy, option);
        assert.notEqual(labels[option]?.en, labels[option]?.cy, option);
      }
    }
  });

  it('offers the Home Office offence groups, with domestic abuse first', () => {
    assert.equal(OFFENCE_GROUPS[0], DOMESTIC_ABUSE_GROUP);
    for (const group of ['Rape', 'Other sexual offences', 'Residential burglary', 'Stalking and harassment', 'Homicide']) assert.ok(OFFENCE_GROUPS.includes(group), group);
    assert.equal(new Set(OFFENCE_GROUPS).size, OFFENCE_GROUPS.length);
  });

  it('meets every need with at least one kind of service; court support includes ISVAs and general support', () => {
    for (const need of NEEDS) assert.ok(NEED_SPECIALISMS[need].length > 0, need);
    assert.ok(NEED_SPECIALISMS.court.includes('isva') && NEED_SPECIALISMS.court.includes('general'));
  });
});

describe('checkService', () => {
  it('reads a complete form, trimming text and keeping list order', () => {
    const checked = checkService(form());
    assert.ok('value' in checked);
    assert.deepEqual(checked.value, {
      name: 'ISVA',
      description: 'Support after rape or sexual assault.',
      welshName: null,
      welshDescription: null,
      specialism: 'isva',
      offenceGroups: ['Other sexual offences', 'Rape'],
      ageBands: ['adult'],
      genders: ['female', 'male'],
      enhancedOnly: false,
      referralRoutes: ['coordinator', 'self'],
      languages: ['en', 'cy'],
      accessibility: [],
      capacity: 3,
      waitDays: 0,
      responseWorkingDays: 2,
      active: true,
    });
  });

  it('reports every problem at once', () => {
    const checked = checkService({});
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['active', 'capacity', 'description', 'enhancedOnly', 'languages', 'name', 'referralRoutes', 'responseWorkingDays', 'specialism', 'waitDays']);
    assert.equal(checked.errors.capacity, 'Enter the number of open places');
  });

  it('refuses options that are not on the lists', () => {
    const checked = checkService(form({ specialism: 'magic', offenceGroups: ['Made up'], ageBands: ['baby'], genders: 'other', accessibility: 'jetpack', languages: ['xx'] }));
    assert.ok('errors' in checked);
    for (const field of ['specialism', 'offenceGroups', 'ageBands', 'genders', 'accessibility', 'languages']) assert.ok(checked.errors[field], field);
  });

  it('checks the lengths of the names and descriptions', () => {
    const checked = checkService(form({ name: 'x'.repeat(121), welshDescription: 'y'.repeat(1001) }));
    assert.ok('errors' in checked);
    assert.equal(checked.errors.name, 'Name must be 120 characters or fewer');
    assert.equal(checked.errors.welshDescription, 'Welsh description must be 1000 characters or fewer');
  });

  it('keeps response working days between 1 and 20', () => {
    for (const [value, ok] of [['0', false], ['1', true], ['20', true], ['21', false]] as const) {
      assert.equal('value' in checkService(form({ responseWorkingDays: value })), ok, value);
    }
  });
});

describe('checkCapacity', () => {
  const errorsOf = (capacity: unknown, waitDays: unknown = '0') => {
    const checked = checkCapacity({ capacity, waitDays });
    return 'errors' in checked ? checked.errors : {};
  };

  it('takes whole numbers of 0 or more, with commas', () => {
    assert.deepEqual(checkCapacity({ capacity: ' 0 ', waitDays: '365' }), { value: { capacity: 0, waitDays: 365 } });
    assert.deepEqual(checkCapacity({ capacity: '1,200', waitDays: '7' }), { value: { capacity: 1200, waitDays: 7 } });
  });

  it('refuses negative, fractional, missing and too large numbers, in plain words', () => {
    assert.equal(errorsOf('-1').capacity, 'Open places must be 0 or more');
    assert.equal(errorsOf('2.5').capacity, 'Open places must be a whole number, like 5');
    assert.equal(errorsOf('five').capacity, 'Open places must be a whole number, like 5');
    assert.equal(errorsOf('').capacity, 'Enter the number of open places');
    assert.equal(errorsOf(['1', '2']).capacity, 'Enter the number of open places');
    assert.equal(errorsOf('10000').capacity, 'Open places must be between 0 and 9999');
    assert.equal(errorsOf('1', '366').waitDays, 'The wait must be between 0 and 365');
    assert.equal(errorsOf('1', '-2').waitDays, 'The wait must be 0 or more');
  });
});

describe('the public page', () => {
  it('finds services for a need, open ones first, then the shortest wait', () => {
    const services = [
      service({ id: 'full', specialism: 'isva', capacity: 0, waitDays: 21 }),
      service({ id: 'slow', specialism: 'isva', capacity: 2, waitDays: 14 }),
      service({ id: 'fast', specialism: 'general', capacity: 2, waitDays: 1 }),
      service({ id: 'idva', specialism: 'idva' }),
      service({ id: 'closed', specialism: 'isva', active: false }),
    ];
    assert.deepEqual(servicesForNeed(services, 'sexual_violence').map((each) => each.id), ['slow', 'full']);
    assert.deepEqual(servicesForNeed(services, 'court').map((each) => each.id), ['idva', 'fast', 'slow', 'full']);
    assert.equal(servicesForNeed(services, undefined).length, 4);
  });

  it('says who a service is for', () => {
    assert.deepEqual(whoItIsFor(service(), 'en'), ['Anyone affected by crime']);
    assert.deepEqual(whoItIsFor(service({ ageBands: ['child'], genders: ['female'], offenceGroups: ['Rape'] }), 'en'), [
      'Children and young people under 18',
      'Women and girls',
      'After rape',
    ]);
    assert.deepEqual(whoItIsFor(service({ genders: ['female', 'male'], offenceGroups: ['Domestic abuse', 'Stalking and harassment'] }), 'cy'), [
      'Ar ôl: domestic abuse a stalking and harassment',
    ]);
    assert.match(whoItIsFor(service({ enhancedOnly: true }), 'en')[0] ?? '', /entitled to extra support/);
  });

  it('names a range of ages, and nothing for every age', () => {
    assert.equal(agesText(['older', 'adult'], 'en'), 'Aged 18 and over');
    assert.equal(agesText(['child', 'adult', 'older'], 'en'), null);
    assert.equal(agesText([], 'cy'), null);
    assert.equal(agesText(['child', 'older'], 'cy'), 'Dan 18 oed, neu 65 oed a hŷn');
  });

  it('says plainly when a service is full, and how long the wait is', () => {
    assert.equal(waitText({ capacity: 0, waitDays: 21 }, 'en'), 'Full at the moment: about a 21-day wait');
    assert.equal(waitText({ capacity: 0, waitDays: 21 }, 'cy'), 'Llawn ar hyn o bryd: aros tua 21 diwrnod');
    assert.equal(waitText({ capacity: 0, waitDays: 0 }, 'en'), 'Full at the moment');
    assert.equal(waitText({ capacity: 3, waitDays: 0 }, 'en'), 'Places available now, no wait');
    assert.equal(waitText({ capacity: 3, waitDays: 5 }, 'cy'), 'Lleoedd ar gael: aros tua 5 diwrnod');
  });
});
