/**
 * Batches are shaped for size: the case list is read from the store a page at a time, and the
 * batch workflow continues as new every `casesPerRun` cases. Here 9 cases at 4 per run: three runs,
 * every case reported exactly once, progress with pages. The workers keep only two workflows in
 * their cache (WORKFLOW_CACHE_SIZE), so cases waiting for review are evicted and replayed when a
 * reviewer acts: memory stays bounded however many cases wait.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import type { CaseReport } from '../../src/domain/report.js';
import { batchWorkflowId, caseWorkflowId } from '../../src/temporal/names.js';
import { textPdf } from '../support/draw.js';
import { createKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

let pipeline: Pipeline;
let batchId: string;
beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off', WORKFLOW_CACHE_SIZE: '2' });
});
afterAll(async () => {
  await pipeline?.close();
});

test('a batch larger than one run continues as new and still reports every case once', async () => {
  const service = new TemporalKycService({ client: pipeline.env.client, store: pipeline.store, maxConcurrentCases: 2, casesPerRun: 4 });
  const cases = [];
  for (let i = 1; i <= 9; i++) {
    const bill = await textPdf([['Northern Power Ltd', 'Electricity bill', `Bill date: 0${(i % 9) + 1}/10/2026`, `Customer ${i}`, '12 High Street', 'London SW1A 1AA']]);
    cases.push({ caseId: `c${i}`, documents: [{ fileName: `bill-${i}.pdf`, bytes: bill }] });
  }
  ({ batchId } = await service.submitBatch({ asOf: '2026-11-01', cases }));
  const result = await service.waitForBatch(batchId);
  expect(result.total).toBe(9);
  expect(result.completed).toBe(9);
  expect(result.pagesProcessed).toBe(9);
  expect(result.cases.map((c) => c.caseId).sort()).toEqual(cases.map((c) => c.caseId).sort());
  expect(new Set(result.cases.map((c) => c.caseId)).size).toBe(9);

  // Three runs of the workflow: the first two ended in continue-as-new.
  // (Visibility can lag the history by a moment: read it until the last run shows as completed.)
  const runs = await waitFor(async () => {
    const seen: string[] = [];
    for await (const execution of pipeline.env.client.workflow.list({ query: `WorkflowId = '${batchWorkflowId(batchId)}'` })) {
      seen.push(execution.status.name);
    }
    return seen.includes('COMPLETED') && seen.length === 3 ? seen : undefined;
  }, 15_000, 'the three runs in visibility');
  expect(runs.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
  const status = await service.getBatch(batchId);
  expect(status).toMatchObject({ status: 'completed', total: 9, completed: 9, pagesProcessed: 9 });
});

test('cases waiting for review outlive the workflow cache: evicted, replayed on a reviewer\'s decision, completed', async () => {
  const reviewer = await createKey(pipeline.reviewStore, 'rita', ['reviewer']);
  // Bills without an identity document: all nine wait for a reviewer, more than the cache holds.
  const waiting = await pipeline.service.getBatch(batchId);
  expect(waiting!.cases.filter((c) => c.status === 'awaiting_review')).toHaveLength(9);
  // Nine open case workflows, two in memory: the others were evicted.
  expect(pipeline.workers.cachedWorkflows()).toBeLessThanOrEqual(2);

  for (const caseId of ['c1', 'c5', 'c9']) {
    await pipeline.review.act(caseId, reviewer.actor, { kind: 'claim' });
    const decided = await pipeline.review.act(caseId, reviewer.actor, { kind: 'decide', decision: { decision: 'reject', reason: 'no identity document' } });
    expect(decided).toMatchObject({ status: 'completed', final: { decision: 'reject', by: 'rita' } });
    await pipeline.env.client.workflow.getHandle(caseWorkflowId(batchId, caseId)).result();
    const report = (await pipeline.service.getCase(caseId)) as CaseReport;
    expect(report).toMatchObject({ status: 'completed', decision: 'rejected', decidedBy: 'rita' });

    expect(pipeline.workers.cachedWorkflows()).toBeLessThanOrEqual(2);
  }
  // The others still wait, untouched.
  expect(await pipeline.service.getCase('c2')).toMatchObject({ status: 'awaiting_review', decision: 'review' });
});
