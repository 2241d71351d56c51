/**
 * Fixture documents drawn by test code: PDFs with and without a text layer, an encrypted PDF, and
 * photo-like images of printed text. Everything is deterministic (seeded noise), nothing is downloaded.
 */
import { createHash } from 'node:crypto';
import { createCanvas, GlobalFonts, type Canvas } from '@napi-rs/canvas';
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

export const FONTS = {
  sans: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  serif: '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf',
  ocrB: '/usr/share/fonts/opentype/ocr-b/OCRB.otf',
} as const;
export type FontName = keyof typeof FONTS;

let fontsRegistered = false;
function registerFonts(): void {
  if (fontsRegistered) return;
  for (const [alias, path] of Object.entries(FONTS)) {
    if (!GlobalFonts.registerFromPath(path, `fixture-${alias}`)) throw new Error(`cannot load font ${path}`);
  }
  fontsRegistered = true;
}

export interface TextImageOptions {
  lines: readonly string[];
  font?: FontName;
  /** Pixels. */
  fontSize?: number;
  width?: number;
  height?: number;
  /** Rotates the whole sheet, degrees clockwise (a photo taken slightly askew). */
  rotateDeg?: number;
  /** 0..1: uneven lighting, grey ink and sensor noise, like a phone photo of a page. */
  photo?: number;
  seed?: number;
}

/** Draws lines of dark text on a light sheet. */
export function drawTextCanvas(options: TextImageOptions): Canvas {
  registerFonts();
  const { lines, font = 'sans', fontSize = 40, width = 1600, height = 1000, rotateDeg = 0, photo = 0, seed = 1 } = options;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const light = ctx.createLinearGradient(0, 0, width, height);
  light.addColorStop(0, shade(255 - 20 * photo));
  light.addColorStop(1, shade(255 - 90 * photo));
  ctx.fillStyle = light;
  ctx.fillRect(0, 0, width, height);

  ctx.save();
  ctx.translate(width / 2, height / 2);
  ctx.rotate((rotateDeg * Math.PI) / 180);
  ctx.translate(-width / 2, -height / 2);
  ctx.fillStyle = shade(Math.round(50 * photo));
  ctx.font = `${fontSize}px fixture-${font}`;
  ctx.textBaseline = 'top';
  const top = Math.max(fontSize, (height - lines.length * fontSize * 1.6) / 2);
  lines.forEach((line, i) => ctx.fillText(line, fontSize * 1.5, top + i * fontSize * 1.6));
  ctx.restore();

  if (photo > 0) addNoise(canvas, 40 * photo, seed);
  return canvas;
}

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'tiff';

/** The drawing encoded as an image file. */
export async function textImage(format: ImageFormat, options: TextImageOptions): Promise<Uint8Array> {
  const png = drawTextCanvas(options).encodeSync('png');
  return encodeAs(png, format);
}

export async function encodeAs(png: Uint8Array, format: ImageFormat): Promise<Uint8Array> {
  const image = sharp(png);
  switch (format) {
    case 'png':
      return png;
    case 'jpeg':
      return image.jpeg({ quality: 80 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 85 }).toBuffer();
    case 'tiff':
      return image.tiff({ compression: 'lzw' }).toBuffer();
  }
}

/**
 * A JPEG stored turned 90° anticlockwise with EXIF orientation 6 ("rotate 90° clockwise to view"),
 * as phones save portrait shots: readable only if the orientation tag is applied.
 */
export async function exifRotatedJpeg(options: TextImageOptions): Promise<Uint8Array> {
  const png = drawTextCanvas(options).encodeSync('png');
  return sharp(png).rotate(-90).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer();
}

/** A multi-page TIFF, one page per image (all the same size). */
export async function multiPageTiff(pages: readonly Uint8Array[]): Promise<Uint8Array> {
  return sharp(pages.map((p) => Buffer.from(p)), { join: { animated: true } })
    .tiff({ compression: 'lzw' })
    .toBuffer();
}

/** A line of a text PDF: a string, or cells drawn separately at 60, 220, 380… pt (a label/value table). */
export type PdfLine = string | readonly string[];

/** A PDF with a real text layer (standard Helvetica, not embedded). Each page is a list of lines. */
export async function textPdf(pages: ReadonlyArray<readonly PdfLine[]>): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]); // A4 in points
    lines.forEach((line, i) => {
      const cells = typeof line === 'string' ? [line] : line;
      cells.forEach((cell, c) => page.drawText(cell, { x: 60 + c * 160, y: 770 - i * 20, size: 12, font }));
    });
  }
  return doc.save();
}

/** A PDF of scanned pages: each page is an image and there is no text layer. */
export async function imagePdf(pngPages: readonly Uint8Array[], pageWidthPt = 595): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const png of pngPages) {
    const image = await doc.embedPng(png);
    const height = (pageWidthPt * image.height) / image.width;
    doc.addPage([pageWidthPt, height]).drawImage(image, { x: 0, y: 0, width: pageWidthPt, height });
  }
  return doc.save();
}

