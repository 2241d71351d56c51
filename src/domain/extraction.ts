/**
 * Text extraction as logic over ports: detect the format, read each PDF page's text layer, and OCR
 * what has none (scans, photos). Engines are reached only through the ports passed in.
 */
import type { FileKind, PageError, PageText } from './documents.js';
import { DocumentTooComplexError, DocumentTooLargeError, KycError, PageTimeoutError, UnreadableDocumentError } from './errors.js';
import type { ImagePreprocessor, OcrImage, PdfDocument, PdfEngine, TextRun } from './extraction-ports.js';
import { detectFileKind } from './file-kind.js';
import { cleanMrzLine, combineMrzReadings, detectMrz, MRZ_LAYOUTS, type MrzFormat } from './mrz/index.js';
import { addQuarterTurns, rotateQuarter, straightenPage, type GrayImage, type PageGeometry, type QuarterTurn } from './geometry.js';
import { cropPgm, encodePgm, pgmPixels } from './pgm.js';
import type { OcrEngine, OcrLine, OcrRect } from './ports.js';

export type { ImagePreprocessor, PdfEngine } from './extraction-ports.js';

export interface ExtractionPorts {
  ocr: OcrEngine;
  pdf: PdfEngine;
  image: ImagePreprocessor;
}

export interface ExtractionLimits {
  maxBytes: number;
  maxPages: number;
  /** Largest image we decode, and the render budget of one PDF page. */
  maxPixels: number;
  /**
   * Time limit of each step that parses, renders or OCRs: opening the document, then each page
   * (text layer, rendering and OCR together). A step over it is cut off with PageTimeoutError.
   */
  pageTimeoutMs: number;
}

export const DEFAULT_EXTRACTION_LIMITS: Readonly<ExtractionLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxPages: 200,
  maxPixels: 50_000_000,
  pageTimeoutMs: 60_000,
});

export interface ExtractionOptions extends Partial<ExtractionLimits> {
  /** Called after each finished page with the number of pages done so far. */
  onPage?: (progress: { page: number; total: number }) => void;
  signal?: AbortSignal;
  /** A PDF page whose text layer has fewer letters and digits than this is OCR'd instead. Default 10. */
  minTextChars?: number;
  /**
   * A PDF page whose text layer's runs cover less than this share of the page (0..1) is OCR'd too,
   * however many characters it has: a scanned statement with a searchable footer. The richer of the
   * two readings is kept (see `richerReading`). Default 0.02: a full text page covers 20–50 %, a
   * letter of a few paragraphs 5–10 %, one footer line under 1 %.
   */
  minTextCoverage?: number;
  /** Resolution at which text-less PDF pages are rendered for OCR. Default 300. */
  renderDpi?: number;
  /** Pages worked on at once: rendering one page while another is OCR'd keeps a 2-worker pool busy. Default 2. */
  concurrency?: number;
  /** Milliseconds clock for `durationMs`. Default Date.now. */
  now?: () => number;
}

export interface ExtractedText {
  fileKind: FileKind;
  /** The pages read, in order; a PDF page that could not be read is missing here and listed in `pageErrors`. */
  pages: PageText[];
  /** PDF pages that could not be read (the others were kept); absent when every page read. */
  pageErrors?: PageError[];
}

/** Below this a rendered page is too coarse to OCR: the page is absurdly large instead. */
const MIN_RENDER_DPI = 100;
/**
 * Photos whose long side is shorter than this are upscaled. Measured (README, Speed): 2000 px cost a
 * card photo of 1200 px three times the pixels and no accuracy; tesseract reads its text as it is.
 */
const IMAGE_TARGET_LONG_SIDE = 1200;
const MAX_IMAGE_UPSCALE = 3;
/**
 * An image whose plain reading has a lower mean confidence than this is read again with its paper
 * whitened. Clean scans and card photos read at 0.8–0.95; a shaded photo that defeats the global
 * threshold reads as little or nothing.
 */
const WHITEN_BELOW_CONFIDENCE = 0.6;
/**
 * The same for an image that was deskewed or flattened: resampling a noisy photo leaves grain that
 * Tesseract reads as word fragments at ~0.65 confidence where the unresampled image read nothing
 * (measured on a drawn photo tilted 3°), so the whitened reading is tried up to a higher confidence.
 */
