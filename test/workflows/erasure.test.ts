/**
 * Erasure and retention on the real pipeline: a real Temporal server, real workers, the real
 * encrypted file store and SQLite review database in a temporary data directory. Cases carry a
 * distinctive applicant name; after erasure no file of the data directory holds it, no document,
 * text or key file of the case is left, the report and the workflow are gone, the corrections are
 * deleted, and a PII-free stub records the erasure.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { batchManifestKey, type BatchManifest } from '../../activities/batch.activities.js';
import { createApiServer } from '../../src/api/server.js';
import { erasedDocumentHash, extractedTextKey } from '../../src/app/erasure.js';
import { RETENTION_SCHEDULE_ID, ensureRetentionSchedule, namespaceRetentionWarning } from '../../src/app/retention-schedule.js';
import { DocumentNotFoundError } from '../../src/domain/errors.js';
import type { CaseReport } from '../../src/domain/report.js';
import type { RetentionInput, RetentionResult } from '../../src/domain/retention.js';
import { TASK_QUEUES, batchWorkflowId, caseWorkflowId } from '../../src/temporal/names.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const AS_OF = '2026-11-01';
/** The applicant's name: in the document, the declared applicant, a note, a reason and a correction. */
const MARKER = 'Quartermaine';
let pipeline: Pipeline;
let api: FastifyInstance;
let admin: TestKey;
let reviewer: TestKey;

beforeAll(async () => {
  // Temporal deletes a closed workflow once its close tasks are acknowledged, every 30s by default:
  // acknowledging every second lets the test see the deletion in seconds.
  pipeline = await startPipeline({ MODEL_MODE: 'off' }, { temporalDynamicConfig: { 'history.transferProcessorUpdateAckInterval': '"1s"' } });
  api = createApiServer({
    service: pipeline.service,
    review: pipeline.review,
    erasure: pipeline.erasure,
    authenticate: (secret) => pipeline.reviewStore.authenticate(secret),
    logger: false,
  });
  admin = await createKey(pipeline.reviewStore, 'dpo', ['admin']);
  reviewer = await createKey(pipeline.reviewStore, 'alice', ['reviewer']);
});
afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

function bill(holder: string): Promise<Uint8Array> {
  return textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', `Account holder: ${holder}`, '4 Mill Road', 'Leeds LS1 4AP']]);
}

/** Submits the cases in one batch; with no identity document each waits for review. */
async function submit(caseIds: string[], holder = `Wilhelmina ${MARKER}`, bytes?: Uint8Array): Promise<{ batchId: string; documentId: string }> {
  const document = bytes ?? (await bill(holder));
  const { batchId } = await pipeline.service.submitBatch({
    asOf: AS_OF,
    cases: caseIds.map((caseId) => ({
      caseId,
      applicant: { fullName: holder, address: '4 Mill Rd, Leeds LS1 4AP' },
      documents: [{ fileName: `${caseId}-water.pdf`, bytes: document }],
    })),
  });
  await pipeline.service.waitForBatch(batchId);
  for (const caseId of caseIds) await waitFor(() => pipeline.reviewStore.latestTaskForCase(caseId), 20_000, `the task of ${caseId}`);
  const report = (await pipeline.service.getCaseInBatch(batchId, caseIds[0]!)) as CaseReport;
  return { batchId, documentId: report.documents[0]!.documentId };
}

