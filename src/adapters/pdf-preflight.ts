/**
 * A look at a PDF's raw bytes before pdf.js parses it. pdf.js decodes a stream whole into one
 * growing buffer, however large it turns out, so a small file whose streams inflate to gigabytes (a
 * decompression bomb: zlib reaches ~1000:1, LZW ~2700:1, and filters chain) would take the worker's
 * memory with it. Here every stream's expanding filters (Flate, LZW, RunLength, ASCIIHex, ASCII85)
 * are decoded with a cap on the output: a stream past it refuses the whole document. Nothing is kept.
 *
 * What is not the document's fault is reported, not refused (see PreflightReport):
 * - embedded images larger than the pixel limit (the image dictionary, and a JPEG's own frame
 *   header). pdf.js decodes an image only to render its page, and the text layer never needs it: a
 *   text PDF holding a huge image reads; only a page that must be rendered for OCR is refused, by
 *   the engine, with `oversizedImageError`.
 * - the pages the page tree declares. The page limit is the extraction's to apply, on pdf.js's
 *   count (which repairs an absurd `/Count` by walking the tree): a 352-page document is refused for
 *   its pages, and no longer for an image it holds.
 * - encryption that covers only embedded files (PDF 1.6 `/EFF`, with `/StmF` and `/StrF` Identity):
 *   the pages and their text are not encrypted, yet pdf.js asks for the password on opening. The
 *   report's `bytes` then have the trailer's `/Encrypt` entry blanked (same length: every offset
 *   holds), so pdf.js reads the document as what it is; attachments are never read anyway.
 *
 * Streams are found the way pdf.js finds them when a file's cross-reference table is broken: by
 * the `stream` … `endstream` keywords, with `/Length` (direct or an indirect object) trusted when
 * `endstream` follows it. Not covered: streams of an encrypted PDF (unreadable without the key; a
 * PDF that needs a password is refused anyway) and inline images inside content streams.
 */
import { kMaxLength } from 'node:buffer';
import { constants, inflateSync } from 'node:zlib';
import { DocumentTooLargeError } from '../domain/errors.js';

export interface PreflightLimits {
  /** Most bytes any one stream may decode to, at every step of its filter chain. */
  maxStreamBytes: number;
  /** Most pixels an embedded image may declare before it is reported in `oversizedImages`. */
  maxImagePixels: number;
}

export interface OversizedImage {
  width: number;
  height: number;
  /** Where the size is declared. */
  declaredBy: 'image dictionary' | 'JPEG frame header';
}

export interface PreflightReport {
  /** What pdf.js should open: the input itself, or a copy with attachment-only encryption lifted (see above). */
  bytes: Uint8Array;
  /** Pages the page tree declares (its largest `/Count`); undefined when no page tree is readable in the raw bytes. */
  declaredPages: number | undefined;
  /** Embedded images over the pixel limit: a page that must be rendered is refused (oversizedImageError). */
  oversizedImages: OversizedImage[];
  /** The trailer's `/Encrypt` covers embedded files only, and was blanked in `bytes`. */
  encryptedAttachmentsOnly: boolean;
}

/** Throws DocumentTooLargeError when a stream decodes past the cap (a bomb); everything else is reported. */
export function preflightPdf(bytes: Uint8Array, limits: PreflightLimits): PreflightReport {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const file = new RawPdf(buf.toString('latin1')); // one byte per char: string offsets are byte offsets
  const { text } = file;
  const declaredPages = declaredPageCount(text);
  const oversizedImages: OversizedImage[] = [];
  let pos = 0;
  let index = 0;
  for (;;) {
    const keyword = text.indexOf('stream', pos);
    if (keyword < 0) break;
    pos = keyword + 6;
    if (!/[\s>]/.test(text[keyword - 1] ?? '')) continue; // `endstream`, or a word that ends in "stream"
    const start = dataStart(text, keyword + 6);
    if (start === undefined) continue;
    const dict = dictionaryBefore(text, keyword);
    if (dict === undefined) continue;
    const end = dataEnd(file, start, dict);
    index++;
    const image = checkStream(buf.subarray(start, end), dict, file, limits, index);
    if (image) oversizedImages.push(image);
    pos = Math.max(pos, end);
  }
  const encryption = attachmentOnlyEncryption(file);
  return {
    bytes: encryption ? blank(bytes, encryption) : bytes,
    declaredPages,
    oversizedImages,
    encryptedAttachmentsOnly: encryption !== undefined,
  };
}

