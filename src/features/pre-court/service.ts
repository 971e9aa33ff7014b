// Use-cases for hearings and the pre-court review: record a hearing on a case (with the 'hearing_listed' timeline event
// that starts the Code clock's hearing_update duty), read a case's hearings, and list the area's high-risk cases with a
// hearing within the horizon, with their needs and the special measures to consider. Only hub coordinators and
// supervisors of the area may; every read and write is audited.
import { findOrganisation } from '../../platform/db/organisations.ts';
import { randomUUID } from 'node:crypto';
import type { Actor, StaffIdentity } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import type { CalendarDate } from '../../platform/time/calendar-date.ts';
import { londonDateOf } from '../../platform/time/london.ts';
import { latestAssessment } from '../assessment/service.ts';
import { appendTimelineEvent, caseFacts, getCaseForStaff, type VictimCase } from '../cases/service.ts';
// Pure rules (no I/O): pages name a case by the same short reference everywhere, and only case workers may list cases.
import { canWorkOnCases, caseReference } from '../cases/rules.ts';
import { currentEntitlements } from '../entitlements/service.ts';
import { specialMeasuresStatusOf, type SpecialMeasuresStatus } from '../special-measures/service.ts';
import {
  areaHorizon,
  findHearingBySubmission,
  insertHearingIfNew,
  listHearings,
  nextHearingsInArea,
  saveAreaHorizon,
  type Hearing,
  type UpcomingHearing,
} from './repository.ts';
import {
  areaHorizonDays,
  checkHearing,
  checkHorizonDays,
  hearingText,
  horizonWindow,
  isUuid,
  parseHorizon,
  qualifyingReasons,
  reviewSpecialMeasures,
  victimNeeds,
  type HearingForm,
  type HearingType,
  type QualifyingReason,
  type ReviewFacts,
  type SpecialMeasuresReview,
} from './rules.ts';

export type { Hearing };

const RECORD = 'case';
/** More hearings than this in one area's window is more than a review list can show; the page says so. */
const CANDIDATE_LIMIT = 500;

// --- Recording a hearing on a case ---

type AuthorisedCase = { case: VictimCase; reference: string; personName: string; staff: StaffIdentity };

/**
 * The case, if this actor may work on it: the cases service decides (and audits the read of the case), as for the care
 * plan. It reads in its own transaction, so this is called before ours opens; a case never changes area.
 */
async function authorisedCase(db: Db, actor: Actor, caseId: string): Promise<AuthorisedCase> {
  const found = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  const personName = [found.person.givenName, found.person.familyName].filter(Boolean).join(' ');
  return { case: found.case, reference: caseReference(found.case.id), personName, staff: actor.staff };
}

export type CaseHearingsPage = { caseId: string; reference: string; personName: string; hearings: Hearing[] };

export async function getCaseHearings(db: Db, actor: Actor, caseId: string): Promise<CaseHearingsPage> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const hearings = await listHearings(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'hearings.viewed', recordType: RECORD, recordId: victimCase.id, detail: { hearingCount: hearings.length } });
    return { caseId: victimCase.id, reference, personName, hearings };
  });
}

export type HearingFormPage = { caseId: string; reference: string; personName: string; submissionKey: string };

/** What the form needs: a fresh submission key, so sending the form twice records one hearing. */
export async function getHearingForm(db: Db, actor: Actor, caseId: string): Promise<HearingFormPage> {
  const { case: victimCase, reference, personName } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    await writeAudit(trx, actor, { action: 'hearing.form_viewed', recordType: RECORD, recordId: victimCase.id });
    return { caseId: victimCase.id, reference, personName, submissionKey: randomUUID() };
  });
}

/**
 * Records a hearing: the victim-visible 'hearing_listed' timeline event (which the Code clock reads, starting the duty
 * to tell the victim the date, time and place within its working days of now, when Haven learnt of it), the hearing row
 * naming that event, and the audit event, in one transaction. The same submission key returns the hearing it recorded
 * before (created: false). Bad input throws Invalid and stores nothing.
 */
