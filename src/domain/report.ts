import type { ReviewTask } from '../review/types.js';
import type { ReadingTool, StepOutcome } from './corroboration.js';
import type { DocumentType, FieldEvidence, FieldEvidenceMap, Fields, ModelUse, MrzSummary, PageError, PageSummary } from './documents.js';

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
  /** The span of the document the check rests on (page and printed text: PII, never logged). */
  evidence?: FieldEvidence;
  /** The two values a comparison check compared, for the reviewer to see side by side (PII, never logged). */
  comparison?: CheckComparison;
  /** A possible sanctions match: the listed entry as published and why it scored (sanctions_screening). */
  sanctionsMatch?: SanctionsMatchDetail;
}

/**
 * What a comparison check (names, address, birth date) compared: the reference (usually the
 * declaration) and the value found on the check's document. `found` is absent when the reference
 * was searched for in the document's text instead (the span is then the check's `evidence`).
 */
export interface CheckComparison {
  /** `fullName`, `address` or `dateOfBirth`. */
  field: 'fullName' | 'address' | 'dateOfBirth';
  reference: string;
  /** Where the reference comes from: `declaration`, or the identity document (`passport`, …). */
  referenceSource: string;
  /** The reference's document, when it comes from one. */
  referenceFile?: string;
  found?: string;
  /** 0..1 similarity, for name and address comparisons. */
  score?: number;
}

/** The best sanctions-list entry for the screened name, with the list's own data (OpenSanctions columns). */
export interface SanctionsMatchDetail {
  /** What was screened, and where the name came from (`declaration` or the identity document). */
  screenedName: string;
  screenedSource: string;
  screenedBirthDate?: string;
  entryId: string;
  schema: string;
  entryName: string;
  aliases: string[];
  birthDates: string[];
  countries: string[];
  /** Sanctions programmes as the list words them (OpenSanctions `sanctions` column). */
  programmes: string[];
  datasets: string[];
  /** The entry's name or alias that matched, its name similarity, and the score after birth-date corroboration. */
  matchedName: string;
  nameScore: number;
  score: number;
  birthDate: 'match' | 'mismatch' | 'unknown';
  threshold: number;
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
  /** What the bank declared about the applicant (PII: shown to those who may read the case, never logged). */
  applicant?: Applicant;
}

export interface BatchReport {
  batchId: string;
  cases: CaseReport[];
}
