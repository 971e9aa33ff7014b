// Every check a referral must pass before intake writes anything, for one referral or a whole batch: its own fields,
// the person (people rules) and the crime (cases rules), with errors named the way every door expects.
import { CASE_ROLES, CASE_SOURCES, SUPPORT_CONSENTS } from '../../platform/db/schema.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
// Pure rules only (no I/O): the crime is checked exactly as findOrCreateCrime will check it, but before anything is written.
import { checkCrime } from '../cases/rules.ts';
import { normalisePerson, todayInLondon, type NewPerson } from '../people/service.ts';
import type { IncomingReferral } from './referral.ts';
import { NOTES_MAX_LENGTH, checkCrimeReference, checkOffenceCode, prefixFields, type FieldErrors } from './rules.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CheckedCrime = {
  crimeReference: string;
  offenceCode: string;
  offenceCategory: string;
  offenceGroup: string;
  committedFrom?: string | null;
  committedTo?: string | null;
  reportedAt?: Date | null;
  officerInCharge?: string | null;
  policeOrganisationId?: string | null;
  /** The code is in the Home Office shape but not on Haven's list: a coordinator is asked to classify it. */
  needsClassification?: boolean;
};

export type CheckedReferral = { person: NewPerson; crime: CheckedCrime | null };

/** Every error in the referral at once, so a door can show them all; nothing is written unless this passes. */
export function checkReferral(referral: IncomingReferral, today = todayInLondon()): { value: CheckedReferral } | { errors: FieldErrors } {
  let errors: FieldErrors = {};
  if (!(CASE_SOURCES as readonly string[]).includes(referral.source)) errors['referral.source'] = 'The referral’s source is not known';
  if (!(CASE_ROLES as readonly string[]).includes(referral.role)) errors['referral.role'] = 'Select the person’s role in the crime';
  if (!(SUPPORT_CONSENTS as readonly string[]).includes(referral.supportConsent)) errors['referral.supportConsent'] = 'Say whether the person wants support';
  if (!UUID_PATTERN.test(referral.areaId ?? '')) errors['referral.areaId'] = 'The area is not known';
  if ((referral.notes?.length ?? 0) > NOTES_MAX_LENGTH) errors['referral.notes'] = `Notes must be ${NOTES_MAX_LENGTH} characters or fewer`;
  if (referral.receivedAt && Number.isNaN(referral.receivedAt.getTime())) errors['referral.receivedAt'] = 'Enter a real date and time';

  let person: NewPerson | undefined;
  try {
    person = normalisePerson({ ...referral.person, areaId: referral.areaId }, today);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    errors = { ...errors, ...prefixFields('person', error.fields) };
  }

  let crime: CheckedCrime | null = null;
  if (referral.crime) {
    const reference = checkCrimeReference(referral.crime.crimeReference);
    const offence = checkOffenceCode(referral.crime.offenceCode, referral.crime.offenceCategory);
    if (!reference.ok) errors['crime.crimeReference'] = reference.error;
    if (!offence.ok) errors['crime.offenceCode'] = offence.error;
    if (reference.ok && offence.ok) {
      // The code list is the authority for the category and group, whatever the sender called them.
      crime = {
        needsClassification: offence.needsClassification,
        ...referral.crime,
        crimeReference: reference.value,
        offenceCode: offence.value.code,
        offenceCategory: offence.value.category,
        offenceGroup: offence.value.group,
      };
      const asRecorded = checkCrime({ ...crime, areaId: referral.areaId }, today);
      if ('errors' in asRecorded) errors = { ...errors, ...prefixFields('crime', asRecorded.errors) };
    }
  }
  if (Object.keys(errors).length || !person) return { errors };
  return { value: { person, crime } };
}
