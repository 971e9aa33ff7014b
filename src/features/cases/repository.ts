// All SQL for crimes, cases and their timelines. Case lookups by id are scoped to an area, so a guessed id from
// another area finds nothing.
import { sql, type Selectable } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type {
  CaseRole,
  CrimeTable,
  CaseSource,
  CaseStatus,
  ContactChannel,
  ContactDirection,
  ContactOutcome,
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

type CrimeRow = Pick<Selectable<CrimeTable>, (typeof crimeColumns)[number]>;

const toCrime = (row: CrimeRow): Crime => ({
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
});

export async function findCrimeByReference(trx: Trx, areaId: string, crimeReference: string): Promise<Crime | undefined> {
  const row = await trx
    .selectFrom('crime')
    .select(crimeColumns)
    .where('area_id', '=', areaId)
    .where('crime_reference', '=', crimeReference)
    .executeTakeFirst();
  return row ? toCrime(row) : undefined;
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

// --- Reads for the coordinator's work: the triage queue, case lists, search, the case page and the contact log. ---

/** One line of a case list: enough to tell cases apart and choose one, read in one query. */
export type CaseSummary = {
  id: string;
  personId: string;
  personName: string;
  repeatVictim: boolean;
  source: CaseSource;
  status: CaseStatus;
  role: CaseRole;
  crimeReference: string | null;
  offenceCategory: string | null;
  offenceGroup: string | null;
  receivedAt: Date;
  coordinatorUserId: string | null;
  coordinatorName: string | null;
};

function summaryQuery(trx: Trx) {
  return trx
    .selectFrom('victim_case as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .leftJoin('crime as cr', 'cr.id', 'c.crime_id')
    .leftJoin('staff_user as s', 's.id', 'c.coordinator_user_id')
    .select([
      'c.id',
      'c.person_id',
      'p.given_name',
      'p.family_name',
      'p.repeat_victim',
      'c.source',
      'c.status',
      'c.role',
      'cr.crime_reference',
      'cr.offence_category',
      'cr.offence_group',
      'c.created_at',
      'c.coordinator_user_id',
      's.display_name as coordinator_name',
    ]);
}

type SummaryRow = {
  id: string;
  person_id: string;
  given_name: string;
  family_name: string | null;
  repeat_victim: boolean;
  source: CaseSource;
  status: CaseStatus;
  role: CaseRole;
  crime_reference: string | null;
  offence_category: string | null;
  offence_group: string | null;
  created_at: Date;
  coordinator_user_id: string | null;
  coordinator_name: string | null;
};

const toSummary = (row: SummaryRow): CaseSummary => ({
  id: row.id,
  personId: row.person_id,
  personName: [row.given_name, row.family_name].filter(Boolean).join(' '),
  repeatVictim: row.repeat_victim,
  source: row.source,
  status: row.status,
  role: row.role,
  crimeReference: row.crime_reference,
  offenceCategory: row.offence_category,
  offenceGroup: row.offence_group,
  receivedAt: row.created_at,
  coordinatorUserId: row.coordinator_user_id,
  coordinatorName: row.coordinator_name,
});

/** New cases with no coordinator in the area, oldest first (victim_case_area_status serves it). */
export async function listTriageQueue(trx: Trx, areaId: string, limit: number): Promise<CaseSummary[]> {
  const rows = await summaryQuery(trx)
    .where('c.area_id', '=', areaId)
    .where('c.status', '=', 'new')
    .where('c.coordinator_user_id', 'is', null)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}

export type CaseListFilter = {
  areaId: string;
  coordinatorUserId: string | null;
  statuses: readonly CaseStatus[];
  sources: readonly CaseSource[];
  offenceGroups: readonly string[];
  repeatOnly: boolean;
  sort: 'received' | 'name' | 'status' | 'source' | 'offence';
  order: 'asc' | 'desc';
  limit: number;
};

export async function listCases(trx: Trx, filter: CaseListFilter): Promise<CaseSummary[]> {
  let query = summaryQuery(trx).where('c.area_id', '=', filter.areaId);
  if (filter.coordinatorUserId) query = query.where('c.coordinator_user_id', '=', filter.coordinatorUserId);
  if (filter.statuses.length) query = query.where('c.status', 'in', filter.statuses);
  if (filter.sources.length) query = query.where('c.source', 'in', filter.sources);
  if (filter.offenceGroups.length) query = query.where('cr.offence_group', 'in', filter.offenceGroups);
  if (filter.repeatOnly) query = query.where('p.repeat_victim', '=', true);
  const { order } = filter;
  switch (filter.sort) {
    case 'name':
      query = query.orderBy('p.match_name', order);
      break;
    case 'status':
      query = query.orderBy('c.status', order);
      break;
    case 'source':
      query = query.orderBy('c.source', order);
      break;
    case 'offence':
      query = query.orderBy(sql`coalesce(cr.offence_group, cr.offence_category)`, sql.raw(`${order} nulls last`));
      break;
    case 'received':
      break;
  }
  const rows = await query.orderBy('c.created_at', order).orderBy('c.id').limit(filter.limit).execute();
  return rows.map(toSummary);
}

/** The offence groups the area's crimes use, for the filter's options. */
export async function offenceGroupsInArea(trx: Trx, areaId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('crime')
    .select('offence_group')
    .distinct()
    .where('area_id', '=', areaId)
    .where('offence_group', 'is not', null)
    .orderBy('offence_group')
    .limit(100)
    .execute();
  return rows.map((row) => row.offence_group).filter((group): group is string => group !== null);
}

export async function activeCoordinatorsOf(trx: Trx, organisationId: string): Promise<{ id: string; displayName: string }[]> {
  const rows = await trx
    .selectFrom('staff_user')
    .select(['id', 'display_name'])
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'coordinator')
    .where('status', '=', 'active')
    .orderBy('display_name')
    .execute();
  return rows.map((row) => ({ id: row.id, displayName: row.display_name }));
}

/** How a search found a case, for the results table. */
export type SearchMatch = 'name' | 'crime reference' | 'date of birth' | 'phone' | 'postcode';

/**
 * People in the area found by each key, each lookup on its own index. A name is looked up exactly first (the whole
 * name, or one word as a family name), which a b-tree answers at once; only when that finds fewer than `limit` does
 * trigram similarity on match_name (GIN) look for spellings that differ. Then equality on date_of_birth, phone and
 * postcode. Merged-away records are left out.
 */
export async function searchPeople(
  trx: Trx,
  areaId: string,
  keys: { name: string | null; dateOfBirth: string | null; phone: string | null; postcode: string | null },
  limit: number,
): Promise<Map<string, SearchMatch>> {
  const found = new Map<string, SearchMatch>();
  const base = () => trx.selectFrom('person').select('id').where('area_id', '=', areaId).where('merged_into_person_id', 'is', null);
  if (keys.name) {
    const wholeName = keys.name.includes(' ');
    const exactly = await base()
      .where(wholeName ? sql<boolean>`match_name = ${keys.name}` : sql<boolean>`lower(family_name) = ${keys.name}`)
      .orderBy('id')
      .limit(limit)
      .execute();
    for (const row of exactly) found.set(row.id, 'name');
    if (found.size < limit) {
      // A whole name is held to a closer likeness, which lets the trigram index rule out far more rows before the
      // heap is read; a single word keeps the default, so "smyth" still finds "jonathan smith". Local to this
      // transaction.
      await sql`select set_config('pg_trgm.similarity_threshold', ${wholeName ? '0.45' : '0.3'}, true)`.execute(trx);
      const similar = await base()
        .where(sql<boolean>`match_name % ${keys.name}`)
        .orderBy(sql`similarity(match_name, ${keys.name})`, 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      for (const row of similar) if (found.size < limit && !found.has(row.id)) found.set(row.id, 'name');
    }
  }
  const exact: [SearchMatch, 'date_of_birth' | 'phone' | 'postcode', string | null][] = [
    ['date of birth', 'date_of_birth', keys.dateOfBirth],
    ['phone', 'phone', keys.phone],
    ['postcode', 'postcode', keys.postcode],
  ];
  for (const [match, column, value] of exact) {
    if (!value) continue;
    const rows = await base().where(column, '=', value).limit(limit).execute();
    for (const row of rows) if (!found.has(row.id)) found.set(row.id, match);
  }
  return found;
}

export async function caseSummariesForPeople(trx: Trx, areaId: string, personIds: readonly string[]): Promise<CaseSummary[]> {
  if (!personIds.length) return [];
  const rows = await summaryQuery(trx)
    .where('c.area_id', '=', areaId)
    .where('c.person_id', 'in', personIds)
    .orderBy('c.created_at', 'desc')
    .execute();
  return rows.map(toSummary);
}

export async function caseSummariesForCrimeReference(trx: Trx, areaId: string, crimeReference: string): Promise<CaseSummary[]> {
  const rows = await summaryQuery(trx)
    .where('cr.area_id', '=', areaId)
    .where('cr.crime_reference', '=', crimeReference)
    .where('c.area_id', '=', areaId)
    .orderBy('c.created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map(toSummary);
}

export async function findCrimeById(trx: Trx, areaId: string, crimeId: string): Promise<Crime | undefined> {
  const row = await trx.selectFrom('crime').select(crimeColumns).where('id', '=', crimeId).where('area_id', '=', areaId).executeTakeFirst();
  return row ? toCrime(row) : undefined;
}

export async function staffDisplayName(trx: Trx, userId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('staff_user').select('display_name').where('id', '=', userId).executeTakeFirst();
  return row?.display_name;
}

export type ContactLogEntry = {
  id: string;
  caseId: string;
  channel: ContactChannel;
  direction: ContactDirection;
  outcome: ContactOutcome;
  contactedAt: Date;
  notes: string | null;
  overrodeSafeContact: boolean;
  recordedByUserId: string;
  recordedByName: string;
  recordedAt: Date;
};

export type NewContactLogEntry = Omit<ContactLogEntry, 'id' | 'recordedAt' | 'recordedByName'>;

export async function insertContactLog(trx: Trx, entry: NewContactLogEntry): Promise<string> {
  const row = await trx
    .insertInto('contact_log')
    .values({
      case_id: entry.caseId,
      channel: entry.channel,
      direction: entry.direction,
      outcome: entry.outcome,
      contacted_at: entry.contactedAt,
      notes: entry.notes,
      overrode_safe_contact: entry.overrodeSafeContact,
      recorded_by_user_id: entry.recordedByUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The case's contact log, newest first. */
export async function listContactLog(trx: Trx, caseId: string): Promise<ContactLogEntry[]> {
  const rows = await trx
    .selectFrom('contact_log as l')
    .innerJoin('staff_user as s', 's.id', 'l.recorded_by_user_id')
    .selectAll('l')
    .select('s.display_name')
    .where('l.case_id', '=', caseId)
    .orderBy('l.contacted_at', 'desc')
    .orderBy('l.recorded_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    channel: row.channel,
    direction: row.direction,
    outcome: row.outcome,
    contactedAt: row.contacted_at,
    notes: row.notes,
    overrodeSafeContact: row.overrode_safe_contact,
    recordedByUserId: row.recorded_by_user_id,
    recordedByName: row.display_name,
    recordedAt: row.recorded_at,
  }));
}

export async function hasSuccessfulContact(trx: Trx, caseId: string): Promise<boolean> {
  const row = await trx.selectFrom('contact_log').select('id').where('case_id', '=', caseId).where('outcome', '=', 'successful').limit(1).executeTakeFirst();
  return row !== undefined;
}
