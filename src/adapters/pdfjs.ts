import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api.js';
import { DocumentTooComplexError, DocumentTooLargeError, EncryptedDocumentError, UnreadableDocumentError } from '../domain/errors.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../domain/extraction.js';
import type { OcrImage, PdfDocument, PdfEngine, PdfOpenOptions, PdfPage, TextRun } from '../domain/extraction-ports.js';
import { oversizedImageError, preflightPdf } from './pdf-preflight.js';
import { ProcessOverMemoryError, RpcProcess, ThreadStoppedError } from './thread-rpc.js';

/** What each PDF worker process runs (see the file): pdf.js opening, reading and rendering documents. */
export const PDF_THREAD_SCRIPT = fileURLToPath(new URL('./pdf-thread.mjs', import.meta.url));

/**
 * Default memory limit of one PDF process, that is of one document (resident set, pdf.js's heap
 * and native canvas memory together). 1 GiB: a legal 300 dpi A4 render with its page objects
 * peaks near 250 MB; tiling-pattern-box.pdf went past 5.9 GB, operator_list_cycle.pdf past 4.6 GB.
 */
export const DEFAULT_PDF_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

export interface PdfEngineOptions {
  /** A PDF declaring an embedded image larger than this is refused (DocumentTooLargeError). Default MAX_PIXELS' default. */
  maxImagePixels?: number;
  /** A PDF with a stream that decodes to more bytes than this is refused (a decompression bomb). Default 4 bytes per allowed pixel. */
  maxStreamBytes?: number;
  /**
   * PDF processes, started on first use: each reads ONE document at a time (from open to close), so
   * a document's memory and time are its own. More documents wait for a free process, and that
   * wait is not part of their time limit (PdfOpenOptions.onStart). Default 1.
   */
  threads?: number;
  /** Memory limit of each process (see DEFAULT_PDF_MEMORY_LIMIT_BYTES); over it the document fails with DOCUMENT_TOO_COMPLEX. */
  memoryLimitBytes?: number;
  /** Nice value of the processes (Linux), like the OCR threads'; 0 leaves the process's own. Default 10. */
  threadNice?: number;
  /** Script each process runs; default pdf-thread.mjs. Tests wrap it. */
  threadScript?: string;
}

export interface PdfThreadEngine extends PdfEngine {
  /** Processes replaced so far: after one died, was killed over its memory limit or stopped under a call. */
  readonly restarts: number;
  /** Highest resident set of any of its processes so far (VmHWM), bytes; 0 where /proc is missing. */
  readonly peakRssBytes: number;
  /** Stops every process; calls in flight reject. The engine starts new ones if used again. */
  terminate(): Promise<void>;
}

/**
 * pdf.js (legacy build) reading text layers and rendering pages in child processes (see
 * pdf-thread.mjs for why off the main thread, and RpcProcess for why processes), behind a preflight
 * of the raw bytes (see pdf-preflight.ts) that refuses decompression bombs and oversized images
 * before pdf.js decodes anything. Scripts are never evaluated (`isEvalSupported: false`).
 *
 * One document per process at a time: a document over the memory limit is killed with its process
 * and fails alone (DocumentTooComplexError); a document cut off by its time limit (its signal
 * aborts, or it is closed with a call still running) has its process killed at once, so neither
 * the limit nor a neighbour waits for pdf.js to reach a point where it could stop. A process that
 * dies for another reason rejects with ThreadStoppedError (retryable): the document may be fine.
 */
