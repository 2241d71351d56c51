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

export interface SubmitBatchRequest {
  /** Optional; when absent it is derived from the idempotency key, else from the content. */
  batchId?: string;
  /** Same key → same batch: a resubmission returns the existing batch and processes nothing twice. */
  idempotencyKey?: string;
  /** YYYY-MM-DD for every date check; default today (UTC). */
  asOf?: string;
  cases: SubmitCaseRequest[];
  /** A sanctions list in OpenSanctions targets.simple.csv format; default the configured list. */
  sanctionsCsv?: Uint8Array;
  /** Key id of the submitter: separation of duties keeps that key away from reviewing the cases. */
  submittedBy?: string;
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
  /** undefined when no such batch. */
  getBatch(batchId: string): Promise<BatchStatus | undefined>;
  /**
   * The report when the case is done, its progress otherwise; undefined when unknown. Case ids are
   * unique within a batch: when one was reused, this answers for the batch submitted last.
   */
  getCase(caseId: string): Promise<CaseReport | CaseProgress | undefined>;
  /** The same for the case of a given batch: unambiguous. */
  getCaseInBatch(batchId: string, caseId: string): Promise<CaseReport | CaseProgress | undefined>;
}
