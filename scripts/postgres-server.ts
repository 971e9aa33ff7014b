// A throwaway PostgreSQL server for the tests: initdb in a temp folder, listening on 127.0.0.1 only on a free port, with
// durability switched off for speed. As root the server runs as the `postgres` user, which PostgreSQL insists on.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTool, postgresServer } from './ensure-debian-package.ts';

export type PostgresServer = {
  /** Superuser URL of the `postgres` database; test helpers create their own databases from it. */
  url: string;
  port: number;
  dir: string;
  /** Stops the server and removes its folder. Safe to call more than once. */
  stop(): Promise<void>;
  /** The same, synchronously, for process exit handlers. */
  stopSync(): void;
};

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function findUser(name: string): { uid: number; gid: number } | undefined {
  const result = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (result.status !== 0 || group.status !== 0) return undefined;
  return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = ensureTool(postgresServer);
  const owner = isRoot() ? findUser('postgres') : undefined;
  if (isRoot() && !owner) throw new Error('Running as root, but there is no `postgres` user to run the server as.');
  // runuser, not su: no PAM session and no password prompt. Not root: we are already an ordinary user.
  const asOwner = (command: string, args: string[]): [string, string[]] =>
    owner ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const run = (command: string, args: string[]): SpawnSyncReturns<string> => {
    const [file, argv] = asOwner(command, args);
    return spawnSync(file, argv, { encoding: 'utf8', cwd: '/' });
  };

  const dir = mkdtempSync(join(tmpdir(), 'haven-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  let stopped = false;

  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(data, 'postmaster.pid'))) run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '20']);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const init = run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dir}'`,
      '-c max_connections=300',
      '-c shared_buffers=64MB',
      // The data is thrown away after the run: durability buys nothing and costs seconds.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    const start = run(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', log, '-o', options, '-w', '-t', '60']);
    if (start.status !== 0) {
      const serverLog = spawnSync('cat', [log], { encoding: 'utf8' }).stdout;
      throw new Error(`The PostgreSQL server did not start:\n${start.stdout}\n${start.stderr}\n${serverLog}`);
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dir,
      stopSync,
      async stop() {
        if (stopped) return;
        stopped = true;
        await new Promise<void>((resolve) => {
          const [file, argv] = asOwner(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
          const child = spawn(file, argv, { stdio: 'ignore', cwd: '/' });
          child.once('error', () => resolve());
          child.once('exit', () => resolve());
        });
        if (existsSync(join(data, 'postmaster.pid'))) run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopSync();
    throw error;
  }
}