/** A PDF that mixes a text-layer page and a scanned page (in that order). */
export async function mixedPdf(textLines: readonly PdfLine[], scanPng: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await textPdf([textLines]));
  const scan = await PDFDocument.load(await imagePdf([scanPng]));
  const [page] = await doc.copyPages(scan, [0]);
  doc.addPage(page);
  return doc.save();
}

/**
 * A genuinely encrypted PDF (standard security handler, RC4 128-bit, revision 3) whose one page reads
 * `text` once opened with `userPassword`. pdf-lib cannot encrypt, so the handler is written here.
 */
export async function encryptedPdf(text: string, userPassword: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false }); // no Info strings left unencrypted
  const ctx = doc.context;
  const id = createHash('md5').update(text).digest();
  const permissions = -4; // all permissions
  const ownerKey = md5Iterated(pad('owner-password'), 16);
  const o = rc4Rounds(ownerKey, pad(userPassword));
  const key = md5Iterated(
    Buffer.concat([pad(userPassword), o, int32le(permissions), id]),
    16,
  );
  const u = Buffer.concat([rc4Rounds(key, createHash('md5').update(Buffer.concat([PADDING, id])).digest()), Buffer.alloc(16)]);

  const page = doc.addPage([595, 842]);
  const contentsRef = ctx.nextRef();
  const content = Buffer.from(`BT /F1 24 Tf 72 700 Td (${text}) Tj ET`, 'latin1');
  ctx.assign(contentsRef, ctx.stream(rc4(objectKey(key, contentsRef.objectNumber), content)));
  page.node.set(PDFName.of('Contents'), contentsRef);
  page.node.set(
    PDFName.of('Resources'),
    ctx.obj({ Font: { F1: { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' } } }),
  );
  ctx.trailerInfo.Encrypt = ctx.register(
    ctx.obj({ Filter: 'Standard', V: 2, R: 3, Length: 128, P: permissions, O: hex(o), U: hex(u) }),
  );
  ctx.trailerInfo.ID = ctx.obj([hex(id), hex(id)]);
  return doc.save({ useObjectStreams: false });
}

// --- internals -------------------------------------------------------------------------------

const PADDING = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

function pad(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PADDING]).subarray(0, 32);
}

function md5Iterated(input: Uint8Array, length: number): Buffer {
  let hash = createHash('md5').update(input).digest();
  for (let i = 0; i < 50; i++) hash = createHash('md5').update(hash.subarray(0, length)).digest();
  return hash.subarray(0, length);
}

/** Revision 3: RC4 with the key, then 19 more passes with the key XOR the pass number. */
function rc4Rounds(key: Uint8Array, data: Uint8Array): Buffer {
  let out = rc4(key, data);
  for (let i = 1; i <= 19; i++) out = rc4(key.map((b) => b ^ i), out);
  return Buffer.from(out);
}

function objectKey(key: Uint8Array, objectNumber: number): Buffer {
  const suffix = Buffer.from([objectNumber & 0xff, (objectNumber >> 8) & 0xff, (objectNumber >> 16) & 0xff, 0, 0]);
  return createHash('md5').update(Buffer.concat([key, suffix])).digest().subarray(0, Math.min(key.length + 5, 16));
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  const swap = (a: number, b: number): void => {
    const t = s[a]!;
    s[a] = s[b]!;
    s[b] = t;
  };
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    swap(i, j);
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    swap(i, j);
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

function int32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
}

function hex(bytes: Uint8Array): PDFHexString {
  return PDFHexString.of(Buffer.from(bytes).toString('hex'));
}

function shade(level: number): string {
  const v = Math.max(0, Math.min(255, Math.round(level)));
  return `rgb(${v},${v},${v})`;
}

/** Seeded uniform noise on every channel (mulberry32), so fixtures are the same on every run. */
function addNoise(canvas: Canvas, amplitude: number, seed: number): void {
  const ctx = canvas.getContext('2d');
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const px = image.data;
  for (let i = 0; i < px.length; i += 4) {
    const n = (random() - 0.5) * 2 * amplitude;
    px[i] = px[i]! + n;
    px[i + 1] = px[i + 1]! + n;
    px[i + 2] = px[i + 2]! + n;
  }
  ctx.putImageData(image, 0, 0);
}

// --- identity pages and camera geometry (page orientation, tilt, perspective, size) ------------

export interface IdentityPageOptions {
  /** Visual-zone lines, drawn in a sans face. */
  lines: readonly string[];
  /** MRZ lines, drawn in OCR-B along the bottom. */
  mrz: readonly string[];
  width?: number;
  height?: number;
  fontSize?: number;
  mrzFontSize?: number;
}

/** A passport data page or ID card: a light tinted sheet, visual-zone text, the MRZ at the bottom. */
export function drawIdentityPage(options: IdentityPageOptions): Canvas {
  registerFonts();
  const { lines, mrz, width = 1250, height = 880, fontSize = 34, mrzFontSize = 36 } = options;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'rgb(236,240,232)';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = 'rgb(25,25,25)';
  ctx.textBaseline = 'top';
  ctx.font = `${fontSize}px fixture-sans`;
  lines.forEach((line, i) => ctx.fillText(line, fontSize * 1.2, fontSize * (1 + i * 1.6)));
  ctx.font = `${mrzFontSize}px fixture-ocrB`;
  const mrzTop = height - mrzFontSize * (mrz.length * 1.5 + 0.8);
  mrz.forEach((line, i) => ctx.fillText(line, mrzFontSize * 0.6, mrzTop + i * mrzFontSize * 1.5));
  return canvas;
}

/**
 * The drawing photographed lying on a dark table: turned `rotateDeg` clockwise, each corner moved
 * by `corners` (pixels, top-left, top-right, bottom-right, bottom-left) for perspective, inside a
 * frame `margin` × its size larger. The projective warp is done here by inverse mapping with its own
 * homography, independent of the engine's.
 */
export function photographOnTable(
  doc: Canvas,
  options: { rotateDeg?: number; corners?: ReadonlyArray<readonly [number, number]>; margin?: number } = {},
): Canvas {
  const { rotateDeg = 0, corners = [[0, 0], [0, 0], [0, 0], [0, 0]], margin = 0.15 } = options;
  const w = doc.width;
  const h = doc.height;
  const outW = Math.round(w * (1 + 2 * margin));
  const outH = Math.round(h * (1 + 2 * margin));
  const rad = (rotateDeg * Math.PI) / 180;
  const cx = outW / 2;
  const cy = outH / 2;
  const base: Array<[number, number]> = [[0, 0], [w, 0], [w, h], [0, h]];
  const dst = base.map(([x, y], i) => {
    const px = x - w / 2 + corners[i]![0];
    const py = y - h / 2 + corners[i]![1];
    return [cx + px * Math.cos(rad) - py * Math.sin(rad), cy + px * Math.sin(rad) + py * Math.cos(rad)] as [number, number];
  });
  // Homography from the output frame back to the document (dst → base).
  const m = solveHomography(dst, base);
  const src = doc.getContext('2d').getImageData(0, 0, w, h).data;
  const canvas = createCanvas(outW, outH);
  const ctx = canvas.getContext('2d');
  const out = ctx.createImageData(outW, outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const d = m[6]! * x + m[7]! * y + 1;
      const sx = Math.floor((m[0]! * x + m[1]! * y + m[2]!) / d);
      const sy = Math.floor((m[3]! * x + m[4]! * y + m[5]!) / d);
      const o = (y * outW + x) * 4;
      if (sx >= 0 && sy >= 0 && sx < w && sy < h) {
        const s = (sy * w + sx) * 4;
        out.data[o] = src[s]!;
        out.data[o + 1] = src[s + 1]!;
        out.data[o + 2] = src[s + 2]!;
      } else {
        // Dark wood-grey table with a faint horizontal grain.
        const v = 70 + ((y >> 3) % 3) * 6;
        out.data[o] = v;
        out.data[o + 1] = v - 8;
        out.data[o + 2] = v - 16;
      }
      out.data[o + 3] = 255;
    }
  }
  ctx.putImageData(out, 0, 0);
  return canvas;
}

