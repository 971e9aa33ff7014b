// Use-cases for crimes, cases and the case timeline. findOrCreateCrime, openCase and appendTimelineEvent take the
// caller's transaction, because intake composes them with creating or matching a person; the others are whole
// use-cases for hub staff: they authorise, run in one transaction and write their audit and timeline rows.
import { findOrganisation } from '../../platform/db/organisations.ts';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { auditRowsFor, writeAudit, writeAuditMany } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import type { SupportConsent, TimelineVisibility } from '../../platform/db/schema.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { peopleAreas, personInArea, todayInLondon, type Person } from '../people/service.ts';
import { completeOpenTasksOfKind, listOpenTasksForCase } from '../tasks/service.ts';
// Pure normalisers only (no I/O): search must normalise a phone or postcode exactly as people are stored.
import { matchingName, normalisePhone, normalisePostcode } from '../people/rules.ts';
import {
  CASE_SOURCE_NAMES,
  CASE_STATUS_NAMES,
  CONTACT_CHANNEL_NAMES,
  CONTACT_OUTCOME_NAMES,
  canWorkOnCases,
  caseReference,
  checkContactLog,
  checkCrime,
  checkStatusChange,
  parseCaseListQuery,
  safeContactBreaches,
  safeContactView,
  searchKeysFor,
  type CaseListQuery,
  type ContactLogInput,
  isCaseRole,
  isCaseSource,
  isUuid,
  type CaseRole,
  type CaseSource,
  type CaseStatus,
  type CrimeInput,
} from './rules.ts';
import { checkClassification, checkSubmissionKey, offenceByCode, type ClassificationInput, type Offence } from './offence-classification.ts';
import {
  activeCoordinatorsOf,
  casesOnCrime,
  codeBeforeClassification,
  findCrime,
  setCrimeOffence,
  caseSummariesForCrimeReference,
  caseSummariesForPeople,
  crimeAreasOf,
  insertContactLog,
  listCases,
  listTriageQueue,
  offenceGroupsInArea,
  searchPeople,
  staffDisplayName,
  type CaseSummary,
  type ContactLogEntry,
  type SearchMatch,
  findCase,
  findCasesBySourceReferences,
  findCasesForPeopleAndCrimes,
  findCrimesByReferences,
  findEventsByKeys,
  findCaseFacts,
  findStaffMember,
  insertCases,
  insertCrimesIfNew,
  insertEventsIfNew,
  listEvents,
  setCoordinator,
  setStatus,
  viewCasePage,
  type CaseFacts,
  type CasePageRecord,
  type Crime,
  type TimelineEvent,
  type VictimCase,
} from './repository.ts';

export type { CaseFacts, CaseSummary, ContactLogEntry, Crime, CrimeInput, SearchMatch, TimelineEvent, VictimCase };

const actorUserId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.staff.userId : null);

/** The crime with this reference in the area, created from `input` when the area has none yet. */
export async function findOrCreateCrime(trx: Trx, actor: Actor, input: CrimeInput): Promise<{ crime: Crime; created: boolean }> {
  return only(await findOrCreateCrimes(trx, actor, [input]));
}

/**
 * findOrCreateCrime for a batch (the file import), in a few statements however many crimes: results in the order
 * given, and inputs naming the same area and reference share one crime, reported as created once.
 */
export async function findOrCreateCrimes(trx: Trx, actor: Actor, inputs: readonly CrimeInput[]): Promise<{ crime: Crime; created: boolean }[]> {
  const today = todayInLondon();
  const checked = inputs.map((input) => {
    const result = checkCrime(input, today);
    if ('errors' in result) throw new Invalid(result.errors);
    return result.value;
  });
  const keyOf = (crime: { areaId: string; crimeReference: string }) => `${crime.areaId}:${crime.crimeReference}`;
  const held = new Map((await findCrimesByReferences(trx, checked)).map((crime) => [keyOf(crime), crime]));
  const missing = [...new Map(checked.filter((crime) => !held.has(keyOf(crime))).map((crime) => [keyOf(crime), crime])).values()];
  let createdIds = new Set<string>();
  if (missing.length) {
    createdIds = await insertCrimesIfNew(trx, missing);
    // Another transaction may have created some meanwhile; the unique key decided, and both read the winner.
    for (const crime of await findCrimesByReferences(trx, missing)) held.set(keyOf(crime), crime);
  }
  await writeAuditMany(
    trx,
    actor,
    [...held.values()]
      .filter((crime) => createdIds.has(crime.id))
      .map((crime) => ({ action: 'crime.created', recordType: 'crime', recordId: crime.id, detail: { offenceCode: crime.offenceCode } })),
  );
  const reported = new Set<string>();
  return checked.map((value) => {
    const crime = held.get(keyOf(value));
    if (!crime) throw new Error('The crime just created could not be read back');
    const created = createdIds.has(crime.id) && !reported.has(crime.id);
    reported.add(crime.id);
    return { crime, created };
  });
}

