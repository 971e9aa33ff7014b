// The service directory: what each provider's service offers and to whom (eligibility, languages, accessibility), its
// open places and current wait, which the provider keeps up to date, and the Welsh text of the public directory page.
// The columns extend organisation_service, so a service keeps one row and one id however it is described.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organisation_service
      add column specialism text not null default 'general' check (specialism in ('isva', 'idva', 'young_victims', 'practical',
        'emotional', 'hate_crime', 'restorative_justice', 'mental_health', 'general')),
      -- Home Office offence groups (and the pseudo-group 'Domestic abuse'); empty means any offence. Not checked against
      -- a list here: the offence code list grows without a migration, and the form only offers known groups.
      add column offence_groups text[] not null default '{}' check (array_position(offence_groups, null) is null),
      -- Empty means any age, any gender.
      add column age_bands text[] not null default '{}' check (age_bands <@ array['child', 'adult', 'older']::text[]),
      add column genders text[] not null default '{}' check (genders <@ array['female', 'male']::text[]),
      add column enhanced_only boolean not null default false,
      add column referral_routes text[] not null default '{coordinator}'
        check (cardinality(referral_routes) >= 1 and referral_routes <@ array['coordinator', 'self', 'police', 'agency']::text[]),
      -- Language codes (ISO 639-1), such as 'en' and 'cy'.
      add column languages text[] not null default '{en}' check (array_position(languages, null) is null),
      add column accessibility text[] not null default '{}'
        check (accessibility <@ array['bsl', 'easy_read', 'step_free', 'interpreter', 'large_print', 'hearing_loop', 'home_visits']::text[]),
      add column capacity integer not null default 0 check (capacity >= 0),
      add column wait_days integer not null default 0 check (wait_days between 0 and 365),
      -- Working days the provider has to answer a referral; the referral's deadline on the Code clock.
      add column response_working_days integer not null default 2 check (response_working_days between 1 and 20),
      add column active boolean not null default true,
      add column welsh_name text check (char_length(welsh_name) between 1 and 120),
      add column welsh_description text check (char_length(welsh_description) between 1 and 1000),
      add column updated_at timestamptz not null default now(),
      add column updated_by_user_id uuid references staff_user(id),
      -- Bumped on every change: a form sent from a stale page is refused instead of overwriting a newer change.
      add column revision integer not null default 1,
      -- The hidden key on the create form: sending it twice finds the first service instead of adding another.
      add column submission_key text,
      add constraint organisation_service_submission unique (organisation_id, submission_key);

    -- Services that were here before the directory get what their category and name say; the provider corrects the rest.
    update organisation_service set
      specialism = case
        when name ilike '%(ISVA)%' or name ilike '%(ChISVA)%' then 'isva'
        when name ilike '%(IDVA)%' then 'idva'
        when category = 'Children and young people' then 'young_victims'
        when category = 'Hate crime' then 'hate_crime'
        when category = 'Restorative justice' then 'restorative_justice'
        when category = 'Mental health' then 'mental_health'
        when category in ('Practical support', 'Home security', 'Fraud') then 'practical'
        when category in ('Bereavement', 'Sexual violence', 'Domestic abuse', 'Refuge', 'Stalking') then 'emotional'
        else 'general'
      end,
      offence_groups = case
        when category = 'Sexual violence' then array['Rape', 'Other sexual offences']
        when category in ('Domestic abuse', 'Refuge') then array['Domestic abuse']
        when category = 'Hate crime' then array['Public order offences', 'Violence with injury', 'Violence without injury', 'Criminal damage']
        when category = 'Fraud' then array['Fraud']
        when category = 'Stalking' then array['Stalking and harassment']
        else '{}'::text[]
      end,
      age_bands = case
        when category = 'Children and young people' then array['child']
        when category = 'Older people' then array['older']
        else '{}'::text[]
      end,
      enhanced_only = name ilike '%(IDVA)%',
      languages = case when category = 'Language' and name ilike '%Welsh%' then array['cy', 'en'] else array['en'] end;
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
