/**
 * The end-to-end row's own process (started by e2e.ts): opens the engine as `kyc process` does,
 * with in-process workers on a private embedded Temporal dev server (KYC_DATA_DIR, TEMPORAL_PORT and
 * TEMPORAL_UI_PORT come from the parent), runs an untimed warm-up batch, then the timed batch,
 * and reads every case's history to see where the time went. Being a process of its own, its peak
 * memory is the worker process's and nothing else's.
 *
 *   tsx src/bench/e2e-child.ts CORPUS_DIR WARMUP_DIR OUT_FILE [one-process|split]
 *
 * `split`: this process serves the workflows and I/O queues, and a worker process of its own
 * (`workers/main.ts --queues ocr,model`, as docker-compose.yml runs them) serves OCR and the model.
 *
 * Messages to the parent (IPC): {type:'ready', serverPid, workerPid?}, {type:'batch-start'}, {type:'batch-end'}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openEngine, type Engine } from '../app/engine.js';
import { readCaseDir } from '../cli/case-dir.js';
import { DEFAULT_AS_OF } from '../corpus/generate.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { TASK_QUEUES } from '../temporal/names.js';
import { concurrencyFor } from '../../workers/bootstrap.js';
import type { BatchProgress } from '../../workflows/messages.js';
import {
  addBreakdowns, breakdownCase, caseTimeline, overheadShare, queueOccupancy, slotUtilisation, spansByQueue,
  type ActivitySpan, type CaseTimeline, type HistoryEventLike, type TimeBreakdown,
} from './case-timeline.js';
import { sampleAt } from './proc.js';
import { mapLimited } from './run.js';
import { percentile, sum } from './stats.js';

export interface EndToEndChildResult {
  applicants: number;
  documents: number;
  pagesProcessed: number;
  /** From submitBatch (documents stored, workflow started) to the batch's result. */
  wallMs: number;
  /** Of which: storing the documents and starting the batch workflow. */
  submitMs: number;
  statuses: Record<string, number>;
  decisions: Record<string, number>;
  /** Summed over every case: where each case's own wall time went. */
  breakdown: TimeBreakdown;
  overhead: number;
  perCaseOverhead: { p50: number; p95: number; max: number };
  /** Mean share of each task queue's slots busy over the batch window. */
  slotUtilisation: Record<string, number>;
  /** Slots per task queue as configured (OCR workers plus prefetch, config.concurrency). */
  capacity: Record<string, number>;
  /** Most activities of a queue seen running at once (a check on `capacity`). */
  maxRunning: Record<string, number>;
  /** Per activity type: how many ran, for how long, and how long each waited from schedule to start. */
  activities: Record<string, { count: number; totalMs: number; meanMs: number; scheduleToStartMs: { p50: number; p95: number } }>;
  /** Workflow tasks of the cases: waiting for the workflow worker, and its own work on them (ms). */
  workflowTasks: { count: number; perCase: number; scheduleToStartMs: { p50: number; p95: number }; startToCloseMs: { p50: number; p95: number } };
  ocrWorkers: number;
  ocrPrefetch: number;
  /**
   * Share of the batch's wall time the OCR engines (tesseract.js threads) were recognising, measured
   * in the pool (split topology: over the worker process's life, the warm-up included).
   */
  ocrEnginesBusy: number;
  /** Workflows in the orchestrating process's cache at batch end, and the cache's bound. */
  cachedWorkflows: number;
  workflowCacheSize: number;
  /** The orchestrating process's memory (process.memoryUsage) at batch start, half-way and end: what grows. */
  memory: { start: MemorySample; half: MemorySample; end: MemorySample };
  /** glibc's arena limit this process started with (package.json sets 2). */
  mallocArenaMax: string | undefined;
  topology: Topology;
  /**
   * How late the worker process's event loop ran its callbacks during the batch (ms): activity tasks,
   * workflow activations and payload encryption all wait behind whatever holds the main thread.
   */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  maxConcurrentCases: number;
  modelMode: string;
  warmupApplicants: number;
}

export type Topology = 'one-process' | 'split';

/** Bytes. `heapUsed`: JavaScript objects of the main thread; `external`: memory outside the heap held by its objects (buffers); the rest of `rss` is native (threads' heaps and WebAssembly memory, libvips, llama.cpp, Temporal's core). */
export type MemorySample = Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'external'>;

function memorySample(): MemorySample {
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

type Message = { type: 'ready'; serverPid: number | undefined; workerPid: number | undefined } | { type: 'batch-start' } | { type: 'batch-end' };

const WORKER_MAIN = fileURLToPath(new URL('../../workers/main.ts', import.meta.url));

/** The OCR figures of a worker process's 'workers stopped' log line. */
interface WorkerFigures {
  ocrWorkers?: number;
  ocrBusyMs?: number;
}

/** The OCR and model worker process of the split topology, and what it logs when it stops. */
interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when it exited, with the OCR figures of its 'workers stopped' log line. */
  stopped: Promise<WorkerFigures>;
}