export type OpenCaseInput = {
  personId: string;
  crimeId: string | null;
  role: CaseRole;
  source: CaseSource;
  /** The sender's own id for the referral; a second referral with the same one finds the first case. */
  sourceReference?: string | null;
  referringOrganisationId?: string | null;
  supportConsent?: SupportConsent;
  /** When the referral was made, if the sender says; otherwise now. */
  receivedAt?: Date;
};

/**
 * Opens a case for a person, on a crime or (for a self-referral) on none, and puts "referral received" on its
 * timeline. A repeated source reference returns the first case with created: false; a second case for the same person
 * and crime is a Conflict.
 */
export async function openCase(trx: Trx, actor: Actor, input: OpenCaseInput): Promise<{ case: VictimCase; created: boolean }> {
  return only(await openCases(trx, actor, [input]));
}

/**
 * openCase for a batch: the same checks, rows, audit and 'referral received' events, in a few statements. Results
 * are in the order given. The caller keeps inputs that share a source reference or a (person, crime) pair in
 * different batches (intake's receiving rounds), as one statement cannot see its own rows.
 */
export async function openCases(trx: Trx, actor: Actor, inputs: readonly OpenCaseInput[]): Promise<{ case: VictimCase; created: boolean }[]> {
  for (const input of inputs) {
    const errors: Record<string, string> = {};
    if (!isCaseRole(input.role)) errors.role = 'Select the person’s role in the crime';
    if (!isCaseSource(input.source)) errors.source = 'The referral’s source is not known';
    if (Object.keys(errors).length) throw new Invalid(errors);
  }
  const referenceOf = (input: OpenCaseInput) => input.sourceReference?.trim() || null;
  const keyOf = (input: { source: CaseSource; referringOrganisationId?: string | null }, reference: string | null) =>
    `${input.source}:${input.referringOrganisationId ?? '-'}:${reference}`;
  const replays = await findCasesBySourceReferences(
    trx,
    inputs.flatMap((input) => {
      const sourceReference = referenceOf(input);
      return sourceReference ? [{ source: input.source, referringOrganisationId: input.referringOrganisationId ?? null, sourceReference }] : [];
    }),
  );
  const replayOf = (input: OpenCaseInput) => {
    const reference = referenceOf(input);
    return reference ? replays.get(keyOf(input, reference)) : undefined;
  };
  const fresh = inputs.filter((input) => !replayOf(input));
  const personAreas = await peopleAreas(trx, fresh.map((input) => input.personId).filter(isUuid));
  const crimeAreas = await crimeAreasOf(trx, fresh.flatMap((input) => (input.crimeId !== null && isUuid(input.crimeId) ? [input.crimeId] : [])));
  for (const input of fresh) {
    const areaId = personAreas.get(input.personId);
    if (!areaId) throw new NotFound('person');
    if (input.crimeId === null) continue;
    const crimeArea = crimeAreas.get(input.crimeId);
    if (!crimeArea) throw new NotFound('crime');
    if (crimeArea !== areaId) throw new Invalid({ crimeId: 'The crime and the person are in different areas' });
  }
  const onCrime = fresh.flatMap((input) => (input.crimeId === null ? [] : [{ personId: input.personId, crimeId: input.crimeId }]));
  if ((await findCasesForPeopleAndCrimes(trx, onCrime)).size) throw new Conflict('This person already has a case for this crime');
  const made = await insertCases(
    trx,
    fresh.map((input) => ({
      personId: input.personId,
      crimeId: input.crimeId,
      areaId: personAreas.get(input.personId) as string,
      role: input.role,
      source: input.source,
      sourceReference: referenceOf(input),
      referringOrganisationId: input.referringOrganisationId ?? null,
      supportConsent: input.supportConsent ?? 'not_asked',
    })),
  );
  await writeAuditMany(
    trx,
    actor,
    made.map((victimCase) => ({
      action: 'case.opened',
      recordType: 'case',
      recordId: victimCase.id,
      detail: { source: victimCase.source, role: victimCase.role, withCrime: victimCase.crimeId !== null },
    })),
  );
  await appendTimelineEvents(
    trx,
    actor,
    made.map((victimCase, position) => ({
      caseId: victimCase.id,
      kind: 'referral_received',
      summary: `Referral received (${CASE_SOURCE_NAMES[victimCase.source].toLowerCase()})`,
      source: victimCase.source,
      idempotencyKey: `case:${victimCase.id}:referral_received`,
      visibility: 'victim',
      occurredAt: fresh[position]?.receivedAt ?? new Date(),
    })),
  );
  const opened = new Map(fresh.map((input, position) => [input, made[position] as VictimCase]));
  return inputs.map((input) => {
    const victimCase = opened.get(input);
    return victimCase ? { case: victimCase, created: true } : { case: replayOf(input) as VictimCase, created: false };
  });
}

