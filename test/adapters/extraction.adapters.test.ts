/**
 * Real pdf.js, tesseract.js and sharp on fixtures drawn by test code (test/support/draw.ts).
 * The OCR pool runs behind a worker script that forbids network access, so every test here also
 * proves that OCR never downloads anything.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool, type TesseractPool } from '../../src/adapters/tesseract-ocr.js';
import {
  ConfigError,
  DocumentTooLargeError,
  EncryptedDocumentError,
  UnreadableDocumentError,
} from '../../src/domain/errors.js';
import { extractDocumentText, type ExtractionPorts } from '../../src/domain/extraction.js';
import { pgmPixels } from '../../src/domain/pgm.js';
import {
  drawTextCanvas,
  encryptedPdf,
  exifRotatedJpeg,
  imagePdf,
  mixedPdf,
  multiPageTiff,
  textImage,
  textPdf,
  type ImageFormat,
} from '../support/draw.js';
import { offlineTesseractWorkerScript } from '../support/no-network.js';

const STATEMENT = [
  'STATEMENT OF ACCOUNT',
  'Account holder: Jane Example',
  'Address: 12 High Street, London',
  'Sort code 12-34-56  Account 12345678',
  'Closing balance 987.65 GBP',
];
const STATEMENT_WORDS = ['STATEMENT', 'Jane Example', 'High Street', 'London', '12345678', '987.65'];
/** Clean synthetic text reads at ~0.9–0.95; a floor well below that still catches garbage (~0.3). */
const MIN_CONFIDENCE = 0.75;

const offlineWorker = offlineTesseractWorkerScript();
const fetchSpy = vi.spyOn(globalThis, 'fetch');
let ocr: TesseractPool;
let ports: ExtractionPorts;

beforeAll(async () => {
  ocr = await createTesseractPool({ size: 2, workerPath: offlineWorker });
  ports = { ocr, pdf: createPdfEngine(), image: createSharpPreprocessor() };
}, 60_000);

afterAll(async () => {
  await ocr?.terminate();
  rmSync(dirname(offlineWorker), { recursive: true, force: true });
  expect(fetchSpy).not.toHaveBeenCalled();
  fetchSpy.mockRestore();
});

function expectWords(text: string, words: readonly string[]): void {
  for (const word of words) expect(text).toContain(word);
}

