/**
 * Tenancy over the real API, the real workflows and a real Temporal dev server, with two client
 * organisations (acme, globex) and the bank's own reviewers: each organisation reads and changes only
 * its own batches and cases (another's answer 404, as if they did not exist), reviewers see documents
 * only of cases in the queues they work, and separation of duties holds per person, whatever key.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../src/api/server.js';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/decision.js';
import type { CaseReport } from '../../src/domain/report.js';
import type { ReviewTask } from '../../src/review/types.js';
import { caseWorkflowId } from '../../src/temporal/names.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

/** Only a name mismatch sends a case to review; whatever else a lone bill lacks is switched off. */
const POLICY: Policy = {
  ...DEFAULT_POLICY,
  rejectReasons: [],
  reviewReasons: ['name_mismatch'],
  ignoredReasons: [...DEFAULT_POLICY.rejectReasons, ...DEFAULT_POLICY.reviewReasons.filter((r) => r !== 'name_mismatch')],
};

let pipeline: Pipeline;
let api: FastifyInstance;
let acme: TestKey; // Alice Martin of acme, submitter
let acmeAliceReviewer: TestKey; // the same Alice's second key, with the reviewer role
let globex: TestKey; // Bob Stone of globex, submitter
let reviewer: TestKey; // the bank's reviewer
let admin: TestKey;
let acmeBatch: string;
let globexBatch: string;

async function bill(holder: string): Promise<Uint8Array> {
  return textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', `Account holder: ${holder}`, '4 Mill Road', 'Leeds LS1 4AP']]);
}

/** A multipart batch: case id → [name on the bill, declared name]. */
async function batchForm(cases: Record<string, [string, string]>): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [caseId, [onBill, declared]] of Object.entries(cases)) {
    form.append(`cases[${caseId}][documents]`, new Blob([new Uint8Array(await bill(onBill))], { type: 'application/pdf' }), 'water.pdf');
    form.append(`cases[${caseId}][applicant]`, JSON.stringify({ fullName: declared, address: '4 Mill Road, Leeds LS1 4AP' }));
  }
  form.append('asOf', '2026-11-01');
  const body = new Response(form);
  return { payload: Buffer.from(await body.arrayBuffer()), headers: { 'content-type': body.headers.get('content-type')! } };
}

async function submit(key: TestKey, cases: Record<string, [string, string]>): Promise<string> {
  const form = await batchForm(cases);
  const res = await api.inject({ method: 'POST', url: '/v1/batches', payload: form.payload, headers: { ...form.headers, ...key.headers } });
  expect(res.statusCode, res.body).toBe(202);
  return (res.json() as { batchId: string }).batchId;
}

const get = (url: string, key: TestKey) => api.inject({ method: 'GET', url, headers: key.headers });

async function decided(url: string, key: TestKey): Promise<CaseReport> {
  return waitFor(
    async () => {
      const res = await get(url, key);
      const body = res.json() as CaseReport;
      return res.statusCode === 200 && 'documents' in body ? body : undefined;
    },
    120_000,
    `${url} decided`,
  );
}

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' }, { policy: POLICY });
  api = createApiServer({
    service: pipeline.service,
    review: pipeline.review,
    erasure: pipeline.erasure,
    authenticate: (s) => pipeline.reviewStore.authenticate(s),
    logger: false,
  });
  acme = await createKey(pipeline.reviewStore, 'Alice Martin', ['submitter'], { org: 'acme' });
  acmeAliceReviewer = await createKey(pipeline.reviewStore, 'Alice Martin', ['reviewer'], { org: 'acme', samePerson: true });
  globex = await createKey(pipeline.reviewStore, 'Bob Stone', ['submitter'], { org: 'globex' });
  reviewer = await createKey(pipeline.reviewStore, 'Rita Reviewer', ['reviewer'], { org: 'bank' });
  admin = await createKey(pipeline.reviewStore, 'Ada Admin', ['admin'], { org: 'bank' });
  // Both organisations use the case id "shared": two cases, one per owner.
  acmeBatch = await submit(acme, { shared: ['Jane Doe', 'Jane Doe'], mismatch: ['Jane Doe', 'Joan Smith'] });
  globexBatch = await submit(globex, { shared: ['John Roe', 'John Roe'] });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