const WHITEN_BELOW_CONFIDENCE_RESAMPLED = 0.8;

function whitenBelow(geometry: PageGeometry): number {
  return geometry.skewDeg !== 0 || geometry.perspective ? WHITEN_BELOW_CONFIDENCE_RESAMPLED : WHITEN_BELOW_CONFIDENCE;
}
const PAGE_PSM = 3;
const MRZ_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
/** A single text line. */
const LINE_PSM = 7;
/**
 * The MRZ band is OCR'd again restricted to the MRZ alphabet, in these ways until one reading's
 * check digits all agree. Each way misreads different bands (fillers lost, a digit doubled), so a
 * second or third reading rescues most of the first one's failures. A fourth way (`--psm 4`, a
 * single column) rescued none of 180 zones of 210 generated identity documents, and the eval scored
 * the same without it: it cost ~80 ms on each zone no reading could save.
 */
const MRZ_READS: ReadonlyArray<{ psm: number; scale: number }> = [
  { psm: 6, scale: 1 }, // one uniform block
  { psm: 11, scale: 1 }, // sparse text: survives a band that also holds photo edges or guilloche
  { psm: 6, scale: 2 }, // enlarged: small print
];

/**
 * Reads a document's text page by page. Throws UnsupportedFileTypeError, UnreadableDocumentError,
 * EncryptedDocumentError, DocumentTooLargeError or PageTimeoutError (all non-retryable), or
 * `signal.reason` when aborted.
 */
export async function extractDocumentText(
  bytes: Uint8Array,
  ports: ExtractionPorts,
  options: ExtractionOptions = {},
): Promise<ExtractedText> {
  const settings = withDefaults(options);
  options.signal?.throwIfAborted();
  if (bytes.length > settings.maxBytes) {
    throw new DocumentTooLargeError(`the file has more bytes than the limit; the limit is ${settings.maxBytes}`);
  }
  const fileKind = detectFileKind(bytes);
  if (fileKind !== 'pdf') return { fileKind, pages: await extractImage(bytes, fileKind, ports, settings) };
  const { pages, pageErrors } = await extractPdf(bytes, ports, settings);
  return { fileKind, pages, ...(pageErrors.length > 0 ? { pageErrors } : {}) };
}

type Settings = Required<Omit<ExtractionOptions, 'onPage' | 'signal'>> & Pick<ExtractionOptions, 'onPage' | 'signal'>;

function withDefaults(o: ExtractionOptions): Settings {
  return {
    maxBytes: o.maxBytes ?? DEFAULT_EXTRACTION_LIMITS.maxBytes,
    maxPages: o.maxPages ?? DEFAULT_EXTRACTION_LIMITS.maxPages,
    maxPixels: o.maxPixels ?? DEFAULT_EXTRACTION_LIMITS.maxPixels,
    pageTimeoutMs: o.pageTimeoutMs ?? DEFAULT_EXTRACTION_LIMITS.pageTimeoutMs,
    minTextChars: o.minTextChars ?? 10,
    minTextCoverage: o.minTextCoverage ?? 0.02,
    renderDpi: o.renderDpi ?? 300,
    concurrency: o.concurrency ?? 2,
    now: o.now ?? Date.now,
    onPage: o.onPage,
    signal: o.signal,
  };
}

/**
 * Resolution of a second reading after a page's render went over the engine's memory limit: a page
 * pdf.js composites through soft masks can need 2.2 GiB at 300 dpi and 0.7 GiB at 150 dpi
 * (bug1703683_page2_reduced.pdf). 150 dpi still reads 10 pt print; a bomb fails again and is refused.
 */
const LOW_MEMORY_RENDER_DPI = 150;

async function extractPdf(bytes: Uint8Array, ports: ExtractionPorts, settings: Settings): Promise<{ pages: PageText[]; pageErrors: PageError[] }> {
  const marks = { renderOverMemory: false };
  try {
    return await extractPdfOnce(bytes, ports, settings, marks);
  } catch (err) {
    if (!(err instanceof DocumentTooComplexError) || !marks.renderOverMemory || settings.renderDpi <= LOW_MEMORY_RENDER_DPI) throw err;
    // The engine killed the document's reader during a render: read it once more, rendering smaller.
    return extractPdfOnce(bytes, ports, { ...settings, renderDpi: LOW_MEMORY_RENDER_DPI }, { renderOverMemory: false });
  }
}

