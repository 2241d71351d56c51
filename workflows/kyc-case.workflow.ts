import {
  ActivityFailure,
  ApplicationFailure,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DocumentRef, MrzSummary } from '../src/domain/documents.js';
import { DOCUMENT_ERROR_CODES, type KycErrorCode } from '../src/domain/errors.js';
import { DEFAULT_POLICY, decideCase, type Policy } from '../src/domain/decision.js';
import type { CaseReport, DocumentReport } from '../src/domain/report.js';
import type { ConcludeCaseResult } from '../activities/checks.activities.js';
import { inQualityControlSample } from '../src/review/policy.js';
import { SEARCH_ATTRIBUTES } from '../src/temporal/names.js';
import { pipelineAuditEntries } from '../src/audit/entries.js';
import type { AuditHead } from '../src/audit/chain.js';
import { conclude, inbox, io, model, notify, ocr } from './activities.js';
import {
  caseOutcomeSignal,
  caseProgressQuery,
  caseStateQuery,
  type CaseInput,
  type CaseOutcome,
  type CaseProgressView,
} from './messages.js';
import { runReview } from './review.js';
import { corroborateMrzValues } from './corroboration.js';
import { unverifiedMrzFields } from '../src/domain/corroboration.js';

/** What a pipeline run produced: the report (without people) and what review needs to know. */
export interface PipelineRun {
  report: CaseReport;
  highRisk: boolean;
  /** documentId → key of its extracted text in the store (for correction records). */
  textKeys: Record<string, string>;
  /** The audit trail's head after this run's entries (absent in histories from before heads). */
  auditHead?: AuditHead;
}

/**
 * One applicant: read every document, validate, decide. A `review` decision opens a human task
 * and the workflow waits for people (Updates) as long as it takes; the report is returned when
 * the case is finally decided, and delivered to the webhook.
 */
export async function processKycCase(input: CaseInput): Promise<CaseReport> {
  const policy = input.policy ?? DEFAULT_POLICY;
  const progress: CaseProgressView = { stage: 'extracting', documentsTotal: input.documents.length, documentsDone: 0 };
  let current: CaseReport | undefined;
  // The audit trail's head as this workflow's own appends left it: a copy outside the review
  // database (src/audit/verify.ts). Kept from activity results only, so no new commands: no patch.
  let auditHead: AuditHead | undefined;
  const keepHead = (head: AuditHead | undefined): void => {
    if (head && (!auditHead || head.count > auditHead.count)) auditHead = head;
  };
  setHandler(caseProgressQuery, () => progress);
  setHandler(caseStateQuery, () => ({ progress, ...(current ? { report: current } : {}), ...(auditHead ? { auditHead } : {}) }));
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.batchId, value: input.batchId },
    { key: SEARCH_ATTRIBUTES.caseId, value: input.caseId },
  ]);

  const run = await runPipeline(input, input.documents, progress, policy, 1);
  keepHead(run.auditHead);
  const automatic = run.report.decision;
  if (automatic === 'approved' && inQualityControlSample(input.caseId, policy.review.qualityControlSampleRate)) {
    run.report = { ...run.report, decision: 'review', reasons: ['quality_control_sample'] };
  }
  current = { ...run.report, automaticDecision: automatic };

  if (current.decision !== 'review') {
    current = { ...current, decidedBy: 'engine', decidedAt: new Date().toISOString() };
    await tellParent({ caseId: input.caseId, status: 'completed', decision: current.decision, pages: pageCount(current) });
  } else {
    progress.stage = 'review';
    current = { ...current, status: 'awaiting_review' };
    await tellParent({ caseId: input.caseId, status: 'awaiting_review', decision: 'review', pages: pageCount(current) });
    current = await runReview({
      input,
      policy,
      first: run,
      automaticDecision: automatic,
      onReport: (report) => {
        current = report;
      },
      rerun: async (documents, round) => {
        const rerun = await runPipeline(input, documents, progress, policy, round);
        keepHead(rerun.auditHead);
        return rerun;
      },
      onAuditHead: keepHead,
    });
  }
  progress.stage = 'done';
  await deliverDecision(current);
  return auditHead ? { ...current, auditHead } : current;
}

/** Extraction, analysis, checks and the policy decision over the given documents. */
async function runPipeline(input: CaseInput, docs: DocumentRef[], progress: CaseProgressView, policy: Policy, round: number): Promise<PipelineRun> {
  progress.stage = 'extracting';
  progress.documentsTotal = docs.length;
  progress.documentsDone = 0;
  const textKeys: Record<string, string> = {};
  const documents = await Promise.all(
    docs.map(async (doc) => {
      const report = await processDocument(doc, input, textKeys);
      progress.documentsDone += 1;
      return report;
    }),
  );

  progress.stage = 'validating';
  const caseKey = workflowInfo().workflowId;
  const { checks, decision, reasons, highRisk, auditHead } = patched(CONCLUDE_IN_ONE_ACTIVITY)
    ? await conclude.concludeCase({
        caseKey,
        caseId: input.caseId,
        batchId: input.batchId,
        round,
        applicant: input.applicant,
        documents,
        asOf: input.asOf,
        sanctionsRef: input.sanctionsRef,
        policy,
      })
    : await checksThenAudit(input, documents, policy, caseKey, round, progress);
  return {
    report: {
      caseId: input.caseId,
      batchId: input.batchId,
      status: 'completed',
      decision,
      reasons,
      asOf: input.asOf,
      documents: documents.map(({ mrz, ...report }) => (mrz?.fieldStatus ? { ...report, mrzFieldStatus: mrz.fieldStatus } : report)),
      checks,
      // The declaration beside what was found, for the reviewer (already in this history's input; no new command).
      ...(input.applicant ? { applicant: input.applicant } : {}),
    },
    highRisk,
    textKeys,
    ...(auditHead ? { auditHead } : {}),
  };
}

