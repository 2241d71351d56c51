/**
 * Idempotency as payment APIs keep it, over real HTTP, the real workflows and a real Temporal dev
 * server, with two organisations: a key belongs to its organisation; the same key with the same
 * request answers the same batch (200, existing: true); with another request 409
 * IDEMPOTENCY_KEY_REUSED and nothing changes; batch ids are compared exactly and are refused when
 * another owner holds them; racing requests are decided by the database; a request whose workflow
 * cannot start leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import { batchManifestKey, hashOfManifest, type BatchManifest } from '../../src/app/batch-manifest.js';
import type { BatchStatus } from '../../src/app/service.js';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import { DocumentNotFoundError } from '../../src/domain/errors.js';
import { batchWorkflowId, caseWorkflowId } from '../../src/temporal/names.js';
import { recordHistory } from '../support/histories.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

let pipeline: Pipeline;
let api: FastifyInstance;
let baseUrl: string;
let acme: TestKey;
let globex: TestKey;

interface Answer {
  status: number;
  body: { batchId?: string; caseIds?: string[]; existing?: boolean; error?: { code: string; message: string } };
}

/** One bill per holder, made once: a PDF's bytes carry its creation time, and a repeat must be byte-equal. */
const bills = new Map<string, Promise<Uint8Array>>();
function billOf(holder: string): Promise<Uint8Array> {
  if (!bills.has(holder)) bills.set(holder, textPdf([['City Water plc', 'Water bill', `Account holder: ${holder}`, '4 Mill Road', 'Leeds LS1 4AP']]));
  return bills.get(holder)!;
}

/** A one-document case per id; the bill names `holder` (different holders → different bytes). */
async function form(cases: Record<string, string>, extra: Record<string, string> = {}): Promise<FormData> {
  const data = new FormData();
  for (const [caseId, holder] of Object.entries(cases)) {
    const pdf = await billOf(holder);
    data.append(`cases[${caseId}][documents]`, new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'water.pdf');
  }
  data.append('asOf', '2026-11-01');
  for (const [k, v] of Object.entries(extra)) data.append(k, v);
  return data;
}

