// Process entry: read the configuration, open and migrate the database, load demo data, then serve pages and run jobs.
import { join } from 'node:path';
import { readConfig, ConfigError, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { DataDirInUse, lockDataDir } from './platform/db/data-dir-lock.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { migrations } from './migrations/index.ts';

type Mode = 'all' | 'web' | 'worker';

function readMode(argv: string[]): Mode {
  if (argv.includes('--web-only')) return 'web';
  if (argv.includes('--worker-only')) return 'worker';
  return 'all';
}

async function openConfiguredDatabase(config: Config): Promise<{ database: Database; unlock: () => void }> {
  if (config.databaseUrl) return { database: await openDatabase({ url: config.databaseUrl }), unlock: () => undefined };
  const unlock = lockDataDir(config.dataDir);
  try {
    return { database: await openDatabase({ dataDir: join(config.dataDir, 'pglite') }), unlock };
  } catch (error) {
    unlock();
    throw error;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = readConfig();
  const mode = readMode(process.argv.slice(2));
  const { database, unlock } = await openConfiguredDatabase(config);
  await migrateToLatest(database.db, migrations);

  const app = await buildApp({ config, database });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'Haven is stopping');
    try {
      await app.close();
      await database.close();
    } finally {
      unlock();
    }
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));

  if (mode !== 'worker') {
    await app.listen({ port: config.port, host: config.host });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`\nHaven is ready at http://localhost:${config.port} (started in ${seconds}s, ${database.backend} database)`);
  } else {
    await app.ready();
    console.log('Haven worker is running (no web server).');
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUse) {
    console.error(error.message);
  } else {
    console.error('Haven could not start:', error);
  }
  process.exit(1);
});
