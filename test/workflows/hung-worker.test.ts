/**
 * A worker that hangs on a document (its process frozen, its event loop blocked: no heartbeats)
 * does not hold the case: Temporal's heartbeat timeout on the OCR activities (30 s) fires and the
 * document is retried on a live worker. Takes a little over 30 s, most of it waiting.
 */
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { openAuditStore, type AuditStore } from '../../src/adapters/audit-db.js';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import type { CaseReport } from '../../src/domain/report.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import { QUEUE_NAMES, TASK_QUEUES, caseWorkflowId } from '../../src/temporal/names.js';
import { WORKFLOWS_PATH } from '../../workers/bootstrap.js';
import { textPdf } from '../support/draw.js';
import { tempReviewStore } from '../support/keys.js';
import { testKeyring } from '../support/master-keys.js';
import { startTestEnv, TEST_KEYRING } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let dataDir: string;
let store: FsDocumentStore;
let reviewDb: Awaited<ReturnType<typeof tempReviewStore>>;
let auditStore: AuditStore;
const dataConverter = createDataConverter(TEST_KEYRING);

beforeAll(async () => {
  env = await startTestEnv({ dataConverter });
  dataDir = await mkdtemp(join(tmpdir(), 'kyc-hung-'));
  store = new FsDocumentStore(join(dataDir, 'store'), testKeyring());
  reviewDb = await tempReviewStore();
  auditStore = await openAuditStore(`file:${join(dataDir, 'audit.db')}`);
});
afterAll(async () => {
  await reviewDb?.close();
  await auditStore?.close();
  await env?.teardown();
  await rm(dataDir, { recursive: true, force: true });
});

/** Real activities, except that the first text extraction goes silent like a frozen worker (until cancelled at shutdown). */
function activitiesWithOneHang(): Activities {
  const ocr = { recognize: () => Promise.reject(new Error('no OCR in this test')) };
  const real = createActivities({ store, reviewStore: reviewDb.store, auditStore, ocr, pdf: createPdfEngine(), image: createSharpPreprocessor() });
  return {
    ...real,
    async extractText(doc) {
      const ctx = Context.current();
      if (ctx.info.attempt === 1) {
        await new Promise((_, reject) => ctx.cancellationSignal.addEventListener('abort', () => reject(ctx.cancellationSignal.reason)));
      }
      return real.extractText(doc);
    },
  };
}

test('when a worker hangs on a document without heartbeating, then the heartbeat timeout fires and the document is retried', { timeout: 120_000 }, async () => {
  const activities = activitiesWithOneHang();
  const workers = await Promise.all(
    QUEUE_NAMES.map((queue) =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: TASK_QUEUES[queue],
        dataConverter,
        ...(queue === 'workflows' ? { workflowsPath: WORKFLOWS_PATH } : { activities }),
      }),
    ),
  );
  const service = new TemporalKycService({ client: env.client, store, maxConcurrentCases: 2 });
  const bill = await textPdf([['Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Alice Martin', '12 High Street', 'London SW1A 1AA']]);
  const running = Promise.all(workers.map((w) => w.run()));
  try {
    const started = Date.now();
    const { batchId } = await service.submitBatch({ asOf: '2026-11-01', cases: [{ caseId: 'hung', documents: [{ fileName: 'bill.pdf', bytes: bill }] }] });
    await service.waitForBatch(batchId);
    const report = (await service.getCaseInBatch(batchId, 'hung')) as CaseReport;
    expect(report.documents[0]!.error).toBeUndefined();
    expect(report.documents[0]!.type).toBe('utility_bill');
    expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);

    const history = await env.client.workflow.getHandle(caseWorkflowId(batchId, 'hung')).fetchHistory();
    const extraction = (history.events ?? []).find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'extractText',
    );
    const startedEvent = (history.events ?? []).find(
      (e) => e.activityTaskStartedEventAttributes && Number(e.activityTaskStartedEventAttributes.scheduledEventId) === Number(extraction?.eventId),
    )?.activityTaskStartedEventAttributes;
    // One scheduled task, started (and recorded) on its second attempt after the first timed out on heartbeat.
    expect(startedEvent?.attempt).toBe(2);
    expect(startedEvent?.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(4); // TIMEOUT_TYPE_HEARTBEAT
  } finally {
    for (const w of workers) w.shutdown();
    await running;
  }
});
