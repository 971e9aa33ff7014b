// All SQL of case updates: the update as it arrived, the crime it names and the cases on that crime, what has already
// been applied to the crime (for the order check), and the review queue.
import { sql } from 'kysely';
import type { CaseUpdateState } from '../../platform/db/schema.ts';
import type { Trx } from '../../platform/db/transaction.ts';
import type { Applied, CaseUpdateType } from './rules.ts';

export type CaseUpdate = {
  id: string;
  sourceOrganisationId: string;
  sourceEventId: string;
  areaId: string;
  type: CaseUpdateType;
  crimeReference: string | null;
  crimeId: string | null;
  caseId: string | null;
  occurredAt: Date;
  receivedAt: Date;
  detail: Record<string, unknown>;
  personalNote: string | null;
  state: CaseUpdateState;
  reason: string | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
};

const columns = [
  'id', 'source_organisation_id', 'source_event_id', 'area_id', 'type', 'crime_reference', 'crime_id', 'case_id', 'occurred_at', 'received_at', 'detail',
  'personal_note', 'state', 'reason', 'reviewed_at', 'review_note',
] as const;

type Row = {
  id: string; source_organisation_id: string; source_event_id: string; area_id: string; type: string; crime_reference: string | null; crime_id: string | null;
  case_id: string | null; occurred_at: Date; received_at: Date; detail: Record<string, unknown>; personal_note: string | null; state: CaseUpdateState; reason: string | null;
  reviewed_at: Date | null; review_note: string | null;
};

const toUpdate = (row: Row): CaseUpdate => ({
  id: row.id,
  sourceOrganisationId: row.source_organisation_id,
  sourceEventId: row.source_event_id,
  areaId: row.area_id,
  type: row.type as CaseUpdateType,
  crimeReference: row.crime_reference,
  crimeId: row.crime_id,
  caseId: row.case_id,
  occurredAt: row.occurred_at,
  receivedAt: row.received_at,
  detail: row.detail,
  personalNote: row.personal_note,
  state: row.state,
  reason: row.reason,
  reviewedAt: row.reviewed_at,
  reviewNote: row.review_note,
});

export type NewCaseUpdate = Omit<CaseUpdate, 'receivedAt' | 'reviewedAt' | 'reviewNote'> & { recordedByUserId: string | null };