export type TimelineEventInput = {
  caseId: string;
  kind: string;
  /** Plain words, fit for the victim to read when the visibility is 'victim'. */
  summary: string;
  detail?: Record<string, unknown>;
  source: string;
  idempotencyKey: string;
  visibility: TimelineVisibility;
  occurredAt: Date;
};

/** Appends an event to a case's timeline. The same idempotency key returns the event already recorded and adds nothing. */
export async function appendTimelineEvent(
  trx: Trx,
  actor: Actor,
  input: TimelineEventInput,
): Promise<{ event: TimelineEvent; created: boolean }> {
  return only(await appendTimelineEvents(trx, actor, [input]));
}

/** appendTimelineEvent for a batch, in order; keys must differ within the batch. */
export async function appendTimelineEvents(
  trx: Trx,
  actor: Actor,
  inputs: readonly TimelineEventInput[],
): Promise<{ event: TimelineEvent; created: boolean }[]> {
  for (const input of inputs) {
    const errors: Record<string, string> = {};
    if (!input.idempotencyKey?.trim()) errors.idempotencyKey = 'Every event needs an idempotency key';
    if (!input.kind?.trim()) errors.kind = 'Every event needs a kind';
    if (!input.summary?.trim()) errors.summary = 'Every event needs a summary';
    if (input.visibility !== 'victim' && input.visibility !== 'staff') errors.visibility = 'Say who may see the event';
    if (Number.isNaN(input.occurredAt?.getTime())) errors.occurredAt = 'Say when the event happened';
    if (Object.keys(errors).length) throw new Invalid(errors);
  }
  const inserted = await insertEventsIfNew(
    trx,
    inputs.map((input) => ({
      caseId: input.caseId,
      kind: input.kind.trim(),
      summary: input.summary.trim(),
      detail: input.detail ?? {},
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      visibility: input.visibility,
      occurredAt: input.occurredAt,
      recordedByUserId: actorUserId(actor),
    })),
  );
  const appended = new Map(inserted.map((event) => [event.idempotencyKey, event]));
  const replayedKeys = inputs.map((input) => input.idempotencyKey).filter((key) => !appended.has(key));
  const earlier = new Map((await findEventsByKeys(trx, replayedKeys)).map((event) => [event.idempotencyKey, event]));
  await writeAuditMany(
    trx,
    actor,
    inserted.map((event) => ({
      action: 'timeline_event.appended',
      recordType: 'case',
      recordId: event.caseId,
      detail: { eventId: event.id, kind: event.kind, visibility: event.visibility },
    })),
  );
  return inputs.map((input) => {
    const event = appended.get(input.idempotencyKey);
    if (event) return { event, created: true };
    const existing = earlier.get(input.idempotencyKey);
    if (!existing) throw new Error('An event with this idempotency key exists but could not be read');
    if (existing.caseId !== input.caseId) throw new Conflict('This idempotency key belongs to an event on another case');
    return { event: existing, created: false };
  });
}

/** The one result of a batch function called with one input. */
function only<T>(results: readonly T[]): T {
  const [result] = results;
  if (results.length !== 1 || result === undefined) throw new Error('Expected exactly one result');
  return result;
}

