/**
 * Erasure and retention: the registry of cases and the documents they hold, the ports erasure
 * works through, and the PII-free record it leaves behind. Types only; the steps are in
 * src/app/erasure.ts.
 */

/** A case as the registry knows it. `workflowId` (batch + case) identifies it. */
export interface CaseRecord {
  workflowId: string;
  caseId: string;
  batchId: string;
  /** Documents the case still holds (submitted and additional); empty once they are erased. */
  documentIds: string[];
  submittedAt: string;
  /** When its workflow closed (decided, failed or terminated): retention counts from here. */
  closedAt?: string;
  documentsErasedAt?: string;
  /** The whole case was erased (on request or by report retention). */
  erasedAt?: string;
}

export type ErasureScope = 'case' | 'documents';
export type ErasureReason = 'request' | 'retention';

/** The erasure record: what was erased, when, by whom — ids, counts and hashes, no applicant data. */
export interface ErasureRecord {
  erasureId: string;
  caseId: string;
  batchId: string;
  workflowId: string;
  scope: ErasureScope;
  reason: ErasureReason;
  at: string;
  /** Key name of whoever asked (`retention` for the schedule, `cli:<user>` for the CLI). */
  by: string;
  byKeyId?: string;
  /** sha256 of `kyc-erased-document:<documentId>`: proves which document went, to whoever holds it. */
  documentHashes: { erased: string[]; kept: string[] };
  counts: ErasureCounts;
}

export interface ErasureCounts {
  /** Documents destroyed (data key, content and extracted text). */
  documents: number;
  /** Documents left in place because another live case holds the same content. */
  documentsShared: number;
  /** Extracted-text blobs destroyed. */
  texts: number;
  corrections: number;
  /** Review events whose free text (notes, reasons, corrected values) was blanked. */
  events: number;
  /** Review tasks whose free text was blanked. */
  tasks: number;
  /** Workflow executions (case, and the batch once all its cases are gone) deleted from Temporal. */
  workflows: number;
}

export interface ReviewDataScrubbed {
  corrections: number;
  events: number;
  tasks: number;
}

/**
 * The registry (review database): cases with their documents, for reference counting of shared
 * content-addressed documents and for retention; and the review data erasure scrubs.
 */
export interface CaseRegistry {
  /**
   * Records a submitted case and the documents it holds. Submitting a case again (after an erasure,
   * or a retried submission) makes it live again.
   */
  registerCase(record: { workflowId: string; caseId: string; batchId: string; documentIds: string[]; submittedAt: string }): Promise<void>;
  /** Documents added to a case later (after `request_documents`). */
  addCaseDocuments(workflowId: string, documentIds: string[]): Promise<void>;
  findCase(workflowId: string): Promise<CaseRecord | undefined>;
  /** Every registered case with this case id (one per batch it was submitted in). */
  findCasesById(caseId: string): Promise<CaseRecord[]>;
  casesOfBatch(batchId: string): Promise<CaseRecord[]>;
  /** How many cases other than `workflowId` still hold the document. */
  countOtherHolders(documentId: string, workflowId: string): Promise<number>;
  /** The case no longer holds the document. */
  releaseDocument(workflowId: string, documentId: string): Promise<void>;
  markClosed(workflowId: string, closedAt: string): Promise<void>;
  markDocumentsErased(workflowId: string, at: string): Promise<void>;
  markErased(workflowId: string, at: string): Promise<void>;
  /** Open cases (no close time yet) submitted before `before`, in (submittedAt, workflowId) order after the cursor. */
  listOpenCases(before: string, limit: number, after?: { submittedAt: string; workflowId: string }): Promise<CaseRecord[]>;
  /** Closed before `before` and not erased: for documents, those whose documents are still there. */
  listExpiredCases(kind: 'documents' | 'reports', before: string, limit: number): Promise<CaseRecord[]>;
  /** Deletes the case's corrections and blanks free text in its review tasks and events. */
  scrubReviewData(target: { workflowId: string; caseId: string; batchId: string }): Promise<ReviewDataScrubbed>;
  recordErasure(record: ErasureRecord): Promise<void>;
  listErasures(caseId: string): Promise<ErasureRecord[]>;
}

export type WorkflowState = { status: 'running' } | { status: 'closed'; closedAt: string };

/** Case and batch workflow executions in Temporal (where reports live). */
export interface CaseWorkflows {
  /** undefined when there is no such execution (never started, or deleted). */
  state(workflowId: string): Promise<WorkflowState | undefined>;
  /**
   * Terminates the execution if it runs, then deletes it and its history. Temporal completes the
   * deletion in the background (a closed execution within about a minute).
   */
  remove(workflowId: string): Promise<'deleted' | 'absent'>;
}

/** Who erases. */
export interface ErasureActor {
  name: string;
  keyId?: string;
}

/** What one erasure of one case did. */
export interface CaseErasure {
  caseId: string;
  batchId: string;
  workflowId: string;
  /** Already erased before and nothing was left: no new erasure record. */
  alreadyErased: boolean;
  documentsErased: string[];
  /** Kept because another live case holds the same document. */
  documentsKept: string[];
  report: 'deleted' | 'absent';
  /** The batch workflow (its input names every applicant of the batch) goes once all its cases are erased. */
  batchHistory: 'deleted' | 'kept' | 'absent';
  counts: ErasureCounts;
  erasureId?: string;
}
