// Shared frame for the command-line tools: open the configured database (respecting the data-folder lock), run one
// task, always close and unlock, and turn the outcome into an exit code with a plain message.
import { readConfig, ConfigError } from '../config.ts';
import { DataDirInUse } from '../platform/db/data-dir-lock.ts';
import type { Database } from '../platform/db/database.ts';
import { openConfiguredDatabase } from '../platform/db/open-configured.ts';

/** The task returns the process exit code. */
export type DatabaseTask = (database: Database, description: string) => Promise<number>;

export async function runWithDatabase(task: DatabaseTask): Promise<void> {
  let exitCode: number;
  try {
    const { database, description, unlock } = await openConfiguredDatabase(readConfig());
    try {
      exitCode = await task(database, description);
    } finally {
      await database.close();
      unlock();
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirInUse) console.error(error.message);
    else console.error(error);
    exitCode = 1;
  }
  process.exitCode = exitCode;
}
