// Self-referral: answers in progress kept server-side for a short while (nothing identifying in URLs or cookies), and
// the count of submissions per address, so the public form can be throttled without a CAPTCHA.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table self_referral_draft (
      -- The SHA-256 of the random id in the victim's cookie: a copy of this table cannot be used to continue a draft.
      id_hash text primary key,
      answers jsonb not null default '{}',
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index self_referral_draft_expires on self_referral_draft (expires_at);

    create table self_referral_submission (
      id bigint generated always as identity primary key,
      -- A keyed hash of the client address, never the address itself.
      address_hash text not null,
      at timestamptz not null default now()
    );
    create index self_referral_submission_address on self_referral_submission (address_hash, at);
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Haven migrations are forward-only.'));
}
