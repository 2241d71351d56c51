/**
 * Honest failure, end to end: `kyc serve` (what `npm start` runs: the embedded Temporal dev server
 * in a temp data dir on free ports, a worker process, the HTTP API) while its Temporal server is
 * SIGKILLed mid-batch. The API answers 503 with Retry-After within 2 s on the routes that need
 * Temporal, refuses a submission before storing anything, `/readyz` says Temporal is down while
 * `/livez` stays 200; the supervisor restarts the server on the same database file, readiness comes
 * back, and the batch accepted before the kill completes with every case reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ErrorResponseSchema } from '../../src/api/schemas.js';
import { textImage } from '../support/draw.js';
import { TEST_MASTER_KEYS } from '../support/temporal.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../support/ports.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const CASES = 4;

let dataDir: string;
let service: ChildProcess | undefined;
let output = '';
let api: string;
let key: string;

async function temporalPid(): Promise<number> {
  return Number(await readFile(join(dataDir, 'temporal', 'server.pid'), 'utf8'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a submission writes into the document store: documents, manifests, case index entries and
 * their keys. Extracted texts are left out: the worker keeps writing those for the running batch.
 */
async function submissionFiles(): Promise<string[]> {
  const entries = await readdir(join(dataDir, 'store'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !/[/\\]text[/\\]/.test(path))
    .sort();
}

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; ms: number; headers: Headers; body: unknown }> {
  const started = performance.now();
  const res = await fetch(`${api}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function batchForm(prefix: string): Promise<FormData> {
  const form = new FormData();
  form.append('asOf', '2026-11-01');
  for (let i = 1; i <= CASES; i++) {
    const png = await textImage('png', {
      lines: ['Northern Power Ltd', 'Electricity bill', `Bill date: 0${i}/10/2026`, `Customer ${prefix} ${i}`, '12 High Street', 'London SW1A 1AA'],
    });
    form.append(`cases[${prefix}-${i}][documents]`, new Blob([new Uint8Array(png)], { type: 'image/png' }), `scan-${i}.png`);
  }
  return form;
}

function expectUnavailable(res: { status: number; ms: number; headers: Headers; body: unknown }, what: string): void {
  console.log(`${what}: ${res.status} in ${Math.round(res.ms)} ms`);
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(503);
  expect(res.ms, what).toBeLessThan(2_000);
  expect(Number(res.headers.get('retry-after')), what).toBeGreaterThan(0);
  expect(ErrorResponseSchema.parse(res.body).error.code, what).toBe('SERVICE_UNAVAILABLE');
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kyc-outage-'));
  const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
      ...process.env,
      KYC_DATA_DIR: dataDir,
      KYC_MASTER_KEYS: TEST_MASTER_KEYS,
      KYC_KEY_FILE: '',
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      MODEL_MODE: 'off',
      OCR_WORKERS: '1',
      LOG_LEVEL: 'info',
  };
  delete env.TEMPORAL_ADDRESS; // the embedded server
  service = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that a failed run is cleaned up whole
  });
  service.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  service.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await waitFor(() => {
    if (service!.exitCode !== null) throw new Error(`kyc serve exited:\n${output}`);
    return /Press Ctrl-C to stop/.test(output) || undefined;
  }, 180_000, 'kyc serve running');
  api = `http://127.0.0.1:${apiPort}`;
  key = /admin key was created[^\n]*\n\s+(\S+)/.exec(output)?.[1] ?? '';
  expect(key, output).not.toBe('');
}, 200_000);

afterAll(async () => {
  if (service && service.exitCode === null) {
    service.kill('SIGTERM');
    const exited = await Promise.race([new Promise((r) => service!.once('exit', () => r(true))), new Promise((r) => setTimeout(() => r(false), 30_000))]);
    if (!exited) process.kill(-service.pid!, 'SIGKILL');
  }
  const pid = await temporalPid().catch(() => 0);
  if (pid > 0 && isAlive(pid)) process.kill(-pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

test('Temporal SIGKILLed mid-batch: fast 503s, readiness fails, liveness holds; after the restart nothing is lost', async () => {
  expect((await call('/readyz')).status).toBe(200);
  const submitted = await call('/v1/batches', { method: 'POST', body: await batchForm('outage') });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  const { batchId } = submitted.body as { batchId: string };
  await waitFor(async () => {
    const status = await call(`/v1/batches/${batchId}`);
    return ((status.body as { completed?: number }).completed ?? 0) >= 1 || undefined;
  }, 180_000, 'a first case done');

  const firstPid = await temporalPid();
  const killedAt = performance.now();
  process.kill(firstPid, 'SIGKILL');
  await waitFor(() => !isAlive(firstPid) || undefined, 5_000, 'the server process gone');

  // A fresh outage: the case read reaches Temporal, which does not answer.
  expectUnavailable(await call('/v1/cases/outage-1'), 'case read');
  expectUnavailable(await call(`/v1/batches/${batchId}`), 'batch status');

  const ready = await call('/readyz');
  expectUnavailable(ready, 'readyz');
  expect(ErrorResponseSchema.parse(ready.body).error.details?.map((d) => d.field)).toEqual(['temporal']);
  expect((await call('/livez')).status).toBe(200);
  expect((await call('/healthz')).status).toBe(200);

  // Known down: refused at once, before the documents are read or stored.
  const before = await submissionFiles();
  const refused = await call('/v1/batches', { method: 'POST', body: await batchForm('refused') });
  expectUnavailable(refused, 'submission');
  expect(await submissionFiles()).toEqual(before);

  // The supervisor starts it again on the same port and database file.
  await waitFor(async () => (await call('/readyz')).status === 200 || undefined, 90_000, 'ready again');
  console.log(`ready again ${Math.round(performance.now() - killedAt)} ms after the kill`);
  const secondPid = await temporalPid();
  expect(secondPid).not.toBe(firstPid);
  expect(output).toMatch(/embedded Temporal server exited; restarting/);
  expect(output).toMatch(/embedded Temporal server restarted/);

  // The batch accepted before the kill completes, every case read.
  await waitFor(async () => {
    const status = await call(`/v1/batches/${batchId}`);
    return status.status === 200 && (status.body as { status: string }).status === 'completed' ? true : undefined;
  }, 240_000, 'the batch completed');
  const batch = (await call(`/v1/batches/${batchId}`)).body as { total: number; completed: number; cases: Array<{ caseId: string }> };
  expect(batch.total).toBe(CASES);
  expect(batch.completed).toBe(CASES);
  for (let i = 1; i <= CASES; i++) {
    const report = await call(`/v1/cases/outage-${i}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const documents = (report.body as { documents: Array<{ type: string; error?: unknown }> }).documents;
    expect(documents).toHaveLength(1);
    expect(documents[0]!.error).toBeUndefined();
    expect(documents[0]!.type).toBe('utility_bill');
  }
}, 420_000);
