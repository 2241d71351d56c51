import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { ConfigError } from '../domain/errors.js';
import type { OcrEngine, OcrLine, OcrOptions, OcrResult } from '../domain/ports.js';

export const DEFAULT_TESSDATA_DIR = '/usr/share/tesseract-ocr/5/tessdata';
/** What each OCR worker thread runs (see the file): tesseract.js's worker script, niced. */
export const OCR_THREAD_SCRIPT = fileURLToPath(new URL('./ocr-thread.cjs', import.meta.url));

export interface TesseractPoolOptions {
  /** Directory holding `<lang>.traineddata` (uncompressed). Never a URL: models are local. */
  langPath?: string;
  /** Tesseract language(s), e.g. `eng` or `eng+fra`. */
  lang?: string;
  /** Worker threads, each with its own model copy (~30 MB for eng). Default: one per core. */
  size?: number;
  /** Script run in each worker thread; default ocr-thread.cjs (tesseract.js's own, at a lower priority). Tests wrap it. */
  workerPath?: string;
}

export interface TesseractPool extends OcrEngine {
  readonly size: number;
  /** Worker threads replaced so far: after a thread died, or was stopped because its call was aborted. */
  readonly restarts: number;
  /** Milliseconds worker threads have spent on calls so far, summed over the threads (a thread busy 1 s adds 1000). */
  readonly busyMs: number;
  /** Stops every worker thread; calls in flight or queued reject. */
  terminate(): Promise<void>;
}

interface Slot {
  worker: Tesseract.Worker;
  /** Rejects if the thread dies under us, so a call in flight does not hang. */
  died: Promise<never>;
  isDead: boolean;
}

/**
 * tesseract.js workers (LSTM only, local traineddata) behind a FIFO queue. Create one pool per
 * process: each worker takes ~0.3 s to start and holds its own model.
 *
 * A recognition cannot be stopped mid-page, so a call whose `signal` aborts (a page over its time
 * limit) terminates its worker thread and starts a fresh one in that slot: the pool keeps its size
 * and the stuck page stops using a core.
 */
