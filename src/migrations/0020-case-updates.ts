// Case updates from the agencies (police, prosecutor, witness care and court, probation), through the API or staff
// pages. Each update is kept as it arrived, keyed by its source's own event id so a replay adds nothing; one that names no
// known crime waits in quarantine for a person, and one that breaks the expected order (a sentence with no verdict) is
// kept but flagged for review and not shown to the victim as fact. The crime gains its officer's staff account, for
// the police view, and the furthest stage its investigation has reached, which a late event cannot move back.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table crime add column officer_user_id uuid references staff_user(id);
    alter table crime add column stage text;
    create index crime_officer on crime (officer_user_id) where officer_user_id is not null;

    create table case_update (
      id uuid primary key,
      -- The organisation that sent it, and its own id for it: the pair is the idempotency key.
      source_organisation_id uuid not null references organisation(id),
      source_event_id text not null check (char_length(source_event_id) between 1 and 200),
      area_id uuid not null references area(id),
      type text not null,
      crime_reference text,
      crime_id uuid references crime(id),
      -- Set when staff posted the update on one case; an update from a feed applies to every case of its crime.
      case_id uuid references victim_case(id),
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      detail jsonb not null default '{}',
      -- The officer's own words for the victim, shown under the plain-words explanation.
      personal_note text check (char_length(personal_note) <= 2000),
      state text not null check (state in ('applied', 'flagged', 'quarantined', 'dismissed')),
      -- Why it was quarantined or flagged, in words a reviewer can act on.
      reason text,
      reviewed_by_user_id uuid references staff_user(id),
      reviewed_at timestamptz,
      review_note text,
      recorded_by_user_id uuid references staff_user(id),
      unique (source_organisation_id, source_event_id),
      check ((state in ('quarantined', 'flagged')) <= (reason is not null))
    );
    create index case_update_review on case_update (area_id, received_at) where state in ('quarantined', 'flagged');
    create index case_update_crime on case_update (crime_id, occurred_at) where crime_id is not null;

    -- Work the updates and notifications raise for the hub: an update to review, a notification Notify refused, a
    -- victim who must not be contacted, and a case with no update within its agreed cadence.
    alter table case_task drop constraint case_task_kind_check;
    alter table case_task add constraint case_task_kind_check
      check (kind in ('marac_referral', 'manual_offence_classification', 'support_referral_returned',
        'case_update_review', 'notification_undeliverable', 'victim_not_contactable', 'stale_case_update'));
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
