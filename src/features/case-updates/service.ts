// Case updates from the agencies, by API or staff pages. Each update is stored as it arrived, keyed by its source's event
// id (a replay adds nothing), then applied to every case on its crime in the same transaction: a timeline event in plain
// words (victim-visible and notified when it is news to the victim), the crime's stage, its officer, hearings and special
// measures. An update naming no known crime is quarantined; one that breaks the expected order is flagged, kept from the
// victim, and raised as a task; both wait in the hub's review queue.
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { findOrganisation, organisationsByKind } from '../../platform/db/organisations.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { isUuid } from '../../platform/db/uuid.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { readableCase } from '../cases/agency-service.ts';
import { appendTimelineEvent } from '../cases/service.ts';
import { caseReference, canWorkOnCases } from '../cases/rules.ts';
import { noteHearingFromUpdate } from '../pre-court/service.ts';
import { isHearingType } from '../pre-court/rules.ts';
import { noteSpecialMeasuresFromUpdate } from '../special-measures/service.ts';
import { raiseTask } from '../tasks/service.ts';
import { languageOf, plainWords, type PlainUpdate } from './plain-words.ts';
import {
  appliedToCrime,
  casesOnCrime,
  findCrimeForUpdate,
  findPoliceOfficer,
  findUpdateBySource,
  findUpdateInArea,
  insertUpdateIfNew,
  lockCrime,
  lockSourceEvent,
  organisationNames,
  reviewQueue as queuedUpdates,
  setCrimeOfficer,
  setCrimeStage,
  setState,
  type CaseOnCrime,
  type CaseUpdate,
  type CrimeForUpdate,
} from './repository.ts';
import { checkDetail, furthestStage, isBehind, orderProblem, PERSONAL_NOTE_MAX, TYPE_NAMES, typesFor, UPDATE_TYPES, type CaseUpdateType, type UpdateDetail } from './rules.ts';

export type { CaseUpdate, CaseUpdateType };

/** An update as a sender gives it, already shaped (the API's zod schema, or the staff form read by the routes). */
export type IncomingUpdate = {
  sourceEventId: string;
  type: CaseUpdateType;
  crimeReference: string;
  occurredAt: Date;
  detail: Record<string, unknown>;
  personalNote?: string | null;
};

export type UpdateReceipt = { id: string; state: CaseUpdate['state']; created: boolean; cases: number; reason: string | null; receivedAt: Date };

const receiptOf = (update: CaseUpdate, created: boolean, cases: number): UpdateReceipt => ({ id: update.id, state: update.state, created, cases, reason: update.reason, receivedAt: update.receivedAt });

/**
 * Receives an update from a machine client. The sender's event id is the idempotency key: the same id again returns
 * the first receipt. Bad details throw Invalid and store nothing; an unknown crime reference is stored in quarantine.
 */
export async function receiveUpdate(db: Db, actor: Actor, input: IncomingUpdate): Promise<UpdateReceipt> {
  if (actor.kind !== 'api_client') throw new Forbidden('machine clients only');
  const { organisationId, areaId } = actor.client;
  const checked = checkDetail(input.type, input.detail);
  if ('errors' in checked) throw new Invalid(Object.fromEntries(Object.entries(checked.errors).map(([field, message]) => [`detail.${field}`, message])));
  return inTransaction(db, async (trx) => {
    await lockSourceEvent(trx, organisationId, input.sourceEventId);
    const earlier = await findUpdateBySource(trx, organisationId, input.sourceEventId);
    if (earlier) {
      await writeAudit(trx, actor, { action: 'case_update.replayed', recordType: 'case_update', recordId: earlier.id });
      return receiptOf(earlier, false, 0);
    }
    const crime = await findCrimeForUpdate(trx, areaId, input.crimeReference);
    const update: CaseUpdate = {
      id: randomUUID(), sourceOrganisationId: organisationId, sourceEventId: input.sourceEventId, areaId, type: input.type, crimeReference: input.crimeReference.trim(),
      crimeId: crime?.id ?? null, caseId: null, occurredAt: input.occurredAt, receivedAt: new Date(), detail: checked.detail, personalNote: input.personalNote?.trim() || null,
      state: 'quarantined', reason: crime ? null : `No crime with reference ${input.crimeReference.trim()} is known in this area`, reviewedAt: null, reviewNote: null,
    };
    if (!crime) {
      await insertUpdateIfNew(trx, { ...update, recordedByUserId: null });
      await writeAudit(trx, actor, { action: 'case_update.quarantined', recordType: 'case_update', recordId: update.id, detail: { type: update.type } });
      return receiptOf(update, true, 0);
    }
    const applied = await applyToCrime(trx, actor, update, crime, await casesOnCrime(trx, crime.id), { insert: true });
    return receiptOf(applied.update, true, applied.cases);
  });
}

