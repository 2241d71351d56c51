import { describe, expect, test } from 'vitest';
import {
  DocumentTooComplexError,
  DocumentTooLargeError,
  EncryptedDocumentError,
  PageTimeoutError,
  UnreadableDocumentError,
  UnsupportedFileTypeError,
} from '../../src/domain/errors.js';
import type {
  ImageInfo,
  ImagePreprocessor,
  OcrImage,
  PdfDocument,
  PdfEngine,
  PrepareImageOptions,
  TextRun,
} from '../../src/domain/extraction-ports.js';
import {
  extractDocumentText,
  imageUpscale,
  joinTextRuns,
  renderDpiFor,
  richerReading,
  textCoverage,
  tidyText,
  type ExtractionOptions,
  type ExtractionPorts,
} from '../../src/domain/extraction.js';
import { detectFileKind } from '../../src/domain/file-kind.js';
import { encodePgm } from '../../src/domain/pgm.js';
import type { OcrEngine, OcrOptions } from '../../src/domain/ports.js';

// --- magic bytes ---------------------------------------------------------------------------------

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF');
const TIFF_LE = bytes('II', [42, 0, 8, 0, 0, 0]);
const TIFF_BE = bytes('MM', [0, 42, 0, 0, 0, 8]);
const WEBP = bytes('RIFF', [36, 0, 0, 0], 'WEBPVP8 ');

describe('detectFileKind', () => {
  test.each([
    ['pdf', PDF],
    ['pdf', bytes('\r\n\r\n', '%PDF-1.4\n')],
    ['png', PNG],
    ['jpeg', JPEG],
    ['tiff', TIFF_LE],
    ['tiff', TIFF_BE],
    ['webp', WEBP],
  ] as const)('when the bytes start like a %s, then it is one', (kind, data) => {
    expect(detectFileKind(data)).toBe(kind);
  });

  test.each([
    ['empty', new Uint8Array(0)],
    ['text', bytes('Name: Jane Example\nPassport: 123456789\n')],
    ['GIF', bytes('GIF89a', [1, 0, 1, 0])],
    ['BMP', bytes('BM', [0, 0, 0, 0])],
    ['ZIP (docx)', bytes('PK', [3, 4, 20, 0])],
    ['WAV (RIFF but not WebP)', bytes('RIFF', [36, 0, 0, 0], 'WAVEfmt ')],
    ['truncated PNG signature', PNG.subarray(0, 5)],
    ['PDF header after the first KiB', bytes(' '.repeat(1100), '%PDF-1.7\n')],
  ])('when the file is %s, then it is unsupported', (_name, data) => {
    expect(() => detectFileKind(data)).toThrow(UnsupportedFileTypeError);
  });
});

// --- fakes ---------------------------------------------------------------------------------------

type FakePage = { size?: { width: number; height: number } } & ({ runs: TextRun[] } | { scan: string });

const A4 = { width: 595, height: 842 };
const run = (text: string, x: number, y: number, extra: Partial<TextRun> = {}): TextRun => ({
  text,
  x,
  y,
  width: text.length * 6,
  height: 12,
  hasEOL: false,
  ...extra,
});
const textPage = (...lines: string[]): FakePage => ({ runs: lines.map((l, i) => run(l, 60, 80 + i * 20)) });

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Recorder {
  events: string[];
  ocrCalls: Array<{ image: string; options?: OcrOptions }>;
  rendered: Array<{ page: number; dpi: number }>;
  prepared: PrepareImageOptions[];
}

function fakePorts(setup: { pdfPages?: FakePage[]; pdfError?: Error; image?: ImageInfo; pageError?: number }): {
  ports: ExtractionPorts;
  rec: Recorder;
} {
  const rec: Recorder = { events: [], ocrCalls: [], rendered: [], prepared: [] };
  const ocr: OcrEngine = {
    async recognize(image, options) {
      rec.ocrCalls.push({ image: decode(image), options });
      await tick();
      return { text: `  ${decode(image).replace('image:', 'read ')}  \n\n\n`, confidence: 0.87 };
    },
  };
  const pdf: PdfEngine = {
    async open(): Promise<PdfDocument> {
      if (setup.pdfError) throw setup.pdfError;
      const pages = setup.pdfPages ?? [];
      rec.events.push('open');
      return {
        pageCount: pages.length,
        async getPage(n) {
          const page = pages[n - 1]!;
          if (setup.pageError === n) throw new UnreadableDocumentError(`page ${n} is broken`);
          return {
            ...(page.size ?? A4),
            async textRuns() {
              await tick();
              return 'runs' in page ? page.runs : [];
            },
            async render(dpi): Promise<OcrImage> {
              rec.rendered.push({ page: n, dpi });
              return { image: encode(`image:${'scan' in page ? page.scan : ''}`), width: 1, height: 1, dpi };
            },
            release: () => rec.events.push(`release ${n}`),
          };
        },
        async close() {
          rec.events.push('close');
        },
      };
    },
  };
  const image: ImagePreprocessor = {
    async inspect() {
      if (!setup.image) throw new UnreadableDocumentError('not an image');
      return setup.image;
    },
    async prepare(_bytes, options) {
      rec.prepared.push(options);
      return { image: encode(`image:${options.whiten ? 'whitened ' : ''}photo page ${options.page}`), width: 1, height: 1 };
    },
  };
  return { ports: { ocr, pdf, image }, rec };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));

