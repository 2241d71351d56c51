/**
 * One document never harms another: the text-extraction activity over the real pdf.js engine (its
 * child processes, src/adapters/pdfjs.ts), with hostile PDFs generated in the shapes of pdf.js's own
 * test files (test/support/hostile-pdfs.ts) submitted beside good ones. One engine process for all
 * of them, the worst case: they wait for each other, and neither memory nor time passes between them.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { extractTextActivities, type StoredText } from '../../activities/extract-text.activities.js';
import { createPdfEngine, type PdfThreadEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import type { DocumentRef, ExtractedTextSummary } from '../../src/domain/documents.js';
import type { ExtractionLimits } from '../../src/domain/extraction.js';
import type { DocumentStore } from '../../src/domain/ports.js';
import { textPdf } from '../support/draw.js';
import { brokenPagePdf, cyclicPageTreePdf, cyclicPatternPdf } from '../support/hostile-pdfs.js';

const MIB = 1024 * 1024;

/** Documents by id, JSON by key: the store is not what is tested here. */
function memoryStore(documents: Record<string, Uint8Array>): DocumentStore & { json: Map<string, unknown> } {
  const json = new Map<string, unknown>();
  return {
    json,
    getDocument: async (id: string) => documents[id]!,
    putJson: async (key: string, value: unknown) => void json.set(key, value),
    getJson: async <T,>(key: string) => json.get(key) as T,
  } as unknown as DocumentStore & { json: Map<string, unknown> };
}

const ref = (id: string): DocumentRef => ({ id: id.padEnd(64, '0'), fileName: `${id}.pdf`, size: 1 });

/** A statement page dense enough (40 lines) that its text layer suffices: no OCR. */
async function goodPdf(): Promise<Uint8Array> {
  return textPdf([Array.from({ length: 40 }, (_, i) => `Statement line ${i + 1}: opening balance 1,234.56 EUR, nothing unusual here`)]);
}

let engine: PdfThreadEngine | undefined;
afterEach(async () => {
  await engine?.terminate();
  engine = undefined;
});

function activity(documents: Record<string, Uint8Array>, options: { memoryLimitBytes: number; limits?: Partial<ExtractionLimits> }) {
  engine = createPdfEngine({ threads: 1, memoryLimitBytes: options.memoryLimitBytes });
  const store = memoryStore(Object.fromEntries(Object.entries(documents).map(([id, bytes]) => [ref(id).id, bytes])));
  const { extractText } = extractTextActivities({
    pdf: engine,
    ocr: { recognize: () => Promise.reject(new Error('OCR must not be reached')) },
    image: createSharpPreprocessor(),
    store,
    modelMode: 'assist',
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const run = async (id: string): Promise<{ result?: ExtractedTextSummary; error?: unknown; ms: number }> => {
    const started = Date.now();
    try {
      return { result: (await new MockActivityEnvironment().run(extractText, ref(id))) as ExtractedTextSummary, ms: Date.now() - started };
    } catch (error) {
      return { error, ms: Date.now() - started };
    }
  };
  return { run, store };
}

describe('PDF isolation through the extractText activity', { timeout: 120_000 }, () => {
  test('when a memory bomb and a good PDF are submitted together, then the bomb fails alone with DOCUMENT_TOO_COMPLEX and the good one reads', async () => {
    const limit = 384 * MIB;
    const { run } = activity({ bomb: await cyclicPatternPdf(), good: await goodPdf() }, { memoryLimitBytes: limit });
    // The bomb first, so it holds the only engine process while the good one waits.
    const bomb = run('bomb');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [bombed, good] = await Promise.all([bomb, run('good')]);

    expect(bombed.error).toBeInstanceOf(ApplicationFailure);
    expect(bombed.error).toMatchObject({ type: 'DOCUMENT_TOO_COMPLEX', nonRetryable: true });
    expect((bombed.error as Error).message).toBe('reading the PDF needs more than the memory limit of 384 MiB (PDF_MEMORY_LIMIT)');
    expect(good.error).toBeUndefined();
    expect(good.result!.pages).toMatchObject([{ page: 1, method: 'pdf-text', confidence: 1 }]);
    expect(good.result!.pages[0]!.characters).toBeGreaterThan(2_000);
    // The cap held: the killed process never grew far past it (the resident set is polled every 20 ms).
    expect(engine!.peakRssBytes).toBeGreaterThan(limit * 0.9);
    expect(engine!.peakRssBytes).toBeLessThan(limit + 64 * MIB);
    // Read twice: at 300 dpi, then once more at 150 dpi (a page that only renders big would read then); killed both times.
    expect(engine!.restarts).toBe(2);
  });

  test('when a page runs past PAGE_TIMEOUT beside a good PDF, then it fails within 10 % of the limit, and the good one, which waited longer than the limit, reads', async () => {
    const pageTimeoutMs = 3_000;
    // A high memory cap: the bomb is cut off by time, not memory.
    const { run } = activity({ slow: await cyclicPatternPdf(), good: await goodPdf() }, { memoryLimitBytes: 2048 * MIB, limits: { pageTimeoutMs } });
    const slow = run('slow');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [timedOut, good] = await Promise.all([slow, run('good')]);

    expect(timedOut.error).toMatchObject({ type: 'PAGE_TIMEOUT', nonRetryable: true, message: 'page 1 took longer than the limit of 3 s' });
    // Opening (a process start, ~0.3 s) plus the page's own limit and at most 10 % over it.
    expect(timedOut.ms).toBeGreaterThanOrEqual(pageTimeoutMs);
    expect(timedOut.ms).toBeLessThan(pageTimeoutMs * 1.1 + 1_000);
    // Waited for the process all that time, yet opening it is charged only its own time.
    expect(good.ms).toBeGreaterThan(pageTimeoutMs);
    expect(good.error).toBeUndefined();
    expect(good.result!.pages).toMatchObject([{ page: 1, method: 'pdf-text' }]);
  });

  test('when a page of a PDF is corrupt, then the readable pages are kept and the failed page is listed with its code', async () => {
    const { run, store } = activity({ fuzzed: await brokenPagePdf(4, 2), tree: await cyclicPageTreePdf() }, { memoryLimitBytes: 512 * MIB });
    const fuzzed = await run('fuzzed');
    expect(fuzzed.error).toBeUndefined();
    expect(fuzzed.result!.pages.map((p) => p.page)).toEqual([1, 3, 4]);
    expect(fuzzed.result!.pageErrors).toEqual([{ page: 2, code: 'UNREADABLE_DOCUMENT', message: 'the page cannot be parsed' }]);
    const stored = store.json.get(fuzzed.result!.textKey) as StoredText;
    expect(stored.pages.map((p) => p.text.split('\n')[0])).toEqual([1, 3, 4].map((n) => `Readable page ${n}, line 1: the account statement continues here.`));
    expect(stored.pageErrors).toEqual(fuzzed.result!.pageErrors);

    const tree = await run('tree');
    expect(tree.result!.pages.map((p) => p.page)).toEqual([1]);
    expect(tree.result!.pageErrors).toEqual([{ page: 2, code: 'UNREADABLE_DOCUMENT', message: 'the page cannot be parsed' }]);
  });

  test('when every page reads, then the result has no pageErrors (results stay as they were)', async () => {
    const { run } = activity({ good: await goodPdf() }, { memoryLimitBytes: 512 * MIB });
    expect((await run('good')).result).not.toHaveProperty('pageErrors');
  });
});
