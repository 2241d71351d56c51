import type { FileKind } from './documents.js';
import { UnsupportedFileTypeError } from './errors.js';

/** Readers accept a PDF header anywhere in the first KiB (junk before it is common in scanner output). */
const PDF_HEADER_WINDOW = 1024;

/**
 * The file's format from its magic bytes, never from its name or declared MIME type.
 * Throws UnsupportedFileTypeError for empty files and anything that is not PDF, PNG, JPEG, TIFF or WebP.
 */
export function detectFileKind(bytes: Uint8Array): FileKind {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (indexOf(bytes, ascii('%PDF-'), PDF_HEADER_WINDOW) >= 0 || isHeaderlessPdf(bytes)) return 'pdf';
  throw new UnsupportedFileTypeError(
    bytes.length === 0 ? 'the file is empty' : 'the file is not a PDF, PNG, JPEG, TIFF or WebP',
  );
}

/**
 * A PDF whose `%PDF-` line was lost (pdf.js and poppler read it): after comment lines at most, the
 * file opens with an indirect object, `1 0 obj`. Plain text and other formats do not.
 */
function isHeaderlessPdf(bytes: Uint8Array): boolean {
  const head = Array.from(bytes.subarray(0, PDF_HEADER_WINDOW), (b) => String.fromCharCode(b)).join('');
  return /^(?:\s*%[^\r\n]*[\r\n]+)*\s*\d{1,10}\s+\d{1,5}\s+obj\b/.test(head);
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

function indexOf(bytes: Uint8Array, needle: readonly number[], window: number): number {
  const last = Math.min(bytes.length, window) - needle.length;
  for (let i = 0; i <= last; i++) if (startsWith(bytes, needle, i)) return i;
  return -1;
}