/** Hub coordinators and supervisors may work on cases in their own area; anyone else is refused. */
async function requireCaseWorker(trx: Db | Trx, actor: Actor): Promise<StaffIdentity> {
  if (actor.kind !== 'staff' || !canWorkOnCases(actor.staff.role)) throw new Forbidden('hub coordinators and supervisors only');
  // A signed-in page's identity carries its organisation's kind, read with its area from the same row, so the check
  // costs no query there; an identity without it (the CLI, jobs, tests) has its organisation read here.
  const { organisationKind } = actor.staff;
  const organisation = organisationKind
    ? { kind: organisationKind, areaId: actor.staff.areaId }
    : await findOrganisation(trx, actor.staff.organisationId);
  if (!organisation || organisation.kind !== 'hub' || organisation.areaId !== actor.staff.areaId) {
    throw new Forbidden('hub coordinators and supervisors only');
  }
  return actor.staff;
}

/** A case in the worker's area; a guessed id from another area looks exactly like a missing one. */
async function caseInArea(trx: Trx, staff: StaffIdentity, caseId: string, forUpdate = false): Promise<VictimCase> {
  if (!isUuid(caseId)) throw new NotFound('case');
  const victimCase = await findCase(trx, staff.areaId, caseId, { forUpdate });
  if (!victimCase) throw new NotFound('case');
  return victimCase;
}

export type CaseForStaff = { case: VictimCase; person: Person };

export async function getCaseForStaff(db: Db, actor: Actor, caseId: string): Promise<CaseForStaff> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor).catch(() => {
      throw new NotFound('case');
    });
    const victimCase = await caseInArea(trx, staff, caseId);
    const person = await personInArea(trx, staff.areaId, victimCase.personId);
    if (!person) throw new NotFound('case');
    await writeAudit(trx, actor, { action: 'case.viewed', recordType: 'case', recordId: victimCase.id });
    return { case: victimCase, person };
  });
}

/** The case's timeline as staff see it, or as the victim will see it (victim-visible events only). */
export async function getTimeline(db: Db, actor: Actor, caseId: string, view: 'staff' | 'victim'): Promise<TimelineEvent[]> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor).catch(() => {
      throw new NotFound('case');
    });
    const victimCase = await caseInArea(trx, staff, caseId);
    const events = await listEvents(trx, victimCase.id, view === 'victim');
    await writeAudit(trx, actor, { action: 'case.timeline_viewed', recordType: 'case', recordId: victimCase.id, detail: { view } });
    return events;
  });
}

/** Makes an active coordinator of the hub the case's single point of contact. */
export async function assignCoordinator(db: Db, actor: Actor, caseId: string, userId: string): Promise<VictimCase> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const victimCase = await caseInArea(trx, staff, caseId, true);
    return (await assignLockedCase(trx, actor, staff, victimCase, userId)).case;
  });
}

/** Assigns a case whose row the caller has locked (caseInArea with forUpdate), so checks made on it still hold. */
async function assignLockedCase(
  trx: Trx,
  actor: Actor,
  staff: StaffIdentity,
  victimCase: VictimCase,
  userId: string,
): Promise<{ case: VictimCase; coordinatorName: string }> {
  const assignee = isUuid(userId) ? await findStaffMember(trx, userId) : undefined;
  if (!assignee || assignee.organisationId !== staff.organisationId || assignee.role !== 'coordinator' || assignee.status !== 'active') {
    throw new Invalid({ coordinator: 'Select an active coordinator in your hub' });
  }
  // Sending the form twice changes nothing the second time.
  if (victimCase.coordinatorUserId === assignee.id) return { case: victimCase, coordinatorName: assignee.displayName };
  await setCoordinator(trx, victimCase.id, assignee.id);
  await appendTimelineEvent(trx, actor, {
    caseId: victimCase.id,
    kind: 'coordinator_assigned',
    summary: `${assignee.displayName} is now the coordinator for this case`,
    detail: { coordinatorUserId: assignee.id, previousCoordinatorUserId: victimCase.coordinatorUserId },
    source: 'staff',
    idempotencyKey: `case:${victimCase.id}:coordinator:${randomUUID()}`,
    visibility: 'victim',
    occurredAt: new Date(),
  });
  await writeAudit(trx, actor, {
    action: 'case.coordinator_assigned',
    recordType: 'case',
    recordId: victimCase.id,
    detail: { coordinatorUserId: assignee.id, previousCoordinatorUserId: victimCase.coordinatorUserId },
  });
  return { case: { ...victimCase, coordinatorUserId: assignee.id }, coordinatorName: assignee.displayName };
}

