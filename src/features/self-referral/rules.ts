// Pure rules for the self-referral questions: which pages apply to which answers, what each page accepts, and how the
// finished answers become an IncomingReferral. Errors are message keys, so every page can say them in English or Welsh.
import type { IncomingReferral } from '../intake/referral.ts';
import { normaliseEmail, normalisePhone, normalisePostcode, tidyName, NAME_MAX_LENGTH, TEXT_MAX_LENGTH, type SafeChannel } from '../people/rules.ts';

export const REPORTED = ['yes', 'no', 'not_sure'] as const;
export const CATEGORIES = ['domestic_abuse', 'sexual_violence', 'hate_crime', 'other'] as const;
export const CHANNELS = ['phone', 'sms', 'email', 'letter'] as const satisfies readonly SafeChannel[];
export const CALL_TIMES = ['morning', 'afternoon', 'evening', 'any'] as const;
export const YES_NO = ['yes', 'no'] as const;
export const NEEDS = ['interpreter', 'bsl', 'easy_read'] as const;

export type Channel = (typeof CHANNELS)[number];

/** What the victim has answered so far. A page's keys are present once she has answered it, even if only with "". */
export type Answers = {
  reported?: (typeof REPORTED)[number];
  crimeReference?: string;
  category?: (typeof CATEGORIES)[number] | '';
  givenName?: string;
  familyName?: string;
  channels?: Channel[];
  phone?: string;
  email?: string;
  addressLine1?: string;
  town?: string;
  postcode?: string;
  callTime?: (typeof CALL_TIMES)[number];
  callTimeNote?: string;
  voicemail?: (typeof YES_NO)[number];
  needs?: (typeof NEEDS)[number][];
  language?: string;
  otherNeeds?: string;
  /** Set when a page came back with the honeypot filled: the draft is then never sent. */
  caughtByHoneypot?: boolean;
};

/** The question pages, in the order they are asked. */
export const STEPS = ['police', 'what-happened', 'name', 'contact', 'contact-details', 'call-time', 'voicemail', 'support-needs'] as const;
export type Step = (typeof STEPS)[number];

export const isStep = (value: unknown): value is Step => typeof value === 'string' && (STEPS as readonly string[]).includes(value);

export type FieldErrors = Record<string, string>;
export type StepResult = { answers: Answers } | { errors: FieldErrors; values: Record<string, unknown> };

export const DRAFT_LIFETIME_MS = 2 * 60 * 60 * 1000;
export const SUBMISSIONS_PER_HOUR = 5;
export const REFERENCE_MAX_LENGTH = 50;

const wantsCall = (answers: Answers) => answers.channels?.includes('phone') ?? false;

/** Whether a page is asked at all, given the answers so far. */
export function applies(step: Step, answers: Answers): boolean {
  if (step === 'contact-details') return (answers.channels?.length ?? 0) > 0;
  if (step === 'call-time' || step === 'voicemail') return wantsCall(answers);
  return true;
}

const channelsNeedingPhone = (answers: Answers) => answers.channels?.some((channel) => channel === 'phone' || channel === 'sms') ?? false;

/** Whether a page has an answer that still holds, so it need not be asked again. */
export function isAnswered(step: Step, answers: Answers): boolean {
  switch (step) {
    case 'police':
      return answers.reported !== undefined;
    case 'what-happened':
      return answers.category !== undefined;
    case 'name':
      return Boolean(answers.givenName);
    case 'contact':
      return (answers.channels?.length ?? 0) > 0;
    case 'contact-details': {
      const channels = answers.channels ?? [];
      if (channelsNeedingPhone(answers) && !answers.phone) return false;
      if (channels.includes('email') && !answers.email) return false;
      if (channels.includes('letter') && !(answers.addressLine1 && answers.postcode)) return false;
      return true;
    }
    case 'call-time':
      return answers.callTime !== undefined;
    case 'voicemail':
      return answers.voicemail !== undefined;
    case 'support-needs':
      return answers.needs !== undefined;
  }
}

