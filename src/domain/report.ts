import type { ReviewTask } from '../review/types.js';
import type { ReadingTool, StepOutcome } from './corroboration.js';
import type { DocumentType, FieldEvidenceMap, Fields, ModelUse, MrzSummary, PageError, PageSummary } from './documents.js';

/** The applicant data the bank declared (applicant.json / API form). All optional. */
export interface Applicant {
  fullName?: string;
  dateOfBirth?: string;
  address?: string;
  nationality?: string;
}

export type CheckStatus = 'pass' | 'fail' | 'inconclusive';

export interface Check {
  id: string;
  status: CheckStatus;
  detail: string;
  /** Which document the check concerns, when it concerns one. */
  file?: string;
}

export type Decision = 'approved' | 'rejected' | 'review';
export type CaseStatus = 'processing' | 'completed' | 'awaiting_review' | 'failed';

export interface DocumentReport {
  file: string;
  documentId: string;
  type: DocumentType;
  confidence: number;
  fields: Fields;
  evidence: FieldEvidenceMap;
  pages: PageSummary[];
  /** The model file, its sha256 and the prompt version, when the model made a value here. */
  model?: ModelUse;
  /** Only when the document could not be read. */
  error?: string;
  errorCode?: string;
  /** Pages that could not be read (page number, error code) while the others were read and are in `pages`. */
  pageErrors?: PageError[];
  /** Per MRZ field: read, repaired, corroborated, unverified or failed (see MrzSummary.fieldStatus). */
  mrzFieldStatus?: MrzSummary['fieldStatus'];
  /** The reading steps taken to corroborate unverified MRZ values, in order, and what each found. */
  corroboration?: CorroborationReport;
}

export interface CorroborationReport {
  steps: Array<{ tool: ReadingTool; step: string; outcome: StepOutcome }>;
  /** MRZ fields still unverified when the steps ended (the budget spent or no tool left). */
  unverified: string[];
}

export interface CaseReport {
  caseId: string;
  batchId: string;
  status: CaseStatus;
  decision: Decision;
  reasons: string[];
  asOf: string;
  documents: DocumentReport[];
  checks: Check[];
  /** The engine's own decision, before quality-control sampling and before people decided. */
  automaticDecision?: Decision;
  /** The human task, when the case went to review (the last round). */
  review?: ReviewTask;
  /** Who made the final decision: `engine`, or the reviewer's key name. */
  decidedBy?: string;
  decidedAt?: string;
  /**
   * The audit trail's head after the case workflow's own appends (record count and last MAC): a
   * copy outside the review database, compared by `kyc audit --verify` (src/audit/verify.ts).
   */
  auditHead?: { count: number; mac: string };
}

export interface BatchReport {
  batchId: string;
  cases: CaseReport[];
}