/**
 * For a page that must be rendered (its text layer is not enough): the refusal when the document
 * holds an image over the pixel limit, else undefined. pdf.js would drop such an image from the
 * rendering (maxImageSize), and OCR would read a page without it and say nothing.
 */
export function oversizedImageError(report: Pick<PreflightReport, 'oversizedImages'>, maxImagePixels: number): DocumentTooLargeError | undefined {
  const image = report.oversizedImages[0];
  if (!image) return undefined;
  const what = image.declaredBy === 'JPEG frame header' ? 'an embedded JPEG' : 'an embedded image';
  return new DocumentTooLargeError(
    `the page must be rendered for OCR, and ${what} of the document declares ${image.width}×${image.height} pixels; the limit is ${maxImagePixels}`,
  );
}

/** The largest `/Count` of a `/Type /Pages` dictionary (the root's, in a sound tree). */
function declaredPageCount(text: string): number | undefined {
  let largest: number | undefined;
  for (const match of text.matchAll(/\/Type\s*\/Pages(?![A-Za-z])/g)) {
    const from = Math.max(text.lastIndexOf('obj', match.index), match.index - 65_536, 0);
    const endobj = text.indexOf('endobj', match.index);
    const to = endobj < 0 ? Math.min(text.length, match.index + 65_536) : Math.min(endobj, match.index + 65_536);
    const count = /\/Count\s+(\d{1,12})\b/.exec(text.slice(from, to));
    if (count) largest = Math.max(largest ?? 0, Number(count[1]));
  }
  return largest;
}

/**
 * The spans of the trailer's `/Encrypt n g R` entries when the encryption dictionary it names leaves
 * streams and strings unencrypted (`/StmF /Identity`, `/StrF /Identity`) and encrypts embedded files
 * (`/EFF` naming a crypt filter). Trailers are the `trailer` dictionaries and cross-reference streams.
 */
function attachmentOnlyEncryption(file: RawPdf): Array<[number, number]> | undefined {
  const { text } = file;
  const spans: Array<[number, number]> = [];
  for (const match of text.matchAll(/\/Encrypt\s+(\d+)\s+(\d+)\s+R\b/g)) {
    const before = text.slice(Math.max(0, match.index - 4096), match.index);
    const inTrailer = /trailer\s*<<(?:(?!>>\s*startxref)[\s\S])*$/.test(before) || /\/Type\s*\/XRef\b/.test(before.slice(before.lastIndexOf('obj')));
    if (!inTrailer) continue;
    const dict = file.resolve(match[1]!, match[2]!, 4096);
    if (!dict || !isAttachmentOnly(dict)) return undefined; // one trailer encrypts the document: it is encrypted
    spans.push([match.index, match.index + match[0].length]);
  }
  return spans.length > 0 ? spans : undefined;
}

function isAttachmentOnly(dict: string): boolean {
  const version = /\/V\s+(\d+)/.exec(dict);
  if (!version || Number(version[1]) < 4) return false;
  const filter = (key: string): string | undefined => new RegExp(`/${key}\\s*/([^\\s/\\[\\]<>()]+)`).exec(dict)?.[1];
  const eff = filter('EFF');
  return filter('StmF') === 'Identity' && filter('StrF') === 'Identity' && eff !== undefined && eff !== 'Identity';
}

function blank(bytes: Uint8Array, spans: ReadonlyArray<[number, number]>): Uint8Array {
  const copy = new Uint8Array(bytes);
  for (const [from, to] of spans) copy.fill(0x20, from, to);
  return copy;
}

