// Keeps the insights aggregates current: in a process that runs workers, the queue of stale buckets is refreshed every
// few seconds, one turn at a time, so a dashboard is at most a few seconds behind the raw tables.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { startRepeating, type Repeating } from '../../platform/jobs/repeating.ts';
import { refreshInsights } from './service.ts';

export const INSIGHT_REFRESH_INTERVAL_MS = 5000;

export function registerInsightUpkeep(app: FastifyInstance, jobs: JobQueue, db: Db): Promise<void> {
  if (!jobs.runsWorkers) return Promise.resolve();
  let upkeep: Repeating | undefined;
  app.addHook('onReady', () => {
    upkeep = startRepeating(() => refreshInsights(db), app.log, 'Insights upkeep: the refresh failed', INSIGHT_REFRESH_INTERVAL_MS);
  });
  app.addHook('onClose', () => upkeep?.stop());
  return Promise.resolve();
}