async function extractPdfOnce(
  bytes: Uint8Array,
  ports: ExtractionPorts,
  settings: Settings,
  marks: { renderOverMemory: boolean },
): Promise<{ pages: PageText[]; pageErrors: PageError[] }> {
  // The open's time counts from when the engine starts on it, not while it waits for a reader.
  const doc = await withinPageTime('opening the PDF', settings, (signal, clock) => ports.pdf.open(bytes, { signal, onWait: clock.pause, onStart: clock.start }), {
    dispose: (late) => void late.close().catch(() => {}),
  });
  try {
    assertPageCount(doc.pageCount, settings.maxPages);
    // Once every page has had its text layer read and its render done, the document is closed, so
    // the engine's reader goes to the next document while these pages are still OCR'd.
    let pdfDone = 0;
    const pdfPartDone = (): void => {
      if (++pdfDone === doc.pageCount) void doc.close().catch(() => {});
    };
    // A page pdf.js cannot parse, or one that must be rendered and cannot be within the limits (an
    // absurd page size, an embedded image over MAX_PIXELS), fails alone; its neighbours are kept.
    const failed: KycError[] = [];
    const isPageError = (err: unknown): boolean => {
      const pageLevel = err instanceof UnreadableDocumentError || err instanceof DocumentTooLargeError;
      if (pageLevel) failed.push(err);
      return pageLevel;
    };
    const result = await forEachPage(doc.pageCount, settings, (n, signal, clock) => extractPdfPage(doc, n, clocked(ports.ocr, clock), settings, signal, pdfPartDone, marks), { isPageError });
    if (result.pages.length === 0 && failed.length > 0) {
      // Nothing read: the document fails, by its pages' cause when that is more than "unreadable".
      throw failed.find((e) => !(e instanceof UnreadableDocumentError)) ?? new UnreadableDocumentError(`none of the PDF's ${doc.pageCount} pages can be read`);
    }
    return result;
  } finally {
    // Bounded: an engine still busy with a page that was cut off must not hold the activity.
    await settle(doc.close(), settings.pageTimeoutMs);
  }
}

async function extractPdfPage(
  doc: PdfDocument,
  n: number,
  ocr: OcrEngine,
  settings: Settings,
  signal: AbortSignal,
  pdfPartDone: () => void,
  marks: { renderOverMemory: boolean },
): Promise<PageText> {
  const started = settings.now();
  let layer: PageText | undefined;
  let image: OcrImage;
  // The PDF engine's part: text layer, and the render when the page is to be OCR'd.
  try {
    const page = await doc.getPage(n);
    try {
      const runs = await page.textRuns();
      const text = joinTextRuns(runs);
      const chars = countLettersAndDigits(text);
      if (chars >= settings.minTextChars) {
        layer = { page: n, text, confidence: 1, method: 'pdf-text', durationMs: settings.now() - started };
        if (textCoverage(runs, page) >= settings.minTextCoverage) return layer;
      }
      try {
        const dpi = renderDpiFor(page, settings.renderDpi, settings.maxPixels);
        signal.throwIfAborted();
        image = await page.render(dpi, signal);
      } catch (err) {
        if (err instanceof DocumentTooComplexError) marks.renderOverMemory = true;
        // A sparse text layer is kept when the page cannot be rendered for OCR.
        if (layer && isRecoverable(err, signal)) return layer;
        throw err;
      }
    } finally {
      page.release();
    }
  } finally {
    pdfPartDone();
  }
  try {
    const upright = straighten(image, 1);
    const first = await ocrPage(n, upright, ocr, settings, started, signal);
    const read = await readTurnedIfPoor(n, upright, first, ocr, settings, started, signal);
    return layer ? richerReading(layer, read) : read;
  } catch (err) {
    if (layer && isRecoverable(err, signal)) return layer;
    throw err;
  }
}

/**
 * Share of the page (0..1) the text layer's runs cover: each run's advance width times its font
 * size, clipped to the page. Invisible OCR layers of searchable scans cover what the scan shows.
 */