export async function changeCaseStatus(db: Db, actor: Actor, caseId: string, status: CaseStatus, reason?: string): Promise<VictimCase> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const victimCase = await caseInArea(trx, staff, caseId, true);
    return moveCase(trx, actor, victimCase, status, reason);
  });
}

/** A status change inside the caller's transaction, on a case already read (and locked) for update. */
async function moveCase(trx: Trx, actor: Actor, victimCase: VictimCase, status: CaseStatus, reason?: string): Promise<VictimCase> {
  const checked = checkStatusChange(victimCase.status, status, reason);
  if ('errors' in checked) throw new Invalid(checked.errors);
  const { status: next, closedReason } = checked.value;
  await setStatus(trx, victimCase.id, next, closedReason);
  // The reason may name people or circumstances: it goes on the staff-only timeline, never in the audit trail.
  await appendTimelineEvent(trx, actor, {
    caseId: victimCase.id,
    kind: 'status_changed',
    summary: `Case ${CASE_STATUS_NAMES[next].toLowerCase()}`,
    detail: { from: victimCase.status, to: next, ...(closedReason ? { reason: closedReason } : {}) },
    source: 'staff',
    idempotencyKey: `case:${victimCase.id}:status:${randomUUID()}`,
    visibility: 'staff',
    occurredAt: new Date(),
  });
  await writeAudit(trx, actor, {
    action: 'case.status_changed',
    recordType: 'case',
    recordId: victimCase.id,
    detail: { from: victimCase.status, to: next },
  });
  return { ...victimCase, status: next, closedReason };
}

// --- The coordinator's work: triage, case lists, search, the case page and the contact log. ---

const TRIAGE_LIMIT = 200;
const CASE_LIST_LIMIT = 200;
const SEARCH_LIMIT = 20;

const isSupervisor = (staff: StaffIdentity): boolean => staff.role === 'supervisor';

export type TriageQueue = { cases: CaseSummary[]; coordinators: { id: string; displayName: string }[]; canAssignOthers: boolean; full: boolean };

/** New cases nobody has taken yet, oldest first; supervisors also get the hub's coordinators to assign from. */
export async function triageQueue(db: Db, actor: Actor): Promise<TriageQueue> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const cases = await listTriageQueue(trx, staff.areaId, TRIAGE_LIMIT);
    const coordinators = isSupervisor(staff) ? await activeCoordinatorsOf(trx, staff.organisationId) : [];
    await writeAudit(trx, actor, { action: 'case.triage_viewed', recordType: 'case', detail: { resultCount: cases.length } });
    return { cases, coordinators, canAssignOthers: isSupervisor(staff), full: cases.length === TRIAGE_LIMIT };
  });
}

/**
 * Assigns a case from the triage queue. Supervisors assign any active coordinator of the hub; a coordinator may only
 * take a case for themselves, and not one a colleague already holds.
 */
export async function assignFromTriage(db: Db, actor: Actor, caseId: string, coordinatorUserId: unknown): Promise<{ case: VictimCase; coordinatorName: string }> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    // The row lock makes two coordinators who take the same case at the same moment take turns: the second one sees
    // the first one's name on it and is refused, instead of silently taking it over.
    const victimCase = await caseInArea(trx, staff, caseId, true);
    let assigneeId: string;
    if (isSupervisor(staff)) {
      if (typeof coordinatorUserId !== 'string' || !coordinatorUserId) throw new Invalid({ coordinator: 'Select a coordinator' });
      assigneeId = coordinatorUserId;
    } else {
      if (coordinatorUserId !== undefined && coordinatorUserId !== staff.userId) throw new Forbidden('coordinators take cases for themselves');
      if (victimCase.coordinatorUserId && victimCase.coordinatorUserId !== staff.userId) {
        throw new Conflict('Another coordinator has already taken this case');
      }
      assigneeId = staff.userId;
    }
    return assignLockedCase(trx, actor, staff, victimCase, assigneeId);
  });
}

export type WorkerCaseList = {
  query: CaseListQuery;
  cases: CaseSummary[];
  offenceGroups: string[];
  canSeeAll: boolean;
  full: boolean;
};

