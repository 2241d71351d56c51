/**
 * Erasure of a case, on request (`DELETE /v1/cases/:caseId`, `kyc erase`) or by retention:
 * the case workflow (its history holds the report and the applicant's data) is stopped and deleted;
 * documents the case alone holds are crypto-shredded with their extracted text; corrections are
 * deleted and free text in review tasks and events blanked; a PII-free erasure record records what went,
 * when and by whom. Every step is idempotent: erasing twice, or again after a crash, is safe.
 *
 * Shared documents: documents are content-addressed, so two cases submitting the same file share
 * one stored document. The registry (review database) keeps a row per (case, document); a document
 * is destroyed only when no other live case holds it, otherwise only this case's row goes.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { AuditEntry } from '../audit/chain.js';
import type { AuditStore } from '../adapters/audit-db.js';
import { temporalCaseWorkflows } from '../adapters/temporal-case-workflows.js';
import type {
  CaseErasure,
  CaseRecord,
  CaseRegistry,
  CaseWorkflows,
  ErasureActor,
  ErasureCounts,
  ErasureReason,
  ErasureRecord,
  ErasureScope,
} from '../domain/erasure.js';
import type { DocumentStore } from '../domain/ports.js';
import type { CaseReport } from '../domain/report.js';
import { batchWorkflowId, caseWorkflowId, isValidIdPart } from '../temporal/names.js';
import { caseIndexKey, type CaseIndexEntry } from './case-index.js';
import { batchManifestKey, legacyBatchManifestKey, type BatchManifest } from './batch-manifest.js';
import type { BatchRegistry } from '../adapters/tenancy-db.js';
import { DEFAULT_ORG } from '../review/types.js';

/** The audit trail, when there is one: one entry appended to the case's chain. */
export type AuditSink = (target: { caseKey: string; caseId: string; batchId: string }, entry: AuditEntry) => Promise<void>;

/** The sink over the audit trail's store (src/adapters/audit-db.ts). */
export function auditSink(store: Pick<AuditStore, 'append'>): AuditSink {
  return async (target, entry) => {
    await store.append(target, [entry]);
  };
}

export interface ErasurePorts {
  store: DocumentStore;
  registry: CaseRegistry;
  workflows: CaseWorkflows;
  audit?: AuditSink;
  now?: () => Date;
}

/** The case cannot be erased now (it is queued in a running batch and has not started). */
export class ErasureConflictError extends Error {
  override name = 'ErasureConflictError';
  constructor(
    message: string,
    /** CASE_ID_AMBIGUOUS: the case id is used by several organisations and none was named. */
    readonly code: 'CASE_NOT_STARTED' | 'CASE_ID_AMBIGUOUS' = 'CASE_NOT_STARTED',
  ) {
    super(message);
  }
}

export interface CaseTarget {
  workflowId: string;
  caseId: string;
  batchId: string;
}

/** The extracted text of a document: the key `extractText` writes (activities/extract-text.activities.ts). */
export function extractedTextKey(documentId: string): string {
  return `text/${documentId}.json`;
}

/** What the erasure record keeps of a document id. */
export function erasedDocumentHash(documentId: string): string {
  return createHash('sha256').update(`kyc-erased-document:${documentId}`).digest('hex');
}

/**
 * Erases the whole case. `documentIds` adds documents the registry may not know (a case submitted
 * before the registry existed: its report lists them).
 */
