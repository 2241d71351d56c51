import { Context } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool, type TesseractPool } from '../../src/adapters/tesseract-ocr.js';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import type { CaseReport } from '../../src/domain/report.js';
import { QUEUE_NAMES, TASK_QUEUES, caseWorkflowId } from '../../src/temporal/names.js';
import { WORKFLOWS_PATH } from '../../workers/bootstrap.js';
import { textPdf } from '../support/draw.js';
import { startTestEnv, TEST_KEYRING } from '../support/temporal.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import { tempReviewStore } from '../support/keys.js';
import { openAuditStore, type AuditStore } from '../../src/adapters/audit-db.js';
import { testKeyring } from '../support/master-keys.js';

let env: TestWorkflowEnvironment;
let dataDir: string;
let ocr: TesseractPool;
let store: FsDocumentStore;
let reviewDb: Awaited<ReturnType<typeof tempReviewStore>>;
let auditStore: AuditStore;
const dataConverter = createDataConverter(TEST_KEYRING);

beforeAll(async () => {
  env = await startTestEnv({ dataConverter });
  dataDir = await mkdtemp(join(tmpdir(), 'kyc-retries-'));
  store = new FsDocumentStore(join(dataDir, 'store'), testKeyring());
  ocr = await createTesseractPool({ size: 1 });
  reviewDb = await tempReviewStore();
  auditStore = await openAuditStore(`file:${join(dataDir, 'audit.db')}`);
});
afterAll(async () => {
  await ocr?.terminate();
  await reviewDb?.close();
  await auditStore?.close();
  await env?.teardown();
  await rm(dataDir, { recursive: true, force: true });
});

/** Real activities, except that text extraction fails like a flaky disk on its first two attempts. */
function flakyActivities(): Activities {
  const real = createActivities({ store, reviewStore: reviewDb.store, auditStore, ocr, pdf: createPdfEngine(), image: createSharpPreprocessor() });
  return {
    ...real,
    async extractText(doc) {
      if (Context.current().info.attempt <= 2) throw new Error('EIO: transient read error');
      return real.extractText(doc);
    },
  };
}

test('a transient failure is retried with backoff and the case completes as if nothing happened', async () => {
  const activities = flakyActivities();
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
    const { batchId } = await service.submitBatch({ asOf: '2026-11-01', cases: [{ caseId: 'flaky', documents: [{ fileName: 'bill.pdf', bytes: bill }] }] });
    await service.waitForBatch(batchId);
    const report = (await service.getCaseInBatch(batchId, 'flaky')) as CaseReport;
    expect(report.documents[0]!.error).toBeUndefined();
    expect(report.documents[0]!.type).toBe('utility_bill');

    const history = await env.client.workflow.getHandle(caseWorkflowId(batchId, 'flaky')).fetchHistory();
    const started = (history.events ?? []).find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    expect(started?.attempt).toBe(3);
    // The failure's message is encrypted in history (encodeCommonAttributes); the codec reads it back.
    expect(started?.lastFailure?.message).not.toContain('EIO');
    const [attributes] = await dataConverter.payloadCodecs[0].decode([started!.lastFailure!.encodedAttributes!]);
    expect(defaultPayloadConverter.fromPayload<{ message: string }>(attributes!).message).toContain('EIO');
  } finally {
    for (const w of workers) w.shutdown();
    await running;
  }
});
