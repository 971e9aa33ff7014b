// The notifications worker in a process of its own, as `--worker-only` runs it, for the kill -9 test and the bench:
// it opens the database named by DATABASE_URL, starts the job queue with workers, the notification send worker and the
// inbox runner, and prints "ready" once it is taking work. Notify is whatever NOTIFY_API_KEY and NOTIFY_BASE_URL name
// (the fake server). SIGTERM stops it cleanly; the tests kill it with SIGKILL to see nothing is lost or doubled.
import { readConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { createJobQueue, type JobLog } from '../../src/platform/jobs/job-queue.ts';
import { registerNotificationWorker, startNotificationRunner } from '../../src/features/notifications/worker.ts';

const config = readConfig(process.env);
if (!config.databaseUrl) throw new Error('DATABASE_URL must name the database to work on.');
if (!config.notifyApiKey) throw new Error('NOTIFY_API_KEY must be set: this process sends through Notify (the fake one).');

// Warnings and errors only, one line each, on stderr: a retry after Notify was unavailable is expected here.
const quiet = process.env.WORKER_LOG !== 'verbose';
const text = (object: object) => JSON.stringify(object, (_key, value: unknown) => (value instanceof Error ? value.message : value));
const log: JobLog = {
  info: (object, message) => {
    if (!quiet) console.error(message, text(object));
  },
  warn: (object, message) => {
    if (!quiet) console.error(message, text(object));
  },
  error: (object, message) => console.error(message, text(object)),
};

const database = await openDatabase({ url: config.databaseUrl });
const jobs = createJobQueue({ database, runWorkers: true, gracePeriodMs: 5000 });
const { enqueue } = await registerNotificationWorker(jobs, database.db, config, log);
await jobs.start(log);
const runner = startNotificationRunner({ db: database.db, enqueue }, log);
process.stdout.write('ready\n');

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await runner.stop();
    await jobs.stop();
    await database.close();
    process.exit(0);
  })();
});
