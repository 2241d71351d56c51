/**
 * Triage over HTTP on the real pipeline (real Temporal, workers, SQLite review database): the inbox
 * lists the tasks still to be worked, high priority first, filters by reason code and marks
 * escalations; `POST /v1/review/next` claims through the case workflow the next task the reviewer may
 * review, never their own batch's nor one they already approved.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../src/api/server.js';
import type { ReviewTask } from '../../src/review/types.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const AS_OF = '2026-11-01';
const SANCTIONS =
  'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change\nNK-1,Person,Jane Doe,,,,,,UN list,,,test,2020-01-01,2026-01-01,2026-01-01\n';

type Row = ReviewTask & { escalated: boolean };

let pipeline: Pipeline;
let api: FastifyInstance;
let submitter: TestKey;
let sam: TestKey; // submits and reviews
let carol: TestKey; // senior reviewer

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  api = createApiServer({
    service: pipeline.service,
    review: pipeline.review,
    erasure: pipeline.erasure,
    authenticate: (s) => pipeline.reviewStore.authenticate(s),
    logger: false,
  });
  submitter = await createKey(pipeline.reviewStore, 'backoffice', ['submitter']);
  sam = await createKey(pipeline.reviewStore, 'sam', ['submitter', 'reviewer']);
  carol = await createKey(pipeline.reviewStore, 'carol', ['senior_reviewer']);
  // In this order: sam's own case is the earliest due, the sanctions case (high priority) the latest.
  await submitForReview('tri-own', sam);
  await submitForReview('tri-normal', submitter);
  await submitForReview('tri-high', submitter, SANCTIONS);
});
afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

/** A water bill in Jane Doe's name: with no identity document the case goes to review. */
async function submitForReview(caseId: string, by: TestKey, sanctions?: string): Promise<void> {
  const bytes = await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
  const { batchId } = await pipeline.service.submitBatch({
    asOf: AS_OF,
    submittedBy: by.actor.keyId,
    ...(sanctions ? { sanctionsCsv: new TextEncoder().encode(sanctions) } : {}),
    cases: [{ caseId, applicant: { fullName: 'Jane Doe', address: '4 Mill Rd, Leeds LS1 4AP' }, documents: [{ fileName: 'water.pdf', bytes }] }],
  });
  await pipeline.service.waitForBatch(batchId);
  await waitFor(() => pipeline.reviewStore.latestTaskForCase(caseId), 20_000, `the task of ${caseId}`);
}

async function inbox(key: TestKey, query = ''): Promise<Row[]> {
  const res = await api.inject({ method: 'GET', url: `/v1/review/tasks${query}`, headers: key.headers });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { tasks: Row[] }).tasks;
}

const next = (key: TestKey) => api.inject({ method: 'POST', url: '/v1/review/next', headers: key.headers });

describe('the inbox for triage', () => {
  test('high priority first, then by deadline; each row says whether it escalated', async () => {
    const rows = await inbox(carol);
    expect(rows.map((t) => t.caseId)).toEqual(['tri-high', 'tri-own', 'tri-normal']);
    expect(rows[0]).toMatchObject({ priority: 'high', queue: 'senior' });
    for (const row of rows) expect(row.escalated).toBe(row.escalatedAt !== undefined);
    expect(rows.every((r) => !r.escalated && Date.parse(r.createdAt) > 0)).toBe(true);
    // By deadline only, on request: the sanctions case, submitted last, comes last.
    expect((await inbox(carol, '?sort=due')).map((t) => t.caseId)).toEqual(['tri-own', 'tri-normal', 'tri-high']);
  });

  test('filters by reason code; a malformed code is a 400 with the documented error shape', async () => {
    expect((await inbox(carol, '?reason=sanctions_match')).map((t) => t.caseId)).toEqual(['tri-high']);
    const missing = await inbox(carol, '?reason=missing_identity');
    expect(missing.length).toBeGreaterThan(0);
    for (const row of missing) expect(row.reasons).toContain('missing_identity');
    // `_` is a LIKE wildcard: it must not match any character.
    expect(await inbox(carol, '?reason=sanctions_matc_')).toEqual([]);
    const bad = await api.inject({ method: 'GET', url: '/v1/review/tasks?reason=Sanctions%25', headers: carol.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });
});

describe('claim next', () => {
  test("skips the reviewer's own submission, claims through the workflow, then answers 404 NO_TASK", async () => {
    const first = await next(sam);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ caseId: 'tri-normal', status: 'claimed', assignee: 'sam' });
    // The senior queue is not sam's, tri-own is his own batch's, tri-normal is taken: nothing left.
    const none = await next(sam);
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'NO_TASK' } });
  });

  test('completed tasks are apart: hidden by default, listed with status=completed', async () => {
    const decided = await api.inject({
      method: 'POST',
      url: '/v1/review/tasks/tri-normal/decision',
      headers: sam.headers,
      payload: { decision: 'reject', reason: 'no identity document' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    await waitFor(async () => ((await pipeline.reviewStore.latestTaskForCase('tri-normal'))?.status === 'completed' ? true : undefined), 20_000, 'completed');
    expect((await inbox(carol)).map((t) => t.caseId)).not.toContain('tri-normal');
    expect((await inbox(carol, '?status=completed')).map((t) => t.caseId)).toEqual(['tri-normal']);
    expect((await inbox(carol, '?status=all')).map((t) => t.caseId)).toContain('tri-normal');
  });

  test('a senior gets the high-priority task first, and never a four-eyes task they already approved', async () => {
    const first = await next(carol);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ caseId: 'tri-high', assignee: 'carol' });
    const approved = await api.inject({
      method: 'POST',
      url: '/v1/review/tasks/tri-high/decision',
      headers: carol.headers,
      payload: { decision: 'approve', reason: 'different birth date' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'open', approvals: [{ by: 'carol' }] });
    await waitFor(async () => ((await pipeline.reviewStore.latestTaskForCase('tri-high'))?.status === 'open' ? true : undefined), 20_000, 'reopened');
    // tri-high is open again for a second approver: carol is passed on to the next one.
    const second = await next(carol);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ caseId: 'tri-own', assignee: 'carol' });
    expect((await next(carol)).statusCode).toBe(404);
  });
});
