// Notifications' background work: the runner that reads the inbox about four times a second, and the pg-boss queue
// whose jobs send. Both run only in processes that run workers; any number of such processes may run at once.
//
// To run the worker in a process of its own (a test or bench that kills it):
//   const jobs = createJobQueue({ database, runWorkers: true });
//   const { enqueue } = await registerNotificationWorker(jobs, database.db, config, log);
//   await jobs.start(log);
//   const runner = startNotificationRunner({ db: database.db, enqueue }, log);
//   ... await runner.stop(); await jobs.stop();
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/transaction.ts';
import { startRepeating, type Repeating } from '../../platform/jobs/repeating.ts';
import type { JobLog, JobQueue } from '../../platform/jobs/job-queue.ts';
import { createNotifyClientSender } from '../../platform/notify/sender.ts';
import { registerNotificationPages } from './routes.ts';
import { SEND_RETRY_LIMIT } from './rules.ts';
import { outboxSender, rateKeyIdOf, runNotificationInbox, sendNotification, type EnqueueSend, type NotificationDeps } from './service.ts';

export const NOTIFICATION_QUEUE = 'notification-send';
const RUNNER_INTERVAL_MS = 250;

/** Declares the send queue and its handler; returns how to enqueue a send, for the runner and the receipts. */
export async function registerNotificationWorker(jobs: JobQueue, db: Db, config: Config, log?: JobLog): Promise<{ enqueue: EnqueueSend; deps: NotificationDeps }> {
  await jobs.defineQueue(NOTIFICATION_QUEUE, {
    retryLimit: SEND_RETRY_LIMIT,
    retryDelay: config.notifyRetryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: 300,
  });
  const enqueue: EnqueueSend = async (trx, notificationId, startAfter) => {
    await jobs.enqueue(trx, NOTIFICATION_QUEUE, { notificationId }, startAfter ? { startAfter } : {});
  };
  const deps: NotificationDeps = {
    db,
    sender: config.notifyApiKey ? createNotifyClientSender({ apiKey: config.notifyApiKey, ...(config.notifyBaseUrl ? { baseUrl: config.notifyBaseUrl } : {}) }) : outboxSender(db),
    // The outbox counts as delivered only where nobody real is waiting (development and test); in production a missing
    // key must not look like a victim was told, so the message stays 'sent' and the Code duty stays open.
    outbox: !config.notifyApiKey && config.env !== 'production',
    rateKeyId: rateKeyIdOf(config.notifyApiKey),
    ratePerMinute: config.notifyRatePerMinute,
    templateIds: config.notifyTemplateIds,
    signInUrl: `${config.havenBaseUrl}/my-case`,
    enqueue,
  };
  // A short polling interval keeps an event's message within a second or two of it; several at once keep up with the
  // permitted rate while each waits for its send slot.
  await jobs.work<{ notificationId: string }>(
    NOTIFICATION_QUEUE,
    async (data, job) => {
      try {
        await sendNotification(deps, data.notificationId, job);
      } catch (error) {
        log?.warn({ notificationId: data.notificationId, retryCount: job.retryCount, err: error instanceof Error ? error.message : 'unknown' }, 'Notification not sent; it will be retried');
        throw error;
      }
    },
    // A small batch, fetched again at once while batches come back full: a burst drains at the permitted rate instead
    // of one poll's worth every half second, and a failing job holds back at most the few fetched with it.
    { pollingIntervalSeconds: 0.5, localConcurrency: 8, batchSize: 4, burstWhenBatchFull: true },
  );
  return { enqueue, deps };
}

export type NotificationRunner = Repeating;

/** Reads the inbox every intervalMs; a failed turn is logged and retried on the next. */
export function startNotificationRunner(deps: Pick<NotificationDeps, 'db' | 'enqueue'>, log: { error(object: unknown, message: string): void }, intervalMs = RUNNER_INTERVAL_MS): NotificationRunner {
  return startRepeating(() => runNotificationInbox(deps), log, 'Notifications could not read their inbox', intervalMs);
}

/** Everything notifications add to the application: the worker and runner (in worker processes) and the pages. */
export async function registerNotifications(app: FastifyInstance, jobs: JobQueue, db: Db, config: Config): Promise<void> {
  const { enqueue } = await registerNotificationWorker(jobs, db, config, app.log);
  registerNotificationPages(app, { db, enqueue, callbackToken: config.notifyCallbackToken, showOutbox: config.env !== 'production' });
  if (!jobs.runsWorkers) return;
  let runner: NotificationRunner | undefined;
  app.addHook('onReady', () => {
    runner = startNotificationRunner({ db, enqueue }, app.log);
  });
  app.addHook('onClose', () => runner?.stop());
}
