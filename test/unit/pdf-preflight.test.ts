/**
 * The PDF preflight: every stream's expanding filters decoded with a cap, declared image sizes and
 * pages reported, encryption of attachments alone lifted, before pdf.js sees the file. Files are
 * built here; real pdf.js confirms the LZW encoder and reads what the preflight hands it.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { jpegFrameSize, oversizedImageError, preflightPdf, type PreflightReport } from '../../src/adapters/pdf-preflight.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { buildPdf, lzwZeroBomb, textPdf, zeroBomb } from '../../src/corpus/torture.js';
import { DocumentTooLargeError, EncryptedDocumentError } from '../../src/domain/errors.js';
import { imagePdf, textPdf as pdfLibTextPdf } from '../support/draw.js';

const MB = 1024 * 1024;
const LIMITS = { maxStreamBytes: 10 * MB, maxImagePixels: 20_000_000 };

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

function pdfWithStream(dict: string, data: Uint8Array, options: { length?: string } = {}): Uint8Array {
  const stream = concat(latin1(`<< ${dict} /Length ${options.length ?? data.length} >>\nstream\n`), data, latin1('\nendstream'));
  return buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>', stream, '12345']);
}

const check = (pdf: Uint8Array, limits = LIMITS): PreflightReport => preflightPdf(pdf, limits);

/** LZW as PDF writes it (early change), for round trips through the preflight and pdf.js. */
function lzwEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  let next = 258;
  // The decoder adds each entry one code later than the encoder, so with early change its code
  // width follows the encoder's next free code.
  const write = (code: number): void => {
    const width = next >= 2048 ? 12 : next >= 1024 ? 11 : next >= 512 ? 10 : 9;
    acc = (acc << width) | code;
    bits += width;
    while (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  };
  const table = new Map<string, number>();
  const codeOf = (w: string): number => (w.length === 1 ? w.charCodeAt(0) : table.get(w)!);
  write(256);
  let w = '';
  for (const byte of data) {
    const wc = w + String.fromCharCode(byte);
    if (w === '' || table.has(wc)) {
      w = wc;
      continue;
    }
    write(codeOf(w));
    if (next < 4096) table.set(wc, next++);
    w = String.fromCharCode(byte);
  }
  if (w) write(codeOf(w));
  write(257);
  if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

describe('preflightPdf on ordinary files', () => {
  test('when PDFs are ordinary (pdf-lib text and image PDFs, hand-written ones), then they pass', async () => {
    check(await pdfLibTextPdf([['Statement of account', 'Jane Example']]));
    const png = new Uint8Array(await (await import('sharp')).default({ create: { width: 400, height: 300, channels: 3, background: '#fff' } }).png().toBuffer());
    check(await imagePdf([png]));
    check(textPdf(['Hello']));
  });

  test('when a Flate stream decodes to exactly the cap, then it passes; one byte more and it is refused', () => {
    const cap = 64 * 1024;
    check(pdfWithStream('/Filter /FlateDecode', deflateSync(new Uint8Array(cap))), { ...LIMITS, maxStreamBytes: cap });
    expect(() => check(pdfWithStream('/Filter /FlateDecode', deflateSync(new Uint8Array(cap + 1))), { ...LIMITS, maxStreamBytes: cap })).toThrow(
      DocumentTooLargeError,
    );
  });

  test('when a stream is corrupt or truncated Flate, then the preflight leaves it to pdf.js', () => {
    check(pdfWithStream('/Filter /FlateDecode', latin1('this is not zlib data')));
    check(pdfWithStream('/Filter /FlateDecode', deflateSync(new Uint8Array(5000)).subarray(0, 20)));
  });

  test('when compressed data holds the word endstream, then /Length (direct or indirect) decides where the stream ends', () => {
    // A stored deflate block carrying the literal bytes "endstream", then the bomb's blocks: a scan
    // that stopped at the first "endstream" would measure a few bytes and wave the bomb through.
    const bomb = zeroBomb(64 * MB);
    const stored = concat(Uint8Array.of(0x00, 9, 0, 0xf6, 0xff), latin1('endstream'));
    const data = concat(bomb.subarray(0, 2), stored, bomb.subarray(2));
    expect(() => check(pdfWithStream('/Filter /FlateDecode', data))).toThrow(/decompresses to more than/);
    const indirect = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [] /Count 0 >>',
      concat(latin1('<< /Filter /FlateDecode /Length 4 0 R >>\nstream\n'), data, latin1('\nendstream')),
      String(data.length),
    ]);
    expect(() => check(indirect)).toThrow(/decompresses to more than/);
  });

});

