// People, crimes, cases and the case timeline: the record every route in (police feed, API, file, self-referral,
// agency) leads to. Also switches on pg_trgm and fuzzystrmatch, which matching people uses.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;
    create extension if not exists fuzzystrmatch;

    create table person (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null references area(id),
      given_name text not null check (length(trim(given_name)) > 0),
      family_name text,
      other_names text[] not null default '{}',
      -- Names trimmed, case-folded and without accents, written by the service, so matching compares like with like.
      match_name text not null,
      date_of_birth date,
      email text,
      phone text check (phone is null or phone ~ '^\\+[1-9][0-9]{7,14}$'),
      address_line_1 text,
      address_line_2 text,
      town text,
      postcode text,
      preferred_language text not null default 'en',
      communication_needs text,
      safe_contact jsonb not null default '{}',
      repeat_victim boolean not null default false,
      merged_into_person_id uuid references person(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index person_area on person (area_id);
    create index person_family_name on person (lower(family_name));
    create index person_date_of_birth on person (date_of_birth);
    create index person_phone on person (phone) where phone is not null;
    create index person_email on person (email) where email is not null;
    create index person_postcode on person (postcode) where postcode is not null;
    create index person_match_name_trigram on person using gin (match_name gin_trgm_ops);

    create table crime (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null references area(id),
      crime_reference text not null,
      offence_code text not null,
      offence_category text not null,
      offence_group text,
      committed_from date,
      committed_to date,
      reported_at timestamptz,
      officer_in_charge text,
      police_organisation_id uuid references organisation(id),
      status text not null default 'open',
      created_at timestamptz not null default now(),
      unique (area_id, crime_reference),
      check (committed_to is null or committed_from is null or committed_from <= committed_to)
    );

    -- "case" is a reserved word: the table is victim_case everywhere.
    create table victim_case (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      crime_id uuid references crime(id),
      area_id uuid not null references area(id),
      role text not null check (role in ('victim', 'witness', 'bereaved_relative', 'parent_of_child_victim')),
      source text not null check (source in ('police_feed', 'police_api', 'file_import', 'self_referral', 'agency_referral')),
      source_reference text,
      referring_organisation_id uuid references organisation(id),
      status text not null default 'new' check (status in ('new', 'contacted', 'active', 'closed')),
      closed_reason text,
      coordinator_user_id uuid references staff_user(id),
      support_consent text not null default 'not_asked' check (support_consent in ('opted_out', 'opted_in', 'not_asked', 'implied')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status = 'closed') = (closed_reason is not null and length(trim(closed_reason)) > 0))
    );
    -- One case per person per crime; a self-referral with no crime may stand beside others.
    create unique index victim_case_person_crime on victim_case (person_id, crime_id) where crime_id is not null;
    -- The sender's own id makes a replayed referral find the first case instead of making a second.
    create unique index victim_case_source_reference on victim_case (source, referring_organisation_id, source_reference)
      nulls not distinct where source_reference is not null;
    create index victim_case_person on victim_case (person_id);
    create index victim_case_crime on victim_case (crime_id) where crime_id is not null;
    create index victim_case_area_status on victim_case (area_id, status, created_at);
    create index victim_case_coordinator on victim_case (coordinator_user_id, status) where coordinator_user_id is not null;

    create table timeline_event (
      id bigserial primary key,
      case_id uuid not null references victim_case(id),
      kind text not null,
      summary text not null,
      detail jsonb not null default '{}',
      source text not null,
      idempotency_key text not null unique,
      visibility text not null check (visibility in ('victim', 'staff')),
      occurred_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      recorded_by_user_id uuid references staff_user(id)
    );
    create index timeline_event_case on timeline_event (case_id, occurred_at, id);

    -- The timeline is append-only: a correction is a new event, never an edit.
    create function timeline_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'timeline_event is append-only';
    end $$;
    create trigger timeline_event_append_only before update or delete on timeline_event
      for each row execute function timeline_event_is_append_only();
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