describe('PDFs', { timeout: 60_000 }, () => {
  test('when a PDF has a sparse text layer, then its pages are also OCRd, and the exact layer is kept in reading order', async () => {
    const pdf = await textPdf([
      ['STATEMENT OF ACCOUNT', ['Name:', 'Jane Example'], ['Address:', '12 High Street, London']],
      ['Page two: transactions listed below'],
    ]);
    const ocrSpy = vi.spyOn(ocr, 'recognize');
    const { fileKind, pages } = await extractDocumentText(pdf, ports);
    // A few lines cover under 2 % of an A4 page: it could be a scan with a searchable footer, so
    // both pages are OCR'd; OCR reads no more than the layer, and the layer's exact text stays.
    expect(ocrSpy).toHaveBeenCalledTimes(2);
    ocrSpy.mockRestore();
    expect(fileKind).toBe('pdf');
    expect(pages).toEqual([
      expect.objectContaining({
        page: 1,
        method: 'pdf-text',
        confidence: 1,
        text: 'STATEMENT OF ACCOUNT\nName: Jane Example\nAddress: 12 High Street, London',
      }),
      expect.objectContaining({ page: 2, method: 'pdf-text', confidence: 1, text: 'Page two: transactions listed below' }),
    ]);
  });

  test('when the bytes are a Node Buffer (as a file store reads them), then pdf.js still accepts them', async () => {
    const pdf = Buffer.from(await textPdf([['Read from the document store']]));
    const { pages } = await extractDocumentText(pdf, ports);
    expect(pages[0]!.text).toBe('Read from the document store');
  });

  test('when a PDF holds only a scanned image, then the page is rendered and OCRd', async () => {
    // An A4 scan at 150 dpi with 12 pt text.
    const scan = drawTextCanvas({ lines: STATEMENT, width: 1240, height: 1754, fontSize: 25 }).encodeSync('png');
    const { pages } = await extractDocumentText(await imagePdf([scan]), ports);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.method).toBe('ocr');
    expect(pages[0]!.confidence).toBeGreaterThan(MIN_CONFIDENCE);
    expectWords(pages[0]!.text, STATEMENT_WORDS);
  });

  test('when a scanned statement carries a searchable footer, then the page is still OCRd and the scan is read, the footer once', async () => {
    // A scanner's or bank's footer as a text layer (well over 10 characters) on an image-only page.
    const scan = drawTextCanvas({ lines: STATEMENT, width: 1240, height: 1754, fontSize: 25 }).encodeSync('png');
    const doc = await PDFDocument.load(await imagePdf([scan]));
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.getPage(0).drawText('Scanned by ExampleScan 3000, page 1 of 1', { x: 40, y: 20, size: 8, font });
    const { pages } = await extractDocumentText(await doc.save(), ports);
    expect(pages[0]!.method).toBe('ocr');
    expectWords(pages[0]!.text, STATEMENT_WORDS);
    // The footer is visible text: OCR reads it with the page when it can, and it is never added twice.
    expect(pages[0]!.text.match(/ExampleScan/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  test('when a PDF mixes a text page and a scanned page, then each page gets its method', async () => {
    const lines = ['PASSPORT COPY', 'Surname EXAMPLE'];
    const scan = drawTextCanvas({ lines, width: 1240, height: 1754, fontSize: 30 }).encodeSync('png');
    const { pages } = await extractDocumentText(await mixedPdf(['Cover letter for the application'], scan), ports);
    expect(pages.map((p) => p.method)).toEqual(['pdf-text', 'ocr']);
    expectWords(pages[1]!.text, ['PASSPORT', 'EXAMPLE']);
  });

  test('when a PDF needs a password, then it is an EncryptedDocumentError', async () => {
    const pdf = await encryptedPdf('Secret Statement', 'secret');
    await expect(extractDocumentText(pdf, ports)).rejects.toThrow(EncryptedDocumentError);
  });

  test('when the encrypted fixture is opened with its password, then it reads (the fixture is genuine)', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: await encryptedPdf('Secret Statement', 'secret'), password: 'secret' }).promise;
    const content = await (await doc.getPage(1)).getTextContent();
    await doc.destroy();
    expect(content.items.map((i) => ('str' in i ? i.str : '')).join('')).toBe('Secret Statement');
  });

  test('when a PDF is truncated, then it is an UnreadableDocumentError', async () => {
    const pdf = await textPdf([STATEMENT]);
    await expect(extractDocumentText(pdf.subarray(0, Math.floor(pdf.length * 0.6)), ports)).rejects.toThrow(
      UnreadableDocumentError,
    );
  });

  test('when a PDF has more pages than allowed, then it is too large', async () => {
    const pdf = await textPdf([['one page of text'], ['two pages of text'], ['three pages of text']]);
    await expect(extractDocumentText(pdf, ports, { maxPages: 2 })).rejects.toThrow(DocumentTooLargeError);
  });
});

describe('images', { timeout: 60_000 }, () => {
  const formats: ImageFormat[] = ['png', 'jpeg', 'tiff', 'webp'];
  test.each(formats)('when a %s of printed text arrives, then OCR reads it', async (format) => {
    const image = await textImage(format, { lines: STATEMENT, photo: format === 'png' ? 0 : 0.4 });
    const { fileKind, pages } = await extractDocumentText(image, ports);
    expect(fileKind).toBe(format);
    expect(pages[0]).toMatchObject({ page: 1, method: 'ocr' });
    expect(pages[0]!.confidence).toBeGreaterThan(MIN_CONFIDENCE);
    expectWords(pages[0]!.text, STATEMENT_WORDS);
  });

  test('when a phone photo is askew, noisy and unevenly lit, then OCR still reads it', async () => {
    const photo = await textImage('jpeg', { lines: STATEMENT, rotateDeg: 3, photo: 1, seed: 7 });
    const { pages } = await extractDocumentText(photo, ports);
    expect(pages[0]!.confidence).toBeGreaterThan(MIN_CONFIDENCE);
    expectWords(pages[0]!.text, STATEMENT_WORDS);
  });

  test('when a JPEG is stored sideways with an EXIF orientation, then it is turned upright first', async () => {
    const { pages } = await extractDocumentText(await exifRotatedJpeg({ lines: STATEMENT }), ports);
    expectWords(pages[0]!.text, STATEMENT_WORDS);
  });

  test('when an image is small (10 px font), then it is upscaled and read', async () => {
    // Read at its own size this image gives "Longan" and "Adgress" (measured); upscaled 3×, "London".
    const small = await textImage('jpeg', { lines: STATEMENT, width: 480, height: 300, fontSize: 10, photo: 0.3 });
    const { pages } = await extractDocumentText(small, ports);
    expectWords(pages[0]!.text, ['STATEMENT', 'Jane Example', 'High Street', 'London', '12345678']);
  });

  test('when a TIFF has two pages, then both are read in order', async () => {
    const page = (title: string): Promise<Uint8Array> => textImage('png', { lines: [title, 'Account holder: Jane Example'] });
    const tiff = await multiPageTiff([await page('FIRST PAGE'), await page('SECOND PAGE')]);
    const { fileKind, pages } = await extractDocumentText(tiff, ports);
    expect(fileKind).toBe('tiff');
    expect(pages.map((p) => p.text.split('\n')[0])).toEqual(['FIRST PAGE', 'SECOND PAGE']);
  });

  test('when an image is truncated, then it is an UnreadableDocumentError', async () => {
    const jpeg = await textImage('jpeg', { lines: STATEMENT });
    await expect(extractDocumentText(jpeg.subarray(0, jpeg.length / 2), ports)).rejects.toThrow(UnreadableDocumentError);
  });

  test('when an image has more pixels than allowed, then it is too large, in the domain and in sharp', async () => {
    const png = await textImage('png', { lines: STATEMENT }); // 1600 × 1000
    await expect(extractDocumentText(png, ports, { maxPixels: 1_000_000 })).rejects.toThrow(DocumentTooLargeError);
    // A header that understates its size is caught by sharp's own limit while decoding.
    await expect(createSharpPreprocessor().prepare(png, { page: 0, scale: 1, maxPixels: 1_000_000 })).rejects.toThrow(
      DocumentTooLargeError,
    );
  });
});

