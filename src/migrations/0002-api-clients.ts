// Machine clients: per-organisation credentials for the JSON API. Only a hash of each secret is kept.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_client (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      client_id text not null unique,
      secret_hash text not null,
      name text not null,
      scopes text[] not null default '{}',
      created_at timestamptz not null default now(),
      disabled_at timestamptz,
      last_used_at timestamptz
    );
    create index api_client_organisation on api_client (organisation_id);
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
