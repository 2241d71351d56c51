import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startWorkers, type RunningWorkers } from '../../workers/bootstrap.js';
import type { QueueName } from '../temporal/names.js';
import { FsDocumentStore } from '../adapters/fs-document-store.js';
import type { Config } from '../config.js';
import { clientConnectionOptions, resolveTemporal, type TemporalTarget } from '../temporal/connect.js';
import { TemporalKycService } from './temporal-kyc-service.js';
import { ReviewService } from './review-service.js';
import { openReviewStore } from '../adapters/review-db.js';
import { openAuditStore, type AuditStore } from '../adapters/audit-db.js';
import { createPdfEngine } from '../adapters/pdfjs.js';
import type { ReviewStore } from '../review/types.js';
import { loadPolicyFile } from './policy-file.js';
import { ErasureService, auditSink } from './erasure.js';
import { loadKeyring } from '../security/keyring.js';
import { restrictNewFiles, tightenDataDir } from '../security/file-modes.js';
import { createDataConverter } from '../security/payload-codec.js';

export interface Engine {
  target: TemporalTarget;
  client: Client;
  /** The payload codec of the client and workers (the API's codec endpoint serves it). */
  codec: PayloadCodec;
  service: TemporalKycService;
  review: ReviewService;
  /** Erasure of cases on request (API DELETE, `kyc erase`). */
  erasure: ErasureService;
  reviewStore: ReviewStore;
  auditStore: AuditStore;
  workers?: RunningWorkers;
  close(): Promise<void>;
}

export interface OpenEngineOptions {
  config: Readonly<Config>;
  logger: Logger;
  /** 'auto': in-process workers on the embedded server, none on a cluster. */
  workers: 'auto' | 'always' | 'never';
  /** Task queues the in-process workers serve; default all of them. */
  queues?: readonly QueueName[];
  onProgress?: (line: string) => void;
}

/** Connects to Temporal (starting the embedded server when needed), optionally with in-process workers. */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const { config, logger } = options;
  // Owner-only files under the data directory, the embedded Temporal server's included.
  restrictNewFiles();
  await tightenDataDir(config.dataDir);
  // Keys first: a missing or unsafe key file stops us before any server starts.
  const keyring = await loadKeyring(config);
  const dataConverter = createDataConverter(keyring);
  const target = await resolveTemporal(config, options.onProgress);
  // Quick reconnects after a server restart; request handlers' calls bounded (src/temporal/call-budget.ts).
  const connection = await Connection.connect(clientConnectionOptions(target.address));
  const client = new Client({ connection, namespace: target.namespace, dataConverter });
  const defaultSanctionsCsv = config.sanctionsList ? await readFile(config.sanctionsList) : undefined;
  const policy = config.policyFile ? await loadPolicyFile(config.policyFile) : undefined;
  const store = new FsDocumentStore(join(config.dataDir, 'store'), keyring);
  const reviewStore = await openReviewStore(config.review.dbUrl, keyring);
  const auditStore = await openAuditStore(config.review.dbUrl, keyring);
  const service = new TemporalKycService({
    client,
    store,
    maxConcurrentCases: config.batch.maxConcurrentCases,
    ...(defaultSanctionsCsv ? { defaultSanctionsCsv } : {}),
    ...(policy ? { policy } : {}),
    registry: reviewStore,
    batches: reviewStore.batches,
  });

  const review = new ReviewService({
    client,
    reviewStore,
    registry: reviewStore,
    store,
    // Pages a reviewer opens: rendered at the process's own priority, not the OCR threads' lower one.
    pdf: createPdfEngine({ threadNice: 0 }),
    audit: auditStore,
    getCase: (caseId) => service.getCase(caseId),
    getCaseInBatch: (batchId, caseId) => service.getCaseInBatch(batchId, caseId),
    batches: reviewStore.batches,
  });
  const erasure = new ErasureService({
    client,
    store,
    registry: reviewStore,
    audit: auditSink(auditStore),
    getCaseInBatch: (batchId, caseId) => service.getCaseInBatch(batchId, caseId),
    batches: reviewStore.batches,
  });

  let workers: RunningWorkers | undefined;
  // auto: the embedded server has no workers of its own unless `npm start` runs, and a poller
  // list cannot tell a live worker from one killed a minute ago; extra workers only add capacity.
  // A cluster (TEMPORAL_ADDRESS) has the bank's workers.
  const wanted = options.workers === 'always' || (options.workers === 'auto' && target.server !== undefined);
  if (wanted) {
    options.onProgress?.('Starting in-process workers…');
    workers = await startWorkers({ config, address: target.address, namespace: target.namespace, logger, dataConverter, ...(options.queues ? { queues: [...options.queues] } : {}) });
  }
  const close = async (): Promise<void> => {
    await workers?.shutdown();
    await reviewStore.close();
    await auditStore.close();
    await connection.close();
    await target.server?.stop();
  };
  return { target, client, codec: dataConverter.payloadCodecs[0], service, review, erasure, reviewStore, auditStore, ...(workers ? { workers } : {}), close };
}