describe('image preparation', { timeout: 60_000 }, () => {
  // 400×300: rows 0–99 dark background, the rest a light card with a 200×40 black bar at row 240.
  const width = 400;
  const height = 300;
  const cardBelowDarkBand = (): Promise<Buffer> => {
    const raw = new Uint8Array(width * height).map((_, i) => (i < 100 * width ? 40 : 200));
    for (let y = 240; y < 280; y++) for (let x = 100; x < 300; x++) raw[y * width + x] = 10;
    return sharp(raw, { raw: { width, height, channels: 1 } }).png().toBuffer();
  };

  test('when an image has a dark band above a light card, then its gray levels reach OCR as they are, one byte a pixel', async () => {
    const prepared = await createSharpPreprocessor().prepare(await cardBelowDarkBand(), { page: 0, scale: 1, maxPixels: 1_000_000 });
    const pixels = pgmPixels(prepared);
    expect([prepared.width, prepared.height, pixels.length]).toEqual([width, height, width * height]);
    expect(pixels[50 * width + 200]).toBe(40); // the dark band
    expect(pixels[260 * width + 200]).toBe(10); // inside the bar
    expect(pixels[180 * width + 200]).toBe(200); // plain card
  });

  test('when whitening is asked for and a light card lies below a dark background, then ink stays black and the card turns white', async () => {
    // The paper estimate must come from the same place in the image; it once came from a third of
    // the way along (a 3-channel buffer read as 1-channel), i.e. from the dark band, washing the bar out.
    const prepared = await createSharpPreprocessor().prepare(await cardBelowDarkBand(), { page: 0, scale: 1, maxPixels: 1_000_000, whiten: true });
    const pixels = pgmPixels(prepared);
    expect(pixels[260 * width + 200]).toBeLessThan(40); // inside the bar
    expect(pixels[180 * width + 200]).toBe(255); // plain card
  });

  test('when an image declares its density, then the prepared image carries it, times the upscale, for OCR to size its layout by', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } }).png().withMetadata({ density: 150 }).toBuffer();
    expect((await createSharpPreprocessor().prepare(png, { page: 0, scale: 2, maxPixels: 1_000_000 })).dpi).toBe(300);
  });

  test('when a colour image is prepared at twice its size, then it comes out gray at twice the size', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const prepared = await createSharpPreprocessor().prepare(png, { page: 0, scale: 2, maxPixels: 1_000_000 });
    expect([prepared.width, prepared.height, pgmPixels(prepared).length]).toEqual([600, 400, 600 * 400]);
  });
});

