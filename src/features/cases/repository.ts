// All SQL for crimes, cases and their timelines. Case lookups by id are scoped to an area, so a guessed id from
// another area finds nothing.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type {
  CaseRole,
  CaseSource,
  CaseStatus,
  OrganisationKind,
  StaffRole,
  StaffStatus,
  SupportConsent,
  TimelineVisibility,
} from '../../platform/db/schema.ts';
import type { NewCrime } from './rules.ts';

export type Crime = NewCrime & { id: string; status: string; createdAt: Date };

export type VictimCase = {
  id: string;
  personId: string;
  crimeId: string | null;
  areaId: string;
  role: CaseRole;
  source: CaseSource;
  sourceReference: string | null;
  referringOrganisationId: string | null;
  status: CaseStatus;
  closedReason: string | null;
  coordinatorUserId: string | null;
  supportConsent: SupportConsent;
  createdAt: Date;
  updatedAt: Date;
};

export type NewCase = Omit<VictimCase, 'id' | 'status' | 'closedReason' | 'coordinatorUserId' | 'createdAt' | 'updatedAt'>;

export type TimelineEvent = {
  id: number;
  caseId: string;
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
  source: string;
  idempotencyKey: string;
  visibility: TimelineVisibility;
  occurredAt: Date;
  recordedAt: Date;
  recordedByUserId: string | null;
};

export type NewTimelineEvent = Omit<TimelineEvent, 'id' | 'recordedAt'>;

const crimeColumns = [
  'id',
  'area_id',
  'crime_reference',
  'offence_code',
  'offence_category',
  'offence_group',
  'committed_from',
  'committed_to',
  'reported_at',
  'officer_in_charge',
  'police_organisation_id',
  'status',
  'created_at',
] as const;

export async function findCrimeByReference(trx: Trx, areaId: string, crimeReference: string): Promise<Crime | undefined> {
  const row = await trx
    .selectFrom('crime')
    .select(crimeColumns)
    .where('area_id', '=', areaId)
    .where('crime_reference', '=', crimeReference)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    areaId: row.area_id,
    crimeReference: row.crime_reference,
    offenceCode: row.offence_code,
    offenceCategory: row.offence_category,
    offenceGroup: row.offence_group,
    committedFrom: row.committed_from,
    committedTo: row.committed_to,
    reportedAt: row.reported_at,
    officerInCharge: row.officer_in_charge,
    policeOrganisationId: row.police_organisation_id,
    status: row.status,
    createdAt: row.created_at,
  };
}

