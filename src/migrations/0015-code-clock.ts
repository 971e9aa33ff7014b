// The Code clock: one obligation per Victims' Code duty on a case, its due time, and whether it was met, went overdue
// or was breached. Timeline events drive it: a trigger copies each new event's id into code_clock_inbox in the same
// transaction, and the clock reads the inbox, so no event is missed whichever door recorded it, and the feature that
// recorded it need not know the clock exists.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table obligation (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      area_id uuid not null references area(id),
      duty text not null,
      -- The kind of agency that owns the duty (hub, police, witness_care, prosecutor, probation), and the organisation
      -- when Haven knows it.
      owner_kind text not null,
      owner_organisation_id uuid references organisation(id),
      trigger_event_id bigint not null references timeline_event(id),
      trigger_kind text not null,
      triggered_at timestamptz not null,
      working_days integer not null check (working_days >= 0),
      enhanced boolean not null,
      due_at timestamptz not null,
      state text not null default 'open' check (state in ('open', 'met', 'overdue', 'breached')),
      overdue_at timestamptz,
      met_at timestamptz,
      met_by_event_id bigint references timeline_event(id),
      met_by_kind text,
      breached_at timestamptz,
      breach_reason text,
      breached_by_user_id uuid references staff_user(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (case_id, duty, trigger_event_id),
      check ((state = 'met') = (met_at is not null)),
      check ((state = 'breached') = (breach_reason is not null))
    );
    create index obligation_case on obligation (case_id, due_at);
    -- The overdue sweep reads only open obligations, in due order.
    create index obligation_open_due on obligation (due_at) where state = 'open';
    create index obligation_overdue_case on obligation (case_id) where state = 'overdue';

    -- Timeline events the clock has not read yet. Filled by the trigger below, emptied by the clock as it reads them.
    create table code_clock_inbox (
      event_id bigint primary key references timeline_event(id)
    );
    create function timeline_event_to_code_clock() returns trigger language plpgsql as $$
    begin
      insert into code_clock_inbox (event_id) values (new.id);
      return new;
    end $$;
    create trigger timeline_event_code_clock after insert on timeline_event
      for each row execute function timeline_event_to_code_clock();

    -- Who is told when an obligation turns overdue: the owning organisation's team and the case's coordinator.
    create table obligation_alert (
      id bigint generated always as identity primary key,
      obligation_id uuid not null references obligation(id),
      case_id uuid not null references victim_case(id),
      organisation_id uuid references organisation(id),
      coordinator_user_id uuid references staff_user(id),
      raised_at timestamptz not null default now(),
      seen_at timestamptz,
      unique (obligation_id)
    );
    create index obligation_alert_coordinator on obligation_alert (coordinator_user_id, raised_at) where seen_at is null;
    create index obligation_alert_organisation on obligation_alert (organisation_id, raised_at) where seen_at is null;

    -- An area's own deadlines and cadences, where they differ from the Code's figures (rules.ts holds the defaults).
    create table code_clock_setting (
      area_id uuid primary key references area(id),
      settings jsonb not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
