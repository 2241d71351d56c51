/**
 * A worker that hangs on a document (its process frozen, its event loop blocked: no heartbeats)
 * does not hold the case: Temporal's heartbeat timeout on the OCR activities (30 s) fires and the
 * document is retried on a live worker. Takes a little over 30 s, most of it waiting.
 */
import { Context } from '@temporalio/activity';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { CaseReport } from '../../src/domain/report.js';
import { caseWorkflowId } from '../../src/temporal/names.js';
import { startActivityEnv, type ActivityEnv } from '../support/activity-env.js';
import { textPdf } from '../support/draw.js';

let ctx: ActivityEnv;

beforeAll(async () => {
  ctx = await startActivityEnv('kyc-hung-');
});
afterAll(async () => {
  await ctx?.close();
});

/** Real activities, except that the first text extraction goes silent like a frozen worker (until cancelled at shutdown). */
function activitiesWithOneHang(): Activities {
  const ocr = { recognize: () => Promise.reject(new Error('no OCR in this test')) };
  const real = ctx.activities(ocr);
  return {
    ...real,
    async extractText(doc) {
      const ctx = Context.current();
      if (ctx.info.attempt === 1) {
        await new Promise((_, reject) => ctx.cancellationSignal.addEventListener('abort', () => reject(ctx.cancellationSignal.reason)));
      }
      return real.extractText(doc);
    },
  };
}

test('when a worker hangs on a document without heartbeating, then the heartbeat timeout fires and the document is retried', { timeout: 120_000 }, async () => {
  const { env, service } = ctx;
  const bill = await textPdf([['Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Alice Martin', '12 High Street', 'London SW1A 1AA']]);
  await ctx.runWorkers(activitiesWithOneHang(), async () => {
    const started = Date.now();
    const { batchId } = await service.submitBatch({ asOf: '2026-11-01', cases: [{ caseId: 'hung', documents: [{ fileName: 'bill.pdf', bytes: bill }] }] });
    await service.waitForBatch(batchId);
    const report = (await service.getCaseInBatch(batchId, 'hung')) as CaseReport;
    expect(report.documents[0]!.error).toBeUndefined();
    expect(report.documents[0]!.type).toBe('utility_bill');
    expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);

    const history = await env.client.workflow.getHandle(caseWorkflowId(batchId, 'hung')).fetchHistory();
    const extraction = (history.events ?? []).find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'extractText',
    );
    const startedEvent = (history.events ?? []).find(
      (e) => e.activityTaskStartedEventAttributes && Number(e.activityTaskStartedEventAttributes.scheduledEventId) === Number(extraction?.eventId),
    )?.activityTaskStartedEventAttributes;
    // One scheduled task, started (and recorded) on its second attempt after the first timed out on heartbeat.
    expect(startedEvent?.attempt).toBe(2);
    expect(startedEvent?.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(4); // TIMEOUT_TYPE_HEARTBEAT
  });
});
