import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Logger } from 'pino';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createActivities } from '../activities/index.js';
import { FsDocumentStore } from '../src/adapters/fs-document-store.js';
import { createLlamaModel } from '../src/adapters/llama-model.js';
import { createAnalysisThread } from '../src/adapters/analysis-thread.js';
import { createPdfEngine } from '../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../src/adapters/sharp-image.js';
import { createTesseractPool } from '../src/adapters/tesseract-ocr.js';
import { openReviewStore } from '../src/adapters/review-db.js';
import { openAuditStore, type AuditStore } from '../src/adapters/audit-db.js';
import { startCheckpointer } from '../src/audit/checkpoint.js';
import type { ReviewStore } from '../src/review/types.js';
import type { Config } from '../src/config.js';
import { temporalLogSink } from '../src/logger.js';
import { loadKeyring } from '../src/security/keyring.js';
import { createDataConverter } from '../src/security/payload-codec.js';
import { QUEUE_NAMES, TASK_QUEUES, type QueueName } from '../src/temporal/names.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  config: Readonly<Config>;
  address: string;
  namespace: string;
  logger: Logger;
  /** Which task queues this process serves; default all. */
  queues?: QueueName[];
  /** The encrypting data converter shared with the clients; default one over `loadKeyring(config)`. */
  dataConverter?: DataConverter;
}

export interface RunningWorkers {
  /** Resolves when every worker has stopped. */
  done: Promise<void>;
  /** This process's OCR engines, when it serves the OCR queue: how many, and their busy time so far. */
  ocr?: { readonly size: number; readonly busyMs: number };
  /** Workflows held in this process's cache now (at most WORKFLOW_CACHE_SIZE). */
  cachedWorkflows(): number;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * Routes the SDK's logs into pino (once per process). Call it before anything else creates the
 * Temporal runtime (a test environment does), or the SDK keeps its own console logger.
 */
export function installRuntimeLogger(logger: Logger, level: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLevel = (['trace', 'debug', 'info', 'warn', 'error'].includes(level) ? level.toUpperCase() : 'WARN') as LogLevel;
  try {
    Runtime.install({
      // The native core's own logs go through the same logger (stderr), never straight to the console:
      // `kyc process --json` promises exactly one JSON object on stdout.
      telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) } },
      logger: new DefaultLogger(sdkLevel, temporalLogSink(logger)),
    });
  } catch {
    // A runtime already exists in this process (e.g. a test environment made it): keep its logger.
  }
}

/**
 * One process, one connection, one worker per task queue. Heavy resources (OCR workers,
 * PDF engine) are created once here and shared by every activity.
 */
