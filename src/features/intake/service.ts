// Receives referrals from any door (police API, daily file, self-referral, agency form) and turns each into one person
// and one case, in the caller's transaction: replay check, person matching, crime, case, notes and the repeat flag.
// One referral is a batch of one, so every door shares one code path; the file import sends a thousand at a time.
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAuditMany, type AuditEntry } from '../../platform/audit/writer.ts';
import { organisationsByKind } from '../../platform/db/organisations.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import { Invalid } from '../../platform/http/domain-errors.ts';
import type { TimelineEventInput } from '../cases/service.ts';
import { findPersonMatches, queueMatchReviews, refreshRepeatVictims, type NewReview } from '../matching/service.ts';
import { createPeople, todayInLondon } from '../people/service.ts';
import { raiseTask } from '../tasks/service.ts';
import { casesFor, crimesFor, eventsFor } from './case-records.ts';
import { checkReferral, type CheckedCrime, type CheckedReferral } from './check-referral.ts';
import type { IncomingReferral, PersonMatch, ReferralReceipt } from './referral.ts';
import { findCasesOnCrimes, findReceivedCases, lockReferralKeys } from './repository.ts';
import { indicatorsGiven, receivingRounds, type FieldErrors } from './rules.ts';

export type { IncomingReferral, PersonMatch, ReferralReceipt };

/** What became of one referral of a batch: its receipt, or the reasons it was refused (nothing was written for it). */
export type ReferralResult = { ok: true; receipt: ReferralReceipt } | { ok: false; fields: FieldErrors };

/**
 * Receives one referral. A replay (same source, sender and sourceReference) returns the first case with
 * created: false and makes nothing. Otherwise the person is matched: a certain match links to the person already held,
 * and if they already have a case on this crime that case is returned (created: false); a possible match makes a new
 * person and queues a review for a supervisor. Bad input throws Invalid with fields named person.*, crime.* and
 * referral.* (see rules.ts prefixFields), all reported together.
 */
export async function receiveReferral(trx: Trx, actor: Actor, referral: IncomingReferral): Promise<ReferralReceipt> {
  const [result] = await receiveReferrals(trx, actor, [referral]);
  if (!result) throw new Error('Intake gave no result for the referral');
  if (!result.ok) throw new Invalid(result.fields);
  return result.receipt;
}

/** A referral that passed its checks, with what receiving it has settled so far. */
type Pending = CheckedReferral & {
  index: number;
  referral: IncomingReferral;
  sourceReference: string | null;
  referringOrganisationId: string | null;
};

/**
 * Receives many referrals with the rules of receiveReferral, in a handful of statements per batch rather than dozens
 * per referral. A referral that fails its checks is refused alone (its result carries the field errors) and the rest
 * are received. The batch ends exactly as if the referrals had come one after another: those that could find what an
 * earlier one makes (the same phone, crime, sender's reference...) are received in a later round (rules.ts
 * receivingRounds), after it.
 */
export async function receiveReferrals(trx: Trx, actor: Actor, referrals: readonly IncomingReferral[]): Promise<ReferralResult[]> {
  const results: ReferralResult[] = [];
  const pending: Pending[] = [];
  const today = todayInLondon();
  referrals.forEach((referral, index) => {
    const checked = checkReferral(referral, today);
    if ('errors' in checked) {
      results[index] = { ok: false, fields: checked.errors };
      return;
    }
    pending.push({
      ...checked.value,
      index,
      referral,
      sourceReference: referral.sourceReference?.trim() || null,
      referringOrganisationId: referral.referringOrganisationId ?? null,
    });
  });

  await lockReferralKeys(trx, pending.flatMap((item) => (item.sourceReference ? [replayKey(item)] : [])));
  const rounds = receivingRounds(pending.map(matchKeys));
  const received: Received = { audit: [], people: [] };
  for (let round = 0; round <= Math.max(-1, ...rounds); round += 1) {
    const items = pending.filter((_, position) => rounds[position] === round);
    for (const [index, receipt] of await receiveRound(trx, actor, items, received)) results[index] = { ok: true, receipt };
  }
  await refreshRepeatVictims(trx, received.people);
  await writeAuditMany(trx, actor, received.audit);
  return results;
}

const replayKey = (item: Pending): string => `referral:${item.referral.source}:${item.referringOrganisationId ?? '-'}:${item.sourceReference}`;

/** The keys by which a referral can find what another makes: see receivingRounds. Area-scoped, as matching is. */
function matchKeys(item: Pending): string[] {
  const area = item.referral.areaId;
  const { person, crime } = item;
  const keys = [
    person.phone && `phone:${area}:${person.phone}`,
    person.email && `email:${area}:${person.email}`,
    person.dateOfBirth && `born:${area}:${person.dateOfBirth}`,
    person.postcode && `postcode:${area}:${person.postcode}`,
    crime && `crime:${area}:${crime.crimeReference}`,
    item.sourceReference && replayKey(item),
    item.sourceReference && item.referringOrganisationId && `sender:${item.referringOrganisationId}:${item.sourceReference}`,
  ];
  return keys.filter((key): key is string => typeof key === 'string' && key !== '');
}

/** What a batch gathers as it goes: audit entries written once at the end, and the people whose repeat flag to refresh. */
type Received = { audit: AuditEntry[]; people: string[] };