function withoutSignal(options: OcrOptions | undefined): OcrOptions | undefined {
  if (!options) return options;
  // The signal and the page clock's hooks are checked elsewhere.
  const { signal: _signal, onWait: _onWait, onStart: _onStart, ...rest } = options;
  return rest;
}

/**
 * The fakes' text lines are short (a few per page), far below the text-coverage rule's share of
 * the page: tests of other rules switch it off (minTextCoverage 0); its own tests set it.
 */
function extract(data: Uint8Array, ports: ExtractionPorts, options: ExtractionOptions = {}) {
  let t = 0;
  return extractDocumentText(data, ports, { now: () => (t += 5), minTextCoverage: 0, ...options });
}

// --- PDF routing ---------------------------------------------------------------------------------

describe('extractDocumentText on PDFs', () => {
  test('when every page has a text layer, then no page is rendered or OCRd', async () => {
    const { ports, rec } = fakePorts({
      pdfPages: [textPage('Statement of account', 'Jane Example'), textPage('Page two of the statement')],
    });
    const result = await extract(PDF, ports);
    expect(result.fileKind).toBe('pdf');
    expect(result.pages).toEqual([
      { page: 1, text: 'Statement of account\nJane Example', confidence: 1, method: 'pdf-text', durationMs: expect.any(Number) },
      { page: 2, text: 'Page two of the statement', confidence: 1, method: 'pdf-text', durationMs: expect.any(Number) },
    ]);
    expect(rec.rendered).toEqual([]);
    expect(rec.ocrCalls).toEqual([]);
  });

  test('when a page has no meaningful text layer, then it is rendered at 300 dpi and OCRd as a page', async () => {
    const { ports, rec } = fakePorts({
      pdfPages: [
        textPage('Statement of account for March'),
        { scan: 'scanned page' },
        { runs: [run('p. 3', 500, 800), run('~ ~ ~', 60, 60)] }, // 2 letters/digits: a stamp, not text
      ],
    });
    const { pages } = await extract(PDF, ports);
    expect(pages.map((p) => [p.page, p.method, p.text])).toEqual([
      [1, 'pdf-text', 'Statement of account for March'],
      [2, 'ocr', 'read scanned page'],
      [3, 'ocr', 'read'],
    ]);
    expect(pages[1]!.confidence).toBe(0.87);
    expect(rec.rendered.sort((a, b) => a.page - b.page)).toEqual([
      { page: 2, dpi: 300 },
      { page: 3, dpi: 300 },
    ]);
    expect(rec.ocrCalls.map((c) => withoutSignal(c.options))).toEqual([{ psm: 3, lines: true, dpi: 300 }, { psm: 3, lines: true, dpi: 300 }]);
    expect(rec.ocrCalls.every((c) => c.options?.signal instanceof AbortSignal)).toBe(true);
  });

  test('when OCR reads nothing, then the page confidence is 0 whatever the engine says', async () => {
    const { ports } = fakePorts({ pdfPages: [{ scan: 'noise' }] });
    ports.ocr.recognize = async () => ({ text: ' \n\n ', confidence: 0.95 });
    const { pages } = await extract(PDF, ports);
    expect(pages[0]).toMatchObject({ method: 'ocr', text: '', confidence: 0 });
  });

  test('when minTextChars is raised, then a sparse text layer is OCRd instead', async () => {
    const { ports } = fakePorts({ pdfPages: [{ runs: [run('Scanned with MyScanner', 60, 800)] }] });
    const { pages } = await extract(PDF, ports, { minTextChars: 40 });
    expect(pages[0]!.method).toBe('ocr');
  });

  test('when pages finish out of order, then results are in page order and progress counts up', async () => {
    const pdfPages = Array.from({ length: 7 }, (_, i): FakePage =>
      i % 2 ? { scan: `scan ${i + 1}` } : textPage(`Text page number ${i + 1}`),
    );
    const { ports, rec } = fakePorts({ pdfPages });
    const progress: Array<{ page: number; total: number }> = [];
    const { pages } = await extract(PDF, ports, { onPage: (p) => progress.push(p), concurrency: 3 });
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7].map((page) => ({ page, total: 7 })));
    expect(rec.events.filter((e) => e.startsWith('release'))).toHaveLength(7);
    expect(rec.events.at(-1)).toBe('close');
  });

  test('when the clock is injected, then durationMs comes from it', async () => {
    const { ports } = fakePorts({ pdfPages: [textPage('A page with enough text')] });
    const { pages } = await extract(PDF, ports, { now: ((t) => () => (t += 40))(0) });
    expect(pages[0]!.durationMs).toBe(40);
  });

  test('when a PDF has more pages than maxPages, then it is too large and is closed', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [textPage('one page of text'), textPage('two pages of text')] });
    await expect(extract(PDF, ports, { maxPages: 1 })).rejects.toThrow(DocumentTooLargeError);
    expect(rec.events).toEqual(['open', 'close']);
  });

  test('when a scanned page is large, then its DPI drops to fit maxPixels', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [{ scan: 'A2 poster', size: { width: 1191, height: 1684 } }] });
    await extract(PDF, ports, { maxPixels: 20_000_000 });
    expect(rec.rendered[0]!.dpi).toBe(Math.floor(72 * Math.sqrt(20_000_000 / (1191 * 1684))));
  });

  test('when a scanned page is absurdly large, then the document is too large', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [{ scan: 'banner', size: { width: 14_400, height: 14_400 } }] });
    await expect(extract(PDF, ports)).rejects.toThrow(DocumentTooLargeError);
    expect(rec.events.at(-1)).toBe('close');
  });

  test('when one scanned page of several is absurdly large, then that page is listed as DOCUMENT_TOO_LARGE and the others are kept', async () => {
    const { ports } = fakePorts({ pdfPages: [textPage('A cover letter with enough text'), { scan: 'banner', size: { width: 14_400, height: 14_400 } }] });
    const result = await extract(PDF, ports);
    expect(result.pages.map((p) => p.page)).toEqual([1]);
    expect(result.pageErrors).toEqual([{ page: 2, code: 'DOCUMENT_TOO_LARGE', message: 'a 14400×14400 pt page cannot be rendered within 50000000 pixels' }]);
  });

  test('when a render goes over the memory limit, then the document is read once more at 150 dpi', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [textPage('A page of text that reads'), { scan: 'soft-masked scan' }] });
    const open = ports.pdf.open.bind(ports.pdf);
    ports.pdf.open = async (b) => {
      const doc = await open(b);
      return {
        ...doc,
        pageCount: doc.pageCount,
        getPage: async (n) => {
          const page = await doc.getPage(n);
          return { ...page, render: (dpi, signal) => (dpi > 150 ? Promise.reject(new DocumentTooComplexError('over the memory limit')) : page.render(dpi, signal)) };
        },
      };
    };
    const { pages } = await extract(PDF, ports);
    expect(pages.map((p) => [p.page, p.method, p.text])).toEqual([
      [1, 'pdf-text', 'A page of text that reads'],
      [2, 'ocr', 'read soft-masked scan'],
    ]);
    expect(rec.events.filter((e) => e === 'open')).toHaveLength(2);
    expect(rec.rendered.filter((r) => r.page === 2).map((r) => r.dpi)).toEqual([150]);
  });

  test('when reading a text layer goes over the memory limit, then the document fails: a smaller render would not help', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [textPage('Never read')] });
    const open = ports.pdf.open.bind(ports.pdf);
    ports.pdf.open = async (b) => {
      const doc = await open(b);
      return { ...doc, pageCount: doc.pageCount, getPage: async (n) => ({ ...(await doc.getPage(n)), textRuns: () => Promise.reject(new DocumentTooComplexError('over the memory limit')) }) };
    };
    await expect(extract(PDF, ports)).rejects.toBeInstanceOf(DocumentTooComplexError);
    expect(rec.events.filter((e) => e === 'open')).toHaveLength(1);
  });

  test('when the PDF needs a password, then EncryptedDocumentError surfaces', async () => {
    const { ports } = fakePorts({ pdfError: new EncryptedDocumentError('password') });
    await expect(extract(PDF, ports)).rejects.toThrow(EncryptedDocumentError);
  });

  test('when one page is unreadable, then the other pages are kept and the failed one is listed with its code', async () => {
    const pdfPages = Array.from({ length: 6 }, (_, i) => textPage(`Readable page number ${i + 1}`));
    const { ports, rec } = fakePorts({ pdfPages, pageError: 2 });
    const progress: number[] = [];
    const result = await extract(PDF, ports, { onPage: (p) => progress.push(p.page) });
    expect(result.pages.map((p) => p.page)).toEqual([1, 3, 4, 5, 6]);
    expect(result.pages[1]!.text).toBe('Readable page number 3');
    expect(result.pageErrors).toEqual([{ page: 2, code: 'UNREADABLE_DOCUMENT', message: 'page 2 is broken' }]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]); // a failed page still counts as done
    expect(rec.events.filter((e) => e === 'close').length).toBeGreaterThanOrEqual(1);
  });

  test('when every page reads, then there is no pageErrors field at all', async () => {
    const { ports } = fakePorts({ pdfPages: [textPage('Readable page number one')] });
    expect(await extract(PDF, ports)).not.toHaveProperty('pageErrors');
  });

  test('when no page of the PDF is readable, then the document is unreadable and closed', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [textPage('Only page, broken')], pageError: 1 });
    await expect(extract(PDF, ports)).rejects.toThrow("none of the PDF's 1 pages can be read");
    expect(rec.events.at(-1)).toBe('close');
  });

  test('when a page times out, then the document fails at that deadline and the page in flight is cut off with it', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [{ scan: 'stuck one' }, { scan: 'quick' }, { scan: 'stuck three' }] });
    const signals = new Map<string, AbortSignal>();
    ports.ocr.recognize = (image, options) => {
      const name = decode(image);
      signals.set(name, options!.signal!);
      // Page 1 never ends; page 2 takes 100 ms, so page 3 starts later and would reach its own deadline later.
      return name.includes('quick') ? new Promise((r) => setTimeout(() => r({ text: 'quick page', confidence: 0.9 }), 100)) : new Promise(() => {});
    };
    const started = Date.now();
    await expect(extract(PDF, ports, { pageTimeoutMs: 300 })).rejects.toThrow('page 1 took longer than the limit of 300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
    // Page 3 was stopped by page 1's failure, not by its own deadline 100 ms later.
    expect((signals.get('image:stuck three')?.reason as Error).message).toBe('page 1 took longer than the limit of 300 ms');
    expect(rec.events.at(-1)).toBe('close');
  });

  test('when the signal is already aborted, then nothing is opened', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [textPage('some text here')] });
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(extract(PDF, ports, { signal: controller.signal })).rejects.toThrow('cancelled');
    expect(rec.events).toEqual([]);
  });

  test('when the signal aborts after the first page, then no further page is OCRd and the PDF is closed', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [{ scan: 'one' }, { scan: 'two' }, { scan: 'three' }] });
    const controller = new AbortController();
    const result = extract(PDF, ports, {
      signal: controller.signal,
      concurrency: 1,
      onPage: () => controller.abort(new Error('cancelled')),
    });
    await expect(result).rejects.toThrow('cancelled');
    expect(rec.ocrCalls).toHaveLength(1);
    expect(rec.events.at(-1)).toBe('close');
  });
});

