/**
 * The API's shapes as the page sees them. Shared types come from the engine's own sources
 * (type-only imports: nothing of the server ends up in the bundle).
 */
import type { BatchStatus, CaseProgress } from '../../src/app/service.js';
import type { Applicant, CaseReport, Check, CheckComparison, DocumentReport, SanctionsMatchDetail } from '../../src/domain/report.js';
import type { FieldName } from '../../src/domain/documents.js';
import type {
  ReviewDecision,
  ReviewEvent,
  ReviewQueue,
  ReviewTask,
  Role,
  TaskPage,
  TaskStatus,
} from '../../src/review/types.js';

export type {
  Applicant,
  BatchStatus,
  CaseProgress,
  CaseReport,
  Check,
  CheckComparison,
  DocumentReport,
  SanctionsMatchDetail,
  FieldName,
  ReviewDecision,
  ReviewEvent,
  ReviewQueue,
  ReviewTask,
  Role,
  TaskPage,
  TaskStatus,
};

/** `GET /v1/me`. */
export interface Me {
  keyId: string;
  name: string;
  roles: Role[];
}

/** `GET /v1/cases/:caseId` while the case is under review carries its task. */
export type CaseReportWithReview = CaseReport & { review?: ReviewTask };

/** `GET /v1/cases/:caseId`: the report when done, the progress while running (202) or after a failure. */
export type CaseResponse = CaseReportWithReview | CaseProgress;

/** `GET /v1/review/tasks/:caseId`. */
export interface TaskWithEvents {
  task: ReviewTask;
  events: ReviewEvent[];
}

/** `POST /v1/batches` (202, or 200 for a resubmission). */
export interface BatchAccepted {
  batchId: string;
  caseIds: string[];
  existing: boolean;
}

export interface FieldCorrectionDraft {
  documentId: string;
  field: FieldName;
  value: string;
}

export function isCaseReport(body: CaseResponse): body is CaseReportWithReview {
  return 'documents' in body && 'checks' in body;
}
