// @ts-check
/**
 * The script each PDF worker process (or thread) runs: pdf.js (legacy build) opening documents, reading text
 * layers and rendering pages to grayscale PGM, driven by messages from src/adapters/pdfjs.ts.
 *
 * Why a thread: on Node, pdf.js runs its own "worker" in the caller's thread, so parsing a page and
 * decoding a scan's JPEG in JavaScript held the process's main thread for 100–500 ms at a time.
 * That thread also carries every Temporal workflow activation and activity completion, which then
 * waited. Here the same work runs beside it, at the OCR threads' lower priority (workerData.nice).
 *
 * Plain JavaScript, like ocr-thread.cjs: a worker thread does not inherit the TypeScript loader of
 * the process (tsx, or vitest's), so this file must run as it is.
 *
 * Messages in:  { id, op: 'open', data, params } → { docId, pageCount }
 *               { id, op: 'page', docId, n }     → { pageId, width, height }
 *               { id, op: 'text', pageId }       → TextRun[] (display space, see extraction-ports.ts)
 *               { id, op: 'render', pageId, dpi } → { image: PGM bytes (transferred), width, height }
 *               { id, op: 'release', pageId } / { id, op: 'close', docId } → null
 *               { op: 'cancel', target }         → stops render request `target` at its next time slice
 * Messages out: { id, value } or { id, error: { name, message } }.
 */
import { endianness } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import threadPriority from './thread-priority.cjs';

const { lowerThreadPriority } = threadPriority;

/**
 * Where messages come from: the parent thread, or (src/adapters/pdfjs.ts's default since the memory
 * limit) the parent process over IPC, with the structured-clone serialisation (bytes are copied,
 * not transferred). A child process ends when its parent's channel closes: none outlives its owner.
 * @type {{ on(event: 'message', listener: (msg: any) => void): void, postMessage(msg: unknown, transfer?: ArrayBuffer[]): void }}
 */
const port = parentPort ?? processPort();

function processPort() {
  const send = process.send?.bind(process);
  if (!send) throw new Error('pdf-thread.mjs runs as a worker thread or a child process with an IPC channel');
  process.on('disconnect', () => process.exit(0));
  return {
    on: (/** @type {'message'} */ event, /** @type {(msg: any) => void} */ listener) => void process.on(event, listener),
    postMessage: (/** @type {unknown} */ msg) => void send(msg),
  };
}

lowerThreadPriority(workerData?.nice ?? process.env.KYC_PDF_NICE);

const pdfjsLoading = import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * An open document. Text is read from `text`, opened without the standard fonts' data: for a font
 * the PDF does not embed (Helvetica, Times…, as many generators write them), pdf.js would otherwise
 * load the font program and convert it, in every document: about 40 % of a text PDF's time (7.5 → 4.0 ms),
 * although text and positions come from the font's metrics either way (identical on 342 PDFs).
 * Rendering needs the glyphs, so a page to render comes from `render`: the same bytes opened with
 * the full parameters, on first use.
 * @typedef {{ text: import('pdfjs-dist').PDFDocumentProxy, bytes: Uint8Array, params: object,
 *   render?: Promise<import('pdfjs-dist').PDFDocumentProxy> }} OpenDocument
 */
/** @type {Map<number, OpenDocument>} */
const docs = new Map();
/** @type {Map<number, { docId: number, n: number, page: import('pdfjs-dist').PDFPageProxy }>} */
const pages = new Map();
/** Render tasks in flight, by request id, so that a cancel message can stop them. */
const renders = new Map();
/** Render requests cancelled before their pdf.js task existed (while their document or page was opening). */
const cancelled = new Set();
let nextHandle = 1;

port.on('message', (msg) => {
  if (msg.op === 'cancel') {
    if (!renders.has(msg.target)) return; // answered already
    const task = renders.get(msg.target);
    if (task) task.cancel();
    else cancelled.add(msg.target);
    return;
  }
  handle(msg).then(
    (reply) => port.postMessage({ id: msg.id, value: reply.value }, reply.transfer ?? []),
    (err) => port.postMessage({ id: msg.id, error: { name: err?.name ?? 'Error', message: String(err?.message ?? err) } }),
  );
});

