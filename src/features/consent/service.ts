// Use-cases of the consent ledger: read a person's consents from their case, record one, withdraw one, and the check
// the referral service makes before anything is shared. Only hub coordinators and supervisors of the case's area may;
// anyone else, and a guessed id, gets NotFound. Every read and write is audited, and recording or withdrawing is put on
// the case timeline in the same transaction, where the victim can read it.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { appendTimelineEvent, caseFacts, getCaseForStaff, type VictimCase } from '../cases/service.ts';
import { closeReferralsOnWithdrawal } from '../support-referrals/service.ts';
// Pure rules (no I/O): the short case reference, and who must opt in.
import { caseReference } from '../cases/rules.ts';
import { isSexualOffence, optInReason } from '../referrals/rules.ts';
import { findConsent, findConsentIdBySubmission, insertConsent, listConsentsOfPerson, markWithdrawn, recipientChoices, type Consent } from './repository.ts';
import { checkConsent, checkWithdrawal, PURPOSE_FOR_VICTIM, sharingAllowed, stateOf, type ConsentPurpose, type ConsentState, type SharingFacts } from './rules.ts';

export type { Consent };
export { consentInForce } from './repository.ts';

const RECORD = 'person';

type AuthorisedCase = { case: VictimCase; reference: string; personName: string; staff: StaffIdentity };

/** The case, if this actor may work on it (the cases service decides, and audits the read of the case). */
async function authorisedCase(db: Db, actor: Actor, caseId: string): Promise<AuthorisedCase> {
  const found = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  const personName = [found.person.givenName, found.person.familyName].filter(Boolean).join(' ');
  return { case: found.case, reference: caseReference(found.case.id), personName, staff: actor.staff };
}

/** What the basis of sharing depends on: whether the victim must opt in, and whether a sexual offence is involved. */
export async function sharingFactsOf(trx: Trx, caseId: string): Promise<SharingFacts> {
  const facts = await caseFacts(trx, caseId);
  const optIn = {
    role: facts.role,
    offenceCode: facts.crime?.offenceCode ?? null,
    offenceCategory: facts.crime?.offenceCategory ?? null,
    offenceGroup: facts.crime?.offenceGroup ?? null,
    indicators: { domesticAbuse: facts.referralIndicators.includes('domesticAbuse'), sexualOffence: facts.referralIndicators.includes('sexualOffence') },
  };
  return { optInReason: optInReason(optIn), sexualOffence: isSexualOffence(optIn) };
}

/**
 * Whether the person of this case may be shared about with the organisation for the purpose now, and if not, why not.
 * For the referral service, inside its own transaction, before it sends anything.
 */
export async function checkSharing(trx: Trx, caseId: string, personId: string, organisationId: string, purpose: ConsentPurpose, now = new Date()) {
  const [ledger, facts] = await Promise.all([listConsentsOfPerson(trx, personId), sharingFactsOf(trx, caseId)]);
  return sharingAllowed(ledger, organisationId, purpose, facts, now);
}

export type ConsentWithState = Consent & { state: ConsentState };
export type ConsentsPage = { caseId: string; reference: string; personName: string; consents: ConsentWithState[]; facts: SharingFacts };

export async function getConsents(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<ConsentsPage> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const consents = await listConsentsOfPerson(trx, victimCase.personId);
    const facts = await sharingFactsOf(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'consent.viewed', recordType: RECORD, recordId: victimCase.personId, detail: { caseId: victimCase.id, count: consents.length } });
    return { caseId: victimCase.id, reference, personName, facts, consents: consents.map((consent) => ({ ...consent, state: stateOf(consent, now) })) };
  });
}

export type ConsentFormPage = { caseId: string; reference: string; personName: string; recipients: { id: string; name: string; kind: string }[]; facts: SharingFacts; submissionKey: string };

