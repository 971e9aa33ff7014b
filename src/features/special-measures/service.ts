// Use-cases for special measures and getting ready for court: the case's page (eligibility and measures to consider,
// the victim's wishes, the application and the court's decisions, alternative arrangements, the court visit and the
// expenses information, with their history), the forms that add to its ledger, the same facts arriving by case update,
// and a hearing's calendar file. Hub coordinators and supervisors of the area, and witness care officers of the area,
// may; anyone else finds nothing (NotFound). Every read and write is audited.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import type { SpecialMeasuresRecordKind } from '../../platform/db/schema.ts';
import { Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { londonDateOf, startOfLondonDay } from '../../platform/time/london.ts';
import { readableCase, type AgencyCase } from '../cases/agency-service.ts';
import { appendTimelineEvent } from '../cases/service.ts';
// Pure rules (no I/O): pages name a case by the same short reference everywhere.
import { caseReference } from '../cases/rules.ts';
// A pure rule (no I/O): hearing types are named as the hearings page names them.
import { HEARING_TYPE_NAMES, type SpecialMeasuresReview } from '../pre-court/rules.ts';
import { hearingsOfCase, specialMeasuresReviewOf, type Hearing } from '../pre-court/service.ts';
import { hearingCalendar } from './calendar.ts';
import { insertLedgerEntryIfNew, ledgerKeyExists, listLedger } from './repository.ts';
import {
  OUTCOME_SUMMARY,
  appliedFor,
  applicationSummary,
  checkAlternative,
  checkApplication,
  checkExpenses,
  checkOutcome,
  checkVisit,
  checkWishes,
  foldLedger,
  isUuid,
  knownMeasures,
  outcomeEventDetail,
  type ApplicationDetail,
  type Checked,
  type LedgerEntry,
  type OutcomeDetail,
  type SpecialMeasuresStatus,
} from './rules.ts';

export type { SpecialMeasuresStatus };

const RECORD = 'case';

/** The case, if this actor may work on its special measures: the hub of its area, or witness care of its area. */
async function authorised(trx: Trx, actor: Actor, caseId: string, options: { forUpdate?: boolean } = {}): Promise<AgencyCase & { userId: string }> {
  const found = await readableCase(trx, actor, caseId, options);
  if ((found.access !== 'hub' && found.access !== 'witness_care') || actor.kind !== 'staff') throw new NotFound('case');
  return { ...found, userId: actor.staff.userId };
}

const personNameOf = (found: AgencyCase) => [found.person.givenName, found.person.familyName].filter(Boolean).join(' ');

// --- The page ---

export type SpecialMeasuresPage = {
  caseId: string;
  reference: string;
  personName: string;
  access: 'hub' | 'witness_care';
  nextHearing: Hearing | null;
  review: SpecialMeasuresReview;
  needs: string[];
  status: SpecialMeasuresStatus;
  /** Newest first. */
  history: LedgerEntry[];
};

/**
 * Everything on the case's special measures page. Eligibility is counted at the next hearing (age for special measures
 * is the age on the day), or today when none is listed.
 */
export async function getSpecialMeasuresPage(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<SpecialMeasuresPage> {
  return inTransaction(db, async (trx) => {
    const found = await authorised(trx, actor, caseId);
    const startOfToday = startOfLondonDay(londonDateOf(now));
    const nextHearing = (await hearingsOfCase(trx, found.case.id)).find((hearing) => hearing.hearingAt >= startOfToday) ?? null;
    const { review, needs } = await specialMeasuresReviewOf(trx, {
      caseId: found.case.id,
      role: found.case.role,
      dateOfBirth: found.person.dateOfBirth,
      offence: found.crime ? { code: found.crime.offenceCode, category: found.crime.offenceCategory, group: found.crime.offenceGroup } : null,
      hearingDate: londonDateOf(nextHearing?.hearingAt ?? now),
    });
    const ledger = await listLedger(trx, found.case.id);
    await writeAudit(trx, actor, { action: 'special_measures.viewed', recordType: RECORD, recordId: found.case.id, detail: { access: found.access, entries: ledger.length } });
    return {
      caseId: found.case.id,
      reference: caseReference(found.case.id),
      personName: personNameOf(found),
      access: found.access as 'hub' | 'witness_care',
      nextHearing,
      review,
      needs,
      status: foldLedger(ledger),
      history: [...ledger].reverse(),
    };
  });
}

export const FORM_KINDS = ['wishes', 'application', 'outcome', 'alternative_arrangements', 'familiarisation_visit', 'expenses_information'] as const satisfies readonly SpecialMeasuresRecordKind[];
export type FormKind = (typeof FORM_KINDS)[number];

export type SpecialMeasuresForm = { caseId: string; reference: string; personName: string; submissionKey: string; status: SpecialMeasuresStatus };

/** What a form needs: where things stand (to fill it in) and a fresh submission key, so a double submit records once. */
export async function getSpecialMeasuresForm(db: Db, actor: Actor, caseId: string, kind: FormKind): Promise<SpecialMeasuresForm> {
  return inTransaction(db, async (trx) => {
    const found = await authorised(trx, actor, caseId);
    const status = foldLedger(await listLedger(trx, found.case.id));
    await writeAudit(trx, actor, { action: 'special_measures.form_viewed', recordType: RECORD, recordId: found.case.id, detail: { kind } });
    return { caseId: found.case.id, reference: caseReference(found.case.id), personName: personNameOf(found), submissionKey: randomUUID(), status };
  });
}

// --- Recording from a form ---

function checkForm(kind: FormKind, form: Record<string, unknown>, status: SpecialMeasuresStatus, now: Date): Checked<Record<string, unknown>> {
  const today = londonDateOf(now);
  switch (kind) {
    case 'wishes':
      return checkWishes(form);
    case 'application':
      return checkApplication(form, today);
    case 'outcome':
      return checkOutcome(form, appliedFor(status), today);
    case 'alternative_arrangements':
      return checkAlternative(form);
    case 'familiarisation_visit':
      return checkVisit(form, today);
    case 'expenses_information':
      return checkExpenses(form, today);
  }
}

/**
 * Adds one entry to the case's ledger from a form, in one transaction with its audit row and, for an application, the
 * staff-only 'special_measures_applied' timeline event, or for the court's decision, the victim-visible
 * 'special_measures_outcome' event that calls for the victim to be told (detail.notifyVictim 'update'; the court's
 * reasons stay with staff, who explain them). The same submission key records nothing more (created: false). The case
 * row is locked, so two decisions sent at once are checked one after the other against what was applied for.
 */
export async function recordSpecialMeasures(
  db: Db,
  actor: Actor,
  caseId: string,
  kind: FormKind,
  form: Record<string, unknown>,
  now = new Date(),
): Promise<{ created: boolean }> {
  return inTransaction(db, async (trx) => {
    const found = await authorised(trx, actor, caseId, { forUpdate: true });
    const submissionKey = form.submissionKey;
    if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the details' });
    const key = `form:${submissionKey}`;
    if (await ledgerKeyExists(trx, found.case.id, key)) return { created: false };
    const status = foldLedger(await listLedger(trx, found.case.id));
    const checked = checkForm(kind, form, status, now);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const entryId = await insertLedgerEntryIfNew(trx, {
      caseId: found.case.id,
      kind,
      detail: checked.value,
      occurredAt: now,
      source: 'staff',
      idempotencyKey: key,
      recordedByUserId: found.userId,
    });
    // The same form sent at the same moment: the case lock makes the second wait, then find the first's key above.
    if (entryId === undefined) return { created: false };
    const eventId = await timelineEventFor(trx, actor, found.case.id, kind, checked.value, submissionKey, now);
    await writeAudit(trx, actor, { action: 'special_measures.recorded', recordType: RECORD, recordId: found.case.id, detail: { kind, entryId, access: found.access, ...(eventId ? { eventId } : {}) } });
    return { created: true };
  });
}

async function timelineEventFor(trx: Trx, actor: Actor, caseId: string, kind: FormKind, detail: Record<string, unknown>, submissionKey: string, now: Date): Promise<number | undefined> {
  if (kind === 'application') {
    const { measures } = detail as ApplicationDetail;
    const { event } = await appendTimelineEvent(trx, actor, {
      caseId,
      kind: 'special_measures_applied',
      summary: applicationSummary(measures),
      detail: { measures },
      source: 'staff',
      idempotencyKey: `special-measures-applied:${caseId}:${submissionKey}`,
      visibility: 'staff',
      occurredAt: now,
    });
    return event.id;
  }
  if (kind === 'outcome') {
    const { decisions } = detail as OutcomeDetail;
    const { event } = await appendTimelineEvent(trx, actor, {
      caseId,
      kind: 'special_measures_outcome',
      summary: OUTCOME_SUMMARY,
      detail: outcomeEventDetail(decisions),
      source: 'staff',
      idempotencyKey: `special-measures-outcome:${caseId}:${submissionKey}`,
      visibility: 'victim',
      occurredAt: now,
    });
    return event.id;
  }
  return undefined;
}

// --- The same facts from a case update (features/case-updates) ---

export type SpecialMeasuresUpdate = { kind: 'application' | 'outcome'; measures: string[]; granted?: string[]; refused?: string[]; occurredAt: Date; sourceKey: string };

/**
 * Records an application or the court's decision that arrived as a case update, inside the caller's transaction (the
 * caller has authorised the sender and appends its own timeline event, so none is added here). Idempotent on the
 * source key; measure codes Haven does not know are ignored, and an update naming none it knows records nothing.
 */
export async function noteSpecialMeasuresFromUpdate(trx: Trx, actor: Actor, caseId: string, update: SpecialMeasuresUpdate): Promise<void> {
  const key = `update:${update.sourceKey}`;
  const on = londonDateOf(update.occurredAt);
  let detail: ApplicationDetail | OutcomeDetail;
  if (update.kind === 'application') {
    const measures = knownMeasures([...update.measures, ...(update.granted ?? []), ...(update.refused ?? [])]);
    if (!measures.length) return;
    detail = { measures, appliedOn: on };
  } else {
    const granted = knownMeasures(update.granted ?? []);
    // A measure named as both granted and refused is read as granted: the court's latest word is a grant in practice.
    const refused = knownMeasures(update.refused ?? []).filter((measure) => !granted.includes(measure));
    const decisions: OutcomeDetail['decisions'] = [
      ...granted.map((measure) => ({ measure, decision: 'granted' as const, reason: null })),
      ...refused.map((measure) => ({ measure, decision: 'refused' as const, reason: null })),
    ];
    if (!decisions.length) return;
    detail = { decisions, decidedOn: on };
  }
  const entryId = await insertLedgerEntryIfNew(trx, {
    caseId,
    kind: update.kind,
    detail,
    occurredAt: update.occurredAt,
    source: 'case_update',
    idempotencyKey: key,
    recordedByUserId: actor.kind === 'staff' ? actor.staff.userId : null,
  });
  if (entryId !== undefined) {
    await writeAudit(trx, actor, { action: 'special_measures.recorded', recordType: RECORD, recordId: caseId, detail: { kind: update.kind, entryId, source: 'case_update' } });
  }
}

/** Where a case's special measures stand, unaudited: for the pre-court review, which audits its own list. */
export async function specialMeasuresStatusOf(trx: Trx, caseId: string): Promise<SpecialMeasuresStatus> {
  return foldLedger(await listLedger(trx, caseId));
}

// --- A hearing's calendar file ---

/**
 * The .ics text for one hearing of a case, or undefined when the case has no such hearing. Unaudited, for a caller that
 * has authorised the reader and audits the download: staff below, and the victim's own pages when they come.
 */
export async function calendarForHearing(trx: Trx, caseId: string, hearingId: string, now = new Date()): Promise<string | undefined> {
  if (!isUuid(hearingId)) return undefined;
  const hearing = (await hearingsOfCase(trx, caseId)).find((item) => item.id === hearingId);
  if (!hearing) return undefined;
  return hearingCalendar({ id: hearing.id, hearingAt: hearing.hearingAt, courtName: hearing.courtName, hearingTypeName: HEARING_TYPE_NAMES[hearing.hearingType] }, now);
}

/** A hearing's calendar file for staff who may work on the case's special measures; the download is audited. */
export async function getHearingCalendar(db: Db, actor: Actor, caseId: string, hearingId: string, now = new Date()): Promise<string> {
  return inTransaction(db, async (trx) => {
    const found = await authorised(trx, actor, caseId);
    const ics = await calendarForHearing(trx, found.case.id, hearingId, now);
    if (ics === undefined) throw new NotFound('hearing');
    await writeAudit(trx, actor, { action: 'hearing.calendar_downloaded', recordType: RECORD, recordId: found.case.id, detail: { hearingId, access: found.access } });
    return ics;
  });
}