// --- text coverage -------------------------------------------------------------------------------

describe('OCR of pages whose text layer covers little of the page', () => {
  /** A scanned statement with a searchable footer: one text line over an image the OCR reads. */
  const FOOTER_RUNS = [run('Page 1 of 3 - Example Bank plc, registered in England', 60, 820, { height: 8 })];

  test('when a page has a searchable footer over a scan, then it is OCRd and the richer OCR reading is kept', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [{ scan: 'statement '.repeat(30) + 'Page 1 of 3 - Example Bank plc' }] });
    // The fake engine gives text runs to text pages only: give this one both.
    const open = ports.pdf.open.bind(ports.pdf);
    ports.pdf.open = async (b) => {
      const doc = await open(b);
      return { ...doc, pageCount: doc.pageCount, getPage: async (n) => ({ ...(await doc.getPage(n)), textRuns: async () => FOOTER_RUNS }) };
    };
    const { pages } = await extract(PDF, ports, { minTextCoverage: 0.02 });
    expect(rec.rendered).toEqual([{ page: 1, dpi: 300 }]);
    expect(pages[0]!.method).toBe('ocr');
    expect(pages[0]!.text.startsWith('read statement statement')).toBe(true);
    // The footer is printed on the page, so OCR has it: it is not added a second time.
    expect(pages[0]!.text.match(/Example Bank plc/g)).toHaveLength(1);
  });

  test('when the OCR reading holds no more than the sparse layer, then the exact layer is kept', async () => {
    const layer = { page: 1, text: 'Annex 1: terms and conditions', confidence: 1, method: 'pdf-text' as const, durationMs: 3 };
    const ocr = { page: 1, text: 'Annex 1: terms and condltions', confidence: 0.8, method: 'ocr' as const, durationMs: 900 };
    expect(richerReading(layer, ocr)).toEqual({ ...layer, durationMs: 900 });
    expect(richerReading(layer, { ...ocr, text: `${ocr.text}\n${'a long scanned paragraph '.repeat(4)}` }).method).toBe('ocr');
    expect(richerReading(layer, { ...ocr, mrzText: 'P<UTO...' }).mrzText).toBe('P<UTO...');
  });

  test('when rendering a sparse text page fails, then its text layer is kept', async () => {
    const { ports } = fakePorts({ pdfPages: [textPage('Annex 1: terms and conditions')] });
    const open = ports.pdf.open.bind(ports.pdf);
    ports.pdf.open = async (b) => {
      const doc = await open(b);
      return { ...doc, pageCount: doc.pageCount, getPage: async (n) => ({ ...(await doc.getPage(n)), render: () => Promise.reject(new UnreadableDocumentError('the page cannot be parsed')) }) };
    };
    const { pages } = await extract(PDF, ports, { minTextCoverage: 0.02 });
    expect(pages[0]).toMatchObject({ method: 'pdf-text', text: 'Annex 1: terms and conditions' });
  });

  test('when a page is full of text, then it is not rendered at all', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => run(`Line ${i} of a dense statement with many transactions listed`, 40, 60 + i * 18, { width: 500, height: 10 }));
    const { ports, rec } = fakePorts({ pdfPages: [{ runs: lines }] });
    const { pages } = await extract(PDF, ports, { minTextCoverage: 0.02 });
    expect(pages[0]!.method).toBe('pdf-text');
    expect(rec.rendered).toEqual([]);
  });

  test('textCoverage: run boxes over the page area, blank runs ignored, clipped to the page', () => {
    expect(textCoverage([run('x'.repeat(50), 0, 10, { width: 300, height: 10 })], { width: 600, height: 500 })).toBeCloseTo(0.01);
    expect(textCoverage([run('   ', 0, 10, { width: 300, height: 10 })], { width: 600, height: 500 })).toBe(0);
    expect(textCoverage([run('huge', 0, 10, { width: 9e9, height: 9e9 })], { width: 600, height: 500 })).toBe(1);
    expect(textCoverage([], { width: 0, height: 0 })).toBe(0);
  });
});

