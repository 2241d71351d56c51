/**
 * HTTP layer of the read routes, the OpenAPI document, health and the JSON 404, over an in-test
 * `KycService` holding canned answers.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test, beforeAll, afterAll } from 'vitest';
import { createKey, tempReviewStore, type TestKey } from '../support/keys.js';
import type { InjectOptions } from 'fastify';
import { createApiServer } from '../../src/api/server.js';
import {
  BatchStatusSchema,
  CaseProgressSchema,
  CaseReportSchema,
  ErrorResponseSchema,
} from '../../src/api/schemas.js';
import type {
  BatchStatus,
  BatchSubmission,
  CaseProgress,
  KycService,
  SubmitBatchRequest,
} from '../../src/app/service.js';
import type { CaseReport } from '../../src/domain/report.js';

const REPORT: CaseReport = {
  caseId: 'alice-001',
  batchId: 'b-1',
  status: 'completed',
  decision: 'approved',
  reasons: ['identity document valid', 'address matches'],
  asOf: '2024-06-01',
  documents: [
    {
      file: 'passport.pdf',
      documentId: 'a'.repeat(64),
      type: 'passport',
      confidence: 0.97,
      fields: { surname: 'EXAMPLE', givenNames: 'ALICE', dateOfBirth: '1990-04-12' },
      evidence: { surname: { source: 'mrz', page: 1 } },
      pages: [{ page: 1, method: 'ocr', confidence: 0.91, characters: 812 }],
    },
  ],
  checks: [{ id: 'mrz.check-digits', status: 'pass', detail: 'all check digits agree', file: 'passport.pdf' }],
};

const BATCH: BatchStatus = {
  batchId: 'b-1',
  status: 'running',
  total: 3,
  completed: 1,
  pagesProcessed: 2,
  cases: [
    { caseId: 'alice-001', status: 'completed', decision: 'approved' },
    { caseId: 'bob-002', status: 'processing' },
    { caseId: 'carol-003', status: 'pending' },
  ],
};

const FAILED: CaseProgress = { caseId: 'dave-004', status: 'failed' };

class CannedService implements KycService {
  readonly calls: string[] = [];
  async submitBatch(_request: SubmitBatchRequest): Promise<BatchSubmission> {
    throw new Error('not used here');
  }
  async getBatch(batchId: string): Promise<BatchStatus | undefined> {
    this.calls.push(`getBatch ${batchId}`);
    return batchId === BATCH.batchId ? BATCH : undefined;
  }
  async getCase(caseId: string): Promise<CaseReport | CaseProgress | undefined> {
    this.calls.push(`getCase ${caseId}`);
    if (caseId === REPORT.caseId) return REPORT;
    if (caseId === FAILED.caseId) return FAILED;
    return BATCH.cases.find((c) => c.caseId === caseId);
  }
  async getCaseInBatch(batchId: string, caseId: string): Promise<CaseReport | CaseProgress | undefined> {
    this.calls.push(`getCaseInBatch ${batchId} ${caseId}`);
    return batchId === BATCH.batchId ? this.getCase(caseId) : undefined;
  }
}

let app: FastifyInstance | undefined;
let reviewDb: Awaited<ReturnType<typeof tempReviewStore>>;
let adminKey: TestKey;
beforeAll(async () => {
  reviewDb = await tempReviewStore();
  adminKey = await createKey(reviewDb.store, 'test-admin', ['admin']);
});
afterAll(async () => {
  await reviewDb?.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Every request of these tests is made with an admin key (auth itself is tested in auth.test.ts). */
function signedIn(api: FastifyInstance): FastifyInstance {
  const inject = api.inject.bind(api) as (opts: InjectOptions) => ReturnType<FastifyInstance['inject']>;
  (api as { inject: unknown }).inject = (opts: InjectOptions) => inject({ ...opts, headers: { ...adminKey.headers, ...(opts.headers ?? {}) } });
  return api;
}

function server(service: KycService = new CannedService()): FastifyInstance {
  app = signedIn(createApiServer({ service, logger: false, authenticate: (k) => reviewDb.store.authenticate(k) }));
  return app;
}

describe('GET /v1/batches/:batchId', () => {
  test('when the batch exists, then 200 with its status', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/batches/b-1' });
    expect(res.statusCode).toBe(200);
    expect(BatchStatusSchema.parse(res.json())).toEqual(BATCH);
  });

  test('when the batch is unknown, then 404 BATCH_NOT_FOUND', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/batches/nope' });
    expect(res.statusCode).toBe(404);
    expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('BATCH_NOT_FOUND');
  });

  test('when the batch id is malformed, then 400 and the service is not asked', async () => {
    const service = new CannedService();
    const res = await server(service).inject({ method: 'GET', url: `/v1/batches/${encodeURIComponent('-bad id')}` });
    expect(res.statusCode).toBe(400);
    const body = ErrorResponseSchema.parse(res.json());
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details?.[0]?.field).toBe('batchId');
    expect(service.calls).toEqual([]);
  });
});

describe('GET /v1/batches/:batchId/cases/:caseId', () => {
  test('answers the case of that batch, and 404 for another batch', async () => {
    const svc = new CannedService();
    const found = await server(svc).inject({ method: 'GET', url: `/v1/batches/${BATCH.batchId}/cases/alice-001` });
    expect(found.statusCode).toBe(200);
    expect(found.json().caseId).toBe('alice-001');
    expect(svc.calls).toContain(`getCaseInBatch ${BATCH.batchId} alice-001`);
    const other = await server(svc).inject({ method: 'GET', url: '/v1/batches/other-batch/cases/alice-001' });
    expect(other.statusCode).toBe(404);
  });
});