type Applied = { update: CaseUpdate; cases: number };

/**
 * Applies an update to the cases on its crime, in the caller's transaction: stores it (insert) or records its new
 * state, appends its timeline events and sets off what follows. The crime row is locked, so updates to one crime are
 * applied one at a time and the order check sees every earlier one.
 */
async function applyToCrime(trx: Trx, actor: Actor, update: CaseUpdate, crime: CrimeForUpdate, cases: readonly CaseOnCrime[], options: { insert: boolean; confirmedBy?: string }): Promise<Applied> {
  const earlier = await appliedToCrime(trx, crime.id, update.caseId);
  const problem = options.confirmedBy ? undefined : orderProblem(update.type, earlier);
  const stored: CaseUpdate = { ...update, crimeId: crime.id, state: problem ? 'flagged' : 'applied', reason: problem ?? update.reason };
  if (options.insert) await insertUpdateIfNew(trx, { ...stored, recordedByUserId: actor.kind === 'staff' ? actor.staff.userId : null });
  else await setState(trx, stored.id, { state: stored.state, reason: stored.reason, crimeId: crime.id, ...(options.confirmedBy ? { reviewedByUserId: options.confirmedBy } : {}) });

  if (problem) {
    const hub = (await organisationsByKind(trx, [crime.areaId])).get(`${crime.areaId}:hub`);
    for (const victimCase of cases) {
      await appendTimelineEvent(trx, actor, {
        caseId: victimCase.id, kind: 'case_update_flagged', summary: `Held for review: ${TYPE_NAMES[update.type]}`, detail: { caseUpdateId: update.id, type: update.type, reason: problem },
        source: sourceOf(actor), idempotencyKey: `case-update:${update.id}:${victimCase.id}:flagged`, visibility: 'staff', occurredAt: update.occurredAt,
      });
      if (hub) await raiseTask(trx, actor, { caseId: victimCase.id, kind: 'case_update_review', title: `Review: ${TYPE_NAMES[update.type]} (${problem})`.slice(0, 200), owningOrganisationId: hub, idempotencyKey: `case-update-review:${update.id}:${victimCase.id}` });
    }
    await writeAudit(trx, actor, { action: 'case_update.flagged', recordType: 'case_update', recordId: update.id, detail: { type: update.type, cases: cases.map((c) => c.id) } });
    return { update: stored, cases: cases.length };
  }

  const definition = UPDATE_TYPES[update.type];
  const current = furthestStage(earlier);
  const currentUpdate = current ? earlier.filter((e) => e.type === current).at(-1) : undefined;
  // A late arrival (an arrest reported after the charge) is history: it goes on the timeline, but it neither moves the
  // case back nor tells the victim, as news, something that was overtaken long ago.
  const behind = isBehind(update.type, update.occurredAt, currentUpdate);
  for (const victimCase of cases) {
    const { event } = await appendTimelineEvent(trx, actor, {
      caseId: victimCase.id,
      kind: update.type,
      summary: plainWords(update.type, 'en').title,
      detail: {
        ...update.detail,
        caseUpdateId: update.id,
        ...(update.personalNote ? { personalNote: update.personalNote } : {}),
        ...(behind ? { behind: true } : {}),
        ...(definition.victimFacing && !behind ? { notifyVictim: 'update' } : {}),
      },
      source: sourceOf(actor),
      idempotencyKey: `case-update:${update.id}:${victimCase.id}`,
      visibility: definition.victimFacing ? 'victim' : 'staff',
      occurredAt: update.occurredAt,
    });
    await followOn(trx, actor, update, victimCase, event.id);
  }
  if (definition.stage !== undefined && !behind) await setCrimeStage(trx, crime.id, update.type);
  if (update.type === 'officer_assigned') {
    const email = typeof update.detail.officerEmail === 'string' ? update.detail.officerEmail : undefined;
    const userId = email ? ((await findPoliceOfficer(trx, crime.areaId, crime.policeOrganisationId, email)) ?? null) : null;
    await setCrimeOfficer(trx, crime.id, { name: String(update.detail.officerName), userId });
  }
  await writeAudit(trx, actor, { action: 'case_update.applied', recordType: 'case_update', recordId: update.id, detail: { type: update.type, behind, cases: cases.map((c) => c.id) } });
  return { update: stored, cases: cases.length };
}