// --- time limits ---------------------------------------------------------------------------------

describe('extractDocumentText time limits', () => {
  const never = <T>(): Promise<T> => new Promise<T>(() => {});

  test('when rendering a page never finishes, then the page is cut off with PAGE_TIMEOUT and the PDF is closed', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [textPage('A readable first page of text'), { scan: 'stuck' }] });
    let renderSignal: AbortSignal | undefined;
    const open = ports.pdf.open.bind(ports.pdf);
    ports.pdf.open = async (b) => {
      const doc = await open(b);
      return {
        ...doc,
        pageCount: doc.pageCount,
        getPage: async (n) => ({ ...(await doc.getPage(n)), render: (_dpi, signal) => ((renderSignal = signal), never()) }),
      };
    };
    const started = Date.now();
    const error = await extract(PDF, ports, { pageTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageTimeoutError);
    expect((error as PageTimeoutError).code).toBe('PAGE_TIMEOUT');
    expect((error as Error).message).toBe('page 2 took longer than the limit of 100 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(renderSignal?.aborted).toBe(true); // the engine was told to stop
    expect(rec.events.at(-1)).toBe('close');
  });

  test('when a page waits for an OCR worker that other documents hold, then the wait is not charged to its time limit', async () => {
    const { ports } = fakePorts({ pdfPages: [{ scan: 'waits its turn' }] });
    ports.ocr.recognize = async (image, options) => {
      // The engine has no free worker for 300 ms (other documents' pages), then reads in 50 ms.
      options?.onWait?.();
      await new Promise((r) => setTimeout(r, 300));
      options?.onStart?.();
      await new Promise((r) => setTimeout(r, 50));
      return { text: decode(image), confidence: 0.9 };
    };
    const { pages } = await extract(PDF, ports, { pageTimeoutMs: 200 });
    expect(pages[0]!.text).toBe('image:waits its turn');
  });

  test('when a page\'s own work, split by a wait, adds up past the limit, then it is cut off (the clock resumes, it does not restart)', async () => {
    const { ports } = fakePorts({ pdfPages: [{ scan: 'slow' }] });
    ports.ocr.recognize = async (_image, options) => {
      await new Promise((r) => setTimeout(r, 120)); // own work
      options?.onWait?.();
      await new Promise((r) => setTimeout(r, 200)); // waiting: not charged
      options?.onStart?.();
      await new Promise((r) => setTimeout(r, 120)); // own work again: 240 ms in all
      return { text: 'late', confidence: 0.9 };
    };
    await expect(extract(PDF, ports, { pageTimeoutMs: 200 })).rejects.toThrow('page 1 took longer than the limit of 200 ms');
  });

  test('when OCR of a page hangs, then its signal aborts at the deadline so the engine can drop that worker', async () => {
    const { ports } = fakePorts({ image: { width: 1000, height: 800, pages: 1 } });
    const signals: AbortSignal[] = [];
    ports.ocr.recognize = (_image, options) => (signals.push(options!.signal!), never());
    await expect(extract(PNG, ports, { pageTimeoutMs: 50 })).rejects.toThrow(PageTimeoutError);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(PageTimeoutError);
  });

  test('when opening the PDF hangs, then it is cut off, and a document that opens late is closed', async () => {
    const closed: string[] = [];
    let finishOpening: (() => void) | undefined;
    const pdf: PdfEngine = {
      open: () =>
        new Promise<PdfDocument>((resolve) => {
          finishOpening = () =>
            resolve({ pageCount: 1, getPage: never, close: async () => void closed.push('late document closed') });
        }),
    };
    const { ports } = fakePorts({});
    await expect(extract(PDF, { ...ports, pdf }, { pageTimeoutMs: 50 })).rejects.toThrow(
      'opening the PDF took longer than the limit of 50 ms',
    );
    finishOpening!();
    await tick();
    expect(closed).toEqual(['late document closed']);
  });

  test('when reading an image header hangs, then it is cut off', async () => {
    const { ports } = fakePorts({});
    ports.image.inspect = never;
    await expect(extract(JPEG, ports, { pageTimeoutMs: 50 })).rejects.toThrow(PageTimeoutError);
  });

  test('when closing the PDF hangs after a cut-off page, then extraction still ends', async () => {
    const { ports } = fakePorts({ pdfPages: [{ scan: 'stuck' }] });
    ports.ocr.recognize = never;
    const open = ports.pdf.open.bind(ports.pdf);
    ports.pdf.open = async (b) => ({ ...(await open(b)), pageCount: 1, close: never });
    const started = Date.now();
    await expect(extract(PDF, ports, { pageTimeoutMs: 80 })).rejects.toThrow(PageTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000); // page limit, then at most one more for close
  });

  test('when the caller cancels during a stuck page, then the cancellation reason surfaces at once', async () => {
    const { ports } = fakePorts({ pdfPages: [{ scan: 'stuck' }] });
    ports.ocr.recognize = never;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('activity cancelled')), 20);
    await expect(extract(PDF, ports, { signal: controller.signal, pageTimeoutMs: 60_000 })).rejects.toThrow(
      'activity cancelled',
    );
  });

  test('when pages are quick, then the limit applies per page, not to the whole document', async () => {
    const pdfPages = Array.from({ length: 8 }, (_, i) => textPage(`Readable page number ${i + 1}`));
    const { ports } = fakePorts({ pdfPages });
    const slowTextRuns = ports.pdf.open.bind(ports.pdf);
    ports.pdf.open = async (b) => {
      const doc = await slowTextRuns(b);
      return {
        ...doc,
        pageCount: doc.pageCount,
        getPage: async (n) => {
          const page = await doc.getPage(n);
          return { ...page, textRuns: async () => (await new Promise((r) => setTimeout(r, 100)), page.textRuns()) };
        },
      };
    };
    // 8 pages × 100 ms on one lane is 800 ms in all, each page well inside 500 ms.
    const { pages } = await extract(PDF, ports, { pageTimeoutMs: 500, concurrency: 1 });
    expect(pages).toHaveLength(8);
  });
});

