// Pure rules that rank the directory's services for one case and say why each is in or out. No I/O: the service layer
// gathers the case's facts (offence, age, assessment, entitlements) and the area's services, and shows the result.
//
// Why the order is what it is: the Victims' Code and commissioners' commissioning both expect specialist support first
// where the crime calls for it (an ISVA after sexual violence, an IDVA for high-risk domestic abuse, the young victims'
// service for a child), then services that answer a need the assessment found, then general support. Within each, a
// service with a place comes before a full one, one that fits the victim's language and access needs before one that
// does not, and a shorter wait before a longer one.
// Pure rules of other features (no I/O): the directory's language codes, and whole years of age as entitlements count them.
import { LANGUAGE_LABELS } from '../directory/rules.ts';
import { ageOn } from '../entitlements/rules.ts';

export type MatchSpecialism = 'isva' | 'idva' | 'young_victims' | 'practical' | 'emotional' | 'hate_crime' | 'restorative_justice' | 'mental_health' | 'general';
export type MatchAgeBand = 'child' | 'adult' | 'older';
export type MatchGender = 'female' | 'male';
export type MatchRoute = 'coordinator' | 'self' | 'police' | 'agency';

/** What matching reads of a service; the directory's DirectoryService has all of this. */
export type MatchableService = {
  id: string;
  name: string;
  areaId: string;
  specialism: MatchSpecialism;
  offenceGroups: readonly string[];
  ageBands: readonly MatchAgeBand[];
  genders: readonly MatchGender[];
  enhancedOnly: boolean;
  referralRoutes: readonly MatchRoute[];
  languages: readonly string[];
  accessibility: readonly string[];
  capacity: number;
  waitDays: number;
  active: boolean;
};

/** What matching needs to know of a case, gathered from the crime, the person, the latest assessment and entitlements. */
export type CaseFacts = {
  areaId: string;
  /** Age in whole years today, or null if not known. */
  age: number | null;
  gender: MatchGender | null;
  /** The Home Office offence group, or null when there is no crime or it is not yet classified. */
  offenceGroup: string | null;
  domesticAbuse: boolean;
  /** A DASH result of high risk, or a professional judgement that raised it to high. */
  highRiskDomesticAbuse: boolean;
  enhanced: boolean;
  needs: readonly AssessedNeed[];
  /** The language the victim asked for, when it is not English: the directory's code for it where it lists one. */
  language: string | null;
  /** How to name that language in a caution ("Welsh", not "cy"); the language itself when not given. */
  languageName?: string | null;
  accessNeeds: readonly string[];
  route: MatchRoute;
};

export type AssessedNeed = 'practical' | 'emotional' | 'mental_health';

export type Tier = 'specialist' | 'need' | 'general';
export type Match<S extends MatchableService> = { service: S; tier: Tier; reasons: string[]; cautions: string[]; full: boolean };
export type Exclusion<S extends MatchableService> = { service: S; reasons: string[] };
export type MatchResult<S extends MatchableService> = { matches: Match<S>[]; excluded: Exclusion<S>[] };

/** The pseudo offence group a service lists to say it is for domestic abuse, whatever the offence recorded. */
export const DOMESTIC_ABUSE_GROUP = 'Domestic abuse';
export const SEXUAL_OFFENCE_GROUPS: readonly string[] = ['Rape', 'Other sexual offences'];

const AGE_BAND_NAMES: Record<MatchAgeBand, string> = { child: 'under-18s', adult: 'adults aged 18 to 64', older: 'people aged 65 or over' };
const SPECIALIST_REASONS: Partial<Record<MatchSpecialism, string>> = {
  isva: 'An independent sexual violence adviser, for sexual violence',
  idva: 'An independent domestic violence adviser, for high-risk domestic abuse',
  young_victims: 'The young victims’ service, for a child',
};
const NEED_REASONS: Record<AssessedNeed, string> = {
  practical: 'Practical help the assessment found a need for',
  emotional: 'Emotional support the victim asked for',
  mental_health: 'Support with mental health, which the assessment found affects daily life',
};
/** Which specialism answers which assessed need. */
const SPECIALISM_FOR_NEED: Record<AssessedNeed, MatchSpecialism> = {
  practical: 'practical',
  emotional: 'emotional',
  mental_health: 'mental_health',
};

