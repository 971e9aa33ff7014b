// Receives a referral from any door (police API, daily file, self-referral, agency form) and turns it into one person
// and one case, in the caller's transaction: replay check, person matching, crime, case, notes and the repeat flag.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { CASE_ROLES, CASE_SOURCES, SUPPORT_CONSENTS } from '../../platform/db/schema.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent, findOrCreateCrime, openCase } from '../cases/service.ts';
import { findPersonMatch, queueMatchReview, refreshRepeatVictim } from '../matching/service.ts';
import { createPerson, normalisePerson, type NewPerson } from '../people/service.ts';
import type { IncomingReferral, PersonMatch, ReferralReceipt } from './referral.ts';
import { findCaseOnCrime, findReceivedCase, lockReferralKey } from './repository.ts';
import { NOTES_MAX_LENGTH, checkCrimeReference, checkOffenceCode, indicatorsGiven, prefixFields, type FieldErrors } from './rules.ts';

export type { IncomingReferral, PersonMatch, ReferralReceipt };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Receives one referral. A replay (same source, sender and sourceReference) returns the first case with
 * created: false and makes nothing. Otherwise the person is matched: a certain match links to the person already held,
 * and if they already have a case on this crime that case is returned (created: false); a possible match makes a new
 * person and queues a review for a supervisor. Bad input throws Invalid with fields named person.*, crime.* and
 * referral.* (see rules.ts prefixFields), all reported together.
 */
export async function receiveReferral(trx: Trx, actor: Actor, referral: IncomingReferral): Promise<ReferralReceipt> {
  const sourceReference = referral.sourceReference?.trim() || null;
  const referringOrganisationId = referral.referringOrganisationId ?? null;
  const { person, crime } = checkReferral(referral);

  if (sourceReference) {
    await lockReferralKey(trx, `referral:${referral.source}:${referringOrganisationId ?? '-'}:${sourceReference}`);
    const replay = await findReceivedCase(trx, referral.source, referringOrganisationId, sourceReference);
    if (replay) return { caseId: replay.caseId, personId: replay.personId, created: false, match: 'linked_certain' };
  }

  const outcome = await findPersonMatch(trx, referral.areaId, person, {
    crimeReference: crime?.crimeReference ?? null,
    referringOrganisationId,
    sourceReference,
  });
  let personId: string;
  let match: PersonMatch;
  if (outcome.kind === 'certain') {
    personId = outcome.personId;
    match = 'linked_certain';
  } else {
    personId = (await withPrefix('person', () => createPerson(trx, actor, { ...referral.person, areaId: referral.areaId }))).id;
    match = 'new_person';
    if (outcome.kind === 'possible') {
      match = 'new_person_possible_match_queued';
      for (const candidate of outcome.candidates) {
        await queueMatchReview(trx, actor, {
          areaId: referral.areaId,
          personId,
          candidatePersonId: candidate.personId,
          score: candidate.score.score,
          reasons: candidate.score.reasons,
        });
      }
    }
  }

  let crimeId: string | null = null;
  if (crime) {
    const found = await withPrefix('crime', () => findOrCreateCrime(trx, actor, { ...crime, areaId: referral.areaId }));
    crimeId = found.crime.id;
    if (match === 'linked_certain') {
      // The same person on the same crime by another door (the daily file repeating the police API): one case.
      const existing = await findCaseOnCrime(trx, personId, crimeId);
      if (existing) return { caseId: existing, personId, created: false, match };
    }
  }

  const opened = await withPrefix('referral', () =>
    openCase(trx, actor, {
      personId,
      crimeId,
      role: referral.role,
      source: referral.source,
      sourceReference,
      referringOrganisationId,
      supportConsent: referral.supportConsent,
      receivedAt: referral.receivedAt,
    }),
  );
  const caseId = opened.case.id;
  const notes = referral.notes?.trim() || null;
  const indicators = indicatorsGiven(referral.indicators);
  if (opened.created && (notes || indicators.length)) {
    await appendTimelineEvent(trx, actor, {
      caseId,
      kind: 'referral_notes',
      summary: notes ? 'What the referrer told us' : 'What the referral says about the crime',
      detail: { ...(notes ? { notes } : {}), indicators },
      source: referral.source,
      idempotencyKey: `case:${caseId}:referral_notes`,
      visibility: 'staff',
      occurredAt: referral.receivedAt ?? new Date(),
    });
  }
  await refreshRepeatVictim(trx, personId);
  if (opened.created) {
    await writeAudit(trx, actor, {
      action: 'referral.received',
      recordType: 'case',
      recordId: caseId,
      detail: { source: referral.source, match, indicators },
    });
  }
  return { caseId, personId, created: opened.created, match };
}

type CheckedCrime = {
  crimeReference: string;
  offenceCode: string;
  offenceCategory: string;
  offenceGroup: string;
  committedFrom?: string | null;
  committedTo?: string | null;
  reportedAt?: Date | null;
  officerInCharge?: string | null;
  policeOrganisationId?: string | null;
};

/** Every error in the referral at once, so a door can show them all; nothing is written before this passes. */
function checkReferral(referral: IncomingReferral): { person: NewPerson; crime: CheckedCrime | null } {
  let errors: FieldErrors = {};
  if (!(CASE_SOURCES as readonly string[]).includes(referral.source)) errors['referral.source'] = 'The referral’s source is not known';
  if (!(CASE_ROLES as readonly string[]).includes(referral.role)) errors['referral.role'] = 'Select the person’s role in the crime';
  if (!(SUPPORT_CONSENTS as readonly string[]).includes(referral.supportConsent)) errors['referral.supportConsent'] = 'Say whether the person wants support';
  if (!UUID_PATTERN.test(referral.areaId ?? '')) errors['referral.areaId'] = 'The area is not known';
  if ((referral.notes?.length ?? 0) > NOTES_MAX_LENGTH) errors['referral.notes'] = `Notes must be ${NOTES_MAX_LENGTH} characters or fewer`;
  if (referral.receivedAt && Number.isNaN(referral.receivedAt.getTime())) errors['referral.receivedAt'] = 'Enter a real date and time';

  let person: NewPerson | undefined;
  try {
    person = normalisePerson({ ...referral.person, areaId: referral.areaId });
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    errors = { ...errors, ...prefixFields('person', error.fields) };
  }

  let crime: CheckedCrime | null = null;
  if (referral.crime) {
    const reference = checkCrimeReference(referral.crime.crimeReference);
    const offence = checkOffenceCode(referral.crime.offenceCode);
    if (!reference.ok) errors['crime.crimeReference'] = reference.error;
    if (!offence.ok) errors['crime.offenceCode'] = offence.error;
    if (reference.ok && offence.ok) {
      // The code list is the authority for the category and group, whatever the sender called them.
      crime = {
        ...referral.crime,
        crimeReference: reference.value,
        offenceCode: offence.value.code,
        offenceCategory: offence.value.category,
        offenceGroup: offence.value.group,
      };
    }
  }
  if (Object.keys(errors).length || !person) throw new Invalid(errors);
  return { person, crime };
}

/** Re-throws a service's Invalid with its fields named the way every door expects (person.givenName, ...). */
async function withPrefix<T>(prefix: 'person' | 'crime' | 'referral', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Invalid) throw new Invalid(prefixFields(prefix, error.fields), error.message);
    throw error;
  }
}