// --- images --------------------------------------------------------------------------------------

describe('extractDocumentText on images', () => {
  test('when a PNG arrives, then it is prepared once and OCRd as a page', async () => {
    const { ports, rec } = fakePorts({ image: { width: 2480, height: 3508, pages: 1 } });
    const result = await extract(PNG, ports);
    expect(result).toEqual({
      fileKind: 'png',
      pages: [
        {
          page: 1,
          text: 'read photo page 0',
          confidence: 0.87,
          method: 'ocr',
          durationMs: expect.any(Number),
          // A fake image is no PGM: read as it is, nothing applied but the (unit) scale.
          geometry: { rotation: 0, skewDeg: 0, perspective: false, scale: 1 },
        },
      ],
    });
    expect(rec.prepared).toEqual([{ page: 0, scale: 1, maxPixels: 50_000_000, whiten: false }]);
  });

  test('when a rendered page is OCRd, then Tesseract is told its resolution', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [{ scan: 'page one' }] });
    await extract(PDF, ports);
    expect(rec.ocrCalls[0]!.options?.dpi).toBe(rec.rendered[0]!.dpi);
  });

  test('when the plain image reads with low confidence, then it is read again whitened and the better reading kept', async () => {
    const { ports, rec } = fakePorts({ image: { width: 2480, height: 3508, pages: 1 } });
    ports.ocr.recognize = async (image) => (decode(image).includes('whitened') ? { text: 'Jane Example', confidence: 0.9 } : { text: 'J~ne', confidence: 0.3 });
    const { pages } = await extract(PNG, ports);
    expect(rec.prepared.map((p) => p.whiten)).toEqual([false, true]);
    expect(pages[0]).toMatchObject({ text: 'Jane Example', confidence: 0.9 });
  });

  test('when the whitened image reads no better, then the plain reading stands', async () => {
    const { ports } = fakePorts({ image: { width: 2480, height: 3508, pages: 1 } });
    ports.ocr.recognize = async (image) => (decode(image).includes('whitened') ? { text: 'x', confidence: 0.2 } : { text: 'Jane Exarnple', confidence: 0.5 });
    expect((await extract(PNG, ports)).pages[0]).toMatchObject({ text: 'Jane Exarnple', confidence: 0.5 });
  });

  test('when the image is small, then it is upscaled before OCR', async () => {
    const { ports, rec } = fakePorts({ image: { width: 480, height: 300, pages: 1 } });
    await extract(JPEG, ports);
    expect(rec.prepared[0]!.scale).toBe(2.5);
  });

  test('when the image has more pixels than maxPixels, then it is too large and never decoded', async () => {
    const { ports, rec } = fakePorts({ image: { width: 10_000, height: 10_000, pages: 1 } });
    await expect(extract(JPEG, ports)).rejects.toThrow(DocumentTooLargeError);
    expect(rec.prepared).toEqual([]);
  });

  test('when a TIFF has three pages, then each page is OCRd', async () => {
    const { ports, rec } = fakePorts({ image: { width: 2000, height: 2800, pages: 3 } });
    const { pages } = await extract(TIFF_LE, ports);
    expect(pages.map((p) => p.text)).toEqual(['read photo page 0', 'read photo page 1', 'read photo page 2']);
    expect(rec.prepared.map((p) => p.page).sort()).toEqual([0, 1, 2]);
  });

  test('when a TIFF has more pages than maxPages, then it is too large', async () => {
    const { ports } = fakePorts({ image: { width: 2000, height: 2800, pages: 3 } });
    await expect(extract(TIFF_BE, ports, { maxPages: 2 })).rejects.toThrow(DocumentTooLargeError);
  });

  test('when a WebP is animated, then only its first frame is read', async () => {
    const { ports } = fakePorts({ image: { width: 2000, height: 1200, pages: 12 } });
    const { pages } = await extract(WEBP, ports);
    expect(pages).toHaveLength(1);
  });

  test('when a file named .pdf holds PNG bytes, then it is read as the PNG it is', async () => {
    const { ports, rec } = fakePorts({ image: { width: 2000, height: 1200, pages: 1 } });
    const { fileKind } = await extract(PNG, ports);
    expect(fileKind).toBe('png');
    expect(rec.events).toEqual([]); // the PDF engine was never asked
  });
});

