// The background worker for imports that came in by the upload page or the API: it processes the staged rows. A run
// that dies is retried, and each retry resumes from the rows still pending.
import { systemActor } from '../../platform/auth/identity.ts';
import type { Db, Trx } from '../../platform/db/transaction.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { failImport, IMPORT_QUEUE, runImport, type EnqueueImport } from './service.ts';

const RETRY_LIMIT = 3;
const actor = systemActor('import-worker');

export async function registerImportWorker(jobs: JobQueue, db: Db): Promise<EnqueueImport> {
  // An hour for one job: a 50 MB file is about 100,000 rows.
  await jobs.defineQueue(IMPORT_QUEUE, { retryLimit: RETRY_LIMIT, retryDelay: 5, expireInSeconds: 3600 });
  await jobs.work<{ importFileId: string }>(IMPORT_QUEUE, async (data, job) => {
    try {
      await runImport(db, actor, data.importFileId, { signal: job.signal });
    } catch (error) {
      if (job.retryCount >= RETRY_LIMIT) await failImport(db, actor, data.importFileId);
      throw error;
    }
  });
  // One job per import at a time: a repeated upload of an unfinished file does not queue a second.
  return async (trx: Trx, importFileId: string) => {
    await jobs.enqueue(trx, IMPORT_QUEUE, { importFileId }, { singletonKey: importFileId });
  };
}