/** A coordinator's own cases, or for a supervisor optionally every case in the hub's area, filtered and sorted. */
export async function listWorkerCases(db: Db, actor: Actor, rawQuery: Record<string, unknown>): Promise<WorkerCaseList> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const offenceGroups = await offenceGroupsInArea(trx, staff.areaId);
    const query = parseCaseListQuery(rawQuery, offenceGroups, isSupervisor(staff));
    const cases = await listCases(trx, {
      areaId: staff.areaId,
      coordinatorUserId: query.scope === 'all' ? null : staff.userId,
      statuses: query.statuses,
      sources: query.sources,
      offenceGroups: query.offenceGroups,
      repeatOnly: query.repeatOnly,
      overdueOnly: query.overdueOnly,
      sort: query.sort,
      order: query.order,
      limit: CASE_LIST_LIMIT,
    });
    await writeAudit(trx, actor, { action: 'case.list_viewed', recordType: 'case', detail: { scope: query.scope, resultCount: cases.length } });
    return { query, cases, offenceGroups, canSeeAll: isSupervisor(staff), full: cases.length === CASE_LIST_LIMIT };
  });
}

export type SearchResult = CaseSummary & { matchedBy: SearchMatch };

/**
 * Finds cases in the worker's area by name, crime reference, date of birth, phone or postcode, from one search box.
 * The terms are personal data: the audit keeps which kinds of key were tried and how many cases were found, not them.
 */
export async function searchCases(db: Db, actor: Actor, term: unknown): Promise<SearchResult[]> {
  const checked = searchKeysFor(term, {
    phone: (value) => {
      const phone = normalisePhone(value);
      return phone.ok ? phone.value : null;
    },
    postcode: (value) => {
      const postcode = normalisePostcode(value);
      return postcode.ok ? postcode.value : null;
    },
    name: matchingName,
  });
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    if ('error' in checked) throw new Invalid({ term: checked.error });
    const { keys } = checked;
    const results = new Map<string, SearchResult>();
    if (keys.crimeReference) {
      for (const found of await caseSummariesForCrimeReference(trx, staff.areaId, keys.crimeReference)) {
        results.set(found.id, { ...found, matchedBy: 'crime reference' });
      }
    }
    const people = await searchPeople(trx, staff.areaId, keys, SEARCH_LIMIT);
    const cases = await caseSummariesForPeople(trx, staff.areaId, [...people.keys()]);
    // Best name matches first, as searchPeople ranked them; a person's cases stay together.
    const rank = [...people.keys()];
    cases.sort((a, b) => rank.indexOf(a.personId) - rank.indexOf(b.personId));
    for (const found of cases) if (!results.has(found.id)) results.set(found.id, { ...found, matchedBy: people.get(found.personId) ?? 'name' });
    const kinds = Object.entries(keys)
      .filter(([, value]) => value !== null)
      .map(([kind]) => kind);
    await writeAudit(trx, actor, { action: 'case.searched', recordType: 'case', detail: { keys: kinds, resultCount: results.size } });
    return [...results.values()];
  });
}

export type CasePage = CasePageRecord & { reference: string };

/**
 * Everything the case page shows, audited once as a view of the case. It is one statement (see viewCasePage), which
 * writes the audit row only when it finds the case in the worker's area; the service has authorised the worker first.
 */
export async function getCasePage(db: Db, actor: Actor, caseId: string): Promise<CasePage> {
  const staff = await requireCaseWorker(db, actor);
  if (!isUuid(caseId)) throw new NotFound('case');
  const page = await viewCasePage(db, staff.areaId, caseId, (source) =>
    auditRowsFor(actor, { action: 'case.viewed', recordType: 'case', source, recordId: sql.ref(`${source}.id`), detail: sql`'{}'::jsonb` }),
  );
  if (!page) throw new NotFound('case');
  return { ...page, reference: caseReference(page.case.id) };
}

/** The contact would break the safe-contact profile and the coordinator has not confirmed it was right to go ahead. */
export class UnsafeContact extends Invalid {
  readonly breaches: string[];
  constructor(breaches: string[]) {
    super({ confirmUnsafe: 'Confirm that this contact was safe and necessary, or change the details' }, 'The contact breaks the safe-contact profile');
    this.name = 'UnsafeContact';
    this.breaches = breaches;
  }
}

/**
 * Logs a call, letter, email, text or visit, successful or not, with a staff-only timeline event keyed by the entry's
 * id. The first successful contact moves a new case to contacted, in the same transaction. Contact the safe-contact
 * profile forbids is refused unless the coordinator confirms it, and a confirmed override is recorded and audited.
 */
