// Issue 5's matching target: ranking one case against 500 services, with its language named in words mapped to the
// directory's codes, p95 under 20 ms. Pure work (no database): the services and cases are varied and made in memory.
import { LANGUAGE_CODES, OFFENCE_GROUPS, SPECIALISMS, ACCESSIBILITY, type DirectoryService } from '../src/features/directory/rules.ts';
import { factsForMatching, matchServices, type CaseRecordForMatching } from '../src/features/service-matching/rules.ts';

type Result = { target: string; measured: string; limit: string; ratio: number };

const percentile = (values: number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
};

/** A small deterministic generator, so every run weighs the same services and cases. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const some = <T>(list: readonly T[], chance: number): T[] => list.filter(() => next() < chance);
  return { next, pick, some };
}

const AREA = 'area-bench';
const LANGUAGE_NAMES = ['Welsh', 'Polish', 'polski', 'Romanian', 'Urdu', 'Punjabi', 'Cymraeg', 'Tigrinya', 'Portuguese', 'Arabic', 'English', ''];

function services(count: number): DirectoryService[] {
  const random = randomFrom(17);
  return Array.from({ length: count }, (_, index) => ({
    id: `service-${index}`,
    organisationId: `organisation-${index % 40}`,
    organisationName: `Provider ${index % 40}`,
    // One in ten in another area, as a caller that read more than the area would see.
    areaId: random.next() < 0.1 ? 'area-other' : AREA,
    name: `Service ${index}`,
    description: '',
    specialism: random.pick(SPECIALISMS),
    offenceGroups: random.next() < 0.6 ? [] : random.some(OFFENCE_GROUPS, 0.15),
    ageBands: random.next() < 0.7 ? [] : random.some(['child', 'adult', 'older'] as const, 0.5),
    genders: random.next() < 0.9 ? [] : [random.pick(['female', 'male'] as const)],
    enhancedOnly: random.next() < 0.15,
    referralRoutes: random.next() < 0.9 ? ['coordinator', 'self'] : ['self'],
    languages: ['en', ...random.some(LANGUAGE_CODES.filter((code) => code !== 'en'), 0.1)],
    accessibility: random.some(ACCESSIBILITY, 0.3),
    capacity: random.next() < 0.25 ? 0 : Math.floor(random.next() * 20),
    waitDays: Math.floor(random.next() * 30),
    responseWorkingDays: 2,
    active: random.next() < 0.95,
  }));
}

function cases(count: number): CaseRecordForMatching[] {
  const random = randomFrom(29);
  return Array.from({ length: count }, () => {
    const abuse = random.next() < 0.25;
    return {
      areaId: AREA,
      dateOfBirth: random.next() < 0.9 ? `${1930 + Math.floor(random.next() * 95)}-0${1 + Math.floor(random.next() * 9)}-1${Math.floor(random.next() * 9)}` : null,
      today: '2026-03-01',
      offenceGroup: random.next() < 0.9 ? random.pick(OFFENCE_GROUPS.slice(1)) : null,
      referralIndicators: abuse ? ['domesticAbuse'] : [],
      preferredLanguage: random.pick(['en', 'Polish', null]),
      assessment:
        random.next() < 0.7
          ? {
              answers: {
                language: random.pick(LANGUAGE_NAMES),
                home_security: random.pick(['yes', 'no']),
                coping: random.pick(['well', 'some_difficulty', 'struggling']),
                mental_health: random.pick(['yes', 'no']),
                bsl: random.next() < 0.05 ? 'yes' : 'no',
                easy_read: random.next() < 0.1 ? 'yes' : 'no',
                interpreter: random.next() < 0.2 ? 'yes' : 'no',
                domestic_abuse: abuse ? 'yes' : 'no',
              },
              dashLevel: abuse ? random.pick(['high', 'standard'] as const) : null,
            }
          : null,
      enhanced: random.next() < 0.4,
    };
  });
}

/** Matches `caseCount` cases, one at a time, against the same 500 services, as the support options page does. */
export function benchMatching(results: Result[], serviceCount = 500, caseCount = 2000): void {
  const directory = services(serviceCount);
  const records = cases(caseCount);
  // Warm up, so the p95 is of the running code, not of the first compilation.
  for (const record of records.slice(0, 200)) matchServices(factsForMatching(record), directory);
  const timings: number[] = [];
  let matched = 0;
  for (const record of records) {
    const begun = performance.now();
    const { matches } = matchServices(factsForMatching(record), directory);
    timings.push(performance.now() - begun);
    matched += matches.length;
  }
  const p95 = percentile(timings, 0.95);
  console.log(
    `  matching: ${caseCount} cases against ${serviceCount} services, ${Math.round(matched / caseCount)} matched a case on average, ` +
      `median ${percentile(timings, 0.5).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${percentile(timings, 0.99).toFixed(2)} ms`,
  );
  results.push({ target: `Matching one case against ${serviceCount} services p95, ${caseCount} cases, factsForMatching + matchServices`, measured: `${p95.toFixed(2)} ms`, limit: '20 ms', ratio: p95 / 20 });
}