export async function createTesseractPool(options: TesseractPoolOptions = {}): Promise<TesseractPool> {
  const langPath = options.langPath ?? DEFAULT_TESSDATA_DIR;
  const lang = options.lang ?? 'eng';
  const size = options.size ?? availableParallelism();
  await assertTrainedData(langPath, lang);

  const spawn = async (): Promise<Slot> => {
    const worker = await Tesseract.createWorker(lang, Tesseract.OEM.LSTM_ONLY, {
      langPath,
      gzip: false,
      cacheMethod: 'none', // otherwise each worker writes a model copy into the working directory
      legacyCore: false,
      legacyLang: false,
      workerPath: options.workerPath ?? OCR_THREAD_SCRIPT,
      // Without a handler tesseract.js rethrows every failed job as an uncaught exception.
      errorHandler: () => {},
    });
    const thread = (worker as unknown as { worker: ThreadWorker }).worker;
    const slot: Slot = { worker, died: undefined as never, isDead: false };
    slot.died = new Promise<never>((_, reject) => {
      const onDeath = (cause: unknown): void => {
        slot.isDead = true;
        reject(new Error('an OCR worker thread stopped', { cause }));
      };
      thread.once('error', onDeath);
      thread.once('exit', onDeath);
    });
    slot.died.catch(() => {});
    return slot;
  };

  const started = await Promise.allSettled(Array.from({ length: size }, spawn));
  const slots = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw asError(failed.reason, 'OCR workers failed to start');
  }

  const idle = [...slots];
  const waiting: Array<{ resolve: (slot: Slot) => void; reject: (err: unknown) => void }> = [];
  let stopped: Error | undefined;
  let restarts = 0;
  let busyMs = 0;

  const acquire = (signal: AbortSignal | undefined, hooks: Pick<OcrOptions, 'onWait' | 'onStart'> = {}): Promise<Slot> => {
    if (stopped) return Promise.reject(stopped);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const slot = idle.shift();
    if (slot) return Promise.resolve(slot);
    // Every worker is busy (other pages, other documents): the caller's clock need not run meanwhile.
    hooks.onWait?.();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        reject(signal!.reason);
      };
      const entry = {
        resolve: (s: Slot) => (signal?.removeEventListener('abort', onAbort), hooks.onStart?.(), resolve(s)),
        reject: (err: unknown) => (signal?.removeEventListener('abort', onAbort), reject(err)),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  };
  const release = (slot: Slot): void => {
    if (stopped) return;
    const next = waiting.shift();
    if (next) next.resolve(slot);
    else idle.push(slot);
  };
  const replace = (dead: Slot): void => {
    slots.splice(slots.indexOf(dead), 1);
    restarts++;
    spawn().then(
      (fresh) => {
        if (stopped) return void fresh.worker.terminate();
        slots.push(fresh);
        release(fresh);
      },
      (err: unknown) => fail(asError(err, 'an OCR worker could not be restarted')),
    );
  };
  const fail = (err: Error): void => {
    stopped ??= err;
    for (const w of waiting.splice(0)) w.reject(stopped);
  };

  return {
    size,
    get restarts() {
      return restarts;
    },
    get busyMs() {
      return busyMs;
    },

    async recognize(image: Uint8Array, ocrOptions: OcrOptions = {}): Promise<OcrResult> {
      const { signal } = ocrOptions;
      const slot = await acquire(signal, ocrOptions);
      const heldFrom = performance.now();
      let onAbort: (() => void) | undefined;
      try {
        if (stopped) throw stopped;
        // Every call sets both parameters, so nothing leaks from a previous call on this worker
        // (tesseract.js restores them after a successful job, but not after a failed one).
        const params = {
          tessedit_pageseg_mode: String(ocrOptions.psm ?? 3),
          tessedit_char_whitelist: ocrOptions.whitelist ?? '',
          // Tesseract's diagnostics ("Estimating resolution as …") go to a file inside the wasm
          // file system instead of the process's stderr.
          debug_file: '/dev/null',
          // 0: Tesseract estimates the resolution itself, as it does for a file without one.
          user_defined_dpi: String(ocrOptions.dpi !== undefined && ocrOptions.dpi >= 70 && ocrOptions.dpi <= 2400 ? Math.round(ocrOptions.dpi) : 0),
          ...(ocrOptions.rectangle ? { rectangle: ocrOptions.rectangle } : {}),
        } as unknown as Partial<Tesseract.RecognizeOptions>;
        const input = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
        // Lines come from Tesseract's TSV: the JSON tree (`blocks`) holds every symbol and its
        // choices, and building, parsing and copying it cost ~2 % of the OCR time for the same lines.
        const output = { text: true, tsv: ocrOptions.lines === true };
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => {
            // The thread would finish the page regardless: stop it, and the slot gets a fresh one.
            slot.isDead = true;
            void slot.worker.terminate().catch(() => {});
            reject(signal!.reason);
          };
          signal?.throwIfAborted();
          signal?.addEventListener('abort', onAbort, { once: true });
        });
        aborted.catch(() => {});
        const { data } = await Promise.race([slot.worker.recognize(input, params, output), slot.died, aborted]);
        return {
          text: data.text,
          confidence: Math.min(1, Math.max(0, (data.confidence ?? 0) / 100)),
          ...(ocrOptions.lines ? { lines: linesFromTsv(data.tsv ?? '') } : {}),
        };
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw asError(err, 'OCR failed');
      } finally {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        busyMs += performance.now() - heldFrom;
        if (slot.isDead && !stopped) replace(slot);
        else release(slot);
      }
    },

    async terminate(): Promise<void> {
      fail(new Error('the OCR pool was terminated'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

async function assertTrainedData(langPath: string, lang: string): Promise<void> {
  const missing: string[] = [];
  for (const code of lang.split('+')) {
    const file = join(langPath, `${code}.traineddata`);
    await access(file).catch(() => missing.push(`OCR_LANG_PATH: ${file} is missing`));
  }
  if (missing.length > 0) throw new ConfigError(missing);
}

/** TSV level of a text line; its words (level 5) follow it. */
const TSV_LINE = '4';
const TSV_WORD = '5';

/**
 * The text lines of Tesseract's TSV output, in its reading order: each line's box, and its words
 * joined by single spaces. Lines without a word that has text (an empty line Tesseract found in
 * an image region) are left out. Columns: level, page, block, paragraph, line, word, left, top,
 * width, height, confidence, text.
 */
export function linesFromTsv(tsv: string): OcrLine[] {
  const lines: Array<{ words: string[]; box: OcrLine['box'] }> = [];
  for (const row of tsv.split('\n')) {
    const cells = row.split('\t');
    if (cells.length < 12) continue;
    if (cells[0] === TSV_LINE) {
      const [left, top, width, height] = cells.slice(6, 10).map(Number) as [number, number, number, number];
      lines.push({ words: [], box: { x0: left, y0: top, x1: left + width, y1: top + height } });
    } else if (cells[0] === TSV_WORD) {
      lines.at(-1)?.words.push(cells.slice(11).join('\t'));
    }
  }
  return lines.flatMap(({ words, box }) => {
    const text = words.join(' ');
    return text.trim() === '' ? [] : [{ text, box }];
  });
}

/** tesseract.js rejects with strings; give callers an Error with a stack. */
function asError(err: unknown, message: string): Error {
  return err instanceof Error ? err : new Error(`${message}: ${String(err)}`);
}
