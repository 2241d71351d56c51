import { Client, ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { DocumentStore } from '../domain/ports.js';
import { batchManifestKey, type BatchManifest } from '../../activities/batch.activities.js';
import type { CaseRegistry } from '../domain/erasure.js';
import type { CaseReport } from '../domain/report.js';
import type { Policy } from '../domain/decision.js';
import { InvalidInputError } from '../domain/errors.js';
import { TASK_QUEUES, batchWorkflowId, caseWorkflowId, isValidIdPart } from '../temporal/names.js';
import { batchProgressQuery, caseProgressQuery, caseStateQuery, type BatchInput, type BatchProgress } from '../../workflows/messages.js';
import {
  submittedBytes,
  type BatchState,
  type BatchStatus,
  type BatchSubmission,
  type CaseProgress,
  type KycService,
  type SubmitBatchRequest,
} from './service.js';
import { caseIndexKey, type CaseIndexEntry } from './case-index.js';

export interface TemporalKycServiceOptions {
  client: Client;
  store: DocumentStore;
  maxConcurrentCases: number;
  /** Cases per batch-workflow run before continue-as-new; default the workflow's own (250). */
  casesPerRun?: number;
  /** Bytes of the configured default sanctions list, if any. */
  defaultSanctionsCsv?: Uint8Array;
  policy?: Policy;
  /** Clock for the default as-of date (tests pin it). */
  today?: () => string;
  /**
   * The case registry (review database): which case holds which document, for erasure and
   * retention. Every deployment passes it; without it cases are not registered (some tests).
   */
  registry?: CaseRegistry;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function hashId(prefix: string, value: string): string {
  return `${prefix}${createHash('sha256').update(value).digest('hex').slice(0, 24)}`;
}

const WORKFLOW_STATES: Record<string, BatchState> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CONTINUED_AS_NEW: 'running',
};

/** The engine seen from the interfaces: stores documents, starts batches, reads progress and reports. */
export class TemporalKycService implements KycService {
  constructor(private readonly options: TemporalKycServiceOptions) {}

  async submitBatch(request: SubmitBatchRequest): Promise<BatchSubmission> {
    const { client, store } = this.options;
    validateRequest(request);
    const asOf = request.asOf ?? (this.options.today ?? todayUtc)();
    const cases = [];
    for (const c of request.cases) {
      const documents = [];
      for (const file of c.documents) documents.push(await store.putDocument(await submittedBytes(file), file.fileName));
      cases.push({ caseId: c.caseId, ...(c.applicant ? { applicant: c.applicant } : {}), documents });
    }
    const sanctionsBytes = request.sanctionsCsv ?? this.options.defaultSanctionsCsv;
    const sanctionsRef = sanctionsBytes ? (await store.putDocument(sanctionsBytes, 'sanctions.csv')).id : undefined;

    // Same content (or same idempotency key) → same batch id → the existing workflow is reused.
    const batchId =
      request.batchId ??
      (request.idempotencyKey
        ? hashId('b-', `key:${request.idempotencyKey}`)
        : hashId('b-', JSON.stringify({ asOf, sanctionsRef, cases: cases.map((c) => ({ ...c, documents: c.documents.map((d) => [d.id, d.fileName]) })) })));
    for (const c of cases) await store.putJson(caseIndexKey(c.caseId), { batchId, caseId: c.caseId } satisfies CaseIndexEntry);
    // Registered before the workflow starts: a started case is always known to erasure and retention.
    const submittedAt = new Date().toISOString();
    for (const c of cases) {
      await this.options.registry?.registerCase({
        workflowId: caseWorkflowId(batchId, c.caseId),
        caseId: c.caseId,
        batchId,
        documentIds: c.documents.map((d) => d.id),
        submittedAt,
      });
    }

    // The list of cases goes to the store; the workflow reads it a page at a time.
    const manifestKey = batchManifestKey(batchId);
    await store.putJson(manifestKey, { cases } satisfies BatchManifest);
    const input: BatchInput = {
      batchId,
      asOf,
      ...(sanctionsRef ? { sanctionsRef } : {}),
      manifestKey,
      total: cases.length,
      maxConcurrentCases: this.options.maxConcurrentCases,
      ...(this.options.casesPerRun ? { casesPerRun: this.options.casesPerRun } : {}),
      ...(this.options.policy ? { policy: this.options.policy } : {}),
      ...(request.submittedBy ? { submittedBy: request.submittedBy } : {}),
    };
    let existing = false;
    try {
      await client.workflow.start('processKycBatch', {
        workflowId: batchWorkflowId(batchId),
        taskQueue: TASK_QUEUES.workflows,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      existing = true;
    }
    return { batchId, caseIds: cases.map((c) => c.caseId), existing };
  }

  async getBatch(batchId: string): Promise<BatchStatus | undefined> {
    if (!isValidIdPart(batchId)) return undefined;
    const handle = this.options.client.workflow.getHandle(batchWorkflowId(batchId));
    const state = await describeState(handle);
    if (!state) return undefined;
    const progress: BatchProgress | undefined =
      state === 'completed'
        ? ((await handle.result()) as BatchProgress)
        : await handle.query(batchProgressQuery).catch(() => undefined);
    return {
      batchId,
      status: state,
      total: progress?.total ?? 0,
      completed: progress?.completed ?? 0,
      pagesProcessed: progress?.pagesProcessed ?? 0,
      cases: (progress?.cases ?? []).map(({ caseId, status, decision }) => ({ caseId, status, ...(decision ? { decision } : {}) })),
    };
  }

  async getCase(caseId: string): Promise<CaseReport | CaseProgress | undefined> {
    if (!isValidIdPart(caseId)) return undefined;
    const entry = await this.options.store.getJson<CaseIndexEntry>(caseIndexKey(caseId)).catch(() => undefined);
    if (!entry) return undefined;
    return this.getCaseInBatch(entry.batchId, caseId);
  }

  /** The report of a case of a known batch (the CLI reads reports this way). */
  async getCaseInBatch(batchId: string, caseId: string): Promise<CaseReport | CaseProgress | undefined> {
    // Erased: gone at once, though Temporal deletes the workflow in the background (up to a minute).
    if ((await this.options.registry?.findCase(caseWorkflowId(batchId, caseId)))?.erasedAt) return undefined;
    const handle = this.options.client.workflow.getHandle(caseWorkflowId(batchId, caseId));
    const state = await describeState(handle);
    if (state === undefined) {
      // Not started yet: the batch runs a bounded number of cases at once.
      return (await describeState(this.options.client.workflow.getHandle(batchWorkflowId(batchId))))
        ? { caseId, status: 'pending' }
        : undefined;
    }
    if (state === 'completed') return (await handle.result()) as CaseReport;
    if (state === 'running') {
      // Decided by the engine and waiting for people (or for its webhook): the report as it stands.
      const view = await handle.query(caseStateQuery).catch(() => undefined);
      return view?.report ?? { caseId, status: 'processing' };
    }
    return { caseId, status: 'failed' };
  }

  /** Waits for the batch workflow to finish; resolves with its final progress. */
  async waitForBatch(batchId: string, patienceMs = 5 * 60_000): Promise<BatchProgress> {
    const handle = this.options.client.workflow.getHandle(batchWorkflowId(batchId));
    let lastContact = Date.now();
    for (;;) {
      try {
        return (await handle.result()) as BatchProgress;
      } catch (err) {
        // The server restarting or briefly unreachable is not the batch failing: wait and follow again.
        if (!(err instanceof ServiceError) || Date.now() - lastContact > patienceMs) throw err;
        await sleep(1_000);
        if (await handle.describe().then(() => true, () => false)) lastContact = Date.now();
      }
    }
  }

  async queryCaseProgress(batchId: string, caseId: string): Promise<unknown> {
    return this.options.client.workflow.getHandle(caseWorkflowId(batchId, caseId)).query(caseProgressQuery);
  }
}

async function describeState(handle: WorkflowHandle): Promise<BatchState | undefined> {
  try {
    const description = await handle.describe();
    return WORKFLOW_STATES[description.status.name] ?? 'running';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

function validateRequest(request: SubmitBatchRequest): void {
  if (request.cases.length === 0) throw new InvalidInputError('a batch needs at least one case');
  const seen = new Set<string>();
  for (const c of request.cases) {
    if (!isValidIdPart(c.caseId)) throw new InvalidInputError(`case id "${c.caseId}" must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}`);
    if (seen.has(c.caseId)) throw new InvalidInputError(`case id "${c.caseId}" appears twice in the batch`);
    seen.add(c.caseId);
    if (c.documents.length === 0) throw new InvalidInputError(`case "${c.caseId}" has no documents`);
  }
  if (request.asOf !== undefined && !DATE.test(request.asOf)) throw new InvalidInputError('asOf must be YYYY-MM-DD');
  if (request.batchId !== undefined && !isValidIdPart(request.batchId)) {
    throw new InvalidInputError('batchId must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}');
  }
}
