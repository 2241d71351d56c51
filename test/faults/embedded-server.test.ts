/**
 * The embedded dev server is shared by every engine process on the machine (`kyc process` runs,
 * `npm start`): the one that started it must not stop it under another, and the last one out stops it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cacheDir } from '../../src/config.js';
import { ensureTemporalCli } from '../../src/temporal/cli-binary.js';
import { portOpen, startDevServer } from '../../src/temporal/dev-server.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) {
    // A failed assertion leaves the test's server running: stop it (its process group) by its pid file.
    const pid = Number(await readFile(join(d, 'temporal', 'server.pid'), 'utf8').catch(() => ''));
    if (pid > 0) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Already stopped, as the test stops it when it passes.
      }
    }
    await rm(d, { recursive: true, force: true });
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

test('the server outlives its starter while another engine process uses it; the last one out stops it', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kyc-shared-server-'));
  dirs.push(dataDir);
  const cliPath = await ensureTemporalCli({ cacheDir: cacheDir(), explicitPath: process.env.TEMPORAL_CLI });
  const options = { cliPath, dataDir, namespace: 'default', port: await freePort(), uiPort: await freePort() };
  const starter = await startDevServer(options);
  expect(starter.owned).toBe(true);
  // Its database keeps a write-ahead log (one synced append per commit), not a rollback journal.
  expect(existsSync(join(dataDir, 'temporal', 'temporal.db-wal'))).toBe(true);

  // Another engine process (a second `kyc process`) is using the same server.
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  await writeFile(join(dataDir, 'temporal', 'users', String(other.pid)), '');
  try {
    await starter.stop();
    expect(await portOpen(options.port)).toBe(true);

    // The other process ends (here: by its own handle, which found the server running).
    const reused = await startDevServer(options);
    expect(reused.owned).toBe(false);
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    await reused.stop();
    expect(await portOpen(options.port)).toBe(false);
  } finally {
    other.kill('SIGKILL');
  }
});
