// The victim's portal: accounts (a victim's own, or a parent, carer or supporter acting for one), one-time sign-in
// codes, coordinators' invitation links, short server-side sessions and the links that let someone act for a victim.
// Also what the portal's pages record: which thread a message belongs to, how often a victim wants updates, victims'
// feedback after key moments, and complaints, whose answer is a Victims' Code duty.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table portal_account (
      id uuid primary key default gen_random_uuid(),
      -- The victim's own record. A parent, carer or supporter who is not a victim has none, and signs in with the
      -- email or phone kept here instead; a victim signs in with the email or phone on their person record.
      person_id uuid unique references person(id),
      area_id uuid not null references area(id),
      display_name text not null check (char_length(display_name) between 1 and 200),
      email text,
      phone text,
      -- Ask for a crime reference after the code, as a second check (the victim or the coordinator turns it on).
      crime_reference_check boolean not null default false,
      created_at timestamptz not null default now(),
      created_by_user_id uuid references staff_user(id),
      disabled_at timestamptz,
      check (person_id is not null or email is not null or phone is not null)
    );
    create unique index portal_account_delegate_email on portal_account (email) where person_id is null and email is not null;
    create unique index portal_account_delegate_phone on portal_account (phone) where person_id is null and phone is not null;

    -- A code asked for on the sign-in page. Every request gets a row, known address or not, so the next page behaves
    -- the same either way; only a row with an account has a code that can ever match.
    create table portal_sign_in_code (
      id uuid primary key,
      -- sha256 of the random token in the browser's pending-sign-in cookie.
      token_hash text not null unique,
      -- sha256 of the normalised address typed, and of the client address: the throttles count by these.
      address_key text not null,
      client_key text not null,
      account_id uuid references portal_account(id),
      person_id uuid references person(id),
      channel text check (channel in ('email', 'sms')),
      code_hash text,
      failed_attempts integer not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index portal_sign_in_code_address on portal_sign_in_code (address_key, created_at);
    create index portal_sign_in_code_client on portal_sign_in_code (client_key, created_at);

    create table portal_invitation (
      token_hash text primary key,
      person_id uuid not null references person(id),
      case_id uuid not null references victim_case(id),
      created_by_user_id uuid not null references staff_user(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz
    );
    create index portal_invitation_case on portal_invitation (case_id);

    create table portal_session (
      id_hash text primary key,
      account_id uuid not null references portal_account(id),
      stage text not null check (stage in ('crime_reference', 'signed_in')),
      created_at timestamptz not null,
      last_seen_at timestamptz not null
    );
    create index portal_session_account on portal_session (account_id);

    -- Someone acting for a victim: a parent or carer of a child victim (may act), or a named supporter (may only read).
    create table portal_link (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references portal_account(id),
      person_id uuid not null references person(id),
      relation text not null check (relation in ('parent_or_carer', 'supporter')),
      granted_by_user_id uuid not null references staff_user(id),
      granted_at timestamptz not null default now(),
      revoked_at timestamptz,
      revoked_by_user_id uuid references staff_user(id),
      revoke_reason text check (char_length(revoke_reason) <= 500)
    );
    create unique index portal_link_live on portal_link (account_id, person_id) where revoked_at is null;
    create index portal_link_person on portal_link (person_id);

    -- How often the victim wants updates; null until they say (the Code's default cadence applies).
    alter table person add column update_frequency text
      check (update_frequency in ('as_they_happen', 'weekly', 'fortnightly', 'monthly'));

    -- Which thread a message is in: the hub's coordinator, the police (officer in charge) or a support provider
    -- (organisation_id names which). Existing messages are put in the thread of the organisation that wrote them.
    drop trigger case_message_append_only on case_message;
    alter table case_message add column party text not null default 'hub' check (party in ('hub', 'police', 'provider'));
    alter table case_message add column organisation_id uuid references organisation(id);
    update case_message m set party = case o.kind when 'police' then 'police' when 'provider' then 'provider' else 'hub' end,
      organisation_id = case when o.kind = 'provider' then o.id end
      from staff_user u join organisation o on o.id = u.organisation_id where u.id = m.author_user_id;
    alter table case_message add constraint case_message_provider_names_organisation check ((party = 'provider') = (organisation_id is not null));
    create index case_message_party on case_message (case_id, party, organisation_id, created_at);
    create or replace function case_message_only_read_once() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or old.read_at is not null or new.read_at is null
        or (new.id, new.case_id, new.direction, new.author_user_id, new.body, new.idempotency_key, new.created_at, new.party, new.organisation_id)
          is distinct from (old.id, old.case_id, old.direction, old.author_user_id, old.body, old.idempotency_key, old.created_at, old.party, old.organisation_id) then
        raise exception 'case_message is append-only; only its read receipt is set, once';
      end if;
      return new;
    end $$;
    create trigger case_message_append_only before update or delete on case_message
      for each row execute function case_message_only_read_once();

    -- A one-question rating after a key moment, one per case and moment.
    create table victim_feedback (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      area_id uuid not null references area(id),
      moment text not null check (moment in ('first_contact', 'referral_closed', 'court_outcome')),
      rating smallint not null check (rating between 1 and 5),
      comment text check (char_length(comment) <= 1000),
      given_by_account_id uuid not null references portal_account(id),
      given_at timestamptz not null default now(),
      unique (case_id, moment)
    );
    create index victim_feedback_area on victim_feedback (area_id, given_at);

    -- A complaint about a named organisation; receiving it starts that organisation's 10-working-day clock.
    create table complaint (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      area_id uuid not null references area(id),
      organisation_id uuid not null references organisation(id),
      body text not null check (char_length(body) between 1 and 5000),
      made_by_account_id uuid not null references portal_account(id),
      submission_key text not null,
      received_at timestamptz not null default now(),
      answered_at timestamptz,
      answered_by_user_id uuid references staff_user(id),
      answer_summary text check (char_length(answer_summary) <= 5000),
      unique (made_by_account_id, submission_key)
    );
    create index complaint_organisation on complaint (organisation_id, received_at);
    create index complaint_case on complaint (case_id);
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
