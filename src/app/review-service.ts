/**
 * Review seen from the interfaces: the inbox (read from the review database, instantly), and the
 * reviewers' actions (Temporal Updates on the case workflow, which validates and decides).
 */
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import sharp from 'sharp';
import { fileTypeFromBuffer } from 'file-type';
import type { DocumentRef } from '../domain/documents.js';
import { InvalidInputError, KycError } from '../domain/errors.js';
import type { PdfEngine } from '../domain/extraction-ports.js';
import type { DocumentStore } from '../domain/ports.js';
import { pgmHeader } from '../domain/pgm.js';
import type { CaseReport } from '../domain/report.js';
import type { DecideInput } from '../review/rules.js';
import { DEFAULT_ORG, REVIEW_QUEUES, principalOf, type Actor, type ReviewEvent, type ReviewStore, type ReviewTask, type Role, type TaskFilter, type TaskPage } from '../review/types.js';
import { mayWorkQueue } from '../review/rules.js';
import type { BatchRegistry } from '../adapters/tenancy-db.js';
import {
  addDocumentsUpdate,
  addNoteUpdate,
  claimUpdate,
  decideUpdate,
  reassignUpdate,
  releaseUpdate,
} from '../../workflows/messages.js';
import { submittedBytes, type SubmittedFile } from './service.js';
import type { CaseRegistry } from '../domain/erasure.js';
import type { AuditStore } from '../adapters/audit-db.js';
import { verifyChain, type AuditRecord, type ChainVerification } from '../audit/chain.js';
import { documentAccessEntry } from '../audit/entries.js';
import { caseWorkflowId } from '../temporal/names.js';
import { randomUUID } from 'node:crypto';

/** A reviewer action refused by the case workflow's validators, or by this service. */
export class ReviewActionError extends Error {
  override name = 'ReviewActionError';
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ReviewAction =
  | { kind: 'claim' }
  | { kind: 'release' }
  | { kind: 'reassign'; assignee: string }
  | { kind: 'decide'; decision: DecideInput }
  | { kind: 'note'; text: string };

export interface DocumentFile {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
}

export interface ReviewServiceOptions {
  client: Client;
  reviewStore: ReviewStore;
  store: DocumentStore;
  pdf: PdfEngine;
  /** The case registry: additional documents are recorded as held by the case (erasure, retention). */
  registry?: CaseRegistry;
  /** The hash-chained audit trail; document access is recorded there. */
  audit?: AuditStore;
  /** The case report as the API serves it (by case id). */
  getCase(caseId: string): Promise<CaseReport | { caseId: string; status: string } | undefined>;
  /** The report of the case of a given batch (the one a reviewer's task names). */
  getCaseInBatch?(batchId: string, caseId: string): Promise<CaseReport | { caseId: string; status: string } | undefined>;
  /** Batch owners: a submitter reaches only the tasks of their organisation's cases. */
  batches?: BatchRegistry;
}

const SEES_ALL: readonly Role[] = ['admin', 'auditor'];
const REVIEWING: readonly Role[] = ['reviewer', 'senior_reviewer'];

function seesAll(actor: Actor): boolean {
  return actor.roles.some((r) => SEES_ALL.includes(r));
}

/** The actor worked the task: holds it, approved it or decided it (by key, or as the same person). */
function actedOn(task: ReviewTask, actor: Actor): boolean {
  const isActor = (keyId: string, name: string): boolean => keyId === actor.keyId || (actor.person !== undefined && name === actor.name);
  return (
    (task.assigneeKeyId !== undefined && isActor(task.assigneeKeyId, task.assignee ?? '')) ||
    task.approvals.some((a) => isActor(a.keyId, a.by)) ||
    (task.final !== undefined && isActor(task.final.keyId, task.final.by))
  );
}

const PREVIEW_DPI = 110;
/** Claim next: candidates read per page, and claims tried before giving up. */
const CLAIM_NEXT_PAGE = 20;
const CLAIM_NEXT_ATTEMPTS = 5;

export class ReviewService {
  constructor(private readonly options: ReviewServiceOptions) {}

