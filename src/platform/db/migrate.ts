// Brings the schema up to date with Kysely's Migrator; run on every start and by `npm run migrate`.
import { Migrator, type Migration } from 'kysely/migration';
import type { Db } from './transaction.ts';

export async function migrateToLatest(db: Db, migrations: Record<string, Migration>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed`, { cause: error });
  }
  return (results ?? []).map((result) => result.migrationName);
}
