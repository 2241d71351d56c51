/**
 * The side-by-side rows: the engine's own code paths (the real adapters, as the OCR worker wires
 * them) against the native tools on the same files, and the default model on classification.
 */
import { readFile } from 'node:fs/promises';
import { createPdfEngine } from '../adapters/pdfjs.js';
import { createSharpPreprocessor } from '../adapters/sharp-image.js';
import { createTesseractPool } from '../adapters/tesseract-ocr.js';
import { createLlamaModel } from '../adapters/llama-model.js';
import type { Config } from '../config.js';
import type { DocumentType } from '../domain/documents.js';
import { DEFAULT_EXTRACTION_LIMITS, extractDocumentText, renderDpiFor, type ExtractionPorts } from '../domain/extraction.js';
import { buildClassificationPrompt, CLASSIFICATION_MAX_TOKENS, CLASSIFICATION_SCHEMA, parseClassification } from '../domain/model-prompts.js';
import type { BenchFile, PageKind } from './inputs.js';
import { abba, abbaRounds, mapLimited, runTool, type SideBySide } from './run.js';
import { percentile, perSecond, sum } from './stats.js';
import { characterErrorRate, orderFreeErrorRate, type CerTotals } from './text-metrics.js';

/** The page segmentation mode the engine OCRs whole pages with (src/domain/extraction.ts PAGE_PSM). */
export const PAGE_PSM = 3;
/** The resolution the engine renders text-less PDF pages at (extraction.ts `renderDpi` default; the activity keeps it). */
export const OCR_RENDER_DPI = 300;

export interface SideResult {
  ms: number;
  /** Pages timed (the set times the rounds). */
  pages: number;
  pagesPerSecond: number;
}

/** Fast rows repeat the set until each side has run this long. */
const MIN_TIMED_MS = 5_000;
const MAX_ROUNDS = 10;
/** Files run untimed on each side first: pdf.js needs a few documents before its code is compiled hot. */
const WARM_UP_FILES = 5;

export interface OcrSide extends SideResult {
  /** Reading-order Levenshtein CER. */
  cer: CerTotals;
  /** Words matched regardless of order (see orderFreeErrors). */
  orderFreeCer: CerTotals;
  /** Share of the lanes' time spent idle at the ends of the timed halves, waiting for the last pages. */
  tailIdleShare: number;
}

export interface OcrResult {
  parallelism: number;
  psm: number;
  lang: string;
  byKind: Record<PageKind, { engine: OcrSide; native: OcrSide }>;
  engine: OcrSide;
  native: OcrSide;
}

/**
 * OCR of images: the engine's extraction (sharp preparation, the tesseract.js pool, the MRZ band
 * re-reads on identity documents) with `parallelism` documents in flight and a pool of as many
 * workers, against `tesseract FILE stdout --psm 3` with OMP_THREAD_LIMIT=1, `parallelism` processes
 * at a time. A4 pages and identity documents are timed as separate sets.
 */
export async function measureOcr(files: readonly BenchFile[], config: Readonly<Config>, parallelism: number): Promise<OcrResult & { texts: string[] }> {
  const pool = await createTesseractPool({ langPath: config.ocr.langPath, lang: config.ocr.lang, size: parallelism });
  const ports: ExtractionPorts = { ocr: pool, pdf: createPdfEngine(), image: createSharpPreprocessor() };
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  const sides = {
    engine: async (file: BenchFile): Promise<string> => {
      const { pages } = await extractDocumentText(await readFile(file.path), ports);
      return pages.map((p) => p.text).join('\n');
    },
    reference: async (file: BenchFile): Promise<string> =>
      (await runTool('tesseract', [file.path, 'stdout', '--psm', String(PAGE_PSM), '-l', config.ocr.lang, '--tessdata-dir', config.ocr.langPath], { env, keepOutput: true })).stdout,
  };
  try {
    // Warm-up, untimed: one page per pool worker and per process slot (model load, JIT, page cache).
    const warm = files.slice(0, parallelism);
    await mapLimited(warm, parallelism, sides.engine);
    await mapLimited(warm, parallelism, sides.reference);
    const texts = new Array<string>(files.length);
    const byKind = {} as OcrResult['byKind'];
    for (const kind of ['a4', 'identity'] as const) {
      const indexes = files.flatMap((f, i) => (f.kind === kind ? [i] : []));
      const set = indexes.map((i) => files[i]!);
      const run = await abba(set, parallelism, sides);
      run.engine.results.forEach((text, j) => (texts[indexes[j]!] = text));
      byKind[kind] = { engine: ocrSide(set, run, 'engine', parallelism), native: ocrSide(set, run, 'reference', parallelism) };
    }
    return { parallelism, psm: PAGE_PSM, lang: config.ocr.lang, byKind, engine: combine(byKind, 'engine'), native: combine(byKind, 'native'), texts };
  } finally {
    await pool.terminate();
  }
}

