// Use-cases for the needs assessment: read the latest version and the history, open the form, and save a new version
// with its DASH result, its timeline event and, for a high risk, a MARAC referral task, all in one transaction.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/identity.ts';
import { writeAudit } from '../../platform/audit/writer.ts';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.ts';
import { Conflict, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { appendTimelineEvent, getCaseForStaff } from '../cases/service.ts';
// A pure rule (no I/O): pages name a case by the same short reference everywhere.
import { caseReference } from '../cases/rules.ts';
import { todayInLondon } from '../people/service.ts';
import { listOpenTasksForCase, raiseTask, type CaseTask } from '../tasks/service.ts';
import { DASH_LEVEL_NAMES, DEFAULT_DASH_CONFIG, type DashConfig } from './dash.ts';
import { findBySubmissionKey, findLatest, findVersion, insertVersionIfNew, listVersions, nextVersion, type AssessmentSummary, type StoredAssessment } from './repository.ts';
import { CATALOGUE_VERSION, METHOD_NAMES, checkAssessment, entitlementEvidence, type EntitlementEvidence } from './rules.ts';

export type { AssessmentSummary, EntitlementEvidence, StoredAssessment };
export type AssessmentView = StoredAssessment & { evidence: EntitlementEvidence };

const withEvidence = (assessment: StoredAssessment): AssessmentView => ({ ...assessment, evidence: entitlementEvidence(assessment.answers) });
const SUBMISSION_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The case's latest assessment with the evidence it gives, for services that have already authorised the reader. */
export async function latestAssessment(trx: Trx, caseId: string): Promise<AssessmentView | undefined> {
  const latest = await findLatest(trx, caseId);
  return latest && withEvidence(latest);
}

/**
 * The case, if this actor may work on it: hub coordinators and supervisors in its area. Anyone else, and a guessed id,
 * gets NotFound from the cases service. It reads in its own transaction, so call it before opening ours.
 */
async function authorisedCase(db: Db, actor: Actor, caseId: string) {
  const found = await getCaseForStaff(db, actor, caseId);
  if (actor.kind !== 'staff') throw new NotFound('case');
  return { ...found, staff: actor.staff, reference: caseReference(found.case.id) };
}

export type AssessmentPage = { caseId: string; reference: string; latest: AssessmentView | undefined; history: AssessmentSummary[]; openTasks: CaseTask[] };

export async function getAssessmentPage(db: Db, actor: Actor, caseId: string): Promise<AssessmentPage> {
  const { case: victimCase, reference } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const latest = await latestAssessment(trx, victimCase.id);
    const history = await listVersions(trx, victimCase.id);
    const openTasks = await listOpenTasksForCase(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'assessment.viewed', recordType: 'case', recordId: victimCase.id, detail: { version: latest?.version ?? null } });
    return { caseId: victimCase.id, reference, latest, history, openTasks };
  });
}

export async function getAssessmentVersion(db: Db, actor: Actor, caseId: string, version: string): Promise<{ caseId: string; reference: string; assessment: AssessmentView; latestVersion: number }> {
  const { case: victimCase, reference } = await authorisedCase(db, actor, caseId);
  if (!/^\d{1,6}$/.test(version)) throw new NotFound('assessment');
  return inTransaction(db, async (trx) => {
    const assessment = await findVersion(trx, victimCase.id, Number(version));
    if (!assessment) throw new NotFound('assessment');
    const latestVersion = (await nextVersion(trx, victimCase.id)) - 1;
    await writeAudit(trx, actor, { action: 'assessment.viewed', recordType: 'case', recordId: victimCase.id, detail: { version: assessment.version } });
    return { caseId: victimCase.id, reference, assessment: withEvidence(assessment), latestVersion };
  });
}

export type AssessmentForm = { caseId: string; reference: string; previous: StoredAssessment | undefined; submissionKey: string; today: string };

