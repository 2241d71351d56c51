import { condition, ParentClosePolicy, setHandler, startChild, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES, TASK_QUEUES, caseWorkflowId } from '../src/temporal/names.js';
import { processKycCase } from './kyc-case.workflow.js';
import {
  batchProgressQuery,
  caseOutcomeSignal,
  type BatchCaseSummary,
  type BatchInput,
  type BatchResult,
  type CaseOutcome,
} from './messages.js';

/**
 * A batch: one child case workflow per applicant, at most `maxConcurrentCases` at once.
 * Child ids derive from batch and case ids, so a replayed or resubmitted batch never
 * processes a case twice. A case counts as done for the batch once the engine has decided it
 * (the child signals its outcome); cases sent to review go on waiting for people in their own
 * workflows after the batch has completed (parent close policy ABANDON).
 */
export async function processKycBatch(input: BatchInput): Promise<BatchResult> {
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.batchId, value: input.batchId }]);
  const cases: BatchCaseSummary[] = input.cases.map((c) => ({
    caseId: c.caseId,
    workflowId: caseWorkflowId(input.batchId, c.caseId),
    status: 'pending',
  }));
  const byCaseId = new Map(cases.map((c) => [c.caseId, c]));
  const outcomes = new Map<string, CaseOutcome>();
  setHandler(caseOutcomeSignal, (outcome) => {
    outcomes.set(outcome.caseId, outcome);
    const summary = byCaseId.get(outcome.caseId);
    if (summary && summary.status !== 'failed') {
      summary.status = outcome.status;
      summary.decision = outcome.decision;
    }
  });
  const progress = (): BatchResult => ({
    batchId: input.batchId,
    total: cases.length,
    completed: cases.filter((c) => c.status === 'completed' || c.status === 'failed' || c.status === 'awaiting_review').length,
    cases,
  });
  setHandler(batchProgressQuery, progress);

  let next = 0;
  const runNext = async (): Promise<void> => {
    while (next < input.cases.length) {
      const index = next++;
      const spec = input.cases[index]!;
      const summary = cases[index]!;
      if (summary.status === 'pending') summary.status = 'processing';
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
      const finished = child.result().then(
        (report) => ({ ok: true as const, report }),
        (err: Error) => ({ ok: false as const, message: (err.cause as Error | undefined)?.message ?? err.message }),
      );
      let result: Awaited<typeof finished> | undefined;
      void finished.then((r) => {
        result = r;
      });
      await condition(() => outcomes.has(spec.caseId) || result !== undefined);
      if (result?.ok === false) {
        summary.status = 'failed';
        summary.error = result.message;
      } else if (result?.ok) {
        summary.status = result.report.status === 'awaiting_review' ? 'awaiting_review' : 'completed';
        summary.decision = result.report.decision;
      }
    }
  };
  const lanes = Math.max(1, Math.min(input.maxConcurrentCases, input.cases.length));
  await Promise.all(Array.from({ length: lanes }, runNext));
  return progress();
}