export async function logContact(db: Db, actor: Actor, caseId: string, input: ContactLogInput, now = new Date()): Promise<{ entryId: string; status: CaseStatus; movedToContacted: boolean }> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const victimCase = await caseInArea(trx, staff, caseId, true);
    const checked = checkContactLog(input, now);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const contact = checked.value;
    const person = await personInArea(trx, staff.areaId, victimCase.personId);
    if (!person) throw new NotFound('case');
    const breaches = safeContactBreaches(safeContactView(person.safeContact), contact);
    if (breaches.length && !contact.confirmedUnsafe) throw new UnsafeContact(breaches);
    const entryId = await insertContactLog(trx, {
      caseId: victimCase.id,
      channel: contact.channel,
      direction: contact.direction,
      outcome: contact.outcome,
      contactedAt: contact.contactedAt,
      notes: contact.notes,
      overrodeSafeContact: breaches.length > 0,
      recordedByUserId: staff.userId,
    });
    const outcome = CONTACT_OUTCOME_NAMES[contact.outcome].split(':')[0]!.toLowerCase();
    await appendTimelineEvent(trx, actor, {
      caseId: victimCase.id,
      kind: 'contact_logged',
      summary: `${CONTACT_CHANNEL_NAMES[contact.channel]} (${contact.direction === 'outbound' ? 'to them' : 'from them'}): ${outcome}`,
      detail: { contactLogId: entryId, channel: contact.channel, direction: contact.direction, outcome: contact.outcome },
      source: 'staff',
      idempotencyKey: `contact_log:${entryId}`,
      visibility: 'staff',
      occurredAt: contact.contactedAt,
    });
    await writeAudit(trx, actor, {
      action: 'case.contact_logged',
      recordType: 'case',
      recordId: victimCase.id,
      detail: { contactLogId: entryId, channel: contact.channel, outcome: contact.outcome, overrodeSafeContact: breaches.length > 0 },
    });
    if (contact.outcome === 'successful' && victimCase.status === 'new') {
      await moveCase(trx, actor, victimCase, 'contacted');
      return { entryId, status: 'contacted', movedToContacted: true };
    }
    return { entryId, status: victimCase.status, movedToContacted: false };
  });
}

/** The case and person the contact form needs (to show the safe-contact profile and the coordinator), audited as a view. */
export async function getCaseForContact(db: Db, actor: Actor, caseId: string): Promise<Pick<CasePage, 'case' | 'reference' | 'person' | 'coordinatorName'>> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const victimCase = await caseInArea(trx, staff, caseId);
    const person = await personInArea(trx, staff.areaId, victimCase.personId);
    if (!person) throw new NotFound('case');
    const coordinatorName = victimCase.coordinatorUserId ? ((await staffDisplayName(trx, victimCase.coordinatorUserId)) ?? null) : null;
    await writeAudit(trx, actor, { action: 'case.viewed', recordType: 'case', recordId: victimCase.id, detail: { page: 'contact' } });
    return { case: victimCase, reference: caseReference(victimCase.id), person, coordinatorName };
  });
}

/**
 * What the Victims' Code rules need to know of a case, for the Code clock and entitlements, which run as the system
 * on events, never for a person at a screen: nothing here is shown, so there is no actor to authorise.
 */
export async function caseFacts(trx: Trx, caseId: string, now: Date = new Date()): Promise<CaseFacts> {
  const facts = isUuid(caseId) ? await findCaseFacts(trx, caseId, now) : undefined;
  if (!facts) throw new NotFound('case');
  return facts;
}

// --- Classifying a crime's offence by hand, when the police sent a code Haven does not know (or a coordinator put
// the wrong one right). ---

const CLASSIFICATION_TASK = 'manual_offence_classification';
const classifiedKey = (caseId: string, submissionKey: string) => `offence_classified:${caseId}:${submissionKey}`;

export type OffenceForm = {
  case: VictimCase;
  reference: string;
  coordinatorName: string | null;
  crime: Crime;
  /** The code the police sent, before anyone classified the offence by hand. */
  sentCode: string;
  /** The offence as it stands, when Haven knows its code. */
  current: Offence | undefined;
  /** When the task to classify the offence was raised, while it is open. */
  taskRaisedAt: Date | null;
  submissionKey: string;
};