/** Stores the update unless its source already sent this event id; true when it was stored. */
export async function insertUpdateIfNew(trx: Trx, update: NewCaseUpdate): Promise<boolean> {
  const result = await trx
    .insertInto('case_update')
    .values({
      id: update.id,
      source_organisation_id: update.sourceOrganisationId,
      source_event_id: update.sourceEventId,
      area_id: update.areaId,
      type: update.type,
      crime_reference: update.crimeReference,
      crime_id: update.crimeId,
      case_id: update.caseId,
      occurred_at: update.occurredAt,
      detail: JSON.stringify(update.detail),
      personal_note: update.personalNote,
      state: update.state,
      reason: update.reason,
      recorded_by_user_id: update.recordedByUserId,
    })
    .onConflict((conflict) => conflict.columns(['source_organisation_id', 'source_event_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findUpdateBySource(trx: Trx, sourceOrganisationId: string, sourceEventId: string): Promise<CaseUpdate | undefined> {
  const row = await trx.selectFrom('case_update').select(columns).where('source_organisation_id', '=', sourceOrganisationId).where('source_event_id', '=', sourceEventId).executeTakeFirst();
  return row ? toUpdate(row) : undefined;
}

/** Takes a transaction-long lock on the sender's event id, so two copies sent at once cannot both be applied. */
export async function lockSourceEvent(trx: Trx, sourceOrganisationId: string, sourceEventId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`case-update:${sourceOrganisationId}:${sourceEventId}`}, 0))`.execute(trx);
}

/** One update in the area, for the review queue; with forUpdate it stays locked until the transaction ends. */
export async function findUpdateInArea(trx: Trx, areaId: string, updateId: string, forUpdate = false): Promise<CaseUpdate | undefined> {
  let query = trx.selectFrom('case_update').select(columns).where('id', '=', updateId).where('area_id', '=', areaId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toUpdate(row) : undefined;
}

export type CrimeForUpdate = { id: string; areaId: string; policeOrganisationId: string | null };

/** The crime a reference names in the area, locked so updates to one crime are applied one at a time, in order. */
export async function findCrimeForUpdate(trx: Trx, areaId: string, crimeReference: string): Promise<CrimeForUpdate | undefined> {
  const row = await trx
    .selectFrom('crime')
    .select(['id', 'area_id', 'police_organisation_id'])
    .where('area_id', '=', areaId)
    .where(sql`upper(crime_reference)`, '=', crimeReference.trim().toUpperCase())
    .forUpdate()
    .executeTakeFirst();
  return row && { id: row.id, areaId: row.area_id, policeOrganisationId: row.police_organisation_id };
}

export async function lockCrime(trx: Trx, crimeId: string): Promise<CrimeForUpdate | undefined> {
  const row = await trx.selectFrom('crime').select(['id', 'area_id', 'police_organisation_id']).where('id', '=', crimeId).forUpdate().executeTakeFirst();
  return row && { id: row.id, areaId: row.area_id, policeOrganisationId: row.police_organisation_id };
}

export type CaseOnCrime = { id: string; areaId: string; preferredLanguage: string };

/** The cases on a crime (every victim and witness), merged-away people excluded by their cases' own status. */
export async function casesOnCrime(trx: Trx, crimeId: string): Promise<CaseOnCrime[]> {
  const rows = await trx
    .selectFrom('victim_case as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.area_id', 'p.preferred_language'])
    .where('c.crime_id', '=', crimeId)
    .orderBy('c.created_at')
    .execute();
  return rows.map((row) => ({ id: row.id, areaId: row.area_id, preferredLanguage: row.preferred_language }));
}

/** What has been applied to the crime so far: from feeds (every case) and, for one case, what staff posted on it. */
export async function appliedToCrime(trx: Trx, crimeId: string, caseId: string | null): Promise<Applied[]> {
  let query = trx.selectFrom('case_update').select(['type', 'occurred_at', 'detail']).where('crime_id', '=', crimeId).where('state', '=', 'applied');
  query = caseId ? query.where((eb) => eb.or([eb('case_id', 'is', null), eb('case_id', '=', caseId)])) : query.where('case_id', 'is', null);
  const rows = await query.orderBy('occurred_at').execute();
  return rows.map((row) => ({ type: row.type as CaseUpdateType, occurredAt: row.occurred_at, detail: row.detail }));
}

export async function setCrimeStage(trx: Trx, crimeId: string, stage: string): Promise<void> {
  await trx.updateTable('crime').set({ stage }).where('id', '=', crimeId).execute();
}

export async function setCrimeOfficer(trx: Trx, crimeId: string, officer: { name: string; userId: string | null }): Promise<void> {
  await trx.updateTable('crime').set({ officer_in_charge: officer.name, officer_user_id: officer.userId }).where('id', '=', crimeId).execute();
}

/** The police officer's Haven account with this email, in the force that holds the crime (or any force in the area). */
export async function findPoliceOfficer(trx: Trx, areaId: string, policeOrganisationId: string | null, email: string): Promise<string | undefined> {
  let query = trx
    .selectFrom('staff_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select('u.id')
    .where(sql`lower(u.email)`, '=', email.toLowerCase())
    .where('u.role', '=', 'police_officer')
    .where('o.kind', '=', 'police');
  query = policeOrganisationId ? query.where('o.id', '=', policeOrganisationId) : query.where('o.area_id', '=', areaId);
  const row = await query.executeTakeFirst();
  return row?.id;
}

export async function setState(trx: Trx, updateId: string, change: { state: CaseUpdateState; reason?: string | null; crimeId?: string; reviewedByUserId?: string; reviewNote?: string | null }): Promise<void> {
  await trx
    .updateTable('case_update')
    .set({
      state: change.state,
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.crimeId ? { crime_id: change.crimeId } : {}),
      ...(change.reviewedByUserId ? { reviewed_by_user_id: change.reviewedByUserId, reviewed_at: new Date() } : {}),
      ...(change.reviewNote !== undefined ? { review_note: change.reviewNote } : {}),
    })
    .where('id', '=', updateId)
    .execute();
}

/** Updates waiting for a person in the area, oldest first: quarantined (no known crime) and flagged (out of order). */
export async function reviewQueue(trx: Trx, areaId: string, limit: number): Promise<CaseUpdate[]> {
  const rows = await trx
    .selectFrom('case_update')
    .select(columns)
    .where('area_id', '=', areaId)
    .where('state', 'in', ['quarantined', 'flagged'])
    .where('reviewed_at', 'is', null)
    .orderBy('received_at')
    .limit(limit)
    .execute();
  return rows.map((row) => toUpdate(row));
}

export async function organisationNames(trx: Trx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx.selectFrom('organisation').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
