// SQL for referrals coming in: the lock that makes two copies of one referral wait for each other, and the read of a
// referral already received (its case and the receipt recorded on the case's staff timeline).
import { sql } from 'kysely';
import type { CaseSource, SupportConsent } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/transaction.ts';

/**
 * Holds, until the transaction ends, a lock on one sender's reference, so a second copy of the same referral arriving
 * at the same moment waits for the first to commit and then finds it, instead of racing it to make a second case.
 */
export async function lockSenderReference(trx: Trx, source: CaseSource, organisationId: string, reference: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`referral:${source}:${organisationId}:${reference}`}, 0))`.execute(trx);
}

/**
 * The idempotency key of the receipt event a referral door records on the case's staff timeline: one per sender and
 * reference, so the referral can be found again even when intake linked it to a case another route had opened.
 */
export const receiptEventKey = (source: CaseSource, organisationId: string, reference: string): string =>
  `referral:${source}:${organisationId}:${reference}`;

export type ReceivedReferral = {
  caseId: string;
  personId: string;
  supportConsent: SupportConsent;
  /** When the receipt was recorded: when Haven first received the referral. */
  receivedAt: Date;
  /** The receipt's detail as recorded when the referral was first received. */
  receipt: Record<string, unknown>;
};

/** The case a sender's referral made or joined, with its receipt; undefined when that sender never sent this reference. */
export async function findReceivedReferral(
  db: Db | Trx,
  source: CaseSource,
  organisationId: string,
  reference: string,
): Promise<ReceivedReferral | undefined> {
  const row = await db
    .selectFrom('timeline_event')
    .innerJoin('victim_case', 'victim_case.id', 'timeline_event.case_id')
    .select(['victim_case.id', 'victim_case.person_id', 'victim_case.support_consent', 'timeline_event.recorded_at', 'timeline_event.detail'])
    .where('timeline_event.idempotency_key', '=', receiptEventKey(source, organisationId, reference))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    caseId: row.id,
    personId: row.person_id,
    supportConsent: row.support_consent,
    receivedAt: row.recorded_at,
    receipt: row.detail,
  };
}
