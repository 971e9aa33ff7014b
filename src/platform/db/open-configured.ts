// Opens the database the configuration names, for the server and the command-line tools alike: PostgreSQL when
// DATABASE_URL is set, otherwise the embedded database in the data folder, which one process at a time may hold.
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import { openDatabase, type Database } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';

export type ConfiguredDatabase = {
  database: Database;
  /** Where the data lives, for messages: never the URL, which may hold a password. */
  description: string;
  /** Gives the data folder back; does nothing on PostgreSQL. Call it after closing the database. */
  unlock: () => void;
};

export async function openConfiguredDatabase(config: Config): Promise<ConfiguredDatabase> {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return {
      database: await openDatabase({ url: config.databaseUrl }),
      description: `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`,
      unlock: () => undefined,
    };
  }
  const unlock = lockDataDir(config.dataDir);
  try {
    return {
      database: await openDatabase({ dataDir: join(config.dataDir, 'pglite') }),
      description: `the embedded database in ${config.dataDir}`,
      unlock,
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