function startWorkerProcess(): WorkerProcess {
  // Same data dir, port and keys (from the environment): it joins this process's dev server.
  const child = spawn(process.execPath, [...process.execArgv, WORKER_MAIN, '--queues', 'ocr,model'], {
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let figures: WorkerFigures = {};
  let pending = '';
  // The logger writes to stderr: read it for the last line, and pass everything else through.
  child.stderr!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as WorkerFigures & { msg?: string; level?: number };
        if (entry.msg === 'workers stopped') figures = { ocrWorkers: entry.ocrWorkers, ocrBusyMs: entry.ocrBusyMs };
        else if ((entry?.level ?? 0) >= 50) process.stderr.write(`${line}\n`); // errors pass through
      } catch {
        process.stderr.write(`${line}\n`);
      }
    }
  });
  const stopped = new Promise<WorkerFigures>((resolve) => child.once('exit', () => resolve(figures)));
  return { child, stopped };
}

function send(message: Message): void {
  process.send?.(message);
}

/**
 * Activity slots per task queue of the one worker process (what workers/bootstrap.ts gives each
 * queue's Worker). Used only to tell waiting for a busy slot (capacity) from waiting on Temporal (overhead).
 */
function queueCapacity(config: Readonly<Config>): Record<string, number> {
  return { [TASK_QUEUES.ocr]: concurrencyFor('ocr', config), [TASK_QUEUES.model]: concurrencyFor('model', config), [TASK_QUEUES.io]: concurrencyFor('io', config) };
}

async function caseDirs(corpus: string): Promise<string[]> {
  const entries = await readdir(corpus, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => join(corpus, e.name)).sort();
}

async function readBatch(corpus: string) {
  const cases = [];
  for (const dir of await caseDirs(corpus)) cases.push(await readCaseDir(dir, 50 * 1024 * 1024));
  return { cases, sanctionsCsv: await readFile(join(corpus, 'sanctions.csv')) };
}

async function runBatch(engine: Engine, corpus: string, batchId: string, onSubmitted?: () => void): Promise<{ result: BatchProgress; documents: number }> {
  const { cases, sanctionsCsv } = await readBatch(corpus);
  const submission = await engine.service.submitBatch({ cases, asOf: DEFAULT_AS_OF, sanctionsCsv, batchId });
  onSubmitted?.();
  const result = await engine.service.waitForBatch(submission.batchId);
  return { result, documents: sum(cases.map((c) => c.documents.length)) };
}

function p50p95(values: number[]): { p50: number; p95: number } {
  return { p50: percentile(values, 50), p95: percentile(values, 95) };
}

function count<T extends string>(values: readonly (T | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v ?? 'none'] = (out[v ?? 'none'] ?? 0) + 1;
  return out;
}

