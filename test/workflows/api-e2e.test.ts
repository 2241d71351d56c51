/**
 * The HTTP API over the real pipeline: keys and roles, a batch submitted by a submitter key, the
 * review inbox, a reviewer claiming, correcting and approving a name-mismatch case, documents served
 * for preview, and every route the server registers documented in the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../src/api/server.js';
import type { CaseReport } from '../../src/domain/report.js';
import type { ReviewTask, TaskPage } from '../../src/review/types.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

let pipeline: Pipeline;
let api: FastifyInstance;
let submitter: TestKey;
let reviewer: TestKey;
let auditor: TestKey;

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  api = createApiServer({
    service: pipeline.service,
    review: pipeline.review,
    authenticate: (secret) => pipeline.reviewStore.authenticate(secret),
    logger: false,
  });
  submitter = await createKey(pipeline.reviewStore, 'backoffice', ['submitter']);
  reviewer = await createKey(pipeline.reviewStore, 'alice', ['reviewer']);
  auditor = await createKey(pipeline.reviewStore, 'audit', ['auditor']);
});
afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

async function batchForm(): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const bill = await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
  const form = new FormData();
  form.append('cases[jane][documents]', new Blob([new Uint8Array(bill)], { type: 'application/pdf' }), 'water.pdf');
  // The declared name is not the bill's: a name mismatch for a reviewer to settle.
  form.append('cases[jane][applicant]', JSON.stringify({ fullName: 'Joan Smith', address: '4 Mill Rd, Leeds LS1 4AP' }));
  form.append('asOf', '2026-11-01');
  const body = new Response(form);
  return { payload: Buffer.from(await body.arrayBuffer()), headers: { 'content-type': body.headers.get('content-type')! } };
}

describe('keys and roles', () => {
  test('no key or a wrong key → 401; a key without the role → 403; all as JSON errors', async () => {
    const none = await api.inject({ method: 'GET', url: '/v1/review/tasks' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const wrong = await api.inject({ method: 'GET', url: '/v1/review/tasks', headers: { authorization: `Bearer ${reviewer.secret}x` } });
    expect(wrong.statusCode).toBe(401);

    for (const [method, url] of [
      ['GET', '/v1/review/tasks'],
      ['POST', '/v1/review/tasks/jane/claim'],
      ['POST', '/v1/review/tasks/jane/decision'],
    ] as const) {
      const res = await api.inject({ method, url, headers: submitter.headers, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    const form = await batchForm();
    const reviewerSubmits = await api.inject({ method: 'POST', url: '/v1/batches', payload: form.payload, headers: { ...form.headers, ...reviewer.headers } });
    expect(reviewerSubmits.statusCode).toBe(403);

    const me = await api.inject({ method: 'GET', url: '/v1/me', headers: { 'x-api-key': auditor.secret } });
    expect(me.json()).toEqual({ keyId: auditor.actor.keyId, name: 'audit', person: 'audit', org: 'default', roles: ['auditor'] });
    expect((await api.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  test('a revoked key is refused', async () => {
    const temp = await createKey(pipeline.reviewStore, 'temp', ['auditor']);
    expect((await api.inject({ method: 'GET', url: '/v1/me', headers: temp.headers })).statusCode).toBe(200);
    await pipeline.reviewStore.revokeApiKey(temp.actor.keyId);
    expect((await api.inject({ method: 'GET', url: '/v1/me', headers: temp.headers })).statusCode).toBe(401);
  });
});

describe('a name-mismatch case reviewed over HTTP', () => {
  let batchId: string;
  let documentId: string;

  test('submitted by the back office, it runs through the real workflows and lands in the inbox', async () => {
    const form = await batchForm();
    const accepted = await api.inject({ method: 'POST', url: '/v1/batches', payload: form.payload, headers: { ...form.headers, ...submitter.headers, 'idempotency-key': 'e2e-1' } });
    expect(accepted.statusCode).toBe(202);
    batchId = (accepted.json() as { batchId: string }).batchId;

    const report = await waitFor(async () => {
      const res = await api.inject({ method: 'GET', url: '/v1/cases/jane', headers: reviewer.headers });
      return res.statusCode === 200 ? (res.json() as CaseReport) : undefined;
    });
    expect(report).toMatchObject({ caseId: 'jane', batchId, status: 'awaiting_review', decision: 'review' });
    expect(report.reasons).toContain('name_mismatch');
    documentId = report.documents[0]!.documentId;

    const inbox = await waitFor(async () => {
      const res = await api.inject({ method: 'GET', url: '/v1/review/tasks?status=open&queue=standard', headers: reviewer.headers });
      const page = res.json() as TaskPage;
      return page.tasks.some((t) => t.caseId === 'jane') ? page : undefined;
    });
    expect(inbox).toMatchObject({ limit: 50, offset: 0 });

    const batch = await api.inject({ method: 'GET', url: `/v1/batches/${batchId}`, headers: submitter.headers });
    expect(batch.json()).toMatchObject({ status: 'completed', cases: [{ caseId: 'jane', status: 'awaiting_review' }] });

    const repeat = await api.inject({ method: 'POST', url: '/v1/batches', payload: form.payload, headers: { ...form.headers, ...submitter.headers, 'idempotency-key': 'e2e-1' } });
    expect(repeat.statusCode).toBe(200);
  });

  test('the reviewer sees the document, claims, corrects the name and approves', async () => {
    const file = await api.inject({ method: 'GET', url: `/v1/cases/jane/documents/${documentId}`, headers: reviewer.headers });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const page = await api.inject({ method: 'GET', url: `/v1/cases/jane/documents/${documentId}/pages/1`, headers: reviewer.headers });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('image/png');
    expect(page.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect((await api.inject({ method: 'GET', url: `/v1/cases/jane/documents/${documentId}`, headers: submitter.headers })).statusCode).toBe(403);
    expect((await api.inject({ method: 'GET', url: `/v1/cases/jane/documents/${'0'.repeat(64)}`, headers: reviewer.headers })).statusCode).toBe(404);

    const claim = await api.inject({ method: 'POST', url: '/v1/review/tasks/jane/claim', headers: reviewer.headers, payload: {} });
    expect(claim.statusCode).toBe(200);
    expect(claim.json()).toMatchObject({ status: 'claimed', assignee: 'alice' });

    const badBody = await api.inject({ method: 'POST', url: '/v1/review/tasks/jane/decision', headers: reviewer.headers, payload: { decision: 'maybe', reason: 'x' } });
    expect(badBody.statusCode).toBe(400);

    const decision = await api.inject({
      method: 'POST',
      url: '/v1/review/tasks/jane/decision',
      headers: reviewer.headers,
      payload: {
        decision: 'approve',
        reason: 'Joan Smith is the married name; marriage certificate seen',
        corrections: [{ documentId, field: 'fullName', value: 'Joan Smith' }],
      },
    });
    expect(decision.statusCode).toBe(200);
    expect(decision.json() as ReviewTask).toMatchObject({ status: 'completed', final: { decision: 'approve', by: 'alice' } });

    const final = await waitFor(async () => {
      const r = (await api.inject({ method: 'GET', url: '/v1/cases/jane', headers: auditor.headers })).json() as CaseReport;
      return r.status === 'completed' ? r : undefined;
    });
    expect(final).toMatchObject({ decision: 'approved', decidedBy: 'alice', automaticDecision: 'review' });
    expect(final.documents[0]!.fields.fullName).toBe('Joan Smith');
    // With the corrected name the name check passes now.
    expect(final.checks.filter((c) => c.id === 'name_matches_proof_of_address' || c.id === 'name_matches_declared').every((c) => c.status !== 'fail')).toBe(true);

    const again = await api.inject({ method: 'POST', url: '/v1/review/tasks/jane/claim', headers: reviewer.headers, payload: {} });
    expect(again.statusCode).toBe(409);
    const detail = await api.inject({ method: 'GET', url: '/v1/review/tasks/jane', headers: auditor.headers });
    expect((detail.json() as { events: Array<{ action: string }> }).events.map((e) => e.action)).toEqual(['opened', 'claimed', 'corrected', 'approved']);
  });

  test('every route the server serves is in the OpenAPI document', async () => {
    const doc = (await api.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const served = new Set<string>();
    const probe = createApiServer({
      service: pipeline.service,
      review: pipeline.review,
      authenticate: async () => undefined,
      logger: false,
      webDir: '/nonexistent',
      codec: { codec: pipeline.dataConverter.payloadCodecs[0], corsOrigins: [] },
    });
    probe.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method === 'HEAD' || route.url === '/' || route.url.startsWith('/assets')) continue;
        served.add(`${method.toLowerCase()} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
      }
    });
    await probe.ready();
    await probe.close();
    expect(served.size).toBeGreaterThan(15);
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
  });
});
