/**
 * Sweeps a folder of PDFs through the engine's real extraction path and writes one table row per
 * file (tab-separated): outcome (ok or the error code), pages kept and failed, characters, OCR'd
 * pages, wall time and peak memory. See docs/pdf-sweep.md for the figures on pdf.js's test corpus.
 *
 *   npm run pdf-sweep -- <folder-or-files…> [--out table.tsv] [--ocr-cap N] [--concurrency N] [--doc-timeout 900s] [--kill-above-mb 4096] [--resume]
 *   npm run pdf-sweep -- --summary table.tsv
 *   npm run pdf-sweep -- --compare before.tsv --compare after.tsv   (files whose outcome or pages differ)
 *
 * One long-lived child process (child.ts) does the work, configured from the environment like a
 * worker (MAX_PAGES, MAX_PIXELS, PAGE_TIMEOUT, OCR_WORKERS, PDF_THREADS…), one document at a time.
 * This parent only measures and guards: it records the child's peak resident memory per document
 * (the child's VmHWM, reset before each document) and the highest resident memory of any process
 * the child started (polled every 100 ms), and treats a child that dies or takes longer than
 * --doc-timeout on one document as that document's outcome (CRASHED / HUNG), then starts a fresh
 * child and goes on. After each document it also counts processes the child left behind.
 *
 * --concurrency N: N documents in flight at once in the one child, as a worker's OCR-queue slots
 * run them: peak memory is then the worker's while they ran, and a document whose outcome differs
 * from a one-at-a-time sweep was harmed by a neighbour. A child killed because one document hung has
 * its other documents run again in the next child.
 *
 * --kill-above-mb M: a guard for the machine, not an engine limit: a child (with its children) resident
 * above M MB is killed and the document recorded as MEMORY_GUARD.
 *
 * --ocr-cap N: at most N full-page OCR readings per document (a page read upside down again counts
 * twice); beyond that a reading returns no text. Pages are still rendered, so memory figures hold.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SweepRequest, SweepResult } from './child.js';

const COLUMNS = [
  'file', 'bytes', 'pages', 'outcome', 'pages_kept', 'pages_failed', 'characters', 'ocr_pages', 'ocr_readings', 'ocr_skipped',
  'wall_ms', 'peak_rss_mb', 'children_peak_rss_mb', 'processes_after', 'failed_pages', 'message',
] as const;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    'ocr-cap': { type: 'string' },
    'doc-timeout': { type: 'string', default: '900s' },
    resume: { type: 'boolean', default: false },
    summary: { type: 'string' },
    compare: { type: 'string', multiple: true },
    'kill-above-mb': { type: 'string', default: '4096' },
    concurrency: { type: 'string', default: '1' },
  },
});

if (values.summary) {
  process.stdout.write(summarize(readTable(values.summary)));
  process.exit(0);
}
if (values.compare) {
  if (values.compare.length !== 2) throw new Error('--compare takes two tables: --compare a.tsv --compare b.tsv');
  process.stdout.write(compare(readTable(values.compare[0]!), readTable(values.compare[1]!)));
  process.exit(0);
}
if (positionals.length === 0) {
  process.stderr.write('usage: pdf-sweep <folder-or-files…> [--out table.tsv] [--ocr-cap N] [--concurrency N] [--doc-timeout 900s] [--kill-above-mb 4096] [--resume]\n       pdf-sweep --summary table.tsv\n');
  process.exit(2);
}

const out = resolve(values.out ?? 'pdf-sweep.tsv');
const ocrCap = values['ocr-cap'] === undefined ? undefined : Number(values['ocr-cap']);
const docTimeoutMs = seconds(values['doc-timeout']!) * 1000;
/** A guard for the machine the sweep runs on, not one of the engine's limits: past it the child is killed (MEMORY_GUARD). */
const killAboveBytes = Number(values['kill-above-mb']) * 1024 * 1024;
/** Documents in flight at once in the one worker-like child, as a worker's OCR-queue slots would run them. */
const concurrency = Math.max(1, Number(values.concurrency));
const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p).filter((n) => /\.pdf$/i.test(n)).sort().map((n) => join(p, n))
    : [p],
);
const done = new Set(values.resume && existsSync(out) ? readTable(out).map((r) => r.file) : []);
if (!values.resume || !existsSync(out)) {
  const settings = {
    started: new Date().toISOString(),
    files: files.length,
    ocrCap: ocrCap ?? 'none',
    concurrency: Number(values.concurrency),
    docTimeout: values['doc-timeout'],
    env: Object.fromEntries(
      ['MAX_PAGES', 'MAX_PIXELS', 'MAX_DOCUMENT_BYTES', 'PAGE_TIMEOUT', 'OCR_WORKERS', 'PDF_THREADS', 'MALLOC_ARENA_MAX'].map((k) => [k, process.env[k] ?? '(default)']),
    ),
  };
  writeFileSync(out, `# ${JSON.stringify(settings)}\n${COLUMNS.join('\t')}\n`);
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  info: Record<string, unknown>;
  /** Processes the child had when it became ready (tsx's esbuild service): not the documents' doing. */
  own: Set<number>;
}

