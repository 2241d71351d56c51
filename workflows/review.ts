/**
 * The human part of a case workflow: the task, reviewers' Updates, deadlines, four-eyes and
 * `request_documents`. The rules themselves are pure functions in src/review/rules.ts; this file
 * holds the state, the durable timers and the projection of the task into the inbox database.
 */
import { allHandlersFinished, ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DocumentRef } from '../src/domain/documents.js';
import type { Policy } from '../src/domain/decision.js';
import type { CaseReport, Decision, DocumentReport } from '../src/domain/report.js';
import {
  checksAfterCorrections,
  claimed,
  escalated,
  failedCheckIds,
  isSenior,
  newTask,
  released,
  ReviewRuleError,
  TaskLedger,
  validateAddDocuments,
  validateClaim,
  validateDecide,
  validateNote,
  validateReassign,
  validateRelease,
  type DecideInput,
} from '../src/review/rules.js';
import type { Actor, CorrectionRecord, ReviewTask } from '../src/review/types.js';
import { SYSTEM_ACTOR } from '../src/review/types.js';
import { inbox, io } from './activities.js';
import type { PipelineRun } from './kyc-case.workflow.js';
import {
  addDocumentsUpdate,
  addNoteUpdate,
  claimUpdate,
  decideUpdate,
  reassignUpdate,
  releaseUpdate,
  type CaseInput,
} from './messages.js';

export interface ReviewOptions {
  input: CaseInput;
  policy: Policy;
  first: PipelineRun;
  /** The engine's own first decision (before quality-control sampling). */
  automaticDecision: Decision;
  /** Called whenever the report (task state, corrections, checks) changes. */
  onReport(report: CaseReport): void;
  /** Runs the pipeline again over the given documents, as the given review round. */
  rerun(documents: DocumentRef[], round: number): Promise<PipelineRun>;
  /** The audit trail's head after people's actions were appended (see CaseReport.auditHead). */
  onAuditHead?(head: { count: number; mac: string }): void;
}