/** The file as text, with indirect objects found on demand (one pass, the first time one is needed). */
class RawPdf {
  private objects: Map<string, number> | undefined;
  constructor(readonly text: string) {}

  /** The body of object `num gen`: its last definition (incremental updates append), up to `max` characters. */
  resolve(num: string, gen: string, max = 256): string | undefined {
    if (!this.objects) {
      this.objects = new Map();
      for (const match of this.text.matchAll(/(?<![0-9])(\d+)\s+(\d+)\s+obj\b/g)) {
        this.objects.set(`${Number(match[1])} ${Number(match[2])}`, match.index + match[0].length);
      }
    }
    const at = this.objects.get(`${Number(num)} ${Number(gen)}`);
    if (at === undefined) return undefined;
    const body = this.text.slice(at, at + max);
    const end = body.indexOf('endobj');
    return (end < 0 ? body : body.slice(0, end)).trim();
  }
}

/** After `stream`: CRLF, LF or a lone CR (tolerated by pdf.js), then the data. */
function dataStart(text: string, at: number): number | undefined {
  if (text[at] === '\r') return text[at + 1] === '\n' ? at + 2 : at + 1;
  if (text[at] === '\n') return at + 1;
  return undefined;
}

/** The stream's dictionary: from the `obj` keyword that opens its object (within 1 MiB) up to `stream`. */
function dictionaryBefore(text: string, keyword: number): string | undefined {
  const obj = text.lastIndexOf('obj', keyword);
  if (obj < 0 || keyword - obj > 1024 * 1024 || text.startsWith('end', obj - 3)) return undefined;
  return text.slice(obj + 3, keyword);
}

function dataEnd(file: RawPdf, start: number, dict: string): number {
  const { text } = file;
  const length = integerEntry(dict, 'Length', file);
  if (length !== undefined && start + length <= text.length && /^\s*endstream/.test(text.slice(start + length, start + length + 32))) {
    return start + length;
  }
  const end = text.indexOf('endstream', start);
  return end < 0 ? text.length : end;
}

/** Decodes the stream's expanding filters under the cap (throws past it); answers an oversized image. */
function checkStream(data: Buffer, dict: string, text: RawPdf, limits: PreflightLimits, index: number): OversizedImage | undefined {
  let oversized: OversizedImage | undefined;
  if (/\/Subtype\s*\/Image\b/.test(dict)) {
    const width = integerEntry(dict, 'Width', text) ?? integerEntry(dict, 'W', text);
    const height = integerEntry(dict, 'Height', text) ?? integerEntry(dict, 'H', text);
    if (width !== undefined && height !== undefined && width * height > limits.maxImagePixels) {
      oversized = { width, height, declaredBy: 'image dictionary' };
    }
  }
  const filters = filterNames(dict, text);
  assertPredictorRow(dict, text, limits.maxStreamBytes, index);
  const earlyChange = integerEntry(dict, 'EarlyChange', text) ?? 1;
  let current: Uint8Array = data;
  for (const filter of filters) {
    const cap = limits.maxStreamBytes;
    switch (filter) {
      case 'FlateDecode':
      case 'Fl':
        current = inflateCapped(current, cap, index);
        break;
      case 'LZWDecode':
      case 'LZW':
        current = lzwDecode(current, earlyChange !== 0, cap, index);
        break;
      case 'RunLengthDecode':
      case 'RL':
        current = runLengthDecode(current, cap, index);
        break;
      case 'ASCIIHexDecode':
      case 'AHx':
        current = asciiHexDecode(current);
        break;
      case 'ASCII85Decode':
      case 'A85':
        current = ascii85Decode(current, cap, index);
        break;
      case 'DCTDecode':
      case 'DCT': {
        const frame = jpegFrameSize(current);
        if (frame && frame.width * frame.height > limits.maxImagePixels) return oversized ?? { ...frame, declaredBy: 'JPEG frame header' };
        return oversized;
      }
      default:
        return oversized; // image codecs whose output pdf.js bounds by the declared size, or unknown: stop here
    }
  }
  return oversized;
}

