// The few reads intake makes of its own, for a whole batch at a time: whether referrals were already received, and
// whether people already have a case on a crime. Everything else goes through the people, cases and matching services.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type { CaseSource } from '../../platform/db/schema.ts';

/**
 * Makes referrals with the same idempotency keys take turns until the first commits, so a replay sent at the same
 * moment as the original finds the original's case instead of racing it. The keys are locked in sorted order, so two
 * batches that share keys wait for each other instead of deadlocking.
 */
export async function lockReferralKeys(trx: Trx, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (!sorted.length) return;
  await sql`
    select pg_advisory_xact_lock(hashtextextended(key, 0))
    from unnest(${sorted}::text[]) with ordinality as given (key, position) order by position
  `.execute(trx);
}

export type ReferralKey = { source: CaseSource; referringOrganisationId: string | null; sourceReference: string };
export type ReceivedCase = { caseId: string; personId: string };

/** The case each already received referral made, by position in `keys`. */
export async function findReceivedCases(trx: Trx, keys: readonly ReferralKey[]): Promise<Map<number, ReceivedCase>> {
  const found = new Map<number, ReceivedCase>();
  if (!keys.length) return found;
  const column = <T>(pick: (key: ReferralKey, index: number) => T): T[] => keys.map(pick);
  // Two branches, so a sender's reference and a self-referral's (no sender) both use the unique index.
  const result = await sql<{ position: number; id: string; person_id: string }>`
    with given as (
      select * from unnest(${column((_, index) => index)}::integer[], ${column((key) => key.source)}::text[],
        ${column((key) => key.referringOrganisationId)}::uuid[], ${column((key) => key.sourceReference)}::text[])
        as given (position, source, organisation_id, source_reference)
    )
    select g.position, c.id, c.person_id from given g
      join victim_case c on c.source = g.source and c.referring_organisation_id = g.organisation_id and c.source_reference = g.source_reference
    union all
    select g.position, c.id, c.person_id from given g
      join victim_case c on c.source = g.source and c.referring_organisation_id is null and c.source_reference = g.source_reference
      where g.organisation_id is null
  `.execute(trx);
  for (const row of result.rows) found.set(Number(row.position), { caseId: row.id, personId: row.person_id });
  return found;
}

/** The case each person already has on each crime, keyed `personId:crimeId`. */
export async function findCasesOnCrimes(trx: Trx, pairs: readonly { personId: string; crimeId: string }[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!pairs.length) return found;
  const result = await sql<{ id: string; person_id: string; crime_id: string }>`
    select c.id, c.person_id, c.crime_id
    from unnest(${pairs.map((pair) => pair.personId)}::uuid[], ${pairs.map((pair) => pair.crimeId)}::uuid[]) as given (person_id, crime_id)
    join victim_case c on c.person_id = given.person_id and c.crime_id = given.crime_id
  `.execute(trx);
  for (const row of result.rows) found.set(`${row.person_id}:${row.crime_id}`, row.id);
  return found;
}
