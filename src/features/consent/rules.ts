// Pure rules of the consent ledger: what may be shared with whom, why and how it was agreed, and whether a consent is
// in force. No I/O. A consent is per person, per recipient organisation, per purpose; it is never edited, only
// withdrawn or left to expire, so the ledger shows what was allowed at any moment.
import { readNamedDateInput } from '../../platform/forms/date-input.ts';
import { endOfLondonDay } from '../../platform/time/london.ts';
import type { CalendarDate } from '../../platform/time/calendar-date.ts';

export const CONSENT_PURPOSES = ['support_referral', 'progress_updates'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const PURPOSE_NAMES: Record<ConsentPurpose, string> = {
  support_referral: 'Referral for support, sharing the summary the victim approved',
  progress_updates: 'Telling the coordinator how the support is going',
};

/** How the victim reads the purpose on their timeline, after "we may share information with <organisation>". */
export const PURPOSE_FOR_VICTIM: Record<ConsentPurpose, string> = {
  support_referral: 'so they can offer you support',
  progress_updates: 'so they can tell your coordinator how your support is going',
};

export const LEGAL_BASES = ['consent', 'explicit_consent', 'public_task', 'legal_obligation'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
export const LEGAL_BASIS_NAMES: Record<LegalBasis, string> = {
  consent: 'Consent',
  explicit_consent: 'Explicit consent',
  public_task: 'Public task',
  legal_obligation: 'Legal obligation',
};
export const LEGAL_BASIS_HINTS: Record<LegalBasis, string> = {
  consent: 'The victim agreed to this sharing.',
  explicit_consent: 'The victim agreed in clear words to sharing health, sex life or other special category information.',
  public_task: 'Sharing needed to carry out the Victims’ Code. Not for victims who must opt in.',
  legal_obligation: 'The law requires this sharing. Not for victims who must opt in.',
};

export const CONSENT_METHODS = ['verbal', 'written', 'online'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const METHOD_NAMES: Record<ConsentMethod, string> = { verbal: 'Spoken (by phone or in person)', written: 'In writing', online: 'Online, in the portal' };

export const NOTE_MAX_LENGTH = 500;
export const WITHDRAWAL_REASON_MAX_LENGTH = 500;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

export type ConsentForm = {
  recipientOrganisationId?: unknown;
  purpose?: unknown;
  legalBasis?: unknown;
  givenHow?: unknown;
  'expiresOn-day'?: unknown;
  'expiresOn-month'?: unknown;
  'expiresOn-year'?: unknown;
  note?: unknown;
};

/** What the rules need to know of the case to judge the basis of sharing. */
export type SharingFacts = {
  /** Why this person must opt in (a sexual offence, domestic abuse, a bereaved relative), or null. */
  optInReason: string | null;
  /** Whether the case is about a sexual offence, so what is shared is special category information. */
  sexualOffence: boolean;
};

export type NewConsent = {
  recipientOrganisationId: string;
  purpose: ConsentPurpose;
  legalBasis: LegalBasis;
  givenHow: ConsentMethod;
  expiresAt: Date | null;
  note: string | null;
};

export type FieldErrors = Record<string, string>;

/**
 * Checks a consent a coordinator records. A victim who must opt in (victims-code.md) can only be shared about with
 * their consent, and a sexual offence is special category information, which needs explicit consent.
 */
export function checkConsent(form: ConsentForm, facts: SharingFacts, recipients: ReadonlySet<string>, today: CalendarDate): { value: NewConsent } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const recipient = text(form.recipientOrganisationId);
  if (!recipient) errors.recipientOrganisationId = 'Select who the information will be shared with';
  else if (!recipients.has(recipient)) errors.recipientOrganisationId = 'Select an organisation from the list';
  if (!isOneOf(CONSENT_PURPOSES, form.purpose)) errors.purpose = 'Select what the information will be shared for';
  const basis = form.legalBasis;
  if (!isOneOf(LEGAL_BASES, basis)) errors.legalBasis = 'Select the legal basis for sharing';
  else if (facts.sexualOffence && basis !== 'explicit_consent') {
    errors.legalBasis = 'Information about a sexual offence is special category information: record the victim’s explicit consent';
  } else if (facts.optInReason && (basis === 'public_task' || basis === 'legal_obligation')) {
    errors.legalBasis = `The victim must opt in, as ${facts.optInReason} are referred only with their agreement: record their consent`;
  }
  if (!isOneOf(CONSENT_METHODS, form.givenHow)) errors.givenHow = 'Select how the victim agreed';
  // The end date is optional: three empty boxes mean the consent lasts until the victim withdraws it.
  let expiresAt: Date | null = null;
  if ([form['expiresOn-day'], form['expiresOn-month'], form['expiresOn-year']].some((box) => text(box) !== '')) {
    const read = readNamedDateInput(form, 'expiresOn', 'end date');
    if ('error' in read) errors.expiresOn = read.error;
    else if (read.date <= today) errors.expiresOn = 'End date must be in the future';
    else expiresAt = endOfLondonDay(read.date);
  }
  const note = text(form.note);
  if (note.length > NOTE_MAX_LENGTH) errors.note = `The note must be ${NOTE_MAX_LENGTH} characters or fewer`;
  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      recipientOrganisationId: recipient,
      purpose: form.purpose as ConsentPurpose,
      legalBasis: basis as LegalBasis,
      givenHow: form.givenHow as ConsentMethod,
      expiresAt,
      note: note || null,
    },
  };
}

