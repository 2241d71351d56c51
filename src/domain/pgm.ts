/**
 * Binary PGM (P5): a short text header, then one byte per pixel. The image format handed to OCR:
 * it needs no compress/decompress round trip, and cropping it is a matter of slicing rows.
 */
import type { OcrImage } from './extraction-ports.js';
import type { OcrRect } from './ports.js';

export function pgmHeader(width: number, height: number): Uint8Array {
  return new TextEncoder().encode(`P5\n${width} ${height}\n255\n`);
}

export function encodePgm(gray: Uint8Array, width: number, height: number): Uint8Array {
  const header = pgmHeader(width, height);
  const out = new Uint8Array(header.length + gray.length);
  out.set(header);
  out.set(gray, header.length);
  return out;
}

/** The pixels of a P5 image produced by `encodePgm` (single-space header, maxval 255). */
export function pgmPixels(image: OcrImage): Uint8Array {
  const headerLength = pgmHeader(image.width, image.height).length;
  return image.image.subarray(headerLength, headerLength + image.width * image.height);
}

/** A region of a PGM image, enlarged `scale` times (nearest neighbour) for small print. */
export function cropPgm(image: OcrImage, rect: OcrRect, scale = 1): OcrImage {
  const pixels = pgmPixels(image);
  const left = clamp(Math.floor(rect.left), 0, image.width - 1);
  const top = clamp(Math.floor(rect.top), 0, image.height - 1);
  const width = clamp(Math.ceil(rect.width), 1, image.width - left);
  const height = clamp(Math.ceil(rect.height), 1, image.height - top);
  const s = Math.max(1, Math.round(scale));
  const outWidth = width * s;
  const gray = new Uint8Array(outWidth * height * s);
  for (let y = 0; y < height * s; y++) {
    const row = (top + Math.floor(y / s)) * image.width + left;
    for (let x = 0; x < outWidth; x++) gray[y * outWidth + x] = pixels[row + Math.floor(x / s)]!;
  }
  return { image: encodePgm(gray, outWidth, height * s), width: outWidth, height: height * s };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
