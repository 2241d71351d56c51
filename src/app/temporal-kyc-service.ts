import {
  Client,
  NamespaceNotFoundError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  isGrpcServiceError,
  type WorkflowHandle,
} from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash, randomUUID } from 'node:crypto';
import type { DocumentStore } from '../domain/ports.js';
import { batchManifestKey, buildManifest, canonicalJson, hashOfManifest, sha256Hex, type BatchManifest } from './batch-manifest.js';
import type { BatchRegistry } from '../adapters/tenancy-db.js';
import { DEFAULT_ORG, principalOf } from '../review/types.js';
import type { CaseRegistry } from '../domain/erasure.js';
import type { CaseReport } from '../domain/report.js';
import type { Policy } from '../domain/decision.js';
import { InvalidInputError } from '../domain/errors.js';
import { TASK_QUEUES, batchWorkflowId, caseWorkflowId, isValidIdPart } from '../temporal/names.js';
import {
  batchProgressQuery,
  caseProgressQuery,
  caseStateQuery,
  type BatchCaseSpec,
  type BatchInput,
  type BatchProgress,
} from '../../workflows/messages.js';
import {
  submittedBytes,
  type BatchState,
  type BatchStatus,
  type BatchSubmission,
  type CaseProgress,
  type KycService,
  type OwnerScope,
  type SubmitBatchRequest,
  SubmissionConflictError,
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
  /**
   * Batch owners and idempotency keys (review database, same as the registry). Every deployment
   * passes it; without it nothing is scoped to an owner and the case index names a case's batch.
   */
  batches?: BatchRegistry;
}

/** How long a request waits for an identical one (same key, same body) still in progress. */
const IN_PROGRESS_WAIT_MS = 15_000;
const IN_PROGRESS_POLL_MS = 100;
/** A claim this old belongs to a request that died: the next identical request takes it over. */
const STALE_CLAIM_MS = 10 * 60_000;

/** What a submission has stored so far, to remove when its workflow cannot start. */
interface Written {
  workflowIds: string[];
  manifestKey: string | undefined;
  /** The manifest's hash, once built. */
  manifestHash?: string;
  startAttempted?: boolean;
  started?: boolean;
}

function manifestHashOf(written: Written): string {
  if (written.manifestHash === undefined) throw new Error('the manifest hash is known once a start was attempted');
  return written.manifestHash;
}

/**
 * gRPC codes with which a start certainly created nothing: refused (invalid argument, not found — a
 * namespace —, permission, precondition, rate limit, authentication) or never delivered (UNAVAILABLE).
 * DEADLINE_EXCEEDED, CANCELLED, UNKNOWN, INTERNAL and ABORTED leave it open.
 */
const REFUSED_START_CODES = new Set([3, 5, 7, 8, 9, 14, 16]);

function startDefinitelyRefused(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof NamespaceNotFoundError) return true;
    if (isGrpcServiceError(e)) return REFUSED_START_CODES.has(e.code);
  }
  return false;
}

/**
 * sha256 of the canonical request: cases in order with their applicants, each document's content
 * hash and file name, the batch id and asOf as sent, the sanctions list's hash if one was sent.
 * Documents are read here for their hash only; nothing is stored.
 */
