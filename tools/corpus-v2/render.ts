/**
 * Corpus v2 rendering: pages to pixels with @napi-rs/canvas (fonts from the system's URW base35 and
 * GNU FreeFont families, not the DejaVu/Liberation sets of corpus v1), then the capture: a text-layer
 * PDF (pdf-lib), a flatbed scan, a phone photo (perspective, shadow, table background, JPEG
 * artefacts), a small low-resolution image, a page turned by 90/180/270 or stored with an EXIF rotation.
 */
import { GlobalFonts, createCanvas, type SKRSContext2D, type Canvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import sharp from 'sharp';

import { Rng } from '../../src/corpus/random.js';
import type { FontRole, Op, Page } from './layouts.js';
import type { Capture, DocSpec } from './plan.js';
import { winAnsi } from './plan.js';

interface FontSet {
  sans: string;
  serif: string;
  mono: string;
  cond: string;
}

export const FONT_SETS: readonly FontSet[] = [
  { sans: 'FreeSans', serif: 'FreeSerif', mono: 'FreeMono', cond: 'Nimbus Sans Narrow' },
  { sans: 'Nimbus Sans', serif: 'Nimbus Roman', mono: 'Nimbus Mono PS', cond: 'Nimbus Sans Narrow' },
  { sans: 'URW Gothic', serif: 'C059', mono: 'Nimbus Mono PS', cond: 'Liberation Sans Narrow' },
  { sans: 'Nimbus Sans', serif: 'P052', mono: 'FreeMono', cond: 'Nimbus Sans Narrow' },
  { sans: 'FreeSans', serif: 'URW Bookman', mono: 'FreeMono', cond: 'Liberation Sans Narrow' },
];

function family(fonts: FontSet, role: FontRole | undefined): string {
  if (role === 'ocrb') return 'OCR B';
  return fonts[role ?? 'sans'];
}

function drawWaves(ctx: SKRSContext2D, op: Extract<Op, { t: 'waves' }>, s: number): void {
  const rng = new Rng(op.seed);
  ctx.save();
  ctx.beginPath();
  ctx.rect(op.x * s, op.y * s, op.w * s, op.h * s);
  ctx.clip();
  ctx.strokeStyle = op.color;
  ctx.lineWidth = Math.max(1, 0.12 * s);
  for (let k = 0; k < 14; k++) {
    const amp = rng.float(1, 5) * s;
    const period = rng.float(8, 30) * s;
    const phase = rng.float(0, 6.28);
    const y0 = (op.y + rng.float(0, op.h)) * s;
    ctx.beginPath();
    for (let x = op.x * s; x <= (op.x + op.w) * s; x += 2) {
      const y = y0 + amp * Math.sin(x / period + phase);
      if (x === op.x * s) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  ctx.restore();
}

function drawPortrait(ctx: SKRSContext2D, op: Extract<Op, { t: 'portrait' }>, s: number): void {
  const { x, y, w, h } = op;
  ctx.fillStyle = '#cfd4da';
  ctx.fillRect(x * s, y * s, w * s, h * s);
  ctx.fillStyle = '#7d858f';
  ctx.beginPath();
  ctx.ellipse((x + w / 2) * s, (y + h * 0.38) * s, w * 0.22 * s, h * 0.2 * s, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath();
  ctx.ellipse((x + w / 2) * s, (y + h) * s, w * 0.45 * s, h * 0.3 * s, 0, Math.PI, Math.PI * 2);
  ctx.fill();
}

let fontsChecked = false;

/** A missing family would silently fall back to another font and change the corpus: refuse instead. */
export function ensureV2Fonts(): void {
  if (fontsChecked) return;
  const installed = new Set(GlobalFonts.families.map((f) => f.family));
  const wanted = new Set(['OCR B', ...FONT_SETS.flatMap((set) => Object.values(set))]);
  const missing = [...wanted].filter((name) => !installed.has(name));
  if (missing.length > 0) throw new Error(`corpus v2 needs the fonts ${missing.join(', ')}: install fonts-freefont-ttf fonts-urw-base35 fonts-liberation fonts-ocr-b (scripts/setup.sh)`);
  fontsChecked = true;
}

/** Draws a page at `s` pixels per millimetre. */
export function rasterise(page: Page, s: number, fonts: FontSet): Canvas {
  ensureV2Fonts();
  const canvas = createCanvas(Math.round(page.width * s), Math.round(page.height * s));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = page.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const op of page.ops) {
    switch (op.t) {
      case 'rect':
        if (op.fill) {
          ctx.fillStyle = op.fill;
          ctx.fillRect(op.x * s, op.y * s, op.w * s, op.h * s);
        }
        if (op.stroke) {
          ctx.strokeStyle = op.stroke;
          ctx.lineWidth = Math.max(1, 0.2 * s);
          ctx.strokeRect(op.x * s, op.y * s, op.w * s, op.h * s);
        }
        break;
      case 'line':
        ctx.strokeStyle = op.color ?? '#000';
        ctx.lineWidth = Math.max(1, (op.width ?? 0.3) * s);
        ctx.beginPath();
        ctx.moveTo(op.x1 * s, op.y1 * s);
        ctx.lineTo(op.x2 * s, op.y2 * s);
        ctx.stroke();
        break;
      case 'portrait':
        drawPortrait(ctx, op, s);
        break;
      case 'waves':
        drawWaves(ctx, op, s);
        break;
      case 'text': {
        let size = op.size * s;
        const fontOf = (px: number): string => `${op.bold ? 'bold ' : ''}${px.toFixed(2)}px "${family(fonts, op.font)}"`;
        ctx.font = fontOf(size);
        if (op.fitWidth) {
          size *= (op.fitWidth * s) / ctx.measureText(op.text).width;
          ctx.font = fontOf(size);
        }
        ctx.fillStyle = op.color ?? '#111';
        ctx.textAlign = op.align ?? 'left';
        ctx.fillText(op.text, op.x * s, op.y * s);
        break;
      }
    }
  }
  return canvas;
}

// ---------------------------------------------------------------------------------------------
// Captures

/** A phone photo: the page on a table, keystoned (top narrower or wider), tilted, lit from one side. */
function photograph(page: Canvas, rng: Rng): Canvas {
  const margin = 0.14;
  const W = Math.round(page.width * (1 + 2 * margin));
  const H = Math.round(page.height * (1 + 2 * margin));
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  const table = rng.pick([['#6b4f3a', '#8a6a50'], ['#3b3f45', '#5a5f66'], ['#c8c2b8', '#e0dbd2'], ['#2f4f3f', '#4a6b5a']] as const);
  const bg = ctx.createLinearGradient(0, 0, W, H);
  bg.addColorStop(0, table[0]);
  bg.addColorStop(1, table[1]);
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, W, H);
  const keystone = rng.float(0.04, 0.12) * (rng.chance(0.5) ? 1 : -1);
  const skew = rng.float(-0.05, 0.05);
  ctx.save();
  ctx.translate(W / 2, H / 2);
  ctx.rotate(rng.float(-6, 6) * (Math.PI / 180));
  ctx.translate(-page.width / 2, -page.height / 2);
  // Keystone: each row drawn at a width that changes linearly from top to bottom.
  const step = 2;
  for (let y = 0; y < page.height; y += step) {
    const t = y / page.height;
    const scale = 1 - keystone * (keystone > 0 ? 1 - t : t) * 2;
    const w = page.width * scale;
    const dx = (page.width - w) / 2 + skew * (y - page.height / 2);
    ctx.drawImage(page, 0, y, page.width, step + 1, dx, y, w, step + 1); // overlap: no seams between strips
  }
  ctx.restore();
  // Shadow from one side (a hand or the phone), and uneven light.
  const side = rng.int(0, 3);
  const [x0, y0, x1, y1] = side === 0 ? [0, 0, W * 0.6, 0] : side === 1 ? [W, 0, W * 0.4, 0] : side === 2 ? [0, 0, 0, H * 0.6] : [0, H, 0, H * 0.4];
  const shadow = ctx.createLinearGradient(x0, y0, x1, y1);
  shadow.addColorStop(0, `rgba(0,0,0,${rng.float(0.3, 0.5).toFixed(2)})`);
  shadow.addColorStop(1, 'rgba(0,0,0,0)');
  ctx.fillStyle = shadow;
  ctx.fillRect(0, 0, W, H);
  const light = ctx.createRadialGradient(W * rng.float(0.3, 0.7), H * rng.float(0.3, 0.7), 0, W / 2, H / 2, Math.max(W, H));
  light.addColorStop(0, 'rgba(255,250,235,0.10)');
  light.addColorStop(1, 'rgba(0,0,20,0.12)');
  ctx.fillStyle = light;
  ctx.fillRect(0, 0, W, H);
  return canvas;
}

/** A flatbed scan: slightly skewed, a grey edge, sometimes grey. */
function scan(page: Canvas, rng: Rng): Canvas {
  const canvas = createCanvas(page.width + 24, page.height + 24);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f2f2f0';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.save();
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate(rng.float(-1.2, 1.2) * (Math.PI / 180));
  ctx.drawImage(page, -page.width / 2, -page.height / 2);
  ctx.restore();
  return canvas;
}

async function toJpeg(input: Buffer, quality: number, options: { rotate: number; exif: boolean; grey?: boolean; width?: number }): Promise<Buffer> {
  let img = sharp(input);
  if (options.grey) img = img.grayscale();
  if (options.width) img = img.resize({ width: options.width });
  if (options.exif) {
    // Pixels stored turned a quarter to the left, with EXIF orientation 6 telling a viewer to turn them back.
    const turned = await img.rotate(270).toBuffer();
    return sharp(turned).withMetadata({ orientation: 6 }).jpeg({ quality }).toBuffer();
  }
  if (options.rotate) img = sharp(await img.toBuffer()).rotate(options.rotate);
  return img.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
}

async function imagePdf(jpeg: Buffer, dpi: number, title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setProducer(rngProducer(title));
  pdf.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  const image = await pdf.embedJpg(jpeg);
  const w = (image.width * 72) / dpi;
  const h = (image.height * 72) / dpi;
  const page = pdf.addPage([w, h]);
  page.drawImage(image, { x: 0, y: 0, width: w, height: h });
  return pdf.save({ useObjectStreams: false });
}

function rngProducer(title: string): string {
  return title.length % 2 === 0 ? 'ScanSnap Manager' : 'HP Smart Scan';
}

// ---------------------------------------------------------------------------------------------
// Text-layer PDFs: pdf-lib's standard fonts (strings were made WinAnsi-safe when planned)

const PDF_FONTS: Record<Exclude<FontRole, 'ocrb'>, [StandardFonts, StandardFonts]> = {
  sans: [StandardFonts.Helvetica, StandardFonts.HelveticaBold],
  cond: [StandardFonts.Helvetica, StandardFonts.HelveticaBold],
  serif: [StandardFonts.TimesRoman, StandardFonts.TimesRomanBold],
  mono: [StandardFonts.Courier, StandardFonts.CourierBold],
};

function colour(hex: string | undefined): ReturnType<typeof rgb> {
  const h = (hex ?? '#111111').replace('#', '');
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  return rgb(parseInt(full.slice(0, 2), 16) / 255, parseInt(full.slice(2, 4), 16) / 255, parseInt(full.slice(4, 6), 16) / 255);
}

export async function textPdf(page: Page, title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('Invoicing system 4.2');
  pdf.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  const k = 72 / 25.4;
  const p = pdf.addPage([page.width * k, page.height * k]);
  const cache = new Map<string, PDFFont>();
  const fontFor = async (role: FontRole | undefined, bold: boolean): Promise<PDFFont> => {
    const r = role === 'ocrb' || role === undefined ? 'sans' : role;
    const key = `${r}-${bold}`;
    let font = cache.get(key);
    if (!font) {
      font = await pdf.embedFont(PDF_FONTS[r][bold ? 1 : 0]);
      cache.set(key, font);
    }
    return font;
  };
  for (const op of page.ops) {
    if (op.t === 'rect') {
      p.drawRectangle({ x: op.x * k, y: (page.height - op.y - op.h) * k, width: op.w * k, height: op.h * k, ...(op.fill ? { color: colour(op.fill) } : {}), ...(op.stroke ? { borderColor: colour(op.stroke), borderWidth: 0.5 } : {}) });
    } else if (op.t === 'line') {
      p.drawLine({ start: { x: op.x1 * k, y: (page.height - op.y1) * k }, end: { x: op.x2 * k, y: (page.height - op.y2) * k }, thickness: (op.width ?? 0.3) * k, color: colour(op.color) });
    } else if (op.t === 'text') {
      const font = await fontFor(op.font, op.bold ?? false);
      const value = winAnsi(op.text);
      let size = op.size * k;
      if (op.fitWidth) size *= (op.fitWidth * k) / font.widthOfTextAtSize(value, size);
      const width = font.widthOfTextAtSize(value, size);
      const x = op.align === 'right' ? op.x * k - width : op.align === 'center' ? op.x * k - width / 2 : op.x * k;
      p.drawText(value, { x, y: (page.height - op.y) * k, size, font, color: colour(op.color) });
    }
  }
  return pdf.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------------------------------------

/** Pixels per millimetre for the page before capture: cards and passports are small, so finer. */
function density(doc: DocSpec): number {
  return doc.family === 'id' ? 11 : 6.3;
}

export async function renderDoc(doc: DocSpec, page: Page, rng: Rng): Promise<Uint8Array> {
  const capture: Capture = doc.capture;
  const title = doc.fileName;
  if (capture.medium === 'text-pdf') return textPdf(page, title);
  const fonts = rng.pick(FONT_SETS);
  const flat = rasterise(page, density(doc), fonts);
  switch (capture.medium) {
    case 'photo': {
      const photo = photograph(flat, rng);
      const png = await photo.encode('png');
      const width = doc.family === 'id' ? rng.int(1100, 1600) : rng.int(1400, 1900);
      return toJpeg(Buffer.from(png), rng.int(55, 78), { rotate: capture.rotate, exif: capture.exif, width: Math.min(width, photo.width) });
    }
    case 'lowres': {
      const png = await flat.encode('png');
      const width = doc.family === 'id' ? rng.int(280, 420) : rng.int(600, 800);
      return toJpeg(Buffer.from(png), rng.int(60, 80), { rotate: capture.rotate, exif: capture.exif, width });
    }
    case 'scan-png': {
      const scanned = scan(flat, rng);
      let img = sharp(Buffer.from(await scanned.encode('png')));
      if (rng.chance(0.5)) img = img.grayscale();
      if (capture.rotate) img = sharp(await img.toBuffer()).rotate(capture.rotate);
      return img.png({ compressionLevel: 8 }).toBuffer();
    }
    case 'scan-pdf': {
      const scanned = scan(flat, rng);
      const jpeg = await toJpeg(Buffer.from(await scanned.encode('png')), rng.int(68, 85), { rotate: capture.rotate, exif: false, grey: rng.chance(0.6) });
      return imagePdf(jpeg, density(doc) * 25.4, title);
    }
  }
}
