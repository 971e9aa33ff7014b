// One Haven per embedded data folder: two processes writing one PGlite folder would corrupt it, so the second refuses.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUse extends Error {}

const LOCK_FILE = 'haven.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder for this process and returns the function that gives it back. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
        throw new DataDirInUse(
          `Another Haven (process ${holder}) is already using the data folder ${dataDir}.\n` +
            'Two Havens on one embedded database would corrupt it. Stop the other one first, or set HAVEN_DATA_DIR ' +
            'to a different folder.',
        );
      }
      // The lock was left by a process that has gone (a crash or a kill -9): the folder is free again.
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUse(`Could not lock the data folder ${dataDir}.`);
}
