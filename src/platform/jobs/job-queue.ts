// Haven's job queue: pg-boss over our database layer. Jobs are enqueued inside the caller's transaction, so a change and
// the work it sets off commit together or not at all. Web-only processes enqueue but never run handlers.
import { PgBoss, type Job, type Queue, type SendOptions } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { Trx } from '../db/transaction.ts';
import { executorOver } from './transaction-executor.ts';
import { withTimeLimit } from './time-limit.ts';

/** The logger the queue reports to: Fastify's pino logger fits. */
export type JobLog = {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
};

export type JobContext = { id: string; name: string; retryCount: number; signal: AbortSignal };
export type JobHandler<T> = (data: T, job: JobContext) => Promise<void>;

/** Per-queue settings: retries, expiry and retention. They apply to every job sent to the queue. */
export type QueueSettings = Omit<Queue, 'name'>;
/** Per-job settings: when it may start, de-duplication and priority. */
export type EnqueueOptions = Pick<SendOptions, 'startAfter' | 'singletonKey' | 'singletonSeconds' | 'priority' | 'id'>;
export type WorkOptions = {
  batchSize?: number;
  pollingIntervalSeconds?: number;
  localConcurrency?: number;
  /** Fetch again at once while each fetch comes back full, instead of waiting the polling interval: for a backlog. */
  burstWhenBatchFull?: boolean;
};

export type QueueDepth = { queue: string; waiting: number; active: number };

export type JobQueue = {
  /** Declares a queue; every queue a process sends to or works must be declared before or after start. */
  defineQueue(name: string, settings?: QueueSettings): Promise<void>;
  /** Runs handler for each job on the queue, in processes that run workers; declares the queue everywhere. */
  work<T extends object>(name: string, handler: JobHandler<T>, options?: WorkOptions): Promise<void>;
  /**
   * Runs the queue's job on a cron schedule (UTC), in processes that run workers. pg-boss keeps one schedule per queue
   * across every process, so two workers do not both fire it.
   */
  schedule(name: string, cron: string): Promise<void>;
  /** Adds a job inside trx: it exists only if trx commits. Returns the job id. */
  enqueue(trx: Trx, name: string, data: object, options?: EnqueueOptions): Promise<string>;
  start(log?: JobLog): Promise<void>;
  /** Stops taking jobs, waits for running handlers (up to the grace period), then stops. Safe to call twice. */
  stop(): Promise<void>;
  readonly runsWorkers: boolean;
  /** True when the queue is started and its tables answer within the time given. */
  isHealthy(timeoutMs?: number): Promise<boolean>;
  /** Jobs waiting (created or due for retry, including deferred ones) and running, for every declared queue. */
  depth(): Promise<QueueDepth[]>;
};

export type JobQueueOptions = {
  database: Database;
  /** False for a web-only process: no handlers, no maintenance or cron. */
  runWorkers: boolean;
  /** How long stop() waits for running handlers. */
  gracePeriodMs?: number;
};

const SCHEMA = 'pgboss';

export class QueueNotDeclared extends Error {}