describe('tesseract pool', { timeout: 60_000 }, () => {
  test('when a whitelist is given, then it applies to that call only, even after a failed call', async () => {
    const prepared = await createSharpPreprocessor().prepare(
      await textImage('png', { lines: ['Invoice 4711 due 2024'], width: 900, height: 200 }),
      { page: 0, scale: 1, maxPixels: 10_000_000 },
    );
    const digits = await ocr.recognize(prepared.image, { psm: 7, whitelist: '0123456789 ' });
    expect(digits.text).not.toMatch(/[A-Za-z]/);
    expect(digits.text).toContain('4711');
    await expect(ocr.recognize(new TextEncoder().encode('not an image'), { whitelist: '0' })).rejects.toThrow();
    const everything = await Promise.all([ocr.recognize(prepared.image, { psm: 7 }), ocr.recognize(prepared.image, { psm: 7 })]);
    for (const result of everything) expect(result.text).toContain('Invoice 4711');
  });

  test('when lines are asked for, then each line comes with its words and a box around where it was drawn', async () => {
    const fontSize = 40;
    const lines = ['Account holder Jane Example', 'Statement date 01 March 2026', 'Closing balance 1234.56'];
    const height = 600;
    const prepared = await createSharpPreprocessor().prepare(await textImage('png', { lines, width: 1400, height, fontSize }), {
      page: 0,
      scale: 1,
      maxPixels: 10_000_000,
    });
    const result = await ocr.recognize(prepared.image, { psm: 3, lines: true });
    expect(result.lines?.map((l) => l.text)).toEqual(lines);
    // draw.ts writes line i from x = 1.5 × fontSize, y = top + i × 1.6 × fontSize (text baseline at the top).
    const top = Math.max(fontSize, (height - lines.length * fontSize * 1.6) / 2);
    result.lines!.forEach(({ box }, i) => {
      expect(Math.abs(box.x0 - fontSize * 1.5)).toBeLessThan(8);
      expect(box.y0).toBeGreaterThanOrEqual(top + i * fontSize * 1.6 - 4);
      expect(box.y1).toBeLessThanOrEqual(top + i * fontSize * 1.6 + fontSize + 4);
      expect(box.x1 - box.x0).toBeGreaterThan(lines[i]!.length * fontSize * 0.35);
    });
    expect((await ocr.recognize(prepared.image, { psm: 3 })).lines).toBeUndefined();
  });

  test('when the pool is terminated, then calls in flight and queued reject instead of hanging', async () => {
    const pool = await createTesseractPool({ size: 1, workerPath: offlineWorker });
    const png = await textImage('png', { lines: STATEMENT });
    const { image } = await createSharpPreprocessor().prepare(png, { page: 0, scale: 1, maxPixels: 1e7 });
    const calls = Promise.allSettled([pool.recognize(image), pool.recognize(image)]);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the first call is now in the worker
    await pool.terminate();
    expect((await calls).map((c) => c.status)).toEqual(['rejected', 'rejected']);
    await expect(pool.recognize(image)).rejects.toThrow('terminated');
  });

  test('when the traineddata is missing, then the pool fails fast with a ConfigError', async () => {
    await expect(createTesseractPool({ langPath: '/nonexistent/tessdata', size: 1 })).rejects.toThrow(ConfigError);
  });

  test('when the offline worker script is probed, then it refuses every network call', async () => {
    const probe = new Worker(offlineWorker, { workerData: { probe: true } });
    const answers = await new Promise<string[]>((resolve, reject) => probe.once('message', resolve).once('error', reject));
    await probe.terminate();
    expect(answers).toHaveLength(4);
    for (const answer of answers) expect(answer).toMatch(/^network access attempted/);
  });
});

describe('OCR pool and the page clock', { timeout: 120_000 }, () => {
  test('when every OCR worker is busy, then a call says it waits (onWait) and when it starts (onStart), so its page is not charged the wait', async () => {
    const single = await createTesseractPool({ size: 1, workerPath: offlineWorker });
    try {
      const png = await textImage('png', { lines: STATEMENT, width: 1200, height: 900, fontSize: 30 });
      const gray = await sharp(png).grayscale().png().toBuffer();
      const events: Array<[string, number]> = [];
      const at = (name: string) => (): void => void events.push([name, performance.now()]);
      const firstStarted = performance.now();
      const first = single.recognize(gray).then(at('first done'));
      const second = single.recognize(gray, { onWait: at('second waits'), onStart: at('second starts') });
      await Promise.all([first, second]);
      // The second starts as the first gives its worker back (just before the first's caller hears of it).
      expect(events.map(([name]) => name)).toEqual(['second waits', 'second starts', 'first done']);
      const [[, waited], [, started], [, firstDone]] = events as [[string, number], [string, number], [string, number]];
      expect(waited - firstStarted).toBeLessThan(50);
      expect(firstDone - started).toBeLessThan(50);
      expect(started - waited).toBeGreaterThan(100); // the first page's OCR, all of it a wait for the second
      // A free worker: no wait to report.
      const free: string[] = [];
      await single.recognize(gray, { onWait: () => free.push('waits'), onStart: () => free.push('starts') });
      expect(free).toEqual([]);
    } finally {
      await single.terminate();
    }
  });
});
