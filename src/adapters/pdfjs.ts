import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocumentInitParameters, PDFDocumentProxy, PDFPageProxy, TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { DocumentTooLargeError, EncryptedDocumentError, UnreadableDocumentError } from '../domain/errors.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../domain/extraction.js';
import type { OcrImage, PdfDocument, PdfEngine, PdfPage, TextRun } from '../domain/extraction-ports.js';
import { pgmHeader } from '../domain/pgm.js';
import { preflightPdf } from './pdf-preflight.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

export interface PdfEngineOptions {
  /** A PDF declaring an embedded image larger than this is refused (DocumentTooLargeError). Default MAX_PIXELS' default. */
  maxImagePixels?: number;
  /** A PDF with a stream that decodes to more bytes than this is refused (a decompression bomb). Default 4 bytes per allowed pixel. */
  maxStreamBytes?: number;
}

/**
 * pdf.js (legacy build: no worker thread needed in Node) reading text layers and rendering pages,
 * behind a preflight of the raw bytes (see pdf-preflight.ts) that refuses decompression bombs and
 * oversized images before pdf.js decodes anything. Scripts are never evaluated (`isEvalSupported: false`).
 */
export function createPdfEngine(options: PdfEngineOptions = {}): PdfEngine {
  const maxImagePixels = options.maxImagePixels ?? DEFAULT_EXTRACTION_LIMITS.maxPixels;
  const maxStreamBytes = options.maxStreamBytes ?? 4 * maxImagePixels;
  const params = documentParams(maxImagePixels);
  return {
    async open(bytes: Uint8Array): Promise<PdfDocument> {
      preflightPdf(bytes, { maxStreamBytes, maxImagePixels });
      const pdfjs = await loadPdfjs();
      // A plain Uint8Array copy: pdf.js refuses Node Buffers (what stores read) and may detach its input.
      const task = pdfjs.getDocument({ ...params, data: new Uint8Array(bytes) });
      let doc: PDFDocumentProxy;
      try {
        doc = await task.promise;
      } catch (err) {
        await task.destroy();
        throw toDomainError(err);
      }
      return wrapDocument(doc, pdfjs);
    },
  };
}

let pdfjsModule: Promise<Pdfjs> | undefined;

/** Imported on first use (~0.1–0.2 s), so processes that never read a PDF do not pay for it. */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
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

function wrapDocument(doc: PDFDocumentProxy, pdfjs: Pdfjs): PdfDocument {
  return {
    pageCount: doc.numPages,
    async getPage(n: number): Promise<PdfPage> {
      const page = await guard(() => doc.getPage(n));
      return wrapPage(doc, page, pdfjs);
    },
    async close(): Promise<void> {
      await doc.destroy();
    },
  };
}

function wrapPage(doc: PDFDocumentProxy, page: PDFPageProxy, pdfjs: Pdfjs): PdfPage {
  const display = page.getViewport({ scale: 1 });
  return {
    width: display.width,
    height: display.height,

    textRuns: () =>
      guard(async () => {
        const content = await page.getTextContent();
        return content.items
          .filter((item): item is TextItem => 'str' in item)
          .map((item): TextRun => {
            // Text space → display space (y down, page rotation applied).
            const matrix = pdfjs.Util.transform(display.transform, item.transform) as number[];
            const [, , c = 0, d = 0, x = 0, y = 0] = matrix;
            // `width` is in user-space units, as is display space at scale 1.
            return { text: item.str, x, y, width: item.width, height: Math.hypot(c, d), hasEOL: item.hasEOL };
          });
      }),

    render: (dpi: number, signal?: AbortSignal) =>
      guard(async (): Promise<OcrImage> => {
        signal?.throwIfAborted();
        const viewport = page.getViewport({ scale: dpi / 72 });
        const width = Math.ceil(viewport.width);
        const height = Math.ceil(viewport.height);
        const factory = doc.canvasFactory as CanvasFactory;
        const target = factory.create(width, height);
        const task = page.render({ canvas: target.canvas, canvasContext: target.context, viewport });
        // pdf.js draws in time slices, so a page over its time limit stops at the next slice.
        const cancel = (): void => task.cancel();
        signal?.addEventListener('abort', cancel, { once: true });
        try {
          await task.promise;
          const rgba = target.context.getImageData(0, 0, width, height).data;
          return { image: rgbaToPgm(rgba, width, height), width, height, dpi };
        } finally {
          signal?.removeEventListener('abort', cancel);
          factory.destroy(target); // frees the native bitmap now rather than at GC
        }
      }),

    release(): void {
      page.cleanup();
    },
  };
}

interface CanvasAndContext {
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D;
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(target: CanvasAndContext): void;
}

/** Binary PGM (P5) with Rec. 601 luma: what OCR reads without a PNG encode (which costs more than rendering). */
function rgbaToPgm(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const header = pgmHeader(width, height);
  const out = new Uint8Array(header.length + width * height);
  out.set(header);
  for (let i = 0, j = header.length; j < out.length; i += 4, j++) {
    out[j] = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
  }
  return out;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toDomainError(err);
  }
}

function toDomainError(err: unknown): Error {
  if (err instanceof EncryptedDocumentError || err instanceof UnreadableDocumentError || err instanceof DocumentTooLargeError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return new EncryptedDocumentError('the PDF needs a password', { cause: err });
  return new UnreadableDocumentError('the PDF cannot be parsed', { cause: err });
}
