// All SQL for needs assessments. Versions are never updated: a re-assessment inserts the next one.
import type { Selectable } from 'kysely';
import type { Trx } from '../../platform/db/transaction.ts';
import type { NeedsAssessmentTable } from '../../platform/db/schema.ts';
import type { DashAnswer, DashLevel, DashResult } from './dash.ts';
import type { Answers, Method } from './rules.ts';

export type StoredAssessment = {
  id: string;
  caseId: string;
  version: number;
  catalogueVersion: string;
  method: Method;
  assessedOn: string;
  assessedByUserId: string;
  assessedByName: string | null;
  answers: Answers;
  dash: DashResult | null;
  recordedAt: Date;
};

export type AssessmentSummary = Pick<StoredAssessment, 'id' | 'version' | 'method' | 'assessedOn' | 'assessedByName' | 'recordedAt'> & {
  dashLevel: DashLevel | null;
};

type Row = Selectable<NeedsAssessmentTable> & { assessed_by_name: string | null };

function toAssessment(row: Row): StoredAssessment {
  const dash: DashResult | null =
    row.dash_answers && row.dash_level && row.dash_score_level && row.dash_score !== null && row.dash_threshold !== null
      ? {
          answers: row.dash_answers as Record<string, DashAnswer>,
          score: row.dash_score,
          threshold: row.dash_threshold,
          scoreLevel: row.dash_score_level,
          overrideReason: row.dash_override_reason,
          level: row.dash_level,
        }
      : null;
  return {
    id: row.id,
    caseId: row.case_id,
    version: row.version,
    catalogueVersion: row.catalogue_version,
    method: row.method,
    assessedOn: row.assessed_on,
    assessedByUserId: row.assessed_by_user_id,
    assessedByName: row.assessed_by_name,
    answers: row.answers as Answers,
    dash,
    recordedAt: row.recorded_at,
  };
}

const withAssessor = (trx: Trx) =>
  trx
    .selectFrom('needs_assessment')
    .leftJoin('staff_user', 'staff_user.id', 'needs_assessment.assessed_by_user_id')
    .selectAll('needs_assessment')
    .select('staff_user.display_name as assessed_by_name');

export async function findVersion(trx: Trx, caseId: string, version: number): Promise<StoredAssessment | undefined> {
  const row = await withAssessor(trx).where('needs_assessment.case_id', '=', caseId).where('needs_assessment.version', '=', version).executeTakeFirst();
  return row ? toAssessment(row) : undefined;
}

export async function findLatest(trx: Trx, caseId: string): Promise<StoredAssessment | undefined> {
  const row = await withAssessor(trx).where('needs_assessment.case_id', '=', caseId).orderBy('needs_assessment.version', 'desc').limit(1).executeTakeFirst();
  return row ? toAssessment(row) : undefined;
}

export async function findBySubmissionKey(trx: Trx, submissionKey: string): Promise<StoredAssessment | undefined> {
  const row = await withAssessor(trx).where('needs_assessment.submission_key', '=', submissionKey).executeTakeFirst();
  return row ? toAssessment(row) : undefined;
}

/** Every version of the case's assessment, newest first, without the answers. */
export async function listVersions(trx: Trx, caseId: string): Promise<AssessmentSummary[]> {
  const rows = await trx
    .selectFrom('needs_assessment')
    .leftJoin('staff_user', 'staff_user.id', 'needs_assessment.assessed_by_user_id')
    .select([
      'needs_assessment.id',
      'needs_assessment.version',
      'needs_assessment.method',
      'needs_assessment.assessed_on',
      'needs_assessment.recorded_at',
      'needs_assessment.dash_level',
      'staff_user.display_name',
    ])
    .where('needs_assessment.case_id', '=', caseId)
    .orderBy('needs_assessment.version', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    method: row.method,
    assessedOn: row.assessed_on,
    assessedByName: row.display_name,
    recordedAt: row.recorded_at,
    dashLevel: row.dash_level,
  }));
}

export async function nextVersion(trx: Trx, caseId: string): Promise<number> {
  const row = await trx
    .selectFrom('needs_assessment')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return Number(row?.latest ?? 0) + 1;
}

/**
 * Inserts a version unless its submission key or its (case, version) is taken; undefined means one of them was, and
 * the caller tells a repeated form from a colleague's save at the same moment by looking the key up.
 */
export async function insertVersionIfNew(
  trx: Trx,
  assessment: Omit<StoredAssessment, 'id' | 'recordedAt' | 'assessedByName'> & { submissionKey: string },
): Promise<string | undefined> {
  const { dash } = assessment;
  const row = await trx
    .insertInto('needs_assessment')
    .values({
      case_id: assessment.caseId,
      version: assessment.version,
      catalogue_version: assessment.catalogueVersion,
      method: assessment.method,
      assessed_on: assessment.assessedOn,
      assessed_by_user_id: assessment.assessedByUserId,
      answers: JSON.stringify(assessment.answers),
      dash_answers: dash ? JSON.stringify(dash.answers) : null,
      dash_score: dash?.score ?? null,
      dash_threshold: dash?.threshold ?? null,
      dash_score_level: dash?.scoreLevel ?? null,
      dash_override_reason: dash?.overrideReason ?? null,
      dash_level: dash?.level ?? null,
      submission_key: assessment.submissionKey,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}
