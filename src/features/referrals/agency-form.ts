// The agency referral form's pure rules: what each answer must be, and the referral the answers make. Intake checks
// the person and the crime again (phone, email, crime reference, offence code); this file checks what only the form asks.
import { CASE_ROLES, type CaseRole } from '../../platform/db/schema.ts';
import { isRealDate, type FieldErrors } from './rules.ts';

export const SAFE_CHANNEL_CHOICES = [
  { value: 'phone', text: 'Phone call' },
  { value: 'sms', text: 'Text message' },
  { value: 'email', text: 'Email' },
  { value: 'letter', text: 'Letter' },
] as const;
export type SafeChannelChoice = (typeof SAFE_CHANNEL_CHOICES)[number]['value'];

/** The offences a partner agency is likely to meet, with their Home Office offence code and counting-rules category. */
export const OFFENCE_CHOICES = [
  { value: 'burglary_residential', text: 'Burglary (home)', code: '28E', category: 'Theft offences' },
  { value: 'robbery', text: 'Robbery', code: '34B', category: 'Robbery' },
  { value: 'theft_from_person', text: 'Theft from the person', code: '39', category: 'Theft offences' },
  { value: 'assault_with_injury', text: 'Assault with injury', code: '8N', category: 'Violence against the person' },
  { value: 'assault_without_injury', text: 'Assault without injury', code: '105A', category: 'Violence against the person' },
  { value: 'harassment', text: 'Harassment', code: '8L', category: 'Violence against the person' },
  { value: 'stalking', text: 'Stalking', code: '8Q', category: 'Violence against the person' },
  { value: 'hate_harassment', text: 'Racially or religiously aggravated harassment', code: '8M', category: 'Violence against the person' },
  { value: 'sexual_assault', text: 'Sexual assault', code: '20A', category: 'Sexual offences' },
  { value: 'rape', text: 'Rape', code: '19C', category: 'Sexual offences' },
  { value: 'criminal_damage_dwelling', text: 'Criminal damage to a home', code: '58A', category: 'Criminal damage and arson' },
  { value: 'fraud', text: 'Fraud', code: '53A', category: 'Fraud' },
] as const;

export const ROLE_CHOICES: { value: CaseRole; text: string }[] = [
  { value: 'victim', text: 'Victim' },
  { value: 'witness', text: 'Witness' },
  { value: 'bereaved_relative', text: 'Bereaved relative' },
  { value: 'parent_of_child_victim', text: 'Parent of a child victim' },
];

export const NOTES_MAX_LENGTH = 2000;
const NAME_MAX_LENGTH = 100;

/** The answers as typed, kept to fill the form again when something is wrong. */
export type AgencyFormValues = {
  referralToken: string;
  givenName: string;
  familyName: string;
  dobDay: string;
  dobMonth: string;
  dobYear: string;
  phone: string;
  email: string;
  safeChannels: string[];
  safeTimes: string;
  role: string;
  reported: string;
  crimeReference: string;
  offence: string;
  notes: string;
  consent: string;
};

export type AgencyReferralAnswers = {
  referralToken: string;
  givenName: string;
  familyName: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
  safeChannels: SafeChannelChoice[];
  safeTimes: string | null;
  role: CaseRole;
  crime: { crimeReference: string; offenceCode: string; offenceCategory: string } | null;
  notes: string | null;
};

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(text).filter(Boolean);