/** Receives referrals that share no key with each other (one round): replays, matching, people, crimes, cases. */
async function receiveRound(trx: Trx, actor: Actor, items: readonly Pending[], received: Received): Promise<Map<number, ReferralReceipt>> {
  const receipts = new Map<number, ReferralReceipt>();
  const withReference = items.filter((item) => item.sourceReference !== null);
  const replays = await findReceivedCases(
    trx,
    withReference.map((item) => ({ source: item.referral.source, referringOrganisationId: item.referringOrganisationId, sourceReference: item.sourceReference ?? '' })),
  );
  withReference.forEach((item, position) => {
    const replay = replays.get(position);
    if (replay) receipts.set(item.index, { caseId: replay.caseId, personId: replay.personId, created: false, match: 'linked_certain' });
  });
  const fresh = items.filter((item) => !receipts.has(item.index));

  const outcomes = await findPersonMatches(
    trx,
    fresh.map((item) => ({
      areaId: item.referral.areaId,
      person: item.person,
      context: { crimeReference: item.crime?.crimeReference ?? null, referringOrganisationId: item.referringOrganisationId, sourceReference: item.sourceReference },
    })),
  );
  const newPeople = fresh.filter((_, position) => outcomes[position]?.kind !== 'certain');
  const createdIds = await createPeople(trx, actor, newPeople.map((item) => ({ ...item.referral.person, areaId: item.referral.areaId })));
  const people = new Map(newPeople.map((item, position) => [item.index, createdIds[position] as string]));
  const matches = new Map<number, PersonMatch>();
  const reviews: NewReview[] = [];
  fresh.forEach((item, position) => {
    const outcome = outcomes[position];
    if (outcome?.kind === 'certain') {
      people.set(item.index, outcome.personId);
      matches.set(item.index, 'linked_certain');
      return;
    }
    matches.set(item.index, outcome?.kind === 'possible' ? 'new_person_possible_match_queued' : 'new_person');
    for (const candidate of outcome?.kind === 'possible' ? outcome.candidates : []) {
      const personId = people.get(item.index) as string;
      reviews.push({ areaId: item.referral.areaId, personId, candidatePersonId: candidate.personId, score: candidate.score.score, reasons: candidate.score.reasons });
    }
  });
  await queueMatchReviews(trx, actor, reviews);

  const withCrime = fresh.filter((item) => item.crime !== null);
  const crimeIds = await crimesFor(trx, actor, withCrime.map((item) => ({ ...(item.crime as CheckedCrime), areaId: item.referral.areaId })));
  const crimes = new Map(withCrime.map((item, position) => [item.index, crimeIds[position] as string]));
  // The same person on the same crime by another door (the daily file repeating the police API): one case.
  const linkedOnCrime = fresh.filter((item) => matches.get(item.index) === 'linked_certain' && crimes.has(item.index));
  const existing = await findCasesOnCrimes(
    trx,
    linkedOnCrime.map((item) => ({ personId: people.get(item.index) as string, crimeId: crimes.get(item.index) as string })),
  );
  for (const item of linkedOnCrime) {
    const personId = people.get(item.index) as string;
    const caseId = existing.get(`${personId}:${crimes.get(item.index)}`);
    if (caseId) receipts.set(item.index, { caseId, personId, created: false, match: 'linked_certain' });
  }

  const toOpen = fresh.filter((item) => !receipts.has(item.index));
  const opened = await casesFor(
    trx,
    actor,
    toOpen.map(({ index, referral, sourceReference, referringOrganisationId }) => ({
      personId: people.get(index) as string,
      crimeId: crimes.get(index) ?? null,
      role: referral.role,
      source: referral.source,
      sourceReference,
      referringOrganisationId,
      supportConsent: referral.supportConsent,
      receivedAt: referral.receivedAt,
    })),
  );
  const notes: TimelineEventInput[] = [];
  toOpen.forEach((item, position) => {
    const { caseId, created } = opened[position] as { caseId: string; created: boolean };
    const personId = people.get(item.index) as string;
    const match = matches.get(item.index) as PersonMatch;
    receipts.set(item.index, { caseId, personId, created, match });
    received.people.push(personId);
    if (!created) return;
    const { referral } = item;
    const indicators = indicatorsGiven(referral.indicators);
    received.audit.push({ action: 'referral.received', recordType: 'case', recordId: caseId, detail: { source: referral.source, match, indicators } });
    const text = referral.notes?.trim() || null;
    if (!text && !indicators.length) return;
    notes.push({
      caseId,
      kind: 'referral_notes',
      summary: text ? 'What the referrer told us' : 'What the referral says about the crime',
      detail: { ...(text ? { notes: text } : {}), indicators },
      source: referral.source,
      idempotencyKey: `case:${caseId}:referral_notes`,
      visibility: 'staff',
      occurredAt: referral.receivedAt ?? new Date(),
    });
  });
  await eventsFor(trx, actor, notes);
  await raiseClassificationTasks(trx, actor, toOpen.filter((item, position) => opened[position]?.created && item.crime?.needsClassification).map((item) => ({
    caseId: (receipts.get(item.index) as ReferralReceipt).caseId,
    areaId: item.referral.areaId,
  })));
  return receipts;
}

/**
 * An offence code Haven's list lacks is accepted as "needs manual classification" (rules.ts); each new case on such a
 * crime gets a task for its area's hub to classify it, since entitlements and the Code clock read the offence.
 */
async function raiseClassificationTasks(trx: Trx, actor: Actor, cases: readonly { caseId: string; areaId: string }[]): Promise<void> {
  if (!cases.length) return;
  const organisations = await organisationsByKind(trx, cases.map((item) => item.areaId));
  for (const { caseId, areaId } of cases) {
    const hubId = organisations.get(`${areaId}:hub`);
    // Every area that takes referrals has a hub; without one there is nobody to own the task, and the crime still
    // shows "Needs manual classification" on the case page.
    if (!hubId) continue;
    await raiseTask(trx, actor, {
      caseId,
      kind: 'manual_offence_classification',
      title: 'Classify the offence: the referral gave a code Haven does not know',
      owningOrganisationId: hubId,
      idempotencyKey: `case:${caseId}:manual_offence_classification`,
    });
  }
}
