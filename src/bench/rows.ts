/** Turns the measurements into the table's rows: values, ratios, goals and verdicts. Pure. */
import type { OcrResult, PdfTextResult, RenderResult, ModelResult, OcrSide } from './micro.js';
import type { EndToEndResult } from './e2e.js';
import type { MemorySample } from './e2e-child.js';
import type { ProcessUsage } from './sampler.js';
import {
  fmt, fmtMiB, fmtPercent, fmtPointDifference, fmtRatio, rateComparison, verdict, type BenchRow,
} from './table.js';

/** The goals of issue 6, section 1. */
export const GOALS = {
  ocrThroughputRatio: 0.8,
  pdfTextRatio: 0.9,
  renderRatio: 0.5,
  maxOverhead: 0.1,
  /** "Both cores busy": the engine's processes use at least this share of all cores during a batch. */
  minCpuShare: 0.9,
} as const;

export interface BenchResults {
  ocr?: OcrResult;
  pdfText?: PdfTextResult;
  render?: RenderResult;
  model?: ModelResult;
  /** Every queue in one worker process (the embedded default). */
  e2e?: EndToEndResult;
  /** The same batch: workflows and I/O in one process, OCR and the model in another. */
  e2eSplit?: EndToEndResult;
}

const NONE = '—';

function info(metric: string, engine: string, note: string, reference = NONE): BenchRow {
  return { metric, engine, reference, ratio: NONE, goal: NONE, verdict: 'info', note };
}

function rateRow(metric: string, engine: number, reference: number, minRatio: number, note: string): BenchRow {
  const { ratio, verdict: v } = rateComparison(engine, reference, minRatio);
  return { metric, engine: fmt(engine), reference: fmt(reference), ratio: fmtRatio(ratio), goal: `≥ ${minRatio.toFixed(2)}×`, verdict: v, note };
}

/** CER is better when lower: the engine passes when it is no worse than the native CLI. */
function cerRow(metric: string, engine: OcrSide['cer'], native: OcrSide['cer'], note: string): BenchRow {
  return {
    metric,
    engine: fmtPercent(engine.cer, 2),
    reference: fmtPercent(native.cer, 2),
    ratio: fmtPointDifference(engine.cer, native.cer),
    goal: '≤ CLI',
    verdict: verdict(engine.cer <= native.cer),
    note,
  };
}

function memoryCourse(memory: EndToEndResult['memory'], pick: (m: MemorySample) => number): string {
  return [memory.start, memory.half, memory.end].map((m) => fmtMiB(pick(m))).join(' → ');
}

/** How much of each side's time its lanes sat idle at the ends of the timed halves (few long pages last). */
function tailIdle(kind: { engine: OcrSide; native: OcrSide }): string {
  return `lanes idle at the halves' ends: engine ${fmtPercent(kind.engine.tailIdleShare, 0)}, CLI ${fmtPercent(kind.native.tailIdleShare, 0)}`;
}

function rssCourse(p: ProcessUsage | undefined): string {
  return p ? `${fmtMiB(p.rssAtHalfBytes)} → ${fmtMiB(p.rssAtEndBytes)}` : 'n/a';
}

export function buildRows(results: BenchResults): BenchRow[] {
  const rows: BenchRow[] = [];
  const { ocr, pdfText, render, model, e2e, e2eSplit } = results;
  if (ocr) {
    const p = ocr.parallelism;
    rows.push(
      rateRow(`OCR pages/s (${ocr.engine.pages} images, ${p} at a time)`, ocr.engine.pagesPerSecond, ocr.native.pagesPerSecond, GOALS.ocrThroughputRatio,
        `engine: extractDocumentText, sharp + tesseract.js pool of ${p}; ref: tesseract CLI --psm ${ocr.psm}, OMP_THREAD_LIMIT=1, ${p} processes`),
      rateRow(`  of which A4 scans/photos (${ocr.byKind.a4.engine.pages})`, ocr.byKind.a4.engine.pagesPerSecond, ocr.byKind.a4.native.pagesPerSecond, GOALS.ocrThroughputRatio,
        `bills, statements, payslips, certificates: scan PNG/TIFF, phone JPEG; ${tailIdle(ocr.byKind.a4)}`),
      rateRow(`  of which identity documents (${ocr.byKind.identity.engine.pages})`, ocr.byKind.identity.engine.pagesPerSecond, ocr.byKind.identity.native.pagesPerSecond, GOALS.ocrThroughputRatio,
        `passports, ID cards, licences: engine also re-reads the MRZ band; ${tailIdle(ocr.byKind.identity)}`),
      cerRow('OCR CER, words in any order', ocr.engine.orderFreeCer, ocr.native.orderFreeCer,
        `vs the text drawn; ${ocr.engine.orderFreeCer.referenceChars} ref chars; layout order not counted`),
      cerRow('OCR CER, reading order', ocr.engine.cer, ocr.native.cer, 'Levenshtein on normalised text; a table read by columns counts as errors'),
    );
  }
  if (pdfText) {
    rows.push(rateRow(`PDF text pages/s (${pdfText.setPages} pages × ${pdfText.rounds})`, pdfText.engine.pagesPerSecond, pdfText.native.pagesPerSecond, GOALS.pdfTextRatio,
      `1 at a time; engine warm, pdf.js in its worker thread; ref: pdftotext -layout, 1 process per file; CER ${fmtPercent(pdfText.engine.orderFreeCer.cer, 2)} vs ${fmtPercent(pdfText.native.orderFreeCer.cer, 2)}`));
  }
  if (render) {
    rows.push(rateRow(`Render for OCR pages/s (${render.setPages} scans × ${render.rounds}, ${render.dpi} dpi)`, render.engine.pagesPerSecond, render.native.pagesPerSecond, GOALS.renderRatio,
      `1 at a time; engine: pdf.js + canvas → 8-bit gray; ref: pdftoppm -gray -r ${render.dpi}, PGM to a pipe`));
  }
  if (model) {
    const note = `${model.modelFile}, ${model.documents} docs one at a time, threads ${model.threads}; ${model.correct}/${model.documents} labels right`;
    rows.push(
      info('Model classification latency p50 / p95', `${Math.round(model.latencyMs.p50)} / ${Math.round(model.latencyMs.p95)} ms`, note),
      info('Model tokens/s (prompt+answer / answer)', `${fmt(model.tokensPerSecond, 0)} / ${fmt(model.generatedPerSecond, 1)}`,
        `${model.promptTokens} prompt + ${model.generatedTokens} answer tokens; answer rate includes prompt time`),
    );
  }
  if (e2e) rows.push(...endToEndRows(e2e));
  if (e2eSplit) rows.push(...endToEndRows(e2eSplit));
  return rows;
}