describe('keys', () => {
  test('when a key is made, then it names its person and organisation, and /v1/me says so', async () => {
    const me = (await get('/v1/me', acmeAliceReviewer)).json();
    expect(me).toEqual({ keyId: acmeAliceReviewer.actor.keyId, name: 'Alice Martin', person: 'Alice Martin', org: 'acme', roles: ['reviewer'] });
    // A second active key of that name in acme must say it is the same person.
    await expect(pipeline.reviewStore.createApiKey({ person: 'Alice Martin', org: 'acme', roles: ['submitter'] })).rejects.toThrow(/already has an active key/);
  });
});

describe('submitters see only their own organisation', () => {
  test('when globex reads acme’s batch, then 404 as for a batch that does not exist; acme and the admin read it', async () => {
    const foreign = await get(`/v1/batches/${acmeBatch}`, globex);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ error: { code: 'BATCH_NOT_FOUND', message: `no batch ${acmeBatch}` } });
    expect((await get(`/v1/batches/${acmeBatch}`, acme)).statusCode).toBe(200);
    expect((await get(`/v1/batches/${acmeBatch}`, admin)).statusCode).toBe(200);
    expect((await get(`/v1/batches/${globexBatch}`, acme)).statusCode).toBe(404);
  });

  test('when both own a case id, then each reads its own case; another owner’s case and batch-case answer 404', async () => {
    const acmeShared = await decided('/v1/cases/shared', acme);
    const globexShared = await decided('/v1/cases/shared', globex);
    expect(acmeShared.batchId).toBe(acmeBatch);
    expect(globexShared.batchId).toBe(globexBatch);
    expect(acmeShared.documents[0]!.fields.fullName).not.toBe(globexShared.documents[0]!.fields.fullName);

    expect((await get('/v1/cases/mismatch', globex)).json()).toMatchObject({ error: { code: 'CASE_NOT_FOUND' } });
    expect((await get('/v1/cases/mismatch', globex)).statusCode).toBe(404);
    expect((await get(`/v1/batches/${acmeBatch}/cases/mismatch`, globex)).statusCode).toBe(404);
    expect((await get(`/v1/batches/${acmeBatch}/cases/shared`, globex)).statusCode).toBe(404);
    expect((await get(`/v1/batches/${globexBatch}/cases/shared`, globex)).statusCode).toBe(200);
    // An id differing only in letter case is another id.
    expect((await get('/v1/cases/SHARED', acme)).statusCode).toBe(404);
  });
});

describe('reviewers see the cases of their queues', () => {
  test('when a case was decided without review, then a reviewer gets 404 for it and its documents; an admin gets them', async () => {
    const report = await decided('/v1/cases/shared', acme);
    expect(report.status).toBe('completed');
    expect(await pipeline.reviewStore.latestTaskForCase('shared')).toBeUndefined();
    const documentUrl = `/v1/cases/shared/documents/${report.documents[0]!.documentId}`;
    const denied = await get(documentUrl, reviewer);
    expect(denied.statusCode).toBe(404);
    expect(denied.json()).toMatchObject({ error: { code: 'DOCUMENT_NOT_FOUND' } });
    expect((await get(`${documentUrl}/pages/1`, reviewer)).statusCode).toBe(404);
    expect((await get('/v1/cases/shared', reviewer)).statusCode).toBe(404);
    expect((await get('/v1/review/tasks/shared', reviewer)).statusCode).toBe(404);
    const served = await get(documentUrl, admin);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('when a case is in the standard queue, then a reviewer reads it, its task and its documents', async () => {
    await waitFor(() => pipeline.reviewStore.latestTaskForCase('mismatch'), 120_000, 'the mismatch task');
    const report = await decided('/v1/cases/mismatch', reviewer);
    expect(report).toMatchObject({ batchId: acmeBatch, decision: 'review' });
    expect((await get(`/v1/cases/mismatch/documents/${report.documents[0]!.documentId}`, reviewer)).statusCode).toBe(200);
    expect((await get('/v1/review/tasks/mismatch', reviewer)).statusCode).toBe(200);
    // The inbox of a reviewer who works only the standard queue holds only that queue.
    expect((await get('/v1/review/tasks', reviewer)).json()).toMatchObject({ total: 1, tasks: [{ caseId: 'mismatch', queue: 'standard' }] });
    expect((await get('/v1/review/tasks?queue=senior', reviewer)).json()).toMatchObject({ total: 0, tasks: [] });
  });
});

describe('separation of duties per person', () => {
  test('when the submitter claims her own case with her reviewer key, then 403; another reviewer claims it', async () => {
    const own = await api.inject({ method: 'POST', url: '/v1/review/tasks/mismatch/claim', headers: acmeAliceReviewer.headers, payload: {} });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ error: { code: 'REVIEW_FORBIDDEN' } });
    const task = (await pipeline.reviewStore.latestTaskForCase('mismatch'))!;
    expect(task.submittedBy).toBe('acme/Alice Martin');
    const other = await api.inject({ method: 'POST', url: '/v1/review/tasks/mismatch/claim', headers: reviewer.headers, payload: {} });
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ status: 'claimed', assignee: 'Rita Reviewer' });
  });
});

