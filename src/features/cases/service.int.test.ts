// People, crimes, cases and the timeline against a real database (PGlite, or PostgreSQL when HAVEN_TEST_POSTGRES_URL is
// set): one transaction for a whole referral, the append-only and idempotent timeline, one case per person per crime,
// coordinator assignment, area scoping, the victim's view, and the matching extensions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { createOrganisation, createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { createPerson } from '../people/service.ts';
import {
  appendTimelineEvent,
  appendTimelineEvents,
  assignCoordinator,
  changeCaseStatus,
  findOrCreateCrime,
  findOrCreateCrimes,
  getCaseForStaff,
  getTimeline,
  openCase,
  openCases,
} from './service.ts';

const asActor = (user: TestStaffUser): Actor => ({
  kind: 'staff',
  staff: {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    organisationId: user.organisationId,
    organisationName: user.organisationName,
    areaId: user.areaId,
  },
});

const feed: Actor = { kind: 'system', label: 'police-feed' };
let counter = 0;
const reference = () => `CR/${Date.now() % 100000}/${++counter}`;

describe('cases service', () => {
  let database: TestDatabase;
  let supervisor: TestStaffUser;
  let coordinator: TestStaffUser;
  let areaId: string;

  before(async () => {
    database = await createTestDatabase();
    supervisor = await createStaffUser(database.db, { role: 'supervisor' });
    coordinator = await createStaffUser(database.db, { role: 'coordinator', organisationId: supervisor.organisationId });
    areaId = supervisor.areaId;
  });
  after(() => database.drop());

  async function referral(options: { given?: string; crimeReference?: string | null; sourceReference?: string } = {}) {
    return inTransaction(database.db, async (trx) => {
      const person = await createPerson(trx, feed, { areaId, givenName: options.given ?? 'Alex', familyName: 'Morgan', phone: '07700 900982' });
      const crime =
        options.crimeReference === null
          ? null
          : (
              await findOrCreateCrime(trx, feed, {
                areaId,
                crimeReference: options.crimeReference ?? reference(),
                offenceCode: '105/01',
                offenceCategory: 'Violence against the person',
              })
            ).crime;
      const opened = await openCase(trx, feed, {
        personId: person.id,
        crimeId: crime?.id ?? null,
        role: 'victim',
        source: 'police_feed',
        sourceReference: options.sourceReference ?? null,
      });
      return { person, crime, ...opened };
    });
  }

  it('creates a person, crime and case in one transaction, with a referral event and audit rows', async () => {
    const { person, crime, case: victimCase, created } = await referral();
    assert.equal(created, true);
    assert.equal(person.phone, '+447700900982');
    assert.equal(person.matchName, 'alex morgan');
    assert.equal(victimCase.status, 'new');
    assert.equal(victimCase.crimeId, crime?.id);
    const events = await database.db.selectFrom('timeline_event').selectAll().where('case_id', '=', victimCase.id).execute();
    assert.deepEqual(events.map((event) => [event.kind, event.visibility]), [['referral_received', 'victim']]);
    const audit = await database.db.selectFrom('audit_event').select(['action', 'detail']).orderBy('id').execute();
    const actions = audit.map((row) => row.action);
    for (const action of ['person.created', 'crime.created', 'case.opened', 'timeline_event.appended']) assert.ok(actions.includes(action), action);
    assert.doesNotMatch(JSON.stringify(audit.map((row) => row.detail)), /Alex|Morgan|7700/);
  });

  it('rolls the whole referral back when a later step fails', async () => {
    const before = await database.db.selectFrom('person').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await assert.rejects(
      inTransaction(database.db, async (trx) => {
        await createPerson(trx, feed, { areaId, givenName: 'Rolled' });
        await findOrCreateCrime(trx, feed, { areaId, crimeReference: '', offenceCode: '', offenceCategory: '' });
      }),
      Invalid,
    );
    const afterCount = await database.db.selectFrom('person').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  it('finds an existing crime by area and reference', async () => {
    const crimeReference = reference();
    const first = await inTransaction(database.db, (trx) =>
      findOrCreateCrime(trx, feed, { areaId, crimeReference, offenceCode: '105/01', offenceCategory: 'Violence' }),
    );
    const again = await inTransaction(database.db, (trx) =>
      findOrCreateCrime(trx, feed, { areaId, crimeReference: ` ${crimeReference.toLowerCase()} `, offenceCode: '8/1', offenceCategory: 'Other' }),
    );
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.crime.id, first.crime.id);
  });

  it('replays a source reference to the first case and allows one case per person per crime', async () => {
    const sourceReference = `POL-${reference()}`;
    const first = await referral({ sourceReference });
    const replay = await inTransaction(database.db, (trx) =>
      openCase(trx, feed, { personId: first.person.id, crimeId: first.crime?.id ?? null, role: 'victim', source: 'police_feed', sourceReference }),
    );
    assert.equal(replay.created, false);
    assert.equal(replay.case.id, first.case.id);
    await assert.rejects(
      inTransaction(database.db, (trx) =>
        openCase(trx, feed, { personId: first.person.id, crimeId: first.crime?.id ?? null, role: 'witness', source: 'agency_referral' }),
      ),
      Conflict,
    );
    // The database holds the line too, whatever a service might do.
    await assert.rejects(
      database.db
        .insertInto('victim_case')
        .values({ person_id: first.person.id, crime_id: first.crime?.id ?? null, area_id: areaId, role: 'witness', source: 'file_import' })
        .execute(),
      /unique|duplicate/i,
    );
    // A self-referral without a crime can stand beside it.
    const selfReferral = await inTransaction(database.db, (trx) =>
      openCase(trx, { kind: 'public' }, { personId: first.person.id, crimeId: null, role: 'victim', source: 'self_referral' }),
    );
    assert.equal(selfReferral.case.crimeId, null);
  });

  it('appends an event once per idempotency key and refuses to change or remove events', async () => {
    const { case: victimCase } = await referral();
    const event = {
      caseId: victimCase.id,
      kind: 'arrest',
      summary: 'Someone has been arrested',
      source: 'police_feed',
      idempotencyKey: `police:arrest:${victimCase.id}`,
      visibility: 'victim' as const,
      occurredAt: new Date('2026-01-02T10:00:00Z'),
    };
    const first = await inTransaction(database.db, (trx) => appendTimelineEvent(trx, feed, event));
    const second = await inTransaction(database.db, (trx) => appendTimelineEvent(trx, feed, { ...event, summary: 'changed' }));
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.event.id, first.event.id);
    assert.equal(second.event.summary, 'Someone has been arrested');
    const count = await database.db
      .selectFrom('timeline_event')
      .select(sql<number>`count(*)`.as('n'))
      .where('idempotency_key', '=', event.idempotencyKey)
      .executeTakeFirstOrThrow();
    assert.equal(count.n, 1);
    await assert.rejects(
      database.db.updateTable('timeline_event').set({ summary: 'edited' }).where('id', '=', first.event.id).execute(),
      /append-only/,
    );
    await assert.rejects(database.db.deleteFrom('timeline_event').where('id', '=', first.event.id).execute(), /append-only/);
  });

  it('does in a batch exactly what the one-at-a-time functions do: shared crimes once, results in order, replays found', async () => {
    const shared = reference();
    const other = reference();
    const crimes = await inTransaction(database.db, (trx) =>
      findOrCreateCrimes(trx, feed, [
        { areaId, crimeReference: shared, offenceCode: '105/01', offenceCategory: 'Violence' },
        { areaId, crimeReference: other, offenceCode: '105/01', offenceCategory: 'Violence' },
        { areaId, crimeReference: ` ${shared.toLowerCase()} `, offenceCode: '105/01', offenceCategory: 'Violence' },
      ]),
    );
    assert.deepEqual(crimes.map((found) => found.created), [true, true, false]);
    assert.equal(crimes[2]?.crime.id, crimes[0]?.crime.id);
    assert.equal(crimes[1]?.crime.crimeReference, other);
    const audited = await database.db.selectFrom('audit_event').select(sql<number>`count(*)::int`.as('n'))
      .where('action', '=', 'crime.created').where('record_id', '=', crimes[0]?.crime.id ?? '').executeTakeFirstOrThrow();
    assert.equal(audited.n, 1);

    const people = await inTransaction(database.db, async (trx) => [
      await createPerson(trx, feed, { areaId, givenName: 'Sam', familyName: 'Okafor' }),
      await createPerson(trx, feed, { areaId, givenName: 'Ria', familyName: 'Patel' }),
    ]);
    const inputs = people.map((person, index) => ({
      personId: person.id,
      crimeId: crimes[index]?.crime.id ?? null,
      role: 'victim' as const,
      source: 'file_import' as const,
      sourceReference: `FILE-${reference()}`,
    }));
    const opened = await inTransaction(database.db, (trx) => openCases(trx, feed, inputs));
    assert.deepEqual(opened.map((result) => [result.case.personId, result.created]), people.map((person) => [person.id, true]));
    const replayed = await inTransaction(database.db, (trx) => openCases(trx, feed, [...inputs].reverse()));
    assert.deepEqual(replayed.map((result) => [result.case.id, result.created]), [...opened].reverse().map((result) => [result.case.id, false]));
    const events = await database.db.selectFrom('timeline_event').select('case_id')
      .where('case_id', 'in', opened.map((result) => result.case.id)).where('kind', '=', 'referral_received').execute();
    assert.equal(events.length, 2);

    // A key already used on another case is refused, as appendTimelineEvent refuses it, and nothing of the batch stays.
    const [first, second] = opened.map((result) => result.case.id);
    const key = `batch:${first}:note`;
    const note = (caseId: string | undefined, idempotencyKey: string) => ({
      caseId: caseId ?? '', kind: 'note', summary: 'A note', source: 'staff', idempotencyKey, visibility: 'staff' as const, occurredAt: new Date(),
    });
    await inTransaction(database.db, (trx) => appendTimelineEvents(trx, feed, [note(first, key)]));
    await assert.rejects(
      inTransaction(database.db, (trx) => appendTimelineEvents(trx, feed, [note(second, `batch:${second}:fresh`), note(second, key)])),
      Conflict,
    );
    const fresh = await database.db.selectFrom('timeline_event').select('id').where('idempotency_key', '=', `batch:${second}:fresh`).execute();
    assert.equal(fresh.length, 0);
  });

  it('lets a hub supervisor assign an active coordinator of the hub, with a timeline event and an audit row', async () => {
    const { case: victimCase } = await referral();
    const assigned = await assignCoordinator(database.db, asActor(supervisor), victimCase.id, coordinator.id);
    assert.equal(assigned.coordinatorUserId, coordinator.id);
    const timeline = await getTimeline(database.db, asActor(coordinator), victimCase.id, 'staff');
    assert.deepEqual(timeline.map((event) => event.kind), ['referral_received', 'coordinator_assigned']);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id'])
      .where('record_id', '=', victimCase.id)
      .where('action', '=', 'case.coordinator_assigned')
      .execute();
    assert.deepEqual(audit, [{ action: 'case.coordinator_assigned', actor_user_id: supervisor.id }]);
  });

  it('refuses assignees who are not active coordinators of the hub, and actors who are not hub staff', async () => {
    const { case: victimCase } = await referral();
    const disabled = await createStaffUser(database.db, { role: 'coordinator', status: 'disabled', organisationId: supervisor.organisationId });
    const otherHub = await createStaffUser(database.db, { role: 'coordinator' });
    const administrator = await createStaffUser(database.db, { role: 'administrator', organisationId: supervisor.organisationId });
    for (const assignee of [disabled.id, otherHub.id, supervisor.id, 'not-a-uuid']) {
      await assert.rejects(assignCoordinator(database.db, asActor(supervisor), victimCase.id, assignee), Invalid);
    }
    await assert.rejects(assignCoordinator(database.db, asActor(administrator), victimCase.id, coordinator.id), Forbidden);
    const police = await createOrganisation(database.db, { kind: 'police', areaId });
    const officer = await createStaffUser(database.db, { role: 'coordinator', organisationId: police.id });
    await assert.rejects(assignCoordinator(database.db, asActor(officer), victimCase.id, coordinator.id), Forbidden);
  });

  it('answers NotFound for a case in another area, and for people who may not see cases', async () => {
    const { case: victimCase } = await referral();
    const elsewhere = await createStaffUser(database.db, { role: 'supervisor' });
    await assert.rejects(getCaseForStaff(database.db, asActor(elsewhere), victimCase.id), NotFound);
    await assert.rejects(getTimeline(database.db, asActor(elsewhere), victimCase.id, 'staff'), NotFound);
    await assert.rejects(assignCoordinator(database.db, asActor(elsewhere), victimCase.id, coordinator.id), NotFound);
    await assert.rejects(getCaseForStaff(database.db, asActor(coordinator), 'not-a-uuid'), NotFound);
    await assert.rejects(getCaseForStaff(database.db, feed, victimCase.id), NotFound);
    const seen = await getCaseForStaff(database.db, asActor(coordinator), victimCase.id);
    assert.equal(seen.person.givenName, 'Alex');
    const audit = await database.db
      .selectFrom('audit_event')
      .select('actor_user_id')
      .where('record_id', '=', victimCase.id)
      .where('action', '=', 'case.viewed')
      .execute();
    assert.deepEqual(audit, [{ actor_user_id: coordinator.id }]);
  });

  it('changes status with a reason to close, on the staff-only timeline the victim view leaves out', async () => {
    const { case: victimCase } = await referral();
    await assert.rejects(changeCaseStatus(database.db, asActor(coordinator), victimCase.id, 'closed'), Invalid);
    await changeCaseStatus(database.db, asActor(coordinator), victimCase.id, 'contacted');
    const closed = await changeCaseStatus(database.db, asActor(coordinator), victimCase.id, 'closed', 'Declined support');
    assert.equal(closed.status, 'closed');
    await assert.rejects(changeCaseStatus(database.db, asActor(coordinator), victimCase.id, 'new'), Invalid);
    const staffView = await getTimeline(database.db, asActor(coordinator), victimCase.id, 'staff');
    const victimView = await getTimeline(database.db, asActor(coordinator), victimCase.id, 'victim');
    assert.deepEqual(staffView.map((event) => event.kind), ['referral_received', 'status_changed', 'status_changed']);
    assert.deepEqual(victimView.map((event) => event.kind), ['referral_received']);
    // The database refuses a closed case without a reason.
    await assert.rejects(
      database.db.updateTable('victim_case').set({ closed_reason: null }).where('id', '=', victimCase.id).execute(),
      /check/i,
    );
  });

  it('has pg_trgm and fuzzystrmatch for matching', async () => {
    const { rows } = await sql<{ similarity: number; code: string; same: string; distance: number }>`
      select similarity('jonathan smith', 'jonathon smyth') as similarity, dmetaphone('Smyth') as code,
        dmetaphone('Smith') as same, levenshtein('morgan', 'morgen') as distance`.execute(database.db);
    const [row] = rows;
    assert.ok(row && row.similarity > 0.3 && row.similarity < 1);
    assert.equal(row.code, row.same);
    assert.equal(row.distance, 1);
    const found = await sql<{ id: string }>`select id from person where match_name % 'alex morgen' limit 1`.execute(database.db);
    assert.equal(found.rows.length, 1);
  });
});