/** What else an update sets in motion on a case: the hearing row for the review and calendar, the special measures record. */
async function followOn(trx: Trx, actor: Actor, update: CaseUpdate, victimCase: CaseOnCrime, eventId: number): Promise<void> {
  const detail = update.detail;
  if ((update.type === 'hearing_listed' || update.type === 'hearing_moved') && typeof detail.hearingAt === 'string' && isHearingType(detail.hearingType)) {
    await noteHearingFromUpdate(trx, {
      caseId: victimCase.id, areaId: victimCase.areaId, hearingAt: new Date(detail.hearingAt), courtName: String(detail.courtName), hearingType: detail.hearingType,
      timelineEventId: eventId, sourceKey: `update:${update.id}`,
    });
  }
  if (update.type === 'special_measures_application' || update.type === 'special_measures_outcome') {
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
    const granted = list(detail.granted);
    const refused = list(detail.refused);
    await noteSpecialMeasuresFromUpdate(trx, actor, victimCase.id, {
      kind: update.type === 'special_measures_application' ? 'application' : 'outcome',
      measures: update.type === 'special_measures_application' ? list(detail.measures) : [...granted, ...refused],
      granted,
      refused,
      occurredAt: update.occurredAt,
      sourceKey: update.id,
    });
  }
}

const sourceOf = (actor: Actor): string => (actor.kind === 'api_client' ? 'agency_api' : actor.kind === 'staff' ? 'staff' : 'system');

// --- Staff pages: posting an update on one case ---

export type UpdateForm = { type?: unknown; personalNote?: unknown; submissionKey?: unknown; [field: string]: unknown };
export type PostingContext = { caseId: string; reference: string; crimeReference: string | null; types: CaseUpdateType[]; access: string };
export type Preview = PostingContext & { type: CaseUpdateType; detail: UpdateDetail; personalNote: string | null; english: PlainUpdate; welsh: PlainUpdate; victimLanguage: 'en' | 'cy'; victimFacing: boolean };

