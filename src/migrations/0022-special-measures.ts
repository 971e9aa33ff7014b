// Special measures and court preparation on a case (features/special-measures): the victim's wishes for each measure,
// the application and the court's decision on each measure, alternative arrangements (a remote live link), the court
// familiarisation visit, and the expenses information. One append-only ledger: every form sent, and every case update
// that carries the same facts, adds a row and none is ever changed, so the history of what was recorded, when and by
// whom is the table itself; the current position is the rows folded in order (features/special-measures/rules.ts).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table special_measures_record (
      id bigint generated always as identity primary key,
      case_id uuid not null references victim_case(id),
      kind text not null check (kind in ('wishes', 'application', 'outcome', 'alternative_arrangements', 'familiarisation_visit', 'expenses_information')),
      -- What was recorded, checked by the service before it is stored: measures, decisions, dates and places.
      detail jsonb not null,
      -- When it happened (the day applied for, decided, given); recorded_at is when Haven learnt it.
      occurred_at timestamptz not null,
      source text not null check (source in ('staff', 'case_update')),
      -- The hidden key on the form, or the case update's source key: the same one twice records once.
      idempotency_key text not null,
      recorded_by_user_id uuid references staff_user(id),
      recorded_at timestamptz not null default now(),
      unique (case_id, idempotency_key)
    );
    create index special_measures_record_case on special_measures_record (case_id, id);
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