export function textCoverage(runs: readonly TextRun[], page: { width: number; height: number }): number {
  const area = page.width * page.height;
  if (!(area > 0)) return 0;
  let covered = 0;
  for (const run of runs) {
    if (run.text.trim() === '') continue;
    covered += Math.min(Math.abs(run.width), page.width) * Math.min(Math.abs(run.height), page.height);
  }
  return Math.min(1, covered / area);
}

/**
 * A page with both a sparse text layer and an OCR reading keeps one of them, never both (the
 * layer's words are printed on the page, so OCR reads them too): the OCR reading when it holds
 * clearly more (over 1.5× the layer's letters and digits, plus 10), else the exact text layer.
 * An MRZ the OCR found is kept either way.
 */
export function richerReading(layer: PageText, ocr: PageText): PageText {
  const layerChars = countLettersAndDigits(layer.text);
  if (countLettersAndDigits(ocr.text) > layerChars * 1.5 + 10) return ocr;
  return { ...layer, ...(ocr.mrzText ? { mrzText: ocr.mrzText } : {}), durationMs: ocr.durationMs ?? layer.durationMs };
}

/** An OCR attempt on a page that already has a text layer failed on its own: the layer stands. Time limits, aborts and memory do not. */
function isRecoverable(err: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return false;
  return !(err instanceof KycError) || err instanceof UnreadableDocumentError || err instanceof DocumentTooLargeError;
}

async function extractImage(
  bytes: Uint8Array,
  fileKind: FileKind,
  ports: ExtractionPorts,
  settings: Settings,
): Promise<PageText[]> {
  const info = await withinPageTime('reading the image header', settings, () => ports.image.inspect(bytes));
  const pixels = info.width * info.height;
  if (pixels > settings.maxPixels) {
    throw new DocumentTooLargeError(`the image has ${pixels} pixels; the limit is ${settings.maxPixels}`);
  }
  // Only TIFF pages are pages; the frames of an animated WebP are not.
  const pageCount = fileKind === 'tiff' ? info.pages : 1;
  assertPageCount(pageCount, settings.maxPages);
  const scale = imageUpscale(info.width, info.height, settings.maxPixels);
  return forEachPage(pageCount, settings, async (n, signal, clock) => {
    const ocr = clocked(ports.ocr, clock);
    const started = settings.now();
    const prepare = async (whiten: boolean): Promise<UprightImage> =>
      straighten(await ports.image.prepare(bytes, { page: n - 1, scale, maxPixels: settings.maxPixels, whiten }), scale);
    const plainImage = await prepare(false);
    const plain = await ocrPage(n, plainImage, ocr, settings, started, signal);
    if (plain.confidence >= whitenBelow(plainImage.geometry)) return plain;
    // Read badly as it is (a photo in uneven light defeats Tesseract's global threshold): again, whitened.
    const whitenedImage = await prepare(true);
    const whitened = await ocrPage(n, whitenedImage, ocr, settings, started, signal);
    const [best, bestImage] = whitened.confidence > plain.confidence ? [whitened, whitenedImage] : [plain, plainImage];
    // Still poor: perhaps upside down.
    return readTurnedIfPoor(n, bestImage, best, ocr, settings, started, signal);
  });
}

/** A page image made upright for OCR and what was done to it. */
export interface UprightImage {
  image: OcrImage;
  geometry: PageGeometry;
  /** Text lines were seen, so reading it turned can tell which way is up. */
  hasText: boolean;
}

/** Flattens, turns sideways pages a quarter and deskews (see straightenPage), before OCR. */
export function straighten(image: OcrImage, scale: number): UprightImage {
  if (!isPgm(image)) return { image, geometry: { rotation: 0, skewDeg: 0, perspective: false, scale: round2(scale) }, hasText: false };
  const gray = grayOf(image);
  const straight = straightenPage(gray);
  return {
    image: straight.image === gray ? image : ocrImageOf(straight.image, image.dpi),
    geometry: { ...straight.geometry, scale: round2(scale) },
    hasText: straight.hasText,
  };
}

/** The upright image turned a further quarter turns clockwise (exact, no resampling). */
export function turnUpright(upright: UprightImage, degrees: QuarterTurn): UprightImage {
  return {
    image: ocrImageOf(rotateQuarter(grayOf(upright.image), degrees), upright.image.dpi),
    geometry: { ...upright.geometry, rotation: addQuarterTurns(upright.geometry.rotation, degrees) },
    hasText: upright.hasText,
  };
}