describe('preflightPdf on bombs', () => {
  test('when a content stream inflates to gigabytes, then it is refused fast with a clear message', () => {
    const pdf = pdfWithStream('/Filter /FlateDecode', zeroBomb(4 * 1024 * MB));
    const started = Date.now();
    expect(() => check(pdf)).toThrow(
      'stream 1 of the PDF decompresses to more than 10485760 bytes (a decompression bomb?)',
    );
    expect(Date.now() - started).toBeLessThan(1_000); // stops at the cap: ~10 MB inflated, not 4 GB
  });

  test('when Flate is chained behind ASCIIHex, or Flate behind Flate, then the chain is followed', () => {
    const bomb = zeroBomb(64 * MB);
    const hex = latin1(Buffer.from(bomb).toString('hex') + '>');
    expect(() => check(pdfWithStream('/Filter [/AHx /Fl]', hex))).toThrow(DocumentTooLargeError);
    expect(() => check(pdfWithStream('/Filter [/FlateDecode /FlateDecode]', deflateSync(bomb)))).toThrow(DocumentTooLargeError);
  });

  test('when a predictor declares rows longer than the cap, then it is refused however little data follows', () => {
    const parms = (columns: number): string => `/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns ${columns} /Colors 4 /BitsPerComponent 8 >>`;
    const data = deflateSync(new Uint8Array(1024));
    expect(() => check(pdfWithStream(parms(60_000_000), data))).toThrow('stream 1 of the PDF declares predictor rows of 240000000 bytes; the limit is 10485760');
    check(pdfWithStream(parms(2_500), data)); // an ordinary 2500-pixel RGBA row
  });

  test('when an LZW stream decodes past the cap, then it is refused; below it, it passes', () => {
    check(pdfWithStream('/Filter /LZWDecode', lzwZeroBomb(1 * MB)));
    expect(() => check(pdfWithStream('/Filter /LZWDecode', lzwZeroBomb(64 * MB)))).toThrow(DocumentTooLargeError);
  });

  test('when RunLength or ASCII85 data decodes past the cap, then it is refused at the exact size', () => {
    const runs = new Uint8Array(2 * 1000 + 1).map((_, i) => (i % 2 === 0 ? 129 : 0));
    runs[2000] = 128; // 1000 runs of 128 zeros = 128000 bytes
    check(pdfWithStream('/Filter /RunLengthDecode', runs), { ...LIMITS, maxStreamBytes: 128_000 });
    expect(() => check(pdfWithStream('/Filter /RunLengthDecode', runs), { ...LIMITS, maxStreamBytes: 127_999 })).toThrow(DocumentTooLargeError);
    // "Hello, hostile world! zeros:" + four zero bytes + " end" is 36 bytes.
    const a85 = latin1('87cURD_*#EDf^#7Ch4`5DfTZ)+Wu)BEc6"[z+D#G$~>');
    check(pdfWithStream('/Filter /ASCII85Decode', a85), { ...LIMITS, maxStreamBytes: 36 });
    expect(() => check(pdfWithStream('/Filter /ASCII85Decode', a85), { ...LIMITS, maxStreamBytes: 35 })).toThrow(DocumentTooLargeError);
  });

  test('when the filter is an indirect object, then it is resolved', () => {
    const pdf = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [] /Count 0 >>',
      concat(latin1(`<< /Filter 4 0 R >>\nstream\n`), zeroBomb(64 * MB), latin1('\nendstream')),
      '/FlateDecode',
    ]);
    expect(() => check(pdf)).toThrow(DocumentTooLargeError);
  });
});

