// Court hearings on a case, and each area's pre-court review horizon. A hearing row is recorded with the
// 'hearing_listed' timeline event that starts the Code clock's hearing_update duty, and names that event; the
// pre-court review list reads "hearings between now and the horizon in an area" from the (area_id, hearing_at) index.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table hearing (
      -- Made by the service, so the timeline event that records the hearing can name it.
      id uuid primary key,
      case_id uuid not null references victim_case(id),
      -- The case's area, copied (a case never changes area) so the review list needs no join to find an area's hearings.
      area_id uuid not null references area(id),
      hearing_at timestamptz not null,
      court_name text not null check (char_length(court_name) between 1 and 120),
      hearing_type text not null check (hearing_type in ('first_hearing', 'plea_and_trial_preparation', 'trial', 'sentencing', 'appeal', 'other')),
      timeline_event_id bigint not null unique references timeline_event(id),
      -- The hidden key on the form: sending the same form twice finds the first hearing instead of recording another.
      submission_key text not null,
      recorded_by_user_id uuid references staff_user(id),
      created_at timestamptz not null default now(),
      unique (case_id, submission_key)
    );
    create index hearing_area_time on hearing (area_id, hearing_at);
    create index hearing_case on hearing (case_id, hearing_at);

    -- How far ahead an area's pre-court review looks, in calendar days, where it differs from the default in
    -- features/pre-court/rules.ts. Its own table, not a key in code_clock_setting: the Code clock's settings reader keeps
    -- only the keys it knows and its service publishes no reader, and the review is not a Code clock duty.
    create table pre_court_setting (
      area_id uuid primary key references area(id),
      horizon_days integer not null check (horizon_days between 1 and 365),
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
