/**
 * Where a PDF's header may be: pdf.js and poppler read a PDF with junk before `%PDF-` and one whose
 * header line was lost, so the engine takes both as PDFs; text that merely mentions objects does not.
 * Files are written here; the real pdf.js engine reads them.
 */
import { describe, expect, test } from 'vitest';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { buildPdf } from '../../src/corpus/torture.js';
import { UnsupportedFileTypeError } from '../../src/domain/errors.js';
import { detectFileKind } from '../../src/domain/file-kind.js';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

function helloPdf(): Uint8Array {
  const content = 'BT /F1 18 Tf 72 720 Td (Header or not, a statement) Tj ET';
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** The same file without its `%PDF-1.7` line (the binary-marker comment stays, as in pdf.js's bug1606566.pdf). */
function headerless(): Uint8Array {
  const pdf = helloPdf();
  return pdf.subarray(Buffer.from(pdf).indexOf('\n') + 1);
}

async function textOf(pdf: Uint8Array): Promise<string> {
  const engine = createPdfEngine();
  try {
    const doc = await engine.open(pdf);
    const runs = await (await doc.getPage(1)).textRuns();
    await doc.close();
    return runs.map((r) => r.text).join(' ');
  } finally {
    await engine.terminate();
  }
}

describe('a PDF header out of place', () => {
  test('when junk precedes %PDF- within the first KiB, then it is a PDF and its text reads', async () => {
    const pdf = concat(latin1('Some junk before the header\n\n'), helloPdf());
    expect(detectFileKind(pdf)).toBe('pdf');
    expect(await textOf(pdf)).toContain('Header or not, a statement');
  });

  test('when the header line is missing and the file opens with comments and an object, then it is a PDF and its text reads', async () => {
    const pdf = headerless();
    expect(Buffer.from(pdf).indexOf('%PDF-')).toBe(-1);
    expect(detectFileKind(pdf)).toBe('pdf');
    expect(detectFileKind(concat(latin1('\n\n'), pdf.subarray(pdf.indexOf(0x0a) + 1)))).toBe('pdf'); // no comment at all
    expect(await textOf(pdf)).toContain('Header or not, a statement');
  });

  test('when text only talks of objects, or an object comes after other text, then it is not a PDF', () => {
    for (const text of ['Note: see 1 0 obj in the file\n', 'Name: Jane\n1 0 obj\n<< >>\nendobj\n', '1 0 object lesson\n', 'obj 1 0\n']) {
      expect(() => detectFileKind(latin1(text)), text).toThrow(UnsupportedFileTypeError);
    }
  });
});
