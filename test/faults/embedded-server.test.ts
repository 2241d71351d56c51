/**
 * The embedded dev server is shared by every engine process on the machine (`kyc process` runs,
 * `npm start`): the one that started it must not stop it under another, and the last one out stops it.
 * It is supervised: killed, it is started again on the same port and database file.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cacheDir } from '../../src/config.js';
import { ensureTemporalCli } from '../../src/temporal/cli-binary.js';
import { Connection } from '@temporalio/client';
import { ensureNamespaceRetention, waitUntilReady } from '../../src/temporal/connect.js';
import { portOpen, startDevServer, type DevServerEvent } from '../../src/temporal/dev-server.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../support/ports.js';

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

test('when the server is SIGKILLed, then it is started again on the same port and database file; after stop() it stays down', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kyc-supervised-server-'));
  dirs.push(dataDir);
  const cliPath = await ensureTemporalCli({ cacheDir: cacheDir(), explicitPath: process.env.TEMPORAL_CLI });
  const options = { cliPath, dataDir, namespace: 'default', port: await freePort(), uiPort: await freePort() };
  const server = await startDevServer(options);
  const events: DevServerEvent[] = [];
  server.onEvent!((e) => events.push(e));
  await waitUntilReady(server.address, 'default', 60_000);
  // Something only the database file holds: a retention the dev server would not choose itself.
  await ensureNamespaceRetention(server.address, 'default', 7 * 86_400_000);

  const first = server.pid!()!;
  process.kill(first, 'SIGKILL');
  await waitFor(() => events.find((e) => e.type === 'restarted'), 60_000, 'the restart');
  expect(events[0]).toMatchObject({ type: 'exited', signal: 'SIGKILL', restartInMs: 1000 });
  expect(server.pid!()).not.toBe(first);
  expect(server.owned).toBe(true);
  await waitUntilReady(server.address, 'default', 60_000);
  const connection = await Connection.connect({ address: server.address });
  try {
    const described = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);
  } finally {
    await connection.close();
  }

  await server.stop();
  expect(await portOpen(options.port)).toBe(false);
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await portOpen(options.port)).toBe(false);
  expect(events.filter((e) => e.type === 'restarted')).toHaveLength(1);
}, 180_000);

test('when a reused server dies, then the engine process using it starts one of its own', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kyc-adopted-server-'));
  dirs.push(dataDir);
  const cliPath = await ensureTemporalCli({ cacheDir: cacheDir(), explicitPath: process.env.TEMPORAL_CLI });
  const options = { cliPath, dataDir, namespace: 'default', port: await freePort(), uiPort: await freePort() };
  // Started by an engine process that does not supervise it (here: supervise: false).
  const starter = await startDevServer({ ...options, supervise: false });
  const user = await startDevServer(options);
  expect(user.owned).toBe(false);
  const events: DevServerEvent[] = [];
  user.onEvent!((e) => events.push(e));

  process.kill(starter.pid!()!, 'SIGKILL');
  await waitFor(() => events.find((e) => e.type === 'restarted'), 60_000, 'the restart by the user');
  expect(user.owned).toBe(true);
  await waitUntilReady(user.address, 'default', 60_000);

  await starter.stop();
  await user.stop();
  expect(await portOpen(options.port)).toBe(false);
}, 180_000);