describe('preflightPdf on declared image sizes', () => {
  test('when an image XObject declares more pixels than allowed, then it is reported, not refused', () => {
    const report = check(pdfWithStream('/Type /XObject /Subtype /Image /Width 60000 /Height 60000', new Uint8Array(10)));
    expect(report.oversizedImages).toEqual([{ width: 60000, height: 60000, declaredBy: 'image dictionary' }]);
    expect(oversizedImageError(report, LIMITS.maxImagePixels)?.message).toBe(
      'the page must be rendered for OCR, and an embedded image of the document declares 60000×60000 pixels; the limit is 20000000',
    );
    const within = check(pdfWithStream('/Type /XObject /Subtype /Image /Width 4000 /Height 5000', new Uint8Array(10)));
    expect(within.oversizedImages).toEqual([]);
    expect(oversizedImageError(within, LIMITS.maxImagePixels)).toBeUndefined();
  });

  test('when a DCT image\'s JPEG header declares more pixels than allowed, then it is reported by its frame header', () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0xea, 0x60, 0xea, 0x60, 1, 1, 0x11, 0, 0xff, 0xd9);
    expect(jpegFrameSize(jpeg)).toEqual({ width: 60000, height: 60000 });
    const report = check(pdfWithStream('/Subtype /Image /Width 10 /Height 10 /Filter /DCTDecode', jpeg));
    expect(report.oversizedImages).toEqual([{ width: 60000, height: 60000, declaredBy: 'JPEG frame header' }]);
    expect(oversizedImageError(report, LIMITS.maxImagePixels)).toBeInstanceOf(DocumentTooLargeError);
    expect(oversizedImageError(report, LIMITS.maxImagePixels)?.message).toContain('an embedded JPEG of the document declares 60000×60000');
  });

  test('when a one-page text PDF holds a huge image it never needs to render, then pdf.js reads its text after the preflight', async () => {
    const pdf = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>',
      streamOf('', 'BT /F1 18 Tf 72 720 Td (A text page beside a panorama) Tj ET q 500 0 0 60 40 100 cm /Im1 Do Q'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      streamOf('/Type /XObject /Subtype /Image /Width 34862 /Height 4332 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode', deflateSync(new Uint8Array(4096))),
    ]);
    const report = check(pdf);
    expect(report.oversizedImages).toHaveLength(1);
    expect(report.declaredPages).toBe(1);
    expect(await textOf(report.bytes)).toContain('A text page beside a panorama');
  });
});

describe('preflightPdf on page counts', () => {
  test('when a document has more pages than any limit and a huge image, then the image is only reported and the pages are declared', () => {
    const kids = Array.from({ length: 352 }, (_, i) => `${i + 5} 0 R`).join(' ');
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R /Outlines 3 0 R >>',
      `<< /Type /Pages /Kids [${kids}] /Count 352 >>`,
      '<< /Type /Outlines /Count 999 >>', // an outline's count is no page count
      streamOf('/Type /XObject /Subtype /Image /Width 8992 /Height 10384 /ColorSpace /DeviceGray /BitsPerComponent 8', new Uint8Array(16)),
      ...Array.from({ length: 352 }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 20 20] >>'),
    ];
    const report = check(buildPdf(objects));
    expect(report.declaredPages).toBe(352);
    expect(report.oversizedImages).toEqual([{ width: 8992, height: 10384, declaredBy: 'image dictionary' }]);
  });
});

