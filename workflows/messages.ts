import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, ReviewTask } from '../src/review/types.js';
import type { DecideInput } from '../src/review/rules.js';
import type { Applicant, CaseReport, Decision } from '../src/domain/report.js';
import type { DocumentRef } from '../src/domain/documents.js';
import type { Policy } from '../src/domain/decision.js';
import type { CorroborationBudget } from '../src/domain/corroboration.js';

/** Input of one applicant's case workflow. Plain JSON; documents travel as references. */
export interface CaseInput {
  batchId: string;
  caseId: string;
  applicant?: Applicant;
  documents: DocumentRef[];
  /** YYYY-MM-DD: the date every date check is made against. */
  asOf: string;
  /** Store id of the sanctions list (targets.simple.csv); none → screening is inconclusive. */
  sanctionsRef?: string;
  policy?: Policy;
  /** Whoever submitted the batch (`<org>/<person>`, or a key id before keys named people): may not review the case. */
  submittedBy?: string;
  /** Reading steps per document to corroborate unverified MRZ values; default DEFAULT_CORROBORATION_BUDGET (4). */
  corroboration?: CorroborationBudget;
}

/** One applicant of a batch, as stored in the batch manifest. */
export type BatchCaseSpec = Pick<CaseInput, 'caseId' | 'applicant' | 'documents'>;

export interface BatchInput {
  batchId: string;
  asOf: string;
  sanctionsRef?: string;
  /** Store key of the list of cases (see src/app/batch-manifest.ts); read a page at a time. */
  manifestKey: string;
  /** The manifest's hash when accepted: every page read is checked against it (absent before hashing). */
  manifestHash?: string;
  total: number;
  /** How many case workflows run at once. */
  maxConcurrentCases: number;
  /** Cases started per workflow run before it continues as new (default 250). */
  casesPerRun?: number;
  policy?: Policy;
  /** The submitter (`<org>/<person>`, or a key id before keys named people): never a reviewer of these cases. */
  submittedBy?: string;
  /** Set by continue-as-new: where the previous run stopped and what it had seen. */
  carried?: BatchCarry;
}

/** The state handed from one run of a batch workflow to the next (continue-as-new). */
export interface BatchCarry {
  next: number;
  cases: BatchCaseSummary[];
  pagesProcessed: number;
}

export type CaseRunState = 'pending' | 'processing' | 'awaiting_review' | 'completed' | 'failed';

export interface BatchCaseSummary {
  caseId: string;
  workflowId: string;
  status: CaseRunState;
  decision?: Decision;
  /** Only when the case workflow itself failed (a bug or a termination), not for a bad document. */
  error?: string;
}

export interface BatchProgress {
  batchId: string;
  total: number;
  completed: number;
  /** Pages read so far (text layers and OCR) across the batch's finished cases. */
  pagesProcessed: number;
  cases: BatchCaseSummary[];
}

export type BatchResult = BatchProgress;

export type CaseStage = 'extracting' | 'analysing' | 'validating' | 'deciding' | 'review' | 'done';

export interface CaseProgressView {
  stage: CaseStage;
  documentsTotal: number;
  documentsDone: number;
}

export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');
export const caseProgressQuery = defineQuery<CaseProgressView>('caseProgress');
export type { CaseReport };

/** The case as it stands: progress, and the report once the engine has decided (also under review). */
export interface CaseStateView {
  progress: CaseProgressView;
  report?: CaseReport;
  /** The audit trail's head after the workflow's own appends so far (see CaseReport.auditHead). */
  auditHead?: { count: number; mac: string };
}
export const caseStateQuery = defineQuery<CaseStateView>('caseState');

/** Child → parent batch: the case has its automatic outcome (it may still wait for review). */
export interface CaseOutcome {
  caseId: string;
  status: 'awaiting_review' | 'completed';
  decision: Decision;
  /** Pages read for the case. */
  pages?: number;
}
export const caseOutcomeSignal = defineSignal<[CaseOutcome]>('caseOutcome');

/** Reviewer actions. Each validates who may do it, then returns the task as it now stands. */
export const claimUpdate = defineUpdate<ReviewTask, [Actor]>('claim');
export const releaseUpdate = defineUpdate<ReviewTask, [Actor]>('release');
export const reassignUpdate = defineUpdate<ReviewTask, [Actor, Actor]>('reassign');
export const decideUpdate = defineUpdate<ReviewTask, [Actor, DecideInput]>('decide');
export const addNoteUpdate = defineUpdate<ReviewTask, [Actor, { text: string }]>('addNote');
/** The applicant's new documents after `request_documents`: the pipeline runs again on the whole case. */
export const addDocumentsUpdate = defineUpdate<ReviewTask, [Actor, DocumentRef[]]>('addDocuments');
