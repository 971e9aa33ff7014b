// Bank holidays an administrator adds on top of the shipped England and Wales calendar, such as a one-off day for a
// royal event announced after the last data update. Who added each one is kept; the audit trail has the rest.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table bank_holiday_added (
      date date primary key,
      name text not null,
      added_by_user_id uuid references staff_user(id),
      added_at timestamptz not null default now()
    );
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
