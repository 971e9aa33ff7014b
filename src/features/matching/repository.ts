// All SQL for matching people: the index-driven candidate lookup, the review queue, merges and the repeat-victim
// count. Candidate lookup only ever reads people by indexed keys (phone, email, date of birth, postcode, the crime
// reference and the sender's reference), so it stays fast at a million people. Name similarity (pg_trgm similarity()
// and fuzzystrmatch dmetaphone) is measured on those candidates only: every rule that can link or queue a person needs
// one of those keys to agree as well, so a trigram scan over all names would find nobody the rules could use.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import { CASE_SOURCES, type MatchReviewStatus, type OrganisationKind } from '../../platform/db/schema.ts';
import type { MatchCandidate, MatchContext, MatchReason, MatchSubject } from './rules.ts';

/** No referral needs more candidates than this weighed. */
const CANDIDATE_LIMIT = 50;

type CandidateRow = {
  id: string;
  given_name: string;
  family_name: string | null;
  match_name: string;
  date_of_birth: string | null;
  phone: string | null;
  email: string | null;
  postcode: string | null;
  name_similarity: number | string;
  family_sounds_alike: boolean;
  given_sounds_alike: boolean;
  on_same_crime: boolean;
  same_source_reference: boolean;
};

/** People in the area, not merged away, who share an indexed key with the subject, with name similarity measured. */
export async function findCandidates(trx: Trx, areaId: string, subject: MatchSubject, context: MatchContext): Promise<MatchCandidate[]> {
  const crimeReference = context.crimeReference ?? null;
  const sourceReference = context.sourceReference && context.referringOrganisationId ? context.sourceReference : null;
  const organisationId = sourceReference ? (context.referringOrganisationId ?? null) : null;
  const probes = [];
  if (subject.phone) probes.push(sql`select id from person where area_id = ${areaId} and phone = ${subject.phone}`);
  if (subject.email) probes.push(sql`select id from person where area_id = ${areaId} and email = ${subject.email}`);
  if (subject.dateOfBirth) probes.push(sql`select id from person where area_id = ${areaId} and date_of_birth = ${subject.dateOfBirth}`);
  if (subject.postcode) probes.push(sql`select id from person where area_id = ${areaId} and postcode = ${subject.postcode}`);
  if (crimeReference) {
    probes.push(
      sql`select c.person_id from crime cr join victim_case c on c.crime_id = cr.id where cr.area_id = ${areaId} and cr.crime_reference = ${crimeReference}`,
    );
  }
  if (sourceReference) {
    // Every source is listed so the (source, organisation, reference) unique index serves the lookup.
    probes.push(
      sql`select person_id from victim_case where source in (${sql.join([...CASE_SOURCES])}) and referring_organisation_id = ${organisationId} and source_reference = ${sourceReference}`,
    );
  }
  if (probes.length === 0) return [];
  const family = subject.familyName ?? '';
  const result = await sql<CandidateRow>`
    with candidate_id as (${sql.join(probes, sql` union `)})
    select p.id, p.given_name, p.family_name, p.match_name, p.date_of_birth::text as date_of_birth, p.phone, p.email, p.postcode,
      similarity(p.match_name, ${subject.matchName}) as name_similarity,
      (p.family_name is not null and ${family} <> '' and dmetaphone(p.family_name) = dmetaphone(${family})) as family_sounds_alike,
      (dmetaphone(p.given_name) = dmetaphone(${subject.givenName})) as given_sounds_alike,
      (${crimeReference}::text is not null and exists (
        select 1 from victim_case c join crime cr on cr.id = c.crime_id
        where c.person_id = p.id and cr.area_id = ${areaId} and cr.crime_reference = ${crimeReference}
      )) as on_same_crime,
      (${sourceReference}::text is not null and exists (
        select 1 from victim_case c
        where c.person_id = p.id and c.source in (${sql.join([...CASE_SOURCES])})
          and c.referring_organisation_id = ${organisationId} and c.source_reference = ${sourceReference}
      )) as same_source_reference
    from person p
    where p.id in (select id from candidate_id) and p.area_id = ${areaId} and p.merged_into_person_id is null
    limit ${CANDIDATE_LIMIT}
  `.execute(trx);
  return result.rows.map((row) => ({
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    matchName: row.match_name,
    dateOfBirth: row.date_of_birth,
    phone: row.phone,
    email: row.email,
    postcode: row.postcode,
    nameSimilarity: Number(row.name_similarity),
    familyNameSoundsAlike: row.family_sounds_alike,
    givenNameSoundsAlike: row.given_sounds_alike,
    onSameCrime: row.on_same_crime,
    sameSourceReference: row.same_source_reference,
  }));
}