/** A reviewer notes, corrects and approves, all naming the applicant; resolves when the workflow has closed. */
async function approve(caseId: string, batchId: string, documentId: string): Promise<void> {
  await pipeline.review.act(caseId, reviewer.actor, { kind: 'claim' });
  await pipeline.review.act(caseId, reviewer.actor, { kind: 'note', text: `Phoned Mrs ${MARKER} to confirm` });
  await pipeline.review.act(caseId, reviewer.actor, {
    kind: 'decide',
    decision: {
      decision: 'approve',
      reason: `${MARKER} verified in branch`,
      corrections: [{ documentId, field: 'fullName', value: `Wilhelmina J. ${MARKER}` }],
    },
  });
  const handle = pipeline.env.client.workflow.getHandle(caseWorkflowId(batchId, caseId));
  await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED', 30_000, `${caseId} to close`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Files of the data directory (store, keys, review database and its WAL) whose bytes contain `text`. */
async function filesContaining(text: string): Promise<string[]> {
  const hits: string[] = [];
  for (const file of await filesUnder(pipeline.config.dataDir)) {
    if ((await readFile(file)).includes(Buffer.from(text, 'utf8'))) hits.push(file);
  }
  return hits;
}

async function storeFilesOf(documentId: string): Promise<string[]> {
  return (await filesUnder(join(pipeline.config.dataDir, 'store'))).filter((f) => f.includes(documentId));
}

/** Closed workflows erased by the tests: Temporal deletes them in the background (the last test checks). */
const deletedLater: string[] = [];

async function workflowDeleted(workflowId: string, timeoutMs = 20_000): Promise<boolean> {
  return waitFor(
    () =>
      pipeline.env.client.workflow
        .getHandle(workflowId)
        .describe()
        .then(
          () => false,
          (err: unknown) => err instanceof WorkflowNotFoundError,
        ),
    timeoutMs,
    `${workflowId} to be deleted`,
  );
}

async function correctionsOf(caseId: string): Promise<number> {
  let n = 0;
  for await (const c of pipeline.reviewStore.listCorrections()) if (c.caseId === caseId) n += 1;
  return n;
}

describe('erasure on request', () => {
  test('when a decided case is erased, then its documents, text, keys, report, workflow and corrections are gone and a PII-free stub stays', async () => {
    const { batchId, documentId } = await submit(['erase-1']);
    await approve('erase-1', batchId, documentId);
    const workflowId = caseWorkflowId(batchId, 'erase-1');
    expect(await correctionsOf('erase-1')).toBe(1);
    expect(await storeFilesOf(documentId)).toHaveLength(4); // document + text, each with its key
    // Before erasure the review database holds the name (corrections, notes), sealed: readable
    // through the store, in no file in clear (test/e2e/pii-at-rest.test.ts checks that in full).
    const before = await pipeline.review.getTask('erase-1');
    expect(JSON.stringify(before?.events)).toContain(MARKER);
    expect(await filesContaining(MARKER)).toEqual([]);

    const summary = await pipeline.erasure.erase({ caseId: 'erase-1', by: { name: 'dpo', keyId: admin.actor.keyId } });
    expect(summary?.cases).toHaveLength(1);
    const erased = summary!.cases[0]!;
    expect(erased).toMatchObject({ caseId: 'erase-1', batchId, workflowId, alreadyErased: false, report: 'deleted', documentsErased: [documentId], documentsKept: [] });
    expect(erased.counts).toMatchObject({ documents: 1, documentsShared: 0, texts: 1, corrections: 1 });
    expect(erased.counts.events).toBeGreaterThanOrEqual(2);

    expect(await storeFilesOf(documentId)).toEqual([]);
    expect(await filesContaining(MARKER)).toEqual([]);
    await expect(pipeline.store.getDocument(documentId)).rejects.toBeInstanceOf(DocumentNotFoundError);
    await expect(pipeline.store.getJson(extractedTextKey(documentId))).rejects.toBeInstanceOf(DocumentNotFoundError);
    expect(await pipeline.service.getCase('erase-1')).toBeUndefined();
    expect(await pipeline.service.getCaseInBatch(batchId, 'erase-1')).toBeUndefined();
    deletedLater.push(workflowId);
    expect(await correctionsOf('erase-1')).toBe(0);
    const task = (await pipeline.review.getTask('erase-1'))!;
    expect(task.task.final?.reason).toBe('');
    expect(task.events.map((e) => e.detail)).toEqual(task.events.map(() => undefined));
    // Who did what and when stays.
    expect(task.events.map((e) => e.action)).toEqual(expect.arrayContaining(['claimed', 'note', 'approved']));

    const [stub, ...more] = await pipeline.registry.listErasures('erase-1');
    expect(more).toEqual([]);
    expect(stub).toMatchObject({ caseId: 'erase-1', batchId, workflowId, scope: 'case', reason: 'request', by: 'dpo', byKeyId: admin.actor.keyId });
    expect(stub!.documentHashes.erased).toEqual([erasedDocumentHash(documentId)]);
    expect(JSON.stringify(stub)).not.toContain(documentId);
    const trail = await pipeline.auditStore.list(workflowId);
    const entry = trail.find((r) => r.action === 'case.erased');
    expect(entry).toMatchObject({ actor: 'dpo', detail: { erasureId: stub!.erasureId, reason: 'request' } });
    expect(JSON.stringify(trail)).not.toContain(MARKER);

    const again = await pipeline.erasure.erase({ caseId: 'erase-1', by: { name: 'dpo' } });
    expect(again?.cases[0]).toMatchObject({ alreadyErased: true, documentsErased: [] });
    expect(await pipeline.registry.listErasures('erase-1')).toHaveLength(1);
  });

  test('when DELETE /v1/cases/:caseId is sent, then only an admin may erase; a running case is stopped and erased; GET answers 404', async () => {
    const { batchId, documentId } = await submit(['erase-2']);
    const workflowId = caseWorkflowId(batchId, 'erase-2');
    expect((await pipeline.env.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');

    expect((await api.inject({ method: 'DELETE', url: '/v1/cases/erase-2' })).statusCode).toBe(401);
    const forbidden = await api.inject({ method: 'DELETE', url: '/v1/cases/erase-2', headers: reviewer.headers });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await api.inject({ method: 'GET', url: '/v1/cases/erase-2', headers: admin.headers })).statusCode).toBe(200);

    const res = await api.inject({ method: 'DELETE', url: '/v1/cases/erase-2', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      caseId: 'erase-2',
      cases: [{ batchId, report: 'deleted', documentsErased: [documentId], counts: { documents: 1, texts: 1 } }],
    });
    expect(await workflowDeleted(workflowId)).toBe(true); // a running execution: terminated and deleted at once
    const gone = await api.inject({ method: 'GET', url: '/v1/cases/erase-2', headers: admin.headers });
    expect(gone.statusCode).toBe(404);
    expect((await api.inject({ method: 'GET', url: `/v1/batches/${batchId}/cases/erase-2`, headers: admin.headers })).statusCode).toBe(404);
    expect(await storeFilesOf(documentId)).toEqual([]);
    // The open task has left the inbox.
    expect((await pipeline.review.listTasks({ status: 'open', caseId: 'erase-2' })).total).toBe(0);

    const again = await api.inject({ method: 'DELETE', url: '/v1/cases/erase-2', headers: admin.headers });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ cases: [{ alreadyErased: true }] });
    expect((await api.inject({ method: 'DELETE', url: '/v1/cases/never-submitted', headers: admin.headers })).statusCode).toBe(404);
  });

  test('when two cases share a document, then erasing one keeps it for the other; erasing both destroys it, the manifest and the batch workflow', async () => {
    const shared = await bill(`Horatio ${MARKER}`);
    const { batchId, documentId } = await submit(['twin-a', 'twin-b'], `Horatio ${MARKER}`, shared);

    const first = (await pipeline.erasure.erase({ caseId: 'twin-a', batchId, by: { name: 'dpo' } }))!.cases[0]!;
    expect(first).toMatchObject({ documentsErased: [], documentsKept: [documentId], batchHistory: 'kept' });
    expect(Buffer.from(await pipeline.store.getDocument(documentId))).toEqual(Buffer.from(shared));
    expect(await pipeline.store.getJson(extractedTextKey(documentId))).toBeTruthy();
    expect(await pipeline.service.getCaseInBatch(batchId, 'twin-b')).toMatchObject({ caseId: 'twin-b' });
    const manifest = await pipeline.store.getJson<BatchManifest>(batchManifestKey(batchId));
    expect(manifest.cases.find((c) => c.caseId === 'twin-a')).toEqual({ caseId: 'twin-a', documents: [] });
    expect(manifest.cases.find((c) => c.caseId === 'twin-b')?.applicant?.fullName).toContain(MARKER);

    const second = (await pipeline.erasure.erase({ caseId: 'twin-b', batchId, by: { name: 'dpo' } }))!.cases[0]!;
    expect(second).toMatchObject({ documentsErased: [documentId], documentsKept: [], batchHistory: 'deleted' });
    expect(await storeFilesOf(documentId)).toEqual([]);
    await expect(pipeline.store.getJson(batchManifestKey(batchId))).rejects.toBeInstanceOf(DocumentNotFoundError);
    deletedLater.push(batchWorkflowId(batchId));
    expect(await filesContaining('Horatio')).toEqual([]);
  });
});