function solveHomography(from: ReadonlyArray<readonly [number, number]>, to: ReadonlyArray<readonly [number, number]>): number[] {
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u], [0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(rows[r]![c]!) > Math.abs(rows[p]![c]!)) p = r;
    [rows[c], rows[p]] = [rows[p]!, rows[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = rows[r]![c]! / rows[c]![c]!;
      for (let k = c; k < 9; k++) rows[r]![k]! -= f * rows[c]![k]!;
    }
  }
  return rows.map((row, i) => row[8]! / row[i]!);
}

/** The PNG turned `degrees` clockwise in its pixels (no orientation tag). */
export async function turnedPng(png: Uint8Array, degrees: 90 | 180 | 270): Promise<Uint8Array> {
  return sharp(png).rotate(degrees).png().toBuffer();
}

/** A JPEG whose pixels are `stored` and whose EXIF orientation tag is `orientation` (1–8). */
export async function jpegWithOrientation(png: Uint8Array, orientation: number): Promise<Uint8Array> {
  return sharp(png).jpeg({ quality: 88 }).withMetadata({ orientation }).toBuffer();
}

/** The drawing shrunk to `width` px wide (a small web image), as a JPEG. */
export async function shrunkJpeg(png: Uint8Array, width: number, quality = 85): Promise<Uint8Array> {
  return sharp(png).resize({ width, kernel: 'lanczos3' }).jpeg({ quality }).toBuffer();
}