/** The first page still to answer, or null when she can check her answers. */
export function firstUnanswered(answers: Answers): Step | null {
  return STEPS.find((step) => applies(step, answers) && !isAnswered(step, answers)) ?? null;
}

/** Where to go after answering `step`: straight on, or back to check-your-answers when changing one answer. */
export function nextPage(step: Step, answers: Answers, changing: boolean): Step | 'check' {
  if (changing) return firstUnanswered(answers) ?? 'check';
  const later = STEPS.slice(STEPS.indexOf(step) + 1).find((candidate) => applies(candidate, answers));
  return later ?? 'check';
}

/** The page before `step`, for the back link: the start page before the first question. */
export function previousPage(step: Step, answers: Answers): Step | 'start' {
  const earlier = STEPS.slice(0, STEPS.indexOf(step)).reverse().find((candidate) => applies(candidate, answers));
  return earlier ?? 'start';
}

type Form = Record<string, unknown>;

/** A form field as one trimmed string; a repeated field (sent twice) counts as its first value. */
export function field(form: Form, name: string): string {
  const value = form[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** A checkbox group as a list of allowed values, or null when something not offered was sent. */
function choices<T extends string>(form: Form, name: string, allowed: readonly T[]): T[] | null {
  const value = form[name];
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item) => item !== '');
  if (!list.every((item): item is T => typeof item === 'string' && (allowed as readonly string[]).includes(item))) return null;
  return [...new Set(list)].sort((a, b) => allowed.indexOf(a) - allowed.indexOf(b));
}

const oneOf = <T extends string>(value: string, allowed: readonly T[]): value is T => (allowed as readonly string[]).includes(value);

const tooLong = (value: string, max: number) => value.length > max;