describe('extractDocumentText limits and formats', () => {
  test('when the file exceeds maxBytes, then it is too large before anything is parsed', async () => {
    const { ports, rec } = fakePorts({ pdfPages: [textPage('never read at all')] });
    await expect(extract(PDF, ports, { maxBytes: PDF.length - 1 })).rejects.toThrow(DocumentTooLargeError);
    expect(rec.events).toEqual([]);
  });

  test('when the file is empty or garbage, then it is unsupported', async () => {
    const { ports } = fakePorts({});
    await expect(extract(new Uint8Array(0), ports)).rejects.toThrow(UnsupportedFileTypeError);
    await expect(extract(bytes('hello world'), ports)).rejects.toThrow(UnsupportedFileTypeError);
  });

  test('when limits are passed as undefined, then the defaults apply', async () => {
    const { ports } = fakePorts({ pdfPages: [textPage('Some text layer here')] });
    const { pages } = await extract(PDF, ports, { maxBytes: undefined, maxPages: undefined, maxPixels: undefined });
    expect(pages).toHaveLength(1);
  });
});

// --- pure helpers --------------------------------------------------------------------------------

describe('joinTextRuns', () => {
  test('when the baseline moves, then a new line starts', () => {
    expect(joinTextRuns([run('Name:', 50, 100), run('Address:', 50, 120)])).toBe('Name:\nAddress:');
  });

  test('when runs on one baseline are apart, then a space separates them', () => {
    expect(joinTextRuns([run('Name:', 50, 100), run('Jane', 150, 100)])).toBe('Name: Jane');
  });

  test('when runs touch or already carry the space, then none is added', () => {
    expect(joinTextRuns([run('Ja', 50, 100, { width: 12 }), run('ne', 62, 100)])).toBe('Jane');
    expect(joinTextRuns([run('Name:', 50, 100), run(' ', 80, 100, { width: 70, height: 0 }), run('Jane', 150, 100)])).toBe(
      'Name: Jane',
    );
  });

  test('when a run marks the end of a line, then the next run starts a new line even on the same baseline', () => {
    expect(joinTextRuns([run('one', 50, 100, { hasEOL: true }), run('two', 90, 100)])).toBe('one\ntwo');
    expect(joinTextRuns([run('one', 50, 100), run('', 50, 100, { hasEOL: true }), run('two', 90, 100)])).toBe('one\ntwo');
  });

  test('when a run jumps back along the baseline, then it is a new line (next column row)', () => {
    expect(joinTextRuns([run('right column', 300, 100), run('left', 50, 100)])).toBe('right column\nleft');
  });

  test('when a run sits slightly higher (superscript), then it stays on the line', () => {
    expect(joinTextRuns([run('m', 50, 100, { width: 10 }), run('2', 60, 96, { height: 7 })])).toBe('m2');
  });

  test('when there are no runs, then the text is empty', () => {
    expect(joinTextRuns([])).toBe('');
  });
});

