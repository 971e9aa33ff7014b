// The contact log: each call, letter, email, text or visit a coordinator makes or receives on a case, including the
// attempts that reached nobody. Each entry is also put on the staff-only timeline, keyed by the entry's id. Also the
// partial index that serves the triage queue.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contact_log (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references victim_case(id),
      channel text not null check (channel in ('phone', 'letter', 'email', 'sms', 'visit')),
      direction text not null check (direction in ('outbound', 'inbound')),
      outcome text not null check (outcome in ('successful', 'no_answer', 'voicemail_left', 'wrong_number', 'refused', 'returned', 'other')),
      contacted_at timestamptz not null,
      notes text,
      -- Set when the coordinator went ahead although the safe-contact profile forbids the channel or voicemail.
      overrode_safe_contact boolean not null default false,
      recorded_by_user_id uuid not null references staff_user(id),
      recorded_at timestamptz not null default now()
    );
    create index contact_log_case on contact_log (case_id, contacted_at);

    -- The triage queue: new cases nobody has taken, oldest first. Small, as cases leave it when they are assigned.
    create index victim_case_triage on victim_case (area_id, created_at, id) where status = 'new' and coordinator_user_id is null;
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
