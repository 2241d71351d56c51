/**
 * Page geometry on encoded images (JPEG, PNG, TIFF, WebP) with sharp, for steps that re-read a
 * document at another rotation or scale (the corroboration loop): EXIF orientation is always
 * applied first; the estimates themselves are the pure functions of src/domain/geometry.ts.
 * Extraction uses those directly on the page images it already holds.
 */
import sharp from 'sharp';
import type { OcrImage } from '../domain/extraction-ports.js';
import { estimateTextDirection, rotateSmallAngle, straightenPage, type GrayImage, type PageGeometry } from '../domain/geometry.js';
import { encodePgm } from '../domain/pgm.js';

/** Long side below which `upscaleIfSmall` enlarges (a 280 px web image of a card is far below it). */
export const MIN_LONG_SIDE = 1200;
/**
 * Largest enlargement, as extraction's own: measured on drawn ID cards shrunk to 200–280 px wide
 * (JPEG quality 60 and 85), 3× read every MRZ's number, dates and names; 4× read no more (two
 * fewer dates at quality 60), and OCR time grows with the pixels.
 */
export const MAX_UPSCALE = 3;

export interface DecodeOptions {
  /** 0-based page of a multi-page TIFF. */
  page?: number;
  /** Refuse to decode more input pixels than this. Default 50 million. */
  maxPixels?: number;
}

/** Decodes one page to 8-bit grayscale with its EXIF orientation applied and transparency on white. */
export async function decodeGray(bytes: Uint8Array, options: DecodeOptions = {}): Promise<GrayImage> {
  const { data, info } = await sharp(bytes, { page: options.page ?? 0, limitInputPixels: options.maxPixels ?? 50_000_000 })
    .rotate()
    .flatten({ background: '#ffffff' })
    .grayscale()
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** The image turned `degrees` clockwise (any angle; EXIF applied first; uncovered corners white), as PNG. */
export async function rotateImage(bytes: Uint8Array, degrees: number): Promise<Buffer> {
  // Two pipelines: sharp applies one rotate per pipeline, and the first one applies EXIF.
  const upright = await sharp(bytes).rotate().png().toBuffer();
  return sharp(upright).rotate(degrees, { background: '#ffffff' }).png().toBuffer();
}

/** The factor `upscaleIfSmall` applies to an image of this size: towards MIN_LONG_SIDE, at most MAX_UPSCALE. */
export function upscaleFactor(width: number, height: number, minLongSide = MIN_LONG_SIDE): number {
  return Math.max(1, Math.min(MAX_UPSCALE, minLongSide / Math.max(width, height, 1)));
}

/** Enlarges a small image (lanczos3) so its long side reaches `minLongSide`, up to MAX_UPSCALE; EXIF applied; PNG. */
export async function upscaleIfSmall(bytes: Uint8Array, minLongSide = MIN_LONG_SIDE): Promise<{ image: Buffer; scale: number }> {
  const upright = sharp(await sharp(bytes).rotate().png().toBuffer());
  const meta = await upright.metadata();
  const scale = upscaleFactor(meta.width ?? 0, meta.height ?? 0, minLongSide);
  if (scale === 1) return { image: await upright.png().toBuffer(), scale };
  const width = Math.round((meta.width ?? 0) * scale);
  return { image: await upright.resize({ width, kernel: 'lanczos3' }).png().toBuffer(), scale };
}

/**
 * The page as OCR should see it: EXIF applied, enlarged if small, a document on a background
 * flattened, a page on its side turned a quarter, tilt removed (src/domain/geometry.ts
 * straightenPage). Which way is up between 0° and 180° needs a reading: turn the result 180° with
 * rotateQuarter and compare readings, as extraction does.
 */
export async function orientImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<{ image: OcrImage; geometry: PageGeometry }> {
  const { image: enlarged, scale } = await upscaleIfSmall(bytes);
  const straight = straightenPage(await decodeGray(enlarged, options));
  const { pixels, width, height } = straight.image;
  return { image: { image: encodePgm(pixels, width, height), width, height }, geometry: { ...straight.geometry, scale } };
}

/** The image with its text lines' tilt rotated out (EXIF applied first), as PNG, and the tilt found (clockwise degrees). */
export async function deskewImage(bytes: Uint8Array): Promise<{ image: Buffer; skewDeg: number }> {
  const gray = await decodeGray(bytes);
  const direction = estimateTextDirection(gray);
  const skewDeg = direction?.skewDeg ?? 0;
  const out = skewDeg === 0 ? gray : rotateSmallAngle(gray, -skewDeg);
  const image = await sharp(out.pixels, { raw: { width: out.width, height: out.height, channels: 1 } }).png().toBuffer();
  return { image, skewDeg };
}
