// All SQL for crimes, cases and their timelines. Case lookups by id are scoped to an area, so a guessed id from
// another area finds nothing.
import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type {
  CaseRole,
  CaseTaskKind,
  CrimeTable,
  CaseSource,
  CaseStatus,
  ContactChannel,
  ContactDirection,
  ContactOutcome,
  PersonTable,
  StaffRole,
  StaffStatus,
  SupportConsent,
  TimelineVisibility,
} from '../../platform/db/schema.ts';
// The case page reads its person in its own query, and returns them as the people feature describes them.
import type { Person } from '../people/service.ts';
import type { NewCrime } from './rules.ts';

export type Crime = NewCrime & { id: string; status: string; createdAt: Date; officerUserId: string | null; stage: string | null };

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
  'officer_user_id',
  'stage',
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
  officerUserId: row.officer_user_id,
  stage: row.stage,
});

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

/** A case wherever it is: for a reader whose access is decided by the crime (agency-rules.ts), not by area alone. */
export async function findCaseAnyArea(trx: Trx, caseId: string, options: { forUpdate?: boolean } = {}) {
  let query = trx.selectFrom('victim_case').selectAll().where('id', '=', caseId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toCase(row) : undefined;
}

/** The crime, if it is in the area. With forUpdate the row stays locked until the transaction ends. */
export async function findCrime(trx: Trx, areaId: string, crimeId: string, options: { forUpdate?: boolean } = {}): Promise<Crime | undefined> {
  let query = trx.selectFrom('crime').select(crimeColumns).where('id', '=', crimeId).where('area_id', '=', areaId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toCrime(row) : undefined;
}

export async function setCrimeOffence(trx: Trx, crimeId: string, offence: { code: string; category: string; group: string }): Promise<void> {
  await trx.updateTable('crime').set({ offence_code: offence.code, offence_category: offence.category, offence_group: offence.group }).where('id', '=', crimeId).execute();
}

/** The ids of the area's cases on the crime (several people may be victims of one crime), oldest first. */
export async function casesOnCrime(trx: Trx, areaId: string, crimeId: string): Promise<string[]> {
  const rows = await trx.selectFrom('victim_case').select('id').where('crime_id', '=', crimeId).where('area_id', '=', areaId).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/**
 * The code the crime had before anyone classified it by hand (the one the police sent), from the first
 * 'offence_classified' event on any of its cases; undefined when nobody has.
 */
export async function codeBeforeClassification(trx: Trx, crimeId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('timeline_event as e')
    .innerJoin('victim_case as c', 'c.id', 'e.case_id')
    .select(sql<string | null>`e.detail ->> 'from'`.as('code'))
    .where('c.crime_id', '=', crimeId)
    .where('e.kind', '=', 'offence_classified')
    .orderBy('e.id')
    .limit(1)
    .executeTakeFirst();
  return row?.code ?? undefined;
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
  /** Read for "My cases" only: a Code duty on the case is overdue; the case has enhanced rights. */
  overdue?: boolean;
  enhanced?: boolean;
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
  /** Only cases with a Code duty overdue. */
  overdueOnly: boolean;
  sort: 'received' | 'name' | 'status' | 'source' | 'offence';
  order: 'asc' | 'desc';
  limit: number;
};

// "My cases" filters and sorts by two facts other features own: an overdue Code duty (obligation) and enhanced rights
// (entitlement_decision). A list sorted by them has to be one query, so it reads their tables here, and only here.
const overdueDuty = sql<boolean>`exists (select 1 from obligation o where o.case_id = c.id and o.state = 'overdue')`;
const enhancedRights = sql<boolean>`exists (select 1 from entitlement_decision d where d.case_id = c.id and d.withdrawn_at is null)`;

/** The cases that match, overdue Code duties first, then in the order asked for. */
export async function listCases(trx: Trx, filter: CaseListFilter): Promise<CaseSummary[]> {
  let query = summaryQuery(trx).select([overdueDuty.as('overdue'), enhancedRights.as('enhanced')]).where('c.area_id', '=', filter.areaId);
  if (filter.overdueOnly) query = query.where(overdueDuty);
  if (filter.coordinatorUserId) query = query.where('c.coordinator_user_id', '=', filter.coordinatorUserId);
  if (filter.statuses.length) query = query.where('c.status', 'in', filter.statuses);
  if (filter.sources.length) query = query.where('c.source', 'in', filter.sources);
  if (filter.offenceGroups.length) query = query.where('cr.offence_group', 'in', filter.offenceGroups);
  if (filter.repeatOnly) query = query.where('p.repeat_victim', '=', true);
  const { order } = filter;
  query = query.orderBy(overdueDuty, 'desc');
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
  return rows.map((row) => ({ ...toSummary(row), overdue: row.overdue, enhanced: row.enhanced }));
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

type ContactRow = {
  id: string;
  case_id: string;
  channel: ContactChannel;
  direction: ContactDirection;
  outcome: ContactOutcome;
  contacted_at: Date;
  notes: string | null;
  overrode_safe_contact: boolean;
  recorded_by_user_id: string;
  display_name: string;
  recorded_at: Date;
};

const toContact = (row: ContactRow): ContactLogEntry => ({
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
});

/** Everything the case page shows of a case, as viewCasePage reads it. */
export type CasePageRecord = {
  case: VictimCase;
  person: Person;
  crime: Crime | undefined;
  coordinatorName: string | null;
  /** The person's other cases in the area, newest first. */
  linkedCases: CaseSummary[];
  timeline: TimelineEvent[];
  /** Newest first. */
  contacts: ContactLogEntry[];
  /** Open tasks on the case, oldest first. */
  openTasks: OpenTask[];
};

/** A task on the case that nobody has done yet, as the case page lists it. */
export type OpenTask = { id: string; kind: CaseTaskKind; title: string; raisedAt: Date; dueAt: Date | null };

/** A row as to_json sends it: timestamps come as ISO text, which the mappers below turn back into Dates. */
type AsJson<Row> = { [K in keyof Row]: Row[K] extends Date ? string : Row[K] extends Date | null ? string | null : Row[K] };
const at = (value: string): Date => new Date(value);
const atOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));

type CasePageRow = Parameters<typeof toCase>[0] & {
  person: AsJson<Selectable<PersonTable>>;
  crime: AsJson<CrimeRow> | null;
  coordinator_name: string | null;
  linked_cases: (AsJson<Omit<SummaryRow, 'given_name' | 'family_name' | 'repeat_victim' | 'crime_reference' | 'offence_category' | 'offence_group'>> & {
    crime: Pick<SummaryRow, 'crime_reference' | 'offence_category' | 'offence_group'> | null;
  })[];
  timeline: AsJson<Parameters<typeof toEvent>[0]>[];
  contacts: AsJson<ContactRow>[];
  open_tasks: { id: string; kind: CaseTaskKind; title: string; raised_at: string; due_at: string | null }[];
};

const toPagePerson = (row: AsJson<Selectable<PersonTable>>): Person => ({
  id: row.id,
  areaId: row.area_id,
  givenName: row.given_name,
  familyName: row.family_name,
  otherNames: row.other_names,
  matchName: row.match_name,
  dateOfBirth: row.date_of_birth,
  email: row.email,
  phone: row.phone,
  addressLine1: row.address_line_1,
  addressLine2: row.address_line_2,
  town: row.town,
  postcode: row.postcode,
  preferredLanguage: row.preferred_language,
  communicationNeeds: row.communication_needs,
  safeContact: row.safe_contact as Person['safeContact'],
  repeatVictim: row.repeat_victim,
  mergedIntoPersonId: row.merged_into_person_id,
  createdAt: at(row.created_at),
  updatedAt: at(row.updated_at),
});

/**
 * The case page in one statement: the case and its person (both in the area, or nothing), the crime, the coordinator's
 * name, the person's other cases, the timeline and the contact log, with the audit row that `audit` builds over the
 * `found` row, so the view is recorded exactly when the case is found. It is one query returning JSON, not a query
 * for each part, because this is the coordinators' most used page: each round trip to the database cost the page more
 * (in waiting, and in writes to the socket) than the rows it brought, and one statement is its own transaction.
 * Related rows are read by scalar subqueries on their keys rather than joins, as PostgreSQL plans this statement on
 * every call and joins cost several times more to plan than they do to run. The parts read what findCase,
 * staffDisplayName, caseSummariesForPeople (whose person is this case's person) and listEvents read, in the same
 * order; the crime is scoped to the area as the case is, and the contact log comes newest first. Open tasks are the
 * tasks feature's rows (as listOpenTasks reads them), read here so the page stays one statement.
 */
export async function viewCasePage(db: Db, areaId: string, caseId: string, audit: (source: string) => RawBuilder<unknown>): Promise<CasePageRecord | undefined> {
  const result = await sql<CasePageRow>`
    with page as (
      select c.*, (select to_json(p) from person p where p.id = c.person_id and p.area_id = ${areaId}) as person
      from victim_case c where c.id = ${caseId} and c.area_id = ${areaId}
    ),
    found as (select * from page where person is not null),
    viewed as (${audit('found')})
    select found.*,
      (select to_json(cr) from crime cr where cr.id = found.crime_id and cr.area_id = ${areaId}) as crime,
      (select s.display_name from staff_user s where s.id = found.coordinator_user_id) as coordinator_name,
      (select coalesce(json_agg(json_build_object(
          'id', o.id, 'person_id', o.person_id, 'source', o.source, 'status', o.status, 'role', o.role, 'created_at', o.created_at,
          'coordinator_user_id', o.coordinator_user_id,
          'coordinator_name', (select s.display_name from staff_user s where s.id = o.coordinator_user_id),
          'crime', (select json_build_object('crime_reference', cr.crime_reference, 'offence_category', cr.offence_category, 'offence_group', cr.offence_group)
            from crime cr where cr.id = o.crime_id)
        ) order by o.created_at desc), '[]')
        from victim_case o where o.area_id = ${areaId} and o.person_id = found.person_id and o.id <> found.id) as linked_cases,
      (select coalesce(json_agg(to_json(e) order by e.occurred_at, e.id), '[]') from timeline_event e where e.case_id = found.id) as timeline,
      (select coalesce(json_agg(json_build_object(
          'id', l.id, 'case_id', l.case_id, 'channel', l.channel, 'direction', l.direction, 'outcome', l.outcome, 'contacted_at', l.contacted_at,
          'notes', l.notes, 'overrode_safe_contact', l.overrode_safe_contact, 'recorded_by_user_id', l.recorded_by_user_id,
          'display_name', (select s.display_name from staff_user s where s.id = l.recorded_by_user_id), 'recorded_at', l.recorded_at
        ) order by l.contacted_at desc, l.recorded_at desc), '[]')
        from contact_log l where l.case_id = found.id) as contacts,
      (select coalesce(json_agg(json_build_object('id', t.id, 'kind', t.kind, 'title', t.title, 'raised_at', t.raised_at, 'due_at', t.due_at)
          order by t.raised_at, t.id), '[]')
        from case_task t where t.case_id = found.id and t.status = 'open') as open_tasks
    from found
  `.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  const person = toPagePerson(row.person);
  return {
    case: toCase(row),
    person,
    crime: row.crime ? toCrime({ ...row.crime, reported_at: atOrNull(row.crime.reported_at), created_at: at(row.crime.created_at) }) : undefined,
    coordinatorName: row.coordinator_name,
    linkedCases: row.linked_cases.map(({ crime, ...other }) =>
      toSummary({
        ...other,
        given_name: person.givenName,
        family_name: person.familyName,
        repeat_victim: person.repeatVictim,
        crime_reference: crime?.crime_reference ?? null,
        offence_category: crime?.offence_category ?? null,
        offence_group: crime?.offence_group ?? null,
        created_at: at(other.created_at),
      }),
    ),
    timeline: row.timeline.map((event) => toEvent({ ...event, occurred_at: at(event.occurred_at), recorded_at: at(event.recorded_at) })),
    contacts: row.contacts.map((entry) => toContact({ ...entry, contacted_at: at(entry.contacted_at), recorded_at: at(entry.recorded_at) })),
    openTasks: row.open_tasks.map((task) => ({ id: task.id, kind: task.kind, title: task.title, raisedAt: at(task.raised_at), dueAt: atOrNull(task.due_at) })),
  };
}

export async function hasSuccessfulContact(trx: Trx, caseId: string): Promise<boolean> {
  const row = await trx.selectFrom('contact_log').select('id').where('case_id', '=', caseId).where('outcome', '=', 'successful').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function findCrimesByReferences(trx: Trx, keys: readonly { areaId: string; crimeReference: string }[]): Promise<Crime[]> {
  if (!keys.length) return [];
  const result = await sql<CrimeRow>`
    select ${sql.join(crimeColumns.map((column) => sql.ref(`c.${column}`)))}
    from unnest(${keys.map((key) => key.areaId)}::uuid[], ${keys.map((key) => key.crimeReference)}::text[]) as given (area_id, crime_reference)
    join crime c on c.area_id = given.area_id and c.crime_reference = given.crime_reference
  `.execute(trx);
  return result.rows.map(toCrime);
}

/** Inserts the crimes the areas do not have yet; returns the ids of those this call created. */
export async function insertCrimesIfNew(trx: Trx, crimes: readonly NewCrime[]): Promise<Set<string>> {
  if (!crimes.length) return new Set();
  const column = <T>(pick: (crime: NewCrime) => T): T[] => crimes.map(pick);
  const result = await sql<{ id: string }>`
    insert into crime (area_id, crime_reference, offence_code, offence_category, offence_group, committed_from, committed_to, reported_at,
      officer_in_charge, police_organisation_id)
    select * from unnest(${column((c) => c.areaId)}::uuid[], ${column((c) => c.crimeReference)}::text[], ${column((c) => c.offenceCode)}::text[],
      ${column((c) => c.offenceCategory)}::text[], ${column((c) => c.offenceGroup)}::text[], ${column((c) => c.committedFrom)}::date[],
      ${column((c) => c.committedTo)}::date[], ${column((c) => c.reportedAt)}::timestamptz[], ${column((c) => c.officerInCharge)}::text[],
      ${column((c) => c.policeOrganisationId)}::uuid[])
    on conflict (area_id, crime_reference) do nothing
    returning id
  `.execute(trx);
  return new Set(result.rows.map((row) => row.id));
}

export async function crimeAreasOf(trx: Trx, crimeIds: readonly string[]): Promise<Map<string, string>> {
  if (!crimeIds.length) return new Map();
  const rows = await trx.selectFrom('crime').select(['id', 'area_id']).where('id', 'in', [...new Set(crimeIds)]).execute();
  return new Map(rows.map((row) => [row.id, row.area_id]));
}

/** Cases already made under these sender's references, keyed `source:organisation:reference`. */
export async function findCasesBySourceReferences(
  trx: Trx,
  keys: readonly { source: CaseSource; referringOrganisationId: string | null; sourceReference: string }[],
): Promise<Map<string, VictimCase>> {
  const found = new Map<string, VictimCase>();
  if (!keys.length) return found;
  const rows = await trx
    .selectFrom('victim_case')
    .selectAll()
    .where('source_reference', 'in', [...new Set(keys.map((key) => key.sourceReference))])
    .where('source', 'in', [...new Set(keys.map((key) => key.source))])
    .execute();
  for (const row of rows) found.set(`${row.source}:${row.referring_organisation_id ?? '-'}:${row.source_reference}`, toCase(row));
  return found;
}

/** Which of these (person, crime) pairs already have a case, keyed `person:crime`. */
export async function findCasesForPeopleAndCrimes(trx: Trx, pairs: readonly { personId: string; crimeId: string }[]): Promise<Set<string>> {
  if (!pairs.length) return new Set();
  const result = await sql<{ person_id: string; crime_id: string }>`
    select c.person_id, c.crime_id from unnest(${pairs.map((pair) => pair.personId)}::uuid[], ${pairs.map((pair) => pair.crimeId)}::uuid[]) as given (person_id, crime_id)
    join victim_case c on c.person_id = given.person_id and c.crime_id = given.crime_id
  `.execute(trx);
  return new Set(result.rows.map((row) => `${row.person_id}:${row.crime_id}`));
}

/** Inserts the cases and returns them in the order given: ids are made here so each row can be matched to its input. */
export async function insertCases(trx: Trx, cases: readonly NewCase[]): Promise<VictimCase[]> {
  if (!cases.length) return [];
  const column = <T>(pick: (victimCase: NewCase) => T): T[] => cases.map(pick);
  const result = await sql<Parameters<typeof toCase>[0] & { position: number }>`
    with given as (
      select * from unnest(${cases.map((_, index) => index)}::integer[], ${column((c) => c.personId)}::uuid[], ${column((c) => c.crimeId)}::uuid[],
        ${column((c) => c.areaId)}::uuid[], ${column((c) => c.role)}::text[], ${column((c) => c.source)}::text[], ${column((c) => c.sourceReference)}::text[],
        ${column((c) => c.referringOrganisationId)}::uuid[], ${column((c) => c.supportConsent)}::text[], ${column(() => randomUUID())}::uuid[])
        as given (position, person_id, crime_id, area_id, role, source, source_reference, referring_organisation_id, support_consent, id)
    ),
    inserted as (
      insert into victim_case (id, person_id, crime_id, area_id, role, source, source_reference, referring_organisation_id, support_consent)
      select id, person_id, crime_id, area_id, role, source, source_reference, referring_organisation_id, support_consent from given
      returning *
    )
    select inserted.*, given.position from inserted join given on given.id = inserted.id order by given.position
  `.execute(trx);
  return result.rows.map(toCase);
}

/** Appends the events whose idempotency keys are unused; returns those appended. */
export async function insertEventsIfNew(trx: Trx, events: readonly NewTimelineEvent[]): Promise<TimelineEvent[]> {
  if (!events.length) return [];
  const column = <T>(pick: (event: NewTimelineEvent) => T): T[] => events.map(pick);
  const result = await sql<Parameters<typeof toEvent>[0]>`
    insert into timeline_event (case_id, kind, summary, detail, source, idempotency_key, visibility, occurred_at, recorded_by_user_id)
    select * from unnest(${column((e) => e.caseId)}::uuid[], ${column((e) => e.kind)}::text[], ${column((e) => e.summary)}::text[],
      ${column((e) => JSON.stringify(e.detail))}::jsonb[], ${column((e) => e.source)}::text[], ${column((e) => e.idempotencyKey)}::text[],
      ${column((e) => e.visibility)}::text[], ${column((e) => e.occurredAt)}::timestamptz[], ${column((e) => e.recordedByUserId)}::uuid[])
    on conflict (idempotency_key) do nothing
    returning *
  `.execute(trx);
  return result.rows.map(toEvent);
}

export async function findEventsByKeys(trx: Trx, idempotencyKeys: readonly string[]): Promise<TimelineEvent[]> {
  if (!idempotencyKeys.length) return [];
  const rows = await trx.selectFrom('timeline_event').selectAll().where('idempotency_key', 'in', [...new Set(idempotencyKeys)]).execute();
  return rows.map(toEvent);
}

export type CaseFacts = {
  role: CaseRole;
  dateOfBirth: string | null;
  crime: { offenceCode: string; offenceCategory: string; offenceGroup: string | null; committedFrom: string | null } | null;
  /** The indicators the referrals named (domesticAbuse, hateCrime, ...), from their notes on the timeline. */
  referralIndicators: string[];
  /** The person's other cases received in the 12 months up to `now`, with their offence where they have a crime. */
  otherRecentCases: { offenceCode: string | null; offenceGroup: string | null }[];
};

/** What the Code's rules need to know of a case, its person and their other recent cases, in one query. */
export async function findCaseFacts(trx: Trx, caseId: string, now: Date): Promise<CaseFacts | undefined> {
  const result = await sql<{
    role: CaseRole; date_of_birth: string | null; offence_code: string | null; offence_category: string | null; offence_group: string | null;
    committed_from: string | null; indicators: unknown; others: unknown;
  }>`
    select c.role, p.date_of_birth::text as date_of_birth, cr.offence_code, cr.offence_category, cr.offence_group, cr.committed_from::text as committed_from,
      (select coalesce(jsonb_agg(e.detail -> 'indicators'), '[]'::jsonb) from timeline_event e where e.case_id = c.id and e.kind = 'referral_notes') as indicators,
      (select coalesce(jsonb_agg(jsonb_build_object('offenceCode', oc.offence_code, 'offenceGroup', oc.offence_group)), '[]'::jsonb)
        from victim_case o left join crime oc on oc.id = o.crime_id
        where o.person_id = c.person_id and o.id <> c.id and o.created_at > ${now}::timestamptz - interval '12 months') as others
    from victim_case c join person p on p.id = c.person_id left join crime cr on cr.id = c.crime_id
    where c.id = ${caseId}
  `.execute(trx);
  const row = result.rows[0];
  if (!row) return undefined;
  const lists = Array.isArray(row.indicators) ? (row.indicators as unknown[]) : [];
  return {
    role: row.role,
    dateOfBirth: row.date_of_birth,
    crime: row.offence_code
      ? { offenceCode: row.offence_code, offenceCategory: row.offence_category ?? '', offenceGroup: row.offence_group, committedFrom: row.committed_from }
      : null,
    referralIndicators: [...new Set(lists.flatMap((list) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [])))],
    otherRecentCases: Array.isArray(row.others) ? (row.others as { offenceCode: string | null; offenceGroup: string | null }[]) : [],
  };
}