export function formValues(form: Record<string, unknown>): AgencyFormValues {
  return {
    referralToken: text(form.referralToken),
    givenName: text(form.givenName),
    familyName: text(form.familyName),
    dobDay: text(form['dateOfBirth-day']),
    dobMonth: text(form['dateOfBirth-month']),
    dobYear: text(form['dateOfBirth-year']),
    phone: text(form.phone),
    email: text(form.email),
    safeChannels: list(form.safeChannels),
    safeTimes: text(form.safeTimes),
    role: text(form.role),
    reported: text(form.reported),
    crimeReference: text(form.crimeReference),
    offence: text(form.offence),
    notes: text(form.notes),
    consent: text(form.consent),
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The date of birth from the GOV.UK date input: all three parts or none; `today` is YYYY-MM-DD in Europe/London. */
function dateOfBirth(values: AgencyFormValues, today: string): { value: string | null } | { error: string } {
  const { dobDay: day, dobMonth: month, dobYear: year } = values;
  if (!day && !month && !year) return { value: null };
  if (!day || !month || !year) return { error: 'Date of birth must include a day, month and year' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: 'Date of birth must be a real date' };
  const value = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (!isRealDate(value)) return { error: 'Date of birth must be a real date' };
  if (value > today) return { error: 'Date of birth must be in the past' };
  if (value < '1900-01-01') return { error: 'Date of birth must be after 1 January 1900' };
  return { value };
}

/** Checks the answers; the errors are keyed by the form's field ids, in the order the form asks. */
export function checkAgencyForm(values: AgencyFormValues, today: string): { value: AgencyReferralAnswers } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!values.givenName) errors.givenName = 'Enter the person’s first name';
  else if (values.givenName.length > NAME_MAX_LENGTH) errors.givenName = `First name must be ${NAME_MAX_LENGTH} characters or fewer`;
  if (values.familyName.length > NAME_MAX_LENGTH) errors.familyName = `Last name must be ${NAME_MAX_LENGTH} characters or fewer`;
  const dob = dateOfBirth(values, today);
  if ('error' in dob) errors['dateOfBirth-day'] = dob.error;
  if (!values.phone && !values.email) errors.phone = 'Enter a phone number or an email address, so the hub can contact the person';
  const channels = values.safeChannels.filter((channel): channel is SafeChannelChoice =>
    SAFE_CHANNEL_CHOICES.some((choice) => choice.value === channel),
  );
  if (channels.length !== values.safeChannels.length) errors.safeChannels = 'Select only the ways of contact listed';
  else if (!channels.length) errors.safeChannels = 'Select which ways of contacting the person are safe';
  else if (!values.phone && channels.some((channel) => channel === 'phone' || channel === 'sms')) {
    errors.safeChannels = 'Enter a phone number if phone calls or text messages are safe';
  } else if (!values.email && channels.includes('email')) errors.safeChannels = 'Enter an email address if email is safe';
  if (values.safeTimes.length > 200) errors.safeTimes = 'Safe times must be 200 characters or fewer';
  const role = (CASE_ROLES as readonly string[]).includes(values.role) ? (values.role as CaseRole) : null;
  if (!role) errors.role = 'Select the person’s role in the crime';
  let crime: AgencyReferralAnswers['crime'] = null;
  if (values.reported !== 'yes' && values.reported !== 'no') errors.reported = 'Select yes if the crime was reported to the police';
  if (values.reported === 'yes') {
    if (!values.crimeReference) errors.crimeReference = 'Enter the crime reference';
    const offence = OFFENCE_CHOICES.find((choice) => choice.value === values.offence);
    if (!offence) errors.offence = 'Select the offence';
    if (values.crimeReference && offence) {
      crime = { crimeReference: values.crimeReference, offenceCode: offence.code, offenceCategory: offence.category };
    }
  }
  if (values.notes.length > NOTES_MAX_LENGTH) errors.notes = `Support needed must be ${NOTES_MAX_LENGTH} characters or fewer`;
  if (values.consent !== 'yes') errors.consent = 'Confirm that the person has agreed to this referral';
  // The token comes from the form Haven served; without it a double submit could not be recognised.
  if (!UUID_PATTERN.test(values.referralToken)) errors.form = 'The form has expired. Start the referral again';
  if (Object.keys(errors).length || !role) return { errors };
  return {
    value: {
      referralToken: values.referralToken.toLowerCase(),
      givenName: values.givenName,
      familyName: values.familyName || null,
      dateOfBirth: 'value' in dob ? dob.value : null,
      phone: values.phone || null,
      email: values.email || null,
      safeChannels: channels,
      safeTimes: values.safeTimes || null,
      role,
      crime,
      notes: values.notes || null,
    },
  };
}

/** The field ids in the order the form asks for them, for the error summary. */
export const FORM_ORDER = [
  'form',
  'givenName',
  'familyName',
  'dateOfBirth-day',
  'phone',
  'email',
  'safeChannels',
  'safeTimes',
  'role',
  'reported',
  'crimeReference',
  'offence',
  'notes',
  'consent',
] as const;
