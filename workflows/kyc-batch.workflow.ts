import { ChildWorkflowFailure, executeChild, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES, TASK_QUEUES, caseWorkflowId } from '../src/temporal/names.js';
import { processKycCase } from './kyc-case.workflow.js';
import { batchProgressQuery, type BatchCaseSummary, type BatchInput, type BatchResult } from './messages.js';

/**
 * A batch: one child case workflow per applicant, at most `maxConcurrentCases` at once.
 * Child ids derive from batch and case ids, so a replayed or resubmitted batch never
 * processes a case twice. Completes with every case's outcome; reports live in the children.
 */
export async function processKycBatch(input: BatchInput): Promise<BatchResult> {
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.batchId, value: input.batchId }]);
  const cases: BatchCaseSummary[] = input.cases.map((c) => ({
    caseId: c.caseId,
    workflowId: caseWorkflowId(input.batchId, c.caseId),
    status: 'pending',
  }));
  const progress = (): BatchResult => ({
    batchId: input.batchId,
    total: cases.length,
    completed: cases.filter((c) => c.status === 'completed' || c.status === 'failed').length,
    cases,
  });
  setHandler(batchProgressQuery, progress);

  let next = 0;
  const runNext = async (): Promise<void> => {
    while (next < input.cases.length) {
      const index = next++;
      const spec = input.cases[index]!;
      const summary = cases[index]!;
      summary.status = 'processing';
      try {
        const report = await executeChild(processKycCase, {
          workflowId: summary.workflowId,
          taskQueue: TASK_QUEUES.workflows,
          args: [{ ...spec, batchId: input.batchId, asOf: input.asOf, sanctionsRef: input.sanctionsRef, policy: input.policy }],
        });
        summary.status = 'completed';
        summary.decision = report.decision;
      } catch (err) {
        if (!(err instanceof ChildWorkflowFailure)) throw err;
        summary.status = 'failed';
        summary.error = err.cause?.message ?? err.message;
      }
    }
  };
  const lanes = Math.max(1, Math.min(input.maxConcurrentCases, input.cases.length));
  await Promise.all(Array.from({ length: lanes }, runNext));
  return progress();
}
