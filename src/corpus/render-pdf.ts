/**
 * PDF output with pdf-lib: text-layer PDFs drawn from PageSpecs with the standard fonts (WinAnsi only),
 * and image-only "scanned" PDFs. Metadata dates come from the spec, never the clock, so output is stable.
 */
import type { PDFFont, PDFPage } from 'pdf-lib';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { DrawOp, FontFamily, PageSpec, TextOp } from './layout.js';

export interface PdfMeta {
  title: string;
  author: string;
  creator: string;
  /** YYYY-MM-DD; becomes CreationDate and ModDate. */
  date: string;
}

type FontKey = `${FontFamily}-${'regular' | 'bold'}`;

const STANDARD: Record<FontKey, StandardFonts> = {
  'sans-regular': StandardFonts.Helvetica,
  'sans-bold': StandardFonts.HelveticaBold,
  'serif-regular': StandardFonts.TimesRoman,
  'serif-bold': StandardFonts.TimesRomanBold,
  'mono-regular': StandardFonts.Courier,
  'mono-bold': StandardFonts.CourierBold,
  'ocrb-regular': StandardFonts.Courier,
  'ocrb-bold': StandardFonts.CourierBold,
};

async function newDocument(meta: PdfMeta): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const date = new Date(`${meta.date}T09:00:00Z`);
  doc.setTitle(meta.title);
  doc.setAuthor(meta.author);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.creator);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  return doc;
}

function color(hex: string): ReturnType<typeof rgb> {
  const value = Number.parseInt(hex.slice(1), 16);
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255);
}

/** Replaces characters the WinAnsi standard fonts cannot encode by their accent-free form. */
function encodable(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 32;
    out += supported.has(code) ? char : char.normalize('NFD').replace(/[^\x20-\x7e]/g, '') || '?';
  }
  return out;
}

class FontCache {
  private readonly fonts = new Map<FontKey, PDFFont>();

  constructor(private readonly doc: PDFDocument) {}

  async get(op: TextOp): Promise<PDFFont> {
    const key: FontKey = `${op.family}-${op.bold ? 'bold' : 'regular'}`;
    let font = this.fonts.get(key);
    if (!font) {
      font = await this.doc.embedFont(STANDARD[key]);
      this.fonts.set(key, font);
    }
    return font;
  }
}

async function drawOp(page: PDFPage, op: DrawOp, fonts: FontCache): Promise<void> {
  const height = page.getHeight();
  switch (op.kind) {
    case 'text': {
      const font = await fonts.get(op);
      const text = encodable(op.text, font);
      const width = font.widthOfTextAtSize(text, op.size);
      const x = op.align === 'right' ? op.x - width : op.align === 'center' ? op.x - width / 2 : op.x;
      page.drawText(text, { x, y: height - op.y, size: op.size, font, color: color(op.color) });
      return;
    }
    case 'rect':
      page.drawRectangle({
        x: op.x, y: height - op.y - op.h, width: op.w, height: op.h,
        ...(op.fill ? { color: color(op.fill) } : {}),
        ...(op.stroke ? { borderColor: color(op.stroke), borderWidth: op.lineWidth ?? 0.5 } : {}),
      });
      return;
    case 'line':
      page.drawLine({ start: { x: op.x1, y: height - op.y1 }, end: { x: op.x2, y: height - op.y2 }, thickness: op.width, color: color(op.color) });
      return;
    case 'path': {
      const [first, ...rest] = op.points;
      if (!first) return;
      const path = `M ${first[0]} ${first[1]} ` + rest.map(([x, y]) => `L ${x} ${y}`).join(' ');
      page.drawSvgPath(path, { x: 0, y: height, borderColor: color(op.color), borderWidth: op.width });
      return;
    }
    case 'portrait':
    case 'guilloche':
      return; // decorative, raster only
  }
}

/** A PDF whose pages carry a real text layer. */
export async function renderTextPdf(pages: readonly PageSpec[], meta: PdfMeta): Promise<Uint8Array> {
  const doc = await newDocument(meta);
  const fonts = new FontCache(doc);
  for (const spec of pages) {
    const page = doc.addPage([spec.width, spec.height]);
    if (spec.background !== '#ffffff') page.drawRectangle({ x: 0, y: 0, width: spec.width, height: spec.height, color: color(spec.background) });
    for (const op of spec.ops) await drawOp(page, op, fonts);
  }
  return doc.save();
}

export interface ScannedImage {
  bytes: Uint8Array;
  kind: 'png' | 'jpeg';
  widthPx: number;
  heightPx: number;
  dpi: number;
}

/** An image-only PDF: each image fills one page sized from its pixel size and resolution. */
export async function renderImagePdf(images: readonly ScannedImage[], meta: PdfMeta): Promise<Uint8Array> {
  const doc = await newDocument(meta);
  for (const image of images) {
    const embedded = image.kind === 'png' ? await doc.embedPng(image.bytes) : await doc.embedJpg(image.bytes);
    const width = (image.widthPx / image.dpi) * 72;
    const height = (image.heightPx / image.dpi) * 72;
    const page = doc.addPage([width, height]);
    page.drawImage(embedded, { x: 0, y: 0, width, height });
  }
  return doc.save();
}
