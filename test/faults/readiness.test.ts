/**
 * The readiness gate over real probes: a Temporal address where nothing listens (connection refused)
 * and the review database (a real SQLite file), one probe per dependency. Routes that need a
 * dependency known down answer 503 at once, before authentication; the others keep working, and
 * `/readyz` names what failed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ErrorResponseSchema } from '../../src/api/schemas.js';
import { createApiServer, routeDependencies } from '../../src/api/server.js';
import { databaseProbe, ReadinessMonitor, temporalProbe, type Probe } from '../../src/app/readiness.js';
import type { KycService } from '../../src/app/service.js';
import { openReviewStore } from '../../src/adapters/review-db.js';
import type { ReviewStore } from '../../src/review/types.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import { createKey, type TestKey } from '../support/keys.js';
import { TEST_KEYRING } from '../support/temporal.js';
import { freePort } from '../support/ports.js';

let dir: string;
let dbUrl: string;
let store: ReviewStore;
let admin: TestKey;
let deadPort: number;
const started: Array<{ monitor: ReadinessMonitor; api: FastifyInstance }> = [];

const calls: string[] = [];
const service: KycService = {
  submitBatch: async () => {
    calls.push('submitBatch');
    throw new Error('must not be reached');
  },
  getBatch: async () => {
    calls.push('getBatch');
    return undefined;
  },
  getCase: async () => undefined,
  getCaseInBatch: async () => undefined,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kyc-readiness-'));
  dbUrl = `file:${join(dir, 'review.db')}`;
  store = await openReviewStore(dbUrl);
  admin = await createKey(store, 'ready-admin', ['admin']);
  deadPort = await freePort(); // closed again: nothing listens there
});
afterAll(async () => {
  for (const { monitor, api } of started) {
    await api.close();
    await monitor.stop();
  }
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

async function build(probes: Probe[]): Promise<{ monitor: ReadinessMonitor; api: FastifyInstance }> {
  const monitor = new ReadinessMonitor({ probes, intervalMs: 200, timeoutMs: 1_000 });
  monitor.start();
  await monitor.check();
  const api = createApiServer({
    service,
    logger: false,
    readiness: monitor,
    authenticate: (s) => store.authenticate(s),
    // A keyed route that does not need Temporal.
    codec: { codec: createDataConverter(TEST_KEYRING).payloadCodecs[0]!, corsOrigins: [] },
  });
  started.push({ monitor, api });
  return { monitor, api };
}

test('routes declare what they need: Temporal for batches and cases, the database for every keyed route', () => {
  expect(routeDependencies('POST', '/v1/batches')).toEqual(['reviewDb', 'temporal']);
  expect(routeDependencies('GET', '/v1/cases/:caseId')).toEqual(['reviewDb', 'temporal']);
  expect(routeDependencies('GET', '/v1/review/tasks')).toEqual(['reviewDb']);
  expect(routeDependencies('POST', '/v1/review/next')).toEqual(['reviewDb', 'temporal']);
  expect(routeDependencies('GET', '/v1/openapi.json')).toEqual([]);
  expect(routeDependencies('GET', '/v1/messages')).toEqual([]);
  expect(routeDependencies('GET', '/livez')).toEqual([]);
  expect(routeDependencies('POST', '/codec/decode')).toEqual(['reviewDb']);
});

test('when Temporal refuses connections, then its routes answer 503 at once and the rest work', async () => {
  const { api } = await build([temporalProbe(`127.0.0.1:${deadPort}`, 'default')]);
  const ready = await api.inject({ method: 'GET', url: '/readyz' });
  expect(ready.statusCode).toBe(503);
  expect(ready.headers['retry-after']).toBe('5');
  const body = ErrorResponseSchema.parse(ready.json());
  expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
  expect(body.error.details).toEqual([{ field: 'temporal', message: 'unreachable' }]);

  const t0 = performance.now();
  // No key at all: refused for the outage before authentication says 401.
  const submit = await api.inject({ method: 'POST', url: '/v1/batches', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--\r\n' });
  const read = await api.inject({ method: 'GET', url: '/v1/batches/b-1', headers: admin.headers });
  expect(performance.now() - t0).toBeLessThan(500);
  for (const res of [submit, read]) {
    expect(res.statusCode).toBe(503);
    expect(ErrorResponseSchema.parse(res.json()).error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: [{ field: 'temporal' }] });
  }
  expect(calls).toEqual([]);

  expect((await api.inject({ method: 'POST', url: '/codec/decode', headers: admin.headers, payload: { payloads: [] } })).statusCode).toBe(200);
  expect((await api.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
  expect((await api.inject({ method: 'GET', url: '/v2/nothing' })).statusCode).toBe(404);
});

test('when the database probe fails, then every keyed route answers 503 naming the database; liveness holds', async () => {
  // A probe of a table that does not exist fails like a database that does not answer.
  const { api } = await build([databaseProbe('reviewDb', dbUrl, 'no_such_table')]);
  const ready = await api.inject({ method: 'GET', url: '/readyz' });
  expect(ready.statusCode).toBe(503);
  expect(ErrorResponseSchema.parse(ready.json()).error.details).toEqual([{ field: 'reviewDb', message: 'unreachable' }]);
  const decode = await api.inject({ method: 'POST', url: '/codec/decode', headers: admin.headers, payload: { payloads: [] } });
  expect(decode.statusCode).toBe(503);
  expect(ErrorResponseSchema.parse(decode.json()).error.message).toContain('database');
  expect((await api.inject({ method: 'GET', url: '/v1/openapi.json' })).statusCode).toBe(200);
  expect((await api.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
});

test('when every dependency answers, then /readyz is 200 with each one checked', async () => {
  const { api } = await build([databaseProbe('reviewDb', dbUrl, 'kyc_migrations')]);
  const ready = await api.inject({ method: 'GET', url: '/readyz' });
  expect(ready.statusCode).toBe(200);
  expect(ready.json()).toMatchObject({ status: 'ok', dependencies: { reviewDb: { ok: true } } });
});
