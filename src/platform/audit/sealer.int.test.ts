// The sealer links committed audit rows into the hash chain: rows committed out of id order are all sealed, each
// exactly once, and the database refuses any change to a row other than writing its seal once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { systemActor } from '../auth/identity.ts';
import { inTransaction } from '../db/transaction.ts';
import { sealAuditTrail, startAuditSealer } from './sealer.ts';
import { verifyAuditChain } from './verifier.ts';
import { writeAudit, writeAuditMany } from './writer.ts';

const actor = systemActor('sealer-test');

describe('audit sealing', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.drop();
  });

  test('rows are written unsealed, and one pass seals them all in id order with consecutive chain positions', async () => {
    await inTransaction(database.db, (trx) =>
      writeAuditMany(trx, actor, [1, 2, 3].map((step) => ({ action: 'test.step', recordType: 'test', recordId: `many-${step}` }))),
    );
    const unsealed = await database.db.selectFrom('audit_event').select(['hash', 'chain_position']).where('record_id', 'like', 'many-%').execute();
    assert.equal(unsealed.length, 3);
    assert.ok(unsealed.every((row) => row.hash === null && row.chain_position === null));

    assert.ok((await sealAuditTrail(database.db)) >= 3);
    assert.equal(await sealAuditTrail(database.db), 0, 'a second pass has nothing to do');
    const rows = await database.db.selectFrom('audit_event').select(['id', 'chain_position', 'previous_hash', 'hash']).orderBy('chain_position').execute();
    rows.forEach((row, index) => assert.equal(Number(row.chain_position), index + 1));
    for (let index = 1; index < rows.length; index += 1) assert.equal(rows[index]?.previous_hash, rows[index - 1]?.hash);
    assert.deepEqual(await verifyAuditChain(database.db), { ok: true, checked: rows.length });
  });

  test('a batch larger than one statement can carry (65,535 parameters) is written whole', async () => {
    const count = 20_000;
    await inTransaction(database.db, (trx) =>
      writeAuditMany(trx, actor, Array.from({ length: count }, (_, index) => ({ action: 'test.bulk', recordType: 'test', recordId: `bulk-${index}` }))),
    );
    const written = await database.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'test.bulk').executeTakeFirstOrThrow();
    assert.equal(Number(written.n), count);
  });

  test('the database refuses to change what a row says, to reseal it, to unseal it or to delete it', async () => {
    await inTransaction(database.db, (trx) => writeAudit(trx, actor, { action: 'test.guarded', recordType: 'test', recordId: 'guarded' }));
    const row = await database.db.selectFrom('audit_event').select('id').where('record_id', '=', 'guarded').executeTakeFirstOrThrow();
    await assert.rejects(sql`update audit_event set action = 'test.changed' where id = ${row.id}`.execute(database.db), /append-only/);
    await sealAuditTrail(database.db);
    await assert.rejects(sql`update audit_event set hash = ${'f'.repeat(64)} where id = ${row.id}`.execute(database.db), /append-only/);
    await assert.rejects(sql`update audit_event set chain_position = null, hash = null, previous_hash = null where id = ${row.id}`.execute(database.db), /append-only/);
    await assert.rejects(sql`delete from audit_event where id = ${row.id}`.execute(database.db), /append-only/);
    assert.equal((await verifyAuditChain(database.db)).ok, true);
  });

  test('the background sealer seals within its interval, and stopping it seals what is left', async () => {
    const sealer = startAuditSealer(database.db, { intervalMs: 20 });
    try {
      await inTransaction(database.db, (trx) => writeAudit(trx, actor, { action: 'test.background', recordType: 'test', recordId: 'background-1' }));
      const deadline = Date.now() + 10_000;
      for (;;) {
        const row = await database.db.selectFrom('audit_event').select('chain_position').where('record_id', '=', 'background-1').executeTakeFirstOrThrow();
        if (row.chain_position !== null) break;
        assert.ok(Date.now() < deadline, 'the background sealer sealed the row');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await inTransaction(database.db, (trx) => writeAudit(trx, actor, { action: 'test.background', recordType: 'test', recordId: 'background-2' }));
    } finally {
      await sealer.stop();
    }
    const last = await database.db.selectFrom('audit_event').select('chain_position').where('record_id', '=', 'background-2').executeTakeFirstOrThrow();
    assert.notEqual(last.chain_position, null);
  });
});
