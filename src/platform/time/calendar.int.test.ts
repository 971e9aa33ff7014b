// One-off bank holidays on a real database (PGlite, or PostgreSQL when HAVEN_TEST_POSTGRES_URL is set): adding one,
// reading it back merged with the shipped calendar, the checks, the audit event, and the per-process cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../auth/identity.ts';
import { inTransaction } from '../db/transaction.ts';
import { Forbidden, Invalid } from '../http/domain-errors.ts';
import { createStaffUser, type TestStaffUser } from '../../../test/support/staff.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { HOLIDAY_CACHE_MS, addOneOffHoliday, holidaysFor, refreshHolidays } from './calendar.ts';
import { listAddedHolidays } from './repository.ts';
import { dueBy } from './working-days.ts';

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

/** The field errors of an Invalid, for comparing. */
async function fieldErrors(work: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await work;
  } catch (error) {
    if (error instanceof Invalid) return error.fields;
    throw error;
  }
  assert.fail('expected Invalid');
}

describe('one-off bank holidays', () => {
  let database: TestDatabase;
  let admin: TestStaffUser;
  let coordinator: TestStaffUser;

  before(async () => {
    database = await createTestDatabase();
    admin = await createStaffUser(database.db, { role: 'administrator' });
    coordinator = await createStaffUser(database.db, { organisationId: admin.organisationId, role: 'coordinator' });
  });
  after(async () => {
    await database.drop();
  });

  it('adds a day, reads it back merged with the shipped calendar, and audits it', async () => {
    const before = await holidaysFor(database.db);
    assert.ok(!before.has('2026-04-07'));
    const trigger = new Date('2026-04-03T16:00:00+01:00');
    assert.equal(dueBy(trigger, 1, before).toISOString(), '2026-04-07T22:59:59.999Z');

    const added = await inTransaction(database.db, (trx) => addOneOffHoliday(trx, asActor(admin), { date: ' 2026-04-07 ', name: '  Extra   Easter day ' }));
    assert.deepEqual(added, { date: '2026-04-07', title: 'Extra Easter day', notes: '', origin: 'added' });

    const stored = await listAddedHolidays(database.db);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.date, '2026-04-07');
    assert.equal(stored[0]?.name, 'Extra Easter day');
    assert.equal(stored[0]?.addedByUserId, admin.id);
    assert.ok(stored[0]?.addedAt instanceof Date);

    const calendar = await refreshHolidays(database.db);
    assert.ok(calendar.has('2026-04-07'));
    assert.ok(calendar.has('2026-04-06'), 'the shipped days are still there');
    assert.deepEqual(
      calendar.holidays.find((day) => day.date === '2026-04-07'),
      { date: '2026-04-07', title: 'Extra Easter day', notes: '', origin: 'added' },
    );
    assert.equal(dueBy(trigger, 1, calendar).toISOString(), '2026-04-08T22:59:59.999Z');

    const audit = await database.db.selectFrom('audit_event').selectAll().where('action', '=', 'bank_holiday.added').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.record_type, 'bank_holiday');
    assert.equal(audit[0]?.record_id, '2026-04-07');
    assert.equal(audit[0]?.actor_user_id, admin.id);
    assert.deepEqual(audit[0]?.detail, { date: '2026-04-07', name: 'Extra Easter day' });
  });

  it('keeps its copy until refreshed or stale, so a deadline does not cost a query', async () => {
    const now = Date.now();
    const first = await refreshHolidays(database.db, now);
    assert.equal(await holidaysFor(database.db, now + 1000), first);
    await inTransaction(database.db, (trx) => addOneOffHoliday(trx, asActor(admin), { date: '2031-06-02', name: 'Cache check' }));
    assert.ok(!(await holidaysFor(database.db, now + 1000)).has('2031-06-02'), 'the cached copy is still served');
    assert.ok((await holidaysFor(database.db, now + HOLIDAY_CACHE_MS + 1)).has('2031-06-02'), 'a stale copy is reloaded');
  });

  it('refuses a day that is already a bank holiday, shipped or added, with nothing stored', async () => {
    const actor = asActor(admin);
    assert.deepEqual(await fieldErrors(inTransaction(database.db, (trx) => addOneOffHoliday(trx, actor, { date: '2026-12-28', name: 'Again' }))), {
      date: 'That date is already a bank holiday',
    });
    assert.deepEqual(await fieldErrors(inTransaction(database.db, (trx) => addOneOffHoliday(trx, actor, { date: '2026-04-07', name: 'Again' }))), {
      date: 'That date is already a bank holiday',
    });
    assert.equal((await listAddedHolidays(database.db)).length, 2);
  });

  it('checks the date and the name', async () => {
    const add = (date: string, name: string) => fieldErrors(inTransaction(database.db, (trx) => addOneOffHoliday(trx, asActor(admin), { date, name })));
    assert.deepEqual(await add('', ''), { date: 'Enter the date of the bank holiday', name: 'Enter the name of the bank holiday' });
    assert.deepEqual(await add('2027-02-30', 'X'), { date: 'Date of the bank holiday must be a real date' });
    assert.deepEqual(await add('2027-06-05', 'X'), { date: 'Date of the bank holiday must be a weekday' });
    assert.deepEqual(await add('2036-06-02', 'X'), { date: 'Date of the bank holiday must be between 2020 and 2035' });
    assert.deepEqual(await add('2019-06-03', 'X'), { date: 'Date of the bank holiday must be between 2020 and 2035' });
    assert.deepEqual(await add('2027-06-04', 'x'.repeat(121)), { name: 'Name of the bank holiday must be 120 characters or fewer' });
  });

  it('lets only an administrator or the system add a day', async () => {
    await assert.rejects(
      inTransaction(database.db, (trx) => addOneOffHoliday(trx, asActor(coordinator), { date: '2027-06-04', name: 'No' })),
      Forbidden,
    );
    await assert.rejects(inTransaction(database.db, (trx) => addOneOffHoliday(trx, { kind: 'public' }, { date: '2027-06-04', name: 'No' })), Forbidden);
    const added = await inTransaction(database.db, (trx) =>
      addOneOffHoliday(trx, { kind: 'system', label: 'cli' }, { date: '2027-06-04', name: 'From the command line' }),
    );
    assert.equal(added.date, '2027-06-04');
    const stored = (await listAddedHolidays(database.db)).find((day) => day.date === '2027-06-04');
    assert.equal(stored?.addedByUserId, null);
  });
});
