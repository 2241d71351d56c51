import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { TASK_QUEUES } from '../src/temporal/names.js';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 };

/** OCR and PDF work: long, CPU-bound, heartbeating per page. */
export const ocr = proxyActivities<Pick<Activities, 'extractText'>>({
  taskQueue: TASK_QUEUES.ocr,
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});

/**
 * MRZ corroboration, one reading step per call (see src/domain/corroboration.ts): band and
 * visual-zone re-reads on the OCR queue, the model's reading on the model queue. A step that cannot
 * be done is recorded as failed and the plan moves on, so few attempts.
 */
export const corroboration = proxyActivities<Pick<Activities, 'corroborateDocument'>>({
  taskQueue: TASK_QUEUES.ocr,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: 3 },
});
export const corroborationByModel = proxyActivities<Pick<Activities, 'corroborateWithModel'>>({
  taskQueue: TASK_QUEUES.model,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: 3 },
});

/** Classification and field extraction. */
export const model = proxyActivities<Pick<Activities, 'analyseDocument'>>({
  taskQueue: TASK_QUEUES.model,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});

/** Validations, screening, the batch manifest. */
export const io = proxyActivities<Pick<Activities, 'runCaseChecks' | 'loadBatchCases'>>({
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: '2 minutes',
  retry,
});

/**
 * A run's checks, decision and audit entries in one step (see concludeCase). It writes the audit
 * trail, so it is retried like the review database's writes: until it is back, nothing is lost. The
 * checks before the write stop after CONCLUDE_CHECK_ATTEMPTS attempts (the activity fails itself
 * as non-retryable), as runCaseChecks's policy did.
 */
export const conclude = proxyActivities<Pick<Activities, 'concludeCase'>>({
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' }, // no attempt limit
});

/** The review database (inbox projection, corrections): retried until it is back, nothing is lost. */
export const inbox = proxyActivities<Pick<Activities, 'projectReview' | 'recordCorrections' | 'recordAudit'>>({
  taskQueue: TASK_QUEUES.io,
  // Short database writes: a lost worker's attempt is retried elsewhere after at most this long.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' }, // no attempt limit
});

/**
 * The decision webhook: retried with backoff without an attempt limit; the activity itself gives
 * up once the configured time has passed (WEBHOOK_GIVE_UP). A week is the backstop.
 */
export const notify = proxyActivities<Pick<Activities, 'deliverWebhook'>>({
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' }, // no attempt limit
});

/** Retention: a page of erasures per call, heartbeating per case; a failed run is taken up by the next day's. */
export const retention = proxyActivities<Pick<Activities, 'eraseExpiredCases'>>({
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry,
});
