// `npm run migrate`: brings the configured database's schema up to date and says which migrations ran. Haven also
// migrates on every start; this is for deployments that migrate as a separate step.
import { migrateToLatest } from '../platform/db/migrate.ts';
import type { Db } from '../platform/db/transaction.ts';
import { migrations } from '../migrations/index.ts';
import { runWithDatabase } from './run-with-database.ts';

export async function migrateAndReport(db: Db, description: string): Promise<string> {
  const ran = await migrateToLatest(db, migrations);
  if (!ran.length) return `No migrations to run: ${description} is up to date.`;
  return [`Ran ${ran.length} migration${ran.length === 1 ? '' : 's'} on ${description}:`, ...ran.map((name) => `  ${name}`)].join('\n');
}

if (import.meta.main) {
  await runWithDatabase(async (database, description) => {
    console.log(await migrateAndReport(database.db, description));
    return 0;
  });
}