export function createPdfEngine(options: PdfEngineOptions = {}): PdfThreadEngine {
  const maxImagePixels = options.maxImagePixels ?? DEFAULT_EXTRACTION_LIMITS.maxPixels;
  const maxStreamBytes = options.maxStreamBytes ?? 4 * maxImagePixels;
  const memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_PDF_MEMORY_LIMIT_BYTES;
  const params = documentParams(maxImagePixels);
  const pool = new ProcessPool(options.threads ?? 1, () =>
    new RpcProcess(options.threadScript ?? PDF_THREAD_SCRIPT, {
      env: { KYC_PDF_NICE: String(options.threadNice ?? DEFAULT_THREAD_NICE) },
      stoppedMessage: 'the PDF process stopped',
      memoryLimitBytes,
    }),
  );
  return {
    get restarts() {
      return pool.restarts;
    },
    get peakRssBytes() {
      return pool.peakRssBytes();
    },
    async open(bytes: Uint8Array, openOptions: PdfOpenOptions = {}): Promise<PdfDocument> {
      // Refuses decompression bombs; reports oversized images (a page to render is refused, see render).
      const report = preflightPdf(bytes, { maxStreamBytes, maxImagePixels });
      const refusal = oversizedImageError(report, maxImagePixels);
      const lease = await pool.acquire(openOptions.signal, openOptions.onWait);
      openOptions.onStart?.();
      // A plain Uint8Array copy: pdf.js refuses Node Buffers (what stores read). The report's bytes
      // may be a copy with attachment-only encryption lifted (see pdf-preflight.ts).
      const data = new Uint8Array(report.bytes);
      try {
        const { docId, pageCount } = await call<{ docId: number; pageCount: number }>(lease.proc, 'open', { data, params }, openOptions.signal);
        return wrapDocument(lease, docId, pageCount, refusal);
      } catch (err) {
        await lease.release();
        throw err;
      }
    },
    terminate: () => pool.stop(),
  };
}

const DEFAULT_THREAD_NICE = 10;

/** A process lent to one document until it is closed. */
interface Lease {
  readonly proc: RpcProcess;
  /** Gives the process back: killed first if a call is still running in it (the document was cut off). */
  release(): Promise<void>;
}

/**
 * A fixed number of process slots, each lent to one document at a time, FIFO. A process is started
 * on first use and replaced when it has died; one left big by its document (over half the limit)
 * is stopped on release, so the next document starts small.
 */
class ProcessPool {
  restarts = 0;
  private stopped = false;
  private readonly slots: Array<{ proc: RpcProcess | undefined; busy: boolean }>;
  private readonly waiting: Array<{ grant: (slot: number) => void }> = [];
  private peak = 0;

  constructor(
    size: number,
    private readonly spawn: () => RpcProcess,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ proc: undefined, busy: false }));
  }

  peakRssBytes(): number {
    for (const slot of this.slots) slot.proc?.residentBytes();
    return Math.max(this.peak, ...this.slots.map((s) => s.proc?.peakRssBytes ?? 0));
  }

  async acquire(signal?: AbortSignal, onWait?: () => void): Promise<Lease> {
    signal?.throwIfAborted();
    const free = this.slots.findIndex((s) => !s.busy);
    if (free < 0) onWait?.();
    const index =
      free >= 0
        ? free
        : await new Promise<number>((resolve, reject) => {
            const waiter = {
              grant: (slot: number): void => {
                signal?.removeEventListener('abort', onAbort);
                resolve(slot);
              },
            };
            const onAbort = (): void => {
              this.waiting.splice(this.waiting.indexOf(waiter), 1);
              reject(signal?.reason);
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            this.waiting.push(waiter);
          });
    const slot = this.slots[index]!;
    slot.busy = true;
    if (slot.proc?.dead) {
      this.retire(slot.proc);
      this.restarts++;
      slot.proc = undefined;
    }
    const proc = (slot.proc ??= this.spawn());
    let released = false;
    return {
      proc,
      release: async () => {
        if (released) return;
        released = true;
        if (!proc.dead && (proc.inFlight > 0 || (proc.residentBytes() ?? 0) > proc.memoryLimit / 2)) await proc.stop();
        // A process that ended is replaced now, so the next document does not wait for pdf.js to load (~0.3 s).
        if (proc.dead && !this.stopped && slot.proc === proc) {
          this.retire(proc);
          this.restarts++;
          slot.proc = this.spawn();
        }
        const next = this.waiting.shift();
        if (next) next.grant(index);
        else slot.busy = false;
      },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    try {
      await Promise.all(this.slots.map((s) => s.proc?.stop()));
    } finally {
      // Used again after terminate(): processes start on demand as at first.
      for (const slot of this.slots) if (slot.proc?.dead) (this.retire(slot.proc), (slot.proc = undefined));
      this.stopped = false;
    }
  }

  private retire(proc: RpcProcess): void {
    this.peak = Math.max(this.peak, proc.peakRssBytes);
  }
}

/** Fonts, CMaps, decoders and colour profiles come from the installed package: nothing is fetched. */
function documentParams(maxImageSize: number): DocumentInitParameters {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const folder = (name: string): string => join(root, name) + '/';
  return {
    standardFontDataUrl: folder('standard_fonts'),
    cMapUrl: folder('cmaps'),
    cMapPacked: true,
    wasmUrl: folder('wasm'),
    iccUrl: folder('iccs'),
    isEvalSupported: false,
    // Node has no FontFace: draw glyphs as paths from the embedded or standard font data.
    disableFontFace: true,
    useSystemFonts: false,
    maxImageSize,
    verbosity: 0, // errors only; warnings would go to the console
  };
}

/** `refusal`: why no page of this document may be rendered (an embedded image over the pixel limit), if so. */
function wrapDocument(lease: Lease, docId: number, pageCount: number, refusal: Error | undefined): PdfDocument {
  const { proc } = lease;
  let closed = false;
  /** Pages' release calls (not awaited by the caller): a close waits for them, they are not a call still running. */
  const releasing = new Set<Promise<unknown>>();
  return {
    pageCount,
    async getPage(n: number): Promise<PdfPage> {
      if (closed) throw new UnreadableDocumentError('the document is closed');
      const { pageId, width, height } = await call<{ pageId: number; width: number; height: number }>(proc, 'page', { docId, n });
      return wrapPage(proc, pageId, width, height, releasing, refusal);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await withTimeout(Promise.allSettled([...releasing]), CLOSE_GRACE_MS).catch(() => {});
        // A call still running means the document was cut off: release() kills the process instead.
        if (!proc.dead && proc.inFlight === 0) await withTimeout(call(proc, 'close', { docId }), CLOSE_GRACE_MS);
      } catch {
        // Not closed in time or failed: release() stops the process.
        if (!proc.dead) await proc.stop();
      } finally {
        await lease.release();
      }
    },
  };
}

