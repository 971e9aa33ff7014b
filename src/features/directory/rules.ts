// Pure rules for the service directory: the option lists a service is described with (in plain English and Welsh),
// the check of a provider's service form and of its quick capacity form, and how the public directory page matches a
// need and describes who a service is for, its wait and how to be referred. No I/O.
// Pure data (no I/O): the Home Office offence groups a crime is recorded under, so eligibility uses the same words.
import { OFFENCES } from '../intake/offence-codes.ts';

export { isUuid } from '../../platform/db/uuid.ts';

export type FieldErrors = Record<string, string>;
export type Language = 'en' | 'cy';
export type Label = { en: string; cy: string };

export const SPECIALISMS = ['isva', 'idva', 'young_victims', 'practical', 'emotional', 'hate_crime', 'restorative_justice', 'mental_health', 'general'] as const;
export type Specialism = (typeof SPECIALISMS)[number];

export const AGE_BANDS = ['child', 'adult', 'older'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const GENDERS = ['female', 'male'] as const;
export type Gender = (typeof GENDERS)[number];

export const REFERRAL_ROUTES = ['coordinator', 'self', 'police', 'agency'] as const;
export type ReferralRoute = (typeof REFERRAL_ROUTES)[number];

export const ACCESSIBILITY = ['bsl', 'easy_read', 'step_free', 'interpreter', 'large_print', 'hearing_loop', 'home_visits'] as const;
export type Accessibility = (typeof ACCESSIBILITY)[number];

/** The service as the matching module and the public page read it. */
export type DirectoryService = {
  id: string; organisationId: string; organisationName: string; areaId: string; name: string; description: string;
  specialism: Specialism; offenceGroups: string[]; ageBands: AgeBand[]; genders: Gender[]; enhancedOnly: boolean;
  referralRoutes: ReferralRoute[]; languages: string[]; accessibility: Accessibility[]; capacity: number; waitDays: number;
  responseWorkingDays: number; active: boolean;
};

export const SPECIALISM_LABELS: Record<Specialism, Label> = {
  isva: { en: 'Independent sexual violence adviser (ISVA)', cy: 'Cynghorydd trais rhywiol annibynnol (ISVA)' },
  idva: { en: 'Independent domestic violence adviser (IDVA)', cy: 'Cynghorydd trais domestig annibynnol (IDVA)' },
  young_victims: { en: 'Support for children and young people', cy: 'Cymorth i blant a phobl ifanc' },
  practical: { en: 'Practical help', cy: 'Help ymarferol' },
  emotional: { en: 'Emotional support', cy: 'Cymorth emosiynol' },
  hate_crime: { en: 'Hate crime support', cy: 'Cymorth troseddau casineb' },
  restorative_justice: { en: 'Restorative justice', cy: 'Cyfiawnder adferol' },
  mental_health: { en: 'Mental health support', cy: 'Cymorth iechyd meddwl' },
  general: { en: 'General support after any crime', cy: 'Cymorth cyffredinol ar ôl unrhyw drosedd' },
};

export const AGE_BAND_LABELS: Record<AgeBand, Label> = {
  child: { en: 'Children and young people under 18', cy: 'Plant a phobl ifanc dan 18 oed' },
  adult: { en: 'Adults aged 18 to 64', cy: 'Oedolion 18 i 64 oed' },
  older: { en: 'Older people aged 65 and over', cy: 'Pobl hŷn 65 oed a hŷn' },
};

export const GENDER_LABELS: Record<Gender, Label> = {
  female: { en: 'Women and girls', cy: 'Menywod a merched' },
  male: { en: 'Men and boys', cy: 'Dynion a bechgyn' },
};

export const REFERRAL_ROUTE_LABELS: Record<ReferralRoute, Label> = {
  coordinator: { en: 'A victim care coordinator at the hub can refer you', cy: 'Gall cydlynydd gofal dioddefwyr yn yr hyb eich atgyfeirio' },
  self: { en: 'You can contact them yourself', cy: 'Gallwch gysylltu â nhw eich hun' },
  police: { en: 'The police can refer you', cy: 'Gall yr heddlu eich atgyfeirio' },
  agency: { en: 'Another organisation, such as your doctor or school, can refer you', cy: 'Gall sefydliad arall, fel eich meddyg neu eich ysgol, eich atgyfeirio' },
};

export const ACCESSIBILITY_LABELS: Record<Accessibility, Label> = {
  bsl: { en: 'British Sign Language (BSL)', cy: 'Iaith Arwyddion Prydain (BSL)' },
  easy_read: { en: 'Easy read information', cy: 'Gwybodaeth hawdd ei darllen' },
  step_free: { en: 'Step-free access', cy: 'Mynediad heb risiau' },
  interpreter: { en: 'Interpreters for other languages', cy: 'Cyfieithwyr ar gyfer ieithoedd eraill' },
  large_print: { en: 'Large print', cy: 'Print bras' },
  hearing_loop: { en: 'Hearing loop', cy: 'Dolen sain' },
  home_visits: { en: 'Home visits', cy: 'Ymweliadau cartref' },
};

/** The languages a service may offer, by ISO 639-1 code: those most spoken in England and Wales after English. */
export const LANGUAGE_LABELS: Record<string, Label> = {
  en: { en: 'English', cy: 'Saesneg' },
  cy: { en: 'Welsh', cy: 'Cymraeg' },
  pl: { en: 'Polish', cy: 'Pwyleg' },
  ro: { en: 'Romanian', cy: 'Rwmaneg' },
  pa: { en: 'Punjabi', cy: 'Pwnjabeg' },
  ur: { en: 'Urdu', cy: 'Wrdw' },
  pt: { en: 'Portuguese', cy: 'Portiwgaleg' },
  es: { en: 'Spanish', cy: 'Sbaeneg' },
  ar: { en: 'Arabic', cy: 'Arabeg' },
  bn: { en: 'Bengali', cy: 'Bengaleg' },
  gu: { en: 'Gujarati', cy: 'Gwjarateg' },
  it: { en: 'Italian', cy: 'Eidaleg' },
  lt: { en: 'Lithuanian', cy: 'Lithwaneg' },
  so: { en: 'Somali', cy: 'Somalieg' },
  zh: { en: 'Chinese', cy: 'Tsieineeg' },
  uk: { en: 'Ukrainian', cy: 'Wcreineg' },
};
export const LANGUAGE_CODES = Object.keys(LANGUAGE_LABELS);

/** Domestic abuse is a flag on a referral, not an offence group: services name it as if it were one. */
export const DOMESTIC_ABUSE_GROUP = 'Domestic abuse';
export const OFFENCE_GROUPS: readonly string[] = [DOMESTIC_ABUSE_GROUP, ...[...new Set(OFFENCES.map((offence) => offence.group))].sort()];

// --- The public page: needs in plain words ---

export const NEEDS = ['court', 'sexual_violence', 'domestic_abuse', 'young_person', 'practical', 'emotional', 'hate_crime', 'restorative_justice'] as const;
export type Need = (typeof NEEDS)[number];

/** What a victim may ask for, in their words, and the kinds of service that meet it. */
export const NEED_SPECIALISMS: Record<Need, readonly Specialism[]> = {
  court: ['isva', 'idva', 'general'],
  sexual_violence: ['isva'],
  domestic_abuse: ['idva'],
  young_person: ['young_victims'],
  practical: ['practical'],
  emotional: ['emotional', 'mental_health', 'general'],
  hate_crime: ['hate_crime'],
  restorative_justice: ['restorative_justice'],
};

export const NEED_LABELS: Record<Need, Label> = {
  court: { en: 'Someone to support me through court', cy: 'Rhywun i’m cefnogi drwy’r llys' },
  sexual_violence: { en: 'Support after rape or sexual assault', cy: 'Cymorth ar ôl trais rhywiol neu ymosodiad rhywiol' },
  domestic_abuse: { en: 'Support with domestic abuse', cy: 'Cymorth gyda cham-drin domestig' },
  young_person: { en: 'Support for a child or young person', cy: 'Cymorth i blentyn neu berson ifanc' },
  practical: { en: 'Practical help, like home security or money advice', cy: 'Help ymarferol, fel diogelwch cartref neu gyngor ariannol' },
  emotional: { en: 'Someone to talk to about how I feel', cy: 'Rhywun i siarad ag ef am sut rwy’n teimlo' },
  hate_crime: { en: 'Support after a hate crime', cy: 'Cymorth ar ôl trosedd casineb' },
  restorative_justice: { en: 'Communicating with the person who harmed me', cy: 'Cyfathrebu â’r person a wnaeth niwed i mi' },
};

export const isNeed = (value: unknown): value is Need => typeof value === 'string' && (NEEDS as readonly string[]).includes(value);

/** The services that meet a need (any need when none is given), with room now first, then the shortest wait. */
export function servicesForNeed<T extends DirectoryService>(services: readonly T[], need: Need | undefined): T[] {
  const wanted = need ? NEED_SPECIALISMS[need] : undefined;
  return services
    .filter((service) => service.active && (!wanted || wanted.includes(service.specialism)))
    .sort((a, b) => Number(b.capacity > 0) - Number(a.capacity > 0) || a.waitDays - b.waitDays || a.name.localeCompare(b.name));
}

const joined = (items: string[], language: Language): string => {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${language === 'cy' ? 'a' : 'and'} ${items[items.length - 1]}`;
};

/** The ages a service takes, as one range where the bands meet; null for any age. */
const AGES: Record<string, Label> = {
  child: AGE_BAND_LABELS.child,
  adult: AGE_BAND_LABELS.adult,
  older: AGE_BAND_LABELS.older,
  'child adult': { en: 'Aged under 65', cy: 'Dan 65 oed' },
  'adult older': { en: 'Aged 18 and over', cy: '18 oed a hŷn' },
  'child older': { en: 'Aged under 18, or 65 and over', cy: 'Dan 18 oed, neu 65 oed a hŷn' },
};

export function agesText(bands: readonly AgeBand[], language: Language): string | null {
  const chosen = AGE_BANDS.filter((band) => bands.includes(band));
  if (!chosen.length || chosen.length === AGE_BANDS.length) return null;
  return AGES[chosen.join(' ')]?.[language] ?? null;
}

/** Who a service is for, one line each, in the reader's language; "Anyone" when it has no limits. */
export function whoItIsFor(service: DirectoryService, language: Language): string[] {
  const lines: string[] = [];
  const ages = agesText(service.ageBands, language);
  if (ages) lines.push(ages);
  if (service.genders.length === 1) lines.push(GENDER_LABELS[service.genders[0]!][language]);
  if (service.offenceGroups.length) {
    const groups = service.offenceGroups.map((group) => group.toLowerCase());
    lines.push(language === 'cy' ? `Ar ôl: ${joined(groups, language)}` : `After ${joined(groups, language)}`);
  }
  if (service.enhancedOnly) {
    lines.push(language === 'cy'
      ? 'Dioddefwyr sydd â hawl i gymorth ychwanegol, er enghraifft ar ôl trosedd difrifol neu os ydych mewn perygl mawr'
      : 'Victims entitled to extra support, for example after a serious crime or if you are at high risk');
  }
  if (!lines.length) lines.push(language === 'cy' ? 'Unrhyw un y mae trosedd wedi effeithio arno' : 'Anyone affected by crime');
  return lines;
}

/** Open places and the wait, in plain words: "full" is said plainly, with the wait. */
export function waitText(service: Pick<DirectoryService, 'capacity' | 'waitDays'>, language: Language): string {
  // Welsh keeps the noun singular after a number: "21 diwrnod".
  const days = (count: number) => `${count} diwrnod`;
  if (service.capacity === 0 && service.waitDays === 0) return language === 'cy' ? 'Llawn ar hyn o bryd' : 'Full at the moment';
  if (service.capacity === 0) {
    return language === 'cy'
      ? `Llawn ar hyn o bryd: aros tua ${days(service.waitDays)}`
      : `Full at the moment: about a ${service.waitDays}-day wait`;
  }
  if (service.waitDays === 0) return language === 'cy' ? 'Lleoedd ar gael nawr, dim aros' : 'Places available now, no wait';
  return language === 'cy' ? `Lleoedd ar gael: aros tua ${days(service.waitDays)}` : `Places available: about a ${service.waitDays}-day wait`;
}

export const label = (labels: Record<string, Label>, key: string, language: Language): string => labels[key]?.[language] ?? key;

// --- The provider's forms ---

export const NAME_MAX_LENGTH = 120;
export const DESCRIPTION_MAX_LENGTH = 1000;
export const MAX_CAPACITY = 9999;
export const MAX_WAIT_DAYS = 365;
export const MAX_RESPONSE_WORKING_DAYS = 20;

/** What a provider says about one service: everything on its form. */
export type ServiceDetails = {
  name: string;
  description: string;
  welshName: string | null;
  welshDescription: string | null;
  specialism: Specialism;
  offenceGroups: string[];
  ageBands: AgeBand[];
  genders: Gender[];
  enhancedOnly: boolean;
  referralRoutes: ReferralRoute[];
  languages: string[];
  accessibility: Accessibility[];
  capacity: number;
  waitDays: number;
  responseWorkingDays: number;
  active: boolean;
};

/** The form as sent: a field may be missing, a string, or (checkboxes) a list. */
export type ServiceForm = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(text).filter(Boolean);

/** The chosen options, once each in the list's order, or null when any is not on the list. */
function choices<T extends string>(value: unknown, options: readonly T[]): T[] | null {
  const chosen = list(value);
  if (chosen.some((item) => !(options as readonly string[]).includes(item))) return null;
  return options.filter((option) => chosen.includes(option));
}

type NumberField = { enter: string; subject: string; example: number; min: number; max: number };

/** A whole number from a form field, or why not, in the GOV.UK pattern's words. */
export function wholeNumber(value: unknown, field: NumberField): { value: number } | { error: string } {
  const raw = text(value).replace(/,/g, '');
  if (!raw) return { error: field.enter };
  if (/^-\d+$/.test(raw) && field.min === 0) return { error: `${field.subject} must be 0 or more` };
  if (!/^\d+$/.test(raw)) return { error: `${field.subject} must be a whole number, like ${field.example}` };
  const number = Number(raw);
  if (number < field.min || number > field.max) return { error: `${field.subject} must be between ${field.min} and ${field.max}` };
  return { value: number };
}

const OPEN_PLACES: NumberField = { enter: 'Enter the number of open places', subject: 'Open places', example: 5, min: 0, max: MAX_CAPACITY };
const WAIT_DAYS: NumberField = { enter: 'Enter the current wait in days', subject: 'The wait', example: 14, min: 0, max: MAX_WAIT_DAYS };
const RESPONSE_DAYS: NumberField = {
  enter: 'Enter the working days to respond to a referral',
  subject: 'Working days to respond',
  example: 2,
  min: 1,
  max: MAX_RESPONSE_WORKING_DAYS,
};

/** Open places and the wait: the quick form, and the same two fields on the full one. */
export function checkCapacity(form: ServiceForm): { value: { capacity: number; waitDays: number } } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const capacity = wholeNumber(form.capacity, OPEN_PLACES);
  const waitDays = wholeNumber(form.waitDays, WAIT_DAYS);
  if ('error' in capacity) errors.capacity = capacity.error;
  if ('error' in waitDays) errors.waitDays = waitDays.error;
  if ('error' in capacity || 'error' in waitDays) return { errors };
  return { value: { capacity: capacity.value, waitDays: waitDays.value } };
}

function yesNo(value: unknown): boolean | null {
  const answer = text(value);
  return answer === 'yes' ? true : answer === 'no' ? false : null;
}

/** The fields of the service form in the order it asks them, for the error summary. */
export const SERVICE_FIELDS = [
  'name', 'description', 'welshName', 'welshDescription', 'specialism', 'offenceGroups', 'ageBands', 'genders', 'enhancedOnly',
  'referralRoutes', 'languages', 'accessibility', 'capacity', 'waitDays', 'responseWorkingDays', 'active',
] as const;

/** Checks the whole service form. Every problem is reported at once, keyed by its field. */
export function checkService(form: ServiceForm): { value: ServiceDetails } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = text(form.name);
  if (!name) errors.name = 'Enter the name of the service';
  else if (name.length > NAME_MAX_LENGTH) errors.name = `Name must be ${NAME_MAX_LENGTH} characters or fewer`;
  const description = text(form.description);
  if (!description) errors.description = 'Enter a description of the service';
  else if (description.length > DESCRIPTION_MAX_LENGTH) errors.description = `Description must be ${DESCRIPTION_MAX_LENGTH} characters or fewer`;
  const welshName = text(form.welshName);
  if (welshName.length > NAME_MAX_LENGTH) errors.welshName = `Welsh name must be ${NAME_MAX_LENGTH} characters or fewer`;
  const welshDescription = text(form.welshDescription);
  if (welshDescription.length > DESCRIPTION_MAX_LENGTH) errors.welshDescription = `Welsh description must be ${DESCRIPTION_MAX_LENGTH} characters or fewer`;

  const specialism = text(form.specialism);
  if (!(SPECIALISMS as readonly string[]).includes(specialism)) errors.specialism = 'Select the kind of support the service gives';
  const offenceGroups = choices(form.offenceGroups, OFFENCE_GROUPS);
  if (!offenceGroups) errors.offenceGroups = 'Select offences from the list';
  const ageBands = choices(form.ageBands, AGE_BANDS);
  if (!ageBands) errors.ageBands = 'Select ages from the list';
  const genders = choices(form.genders, GENDERS);
  if (!genders) errors.genders = 'Select who the service is for from the list';
  const enhancedOnly = yesNo(form.enhancedOnly);
  if (enhancedOnly === null) errors.enhancedOnly = 'Select yes if the service is only for victims entitled to enhanced rights';
  const referralRoutes = choices(form.referralRoutes, REFERRAL_ROUTES);
  if (!referralRoutes?.length) errors.referralRoutes = 'Select at least one way a person can be referred';
  const languages = choices(form.languages, LANGUAGE_CODES);
  if (!languages?.length) errors.languages = 'Select at least one language the service is given in';
  const accessibility = choices(form.accessibility, ACCESSIBILITY);
  if (!accessibility) errors.accessibility = 'Select accessibility from the list';

  const places = checkCapacity(form);
  if ('errors' in places) Object.assign(errors, places.errors);
  const response = wholeNumber(form.responseWorkingDays, RESPONSE_DAYS);
  if ('error' in response) errors.responseWorkingDays = response.error;
  const active = yesNo(form.active);
  if (active === null) errors.active = 'Select yes if the service is taking referrals';

  if (Object.keys(errors).length || 'errors' in places || 'error' in response) return { errors };
  return {
    value: {
      name,
      description,
      welshName: welshName || null,
      welshDescription: welshDescription || null,
      specialism: specialism as Specialism,
      offenceGroups: offenceGroups!,
      ageBands: ageBands!,
      genders: genders!,
      enhancedOnly: enhancedOnly!,
      referralRoutes: referralRoutes!,
      languages: languages!,
      accessibility: accessibility!,
      capacity: places.value.capacity,
      waitDays: places.value.waitDays,
      responseWorkingDays: response.value,
      active: active!,
    },
  };
}