async function main(): Promise<void> {
  const [corpus, warmup, outFile, topologyArg = 'one-process'] = process.argv.slice(2);
  if (!corpus || !warmup || !outFile || !['one-process', 'split'].includes(topologyArg)) {
    throw new Error('usage: e2e-child.ts CORPUS_DIR WARMUP_DIR OUT_FILE [one-process|split]');
  }
  const topology = topologyArg as Topology;
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'error');
  const engine = await openEngine({
    config,
    logger,
    workers: 'always',
    ...(topology === 'split' ? { queues: ['workflows', 'io'] as const } : {}),
    onProgress: (line) => process.stderr.write(`[bench e2e] ${line}\n`),
  });
  const worker = topology === 'split' ? startWorkerProcess() : undefined;
  // Ctrl-C reaches this process too: stop the workers and the private dev server (it runs detached) before leaving.
  const interrupted = (): void => {
    worker?.child.kill('SIGTERM');
    void engine.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (!engine.target.server?.owned) throw new Error(`expected a private dev server, found one already on ${engine.target.address}`);
    const serverPid = Number(await readFile(join(config.dataDir, 'temporal', 'server.pid'), 'utf8').catch(() => 'NaN'));
    send({ type: 'ready', serverPid: Number.isInteger(serverPid) ? serverPid : undefined, workerPid: worker?.child.pid });

    // Warm-up, untimed: workflow bundle in use, OCR workers and model loaded and run once, pdf.js imported.
    const warm = await runBatch(engine, warmup, 'bench-warmup');

    send({ type: 'batch-start' });
    const ocrBusyBefore = engine.workers?.ocr?.busyMs ?? Number.NaN;
    const memory: Array<[at: number, sample: MemorySample]> = [[performance.now(), memorySample()]];
    const memoryTimer = setInterval(() => memory.push([performance.now(), memorySample()]), 5000);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const started = performance.now();
    let submitMs = 0;
    const { result, documents } = await runBatch(engine, corpus, 'bench-batch', () => (submitMs = performance.now() - started));
    const wallMs = performance.now() - started;
    const inProcessOcrBusyMs = (engine.workers?.ocr?.busyMs ?? Number.NaN) - ocrBusyBefore;
    loopDelay.disable();
    clearInterval(memoryTimer);
    memory.push([performance.now(), memorySample()]);
    const half = sampleAt(memory, started + wallMs / 2) ?? memory[0]![1];
    const cachedWorkflows = engine.workers?.cachedWorkflows() ?? Number.NaN;
    send({ type: 'batch-end' });

    const timelines = await mapLimited(result.cases, 8, async (c): Promise<CaseTimeline> => {
      const history = await engine.client.workflow.getHandle(c.workflowId).fetchHistory();
      return caseTimeline((history.events ?? []) as HistoryEventLike[]);
    });
    const spans: ActivitySpan[] = timelines.flatMap((t) => t.activities);
    const occupancy = queueOccupancy(spans);
    const capacity = queueCapacity(config);
    const waiting = spansByQueue(spans);
    const breakdowns = timelines.map((t) => breakdownCase(t, occupancy, capacity, waiting));
    const perCase = breakdowns.map(overheadShare);
    const from = Math.min(...timelines.map((t) => t.start));
    const to = Math.max(...timelines.map((t) => t.end));
    const activities: EndToEndChildResult['activities'] = {};
    for (const name of new Set(spans.map((s) => s.activity))) {
      const done = spans.filter((s) => s.activity === name && s.started !== undefined && s.closed !== undefined);
      const totalMs = sum(done.map((s) => s.closed! - s.started!));
      activities[name] = { count: done.length, totalMs, meanMs: done.length > 0 ? totalMs / done.length : 0, scheduleToStartMs: p50p95(done.map((s) => s.started! - s.scheduled)) };
    }
    const tasks = timelines.flatMap((t) => t.workflowTasks).filter((t) => t.started !== undefined && t.closed !== undefined);
    const workflowTasks: EndToEndChildResult['workflowTasks'] = {
      count: tasks.length,
      perCase: tasks.length / Math.max(1, timelines.length),
      scheduleToStartMs: p50p95(tasks.map((t) => t.started! - t.scheduled)),
      startToCloseMs: p50p95(tasks.map((t) => t.closed! - t.started!)),
    };
    const breakdown = addBreakdowns(breakdowns);
    // The split topology's OCR figures come from the worker process's last log line (warm-up included).
    const workerFigures = worker ? await stopWorker(worker) : undefined;
    const ocrEngines = workerFigures ? (workerFigures.ocrWorkers ?? Number.NaN) : (engine.workers?.ocr?.size ?? Number.NaN);
    const ocrBusyMs = workerFigures ? (workerFigures.ocrBusyMs ?? Number.NaN) : inProcessOcrBusyMs;
    const report: EndToEndChildResult = {
      applicants: result.total,
      documents,
      pagesProcessed: result.pagesProcessed,
      wallMs,
      submitMs,
      statuses: count(result.cases.map((c) => c.status)),
      decisions: count(result.cases.map((c) => c.decision)),
      breakdown,
      overhead: overheadShare(breakdown),
      perCaseOverhead: { p50: percentile(perCase, 50), p95: percentile(perCase, 95), max: Math.max(...perCase) },
      slotUtilisation: Object.fromEntries(Object.entries(capacity).map(([queue, slots]) => [queue, slotUtilisation(spans, queue, slots, from, to)])),
      capacity,
      maxRunning: Object.fromEntries([...occupancy].map(([queue, steps]) => [queue, Math.max(...steps.map((s) => s.running))])),
      activities,
      workflowTasks,
      ocrWorkers: config.ocr.workers,
      ocrPrefetch: config.ocr.prefetch,
      ocrEnginesBusy: ocrBusyMs / (wallMs * ocrEngines),
      cachedWorkflows,
      workflowCacheSize: config.concurrency.workflowCache,
      memory: { start: memory[0]![1], half, end: memory.at(-1)![1] },
      mallocArenaMax: process.env.MALLOC_ARENA_MAX,
      topology,
      eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      maxConcurrentCases: config.batch.maxConcurrentCases,
      modelMode: config.model.mode,
      warmupApplicants: warm.result.total,
    };
    await writeFile(outFile, JSON.stringify(report, null, 2));
  } finally {
    if (worker) await stopWorker(worker);
    await engine.close();
  }
}

async function stopWorker(worker: WorkerProcess): Promise<WorkerFigures> {
  if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  return worker.stopped;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[bench e2e] ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
