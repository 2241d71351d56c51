/**
 * The sweep's worker-like process (see sweep.ts): the real extraction path — the `extractText`
 * activity, run in a MockActivityEnvironment, over the real PDF engine, Tesseract pool and sharp,
 * configured from the environment the way workers/bootstrap.ts configures a worker — one document at
 * a time or several at once (as a worker's activity slots run them), on request from the parent over IPC.
 *
 * Per document it answers the outcome, the pages the activity reported, and this process's peak
 * resident memory while the document ran: VmHWM from /proc/self/status, reset before each document
 * by writing 5 to /proc/self/clear_refs (Linux ≥ 4.0). Worker threads (pdf.js, OCR) share this
 * process, so their memory is in it; child processes are measured by the parent.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extractTextActivities } from '../../activities/extract-text.activities.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool } from '../../src/adapters/tesseract-ocr.js';
import { loadConfig } from '../../src/config.js';
import type { DocumentRef } from '../../src/domain/documents.js';
import type { DocumentStore, OcrEngine, OcrOptions, OcrResult } from '../../src/domain/ports.js';

export interface SweepRequest {
  file: string;
  /** Full-page OCR readings allowed per document; beyond, a reading returns no text. undefined: no cap. */
  ocrCap?: number;
  /** Reset this process's peak (VmHWM) when the document starts: right when documents run one at a time. */
  resetPeak?: boolean;
}

export interface SweepResult {
  file: string;
  bytes: number;
  outcome: string;
  message?: string;
  pages?: number;
  pagesKept?: number;
  pagesFailed?: number;
  failedPages?: string;
  characters?: number;
  ocrPages?: number;
  ocrReadings: number;
  ocrSkipped: number;
  wallMs: number;
  peakRssBytes: number;
  rssAfterBytes: number;
}

const config = loadConfig();
const ocrPool = await createTesseractPool({ langPath: config.ocr.langPath, lang: config.ocr.lang, size: config.ocr.workers });
// As workers/bootstrap.ts builds it (with the per-document memory limit, PDF_MEMORY_LIMIT, where the engine has one).
const memoryLimit = (config as { pdfMemoryLimitBytes?: number }).pdfMemoryLimitBytes;
const pdf = createPdfEngine({
  maxImagePixels: config.extraction.maxPixels,
  threads: config.pdfThreads,
  threadNice: config.ocr.threadNice,
  ...(memoryLimit !== undefined ? ({ memoryLimitBytes: memoryLimit } as object) : {}),
});
const image = createSharpPreprocessor();

/** A document's OCR budget: full-page readings (no rectangle) are counted, bands are not. */
interface Budget {
  cap: number | undefined;
  used: number;
  skipped: number;
}

function cappedOcr(budget: Budget): OcrEngine {
  return {
    async recognize(img: Uint8Array, options?: OcrOptions): Promise<OcrResult> {
      const fullPage = options?.rectangle === undefined;
      if (fullPage && budget.cap !== undefined && budget.used >= budget.cap) {
        budget.skipped++;
        return { text: '', confidence: 0, ...(options?.lines ? { lines: [] } : {}) };
      }
      if (fullPage) budget.used++;
      return ocrPool.recognize(img, options);
    },
  };
}

/** The store the activity reads its document from and writes its text to: this one document, in memory. */
function storeOf(bytes: Uint8Array): DocumentStore {
  const blobs = new Map<string, unknown>();
  return {
    getDocument: async () => bytes,
    putJson: async (key: string, value: unknown) => void blobs.set(key, value),
    getJson: async <T>(key: string) => blobs.get(key) as T,
  } as unknown as DocumentStore;
}

function status(field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

async function run(request: SweepRequest): Promise<SweepResult> {
  const bytes = new Uint8Array(await readFile(request.file));
  const budget: Budget = { cap: request.ocrCap, used: 0, skipped: 0 };
  const { extractText } = extractTextActivities({ ocr: cappedOcr(budget), pdf, image, store: storeOf(bytes), limits: config.extraction, modelMode: 'off' });
  // One document at a time: its own peak. Several at once: the process's peak while it ran.
  if (request.resetPeak) writeFileSync('/proc/self/clear_refs', '5');
  const doc: DocumentRef = { id: 'f'.repeat(64), fileName: 'sweep.pdf', size: bytes.length };
  const started = performance.now();
  const base = { file: request.file, bytes: bytes.length };
  try {
    const env = new MockActivityEnvironment();
    const result = (await env.run(extractText, doc, {})) as unknown as Record<string, unknown> & {
      pages: Array<{ page: number; method: string; characters: number }>;
    };
    const failed = failedPagesOf(result);
    return {
      ...base,
      outcome: 'ok',
      pages: pageCountOf(result),
      pagesKept: result.pages.length,
      pagesFailed: failed.length,
      ...(failed.length ? { failedPages: failed.join(' ') } : {}),
      characters: result.pages.reduce((n, p) => n + p.characters, 0),
      ocrPages: result.pages.filter((p) => p.method !== 'pdf-text').length,
      ...measures(started, budget),
    };
  } catch (err) {
    const failure = err as { type?: string; code?: string; message?: string; cause?: { type?: string; code?: string } };
    const code = failure.type ?? failure.code ?? failure.cause?.type ?? failure.cause?.code ?? 'UNEXPECTED';
    return { ...base, outcome: code, message: String(failure.message ?? err).slice(0, 200), ...measures(started, budget) };
  }
}

function measures(started: number, budget: Budget): Pick<SweepResult, 'wallMs' | 'peakRssBytes' | 'rssAfterBytes' | 'ocrReadings' | 'ocrSkipped'> {
  return {
    wallMs: Math.round(performance.now() - started),
    peakRssBytes: status('VmHWM'),
    rssAfterBytes: status('VmRSS'),
    ocrReadings: budget.used,
    ocrSkipped: budget.skipped,
  };
}

/** The document's page count, when the activity's result carries one (page-level errors), else the pages it returned. */
function pageCountOf(result: Record<string, unknown> & { pages: unknown[] }): number {
  for (const key of ['pageCount', 'totalPages']) if (typeof result[key] === 'number') return result[key] as number;
  return result.pages.length + failedPagesOf(result).length;
}

/** Pages the activity lists as failed (page-level errors), in whichever shape it reports them. */
function failedPagesOf(result: Record<string, unknown>): string[] {
  for (const key of ['failedPages', 'pageErrors', 'failed']) {
    const list = result[key];
    if (Array.isArray(list)) {
      return list.map((f) => (typeof f === 'object' && f !== null ? `${(f as { page?: number }).page ?? '?'}:${(f as { code?: string }).code ?? '?'}` : String(f)));
    }
  }
  return [];
}

// Requests may overlap (--concurrency): each runs as its own activity, as a worker's slots do.
process.on('message', (request: SweepRequest) => {
  void run(request).then((result) => process.send?.(result));
});
process.send?.({ ready: true, pid: process.pid, ocrWorkers: config.ocr.workers, pdfThreads: config.pdfThreads, pdfMemoryLimitBytes: memoryLimit, limits: config.extraction });
