/**
 * HTTP layer of `POST /v1/batches`: form parsing, validation, limits, idempotency and logging,
 * over a recording in-test `KycService` (the end-to-end test drives the real one).
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, test, beforeAll, afterAll } from 'vitest';
import { createKey, tempReviewStore, type TestKey } from '../support/keys.js';
import type { InjectOptions } from 'fastify';
import { createApiServer } from '../../src/api/server.js';
import { BatchAcceptedSchema, ErrorResponseSchema, type ApiLimits } from '../../src/api/schemas.js';
import type {
  BatchStatus,
  BatchSubmission,
  CaseProgress,
  KycService,
  SubmitBatchRequest,
} from '../../src/app/service.js';
import { TemporalUnavailableError } from '../../src/domain/errors.js';
import { submittedBytes } from '../../src/app/service.js';
import type { CaseReport } from '../../src/domain/report.js';

class RecordingService implements KycService {
  readonly submissions: SubmitBatchRequest[] = [];
  readonly seenKeys = new Map<string, BatchSubmission>();
  failWith: Error | undefined;

  async submitBatch(request: SubmitBatchRequest): Promise<BatchSubmission> {
    this.submissions.push(request);
    if (this.failWith) throw this.failWith;
    const previous = request.idempotencyKey === undefined ? undefined : this.seenKeys.get(request.idempotencyKey);
    if (previous) return { ...previous, existing: true };
    const submission = {
      batchId: request.batchId ?? `batch-${this.submissions.length}`,
      caseIds: request.cases.map((c) => c.caseId),
      existing: false,
    };
    if (request.idempotencyKey !== undefined) this.seenKeys.set(request.idempotencyKey, submission);
    return submission;
  }
  async getBatch(): Promise<BatchStatus | undefined> {
    return undefined;
  }
  async getCase(): Promise<CaseReport | CaseProgress | undefined> {
    return undefined;
  }
  async getCaseInBatch(): Promise<CaseReport | CaseProgress | undefined> {
    return undefined;
  }
}

interface Part {
  name: string;
  value: string | Uint8Array;
  /** Present → a file part. */
  filename?: string;
  contentType?: string;
}

/** A hand-built multipart body, for parts FormData cannot express (typed text parts, truncation). */
function multipart(parts: Part[], boundary = 'test-boundary-7MA4YWxkTrZu0gW'): { payload: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.contentType ?? (part.filename === undefined ? undefined : 'application/octet-stream');
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Serialises a FormData the way a browser or fetch client would. */
async function encodeFormData(form: FormData): Promise<{ payload: Buffer; contentType: string }> {
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type') ?? '',
  };
}

const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a]); // "%PDF-1.7\n"
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const ALICE = { fullName: 'Alice Example', dateOfBirth: '1990-04-12', address: '1 High Street', nationality: 'GBR' };