async function post(key: TestKey, body: FormData, idempotencyKey?: string): Promise<Answer> {
  const res = await fetch(`${baseUrl}/v1/batches`, {
    method: 'POST',
    body,
    headers: { ...key.headers, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

async function batch(key: TestKey, batchId: string): Promise<{ status: number; body: BatchStatus }> {
  const res = await fetch(`${baseUrl}/v1/batches/${encodeURIComponent(batchId)}`, { headers: key.headers });
  return { status: res.status, body: (await res.json()) as BatchStatus };
}

/** The batch's cases once the batch workflow has started all of them. */
async function casesOf(key: TestKey, batchId: string, count: number): Promise<string[]> {
  const done = await waitFor(
    async () => {
      const b = await batch(key, batchId);
      return b.status === 200 && b.body.cases.length === count && b.body.cases.every((c) => c.status !== 'pending' && c.status !== 'processing') ? b.body : undefined;
    },
    120_000,
    `batch ${batchId} with ${count} decided case(s)`,
  );
  return done.cases.map((c) => c.caseId).sort();
}

/** The manifest as stored, checked against the hash the batch was accepted with. */
async function manifestOf(batchId: string): Promise<BatchManifest> {
  const record = await pipeline.batches.findBatch(batchId);
  expect(record?.state).toBe('started');
  const manifest = await pipeline.store.getJson<BatchManifest>(batchManifestKey(batchId));
  expect(hashOfManifest(manifest)).toBe(record?.manifestHash);
  return manifest;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  api = createApiServer({ service: pipeline.service, review: pipeline.review, authenticate: (s) => pipeline.reviewStore.authenticate(s), logger: false });
  baseUrl = await api.listen({ port: 0, host: '127.0.0.1' });
  acme = await createKey(pipeline.reviewStore, 'Alice Martin', ['submitter'], { org: 'acme' });
  globex = await createKey(pipeline.reviewStore, 'Bob Stone', ['submitter'], { org: 'globex' });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

describe('an idempotency key', () => {
  test('when reused with the same request, then 200 existing with the same batch', async () => {
    const first = await post(acme, await form({ same: 'Jane Doe' }), 'same-body');
    expect(first.status).toBe(202);
    const again = await post(acme, await form({ same: 'Jane Doe' }), 'same-body');
    expect(again).toEqual({ status: 200, body: { ...first.body, existing: true } });
  });

  test('when reused with another request, then 409 IDEMPOTENCY_KEY_REUSED, nothing stored or changed; another organisation’s same key is its own', async () => {
    const first = await post(acme, await form({ k1: 'Jane Doe' }), 'upload-1');
    expect(first.status).toBe(202);
    const batchA = first.body.batchId!;
    const manifestBefore = await manifestOf(batchA);

    const otherBody = await form({ k2: 'Hortensia Quill' });
    const otherBytes = new Uint8Array(await (otherBody.get('cases[k2][documents]') as Blob).arrayBuffer());
    const reused = await post(acme, otherBody, 'upload-1');
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Nothing of the refused request was stored; the first batch's manifest is as it was.
    await expect(pipeline.store.getDocument(sha256(otherBytes))).rejects.toBeInstanceOf(DocumentNotFoundError);
    expect(await pipeline.registry.findCasesById('k2')).toEqual([]);
    expect(await manifestOf(batchA)).toEqual(manifestBefore);

    // globex's key "upload-1" is another key: its own batch, with its own case.
    const globexFirst = await post(globex, await form({ k2: 'Hortensia Quill' }), 'upload-1');
    expect(globexFirst.status).toBe(202);
    const batchB = globexFirst.body.batchId!;
    expect(batchB).not.toBe(batchA);
    expect(await casesOf(acme, batchA, 1)).toEqual(['k1']);
    expect(await casesOf(globex, batchB, 1)).toEqual(['k2']);
    // A batch whose input carries its manifest's hash: the shape replay tests must keep replaying.
    await recordHistory('kyc-batch-hashed-manifest', batchWorkflowId(batchB), pipeline.env.address);
    expect((await manifestOf(batchA)).cases.map((c) => c.caseId)).toEqual(['k1']);
    expect((await manifestOf(batchB)).cases.map((c) => c.caseId)).toEqual(['k2']);
    expect((await batch(globex, batchA)).status).toBe(404);
  });

  test('when 20 identical requests race with one key, then one batch starts and every answer names it', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, async () => post(acme, await form({ race: 'Jane Doe' }), 'race-same')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.every((s) => s === 202 || s === 200 || s === 409)).toBe(true);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error?.code).toBe('SUBMISSION_IN_PROGRESS');
    const ids = new Set(answers.filter((a) => a.status !== 409).map((a) => a.body.batchId));
    expect(ids.size).toBe(1);
    const [batchId] = [...ids] as string[];
    expect(answers.filter((a) => a.status === 200).every((a) => a.body.existing === true)).toBe(true);
    expect(await casesOf(acme, batchId!, 1)).toEqual(['race']);
    expect((await pipeline.registry.findCasesById('race')).map((c) => c.batchId)).toEqual([batchId]);
  });

  test('when 20 different requests race with one key, then one wins, the others get 409, and the winner’s batch is intact', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => ({ i, answer: await post(acme, await form({ [`racer-${i}`]: `Holder Number ${i}` }), 'race-different') })),
    );
    const winners = answers.filter((a) => a.answer.status === 202);
    expect(winners).toHaveLength(1);
    for (const { answer } of answers.filter((a) => a.answer.status !== 202)) {
      expect(answer.status).toBe(409);
      expect(answer.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    const { i, answer } = winners[0]!;
    expect(answer.body.caseIds).toEqual([`racer-${i}`]);
    expect((await manifestOf(answer.body.batchId!)).cases.map((c) => c.caseId)).toEqual([`racer-${i}`]);
    expect(await casesOf(acme, answer.body.batchId!, 1)).toEqual([`racer-${i}`]);
    for (const { i: loser } of answers.filter((a) => a.answer.status !== 202)) {
      expect(await pipeline.registry.findCasesById(`racer-${loser}`)).toEqual([]);
    }
  });
});

describe('batch ids', () => {
  test('when two ids differ only in letter case, then they are two batches with their own cases', async () => {
    const upper = await post(acme, await form({ 'c-upper': 'Jane Doe' }, { batchId: 'Quarter-A1' }));
    const lower = await post(acme, await form({ 'c-lower': 'John Roe' }, { batchId: 'quarter-a1' }));
    expect([upper.status, lower.status]).toEqual([202, 202]);
    expect([upper.body.batchId, lower.body.batchId]).toEqual(['Quarter-A1', 'quarter-a1']);
    expect(batchManifestKey('Quarter-A1')).not.toBe(batchManifestKey('quarter-a1'));
    expect(await casesOf(acme, 'Quarter-A1', 1)).toEqual(['c-upper']);
    expect(await casesOf(acme, 'quarter-a1', 1)).toEqual(['c-lower']);
    expect((await manifestOf('Quarter-A1')).cases.map((c) => c.caseId)).toEqual(['c-upper']);
    expect((await manifestOf('quarter-a1')).cases.map((c) => c.caseId)).toEqual(['c-lower']);
    expect((await batch(acme, 'QUARTER-A1')).status).toBe(404);
  });

  test('when a client-chosen id is another owner’s, or this owner’s for another request, then 409 BATCH_ID_TAKEN and nothing changes', async () => {
    const taken = await post(globex, await form({ intruder: 'Mallory Grey' }, { batchId: 'Quarter-A1' }));
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('BATCH_ID_TAKEN');
    const again = await post(acme, await form({ other: 'Mallory Grey' }, { batchId: 'Quarter-A1' }));
    expect(again.body.error?.code).toBe('BATCH_ID_TAKEN');
    expect(await pipeline.registry.findCasesById('intruder')).toEqual([]);
    expect((await manifestOf('Quarter-A1')).cases.map((c) => c.caseId)).toEqual(['c-upper']);
    expect((await pipeline.batches.findBatch('Quarter-A1'))?.ownerOrg).toBe('acme');
    // The same request under its own id again is the same batch.
    const same = await post(acme, await form({ 'c-upper': 'Jane Doe' }, { batchId: 'Quarter-A1' }));
    expect(same).toMatchObject({ status: 200, body: { batchId: 'Quarter-A1', existing: true } });
  });
});

describe('a submission whose workflow cannot start', () => {
  test('when Temporal refuses the start, then the documents, cases, manifest and claim are gone, and a retry succeeds', async () => {
    // A real client of the same server, on a namespace that does not exist: the start is refused.
    const broken = new TemporalKycService({
      client: new Client({ connection: pipeline.env.client.connection, namespace: 'no-such-namespace', dataConverter: pipeline.dataConverter }),
      store: pipeline.store,
      maxConcurrentCases: 2,
      registry: pipeline.registry,
      batches: pipeline.batches,
    });
    const pdf = await textPdf([['City Water plc', 'Water bill', 'Account holder: Ulrike Stranded', '9 Quay Street']]);
    const request = {
      batchId: 'never-started',
      idempotencyKey: 'cannot-start',
      submitter: { org: 'acme', person: 'Alice Martin' },
      cases: [{ caseId: 'stranded', documents: [{ fileName: 'bill.pdf', bytes: pdf }] }],
    };
    await expect(broken.submitBatch(request)).rejects.toThrow();
    await expect(pipeline.store.getDocument(sha256(pdf))).rejects.toBeInstanceOf(DocumentNotFoundError);
    await expect(pipeline.store.getJson(batchManifestKey('never-started'))).rejects.toBeInstanceOf(DocumentNotFoundError);
    expect(await pipeline.registry.findCase(caseWorkflowId('never-started', 'stranded'))).toBeUndefined();
    expect(await pipeline.batches.findBatch('never-started')).toBeUndefined();

    // The key and the id were released: the same request through the working engine is accepted.
    const accepted = await pipeline.service.submitBatch(request);
    expect(accepted).toEqual({ batchId: 'never-started', caseIds: ['stranded'], existing: false });
    expect(Buffer.from(await pipeline.store.getDocument(sha256(pdf))).equals(Buffer.from(pdf))).toBe(true);
  });

  /** The engine over a client of the same server whose start (and describe) calls the test disturbs. */
  const disturbed = (interceptor: WorkflowClientInterceptor): TemporalKycService =>
    new TemporalKycService({
      client: new Client({
        connection: pipeline.env.client.connection,
        namespace: pipeline.env.namespace ?? 'default',
        dataConverter: pipeline.dataConverter,
        interceptors: { workflow: [interceptor] },
      }),
      store: pipeline.store,
      maxConcurrentCases: 2,
      registry: pipeline.registry,
      batches: pipeline.batches,
    });
  const oneCase = async (batchId: string, holder: string) => ({
    batchId,
    submitter: { org: 'acme', person: 'Alice Martin' },
    cases: [{ caseId: `${batchId}-case`, documents: [{ fileName: 'bill.pdf', bytes: await billOf(holder) }] }],
  });

  test('when the start reaches Temporal but its answer is lost, then the batch counts as started and nothing is removed', async () => {
    let lost = 0;
    const lostReply = disturbed({
      async startWithDetails(input, next) {
        await next(input);
        lost += 1;
        throw new Error('the answer was lost');
      },
    });
    const request = await oneCase('lost-reply', 'Lorna Lost');
    expect(await lostReply.submitBatch(request)).toEqual({ batchId: 'lost-reply', caseIds: ['lost-reply-case'], existing: false });
    expect(lost).toBe(1);
    expect((await pipeline.batches.findBatch('lost-reply'))?.state).toBe('started');
    expect(await casesOf(acme, 'lost-reply', 1)).toEqual(['lost-reply-case']);
  });

  test('when neither the start nor a look-up says whether the batch started, then what was stored stays and a retry finishes the job', async () => {
    const blind = disturbed({
      async startWithDetails() {
        throw new Error('deadline passed');
      },
      async describe() {
        throw new Error('unreachable');
      },
    });
    const request = await oneCase('unknown-start', 'Una Known');
    await expect(blind.submitBatch(request)).rejects.toThrow('deadline passed');
    // Kept (the workflow might run on it), but the claim is free for the retry.
    expect(Buffer.from(await pipeline.store.getDocument(sha256(await billOf('Una Known')))).length).toBeGreaterThan(0);
    expect(await pipeline.batches.findBatch('unknown-start')).toBeUndefined();
    expect(await pipeline.service.submitBatch({ ...request, submitter: { org: 'acme', person: 'Alice Martin' } })).toEqual({
      batchId: 'unknown-start',
      caseIds: ['unknown-start-case'],
      existing: false,
    });
    expect(await casesOf(acme, 'unknown-start', 1)).toEqual(['unknown-start-case']);
  });
});
