// Referrals sent in by police records systems (the API) and by partner agencies' staff (the agency form). Each door
// checks what only it knows (consent, the form's answers), hands intake one IncomingReferral in a transaction that also
// records a receipt and an audit event, and answers a repeat of the same referral with the first result.
import type { ApiClientIdentity } from '../../platform/auth/api-credentials.ts';
import { apiClientActor, type Actor, type StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import type { CaseRole, StaffRole, SupportConsent } from '../../platform/db/schema.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { todayInLondon } from '../people/service.ts';
import type { IncomingReferral, PersonMatch, ReferralReceipt } from '../intake/referral.ts';
import { receiveReferral } from '../intake/service.ts';
import { checkAgencyForm, formValues, type AgencyReferralAnswers } from './agency-form.ts';
import { findReceivedReferral, lockSenderReference, receiptEventKey, type ReceivedReferral } from './repository.ts';
import { apiFieldErrors, formFieldErrors, supportConsentFor, type SupportChoice } from './rules.ts';

export type PoliceReferral = {
  policeReference: string;
  victim: {
    givenName: string;
    familyName?: string | null;
    otherNames?: string[];
    dateOfBirth?: string | null;
    phone?: string | null;
    email?: string | null;
    address?: { line1?: string | null; line2?: string | null; town?: string | null; postcode?: string | null } | null;
    preferredLanguage?: string | null;
    communicationNeeds?: string | null;
  };
  role: CaseRole;
  crime: {
    crimeReference: string;
    offenceCode: string;
    offenceCategory: string;
    committedFrom?: string | null;
    committedTo?: string | null;
    reportedAt?: Date | null;
    officerInCharge?: string | null;
  };
  indicators?: { domesticAbuse?: boolean; hateCrime?: boolean; sexualOffence?: boolean };
  consent: { support: SupportChoice };
  referredAt?: Date | null;
  notes?: string | null;
};

export type PoliceReferralReceipt = {
  referralId: string;
  policeReference: string;
  personMatch: PersonMatch;
  supportConsent: SupportConsent;
  /** True only for the request that made the referral; a replay answers false and makes nothing. */
  created: boolean;
  receivedAt: string;
  links: { self: string; openapi: string };
};

const PERSON_MATCHES: readonly PersonMatch[] = ['new_person', 'linked_certain', 'new_person_possible_match_queued'];

const referralPath = (policeReference: string) => `/api/v1/referrals/${encodeURIComponent(policeReference)}`;

function policeReceipt(policeReference: string, received: ReceivedReferral, created: boolean): PoliceReferralReceipt {
  const match = received.receipt.personMatch;
  return {
    referralId: received.caseId,
    policeReference,
    personMatch: PERSON_MATCHES.includes(match as PersonMatch) ? (match as PersonMatch) : 'new_person',
    supportConsent: received.supportConsent,
    created,
    receivedAt: received.receivedAt.toISOString(),
    links: { self: referralPath(policeReference), openapi: '/api/openapi.json' },
  };
}

/**
 * Hands a referral to intake and records its receipt on the case's staff timeline under the sender's reference, in
 * the caller's transaction. Intake's field errors are renamed by `renameFields` for the door that asked.
 */
async function receiveAndRecord(
  trx: Trx,
  actor: Actor,
  referral: IncomingReferral & { sourceReference: string; referringOrganisationId: string },
  summary: string,
  renameFields: (fields: Record<string, string>) => Record<string, string>,
): Promise<ReferralReceipt> {
  let receipt: ReferralReceipt;
  try {
    receipt = await receiveReferral(trx, actor, referral);
  } catch (error) {
    if (error instanceof Invalid) throw new Invalid(renameFields(error.fields), error.message);
    throw error;
  }
  await appendTimelineEvent(trx, actor, {
    caseId: receipt.caseId,
    kind: 'referral_receipt',
    summary,
    // No personal details: only what the sender needs to be answered with again on a replay.
    detail: { source: referral.source, sourceReference: referral.sourceReference, personMatch: receipt.match, created: receipt.created },
    source: referral.source,
    idempotencyKey: receiptEventKey(referral.source, referral.referringOrganisationId, referral.sourceReference),
    visibility: 'staff',
    occurredAt: referral.receivedAt ?? new Date(),
  });
  // Intake audits a referral that opens a case; one that joins a case another door opened is audited here.
  if (!receipt.created) {
    await writeAudit(trx, actor, {
      action: 'referral.received',
      recordType: 'case',
      recordId: receipt.caseId,
      detail: { source: referral.source, match: receipt.match, joinedExistingCase: true },
    });
  }
  return receipt;
}

/**
 * POST /api/v1/referrals: one police referral. The police reference is the idempotency key for the calling
 * organisation: a replay (even one sent at the same moment) answers with the first receipt and `created: false`.
 */
export async function receivePoliceReferral(
  db: Db,
  client: ApiClientIdentity,
  referral: PoliceReferral,
  requestId?: string,
): Promise<PoliceReferralReceipt> {
  const actor = apiClientActor(client, requestId);
  const reference = referral.policeReference;
  return inTransaction(db, async (trx) => {
    await lockSenderReference(trx, 'police_api', client.organisationId, reference);
    const earlier = await findReceivedReferral(trx, 'police_api', client.organisationId, reference);
    if (earlier) {
      await writeAudit(trx, actor, { action: 'referral.replayed', recordType: 'case', recordId: earlier.caseId, detail: { source: 'police_api' } });
      return policeReceipt(reference, earlier, false);
    }
    const consent = supportConsentFor(referral.consent.support, {
      role: referral.role,
      offenceCode: referral.crime.offenceCode,
      offenceCategory: referral.crime.offenceCategory,
      indicators: referral.indicators,
    });
    if ('error' in consent) throw new Invalid({ 'consent.support': consent.error });
    const { victim, crime } = referral;
    await receiveAndRecord(
      trx,
      actor,
      {
        source: 'police_api',
        sourceReference: reference,
        referringOrganisationId: client.organisationId,
        areaId: client.areaId,
        person: {
          givenName: victim.givenName,
          familyName: victim.familyName ?? null,
          otherNames: victim.otherNames ?? [],
          dateOfBirth: victim.dateOfBirth ?? null,
          phone: victim.phone ?? null,
          email: victim.email ?? null,
          addressLine1: victim.address?.line1 ?? null,
          addressLine2: victim.address?.line2 ?? null,
          town: victim.address?.town ?? null,
          postcode: victim.address?.postcode ?? null,
          preferredLanguage: victim.preferredLanguage ?? null,
          communicationNeeds: victim.communicationNeeds ?? null,
        },
        crime: {
          crimeReference: crime.crimeReference,
          offenceCode: crime.offenceCode,
          offenceCategory: crime.offenceCategory,
          committedFrom: crime.committedFrom ?? null,
          committedTo: crime.committedTo ?? null,
          reportedAt: crime.reportedAt ?? null,
          officerInCharge: crime.officerInCharge ?? null,
          policeOrganisationId: client.organisationId,
        },
        role: referral.role,
        supportConsent: consent.consent,
        ...(referral.referredAt ? { receivedAt: referral.referredAt } : {}),
        notes: referral.notes ?? null,
        ...(referral.indicators ? { indicators: referral.indicators } : {}),
      },
      `Police referral ${reference} received from ${client.organisationName}`,
      apiFieldErrors,
    );
    const received = await findReceivedReferral(trx, 'police_api', client.organisationId, reference);
    if (!received) throw new Error('The referral just received could not be read back');
    return policeReceipt(reference, received, true);
  });
}

/** GET /api/v1/referrals/{policeReference}: the receipt of the calling organisation's referral; others' are not found. */
export async function getPoliceReferral(db: Db, client: ApiClientIdentity, policeReference: string, requestId?: string): Promise<PoliceReferralReceipt> {
  const actor = apiClientActor(client, requestId);
  return inTransaction(db, async (trx) => {
    const received = await findReceivedReferral(trx, 'police_api', client.organisationId, policeReference);
    if (!received) throw new NotFound('referral');
    await writeAudit(trx, actor, { action: 'referral.viewed', recordType: 'case', recordId: received.caseId, detail: { source: 'police_api' } });
    return policeReceipt(policeReference, received, false);
  });
}

/** Every signed-in staff role may refer someone, except the commissioner's analyst, who sees only figures. */
export const AGENCY_REFERRER_ROLES: readonly StaffRole[] = [
  'coordinator',
  'supervisor',
  'police_officer',
  'witness_care_officer',
  'provider_caseworker',
  'victim_liaison_officer',
  'administrator',
];

function requireReferrer(actor: Actor): StaffIdentity {
  if (actor.kind !== 'staff' || !AGENCY_REFERRER_ROLES.includes(actor.staff.role)) throw new Forbidden('agency referrers only');
  return actor.staff;
}

export type AgencyReferralResult = { caseId: string; referralToken: string; created: boolean };

function agencyIncoming(staff: StaffIdentity, answers: AgencyReferralAnswers): IncomingReferral & { sourceReference: string; referringOrganisationId: string } {
  return {
    source: 'agency_referral',
    sourceReference: answers.referralToken,
    referringOrganisationId: staff.organisationId,
    areaId: staff.areaId,
    person: {
      givenName: answers.givenName,
      familyName: answers.familyName,
      dateOfBirth: answers.dateOfBirth,
      phone: answers.phone,
      email: answers.email,
      safeContact: { channels: answers.safeChannels, safeTimes: answers.safeTimes },
    },
    crime: answers.crime,
    role: answers.role,
    // The form cannot be sent without confirming that the person agreed.
    supportConsent: 'opted_in',
    notes: answers.notes,
  };
}

/**
 * The agency form: checks the answers, then hands the referral to intake. The form's one-time token is the sender's
 * reference, so sending the same form twice (a double click, a resubmit) makes one case.
 */
export async function submitAgencyReferral(db: Db, actor: Actor, form: Record<string, unknown>): Promise<AgencyReferralResult> {
  const staff = requireReferrer(actor);
  const checked = checkAgencyForm(formValues(form), todayInLondon());
  if ('errors' in checked) throw new Invalid(checked.errors);
  const answers = checked.value;
  return inTransaction(db, async (trx) => {
    await lockSenderReference(trx, 'agency_referral', staff.organisationId, answers.referralToken);
    const earlier = await findReceivedReferral(trx, 'agency_referral', staff.organisationId, answers.referralToken);
    if (earlier) return { caseId: earlier.caseId, referralToken: answers.referralToken, created: false };
    const receipt = await receiveAndRecord(
      trx,
      actor,
      agencyIncoming(staff, answers),
      `Referral received from ${staff.organisationName}, made by ${staff.displayName}`,
      formFieldErrors,
    );
    return { caseId: receipt.caseId, referralToken: answers.referralToken, created: true };
  });
}

/** The case an agency referral made, for its confirmation page: only the referring organisation can see it. */
export async function agencyReferralSent(db: Db, actor: Actor, referralToken: string): Promise<{ caseId: string }> {
  const staff = requireReferrer(actor);
  const received = await findReceivedReferral(db, 'agency_referral', staff.organisationId, referralToken.toLowerCase());
  if (!received) throw new NotFound('referral');
  return { caseId: received.caseId };
}

