// Pure rules for referrals sent in by police systems and partner agencies: consent to onward support (who must opt
// in), how intake's field names read in each door's own terms, the agency form's checks, and the short reference a
// referrer is shown. Deterministic: no I/O.
import type { CaseRole, SupportConsent } from '../../platform/db/schema.ts';

export type FieldErrors = Record<string, string>;

/** What the police system says the victim chose about a referral to support services. */
export const SUPPORT_CHOICES = ['opted_out', 'opted_in', 'not_asked'] as const;
export type SupportChoice = (typeof SUPPORT_CHOICES)[number];

/** A police reference: letters and digits, then also . _ : - (no slash, as it travels in a URL path). */
export const POLICE_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;

export type OptInFacts = {
  role: CaseRole;
  offenceCode?: string | null;
  offenceCategory?: string | null;
  offenceGroup?: string | null;
  indicators?: { domesticAbuse?: boolean; sexualOffence?: boolean } | null;
};

// Home Office offence classes for sexual offences (rape, sexual assault, sexual activity with children, exposure,
// and the child sexual exploitation and image offences): 17–23, 70–74 and 88.
const SEXUAL_OFFENCE_CLASSES = new Set(['17', '18', '19', '20', '21', '22', '23', '70', '71', '72', '73', '74', '88']);

/** True when the offence is a sexual offence, from the flag, the Home Office class, or the category's words. */
export function isSexualOffence(facts: OptInFacts): boolean {
  if (facts.indicators?.sexualOffence) return true;
  const offenceClass = /^\s*0*(\d+)/.exec(facts.offenceCode ?? '')?.[1];
  if (offenceClass && SEXUAL_OFFENCE_CLASSES.has(offenceClass)) return true;
  return /sexual|rape/i.test(`${facts.offenceCategory ?? ''} ${facts.offenceGroup ?? ''}`);
}

/**
 * Why this person must opt in to a referral to support, or null when police may refer them unless they opt out.
 * Victims' Code (2015 wording): victims of sexual offences and domestic abuse, and bereaved relatives, must opt in.
 */
export function optInReason(facts: OptInFacts): string | null {
  if (facts.role === 'bereaved_relative') return 'bereaved relatives';
  if (facts.indicators?.domesticAbuse) return 'victims of domestic abuse';
  if (isSexualOffence(facts)) return 'victims of sexual offences';
  return null;
}

/**
 * The consent Haven records for a police referral. "opted_out" is kept as it is: the case is still recorded, so the
 * Code duties that do not depend on support (information, updates) are kept, but no onward referral is made.
 * "not_asked" is implied consent where the Code lets police refer unless the victim opts out, and refused where the
 * victim must opt in.
 */
export function supportConsentFor(choice: SupportChoice, facts: OptInFacts): { consent: SupportConsent } | { error: string } {
  if (choice === 'opted_in') return { consent: 'opted_in' };
  if (choice === 'opted_out') return { consent: 'opted_out' };
  const reason = optInReason(facts);
  if (reason) {
    return {
      error: `The victim must opt in to support: ${reason} are referred only with their agreement. Send opted_in or opted_out`,
    };
  }
  return { consent: 'implied' };
}

// Intake names the person's fields as they are stored; the API groups the address under victim.address.
const API_PERSON_FIELDS: Record<string, string> = {
  addressLine1: 'victim.address.line1',
  addressLine2: 'victim.address.line2',
  town: 'victim.address.town',
  postcode: 'victim.address.postcode',
};

/** Intake's field errors (person.givenName, crime.offenceCode, referral.role) in the police API's terms. */
export function apiFieldErrors(fields: FieldErrors): FieldErrors {
  const mapped: FieldErrors = {};
  for (const [field, message] of Object.entries(fields)) {
    let name = field;
    if (field.startsWith('person.')) {
      const rest = field.slice('person.'.length);
      name = API_PERSON_FIELDS[rest] ?? `victim.${rest}`;
    } else if (field === 'supportConsent' || field === 'referral.supportConsent') name = 'consent.support';
    else if (field === 'referral.receivedAt') name = 'referredAt';
    else if (field.startsWith('referral.')) name = field.slice('referral.'.length);
    mapped[name] ??= message;
  }
  return mapped;
}

// The agency form's field ids for intake's field names; the first of a person's date parts takes a date error.
const FORM_FIELDS: Record<string, string> = {
  'person.givenName': 'givenName',
  'person.familyName': 'familyName',
  'person.dateOfBirth': 'dateOfBirth-day',
  'person.phone': 'phone',
  'person.email': 'email',
  'person.postcode': 'postcode',
  'person.safeContact': 'safeChannels',
  'crime.crimeReference': 'crimeReference',
  'crime.offenceCode': 'offence',
  'crime.offenceCategory': 'offence',
  'referral.role': 'role',
  'referral.supportConsent': 'consent',
  'referral.notes': 'notes',
};

/** Intake's field errors as the agency form's field ids, so the error summary links to the right input. */
export function formFieldErrors(fields: FieldErrors): FieldErrors {
  const mapped: FieldErrors = {};
  for (const [field, message] of Object.entries(fields)) {
    const name = FORM_FIELDS[field] ?? (field.startsWith('person.') ? 'givenName' : field.startsWith('crime.') ? 'crimeReference' : 'form');
    mapped[name] ??= message;
  }
  return mapped;
}

/**
 * A short reference for a case that says nothing about the person: the first 8 hex digits of its random id, as
 * REF-1A2B-3C4D. Enough for a referrer to quote on the phone; staff find the case from it.
 */
export function shortCaseReference(caseId: string): string {
  const digits = caseId.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `REF-${digits.slice(0, 4)}-${digits.slice(4, 8)}`;
}

/** A calendar date written YYYY-MM-DD that exists. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}