export async function startWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  const { config, logger } = options;
  const keyring = await loadKeyring(config);
  const dataConverter = options.dataConverter ?? createDataConverter(keyring);
  const queues = options.queues ?? QUEUE_NAMES;
  installRuntimeLogger(logger, config.logLevel);
  const connection = await NativeConnection.connect({ address: options.address });
  const needsOcr = queues.includes('ocr');
  const ocr = needsOcr ? await createTesseractPool({ langPath: config.ocr.langPath, lang: config.ocr.lang, size: config.ocr.workers }) : undefined;
  const model =
    queues.includes('model') && config.model.mode === 'assist'
      ? await createLlamaModel({
          modelPath: config.model.path,
          contexts: config.model.slots,
          ...(config.model.threads ? { threads: config.model.threads } : {}),
        })
      : undefined;
  // Used by OCR-queue activities; its threads start on the first PDF.
  const pdf = createPdfEngine({
    maxImagePixels: config.extraction.maxPixels,
    threads: config.pdfThreads,
    memoryLimitBytes: config.pdfMemoryLimitBytes,
    threadNice: config.ocr.threadNice,
  });
  const analysis = needsOcr ? createAnalysisThread({ nice: config.ocr.threadNice }) : undefined;
  const reviewStore = queues.includes('io') ? await openReviewStore(config.review.dbUrl, keyring) : undefined;
  const auditStore = queues.includes('io') ? await openAuditStore(config.review.dbUrl, keyring) : undefined;
  // The process that appends to the audit trail also signs its checkpoint (every case's head).
  const checkpointer = auditStore
    ? startCheckpointer({
        source: auditStore,
        keys: auditStore.keys.checkpoint,
        chainKeys: auditStore.keys.chain,
        path: config.audit.checkpointPath,
        intervalMs: config.audit.checkpointIntervalMs,
        onResult: (r) => {
          if (r.held.length > 0 || r.refused.length > 0 || r.rejectedPrevious) {
            logger.error({ held: r.held, refused: r.refused, rejectedPrevious: r.rejectedPrevious }, 'audit checkpoint: the database does not match (heads kept, heads refused)');
          }
        },
        onError: (err) => logger.warn({ err }, 'audit checkpoint not written'),
      })
    : undefined;
  const activities = createActivities({
    ...(model ? { model } : {}),
    reviewStore: reviewStore ?? unavailableReviewStore,
    ...(reviewStore ? { registry: reviewStore } : {}),
    auditStore: auditStore ?? (unavailableReviewStore as unknown as AuditStore),
    ...(config.webhook ? { webhook: config.webhook } : {}),
    allowedOutbound: config.network.allowedOutbound,
    store: new FsDocumentStore(join(config.dataDir, 'store'), keyring),
    ocr: ocr ?? unavailableOcr,
    pdf,
    ...(analysis ? { analyse: analysis.analyse } : {}),
    image: createSharpPreprocessor(),
    limits: config.extraction,
    modelMode: config.model.mode,
  });

  const workers = await Promise.all(
    queues.map((queue) =>
      Worker.create({
        connection,
        namespace: options.namespace,
        taskQueue: TASK_QUEUES[queue],
        dataConverter,
        ...(queue === 'workflows'
          ? {
              workflowsPath: WORKFLOWS_PATH,
              maxCachedWorkflows: config.concurrency.workflowCache,
              maxConcurrentWorkflowTaskExecutions: Math.min(config.concurrency.workflows, config.concurrency.workflowCache),
            }
          : { activities, maxConcurrentActivityTaskExecutions: concurrencyFor(queue, config) }),
      }),
    ),
  );
  logger.info({ queues, ocrWorkers: ocr ? config.ocr.workers : 0, model: model?.modelId.file ?? 'off' }, 'workers started');

  const done = Promise.all(workers.map((w) => w.run())).then(
    () => undefined,
    (err) => {
      logger.error({ err }, 'a worker failed');
      throw err;
    },
  ).finally(async () => {
    // Ids and counts only. The OCR engines' busy time tells how well this process kept them fed.
    logger.info({ queues, ...(ocr ? { ocrWorkers: ocr.size, ocrBusyMs: Math.round(ocr.busyMs) } : {}) }, 'workers stopped');
    await ocr?.terminate();
    await pdf.terminate();
    await analysis?.terminate();
    await model?.dispose();
    await reviewStore?.close();
    await checkpointer?.stop();
    await auditStore?.close();
    await connection.close();
  });
  const shutdown = async (): Promise<void> => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await done.catch(() => {});
  };
  const cachedWorkflows = (): number => workers.reduce((sum, w) => sum + w.getStatus().numCachedWorkflows, 0);
  return { done, shutdown, cachedWorkflows, ...(ocr ? { ocr } : {}) };
}

/** Slots per queue: OCR one per OCR worker plus the prefetch; analysis two per core; I/O generous. */
export function concurrencyFor(queue: QueueName, config: Readonly<Config>): number {
  switch (queue) {
    case 'ocr':
      return config.ocr.workers + config.ocr.prefetch;
    case 'model':
      return config.concurrency.model;
    default:
      return config.concurrency.io;
  }
}

/** A process that does not serve the OCR queue never runs OCR; this guards that promise. */
const unavailableOcr = {
  recognize(): never {
    throw new Error('OCR is not served by this worker process');
  },
};

/** Only the I/O queue writes the review database. */
const unavailableReviewStore = new Proxy({} as ReviewStore, {
  get(): never {
    throw new Error('the review database is not open in this worker process (it serves no io queue)');
  },
});