/** Who may post on the case, and which updates: the police officer of its crime, witness care and probation of its area, and the hub. */
async function postingContext(trx: Trx, actor: Actor, caseId: string): Promise<PostingContext & { staff: StaffIdentity; crimeId: string | null; language: 'en' | 'cy' }> {
  const found = await readableCase(trx, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  const kind = actor.staff.organisationKind ?? (await findOrganisation(trx, actor.staff.organisationId))?.kind ?? '';
  // Special measures have their own pages, which keep the fuller record (features/special-measures).
  const types = typesFor(kind).filter((type) => !type.startsWith('special_measures_'));
  if (!found.crime || !types.length) throw new NotFound('case');
  return {
    caseId: found.case.id, reference: caseReference(found.case.id), crimeReference: found.crime.crimeReference, types, access: found.access, staff: actor.staff,
    crimeId: found.crime.id, language: languageOf(found.person.preferredLanguage),
  };
}

/** The templates the member of staff may post on the case; audited as a view of the case. */
export async function getUpdateTemplates(db: Db, actor: Actor, caseId: string): Promise<PostingContext> {
  return inTransaction(db, async (trx) => {
    const { caseId: id, reference, crimeReference, types, access } = await postingContext(trx, actor, caseId);
    await writeAudit(trx, actor, { action: 'case_update.templates_viewed', recordType: 'case', recordId: id });
    return { caseId: id, reference, crimeReference, types, access };
  });
}

/** Checks the form and shows the update exactly as the victim will read it, in English and Welsh, before it is published. */
export async function previewUpdate(db: Db, actor: Actor, caseId: string, form: UpdateForm): Promise<Preview> {
  return inTransaction(db, async (trx) => {
    const context = await postingContext(trx, actor, caseId);
    const checked = checkForm(context.types, form);
    await writeAudit(trx, actor, { action: 'case_update.previewed', recordType: 'case', recordId: context.caseId });
    const { type, detail, personalNote } = checked;
    const { reference, crimeReference, types, access, language } = context;
    return {
      caseId: context.caseId, reference, crimeReference, types, access, type, detail, personalNote, victimLanguage: language, victimFacing: UPDATE_TYPES[type].victimFacing,
      english: plainWords(type, 'en', detail, personalNote), welsh: plainWords(type, 'cy', detail, personalNote),
    };
  });
}

function checkForm(types: readonly CaseUpdateType[], form: UpdateForm): { type: CaseUpdateType; detail: UpdateDetail; personalNote: string | null } {
  const type = form.type;
  if (typeof type !== 'string' || !(types as readonly string[]).includes(type)) throw new Invalid({ type: 'Select the update to give' });
  const errors: Record<string, string> = {};
  const checked = checkDetail(type as CaseUpdateType, form);
  if ('errors' in checked) Object.assign(errors, checked.errors);
  const note = typeof form.personalNote === 'string' ? form.personalNote.trim().replace(/\r\n/g, '\n') : '';
  if (note.length > PERSONAL_NOTE_MAX) errors.personalNote = `Your note must be ${PERSONAL_NOTE_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (Object.keys(errors).length || 'errors' in checked) throw new Invalid(errors);
  return { type: type as CaseUpdateType, detail: checked.detail, personalNote: note || null };
}

/**
 * Publishes an update a member of staff checked on the preview: to this case only, happening now. The form's hidden
 * submission key is the idempotency key, so sending the form twice publishes once.
 */
export async function postUpdate(db: Db, actor: Actor, caseId: string, form: UpdateForm, now = new Date()): Promise<{ state: CaseUpdate['state']; created: boolean }> {
  if (!isUuid(form.submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Start the update again' });
  const submissionKey = form.submissionKey;
  return inTransaction(db, async (trx) => {
    const context = await postingContext(trx, actor, caseId);
    await lockSourceEvent(trx, context.staff.organisationId, submissionKey);
    const earlier = await findUpdateBySource(trx, context.staff.organisationId, submissionKey);
    if (earlier) return { state: earlier.state, created: false };
    const { type, detail, personalNote } = checkForm(context.types, form);
    const crime = await lockCrime(trx, context.crimeId as string);
    if (!crime) throw new NotFound('case');
    const update: CaseUpdate = {
      id: randomUUID(), sourceOrganisationId: context.staff.organisationId, sourceEventId: submissionKey, areaId: crime.areaId, type, crimeReference: context.crimeReference,
      crimeId: crime.id, caseId: context.caseId, occurredAt: now, receivedAt: now, detail, personalNote, state: 'applied', reason: null, reviewedAt: null, reviewNote: null,
    };
    const [victimCase] = (await casesOnCrime(trx, crime.id)).filter((c) => c.id === context.caseId);
    if (!victimCase) throw new NotFound('case');
    const applied = await applyToCrime(trx, actor, update, crime, [victimCase], { insert: true });
    return { state: applied.update.state, created: true };
  });
}

// --- The hub's review queue ---

async function requireHubReviewer(trx: Trx, actor: Actor): Promise<StaffIdentity> {
  if (actor.kind !== 'staff' || !canWorkOnCases(actor.staff.role)) throw new Forbidden('hub coordinators and supervisors only');
  const organisation = actor.staff.organisationKind ? { kind: actor.staff.organisationKind, areaId: actor.staff.areaId } : await findOrganisation(trx, actor.staff.organisationId);
  if (organisation?.kind !== 'hub' || organisation.areaId !== actor.staff.areaId) throw new Forbidden('hub coordinators and supervisors only');
  return actor.staff;
}

export type QueuedUpdate = CaseUpdate & { typeName: string; senderName: string };
const REVIEW_PAGE = 100;

/** Updates in the area waiting for a person, oldest first, with who sent them. */
export async function getReviewQueue(db: Db, actor: Actor): Promise<QueuedUpdate[]> {
  return inTransaction(db, async (trx) => {
    const staff = await requireHubReviewer(trx, actor);
    const updates = await queuedUpdates(trx, staff.areaId, REVIEW_PAGE);
    const names = await organisationNames(trx, updates.map((update) => update.sourceOrganisationId));
    await writeAudit(trx, actor, { action: 'case_update.queue_viewed', recordType: 'case_update', detail: { updates: updates.map((update) => update.id) } });
    return updates.map((update) => ({ ...update, typeName: TYPE_NAMES[update.type], senderName: names.get(update.sourceOrganisationId) ?? 'Unknown sender' }));
  });
}

/** One queued update, for its review page. */
export async function getQueuedUpdate(db: Db, actor: Actor, updateId: string): Promise<QueuedUpdate & { english: PlainUpdate }> {
  return inTransaction(db, async (trx) => {
    const staff = await requireHubReviewer(trx, actor).catch(() => { throw new NotFound('update'); });
    const update = isUuid(updateId) ? await findUpdateInArea(trx, staff.areaId, updateId) : undefined;
    if (!update) throw new NotFound('update');
    const names = await organisationNames(trx, [update.sourceOrganisationId]);
    await writeAudit(trx, actor, { action: 'case_update.viewed', recordType: 'case_update', recordId: update.id });
    return { ...update, typeName: TYPE_NAMES[update.type], senderName: names.get(update.sourceOrganisationId) ?? 'Unknown sender', english: plainWords(update.type, 'en', update.detail, update.personalNote) };
  });
}

async function queuedForAction(trx: Trx, actor: Actor, updateId: string, states: readonly CaseUpdate['state'][]): Promise<{ staff: StaffIdentity; update: CaseUpdate }> {
  const staff = await requireHubReviewer(trx, actor).catch(() => { throw new NotFound('update'); });
  const update = isUuid(updateId) ? await findUpdateInArea(trx, staff.areaId, updateId, true) : undefined;
  if (!update) throw new NotFound('update');
  if (!states.includes(update.state)) throw new Invalid({ action: 'This update has already been dealt with' });
  return { staff, update };
}

/** Attaches a quarantined update to the crime the reviewer names, and applies it as if it had named that crime. */
export async function attachToCrime(db: Db, actor: Actor, updateId: string, input: { crimeReference?: unknown }): Promise<UpdateReceipt> {
  return inTransaction(db, async (trx) => {
    const { update } = await queuedForAction(trx, actor, updateId, ['quarantined']);
    const reference = typeof input.crimeReference === 'string' ? input.crimeReference.trim() : '';
    if (!reference) throw new Invalid({ crimeReference: 'Enter the crime reference this update is about' });
    const crime = await findCrimeForUpdate(trx, update.areaId, reference);
    if (!crime) throw new Invalid({ crimeReference: 'No crime with this reference is known in this area. Check it and try again' });
    const applied = await applyToCrime(trx, actor, { ...update, crimeReference: reference, reason: null }, crime, await casesOnCrime(trx, crime.id), { insert: false });
    await writeAudit(trx, actor, { action: 'case_update.attached', recordType: 'case_update', recordId: update.id, detail: { crimeId: crime.id } });
    return receiptOf(applied.update, false, applied.cases);
  });
}

/** Confirms a flagged update after checking it with its sender: it is then applied and the victim told, as any other. */
export async function confirmFlagged(db: Db, actor: Actor, updateId: string): Promise<UpdateReceipt> {
  return inTransaction(db, async (trx) => {
    const { staff, update } = await queuedForAction(trx, actor, updateId, ['flagged']);
    const crime = update.crimeId ? await lockCrime(trx, update.crimeId) : undefined;
    if (!crime) throw new NotFound('update');
    const cases = update.caseId ? (await casesOnCrime(trx, crime.id)).filter((c) => c.id === update.caseId) : await casesOnCrime(trx, crime.id);
    const applied = await applyToCrime(trx, actor, { ...update, reason: null }, crime, cases, { insert: false, confirmedBy: staff.userId });
    await writeAudit(trx, actor, { action: 'case_update.confirmed', recordType: 'case_update', recordId: update.id });
    return receiptOf(applied.update, false, applied.cases);
  });
}

/** Sets aside a quarantined or flagged update, with the reason; it stays on record and never reaches the victim. */
export async function dismissUpdate(db: Db, actor: Actor, updateId: string, input: { reason?: unknown }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { staff, update } = await queuedForAction(trx, actor, updateId, ['quarantined', 'flagged']);
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason.length < 5) throw new Invalid({ reason: 'Say why this update is set aside' });
    if (reason.length > 1000) throw new Invalid({ reason: 'The reason must be 1,000 characters or fewer' });
    await setState(trx, update.id, { state: 'dismissed', reviewedByUserId: staff.userId, reviewNote: reason });
    await writeAudit(trx, actor, { action: 'case_update.dismissed', recordType: 'case_update', recordId: update.id });
  });
}
