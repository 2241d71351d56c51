/**
 * What the interfaces (HTTP API, CLI) need from the engine. Implemented over the Temporal
 * client and the document store in `src/app/temporal-kyc-service.ts`.
 */
import type { Applicant, CaseReport, Decision } from '../domain/report.js';

/**
 * A document as submitted: its bytes, or a way to read them. The CLI gives `read` (a file on disk),
 * so a batch of thousands of documents is read one document at a time as it is stored, not held
 * in memory whole while the batch runs.
 */
export type SubmittedFile = { fileName: string; bytes: Uint8Array } | { fileName: string; read(): Promise<Uint8Array> };

export function submittedBytes(file: SubmittedFile): Promise<Uint8Array> {
  return 'bytes' in file ? Promise.resolve(file.bytes) : file.read();
}

export interface SubmitCaseRequest {
  /** Unique within the batch; `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`. */
  caseId: string;
  applicant?: Applicant;
  documents: SubmittedFile[];
}

/** Who submits: the organisation that will own the batch and its cases, and the person. */
export interface Submitter {
  org: string;
  /** The person the key names: separation of duties keeps them away from reviewing the cases. */
  person?: string;
  keyId?: string;
}

/** Whose batches and cases a reader may see: one organisation's, or (undefined) everyone's. */
export interface OwnerScope {
  org: string;
}

export interface SubmitBatchRequest {
  /**
   * Optional; when absent it is derived from the idempotency key, else from the content. Compared
   * exactly (case-sensitive); an id already used by another owner or another submission is refused.
   */
  batchId?: string;
  /**
   * Scoped to the owner organisation. Same key and same request → the same batch (existing: true);
   * same key, another request → `SubmissionConflictError` IDEMPOTENCY_KEY_REUSED, and nothing changes.
   */
  idempotencyKey?: string;
  /** YYYY-MM-DD for every date check; default today (UTC). */
  asOf?: string;
  cases: SubmitCaseRequest[];
  /** A sanctions list in OpenSanctions targets.simple.csv format; default the configured list. */
  sanctionsCsv?: Uint8Array;
  /** Default: the `default` organisation, no person (the CLI). */
  submitter?: Submitter;
  /** Without `submitter`: a key id kept away from reviewing the cases (per key, as before people). */
  submittedBy?: string;
}

export type SubmissionConflictCode = 'IDEMPOTENCY_KEY_REUSED' | 'BATCH_ID_TAKEN' | 'SUBMISSION_IN_PROGRESS';

/** A submission refused before anything was stored: the key or batch id belongs to another request. */
export class SubmissionConflictError extends Error {
  override name = 'SubmissionConflictError';
  constructor(
    readonly code: SubmissionConflictCode,
    message: string,
  ) {
    super(message);
  }
}

export interface BatchSubmission {
  batchId: string;
  caseIds: string[];
  /** True when this batch had been submitted before (idempotent resubmission). */
  existing: boolean;
}

export type BatchState = 'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out';

export interface CaseProgress {
  caseId: string;
  status: 'pending' | 'processing' | 'awaiting_review' | 'completed' | 'failed';
  decision?: Decision;
}

export interface BatchStatus {
  batchId: string;
  status: BatchState;
  total: number;
  completed: number;
  /** Pages read so far across the batch's decided cases. */
  pagesProcessed: number;
  cases: CaseProgress[];
}

export interface KycService {
  submitBatch(request: SubmitBatchRequest): Promise<BatchSubmission>;
  /** undefined when no such batch, or when it belongs to another owner than `scope`'s. */
  getBatch(batchId: string, scope?: OwnerScope): Promise<BatchStatus | undefined>;
  /**
   * The report when the case is done, its progress otherwise; undefined when unknown (or another
   * owner's). Case ids are unique within a batch: when one was reused, this answers for the batch
   * (of the scope's owner) submitted last.
   */
  getCase(caseId: string, scope?: OwnerScope): Promise<CaseReport | CaseProgress | undefined>;
  /** The same for the case of a given batch: unambiguous. */
  getCaseInBatch(batchId: string, caseId: string, scope?: OwnerScope): Promise<CaseReport | CaseProgress | undefined>;
}