/** What the form needs: who can receive information, what the basis depends on, and a fresh submission key. */
export async function getConsentForm(db: Db, actor: Actor, caseId: string): Promise<ConsentFormPage> {
  const { case: victimCase, reference, personName, staff } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const recipients = await recipientChoices(trx, victimCase.areaId, staff.organisationId);
    const facts = await sharingFactsOf(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'consent.form_viewed', recordType: RECORD, recordId: victimCase.personId, detail: { caseId: victimCase.id } });
    return { caseId: victimCase.id, reference, personName, recipients, facts, submissionKey: randomUUID() };
  });
}

/**
 * Records a consent, with a victim-visible timeline event and an audit event. The same submission key returns the
 * consent it recorded before, so a resent form records one. Bad input throws Invalid and stores nothing.
 */
export async function recordConsent(db: Db, actor: Actor, caseId: string, form: Record<string, unknown>, now = new Date()): Promise<{ consentId: string; created: boolean }> {
  const { case: victimCase, staff } = await authorisedCase(db, actor, caseId);
  const submissionKey = form.submissionKey;
  if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the consent' });
  return inTransaction(db, async (trx) => {
    const replay = await findConsentIdBySubmission(trx, submissionKey);
    if (replay) return replayOf(replay, victimCase.id);
    const recipients = await recipientChoices(trx, victimCase.areaId, staff.organisationId);
    const checked = checkConsent(form, await sharingFactsOf(trx, victimCase.id), new Set(recipients.map((recipient) => recipient.id)), londonDateOf(now));
    if ('errors' in checked) throw new Invalid(checked.errors);
    const consentId = await insertConsent(trx, { ...checked.value, personId: victimCase.personId, areaId: victimCase.areaId, caseId: victimCase.id, recordedByUserId: staff.userId, submissionKey });
    if (!consentId) {
      // The same form at the same moment: the unique key let the other in, so this is its replay.
      const raced = await findConsentIdBySubmission(trx, submissionKey);
      if (raced) return replayOf(raced, victimCase.id);
      throw new Error('A consent was refused as a repeat but could not be found');
    }
    const recipient = recipients.find((entry) => entry.id === checked.value.recipientOrganisationId)?.name ?? 'an organisation';
    const { event } = await appendTimelineEvent(trx, actor, {
      caseId: victimCase.id,
      kind: 'consent_recorded',
      summary: `You agreed that we may share information with ${recipient} ${PURPOSE_FOR_VICTIM[checked.value.purpose]}`,
      detail: { consentId, recipientOrganisationId: checked.value.recipientOrganisationId, purpose: checked.value.purpose, legalBasis: checked.value.legalBasis },
      source: 'hub',
      idempotencyKey: `consent_recorded:${consentId}`,
      visibility: 'victim',
      occurredAt: now,
    });
    await writeAudit(trx, actor, {
      action: 'consent.recorded',
      recordType: RECORD,
      recordId: victimCase.personId,
      detail: { caseId: victimCase.id, consentId, recipientOrganisationId: checked.value.recipientOrganisationId, purpose: checked.value.purpose, legalBasis: checked.value.legalBasis, eventId: event.id },
    });
    return { consentId, created: true };
  });
}

/** A replayed key names a consent; it must be one made on this case, or the key is someone else's. */
function replayOf(replay: { id: string; caseId: string }, caseId: string): { consentId: string; created: boolean } {
  if (replay.caseId !== caseId) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the consent' });
  return { consentId: replay.id, created: false };
}

export type WithdrawalPage = { caseId: string; reference: string; personName: string; consent: ConsentWithState };

export async function getConsentForWithdrawal(db: Db, actor: Actor, caseId: string, consentId: string, now = new Date()): Promise<WithdrawalPage> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  if (!isUuid(consentId)) throw new NotFound('consent');
  return inTransaction(db, async (trx) => {
    const consent = await findConsent(trx, victimCase.personId, consentId);
    if (!consent) throw new NotFound('consent');
    await writeAudit(trx, actor, { action: 'consent.viewed', recordType: RECORD, recordId: victimCase.personId, detail: { caseId: victimCase.id, consentId } });
    return { caseId: victimCase.id, reference, personName, consent: { ...consent, state: stateOf(consent, now) } };
  });
}

