import sharp from 'sharp';
import { DocumentTooLargeError, UnreadableDocumentError } from '../domain/errors.js';
import type { ImageInfo, ImagePreprocessor, OcrImage, PrepareImageOptions } from '../domain/extraction-ports.js';

/**
 * Image preparation for OCR with sharp (libvips): EXIF orientation, white behind transparency,
 * grayscale, upscaling, contrast stretch. Output is PGM: OCR reads it without a compress/decompress
 * round trip, which costs more than the preparation itself.
 */
export function createSharpPreprocessor(): ImagePreprocessor {
  return {
    async inspect(bytes: Uint8Array): Promise<ImageInfo> {
      try {
        // Header only: nothing is decoded, so the pixel limit is checked by the caller from these numbers.
        const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
        if (!meta.width || !meta.height) throw new Error('no dimensions in the image header');
        return { width: meta.width, height: meta.height, pages: meta.pages ?? 1 };
      } catch (err) {
        throw toDomainError(err);
      }
    },

    async prepare(bytes: Uint8Array, { page, scale, maxPixels }: PrepareImageOptions): Promise<OcrImage> {
      try {
        let pipeline = sharp(bytes, { page, limitInputPixels: maxPixels, failOn: 'error' })
          .rotate() // EXIF orientation; the output carries no orientation tag for OCR to apply again
          .flatten({ background: '#ffffff' })
          .grayscale();
        if (scale > 1) {
          const meta = await sharp(bytes, { page, limitInputPixels: false }).metadata();
          const longSide = Math.round(Math.max(meta.width ?? 0, meta.height ?? 0) * scale);
          pipeline = pipeline.resize({ width: longSide, height: longSide, fit: 'inside', kernel: 'lanczos3' });
        }
        const { data, info } = await pipeline
          .normalise()
          .raw()
          .toBuffer({ resolveWithObject: true });
        if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
        return { image: encodePgm(data, info.width, info.height), width: info.width, height: info.height };
      } catch (err) {
        throw toDomainError(err);
      }
    },
  };
}

/** Binary PGM (P5): a short text header, then one byte per pixel. */
function encodePgm(gray: Uint8Array, width: number, height: number): Uint8Array {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  return Buffer.concat([header, gray]);
}

function toDomainError(err: unknown): Error {
  if (err instanceof UnreadableDocumentError || err instanceof DocumentTooLargeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return new DocumentTooLargeError('the image has too many pixels', { cause: err });
  return new UnreadableDocumentError('the image cannot be decoded', { cause: err });
}
