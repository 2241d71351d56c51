import { ActivityFailure, ApplicationFailure, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { DocumentRef, MrzSummary } from '../src/domain/documents.js';
import { DOCUMENT_ERROR_CODES, type KycErrorCode } from '../src/domain/errors.js';
import { DEFAULT_POLICY, decideCase } from '../src/domain/decision.js';
import type { CaseReport, DocumentReport } from '../src/domain/report.js';
import { SEARCH_ATTRIBUTES } from '../src/temporal/names.js';
import { io, model, ocr } from './activities.js';
import { caseProgressQuery, type CaseInput, type CaseProgressView } from './messages.js';

/** One applicant: read every document, validate, decide, return the report. */
export async function processKycCase(input: CaseInput): Promise<CaseReport> {
  const progress: CaseProgressView = { stage: 'extracting', documentsTotal: input.documents.length, documentsDone: 0 };
  setHandler(caseProgressQuery, () => progress);
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.batchId, value: input.batchId },
    { key: SEARCH_ATTRIBUTES.caseId, value: input.caseId },
  ]);

  const documents = await Promise.all(
    input.documents.map(async (doc) => {
      const report = await processDocument(doc, input.asOf);
      progress.documentsDone += 1;
      return report;
    }),
  );

  progress.stage = 'validating';
  const checks = await io.runCaseChecks({
    applicant: input.applicant,
    documents: documents.map(({ file, type, fields, mrz, error }) => ({ file, type, fields, mrz, error })),
    asOf: input.asOf,
    sanctionsRef: input.sanctionsRef,
  });

  progress.stage = 'deciding';
  const { decision, reasons } = decideCase(checks, documents, input.policy ?? DEFAULT_POLICY);
  progress.stage = 'done';
  return {
    caseId: input.caseId,
    batchId: input.batchId,
    status: 'completed',
    decision,
    reasons,
    asOf: input.asOf,
    documents: documents.map(({ mrz: _mrz, ...report }) => report),
    checks,
  };
}

type WorkingReport = DocumentReport & { mrz?: MrzSummary };

/** Text, then type and fields. A bad document becomes a document error; the case goes on. */
async function processDocument(doc: DocumentRef, asOf: string): Promise<WorkingReport> {
  const base = { file: doc.fileName, documentId: doc.id };
  try {
    const text = await ocr.extractText(doc);
    const analysis = await model.analyseDocument({ doc, textKey: text.textKey, asOf });
    return {
      ...base,
      type: analysis.type,
      confidence: analysis.confidence,
      fields: analysis.fields,
      evidence: analysis.evidence,
      pages: text.pages,
      ...(analysis.model ? { model: analysis.model } : {}),
      ...(analysis.mrz ? { mrz: analysis.mrz } : {}),
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
