/**
 * Capture effects: a phone photograph (table background, tilt, shadow, uneven light, sensor noise) or a
 * flatbed scan (near-white bed, slight skew, light noise, dust). All randomness comes from the given Rng.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import type { Rng } from './random.js';

const SURFACES = [
  { base: '#8b6b4a', grain: 'rgba(60,40,20,0.25)' }, // wood
  { base: '#6d7073', grain: 'rgba(40,40,40,0.15)' }, // grey desk
  { base: '#2f3b4c', grain: 'rgba(10,15,25,0.3)' }, // dark cloth
  { base: '#c9b79c', grain: 'rgba(120,100,70,0.2)' }, // beige laminate
] as const;

function paintSurface(ctx: SKRSContext2D, width: number, height: number, rng: Rng): void {
  const surface = rng.pick(SURFACES);
  ctx.fillStyle = surface.base;
  ctx.fillRect(0, 0, width, height);
  ctx.strokeStyle = surface.grain;
  for (let i = 0; i < 60; i++) {
    const y = rng.float(0, height);
    ctx.lineWidth = rng.float(1, 4);
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.bezierCurveTo(width * 0.3, y + rng.float(-20, 20), width * 0.7, y + rng.float(-20, 20), width, y + rng.float(-15, 15));
    ctx.stroke();
  }
}

/** Adds luminance noise (±amplitude) and optionally converts to grey, in place. */
function addNoise(ctx: SKRSContext2D, width: number, height: number, rng: Rng, amplitude: number, grayscale: boolean): void {
  const image = ctx.getImageData(0, 0, width, height);
  const data = image.data;
  for (let i = 0; i < data.length; i += 4) {
    const n = (rng.next() + rng.next() - 1) * amplitude;
    if (grayscale) {
      const grey = 0.299 * (data[i] as number) + 0.587 * (data[i + 1] as number) + 0.114 * (data[i + 2] as number) + n;
      data[i] = data[i + 1] = data[i + 2] = grey;
    } else {
      data[i] = (data[i] as number) + n;
      data[i + 1] = (data[i + 1] as number) + n;
      data[i + 2] = (data[i + 2] as number) + n;
    }
  }
  ctx.putImageData(image, 0, 0);
}

function unevenLight(ctx: SKRSContext2D, width: number, height: number, rng: Rng): void {
  const cx = rng.float(0.2, 0.8) * width;
  const cy = rng.float(0.2, 0.8) * height;
  const gradient = ctx.createRadialGradient(cx, cy, 0, cx, cy, Math.max(width, height) * rng.float(0.7, 1.1));
  gradient.addColorStop(0, `rgba(255,250,235,${rng.float(0.05, 0.16).toFixed(3)})`);
  gradient.addColorStop(1, `rgba(0,0,0,${rng.float(0.12, 0.28).toFixed(3)})`);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);
}

export interface PhotoSize {
  width: number;
  height: number;
}

/** A phone photo of the document lying on a table: tilted up to ±2°, shadowed, unevenly lit, noisy. */
export function photograph(doc: Canvas, rng: Rng, size: PhotoSize): Canvas {
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  paintSurface(ctx, size.width, size.height, rng);
  const fill = rng.float(0.84, 0.92);
  const scale = Math.min((size.width * fill) / doc.width, (size.height * fill) / doc.height);
  const angle = (rng.float(-2, 2) * Math.PI) / 180;
  ctx.save();
  ctx.translate(size.width / 2 + rng.float(-15, 15), size.height / 2 + rng.float(-12, 12));
  ctx.rotate(angle);
  ctx.shadowColor = 'rgba(0,0,0,0.45)';
  ctx.shadowBlur = 18;
  ctx.shadowOffsetX = 6;
  ctx.shadowOffsetY = 8;
  ctx.drawImage(doc, (-doc.width * scale) / 2, (-doc.height * scale) / 2, doc.width * scale, doc.height * scale);
  ctx.restore();
  unevenLight(ctx, size.width, size.height, rng);
  addNoise(ctx, size.width, size.height, rng, rng.float(6, 12), false);
  return canvas;
}

export interface ScanOptions {
  /** Bed margin around the document, as a fraction of its size (0 for full-page documents). */
  margin: number;
  grayscale: boolean;
}

/** A flatbed scan: near-white bed, skew up to ±0.8°, light noise and a few dust specks. */
export function scan(doc: Canvas, rng: Rng, options: ScanOptions): Canvas {
  const width = Math.round(doc.width * (1 + 2 * options.margin));
  const height = Math.round(doc.height * (1 + 2 * options.margin));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = rng.pick(['#f6f6f4', '#f2f3f0', '#fbfaf7']);
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  ctx.translate(width / 2 + rng.float(-6, 6), height / 2 + rng.float(-6, 6));
  ctx.rotate((rng.float(-0.8, 0.8) * Math.PI) / 180);
  const shrink = options.margin > 0 ? 1 : 0.975;
  ctx.drawImage(doc, (-doc.width * shrink) / 2, (-doc.height * shrink) / 2, doc.width * shrink, doc.height * shrink);
  ctx.restore();
  ctx.fillStyle = 'rgba(40,40,40,0.7)';
  for (let i = rng.int(15, 60); i > 0; i--) {
    ctx.beginPath();
    ctx.arc(rng.float(0, width), rng.float(0, height), rng.float(0.5, 1.8), 0, Math.PI * 2);
    ctx.fill();
  }
  addNoise(ctx, width, height, rng, rng.float(3, 8), options.grayscale);
  return canvas;
}

/** A blank page as a scanner sees it: paper tone, noise, a faint edge shadow, nothing to read. */
export function blankScan(rng: Rng, width: number, height: number): Canvas {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f3f2ee';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = 'rgba(0,0,0,0.08)';
  ctx.fillRect(0, 0, width, rng.int(6, 14));
  addNoise(ctx, width, height, rng, 6, true);
  return canvas;
}

export type ImageEncoding = 'png' | 'jpeg' | 'webp';

export async function encodeCanvas(canvas: Canvas, encoding: ImageEncoding, quality = 85): Promise<Uint8Array> {
  const bytes = encoding === 'png' ? canvas.encodeSync('png') : canvas.encodeSync(encoding, quality);
  return new Uint8Array(bytes);
}

/** Greyscale LZW TIFF, as office scanners produce. */
export async function encodeTiff(canvas: Canvas, dpi: number): Promise<Uint8Array> {
  const ctx = canvas.getContext('2d');
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const bytes = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
    raw: { width: canvas.width, height: canvas.height, channels: 4 },
  })
    .removeAlpha()
    .greyscale()
    .tiff({ compression: 'lzw', xres: dpi / 25.4, yres: dpi / 25.4, resolutionUnit: 'inch' })
    .toBuffer();
  return new Uint8Array(bytes);
}
