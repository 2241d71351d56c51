import {
  condition,
  continueAsNew,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES, TASK_QUEUES, caseWorkflowId } from '../src/temporal/names.js';
import { io } from './activities.js';
import { processKycCase } from './kyc-case.workflow.js';
import {
  batchProgressQuery,
  caseOutcomeSignal,
  type BatchCaseSpec,
  type BatchCaseSummary,
  type BatchInput,
  type BatchResult,
  type CaseOutcome,
} from './messages.js';

/** Cases read from the manifest per activity call. */
const PAGE_SIZE = 50;
/** Cases started per run before the history is handed to a fresh run (continue-as-new). */
export const CASES_PER_RUN = 250;

/**
 * A batch: one child case workflow per applicant, at most `maxConcurrentCases` at once. The list of
 * cases lives in the document store (a manifest read a page at a time), so the input stays small
 * however large the batch; every CASES_PER_RUN cases (or when Temporal suggests it) the workflow
 * drains its in-flight cases and continues as new, so each run's history stays far below
 * Temporal's limits.
 *
 * Child ids derive from batch and case ids, so a replayed or resubmitted batch never processes a
 * case twice. A case counts as done for the batch once the engine has decided it (the child signals
 * its outcome); cases sent to review go on waiting for people in their own workflows after the
 * batch has completed (parent close policy ABANDON).
 */
export async function processKycBatch(input: BatchInput): Promise<BatchResult> {
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.batchId, value: input.batchId }]);
  const cases: BatchCaseSummary[] = input.carried?.cases ?? [];
  const byCaseId = new Map(cases.map((c) => [c.caseId, c]));
  let pagesProcessed = input.carried?.pagesProcessed ?? 0;
  let next = input.carried?.next ?? 0;

  const outcomes = new Map<string, CaseOutcome>();
  setHandler(caseOutcomeSignal, (outcome) => {
    if (outcomes.has(outcome.caseId)) return;
    outcomes.set(outcome.caseId, outcome);
    pagesProcessed += outcome.pages ?? 0;
    const summary = byCaseId.get(outcome.caseId);
    if (summary && summary.status !== 'failed') {
      summary.status = outcome.status;
      summary.decision = outcome.decision;
    }
  });
  const progress = (): BatchResult => ({
    batchId: input.batchId,
    total: input.total,
    completed: cases.filter((c) => c.status === 'completed' || c.status === 'failed' || c.status === 'awaiting_review').length,
    pagesProcessed,
    cases,
  });
  setHandler(batchProgressQuery, progress);

  const startedThisRun = { count: 0 };
  let page: BatchCaseSpec[] = [];
  let pageStart = next;
  /** The next case to start, reading the manifest a page at a time; undefined when this run should stop. */
  const takeNext = async (): Promise<BatchCaseSpec | undefined> => {
    if (next >= input.total || startedThisRun.count >= (input.casesPerRun ?? CASES_PER_RUN) || workflowInfo().continueAsNewSuggested) return undefined;
    if (next - pageStart >= page.length) {
      pageStart = next;
      // The hash travels only when the batch has one: older batches' activity inputs stay as they were,
      // so their histories replay without a patch (the commands are the same either way).
      page = await io.loadBatchCases({
        manifestKey: input.manifestKey,
        offset: next,
        limit: PAGE_SIZE,
        ...(input.manifestHash !== undefined ? { manifestHash: input.manifestHash } : {}),
      });
      if (page.length === 0) throw new Error(`the batch manifest ends at ${next} of ${input.total} cases`);
    }
    const spec = page[next - pageStart]!;
    next += 1;
    startedThisRun.count += 1;
    return spec;
  };
  // Lanes take cases one after another, so a page is loaded once and never read half-replaced.
  let turn: Promise<unknown> = Promise.resolve();
  const take = (): Promise<BatchCaseSpec | undefined> => {
    const mine = turn.then(takeNext);
    turn = mine.catch(() => undefined);
    return mine;
  };

  const runLane = async (): Promise<void> => {
    for (let spec = await take(); spec !== undefined; spec = await take()) {
      const summary: BatchCaseSummary = { caseId: spec.caseId, workflowId: caseWorkflowId(input.batchId, spec.caseId), status: 'processing' };
      cases.push(summary);
      byCaseId.set(spec.caseId, summary);
      const child = await startChild(processKycCase, {
        workflowId: summary.workflowId,
        taskQueue: TASK_QUEUES.workflows,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            ...spec,
            batchId: input.batchId,
            asOf: input.asOf,
            sanctionsRef: input.sanctionsRef,
            policy: input.policy,
            ...(input.submittedBy ? { submittedBy: input.submittedBy } : {}),
          },
        ],
      });
      // Never rejects: a failed child is an outcome, not an error of the batch.
      let result: { ok: true; status: 'awaiting_review' | 'completed'; decision: BatchCaseSummary['decision'] } | { ok: false; message: string } | undefined;
      void child.result().then(
        (report) => {
          result = { ok: true, status: report.status === 'awaiting_review' ? 'awaiting_review' : 'completed', decision: report.decision };
        },
        (err: Error) => {
          result = { ok: false, message: (err.cause as Error | undefined)?.message ?? err.message };
        },
      );
      await condition(() => outcomes.has(spec.caseId) || result !== undefined);
      if (result?.ok === false) {
        summary.status = 'failed';
        summary.error = result.message;
      } else if (result?.ok && !outcomes.has(spec.caseId)) {
        summary.status = result.status;
        summary.decision = result.decision;
      }
    }
  };
  const lanes = Math.max(1, Math.min(input.maxConcurrentCases, input.total - next));
  await Promise.all(Array.from({ length: lanes }, runLane));

  if (next < input.total) {
    // Every lane has drained: nothing is in flight, so the next run starts from a clean slate.
    await continueAsNew<typeof processKycBatch>({ ...input, carried: { next, cases, pagesProcessed } });
  }
  return progress();
}
