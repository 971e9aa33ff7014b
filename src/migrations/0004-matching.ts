// One record per person: the supervisor's queue of possible matches between people, and the merges made from it,
// kept so that each merge can be undone.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_match_review (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null references area(id),
      -- The person made from the new referral, and the person already held that it may be.
      person_id uuid not null references person(id),
      candidate_person_id uuid not null references person(id),
      score numeric(4, 3) not null check (score >= 0 and score <= 1),
      -- Which fields matched and how (names of fields only, never their values).
      reasons jsonb not null default '[]',
      status text not null default 'pending' check (status in ('pending', 'merged', 'kept_apart')),
      decided_by uuid references staff_user(id),
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      check (person_id <> candidate_person_id),
      unique (person_id, candidate_person_id)
    );
    create index person_match_review_queue on person_match_review (area_id, status, created_at);

    create table person_merge (
      id uuid primary key default gen_random_uuid(),
      review_id uuid references person_match_review(id),
      kept_person_id uuid not null references person(id),
      merged_person_id uuid not null references person(id),
      moved_case_ids uuid[] not null default '{}',
      merged_by uuid references staff_user(id),
      merged_at timestamptz not null default now(),
      undone_by uuid references staff_user(id),
      undone_at timestamptz
    );
    create index person_merge_merged_person on person_merge (merged_person_id);
    create index person_merge_review on person_merge (review_id);
    create index person_merged_into on person (merged_into_person_id) where merged_into_person_id is not null;
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