export async function eraseCase(
  target: CaseTarget,
  options: { by: ErasureActor; reason: ErasureReason; documentIds?: string[] },
  ports: ErasurePorts,
): Promise<CaseErasure> {
  const at = (ports.now?.() ?? new Date()).toISOString();
  const before = await ports.registry.findCase(target.workflowId);
  if (before?.closedAt === undefined && (await ports.workflows.state(target.workflowId)) === undefined) {
    // Queued in a running batch: the batch would still start it from its manifest after the erasure.
    if ((await ports.workflows.state(batchWorkflowId(target.batchId)))?.status === 'running') {
      throw new ErasureConflictError(`case ${target.caseId} waits in its running batch and has not started yet; erase it once it has started`);
    }
  }
  const extra = (options.documentIds ?? []).filter((id) => !before?.documentIds.includes(id));
  if (!before) {
    await ports.registry.registerCase({ ...target, documentIds: extra, submittedAt: at });
  } else if (extra.length > 0) {
    await ports.registry.addCaseDocuments(target.workflowId, extra);
  }

  // The workflow first: a running case must not write new text after its documents are gone.
  const report = await ports.workflows.remove(target.workflowId);
  const documents = await eraseHeldDocuments(target.workflowId, ports);
  const review = await ports.registry.scrubReviewData(target);
  const batchHistory = await forgetInBatch(target, ports);
  await forgetCaseIndex(target, ports.store);

  const counts: ErasureCounts = {
    documents: documents.erased.length,
    documentsShared: documents.kept.length,
    texts: documents.texts,
    ...review,
    workflows: (report === 'deleted' ? 1 : 0) + (batchHistory === 'deleted' ? 1 : 0),
  };
  const result: CaseErasure = {
    ...target,
    alreadyErased: false,
    documentsErased: documents.erased,
    documentsKept: documents.kept,
    report,
    batchHistory,
    counts,
  };
  // Deleting a workflow again while Temporal is still deleting it is no news: workflows do not count here.
  const nothingLeft = Object.entries(counts).every(([what, n]) => what === 'workflows' || n === 0);
  if (before?.erasedAt !== undefined && nothingLeft) return { ...result, alreadyErased: true };

  // The erasure record before the mark: a crash in between repeats the erasure (and the record), never loses it.
  const erasureId = await recordErasure(target, { scope: 'case', reason: options.reason, by: options.by, at, documents, counts }, ports);
  await ports.registry.markErased(target.workflowId, at);
  return { ...result, erasureId };
}

/** Erases the documents of a case past document retention; the report stays. */
export async function eraseCaseDocuments(
  record: CaseRecord,
  options: { by: ErasureActor; reason: ErasureReason },
  ports: ErasurePorts,
): Promise<{ erased: string[]; kept: string[]; erasureId?: string }> {
  const at = (ports.now?.() ?? new Date()).toISOString();
  const documents = await eraseHeldDocuments(record.workflowId, ports);
  let erasureId: string | undefined;
  if (documents.erased.length + documents.kept.length > 0) {
    const counts: ErasureCounts = {
      documents: documents.erased.length,
      documentsShared: documents.kept.length,
      texts: documents.texts,
      corrections: 0,
      events: 0,
      tasks: 0,
      workflows: 0,
    };
    erasureId = await recordErasure(record, { scope: 'documents', reason: options.reason, by: options.by, at, documents, counts }, ports);
  }
  await ports.registry.markDocumentsErased(record.workflowId, at);
  return { erased: documents.erased, kept: documents.kept, ...(erasureId ? { erasureId } : {}) };
}

/**
 * Each document the case holds: destroyed (key first, then content, then its extracted text) unless
 * another live case holds it; then the case's reference goes. The reference is dropped last, so a
 * crash midway leaves it for the next attempt to finish.
 */
async function eraseHeldDocuments(workflowId: string, ports: ErasurePorts): Promise<{ erased: string[]; kept: string[]; texts: number }> {
  const held = (await ports.registry.findCase(workflowId))?.documentIds ?? [];
  const erased: string[] = [];
  const kept: string[] = [];
  let texts = 0;
  for (const documentId of held) {
    if ((await ports.registry.countOtherHolders(documentId, workflowId)) > 0) {
      kept.push(documentId);
    } else {
      await ports.store.deleteDocument(documentId);
      if (await ports.store.deleteJson(extractedTextKey(documentId))) texts += 1;
      erased.push(documentId);
    }
    await ports.registry.releaseDocument(workflowId, documentId);
  }
  return { erased, kept, texts };
}