function ocrSide(files: readonly BenchFile[], run: SideBySide<string>, side: 'engine' | 'reference', lanes: number): OcrSide {
  const pairs = files.map((f, i) => ({ reference: f.groundTruth.join('\n'), hypothesis: run[side].results[i] ?? '' }));
  const pages = sum(files.map((f) => f.pages));
  return {
    ms: run[side].ms,
    pages,
    pagesPerSecond: perSecond(pages, run[side].ms),
    cer: characterErrorRate(pairs),
    orderFreeCer: orderFreeErrorRate(pairs),
    tailIdleShare: run[side].ms > 0 ? run[side].tailIdleMs / (run[side].ms * lanes) : 0,
  };
}

function combine(byKind: OcrResult['byKind'], side: 'engine' | 'native'): OcrSide {
  const parts = Object.values(byKind).map((k) => k[side]);
  const add = (pick: (s: OcrSide) => CerTotals): CerTotals => {
    const errors = sum(parts.map((p) => pick(p).errors));
    const referenceChars = sum(parts.map((p) => pick(p).referenceChars));
    return { errors, referenceChars, cer: referenceChars > 0 ? errors / referenceChars : 0 };
  };
  const ms = sum(parts.map((p) => p.ms));
  const pages = sum(parts.map((p) => p.pages));
  const tailIdle = sum(parts.map((p) => p.tailIdleShare * p.ms));
  return { ms, pages, pagesPerSecond: perSecond(pages, ms), cer: add((p) => p.cer), orderFreeCer: add((p) => p.orderFreeCer), tailIdleShare: ms > 0 ? tailIdle / ms : 0 };
}

export interface PdfTextResult {
  engine: SideResult & { orderFreeCer: CerTotals };
  native: SideResult & { orderFreeCer: CerTotals };
  files: number;
  /** Times the set was run per side (see abbaRounds). */
  rounds: number;
  /** Pages in the set. */
  setPages: number;
}

/**
 * Text layers: the engine's extraction (pdf.js, warm, in its worker thread, one document at a time)
 * against `pdftotext -layout FILE -`, one process per file, one at a time.
 */
export async function measurePdfText(files: readonly BenchFile[]): Promise<PdfTextResult & { texts: string[] }> {
  const pdf = createPdfEngine();
  const ports: ExtractionPorts = { ocr: refuseOcr, pdf, image: createSharpPreprocessor() };
  const sides = {
    engine: async (file: BenchFile): Promise<string> => {
      const { pages } = await extractDocumentText(await readFile(file.path), ports);
      if (pages.some((p) => p.method !== 'pdf-text')) throw new Error(`${file.path}: a page was not read from its text layer`);
      return pages.map((p) => p.text).join('\n');
    },
    reference: async (file: BenchFile): Promise<string> => (await runTool('pdftotext', ['-layout', file.path, '-'], { keepOutput: true })).stdout,
  };
  // Warm-up, untimed: the first few documents on each side (pdf.js import and JIT, standard fonts, page cache).
  for (const file of files.slice(0, WARM_UP_FILES)) {
    await sides.engine(file);
    await sides.reference(file);
  }
  const run = await abbaRounds(files, 1, sides, { minMs: MIN_TIMED_MS, maxRounds: MAX_ROUNDS }).finally(() => pdf.terminate());
  const setPages = sum(files.map((f) => f.pages));
  const pages = setPages * run.rounds;
  const side = (which: 'engine' | 'reference'): PdfTextResult['engine'] => ({
    ms: run[which].ms,
    pages,
    pagesPerSecond: perSecond(pages, run[which].ms),
    orderFreeCer: orderFreeErrorRate(files.map((f, i) => ({ reference: f.groundTruth.join('\n'), hypothesis: run[which].results[i] ?? '' }))),
  });
  return { engine: side('engine'), native: side('reference'), files: files.length, rounds: run.rounds, setPages, texts: run.engine.results };
}

export interface RenderResult {
  dpi: number;
  rounds: number;
  setPages: number;
  engine: SideResult;
  native: SideResult;
  /** Grayscale bytes the engine produced per page (PGM), for a sanity check against pdftoppm's. */
  engineBytes: number;
  nativeBytes: number;
}

/**
 * Rendering scanned (image-only) PDF pages for OCR: pdf.js onto @napi-rs/canvas and to 8-bit gray
 * in its worker thread, as the engine does for a page without text, against `pdftoppm -gray -r DPI FILE` (PGM to stdout,
 * read and discarded); both one page at a time, one process per file for pdftoppm.
 */