/** Checks one page's form and returns the answers with it applied, or the errors to show on the page. */
export function answerStep(step: Step, form: Form, answers: Answers): StepResult {
  const errors: FieldErrors = {};
  switch (step) {
    case 'police': {
      const reported = field(form, 'reported');
      const crimeReference = field(form, 'crimeReference');
      if (!oneOf(reported, REPORTED)) errors.reported = 'selfReferral.police.error.required';
      else if (reported === 'yes' && tooLong(crimeReference, REFERENCE_MAX_LENGTH)) errors.crimeReference = 'selfReferral.police.error.referenceTooLong';
      if (Object.keys(errors).length || !oneOf(reported, REPORTED)) return { errors, values: { reported, crimeReference } };
      return { answers: { ...answers, reported, crimeReference: reported === 'yes' ? crimeReference : '' } };
    }
    case 'what-happened': {
      // "I'd rather not say" is sent as "none", and stored like no answer: an empty category.
      const sent = field(form, 'category');
      const category = sent === 'none' ? '' : sent;
      if (category !== '' && !oneOf(category, CATEGORIES)) return { errors: { category: 'selfReferral.whatHappened.error.invalid' }, values: {} };
      return { answers: { ...answers, category } };
    }
    case 'name': {
      const givenName = tidyName(field(form, 'givenName'));
      const familyName = tidyName(field(form, 'familyName'));
      if (!givenName) errors.givenName = 'selfReferral.name.error.givenNameRequired';
      else if (tooLong(givenName, NAME_MAX_LENGTH)) errors.givenName = 'selfReferral.name.error.givenNameTooLong';
      if (tooLong(familyName, NAME_MAX_LENGTH)) errors.familyName = 'selfReferral.name.error.familyNameTooLong';
      if (Object.keys(errors).length) return { errors, values: { givenName, familyName } };
      return { answers: { ...answers, givenName, familyName } };
    }
    case 'contact': {
      const channels = choices(form, 'channels', CHANNELS);
      if (!channels || channels.length === 0) return { errors: { channels: 'selfReferral.contact.error.required' }, values: { channels: channels ?? [] } };
      return { answers: { ...answers, channels } };
    }
    case 'contact-details': {
      const channels = answers.channels ?? [];
      const values = { phone: field(form, 'phone'), email: field(form, 'email'), addressLine1: field(form, 'addressLine1'), town: field(form, 'town'), postcode: field(form, 'postcode') };
      const next: Answers = { ...answers, phone: '', email: '', addressLine1: '', town: '', postcode: '' };
      if (channelsNeedingPhone(answers)) {
        if (!values.phone) errors.phone = 'selfReferral.details.error.phoneRequired';
        else if (!normalisePhone(values.phone).ok) errors.phone = 'selfReferral.details.error.phoneInvalid';
        next.phone = values.phone;
      }
      if (channels.includes('email')) {
        if (!values.email) errors.email = 'selfReferral.details.error.emailRequired';
        else if (!normaliseEmail(values.email).ok) errors.email = 'selfReferral.details.error.emailInvalid';
        next.email = values.email;
      }
      if (channels.includes('letter')) {
        if (!values.addressLine1) errors.addressLine1 = 'selfReferral.details.error.addressRequired';
        else if (tooLong(values.addressLine1, TEXT_MAX_LENGTH)) errors.addressLine1 = 'selfReferral.details.error.addressTooLong';
        if (tooLong(values.town, NAME_MAX_LENGTH)) errors.town = 'selfReferral.details.error.townTooLong';
        if (!values.postcode) errors.postcode = 'selfReferral.details.error.postcodeRequired';
        else if (!normalisePostcode(values.postcode).ok) errors.postcode = 'selfReferral.details.error.postcodeInvalid';
        Object.assign(next, { addressLine1: values.addressLine1, town: values.town, postcode: values.postcode });
      }
      if (Object.keys(errors).length) return { errors, values };
      return { answers: next };
    }
    case 'call-time': {
      const callTime = field(form, 'callTime');
      const callTimeNote = field(form, 'callTimeNote');
      if (!oneOf(callTime, CALL_TIMES)) errors.callTime = 'selfReferral.callTime.error.required';
      if (tooLong(callTimeNote, TEXT_MAX_LENGTH)) errors.callTimeNote = 'selfReferral.callTime.error.noteTooLong';
      if (Object.keys(errors).length || !oneOf(callTime, CALL_TIMES)) return { errors, values: { callTime, callTimeNote } };
      return { answers: { ...answers, callTime, callTimeNote } };
    }
    case 'voicemail': {
      const voicemail = field(form, 'voicemail');
      if (!oneOf(voicemail, YES_NO)) return { errors: { voicemail: 'selfReferral.voicemail.error.required' }, values: {} };
      return { answers: { ...answers, voicemail } };
    }
    case 'support-needs': {
      const needs = choices(form, 'needs', NEEDS);
      const language = tidyName(field(form, 'language'));
      const otherNeeds = field(form, 'otherNeeds');
      if (!needs) errors.needs = 'selfReferral.needs.error.invalid';
      if (tooLong(language, NAME_MAX_LENGTH)) errors.language = 'selfReferral.needs.error.languageTooLong';
      if (tooLong(otherNeeds, TEXT_MAX_LENGTH)) errors.otherNeeds = 'selfReferral.needs.error.otherTooLong';
      if (Object.keys(errors).length || !needs) return { errors, values: { needs: needs ?? [], language, otherNeeds } };
      return { answers: { ...answers, needs, language, otherNeeds } };
    }
  }
}

// No 0/O, 1/I/L or S/5 pairs to misread when the reference is read out on the phone.
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRTUVWXYZ';

/** A reference like HVN-7K3M-Q9 from six random bytes: random, so it says nothing about the person. */
export function formatReference(randomBytes: Uint8Array): string {
  if (randomBytes.length < 6) throw new Error('A reference needs six random bytes');
  const characters = Array.from(randomBytes.subarray(0, 6), (byte) => REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length]);
  return `HVN-${characters.slice(0, 4).join('')}-${characters.slice(4).join('')}`;
}

