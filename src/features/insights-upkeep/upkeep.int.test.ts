// The insights upkeep against a real database (PGlite, or PostgreSQL when HAVEN_TEST_POSTGRES_URL is set): raw cases,
// duties, referrals, feedback and complaints become the aggregate rows the dashboards read; changes to the raw rows
// move the counts between buckets; statements touching many rows mark every bucket; and after any refresh the
// aggregates are exactly what a rebuild from nothing makes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { actorFor, createOrganisation, createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { appendTimelineEvent, findOrCreateCrime, openCase } from '../cases/service.ts';
import { addEntitlement, withdrawEntitlement } from '../entitlements/service.ts';
import { runCodeClock } from '../obligations/service.ts';
import { createPerson } from '../people/service.ts';
import { ageBand } from '../insights/rules.ts';
import { ageBandSql } from './repository.ts';
import { rebuildInsights, refreshInsights } from './service.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };
const D1 = '2026-03-10';
const D2 = '2026-03-11';
const AGGREGATES = ['insight_case_day', 'insight_equality_day', 'insight_duty_day', 'insight_referral_day', 'insight_feedback_day', 'insight_feedback_theme_day', 'insight_complaint_day'] as const;
let counter = 0;

type CaseOptions = {
  at: string; offenceGroup?: string | null; noCrime?: boolean; dateOfBirth?: string | null; role?: 'victim' | 'witness';
  sex?: 'female' | 'male' | null; ethnicGroup?: 'asian' | 'white' | null; disabled?: 'yes' | 'no' | null; repeatVictim?: boolean;
};

