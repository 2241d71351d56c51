import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiServer } from '../../src/api/server.js';
import { textPdf } from '../support/draw.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';

let pipeline: Pipeline;
let api: FastifyInstance;

beforeAll(async () => {
  pipeline = await startPipeline();
  api = createApiServer({ service: pipeline.service, logger: false });
});
afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

test('a batch submitted over HTTP runs through the real workflows and its report is served', async () => {
  const bill = await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
  const form = new FormData();
  form.append('cases[jane][documents]', new Blob([new Uint8Array(bill)], { type: 'application/pdf' }), 'water.pdf');
  form.append('cases[jane][applicant]', JSON.stringify({ fullName: 'Jane Doe', address: '4 Mill Rd, Leeds LS1 4AP' }));
  form.append('asOf', '2026-11-01');
  const body = new Response(form);
  const payload = Buffer.from(await body.arrayBuffer());
  const headers = { 'content-type': body.headers.get('content-type')!, 'idempotency-key': 'e2e-1' };

  const accepted = await api.inject({ method: 'POST', url: '/v1/batches', payload, headers });
  expect(accepted.statusCode).toBe(202);
  const { batchId, caseIds } = accepted.json() as { batchId: string; caseIds: string[] };
  expect(caseIds).toEqual(['jane']);

  let caseRes = await api.inject({ method: 'GET', url: '/v1/cases/jane' });
  for (let i = 0; i < 120 && caseRes.statusCode === 202; i++) {
    await sleep(250);
    caseRes = await api.inject({ method: 'GET', url: '/v1/cases/jane' });
  }
  expect(caseRes.statusCode).toBe(200);
  const report = caseRes.json();
  expect(report).toMatchObject({ caseId: 'jane', batchId, status: 'completed' });
  expect(report.documents[0]).toMatchObject({ file: 'water.pdf', type: 'utility_bill' });
  expect(report.decision).toBe('review');
  expect(report.reasons).toContain('missing_identity');

  // The batch closes a moment after its last case: poll it too.
  let batch = await api.inject({ method: 'GET', url: `/v1/batches/${batchId}` });
  for (let i = 0; i < 120 && batch.json().status === 'running'; i++) {
    await sleep(250);
    batch = await api.inject({ method: 'GET', url: `/v1/batches/${batchId}` });
  }
  expect(batch.json()).toMatchObject({ batchId, status: 'completed', total: 1, completed: 1 });

  const repeat = await api.inject({ method: 'POST', url: '/v1/batches', payload, headers });
  expect(repeat.statusCode).toBe(200);
  expect(repeat.json()).toMatchObject({ batchId, existing: true });
});