/** Waits for people; returns the finally decided report. */
export async function runReview(options: ReviewOptions): Promise<CaseReport> {
  const { input, policy } = options;
  let run = options.first;
  let documents = [...input.documents];
  let round = 1;
  let assigneeSenior = false;
  let arrived: DocumentRef[] | undefined;
  /** Grows whenever the deadline changes, so that timers waiting on the old one stop. */
  let deadlineGeneration = 0;

  const open = (highRisk: boolean, reasons: string[]): TaskLedger => {
    const ledger = new TaskLedger(
      newTask({
        workflowId: workflowInfo().workflowId,
        caseId: input.caseId,
        batchId: input.batchId,
        round,
        reasons,
        highRisk,
        ...(input.submittedBy ? { submittedBy: input.submittedBy } : {}),
        now: new Date(),
        policy: policy.review,
      }),
    );
    ledger.record(SYSTEM_ACTOR, 'opened', new Date(), { queue: ledger.task.queue, reasons });
    return ledger;
  };
  let ledger = open(run.highRisk, run.report.reasons);

  const publish = (): void => {
    const task = ledger.task;
    const final = task.final;
    const decided = final && final.decision !== 'request_documents';
    options.onReport({
      ...run.report,
      automaticDecision: options.automaticDecision,
      status: decided ? 'completed' : 'awaiting_review',
      decision: decided ? (final.decision === 'approve' ? 'approved' : 'rejected') : 'review',
      review: task,
      ...(decided ? { decidedBy: final.by, decidedAt: final.at } : {}),
    });
  };
  /** Writes the task and its new events to the inbox database (idempotent, version-ordered). */
  const project = async (): Promise<ReviewTask> => {
    const task = ledger.task;
    publish();
    const head = await inbox.projectReview({ task, events: ledger.drain() });
    if (head) options.onAuditHead?.(head);
    return task;
  };

  setHandler(
    claimUpdate,
    async (actor) => {
      ledger.task = claimed(ledger.task, actor);
      assigneeSenior = isSenior(actor);
      ledger.record(actor, 'claimed', new Date());
      return project();
    },
    { validator: (actor) => guard(() => validateClaim(ledger.task, actor)) },
  );
  setHandler(
    releaseUpdate,
    async (actor) => {
      ledger.task = released(ledger.task);
      ledger.record(actor, 'released', new Date());
      return project();
    },
    { validator: (actor) => guard(() => validateRelease(ledger.task, actor)) },
  );
  setHandler(
    reassignUpdate,
    async (actor, to) => {
      const from = ledger.task.assignee;
      ledger.task = claimed(ledger.task, to);
      assigneeSenior = isSenior(to);
      ledger.record(actor, 'reassigned', new Date(), { from: from ?? null, to: to.name });
      return project();
    },
    { validator: (actor, to) => guard(() => validateReassign(ledger.task, actor, to)) },
  );
  setHandler(
    addNoteUpdate,
    async (actor, { text }) => {
      ledger.record(actor, 'note', new Date(), { text });
      return project();
    },
    { validator: (actor, note) => guard(() => validateNote(ledger.task, actor, note?.text)) },
  );
  setHandler(
    decideUpdate,
    async (actor, decision) => {
      if (decision.corrections?.length) await applyCorrections(actor, decision);
      const now = new Date();
      const task = ledger.task;
      // An approval over failed checks is a person's explicit decision: the event names what it overrides.
      const overrides = decision.decision === 'approve' ? failedCheckIds(run.report.checks) : [];
      const overriding = overrides.length > 0 ? { overridesFailedChecks: overrides } : {};
      if (decision.decision === 'approve' && task.fourEyes && task.approvals.length === 0) {
        const approval = { by: actor.name, keyId: actor.keyId, senior: isSenior(actor), at: now.toISOString(), reason: decision.reason };
        // The second approver: anyone else when the first was senior, otherwise a senior reviewer.
        ledger.task = { ...released(task), approvals: [approval], queue: approval.senior ? 'standard' : 'senior' };
        ledger.record(actor, 'first_approval', now, { reason: decision.reason, next: ledger.task.queue, ...overriding });
        return project();
      }
      const final = { decision: decision.decision, by: actor.name, keyId: actor.keyId, at: now.toISOString(), reason: decision.reason };
      if (decision.decision === 'request_documents') {
        ledger.task = { ...released(task), status: 'waiting_documents', final };
        ledger.record(actor, 'documents_requested', now, { reason: decision.reason });
        deadlineGeneration += 1;
        return project();
      }
      const approvals =
        decision.decision === 'approve' && task.fourEyes
          ? [...task.approvals, { by: actor.name, keyId: actor.keyId, senior: isSenior(actor), at: now.toISOString(), reason: decision.reason }]
          : task.approvals;
      ledger.task = { ...task, status: 'completed', approvals, final };
      ledger.record(actor, decision.decision === 'approve' ? 'approved' : 'rejected', now, { reason: decision.reason, ...overriding });
      deadlineGeneration += 1;
      return project();
    },
    { validator: (actor, decision) => guard(() => validateDecide(ledger.task, actor, decision, run.report.documents.map((d) => d.documentId))) },
  );
  setHandler(
    addDocumentsUpdate,
    async (actor, refs) => {
      arrived = [...(arrived ?? []), ...refs];
      ledger.record(actor, 'documents_received', new Date(), { documents: refs.length });
      return project();
    },
    { validator: (actor, refs) => guard(() => validateAddDocuments(ledger.task, actor, refs?.length ?? 0)) },
  );

  /**
   * Reviewer's corrected values: into the report (source `reviewer`), kept as labelled examples,
   * checks re-run on them. A verdict the re-run cannot reach (the MRZ checks) stays as it was.
   */
  async function applyCorrections(actor: Actor, decision: DecideInput): Promise<void> {
    const at = new Date().toISOString();
    const records: CorrectionRecord[] = [];
    const docs: DocumentReport[] = run.report.documents.map((doc) => {
      const mine = (decision.corrections ?? []).filter((c) => c.documentId === doc.documentId);
      if (mine.length === 0) return doc;
      const fields = { ...doc.fields };
      const evidence = { ...doc.evidence };
      for (const c of mine) {
        const previous = doc.fields[c.field];
        const before = doc.evidence[c.field];
        records.push({
          correctionId: `${ledger.task.taskId}:${doc.documentId}:${c.field}:${ledger.task.version}`,
          caseId: input.caseId,
          batchId: input.batchId,
          documentId: doc.documentId,
          file: doc.file,
          documentType: doc.type,
          ...(run.textKeys[doc.documentId] ? { textKey: run.textKeys[doc.documentId] } : {}),
          field: c.field,
          ...(previous !== undefined ? { extracted: previous } : {}),
          ...(before ? { extractedSource: before.source } : {}),
          corrected: c.value,
          ...(doc.model ? { model: doc.model } : {}),
          reviewer: actor.name,
          reviewerKeyId: actor.keyId,
          at,
        });
        fields[c.field] = c.value;
        evidence[c.field] = { source: 'reviewer', correctedBy: actor.name, ...(previous !== undefined ? { previous } : {}) };
      }
      return { ...doc, fields, evidence };
    });
    ledger.record(actor, 'corrected', new Date(), {
      fields: (decision.corrections ?? []).map((c) => ({ documentId: c.documentId, field: c.field })),
    });
    const rerun = await io.runCaseChecks({
      applicant: input.applicant,
      // The IBAN's verification (not its text) goes along: without it iban_valid would judge an
      // unverified OCR reading as given and fail it.
      documents: docs.map(({ file, type, fields, evidence, error }) => ({
        file, type, fields, error,
        ...(evidence.iban ? { evidence: { iban: { source: evidence.iban.source, ...(evidence.iban.verification ? { verification: evidence.iban.verification } : {}) } } } : {}),
      })),
      asOf: input.asOf,
      sanctionsRef: input.sanctionsRef,
    });
    run = { ...run, report: { ...run.report, documents: docs, checks: checksAfterCorrections(run.report.checks, rerun) } };
    await inbox.recordCorrections(records);
  }

  await project();
  // Reminder and escalation run beside the reviewers' actions, on durable timers.
  let reminded = false;
  let breached = false;
  for (;;) {
    const task = ledger.task;
    if (task.status === 'completed') break;
    if (task.status === 'waiting_documents') {
      await condition(() => arrived !== undefined);
      documents = [...documents, ...arrived!];
      arrived = undefined;
      round += 1;
      run = await options.rerun(documents, round);
      reminded = false;
      breached = false;
      deadlineGeneration += 1;
      if (run.report.decision !== 'review') {
        // The new documents settled it: the engine decides, as for any case.
        ledger.task = { ...ledger.task, status: 'completed', final: { decision: run.report.decision === 'approved' ? 'approve' : 'reject', by: 'engine', keyId: SYSTEM_ACTOR.keyId, at: new Date().toISOString(), reason: 'decided automatically on the new documents' } };
        ledger.record(SYSTEM_ACTOR, run.report.decision === 'approved' ? 'approved' : 'rejected', new Date(), { automatic: true });
        await project();
        break;
      }
      ledger = open(run.highRisk, run.report.reasons);
      await project();
      continue;
    }
    const generation = deadlineGeneration;
    const next = !reminded ? Date.parse(task.followUpAt) : !breached ? Date.parse(task.dueAt) : undefined;
    const changed = () => deadlineGeneration !== generation || ledger.task.status === 'completed' || ledger.task.status === 'waiting_documents';
    if (next === undefined) {
      await condition(changed);
      continue;
    }
    const fired = !(await condition(changed, Math.max(1, next - Date.now())));
    if (!fired) continue;
    if (!reminded) {
      reminded = true;
      ledger.record(SYSTEM_ACTOR, 'reminder', new Date(), { dueAt: task.dueAt });
      await project();
      continue;
    }
    if (task.queue === 'standard') {
      ledger.task = escalated(task, new Date(), policy.review, assigneeSenior);
      if (ledger.task.status === 'open') assigneeSenior = false;
      ledger.record(SYSTEM_ACTOR, 'escalated', new Date(), { from: 'standard', to: 'senior' });
      reminded = false;
      deadlineGeneration += 1;
    } else {
      breached = true;
      ledger.task = { ...task, priority: 'high', escalatedAt: new Date().toISOString() };
      ledger.record(SYSTEM_ACTOR, 'escalated', new Date(), { queue: 'senior', overdue: true });
    }
    await project();
  }
  await condition(allHandlersFinished);
  publish();
  const final = ledger.task.final!;
  return {
    ...run.report,
    automaticDecision: options.automaticDecision,
    status: 'completed',
    decision: final.decision === 'approve' ? 'approved' : 'rejected',
    review: ledger.task,
    decidedBy: final.by,
    decidedAt: final.at,
  };
}

/** A refused action reaches the client as an ApplicationFailure typed REVIEW_<code>. */
function guard(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof ReviewRuleError) {
      throw ApplicationFailure.create({ type: `REVIEW_${err.code}`, message: err.message, nonRetryable: true });
    }
    throw err;
  }
}
