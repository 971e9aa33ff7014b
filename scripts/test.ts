// What `npm test` runs: lint, types, unit tests, integration tests on PGlite and then on a real PostgreSQL server that
// this script starts and always removes, PostgreSQL-only tests, and browser journeys. It stops at the first failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { globSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, ensureTool, MissingTool } from './ensure-debian-package.ts';
import { startPostgresServer, type PostgresServer } from './postgres-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

class StepFailed extends Error {}

const timings: { name: string; seconds: number; outcome: string }[] = [];
let current: ChildProcess | undefined;
let server: PostgresServer | undefined;
let interrupted = false;

function files(patterns: string[], exclude: (path: string) => boolean = () => false): string[] {
  return globSync(patterns, { cwd: root, exclude: (path) => path.includes('node_modules') })
    .filter((path) => !exclude(path))
    .sort();
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    current = child;
    child.once('error', (error) => {
      console.error(`Could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      current = undefined;
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function step(name: string, work: () => Promise<number | 'skipped'>): Promise<void> {
  if (interrupted) throw new StepFailed('interrupted');
  console.log(`\n━━ ${name}`);
  const started = performance.now();
  let outcome: number | 'skipped';
  try {
    outcome = await work();
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    timings.push({ name, seconds, outcome: 'FAILED' });
    console.error(`\n✘ ${name}: ${error instanceof Error ? error.message : String(error)}`);
    throw new StepFailed(name);
  }
  const seconds = (performance.now() - started) / 1000;
  const label = outcome === 'skipped' ? 'skipped' : outcome === 0 ? 'passed' : 'FAILED';
  timings.push({ name, seconds, outcome: label });
  console.log(`${outcome === 0 || outcome === 'skipped' ? '✔' : '✘'} ${name}: ${label} in ${seconds.toFixed(1)}s`);
  if (interrupted) throw new StepFailed('interrupted');
  if (outcome !== 0 && outcome !== 'skipped') throw new StepFailed(name);
}

/** node --test over the given files, with the spec reporter so the closing tests/pass/fail lines are printed. */
function nodeTest(testFiles: string[], env: NodeJS.ProcessEnv, concurrency = 2): Promise<number | 'skipped'> {
  if (testFiles.length === 0) {
    console.log('No test files yet.');
    return Promise.resolve('skipped');
  }
  const args = [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    // A hung test fails after this long instead of stopping the whole run.
    '--test-timeout=180000',
    ...testFiles,
  ];
  return run(process.execPath, args, env);
}

const unitFiles = () =>
  files(['src/**/*.test.ts'], (path) => path.endsWith('.int.test.ts') || path.endsWith('.pg.test.ts'));
const integrationFiles = () => files(['src/**/*.int.test.ts', 'test/integration/**/*.int.test.ts']);
const postgresOnlyFiles = () => files(['test/postgres/**/*.pg.test.ts']);
const browserFiles = () => files(['test/e2e/**/*.e2e.ts']);

function withoutServer(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  delete env.HAVEN_TEST_POSTGRES_URL;
  delete env.DATABASE_URL;
  return env;
}

async function main(): Promise<void> {
  const started = performance.now();
  await step('Lint (eslint .)', () => run(bin('eslint'), ['.']));
  await step('Types (tsc --noEmit -p .)', () => run(bin('tsc'), ['--noEmit', '-p', '.']));
  await step('Unit tests', () => nodeTest(unitFiles(), withoutServer()));
  await step('Integration tests on PGlite', () => nodeTest(integrationFiles(), withoutServer()));

  try {
    await step('Start PostgreSQL server', async () => {
      server = await startPostgresServer();
      console.log(`PostgreSQL is listening on 127.0.0.1:${server.port} (data in ${server.dir}).`);
      return 0;
    });
    const onServer = { ...withoutServer(), HAVEN_TEST_POSTGRES_URL: server?.url };
    await step('Integration tests on PostgreSQL', () => nodeTest(integrationFiles(), onServer));
    await step('PostgreSQL-only tests', () => nodeTest(postgresOnlyFiles(), onServer));
  } finally {
    if (server) {
      const stopping = performance.now();
      await server.stop();
      server = undefined;
      console.log(`PostgreSQL server stopped and its folder removed in ${((performance.now() - stopping) / 1000).toFixed(1)}s.`);
    }
  }

  await step('Browser journeys (Chromium)', () => {
    const journeys = browserFiles();
    if (journeys.length === 0) return nodeTest(journeys, withoutServer());
    const chromiumPath = ensureTool(chromium);
    return nodeTest(journeys, { ...withoutServer(), HAVEN_CHROMIUM_PATH: chromiumPath });
  });
  printTimings();
  console.log(`\nAll tests passed in ${((performance.now() - started) / 1000).toFixed(1)}s.`);
}

function printTimings(): void {
  console.log('\nStep timings:');
  for (const { name, seconds, outcome } of timings) {
    console.log(`  ${seconds.toFixed(1).padStart(6)}s  ${outcome.padEnd(7)}  ${name}`);
  }
}

function interrupt(signal: NodeJS.Signals): void {
  if (interrupted) {
    // A second Ctrl-C: stop waiting, but still never leave a server running.
    server?.stopSync();
    process.exit(130);
  }
  interrupted = true;
  console.error(`\nInterrupted (${signal}): stopping the running step and cleaning up.`);
  current?.kill(signal);
}
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
process.on('SIGHUP', interrupt);
// Last resort on any other way out (an exception thrown past main): the server and its folder still go.
process.on('exit', () => server?.stopSync());

main().then(
  () => process.exit(0),
  (error: unknown) => {
    printTimings();
    if (interrupted) {
      console.error('\nnpm test was interrupted.');
      process.exit(130);
    }
    if (error instanceof StepFailed) console.error(`\nnpm test FAILED at step: ${error.message}. Later steps did not run.`);
    else if (error instanceof MissingTool) console.error(`\n${error.message}`);
    else console.error('\nnpm test failed unexpectedly:', error);
    process.exit(1);
  },
);
