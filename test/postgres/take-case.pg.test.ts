// Two coordinators who take the same case from triage at the same moment, on a real PostgreSQL server (PGlite has one
// session, so requests there never overlap): exactly one gets it, the other is told a colleague has it, and the case
// shows one assignment.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/platform/auth/identity.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { Conflict } from '../../src/platform/http/domain-errors.ts';
import { createPerson } from '../../src/features/people/service.ts';
import { assignFromTriage, openCase } from '../../src/features/cases/service.ts';
import { usePostgresServer, type PostgresForTests } from '../support/postgres.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { createStaffUser, type TestStaffUser } from '../support/staff.ts';

const CASES = 20;

let server: PostgresForTests;
let database: TestDatabase;
before(async () => {
  server = await usePostgresServer();
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
  await server?.stop();
});

const asActor = (user: TestStaffUser): Actor => ({
  kind: 'staff',
  staff: { userId: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: user.organisationId, organisationName: user.organisationName, areaId: user.areaId },
});

describe('taking a case from triage on PostgreSQL', () => {
  test(`${CASES} cases, each taken by two coordinators at once: one wins each, the other gets a conflict`, async () => {
    assert.equal(database.backend, 'postgres');
    const first = await createStaffUser(database.db, { role: 'coordinator', displayName: 'First Coordinator' });
    const second = await createStaffUser(database.db, { role: 'coordinator', displayName: 'Second Coordinator', organisationId: first.organisationId });
    const caseIds: string[] = [];
    for (let index = 0; index < CASES; index += 1) {
      caseIds.push(
        await inTransaction(database.db, async (trx) => {
          const system: Actor = { kind: 'system', label: 'test' };
          const person = await createPerson(trx, system, { areaId: first.areaId, givenName: `Taken${index}`, familyName: 'Twice', phone: '07700 900982' });
          return (await openCase(trx, system, { personId: person.id, crimeId: null, role: 'victim', source: 'agency_referral' })).case.id;
        }),
      );
    }
    const outcomes = await Promise.all(
      caseIds.map((caseId) => Promise.allSettled([assignFromTriage(database.db, asActor(first), caseId, undefined), assignFromTriage(database.db, asActor(second), caseId, undefined)])),
    );
    for (const [index, pair] of outcomes.entries()) {
      const won = pair.filter((outcome) => outcome.status === 'fulfilled');
      const lost = pair.filter((outcome) => outcome.status === 'rejected');
      assert.equal(won.length, 1, `case ${index}: exactly one coordinator takes it`);
      assert.ok(lost[0]?.status === 'rejected' && lost[0].reason instanceof Conflict, `case ${index}: the other is told a colleague has it`);
      const winner = won[0]?.status === 'fulfilled' ? won[0].value.case.coordinatorUserId : undefined;
      const stored = await database.db.selectFrom('victim_case').select('coordinator_user_id').where('id', '=', caseIds[index] ?? '').executeTakeFirstOrThrow();
      assert.equal(stored.coordinator_user_id, winner);
      const assignments = await database.db
        .selectFrom('timeline_event')
        .select('id')
        .where('case_id', '=', caseIds[index] ?? '')
        .where('kind', '=', 'coordinator_assigned')
        .execute();
      assert.equal(assignments.length, 1, `case ${index}: one assignment on the timeline`);
    }
  });
});