/** What the classification form shows, with a fresh submission key, audited as a view of the case. */
export async function getOffenceForm(db: Db, actor: Actor, caseId: string): Promise<OffenceForm> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const victimCase = await caseInArea(trx, staff, caseId);
    const crime = victimCase.crimeId ? await findCrime(trx, staff.areaId, victimCase.crimeId) : undefined;
    if (!crime) throw new NotFound('crime');
    const task = (await listOpenTasksForCase(trx, victimCase.id)).find((open) => open.kind === CLASSIFICATION_TASK);
    const coordinatorName = victimCase.coordinatorUserId ? ((await staffDisplayName(trx, victimCase.coordinatorUserId)) ?? null) : null;
    await writeAudit(trx, actor, { action: 'case.viewed', recordType: 'case', recordId: victimCase.id, detail: { page: 'offence' } });
    return {
      case: victimCase,
      reference: caseReference(victimCase.id),
      coordinatorName,
      crime,
      sentCode: (await codeBeforeClassification(trx, crime.id)) ?? crime.offenceCode,
      current: offenceByCode(crime.offenceCode),
      taskRaisedAt: task?.raisedAt ?? null,
      submissionKey: randomUUID(),
    };
  });
}

/**
 * Classifies the case's crime as a known offence, in the caller's transaction: sets its code, category and group from
 * the known list, puts a staff-only 'offence_classified' event on the timeline of every case on the crime (the Code
 * clock reads it and decides their enhanced rights again, as the offence can make a crime "most serious"), completes
 * their open classification tasks, and audits it. The offence is the crime's, so all its victims' cases move together.
 * The same idempotency key (the form's submission key) changes nothing the second time (created: false). Bad input
 * throws Invalid and stores nothing; a case the worker cannot see is NotFound.
 */
export async function classifyOffence(
  trx: Trx,
  actor: Actor,
  caseId: string,
  input: ClassificationInput,
  now = new Date(),
): Promise<{ created: boolean; crime: Crime }> {
  const staff = await requireCaseWorker(trx, actor);
  const victimCase = await caseInArea(trx, staff, caseId, true);
  // The crime row lock makes the same form sent twice at once take turns: the second finds the first one's event.
  const crime = victimCase.crimeId ? await findCrime(trx, staff.areaId, victimCase.crimeId, { forUpdate: true }) : undefined;
  if (!crime) throw new NotFound('crime');
  const key = checkSubmissionKey(input.idempotencyKey);
  if ('errors' in key) throw new Invalid(key.errors);
  if ((await findEventsByKeys(trx, [classifiedKey(victimCase.id, key.value)])).length) return { created: false, crime };
  const checked = checkClassification(input, crime.offenceCode);
  if ('errors' in checked) throw new Invalid(checked.errors);
  const { offence, reason } = checked.value;
  await setCrimeOffence(trx, crime.id, offence);
  const caseIds = await casesOnCrime(trx, staff.areaId, crime.id);
  // The reason may name people or circumstances: it goes on the staff-only timeline, never in the audit trail.
  await appendTimelineEvents(
    trx,
    actor,
    caseIds.map((id) => ({
      caseId: id,
      kind: 'offence_classified',
      summary: `Offence classified as ${offence.description} (${offence.code})`,
      detail: { from: crime.offenceCode, to: offence.code, reason },
      source: 'staff',
      idempotencyKey: classifiedKey(id, key.value),
      visibility: 'staff' as const,
      occurredAt: now,
    })),
  );
  for (const id of caseIds) await completeOpenTasksOfKind(trx, actor, id, CLASSIFICATION_TASK, now);
  await writeAuditMany(trx, actor, [
    { action: 'crime.offence_classified', recordType: 'crime', recordId: crime.id, detail: { from: crime.offenceCode, to: offence.code, caseId: victimCase.id } },
    ...caseIds.map((id) => ({ action: 'case.offence_classified', recordType: 'case', recordId: id, detail: { crimeId: crime.id, from: crime.offenceCode, to: offence.code } })),
  ]);
  return { created: true, crime: { ...crime, offenceCode: offence.code, offenceCategory: offence.category, offenceGroup: offence.group } };
}

/** The classification form sent by a coordinator or supervisor: classifyOffence in a transaction of its own. */
export async function submitOffenceClassification(db: Db, actor: Actor, caseId: string, form: Record<string, unknown>): Promise<{ created: boolean }> {
  const { created } = await inTransaction(db, (trx) =>
    classifyOffence(trx, actor, caseId, { offenceCode: form.offenceCode, reason: form.reason, idempotencyKey: form.submissionKey }),
  );
  return { created };
}
