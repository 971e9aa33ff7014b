// Use-cases for one record per person: finding whether a referral's person is already held (intake composes this in
// its own transaction), queueing possible matches for a supervisor, and the supervisor's merge, keep-apart and undo.
import { findOrganisation } from '../../platform/db/organisations.ts';
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit, writeAuditMany } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/http/domain-errors.ts';
import { matchingName, personInArea, type NewPerson, type Person } from '../people/service.ts';
import {
  casesOfPerson,
  countCasesSince,
  findCandidatesMany,
  findMerge,
  findReview,
  insertMerge,
  insertReviews,
  latestMergeIdOfReview,
  listPendingReviews,
  lockPeople,
  markMergeUndone,
  moveCases,
  setMergedInto,
  setRepeatVictim,
  setRepeatVictims,
  setReviewStatus,
  type Merge,
  type PersonCase,
  type Review,
} from './repository.ts';
import {
  decideMatch,
  isRepeatVictim,
  REPEAT_VICTIM_CASES,
  repeatVictimWindowStart,
  type MatchContext,
  type MatchOutcome,
  type MatchReason,
  type MatchSubject,
} from './rules.ts';

export type { MatchContext, MatchOutcome, Merge, PersonCase, Review };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const actorUserId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.staff.userId : null);

/** The subject of matching from a person's normalised details (as people/service normalisePerson returns them). */
export function matchSubjectOf(person: Pick<NewPerson, 'givenName' | 'familyName' | 'dateOfBirth' | 'phone' | 'email' | 'postcode'>): MatchSubject {
  const givenName = matchingName(person.givenName);
  const familyName = person.familyName ? matchingName(person.familyName) || null : null;
  return {
    givenName,
    familyName,
    matchName: `${givenName} ${familyName ?? ''}`.trim(),
    dateOfBirth: person.dateOfBirth,
    phone: person.phone,
    email: person.email,
    postcode: person.postcode,
  };
}

type MatchablePerson = Pick<NewPerson, 'givenName' | 'familyName' | 'dateOfBirth' | 'phone' | 'email' | 'postcode'>;

/**
 * Whether the person is already held in the area: a certain match (exact or strong) to link to, possible matches for
 * review, or none. Reads only; the bench times this call.
 */
export async function findPersonMatch(trx: Trx, areaId: string, person: MatchablePerson, context: MatchContext = {}): Promise<MatchOutcome> {
  const [outcome] = await findPersonMatches(trx, [{ areaId, person, context }]);
  return outcome ?? { kind: 'none' };
}

/** findPersonMatch for many people at once, in one query: the outcomes in the order asked. */
export async function findPersonMatches(
  trx: Trx,
  queries: readonly { areaId: string; person: MatchablePerson; context?: MatchContext }[],
): Promise<MatchOutcome[]> {
  const subjects = queries.map((query) => matchSubjectOf(query.person));
  const found = await findCandidatesMany(
    trx,
    queries.map((query, index) => ({ areaId: query.areaId, subject: subjects[index] as MatchSubject, context: query.context ?? {} })),
  );
  return found.map((candidates, index) => {
    // The candidate names come as stored; compare them in the same matching form as the subject's.
    const comparable = candidates.map((candidate) => ({
      ...candidate,
      givenName: matchingName(candidate.givenName),
      familyName: candidate.familyName ? matchingName(candidate.familyName) || null : null,
    }));
    return decideMatch(subjects[index] as MatchSubject, comparable);
  });
}

export type NewReview = { areaId: string; personId: string; candidatePersonId: string; score: number; reasons: MatchReason[] };

/** Puts a possible match on the area's review queue; a pair already queued is not queued twice. */
export async function queueMatchReview(trx: Trx, actor: Actor, review: NewReview): Promise<string | undefined> {
  const [id] = await queueMatchReviews(trx, actor, [review]);
  return id ?? undefined;
}

/** Queues many possible matches in one statement, each audited; the review ids in order, null for a pair already queued. */
export async function queueMatchReviews(trx: Trx, actor: Actor, reviews: readonly NewReview[]): Promise<(string | null)[]> {
  const withIds = reviews.map((review) => ({ ...review, id: randomUUID() }));
  const made = await insertReviews(trx, withIds);
  const queued = withIds.filter((review) => made.has(review.id));
  await writeAuditMany(
    trx,
    actor,
    queued.map((review) => ({
      action: 'person_match.queued',
      recordType: 'person',
      recordId: review.personId,
      detail: { reviewId: review.id, candidatePersonId: review.candidatePersonId, score: review.score, reasons: review.reasons },
    })),
  );
  return withIds.map((review) => (made.has(review.id) ? review.id : null));
}