/** The case index names the batch last submitted with the case id: it goes when that is the erased one. */
async function forgetCaseIndex(target: CaseTarget, store: DocumentStore): Promise<void> {
  const key = caseIndexKey(target.caseId);
  const entry = await store.getJson<CaseIndexEntry>(key).catch(() => undefined);
  if (entry?.batchId === target.batchId) await store.deleteJson(key);
}

/**
 * The batch keeps the case in two places: its manifest in the store (the applicant and the document
 * names, read by the batch workflow a page at a time) and its workflow history (those pages, and
 * the case inputs it started). The case's manifest entry is blanked in place (offsets stay, the
 * batch only reads ahead of what it started); the manifest and the batch workflow are deleted once
 * every case of the batch is erased and the batch has finished. Until then the batch history keeps
 * the applicant's data, encrypted by the payload codec ('kept').
 */
async function forgetInBatch(target: CaseTarget, ports: ErasurePorts): Promise<'deleted' | 'kept' | 'absent'> {
  const workflowId = batchWorkflowId(target.batchId);
  const state = await ports.workflows.state(workflowId);
  const cases = await ports.registry.casesOfBatch(target.batchId);
  const allErased = cases.length > 0 && cases.every((c) => c.workflowId === target.workflowId || c.erasedAt !== undefined);
  const finished = state === undefined || state.status === 'closed';
  // Batches accepted before ids were hashed into the key keep their manifest under the lower-cased id.
  const current = batchManifestKey(target.batchId);
  const hasCurrent = await ports.store.getJson(current).then(() => true, () => false);
  const manifestKey = hasCurrent ? current : legacyBatchManifestKey(target.batchId);
  if (allErased && finished) await ports.store.deleteJson(manifestKey);
  else await blankManifestEntry(manifestKey, target.caseId, ports.store);
  if (state === undefined) return 'absent';
  if (!allErased || !finished) return 'kept';
  return ports.workflows.remove(workflowId);
}

/** Replaces the case's entry by its bare id; re-read afterwards, since two erasures may race on one batch. */
async function blankManifestEntry(manifestKey: string, caseId: string, store: DocumentStore): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const manifest = await store.getJson<BatchManifest>(manifestKey).catch(() => undefined);
    const entry = manifest?.cases.find((c) => c.caseId === caseId);
    if (!manifest || !entry || (entry.applicant === undefined && entry.documents.length === 0)) return;
    await store.putJson(manifestKey, {
      ...manifest,
      cases: manifest.cases.map((c) => (c.caseId === caseId ? { caseId, documents: [] } : c)),
    } satisfies BatchManifest);
  }
  throw new Error(`the manifest of batch ${manifestKey} kept changing while the case was being erased`);
}

async function recordErasure(
  target: CaseTarget,
  what: { scope: ErasureScope; reason: ErasureReason; by: ErasureActor; at: string; documents: { erased: string[]; kept: string[] }; counts: ErasureCounts },
  ports: ErasurePorts,
): Promise<string> {
  const record: ErasureRecord = {
    erasureId: randomUUID(),
    caseId: target.caseId,
    batchId: target.batchId,
    workflowId: target.workflowId,
    scope: what.scope,
    reason: what.reason,
    at: what.at,
    by: what.by.name,
    ...(what.by.keyId ? { byKeyId: what.by.keyId } : {}),
    documentHashes: { erased: what.documents.erased.map(erasedDocumentHash), kept: what.documents.kept.map(erasedDocumentHash) },
    counts: what.counts,
  };
  await ports.registry.recordErasure(record);
  await ports.audit?.(
    { caseKey: target.workflowId, caseId: target.caseId, batchId: target.batchId },
    {
      entryId: `erasure:${record.erasureId}`,
      at: record.at,
      actor: record.by,
      ...(record.byKeyId ? { actorKeyId: record.byKeyId } : {}),
      action: what.scope === 'case' ? 'case.erased' : 'documents.erased',
      detail: { erasureId: record.erasureId, reason: record.reason, counts: record.counts, documentHashes: record.documentHashes },
    },
  );
  return record.erasureId;
}

