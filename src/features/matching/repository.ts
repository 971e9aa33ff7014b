// All SQL for matching people: the index-driven candidate lookup, the review queue, merges and the repeat-victim
// count. Candidate lookup only ever reads people by indexed keys (phone, email, date of birth, postcode, the crime
// reference and the sender's reference), so it stays fast at a million people. Name similarity (pg_trgm similarity()
// and fuzzystrmatch dmetaphone) is measured on those candidates only: every rule that can link or queue a person needs
// one of those keys to agree as well, so a trigram scan over all names would find nobody the rules could use.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import { CASE_SOURCES, type MatchReviewStatus } from '../../platform/db/schema.ts';
import { TRIGRAM_THRESHOLD, type MatchCandidate, type MatchContext, type MatchReason, type MatchSubject } from './rules.ts';

/** No referral needs more candidates than this weighed. */
const CANDIDATE_LIMIT = 50;

type CandidateRow = {
  subject: number;
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

/** One person to look for, in one area, with what the referral says beyond the person. */
export type CandidateQuery = { areaId: string; subject: MatchSubject; context: MatchContext };

/**
 * For each query, the people in its area, not merged away, who share an indexed key with its subject, with name
 * similarity measured: one statement for a whole batch. Which probe found a person says whether they are on the same
 * crime or have the same sender's reference, so no per-candidate subquery is needed. People who share only a date of
 * birth or postcode and whose name is nothing like the subject's are left out here, as decideMatch (rules.ts) would
 * weigh them as no match anyway: that keeps a million-person area's shared birthdays off the wire.
 */
export async function findCandidatesMany(trx: Trx, queries: readonly CandidateQuery[]): Promise<MatchCandidate[][]> {
  const found: MatchCandidate[][] = queries.map(() => []);
  if (!queries.length) return found;
  const column = <T>(pick: (query: CandidateQuery, index: number) => T): T[] => queries.map(pick);
  const sourceReferenceOf = ({ context }: CandidateQuery) => (context.sourceReference && context.referringOrganisationId ? context.sourceReference : null);
  const result = await sql<CandidateRow>`
    with subject as (
      select s.*, coalesce(s.family_name, '') as family, dmetaphone(coalesce(s.family_name, '')) as family_sound, dmetaphone(s.given_name) as given_sound
      from unnest(
        ${column((_, index) => index)}::integer[], ${column((q) => q.areaId)}::uuid[], ${column((q) => q.subject.matchName)}::text[],
        ${column((q) => q.subject.givenName)}::text[], ${column((q) => q.subject.familyName)}::text[], ${column((q) => q.subject.dateOfBirth)}::date[],
        ${column((q) => q.subject.phone)}::text[], ${column((q) => q.subject.email)}::text[], ${column((q) => q.subject.postcode)}::text[],
        ${column((q) => q.context.crimeReference ?? null)}::text[], ${column(sourceReferenceOf)}::text[],
        ${column((q) => (sourceReferenceOf(q) ? (q.context.referringOrganisationId ?? null) : null))}::uuid[]
      ) as s (ord, area_id, match_name, given_name, family_name, date_of_birth, phone, email, postcode, crime_reference, source_reference, organisation_id)
    ),
    found as (
      select s.ord, p.id, true as by_contact, false as by_crime, false as by_source
        from subject s join person p on p.area_id = s.area_id and p.phone = s.phone
      union all
      select s.ord, p.id, true, false, false from subject s join person p on p.area_id = s.area_id and p.email = s.email
      union all
      select s.ord, p.id, false, false, false from subject s join person p on p.area_id = s.area_id and p.date_of_birth = s.date_of_birth
      union all
      select s.ord, p.id, false, false, false from subject s join person p on p.area_id = s.area_id and p.postcode = s.postcode
      union all
      select s.ord, c.person_id, false, true, false
        from subject s join crime cr on cr.area_id = s.area_id and cr.crime_reference = s.crime_reference join victim_case c on c.crime_id = cr.id
      union all
      -- Every source is listed so the (source, organisation, reference) unique index serves the lookup.
      select s.ord, c.person_id, false, false, true
        from subject s join victim_case c on c.source in (${sql.join([...CASE_SOURCES])})
          and c.referring_organisation_id = s.organisation_id and c.source_reference = s.source_reference
    ),
    -- The subject's own details ride along with each candidate, so the person table is joined once, by its key: a
    -- plan that joined subjects to people some other way could pair every subject with every person.
    candidate as (
      select f.ord, f.id, s.area_id, s.match_name as subject_name, s.family, s.family_sound, s.given_sound,
        bool_or(f.by_contact) as by_contact, bool_or(f.by_crime) as on_same_crime, bool_or(f.by_source) as same_source_reference
      from found f join subject s on s.ord = f.ord
      group by f.ord, f.id, s.area_id, s.match_name, s.family, s.family_sound, s.given_sound
    ),
    measured as (
      select c.ord, p.id, p.given_name, p.family_name, p.match_name, p.date_of_birth::text as date_of_birth, p.phone, p.email, p.postcode,
        similarity(p.match_name, c.subject_name) as name_similarity,
        (p.family_name is not null and c.family <> '' and dmetaphone(p.family_name) = c.family_sound) as family_sounds_alike,
        (dmetaphone(p.given_name) = c.given_sound) as given_sounds_alike,
        c.on_same_crime, c.same_source_reference, c.by_contact, c.subject_name
      from candidate c
      join person p on p.id = c.id and p.area_id = c.area_id and p.merged_into_person_id is null
    ),
    weighed as (
      select m.*, row_number() over (
        partition by m.ord order by m.same_source_reference desc, m.on_same_crime desc, m.by_contact desc, m.name_similarity desc, m.id
      ) as rank
      from measured m
      -- Only a shared phone or email lets a first or last name alone count (rules.ts scoreCandidate); otherwise the
      -- names must be the same, alike by trigrams, or sound alike.
      where m.same_source_reference or m.on_same_crime or m.by_contact or m.match_name = m.subject_name
        or m.name_similarity >= ${TRIGRAM_THRESHOLD} or m.family_sounds_alike
    )
    select ord as subject, id, given_name, family_name, match_name, date_of_birth, phone, email, postcode, name_similarity,
      family_sounds_alike, given_sounds_alike, on_same_crime, same_source_reference
    from weighed where rank <= ${CANDIDATE_LIMIT}
  `.execute(trx);
  for (const row of result.rows) {
    found[row.subject]?.push({
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
    });
  }
  return found;
}

/** Puts possible matches on the review queue in one statement; returns the ids of the reviews made (a pair already queued is not). */
export async function insertReviews(
  trx: Trx,
  reviews: readonly { id: string; areaId: string; personId: string; candidatePersonId: string; score: number; reasons: MatchReason[] }[],
): Promise<Set<string>> {
  if (!reviews.length) return new Set();
  const column = <T>(pick: (review: (typeof reviews)[number]) => T): T[] => reviews.map(pick);
  const result = await sql<{ id: string }>`
    insert into person_match_review (id, area_id, person_id, candidate_person_id, score, reasons)
    select * from unnest(
      ${column((r) => r.id)}::uuid[], ${column((r) => r.areaId)}::uuid[], ${column((r) => r.personId)}::uuid[],
      ${column((r) => r.candidatePersonId)}::uuid[], ${column((r) => r.score)}::numeric[], ${column((r) => JSON.stringify(r.reasons))}::jsonb[]
    )
    on conflict (person_id, candidate_person_id) do nothing
    returning id
  `.execute(trx);
  return new Set(result.rows.map((row) => row.id));
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

/**
 * Sets or clears the repeat-victim flag of each person from the cases opened since `since`, in one statement: a person
 * with at least `threshold` such cases is a repeat victim (rules.ts isRepeatVictim). Only flags that change are written.
 */
export async function setRepeatVictims(trx: Trx, personIds: readonly string[], since: Date, threshold: number): Promise<void> {
  if (!personIds.length) return;
  await sql`
    update person set repeat_victim = counted.repeat, updated_at = now()
    from (
      select given.id, (select count(*) from victim_case c where c.person_id = given.id and c.created_at >= ${since}) >= ${threshold} as repeat
      from unnest(${[...personIds]}::uuid[]) as given (id)
    ) as counted
    where person.id = counted.id and person.repeat_victim <> counted.repeat
  `.execute(trx);
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