export async function recordHearing(
  db: Db,
  actor: Actor,
  caseId: string,
  form: HearingForm & { submissionKey?: unknown },
  now = new Date(),
): Promise<{ hearingId: string; created: boolean }> {
  const { case: victimCase, staff } = await authorisedCase(db, actor, caseId);
  const submissionKey = form.submissionKey;
  if (!isUuid(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched. Open the form again and re-enter the hearing' });
  return inTransaction(db, async (trx) => {
    const replay = await findHearingBySubmission(trx, victimCase.id, submissionKey);
    if (replay) return { hearingId: replay.id, created: false };
    const checked = checkHearing(form, now);
    if ('errors' in checked) throw new Invalid(checked.errors);
    const hearing = checked.value;
    const hearingId = randomUUID();
    const { event } = await appendTimelineEvent(trx, actor, {
      caseId: victimCase.id,
      kind: 'hearing_listed',
      summary: `Hearing listed: ${hearingText(hearing)}`,
      detail: { hearingId, hearingAt: hearing.hearingAt.toISOString(), courtName: hearing.courtName, hearingType: hearing.hearingType },
      source: 'staff',
      idempotencyKey: `hearing:${victimCase.id}:${submissionKey}`,
      // Right 8: the victim is entitled to the date, time and place, so their timeline shows it.
      visibility: 'victim',
      occurredAt: now,
    });
    const inserted = await insertHearingIfNew(trx, {
      ...hearing,
      id: hearingId,
      caseId: victimCase.id,
      areaId: victimCase.areaId,
      timelineEventId: event.id,
      submissionKey,
      recordedByUserId: staff.userId,
    });
    if (!inserted) {
      // The same form sent at the same moment: the unique key let the other one in, so this is its replay.
      const raced = await findHearingBySubmission(trx, victimCase.id, submissionKey);
      if (raced) return { hearingId: raced.id, created: false };
      throw new Error('A hearing was refused as a repeat but could not be found');
    }
    await writeAudit(trx, actor, {
      action: 'hearing.recorded',
      recordType: RECORD,
      recordId: victimCase.id,
      detail: { hearingId, hearingType: hearing.hearingType, eventId: event.id },
    });
    return { hearingId, created: true };
  });
}

// --- The pre-court review list ---

/** Hub coordinators and supervisors of their own area review cases; anyone else is refused. */
async function requireHubCaseWorker(trx: Trx, actor: Actor): Promise<StaffIdentity> {
  if (actor.kind !== 'staff' || !canWorkOnCases(actor.staff.role)) throw new Forbidden('hub coordinators and supervisors only');
  const organisation = await findOrganisation(trx, actor.staff.organisationId);
  if (!organisation || organisation.kind !== 'hub' || organisation.areaId !== actor.staff.areaId) throw new Forbidden('hub coordinators and supervisors only');
  return actor.staff;
}

export type ReviewRow = {
  caseId: string;
  reference: string;
  personName: string;
  status: UpcomingHearing['status'];
  role: UpcomingHearing['role'];
  hearing: { id: string; hearingAt: Date; courtName: string; hearingType: UpcomingHearing['hearingType']; othersInWindow: number };
  offence: UpcomingHearing['offence'];
  reasons: QualifyingReason[];
  assessment: { version: number; assessedOn: CalendarDate } | null;
  needs: string[];
  specialMeasures: SpecialMeasuresReview;
  /** What has been recorded: the victim's wishes, applications and the court's decisions, and alternative arrangements. */
  courtPreparation: SpecialMeasuresStatus;
};

export type PreCourtReview = {
  horizonDays: number;
  areaHorizonDays: number;
  lastDay: CalendarDate;
  rows: ReviewRow[];
  /** More hearings fell in the window than the list reads: narrow the horizon to see them all. */
  full: boolean;
  canChangeAreaHorizon: boolean;
};

/**
 * The review of one candidate, null when the case does not qualify, read through the services that own each part. The
 * caller has authorised the reader for the area, and every candidate is a case of that area; caseFacts is the one door
 * to the referral's indicators (such as domestic abuse), which the case page's timeline already shows this reader.
 */
async function reviewOf(trx: Trx, upcoming: UpcomingHearing): Promise<ReviewRow | null> {
  const review = await reviewFactsOf(trx, { caseId: upcoming.caseId, role: upcoming.role, dateOfBirth: upcoming.dateOfBirth, offence: upcoming.offence, hearingDate: londonDateOf(upcoming.hearingAt) });
  const reasons = qualifyingReasons(review);
  if (!reasons.length) return null;
  return {
    caseId: upcoming.caseId,
    reference: caseReference(upcoming.caseId),
    personName: upcoming.personName,
    status: upcoming.status,
    role: upcoming.role,
    hearing: { id: upcoming.hearingId, hearingAt: upcoming.hearingAt, courtName: upcoming.courtName, hearingType: upcoming.hearingType, othersInWindow: upcoming.hearingsInWindow - 1 },
    offence: upcoming.offence,
    reasons,
    assessment: review.assessment && { version: review.assessment.version, assessedOn: review.assessment.assessedOn },
    needs: victimNeeds(review.assessment),
    specialMeasures: reviewSpecialMeasures(review),
    courtPreparation: await specialMeasuresStatusOf(trx, upcoming.caseId),
  };
}

type ReviewSubject = Pick<ReviewFacts, 'role' | 'dateOfBirth' | 'offence' | 'hearingDate'> & { caseId: string };

/** What the rules read about a case, each part from the service that owns it: the referral, assessment and rights. */
async function reviewFactsOf(trx: Trx, subject: ReviewSubject): Promise<ReviewFacts> {
  const facts = await caseFacts(trx, subject.caseId);
  const assessment = await latestAssessment(trx, subject.caseId);
  const entitlements = await currentEntitlements(trx, subject.caseId);
  return {
    role: subject.role,
    dateOfBirth: subject.dateOfBirth,
    offence: subject.offence,
    referralIndicators: facts.referralIndicators,
    entitlements: entitlements.map((item) => ({ category: item.category, rule: item.rule, reason: item.reason })),
    assessment: assessment
      ? { version: assessment.version, assessedOn: assessment.assessedOn, answers: assessment.answers, dashLevel: assessment.dash?.level ?? null }
      : null,
    hearingDate: subject.hearingDate,
  };
}

/**
 * The special measures review of one case and the victim's needs, for features/special-measures' page. The caller has
 * authorised the reader for the case and audits the read; nothing is written here.
 */
export async function specialMeasuresReviewOf(trx: Trx, subject: ReviewSubject): Promise<{ review: SpecialMeasuresReview; needs: string[] }> {
  const facts = await reviewFactsOf(trx, subject);
  return { review: reviewSpecialMeasures(facts), needs: victimNeeds(facts.assessment) };
}

/** A case's hearings, soonest first, unaudited: for a caller that has authorised the reader and audits its own read. */
export async function hearingsOfCase(trx: Trx, caseId: string): Promise<Hearing[]> {
  return listHearings(trx, caseId);
}

/**
 * The area's cases with domestic abuse, rape or a serious sexual offence, or enhanced rights, that have a hearing
 * from today to the end of the horizon (the area's, or `horizon` days when given), soonest first. A horizon that is
 * not a whole number of days in range throws Invalid. One audit row lists the cases shown.
 */
export async function getPreCourtReview(db: Db, actor: Actor, horizon: unknown, now = new Date()): Promise<PreCourtReview> {
  return inTransaction(db, async (trx) => {
    const staff = await requireHubCaseWorker(trx, actor);
    const areaDays = areaHorizonDays(await areaHorizon(trx, staff.areaId));
    const asked = parseHorizon(horizon, areaDays);
    if ('error' in asked) throw new Invalid({ horizon: asked.error });
    const window = horizonWindow(now, asked.days);
    const candidates = await nextHearingsInArea(trx, staff.areaId, window.from, window.to, CANDIDATE_LIMIT);
    const rows: ReviewRow[] = [];
    for (const candidate of candidates) {
      const row = await reviewOf(trx, candidate);
      if (row) rows.push(row);
    }
    await writeAudit(trx, actor, {
      action: 'pre_court_review.viewed',
      recordType: RECORD,
      detail: { horizonDays: asked.days, resultCount: rows.length, caseIds: rows.map((row) => row.caseId) },
    });
    return {
      horizonDays: asked.days,
      areaHorizonDays: areaDays,
      lastDay: window.lastDay,
      rows,
      full: candidates.length === CANDIDATE_LIMIT,
      canChangeAreaHorizon: staff.role === 'supervisor',
    };
  });
}

/** The area's horizon, for the supervisor's form that changes it. */
export async function getAreaHorizon(db: Db, actor: Actor): Promise<{ days: number }> {
  return inTransaction(db, async (trx) => {
    const staff = await requireHubCaseWorker(trx, actor);
    if (staff.role !== 'supervisor') throw new Forbidden('hub supervisors only');
    const days = areaHorizonDays(await areaHorizon(trx, staff.areaId));
    await writeAudit(trx, actor, { action: 'pre_court_review.horizon_viewed', recordType: 'area', recordId: staff.areaId, detail: { days } });
    return { days };
  });
}

/** A hub supervisor sets how far ahead their area's review looks by default, in whole days. */
export async function setAreaHorizon(db: Db, actor: Actor, input: { horizonDays?: unknown }): Promise<{ days: number }> {
  return inTransaction(db, async (trx) => {
    const staff = await requireHubCaseWorker(trx, actor);
    if (staff.role !== 'supervisor') throw new Forbidden('hub supervisors only');
    const checked = checkHorizonDays(input.horizonDays ?? '');
    if ('error' in checked) throw new Invalid({ horizonDays: checked.error });
    const before = areaHorizonDays(await areaHorizon(trx, staff.areaId));
    await saveAreaHorizon(trx, staff.areaId, checked.days);
    await writeAudit(trx, actor, { action: 'pre_court_review.horizon_changed', recordType: 'area', recordId: staff.areaId, detail: { from: before, to: checked.days } });
    return { days: checked.days };
  });
}

/**
 * A hearing that arrived as a case update (features/case-updates), inside that update's transaction: the hearing row
 * naming the timeline event the update appended, so the pre-court review and the calendar download see it. The update
 * is the record and is audited there; the source key makes a replay add nothing.
 */
export async function noteHearingFromUpdate(
  trx: Trx,
  hearing: { caseId: string; areaId: string; hearingAt: Date; courtName: string; hearingType: HearingType; timelineEventId: number; sourceKey: string },
): Promise<void> {
  await insertHearingIfNew(trx, {
    id: randomUUID(),
    caseId: hearing.caseId,
    areaId: hearing.areaId,
    hearingAt: hearing.hearingAt,
    courtName: hearing.courtName.slice(0, 120),
    hearingType: hearing.hearingType,
    timelineEventId: hearing.timelineEventId,
    submissionKey: hearing.sourceKey,
    recordedByUserId: null,
  });
}