/** Sets or clears the person's repeat-victim flag from the cases opened in the 12 months before `now`. */
export async function refreshRepeatVictim(trx: Trx, personId: string, now = new Date()): Promise<boolean> {
  const repeat = isRepeatVictim(await countCasesSince(trx, personId, repeatVictimWindowStart(now)));
  await setRepeatVictim(trx, personId, repeat);
  return repeat;
}

/** refreshRepeatVictim for many people in one statement, for work done in batches. */
export async function refreshRepeatVictims(trx: Trx, personIds: readonly string[], now = new Date()): Promise<void> {
  await setRepeatVictims(trx, [...new Set(personIds)], repeatVictimWindowStart(now), REPEAT_VICTIM_CASES);
}

/** Supervisors of the hub in their own area decide possible matches; everyone else is refused. */
async function requireSupervisor(trx: Trx, actor: Actor): Promise<StaffIdentity> {
  if (actor.kind !== 'staff' || actor.staff.role !== 'supervisor') throw new Forbidden('hub supervisors only');
  const organisation = await findOrganisation(trx, actor.staff.organisationId);
  if (!organisation || organisation.kind !== 'hub' || organisation.areaId !== actor.staff.areaId) throw new Forbidden('hub supervisors only');
  return actor.staff;
}

async function reviewInArea(trx: Trx, staff: StaffIdentity, reviewId: string, forUpdate = false): Promise<Review> {
  const review = UUID_PATTERN.test(reviewId) ? await findReview(trx, staff.areaId, reviewId, forUpdate) : undefined;
  if (!review) throw new NotFound('possible match');
  return review;
}

export type QueueItem = { review: Review; person: Person; candidate: Person };

/** The area's pending possible matches, oldest first. */
export async function listMatchQueue(db: Db, actor: Actor): Promise<QueueItem[]> {
  return inTransaction(db, async (trx) => {
    const staff = await requireSupervisor(trx, actor);
    const reviews = await listPendingReviews(trx, staff.areaId);
    const items: QueueItem[] = [];
    for (const review of reviews) {
      const [person, candidate] = await Promise.all([
        personInArea(trx, staff.areaId, review.personId),
        personInArea(trx, staff.areaId, review.candidatePersonId),
      ]);
      if (person && candidate) items.push({ review, person, candidate });
    }
    await writeAudit(trx, actor, { action: 'person_match.queue_viewed', recordType: 'person_match_review', recordId: null, detail: { count: items.length } });
    return items;
  });
}

export type MatchDetails = QueueItem & {
  personCases: PersonCase[];
  candidateCases: PersonCase[];
  /** The latest merge made from this review, for the undo link. */
  merge: Merge | undefined;
};

/** Both records of a possible match side by side, with their cases. */
export async function viewMatch(db: Db, actor: Actor, reviewId: string): Promise<MatchDetails> {
  return inTransaction(db, async (trx) => {
    const staff = await requireSupervisor(trx, actor).catch(() => {
      throw new NotFound('possible match');
    });
    const review = await reviewInArea(trx, staff, reviewId);
    const [person, candidate] = await Promise.all([
      personInArea(trx, staff.areaId, review.personId),
      personInArea(trx, staff.areaId, review.candidatePersonId),
    ]);
    if (!person || !candidate) throw new NotFound('possible match');
    const personCases = await casesOfPerson(trx, person.id);
    const candidateCases = await casesOfPerson(trx, candidate.id);
    const merge = review.status === 'merged' ? await latestMergeOf(trx, staff, review.id) : undefined;
    await writeAudit(trx, actor, { action: 'person_match.viewed', recordType: 'person_match_review', recordId: review.id });
    return { review, person, candidate, personCases, candidateCases, merge };
  });
}

async function latestMergeOf(trx: Trx, staff: StaffIdentity, reviewId: string): Promise<Merge | undefined> {
  const mergeId = await latestMergeIdOfReview(trx, reviewId);
  return mergeId ? findMerge(trx, staff.areaId, mergeId) : undefined;
}

/**
 * Merges the referral's new person into the person already held: their cases move to the kept person, the merged
 * record points at the kept one, and the merge is recorded so it can be undone.
 */