describe('documents sent for another organisation’s case', () => {
  test('when globex sends documents to acme’s case waiting for them, then 404 and the case is unchanged; acme’s own upload is taken', async () => {
    const asked = await api.inject({
      method: 'POST',
      url: '/v1/review/tasks/mismatch/decision',
      headers: reviewer.headers,
      payload: { decision: 'request_documents', reason: 'a second proof of address, please' },
    });
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toMatchObject({ status: 'waiting_documents' });
    const before = (await pipeline.reviewStore.latestTaskForCase('mismatch'))!;
    const reportBefore = await decided('/v1/cases/mismatch', acme);

    const upload = async (key: TestKey) => {
      const form = new FormData();
      form.append('documents', new Blob([new Uint8Array(await bill('Joan Smith'))], { type: 'application/pdf' }), 'second.pdf');
      const body = new Response(form);
      return api.inject({
        method: 'POST',
        url: '/v1/cases/mismatch/documents',
        payload: Buffer.from(await body.arrayBuffer()),
        headers: { 'content-type': body.headers.get('content-type')!, ...key.headers },
      });
    };
    const foreign = await upload(globex);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: { code: 'TASK_NOT_FOUND' } });
    const after = (await pipeline.reviewStore.latestTaskForCase('mismatch'))!;
    expect(after).toEqual(before);
    expect(await decided('/v1/cases/mismatch', acme)).toEqual(reportBefore);
    const held = await pipeline.registry.findCase(caseWorkflowId(acmeBatch, 'mismatch'));
    expect(held?.documentIds).toHaveLength(1);

    const own = await upload(acme);
    expect(own.statusCode, own.body).toBe(202);
    expect((own.json() as ReviewTask).caseId).toBe('mismatch');
  });
});

describe('erasure of a case id two organisations use', () => {
  test('when no organisation is named, then 409 CASE_ID_AMBIGUOUS and nothing is erased; named, only that one’s case goes', async () => {
    const erase = (url: string) => api.inject({ method: 'DELETE', url, headers: admin.headers });
    const ambiguous = await erase('/v1/cases/shared');
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.json()).toMatchObject({ error: { code: 'CASE_ID_AMBIGUOUS' } });
    expect((await get('/v1/cases/shared', acme)).statusCode).toBe(200);
    expect((await get('/v1/cases/shared', globex)).statusCode).toBe(200);
    expect((await erase('/v1/cases/shared?org=Not_An_Org')).statusCode).toBe(400);

    const erased = await erase('/v1/cases/shared?org=globex');
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ caseId: 'shared', cases: [{ batchId: globexBatch }] });
    expect((await get('/v1/cases/shared', globex)).statusCode).toBe(404);
    expect((await get('/v1/cases/shared', acme)).json()).toMatchObject({ batchId: acmeBatch, status: 'completed' });
  });
});