/** Inserts the crime unless the area already has that reference; true when this call created it. */
export async function insertCrimeIfNew(trx: Trx, crime: NewCrime): Promise<boolean> {
  const row = await trx
    .insertInto('crime')
    .values({
      area_id: crime.areaId,
      crime_reference: crime.crimeReference,
      offence_code: crime.offenceCode,
      offence_category: crime.offenceCategory,
      offence_group: crime.offenceGroup,
      committed_from: crime.committedFrom,
      committed_to: crime.committedTo,
      reported_at: crime.reportedAt,
      officer_in_charge: crime.officerInCharge,
      police_organisation_id: crime.policeOrganisationId,
    })
    .onConflict((conflict) => conflict.columns(['area_id', 'crime_reference']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function crimeAreaOf(trx: Trx, crimeId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('crime').select('area_id').where('id', '=', crimeId).executeTakeFirst();
  return row?.area_id;
}

function toCase(row: {
  id: string;
  person_id: string;
  crime_id: string | null;
  area_id: string;
  role: CaseRole;
  source: CaseSource;
  source_reference: string | null;
  referring_organisation_id: string | null;
  status: CaseStatus;
  closed_reason: string | null;
  coordinator_user_id: string | null;
  support_consent: SupportConsent;
  created_at: Date;
  updated_at: Date;
}): VictimCase {
  return {
    id: row.id,
    personId: row.person_id,
    crimeId: row.crime_id,
    areaId: row.area_id,
    role: row.role,
    source: row.source,
    sourceReference: row.source_reference,
    referringOrganisationId: row.referring_organisation_id,
    status: row.status,
    closedReason: row.closed_reason,
    coordinatorUserId: row.coordinator_user_id,
    supportConsent: row.support_consent,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The case, if it is in the area. With forUpdate the row stays locked until the transaction ends. */
export async function findCase(trx: Trx, areaId: string, caseId: string, options: { forUpdate?: boolean } = {}) {
  let query = trx.selectFrom('victim_case').selectAll().where('id', '=', caseId).where('area_id', '=', areaId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toCase(row) : undefined;
}

export async function findCaseBySourceReference(
  trx: Trx,
  source: CaseSource,
  referringOrganisationId: string | null,
  sourceReference: string,
): Promise<VictimCase | undefined> {
  const row = await trx
    .selectFrom('victim_case')
    .selectAll()
    .where('source', '=', source)
    .where('source_reference', '=', sourceReference)
    .where((eb) =>
      referringOrganisationId === null
        ? eb('referring_organisation_id', 'is', null)
        : eb('referring_organisation_id', '=', referringOrganisationId),
    )
    .executeTakeFirst();
  return row ? toCase(row) : undefined;
}

export async function findCaseForPersonAndCrime(trx: Trx, personId: string, crimeId: string): Promise<VictimCase | undefined> {
  const row = await trx
    .selectFrom('victim_case')
    .selectAll()
    .where('person_id', '=', personId)
    .where('crime_id', '=', crimeId)
    .executeTakeFirst();
  return row ? toCase(row) : undefined;
}

export async function insertCase(trx: Trx, victimCase: NewCase): Promise<VictimCase> {
  const row = await trx
    .insertInto('victim_case')
    .values({
      person_id: victimCase.personId,
      crime_id: victimCase.crimeId,
      area_id: victimCase.areaId,
      role: victimCase.role,
      source: victimCase.source,
      source_reference: victimCase.sourceReference,
      referring_organisation_id: victimCase.referringOrganisationId,
      support_consent: victimCase.supportConsent,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCase(row);
}

export async function setCoordinator(trx: Trx, caseId: string, userId: string): Promise<void> {
  await trx.updateTable('victim_case').set({ coordinator_user_id: userId, updated_at: sql<Date>`now()` }).where('id', '=', caseId).execute();
}

export async function setStatus(trx: Trx, caseId: string, status: CaseStatus, closedReason: string | null): Promise<void> {
  await trx
    .updateTable('victim_case')
    .set({ status, closed_reason: closedReason, updated_at: sql<Date>`now()` })
    .where('id', '=', caseId)
    .execute();
}

export type StaffMember = { id: string; organisationId: string; role: StaffRole; status: StaffStatus; displayName: string };

export async function findStaffMember(trx: Trx, userId: string): Promise<StaffMember | undefined> {
  const row = await trx
    .selectFrom('staff_user')
    .select(['id', 'organisation_id', 'role', 'status', 'display_name'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return row && { id: row.id, organisationId: row.organisation_id, role: row.role, status: row.status, displayName: row.display_name };
}

export async function findOrganisation(trx: Trx, organisationId: string): Promise<{ areaId: string; kind: OrganisationKind } | undefined> {
  const row = await trx.selectFrom('organisation').select(['area_id', 'kind']).where('id', '=', organisationId).executeTakeFirst();
  return row && { areaId: row.area_id, kind: row.kind };
}

function toEvent(row: {
  id: number;
  case_id: string;
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
  source: string;
  idempotency_key: string;
  visibility: TimelineVisibility;
  occurred_at: Date;
  recorded_at: Date;
  recorded_by_user_id: string | null;
}): TimelineEvent {
  return {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    summary: row.summary,
    detail: row.detail,
    source: row.source,
    idempotencyKey: row.idempotency_key,
    visibility: row.visibility,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    recordedByUserId: row.recorded_by_user_id,
  };
}

/** Appends the event unless its idempotency key is already used; undefined when it was. */
export async function insertEventIfNew(trx: Trx, event: NewTimelineEvent): Promise<TimelineEvent | undefined> {
  const row = await trx
    .insertInto('timeline_event')
    .values({
      case_id: event.caseId,
      kind: event.kind,
      summary: event.summary,
      detail: JSON.stringify(event.detail),
      source: event.source,
      idempotency_key: event.idempotencyKey,
      visibility: event.visibility,
      occurred_at: event.occurredAt,
      recorded_by_user_id: event.recordedByUserId,
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toEvent(row) : undefined;
}

export async function findEventByKey(trx: Trx, idempotencyKey: string): Promise<TimelineEvent | undefined> {
  const row = await trx.selectFrom('timeline_event').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row ? toEvent(row) : undefined;
}

/** The case's events oldest first; `victimOnly` leaves out staff-only events. */
export async function listEvents(trx: Trx, caseId: string, victimOnly: boolean): Promise<TimelineEvent[]> {
  let query = trx.selectFrom('timeline_event').selectAll().where('case_id', '=', caseId);
  if (victimOnly) query = query.where('visibility', '=', 'victim');
  const rows = await query.orderBy('occurred_at').orderBy('id').execute();
  return rows.map(toEvent);
}
