// A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on the real PostgreSQL
// server named by HAVEN_TEST_POSTGRES_URL (the test script starts that server). Each file gets its own, so files can
// run in parallel and nothing leaks between them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { migrations } from '../../src/migrations/index.ts';

export type TestDatabase = Database & { url?: string; drop(): Promise<void> };

export const testBackend = (): 'postgres' | 'pglite' => (process.env.HAVEN_TEST_POSTGRES_URL ? 'postgres' : 'pglite');

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.HAVEN_TEST_POSTGRES_URL;
  if (!serverUrl) {
    const database = await openDatabase({ memory: true });
    await migrateToLatest(database.db, migrations);
    return { ...database, drop: () => database.close() };
  }
  const name = `haven_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  await migrateToLatest(database.db, migrations);
  let dropped = false;
  return {
    ...database,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await database.close().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