describe('tidyText', () => {
  test('when OCR output has trailing spaces and runs of blank lines, then they are trimmed', () => {
    expect(tidyText('\n\nLine one   \n\n\n\nLine two\t\n\n')).toBe('Line one\n\nLine two');
  });
});

describe('renderDpiFor and imageUpscale', () => {
  test('when an A4 page fits the budget, then the configured DPI is used', () => {
    expect(renderDpiFor(A4, 300, 50_000_000)).toBe(300);
  });

  test('when the budget is tight, then the DPI is lowered but not below 100', () => {
    expect(renderDpiFor(A4, 300, 4_000_000)).toBe(Math.floor(72 * Math.sqrt(4_000_000 / (595 * 842))));
    expect(() => renderDpiFor(A4, 300, 800_000)).toThrow(DocumentTooLargeError);
  });

  test('when images are small, large or near the pixel limit, then the upscale factor follows', () => {
    expect(imageUpscale(4000, 3000, 50_000_000)).toBe(1);
    expect(imageUpscale(1200, 850, 50_000_000)).toBe(1); // a card photo is read as it is
    expect(imageUpscale(500, 300, 50_000_000)).toBeCloseTo(2.4);
    expect(imageUpscale(300, 200, 50_000_000)).toBe(3);
    expect(imageUpscale(1000, 1000, 1_210_000)).toBeCloseTo(1.1);
  });
});

