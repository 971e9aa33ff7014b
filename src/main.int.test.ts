// The whole process, as `npm start` runs it: it serves, a second Haven on the same data folder refuses to start, and
// SIGTERM shuts down cleanly so that the next start finds the embedded database whole.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const dataDir = mkdtempSync(join(tmpdir(), 'haven-main-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function startHaven(port: number): Running {
  const child = spawn(process.execPath, ['src/main.ts'], {
    // This test is about the embedded database's folder, so it never uses the server the integration run may name.
    env: { ...process.env, DATABASE_URL: '', HAVEN_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(running: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (/Haven is ready/.test(running.output())) return;
    if (running.child.exitCode !== null) throw new Error(`Haven exited early:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Haven did not become ready:\n${running.output()}`);
}

const port = 20_000 + Math.floor(Math.random() * 20_000);

describe('the Haven process on the embedded database', () => {
  it('serves, refuses a second Haven on the same folder, and stops cleanly on SIGTERM', async () => {
    const first = startHaven(port);
    try {
      await waitForReady(first);
      const page = await fetch(`http://127.0.0.1:${port}/cookies`);
      assert.equal(page.status, 200);

      const second = startHaven(port + 1);
      const code = await second.exited;
      assert.equal(code, 1);
      assert.match(second.output(), /already using the data folder/);
    } finally {
      first.child.kill('SIGTERM');
    }
    assert.equal(await first.exited, 0, first.output());
    assert.equal(existsSync(join(dataDir, 'haven.lock')), false, 'the lock is released');

    // The folder opens again after a clean stop, with its data intact.
    const again = startHaven(port + 2);
    try {
      await waitForReady(again);
    } finally {
      again.child.kill('SIGINT');
    }
    assert.equal(await again.exited, 0, again.output());
  });
});
