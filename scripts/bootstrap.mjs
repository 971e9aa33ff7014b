// Runs on whatever Node the machine has (often 20): makes sure the project's dependencies, and with them the pinned
// Node 24 from the npm registry, are installed, then runs the given file on that Node 24 with the remaining arguments.
// It runs the file itself rather than leaving it to the npm script, because the shell may already have looked up
// `node` on the PATH and would keep using the machine's old one.
import { existsSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const node24 = join(root, 'node_modules', '.bin', 'node');

const stale = !existsSync(marker) || !existsSync(node24) || statSync(lock).mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.log('Installing dependencies (npm ci): this happens once, or when package-lock.json changes.');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm ci failed. Check that the npm registry can be reached, then run the command again.');
    process.exit(result.status ?? 1);
  }
}

const [file, ...args] = process.argv.slice(2);
if (!file) process.exit(0);

const child = spawn(node24, [file, ...args], { cwd: root, stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal; a SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