export const ageBandOf = (age: number): MatchAgeBand => (age < 18 ? 'child' : age < 65 ? 'adult' : 'older');

const listed = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

/** The specialism the offence calls for first, if any. */
function specialistsCalledFor(facts: CaseFacts): Set<MatchSpecialism> {
  const called = new Set<MatchSpecialism>();
  if (facts.offenceGroup && SEXUAL_OFFENCE_GROUPS.includes(facts.offenceGroup)) called.add('isva');
  if (facts.highRiskDomesticAbuse) called.add('idva');
  if (facts.age !== null && facts.age < 18) called.add('young_victims');
  return called;
}

/** Why a service cannot take this case (empty when it can), and what to check because a fact is not known. */
function eligibility(service: MatchableService, facts: CaseFacts): { reasons: string[]; cautions: string[] } {
  const reasons: string[] = [];
  const cautions: string[] = [];
  if (!service.active) reasons.push('Not taking new referrals');
  if (service.areaId !== facts.areaId) reasons.push('Not in this area');
  if (!service.referralRoutes.includes(facts.route)) reasons.push(facts.route === 'coordinator' ? 'Does not take referrals from the gateway' : 'Does not take referrals this way');
  if (service.ageBands.length) {
    const names = service.ageBands.map((band) => AGE_BAND_NAMES[band]);
    if (facts.age === null) cautions.push(`Check the victim’s age: only for ${listed(names)}`);
    else if (!service.ageBands.includes(ageBandOf(facts.age))) reasons.push(notForAge(service.ageBands, facts.age));
  }
  if (service.genders.length) {
    const only = service.genders.length === 1 ? (service.genders[0] === 'female' ? 'women and girls' : 'men and boys') : null;
    if (only && facts.gender === null) cautions.push(`Check with the victim: only for ${only}`);
    else if (only && facts.gender !== null && !service.genders.includes(facts.gender)) reasons.push(`Only for ${only}`);
  }
  if (service.offenceGroups.length) {
    const forDomesticAbuse = facts.domesticAbuse && service.offenceGroups.includes(DOMESTIC_ABUSE_GROUP);
    const forOffence = facts.offenceGroup !== null && service.offenceGroups.includes(facts.offenceGroup);
    if (!forDomesticAbuse && !forOffence) {
      const names = listed(service.offenceGroups.map((group) => group.toLowerCase()));
      if (facts.offenceGroup === null && !facts.domesticAbuse) cautions.push(`Check the crime: only for ${names}`);
      else reasons.push(`Not for this crime: only for ${names}`);
    }
  }
  if (service.enhancedOnly && !facts.enhanced) reasons.push('Only for victims with enhanced rights');
  return { reasons, cautions };
}

function notForAge(bands: readonly MatchAgeBand[], age: number): string {
  if (!bands.includes('child') && age < 18) return 'Not for under-18s';
  if (bands.length === 1 && bands[0] === 'child') return 'Only for under-18s';
  return `Only for ${listed(bands.map((band) => AGE_BAND_NAMES[band]))}`;
}

/** How well the service fits the victim's language and access needs, with a note for each it does not meet. */
function fit(service: MatchableService, facts: CaseFacts): { score: number; cautions: string[] } {
  let score = 0;
  const cautions: string[] = [];
  if (facts.language) {
    const spoken = service.languages.some((language) => language.toLowerCase() === facts.language?.toLowerCase());
    if (spoken) score += 1;
    else cautions.push(`Does not list ${facts.languageName ?? facts.language}: an interpreter may be needed`);
  }
  for (const need of facts.accessNeeds) {
    if (service.accessibility.includes(need)) score += 1;
    else cautions.push(`Does not list ${ACCESS_NEED_NAMES[need] ?? need}`);
  }
  return { score, cautions };
}

export const ACCESS_NEED_NAMES: Record<string, string> = {
  bsl: 'British Sign Language',
  easy_read: 'Easy Read',
  interpreter: 'interpreters',
  step_free: 'step-free access',
  large_print: 'large print',
};