/** How long a document's close may take before its process is stopped instead. */
const CLOSE_GRACE_MS = 2_000;

function wrapPage(proc: RpcProcess, pageId: number, width: number, height: number, releasing: Set<Promise<unknown>>, refusal: Error | undefined): PdfPage {
  return {
    width,
    height,
    textRuns: () => call<TextRun[]>(proc, 'text', { pageId }),
    async render(dpi: number, signal?: AbortSignal): Promise<OcrImage> {
      signal?.throwIfAborted();
      // A page whose text layer suffices is never rendered, so a text PDF beside a huge image reads.
      if (refusal) throw refusal;
      const rendered = await call<{ image: Uint8Array; width: number; height: number }>(proc, 'render', { pageId, dpi }, signal);
      return { ...rendered, dpi };
    },
    release(): void {
      if (proc.dead) return;
      const released = proc.call('release', { pageId }).catch(() => {});
      releasing.add(released);
      void released.then(() => releasing.delete(released));
    },
  };
}

/**
 * A call into the process; pdf.js's errors become domain errors, a process killed over its memory
 * limit DocumentTooComplexError, a stopped process stays a retryable ThreadStoppedError. An abort
 * of `signal` kills the process (it belongs to this document alone) and rejects with the reason.
 */
async function call<T>(proc: RpcProcess, op: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const onAbort = (): void => void proc.stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await proc.call<T>(op, args);
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof ProcessOverMemoryError) {
      const mib = Math.round(err.limitBytes / (1024 * 1024));
      throw new DocumentTooComplexError(`reading the PDF needs more than the memory limit of ${mib} MiB (PDF_MEMORY_LIMIT)`, { cause: err });
    }
    throw err instanceof ThreadStoppedError ? err : toDomainError(err, op === 'open' ? 'the PDF' : 'the page');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** `what`: the PDF (opening it) or the page (any later step: a page error, see extraction.ts). */
function toDomainError(err: unknown, what: 'the PDF' | 'the page'): Error {
  if (err instanceof EncryptedDocumentError || err instanceof UnreadableDocumentError || err instanceof DocumentTooLargeError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return new EncryptedDocumentError('the PDF needs a password', { cause: err });
  return new UnreadableDocumentError(`${what} cannot be parsed`, { cause: err });
}
