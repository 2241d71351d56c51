/**
 * A memory bomb, a partly broken PDF and a good bill in one case, through real Temporal and the real
 * activities: the bomb is a document error of its own, the broken PDF's readable pages are kept and
 * its failed page listed in the report, the bill reads, and the case goes to review saying why.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { extractTextActivities } from '../../activities/extract-text.activities.js';
import { createPdfEngine, type PdfThreadEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool, type TesseractPool } from '../../src/adapters/tesseract-ocr.js';
import type { CaseReport } from '../../src/domain/report.js';
import { startActivityEnv, type ActivityEnv } from '../support/activity-env.js';
import { textPdf } from '../support/draw.js';
import { brokenPagePdf, cyclicPatternPdf } from '../support/hostile-pdfs.js';

let ctx: ActivityEnv;
let ocr: TesseractPool;
let pdf: PdfThreadEngine;

beforeAll(async () => {
  ctx = await startActivityEnv('kyc-pdf-isolation-');
  ocr = await createTesseractPool({ size: 1 });
  // One PDF process with a small cap, so the bomb reaches it in seconds.
  pdf = createPdfEngine({ threads: 1, memoryLimitBytes: 384 * 1024 * 1024 });
}, 60_000);
afterAll(async () => {
  await pdf?.terminate();
  await ocr?.terminate();
  await ctx?.close();
});

/** The real activities, text extraction on the capped engine. */
function activities(): Activities {
  return { ...ctx.activities(ocr), ...extractTextActivities({ store: ctx.store, ocr, pdf, image: createSharpPreprocessor(), modelMode: 'assist' }) };
}

test('a bomb, a partly broken PDF and a good bill in one case: each reported on its own, the case reviews', { timeout: 180_000 }, async () => {
  const bill = await textPdf([['Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Alice Martin', '12 High Street', 'London SW1A 1AA']]);
  await ctx.runWorkers(activities(), async () => {
    const { batchId } = await ctx.service.submitBatch({
      asOf: '2026-11-01',
      cases: [
        {
          caseId: 'mixed',
          documents: [
            { fileName: 'bomb.pdf', bytes: await cyclicPatternPdf() },
            { fileName: 'partial.pdf', bytes: await brokenPagePdf(3, 2) },
            { fileName: 'bill.pdf', bytes: bill },
          ],
        },
      ],
    });
    await ctx.service.waitForBatch(batchId);
    const report = (await ctx.service.getCaseInBatch(batchId, 'mixed')) as CaseReport;
    const doc = (file: string): CaseReport['documents'][number] => report.documents.find((d) => d.file === file)!;

    expect(doc('bomb.pdf')).toMatchObject({
      errorCode: 'DOCUMENT_TOO_COMPLEX',
      error: 'reading the PDF needs more than the memory limit of 384 MiB (PDF_MEMORY_LIMIT)',
      pages: [],
    });
    expect(doc('partial.pdf').error).toBeUndefined();
    expect(doc('partial.pdf').pages.map((p) => p.page)).toEqual([1, 3]);
    expect(doc('partial.pdf').pageErrors).toEqual([{ page: 2, code: 'UNREADABLE_DOCUMENT', message: 'the page cannot be parsed' }]);
    expect(doc('bill.pdf').error).toBeUndefined();
    expect(doc('bill.pdf').type).toBe('utility_bill');
    expect(doc('bill.pdf').pageErrors).toBeUndefined();

    expect(report.decision).toBe('review');
    expect(report.reasons).toContain('unreadable_document'); // the bomb
    expect(report.reasons).toContain('incomplete_document'); // the broken page
  });
});
