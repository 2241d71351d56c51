/** Raster output with @napi-rs/canvas: draws a PageSpec at a given resolution with real TTF/OTF fonts. */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { DrawOp, FontFamily, GuillocheOp, PageSpec, PortraitOp, TextOp } from './layout.js';

export const OCRB_FONT_PATH = '/usr/share/fonts/opentype/ocr-b/OCRB.otf';
const OCRB_FAMILY = 'OCRB Corpus';

/** Which installed faces stand for the generic families in one rendering. */
export interface RasterFonts {
  sans: 'DejaVu Sans' | 'Liberation Sans';
  serif: 'DejaVu Serif' | 'Liberation Serif';
  mono: 'DejaVu Sans Mono' | 'Liberation Mono';
}

export const FONT_SETS: readonly RasterFonts[] = [
  { sans: 'DejaVu Sans', serif: 'DejaVu Serif', mono: 'DejaVu Sans Mono' },
  { sans: 'Liberation Sans', serif: 'Liberation Serif', mono: 'Liberation Mono' },
];

let ocrbRegistered = false;

/** Registers OCR-B once; throws when the font file is missing, since MRZs must be in OCR-B. */
export function ensureFonts(): void {
  if (ocrbRegistered) return;
  if (!GlobalFonts.registerFromPath(OCRB_FONT_PATH, OCRB_FAMILY)) {
    throw new Error(`cannot register the OCR-B font at ${OCRB_FONT_PATH}`);
  }
  ocrbRegistered = true;
}

function fontName(family: FontFamily, fonts: RasterFonts): string {
  return family === 'ocrb' ? OCRB_FAMILY : fonts[family];
}

function drawText(ctx: SKRSContext2D, op: TextOp, scale: number, fonts: RasterFonts): void {
  const face = `"${fontName(op.family, fonts)}"`;
  let size = op.size * scale;
  ctx.font = `${op.bold ? 'bold ' : ''}${size}px ${face}`;
  if (op.fitWidth) {
    size *= (op.fitWidth * scale) / ctx.measureText(op.text).width;
    ctx.font = `${op.bold ? 'bold ' : ''}${size}px ${face}`;
  }
  ctx.fillStyle = op.color;
  ctx.textAlign = op.align;
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(op.text, op.x * scale, op.y * scale);
}

function drawPortrait(ctx: SKRSContext2D, op: PortraitOp, s: number): void {
  const x = op.x * s, y = op.y * s, w = op.w * s, h = op.h * s;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.fillStyle = op.background;
  ctx.fillRect(x, y, w, h);
  const cx = x + w / 2;
  ctx.fillStyle = op.clothes; // shoulders
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 1.02, w * 0.55, h * 0.3, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = op.skin; // neck and head
  ctx.fillRect(cx - w * 0.09, y + h * 0.55, w * 0.18, h * 0.2);
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 0.45, w * 0.26, h * 0.24, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = op.hair;
  ctx.beginPath();
  ctx.ellipse(cx, y + h * 0.33, w * 0.28, h * 0.15, 0, Math.PI, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#2a2a2a'; // eyes
  for (const dx of [-0.1, 0.1]) {
    ctx.beginPath();
    ctx.ellipse(cx + dx * w, y + h * 0.44, w * 0.025, h * 0.015, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

function drawGuilloche(ctx: SKRSContext2D, op: GuillocheOp, s: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(op.x * s, op.y * s, op.w * s, op.h * s);
  ctx.clip();
  ctx.strokeStyle = op.color;
  ctx.lineWidth = Math.max(1, 0.12 * s);
  for (let k = 0; k < op.waves; k++) {
    ctx.beginPath();
    const base = op.y + (op.h * (k + 0.5)) / op.waves;
    for (let i = 0; i <= 120; i++) {
      const t = i / 120;
      const px = op.x + t * op.w;
      const py = base + Math.sin(t * Math.PI * 6 + op.phase + k * 0.7) * (op.h / op.waves) * 0.9;
      if (i === 0) ctx.moveTo(px * s, py * s);
      else ctx.lineTo(px * s, py * s);
    }
    ctx.stroke();
  }
  ctx.restore();
}

function drawOp(ctx: SKRSContext2D, op: DrawOp, s: number, fonts: RasterFonts): void {
  switch (op.kind) {
    case 'text':
      return drawText(ctx, op, s, fonts);
    case 'rect':
      if (op.fill) {
        ctx.fillStyle = op.fill;
        ctx.fillRect(op.x * s, op.y * s, op.w * s, op.h * s);
      }
      if (op.stroke) {
        ctx.strokeStyle = op.stroke;
        ctx.lineWidth = Math.max(1, (op.lineWidth ?? 0.5) * s);
        ctx.strokeRect(op.x * s, op.y * s, op.w * s, op.h * s);
      }
      return;
    case 'line':
      ctx.strokeStyle = op.color;
      ctx.lineWidth = Math.max(1, op.width * s);
      ctx.beginPath();
      ctx.moveTo(op.x1 * s, op.y1 * s);
      ctx.lineTo(op.x2 * s, op.y2 * s);
      ctx.stroke();
      return;
    case 'path':
      ctx.strokeStyle = op.color;
      ctx.lineWidth = Math.max(1, op.width * s);
      ctx.lineJoin = 'round';
      ctx.beginPath();
      op.points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(px * s, py * s) : ctx.lineTo(px * s, py * s)));
      ctx.stroke();
      return;
    case 'portrait':
      return drawPortrait(ctx, op, s);
    case 'guilloche':
      return drawGuilloche(ctx, op, s);
  }
}

/** Renders a page at `pxPerUnit` pixels per page unit. */
export function renderPage(page: PageSpec, pxPerUnit: number, fonts: RasterFonts): Canvas {
  ensureFonts();
  const canvas = createCanvas(Math.round(page.width * pxPerUnit), Math.round(page.height * pxPerUnit));
  const ctx = canvas.getContext('2d');
  if (page.background !== 'transparent') {
    ctx.fillStyle = page.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  for (const op of page.ops) drawOp(ctx, op, pxPerUnit, fonts);
  return canvas;
}
