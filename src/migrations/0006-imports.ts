// The daily referral file import: one import_file per distinct file an organisation sends (by content hash, so the
// same file twice is one import), and one import_row per data row, kept whatever happens to it: nothing is thrown away.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_file (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null references area(id),
      organisation_id uuid not null references organisation(id),
      -- The file's name may itself be personal ("smith-referral.csv"): only its hash, size and row count are kept.
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes integer not null check (size_bytes >= 0),
      row_count integer not null check (row_count >= 0),
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      imported_count integer not null default 0,
      replayed_count integer not null default 0,
      quarantined_count integer not null default 0,
      created_by_user_id uuid references staff_user(id),
      created_by_label text not null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now(),
      unique (organisation_id, sha256)
    );
    create index import_file_area_created on import_file (area_id, created_at desc);

    create table import_row (
      import_file_id uuid not null references import_file(id),
      row_number integer not null check (row_number > 0),
      raw jsonb not null,
      -- The force's own id for the row, out of raw: a row it sent before and Haven imported is recognised from it.
      police_reference text,
      status text not null default 'pending' check (status in ('pending', 'imported', 'replayed', 'quarantined')),
      reasons jsonb not null default '{}',
      case_id uuid references victim_case(id),
      processed_at timestamptz,
      primary key (import_file_id, row_number)
    );
    create index import_row_pending on import_row (import_file_id, row_number) where status = 'pending';
    create index import_row_police_reference on import_row (police_reference) where case_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_row; drop table import_file;`.execute(db);
}
