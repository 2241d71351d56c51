/**
 * Limits against hostile input, on the real engines: tesseract.js workers that are replaced when a
 * page runs over its time limit, pdf.js behind the preflight and without script evaluation, sharp
 * refusing images by their declared size. Files come from the torture corpus or are drawn here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPdfEngine, PDF_THREAD_SCRIPT } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool, type TesseractPool } from '../../src/adapters/tesseract-ocr.js';
import { buildPdf, generateTortureCorpus, type TortureFile } from '../../src/corpus/torture.js';
import { DocumentTooLargeError, PageTimeoutError } from '../../src/domain/errors.js';
import { extractDocumentText, type ExtractionPorts } from '../../src/domain/extraction.js';
import { drawTextCanvas, textImage } from '../support/draw.js';
import { offlineTesseractWorkerScript } from '../support/no-network.js';

const offlineWorker = offlineTesseractWorkerScript();
let corpus: Map<string, TortureFile>;
let slowPage: Uint8Array;
let quickPage: Uint8Array;

beforeAll(async () => {
  corpus = new Map((await generateTortureCorpus({ manyPages: 3000 })).map((f) => [f.name, f]));
  // A dense A4 page at 300 dpi: several seconds of OCR, far more than the limits below.
  const lines = Array.from({ length: 70 }, (_, i) => `Line ${i + 1}: the quick brown fox jumps over the lazy dog 0123456789`);
  slowPage = drawTextCanvas({ lines, width: 2480, height: 3508, fontSize: 34 }).encodeSync('png');
  quickPage = await textImage('png', { lines: ['QUICK PAGE', 'Account holder: Jane Example'], width: 900, height: 300 });
}, 60_000);

afterAll(() => rmSync(dirname(offlineWorker), { recursive: true, force: true }));

const file = (name: string): Uint8Array => {
  const found = corpus.get(name);
  if (!found) throw new Error(`no ${name} in the torture corpus`);
  return found.bytes;
};

describe('the OCR pool under time limits', { timeout: 60_000 }, () => {
  let pool: TesseractPool;
  beforeAll(async () => {
    pool = await createTesseractPool({ size: 1, workerPath: offlineWorker });
  }, 60_000);
  afterAll(() => pool?.terminate());

  test('when a recognition is aborted mid-page, then it rejects at once and its worker is replaced, so the slot is not lost', async () => {
    const controller = new AbortController();
    const reason = new PageTimeoutError('page 1 took longer than the limit of 150 ms');
    setTimeout(() => controller.abort(reason), 150);
    const started = Date.now();
    await expect(pool.recognize(slowPage, { signal: controller.signal })).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(pool.restarts).toBe(1);

    // One slot only: this call runs on the replacement. Had the old thread been kept, it would wait
    // for the dense page to finish first.
    const again = Date.now();
    const { text } = await pool.recognize(quickPage);
    expect(text).toContain('QUICK PAGE');
    expect(Date.now() - again).toBeLessThan(5_000);
  });

  test('when a call waiting for a busy slot is aborted, then it leaves the queue and the running call is unharmed', async () => {
    const restarts = pool.restarts;
    const running = pool.recognize(quickPage);
    const controller = new AbortController();
    const queued = pool.recognize(quickPage, { signal: controller.signal });
    controller.abort(new Error('cancelled while queued'));
    await expect(queued).rejects.toThrow('cancelled while queued');
    expect((await running).text).toContain('QUICK PAGE');
    expect(pool.restarts).toBe(restarts); // nothing was running for it: no thread stopped
  });

  test('when a signal is already aborted, then no worker is used at all', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(pool.recognize(quickPage, { signal: controller.signal })).rejects.toThrow('too late');
  });
});

describe('extraction with a page time limit, real engines', { timeout: 60_000 }, () => {
  let pool: TesseractPool;
  let ports: ExtractionPorts;
  beforeAll(async () => {
    pool = await createTesseractPool({ size: 2, workerPath: offlineWorker });
    ports = { ocr: pool, pdf: createPdfEngine(), image: createSharpPreprocessor() };
  }, 60_000);
  afterAll(() => pool?.terminate());

  test('when OCR of a page takes longer than PAGE_TIMEOUT, then it ends as PAGE_TIMEOUT and the pool reads the next document', async () => {
    // Decoding and preparing the page takes about a second; its OCR about a minute: the limit falls in OCR.
    const started = Date.now();
    const error = await extractDocumentText(file('dense-page.jpg'), ports, { pageTimeoutMs: 4_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageTimeoutError);
    expect((error as PageTimeoutError).message).toBe('page 1 took longer than the limit of 4 s');
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(pool.restarts).toBe(1);
    const { pages } = await extractDocumentText(quickPage, ports);
    expect(pages[0]!.text).toContain('QUICK PAGE');
  });
});

describe('decompression bombs and huge declared sizes', { timeout: 60_000 }, () => {
  const ports: ExtractionPorts = {
    ocr: { recognize: () => Promise.reject(new Error('OCR must not be reached')) },
    pdf: createPdfEngine(),
    image: createSharpPreprocessor(),
  };
  const refused = async (name: string, message: RegExp): Promise<void> => {
    const started = Date.now();
    const rssBefore = process.memoryUsage().rss;
    const error = await extractDocumentText(file(name), ports).catch((e: unknown) => e);
    expect(error, name).toBeInstanceOf(DocumentTooLargeError);
    expect((error as Error).message).toMatch(message);
    expect(Date.now() - started, `${name} took too long`).toBeLessThan(5_000);
    // Refused before any large buffer exists (a bomb decoded by pdf.js would take gigabytes).
    expect(process.memoryUsage().rss - rssBefore, `${name} used too much memory`).toBeLessThan(600 * 1024 * 1024);
  };

  test.each([
    ['huge-dimensions.png', /the image has 3600000000 pixels/],
    ['huge-dimensions.tif', /the image has 10000000000 pixels/],
    ['huge-dimensions.jpg', /the image has 4225000000 pixels/],
    ['many-pages.tif', /the document has 400 pages; the limit is 200/],
  ])('when an image is %s, then it is refused by its header without decoding', async (name, message) => {
    await refused(name, message);
  });

  test.each([
    ['flate-bomb.pdf', /decompresses to more than 200000000 bytes/],
    ['flate-bomb-image.pdf', /decompresses to more than/],
    ['double-flate-bomb.pdf', /decompresses to more than/],
    ['indirect-filter-bomb.pdf', /decompresses to more than/],
    ['lzw-bomb.pdf', /decompresses to more than/],
    ['runlength-bomb.pdf', /decompresses to more than/],
    // Pages without a text layer: rendering them would decode the image, so the page is refused.
    ['huge-image.pdf', /the page must be rendered for OCR, and an embedded image of the document declares 60000×60000 pixels/],
    ['huge-jpeg-in.pdf', /the page must be rendered for OCR, and an embedded JPEG of the document declares 60000×60000 pixels/],
    ['huge-page.pdf', /cannot be rendered within 50000000 pixels/],
  ])('when a PDF is %s, then it is refused before pdf.js decodes it', async (name, message) => {
    await refused(name, message);
  });

  test('when a PDF has 3000 pages, then MAX_PAGES refuses it within a second or two', async () => {
    await refused('many-pages.pdf', /the document has 3000 pages; the limit is 200/);
  });

  test('when the pixel limit is changed, then the pdf.js engine follows it (stream cap = 4 bytes per pixel)', async () => {
    // huge-image.pdf's page has no text: it must be rendered, and its 60000×60000 image is over both limits.
    const lowered = createPdfEngine({ maxImagePixels: 1_000_000 });
    const raised = createPdfEngine({ maxImagePixels: 2_000_000_000 });
    try {
      for (const [engine, limit] of [[lowered, 1_000_000], [raised, 2_000_000_000]] as const) {
        const doc = await engine.open(file('huge-image.pdf'));
        const page = await doc.getPage(1);
        await expect(page.render(72)).rejects.toThrow(`60000×60000 pixels; the limit is ${limit}`);
        await doc.close();
      }
      await expect(createPdfEngine({ maxStreamBytes: 1024 }).open(file('flate-bomb.pdf'))).rejects.toThrow(/more than 1024 bytes/);
    } finally {
      await Promise.all([lowered.terminate(), raised.terminate()]);
    }
  });

  test('when a text PDF holds an image over the limit, then its text layer reads and only a rendering is refused', async () => {
    const engine = createPdfEngine({ maxImagePixels: 1_000_000 });
    try {
      // A page full of text (whatever share of the page a text layer must cover), and a small picture of a big image.
      const lines = Array.from({ length: 45 }, (_, i) => `BT /F1 11 Tf 40 ${800 - i * 17} Td (Statement beside a large image, line ${i + 1}: balance 1,234.56 EUR) Tj ET`);
      const content = `${lines.join('\n')}\nq 60 0 0 6 500 20 cm /Im1 Do Q`;
      const pdf = buildPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>',
        `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        '<< /Type /XObject /Subtype /Image /Width 2000 /Height 2000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\0\0\0\0\nendstream',
      ]);
      const { pages } = await extractDocumentText(pdf, { ...ports, pdf: engine }, { maxPixels: 1_000_000 });
      expect(pages.map((p) => p.text).join(' ')).toContain('Statement beside a large image, line 45');
      const doc = await engine.open(pdf);
      await expect((await doc.getPage(1)).render(72)).rejects.toThrow(DocumentTooLargeError);
      await doc.close();
    } finally {
      await engine.terminate();
    }
  });
});

describe('pdf.js never evaluates code from a PDF', { timeout: 60_000 }, () => {
  // An axial shading whose colour is a PostScript (type 4) function: with eval allowed, pdf.js
  // compiles it into JavaScript with `new Function`.
  const stream = (dict: string, data: string): string => `<< ${dict} /Length ${data.length} >>\nstream\n${data}\nendstream`;
  const shadingPdf = (): Uint8Array =>
    buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Shading << /Sh1 5 0 R >> >> >>',
      stream('', '/Sh1 sh'),
      '<< /ShadingType 2 /ColorSpace /DeviceGray /Coords [0 0 200 200] /Function 6 0 R >>',
      stream('/FunctionType 4 /Domain [0 1] /Range [0 1]', '{ 0.5 mul }'),
    ]);

  test('when a page holds a PostScript function, then our engine renders it without compiling code (pdf.js with eval would)', async () => {
    // pdf.js runs in the engine's own thread: a wrapper of its script records every code compilation there.
    const dir = mkdtempSync(join(tmpdir(), 'kyc-pdf-eval-'));
    const log = join(dir, 'compiled.log');
    const script = join(dir, 'thread.mjs');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
const log = ${JSON.stringify(log)};
const RealFunction = globalThis.Function;
const record = (what) => appendFileSync(log, what + '\\n');
globalThis.Function = new Proxy(RealFunction, {
  construct: (target, args) => (record('construct'), Reflect.construct(target, args)),
  apply: (target, self, args) => (record('apply'), Reflect.apply(target, self, args)),
});
new Function('return 1'); // proves the recording works in this thread
await import(${JSON.stringify(pathToFileURL(PDF_THREAD_SCRIPT).href)});
`,
    );
    const engine = createPdfEngine({ threadScript: script });
    try {
      const doc = await engine.open(shadingPdf());
      const page = await doc.getPage(1);
      const image = await page.render(72);
      await doc.close();
      expect(image.width).toBe(200);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['construct']);
    } finally {
      await engine.terminate();
      rmSync(dir, { recursive: true, force: true });
    }

    const RealFunction = globalThis.Function;
    let compiled = 0;
    globalThis.Function = new Proxy(RealFunction, {
      construct: (target, args) => (compiled++, Reflect.construct(target, args)),
      apply: (target, self, args) => (compiled++, Reflect.apply(target, self, args)),
    });
    try {
      // The probe works: the same file through pdf.js with eval allowed compiles the function.
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const raw = await pdfjs.getDocument({ data: shadingPdf(), isEvalSupported: true, verbosity: 0 }).promise;
      const rawPage = await raw.getPage(1);
      const canvas = (raw.canvasFactory as { create(w: number, h: number): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } }).create(200, 200);
      await rawPage.render({ canvas: canvas.canvas, canvasContext: canvas.context, viewport: rawPage.getViewport({ scale: 1 }) }).promise;
      await raw.destroy();
      expect(compiled).toBeGreaterThan(0);
    } finally {
      globalThis.Function = RealFunction;
    }
  });
});
