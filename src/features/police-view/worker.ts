// The stale-case nudge as a pg-boss job on an hourly schedule, so one worker runs it however many Haven processes
// run. Cadences are whole days, so an hour's delay in raising a task is of no consequence. The same hourly job runs
// the messages' reply nudge (features/case-messages), whose target is whole working days too.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/transaction.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { raiseOverdueReplyTasks } from '../case-messages/service.ts';
import { raiseStaleCaseTasks } from './service.ts';

export const STALE_CASE_QUEUE = 'stale-case-nudge';

export async function registerStaleCaseNudge(app: FastifyInstance, jobs: JobQueue, db: Db): Promise<void> {
  await jobs.defineQueue(STALE_CASE_QUEUE, { retryLimit: 2, retryDelay: 60, expireInSeconds: 1800 });
  await jobs.work(STALE_CASE_QUEUE, async () => {
    const raised = await raiseStaleCaseTasks(db);
    if (raised) app.log.info({ raised }, 'Stale cases: tasks raised for the hub');
    const replies = await raiseOverdueReplyTasks(db);
    if (replies) app.log.info({ raised: replies }, 'Unanswered messages: tasks raised for the threads’ owners');
  });
  await jobs.schedule(STALE_CASE_QUEUE, '17 * * * *');
}