describe('GET /v1/cases/:caseId', () => {
  test('when the case is done, then 200 with the report', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/cases/alice-001' });
    expect(res.statusCode).toBe(200);
    expect(CaseReportSchema.parse(res.json())).toEqual(REPORT);
  });

  test.each([['bob-002', 'processing'], ['carol-003', 'pending']])(
    'when the case %s is %s, then 202 with its progress and Retry-After',
    async (caseId, status) => {
      const res = await server().inject({ method: 'GET', url: `/v1/cases/${caseId}` });
      expect(res.statusCode).toBe(202);
      expect(res.headers['retry-after']).toBe('5');
      expect(CaseProgressSchema.parse(res.json())).toEqual({ caseId, status });
    },
  );

  test('when the case failed without a report, then 200 with its terminal progress', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/cases/dave-004' });
    expect(res.statusCode).toBe(200);
    expect(CaseProgressSchema.parse(res.json())).toEqual(FAILED);
  });

  test('when the case is unknown, then 404 CASE_NOT_FOUND', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/cases/zoe-999' });
    expect(res.statusCode).toBe(404);
    expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('CASE_NOT_FOUND');
  });
});

describe('GET /v1/openapi.json', () => {
  test('when fetched, then it is an OpenAPI 3.1 document covering every route with resolvable refs', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      info: { title: string; version: string; description: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.0.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/healthz',
        '/livez',
        '/readyz',
        '/v1/batches',
        '/v1/batches/{batchId}',
        '/v1/batches/{batchId}/cases/{caseId}',
        '/v1/cases/{caseId}',
        '/v1/openapi.json',
        '/v1/messages',
        '/v1/me',
        '/v1/review/tasks',
        '/v1/review/next',
        '/v1/review/tasks/{caseId}',
        '/v1/review/tasks/{caseId}/claim',
        '/v1/review/tasks/{caseId}/release',
        '/v1/review/tasks/{caseId}/reassign',
        '/v1/review/tasks/{caseId}/decision',
        '/v1/review/tasks/{caseId}/notes',
        '/v1/cases/{caseId}/documents',
        '/v1/cases/{caseId}/documents/{documentId}',
        '/v1/cases/{caseId}/documents/{documentId}/pages/{page}',
        '/v1/cases/{caseId}/audit',
        '/codec/decode',
        '/codec/encode',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/v1/batches']!)).toEqual(['post']);
    expect(Object.keys(doc.paths['/v1/batches/{batchId}']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/v1/cases/{caseId}']!.get!.responses)).toEqual(
      expect.arrayContaining(['200', '202', '404']),
    );

    for (const name of ['CaseReport', 'DocumentReport', 'Check', 'CaseProgress', 'BatchStatus', 'BatchAccepted', 'Applicant', 'Error']) {
      expect(doc.components.schemas[name], name).toBeDefined();
      expect(doc.components.schemas[name]).not.toHaveProperty('$schema');
    }
    const report = doc.components.schemas.CaseReport as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(report.properties).sort()).toEqual(
      ['applicant', 'asOf', 'automaticDecision', 'batchId', 'caseId', 'checks', 'decidedAt', 'decidedBy', 'decision', 'documents', 'reasons', 'review', 'status'],
    );
    expect(report.required).toContain('decision');

    const form = (doc.paths['/v1/batches']!.post!.requestBody as { content: Record<string, { schema: Record<string, unknown> }> })
      .content['multipart/form-data']?.schema;
    expect(Object.keys((form?.properties ?? {}) as object).sort()).toEqual(['asOf', 'batchId', 'sanctions']);
    expect(Object.keys((form?.patternProperties ?? {}) as object)).toHaveLength(2);
    expect(form?.additionalProperties).toBe(false);
    expect(doc.info.description).toContain("curl -sS -X POST");
    expect(doc.info.description).toContain('cases[alice-001][documents]=@passport.pdf');

    // Every $ref resolves inside the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      expect(ref.startsWith('#/')).toBe(true);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  test('when a documented field pattern is used, then it matches the same case ids the form parser takes', async () => {
    const { DOCUMENTS_FIELD_PATTERN, APPLICANT_FIELD_PATTERN } = await import('../../src/api/openapi.js');
    expect(new RegExp(DOCUMENTS_FIELD_PATTERN).test('cases[alice-001][documents]')).toBe(true);
    expect(new RegExp(APPLICANT_FIELD_PATTERN).test('cases[a.b_c][applicant]')).toBe(true);
    expect(new RegExp(DOCUMENTS_FIELD_PATTERN).test('cases[-x][documents]')).toBe(false);
  });
});

describe('health, unknown routes, request ids', () => {
  test('when /healthz is called, then 200 {status: ok}', async () => {
    const res = await server().inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  test.each([
    ['GET', '/v1/nope'],
    ['GET', '/'],
  ] as const)('when %s %s is called, then a JSON 404', async (method, url) => {
    const res = await server().inject({ method, url });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('NOT_FOUND');
  });

  test('when a path is called with a method it does not have, then a JSON 405 with Allow', async () => {
    const res = await server().inject({ method: 'DELETE', url: '/v1/batches/b-1' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(ErrorResponseSchema.parse(res.json()).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  test('when a safe x-request-id is sent, then it is echoed; otherwise one is generated', async () => {
    const api = server();
    const given = await api.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bank-req-42' } });
    expect(given.headers['x-request-id']).toBe('bank-req-42');
    const unsafe = await api.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a b\u0000c' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