/** @returns {Promise<{ value: unknown, transfer?: ArrayBuffer[] }>} */
async function handle(msg) {
  const pdfjs = await pdfjsLoading;
  switch (msg.op) {
    case 'open': {
      // pdf.js takes over (detaches) the bytes it is given: keep a copy for the rendering document.
      const bytes = new Uint8Array(msg.data);
      const { standardFontDataUrl: _, ...textParams } = msg.params;
      const text = await openDocument(pdfjs, { ...textParams, data: msg.data });
      const docId = nextHandle++;
      docs.set(docId, { text, bytes, params: msg.params });
      return { value: { docId, pageCount: text.numPages } };
    }
    case 'page': {
      const page = await docOf(msg.docId).text.getPage(msg.n);
      const pageId = nextHandle++;
      pages.set(pageId, { docId: msg.docId, n: msg.n, page });
      const display = page.getViewport({ scale: 1 });
      return { value: { pageId, width: display.width, height: display.height } };
    }
    case 'text': {
      const { page } = pageOf(msg.pageId);
      const display = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const runs = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        // Text space → display space (y down, page rotation applied).
        const [, , c = 0, d = 0, x = 0, y = 0] = pdfjs.Util.transform(display.transform, item.transform);
        // `width` is in user-space units, as is display space at scale 1.
        runs.push({ text: item.str, x, y, width: item.width, height: Math.hypot(c, d), hasEOL: item.hasEOL });
      }
      return { value: runs };
    }
    case 'render': {
      // Known from here on, so that a cancel that comes while the document or page opens is kept.
      renders.set(msg.id, undefined);
      let target;
      let factory;
      let page;
      try {
        const { docId, n } = pageOf(msg.pageId);
        const entry = docOf(docId);
        entry.render ??= openDocument(pdfjs, { ...entry.params, data: new Uint8Array(entry.bytes) });
        const doc = await entry.render;
        page = await doc.getPage(n);
        if (cancelled.has(msg.id)) throw new Error('the render was cancelled');
        const viewport = page.getViewport({ scale: msg.dpi / 72 });
        const width = Math.ceil(viewport.width);
        const height = Math.ceil(viewport.height);
        factory = /** @type {any} */ (doc.canvasFactory);
        target = factory.create(width, height);
        const task = page.render({ canvas: target.canvas, canvasContext: target.context, viewport });
        renders.set(msg.id, task);
        await task.promise;
        const rgba = target.context.getImageData(0, 0, width, height).data;
        const image = rgbaToPgm(rgba, width, height);
        return { value: { image, width, height }, transfer: [image.buffer] };
      } finally {
        renders.delete(msg.id);
        cancelled.delete(msg.id);
        if (target) factory.destroy(target); // frees the native bitmap now rather than at GC
        page?.cleanup();
      }
    }
    case 'release': {
      const entry = pages.get(msg.pageId);
      pages.delete(msg.pageId);
      entry?.page.cleanup();
      return { value: null };
    }
    case 'close': {
      const entry = docs.get(msg.docId);
      docs.delete(msg.docId);
      for (const [pageId, page] of pages) if (page.docId === msg.docId) pages.delete(pageId);
      await entry?.text.destroy();
      await entry?.render?.then((doc) => doc.destroy(), () => {});
      return { value: null };
    }
    default:
      throw new Error(`unknown PDF thread operation: ${msg.op}`);
  }
}

/** @returns {Promise<import('pdfjs-dist').PDFDocumentProxy>} */
async function openDocument(pdfjs, params) {
  const task = pdfjs.getDocument(params);
  try {
    return await task.promise;
  } catch (err) {
    await task.destroy();
    throw err;
  }
}

/** @returns {OpenDocument} */
function docOf(docId) {
  const doc = docs.get(docId);
  if (!doc) throw new Error('the document is closed');
  return doc;
}

function pageOf(pageId) {
  const entry = pages.get(pageId);
  if (!entry) throw new Error('the page is released');
  return entry;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Binary PGM (P5, the header of src/domain/pgm.ts) with Rec. 601 luma: what OCR reads without a
 * PNG encode (which costs more than rendering). Reads each RGBA pixel as one 32-bit word.
 * @param {Uint8ClampedArray} rgba
 * @param {number} width
 * @param {number} height
 */
function rgbaToPgm(rgba, width, height) {
  const header = new TextEncoder().encode(`P5\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + width * height);
  out.set(header);
  if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
    const pixels = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
    for (let i = 0, j = header.length; i < pixels.length; i++, j++) {
      const p = /** @type {number} */ (pixels[i]);
      out[j] = ((p & 0xff) * 77 + ((p >>> 8) & 0xff) * 150 + ((p >>> 16) & 0xff) * 29) >> 8;
    }
  } else {
    for (let i = 0, j = header.length; j < out.length; i += 4, j++) {
      out[j] = (/** @type {number} */ (rgba[i]) * 77 + /** @type {number} */ (rgba[i + 1]) * 150 + /** @type {number} */ (rgba[i + 2]) * 29) >> 8;
    }
  }
  return out;
}
