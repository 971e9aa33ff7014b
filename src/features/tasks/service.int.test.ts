// Case tasks against a real database: raising is idempotent by key, open tasks are listed, completing records who and
// when, and every write is audited.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import type { Actor } from '../../platform/auth/identity.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Conflict, Invalid, NotFound } from '../../platform/http/domain-errors.ts';
import { openCase } from '../cases/service.ts';
import { createPerson } from '../people/service.ts';
import { completeOpenTasksOfKind, completeTask, listOpenTasksForCase, raiseTask } from './service.ts';

const feed: Actor = { kind: 'system', label: 'police-feed' };

describe('case tasks', () => {
  let database: TestDatabase;
  let coordinator: TestStaffUser;
  let actor: Actor;
  const cases: string[] = [];

  before(async () => {
    database = await createTestDatabase();
    coordinator = await createStaffUser(database.db, { role: 'coordinator' });
    actor = {
      kind: 'staff',
      staff: { ...coordinator, userId: coordinator.id, role: 'coordinator' },
    };
    for (const name of ['First', 'Second']) {
      cases.push(
        await inTransaction(database.db, async (trx) => {
          const person = await createPerson(trx, feed, { areaId: coordinator.areaId, givenName: name });
          return (await openCase(trx, feed, { personId: person.id, crimeId: null, role: 'victim', source: 'self_referral' })).case.id;
        }),
      );
    }
  });
  after(async () => {
    await database.drop();
  });

  const input = (overrides: Partial<Parameters<typeof raiseTask>[2]> = {}) => ({
    caseId: cases[0]!,
    kind: 'manual_offence_classification' as const,
    title: 'Classify offence code 999/99',
    owningOrganisationId: coordinator.organisationId,
    idempotencyKey: 'crime:1:unknown-offence',
    ...overrides,
  });

  it('raises a task once per key, and refuses a key from another case', async () => {
    const first = await inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ dueAt: new Date('2026-04-01T16:00:00Z') })));
    const again = await inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ title: 'Something else' })));
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.task.id, first.task.id);
    assert.equal(again.task.title, 'Classify offence code 999/99');
    assert.equal(first.task.dueAt?.toISOString(), '2026-04-01T16:00:00.000Z');
    await assert.rejects(inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ caseId: cases[1]! }))), Conflict);
    const audit = await database.db.selectFrom('audit_event').select('action').where('action', '=', 'case_task.raised').execute();
    assert.equal(audit.length, 1);
  });

  it('refuses a task without a title or key, or of an unknown kind', async () => {
    await assert.rejects(inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ title: ' ', idempotencyKey: 'x' }))), Invalid);
    await assert.rejects(inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ idempotencyKey: '' }))), Invalid);
    await assert.rejects(inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ kind: 'tea' as never, idempotencyKey: 'y' }))), Invalid);
  });

  it('lists open tasks oldest first and completes one with who and when', async () => {
    await inTransaction(database.db, (trx) => raiseTask(trx, actor, input({ kind: 'marac_referral', title: 'Refer to MARAC', idempotencyKey: 'assessment:1:marac' })));
    const open = await inTransaction(database.db, (trx) => listOpenTasksForCase(trx, cases[0]!));
    assert.deepEqual(open.map((task) => task.kind), ['manual_offence_classification', 'marac_referral']);
    assert.equal(open[1]!.raisedByUserId, coordinator.id);

    const when = new Date('2026-04-02T09:30:00Z');
    const done = await inTransaction(database.db, (trx) => completeTask(trx, actor, cases[0]!, open[0]!.id, when));
    assert.deepEqual([done.status, done.completedByUserId, done.completedAt?.toISOString()], ['completed', coordinator.id, when.toISOString()]);
    const twice = await inTransaction(database.db, (trx) => completeTask(trx, actor, cases[0]!, open[0]!.id, new Date()));
    assert.equal(twice.completedAt?.toISOString(), when.toISOString());
    const left = await inTransaction(database.db, (trx) => listOpenTasksForCase(trx, cases[0]!));
    assert.deepEqual(left.map((task) => task.kind), ['marac_referral']);
    const audit = await database.db.selectFrom('audit_event').select('action').where('action', '=', 'case_task.completed').execute();
    assert.equal(audit.length, 1);
  });

  it('completes every open task of one kind on a case, and leaves the others open', async () => {
    await inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ caseId: cases[1]!, idempotencyKey: 'crime:2:unknown-offence' })));
    await inTransaction(database.db, (trx) => raiseTask(trx, feed, input({ caseId: cases[1]!, kind: 'marac_referral', title: 'Refer to MARAC', idempotencyKey: 'assessment:2:marac' })));
    const done = await inTransaction(database.db, (trx) => completeOpenTasksOfKind(trx, actor, cases[1]!, 'manual_offence_classification'));
    assert.deepEqual(done.map((task) => [task.kind, task.status, task.completedByUserId]), [['manual_offence_classification', 'completed', coordinator.id]]);
    const again = await inTransaction(database.db, (trx) => completeOpenTasksOfKind(trx, actor, cases[1]!, 'manual_offence_classification'));
    assert.equal(again.length, 0, 'nothing is left to complete');
    const left = await inTransaction(database.db, (trx) => listOpenTasksForCase(trx, cases[1]!));
    assert.deepEqual(left.map((task) => task.kind), ['marac_referral']);
  });

  it('finds no task on another case or by a malformed id', async () => {
    const [task] = await inTransaction(database.db, (trx) => listOpenTasksForCase(trx, cases[0]!));
    await assert.rejects(inTransaction(database.db, (trx) => completeTask(trx, actor, cases[1]!, task!.id)), NotFound);
    await assert.rejects(inTransaction(database.db, (trx) => completeTask(trx, actor, cases[0]!, 'not-an-id')), NotFound);
  });
});
