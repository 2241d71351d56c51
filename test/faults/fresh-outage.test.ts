/**
 * A fresh outage, before any probe has noticed it: the API built over the engine's real client
 * connection (`openEngine`, embedded dev server in a temp dir on free ports) with no readiness
 * monitor, so nothing is refused up front. A Temporal server that stops answering (SIGSTOP: the
 * connection stays open, nothing comes back) and one that is gone (SIGKILL) both give
 * 503 SERVICE_UNAVAILABLE within 2 s, where the SDK's own retries used to take about 20 s; once the
 * server answers again, so does the API.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ErrorResponseSchema } from '../../src/api/schemas.js';
import { createApiServer } from '../../src/api/server.js';
import { openEngine, type Engine } from '../../src/app/engine.js';
import { loadConfig } from '../../src/config.js';
import { createKey, type TestKey } from '../support/keys.js';
import { TEST_MASTER_KEYS } from '../support/temporal.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../support/ports.js';

let dataDir: string;
let engine: Engine | undefined;
let api: FastifyInstance;
let admin: TestKey;

async function serverPid(): Promise<number> {
  return Number(await readFile(join(dataDir, 'temporal', 'server.pid'), 'utf8'));
}

async function getBatch(): Promise<{ status: number; ms: number; code?: string; retryAfter?: string }> {
  const started = performance.now();
  const res = await api.inject({ method: 'GET', url: '/v1/batches/no-such-batch', headers: admin.headers });
  const ms = performance.now() - started;
  const code = res.statusCode >= 400 ? ErrorResponseSchema.parse(res.json()).error.code : undefined;
  return { status: res.statusCode, ms, ...(code ? { code } : {}), ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}) };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kyc-fresh-outage-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KYC_DATA_DIR: dataDir,
    KYC_MASTER_KEYS: TEST_MASTER_KEYS,
    KYC_KEY_FILE: '',
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: '0',
    MODEL_MODE: 'off',
  };
  delete env.TEMPORAL_ADDRESS;
  engine = await openEngine({ config: loadConfig(env), logger: pino({ level: 'silent' }), workers: 'never' });
  admin = await createKey(engine.reviewStore, 'outage-admin', ['admin']);
  api = createApiServer({ service: engine.service, logger: false, authenticate: (secret) => engine!.reviewStore.authenticate(secret) });
}, 120_000);

afterAll(async () => {
  const pid = await serverPid().catch(() => 0);
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  }
  await api?.close();
  await engine?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

test('a frozen and then a killed Temporal server: 503 with Retry-After within 2 s, and answers again after', async () => {
  expect(await getBatch()).toMatchObject({ status: 404 });

  const pid = await serverPid();
  process.kill(pid, 'SIGSTOP');
  try {
    const frozen = await getBatch();
    console.log(`frozen server: ${frozen.status} in ${Math.round(frozen.ms)} ms`);
    expect(frozen).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '5' });
    expect(frozen.ms).toBeLessThan(2_000);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await waitFor(async () => (await getBatch()).status === 404 || undefined, 30_000, 'answers after SIGCONT');

  process.kill(pid, 'SIGKILL');
  const killed = await getBatch();
  console.log(`killed server: ${killed.status} in ${Math.round(killed.ms)} ms`);
  expect(killed).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '5' });
  expect(killed.ms).toBeLessThan(2_000);

  // The engine started the server, so it restarts it on the same database file; the client reconnects.
  await waitFor(async () => (await getBatch()).status === 404 || undefined, 90_000, 'answers after the restart');
  expect(await serverPid()).not.toBe(pid);
}, 180_000);