/** What the form needs: a fresh submission key, and the latest answers to start a re-assessment from. */
export async function getAssessmentForm(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<AssessmentForm> {
  const { case: victimCase, reference } = await authorisedCase(db, actor, caseId);
  return inTransaction(db, async (trx) => {
    const previous = await findLatest(trx, victimCase.id);
    await writeAudit(trx, actor, { action: 'assessment.form_viewed', recordType: 'case', recordId: victimCase.id, detail: { previousVersion: previous?.version ?? null } });
    return { caseId: victimCase.id, reference, previous, submissionKey: randomUUID(), today: todayInLondon(now) };
  });
}

export type SavedAssessment = { version: number; created: boolean; maracTaskRaised: boolean };

/**
 * Saves the form as the case's next version. The same submission key returns the version it made before, so a form
 * sent twice makes one version and one MARAC task. Bad or contradictory answers throw Invalid and store nothing.
 */
export async function saveAssessment(
  db: Db,
  actor: Actor,
  caseId: string,
  form: Record<string, unknown>,
  options: { now?: Date; dash?: DashConfig } = {},
): Promise<SavedAssessment> {
  const now = options.now ?? new Date();
  const { case: victimCase, person, staff } = await authorisedCase(db, actor, caseId);
  const submissionKey = typeof form.submissionKey === 'string' ? form.submissionKey : '';
  if (!SUBMISSION_KEY.test(submissionKey)) throw new Invalid({ submissionKey: 'The form could not be matched to a visit. Start the assessment again' });
  return inTransaction(db, async (trx) => {
    const replay = await findBySubmissionKey(trx, submissionKey);
    if (replay) return replayOf(replay, victimCase.id);
    const checked = checkAssessment(form, { dateOfBirth: person.dateOfBirth, today: todayInLondon(now), dash: options.dash ?? DEFAULT_DASH_CONFIG });
    if ('errors' in checked) throw new Invalid(checked.errors, 'The assessment has answers to check');
    const { method, assessedOn, answers, dash } = checked.value;
    const version = await nextVersion(trx, victimCase.id);
    const id = await insertVersionIfNew(trx, {
      caseId: victimCase.id,
      version,
      catalogueVersion: CATALOGUE_VERSION,
      method,
      assessedOn,
      assessedByUserId: staff.userId,
      answers,
      dash,
      submissionKey,
    });
    if (!id) {
      const raced = await findBySubmissionKey(trx, submissionKey);
      if (raced) return replayOf(raced, victimCase.id);
      throw new Conflict('Someone else saved an assessment on this case at the same moment. Check their version, then start again');
    }
    await writeAudit(trx, actor, {
      action: 'assessment.completed',
      recordType: 'case',
      recordId: victimCase.id,
      detail: { assessmentId: id, version, catalogueVersion: CATALOGUE_VERSION, method, withDash: dash !== null },
    });
    const risk = dash ? `. DASH: ${DASH_LEVEL_NAMES[dash.level].toLowerCase()}${dash.overrideReason ? ' (professional judgement)' : ''}` : '';
    await appendTimelineEvent(trx, actor, {
      caseId: victimCase.id,
      kind: 'assessment_completed',
      summary: `Needs assessment version ${version} completed (${METHOD_NAMES[method].toLowerCase()})${risk}`,
      detail: { assessmentId: id, version },
      source: 'staff',
      idempotencyKey: `assessment:${id}:completed`,
      visibility: 'staff',
      occurredAt: now,
    });
    const maracTaskRaised = dash?.level === 'high' ? await raiseMaracReferral(trx, actor, victimCase.id, id, staff.organisationId, dash.overrideReason ? null : dash.score) : false;
    return { version, created: true, maracTaskRaised };
  });
}

function replayOf(assessment: StoredAssessment, caseId: string): SavedAssessment {
  if (assessment.caseId !== caseId) throw new Conflict('This form belongs to another case');
  return { version: assessment.version, created: false, maracTaskRaised: false };
}

/** One open MARAC referral per case: a re-assessment that is still high risk does not ask for a second one. */
async function raiseMaracReferral(trx: Trx, actor: Actor, caseId: string, assessmentId: string, hubId: string, score: number | null): Promise<boolean> {
  const open = await listOpenTasksForCase(trx, caseId);
  if (open.some((task) => task.kind === 'marac_referral')) return false;
  const { created } = await raiseTask(trx, actor, {
    caseId,
    kind: 'marac_referral',
    title: score === null ? 'Refer to MARAC: high risk by professional judgement' : `Refer to MARAC: DASH score ${score} of 24`,
    owningOrganisationId: hubId,
    idempotencyKey: `assessment:${assessmentId}:marac_referral`,
  });
  return created;
}