/**
 * A PNG or TIFF predictor makes pdf.js allocate a whole row, `Columns × Colors × BitsPerComponent`
 * bits, whatever little data follows: a few bytes declaring 60 million columns ask for a quarter
 * gigabyte per stream. Such a row is held to the stream cap.
 */
function assertPredictorRow(dict: string, file: RawPdf, cap: number, index: number): void {
  const predictor = integerEntry(dict, 'Predictor', file);
  if (predictor === undefined || predictor <= 1) return;
  const columns = integerEntry(dict, 'Columns', file) ?? 1;
  const colors = integerEntry(dict, 'Colors', file) ?? 1;
  const bits = integerEntry(dict, 'BitsPerComponent', file) ?? 8;
  const rowBytes = Math.ceil((columns * colors * bits) / 8);
  if (rowBytes > cap) {
    throw new DocumentTooLargeError(`stream ${index} of the PDF declares predictor rows of ${rowBytes} bytes; the limit is ${cap} (a decompression bomb?)`);
  }
}

function tooLarge(index: number, cap: number): DocumentTooLargeError {
  return new DocumentTooLargeError(`stream ${index} of the PDF decompresses to more than ${cap} bytes (a decompression bomb?)`);
}

// --- dictionary entries ----------------------------------------------------------------------------

/** `/Key 123` or `/Key 12 0 R` (resolved to the integer that object holds). */
function integerEntry(dict: string, key: string, file: RawPdf): number | undefined {
  const match = new RegExp(`/${key}\\s+(\\d+)(?:\\s+(\\d+)\\s+R\\b)?`).exec(dict);
  if (!match) return undefined;
  if (match[2] === undefined) return Number(match[1]);
  const value = file.resolve(match[1]!, match[2]);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** `/Filter /Name`, `/Filter [/A /B]`, or either through an indirect object. */
function filterNames(dict: string, file: RawPdf): string[] {
  const match = /\/Filter\s*(\[[^\]]*\]|\/[^\s/[\]<>()]+|\d+\s+\d+\s+R\b)/.exec(dict);
  if (!match) return [];
  let value = match[1]!;
  const ref = /^(\d+)\s+(\d+)\s+R$/.exec(value);
  if (ref) value = file.resolve(ref[1]!, ref[2]!) ?? '';
  return Array.from(value.matchAll(/\/([^\s/[\]<>()]+)/g), (m) => m[1]!);
}

// --- capped decoders ---------------------------------------------------------------------------------

function inflateCapped(data: Uint8Array, cap: number, index: number): Uint8Array {
  try {
    // SYNC_FLUSH: a truncated stream yields what it has, as pdf.js's own inflater does. A cap past
    // the largest buffer Node can make (a raised MAX_PIXELS) is an invalid option: no stream gets
    // past that size in pdf.js either.
    return inflateSync(data, { maxOutputLength: Math.min(cap, kMaxLength), finishFlush: constants.Z_SYNC_FLUSH });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooLarge(index, cap);
    return new Uint8Array(0); // corrupt: pdf.js fails on it the same way; nothing to measure
  }
}

