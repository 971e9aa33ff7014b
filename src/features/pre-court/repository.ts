// All SQL of hearings and the pre-court review: recording a hearing once per form, a case's hearings, each case's next
// hearing in an area within a window, and an area's review horizon. Returns plain typed objects.
import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { CaseRole, CaseStatus, HearingType } from '../../platform/db/schema.ts';
import type { NewHearing } from './rules.ts';

export type Hearing = {
  id: string;
  caseId: string;
  hearingAt: Date;
  courtName: string;
  hearingType: HearingType;
  timelineEventId: number;
  recordedByName: string | null;
  createdAt: Date;
};

function hearingsWithRecorder(db: Db | Trx) {
  return db
    .selectFrom('hearing as h')
    .leftJoin('staff_user as u', 'u.id', 'h.recorded_by_user_id')
    .select(['h.id', 'h.case_id', 'h.hearing_at', 'h.court_name', 'h.hearing_type', 'h.timeline_event_id', 'u.display_name as recorded_by_name', 'h.created_at']);
}

type Row = Awaited<ReturnType<ReturnType<typeof hearingsWithRecorder>['executeTakeFirstOrThrow']>>;

const toHearing = (row: Row): Hearing => ({
  id: row.id,
  caseId: row.case_id,
  hearingAt: row.hearing_at,
  courtName: row.court_name,
  hearingType: row.hearing_type,
  timelineEventId: Number(row.timeline_event_id),
  recordedByName: row.recorded_by_name,
  createdAt: row.created_at,
});

/** A case's hearings, soonest first. */
export async function listHearings(db: Db | Trx, caseId: string): Promise<Hearing[]> {
  const rows = await hearingsWithRecorder(db).where('h.case_id', '=', caseId).orderBy('h.hearing_at').orderBy('h.created_at').execute();
  return rows.map(toHearing);
}

export async function findHearingBySubmission(db: Db | Trx, caseId: string, submissionKey: string): Promise<Hearing | undefined> {
  const row = await hearingsWithRecorder(db).where('h.case_id', '=', caseId).where('h.submission_key', '=', submissionKey).executeTakeFirst();
  return row && toHearing(row);
}

export type HearingToInsert = NewHearing & { id: string; caseId: string; areaId: string; timelineEventId: number; submissionKey: string; recordedByUserId: string | null };

/** Inserts the hearing unless this submission key already recorded one on the case; true when it was inserted. */
export async function insertHearingIfNew(trx: Trx, hearing: HearingToInsert): Promise<boolean> {
  const result = await trx
    .insertInto('hearing')
    .values({
      id: hearing.id,
      case_id: hearing.caseId,
      area_id: hearing.areaId,
      hearing_at: hearing.hearingAt,
      court_name: hearing.courtName,
      hearing_type: hearing.hearingType,
      timeline_event_id: hearing.timelineEventId,
      submission_key: hearing.submissionKey,
      recorded_by_user_id: hearing.recordedByUserId,
    })
    .onConflict((conflict) => conflict.columns(['case_id', 'submission_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function areaHorizon(db: Db | Trx, areaId: string): Promise<number | undefined> {
  const row = await db.selectFrom('pre_court_setting').select('horizon_days').where('area_id', '=', areaId).executeTakeFirst();
  return row?.horizon_days;
}

export async function saveAreaHorizon(trx: Trx, areaId: string, days: number): Promise<void> {
  await trx
    .insertInto('pre_court_setting')
    .values({ area_id: areaId, horizon_days: days })
    .onConflict((conflict) => conflict.column('area_id').doUpdateSet({ horizon_days: days, updated_at: sql<Date>`now()` }))
    .execute();
}

/** A case with its next hearing in the window, and what the review shows of the case, its person and its crime. */
export type UpcomingHearing = {
  hearingId: string;
  caseId: string;
  hearingAt: Date;
  courtName: string;
  hearingType: HearingType;
  /** How many of the case's hearings fall in the window, the next one included. */
  hearingsInWindow: number;
  role: CaseRole;
  status: CaseStatus;
  personName: string;
  dateOfBirth: string | null;
  offence: { code: string; category: string; group: string | null } | null;
};

/**
 * Each case of the area with a hearing in [from, to], by its next hearing there, soonest first: the candidates for the
 * review, which the rules then narrow. The (area_id, hearing_at) index finds the window's hearings.
 */
export async function nextHearingsInArea(trx: Trx, areaId: string, from: Date, to: Date, limit: number): Promise<UpcomingHearing[]> {
  const result = await sql<{
    id: string; case_id: string; hearing_at: Date; court_name: string; hearing_type: HearingType; in_window: number | string;
    role: CaseRole; status: CaseStatus; given_name: string; family_name: string | null; date_of_birth: string | null;
    offence_code: string | null; offence_category: string | null; offence_group: string | null;
  }>`
    select next.id, next.case_id, next.hearing_at, next.court_name, next.hearing_type, next.in_window,
      c.role, c.status, p.given_name, p.family_name, p.date_of_birth::text as date_of_birth,
      cr.offence_code, cr.offence_category, cr.offence_group
    from (
      select distinct on (h.case_id) h.id, h.case_id, h.hearing_at, h.court_name, h.hearing_type,
        count(*) over (partition by h.case_id) as in_window
      from hearing h
      where h.area_id = ${areaId} and h.hearing_at >= ${from} and h.hearing_at <= ${to}
      order by h.case_id, h.hearing_at, h.id
    ) next
    join victim_case c on c.id = next.case_id and c.area_id = ${areaId}
    join person p on p.id = c.person_id
    left join crime cr on cr.id = c.crime_id
    order by next.hearing_at, next.case_id
    limit ${limit}
  `.execute(trx);
  return result.rows.map((row) => ({
    hearingId: row.id,
    caseId: row.case_id,
    hearingAt: row.hearing_at,
    courtName: row.court_name,
    hearingType: row.hearing_type,
    hearingsInWindow: Number(row.in_window),
    role: row.role,
    status: row.status,
    personName: [row.given_name, row.family_name].filter(Boolean).join(' '),
    dateOfBirth: row.date_of_birth,
    offence: row.offence_code ? { code: row.offence_code, category: row.offence_category ?? '', group: row.offence_group } : null,
  }));
}