/**
 * Withdraws a consent from now on. Its row stays, with how and when, so the ledger and the audit trail of who saw what
 * before still stand. Withdrawing one already withdrawn changes nothing (withdrawn: false).
 */
export async function withdrawConsent(db: Db, actor: Actor, caseId: string, consentId: string, form: Record<string, unknown>, now = new Date()): Promise<{ withdrawn: boolean }> {
  const { case: victimCase, staff } = await authorisedCase(db, actor, caseId);
  if (!isUuid(consentId)) throw new NotFound('consent');
  return inTransaction(db, async (trx) => {
    const { withdrawn } = await withdrawConsentOfPerson(trx, actor, { personId: victimCase.personId, caseId: victimCase.id }, consentId, form, staff.userId, now);
    return { withdrawn };
  });
}

/**
 * The withdrawal itself, for a caller that has already decided the actor may withdraw for this person: the staff page
 * above (through the case) and the victim's own portal (features/portal-data, through portal-access). One path, so a
 * withdrawal made online takes effect exactly as one made by phone to the coordinator. NotFound for a consent that is
 * not this person's; the timeline event goes on the case given, or else the case the consent was recorded on.
 */
export async function withdrawConsentOfPerson(
  trx: Trx,
  actor: Actor,
  person: { personId: string; caseId?: string },
  consentId: string,
  form: Record<string, unknown>,
  withdrawnByUserId: string | null,
  now: Date,
): Promise<{ withdrawn: boolean; consent: Consent }> {
  const consent = isUuid(consentId) ? await findConsent(trx, person.personId, consentId) : undefined;
  if (!consent) throw new NotFound('consent');
  const caseId = person.caseId ?? consent.caseId;
  const checked = checkWithdrawal(form);
  if ('errors' in checked) throw new Invalid(checked.errors);
  if (!(await markWithdrawn(trx, consent.id, checked.value, withdrawnByUserId, now))) return { withdrawn: false, consent };
  // Referrals still with the organisation close in this transaction, so the provider cannot see the case a moment
  // longer; the provider is then shown only that they closed.
  const closedReferrals = consent.purpose === 'support_referral' ? await closeReferralsOnWithdrawal(trx, actor, person.personId, consent.recipientOrganisationId, now) : 0;
  const { event } = await appendTimelineEvent(trx, actor, {
    caseId,
    kind: 'consent_withdrawn',
    summary: `You withdrew your agreement to share information with ${consent.recipientName}. They can no longer see your case`,
    detail: { consentId: consent.id, recipientOrganisationId: consent.recipientOrganisationId, purpose: consent.purpose, how: checked.value.how },
    source: 'hub',
    idempotencyKey: `consent_withdrawn:${consent.id}`,
    visibility: 'victim',
    occurredAt: now,
  });
  await writeAudit(trx, actor, {
    action: 'consent.withdrawn',
    recordType: RECORD,
    recordId: person.personId,
    detail: { caseId, consentId: consent.id, recipientOrganisationId: consent.recipientOrganisationId, purpose: consent.purpose, how: checked.value.how, eventId: event.id, closedReferrals },
  });
  return { withdrawn: true, consent };
}

/**
 * Every consent of the person with its state now, for a caller that has already authorised the read and audits it
 * (the victim's own portal, features/portal-data).
 */
export async function consentsOfPerson(db: Db | Trx, personId: string, now = new Date()): Promise<ConsentWithState[]> {
  const consents = await listConsentsOfPerson(db, personId);
  return consents.map((consent) => ({ ...consent, state: stateOf(consent, now) }));
}