/** A growable output that refuses to pass the cap. */
class Output {
  private buffer = new Uint8Array(4096);
  length = 0;
  constructor(
    private readonly cap: number,
    private readonly index: number,
  ) {}
  push(byte: number): void {
    this.reserve(1);
    this.buffer[this.length++] = byte;
  }
  pushRun(source: Uint8Array, count: number): void {
    this.reserve(count);
    this.buffer.set(source.subarray(0, count), this.length);
    this.length += count;
  }
  fill(byte: number, count: number): void {
    this.reserve(count);
    this.buffer.fill(byte, this.length, this.length + count);
    this.length += count;
  }
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
  private reserve(count: number): void {
    const needed = this.length + count;
    if (needed > this.cap) throw tooLarge(this.index, this.cap);
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(Math.min(size, this.cap));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}

/** LZW as in PDF (ISO 32000-1 7.4.4): 9–12-bit codes, 256 clears, 257 ends. */
function lzwDecode(data: Uint8Array, earlyChange: boolean, cap: number, index: number): Uint8Array {
  const out = new Output(cap, index);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const lengths = new Uint32Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    lengths[i] = 1;
    prefix[i] = -1;
  }
  const scratch = new Uint8Array(4096);
  let next = 258;
  let width = 9;
  let previous = -1;
  let bitBuffer = 0;
  let bits = 0;
  let at = 0;
  const write = (code: number): number => {
    const length = lengths[code]!;
    for (let c = code, i = length - 1; i >= 0; i--, c = prefix[c]!) scratch[i] = suffix[c]!;
    out.pushRun(scratch, length);
    return scratch[0]!;
  };
  for (;;) {
    while (bits < width && at < data.length) {
      bitBuffer = ((bitBuffer << 8) | data[at++]!) >>> 0;
      bits += 8;
    }
    if (bits < width) break;
    const code = (bitBuffer >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    bitBuffer &= (1 << bits) - 1;
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      width = 9;
      previous = -1;
      continue;
    }
    let first: number;
    if (code < next && (code < 256 || lengths[code]! > 0)) {
      first = write(code);
    } else if (code === next && previous >= 0) {
      // The KwKwK case: the previous string plus its own first byte.
      const head = write(previous);
      out.push(head);
      first = head;
    } else {
      break; // invalid code: pdf.js stops here too
    }
    if (previous >= 0 && next < 4096) {
      prefix[next] = previous;
      suffix[next] = first;
      lengths[next] = lengths[previous]! + 1;
      next++;
    }
    previous = code;
    const limit = next + (earlyChange ? 1 : 0);
    width = limit >= 2048 ? 12 : limit >= 1024 ? 11 : limit >= 512 ? 10 : 9;
  }
  return out.bytes();
}

function runLengthDecode(data: Uint8Array, cap: number, index: number): Uint8Array {
  const out = new Output(cap, index);
  for (let i = 0; i < data.length; ) {
    const n = data[i++]!;
    if (n === 128) break;
    if (n < 128) {
      const run = data.subarray(i, i + n + 1);
      out.pushRun(run, run.length);
      i += n + 1;
    } else if (i < data.length) {
      out.fill(data[i++]!, 257 - n);
    }
  }
  return out.bytes();
}

function asciiHexDecode(data: Uint8Array): Uint8Array {
  const digits = Buffer.from(data).toString('latin1').split('>')[0]!.replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(digits.length % 2 === 0 ? digits : `${digits}0`, 'hex');
}

function ascii85Decode(data: Uint8Array, cap: number, index: number): Uint8Array {
  const out = new Output(cap, index);
  const group: number[] = [];
  const flush = (count: number): void => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    for (let i = 0; i < count; i++) out.push(Math.floor(value / 256 ** (3 - i)) % 256);
    group.length = 0;
  };
  for (const byte of data) {
    if (byte === 0x7e) break; // ~> ends the data
    if (byte === 0x7a && group.length === 0) {
      out.fill(0, 4); // 'z': four zero bytes
      continue;
    }
    if (byte < 0x21 || byte > 0x75) continue;
    group.push(byte - 0x21);
    if (group.length === 5) flush(4);
  }
  if (group.length > 1) flush(group.length - 1);
  return out.bytes();
}

/** Width and height from a JPEG's first SOF marker, if the header is readable. */
export function jpegFrameSize(data: Uint8Array): { width: number; height: number } | undefined {
  if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (data[at + 2]! << 8) | data[at + 3]!;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: (data[at + 5]! << 8) | data[at + 6]!, width: (data[at + 7]! << 8) | data[at + 8]! };
    if (marker === 0xd9 || marker === 0xda) return undefined;
    at += 2 + length;
  }
  return undefined;
}
