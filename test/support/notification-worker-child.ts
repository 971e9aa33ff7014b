// Starts test/support/notification-worker-process.ts as a child process and waits until it says it is taking work.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./notification-worker-process.ts', import.meta.url));

export type WorkerChild = {
  child: ChildProcess;
  /** Resolves when the process has gone, however it went. */
  exited: Promise<void>;
  /** Sends the signal and waits for the process to go. */
  stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
};

export type WorkerEnvironment = { databaseUrl: string; notifyApiKey: string; notifyBaseUrl: string; ratePerMinute: number; retryDelaySeconds?: number };

export async function startWorkerChild(environment: WorkerEnvironment, readyWithinMs = 60_000): Promise<WorkerChild> {
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: environment.databaseUrl,
      NOTIFY_API_KEY: environment.notifyApiKey,
      NOTIFY_BASE_URL: environment.notifyBaseUrl,
      NOTIFY_RATE_PER_MINUTE: String(environment.ratePerMinute),
      NOTIFY_RETRY_DELAY_SECONDS: String(environment.retryDelaySeconds ?? 1),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: 'SIGKILL' | 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  // Never leave a worker behind when the test process ends.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The notifications worker did not become ready in time.')), readyWithinMs);
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The notifications worker ended before it was ready (exit ${String(child.exitCode ?? child.signalCode)}).`));
    });
  }).catch(async (error: unknown) => {
    await stop('SIGKILL');
    throw error;
  });
  return { child, exited, stop };
}