/** Applicants per minute, overhead, CPU and memory of one end-to-end run. */
function endToEndRows(e2e: EndToEndResult): BenchRow[] {
  const split = e2e.topology === 'split';
  const tag = split ? 'split' : 'one process';
  const minutes = e2e.wallMs / 60_000;
  const b = e2e.breakdown;
  // More activities running at once than the slots believed: the split between queueing and overhead is off.
  const overfull = Object.entries(e2e.maxRunning).filter(([queue, running]) => running > (e2e.capacity[queue] ?? Infinity)).map(([queue]) => queue);
  const { usage } = e2e;
  const worker = usage.processes['ocr+model worker'];
  const engineCpu = usage.processes.engine?.cpuShareOfCores ?? Number.NaN;
  const workerCpu = worker?.cpuShareOfCores ?? 0;
  const serverCpu = usage.processes.temporal?.cpuShareOfCores ?? 0;
  const ours = engineCpu + workerCpu + serverCpu;
  const processes = split ? 'workflows+I/O process, OCR+model worker process' : 'every queue in one process (the embedded default)';
  return [
    info(`End to end applicants/min, ${tag} (${e2e.applicants} applicants)`, fmt(e2e.applicants / minutes, 1),
      `${processes}; ${e2e.documents} docs, ${e2e.pagesProcessed} pages in ${fmt(e2e.wallMs / 1000, 1)} s; ${e2e.maxConcurrentCases} cases at once; ${e2e.ocrWorkers} OCR engines busy ${fmtPercent(e2e.ocrEnginesBusy, 0)}${split ? ' (warm-up included)' : ''}, +${e2e.ocrPrefetch} prefetch slot`),
    {
      metric: `Orchestration overhead, ${tag}`,
      engine: fmtPercent(e2e.overhead),
      reference: NONE,
      ratio: NONE,
      goal: `≤ ${fmtPercent(GOALS.maxOverhead, 0)}`,
      verdict: verdict(e2e.overhead <= GOALS.maxOverhead),
      note: `per case, no activity running nor first in line for a free slot ÷ case time; p95 case ${fmtPercent(e2e.perCaseOverhead.p95, 0)}; waiting for capacity ${fmtPercent(b.queuedMs / b.wallMs, 0)} (not overhead); ${fmt(e2e.workflowTasks.perCase, 1)} workflow tasks per case, p50 ${fmt(e2e.workflowTasks.scheduleToStartMs.p50, 0)} ms to start + ${fmt(e2e.workflowTasks.startToCloseMs.p50, 0)} ms to complete; event-loop delay p99 ${fmt(e2e.eventLoopDelayMs.p99, 0)} ms${overfull.length > 0 ? `; CHECK: slots of ${overfull.join(', ')} undercounted` : ''}`,
    },
    {
      metric: `CPU busy, ${usage.cores} cores, ${tag}`,
      engine: fmtPercent(ours, 0),
      reference: NONE,
      ratio: NONE,
      goal: `≥ ${fmtPercent(GOALS.minCpuShare, 0)}`,
      verdict: verdict(Number.isFinite(ours) ? ours >= GOALS.minCpuShare : undefined),
      note: `${split ? `workflows+I/O ${fmtPercent(engineCpu, 0)} + OCR+model ${fmtPercent(workerCpu, 0)}` : `engine ${fmtPercent(engineCpu, 0)}`} + Temporal ${fmtPercent(serverCpu, 0)}; machine-wide ${usage.perCoreBusy.map((c) => fmtPercent(c, 0)).join(' / ')} per core (other load included)`,
    },
    info(`Peak RSS per process, ${tag}`, split ? `${fmtMiB(usage.processes.engine?.peakRssBytes)} + ${fmtMiB(worker?.peakRssBytes)}` : fmtMiB(usage.processes.engine?.peakRssBytes),
      `VmHWM at batch end (start-up and warm-up included), MALLOC_ARENA_MAX=${e2e.mallocArenaMax ?? 'unset'}${split ? ': workflows+I/O process + OCR+model worker' : ''}; RSS at half-batch → end ${rssCourse(usage.processes.engine)}${split ? ` and ${rssCourse(worker)}` : ''}; ${split ? 'workflows+I/O process' : 'engine'} JS heap ${memoryCourse(e2e.memory, (m) => m.heapUsed)}, external ${memoryCourse(e2e.memory, (m) => m.external)}, native rest ${memoryCourse(e2e.memory, (m) => m.rss - m.heapUsed - m.external)} (start → half → end); ${e2e.cachedWorkflows} workflows cached at end (bound ${e2e.workflowCacheSize}); Temporal dev server ${fmtMiB(usage.processes.temporal?.peakRssBytes)}`),
  ];
}
