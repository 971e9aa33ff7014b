// The care plan: actions agreed with a victim, each with an owner (an organisation, optionally a named member of its
// staff, or the victim) and a due date, written so the victim can read them in the portal. An action is never deleted:
// it is done or cancelled, with who and when; each change is also on the case timeline and in the audit trail.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table care_plan_action (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      description text not null check (char_length(description) between 10 and 500),
      owner_kind text not null check (owner_kind in ('organisation', 'victim')),
      owner_organisation_id uuid references organisation(id),
      owner_user_id uuid references staff_user(id),
      due_date date not null,
      status text not null default 'agreed' check (status in ('agreed', 'done', 'cancelled')),
      done_at timestamptz,
      done_by_user_id uuid references staff_user(id),
      cancelled_at timestamptz,
      cancelled_by_user_id uuid references staff_user(id),
      cancel_reason text,
      -- The hidden key on the add form: sending the same form twice finds the first action instead of adding another.
      submission_key text not null,
      created_by_user_id uuid references staff_user(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint care_plan_action_owner check (
        (owner_kind = 'victim' and owner_organisation_id is null and owner_user_id is null)
        or (owner_kind = 'organisation' and owner_organisation_id is not null)
      ),
      constraint care_plan_action_done check ((status = 'done') = (done_at is not null)),
      constraint care_plan_action_cancelled check ((status = 'cancelled') = (cancelled_at is not null and cancel_reason is not null))
    );
    create unique index care_plan_action_submission on care_plan_action (case_id, submission_key);
    create index care_plan_action_case on care_plan_action (case_id, due_date);
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
