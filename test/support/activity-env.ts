import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActivities, type Activities } from '../../activities/index.js';
import { openAuditStore, type AuditStore } from '../../src/adapters/audit-db.js';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import type { OcrEngine } from '../../src/domain/ports.js';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import { QUEUE_NAMES, TASK_QUEUES } from '../../src/temporal/names.js';
import { WORKFLOWS_PATH } from '../../workers/bootstrap.js';
import { tempReviewStore } from './keys.js';
import { testKeyring } from './master-keys.js';
import { startTestEnv, TEST_KEYRING } from './temporal.js';

/**
 * A real Temporal test server with real stores, for tests that run the real activities with one of
 * them changed (a flaky disk, a frozen worker): `activities(ocr)` gives the real set to adapt, and
 * `runWorkers` serves every task queue with it.
 */
export interface ActivityEnv {
  env: TestWorkflowEnvironment;
  store: FsDocumentStore;
  dataConverter: ReturnType<typeof createDataConverter>;
  service: TemporalKycService;
  activities(ocr: OcrEngine): Activities;
  /** Runs the workers around `work`, then shuts them down. */
  runWorkers<T>(activities: Activities, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startActivityEnv(prefix: string): Promise<ActivityEnv> {
  const dataConverter = createDataConverter(TEST_KEYRING);
  const env = await startTestEnv({ dataConverter });
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const store = new FsDocumentStore(join(dataDir, 'store'), testKeyring());
  const reviewDb = await tempReviewStore();
  const auditStore: AuditStore = await openAuditStore(`file:${join(dataDir, 'audit.db')}`, TEST_KEYRING);
  return {
    env,
    store,
    dataConverter,
    service: new TemporalKycService({ client: env.client, store, maxConcurrentCases: 2 }),
    // 'assist' with no model loaded: a document rules settle is finished by the OCR worker, the others
    // go through the model queue (rules alone there), so the workflow tests take both paths.
    activities: (ocr) => createActivities({ store, reviewStore: reviewDb.store, auditStore, ocr, pdf: createPdfEngine(), image: createSharpPreprocessor(), modelMode: 'assist' }),
    async runWorkers(activities, work) {
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
      const running = Promise.all(workers.map((w) => w.run()));
      try {
        return await work();
      } finally {
        for (const w of workers) w.shutdown();
        await running;
      }
    },
    async close() {
      await reviewDb.close();
      await auditStore.close();
      await env.teardown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