export async function measureRender(files: readonly BenchFile[]): Promise<RenderResult> {
  const pdf = createPdfEngine();
  const dpis = new Set<number>();
  const sides = {
    engine: async (file: BenchFile): Promise<number> => {
      const doc = await pdf.open(await readFile(file.path));
      let bytes = 0;
      try {
        for (let n = 1; n <= doc.pageCount; n++) {
          const page = await doc.getPage(n);
          try {
            const dpi = renderDpiFor(page, OCR_RENDER_DPI, DEFAULT_EXTRACTION_LIMITS.maxPixels);
            dpis.add(dpi);
            bytes += (await page.render(dpi)).image.length;
          } finally {
            page.release();
          }
        }
      } finally {
        await doc.close();
      }
      return bytes;
    },
    reference: async (file: BenchFile): Promise<number> => (await runTool('pdftoppm', ['-gray', '-r', String(OCR_RENDER_DPI), file.path])).bytes,
  };
  for (const file of files.slice(0, WARM_UP_FILES)) {
    await sides.engine(file);
    await sides.reference(file);
  }
  const run = await abbaRounds(files, 1, sides, { minMs: MIN_TIMED_MS, maxRounds: MAX_ROUNDS }).finally(() => pdf.terminate());
  if (dpis.size !== 1 || !dpis.has(OCR_RENDER_DPI)) throw new Error(`the engine rendered at ${[...dpis].join(', ')} dpi, not ${OCR_RENDER_DPI}`);
  const setPages = sum(files.map((f) => f.pages));
  const pages = setPages * run.rounds;
  const side = (which: 'engine' | 'reference'): SideResult => ({ ms: run[which].ms, pages, pagesPerSecond: perSecond(pages, run[which].ms) });
  return {
    dpi: OCR_RENDER_DPI, rounds: run.rounds, setPages, engine: side('engine'), native: side('reference'),
    engineBytes: sum(run.engine.results), nativeBytes: sum(run.reference.results),
  };
}

export interface ModelResult {
  modelFile: string;
  threads: number | 'default';
  documents: number;
  latencyMs: { p50: number; p95: number; max: number };
  promptTokens: number;
  generatedTokens: number;
  /** (prompt + generated tokens) ÷ total call time. */
  tokensPerSecond: number;
  /** Generated tokens ÷ total call time (prompt evaluation included in the time). */
  generatedPerSecond: number;
  correct: number;
}

/**
 * Classification as the analysis step asks it (buildClassificationPrompt, the closed-label JSON
 * schema, CLASSIFICATION_MAX_TOKENS, temperature 0) with the configured model (default: the small
 * default model), one call at a time on the worker's default threads and slots.
 */
export async function measureModel(
  documents: ReadonlyArray<{ text: string; type: DocumentType }>,
  config: Readonly<Config>,
): Promise<ModelResult> {
  const model = await createLlamaModel({
    modelPath: config.model.path,
    contexts: config.model.slots,
    ...(config.model.threads ? { threads: config.model.threads } : {}),
  });
  try {
    const classify = async (text: string) => {
      const started = performance.now();
      const answer = await model.generateJson(buildClassificationPrompt([{ page: 1, text }]), CLASSIFICATION_SCHEMA, { maxTokens: CLASSIFICATION_MAX_TOKENS });
      return { ...answer, wallMs: performance.now() - started };
    };
    await classify(documents[0]!.text); // warm-up, untimed: grammar compilation, first context evaluation
    const calls = [];
    for (const doc of documents) calls.push({ ...(await classify(doc.text)), type: doc.type });
    const latencies = calls.map((c) => c.wallMs);
    const totalMs = sum(latencies);
    const promptTokens = sum(calls.map((c) => c.promptTokens));
    const generatedTokens = sum(calls.map((c) => c.tokens));
    return {
      modelFile: model.modelId.file,
      threads: config.model.threads ?? 'default',
      documents: calls.length,
      latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) },
      promptTokens,
      generatedTokens,
      tokensPerSecond: perSecond(promptTokens + generatedTokens, totalMs),
      generatedPerSecond: perSecond(generatedTokens, totalMs),
      correct: calls.filter((c) => parseClassification(c.value)?.type === c.type).length,
    };
  } finally {
    await model.dispose();
  }
}

/** Text-layer pages never reach OCR; if one did, the PDF row would be measuring something else. */
const refuseOcr: ExtractionPorts['ocr'] = {
  recognize(): never {
    throw new Error('a text-layer PDF page was sent to OCR');
  },
};
