// The consent ledger: what may be shared about a person with which organisation, for what purpose, on which legal
// basis, and how the victim agreed. A row is never edited; it is withdrawn (with how and when) or reaches its end date,
// so the ledger shows what was allowed at any moment. Provider queries read case data only where a row is in force.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table consent (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      area_id uuid not null references area(id),
      -- The case it was recorded on, so its timeline tells the story; the consent itself belongs to the person.
      case_id uuid not null references victim_case(id),
      recipient_organisation_id uuid not null references organisation(id),
      purpose text not null check (purpose in ('support_referral', 'progress_updates')),
      legal_basis text not null check (legal_basis in ('consent', 'explicit_consent', 'public_task', 'legal_obligation')),
      given_how text not null check (given_how in ('verbal', 'written', 'online')),
      given_at timestamptz not null default now(),
      expires_at timestamptz check (expires_at is null or expires_at > given_at),
      note text check (char_length(note) <= 500),
      recorded_by_user_id uuid references staff_user(id),
      withdrawn_at timestamptz,
      withdrawn_how text check (withdrawn_how in ('verbal', 'written', 'online')),
      withdrawal_reason text check (char_length(withdrawal_reason) <= 500),
      withdrawn_by_user_id uuid references staff_user(id),
      -- The hidden key on the form: sending it twice finds the first consent instead of recording another.
      submission_key text not null unique,
      check ((withdrawn_at is null) = (withdrawn_how is null))
    );
    -- The check every provider query makes: is there a row in force for this person, organisation and purpose.
    create index consent_in_force on consent (person_id, recipient_organisation_id, purpose) where withdrawn_at is null;
    create index consent_case on consent (case_id, given_at);
  `.execute(db);
}