export const isReference = (value: unknown): value is string => typeof value === 'string' && /^HVN-[2-9A-Z]{4}-[2-9A-Z]{2}$/.test(value);

const CALL_TIME_WORDS: Record<(typeof CALL_TIMES)[number], string> = {
  morning: 'Morning (9am to midday)',
  afternoon: 'Afternoon (midday to 5pm)',
  evening: 'Evening (5pm to 8pm)',
  any: 'Any time',
};
const NEED_WORDS: Record<(typeof NEEDS)[number], string> = {
  interpreter: 'Needs an interpreter',
  bsl: 'British Sign Language (BSL)',
  easy_read: 'Easy Read',
};
const CATEGORY_WORDS: Record<(typeof CATEGORIES)[number], string> = {
  domestic_abuse: 'domestic abuse',
  sexual_violence: 'sexual violence',
  hate_crime: 'hate crime',
  other: 'something else',
};

/** Whether every page that applies has been answered, so the answers can be sent. */
export const isComplete = (answers: Answers): boolean => firstUnanswered(answers) === null;

/**
 * The referral intake receives. A crime reference she gave is kept in the staff notes, not made into a crime record:
 * it is unverified until the police confirm it. `language` is the language she used the service in.
 */
export function toReferral(answers: Answers, context: { areaId: string; reference: string; language: string; receivedAt: Date }): IncomingReferral {
  const channels = answers.channels ?? [];
  const wantsPhone = channels.includes('phone') || channels.includes('sms');
  const call = channels.includes('phone');
  const safeTimes = call && answers.callTime ? [CALL_TIME_WORDS[answers.callTime], answers.callTimeNote].filter(Boolean).join('. ') : null;
  const postcode = answers.postcode ? normalisePostcode(answers.postcode) : null;
  const safeAddress = channels.includes('letter')
    ? [answers.addressLine1, answers.town, postcode?.ok ? postcode.value : answers.postcode].filter(Boolean).join(', ')
    : null;
  const needs = [
    ...(answers.needs ?? []).map((need) => NEED_WORDS[need]),
    answers.language ? `Language: ${answers.language}` : '',
    answers.otherNeeds ?? '',
  ].filter(Boolean);
  const phone = wantsPhone && answers.phone ? normalisePhone(answers.phone) : null;
  const email = channels.includes('email') && answers.email ? normaliseEmail(answers.email) : null;

  const notes = [
    'Self-referral through the public pages.',
    `Reported to the police: ${answers.reported === 'yes' ? 'yes' : answers.reported === 'no' ? 'no' : 'not sure'}.`,
    answers.reported === 'yes' && answers.crimeReference ? `Crime reference given by the person (not verified): ${answers.crimeReference}.` : '',
    answers.category ? `What happened: ${CATEGORY_WORDS[answers.category]}.` : '',
    channels.includes('sms') ? '' : 'Texts are not a safe way to contact this person.',
  ].filter(Boolean);

  return {
    source: 'self_referral',
    sourceReference: context.reference,
    referringOrganisationId: null,
    areaId: context.areaId,
    person: {
      givenName: answers.givenName ?? '',
      familyName: answers.familyName || null,
      phone: phone?.ok ? phone.value : null,
      email: email?.ok ? email.value : null,
      preferredLanguage: context.language,
      communicationNeeds: needs.length ? needs.join('; ') : null,
      safeContact: {
        channels: [...channels],
        safeTimes,
        voicemailSafe: call ? answers.voicemail === 'yes' : null,
        homeVisitSafe: null,
        safeAddress: safeAddress || null,
        codeWord: null,
      },
    },
    crime: null,
    role: 'victim',
    supportConsent: 'opted_in',
    receivedAt: context.receivedAt,
    notes: notes.join('\n'),
    indicators: {
      domesticAbuse: answers.category === 'domestic_abuse',
      sexualOffence: answers.category === 'sexual_violence',
      hateCrime: answers.category === 'hate_crime',
    },
  };
}
