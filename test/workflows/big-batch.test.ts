/**
 * Batches are shaped for size: the case list is read from the store a page at a time, and the
 * batch workflow continues as new every `casesPerRun` cases. Here 9 cases at 4 per run: three runs,
 * every case reported exactly once, progress with pages.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import { batchWorkflowId } from '../../src/temporal/names.js';
import { textPdf } from '../support/draw.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
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
  const { batchId } = await service.submitBatch({ asOf: '2026-11-01', cases });
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
