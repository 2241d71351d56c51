import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { headAfter, type AuditStore } from '../src/adapters/audit-db.js';
import type { AuditHead } from '../src/audit/chain.js';
import { pipelineAuditEntries } from '../src/audit/entries.js';
import { runChecks, type CheckDocument } from '../src/domain/checks.js';
import { decideCase, type CaseDecision, type Policy } from '../src/domain/decision.js';
import { IDENTITY_TYPES, PROOF_OF_ADDRESS_TYPES, type MrzSummary } from '../src/domain/documents.js';
import { DocumentNotFoundError } from '../src/domain/errors.js';
import type { DocumentStore } from '../src/domain/ports.js';
import type { Applicant, Check, DocumentReport } from '../src/domain/report.js';
import { parseSanctionsCsv, type SanctionsEntry } from '../src/domain/sanctions.js';
import { textKeyFor, type StoredText } from './extract-text.activities.js';
import { toFailure } from './to-failure.js';

export interface CaseChecksInput {
  applicant?: Applicant;
  documents: CheckDocument[];
  asOf: string;
  /** Store id of a targets.simple.csv list. */
  sanctionsRef?: string;
}

export interface ConcludeCaseInput {
  /** The case workflow's id: the key of its audit trail. */
  caseKey: string;
  caseId: string;
  batchId: string;
  /** 1 for the first run, then one more per round of requested documents. */
  round: number;
  applicant?: Applicant;
  documents: Array<DocumentReport & { mrz?: MrzSummary }>;
  asOf: string;
  sanctionsRef?: string;
  policy: Policy;
}

/** `auditHead`: the trail's head after this run's entries, kept by the case workflow (absent in old histories). */
export type ConcludeCaseResult = CaseDecision & { checks: Check[]; auditHead?: AuditHead };

/**
 * Attempts the checks and the decision get in `concludeCase` before the case fails, as
 * `runCaseChecks` had: they read nothing but the sanctions list, so an error that outlasts these
 * attempts is a defect to look at, not an outage to wait out. The audit write after them is retried
 * without a limit (the activity's retry policy), as the trail's other writes are.
 */
export const CONCLUDE_CHECK_ATTEMPTS = 5;

/**
 * The stored text of each proof of address and identity document, read here so the checks can
 * search it for the declared name and address: the text never travels through the workflow. A text
 * no longer in the store (erased) leaves the document to be judged on its extracted fields.
 */
async function withStoredText(store: DocumentStore, documents: Array<CheckDocument & { documentId?: string }>): Promise<CheckDocument[]> {
  return Promise.all(
    documents.map(async ({ documentId, ...doc }) => {
      if (!documentId || doc.error || !(PROOF_OF_ADDRESS_TYPES.includes(doc.type) || IDENTITY_TYPES.includes(doc.type))) return doc;
      try {
        const stored = await store.getJson<StoredText>(textKeyFor(documentId));
        return { ...doc, pages: stored.pages.map(({ page, text }) => ({ page, text })) };
      } catch (err) {
        if (err instanceof DocumentNotFoundError) return doc;
        throw err;
      }
    }),
  );
}

/** What the checks read of a report; the evidence carries the IBAN's verification (see `ibanVerdict`). */
function pick({ file, type, fields, evidence, mrz, error }: ConcludeCaseInput['documents'][number]): CheckDocument {
  return { file, type, fields, evidence, mrz, error };
}

export const checksActivities = (deps: { store: DocumentStore; auditStore: Pick<AuditStore, 'append'> }) => {
  // A list is parsed once per worker process, not once per case (real lists are large).
  const lists = new Map<string, Promise<SanctionsEntry[]>>();
  const loadList = (ref: string): Promise<SanctionsEntry[]> => {
    let list = lists.get(ref);
    if (!list) {
      list = deps.store.getDocument(ref).then((bytes) => parseSanctionsCsv(Buffer.from(bytes).toString('utf8')));
      list.catch(() => lists.delete(ref));
      if (lists.size >= 4) lists.delete(lists.keys().next().value!);
      lists.set(ref, list);
    }
    return list;
  };

  const checksOf = async (input: CaseChecksInput): Promise<Check[]> => {
    const sanctions = input.sanctionsRef ? await loadList(input.sanctionsRef) : undefined;
    return runChecks({ applicant: input.applicant, documents: input.documents, asOf: input.asOf, sanctions });
  };

  return {
    /** Every validation of the case: expiry, age, MRZ, names, addresses, recency, IBAN, sanctions. */
    async runCaseChecks(input: CaseChecksInput): Promise<Check[]> {
      try {
        return await checksOf(input);
      } catch (err) {
        throw toFailure(err);
      }
    },

    /**
     * A run's conclusion in one step: every check, the policy's decision, and the engine's steps
     * written to the case's audit trail before the decision is returned (idempotent by entry id, so
     * a retried attempt writes nothing twice). One activity instead of checks then audit saves each
     * case a workflow task and a dispatch.
     */
    async concludeCase(input: ConcludeCaseInput): Promise<ConcludeCaseResult> {
      let result: ConcludeCaseResult;
      let entries: ReturnType<typeof pipelineAuditEntries>;
      try {
        const checks = await checksOf({
          applicant: input.applicant,
          documents: await withStoredText(deps.store, input.documents.map((doc) => ({ ...pick(doc), documentId: doc.documentId }))),
          asOf: input.asOf,
          sanctionsRef: input.sanctionsRef,
        });
        const { decision, reasons, highRisk } = decideCase(checks, input.documents, input.policy);
        entries = pipelineAuditEntries({
          caseKey: input.caseKey,
          round: input.round,
          at: new Date().toISOString(),
          report: { documents: input.documents, checks, decision, reasons },
          policyVersion: input.policy.version,
        });
        result = { checks, decision, reasons, highRisk };
      } catch (err) {
        const failure = toFailure(err);
        const { attempt } = Context.current().info;
        if ((failure instanceof ApplicationFailure && failure.nonRetryable) || attempt < CONCLUDE_CHECK_ATTEMPTS) throw failure;
        throw ApplicationFailure.create({
          type: 'CHECKS_FAILED',
          message: `the case's checks failed on ${attempt} attempts`,
          nonRetryable: true,
          cause: err instanceof Error ? err : undefined,
        });
      }
      let auditHead: AuditHead | undefined;
      try {
        auditHead = headAfter(await deps.auditStore.append({ caseKey: input.caseKey, caseId: input.caseId, batchId: input.batchId }, entries));
      } catch (err) {
        throw toFailure(err);
      }
      return auditHead ? { ...result, auditHead } : result;
    },
  };
};