async function startChild(): Promise<Worker> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr?.on('data', () => {}); // pdf.js and tesseract chatter; outcomes come over IPC
  const info = await new Promise<Record<string, unknown>>((resolveReady, reject) => {
    child.once('message', (m) => resolveReady(m as Record<string, unknown>));
    child.once('exit', (code, signal) => reject(new Error(`the sweep child exited before it was ready (${signal ?? code})`)));
  });
  return { child, info, own: new Set(descendants(child.pid!)) };
}

/** Every process below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) for (const c of parents.get(queue.shift()!) ?? []) found.push(c), queue.push(c);
  return found;
}

function currentRss(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function rssOf(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(text) ?? /^VmRSS:\s+(\d+) kB/m.exec(text);
    return hwm ? Number(hwm[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const mb = (bytes: number | undefined): string => (bytes === undefined ? '' : (bytes / 1024 / 1024).toFixed(0));
const clean = (text: string | undefined): string => (text ?? '').replace(/[\t\r\n]+/g, ' ');

interface InFlight {
  file: string;
  started: number;
  deadline: number;
  childrenPeak: number;
}

type SweepEvent = { kind: 'result'; result: SweepResult } | { kind: 'exit'; signal: string } | { kind: 'tick' };

const queue = files.filter((f) => !done.has(basename(f))).map((f) => resolve(f));
const total = files.length;
let reported = done.size;
/** Documents run again in a fresh child because the child was killed over a neighbour (a hang): never counted against them. */
let rerun = 0;

function record(result: SweepResult, childrenPeak: number, processesAfter: number | string): void {
  const row = [
    basename(result.file), result.bytes, result.pages ?? '', result.outcome, result.pagesKept ?? '', result.pagesFailed ?? '', result.characters ?? '',
    result.ocrPages ?? '', result.ocrReadings, result.ocrSkipped, result.wallMs, mb(result.peakRssBytes), mb(childrenPeak), processesAfter,
    clean(result.failedPages), clean(result.message),
  ];
  appendFileSync(out, `${row.join('\t')}\n`);
  reported++;
  process.stderr.write(`[${reported}/${total}] ${basename(result.file)}: ${result.outcome} ${result.wallMs} ms ${mb(result.peakRssBytes)} MB\n`);
}