export type Withdrawal = { how: ConsentMethod; reason: string | null };

/** A withdrawal needs only how the victim said so; a reason is kept if they gave one, but never required of them. */
export function checkWithdrawal(form: { how?: unknown; reason?: unknown }): { value: Withdrawal } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!isOneOf(CONSENT_METHODS, form.how)) errors.how = 'Select how the victim withdrew their consent';
  const reason = text(form.reason);
  if (reason.length > WITHDRAWAL_REASON_MAX_LENGTH) errors.reason = `The reason must be ${WITHDRAWAL_REASON_MAX_LENGTH} characters or fewer`;
  if (Object.keys(errors).length) return { errors };
  return { value: { how: form.how as ConsentMethod, reason: reason || null } };
}

export type ConsentState = 'in_force' | 'expired' | 'withdrawn';
export const STATE_TAGS: Record<ConsentState, { text: string; classes: string }> = {
  in_force: { text: 'In force', classes: 'govuk-tag--green' },
  expired: { text: 'Expired', classes: 'govuk-tag--grey' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--red' },
};

export function stateOf(consent: { withdrawnAt: Date | null; expiresAt: Date | null }, now: Date): ConsentState {
  if (consent.withdrawnAt && consent.withdrawnAt <= now) return 'withdrawn';
  if (consent.expiresAt && consent.expiresAt <= now) return 'expired';
  return 'in_force';
}

export type LedgerEntry = { recipientOrganisationId: string; purpose: ConsentPurpose; legalBasis: LegalBasis; withdrawnAt: Date | null; expiresAt: Date | null };

/**
 * Whether this person's information may be shared with this organisation for this purpose now, and if not, why not in
 * words a coordinator can act on. The referral service asks this before anything is sent.
 */
export function sharingAllowed(
  ledger: readonly LedgerEntry[],
  recipientOrganisationId: string,
  purpose: ConsentPurpose,
  facts: SharingFacts,
  now: Date,
): { allowed: true } | { allowed: false; reason: string } {
  const inForce = ledger.filter((entry) => entry.recipientOrganisationId === recipientOrganisationId && entry.purpose === purpose && stateOf(entry, now) === 'in_force');
  const usable = inForce.filter((entry) => {
    if (facts.sexualOffence) return entry.legalBasis === 'explicit_consent';
    if (facts.optInReason) return entry.legalBasis === 'consent' || entry.legalBasis === 'explicit_consent';
    return true;
  });
  if (usable.length) return { allowed: true };
  if (inForce.length) {
    return { allowed: false, reason: facts.sexualOffence ? 'The victim’s explicit consent is needed to share information about a sexual offence' : `The victim must opt in, as ${facts.optInReason ?? 'this group'} are referred only with their agreement` };
  }
  return { allowed: false, reason: 'There is no consent in force to share with this organisation for this purpose' };
}
