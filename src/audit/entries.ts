/**
 * What goes into the audit trail, as pure functions: ids, codes, field names, model hashes, who and
 * when. Never a field value, a file name or free text (notes and reasons stay in the review
 * database, which erasure clears); the trail itself therefore never needs erasing.
 */
import type { CaseReport, DocumentReport } from '../domain/report.js';
import type { ReviewEvent } from '../review/types.js';
import type { AuditEntry } from './chain.js';

export const ENGINE_ACTOR = 'engine';

/** The engine's steps of one pipeline run: each document read and analysed, the checks, the decision. */
export function pipelineAuditEntries(options: {
  caseKey: string;
  round: number;
  at: string;
  report: Pick<CaseReport, 'documents' | 'checks' | 'decision' | 'reasons'>;
  policyVersion: number;
}): AuditEntry[] {
  const { caseKey, round, at, report } = options;
  const entries: Array<Omit<AuditEntry, 'entryId' | 'at' | 'actor'>> = [];
  for (const doc of report.documents) entries.push(...documentSteps(doc));
  entries.push({ action: 'checks.run', detail: { checks: report.checks.map((c) => ({ id: c.id, status: c.status })) } });
  entries.push({ action: 'case.decided', detail: { decision: report.decision, reasons: report.reasons, policyVersion: options.policyVersion, round } });
  return entries.map((e, i) => ({ entryId: `${caseKey}:run${round}:${i + 1}`, at, actor: ENGINE_ACTOR, ...e }));
}

function documentSteps(doc: DocumentReport): Array<Omit<AuditEntry, 'entryId' | 'at' | 'actor'>> {
  if (doc.errorCode) return [{ action: 'document.unreadable', detail: { documentId: doc.documentId, errorCode: doc.errorCode } }];
  return [
    {
      action: 'document.read',
      detail: { documentId: doc.documentId, pages: doc.pages.map((p) => ({ page: p.page, method: p.method, confidence: p.confidence })) },
    },
    {
      action: 'document.analysed',
      detail: {
        documentId: doc.documentId,
        type: doc.type,
        confidence: doc.confidence,
        fieldSources: Object.fromEntries(Object.entries(doc.evidence).map(([field, ev]) => [field, ev?.source])),
        model: doc.model ? { file: doc.model.file, sha256: doc.model.sha256, promptVersion: doc.model.promptVersion } : null,
      },
    },
  ];
}

/** Detail keys of review events that may hold free text (and so personal data). */
const FREE_TEXT = new Set(['text', 'reason']);

export function reviewEventToAudit(event: ReviewEvent): AuditEntry {
  const detail: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.detail ?? {})) {
    if (FREE_TEXT.has(key)) detail[`${key}Given`] = typeof value === 'string' && value.trim().length > 0;
    else detail[key] = value;
  }
  return {
    entryId: `review:${event.eventId}`,
    at: event.at,
    actor: event.actor,
    actorKeyId: event.actorKeyId,
    action: `review.${event.action}`,
    detail: { taskId: event.taskId, ...detail },
  };
}

/** A person (or integration) opened a document of the case. */
export function documentAccessEntry(options: { caseKey: string; documentId: string; actor: string; actorKeyId: string; at: string; what: 'file' | 'page'; page?: number; nonce: string }): AuditEntry {
  return {
    entryId: `access:${options.caseKey}:${options.nonce}`,
    at: options.at,
    actor: options.actor,
    actorKeyId: options.actorKeyId,
    action: 'document.accessed',
    detail: { documentId: options.documentId, what: options.what, ...(options.page ? { page: options.page } : {}) },
  };
}