const TIER_ORDER: Record<Tier, number> = { specialist: 0, need: 1, general: 2 };
// One collator for every comparison: localeCompare with a locale may build a collator on each call, slow in a large sort.
const byName = new Intl.Collator('en-GB').compare;

/**
 * Ranks the services that can take this case, best first, each with why it is there and what to check; and lists the
 * ones that cannot, with why not. A full service is still listed (a referral can wait for a place), after those with
 * places in its tier, and says so with its wait.
 */
export function matchServices<S extends MatchableService>(facts: CaseFacts, services: readonly S[]): MatchResult<S> {
  const called = specialistsCalledFor(facts);
  const needed = new Map<MatchSpecialism, AssessedNeed>();
  for (const need of facts.needs) if (!needed.has(SPECIALISM_FOR_NEED[need])) needed.set(SPECIALISM_FOR_NEED[need], need);
  const ranked: { match: Match<S>; score: number }[] = [];
  const excluded: Exclusion<S>[] = [];
  for (const service of services) {
    const { reasons, cautions } = eligibility(service, facts);
    if (reasons.length) {
      excluded.push({ service, reasons });
      continue;
    }
    const whyIn: string[] = [];
    let tier: Tier = 'general';
    if (called.has(service.specialism)) {
      tier = 'specialist';
      whyIn.push(SPECIALIST_REASONS[service.specialism] as string);
    }
    const need = needed.get(service.specialism);
    if (need) {
      if (tier === 'general') tier = 'need';
      whyIn.push(NEED_REASONS[need]);
    }
    if (!whyIn.length) whyIn.push(service.specialism === 'general' ? 'General support for victims of crime' : 'Eligible for this case');
    const full = service.capacity <= 0;
    const fitted = fit(service, facts);
    if (full) cautions.unshift(`Full: ${service.waitDays}-day wait`);
    else if (service.waitDays > 0) whyIn.push(`${service.capacity} ${service.capacity === 1 ? 'place' : 'places'} open, ${service.waitDays}-day wait`);
    else whyIn.push(`${service.capacity} ${service.capacity === 1 ? 'place' : 'places'} open, no wait`);
    ranked.push({ match: { service, tier, reasons: whyIn, cautions: [...cautions, ...fitted.cautions], full }, score: fitted.score });
  }
  ranked.sort(
    (a, b) =>
      TIER_ORDER[a.match.tier] - TIER_ORDER[b.match.tier] ||
      Number(a.match.full) - Number(b.match.full) ||
      b.score - a.score ||
      a.match.service.waitDays - b.match.service.waitDays ||
      byName(a.match.service.name, b.match.service.name),
  );
  excluded.sort((a, b) => byName(a.service.name, b.service.name));
  return { matches: ranked.map((entry) => entry.match), excluded };
}

/** The needs matching reads from an assessment's answers (yes/no answers stored as 'yes'). */
export function needsFromAnswers(answers: Readonly<Record<string, string | number>>): AssessedNeed[] {
  const yes = (id: string): boolean => answers[id] === 'yes';
  const needs: AssessedNeed[] = [];
  if (yes('home_security') || yes('money') || yes('housing') || yes('property')) needs.push('practical');
  if (yes('wants_emotional_support') || answers.coping === 'struggling') needs.push('emotional');
  if (yes('mental_health')) needs.push('mental_health');
  return needs;
}

/** The access needs matching reads from an assessment's answers, in the directory's own words. */
export function accessNeedsFromAnswers(answers: Readonly<Record<string, string | number>>): string[] {
  const needs: string[] = [];
  if (answers.bsl === 'yes') needs.push('bsl');
  if (answers.easy_read === 'yes') needs.push('easy_read');
  if (answers.interpreter === 'yes') needs.push('interpreter');
  return needs;
}

// --- The victim's language. The needs assessment (and some referrals) name it in words, as the victim or coordinator
// wrote it ("Welsh", "polish", "Cymraeg"); the directory lists ISO 639-1 codes. Matching compares codes, so a
// Welsh speaker fits a service offering 'cy'. ---

