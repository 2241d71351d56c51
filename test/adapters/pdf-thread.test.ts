/**
 * The pdf.js engine's worker processes (src/adapters/pdf-thread.mjs driven by src/adapters/pdfjs.ts):
 * what a rendered page holds, documents spread over processes, and what happens when a process hangs
 * or dies under a call. Wrapped scripts make a process hang or exit on purpose.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, test } from 'vitest';
import { createPdfEngine, PDF_THREAD_SCRIPT } from '../../src/adapters/pdfjs.js';
import { ProcessOverMemoryError, RpcProcess, ThreadStoppedError } from '../../src/adapters/thread-rpc.js';
import { DocumentTooComplexError, UnreadableDocumentError } from '../../src/domain/errors.js';
import { joinTextRuns } from '../../src/domain/extraction.js';
import { pgmHeader, pgmPixels } from '../../src/domain/pgm.js';
import { imagePdf, textPdf } from '../support/draw.js';

const dir = mkdtempSync(join(tmpdir(), 'kyc-pdf-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The engine's process script with a second message listener: `onMessage` is its body (`m` the
 * message). It runs right after the engine's own listener has started handling the message.
 */
function wrappedScript(name: string, onMessage: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import ${JSON.stringify(pathToFileURL(PDF_THREAD_SCRIPT).href)};
process.on('message', (m) => { ${onMessage} });
`,
  );
  return file;
}

/** A 100×100 pt page holding one image: black left third, coloured middle third, white right third. */
async function threeBandPdf(): Promise<Uint8Array> {
  const canvas = createCanvas(300, 300);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000000';
  ctx.fillRect(0, 0, 100, 300);
  ctx.fillStyle = 'rgb(200, 100, 50)';
  ctx.fillRect(100, 0, 100, 300);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(200, 0, 100, 300);
  return imagePdf([canvas.encodeSync('png')], 100);
}

describe('the pdf.js engine in worker processes', { timeout: 60_000 }, () => {
  test('when a page is rendered, then the PGM holds its gray levels (Rec. 601 luma) at the asked dpi', async () => {
    const engine = createPdfEngine();
    try {
      const doc = await engine.open(await threeBandPdf());
      const page = await doc.getPage(1);
      expect([page.width, page.height]).toEqual([100, 100]);
      const image = await page.render(144);
      await doc.close();
      expect([image.width, image.height, image.dpi]).toEqual([200, 200, 144]);
      expect(image.image.subarray(0, pgmHeader(200, 200).length)).toEqual(pgmHeader(200, 200));
      const pixels = pgmPixels(image);
      const at = (x: number, y: number): number => pixels[y * image.width + x]!;
      expect(at(30, 100)).toBe(0);
      // (200·77 + 100·150 + 50·29) >> 8
      expect(Math.abs(at(100, 100) - 124)).toBeLessThanOrEqual(1);
      expect(at(170, 100)).toBe(255);
    } finally {
      await engine.terminate();
    }
  });

  test('when a page in a font the PDF does not embed is rendered, then its glyphs are the standard fonts\' (as pdf.js draws them with their data)', async () => {
    // Text is read without the standard fonts' data (faster); rendering must still use it.
    const bytes = await textPdf([['Helvetica, not embedded: HELLO 0123']]);
    const engine = createPdfEngine();
    let ours: Uint8Array;
    try {
      const doc = await engine.open(bytes);
      const page = await doc.getPage(1);
      expect(joinTextRuns(await page.textRuns())).toBe('Helvetica, not embedded: HELLO 0123');
      ours = pgmPixels(await page.render(100));
      await doc.close();
    } finally {
      await engine.terminate();
    }
    const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    const direct = async (withFonts: boolean): Promise<Uint8Array> => {
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({
        data: new Uint8Array(bytes),
        disableFontFace: true,
        isEvalSupported: false,
        verbosity: 0,
        ...(withFonts ? { standardFontDataUrl: join(root, 'standard_fonts') + '/' } : {}),
      }).promise;
      const page = await doc.getPage(1);
      const viewport = page.getViewport({ scale: 100 / 72 });
      const factory = doc.canvasFactory as { create(w: number, h: number): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } };
      const target = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
      await page.render({ canvas: target.canvas, canvasContext: target.context, viewport }).promise;
      const rgba = target.context.getImageData(0, 0, target.canvas.width, target.canvas.height).data;
      await doc.destroy();
      return Uint8Array.from({ length: rgba.length / 4 }, (_, i) => (rgba[4 * i]! * 77 + rgba[4 * i + 1]! * 150 + rgba[4 * i + 2]! * 29) >> 8);
    };
    expect(Buffer.from(ours).equals(Buffer.from(await direct(true)))).toBe(true);
    // The comparison tells them apart: without the fonts' data pdf.js draws other glyphs.
    expect(Buffer.from(ours).equals(Buffer.from(await direct(false)))).toBe(false);
  });

  test('when documents are read at once on two processes, then each gets its own text', async () => {
    const engine = createPdfEngine({ threads: 2 });
    try {
      const names = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT'];
      const texts = await Promise.all(
        names.map(async (name) => {
          const doc = await engine.open(await textPdf([[`Document ${name}`], [`Second page of ${name}`]]));
          try {
            const out: string[] = [];
            for (let n = 1; n <= doc.pageCount; n++) {
              const page = await doc.getPage(n);
              out.push(joinTextRuns(await page.textRuns()));
              page.release();
            }
            return out;
          } finally {
            await doc.close();
          }
        }),
      );
      expect(texts).toEqual(names.map((name) => [`Document ${name}`, `Second page of ${name}`]));
      expect(engine.restarts).toBe(0);
    } finally {
      await engine.terminate();
    }
  });

  test('when a document is closed, then its pages reject as unreadable, and closing again is harmless', async () => {
    const engine = createPdfEngine();
    try {
      const doc = await engine.open(await textPdf([['Closed soon']]));
      await doc.close();
      await doc.close();
      await expect(doc.getPage(1)).rejects.toBeInstanceOf(UnreadableDocumentError);
    } finally {
      await engine.terminate();
    }
  });

  test('when a render is aborted while stuck (in one synchronous slice), then its process is killed at once and the next document reads', async () => {
    // A render at 13 dpi blocks the process for good, the way a pathological image decode would.
    const script = wrappedScript('hang', `if (m.op === 'render' && m.dpi === 13) for (;;) {}`);
    const engine = createPdfEngine({ threadScript: script });
    try {
      const doc = await engine.open(await threeBandPdf());
      const page = await doc.getPage(1);
      const started = Date.now();
      const error = await page.render(13, AbortSignal.timeout(300)).catch((e: unknown) => e);
      // The abort's own reason, at the deadline: the process belongs to this document alone, so it is killed without a grace period.
      expect((error as Error).name).toBe('TimeoutError');
      expect(Date.now() - started).toBeLessThan(1_500);
      await doc.close(); // its process is gone: nothing to free, no error

      const next = await engine.open(await textPdf([['After the hang']]));
      expect(joinTextRuns(await (await next.getPage(1)).textRuns())).toBe('After the hang');
      await next.close();
      expect(engine.restarts).toBe(1);
    } finally {
      await engine.terminate();
    }
  });

  test('when a document is closed with a call still running (cut off by its time limit), then its process is killed and the next document does not wait', async () => {
    const script = wrappedScript('hang-text', `if (m.op === 'text') for (;;) {}`);
    const engine = createPdfEngine({ threadScript: script });
    try {
      const doc = await engine.open(await textPdf([['Stuck text layer']]));
      const stuck = (await doc.getPage(1)).textRuns();
      stuck.catch(() => {});
      const waiting = engine.open(await textPdf([['Waits for the reader']]));
      const started = Date.now();
      await doc.close();
      await expect(stuck).rejects.toBeInstanceOf(ThreadStoppedError);
      const next = await waiting;
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(next.pageCount).toBe(1);
      await next.close();
    } finally {
      await engine.terminate();
    }
  });

  test('when a process dies under a call, then the call and later ones reject as retryable, and the next document gets a new process', async () => {
    const script = wrappedScript('exit', `if (m.op === 'render' && m.dpi === 14) process.exit(3);`);
    const engine = createPdfEngine({ threadScript: script });
    try {
      const doc = await engine.open(await threeBandPdf());
      const page = await doc.getPage(1);
      const dying = await page.render(14).catch((e: unknown) => e);
      // Not a document error: the document may be fine, so the activity is retried.
      expect(dying).toBeInstanceOf(ThreadStoppedError);
      expect((dying as Error).message).toBe('the PDF process stopped');
      await expect(doc.getPage(1)).rejects.toThrow('the PDF process stopped earlier');
      await doc.close();

      const next = await engine.open(await textPdf([['Fresh process']]));
      expect(joinTextRuns(await (await next.getPage(1)).textRuns())).toBe('Fresh process');
      await next.close();
      expect(engine.restarts).toBe(1);
    } finally {
      await engine.terminate();
    }
  });

  test('when a render needs more native memory (canvas bitmaps) than the limit, then the resident-set watch kills it: DOCUMENT_TOO_COMPLEX, the next document reads', async () => {
    // An A0 page rendered at 150 dpi: ~35 MP, 140 MB of canvas and as much again for its pixels,
    // all outside V8's heap (which --max-old-space-size alone would bound).
    const doc = await PDFDocument.create();
    doc.addPage([2384, 3370]).drawRectangle({ x: 100, y: 100, width: 2000, height: 3000, borderWidth: 4 });
    const limit = 256 * 1024 * 1024;
    const engine = createPdfEngine({ memoryLimitBytes: limit });
    try {
      const big = await engine.open(await doc.save());
      const error = await (await big.getPage(1)).render(150).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DocumentTooComplexError);
      // Killed by the watch (which knows the resident set it saw), not by V8's heap limit.
      expect((error as Error).cause).toBeInstanceOf(ProcessOverMemoryError);
      expect(((error as Error).cause as ProcessOverMemoryError).rssBytes).toBeGreaterThan(limit);
      expect(engine.peakRssBytes).toBeLessThan(limit + 64 * 1024 * 1024);
      await expect(big.getPage(1)).rejects.toBeInstanceOf(DocumentTooComplexError);
      await big.close();

      const next = await engine.open(await textPdf([['After the big page']]));
      expect(joinTextRuns(await (await next.getPage(1)).textRuns())).toBe('After the big page');
      await next.close();
    } finally {
      await engine.terminate();
    }
  });

  test('when a PDF process starts, then it inherits none of the parent\'s environment (no keys in a process that parses hostile input)', async () => {
    const script = join(dir, 'env.mjs');
    writeFileSync(script, `process.on('message', (m) => process.send({ id: m.id, value: Object.keys(process.env).sort() }));\n`);
    process.env.KYC_TEST_SECRET = 'must-not-leak';
    const child = new RpcProcess(script, { env: { KYC_PDF_NICE: '10' }, stoppedMessage: 'stopped', memoryLimitBytes: 256 * 1024 * 1024 });
    try {
      expect(await child.call('env', {})).toEqual(['KYC_PDF_NICE']);
    } finally {
      delete process.env.KYC_TEST_SECRET;
      await child.stop();
    }
  });

  test('when a script reads a PDF and does not terminate the engine, then the process still exits by itself', async () => {
    const pdf = join(dir, 'exit.pdf');
    writeFileSync(pdf, await textPdf([['Exit cleanly']]));
    const script = join(dir, 'read-and-exit.mts');
    const adapter = pathToFileURL(fileURLToPath(new URL('../../src/adapters/pdfjs.ts', import.meta.url))).href;
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
import { createPdfEngine } from ${JSON.stringify(adapter)};
const doc = await createPdfEngine().open(readFileSync(${JSON.stringify(pdf)}));
const page = await doc.getPage(1);
console.log((await page.textRuns()).map((r) => r.text).join(' '));
await doc.close();
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('Exit cleanly');
  });
});