/**
 * A page that read poorly although it holds text lines may be upside down (lines look the same
 * either way up): it is read again turned 180° and the better reading is kept. Clean pages read well
 * the first time and pay nothing; only poor pages pay a second pass.
 */
async function readTurnedIfPoor(
  n: number,
  upright: UprightImage,
  first: PageText,
  ocr: OcrEngine,
  settings: Settings,
  started: number,
  signal: AbortSignal,
): Promise<PageText> {
  if (!upright.hasText || first.confidence >= TURN_BELOW_CONFIDENCE) return first;
  const turned = await ocrPage(n, turnUpright(upright, 180), ocr, settings, started, signal);
  const best = turnedReadsBetter(turned, first) ? turned : first;
  if (best.confidence >= TURN_BELOW_CONFIDENCE || upright.geometry.rotation === 0) return best;
  // Turned a quarter on the strength of its line profile and still poor both ways: perhaps the
  // profile misled (a table's columns), so the page is also read as it came.
  const asItCame = await ocrPage(n, turnUpright(upright, 90), ocr, settings, started, signal);
  return turnedReadsBetter(asItCame, best) ? asItCame : best;
}

/**
 * A page confident enough to be taken as upright as read. Tesseract reads an upside-down page at
 * about 0.3–0.5 (measured on drawn pages and on generated documents), an upright one at 0.8–0.95.
 */
const TURN_BELOW_CONFIDENCE = 0.6;

function mrzAgrees(page: PageText): boolean {
  return page.mrzText !== undefined && detectMrz(page.mrzText)?.valid === true;
}

/** The turned reading wins when its MRZ agrees where the first's does not, or when it is clearly more confident. */
function turnedReadsBetter(turned: PageText, first: PageText): boolean {
  const turnedMrz = mrzAgrees(turned);
  const firstMrz = mrzAgrees(first);
  if (turnedMrz !== firstMrz) return turnedMrz;
  return turned.confidence > first.confidence + 0.05;
}

/** Geometry works on the grayscale PGM the adapters produce; another encoding is read as it is. */
function isPgm(image: OcrImage): boolean {
  return image.image[0] === 0x50 && image.image[1] === 0x35 && image.image.length >= image.width * image.height;
}

function grayOf(image: OcrImage): GrayImage {
  return { pixels: pgmPixels(image), width: image.width, height: image.height };
}

