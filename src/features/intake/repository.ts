// The few reads intake makes of its own: whether a referral was already received, and whether a person already has a
// case on a crime. Everything else goes through the people, cases and matching services.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type { CaseSource } from '../../platform/db/schema.ts';

/**
 * Makes referrals with the same idempotency key take turns until the first commits, so a replay sent at the same
 * moment as the original finds the original's case instead of racing it.
 */
export async function lockReferralKey(trx: Trx, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

export async function findReceivedCase(
  trx: Trx,
  source: CaseSource,
  referringOrganisationId: string | null,
  sourceReference: string,
): Promise<{ caseId: string; personId: string } | undefined> {
  const row = await trx
    .selectFrom('victim_case')
    .select(['id', 'person_id'])
    .where('source', '=', source)
    .where('source_reference', '=', sourceReference)
    .where((eb) =>
      referringOrganisationId === null ? eb('referring_organisation_id', 'is', null) : eb('referring_organisation_id', '=', referringOrganisationId),
    )
    .executeTakeFirst();
  return row ? { caseId: row.id, personId: row.person_id } : undefined;
}

export async function findCaseOnCrime(trx: Trx, personId: string, crimeId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('victim_case').select('id').where('person_id', '=', personId).where('crime_id', '=', crimeId).executeTakeFirst();
  return row?.id;
}
