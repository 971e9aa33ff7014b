// A throwaway PostgreSQL server with one migrated database, for a bench to load and measure; always stopped afterwards,
// on an exception, Ctrl+C or a kill too, so no bench leaves a server running on a shared machine.
import pg from 'pg';
import { startPostgresServer } from '../scripts/postgres-server.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrations } from '../src/migrations/index.ts';

export async function withBenchDatabase<T>(name: string, work: (database: Database, url: string) => Promise<T>): Promise<T> {
  const server = await startPostgresServer();
  const onExit = () => server.stopSync();
  const onSignal = (signal: NodeJS.Signals) => {
    server.stopSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let database: Database | undefined;
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString() });
    await migrateToLatest(database.db, migrations);
    return await work(database, url.toString());
  } finally {
    await database?.close();
    await server.stop();
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