function ocrImageOf(gray: GrayImage, dpi: number | undefined): OcrImage {
  return { image: encodePgm(gray.pixels, gray.width, gray.height), width: gray.width, height: gray.height, ...(dpi ? { dpi } : {}) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

async function ocrPage(
  n: number,
  upright: UprightImage,
  ocr: OcrEngine,
  settings: Settings,
  started: number,
  signal: AbortSignal,
): Promise<PageText> {
  const { image, geometry } = upright;
  signal.throwIfAborted();
  const result = await ocr.recognize(image.image, { psm: PAGE_PSM, lines: true, signal, ...(image.dpi ? { dpi: image.dpi } : {}) });
  const text = tidyText(result.text);
  // A passport or ID card page where OCR found no MRZ line at all: its zone is the bottom of the
  // page (ICAO 9303), and a read of that band alone often finds what the page's layout analysis dropped.
  const band = mrzBand(result.lines ?? [], image) ?? (IDENTITY_WORDS.test(text) ? bottomBand(image) : undefined);
  const pageMrzLines = (result.lines ?? []).filter((l) => looksLikeMrzLine(l.text));
  const mrzText = band ? await readMrzBand(image, band, ocr, signal, pageMrzLines) : undefined;
  return {
    page: n,
    text,
    ...(mrzText ? { mrzText } : {}),
    // Tesseract can report ~0.95 for a noise-only image that yields no text; nothing read is no confidence.
    confidence: countLettersAndDigits(text) === 0 ? 0 : clamp01(result.confidence),
    method: 'ocr',
    durationMs: settings.now() - started,
    geometry,
  };
}

/**
 * The page's own MRZ lines when they are whole and their check digits agree; else re-reads the band until a
 * reading's check digits agree, and returns that reading; else the
 * first valid line-by-line combination of the readings (the page's own MRZ lines included); else
 * every reading, blank-line separated, for the MRZ reader to keep the one that agrees best.
 */
async function readMrzBand(
  image: OcrImage,
  band: OcrRect,
  ocr: OcrEngine,
  signal: AbortSignal,
  pageMrzLines: readonly OcrLine[],
): Promise<string | undefined> {
  // The page's own reading of the zone is as good as a re-read when every check digit agrees on it
  // and no line lost or gained a character: the names line has no check digit to vouch for it.
  const own = pageMrzLines.map((l) => l.text.trim()).join('\n');
  const ownReading = pageMrzLines.length >= 2 ? detectMrz(own) : undefined;
  const intact = (format: MrzFormat): boolean => {
    const { lineLength, lineCount } = MRZ_LAYOUTS[format];
    // Cleaned (filler look-alikes as `<`), each line within a filler or two of its length: the
    // repair aligns filler runs, and every check digit agreeing vouches for the data around them.
    const lines = pageMrzLines.map((l) => cleanMrzLine(l.text));
    return lines.length === lineCount && lines.every((l) => Math.abs(l.length - lineLength) <= 2) && /^[A-Z][A-Z<][A-Z]{3}/.test(lines[0] ?? '');
  };
  if (ownReading?.valid && !ownReading.unverified && intact(ownReading.format)) return own;
  const readings: string[] = [];
  const read = async (crop: OcrImage, psm: number): Promise<string> => {
    signal.throwIfAborted();
    return tidyText((await ocr.recognize(crop.image, { psm, whitelist: MRZ_CHARSET, signal })).text);
  };
  for (const [i, { psm, scale }] of MRZ_READS.entries()) {
    const text = await read(cropPgm(image, band, scale), psm);
    // Verified: every check digit agrees without a look-alike guess. A reading that is only valid
    // goes on to other settings, whose readings then corroborate (or not) what the guess chose.
    if (text !== '' && detectMrz(text)?.verified) return text;
    if (text !== '') readings.push(text);
    if (i === 0 && pageMrzLines.length >= 2) {
      // Each line on its own, cropped to its own box: a tilted photo skews a whole-band crop.
      const lines: string[] = [];
      for (const line of pageMrzLines) lines.push((await read(cropPgm(image, lineCrop(line.box, image), 1), LINE_PSM)).replace(/\s+/g, ''));
      const text = lines.join('\n');
      if (detectMrz(text)?.verified) return text;
      readings.push(text);
    }
  }
  const combined = combineMrzReadings([pageMrzLines.map((l) => l.text.trim()), ...readings.map(mrzLinesOf)]);
  if (combined) return combined.join('\n');
  // A band read blind (the page showed no MRZ line) counts only when it agrees: its disagreeing
  // readings could be anything printed at the bottom of the page.
  return pageMrzLines.length === 0 ? undefined : readings.join('\n\n');
}

/** Words a passport or identity card prints, in the languages of its visual zone. */
const IDENTITY_WORDS = /\b(?:passport|passeport|reisepass|paspoort|pasaporte|passaporto|identity card|carte d.identit[ée]|personalausweis|identiteitskaart)\b/i;

/** The bottom third of a page: where the machine-readable zone of a passport or ID card lies. */
export function bottomBand(size: { width: number; height: number }): OcrRect {
  const top = Math.floor(size.height * (2 / 3));
  return { left: 0, top, width: size.width, height: size.height - top };
}

/** One MRZ line's box, padded by 40 % of its height above and below and a little at the ends. */
function lineCrop(box: OcrLine['box'], size: { width: number; height: number }): OcrRect {
  const pad = Math.ceil((box.y1 - box.y0) * 0.4);
  const left = Math.max(0, box.x0 - pad);
  const top = Math.max(0, box.y0 - pad);
  return { left, top, width: Math.min(size.width, box.x1 + pad) - left, height: Math.min(size.height, box.y1 + pad) - top };
}

/** The non-blank lines of a reading but for crumbs: a badly read MRZ line still holds its place. */
function mrzLinesOf(text: string): string[] {
  return text.split('\n').filter((l) => l.replace(/\s+/g, '').length >= 10);
}

/**
 * The region holding machine-readable-zone lines, from the page OCR's line boxes: lines of 20+
 * characters with filler runs (`<<`, or the `K`/`«`/`c`/`e` that fillers are often misread as). The box is
 * padded by half a line height and spans the page width, so slightly tilted lines stay inside.
 */
export function mrzBand(lines: readonly OcrLine[], size: { width: number; height: number }): OcrRect | undefined {
  const candidates = lines.filter((l) => looksLikeMrzLine(l.text));
  if (candidates.length === 0) return undefined;
  const y0 = Math.min(...candidates.map((l) => l.box.y0));
  const y1 = Math.max(...candidates.map((l) => l.box.y1));
  const lineHeight = Math.max(...candidates.map((l) => l.box.y1 - l.box.y0));
  const top = Math.max(0, Math.floor(y0 - lineHeight * 0.6));
  const bottom = Math.min(size.height, Math.ceil(y1 + lineHeight * 0.6));
  return { left: 0, top, width: size.width, height: bottom - top };
}

function looksLikeMrzLine(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 20) return false;
  const fillers = (compact.match(/[<«]/g) ?? []).length;
  const upperOrDigit = (compact.match(/[A-Z0-9<«]/g) ?? []).length / compact.length;
  // Fillers also come out as lower-case c, e, s, k: "…3607156<<cccccecceccccé".
  const mrzLike = (compact.match(/[A-Z0-9<«‹scek]/g) ?? []).length / compact.length;
  const fillerLike = (compact.match(/[<«‹scek]/g) ?? []).length;
  return fillers >= 4 || (upperOrDigit > 0.85 && (fillers >= 2 || /K{3,}|<K|K</.test(compact))) || (mrzLike >= 0.9 && fillerLike >= 4 && /[A-Z0-9]{8}/.test(compact));
}

function assertPageCount(count: number, maxPages: number): void {
  if (count > maxPages) throw new DocumentTooLargeError(`the document has ${count} pages; the limit is ${maxPages}`);
}

/**
 * Runs `work` for pages 1..total with bounded concurrency, each page within the page time limit,
 * reporting progress and stopping at the first failure or abort. Waits for pages in flight before it
 * throws (a page cut off counts as ended), so the caller may free resources.
 */
async function forEachPage(
  total: number,
  settings: Settings,
  work: (page: number, signal: AbortSignal, clock: PageClock) => Promise<PageText>,
): Promise<PageText[]>;
async function forEachPage(
  total: number,
  settings: Settings,
  work: (page: number, signal: AbortSignal, clock: PageClock) => Promise<PageText>,
  options: { isPageError: (err: unknown) => boolean },
): Promise<{ pages: PageText[]; pageErrors: PageError[] }>;
/**
 * With `isPageError`, a page failing with such an error is listed in `pageErrors` and the others
 * go on; any other failure ends the document. The first failure that ends it also cuts off the
 * pages still in flight (their signals abort), so the document fails at its own deadline, not at
 * a later page's.
 */
async function forEachPage(
  total: number,
  settings: Settings,
  work: (page: number, signal: AbortSignal, clock: PageClock) => Promise<PageText>,
  options?: { isPageError: (err: unknown) => boolean },
): Promise<PageText[] | { pages: PageText[]; pageErrors: PageError[] }> {
  const results: PageText[] = [];
  const pageErrors: PageError[] = [];
  const stop = new AbortController();
  let next = 1;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next <= total) {
      const n = next++;
      try {
        settings.signal?.throwIfAborted();
        results[n - 1] = await withinPageTime(`page ${n}`, settings, (signal, clock) => work(n, signal, clock), { stop: stop.signal });
        settings.onPage?.({ page: ++done, total });
      } catch (error) {
        if (!failure && options?.isPageError(error) && error instanceof KycError) {
          pageErrors.push({ page: n, code: error.code, message: error.message });
          settings.onPage?.({ page: ++done, total });
          continue;
        }
        if (!failure) {
          failure = { error };
          stop.abort(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, total)) }, lane));
  if (failure) throw failure.error;
  if (!options) return results;
  return { pages: results.filter((p): p is PageText => p !== undefined), pageErrors: pageErrors.sort((a, b) => a.page - b.page) };
}