function killTree(worker: Worker): void {
  for (const pid of descendants(worker.child.pid!)) {
    if (worker.own.has(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  worker.child.kill('SIGKILL');
}

/** Runs the queue through one child until it is empty or the child must be replaced; false when replaced. */
async function runChild(worker: Worker): Promise<void> {
  const inFlight = new Map<string, InFlight>();
  const events: SweepEvent[] = [];
  let wake: (() => void) | undefined;
  const push = (e: SweepEvent): void => {
    events.push(e);
    wake?.();
  };
  const onMessage = (m: unknown): void => push({ kind: 'result', result: m as SweepResult });
  const onExit = (code: number | null, signal: string | null): void => push({ kind: 'exit', signal: signal ?? `code ${code}` });
  worker.child.on('message', onMessage);
  worker.child.on('exit', onExit);
  let guardTripped = false;
  const poll = setInterval(() => {
    let resident = currentRss(worker.child.pid!);
    for (const pid of descendants(worker.child.pid!)) {
      if (worker.own.has(pid)) continue;
      const peak = rssOf(pid);
      for (const f of inFlight.values()) f.childrenPeak = Math.max(f.childrenPeak, peak);
      resident += currentRss(pid);
    }
    if (resident > killAboveBytes) guardTripped = true;
    push({ kind: 'tick' });
  }, 100);
  const send = (file: string): void => {
    if (concurrency === 1) {
      // The engine's processes kept between documents start each document with their peak reset.
      for (const pid of descendants(worker.child.pid!)) {
        try {
          writeFileSync(`/proc/${pid}/clear_refs`, '5');
        } catch {
          // gone, or not ours to reset
        }
      }
    }
    const now = Date.now();
    inFlight.set(file, { file, started: now, deadline: now + docTimeoutMs, childrenPeak: 0 });
    worker.child.send({ file, resetPeak: concurrency === 1, ...(ocrCap !== undefined ? { ocrCap } : {}) } satisfies SweepRequest);
  };
  const failAll = (outcome: string, message: string, peak: number): void => {
    const names = [...inFlight.keys()].map((f) => basename(f));
    for (const f of inFlight.values()) {
      const others = names.filter((n) => n !== basename(f.file));
      record(
        { file: f.file, bytes: statSync(f.file).size, outcome, message: others.length ? `${message}; in flight beside it: ${others.join(', ')}` : message, ocrReadings: 0, ocrSkipped: 0, wallMs: Date.now() - f.started, peakRssBytes: peak, rssAfterBytes: 0 },
        f.childrenPeak,
        '',
      );
    }
    inFlight.clear();
  };
  try {
    for (;;) {
      while (inFlight.size < concurrency && queue.length > 0) send(queue.shift()!);
      if (inFlight.size === 0) return;
      if (events.length === 0) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      const event = events.shift()!;
      if (event.kind === 'result') {
        const f = inFlight.get(event.result.file);
        inFlight.delete(event.result.file);
        await new Promise((r) => setTimeout(r, 50));
        record(event.result, f?.childrenPeak ?? 0, descendants(worker.child.pid!).filter((pid) => !worker.own.has(pid)).length);
        continue;
      }
      if (event.kind === 'exit') {
        failAll('CRASHED', `the worker process exited (${event.signal})`, 0);
        return;
      }
      if (guardTripped) {
        const peak = rssOf(worker.child.pid!);
        killTree(worker);
        failAll('MEMORY_GUARD', `the sweep's guard killed the worker above ${values['kill-above-mb']} MB resident`, peak);
        return;
      }
      const late = [...inFlight.values()].filter((f) => Date.now() > f.deadline);
      if (late.length > 0) {
        const peak = rssOf(worker.child.pid!);
        killTree(worker);
        for (const f of late) {
          inFlight.delete(f.file);
          record(
            { file: f.file, bytes: statSync(f.file).size, outcome: 'HUNG', message: `no answer within ${docTimeoutMs / 1000} s; the worker was killed`, ocrReadings: 0, ocrSkipped: 0, wallMs: Date.now() - f.started, peakRssBytes: peak, rssAfterBytes: 0 },
            f.childrenPeak,
            '',
          );
        }
        // Their neighbours were not at fault: they run again in the next child.
        rerun += inFlight.size;
        queue.unshift(...inFlight.keys());
        inFlight.clear();
        return;
      }
    }
  } finally {
    clearInterval(poll);
    worker.child.off('message', onMessage);
    worker.child.off('exit', onExit);
  }
}

let worker = await startChild();
process.stderr.write(`pdf-sweep: ${files.length} files (${done.size} done before), ${concurrency} at a time → ${out}; child ${JSON.stringify(worker.info)}\n`);
for (;;) {
  await runChild(worker);
  if (queue.length === 0 && worker.child.exitCode === null && worker.child.signalCode === null) break;
  if (worker.child.exitCode === null && worker.child.signalCode === null) {
    await new Promise((r) => worker.child.once('exit', r));
  }
  if (queue.length === 0) break;
  worker = await startChild();
}
if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
if (rerun > 0) process.stderr.write(`pdf-sweep: ${rerun} document(s) ran again after a neighbour hung\n`);
process.stdout.write(summarize(readTable(out)));
// The child's engines may take a moment to stop; nothing else is left to wait for.
setTimeout(() => process.exit(0), 2_000).unref();

// --- table ----------------------------------------------------------------------------------------

type Row = Record<(typeof COLUMNS)[number], string>;

function readTable(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const header = lines.shift()!.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [header[i], v])) as Row);
}

