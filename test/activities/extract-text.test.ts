/**
 * The text-extraction activity at its edges: heartbeats, the page time limit as a non-retryable
 * PAGE_TIMEOUT failure, limits passed through from the worker's config. Fake ports, no engines.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, test } from 'vitest';
import { extractTextActivities, type ExtractedText } from '../../activities/extract-text.activities.js';
import type { DocumentRef, ExtractedTextSummary } from '../../src/domain/documents.js';
import type { ExtractionPorts } from '../../src/domain/extraction.js';
import type { PdfDocument } from '../../src/domain/extraction-ports.js';
import type { DocumentStore } from '../../src/domain/ports.js';

const PDF = new TextEncoder().encode('%PDF-1.7\n');
const DOC: DocumentRef = { id: 'a'.repeat(64), fileName: 'statement.pdf', size: PDF.length };

function store(): DocumentStore {
  const blobs = new Map<string, unknown>();
  return {
    getDocument: async () => PDF,
    putJson: async (key: string, value: unknown) => void blobs.set(key, value),
    getJson: async <T>(key: string) => blobs.get(key) as T,
  } as unknown as DocumentStore;
}

/** A PDF of `pages` text pages; page `stuck` never finishes its text layer. */
function ports(pages: number, stuck?: number): ExtractionPorts {
  const doc: PdfDocument = {
    pageCount: pages,
    async getPage(n) {
      return {
        width: 595,
        height: 842,
        textRuns: () =>
          n === stuck
            ? new Promise(() => {})
            : Promise.resolve([{ text: `Page ${n} of a readable statement`, x: 60, y: 80, width: 200, height: 12, hasEOL: false }]),
        render: () => Promise.reject(new Error('not rendered')),
        release: () => {},
      };
    },
    close: async () => {},
  };
  return {
    ocr: { recognize: () => Promise.reject(new Error('no OCR')) },
    pdf: { open: async () => doc },
    image: { inspect: () => Promise.reject(new Error('no image')), prepare: () => Promise.reject(new Error('no image')) },
  };
}

describe('extractText', () => {
  test('when a PDF has three pages, then it heartbeats after each', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const { extractText } = extractTextActivities({ ...ports(3), store: store(), modelMode: 'assist' });
    const summary = (await env.run(extractText, DOC)) as ExtractedTextSummary;
    expect(summary.pages).toHaveLength(3);
    expect(beats).toEqual([
      { page: 1, total: 3 },
      { page: 2, total: 3 },
      { page: 3, total: 3 },
    ]);
  });

  test('when a page is stuck past the configured PAGE_TIMEOUT, then the activity fails with a non-retryable PAGE_TIMEOUT', async () => {
    const env = new MockActivityEnvironment();
    const { extractText } = extractTextActivities({ ...ports(3, 2), store: store(), limits: { pageTimeoutMs: 100 }, modelMode: 'assist' });
    const started = Date.now();
    const error = await env.run(extractText, DOC).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'PAGE_TIMEOUT', nonRetryable: true, message: 'page 2 took longer than the limit of 100 ms' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('when the configured MAX_PAGES is below the page count, then it fails with a non-retryable DOCUMENT_TOO_LARGE', async () => {
    const env = new MockActivityEnvironment();
    const { extractText } = extractTextActivities({ ...ports(3), store: store(), limits: { maxPages: 2 }, modelMode: 'assist' });
    await expect(env.run(extractText, DOC)).rejects.toMatchObject({ type: 'DOCUMENT_TOO_LARGE', nonRetryable: true });
  });

  test('when asked with asOf and the model is off, then the text comes back with its rules analysis', async () => {
    const { extractText } = extractTextActivities({ ...ports(1), store: store(), modelMode: 'off' });
    const result = (await new MockActivityEnvironment().run(extractText, DOC, { asOf: '2026-11-01' })) as ExtractedText;
    expect(result.analysis).toMatchObject({ type: 'unknown', fields: {} });
  });

  test('when the model would be asked about the type, then the activity leaves the analysis to the model queue', async () => {
    const { extractText } = extractTextActivities({ ...ports(1), store: store(), modelMode: 'assist' });
    const result = (await new MockActivityEnvironment().run(extractText, DOC, { asOf: '2026-11-01' })) as ExtractedText;
    expect(result.textKey).toBe(`text/${DOC.id}.json`);
    expect(result.analysis).toBeUndefined();
  });

  test('when called without asOf (a workflow from before the analysis moved here), then no analysis is returned', async () => {
    const { extractText } = extractTextActivities({ ...ports(1), store: store(), modelMode: 'off' });
    expect(((await new MockActivityEnvironment().run(extractText, DOC)) as ExtractedText).analysis).toBeUndefined();
  });
});
