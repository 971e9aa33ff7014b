// Foundation: areas, organisations and their services, staff and their sign-in state, and the audit trail.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table area (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null
    );

    create table organisation (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null references area(id),
      name text not null,
      kind text not null check (kind in ('hub', 'police', 'witness_care', 'probation', 'commissioner', 'provider', 'prosecutor')),
      created_at timestamptz not null default now(),
      unique (area_id, name)
    );

    create table organisation_service (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      name text not null,
      category text not null,
      description text not null,
      unique (organisation_id, name)
    );

    create table staff_user (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      email text not null,
      display_name text not null,
      role text not null check (role in ('coordinator', 'supervisor', 'police_officer', 'witness_care_officer',
        'provider_caseworker', 'victim_liaison_officer', 'commissioner_analyst', 'administrator')),
      status text not null default 'invited' check (status in ('invited', 'active', 'disabled')),
      password_hash text,
      totp_secret text,
      totp_last_step bigint,
      invitation_hash text unique,
      invitation_expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index staff_user_email on staff_user (lower(email));
    create index staff_user_organisation on staff_user (organisation_id);

    create table recovery_code (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references staff_user(id) on delete cascade,
      code_hash text not null,
      used_at timestamptz
    );
    create index recovery_code_user on recovery_code (user_id);

    create table staff_session (
      id_hash text primary key,
      user_id uuid not null references staff_user(id) on delete cascade,
      stage text not null check (stage in ('second_factor', 'enrolment', 'signed_in')),
      pending_totp_secret text,
      created_at timestamptz not null,
      last_seen_at timestamptz not null
    );
    create index staff_session_user on staff_session (user_id);

    create table sign_in_attempt (
      id bigserial primary key,
      account_key text not null,
      address text not null,
      succeeded boolean not null,
      at timestamptz not null
    );
    create index sign_in_attempt_account on sign_in_attempt (account_key, at);
    create index sign_in_attempt_address on sign_in_attempt (address, at);

    create table audit_event (
      id bigserial primary key,
      at timestamptz not null,
      actor_user_id uuid,
      actor_label text not null,
      organisation_id uuid,
      action text not null,
      record_type text not null,
      record_id text,
      request_id text,
      detail jsonb not null default '{}',
      previous_hash text not null,
      hash text not null
    );
    create index audit_event_record on audit_event (record_type, record_id);

    -- The audit trail is append-only: the database itself refuses to change or remove a row.
    create function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only';
    end $$;
    create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function audit_event_is_append_only();
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
