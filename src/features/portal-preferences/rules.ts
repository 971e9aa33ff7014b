// Pure rules for the victim's own preferences in the portal: the checks of each change page (safe contact, language,
// communication needs, how often updates come), how needs are kept in the person's one text column, which fields a
// change touched (for the audit, which never holds values), what a read-only supporter may see, and the days between
// updates that a chosen frequency sets for the Code cadence. No I/O.
// Pure rules (no I/O): the channels a profile may name, the profile's shape, and notifications' limits on its fields.
import { SAFE_CHANNELS, type SafeChannel, type SafeContact } from '../people/rules.ts';
import { CODE_WORD_MAX_LENGTH, SAFE_TIMES_MAX_LENGTH, languageOf, type Language } from '../notifications/rules.ts';

export { CODE_WORD_MAX_LENGTH, SAFE_TIMES_MAX_LENGTH };
export type { SafeChannel, SafeContact, Language };

/** The four change pages, by the name in their URL. */
export const SECTIONS = ['safe-contact', 'language', 'needs', 'updates'] as const;
export type Section = (typeof SECTIONS)[number];
export const isSection = (value: unknown): value is Section => typeof value === 'string' && (SECTIONS as readonly string[]).includes(value);

/** Field errors as catalogue keys, so the page shows them in the victim's language. */
export type FieldErrors = Record<string, string>;
export type Form = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const oneLine = (value: unknown): string => text(value).replace(/\s+/g, ' ');
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).filter((item): item is string => typeof item === 'string');

// ---- Safe contact -------------------------------------------------------------------------------------------------

export const SAFE_ADDRESS_MAX_LENGTH = 300;
/** The checkbox that says no way of contact is safe: exclusive of the others, and stored as an empty list. */
export const NO_CHANNEL = 'none';

/**
 * The victim's safe-contact form: channels, safe times to call, voicemail, a safe address and a code word. What only
 * the hub sets (do not contact and its reason, home visits, quiet hours) is kept from the stored profile unchanged.
 */
export function checkSafeContactPreferences(form: Form, stored: SafeContact): { value: SafeContact } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const chosen = list(form.channels);
  const none = chosen.includes(NO_CHANNEL);
  const named = chosen.filter((channel) => channel !== NO_CHANNEL);
  if (!chosen.length) errors.channels = 'portalPreferences.safeContact.error.channelsRequired';
  else if (named.some((channel) => !(SAFE_CHANNELS as readonly string[]).includes(channel))) errors.channels = 'portalPreferences.safeContact.error.channelsUnknown';
  else if (none && named.length) errors.channels = 'portalPreferences.safeContact.error.channelsNoneAndSome';
  const channels = SAFE_CHANNELS.filter((channel) => named.includes(channel));
  // Channels still chosen keep the order first given, since notifications try them in that order.
  const ordered: SafeChannel[] = [...stored.channels.filter((channel) => channels.includes(channel)), ...channels.filter((channel) => !stored.channels.includes(channel))];
  const safeTimes = oneLine(form.safeTimes);
  if (safeTimes.length > SAFE_TIMES_MAX_LENGTH) errors.safeTimes = 'portalPreferences.safeContact.error.safeTimesTooLong';
  const voicemail = form.voicemailSafe;
  if (voicemail !== undefined && voicemail !== '' && voicemail !== 'yes' && voicemail !== 'no') errors.voicemailSafe = 'portalPreferences.safeContact.error.voicemailUnknown';
  const safeAddress = text(form.safeAddress).replace(/\r\n?/g, '\n');
  if (safeAddress.length > SAFE_ADDRESS_MAX_LENGTH) errors.safeAddress = 'portalPreferences.safeContact.error.safeAddressTooLong';
  const codeWord = oneLine(form.codeWord);
  if (codeWord.length > CODE_WORD_MAX_LENGTH) errors.codeWord = 'portalPreferences.safeContact.error.codeWordTooLong';
  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      ...stored,
      channels: none ? [] : ordered,
      safeTimes: safeTimes || null,
      voicemailSafe: voicemail === 'yes' ? true : voicemail === 'no' ? false : null,
      safeAddress: safeAddress || null,
      codeWord: codeWord || null,
    },
  };
}

// ---- Language -----------------------------------------------------------------------------------------------------

/** English or Welsh, stored in person.preferred_language as notifications read it (rules.ts languageOf). */
export function checkLanguage(form: Form): { value: Language } | { errors: FieldErrors } {
  return form.language === 'en' || form.language === 'cy' ? { value: form.language } : { errors: { language: 'portalPreferences.language.error.required' } };
}

/** The language notifications use for what is stored now (which may be another language's name from a referral). */
export const notificationLanguage = (stored: string | null | undefined): Language => languageOf(stored);

// ---- Communication needs ------------------------------------------------------------------------------------------

export const NEEDS = ['large_print', 'easy_read', 'braille', 'audio', 'bsl_interpreter'] as const;
export type Need = (typeof NEEDS)[number];
export const NEEDS_OTHER_MAX_LENGTH = 500;
export const INTERPRETER_LANGUAGE_MAX_LENGTH = 50;

/**
 * The words kept in person.communication_needs for each option: staff read that column as it stands, so it holds plain
 * English lines rather than codes. The portal reads its own lines back to tick the boxes again.
 */
