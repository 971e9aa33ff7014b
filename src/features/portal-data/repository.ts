// SQL of "My data": the audit trail of one person's records, newest first a page at a time, and the reads of the
// subject access export. The export reads other features' tables directly, read-only, since it is one person's whole
// record in one place; it writes nothing.
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { TrailRow } from './rules.ts';

/** The ids under which the audit trail records things about this person: the person, their cases, crimes, referrals. */
export type RecordKeys = { personId: string; caseIds: string[]; crimeIds: string[]; referralIds: string[] };

export async function recordKeysOf(db: Db | Trx, personId: string, caseIds: readonly string[]): Promise<RecordKeys> {
  if (!caseIds.length) return { personId, caseIds: [], crimeIds: [], referralIds: [] };
  const [crimes, referrals] = await Promise.all([
    db.selectFrom('victim_case').select('crime_id').where('id', 'in', caseIds).where('crime_id', 'is not', null).execute(),
    db.selectFrom('support_referral').select('id').where('case_id', 'in', caseIds).execute(),
  ]);
  return { personId, caseIds: [...caseIds], crimeIds: [...new Set(crimes.map((row) => row.crime_id as string))], referralIds: referrals.map((row) => row.id) };
}

/**
 * One page of the trail about these records, newest first, leaving out what the viewer's own portal account did. One
 * row more than the page is read, to know whether there is an older page without counting them all. Uses the
 * (record_type, record_id) index of audit_event for each kind of record.
 */
export async function trailPage(db: Db | Trx, keys: RecordKeys, ownLabel: string, page: number, size: number): Promise<{ rows: TrailRow[]; more: boolean }> {
  const rows = await db
    .selectFrom('audit_event as a')
    .leftJoin('organisation as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.at', 'a.actor_label', 'o.name as organisation_name', 'a.action'])
    .where((eb) => {
      const about = [eb.and([eb('a.record_type', '=', 'person'), eb('a.record_id', '=', keys.personId)])];
      if (keys.caseIds.length) about.push(eb.and([eb('a.record_type', 'in', ['case', 'victim_case']), eb('a.record_id', 'in', keys.caseIds)]));
      if (keys.crimeIds.length) about.push(eb.and([eb('a.record_type', '=', 'crime'), eb('a.record_id', 'in', keys.crimeIds)]));
      if (keys.referralIds.length) about.push(eb.and([eb('a.record_type', '=', 'support_referral'), eb('a.record_id', 'in', keys.referralIds)]));
      return eb.and([eb.or(about), eb('a.actor_label', '!=', ownLabel)]);
    })
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(size + 1)
    .offset((page - 1) * size)
    .execute();
  return {
    rows: rows.slice(0, size).map((row) => ({ id: Number(row.id), at: row.at, actorLabel: row.actor_label, organisationName: row.organisation_name, action: row.action })),
    more: rows.length > size,
  };
}

export type PersonNames = { id: string; givenName: string; familyName: string | null };

export async function personNames(db: Db | Trx, personIds: readonly string[]): Promise<PersonNames[]> {
  if (!personIds.length) return [];
  const rows = await db.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', 'in', personIds).execute();
  return rows.map((row) => ({ id: row.id, givenName: row.given_name, familyName: row.family_name }));
}

export async function personDetails(db: Db | Trx, personId: string) {
  return db
    .selectFrom('person')
    .select([
      'given_name',
      'family_name',
      'other_names',
      'date_of_birth',
      'email',
      'phone',
      'address_line_1',
      'address_line_2',
      'town',
      'postcode',
      'preferred_language',
      'communication_needs',
      'safe_contact',
      'update_frequency',
    ])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
}

export async function casesOf(db: Db | Trx, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db
    .selectFrom('victim_case as c')
    .leftJoin('crime as k', 'k.id', 'c.crime_id')
    .select(['c.id', 'c.status', 'c.role', 'c.created_at', 'c.closed_reason', 'k.crime_reference', 'k.offence_code', 'k.offence_category'])
    .where('c.id', 'in', caseIds)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

/** The timeline the victim sees on their case page: victim-visible events only, never the staff-only ones. */
export async function victimTimelines(db: Db | Trx, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db
    .selectFrom('timeline_event')
    .select(['case_id', 'kind', 'summary', 'occurred_at'])
    .where('case_id', 'in', caseIds)
    .where('visibility', '=', 'victim')
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

/** Referrals that left the hub (drafts were never sent anywhere), with the service and organisation. */
export async function referralsOf(db: Db | Trx, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db
    .selectFrom('support_referral as r')
    .innerJoin('organisation_service as s', 's.id', 'r.service_id')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .select(['r.case_id', 'r.status', 'r.outcome', 'r.summary', 'r.sent_at', 'r.closed_at', 's.name as service_name', 'o.name as organisation_name'])
    .where('r.case_id', 'in', caseIds)
    .where('r.status', '!=', 'draft')
    .orderBy('r.created_at')
    .execute();
}

/** The victim's messages, with the thread they belong to; never a staff author's name. */
export async function messagesOf(db: Db | Trx, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db
    .selectFrom('case_message as m')
    .leftJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['m.case_id', 'm.direction', 'm.party', 'o.name as organisation_name', 'm.body', 'm.created_at', 'm.read_at'])
    .where('m.case_id', 'in', caseIds)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
}

export async function hearingsOf(db: Db | Trx, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db.selectFrom('hearing').select(['case_id', 'hearing_at', 'court_name', 'hearing_type']).where('case_id', 'in', caseIds).orderBy('hearing_at').execute();
}

export async function feedbackOf(db: Db | Trx, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db.selectFrom('victim_feedback').select(['case_id', 'moment', 'rating', 'comment', 'given_at']).where('case_id', 'in', caseIds).orderBy('given_at').execute();
}

export async function complaintsOf(db: Db | Trx, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db
    .selectFrom('complaint as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    .select(['c.case_id', 'o.name as organisation_name', 'c.body', 'c.received_at', 'c.answered_at', 'c.answer_summary'])
    .where('c.case_id', 'in', caseIds)
    .orderBy('c.received_at')
    .execute();
}