  /**
   * The inbox. With an actor who reviews but works only the standard queue (no senior, auditor or
   * admin role), only that queue: the senior queue's cases are not theirs to see.
   */
  async listTasks(filter: TaskFilter, actor?: Actor): Promise<TaskPage> {
    const standardOnly = actor !== undefined && !seesAll(actor) && !mayWorkQueue(actor, 'senior');
    if (standardOnly && filter.queue === 'senior') {
      return { tasks: [], total: 0, limit: Math.min(Math.max(filter.limit ?? 50, 1), 200), offset: filter.offset ?? 0 };
    }
    return this.options.reviewStore.listTasks(standardOnly ? { ...filter, queue: 'standard' } : filter);
  }

  /** The case's task with its history; with an actor, only when `visibleTask` lets them see it. */
  async getTask(caseId: string, actor?: Actor): Promise<{ task: ReviewTask; events: ReviewEvent[] } | undefined> {
    const task = actor ? await this.visibleTask(caseId, actor) : await this.options.reviewStore.latestTaskForCase(caseId);
    if (!task) return undefined;
    return { task, events: await this.options.reviewStore.listEvents(task.taskId) };
  }

  /**
   * The latest task of the case when the actor may see it and the case's documents: admins and
   * auditors always, reviewers when the task is in a queue they work or they worked it themselves.
   * A case that never went to review has no task: nobody reviewing sees it.
   */
  async visibleTask(caseId: string, actor: Actor): Promise<ReviewTask | undefined> {
    const task = await this.options.reviewStore.latestTaskForCase(caseId);
    if (!task) return undefined;
    if (seesAll(actor)) return task;
    if (!actor.roles.some((r) => REVIEWING.includes(r))) return undefined;
    return mayWorkQueue(actor, task.queue) || actedOn(task, actor) ? task : undefined;
  }

  /**
   * The task a submitter may send documents to: their organisation's case only. Reviewers and
   * admins send documents for the tasks they see.
   */
  private async taskForSender(caseId: string, actor: Actor): Promise<ReviewTask | undefined> {
    if (actor.roles.includes('admin')) return this.options.reviewStore.latestTaskForCase(caseId);
    if (actor.roles.includes('submitter')) {
      const org = actor.org ?? DEFAULT_ORG;
      const batches = this.options.batches;
      const own = batches
        ? await batches.latestTaskIdForCase(caseId, org, DEFAULT_ORG).then((id) => (id ? this.options.reviewStore.getTask(id) : undefined))
        : org === DEFAULT_ORG
          ? await this.options.reviewStore.latestTaskForCase(caseId)
          : undefined;
      if (own) return own;
    }
    return this.visibleTask(caseId, actor);
  }

  /**
   * Claim next: the highest-priority, earliest-due open task in a queue the actor works that they may
   * review (not their batch's, not one they already approved). The workflow stays the judge: a claim
   * it refuses (taken meanwhile) moves on to the next candidate, a few at most. Undefined when none.
   */
  async claimNext(actor: Actor): Promise<ReviewTask | undefined> {
    const queues = REVIEW_QUEUES.filter((q) => mayWorkQueue(actor, q));
    if (queues.length === 0) return undefined;
    const principal = principalOf(actor);
    const isMe = (id: string | undefined): boolean => id !== undefined && (id === actor.keyId || id === principal);
    const mayTake = (task: ReviewTask): boolean =>
      !isMe(task.submittedBy) && !task.approvals.some((a) => a.keyId === actor.keyId || (principal !== undefined && a.principal === principal));
    let attempts = 0;
    for (let offset = 0; attempts < CLAIM_NEXT_ATTEMPTS; offset += CLAIM_NEXT_PAGE) {
      const page = await this.options.reviewStore.listTasks({
        status: 'open',
        ...(queues.length === 1 ? { queue: queues[0] } : {}),
        order: 'priority',
        limit: CLAIM_NEXT_PAGE,
        offset,
      });
      for (const task of page.tasks.filter(mayTake)) {
        if (attempts++ >= CLAIM_NEXT_ATTEMPTS) break;
        try {
          return await this.actOn(task, actor, { kind: 'claim' });
        } catch (err) {
          // Taken or closed meanwhile, or refused by a rule this list cannot see: try the next one.
          if (!(err instanceof ReviewActionError) || (err.status !== 409 && err.status !== 403)) throw err;
        }
      }
      if (offset + CLAIM_NEXT_PAGE >= page.total) break;
    }
    return undefined;
  }

