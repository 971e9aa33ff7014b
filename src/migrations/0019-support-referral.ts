// Referrals to a provider's service: written by a hub coordinator with a summary the victim approved ("tell us once"),
// sent to the provider's team inbox (never to a person), answered, allocated by the provider's supervisor, worked and
// closed with an outcome and before-and-after measures. Each step is also a timeline event; this table holds the
// current state, so the inbox is one index scan. A progress log and messages between the provider and the coordinator
// hang off each referral.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table support_referral (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      person_id uuid not null references person(id),
      area_id uuid not null references area(id),
      service_id uuid not null references organisation_service(id),
      -- The provider whose team inbox receives it; copied from the service so the inbox needs no join.
      organisation_id uuid not null references organisation(id),
      status text not null default 'draft' check (status in ('draft', 'cancelled', 'sent', 'accepted', 'in_progress',
        'declined', 'no_capacity', 'returned', 'closed')),
      -- "Tell us once": the victim's story and needs in the coordinator's words, which the victim approved.
      summary text not null check (char_length(summary) between 1 and 4000),
      summary_approved_how text check (summary_approved_how in ('phone', 'in_person', 'portal')),
      summary_approved_at timestamptz,
      summary_approved_by_user_id uuid references staff_user(id),
      -- A hub supervisor's decision to refer where the service's eligibility excludes the case, and why.
      override_reason text check (char_length(override_reason) between 1 and 500),
      override_by_user_id uuid references staff_user(id),
      excluded_because text[] not null default '{}',
      created_by_user_id uuid not null references staff_user(id),
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      sent_by_user_id uuid references staff_user(id),
      -- The 'service_referral_sent' event: the provider's answer names it, which is how the Code clock knows which
      -- referral an answer meets.
      sent_event_id bigint,
      allocated_to_user_id uuid references staff_user(id),
      allocated_at timestamptz,
      answered_at timestamptz,
      answered_by_user_id uuid references staff_user(id),
      decline_reason text check (char_length(decline_reason) between 1 and 500),
      started_at timestamptz,
      returned_reason text check (char_length(returned_reason) between 1 and 500),
      onward_service_id uuid references organisation_service(id),
      closed_at timestamptz,
      closed_by_user_id uuid references staff_user(id),
      outcome text check (outcome in ('engaged_completed', 'declined_by_victim', 'unable_to_contact', 'moved_on', 'consent_withdrawn')),
      close_note text check (char_length(close_note) between 1 and 500),
      -- Simple 1 (worst) to 5 (best) scales, asked at the start and at the end of support.
      coping_before smallint check (coping_before between 1 and 5),
      coping_after smallint check (coping_after between 1 and 5),
      safety_before smallint check (safety_before between 1 and 5),
      safety_after smallint check (safety_after between 1 and 5),
      -- The hidden key on the referral form: sending it twice finds the first referral instead of making another.
      submission_key text not null unique,
      check ((status = 'closed') = (outcome is not null)),
      check (status in ('draft', 'cancelled') or (sent_at is not null and sent_event_id is not null)),
      check (status <> 'declined' or decline_reason is not null),
      check (status <> 'returned' or returned_reason is not null),
      check ((override_reason is null) = (override_by_user_id is null))
    );
    -- The team inbox and "my clients": open referrals of one provider, oldest first.
    create index support_referral_inbox on support_referral (organisation_id, sent_at)
      where status in ('sent', 'accepted', 'in_progress');
    create index support_referral_allocated on support_referral (allocated_to_user_id, sent_at)
      where status in ('accepted', 'in_progress');
    create index support_referral_case on support_referral (case_id, created_at);
    -- The inbox's notice of referrals a withdrawal closed lately.
    create index support_referral_withdrawn on support_referral (organisation_id, closed_at) where outcome = 'consent_withdrawn';
    create index support_referral_person on support_referral (person_id, organisation_id)
      where status in ('draft', 'sent', 'accepted', 'in_progress');

    -- A provider's inbox checks consent for thousands of referrals at once: with the ledger indexed by recipient too,
    -- the planner can read the provider's consents once (a hash semi-join) instead of probing once a referral.
    create index consent_recipient_in_force on consent (recipient_organisation_id, purpose, person_id) where withdrawn_at is null;

    -- The provider's progress log, and messages between the provider and the hub coordinator, about one referral.
    create table support_referral_note (
      id uuid primary key default gen_random_uuid(),
      referral_id uuid not null references support_referral(id),
      kind text not null check (kind in ('progress', 'to_coordinator', 'to_provider')),
      body text not null check (char_length(body) between 1 and 2000),
      author_user_id uuid not null references staff_user(id),
      created_at timestamptz not null default now(),
      submission_key text not null unique
    );
    create index support_referral_note_referral on support_referral_note (referral_id, created_at);

    -- A referral the provider declined, could not take or sent back is work for the hub to pick up.
    alter table case_task drop constraint case_task_kind_check;
    alter table case_task add constraint case_task_kind_check
      check (kind in ('marac_referral', 'manual_offence_classification', 'support_referral_returned'));
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
