// Pure rules for a person's details: how names, phone numbers, emails and postcodes are normalised for storing and
// matching, and what a valid new person looks like. Deterministic: no I/O.

export type FieldErrors = Record<string, string>;
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export const NAME_MAX_LENGTH = 100;
export const TEXT_MAX_LENGTH = 500;
export const EMAIL_MAX_LENGTH = 254;

/** Tidies a name as typed for display: trimmed, single spaces, case kept. */
export function tidyName(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/**
 * The form of a name used to compare people: accents stripped, case-folded, apostrophes dropped and other punctuation
 * read as a space, so "Siân O’Brien-Jones" and "sian obrien jones" compare equal.
 */
export function matchingName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en-GB')
    .replace(/ß/g, 'ss')
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Given and family name together, in matching form. */
export function matchingFullName(givenName: string, familyName: string | null | undefined): string {
  return matchingName(`${givenName} ${familyName ?? ''}`);
}

export const PHONE_INVALID =
  'Enter a UK phone number, like 07700 900 982 or 020 7946 0000, or an international number starting with +, like +33 1 23 45 67 89';

/**
 * A phone number in E.164 form (+447700900982). UK numbers may be written nationally (07700 900982) or with +44 or
 * 0044, with or without "(0)"; any other country's number must start with + or 00 and its country code.
 */
export function normalisePhone(value: string): Checked<string> {
  const written = value.trim();
  if (!written) return { ok: false, error: 'Enter a phone number' };
  if (/[^\d\s+().-]/.test(written)) return { ok: false, error: PHONE_INVALID };
  if (written.indexOf('+') > 0 || written.split('+').length > 2) return { ok: false, error: PHONE_INVALID };
  const compact = written.replace(/\(0\)/g, '').replace(/[\s().-]/g, '');
  let international: string;
  if (compact.startsWith('+')) international = compact.slice(1);
  else if (compact.startsWith('00')) international = compact.slice(2);
  else if (compact.startsWith('0')) international = `44${compact.slice(1)}`;
  else return { ok: false, error: PHONE_INVALID };
  if (!/^[1-9]\d{7,14}$/.test(international)) return { ok: false, error: PHONE_INVALID };
  if (international.startsWith('44')) {
    // A UK national significant number has 9 or 10 digits and never starts with 0, 4 or 6.
    const national = international.slice(2);
    if (!/^[1235789]\d{8,9}$/.test(national)) return { ok: false, error: PHONE_INVALID };
    if (national.startsWith('7') && national.length !== 10) return { ok: false, error: PHONE_INVALID };
  }
  return { ok: true, value: `+${international}` };
}

// Deliberately loose: one @, something either side, a dot in the domain and no spaces.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Emails are compared without regard to case, so they are kept in lower case. */
export function normaliseEmail(value: string): Checked<string> {
  const email = value.trim().toLowerCase();
  if (!email) return { ok: false, error: 'Enter an email address' };
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email) || email.includes('..')) {
    return { ok: false, error: 'Enter an email address in the correct format, like name@example.com' };
  }
  return { ok: true, value: email };
}

const POSTCODE_PATTERN = /^(GIR0AA|[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2})$/;

/** A UK postcode in capitals with one space before the inward code: "sw1a1aa" becomes "SW1A 1AA". */
export function normalisePostcode(value: string): Checked<string> {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (!compact) return { ok: false, error: 'Enter a postcode' };
  if (!POSTCODE_PATTERN.test(compact)) return { ok: false, error: 'Enter a real postcode, like SW1A 1AA' };
  return { ok: true, value: `${compact.slice(0, -3)} ${compact.slice(-3)}` };
}

/** A calendar date written YYYY-MM-DD that exists. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const SAFE_CHANNELS = ['email', 'sms', 'phone', 'letter'] as const;
export type SafeChannel = (typeof SAFE_CHANNELS)[number];

/** Which ways of reaching the person are safe, and how. Unknown is null, never a guess. */
export type SafeContact = {
  channels: SafeChannel[];
  safeTimes: string | null;
  voicemailSafe: boolean | null;
  homeVisitSafe: boolean | null;
  safeAddress: string | null;
  codeWord: string | null;
  /** True: send no message at all; the hub tells them another way. Missing in rows written before it existed: null. */
  doNotContact?: boolean | null;
  /** Why they must not be contacted, in staff words; never shown to the victim. */
  doNotContactReason?: string | null;
  /** London wall-clock times (HH:MM) between which no message may arrive; null keeps the default (21:00 to 08:00). */
  quietHours?: { from: string; to: string } | null;
};