/** Counts by outcome, memory and time extremes, as Markdown. */
function summarize(rows: Row[]): string {
  const byOutcome = new Map<string, number>();
  for (const r of rows) byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1);
  const num = (r: Row, k: keyof Row): number => Number(r[k] || 0);
  const top = (k: keyof Row, n = 5): Row[] => [...rows].sort((a, b) => num(b, k) - num(a, k)).slice(0, n);
  const lines = [
    `files reported: ${rows.length}`,
    '',
    '| outcome | files |',
    '| --- | ---: |',
    ...[...byOutcome].sort((a, b) => b[1] - a[1]).map(([o, n]) => `| ${o} | ${n} |`),
    '',
    `pages kept: ${rows.reduce((n, r) => n + num(r, 'pages_kept'), 0)}, pages failed: ${rows.reduce((n, r) => n + num(r, 'pages_failed'), 0)}, OCR'd pages: ${rows.reduce((n, r) => n + num(r, 'ocr_pages'), 0)}, OCR readings skipped by the cap: ${rows.reduce((n, r) => n + num(r, 'ocr_skipped'), 0)}`,
    `documents with pages kept and pages failed: ${rows.filter((r) => num(r, 'pages_kept') > 0 && num(r, 'pages_failed') > 0).length}`,
    `total wall time: ${(rows.reduce((n, r) => n + num(r, 'wall_ms'), 0) / 1000).toFixed(0)} s; processes alive below the worker after a document: at most ${Math.max(0, ...rows.map((r) => num(r, 'processes_after')))}`,
    `peak memory of the worker process (VmHWM): max ${Math.max(...rows.map((r) => num(r, 'peak_rss_mb')))} MB; median ${median(rows.map((r) => num(r, 'peak_rss_mb')))} MB; of its child processes: max ${Math.max(0, ...rows.map((r) => num(r, 'children_peak_rss_mb')))} MB`,
    '',
    '| highest peak memory | MB | outcome | s |',
    '| --- | ---: | --- | ---: |',
    ...top('peak_rss_mb').map((r) => `| ${r.file} | ${r.peak_rss_mb} | ${r.outcome} | ${(num(r, 'wall_ms') / 1000).toFixed(1)} |`),
    '',
    '| slowest | s | outcome | pages | MB |',
    '| --- | ---: | --- | ---: | ---: |',
    ...top('wall_ms').map((r) => `| ${r.file} | ${(num(r, 'wall_ms') / 1000).toFixed(1)} | ${r.outcome} | ${r.pages} | ${r.peak_rss_mb} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** Files whose outcome, pages kept or pages failed differ between two tables, as Markdown. */
function compare(a: Row[], b: Row[]): string {
  const after = new Map(b.map((r) => [r.file, r]));
  const changed = a.filter((r) => {
    const other = after.get(r.file);
    return !other || other.outcome !== r.outcome || other.pages_kept !== r.pages_kept || other.pages_failed !== r.pages_failed;
  });
  const lines = [
    `${a.length} and ${b.length} files; ${changed.length} differ`,
    '',
    '| file | before | after | before: kept/failed | after: kept/failed | after: message |',
    '| --- | --- | --- | --- | --- | --- |',
    ...changed.map((r) => {
      const o = after.get(r.file);
      return `| ${r.file} | ${r.outcome} | ${o?.outcome ?? '(missing)'} | ${r.pages_kept || '–'}/${r.pages_failed || '–'} | ${o ? `${o.pages_kept || '–'}/${o.pages_failed || '–'}` : ''} | ${o?.message ?? ''} |`;
    }),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function seconds(text: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text);
  if (!match) throw new Error(`--doc-timeout: a duration such as 900s, not ${text}`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n / 1000 : match[2] === 'm' ? n * 60 : n;
}
