// Process entry: read the configuration, open and migrate the database, load demo data, then serve pages and run jobs.
// `--web-only` serves pages without running jobs; `--worker-only` runs jobs without serving pages.
import type { FastifyInstance } from 'fastify';
import { readConfig, ConfigError } from './config.ts';
import { buildApp } from './app.ts';
import { DataDirInUse } from './platform/db/data-dir-lock.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { openConfiguredDatabase } from './platform/db/open-configured.ts';
import { createJobQueue } from './platform/jobs/job-queue.ts';
import { migrations } from './migrations/index.ts';
import { loadDemoData } from './demo/load-demo-data.ts';
import { formatDemoSignIns } from './demo/sign-ins.ts';

type Mode = 'all' | 'web' | 'worker';

/** A stop that takes longer than this has hung: the process leaves anyway rather than ignore the signal. */
const STOP_TIME_LIMIT_MS = 20_000;

function readMode(argv: string[]): Mode {
  const web = argv.includes('--web-only');
  const worker = argv.includes('--worker-only');
  if (web && worker) throw new ConfigError('Choose one of --web-only and --worker-only, not both.');
  return web ? 'web' : worker ? 'worker' : 'all';
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = readConfig();
  const mode = readMode(process.argv.slice(2));
  const { database, unlock, description } = await openConfiguredDatabase(config);
  let app: FastifyInstance | undefined;

  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> =>
    (stopping ??= (async () => {
      if (app) app.log.info({ reason }, 'Haven is stopping');
      else console.log(`Haven is stopping (${reason}).`);
      const timer = setTimeout(() => {
        console.error('Haven did not stop in time; leaving anyway.');
        unlock();
        process.exit(1);
      }, STOP_TIME_LIMIT_MS);
      timer.unref();
      try {
        // Closing the app lets in-flight requests finish, then stops the job queue, which waits for running jobs.
        await app?.close();
        // On the embedded database this checkpoints and closes, so the data folder is whole on disk.
        await database.close();
      } finally {
        unlock();
        clearTimeout(timer);
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal while stopping means the person at the keyboard wants out now.
    if (stopping) process.exit(1);
    void stop(signal).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await migrateToLatest(database.db, migrations);
    const demo = config.env !== 'production';
    if (demo) await loadDemoData(database.db, { env: config.env });
    const jobs = createJobQueue({ database, runWorkers: mode !== 'web' });
    app = await buildApp({ config, database, jobs });
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    if (mode === 'worker') {
      await app.ready();
      console.log(`Haven worker is running on ${description} (no web server; started in ${seconds()}s).`);
      return;
    }
    await app.listen({ port: config.port, host: config.host });
    if (demo) console.log(`\n${formatDemoSignIns()}`);
    const workers = mode === 'web' ? ', no job workers' : '';
    console.log(
      `\nHaven is ready at http://localhost:${config.port} (started in ${seconds()}s on ${description}${workers}).\n` +
        'Press Ctrl+C to stop.',
    );
  } catch (error) {
    await stop('it could not start').catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUse) {
    console.error(error.message);
  } else {
    console.error('Haven could not start:', error);
  }
  process.exit(1);
});