  /** Runs the action as an Update; the workflow's validator accepts or refuses it. */
  async act(caseId: string, actor: Actor, action: ReviewAction): Promise<ReviewTask> {
    return this.actOn(await this.requireTask(caseId), actor, action);
  }

  private async actOn(task: ReviewTask, actor: Actor, action: ReviewAction): Promise<ReviewTask> {
    const handle = this.options.client.workflow.getHandle(task.workflowId);
    try {
      switch (action.kind) {
        case 'claim':
          return await handle.executeUpdate(claimUpdate, { args: [actor] });
        case 'release':
          return await handle.executeUpdate(releaseUpdate, { args: [actor] });
        case 'reassign': {
          const to = (await this.options.reviewStore.listApiKeys()).find((k) => k.name === action.assignee && !k.revokedAt);
          if (!to) throw new ReviewActionError(422, 'UNKNOWN_ASSIGNEE', `no active key named ${action.assignee}`);
          return await handle.executeUpdate(reassignUpdate, {
            args: [actor, { keyId: to.keyId, name: to.name, roles: to.roles, org: to.org, person: to.person }],
          });
        }
        case 'decide':
          return await handle.executeUpdate(decideUpdate, { args: [actor, action.decision] });
        case 'note':
          return await handle.executeUpdate(addNoteUpdate, { args: [actor, { text: action.text }] });
      }
    } catch (err) {
      throw toActionError(err);
    }
  }

  /** The applicant's additional documents: stored, then delivered to the waiting case workflow. */
  async addDocuments(caseId: string, actor: Actor, files: SubmittedFile[]): Promise<ReviewTask> {
    if (files.length === 0) throw new InvalidInputError('no documents in the request');
    // Another organisation's case is answered like an unknown one, before anything is stored.
    const task = await this.taskForSender(caseId, actor);
    if (!task) throw new ReviewActionError(404, 'TASK_NOT_FOUND', `no review task for case ${caseId}`);
    if (task.status !== 'waiting_documents') {
      throw new ReviewActionError(409, 'REVIEW_CONFLICT', 'the case is not waiting for documents');
    }
    const refs: DocumentRef[] = [];
    for (const file of files) refs.push(await this.options.store.putDocument(await submittedBytes(file), file.fileName));
    await this.options.registry?.addCaseDocuments(task.workflowId, refs.map((r) => r.id));
    try {
      return await this.options.client.workflow.getHandle(task.workflowId).executeUpdate(addDocumentsUpdate, { args: [actor, refs] });
    } catch (err) {
      throw toActionError(err);
    }
  }

  /**
   * A document of the case, as submitted. Only documents the case's report lists are served, and
   * every access by a person is recorded in the case's audit trail.
   */
  async getDocument(caseId: string, documentId: string, actor?: Actor, page?: number): Promise<DocumentFile> {
    const report = await this.reportFor(caseId, actor, documentId);
    const doc = report && 'documents' in report ? report.documents.find((d) => d.documentId === documentId) : undefined;
    if (!doc) throw new ReviewActionError(404, 'DOCUMENT_NOT_FOUND', `no document ${documentId} in case ${caseId}`);
    if (actor && this.options.audit && report && 'batchId' in report) {
      const caseKey = caseWorkflowId(report.batchId, caseId);
      await this.options.audit.append({ caseKey, caseId, batchId: report.batchId }, [
        documentAccessEntry({
          caseKey,
          documentId,
          actor: actor.name,
          actorKeyId: actor.keyId,
          at: new Date().toISOString(),
          what: page ? 'page' : 'file',
          ...(page ? { page } : {}),
          nonce: randomUUID(),
        }),
      ]);
    }
    const bytes = await this.options.store.getDocument(documentId);
    const kind = await fileTypeFromBuffer(bytes);
    return { bytes, contentType: kind?.mime ?? 'application/octet-stream', fileName: doc.file };
  }

