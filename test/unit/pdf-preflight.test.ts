/**
 * The PDF preflight: every stream's expanding filters decoded with a cap, declared image sizes
 * checked, before pdf.js sees the file. Files are built here; real pdf.js confirms the LZW encoder.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { jpegFrameSize, preflightPdf } from '../../src/adapters/pdf-preflight.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { buildPdf, lzwZeroBomb, textPdf, zeroBomb } from '../../src/corpus/torture.js';
import { DocumentTooLargeError } from '../../src/domain/errors.js';
import { imagePdf, textPdf as pdfLibTextPdf } from '../support/draw.js';

const MB = 1024 * 1024;
const LIMITS = { maxStreamBytes: 10 * MB, maxImagePixels: 20_000_000 };

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

function pdfWithStream(dict: string, data: Uint8Array, options: { length?: string } = {}): Uint8Array {
  const stream = concat(latin1(`<< ${dict} /Length ${options.length ?? data.length} >>\nstream\n`), data, latin1('\nendstream'));
  return buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>', stream, '12345']);
}

const check = (pdf: Uint8Array, limits = LIMITS): void => preflightPdf(pdf, limits);

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
  test('when an image XObject declares more pixels than allowed, then it is refused', () => {
    expect(() => check(pdfWithStream('/Type /XObject /Subtype /Image /Width 60000 /Height 60000', new Uint8Array(10)))).toThrow(
      'an embedded image declares 60000×60000 pixels; the limit is 20000000',
    );
    check(pdfWithStream('/Type /XObject /Subtype /Image /Width 4000 /Height 5000', new Uint8Array(10)));
  });

  test('when a DCT image\'s JPEG header declares more pixels than allowed, then it is refused', () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0xea, 0x60, 0xea, 0x60, 1, 1, 0x11, 0, 0xff, 0xd9);
    expect(jpegFrameSize(jpeg)).toEqual({ width: 60000, height: 60000 });
    expect(() => check(pdfWithStream('/Subtype /Image /Width 10 /Height 10 /Filter /DCTDecode', jpeg))).toThrow('an embedded JPEG declares 60000×60000');
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
