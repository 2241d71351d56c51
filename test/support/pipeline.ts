import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { openReviewStore } from '../../src/adapters/review-db.js';
import { openAuditStore, type AuditStore } from '../../src/adapters/audit-db.js';
import { ReviewService } from '../../src/app/review-service.js';
import { ErasureService, auditSink } from '../../src/app/erasure.js';
import type { CaseRegistry } from '../../src/domain/erasure.js';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import type { BatchRegistry } from '../../src/adapters/tenancy-db.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Policy } from '../../src/domain/decision.js';
import { createLogger } from '../../src/logger.js';
import type { ReviewStore } from '../../src/review/types.js';
import { loadKeyring } from '../../src/security/keyring.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import type { Logger } from 'pino';
import { installRuntimeLogger, startWorkers, type RunningWorkers } from '../../workers/bootstrap.js';
import { startTestEnv, TEST_MASTER_KEYS } from './temporal.js';

export interface Pipeline {
  env: TestWorkflowEnvironment;
  config: Readonly<Config>;
  service: TemporalKycService;
  review: ReviewService;
  erasure: ErasureService;
  reviewStore: ReviewStore;
  /** Batch owners and idempotency keys (the same database). */
  batches: BatchRegistry;
  /** The same database as the case registry (erasure, retention). */
  registry: CaseRegistry;
  auditStore: AuditStore;
  store: FsDocumentStore;
  workers: RunningWorkers;
  /** The encrypting data converter of the client and the workers (keys from the config). */
  dataConverter: ReturnType<typeof createDataConverter>;
  close(): Promise<void>;
}

export interface PipelineOptions {
  policy?: Policy;
  /** Dynamic config of the test's Temporal server (see startTestEnv). */
  temporalDynamicConfig?: Record<string, string>;
  /** Where the workers and the Temporal SDK log (installed before the test server starts); default silent. */
  logger?: Logger;
}

/**
 * The real pipeline for tests: a real Temporal dev server, real workers with the real adapters
 * (pdf.js, tesseract.js, sharp, file store, SQLite review database) in a temporary data directory.
 */
export async function startPipeline(env: NodeJS.ProcessEnv = {}, options: PipelineOptions = {}): Promise<Pipeline> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kyc-test-'));
  // The fixed test key unless the test gives its own: histories recorded here must replay (test/replay).
  const keys = env.KYC_KEY_FILE || env.KYC_MASTER_KEYS ? {} : { KYC_MASTER_KEYS: TEST_MASTER_KEYS, KYC_KEY_FILE: '' };
  const config = loadConfig({ ...process.env, OCR_WORKERS: '2', ...keys, ...env, KYC_DATA_DIR: dataDir });
  // Keys loaded as production loads them; the client and the workers share them.
  const keyring = await loadKeyring(config);
  const dataConverter = createDataConverter(keyring);
  if (options.logger) installRuntimeLogger(options.logger, config.logLevel);
  const temporal = await startTestEnv({ dataConverter, ...(options.temporalDynamicConfig ? { dynamicConfig: options.temporalDynamicConfig } : {}) });
  const workers = await startWorkers({
    config,
    address: temporal.address,
    namespace: temporal.namespace ?? 'default',
    logger: options.logger ?? createLogger('silent'),
    dataConverter,
  });
  const store = new FsDocumentStore(join(dataDir, 'store'), keyring);
  const reviewStore = await openReviewStore(config.review.dbUrl, keyring);
  const auditStore = await openAuditStore(config.review.dbUrl, keyring);
  const service = new TemporalKycService({
    client: temporal.client,
    store,
    maxConcurrentCases: 4,
    ...(options.policy ? { policy: options.policy } : {}),
    registry: reviewStore,
    batches: reviewStore.batches,
  });
  const review = new ReviewService({
    client: temporal.client,
    reviewStore,
    registry: reviewStore,
    store,
    pdf: createPdfEngine(),
    audit: auditStore,
    getCase: (caseId) => service.getCase(caseId),
    getCaseInBatch: (batchId, caseId) => service.getCaseInBatch(batchId, caseId),
    batches: reviewStore.batches,
  });
  const erasure = new ErasureService({
    client: temporal.client,
    store,
    registry: reviewStore,
    audit: auditSink(auditStore),
    getCaseInBatch: (batchId, caseId) => service.getCaseInBatch(batchId, caseId),
    batches: reviewStore.batches,
  });
  return {
    env: temporal,
    config,
    service,
    review,
    erasure,
    reviewStore,
    registry: reviewStore,
    batches: reviewStore.batches,
    auditStore,
    store,
    workers,
    dataConverter,
    async close() {
      await workers.shutdown();
      await reviewStore.close();
      await auditStore.close();
      await temporal.teardown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
