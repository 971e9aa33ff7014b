// The commissioner's insights: equality monitoring on the person (optional, asked with the victim), the funding the
// commissioner gives providers, and the pre-aggregated tables every dashboard and the quarterly report read. The
// aggregates hold counts per area and London day and never an id of a person or case, so a dashboard cannot return a
// person even by mistake. insight_dirty is the queue of (topic, area, day) buckets a write has made stale; the upkeep
// job (features/insights) recomputes those buckets from the raw tables, so dashboards never scan raw events at request
// time. The triggers that fill the queue come in 0027.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Null means not asked yet ("not recorded"); 'not_stated' means the victim preferred not to say.
    -- Ethnic groups are the ONS 2021 census's five high-level groups.
    alter table person
      add column sex text check (sex in ('female', 'male', 'other', 'not_stated')),
      add column ethnic_group text check (ethnic_group in ('asian', 'black', 'mixed', 'white', 'other', 'not_stated')),
      add column disabled text check (disabled in ('yes', 'no', 'not_stated'));

    create table funding_award (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null references area(id),
      -- The provider funded.
      organisation_id uuid not null references organisation(id),
      kind text not null check (kind in ('grant', 'contract')),
      reference text not null check (char_length(trim(reference)) between 1 and 100),
      period_start date not null,
      period_end date not null,
      amount_pence bigint not null check (amount_pence > 0),
      note text check (char_length(note) <= 1000),
      recorded_by_user_id uuid not null references staff_user(id),
      recorded_at timestamptz not null default now(),
      submission_key text not null unique,
      check (period_start <= period_end)
    );
    create index funding_award_area on funding_award (area_id, period_start, period_end);

    -- Cases opened, by the London day they were opened.
    create table insight_case_day (
      area_id uuid not null references area(id),
      day date not null,
      source text not null,
      offence_group text not null, -- 'unclassified' when the crime has none, 'not_reported' when there is no crime
      role text not null,
      enhanced boolean not null, -- any entitlement decision in force
      repeat_victim boolean not null,
      cases integer not null check (cases > 0),
      primary key (area_id, day, source, offence_group, role, enhanced, repeat_victim)
    );

    -- Cases opened, by the London day, one row per equality dimension and category (one-way breakdowns only).
    create table insight_equality_day (
      area_id uuid not null references area(id),
      day date not null,
      dimension text not null check (dimension in ('age_band', 'sex', 'ethnic_group', 'disability')),
      category text not null, -- 'not_recorded' when not asked
      cases integer not null check (cases > 0),
      primary key (area_id, day, dimension, category)
    );

    -- Victims' Code duties, by the London day each fell due, per duty and owning agency.
    create table insight_duty_day (
      area_id uuid not null references area(id),
      day date not null,
      duty text not null,
      owner_kind text not null,
      -- The owning organisation's id as text, or the owner kind where Haven does not know the organisation.
      owner_key text not null,
      due integer not null,
      met_on_time integer not null,
      met_late integer not null,
      overdue integer not null, -- still not met, past due
      breached integer not null,
      open integer not null, -- not met and not yet due
      primary key (area_id, day, duty, owner_kind, owner_key)
    );

    -- Support referrals, by the London day each was sent, per provider and service.
    create table insight_referral_day (
      area_id uuid not null references area(id),
      day date not null,
      organisation_id uuid not null references organisation(id),
      service_id uuid not null references organisation_service(id),
      sent integer not null,
      awaiting integer not null, -- sent, no answer yet
      accepted integer not null, -- the provider said yes (whatever happened after)
      declined integer not null,
      no_capacity integer not null,
      returned integer not null,
      closed integer not null,
      completed integer not null, -- closed with the outcome engaged_completed
      started integer not null, -- support began
      wait_days_total numeric not null, -- sum over started referrals of days from sent to started
      primary key (area_id, day, organisation_id, service_id)
    );

    -- Victims' ratings after key moments, by the London day given.
    create table insight_feedback_day (
      area_id uuid not null references area(id),
      day date not null,
      moment text not null,
      rating smallint not null,
      responses integer not null check (responses > 0),
      primary key (area_id, day, moment, rating)
    );

    -- Themes found in victims' comments (features/insights/themes.ts), by the London day given; never the words.
    create table insight_feedback_theme_day (
      area_id uuid not null references area(id),
      day date not null,
      theme text not null,
      mentions integer not null check (mentions > 0),
      primary key (area_id, day, theme)
    );

    -- Complaints, by the London day received, per organisation complained about.
    create table insight_complaint_day (
      area_id uuid not null references area(id),
      day date not null,
      organisation_id uuid not null references organisation(id),
      received integer not null,
      answered integer not null,
      answered_in_time integer not null, -- within the 10-working-day duty
      answer_days_total integer not null, -- calendar days, summed over answered complaints
      primary key (area_id, day, organisation_id)
    );

    -- Buckets a write has made stale, for the upkeep job to recompute.
    create table insight_dirty (
      topic text not null check (topic in ('case', 'duty', 'referral', 'feedback', 'complaint')),
      area_id uuid not null references area(id),
      day date not null,
      marked_at timestamptz not null default now(),
      primary key (topic, area_id, day)
    );
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
