import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { openReviewStore } from '../../src/adapters/review-db.js';
import { ReviewService } from '../../src/app/review-service.js';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Policy } from '../../src/domain/decision.js';
import { createLogger } from '../../src/logger.js';
import type { ReviewStore } from '../../src/review/types.js';
import { startWorkers, type RunningWorkers } from '../../workers/bootstrap.js';
import { startTestEnv } from './temporal.js';

export interface Pipeline {
  env: TestWorkflowEnvironment;
  config: Readonly<Config>;
  service: TemporalKycService;
  review: ReviewService;
  reviewStore: ReviewStore;
  store: FsDocumentStore;
  workers: RunningWorkers;
  close(): Promise<void>;
}

export interface PipelineOptions {
  policy?: Policy;
}

/**
 * The real pipeline for tests: a real Temporal dev server, real workers with the real adapters
 * (pdf.js, tesseract.js, sharp, file store, SQLite review database) in a temporary data directory.
 */
export async function startPipeline(env: NodeJS.ProcessEnv = {}, options: PipelineOptions = {}): Promise<Pipeline> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kyc-test-'));
  const config = loadConfig({ ...process.env, OCR_WORKERS: '2', ...env, KYC_DATA_DIR: dataDir });
  const temporal = await startTestEnv();
  const workers = await startWorkers({
    config,
    address: temporal.address,
    namespace: temporal.namespace ?? 'default',
    logger: createLogger('silent'),
  });
  const store = new FsDocumentStore(join(dataDir, 'store'));
  const service = new TemporalKycService({
    client: temporal.client,
    store,
    maxConcurrentCases: 4,
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const reviewStore = await openReviewStore(config.review.dbUrl);
  const review = new ReviewService({
    client: temporal.client,
    reviewStore,
    store,
    pdf: createPdfEngine(),
    getCase: (caseId) => service.getCase(caseId),
  });
  return {
    env: temporal,
    config,
    service,
    review,
    reviewStore,
    store,
    workers,
    async close() {
      await workers.shutdown();
      await reviewStore.close();
      await temporal.teardown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