function twoCaseForm(): FormData {
  const form = new FormData();
  form.append('cases[alice-001][documents]', new Blob([PDF], { type: 'application/pdf' }), 'passport-alice.pdf');
  form.append('cases[alice-001][documents]', new Blob([PNG], { type: 'image/png' }), 'bill.png');
  form.append('cases[alice-001][applicant]', JSON.stringify(ALICE));
  form.append('cases[bob_2.x][documents]', new Blob([PNG], { type: 'image/png' }), 'id-card.png');
  form.append('asOf', '2024-06-01');
  form.append('batchId', 'batch-2024-06-01');
  form.append('sanctions', new Blob(['id,schema,name\nx1,Person,Some One\n'], { type: 'text/csv' }), 'targets.simple.csv');
  return form;
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

function server(service: KycService, limits?: Partial<ApiLimits>): FastifyInstance {
  app = signedIn(createApiServer({ service, logger: false, authenticate: (k) => reviewDb.store.authenticate(k), ...(limits ? { limits } : {}) }));
  return app;
}

async function post(
  api: FastifyInstance,
  body: { payload: Buffer; contentType: string },
  headers: Record<string, string> = {},
): Promise<{ statusCode: number; json: () => unknown; headers: Record<string, unknown> }> {
  const res = await api.inject({
    method: 'POST',
    url: '/v1/batches',
    payload: body.payload,
    headers: { 'content-type': body.contentType, ...headers },
  });
  return { statusCode: res.statusCode, json: () => res.json(), headers: res.headers };
}

async function expectError(
  res: { statusCode: number; json: () => unknown },
  statusCode: number,
  code: string,
): Promise<{ code: string; message: string; details?: { field?: string; message: string }[] }> {
  expect(res.statusCode).toBe(statusCode);
  const body = ErrorResponseSchema.parse(res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

describe('POST /v1/batches', () => {
  test('when two cases with files are posted, then the service gets them and the answer is 202 with links', async () => {
    const service = new RecordingService();
    const res = await post(server(service), await encodeFormData(twoCaseForm()));

    expect(res.statusCode).toBe(202);
    const body = BatchAcceptedSchema.parse(res.json());
    expect(body).toEqual({
      batchId: 'batch-2024-06-01',
      caseIds: ['alice-001', 'bob_2.x'],
      status: 'accepted',
      existing: false,
      links: { self: '/v1/batches/batch-2024-06-01', cases: ['/v1/cases/alice-001', '/v1/cases/bob_2.x'] },
    });
    expect(res.headers.location).toBe('/v1/batches/batch-2024-06-01');

    expect(service.submissions).toHaveLength(1);
    const request = service.submissions[0]!;
    expect(request.batchId).toBe('batch-2024-06-01');
    expect(request.asOf).toBe('2024-06-01');
    expect(request.idempotencyKey).toBeUndefined();
    expect(Buffer.from(request.sanctionsCsv ?? []).toString()).toContain('Some One');
    expect(request.cases.map((c) => c.caseId)).toEqual(['alice-001', 'bob_2.x']);
    const [alice, bob] = request.cases;
    expect(alice?.applicant).toEqual(ALICE);
    expect(alice?.documents.map((d) => d.fileName)).toEqual(['passport-alice.pdf', 'bill.png']);
    expect(Buffer.from(await submittedBytes(alice!.documents[0]!)).equals(Buffer.from(PDF))).toBe(true);
    expect(Buffer.from(await submittedBytes(alice!.documents[1]!)).equals(Buffer.from(PNG))).toBe(true);
    expect(bob?.applicant).toBeUndefined();
    expect(bob?.documents).toHaveLength(1);
  });

  test('when only the required fields are sent, then optional ones are absent from the service request', async () => {
    const service = new RecordingService();
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    const res = await post(server(service), await encodeFormData(form));

    expect(res.statusCode).toBe(202);
    // submitter: the key's organisation owns the batch; its person can never review these cases.
    expect(service.submissions[0]!.submitter).toEqual({ org: 'default', person: 'test-admin', keyId: adminKey.actor.keyId });
    expect(Object.keys(service.submissions[0]!).sort()).toEqual(['cases', 'submitter']);
    expect(Object.keys(service.submissions[0]!.cases[0]!).sort()).toEqual(['caseId', 'documents']);
  });

  test('when an Idempotency-Key is sent twice, then it reaches the service and the repeat answers 200 with existing: true', async () => {
    const service = new RecordingService();
    const api = server(service);
    const first = await post(api, await encodeFormData(twoCaseForm()), { 'idempotency-key': 'upload-0017' });
    const second = await post(api, await encodeFormData(twoCaseForm()), { 'idempotency-key': 'upload-0017' });

    expect(service.submissions.map((s) => s.idempotencyKey)).toEqual(['upload-0017', 'upload-0017']);
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(200);
    const [a, b] = [BatchAcceptedSchema.parse(first.json()), BatchAcceptedSchema.parse(second.json())];
    expect(b).toEqual({ ...a, existing: true });
  });

  test('when the Idempotency-Key is not a printable token, then 400 names the header', async () => {
    const service = new RecordingService();
    const res = await post(server(service), await encodeFormData(twoCaseForm()), { 'idempotency-key': 'has space' });
    const error = await expectError(res, 400, 'INVALID_IDEMPOTENCY_KEY');
    expect(error.details?.[0]?.field).toBe('Idempotency-Key');
    expect(service.submissions).toHaveLength(0);
  });

  test('when the applicant JSON is sent as a JSON file part, then it is parsed like the text field', async () => {
    const service = new RecordingService();
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    form.append('cases[c1][applicant]', new Blob([JSON.stringify({ fullName: 'Bo' })], { type: 'application/json' }), 'applicant.json');
    const res = await post(server(service), await encodeFormData(form));

    expect(res.statusCode).toBe(202);
    expect(service.submissions[0]?.cases[0]?.applicant).toEqual({ fullName: 'Bo' });
  });

  test('when the applicant is a text part typed application/json, then it is accepted too', async () => {
    const service = new RecordingService();
    const body = multipart([
      { name: 'cases[c1][documents]', value: PDF, filename: 'a.pdf' },
      { name: 'cases[c1][applicant]', value: '{"nationality":"FRA"}', contentType: 'application/json' },
    ]);
    const res = await post(server(service), body);
    expect(res.statusCode).toBe(202);
    expect(service.submissions[0]?.cases[0]?.applicant).toEqual({ nationality: 'FRA' });
  });

  test('when a file name holds a path, then only its base name reaches the service', async () => {
    const service = new RecordingService();
    const body = multipart([{ name: 'cases[c1][documents]', value: PDF, filename: '../../etc/passwd' }]);
    const res = await post(server(service), body);
    expect(res.statusCode).toBe(202);
    expect(service.submissions[0]?.cases[0]?.documents[0]?.fileName).toBe('passwd');
  });

  test('when a browser sends an empty file input, then the nameless empty part is ignored', async () => {
    const service = new RecordingService();
    const body = multipart([
      { name: 'cases[c1][documents]', value: PDF, filename: 'a.pdf' },
      { name: 'cases[c1][documents]', value: '', filename: '' },
      { name: 'sanctions', value: '', filename: '' },
    ]);
    const res = await post(server(service), body);
    expect(res.statusCode).toBe(202);
    expect(service.submissions[0]?.cases[0]?.documents).toHaveLength(1);
    expect(service.submissions[0]?.sanctionsCsv).toBeUndefined();
  });
});

describe('POST /v1/batches validation', () => {
  test('when the form has no files, then 400 NO_CASES and the service is not called', async () => {
    const service = new RecordingService();
    const form = new FormData();
    form.append('asOf', '2024-06-01');
    const res = await post(server(service), await encodeFormData(form));
    await expectError(res, 400, 'NO_CASES');
    expect(service.submissions).toHaveLength(0);
  });

  test('when a case has an applicant but no documents, then 400 NO_DOCUMENTS names the field', async () => {
    const service = new RecordingService();
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    form.append('cases[c2][applicant]', '{}');
    const error = await expectError(await post(server(service), await encodeFormData(form)), 400, 'NO_DOCUMENTS');
    expect(error.details?.[0]?.field).toBe('cases[c2][documents]');
    expect(service.submissions).toHaveLength(0);
  });

  test.each([['-starts-with-dash'], ['has space'], ['x'.repeat(65)], ['']])(
    'when the case id is %j, then 400 INVALID_CASE_ID',
    async (caseId) => {
      const service = new RecordingService();
      const form = new FormData();
      form.append(`cases[${caseId}][documents]`, new Blob([PDF]), 'a.pdf');
      const error = await expectError(await post(server(service), await encodeFormData(form)), 400, 'INVALID_CASE_ID');
      expect(error.details?.[0]?.field).toBe(`cases[${caseId}][documents]`);
    },
  );

  test('when the applicant is not JSON, then 400 INVALID_APPLICANT names the field', async () => {
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    form.append('cases[c1][applicant]', '{fullName: Alice');
    const error = await expectError(await post(server(new RecordingService()), await encodeFormData(form)), 400, 'INVALID_APPLICANT');
    expect(error.message).toContain('cases[c1][applicant]');
    expect(error.details).toEqual([{ field: 'cases[c1][applicant]', message: 'not valid JSON' }]);
  });

  test('when the applicant has a bad date and an unknown key, then 400 lists both with their paths', async () => {
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    form.append('cases[c1][applicant]', JSON.stringify({ dateOfBirth: '12/04/1990', ssn: '123' }));
    const error = await expectError(await post(server(new RecordingService()), await encodeFormData(form)), 400, 'INVALID_APPLICANT');
    const fields = (error.details ?? []).map((d) => d.field);
    expect(fields).toContain('cases[c1][applicant].dateOfBirth');
    expect(fields).toContain('cases[c1][applicant]');
    expect(error.message).not.toContain('12/04/1990');
  });

  test('when a part typed application/json is not JSON, then 400 INVALID_JSON_FIELD', async () => {
    const body = multipart([
      { name: 'cases[c1][documents]', value: PDF, filename: 'a.pdf' },
      { name: 'cases[c1][applicant]', value: '{oops', contentType: 'application/json' },
    ]);
    await expectError(await post(server(new RecordingService()), body), 400, 'INVALID_JSON_FIELD');
  });

  test.each([['2024-13-01'], ['2024-02-30'], ['01/06/2024'], ['yesterday']])(
    'when asOf is %j, then 400 INVALID_FIELD names asOf',
    async (asOf) => {
      const form = new FormData();
      form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
      form.append('asOf', asOf);
      const error = await expectError(await post(server(new RecordingService()), await encodeFormData(form)), 400, 'INVALID_FIELD');
      expect(error.details?.[0]?.field).toBe('asOf');
    },
  );

  test('when the batchId is not a valid id, then 400 names batchId', async () => {
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    form.append('batchId', '../etc');
    const error = await expectError(await post(server(new RecordingService()), await encodeFormData(form)), 400, 'INVALID_FIELD');
    expect(error.details?.[0]?.field).toBe('batchId');
  });

  test.each([['notes'], ['cases[c1][passport]'], ['cases[c1]'], ['cases[c1][documents][]']])(
    'when an unknown field %j is sent, then 400 UNKNOWN_FIELD',
    async (name) => {
      const service = new RecordingService();
      const form = new FormData();
      form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
      form.append(name, 'x');
      const error = await expectError(await post(server(service), await encodeFormData(form)), 400, 'UNKNOWN_FIELD');
      expect(error.details?.[0]?.field).toBe(name);
      expect(service.submissions).toHaveLength(0);
    },
  );

  test('when asOf is sent twice, then 400 DUPLICATE_FIELD', async () => {
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    form.append('asOf', '2024-06-01');
    form.append('asOf', '2024-06-02');
    await expectError(await post(server(new RecordingService()), await encodeFormData(form)), 400, 'DUPLICATE_FIELD');
  });

  test('when a document field carries text, or asOf carries a file, then 400 INVALID_FIELD', async () => {
    const textDoc = new FormData();
    textDoc.append('cases[c1][documents]', 'not a file');
    await expectError(await post(server(new RecordingService()), await encodeFormData(textDoc)), 400, 'INVALID_FIELD');
    await app?.close();

    const fileAsOf = new FormData();
    fileAsOf.append('cases[c1][documents]', new Blob([PDF]), 'a.pdf');
    fileAsOf.append('asOf', new Blob(['2024-06-01']), 'asof.txt');
    await expectError(await post(server(new RecordingService()), await encodeFormData(fileAsOf)), 400, 'INVALID_FIELD');
  });

  test.each([['cases[c1][documents]'], ['sanctions']])('when a named file in %s is empty, then 400 EMPTY_FILE', async (name) => {
    const body = multipart([
      { name: 'cases[c1][documents]', value: PDF, filename: 'a.pdf' },
      { name, value: '', filename: 'empty.bin' },
    ]);
    const error = await expectError(await post(server(new RecordingService()), body), 400, 'EMPTY_FILE');
    expect(error.details?.[0]?.field).toBe(name);
  });

  test('when the multipart body is cut short, then 400 and no service call', async () => {
    const service = new RecordingService();
    const whole = multipart([{ name: 'cases[c1][documents]', value: PDF, filename: 'a.pdf' }]);
    const res = await post(server(service), { ...whole, payload: whole.payload.subarray(0, whole.payload.length - 40) });
    expect(res.statusCode).toBe(400);
    ErrorResponseSchema.parse(res.json());
    expect(service.submissions).toHaveLength(0);
  });
});

describe('POST /v1/batches limits and media type', () => {
  test('when a file is over maxFileBytes, then 413 FILE_TOO_LARGE and the service is not called', async () => {
    const service = new RecordingService();
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([new Uint8Array(2048)]), 'big.pdf');
    const res = await post(server(service, { maxFileBytes: 1024 }), await encodeFormData(form));
    const error = await expectError(res, 413, 'FILE_TOO_LARGE');
    expect(error.message).toContain('1024');
    expect(service.submissions).toHaveLength(0);
  });

  test('when a file is exactly maxFileBytes, then it is accepted', async () => {
    const service = new RecordingService();
    const form = new FormData();
    form.append('cases[c1][documents]', new Blob([new Uint8Array(1024).fill(7)]), 'edge.pdf');
    const res = await post(server(service, { maxFileBytes: 1024 }), await encodeFormData(form));
    expect(res.statusCode).toBe(202);
    expect((await submittedBytes(service.submissions[0]!.cases[0]!.documents[0]!)).length).toBe(1024);
  });

  test('when there are more documents than maxFiles, then 413 TOO_MANY_FILES', async () => {
    const form = new FormData();
    for (let i = 0; i < 3; i += 1) form.append(`cases[c${i}][documents]`, new Blob([PDF]), `${i}.pdf`);
    await expectError(await post(server(new RecordingService(), { maxFiles: 2 }), await encodeFormData(form)), 413, 'TOO_MANY_FILES');
  });

  test('when there are more cases than maxCases, then 413 TOO_MANY_CASES', async () => {
    const form = new FormData();
    for (let i = 0; i < 3; i += 1) form.append(`cases[c${i}][documents]`, new Blob([PDF]), `${i}.pdf`);
    await expectError(await post(server(new RecordingService(), { maxCases: 2 }), await encodeFormData(form)), 413, 'TOO_MANY_CASES');
  });

  test('when the files together exceed maxTotalBytes, then 413 REQUEST_TOO_LARGE', async () => {
    const form = new FormData();
    for (let i = 0; i < 3; i += 1) form.append('cases[c1][documents]', new Blob([new Uint8Array(600)]), `${i}.pdf`);
    const res = await post(server(new RecordingService(), { maxFileBytes: 1000, maxTotalBytes: 1500 }), await encodeFormData(form));
    await expectError(res, 413, 'REQUEST_TOO_LARGE');
  });

  test.each([
    ['application/json', '{"cases":[]}'],
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'asOf=2024-06-01'],
    ['application/octet-stream', 'raw'],
  ])('when the body is %s, then 415 UNSUPPORTED_MEDIA_TYPE', async (contentType, payload) => {
    const res = await post(server(new RecordingService()), { payload: Buffer.from(payload), contentType });
    await expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('when there is no body at all, then 415', async () => {
    const res = await server(new RecordingService()).inject({ method: 'POST', url: '/v1/batches' });
    await expectError({ statusCode: res.statusCode, json: () => res.json() }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('POST /v1/batches service failures', () => {
  test('when the engine is unavailable, then 503 with Retry-After', async () => {
    const service = new RecordingService();
    service.failWith = new TemporalUnavailableError('connect ECONNREFUSED 10.0.0.5:7233');
    const res = await post(server(service), await encodeFormData(twoCaseForm()));
    const error = await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('30');
    expect(error.message).not.toContain('10.0.0.5');
  });

  test('when the service throws an unknown error, then 500 INTERNAL_ERROR without its message', async () => {
    const service = new RecordingService();
    service.failWith = new Error('pg: password authentication failed for user kyc');
    const res = await post(server(service), await encodeFormData(twoCaseForm()));
    const error = await expectError(res, 500, 'INTERNAL_ERROR');
    expect(JSON.stringify(error)).not.toContain('password');
  });
});

describe('request logging', () => {
  test('when a batch is submitted, then the log has method, route, status, duration and request id but no applicant data or file names', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done): void {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const service = new RecordingService();
    app = signedIn(createApiServer({ service, logger, authenticate: (k) => reviewDb.store.authenticate(k) }));
    const form = twoCaseForm();
    form.append('cases[c9][applicant]', '{"fullName": "Zed Secret"'); // invalid → a logged 400 as well
    await post(app, await encodeFormData(twoCaseForm()), { 'x-request-id': 'req-abc-123' });
    await post(app, await encodeFormData(form));
    service.failWith = new Error('boom');
    await post(app, await encodeFormData(twoCaseForm()));
    // The safety net: whatever some handler logs, applicant data and file names are censored.
    app.log.info({ applicant: { fullName: 'Alice Example' }, case: { fileName: 'bill.png', fullName: 'Zed Secret' } }, 'oops');

    const log = lines.join('');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const completed = entries.filter((e) => e.msg === 'request completed');
    expect(completed).toHaveLength(3);
    expect(completed[0]).toMatchObject({ method: 'POST', route: '/v1/batches', statusCode: 202, reqId: 'req-abc-123' });
    expect(typeof completed[0]?.durationMs).toBe('number');
    expect(completed.map((e) => e.statusCode)).toEqual([202, 400, 500]);
    expect(entries.find((e) => e.msg === 'oops')).toMatchObject({ applicant: '[redacted]', case: { fileName: '[redacted]' } });
    for (const secret of ['Alice Example', '1990-04-12', 'High Street', 'Zed Secret', 'passport-alice.pdf', 'bill.png', 'Some One']) {
      expect(log).not.toContain(secret);
    }
  });
});