describe('the MRZ band re-read', () => {
  const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
  const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
  const WRONG_BIRTH_TD1 = [TD1[0]!, '7408132F1204159UTO<<<<<<<<<<<6', TD1[2]!];
  const LOST_NUMBER_TD1 = ['I<UTOD23<<<<<<<<<<<<<<<<<<<<<<', TD1[1]!, TD1[2]!];

  /** A photo whose page OCR finds MRZ-looking lines; band reads answer by page-segmentation mode. */
  function mrzPorts(pageMrz: string[], byPsm: Record<number, string>): { ports: ExtractionPorts; psms: number[] } {
    const psms: number[] = [];
    const ocr: OcrEngine = {
      async recognize(_image, options) {
        const psm = options?.psm ?? 3;
        psms.push(psm);
        if (psm !== 3) return { text: byPsm[psm] ?? '', confidence: 0.8 };
        const lines = pageMrz.map((text, i) => ({ text, box: { x0: 40, y0: 600 + i * 60, x1: 900, y1: 640 + i * 60 } }));
        return { text: ['PASSPORT', ...pageMrz].join('\n'), confidence: 0.8, lines };
      },
    };
    const image: ImagePreprocessor = {
      inspect: async () => ({ width: 1000, height: 800, pages: 1 }),
      prepare: async () => ({ image: encodePgm(new Uint8Array(1000 * 800), 1000, 800), width: 1000, height: 800 }),
    };
    const pdf: PdfEngine = { open: () => Promise.reject(new Error('not a PDF')) };
    return { ports: { ocr, pdf, image }, psms };
  }

  test('when the first band reading fails its check digits and a later one agrees, then the agreeing one is kept', async () => {
    const damaged = [TD3[0]!, TD3[1]!.replace('7408122', '7408132')];
    const { ports, psms } = mrzPorts(damaged, { 6: damaged.join('\n'), 7: damaged[0]!, 11: TD3.join('\n') });
    const { pages } = await extract(PNG, ports);
    expect(pages[0]?.mrzText).toBe(TD3.join('\n'));
    expect(psms).toEqual([3, 6, 7, 7, 11]); // page, band, each line alone, then the sparse-text reading that agrees
  });

  test('when the page itself read the zone whole and every check digit agrees, then the band is not read again', async () => {
    const { ports, psms } = mrzPorts(TD3, { 6: TD3.join('\n') });
    const { pages } = await extract(PNG, ports);
    expect(pages[0]?.mrzText).toBe(TD3.join('\n'));
    expect(psms).toEqual([3]);
  });

  test('when the page read every check digit agreeing with a filler or two too many or too few, then the band is not read again', async () => {
    // OCR reads fillers as K, s or e, and gives a run one `<` more or less: the repair aligns them.
    const noisy = [`${TD3[0]!.slice(0, 30)}KKsse<<<<<<<<<<`, TD3[1]!.replace('B<<<<<', 'B<<<<<<')];
    const { ports, psms } = mrzPorts(noisy, { 6: TD3.join('\n') });
    await extract(PNG, ports);
    expect(psms).toEqual([3]);
  });

  test('when the page read agreeing check digits but the names line lost characters, then the band is read again', async () => {
    // "P<ITA" damaged to "eA S…": line 2 still agrees, but the names line has no check digit.
    const damaged = [`eA ${TD3[0]!.slice(6, 40)}`, TD3[1]!];
    const { ports, psms } = mrzPorts(damaged, { 6: TD3.join('\n') });
    const { pages } = await extract(PNG, ports);
    expect(pages[0]?.mrzText).toBe(TD3.join('\n'));
    expect(psms).toEqual([3, 6]);
  });

  test('when a passport page shows no MRZ line at all, then the bottom third is read blind, and only an agreeing reading is kept', async () => {
    const found = mrzPorts([], { 6: TD3.join('\n') });
    expect((await extract(PNG, found.ports)).pages[0]?.mrzText).toBe(TD3.join('\n'));
    expect(found.psms).toEqual([3, 6]);
    const noise = mrzPorts([], { 6: 'Signature of bearer', 11: 'KKK<<', 4: '' });
    expect((await extract(PNG, noise.ports)).pages[0]?.mrzText).toBeUndefined();
  });

  test('when no reading of the band agrees, then it is read in three ways and each line alone, and every reading is kept for the MRZ reader', async () => {
    const damaged = [TD3[0]!, TD3[1]!.replace('7408122', '7408132')];
    const { ports, psms } = mrzPorts(damaged, { 6: damaged.join('\n'), 7: damaged[0]!, 11: damaged.join('\n') });
    const { pages } = await extract(PNG, ports);
    expect(psms).toEqual([3, 6, 7, 7, 11, 6]); // page; band; each line; sparse text; band enlarged
    expect(pages[0]?.mrzText?.split('\n\n')).toHaveLength(4); // the band's three readings and the lines' one
  });

  test('when no single reading agrees, then the MRZ is assembled line by line from several readings', async () => {
    const { ports } = mrzPorts(WRONG_BIRTH_TD1, { 6: WRONG_BIRTH_TD1.join('\n'), 11: LOST_NUMBER_TD1.join('\n') });
    const { pages } = await extract(PNG, ports);
    expect(pages[0]?.mrzText).toBe(TD1.join('\n'));
  });
});