describe('Insights upkeep', () => {
  let database: TestDatabase;
  let coordinator: TestStaffUser;
  let provider: { id: string };
  let serviceId: string;
  let accountFor: (personId: string) => Promise<string>;

  before(async () => {
    database = await createTestDatabase();
    coordinator = await createStaffUser(database.db, { role: 'coordinator', organisationKind: 'hub' });
    provider = await createOrganisation(database.db, { kind: 'provider', areaId: coordinator.areaId });
    serviceId = (await database.db.insertInto('organisation_service').values({ organisation_id: provider.id, name: 'Counselling', category: 'emotional', description: 'Talking support' })
      .returning('id').executeTakeFirstOrThrow()).id;
    accountFor = async (personId) => (await database.db.insertInto('portal_account').values({ person_id: personId, area_id: coordinator.areaId, display_name: 'Ada' })
      .returning('id').executeTakeFirstOrThrow()).id;
  });
  after(() => database.drop());

  const db = () => database.db;

  /** A case through the real services, then moved to the day under test and given the person's equality answers. */
  async function makeCase(options: CaseOptions): Promise<{ caseId: string; personId: string; crimeId: string | null }> {
    counter += 1;
    const made = await inTransaction(db(), async (trx) => {
      const person = await createPerson(trx, feed, {
        areaId: coordinator.areaId, givenName: 'Ada', familyName: `Upkeep${counter}`, phone: `+4477009${String(counter).padStart(5, '0')}`,
        dateOfBirth: options.dateOfBirth === undefined ? '1980-06-01' : options.dateOfBirth,
      });
      const crime = options.noCrime ? null : (await findOrCreateCrime(trx, feed, { areaId: coordinator.areaId, crimeReference: `UPK/${counter}/26`, offenceCode: '28E', offenceCategory: 'Burglary', committedFrom: '2026-01-01' })).crime;
      const opened = await openCase(trx, feed, { personId: person.id, crimeId: crime?.id ?? null, role: options.role ?? 'victim', source: 'police_feed' });
      return { caseId: opened.case.id, personId: person.id, crimeId: crime?.id ?? null };
    });
    if (made.crimeId) await db().updateTable('crime').set({ offence_group: options.offenceGroup === undefined ? 'burglary' : options.offenceGroup }).where('id', '=', made.crimeId).execute();
    await db().updateTable('person').set({ sex: options.sex ?? null, ethnic_group: options.ethnicGroup ?? null, disabled: options.disabled ?? null, repeat_victim: options.repeatVictim ?? false })
      .where('id', '=', made.personId).execute();
    await redate(made.caseId, options.at);
    return made;
  }

  async function redate(caseId: string, at: string): Promise<void> {
    await sql`update victim_case set created_at = ${new Date(at)} where id = ${caseId}`.execute(db());
  }

  async function event(caseId: string, kind = 'note_added', detail: Record<string, unknown> = {}, key = `upkeep:${randomUUID()}`): Promise<number> {
    const { event: made } = await inTransaction(db(), (trx) => appendTimelineEvent(trx, feed, { caseId, kind, summary: 'Test event', detail, source: 'test', idempotencyKey: key, visibility: 'staff', occurredAt: new Date(`${D1}T09:00:00Z`) }));
    return made.id;
  }

  async function rows(table: (typeof AGGREGATES)[number], where: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const conditions = Object.entries(where).map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${sql.join(conditions, sql` and `)}`.execute(db());
    return result.rows;
  }
  const inArea = (day: string) => ({ area_id: coordinator.areaId, day });

  async function assertMatchesRebuild(): Promise<void> {
    await refreshInsights(db());
    const snapshot = async () => Object.fromEntries(await Promise.all(AGGREGATES.map(async (table) => [table,
      (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db())).rows.map((row) => JSON.stringify(row)).sort()] as const)));
    const kept = await snapshot();
    for (const table of AGGREGATES) await sql`delete from ${sql.table(table)}`.execute(db());
    await rebuildInsights(db());
    const rebuilt = await snapshot();
    assert.deepEqual(kept, rebuilt, 'the kept aggregates equal a rebuild from the raw tables');
    assert.ok(Object.values(rebuilt).some((list) => list.length > 0), 'the comparison compares something');
  }

  it('gives the same age bands in SQL as ageBand, on and around birthdays', async () => {
    const pairs: [string | null, string][] = [
      ['2008-03-10', '2026-03-10'], ['2008-03-11', '2026-03-10'], ['2008-02-29', '2026-02-28'], ['2008-02-29', '2026-03-01'],
      ['2001-03-10', '2026-03-10'], ['2001-03-11', '2026-03-10'], ['1991-03-10', '2026-03-10'], ['1991-03-11', '2026-03-10'],
      ['1976-03-10', '2026-03-10'], ['1976-03-11', '2026-03-10'], ['1961-03-10', '2026-03-10'], ['1961-03-11', '2026-03-10'],
      ['1930-12-31', '2026-01-01'], ['2026-01-01', '2026-01-01'], [null, '2026-03-10'], ['2000-02-29', '2024-02-29'], ['2000-03-01', '2024-02-29'],
    ];
    const result = await sql<{ band: string }>`
      select ${ageBandSql(sql.ref('v.born'), sql.ref('v.day'))} as band
      from unnest(${pairs.map(([born]) => born)}::date[], ${pairs.map(([, day]) => day)}::date[]) with ordinality as v (born, day, position)
      order by v.position`.execute(db());
    assert.deepEqual(result.rows.map((row) => row.band), pairs.map(([born, day]) => ageBand(born, day)));
    assert.deepEqual(result.rows.slice(0, 4).map((row) => row.band), ['18_24', 'under_18', 'under_18', '18_24'], 'the birthday itself completes the year');
  });

  it('counts cases and their equality answers by the London day they opened, and moves them when the raw rows change', async () => {
    const first = await makeCase({ at: `${D1}T10:00:00Z`, offenceGroup: 'burglary', dateOfBirth: '2008-03-10', sex: 'female', ethnicGroup: 'asian', disabled: 'yes' });
    await makeCase({ at: `${D1}T11:00:00Z`, offenceGroup: 'burglary', dateOfBirth: '2008-03-11', sex: 'female', repeatVictim: true });
    await makeCase({ at: `${D1}T12:00:00Z`, offenceGroup: null, dateOfBirth: null, role: 'witness' });
    await makeCase({ at: `${D1}T13:00:00Z`, noCrime: true, dateOfBirth: '1950-01-01', sex: 'male', ethnicGroup: 'white', disabled: 'no' });
    // 23:30 UTC in summer is the next day in London.
    const summer = await makeCase({ at: '2026-06-30T23:30:00Z', offenceGroup: 'burglary' });
    const enhanced = await makeCase({ at: `${D1}T14:00:00Z`, offenceGroup: 'burglary', sex: 'female' });
    const decisionId = await addEntitlement(db(), actorFor(coordinator), enhanced.caseId, { category: 'vulnerable', reason: 'Told us they are unwell' });

    assert.ok((await refreshInsights(db())).buckets >= 2);
    const cases = await rows('insight_case_day', inArea(D1));
    const count = (match: Record<string, unknown>) => cases.filter((row) => Object.entries(match).every(([key, value]) => row[key] === value)).reduce((sum, row) => sum + Number(row.cases), 0);
    assert.equal(count({}), 5);
    assert.equal(count({ offence_group: 'burglary', role: 'victim', enhanced: false, repeat_victim: false }), 1);
    assert.equal(count({ offence_group: 'burglary', repeat_victim: true }), 1);
    assert.equal(count({ offence_group: 'unclassified', role: 'witness' }), 1);
    assert.equal(count({ offence_group: 'not_reported' }), 1);
    assert.equal(count({ enhanced: true }), 1);
    assert.equal(count({ source: 'police_feed' }), 5);
    assert.deepEqual((await rows('insight_case_day', inArea('2026-07-01'))).map((row) => row.cases), [1], 'a summer case after 23:00 UTC counts on the next London day');
    assert.deepEqual(await rows('insight_case_day', inArea('2026-06-30')), []);

    const equality = async (dimension: string) => Object.fromEntries((await rows('insight_equality_day', { ...inArea(D1), dimension })).map((row): [string, unknown] => [String(row.category), row.cases]));
    assert.deepEqual(await equality('age_band'), { '18_24': 1, under_18: 1, not_recorded: 1, '65_plus': 1, '35_49': 1 });
    assert.deepEqual(await equality('sex'), { female: 3, male: 1, not_recorded: 1 });
    assert.deepEqual(await equality('ethnic_group'), { asian: 1, white: 1, not_recorded: 3 });
    assert.deepEqual(await equality('disability'), { yes: 1, no: 1, not_recorded: 3 });

    // Reclassify an offence, withdraw the enhanced rights, change an ethnic group, re-date a case: the buckets move.
    await db().updateTable('crime').set({ offence_group: 'robbery' }).where('id', '=', first.crimeId ?? '').execute();
    await withdrawEntitlement(db(), actorFor(coordinator), enhanced.caseId, decisionId, { reason: 'Recorded in error' });
    await db().updateTable('person').set({ ethnic_group: 'white' }).where('id', '=', first.personId).execute();
    await redate(summer.caseId, `${D2}T10:00:00Z`);
    assert.deepEqual((await db().selectFrom('insight_dirty').select(['topic', 'day']).orderBy('day').execute()).map((row) => `${row.topic} ${row.day}`), [`case ${D1}`, `case ${D2}`, 'case 2026-07-01']);
    await refreshInsights(db());
    const moved = await rows('insight_case_day', inArea(D1));
    assert.equal(moved.filter((row) => row.offence_group === 'robbery').reduce((sum, row) => sum + Number(row.cases), 0), 1);
    assert.equal(moved.filter((row) => row.enhanced === true).length, 0, 'a withdrawn decision is not in force');
    assert.deepEqual(await equality('ethnic_group'), { white: 2, not_recorded: 3 });
    assert.deepEqual(await rows('insight_case_day', inArea('2026-07-01')), [], 'the re-dated case left its old day');
    assert.equal((await rows('insight_case_day', inArea(D2))).length, 1);
    assert.equal((await db().selectFrom('insight_dirty').select('day').execute()).length, 0, 'the queue is empty after a refresh');
    await assertMatchesRebuild();
  });

  it('counts duties by the London day due, per duty and owner, and follows re-timing and meeting', async () => {
    const { caseId } = await makeCase({ at: `${D1}T08:00:00Z` });
    const due = new Date(`${D1}T23:59:59.999Z`);
    const obligation = async (state: 'open' | 'met' | 'overdue' | 'breached', extra: { metAt?: string; owner?: 'hub' | 'police' } = {}) => {
      const triggerEventId = await event(caseId);
      return (await db().insertInto('obligation').values({
        case_id: caseId, area_id: coordinator.areaId, duty: 'needs_assessment', owner_kind: extra.owner ?? 'hub',
        owner_organisation_id: extra.owner === 'police' ? null : coordinator.organisationId, trigger_event_id: triggerEventId, trigger_kind: 'note_added',
        triggered_at: new Date(`${D1}T09:00:00Z`), working_days: 2, enhanced: false, due_at: due, state,
        met_at: extra.metAt ? new Date(extra.metAt) : null, breach_reason: state === 'breached' ? 'Not done' : null,
      }).returning('id').executeTakeFirstOrThrow()).id;
    };
    await obligation('met', { metAt: `${D1}T10:00:00Z` });
    await obligation('met', { metAt: `${D2}T10:00:00Z` });
    const overdue = await obligation('overdue');
    await obligation('breached');
    const open = await obligation('open');
    await obligation('open', { owner: 'police' });
    await refreshInsights(db());
    const duty = async (day: string, ownerKey: string) => (await rows('insight_duty_day', { ...inArea(day), duty: 'needs_assessment', owner_key: ownerKey }))
      .map(({ due: total, met_on_time, met_late, overdue: late, breached, open: waiting }) => ({ due: total, met_on_time, met_late, overdue: late, breached, open: waiting }));
    assert.deepEqual(await duty(D1, coordinator.organisationId), [{ due: 5, met_on_time: 1, met_late: 1, overdue: 1, breached: 1, open: 1 }]);
    assert.deepEqual(await duty(D1, 'police'), [{ due: 1, met_on_time: 0, met_late: 0, overdue: 0, breached: 0, open: 1 }], 'the owner kind stands in for an unknown organisation');

    await db().updateTable('obligation').set({ due_at: new Date(`${D2}T23:59:59.999Z`) }).where('id', '=', open).execute();
    await db().updateTable('obligation').set({ state: 'met', met_at: new Date(`${D2}T08:00:00Z`) }).where('id', '=', overdue).execute();
    await refreshInsights(db());
    assert.deepEqual(await duty(D1, coordinator.organisationId), [{ due: 4, met_on_time: 1, met_late: 2, overdue: 0, breached: 1, open: 0 }]);
    assert.deepEqual(await duty(D2, coordinator.organisationId), [{ due: 1, met_on_time: 0, met_late: 0, overdue: 0, breached: 0, open: 1 }], 're-timing moved the duty to its new day');
    await assertMatchesRebuild();
  });

  it('counts referrals in every status by the London day sent, from one multi-row insert', async () => {
    const { caseId, personId } = await makeCase({ at: `${D1}T08:00:00Z` });
    const sent = new Date(`${D1}T10:00:00Z`);
    const answered = new Date(`${D1}T15:00:00Z`);
    const later = (days: number) => new Date(sent.getTime() + days * 86_400_000);
    const base = { case_id: caseId, person_id: personId, area_id: coordinator.areaId, service_id: serviceId, organisation_id: provider.id, summary: 'Needs support', created_by_user_id: coordinator.id };
    const referral = (status: string, extra: Record<string, unknown> = {}) => ({ ...base, status, submission_key: randomUUID(), ...(status === 'draft' ? {} : { sent_at: sent, sent_event_id: 1 }), ...extra });
    await db().insertInto('support_referral').values([
      referral('draft'),
      referral('sent'),
      referral('accepted', { answered_at: answered }),
      referral('in_progress', { answered_at: answered, started_at: later(2) }),
      referral('declined', { answered_at: answered, decline_reason: 'Outside our area' }),
      referral('no_capacity', { answered_at: answered }),
      referral('returned', { answered_at: answered, returned_reason: 'Needs a specialist' }),
      referral('closed', { answered_at: answered, started_at: later(4), closed_at: later(30), outcome: 'engaged_completed' }),
      referral('closed', { closed_at: later(1), outcome: 'consent_withdrawn' }),
    ] as never).execute();
    assert.deepEqual((await db().selectFrom('insight_dirty').select(['topic', 'day']).where('topic', '=', 'referral').execute()).map((row) => row.day), [D1], 'one statement marked its day once');
    await refreshInsights(db());
    const [row] = await rows('insight_referral_day', { ...inArea(D1), organisation_id: provider.id });
    assert.deepEqual({ ...row, area_id: undefined, day: undefined, organisation_id: undefined, wait_days_total: Number(row?.wait_days_total) }, {
      area_id: undefined, day: undefined, organisation_id: undefined, service_id: serviceId,
      sent: 8, awaiting: 1, accepted: 4, declined: 1, no_capacity: 1, returned: 1, closed: 2, completed: 1, started: 2, wait_days_total: 6,
    });
    await db().updateTable('support_referral').set({ status: 'accepted', answered_at: answered }).where('status', '=', 'sent').execute();
    await refreshInsights(db());
    const [after] = await rows('insight_referral_day', { ...inArea(D1), organisation_id: provider.id });
    assert.deepEqual([after?.awaiting, after?.accepted], [0, 5]);
    await assertMatchesRebuild();
  });

  it('counts ratings and the themes of comments by the London day given, never the words', async () => {
    const given = new Date(`${D1}T12:00:00Z`);
    const feedback = [];
    for (const [rating, comment] of [[5, 'Kept me informed and very kind'], [2, 'I waited weeks with no update'], [2, null], [4, 'The trial was scary']] as const) {
      const { caseId, personId } = await makeCase({ at: `${D1}T08:00:00Z` });
      feedback.push({ case_id: caseId, area_id: coordinator.areaId, moment: 'first_contact' as const, rating, comment, given_by_account_id: await accountFor(personId), given_at: given });
    }
    await db().insertInto('victim_feedback').values(feedback).execute();
    await refreshInsights(db());
    const ratings = Object.fromEntries((await rows('insight_feedback_day', { ...inArea(D1), moment: 'first_contact' })).map((row): [string, unknown] => [String(row.rating), row.responses]));
    assert.deepEqual(ratings, { 5: 1, 2: 2, 4: 1 });
    const themes = Object.fromEntries((await rows('insight_feedback_theme_day', inArea(D1))).map((row): [string, unknown] => [String(row.theme), row.mentions]));
    assert.deepEqual(themes, { kept_informed: 2, staff_attitude: 1, waiting: 1, court: 1, safety: 1 });
    const columns = (await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'insight_feedback_theme_day'`.execute(db())).rows.map((row) => row.column_name);
    assert.deepEqual(columns.sort(), ['area_id', 'day', 'mentions', 'theme']);
    await assertMatchesRebuild();
  });

  it('counts complaints by the London day received, answered in time against the Code clock’s complaint duty', async () => {
    const organisation = await createOrganisation(database.db, { kind: 'police', areaId: coordinator.areaId });
    const received = new Date(`${D1}T10:00:00Z`);
    const complaints: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const { caseId, personId } = await makeCase({ at: `${D1}T08:00:00Z` });
      const complaintId = (await db().insertInto('complaint').values({ case_id: caseId, area_id: coordinator.areaId, organisation_id: organisation.id, body: 'Nobody called me back',
        made_by_account_id: await accountFor(personId), submission_key: randomUUID(), received_at: received }).returning('id').executeTakeFirstOrThrow()).id;
      await event(caseId, 'complaint_received', { complaintId, organisationId: organisation.id }, `complaint:${complaintId}:received`);
      complaints.push(complaintId);
    }
    // Only the complaints' events for the clock: the cases' own referral events would add rights these tests do not set.
    await sql`delete from code_clock_inbox where event_id not in (select id from timeline_event where kind = 'complaint_received')`.execute(db());
    await refreshInsights(db());
    const complaint = async () => (await rows('insight_complaint_day', { ...inArea(D1), organisation_id: organisation.id }))
      .map(({ received: total, answered, answered_in_time, answer_days_total }) => ({ received: total, answered, answered_in_time, answer_days_total }));
    assert.deepEqual(await complaint(), [{ received: 3, answered: 0, answered_in_time: 0, answer_days_total: 0 }]);

    await db().updateTable('complaint').set({ answered_at: new Date(`2026-03-13T16:00:00Z`) }).where('id', '=', complaints[0] ?? '').execute();
    await db().updateTable('complaint').set({ answered_at: new Date(`2026-04-09T16:00:00Z`) }).where('id', '=', complaints[1] ?? '').execute();
    await refreshInsights(db());
    assert.deepEqual(await complaint(), [{ received: 3, answered: 2, answered_in_time: 0, answer_days_total: 33 }], 'no duty yet: the clock has not read the complaints');

    await runCodeClock(db(), { settle: true });
    const duties = await db().selectFrom('obligation').select(['due_at']).where('duty', '=', 'complaint_response').execute();
    assert.equal(duties.length, 3, 'the Code clock made each complaint’s duty');
    await refreshInsights(db());
    assert.deepEqual(await complaint(), [{ received: 3, answered: 2, answered_in_time: 1, answer_days_total: 33 }], 'making the duty marked the complaint’s day');
    await assertMatchesRebuild();
  });

  it('marks every bucket a multi-row statement touches, once each', async () => {
    const crimeIds: string[] = [];
    for (const day of ['2026-05-01', '2026-05-02', '2026-05-03']) crimeIds.push((await makeCase({ at: `${day}T10:00:00Z` })).crimeId ?? '');
    await refreshInsights(db());
    await db().updateTable('crime').set({ offence_group: 'criminal_damage' }).where('id', 'in', crimeIds).execute();
    const marked = await db().selectFrom('insight_dirty').select(['topic', 'day']).orderBy('day').execute();
    assert.deepEqual(marked.map((row) => `${row.topic} ${row.day}`), ['case 2026-05-01', 'case 2026-05-02', 'case 2026-05-03']);
    // An update that changes nothing an aggregate counts marks nothing.
    await refreshInsights(db());
    await db().updateTable('person').set({ communication_needs: 'Large print' }).where('family_name', 'like', 'Upkeep%').execute();
    await db().updateTable('victim_case').set({ updated_at: new Date() }).where('area_id', '=', coordinator.areaId).execute();
    assert.equal((await db().selectFrom('insight_dirty').select('day').execute()).length, 0);
    const before = await refreshInsights(db());
    assert.equal(before.buckets, 0);
    // Many cases inserted in one statement: their days, once each.
    const person = await db().selectFrom('person').select(['id']).where('family_name', 'like', 'Upkeep%').executeTakeFirstOrThrow();
    await db().insertInto('victim_case').values(['2026-05-04T10:00:00Z', '2026-05-04T11:00:00Z', '2026-05-05T10:00:00Z'].map((at) => ({
      person_id: person.id, area_id: coordinator.areaId, role: 'victim' as const, source: 'self_referral' as const, created_at: new Date(at),
    }))).execute();
    assert.deepEqual((await db().selectFrom('insight_dirty').select(['day']).orderBy('day').execute()).map((row) => row.day), ['2026-05-04', '2026-05-05']);
    assert.equal((await refreshInsights(db())).buckets, 2);
    assert.equal((await rows('insight_case_day', { ...inArea('2026-05-04'), source: 'self_referral' }))[0]?.cases, 2);
    await assertMatchesRebuild();
  });

  it('refreshes in batches until the queue is empty', async () => {
    for (const day of ['2026-08-01', '2026-08-02', '2026-08-03']) await makeCase({ at: `${day}T10:00:00Z` });
    // Those three days and today, where each case was opened before the test moved it.
    const queued = (await db().selectFrom('insight_dirty').select('day').execute()).length;
    assert.equal(queued, 4);
    assert.equal((await refreshInsights(db(), { batchSize: 1 })).buckets, queued);
    assert.equal((await db().selectFrom('insight_dirty').select('day').execute()).length, 0);
    assert.equal((await rows('insight_case_day', inArea('2026-08-03')))[0]?.cases, 1);
  });
});