type Registration = { handler: JobHandler<object>; options: WorkOptions };

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { database, runWorkers } = options;
  const boss = new PgBoss({
    // All of pg-boss's SQL goes through our executor: on PGlite it takes its turn on the one session.
    db: database.jobs,
    backend: database.backend === 'pglite' ? 'pglite' : 'postgres',
    schema: SCHEMA,
    supervise: runWorkers,
    schedule: runWorkers,
    migrate: true,
  });
  const declared = new Map<string, QueueSettings>();
  const created = new Set<string>();
  const handlers = new Map<string, Registration>();
  const schedules = new Map<string, string>();
  let log: JobLog | undefined;
  let state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  let stopping: Promise<void> | undefined;

  // pg-boss reports trouble as 'error' events; an EventEmitter with no listener would end the process instead.
  boss.on('error', (error: Error) => log?.error({ err: error }, 'Job queue error'));
  boss.on('warning', (warning: { message: string }) => log?.warn({ warning: warning.message }, 'Job queue warning'));

  async function createQueue(name: string): Promise<void> {
    if (created.has(name)) return;
    await boss.createQueue(name, declared.get(name) ?? {});
    // Reading the queue once puts it in pg-boss's cache. An enqueue inside a transaction then needs no other query,
    // which on the embedded database would have to wait for the session that transaction holds.
    await boss.getJobById(name, '00000000-0000-0000-0000-000000000000');
    created.add(name);
  }

  async function attachWorker(name: string, registration: Registration): Promise<void> {
    const { batchSize = 1, pollingIntervalSeconds = 2, localConcurrency = 1, burstWhenBatchFull = false } = registration.options;
    await boss.work<object>(name, { batchSize, pollingIntervalSeconds, localConcurrency, burstWhenBatchFull }, async (jobs: Job<object>[]) => {
      for (const job of jobs) {
        await registration.handler(job.data, { id: job.id, name: job.name, retryCount: job.retryCount, signal: job.signal });
      }
    });
  }

  return {
    runsWorkers: runWorkers,

    async defineQueue(name, settings = {}) {
      if (!declared.has(name)) declared.set(name, settings);
      if (state === 'started') await createQueue(name);
    },

    async work(name, handler, workOptions = {}) {
      if (handlers.has(name)) throw new Error(`The job queue ${name} already has a handler.`);
      const registration = { handler: handler as JobHandler<object>, options: workOptions };
      handlers.set(name, registration);
      if (!declared.has(name)) declared.set(name, {});
      if (state !== 'started') return;
      await createQueue(name);
      if (runWorkers) await attachWorker(name, registration);
    },

    async schedule(name, cron) {
      schedules.set(name, cron);
      if (state === 'started' && runWorkers) await boss.schedule(name, cron);
    },

    async enqueue(trx, name, data, enqueueOptions = {}) {
      if (!created.has(name)) {
        throw new QueueNotDeclared(
          `The job queue ${name} is not declared (or the queue is not started): call jobs.defineQueue('${name}') or ` +
            `jobs.work('${name}', …) when the feature registers.`,
        );
      }
      const id = await boss.send(name, data, { ...enqueueOptions, db: executorOver(trx) });
      // send() returns null only when a singletonKey already holds a job: the work is already queued.
      return id ?? '';
    },

    async start(logger) {
      if (state !== 'new') return;
      log = logger;
      state = 'starting';
      await boss.start();
      for (const name of declared.keys()) await createQueue(name);
      if (runWorkers) for (const [name, registration] of handlers) await attachWorker(name, registration);
      if (runWorkers) for (const [name, cron] of schedules) await boss.schedule(name, cron);
      state = 'started';
      log?.info({ queues: [...created], workers: runWorkers }, 'Job queue started');
    },

    stop() {
      if (state === 'new' || state === 'stopped') {
        state = 'stopped';
        return Promise.resolve();
      }
      stopping ??= (async () => {
        state = 'stopping';
        try {
          await boss.stop({ graceful: true, timeout: options.gracePeriodMs ?? 10_000, close: false });
        } catch (error) {
          log?.error({ err: error }, 'Job queue did not stop cleanly');
        } finally {
          state = 'stopped';
        }
      })();
      return stopping;
    },

    async isHealthy(timeoutMs = 1500) {
      if (state !== 'started') return false;
      try {
        await withTimeLimit(database.jobs.executeSql(`select 1 from ${SCHEMA}.version`), timeoutMs);
        return true;
      } catch {
        return false;
      }
    },

    async depth() {
      if (state !== 'started') return [];
      const { rows } = await database.jobs.executeSql(
        `select name, count(*) filter (where state in ('created', 'retry'))::int as waiting,
           count(*) filter (where state = 'active')::int as active
         from ${SCHEMA}.job where state in ('created', 'retry', 'active') group by name`,
      );
      const counts = new Map((rows as { name: string; waiting: number; active: number }[]).map((row) => [row.name, row]));
      return [...created].sort().map((queue) => ({
        queue,
        waiting: Number(counts.get(queue)?.waiting ?? 0),
        active: Number(counts.get(queue)?.active ?? 0),
      }));
    },
  };
}

// Kept for SQL of our own about jobs, such as tests that look for a job row.
export const JOB_SCHEMA = SCHEMA;