/**
 * Runs one step under the page time limit. The step gets a signal that aborts at the deadline (or
 * when the caller's signal does), so engines that can stop (rendering, an OCR worker that is
 * replaced) do; the step is not waited on past the deadline either way. A result that arrives after
 * the deadline goes to `dispose`.
 */
async function withinPageTime<T>(
  what: string,
  settings: Settings,
  step: (signal: AbortSignal, clock: PageClock) => Promise<T>,
  options: { dispose?: (late: T) => void; stop?: AbortSignal } = {},
): Promise<T> {
  settings.signal?.throwIfAborted();
  options.stop?.throwIfAborted();
  const deadline = new AbortController();
  const signal = AbortSignal.any([settings.signal, options.stop, deadline.signal].filter((s): s is AbortSignal => s !== undefined));
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The step may pause the clock while it waits its turn (an engine busy with other documents) and
  // resume it when its own work begins: time spent behind other documents is not charged to it.
  let remaining = settings.pageTimeoutMs;
  let since = 0;
  const clock: PageClock = {
    start: (): void => {
      if (timer !== undefined || signal.aborted) return;
      since = performance.now();
      timer = setTimeout(() => {
        deadline.abort(new PageTimeoutError(`${what} took longer than the limit of ${formatMs(settings.pageTimeoutMs)}`));
      }, Math.max(0, remaining));
    },
    pause: (): void => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      remaining -= performance.now() - since;
    },
  };
  clock.start();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const running = step(signal, clock);
  try {
    return await Promise.race([running, aborted]);
  } catch (err) {
    if (signal.aborted) {
      // Given up on: whatever the step still does or returns is dropped.
      running.then((late) => options.dispose?.(late), () => {});
      throw signal.reason;
    }
    throw err;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    aborted.catch(() => {});
  }
}