describe('preflightPdf on encryption', () => {
  test('when only embedded files are encrypted (/EFF, Identity streams and strings), then pdf.js reads the pages of the bytes it is handed', async () => {
    const pdf = encryptedPdf({ stmF: '/Identity', strF: '/Identity', eff: '/StdCF' });
    // As the file is, pdf.js asks for a password, although the document's own pages are not encrypted.
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 });
    await expect(task.promise).rejects.toMatchObject({ name: 'PasswordException' });
    await task.destroy();
    const report = check(pdf);
    expect(report.encryptedAttachmentsOnly).toBe(true);
    expect(report.bytes).toHaveLength(pdf.length); // blanked in place: every offset holds
    expect(Buffer.from(report.bytes).toString('latin1')).not.toMatch(/\/Encrypt\s+\d/);
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/Encrypt\s+\d/); // the caller's bytes are untouched
    expect(await textOf(report.bytes)).toContain('Plain page, sealed attachment');
  });

  test('when streams or strings are encrypted too, or there is no /EFF, then the document stays encrypted', async () => {
    for (const filters of [
      { stmF: '/StdCF', strF: '/StdCF', eff: '/StdCF' },
      { stmF: '/Identity', strF: '/StdCF', eff: '/StdCF' },
      { stmF: '/Identity', strF: '/Identity' },
    ]) {
      const pdf = encryptedPdf(filters);
      const report = check(pdf);
      expect(report.encryptedAttachmentsOnly, JSON.stringify(filters)).toBe(false);
      expect(report.bytes).toBe(pdf);
      await expect(textOf(report.bytes)).rejects.toBeInstanceOf(EncryptedDocumentError);
    }
  });

  test('when /Encrypt appears outside the trailer (in a page dictionary), then it counts for nothing', () => {
    const pdf = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Encrypt 4 0 R >>',
      '<< /Filter /Standard /V 4 /R 4 /StmF /Identity /StrF /Identity /EFF /StdCF >>',
    ]);
    const report = check(pdf);
    expect(report.encryptedAttachmentsOnly).toBe(false);
    expect(report.bytes).toBe(pdf);
  });
});

describe('the LZW decoder agrees with pdf.js', () => {
  test('when a page\'s content stream is LZW-encoded, then pdf.js reads it and the preflight measures its exact size', async () => {
    // Long enough to fill the 4096-entry table and go on in 12-bit codes.
    const content = latin1(Array.from({ length: 600 }, (_, i) => `BT /F1 24 Tf 72 ${720 - (i % 30) * 20} Td (Hello LZW line ${i}) Tj ET\n`).join(''));
    const encoded = lzwEncode(content);
    const pdf = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      concat(latin1(`<< /Filter /LZWDecode /Length ${encoded.length} >>\nstream\n`), encoded, latin1('\nendstream')),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    check(pdf, { ...LIMITS, maxStreamBytes: content.length });
    expect(() => check(pdf, { ...LIMITS, maxStreamBytes: content.length - 1 })).toThrow(DocumentTooLargeError);
    const doc = await createPdfEngine().open(pdf);
    const page = await doc.getPage(1);
    const runs = await page.textRuns();
    await doc.close();
    expect(runs.map((r) => r.text).join(' ')).toContain('Hello LZW line 599');
  });
});

// --- helpers ---------------------------------------------------------------------------------------

function streamOf(dict: string, data: string | Uint8Array): Uint8Array {
  const body = typeof data === 'string' ? latin1(data) : data;
  return concat(latin1(`<< ${dict} /Length ${body.length} >>\nstream\n`), body, latin1('\nendstream'));
}

/** Page 1's text as the real engine reads it (without the engine's own preflight in between, where it has one). */
async function textOf(pdf: Uint8Array): Promise<string> {
  const engine = createPdfEngine();
  try {
    const doc = await engine.open(pdf);
    const page = await doc.getPage(1);
    const runs = await page.textRuns();
    await doc.close();
    return runs.map((r) => r.text).join(' ');
  } finally {
    await engine.terminate();
  }
}

/** Standard security handler, V4/R4, with O and U that match no password: pdf.js must ask for one. */
function encryptedPdf(filters: { stmF: string; strF: string; eff?: string }): Uint8Array {
  const hex = (n: number, seed: number): string => Array.from({ length: n }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, '0')).join('');
  const id = hex(16, 5);
  return buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      streamOf('', 'BT /F1 18 Tf 72 720 Td (Plain page, sealed attachment) Tj ET'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      `<< /Filter /Standard /V 4 /R 4 /Length 128 /P -4 /O <${hex(32, 1)}> /U <${hex(32, 2)}> ` +
        `/CF << /StdCF << /CFM /AESV2 /AuthEvent /EFOpen /Length 16 >> >> /StmF ${filters.stmF} /StrF ${filters.strF}${filters.eff ? ` /EFF ${filters.eff}` : ''} >>`,
    ],
    { trailer: `/Encrypt 6 0 R /ID [<${id}> <${id}>] ` },
  );
}