async function requestFingerprint(request: SubmitBatchRequest): Promise<string> {
  const cases = [];
  for (const c of request.cases) {
    const documents = [];
    for (const file of c.documents) documents.push({ sha256: sha256Hex(await submittedBytes(file)), fileName: file.fileName });
    cases.push({ caseId: c.caseId, applicant: c.applicant ?? null, documents });
  }
  return sha256Hex(
    canonicalJson({
      v: 1,
      batchId: request.batchId ?? null,
      asOf: request.asOf ?? null,
      sanctions: request.sanctionsCsv ? sha256Hex(request.sanctionsCsv) : null,
      cases,
    }),
  );
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
    const { store } = this.options;
    validateRequest(request);
    const org = request.submitter?.org ?? DEFAULT_ORG;
    const asOf = request.asOf ?? (this.options.today ?? todayUtc)();
    const sanctionsBytes = request.sanctionsCsv ?? this.options.defaultSanctionsCsv;

    // Everything the request says, hashed before anything is stored: a refused request stores nothing.
    const fingerprint = await requestFingerprint(request);
    const caseIds = request.cases.map((c) => c.caseId);
    const key = request.idempotencyKey;
    const batchId =
      request.batchId ??
      (key !== undefined
        ? // The default organisation keeps the id its keys gave before keys had organisations.
          hashId('b-', org === DEFAULT_ORG ? `key:${key}` : `key:${org}\n${key}`)
        : hashId('b-', `content:${org}\n${asOf}\n${sanctionsBytes ? sha256Hex(sanctionsBytes) : ''}\n${fingerprint}`));
    const submittedBy = request.submitter ? (principalOf(request.submitter) ?? request.submitter.keyId) : request.submittedBy;

    const claim = await this.claim({ batchId, org, fingerprint, caseIds, ...(key !== undefined ? { key } : {}), ...(request.submitter ? { submitter: request.submitter } : {}) });
    if ('existing' in claim) return claim.existing;

    // From here on the batch id is ours: what is stored is removed again if the workflow cannot start.
    const written: Written = { workflowIds: [], manifestKey: undefined };
    try {
      const specs: BatchCaseSpec[] = [];
      const submittedAt = new Date().toISOString();
      for (const c of request.cases) {
        const workflowId = caseWorkflowId(batchId, c.caseId);
        // Registered before its documents are stored, so a cleanup never removes a document another
        // submission holds, and a started case is always known to erasure and retention.
        const documents = [];
        for (const file of c.documents) {
          const bytes = await submittedBytes(file);
          const documentId = sha256Hex(bytes); // the store's id: content-addressed
          if (this.options.registry && !written.workflowIds.includes(workflowId)) {
            await this.options.registry.registerCase({ workflowId, caseId: c.caseId, batchId, documentIds: [documentId], submittedAt });
            written.workflowIds.push(workflowId);
          } else {
            await this.options.registry?.addCaseDocuments(workflowId, [documentId]);
          }
          documents.push(await store.putDocument(bytes, file.fileName));
        }
        specs.push({ caseId: c.caseId, ...(c.applicant ? { applicant: c.applicant } : {}), documents });
      }
      const sanctionsRef = sanctionsBytes ? (await store.putDocument(sanctionsBytes, 'sanctions.csv')).id : undefined;
      if (!this.options.batches) {
        // Without the batch table (tests of the engine alone) the last submission names the case.
        for (const c of specs) await store.putJson(caseIndexKey(c.caseId), { batchId, caseId: c.caseId } satisfies CaseIndexEntry);
      }

      // Written once: a manifest already there (a takeover of a dead request's claim) must be this one.
      const { manifest, hash: manifestHash } = buildManifest(specs);
      written.manifestHash = manifestHash;
      const manifestKey = batchManifestKey(batchId);
      const found = await store.getJson<BatchManifest>(manifestKey).catch(() => undefined);
      if (found === undefined) {
        await store.putJson(manifestKey, manifest);
        written.manifestKey = manifestKey;
      } else if (hashOfManifest(found) !== manifestHash) {
        throw new SubmissionConflictError('BATCH_ID_TAKEN', `batch ${batchId} was already accepted with other content`);
      }
      const input: BatchInput = {
        batchId,
        asOf,
        ...(sanctionsRef ? { sanctionsRef } : {}),
        manifestKey,
        manifestHash,
        total: specs.length,
        maxConcurrentCases: this.options.maxConcurrentCases,
        ...(this.options.casesPerRun ? { casesPerRun: this.options.casesPerRun } : {}),
        ...(this.options.policy ? { policy: this.options.policy } : {}),
        ...(submittedBy ? { submittedBy } : {}),
      };
      let existing = false;
      written.startAttempted = true;
      try {
        await this.options.client.workflow.start('processKycBatch', {
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
      written.started = true;
      await this.options.batches?.markStarted(batchId, claim.token, { key: manifestKey, hash: manifestHash });
      return { batchId, caseIds, existing };
    } catch (err) {
      if (written.started) throw err;
      const outcome = written.startAttempted ? await this.startOutcome(batchId, err) : 'not-started';
      if (outcome === 'started') {
        // The start reached the server though its answer did not reach us (a deadline, a dropped reply).
        await this.options.batches?.markStarted(batchId, claim.token, { key: batchManifestKey(batchId), hash: manifestHashOf(written) });
        return { batchId, caseIds, existing: false };
      }
      if (outcome === 'not-started') await this.undo(batchId, claim.token, written);
      // Unknown: the workflow may run on what was stored, so it stays; the claim is freed for a retry,
      // which finds the batch started or starts it (documents and manifest are the same).
      else await this.options.batches?.releaseClaim(batchId, claim.token).catch(() => undefined);
      throw err;
    }
  }

  /**
   * After a failed start: whether the workflow exists anyway. 'not-started' when the start was
   * refused or never reached the server, or Temporal says there is no such workflow; 'unknown' when
   * none of that can be told (a deadline passed while the server may have been starting it).
   */
  private async startOutcome(batchId: string, err: unknown): Promise<'started' | 'not-started' | 'unknown'> {
    if (startDefinitelyRefused(err)) return 'not-started';
    try {
      await this.options.client.workflow.getHandle(batchWorkflowId(batchId)).describe();
      return 'started';
    } catch (describeError) {
      return describeError instanceof WorkflowNotFoundError ? 'not-started' : 'unknown';
    }
  }

  /**
   * Takes the batch id (and the owner's idempotency key) for this request, or answers with the batch
   * an identical earlier request made. The database's unique constraints decide between racers; a
   * request that finds the key taken by an identical request still in progress waits for it.
   */
  private async claim(c: {
    batchId: string;
    org: string;
    fingerprint: string;
    caseIds: string[];
    key?: string;
    submitter?: SubmitBatchRequest['submitter'];
  }): Promise<{ token: string } | { existing: BatchSubmission }> {
    const token = randomUUID();
    const batches = this.options.batches;
    if (!batches) return { token };
    const giveUpAt = Date.now() + IN_PROGRESS_WAIT_MS;
    for (;;) {
      const claimed = await batches.claimBatch({
        batchId: c.batchId,
        ownerOrg: c.org,
        ...(c.submitter ? { submittedBy: principalOf(c.submitter) ?? c.submitter.keyId } : {}),
        ...(c.submitter?.keyId ? { submittedByKeyId: c.submitter.keyId } : {}),
        ...(c.key !== undefined ? { idempotencyKey: c.key } : {}),
        fingerprint: c.fingerprint,
        caseIds: c.caseIds,
        claimToken: token,
        claimedAt: new Date().toISOString(),
      });
      if (claimed) {
        // A batch accepted before batches had owners has cases but no row (and its manifest under the
        // old key): its id stays its own. Cases with a manifest under the new key are a submission
        // whose start had an unknown outcome: this request finishes it.
        const legacy =
          ((await this.options.registry?.casesOfBatch(c.batchId))?.length ?? 0) > 0 &&
          (await this.options.store.getJson(batchManifestKey(c.batchId)).then(() => false, () => true));
        if (legacy) {
          await batches.releaseClaim(c.batchId, token);
          if (c.org !== DEFAULT_ORG) throw new SubmissionConflictError('BATCH_ID_TAKEN', `batch id ${c.batchId} is taken`);
          return { existing: { batchId: c.batchId, caseIds: c.caseIds, existing: true } };
        }
        return { token };
      }
      const found = (c.key !== undefined ? await batches.findBatchByKey(c.org, c.key) : undefined) ?? (await batches.findBatch(c.batchId));
      if (found === undefined) continue; // released meanwhile (its request failed): try again
      if (c.key !== undefined && found.ownerOrg === c.org && found.idempotencyKey === c.key) {
        if (found.fingerprint !== c.fingerprint) {
          throw new SubmissionConflictError(
            'IDEMPOTENCY_KEY_REUSED',
            'this Idempotency-Key was already used with a different request; use a new key for a new batch',
          );
        }
      } else if (found.ownerOrg !== c.org || found.fingerprint !== c.fingerprint || found.idempotencyKey !== c.key) {
        // Another owner's batch, or another submission of this owner: the id is not this request's.
        throw new SubmissionConflictError('BATCH_ID_TAKEN', `batch id ${c.batchId} is taken; choose another`);
      }
      if (found.state === 'started') return { existing: { batchId: found.batchId, caseIds: found.caseIds, existing: true } };
      // An identical request is storing and starting this batch right now.
      if (Date.now() - Date.parse(found.claimedAt) > STALE_CLAIM_MS) {
        // ...or was, and died: this request finishes the job (documents, manifest and start are idempotent).
        if (await batches.takeOverClaim(found.batchId, found.claimToken, token, new Date().toISOString())) return { token };
        continue;
      }
      if (Date.now() > giveUpAt) {
        throw new SubmissionConflictError('SUBMISSION_IN_PROGRESS', 'an identical request is being processed; retry shortly');
      }
      await sleep(IN_PROGRESS_POLL_MS);
    }
  }

  /** Removes what a submission stored before its workflow could start, and frees its batch id. */
  private async undo(batchId: string, token: string, written: Written): Promise<void> {
    const { store, registry, batches } = this.options;
    try {
      if (written.manifestKey) await store.deleteJson(written.manifestKey);
      for (const workflowId of written.workflowIds) {
        const record = await registry?.findCase(workflowId);
        for (const documentId of record?.documentIds ?? []) {
          await registry?.releaseDocument(workflowId, documentId);
          // Content-addressed: another case may hold the same document; then it stays.
          if ((await registry?.countOtherHolders(documentId, workflowId)) === 0) await store.deleteDocument(documentId);
        }
      }
      if (written.workflowIds.length > 0) await batches?.forgetCases(batchId, written.workflowIds);
      await batches?.releaseClaim(batchId, token);
    } catch {
      // Best effort: the original error is the one to report; a claim left behind goes stale and is taken over.
    }
  }

  async getBatch(batchId: string, scope?: OwnerScope): Promise<BatchStatus | undefined> {
    if (!isValidIdPart(batchId)) return undefined;
    if (!(await this.isVisible(batchId, scope))) return undefined;
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

  async getCase(caseId: string, scope?: OwnerScope): Promise<CaseReport | CaseProgress | undefined> {
    if (!isValidIdPart(caseId)) return undefined;
    if (this.options.batches) {
      // The owner's latest live case of that id, from the database: exact ids, one owner's batches.
      const found = await this.options.batches.findCase(caseId, scope?.org, DEFAULT_ORG);
      if (found) return this.getCaseInBatch(found.batchId, caseId);
    }
    // Cases no batch row knows (an engine without the batch table wrote the index) are the default
    // organisation's, and only if their batch is not another owner's.
    if (scope && scope.org !== DEFAULT_ORG) return undefined;
    const entry = await this.options.store.getJson<CaseIndexEntry>(caseIndexKey(caseId)).catch(() => undefined);
    if (!entry || entry.caseId !== caseId) return undefined;
    return this.getCaseInBatch(entry.batchId, caseId, scope ?? { org: DEFAULT_ORG });
  }

  /** The report of a case of a known batch (the CLI reads reports this way). */
  async getCaseInBatch(batchId: string, caseId: string, scope?: OwnerScope): Promise<CaseReport | CaseProgress | undefined> {
    if (!isValidIdPart(batchId) || !isValidIdPart(caseId)) return undefined;
    if (!(await this.isVisible(batchId, scope))) return undefined;
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
    if (state === 'completed') {
      // The audit head is the verifier's (kyc audit reads it from the workflow itself); the report a
      // client reads is the same whether the case is still running or done.
      const { auditHead: _head, ...report } = (await handle.result()) as CaseReport;
      return report;
    }
    if (state === 'running') {
      // Decided by the engine and waiting for people (or for its webhook): the report as it stands.
      const view = await handle.query(caseStateQuery).catch(() => undefined);
      return view?.report ?? { caseId, status: 'processing' };
    }
    return { caseId, status: 'failed' };
  }

  /**
   * Whether the batch is the scope's owner's (always, without a scope). A batch accepted before
   * batches had owners belongs to the default organisation; one still being claimed is nobody's yet.
   */
  private async isVisible(batchId: string, scope: OwnerScope | undefined): Promise<boolean> {
    const batches = this.options.batches;
    if (!batches) return scope === undefined || scope.org === DEFAULT_ORG;
    const record = await batches.findBatch(batchId);
    if (record && record.state !== 'started') return false;
    return scope === undefined || (record?.ownerOrg ?? DEFAULT_ORG) === scope.org;
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