  /** The case's report as `actor` may see it: everyone's for admins and auditors, else through a visible task. */
  private async reportFor(caseId: string, actor: Actor | undefined, documentId: string): Promise<CaseReport | { caseId: string; status: string } | undefined> {
    if (!actor || seesAll(actor)) {
      // Several owners may use one case id: the case that holds the document is the one meant.
      const holder = (await this.options.registry?.findCasesById(caseId))?.find((c) => c.documentIds.includes(documentId));
      if (holder && this.options.getCaseInBatch) return this.options.getCaseInBatch(holder.batchId, caseId);
      return this.options.getCase(caseId);
    }
    const task = await this.visibleTask(caseId, actor);
    if (!task) return undefined;
    if (this.options.getCaseInBatch) return this.options.getCaseInBatch(task.batchId, caseId);
    const report = await this.options.getCase(caseId);
    return report && 'batchId' in report && report.batchId === task.batchId ? report : undefined;
  }

  /** One page of a PDF (or multi-page TIFF) rendered as PNG, for preview beside the extracted fields. */
  async renderPage(caseId: string, documentId: string, page: number, actor?: Actor): Promise<Uint8Array> {
    const file = await this.getDocument(caseId, documentId, actor, page);
    if (file.contentType === 'image/tiff') return this.renderTiffPage(file.bytes, page);
    if (file.contentType !== 'application/pdf') throw new ReviewActionError(422, 'NOT_PAGED', 'only PDF and TIFF documents have pages to render');
    const pdf = await this.options.pdf.open(file.bytes);
    try {
      if (!Number.isInteger(page) || page < 1 || page > pdf.pageCount) {
        throw new ReviewActionError(404, 'PAGE_NOT_FOUND', `the document has ${pdf.pageCount} page(s)`);
      }
      const p = await pdf.getPage(page);
      try {
        const { image, width, height } = await p.render(PREVIEW_DPI);
        const pixels = image.subarray(pgmHeader(width, height).length);
        return await sharp(pixels, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 6 }).toBuffer();
      } finally {
        p.release();
      }
    } finally {
      await pdf.close();
    }
  }

  private async renderTiffPage(bytes: Uint8Array, page: number): Promise<Uint8Array> {
    const { pages = 1 } = await sharp(bytes).metadata();
    if (!Number.isInteger(page) || page < 1 || page > pages) {
      throw new ReviewActionError(404, 'PAGE_NOT_FOUND', `the document has ${pages} page(s)`);
    }
    return sharp(bytes, { page: page - 1, limitInputPixels: 100_000_000 })
      .rotate()
      .resize({ width: 1400, height: 1800, fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 6 })
      .toBuffer();
  }

  /** The case's audit trail (its latest batch's), verified: every hash and link recomputed. */
  async auditTrail(caseId: string): Promise<{ caseKey: string; records: AuditRecord[]; verification: ChainVerification } | undefined> {
    if (!this.options.audit) return undefined;
    const [caseKey] = await this.options.audit.caseKeysFor(caseId);
    if (!caseKey) return undefined;
    const records = await this.options.audit.list(caseKey);
    return { caseKey, records, verification: verifyChain(records, this.options.audit.keys.chain) };
  }

  private async requireTask(caseId: string): Promise<ReviewTask> {
    const task = await this.options.reviewStore.latestTaskForCase(caseId);
    if (!task) throw new ReviewActionError(404, 'TASK_NOT_FOUND', `no review task for case ${caseId}`);
    return task;
  }
}

const RULE_STATUS: Record<string, 403 | 409 | 422> = {
  REVIEW_FORBIDDEN: 403,
  REVIEW_CONFLICT: 409,
  REVIEW_INVALID: 422,
};

function toActionError(err: unknown): Error {
  if (err instanceof ReviewActionError || err instanceof KycError) return err;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ?? '';
    const status = RULE_STATUS[type];
    if (status) return new ReviewActionError(status, type, err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ReviewActionError(409, 'REVIEW_CLOSED', 'the case workflow is closed: the review is over');
  }
  return err as Error;
}