export async function insertReview(
  trx: Trx,
  review: { areaId: string; personId: string; candidatePersonId: string; score: number; reasons: MatchReason[] },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('person_match_review')
    .values({
      area_id: review.areaId,
      person_id: review.personId,
      candidate_person_id: review.candidatePersonId,
      score: review.score,
      reasons: JSON.stringify(review.reasons),
    })
    .onConflict((conflict) => conflict.columns(['person_id', 'candidate_person_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export type Review = {
  id: string;
  areaId: string;
  personId: string;
  candidatePersonId: string;
  score: number;
  reasons: MatchReason[];
  status: MatchReviewStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
};

const toReview = (row: {
  id: string;
  area_id: string;
  person_id: string;
  candidate_person_id: string;
  score: string;
  reasons: unknown[];
  status: MatchReviewStatus;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
}): Review => ({
  id: row.id,
  areaId: row.area_id,
  personId: row.person_id,
  candidatePersonId: row.candidate_person_id,
  score: Number(row.score),
  reasons: row.reasons as MatchReason[],
  status: row.status,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  createdAt: row.created_at,
});

export async function findReview(trx: Trx, areaId: string, reviewId: string, forUpdate = false): Promise<Review | undefined> {
  let query = trx.selectFrom('person_match_review').selectAll().where('id', '=', reviewId).where('area_id', '=', areaId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toReview(row) : undefined;
}

export async function listPendingReviews(trx: Trx, areaId: string, limit = 200): Promise<Review[]> {
  const rows = await trx
    .selectFrom('person_match_review')
    .selectAll()
    .where('area_id', '=', areaId)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toReview);
}

export async function setReviewStatus(trx: Trx, reviewId: string, status: MatchReviewStatus, decidedBy: string | null): Promise<void> {
  await trx
    .updateTable('person_match_review')
    .set({ status, decided_by: decidedBy, decided_at: status === 'pending' ? null : new Date() })
    .where('id', '=', reviewId)
    .execute();
}

/** The people a merge touches, locked, so two supervisors cannot merge the same records at once. */
export async function lockPeople(trx: Trx, areaId: string, personIds: string[]): Promise<{ id: string; mergedIntoPersonId: string | null }[]> {
  const rows = await trx
    .selectFrom('person')
    .select(['id', 'merged_into_person_id'])
    .where('area_id', '=', areaId)
    .where('id', 'in', personIds)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((row) => ({ id: row.id, mergedIntoPersonId: row.merged_into_person_id }));
}

export type PersonCase = { id: string; crimeId: string | null; crimeReference: string | null; offenceCategory: string | null; source: string; status: string; createdAt: Date };

export async function casesOfPerson(trx: Trx, personId: string): Promise<PersonCase[]> {
  const rows = await trx
    .selectFrom('victim_case as c')
    .leftJoin('crime as cr', 'cr.id', 'c.crime_id')
    .select(['c.id', 'c.crime_id', 'cr.crime_reference', 'cr.offence_category', 'c.source', 'c.status', 'c.created_at'])
    .where('c.person_id', '=', personId)
    .orderBy('c.created_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    crimeId: row.crime_id,
    crimeReference: row.crime_reference,
    offenceCategory: row.offence_category,
    source: row.source,
    status: row.status,
    createdAt: row.created_at,
  }));
}

export async function moveCases(trx: Trx, caseIds: string[], fromPersonId: string, toPersonId: string): Promise<void> {
  if (caseIds.length === 0) return;
  await trx
    .updateTable('victim_case')
    .set({ person_id: toPersonId, updated_at: new Date() })
    .where('id', 'in', caseIds)
    .where('person_id', '=', fromPersonId)
    .execute();
}

export async function setMergedInto(trx: Trx, personId: string, mergedInto: string | null): Promise<void> {
  await trx.updateTable('person').set({ merged_into_person_id: mergedInto, updated_at: new Date() }).where('id', '=', personId).execute();
}

export async function insertMerge(
  trx: Trx,
  merge: { reviewId: string | null; keptPersonId: string; mergedPersonId: string; movedCaseIds: string[]; mergedBy: string | null },
): Promise<string> {
  const row = await trx
    .insertInto('person_merge')
    .values({
      review_id: merge.reviewId,
      kept_person_id: merge.keptPersonId,
      merged_person_id: merge.mergedPersonId,
      moved_case_ids: merge.movedCaseIds,
      merged_by: merge.mergedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type Merge = {
  id: string;
  reviewId: string | null;
  keptPersonId: string;
  mergedPersonId: string;
  movedCaseIds: string[];
  mergedBy: string | null;
  mergedAt: Date;
  undoneBy: string | null;
  undoneAt: Date | null;
};

/** A merge whose kept person is in the area; with forUpdate it stays locked until the transaction ends. */
export async function findMerge(trx: Trx, areaId: string, mergeId: string, forUpdate = false): Promise<Merge | undefined> {
  let query = trx
    .selectFrom('person_merge as m')
    .innerJoin('person as p', 'p.id', 'm.kept_person_id')
    .selectAll('m')
    .where('m.id', '=', mergeId)
    .where('p.area_id', '=', areaId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    reviewId: row.review_id,
    keptPersonId: row.kept_person_id,
    mergedPersonId: row.merged_person_id,
    movedCaseIds: row.moved_case_ids,
    mergedBy: row.merged_by,
    mergedAt: row.merged_at,
    undoneBy: row.undone_by,
    undoneAt: row.undone_at,
  };
}

export async function markMergeUndone(trx: Trx, mergeId: string, undoneBy: string | null): Promise<void> {
  await trx.updateTable('person_merge').set({ undone_by: undoneBy, undone_at: new Date() }).where('id', '=', mergeId).execute();
}

export async function countCasesSince(trx: Trx, personId: string, since: Date): Promise<number> {
  const row = await trx
    .selectFrom('victim_case')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('person_id', '=', personId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function setRepeatVictim(trx: Trx, personId: string, repeatVictim: boolean): Promise<void> {
  await trx
    .updateTable('person')
    .set({ repeat_victim: repeatVictim, updated_at: new Date() })
    .where('id', '=', personId)
    .where('repeat_victim', '<>', repeatVictim)
    .execute();
}

export async function findOrganisation(trx: Trx, organisationId: string): Promise<{ kind: OrganisationKind; areaId: string } | undefined> {
  const row = await trx.selectFrom('organisation').select(['kind', 'area_id']).where('id', '=', organisationId).executeTakeFirst();
  return row ? { kind: row.kind, areaId: row.area_id } : undefined;
}

/** The merge made from a review that still stands, if any. */
export async function latestMergeIdOfReview(trx: Trx, reviewId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('person_merge')
    .select('id')
    .where('review_id', '=', reviewId)
    .where('undone_at', 'is', null)
    .orderBy('merged_at', 'desc')
    .executeTakeFirst();
  return row?.id;
}