export async function mergeMatch(db: Db, actor: Actor, reviewId: string): Promise<Merge> {
  return inTransaction(db, async (trx) => {
    const staff = await requireSupervisor(trx, actor);
    const review = await reviewInArea(trx, staff, reviewId, true);
    if (review.status !== 'pending') throw new Conflict('This possible match has already been decided');
    const kept = review.candidatePersonId;
    const merged = review.personId;
    const people = await lockPeople(trx, staff.areaId, [kept, merged]);
    if (people.length !== 2) throw new NotFound('possible match');
    if (people.some((person) => person.mergedIntoPersonId !== null)) throw new Conflict('One of these records has already been merged');
    const mergedCases = await casesOfPerson(trx, merged);
    const keptCrimes = new Set((await casesOfPerson(trx, kept)).map((entry) => entry.crimeId).filter((id) => id !== null));
    if (mergedCases.some((entry) => entry.crimeId !== null && keptCrimes.has(entry.crimeId))) {
      throw new Conflict('Both records have a case for the same crime: close one of the cases before merging');
    }
    const movedCaseIds = mergedCases.map((entry) => entry.id);
    await moveCases(trx, movedCaseIds, merged, kept);
    await setMergedInto(trx, merged, kept);
    const mergeId = await insertMerge(trx, { reviewId: review.id, keptPersonId: kept, mergedPersonId: merged, movedCaseIds, mergedBy: actorUserId(actor) });
    await setReviewStatus(trx, review.id, 'merged', actorUserId(actor));
    await refreshRepeatVictim(trx, kept);
    await refreshRepeatVictim(trx, merged);
    await writeAudit(trx, actor, {
      action: 'person.merged',
      recordType: 'person',
      recordId: kept,
      detail: { mergeId, reviewId: review.id, mergedPersonId: merged, movedCaseIds },
    });
    const merge = await findMerge(trx, staff.areaId, mergeId);
    if (!merge) throw new Error('The merge just made could not be read back');
    return merge;
  });
}

/** Records that the two people are different; both records stay as they are. */
export async function keepApart(db: Db, actor: Actor, reviewId: string): Promise<Review> {
  return inTransaction(db, async (trx) => {
    const staff = await requireSupervisor(trx, actor);
    const review = await reviewInArea(trx, staff, reviewId, true);
    if (review.status !== 'pending') throw new Conflict('This possible match has already been decided');
    await setReviewStatus(trx, review.id, 'kept_apart', actorUserId(actor));
    await writeAudit(trx, actor, {
      action: 'person_match.kept_apart',
      recordType: 'person_match_review',
      recordId: review.id,
      detail: { personId: review.personId, candidatePersonId: review.candidatePersonId },
    });
    return { ...review, status: 'kept_apart' };
  });
}

/** A merge in the supervisor's area, for the undo confirmation page. */
export async function viewMerge(db: Db, actor: Actor, mergeId: string): Promise<Merge> {
  return inTransaction(db, async (trx) => {
    const staff = await requireSupervisor(trx, actor).catch(() => {
      throw new NotFound('merge');
    });
    const merge = UUID_PATTERN.test(mergeId) ? await findMerge(trx, staff.areaId, mergeId) : undefined;
    if (!merge) throw new NotFound('merge');
    return merge;
  });
}

/** Undoes a merge: the moved cases go back, the merged record stands alone again, and its review is pending again. */
export async function undoMerge(db: Db, actor: Actor, mergeId: string): Promise<Merge> {
  return inTransaction(db, async (trx) => {
    const staff = await requireSupervisor(trx, actor);
    const merge = UUID_PATTERN.test(mergeId) ? await findMerge(trx, staff.areaId, mergeId, true) : undefined;
    if (!merge) throw new NotFound('merge');
    if (merge.undoneAt) throw new Conflict('This merge has already been undone');
    await lockPeople(trx, staff.areaId, [merge.keptPersonId, merge.mergedPersonId]);
    await moveCases(trx, merge.movedCaseIds, merge.keptPersonId, merge.mergedPersonId);
    await setMergedInto(trx, merge.mergedPersonId, null);
    await markMergeUndone(trx, merge.id, actorUserId(actor));
    if (merge.reviewId) await setReviewStatus(trx, merge.reviewId, 'pending', null);
    await refreshRepeatVictim(trx, merge.keptPersonId);
    await refreshRepeatVictim(trx, merge.mergedPersonId);
    await writeAudit(trx, actor, {
      action: 'person.merge_undone',
      recordType: 'person',
      recordId: merge.keptPersonId,
      detail: { mergeId: merge.id, reviewId: merge.reviewId, mergedPersonId: merge.mergedPersonId, movedCaseIds: merge.movedCaseIds },
    });
    return { ...merge, undoneAt: new Date(), undoneBy: actorUserId(actor) };
  });
}
