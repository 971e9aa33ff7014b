// Pure rules for referrals coming in by any door: the crime reference format, the offence code check, and the field
// names under which a referral's errors are reported. Deterministic: no I/O.
import { OFFENCE_CATEGORIES, normaliseOffenceCode, offenceByCode, type Offence } from './offence-codes.ts';

export type FieldErrors = Record<string, string>;

/**
 * A crime reference is the force's two-letter code, a slash, the force's 1 to 8 digit serial, a slash and the
 * two-digit year it was recorded: "WY/12345/26". It is compared in capitals without spaces, so "wy / 12345 / 26" is the
 * same reference.
 */
export const CRIME_REFERENCE_PATTERN = /^[A-Z]{2}\/\d{1,8}\/\d{2}$/;
export const CRIME_REFERENCE_HINT = 'a two-letter force code, the number and the two-digit year, like WY/12345/26';

export const normaliseCrimeReferenceFormat = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

export function checkCrimeReference(value: string | null | undefined): { ok: true; value: string } | { ok: false; error: string } {
  const reference = normaliseCrimeReferenceFormat(value ?? '');
  if (!reference) return { ok: false, error: 'Enter the crime reference' };
  if (!CRIME_REFERENCE_PATTERN.test(reference)) return { ok: false, error: `Enter the crime reference as ${CRIME_REFERENCE_HINT}` };
  return { ok: true, value: reference };
}

/**
 * The shape of a Home Office offence code: a class number of up to three digits, then a letter or a slash and a
 * subclass, as in 1, 4/1, 8N, 28E, 105A and 105/01.
 */
export const OFFENCE_CODE_PATTERN = /^\d{1,3}[A-Z]{0,2}(\/\d{1,3}[A-Z]?)?$/;

export const UNCLASSIFIED_GROUP = 'Needs manual classification';

/**
 * A code Haven knows gives its offence. A code in the Home Office shape that Haven's list lacks (a new or rarer code)
 * is accepted as "needs manual classification", because turning a victim away for a gap in our list loses them; the
 * sender's category is kept if it is one of the Counting Rules categories, and intake raises a task for a coordinator
 * to classify it. Anything else is not an offence code and is refused, with a reason.
 */
export function checkOffenceCode(
  value: string | null | undefined,
  sentCategory?: string | null,
): { ok: true; value: Omit<Offence, 'category'> & { category: string }; needsClassification: boolean } | { ok: false; error: string } {
  const code = normaliseOffenceCode(value ?? '');
  if (!code) return { ok: false, error: 'Enter the Home Office offence code' };
  const offence = offenceByCode(code);
  if (offence) return { ok: true, value: offence, needsClassification: false };
  if (!OFFENCE_CODE_PATTERN.test(code)) return { ok: false, error: 'Enter a Home Office offence code, like 28E for a burglary of a home' };
  const category = (OFFENCE_CATEGORIES as readonly string[]).find((known) => known.toLowerCase() === (sentCategory ?? '').trim().toLowerCase());
  return {
    ok: true,
    value: { code, description: 'Not yet classified', category: category ?? UNCLASSIFIED_GROUP, group: UNCLASSIFIED_GROUP },
    needsClassification: true,
  };
}

/**
 * The stable field names receiveReferral reports in Invalid errors. Each door maps them to its own fields:
 *   person.<field>  a PersonInput field: person.givenName, person.familyName, person.dateOfBirth, person.email,
 *                   person.phone, person.postcode, person.communicationNeeds, person.safeContact, person.otherNames
 *   crime.<field>   a CrimeInput field: crime.crimeReference, crime.offenceCode, crime.offenceCategory,
 *                   crime.committedFrom, crime.committedTo
 *   referral.<field> the referral itself: referral.role, referral.source, referral.areaId, referral.notes
 */
export function prefixFields(prefix: 'person' | 'crime' | 'referral', fields: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([field, message]) => [`${prefix}.${field}`, message]));
}

export const NOTES_MAX_LENGTH = 5000;

export type Indicators = { domesticAbuse?: boolean; hateCrime?: boolean; sexualOffence?: boolean };

/** The indicators that are set, by name, for the timeline event's detail. */
export const indicatorsGiven = (indicators: Indicators | undefined): string[] =>
  Object.entries(indicators ?? {})
    .filter(([, set]) => set === true)
    .map(([name]) => name);

/**
 * The rounds in which a batch of referrals is received so that it ends exactly as if they had come one after another.
 * Each referral has keys: the details matching finds people by (phone, email, date of birth, postcode), its crime and
 * its sender's reference. A referral sharing no key with an earlier one cannot find the people, crimes or cases that
 * earlier one makes, so it may go in the same round; one that shares a key goes in a round after every earlier
 * referral with that key. Returns each referral's round, from 0.
 */
export function receivingRounds(keys: readonly (readonly string[])[]): number[] {
  const lastRound = new Map<string, number>();
  return keys.map((own) => {
    const round = own.reduce((latest, key) => Math.max(latest, (lastRound.get(key) ?? -1) + 1), 0);
    for (const key of own) lastRound.set(key, round);
    return round;
  });
}
