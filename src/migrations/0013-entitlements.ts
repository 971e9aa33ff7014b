// Victims' Code entitlements: each enhanced-rights category a case was given, by a rule or by a coordinator, with its
// reason and evidence, kept as append-only history. A category is withdrawn (once, with a reason), never edited or
// deleted. Also each run of the rules, so a category the rules no longer give shows for review instead of vanishing,
// and the victim's view of a category as it was recorded over time.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table entitlement_decision (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      category text not null check (category in ('most_serious', 'persistently_targeted', 'vulnerable', 'intimidated')),
      source text not null check (source in ('rule', 'coordinator')),
      rule text not null,
      reason text not null check (length(trim(reason)) > 0),
      evidence jsonb not null default '{}',
      -- Null when the system decided; decided_by says who in words that survive the user's removal.
      decided_by_user_id uuid references staff_user(id),
      decided_by text not null,
      decided_at timestamptz not null default now(),
      victim_view text,
      withdrawn_at timestamptz,
      withdrawn_by_user_id uuid references staff_user(id),
      withdrawn_reason text,
      check ((withdrawn_at is null) = (withdrawn_reason is null)),
      check (withdrawn_reason is null or length(trim(withdrawn_reason)) > 0)
    );
    create index entitlement_decision_case on entitlement_decision (case_id, decided_at);
    -- Running the rules twice with the same facts records a category once, even when two runs race.
    create unique index entitlement_decision_rule_once on entitlement_decision (case_id, rule) where source = 'rule' and withdrawn_at is null;
    create unique index entitlement_decision_coordinator_once on entitlement_decision (case_id, category) where source = 'coordinator' and withdrawn_at is null;

    create function entitlement_decision_only_withdrawn() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.withdrawn_at is null and new.withdrawn_at is not null
        and (new.id, new.case_id, new.category, new.source, new.rule, new.reason, new.evidence, new.decided_by_user_id,
             new.decided_by, new.decided_at, new.victim_view)
        is not distinct from
          (old.id, old.case_id, old.category, old.source, old.rule, old.reason, old.evidence, old.decided_by_user_id,
           old.decided_by, old.decided_at, old.victim_view) then
        return new;
      end if;
      raise exception 'entitlement_decision is append-only: a category can only be withdrawn, once';
    end $$;
    create trigger entitlement_decision_append_only before update or delete on entitlement_decision
      for each row execute function entitlement_decision_only_withdrawn();

    -- What the rules gave at each run that changed something; the latest run says which categories are for review.
    create table entitlement_check (
      id bigint generated always as identity primary key,
      case_id uuid not null references victim_case(id),
      rules jsonb not null,
      checked_by_user_id uuid references staff_user(id),
      checked_by text not null,
      checked_at timestamptz not null default now()
    );
    create index entitlement_check_case on entitlement_check (case_id, id);

    create table entitlement_victim_view (
      id uuid primary key default gen_random_uuid(),
      decision_id uuid not null references entitlement_decision(id),
      victim_view text not null check (length(trim(victim_view)) > 0),
      recorded_by_user_id uuid not null references staff_user(id),
      recorded_at timestamptz not null default now()
    );
    create index entitlement_victim_view_decision on entitlement_victim_view (decision_id, recorded_at);
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
