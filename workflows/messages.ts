import { defineQuery } from '@temporalio/workflow';
import type { Applicant, CaseReport, Decision } from '../src/domain/report.js';
import type { DocumentRef } from '../src/domain/documents.js';
import type { Policy } from '../src/domain/decision.js';

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
}

export interface BatchInput {
  batchId: string;
  asOf: string;
  sanctionsRef?: string;
  cases: Array<Pick<CaseInput, 'caseId' | 'applicant' | 'documents'>>;
  /** How many case workflows run at once. */
  maxConcurrentCases: number;
  policy?: Policy;
}

export type CaseRunState = 'pending' | 'processing' | 'completed' | 'failed';

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
  cases: BatchCaseSummary[];
}

export type BatchResult = BatchProgress;

export type CaseStage = 'extracting' | 'analysing' | 'validating' | 'deciding' | 'done';

export interface CaseProgressView {
  stage: CaseStage;
  documentsTotal: number;
  documentsDone: number;
}

export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');
export const caseProgressQuery = defineQuery<CaseProgressView>('caseProgress');
export type { CaseReport };
