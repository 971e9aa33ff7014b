// Needs assessments, kept as numbered versions per case (a re-assessment adds one, nothing is overwritten), with the
// DASH result where there is domestic abuse; and case tasks, the work items a rule raises on a case (a MARAC referral,
// an offence to classify by hand) for an organisation to do.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table needs_assessment (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      version integer not null check (version > 0),
      catalogue_version text not null,
      method text not null check (method in ('phone', 'in_person')),
      assessed_on date not null,
      assessed_by_user_id uuid not null references staff_user(id),
      answers jsonb not null,
      -- The DASH checklist, when there is domestic abuse: answers, the score, the threshold it was read against, the
      -- level the score gave, the coordinator's reason for raising it, and the level that counts.
      dash_answers jsonb,
      dash_score integer check (dash_score between 0 and 24),
      dash_threshold integer,
      dash_score_level text check (dash_score_level in ('high', 'standard')),
      dash_override_reason text,
      dash_level text check (dash_level in ('high', 'standard')),
      -- From the form's hidden field: the same form sent twice makes one version.
      submission_key text not null unique,
      recorded_at timestamptz not null default now(),
      unique (case_id, version),
      check ((dash_answers is null) = (dash_level is null))
    );

    create table case_task (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      kind text not null check (kind in ('marac_referral', 'manual_offence_classification')),
      title text not null,
      owning_organisation_id uuid not null references organisation(id),
      due_at timestamptz,
      idempotency_key text not null unique,
      status text not null default 'open' check (status in ('open', 'completed')),
      raised_by_user_id uuid references staff_user(id),
      raised_at timestamptz not null default now(),
      completed_at timestamptz,
      completed_by_user_id uuid references staff_user(id),
      check ((status = 'completed') = (completed_at is not null))
    );
    create index case_task_open on case_task (case_id, raised_at) where status = 'open';
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