const NEED_LINES: Record<Need, string> = {
  large_print: 'Large print',
  easy_read: 'Easy read',
  braille: 'Braille',
  audio: 'Audio or spoken information',
  bsl_interpreter: 'British Sign Language (BSL) interpreter',
};
const INTERPRETER_PREFIX = 'Interpreter language: ';
const OTHER_PREFIX = 'Other needs: ';

export type CommunicationNeeds = { needs: Need[]; interpreterLanguage: string | null; other: string | null };

/** The stored column read back into the form's parts; anything the portal did not write is kept as other needs. */
export function readNeeds(stored: string | null | undefined): CommunicationNeeds {
  const needs: Need[] = [];
  let interpreterLanguage: string | null = null;
  const rest: string[] = [];
  const lines = (stored ?? '').replace(/\r\n?/g, '\n').split('\n');
  for (const [index, line] of lines.entries()) {
    const need = NEEDS.find((each) => NEED_LINES[each] === line.trim());
    if (need) {
      if (!needs.includes(need)) needs.push(need);
    } else if (line.startsWith(INTERPRETER_PREFIX) && interpreterLanguage === null) {
      interpreterLanguage = line.slice(INTERPRETER_PREFIX.length).trim() || null;
    } else if (line.startsWith(OTHER_PREFIX)) {
      // Everything from the "Other needs" line on is the victim's own words, which may run to several lines.
      rest.push(line.slice(OTHER_PREFIX.length), ...lines.slice(index + 1));
      break;
    } else {
      rest.push(line);
    }
  }
  const other = rest.join('\n').trim();
  return { needs: NEEDS.filter((each) => needs.includes(each)), interpreterLanguage, other: other || null };
}

/** The parts written as the column's text; null when nothing is needed. */
export function writeNeeds(value: CommunicationNeeds): string | null {
  const lines = [
    ...value.needs.map((need) => NEED_LINES[need]),
    ...(value.interpreterLanguage ? [`${INTERPRETER_PREFIX}${value.interpreterLanguage}`] : []),
    ...(value.other ? [`${OTHER_PREFIX}${value.other}`] : []),
  ];
  return lines.length ? lines.join('\n') : null;
}

export function checkNeeds(form: Form): { value: CommunicationNeeds } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const chosen = list(form.needs);
  if (chosen.some((need) => !(NEEDS as readonly string[]).includes(need))) errors.needs = 'portalPreferences.needs.error.unknown';
  const interpreterLanguage = oneLine(form.interpreterLanguage);
  if (interpreterLanguage.length > INTERPRETER_LANGUAGE_MAX_LENGTH) errors.interpreterLanguage = 'portalPreferences.needs.error.interpreterTooLong';
  const other = text(form.other).replace(/\r\n?/g, '\n');
  if (other.length > NEEDS_OTHER_MAX_LENGTH) errors.other = 'portalPreferences.needs.error.otherTooLong';
  if (Object.keys(errors).length) return { errors };
  return { value: { needs: NEEDS.filter((need) => chosen.includes(need)), interpreterLanguage: interpreterLanguage || null, other: other || null } };
}

// ---- How often updates come ---------------------------------------------------------------------------------------

export const UPDATE_FREQUENCIES = ['as_they_happen', 'weekly', 'fortnightly', 'monthly'] as const;
export type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];
/** The radio for "as the Victims' Code says": stored as null, so the area's agreed cadence applies. */
export const CODE_DEFAULT = 'code_default';

export const isUpdateFrequency = (value: unknown): value is UpdateFrequency => typeof value === 'string' && (UPDATE_FREQUENCIES as readonly string[]).includes(value);

export function checkFrequency(form: Form): { value: UpdateFrequency | null } | { errors: FieldErrors } {
  if (form.frequency === CODE_DEFAULT) return { value: null };
  return isUpdateFrequency(form.frequency) ? { value: form.frequency } : { errors: { frequency: 'portalPreferences.updates.error.required' } };
}

/**
 * The days between updates a victim's chosen frequency sets for the stale-case nudge and the officer's "needs an
 * update": a week, two weeks or four. "As they happen" and no choice leave the area's agreed cadence (null here).
 */
export const FREQUENCY_CADENCE_DAYS: Record<UpdateFrequency, number | null> = { as_they_happen: null, weekly: 7, fortnightly: 14, monthly: 28 };

/** The cadence in days for one victim: their chosen frequency's, or the area's where they chose none that sets one. */
export function cadenceDaysWithPreference(areaDays: number, frequency: string | null | undefined): number {
  return (isUpdateFrequency(frequency) ? FREQUENCY_CADENCE_DAYS[frequency] : null) ?? areaDays;
}

// ---- What changed, and what a supporter sees ----------------------------------------------------------------------

/** The names of the fields whose values differ: the audit and the timeline name these, never the values. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
}

/**
 * How a safe address and code word are shown. Someone who may act (the victim, a parent or carer) sees them; a
 * supporter reads the page but learns only whether they are set, since either could put the victim at risk if it
 * reached the wrong person.
 */
export function secretsShown(profile: SafeContact, canAct: boolean): { safeAddress: string | null; codeWord: string | null; hasSafeAddress: boolean; hasCodeWord: boolean; masked: boolean } {
  return {
    safeAddress: canAct ? profile.safeAddress : null,
    codeWord: canAct ? profile.codeWord : null,
    hasSafeAddress: Boolean(profile.safeAddress),
    hasCodeWord: Boolean(profile.codeWord),
    masked: !canAct,
  };
}
