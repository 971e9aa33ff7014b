// The Code clock's background work: reading new timeline events about once a second, and the overdue sweep, a pg-boss
// job on a one-minute schedule, so one worker sweeps however many Haven processes run.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { startCodeClock, sweepOverdue, type CodeClockRunner } from './service.ts';

export const OVERDUE_SWEEP_QUEUE = 'code-clock-overdue-sweep';

export async function registerCodeClock(app: FastifyInstance, jobs: JobQueue, db: Db): Promise<void> {
  await jobs.defineQueue(OVERDUE_SWEEP_QUEUE, { retryLimit: 2, retryDelay: 30, expireInSeconds: 600 });
  await jobs.work(OVERDUE_SWEEP_QUEUE, async () => {
    const turned = await sweepOverdue(db);
    if (turned) app.log.info({ turned }, 'Code clock: obligations turned overdue');
  });
  await jobs.schedule(OVERDUE_SWEEP_QUEUE, '* * * * *');
  if (!jobs.runsWorkers) return;
  let clock: CodeClockRunner | undefined;
  app.addHook('onReady', () => {
    clock = startCodeClock(db, app.log);
  });
  app.addHook('onClose', () => clock?.stop());
}
