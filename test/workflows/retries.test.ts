import { Context } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { createTesseractPool, type TesseractPool } from '../../src/adapters/tesseract-ocr.js';
import type { CaseReport } from '../../src/domain/report.js';
import { caseWorkflowId } from '../../src/temporal/names.js';
import { startActivityEnv, type ActivityEnv } from '../support/activity-env.js';
import { textPdf } from '../support/draw.js';

let ctx: ActivityEnv;
let ocr: TesseractPool;

beforeAll(async () => {
  ctx = await startActivityEnv('kyc-retries-');
  ocr = await createTesseractPool({ size: 1 });
});
afterAll(async () => {
  await ocr?.terminate();
  await ctx?.close();
});

/** Real activities, except that text extraction fails like a flaky disk on its first two attempts. */
function flakyActivities(): Activities {
  const real = ctx.activities(ocr);
  return {
    ...real,
    async extractText(doc) {
      if (Context.current().info.attempt <= 2) throw new Error('EIO: transient read error');
      return real.extractText(doc);
    },
  };
}

test('a transient failure is retried with backoff and the case completes as if nothing happened', async () => {
  const { env, service, dataConverter } = ctx;
  const bill = await textPdf([['Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Alice Martin', '12 High Street', 'London SW1A 1AA']]);
  await ctx.runWorkers(flakyActivities(), async () => {
    const { batchId } = await service.submitBatch({ asOf: '2026-11-01', cases: [{ caseId: 'flaky', documents: [{ fileName: 'bill.pdf', bytes: bill }] }] });
    await service.waitForBatch(batchId);
    const report = (await service.getCaseInBatch(batchId, 'flaky')) as CaseReport;
    expect(report.documents[0]!.error).toBeUndefined();
    expect(report.documents[0]!.type).toBe('utility_bill');

    const history = await env.client.workflow.getHandle(caseWorkflowId(batchId, 'flaky')).fetchHistory();
    const started = (history.events ?? []).find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    expect(started?.attempt).toBe(3);
    // The failure's message is encrypted in history (encodeCommonAttributes); the codec reads it back.
    expect(started?.lastFailure?.message).not.toContain('EIO');
    const [attributes] = await dataConverter.payloadCodecs[0].decode([started!.lastFailure!.encodedAttributes!]);
    expect(defaultPayloadConverter.fromPayload<{ message: string }>(attributes!).message).toContain('EIO');
  });
});
