// All SQL of the consent ledger: a person's consents with the names of who recorded them, the organisations that can
// receive information in an area, recording and withdrawing, and the check other features' queries embed.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { ConsentMethod, ConsentPurpose, LegalBasis, NewConsent, Withdrawal } from './rules.ts';

export type Consent = {
  id: string;
  personId: string;
  caseId: string;
  recipientOrganisationId: string;
  recipientName: string;
  purpose: ConsentPurpose;
  legalBasis: LegalBasis;
  givenHow: ConsentMethod;
  givenAt: Date;
  expiresAt: Date | null;
  note: string | null;
  recordedByName: string | null;
  withdrawnAt: Date | null;
  withdrawnHow: ConsentMethod | null;
  withdrawalReason: string | null;
  withdrawnByName: string | null;
};

/**
 * The condition every query for a provider embeds: this person may be shared about with this organisation for this
 * purpose now. A withdrawal or an end date takes effect on the next query, with nothing to refresh.
 */
export function consentInForce(personId: Expression<string>, organisationId: string | Expression<string>, purpose: ConsentPurpose): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (
    select 1 from consent k
    where k.person_id = ${personId} and k.recipient_organisation_id = ${organisationId} and k.purpose = ${purpose}
      and k.withdrawn_at is null and (k.expires_at is null or k.expires_at > now())
  )`;
}

function consentsWithNames(db: Db | Trx) {
  return db
    .selectFrom('consent as k')
    .innerJoin('organisation as o', 'o.id', 'k.recipient_organisation_id')
    .leftJoin('staff_user as r', 'r.id', 'k.recorded_by_user_id')
    .leftJoin('staff_user as w', 'w.id', 'k.withdrawn_by_user_id')
    .select([
      'k.id',
      'k.person_id',
      'k.case_id',
      'k.recipient_organisation_id',
      'o.name as recipient_name',
      'k.purpose',
      'k.legal_basis',
      'k.given_how',
      'k.given_at',
      'k.expires_at',
      'k.note',
      'r.display_name as recorded_by_name',
      'k.withdrawn_at',
      'k.withdrawn_how',
      'k.withdrawal_reason',
      'w.display_name as withdrawn_by_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof consentsWithNames>['executeTakeFirstOrThrow']>>;

const toConsent = (row: Row): Consent => ({
  id: row.id,
  personId: row.person_id,
  caseId: row.case_id,
  recipientOrganisationId: row.recipient_organisation_id,
  recipientName: row.recipient_name,
  purpose: row.purpose,
  legalBasis: row.legal_basis,
  givenHow: row.given_how,
  givenAt: row.given_at,
  expiresAt: row.expires_at,
  note: row.note,
  recordedByName: row.recorded_by_name,
  withdrawnAt: row.withdrawn_at,
  withdrawnHow: row.withdrawn_how,
  withdrawalReason: row.withdrawal_reason,
  withdrawnByName: row.withdrawn_by_name,
});

/** Every consent of the person, newest first: in force, expired and withdrawn alike. */
export async function listConsentsOfPerson(db: Db | Trx, personId: string): Promise<Consent[]> {
  const rows = await consentsWithNames(db).where('k.person_id', '=', personId).orderBy('k.given_at', 'desc').orderBy('k.id').execute();
  return rows.map(toConsent);
}

export async function findConsent(db: Db | Trx, personId: string, consentId: string): Promise<Consent | undefined> {
  const row = await consentsWithNames(db).where('k.person_id', '=', personId).where('k.id', '=', consentId).executeTakeFirst();
  return row ? toConsent(row) : undefined;
}

/** The consent a form with this key recorded before, if any. */
export async function findConsentIdBySubmission(trx: Trx, submissionKey: string): Promise<{ id: string; caseId: string } | undefined> {
  const row = await trx.selectFrom('consent').select(['id', 'case_id as caseId']).where('submission_key', '=', submissionKey).executeTakeFirst();
  return row;
}

/** The organisations of the area, other than the hub itself, that information can be shared with. */
export async function recipientChoices(db: Db | Trx, areaId: string, hubOrganisationId: string): Promise<{ id: string; name: string; kind: string }[]> {
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'kind'])
    .where('area_id', '=', areaId)
    .where('id', '!=', hubOrganisationId)
    .where('kind', '!=', 'commissioner')
    .orderBy(sql`kind = 'provider'`, 'desc')
    .orderBy('name')
    .execute();
}

/** Records a consent; null when a form with the same key got there first. */
export async function insertConsent(
  trx: Trx,
  entry: NewConsent & { personId: string; areaId: string; caseId: string; recordedByUserId: string | null; submissionKey: string },
): Promise<string | null> {
  const row = await trx
    .insertInto('consent')
    .values({
      person_id: entry.personId,
      area_id: entry.areaId,
      case_id: entry.caseId,
      recipient_organisation_id: entry.recipientOrganisationId,
      purpose: entry.purpose,
      legal_basis: entry.legalBasis,
      given_how: entry.givenHow,
      expires_at: entry.expiresAt,
      note: entry.note,
      recorded_by_user_id: entry.recordedByUserId,
      submission_key: entry.submissionKey,
    })
    .onConflict((conflict) => conflict.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Marks a consent withdrawn, if it is not already; false when it was (a second click, or a colleague first). */
export async function markWithdrawn(trx: Trx, consentId: string, withdrawal: Withdrawal, userId: string | null, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('consent')
    .set({ withdrawn_at: now, withdrawn_how: withdrawal.how, withdrawal_reason: withdrawal.reason, withdrawn_by_user_id: userId })
    .where('id', '=', consentId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
