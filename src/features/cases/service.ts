// Use-cases for crimes, cases and the case timeline. findOrCreateCrime, openCase and appendTimelineEvent take the
// caller's transaction, because intake composes them with creating or matching a person; the others are whole
// use-cases for hub staff: they authorise, run in one transaction and write their audit and timeline rows.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import type { SupportConsent, TimelineVisibility } from '../../platform/db/schema.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { personById as findPersonById, personInArea, todayInLondon, type Person } from '../people/service.ts';
import {
  CASE_SOURCE_NAMES,
  CASE_STATUS_NAMES,
  canWorkOnCases,
  checkCrime,
  checkStatusChange,
  isCaseRole,
  isCaseSource,
  isUuid,
  type CaseRole,
  type CaseSource,
  type CaseStatus,
  type CrimeInput,
} from './rules.ts';
import {
  crimeAreaOf,
  findCase,
  findCaseBySourceReference,
  findCaseForPersonAndCrime,
  findCrimeByReference,
  findEventByKey,
  findOrganisation,
  findStaffMember,
  insertCase,
  insertCrimeIfNew,
  insertEventIfNew,
  listEvents,
  setCoordinator,
  setStatus,
  type Crime,
  type TimelineEvent,
  type VictimCase,
} from './repository.ts';

export type { Crime, CrimeInput, TimelineEvent, VictimCase };

const actorUserId = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.staff.userId : null);

/** The crime with this reference in the area, created from `input` when the area has none yet. */
export async function findOrCreateCrime(trx: Trx, actor: Actor, input: CrimeInput): Promise<{ crime: Crime; created: boolean }> {
  const checked = checkCrime(input, todayInLondon());
  if ('errors' in checked) throw new Invalid(checked.errors);
  const existing = await findCrimeByReference(trx, checked.value.areaId, checked.value.crimeReference);
  if (existing) return { crime: existing, created: false };
  // Another transaction may create the same reference meanwhile; the unique key decides and both read the winner.
  const created = await insertCrimeIfNew(trx, checked.value);
  const crime = await findCrimeByReference(trx, checked.value.areaId, checked.value.crimeReference);
  if (!crime) throw new Error('The crime just created could not be read back');
  if (created) {
    await writeAudit(trx, actor, {
      action: 'crime.created',
      recordType: 'crime',
      recordId: crime.id,
      detail: { offenceCode: crime.offenceCode },
    });
  }
  return { crime, created };
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
  const errors: Record<string, string> = {};
  if (!isCaseRole(input.role)) errors.role = 'Select the person’s role in the crime';
  if (!isCaseSource(input.source)) errors.source = 'The referral’s source is not known';
  const sourceReference = input.sourceReference?.trim() || null;
  const referringOrganisationId = input.referringOrganisationId ?? null;
  if (Object.keys(errors).length) throw new Invalid(errors);

  if (sourceReference) {
    const replay = await findCaseBySourceReference(trx, input.source, referringOrganisationId, sourceReference);
    if (replay) return { case: replay, created: false };
  }
  const person = await personById(trx, input.personId);
  if (input.crimeId !== null) {
    const crimeArea = isUuid(input.crimeId) ? await crimeAreaOf(trx, input.crimeId) : undefined;
    if (!crimeArea) throw new NotFound('crime');
    if (crimeArea !== person.areaId) throw new Invalid({ crimeId: 'The crime and the person are in different areas' });
    if (await findCaseForPersonAndCrime(trx, person.id, input.crimeId)) {
      throw new Conflict('This person already has a case for this crime');
    }
  }
  const victimCase = await insertCase(trx, {
    personId: person.id,
    crimeId: input.crimeId,
    areaId: person.areaId,
    role: input.role,
    source: input.source,
    sourceReference,
    referringOrganisationId,
    supportConsent: input.supportConsent ?? 'not_asked',
  });
  await writeAudit(trx, actor, {
    action: 'case.opened',
    recordType: 'case',
    recordId: victimCase.id,
    detail: { source: victimCase.source, role: victimCase.role, withCrime: victimCase.crimeId !== null },
  });
  await appendTimelineEvent(trx, actor, {
    caseId: victimCase.id,
    kind: 'referral_received',
    summary: `Referral received (${CASE_SOURCE_NAMES[victimCase.source].toLowerCase()})`,
    source: victimCase.source,
    idempotencyKey: `case:${victimCase.id}:referral_received`,
    visibility: 'victim',
    occurredAt: input.receivedAt ?? new Date(),
  });
  return { case: victimCase, created: true };
}

// openCase is reached by doors that name a person they have just created or matched, in whichever area it is.
async function personById(trx: Trx, personId: string): Promise<Person> {
  const person = isUuid(personId) ? await findPersonById(trx, personId) : undefined;
  if (!person) throw new NotFound('person');
  return person;
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
  const errors: Record<string, string> = {};
  if (!input.idempotencyKey?.trim()) errors.idempotencyKey = 'Every event needs an idempotency key';
  if (!input.kind?.trim()) errors.kind = 'Every event needs a kind';
  if (!input.summary?.trim()) errors.summary = 'Every event needs a summary';
  if (input.visibility !== 'victim' && input.visibility !== 'staff') errors.visibility = 'Say who may see the event';
  if (Number.isNaN(input.occurredAt?.getTime())) errors.occurredAt = 'Say when the event happened';
  if (Object.keys(errors).length) throw new Invalid(errors);
  const inserted = await insertEventIfNew(trx, {
    caseId: input.caseId,
    kind: input.kind.trim(),
    summary: input.summary.trim(),
    detail: input.detail ?? {},
    source: input.source,
    idempotencyKey: input.idempotencyKey,
    visibility: input.visibility,
    occurredAt: input.occurredAt,
    recordedByUserId: actorUserId(actor),
  });
  if (!inserted) {
    const existing = await findEventByKey(trx, input.idempotencyKey);
    if (!existing) throw new Error('An event with this idempotency key exists but could not be read');
    if (existing.caseId !== input.caseId) throw new Conflict('This idempotency key belongs to an event on another case');
    return { event: existing, created: false };
  }
  await writeAudit(trx, actor, {
    action: 'timeline_event.appended',
    recordType: 'case',
    recordId: input.caseId,
    detail: { eventId: inserted.id, kind: inserted.kind, visibility: inserted.visibility },
  });
  return { event: inserted, created: true };
}

/** Hub coordinators and supervisors may work on cases in their own area; anyone else is refused. */
async function requireCaseWorker(trx: Trx, actor: Actor): Promise<StaffIdentity> {
  if (actor.kind !== 'staff' || !canWorkOnCases(actor.staff.role)) throw new Forbidden('hub coordinators and supervisors only');
  const organisation = await findOrganisation(trx, actor.staff.organisationId);
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
    const assignee = isUuid(userId) ? await findStaffMember(trx, userId) : undefined;
    if (!assignee || assignee.organisationId !== staff.organisationId || assignee.role !== 'coordinator' || assignee.status !== 'active') {
      throw new Invalid({ coordinator: 'Select an active coordinator in your hub' });
    }
    // Sending the form twice changes nothing the second time.
    if (victimCase.coordinatorUserId === assignee.id) return victimCase;
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
    return { ...victimCase, coordinatorUserId: assignee.id };
  });
}

export async function changeCaseStatus(db: Db, actor: Actor, caseId: string, status: CaseStatus, reason?: string): Promise<VictimCase> {
  return inTransaction(db, async (trx) => {
    const staff = await requireCaseWorker(trx, actor);
    const victimCase = await caseInArea(trx, staff, caseId, true);
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
  });
}