/** A step's time limit, which it may pause while it waits for an engine other documents hold. */
interface PageClock {
  pause(): void;
  /** Resumes (or starts) the clock with the time the step has left. */
  start(): void;
}

/** The OCR engine as one page uses it: a wait for a free worker pauses the page's clock. */
function clocked(ocr: OcrEngine, clock: PageClock): OcrEngine {
  return { recognize: (image, options) => ocr.recognize(image, { ...options, onWait: clock.pause, onStart: clock.start }) };
}

/** Waits for `promise` at most `ms`, ignoring its outcome. */
async function settle(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise.catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Joins a text layer's runs in reading order: a new line when the baseline moves (or jumps back
 * along it), a space across a horizontal gap that the runs do not already contain.
 */
export function joinTextRuns(runs: readonly TextRun[]): string {
  const lines: string[] = [];
  let line = '';
  let last: TextRun | undefined;
  let breakPending = false;
  for (const run of runs) {
    if (run.text === '') {
      breakPending ||= run.hasEOL;
      continue;
    }
    if (last) {
      const size = Math.max(run.height, last.height, 1);
      const gap = run.x - (last.x + last.width);
      if (breakPending || Math.abs(run.y - last.y) > size / 2 || gap < -size) {
        lines.push(line);
        line = '';
      } else if (gap > size * 0.15 && !/\s$/.test(line) && !/^\s/.test(run.text)) {
        line += ' ';
      }
    }
    line += run.text;
    last = run;
    breakPending = run.hasEOL;
  }
  lines.push(line);
  return tidyText(lines.join('\n'));
}

/** Trims each line, collapses runs of blank lines to one, and drops leading and trailing blank lines. */
export function tidyText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

function countLettersAndDigits(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

/** The configured DPI, lowered so the page fits the pixel budget; too large a page is refused. */
export function renderDpiFor(size: { width: number; height: number }, dpi: number, maxPixels: number): number {
  const fitting = Math.floor(72 * Math.sqrt(maxPixels / (size.width * size.height)));
  const chosen = Math.min(dpi, fitting);
  if (chosen < MIN_RENDER_DPI) {
    throw new DocumentTooLargeError(
      `a ${Math.round(size.width)}×${Math.round(size.height)} pt page cannot be rendered within ${maxPixels} pixels`,
    );
  }
  return chosen;
}

/** How much to enlarge a small image before OCR: up to 3×, towards a 2000 px long side, within the pixel limit. */
export function imageUpscale(width: number, height: number, maxPixels: number): number {
  const wanted = Math.min(MAX_IMAGE_UPSCALE, IMAGE_TARGET_LONG_SIDE / Math.max(width, height, 1));
  const allowed = Math.sqrt(maxPixels / Math.max(width * height, 1));
  return Math.max(1, Math.min(wanted, allowed));
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