/** Words a language is written in besides its English and Welsh names, all folded (see foldName). */
const LANGUAGE_ALIASES: Record<string, readonly string[]> = {
  pl: ['polski'],
  ro: ['romana'],
  pa: ['panjabi'],
  pt: ['portugues'],
  es: ['espanol', 'castilian'],
  bn: ['bangla'],
  it: ['italiano'],
  lt: ['lietuviu'],
  so: ['soomaali'],
  // The directory lists Chinese as one language: a service that lists it is the nearest fit for either.
  zh: ['mandarin', 'cantonese', 'mandarin chinese', 'cantonese chinese'],
};

/** Lower case, accents dropped and spaces tidied, so "Português " and "portugues" are the same name. */
const foldName = (value: string): string =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const CODE_BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(LANGUAGE_LABELS).flatMap(([code, label]) => [code, label.en, label.cy, ...(LANGUAGE_ALIASES[code] ?? [])].map((name) => [foldName(name), code] as const)),
);

/**
 * The directory's code for a language named in words or by code, or null when the directory lists no such language.
 * "Welsh (Cymraeg)" and "Polish / Polski" are read by their first name too, as people write them that way.
 */
export function languageCodeOf(named: string | null | undefined): string | null {
  if (!named) return null;
  const folded = foldName(named);
  const first = foldName(folded.split(/[(/,;]/)[0] ?? '');
  return CODE_BY_NAME.get(folded) ?? CODE_BY_NAME.get(first) ?? null;
}

/**
 * What matching reads of the victim's language: the code when the directory lists the language (a name it does not
 * list is kept as written, so every service is marked as needing an interpreter), and the name to show. Nothing for
 * English or a blank answer: every service works in English.
 */
export function languageOf(named: string | null | undefined): { language: string; languageName: string } | null {
  const written = named?.replace(/\s+/g, ' ').trim();
  if (!written) return null;
  const code = languageCodeOf(written);
  if (code === 'en') return null;
  if (code) return { language: code, languageName: LANGUAGE_LABELS[code]?.en ?? written };
  return { language: written, languageName: written };
}

/** What Haven holds about a case that matching reads, gathered by the service from the case, its assessment and rights. */
export type CaseRecordForMatching = {
  areaId: string;
  /** YYYY-MM-DD, or null. */
  dateOfBirth: string | null;
  /** Today in Europe/London, YYYY-MM-DD, for the age. */
  today: string;
  offenceGroup: string | null;
  /** The indicators the referrals named (domesticAbuse, sexualOffence, ...). */
  referralIndicators: readonly string[];
  /** The person's preferred language from the referral ("en", "Polish"), used when there is no assessment. */
  preferredLanguage: string | null;
  /** The latest needs assessment's answers and DASH level, or null before the first assessment. */
  assessment: { answers: Readonly<Record<string, string | number>>; dashLevel: 'high' | 'standard' | null } | null;
  enhanced: boolean;
};

/**
 * The case's facts for matching. The age is from the date of birth, else the age the victim gave at assessment; an
 * under-18 whose exact age is not known counts as 17, as matching reads only the age band. Domestic abuse is what a
 * referral flagged or the victim told the assessment; the risk is high only on a high DASH result (by score or by
 * professional judgement). The assessment's language is the victim's own answer, so it wins over the referral's.
 */
export function factsForMatching(record: CaseRecordForMatching): CaseFacts {
  const answers = record.assessment?.answers ?? {};
  const answeredAge = typeof answers.age === 'number' ? answers.age : null;
  const age = ageOn(record.dateOfBirth, record.today) ?? answeredAge ?? (answers.under_18 === 'yes' ? 17 : null);
  const spoken = languageOf(typeof answers.language === 'string' && answers.language.trim() ? answers.language : record.preferredLanguage);
  return {
    areaId: record.areaId,
    age,
    // Haven does not record gender: a service for women or men only is shown with a note to check with the victim.
    gender: null,
    offenceGroup: record.offenceGroup,
    domesticAbuse: record.referralIndicators.includes('domesticAbuse') || answers.domestic_abuse === 'yes',
    highRiskDomesticAbuse: record.assessment?.dashLevel === 'high',
    enhanced: record.enhanced,
    needs: needsFromAnswers(answers),
    language: spoken?.language ?? null,
    languageName: spoken?.languageName ?? null,
    accessNeeds: accessNeedsFromAnswers(answers),
    route: 'coordinator',
  };
}