describe('retention', () => {
  const runRetention = (id: string, input: RetentionInput): Promise<RetentionResult> =>
    pipeline.env.client.workflow.execute('applyRetention', { taskQueue: TASK_QUEUES.workflows, workflowId: id, args: [input] });

  test('when a closed case is past document retention, then its documents go and its report stays; past report retention, the case goes', async () => {
    const { batchId, documentId } = await submit(['old-1'], 'Ottoline Marchbanks');
    await approve('old-1', batchId, documentId);
    await new Promise((r) => setTimeout(r, 1_500)); // older than the 1s retention

    const documents = await runRetention('retention-test-documents', { documents: '1s', reports: '1h', pageSize: 2 });
    expect(documents).toMatchObject({ more: false, reportCases: 0 });
    expect(documents.casesClosed).toBeGreaterThanOrEqual(1);
    expect(documents.documentCases).toBeGreaterThanOrEqual(1);
    expect(await storeFilesOf(documentId)).toEqual([]);
    const report = (await pipeline.service.getCase('old-1')) as CaseReport;
    expect(report).toMatchObject({ caseId: 'old-1', decision: 'approved' });
    expect(await pipeline.registry.listErasures('old-1')).toEqual([
      expect.objectContaining({ scope: 'documents', reason: 'retention', by: 'retention', counts: expect.objectContaining({ documents: 1, texts: 1 }) }),
    ]);

    const reports = await runRetention('retention-test-reports', { documents: '1s', reports: '1s' });
    expect(reports.reportCases).toBeGreaterThanOrEqual(1);
    expect(await pipeline.service.getCase('old-1')).toBeUndefined();
    deletedLater.push(caseWorkflowId(batchId, 'old-1'));
    expect(await correctionsOf('old-1')).toBe(0);
    expect((await pipeline.registry.listErasures('old-1')).map((e) => e.scope)).toEqual(['documents', 'case']);
    expect(await filesContaining('Marchbanks')).toEqual([]);

    // A case still waiting for review is not closed: retention leaves it alone.
    const open = await submit(['pending-1'], 'Peregrine Fotheringay');
    await runRetention('retention-test-open', { documents: '1s', reports: '1s' });
    expect(await pipeline.service.getCase('pending-1')).toMatchObject({ caseId: 'pending-1', status: 'awaiting_review' });
    expect(await storeFilesOf(open.documentId)).toHaveLength(4);
  });

  test('when the schedule is ensured twice, then one schedule runs applyRetention daily with the current periods, and a triggered run completes', async () => {
    const client = pipeline.env.client;
    expect(await ensureRetentionSchedule(client, { documents: '180d', reports: '5y' })).toBe('created');
    const handle = client.schedule.getHandle(RETENTION_SCHEDULE_ID);
    try {
      await handle.pause('operator pause');
      expect(await ensureRetentionSchedule(client, { documents: '30d', reports: '5y' })).toBe('updated');
      const description = await handle.describe();
      expect(description.action).toMatchObject({ workflowType: 'applyRetention', taskQueue: TASK_QUEUES.workflows, args: [{ documents: '30d', reports: '5y' }] });
      expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
      expect(description.state.paused).toBe(true); // an operator's pause survives a restart

      await handle.trigger();
      const started = await waitFor(async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId, 20_000, 'a triggered run');
      const result = (await client.workflow.getHandle(started).result()) as RetentionResult;
      expect(result).toMatchObject({ more: false, reportCases: 0, documentCases: 0 });
      // The test server keeps closed workflows a day: shorter than 5 years of reports, and said so.
      expect(await namespaceRetentionWarning(client, '5y')).toMatch(/deletes closed workflows after 24h.*--retention 1825d/);
      expect(await namespaceRetentionWarning(client, '12h')).toBeUndefined();
    } finally {
      await handle.delete();
    }
  });
});

describe('Temporal', () => {
  test('when Temporal has caught up, then every erased workflow execution is gone with its history', async () => {
    expect(deletedLater.length).toBeGreaterThanOrEqual(3);
    const deleted = await Promise.all(deletedLater.map((id) => workflowDeleted(id, 90_000)));
    expect(deleted.every(Boolean)).toBe(true);
  });
});