export const NO_SAFE_CONTACT: SafeContact = {
  channels: [],
  safeTimes: null,
  voicemailSafe: null,
  homeVisitSafe: null,
  safeAddress: null,
  codeWord: null,
  doNotContact: null,
  doNotContactReason: null,
  quietHours: null,
};

export type PersonInput = {
  areaId: string;
  givenName: string;
  familyName?: string | null;
  otherNames?: string[];
  dateOfBirth?: string | null;
  email?: string | null;
  phone?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  town?: string | null;
  postcode?: string | null;
  preferredLanguage?: string | null;
  communicationNeeds?: string | null;
  safeContact?: Partial<SafeContact>;
};

export type NewPerson = {
  areaId: string;
  givenName: string;
  familyName: string | null;
  otherNames: string[];
  matchName: string;
  dateOfBirth: string | null;
  email: string | null;
  phone: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
  preferredLanguage: string;
  communicationNeeds: string | null;
  safeContact: SafeContact;
};

const optionalText = (value: string | null | undefined): string | null => {
  const tidied = tidyName(value ?? '');
  return tidied || null;
};

/** Checks and normalises a new person's details; `today` is YYYY-MM-DD in Europe/London, for the date of birth. */
export function checkPerson(input: PersonInput, today: string): { value: NewPerson } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const givenName = tidyName(input.givenName ?? '');
  if (!givenName) errors.givenName = 'Enter a first name';
  else if (givenName.length > NAME_MAX_LENGTH) errors.givenName = `First name must be ${NAME_MAX_LENGTH} characters or fewer`;
  const familyName = optionalText(input.familyName);
  if (familyName && familyName.length > NAME_MAX_LENGTH) errors.familyName = `Last name must be ${NAME_MAX_LENGTH} characters or fewer`;
  const otherNames = (input.otherNames ?? []).map(tidyName).filter(Boolean);
  if (otherNames.some((name) => name.length > NAME_MAX_LENGTH)) errors.otherNames = `Each other name must be ${NAME_MAX_LENGTH} characters or fewer`;

  const dateOfBirth = optionalText(input.dateOfBirth);
  if (dateOfBirth && !isCalendarDate(dateOfBirth)) errors.dateOfBirth = 'Date of birth must be a real date';
  else if (dateOfBirth && dateOfBirth > today) errors.dateOfBirth = 'Date of birth must be in the past';

  let email: string | null = null;
  if (optionalText(input.email)) {
    const checked = normaliseEmail(input.email ?? '');
    if (checked.ok) email = checked.value;
    else errors.email = checked.error;
  }
  let phone: string | null = null;
  if (optionalText(input.phone)) {
    const checked = normalisePhone(input.phone ?? '');
    if (checked.ok) phone = checked.value;
    else errors.phone = checked.error;
  }
  let postcode: string | null = null;
  if (optionalText(input.postcode)) {
    const checked = normalisePostcode(input.postcode ?? '');
    if (checked.ok) postcode = checked.value;
    else errors.postcode = checked.error;
  }
  const communicationNeeds = input.communicationNeeds?.trim() || null;
  if (communicationNeeds && communicationNeeds.length > TEXT_MAX_LENGTH) {
    errors.communicationNeeds = `Communication needs must be ${TEXT_MAX_LENGTH} characters or fewer`;
  }
  const safe = input.safeContact ?? {};
  const channels = [...new Set(safe.channels ?? [])];
  if (channels.some((channel) => !(SAFE_CHANNELS as readonly string[]).includes(channel))) errors.safeContact = 'Select safe ways to contact';

  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      areaId: input.areaId,
      givenName,
      familyName,
      otherNames,
      matchName: matchingFullName(givenName, familyName),
      dateOfBirth,
      email,
      phone,
      addressLine1: optionalText(input.addressLine1),
      addressLine2: optionalText(input.addressLine2),
      town: optionalText(input.town),
      postcode,
      preferredLanguage: optionalText(input.preferredLanguage) ?? 'en',
      communicationNeeds,
      safeContact: {
        channels,
        safeTimes: optionalText(safe.safeTimes),
        voicemailSafe: safe.voicemailSafe ?? null,
        homeVisitSafe: safe.homeVisitSafe ?? null,
        safeAddress: safe.safeAddress?.trim() || null,
        codeWord: optionalText(safe.codeWord),
        // Given only by a door that asks (older doors never do), so a profile without them reads as before: unknown.
        ...(safe.doNotContact === undefined ? {} : { doNotContact: safe.doNotContact, doNotContactReason: optionalText(safe.doNotContactReason) }),
        ...(safe.quietHours === undefined ? {} : { quietHours: safe.quietHours }),
      },
    },
  };
}
