/**
 * The human part of a case workflow: the task, reviewers' Updates, deadlines, four-eyes and
 * `request_documents`. What each action does is the pure reducer in src/review/reducer.ts (rules in
 * src/review/rules.ts); this file holds the state, the lock the Updates run under, the durable timers
 * and the projection of the task into the inbox database.
 */
import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DocumentRef } from '../src/domain/documents.js';
import type { Policy } from '../src/domain/decision.js';
import type { CaseReport, Decision, DocumentReport } from '../src/domain/report.js';
import { apply, transition, validate, type ReviewCommand, type ReviewStep } from '../src/review/reducer.js';
import { checksAfterCorrections, failedCheckIds, isSenior, newTask, ReviewRuleError, TaskLedger, type DecideInput } from '../src/review/rules.js';
import type { Actor, CorrectionRecord, ReviewTask } from '../src/review/types.js';
import { SYSTEM_ACTOR } from '../src/review/types.js';
import { correctionChecks } from '../src/review/correction-checks.js';
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

  /**
   * Reviewers' Updates run one at a time (patch `review-mutex`): a handler that waits on an activity
   * (a correction's re-run, the projection) no longer lets a second one act on the task it saw
   * before. Inside the lock each command is validated again against the current task, then what it
   * needs done first runs, then it is applied. Executions that started their review before the
   * patch keep the old, unlocked handlers, so their histories replay unchanged.
   */
  const serial = patched('review-mutex');
  const lock = new Lock();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => (serial ? lock.run(fn) : fn());
  const step = (command: ReviewCommand): ReviewStep =>
    serial ? refuse(() => apply(ledger.task, command, new Date())) : transition(ledger.task, command, new Date());
  /** Commits a step to the ledger and runs its effects (the correction's re-run is run by its caller). */
  const commit = async (result: ReviewStep): Promise<ReviewTask> => {
    ledger.commit(result);
    for (const effect of result.effects) {
      if (effect.kind === 'deadline_changed') deadlineGeneration += 1;
      if (effect.kind === 'project') await project();
    }
    return ledger.task;
  };
  const documentIds = (): string[] => run.report.documents.map((d) => d.documentId);

  setHandler(
    claimUpdate,
    (actor) =>
      exclusive(async () => {
        const result = step({ type: 'claim', actor });
        assigneeSenior = isSenior(actor);
        return commit(result);
      }),
    { validator: (actor) => refuse(() => validate(ledger.task, { type: 'claim', actor })) },
  );
  setHandler(
    releaseUpdate,
    (actor) => exclusive(() => commit(step({ type: 'release', actor }))),
    { validator: (actor) => refuse(() => validate(ledger.task, { type: 'release', actor })) },
  );
  setHandler(
    reassignUpdate,
    (actor, to) =>
      exclusive(async () => {
        const result = step({ type: 'reassign', actor, to });
        assigneeSenior = isSenior(to);
        return commit(result);
      }),
    { validator: (actor, to) => refuse(() => validate(ledger.task, { type: 'reassign', actor, to })) },
  );
  setHandler(
    addNoteUpdate,
    (actor, { text }) => exclusive(() => commit(step({ type: 'note', actor, text }))),
    { validator: (actor, note) => refuse(() => validate(ledger.task, { type: 'note', actor, text: note?.text })) },
  );
  setHandler(
    decideUpdate,
    (actor, decision) =>
      exclusive(async () => {
        // Against the task as it is now, before anything runs: a second, concurrent approval stops here.
        if (serial) refuse(() => validate(ledger.task, { type: 'decide', actor, decision, documentIds: documentIds(), failedChecks: [] }));
        if (decision.corrections?.length) await applyCorrections(actor, decision);
        return commit(step({ type: 'decide', actor, decision, documentIds: documentIds(), failedChecks: failedCheckIds(run.report.checks) }));
      }),
    { validator: (actor, decision) => refuse(() => validate(ledger.task, { type: 'decide', actor, decision, documentIds: documentIds(), failedChecks: [] })) },
  );
  setHandler(
    addDocumentsUpdate,
    (actor, refs) =>
      exclusive(async () => {
        const result = step({ type: 'add_documents', actor, count: refs.length });
        arrived = [...(arrived ?? []), ...refs];
        return commit(result);
      }),
    { validator: (actor, refs) => refuse(() => validate(ledger.task, { type: 'add_documents', actor, count: refs?.length ?? 0 })) },
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
    ledger.commit(step({ type: 'correct', actor, decision, documentIds: documentIds() }));
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
    run = { ...run, report: { ...run.report, documents: docs, checks: checksAfterCorrections(run.report.checks, [...rerun, ...correctionChecks({ documents: run.report.documents, corrections: decision.corrections ?? [], previous: run.report.checks })]) } };
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
      // Under the lock: a note sent while the pipeline runs again lands on the new task, not the old.
      const settled = await exclusive(async () => {
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
          return true;
        }
        ledger = open(run.highRisk, run.report.reasons);
        await project();
        return false;
      });
      if (settled) break;
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
    await exclusive(async () => {
      // Under the lock the task as it is now: a reviewer may have acted while the timer ran.
      const current = serial ? ledger.task : task;
      if (serial && (deadlineGeneration !== generation || current.status === 'completed' || current.status === 'waiting_documents')) return;
      if (!reminded) {
        reminded = true;
        await commit(transition(ledger.task, { type: 'remind' }, new Date()));
        return;
      }
      const result = transition(current, { type: 'escalate', policy: policy.review, assigneeIsSenior: assigneeSenior }, new Date());
      if (current.queue === 'standard') {
        if (result.task.status === 'open') assigneeSenior = false;
        reminded = false;
      } else {
        breached = true;
      }
      await commit(result);
    });
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
function refuse<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ReviewRuleError) {
      throw ApplicationFailure.create({ type: `REVIEW_${err.code}`, message: err.message, nonRetryable: true });
    }
    throw err;
  }
}

/**
 * A deterministic workflow lock (the safe-message-handlers pattern without a dependency): callers
 * run in arrival order, each after the previous one settled, whatever it threw.
 */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