// ---------------------------------------------------------------------------------------------
// The service the API and the CLI use

export interface ErasureSummary {
  caseId: string;
  /** One entry per case workflow erased (a case id submitted in several batches has several). */
  cases: CaseErasure[];
}

export interface ErasureServiceOptions {
  client: Client;
  store: DocumentStore;
  registry: CaseRegistry;
  audit?: AuditSink;
  /** The report as it stands (to find documents of cases submitted before the registry). */
  getCaseInBatch?: (batchId: string, caseId: string) => Promise<CaseReport | { caseId: string; status: string } | undefined>;
  workflows?: CaseWorkflows;
  /** Batch owners: a case id several organisations use is erased for the one named only. */
  batches?: Pick<BatchRegistry, 'findBatch'>;
}

export class ErasureService {
  private readonly ports: ErasurePorts;

  constructor(private readonly options: ErasureServiceOptions) {
    this.ports = {
      store: options.store,
      registry: options.registry,
      workflows: options.workflows ?? temporalCaseWorkflows(options.client),
      ...(options.audit ? { audit: options.audit } : {}),
    };
  }

  /**
   * Erases the case in the given batch, or without a batch every case submitted under that id.
   * undefined when no such case is known (never submitted).
   */
  async erase(request: { caseId: string; batchId?: string; by: ErasureActor; org?: string }): Promise<ErasureSummary | undefined> {
    const { caseId } = request;
    if (!isValidIdPart(caseId) || (request.batchId !== undefined && !isValidIdPart(request.batchId))) return undefined;
    const index = await this.options.store.getJson<CaseIndexEntry>(caseIndexKey(caseId)).catch(() => undefined);
    const batchIds = new Set<string>();
    if (request.batchId !== undefined) batchIds.add(request.batchId);
    else {
      for (const record of await this.options.registry.findCasesById(caseId)) batchIds.add(record.batchId);
      if (index) batchIds.add(index.batchId);
    }
    await this.keepOwner(batchIds, caseId, request.org);

    const cases: CaseErasure[] = [];
    for (const batchId of batchIds) {
      const workflowId = caseWorkflowId(batchId, caseId);
      const known = (await this.options.registry.findCase(workflowId)) !== undefined || (await this.ports.workflows.state(workflowId)) !== undefined;
      if (!known) continue;
      const documentIds = await this.reportedDocuments(batchId, caseId);
      cases.push(await eraseCase({ workflowId, caseId, batchId }, { by: request.by, reason: 'request', documentIds }, this.ports));
    }
    if (cases.length === 0) return undefined;
    return { caseId, cases };
  }

  /**
   * Narrows the batches to the named organisation's. Without a name, a case id that several
   * organisations use is refused: one applicant's erasure request never erases another client's case.
   */
  private async keepOwner(batchIds: Set<string>, caseId: string, org: string | undefined): Promise<void> {
    const batches = this.options.batches;
    if (!batches) return;
    const owners = new Map<string, string>();
    for (const batchId of batchIds) owners.set(batchId, (await batches.findBatch(batchId))?.ownerOrg ?? DEFAULT_ORG);
    if (org !== undefined) {
      for (const [batchId, owner] of owners) if (owner !== org) batchIds.delete(batchId);
      return;
    }
    if (new Set(owners.values()).size > 1) {
      throw new ErasureConflictError(
        `case id ${caseId} is used by several organisations: name the organisation (?org=) or erase the case of one batch`,
        'CASE_ID_AMBIGUOUS',
      );
    }
  }

  private async reportedDocuments(batchId: string, caseId: string): Promise<string[]> {
    const report = await this.options.getCaseInBatch?.(batchId, caseId).catch(() => undefined);
    return report && 'documents' in report ? report.documents.map((d) => d.documentId) : [];
  }
}
