import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api.js';
import { DocumentTooLargeError, EncryptedDocumentError, UnreadableDocumentError } from '../domain/errors.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../domain/extraction.js';
import type { OcrImage, PdfDocument, PdfEngine, PdfPage, TextRun } from '../domain/extraction-ports.js';
import { preflightPdf } from './pdf-preflight.js';
import { RpcThread, RpcThreadSlots, ThreadStoppedError } from './thread-rpc.js';

/** What each PDF worker thread runs (see the file): pdf.js opening, reading and rendering documents. */
export const PDF_THREAD_SCRIPT = fileURLToPath(new URL('./pdf-thread.mjs', import.meta.url));

export interface PdfEngineOptions {
  /** A PDF declaring an embedded image larger than this is refused (DocumentTooLargeError). Default MAX_PIXELS' default. */
  maxImagePixels?: number;
  /** A PDF with a stream that decodes to more bytes than this is refused (a decompression bomb). Default 4 bytes per allowed pixel. */
  maxStreamBytes?: number;
  /** Worker threads running pdf.js, started on first use; a document stays on the thread that opened it. Default 1. */
  threads?: number;
  /** Nice value of those threads (Linux), like the OCR threads'; 0 leaves the process's own. Default 10. */
  threadNice?: number;
  /** Script each thread runs; default pdf-thread.mjs. Tests wrap it. */
  threadScript?: string;
  /** After a call is aborted, how long its thread may take to stop before it is terminated and replaced. Default 2 s. */
  cancelGraceMs?: number;
}

export interface PdfThreadEngine extends PdfEngine {
  /** Threads replaced so far: after one died, or was stopped (an aborted call that would not end, terminate()). */
  readonly restarts: number;
  /** Stops every thread; calls in flight reject. The engine replaces them if used again. */
  terminate(): Promise<void>;
}

/**
 * pdf.js (legacy build) reading text layers and rendering pages in worker threads (see
 * pdf-thread.mjs for why), behind a preflight of the raw bytes (see pdf-preflight.ts) that refuses
 * decompression bombs and oversized images before pdf.js decodes anything. Scripts are never
 * evaluated (`isEvalSupported: false`).
 *
 * A render whose `signal` aborts is cancelled at pdf.js's next time slice; a thread that does not
 * answer within `cancelGraceMs` (stuck inside one slice) is terminated, and its other calls reject
 * with a ThreadStoppedError (retryable), not a document error: their documents were not at fault.
 */
export function createPdfEngine(options: PdfEngineOptions = {}): PdfThreadEngine {
  const maxImagePixels = options.maxImagePixels ?? DEFAULT_EXTRACTION_LIMITS.maxPixels;
  const maxStreamBytes = options.maxStreamBytes ?? 4 * maxImagePixels;
  const params = documentParams(maxImagePixels);
  const spawn = (): PdfThread =>
    Object.assign(
      new RpcThread(options.threadScript ?? PDF_THREAD_SCRIPT, {
        workerData: { nice: options.threadNice ?? DEFAULT_THREAD_NICE },
        cancelGraceMs: options.cancelGraceMs ?? 2_000,
        stoppedMessage: 'the PDF thread stopped',
      }),
      { documents: 0 },
    );
  const threads = new RpcThreadSlots(options.threads ?? 1, spawn);
  const load = (t: PdfThread): number => t.inFlight + t.documents;
  return {
    get restarts() {
      return threads.restarts;
    },
    async open(bytes: Uint8Array): Promise<PdfDocument> {
      preflightPdf(bytes, { maxStreamBytes, maxImagePixels });
      // The live thread with the least work.
      const thread = threads.live().reduce((best, t) => (load(t) < load(best) ? t : best));
      // A plain Uint8Array copy, handed over to the thread: pdf.js refuses Node Buffers (what stores read).
      const data = new Uint8Array(bytes);
      const { docId, pageCount } = await call<{ docId: number; pageCount: number }>(thread, 'open', { data, params }, { transfer: [data.buffer] });
      return wrapDocument(thread, docId, pageCount);
    },
    terminate: () => threads.stop(),
  };
}

const DEFAULT_THREAD_NICE = 10;

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

function wrapDocument(thread: PdfThread, docId: number, pageCount: number): PdfDocument {
  thread.documents++;
  let closed = false;
  return {
    pageCount,
    async getPage(n: number): Promise<PdfPage> {
      const { pageId, width, height } = await call<{ pageId: number; width: number; height: number }>(thread, 'page', { docId, n });
      return wrapPage(thread, pageId, width, height);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      thread.documents--;
      // A thread that stopped has freed the document with everything else.
      if (!thread.dead) await call(thread, 'close', { docId });
    },
  };
}

function wrapPage(thread: PdfThread, pageId: number, width: number, height: number): PdfPage {
  return {
    width,
    height,
    textRuns: () => call<TextRun[]>(thread, 'text', { pageId }),
    async render(dpi: number, signal?: AbortSignal): Promise<OcrImage> {
      signal?.throwIfAborted();
      const rendered = await call<{ image: Uint8Array; width: number; height: number }>(thread, 'render', { pageId, dpi }, signal ? { signal } : {});
      return { ...rendered, dpi };
    },
    release(): void {
      if (!thread.dead) thread.call('release', { pageId }).catch(() => {});
    },
  };
}

/** A pdf.js thread: an RPC thread and the documents open on it. */
type PdfThread = RpcThread & { documents: number };

/** A call into the thread; pdf.js's errors become domain errors, a stopped thread stays a retryable ThreadStoppedError. */
async function call<T>(thread: PdfThread, op: string, args: Record<string, unknown>, options?: { transfer?: ArrayBuffer[]; signal?: AbortSignal }): Promise<T> {
  try {
    return await thread.call<T>(op, args, options);
  } catch (err) {
    throw err instanceof ThreadStoppedError ? err : toDomainError(err);
  }
}

function toDomainError(err: unknown): Error {
  if (err instanceof EncryptedDocumentError || err instanceof UnreadableDocumentError || err instanceof DocumentTooLargeError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return new EncryptedDocumentError('the PDF needs a password', { cause: err });
  return new UnreadableDocumentError('the PDF cannot be parsed', { cause: err });
}