type WorkingReport = DocumentReport & { mrz?: MrzSummary };

/**
 * Cases started before concludeCase existed ran the checks, decided here, then recorded the audit:
 * two activities where there is now one. Their histories replay through this path.
 */
const CONCLUDE_IN_ONE_ACTIVITY = 'conclude-in-one-activity';

async function checksThenAudit(
  input: CaseInput,
  documents: WorkingReport[],
  policy: Policy,
  caseKey: string,
  round: number,
  progress: CaseProgressView,
): Promise<ConcludeCaseResult> {
  const checks = await io.runCaseChecks({
    applicant: input.applicant,
    documents: documents.map(({ file, type, fields, mrz, error }) => ({ file, type, fields, mrz, error })),
    asOf: input.asOf,
    sanctionsRef: input.sanctionsRef,
  });
  progress.stage = 'deciding';
  const { decision, reasons, highRisk } = decideCase(checks, documents, policy);
  const auditHead = await inbox.recordAudit({
    caseKey,
    caseId: input.caseId,
    batchId: input.batchId,
    entries: pipelineAuditEntries({ caseKey, round, at: new Date().toISOString(), report: { documents, checks, decision, reasons }, policyVersion: policy.version }),
  });
  return { checks, decision, reasons, highRisk, ...(auditHead ? { auditHead } : {}) };
}

/**
 * Cases started before MRZ corroboration existed read each document once; their histories replay
 * without the reading steps. (Only documents with an unverified MRZ value ask.)
 */
const MRZ_CORROBORATION = 'mrz-corroboration';

/** Text, then type and fields, then corroboration of unverified MRZ values. A bad document becomes a document error; the case goes on. */
async function processDocument(doc: DocumentRef, input: CaseInput, textKeys: Record<string, string>): Promise<WorkingReport> {
  const { asOf } = input;
  const base = { file: doc.fileName, documentId: doc.id };
  try {
    const text = await ocr.extractText(doc, { asOf });
    textKeys[doc.id] = text.textKey;
    // The OCR worker finishes a document rules settle; the others go to the model's queue. (Histories
    // from before it did have no `analysis` in their results and replay through the model queue.)
    const analysis = text.analysis ?? (await model.analyseDocument({ doc, textKey: text.textKey, asOf }));
    const corroborated =
      analysis.mrz && unverifiedMrzFields(analysis.mrz).length > 0 && patched(MRZ_CORROBORATION)
        ? await corroborateMrzValues({ doc, textKey: text.textKey, asOf, mrz: analysis.mrz, ...(input.corroboration ? { budget: input.corroboration } : {}) })
        : undefined;
    const mrz = corroborated?.mrz ?? analysis.mrz;
    return {
      ...base,
      type: analysis.type,
      confidence: analysis.confidence,
      // MRZ values a corroboration step put right (a failed value the printed visual zone settled).
      fields: corroborated ? { ...analysis.fields, ...corroborated.fields } : analysis.fields,
      evidence: analysis.evidence,
      pages: text.pages,
      // Pages that failed while the others read (absent from older results): listed, and the case reviews.
      ...(text.pageErrors ? { pageErrors: text.pageErrors } : {}),
      ...(analysis.model ? { model: analysis.model } : {}),
      ...(mrz ? { mrz } : {}),
      ...(corroborated ? { corroboration: corroborated.report } : {}),
    };
  } catch (err) {
    const code = documentErrorCode(err);
    if (code === undefined) throw err;
    return {
      ...base,
      type: 'unknown',
      confidence: 0,
      fields: {},
      evidence: {},
      pages: [],
      error: describeFailure(err),
      errorCode: code,
    };
  }
}

function pageCount(report: CaseReport): number {
  return report.documents.reduce((n, d) => n + d.pages.length, 0);
}

/** The batch waits for each case's automatic outcome only, not for people. */
async function tellParent(outcome: CaseOutcome): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId).signal(caseOutcomeSignal, outcome);
  } catch {
    // The batch has already closed (e.g. the case was re-run after request_documents): nothing to tell.
  }
}

/** The decision to the bank's webhook, retried durably; a delivery given up on is not a case failure. */
async function deliverDecision(report: CaseReport): Promise<void> {
  try {
    await notify.deliverWebhook({
      event: 'case.decided',
      caseId: report.caseId,
      batchId: report.batchId,
      decision: report.decision,
      reasons: report.reasons,
      ...(report.automaticDecision ? { automaticDecision: report.automaticDecision } : {}),
      decidedBy: report.decidedBy ?? 'engine',
      decidedAt: report.decidedAt ?? new Date().toISOString(),
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
  }
}

/**
 * The error code when an activity gave up on the document: its own code for a bad document
 * (non-retryable), `PROCESSING_FAILED` when retries ran out. Anything else is a bug: rethrown.
 */
function documentErrorCode(err: unknown): string | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type && DOCUMENT_ERROR_CODES.includes(cause.type as KycErrorCode)) {
    return cause.type;
  }
  return 'PROCESSING_FAILED';
}

function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause?.message || 'the document could not be processed';
}
