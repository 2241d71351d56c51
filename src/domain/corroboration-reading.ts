/**
 * The reading tools of MRZ corroboration (see corroboration.ts for the plan): each reads the
 * document again in its own way and returns an independent reading, the MRZ band's lines or the
 * visual zone's printed numbers and dates, for `corroborateMrz` to compare with the first reading.
 * Logic over the extraction ports; no I/O of its own.
 */
import { findDates } from './dates.js';
import type { FileKind, PageText } from './documents.js';
import type { ImagePreprocessor, OcrImage, PdfEngine } from './extraction-ports.js';
import { bottomBand, DEFAULT_EXTRACTION_LIMITS, imageUpscale, mrzBand, renderDpiFor, straighten, tidyText, turnUpright } from './extraction.js';
import type { QuarterTurn } from './geometry.js';
import { MRZ_LAYOUTS, readMrz, type MrzReading } from './mrz/index.js';
import { cropPgm, encodePgm, pgmPixels } from './pgm.js';
import type { OcrEngine, OcrLine, OcrRect } from './ports.js';
import type { ReadingStep } from './corroboration.js';

export interface ReadingPorts {
  ocr: OcrEngine;
  pdf: PdfEngine;
  image: ImagePreprocessor;
}

/** What a tool read, independently of the first reading. */
export interface IndependentReading {
  /** The MRZ band's lines as this reading saw them (unrepaired). */
  lines?: string[];
  /** The visual zone's printed values. */
  visual?: { dates: string[]; documentNumbers: string[] };
}

/** Where the band lies on the page image: found once per document, reused by later steps. */
export interface BandLocation {
  /** 1-based page. */
  page: number;
  band: OcrRect;
  /** Boxes of the MRZ lines the page's OCR found in the band (may be empty). */
  lineBoxes: OcrRect[];
}

const MRZ_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
const PAGE_PSM = 3;
const LINE_PSM = 7;
const RENDER_DPI = 300;

type Pages = readonly Pick<PageText, 'page' | 'text' | 'mrzText'>[];

/** The first reading of the MRZ, as the analysis made it from the stored text: first page with one. */
export function firstMrzReading(pages: Pages, asOf: string): { reading: MrzReading; page: number } | undefined {
  for (const { page, text, mrzText } of pages) {
    const reading = readMrz(mrzText ? `${text}\n${mrzText}` : text, { asOf });
    if (reading) return { reading, page };
  }
  return undefined;
}

/**
 * The page as extraction read it: an image's page prepared (orientation, grayscale, upscale), a
 * PDF page rendered at 300 dpi, then straightened (flattened, turned, deskewed) and, when the
 * stored page says extraction read it turned further (a 180° retry), turned the same way. A PDF
 * page read from its text layer is rendered too: OCR of its pixels is a reading independent of
 * the text layer.
 */
export async function pageImage(
  bytes: Uint8Array,
  fileKind: FileKind,
  page: Pick<PageText, 'page' | 'geometry'>,
  ports: Pick<ReadingPorts, 'pdf' | 'image'>,
  options: { maxPixels?: number; signal?: AbortSignal } = {},
): Promise<OcrImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_EXTRACTION_LIMITS.maxPixels;
  let image: OcrImage;
  let scale = 1;
  if (fileKind === 'pdf') {
    const doc = await ports.pdf.open(bytes);
    try {
      const p = await doc.getPage(page.page);
      try {
        image = await p.render(renderDpiFor(p, RENDER_DPI, maxPixels), options.signal);
      } finally {
        p.release();
      }
    } finally {
      await doc.close();
    }
  } else {
    const info = await ports.image.inspect(bytes);
    scale = imageUpscale(info.width, info.height, maxPixels);
    image = await ports.image.prepare(bytes, { page: page.page - 1, scale, maxPixels });
  }
  const upright = straighten(image, scale);
  const wanted = page.geometry?.rotation ?? upright.geometry.rotation;
  const further = ((wanted - upright.geometry.rotation + 360) % 360) as QuarterTurn;
  return further === 0 ? upright.image : turnUpright(upright, further).image;
}

/** Finds the MRZ band on the page image from the page's own OCR lines, or its bottom third. */
export async function locateBand(image: OcrImage, page: number, ocr: OcrEngine, signal?: AbortSignal): Promise<BandLocation> {
  const result = await ocr.recognize(image.image, { psm: PAGE_PSM, lines: true, ...(signal ? { signal } : {}), ...(image.dpi ? { dpi: image.dpi } : {}) });
  const lines = result.lines ?? [];
  const band = mrzBand(lines, image) ?? bottomBand(image);
  const inBand = (l: OcrLine): boolean => l.box.y0 >= band.top && l.box.y1 <= band.top + band.height && l.text.replace(/\s+/g, '').length >= 20;
  const lineBoxes = lines.filter(inBand).map((l) => ({ left: l.box.x0, top: l.box.y0, width: l.box.x1 - l.box.x0, height: l.box.y1 - l.box.y0 }));
  return { page, band, lineBoxes };
}

/**
 * Reads the page again with one step's tool: the band (`band-reread`, `band-transform`) or the
 * visual zone above it (`visual-zone`). Undefined when the tool read nothing usable. The `model`
 * tool is not an OCR reading: see `visualValuesFromModel`.
 */
export async function readWithTool(
  image: OcrImage,
  location: BandLocation,
  step: ReadingStep,
  ocr: OcrEngine,
  options: { lineCount: number; signal?: AbortSignal },
): Promise<IndependentReading | undefined> {
  const { signal } = options;
  const ocrText = async (crop: OcrImage, psm: number, whitelist?: string): Promise<string> => {
    signal?.throwIfAborted();
    const result = await ocr.recognize(crop.image, { psm, ...(whitelist ? { whitelist } : {}), ...(signal ? { signal } : {}) });
    return tidyText(result.text);
  };
  const { psm = 6, scale = 1, rotateDeg = 0, threshold = false } = step.settings;
  switch (step.tool) {
    case 'band-reread':
    case 'band-transform': {
      if (psm === LINE_PSM) {
        const lines: string[] = [];
        for (const rect of lineRects(location, options.lineCount)) lines.push((await ocrText(cropPgm(image, rect, scale), LINE_PSM, MRZ_CHARSET)).replace(/\s+/g, ''));
        return asLines(lines.join('\n'));
      }
      let crop = cropPgm(image, location.band, scale);
      if (rotateDeg !== 0) crop = rotateGray(crop, rotateDeg);
      if (threshold) crop = otsuThreshold(crop);
      return asLines(await ocrText(crop, psm, MRZ_CHARSET));
    }
    case 'visual-zone': {
      if (location.band.top < 8) return undefined;
      let crop = cropPgm(image, { left: 0, top: 0, width: image.width, height: location.band.top }, scale);
      if (threshold) crop = otsuThreshold(crop);
      const visual = visualZoneValues(await ocrText(crop, psm));
      return visual.dates.length + visual.documentNumbers.length > 0 ? { visual } : undefined;
    }
    case 'model':
      return undefined;
  }
}

/** One rectangle per MRZ line: the page OCR's own boxes when it found each line, else the band cut evenly. */
function lineRects(location: BandLocation, lineCount: number): OcrRect[] {
  const { band, lineBoxes } = location;
  if (lineBoxes.length === lineCount) {
    return lineBoxes.map((b) => {
      const pad = Math.ceil(b.height * 0.4);
      return { left: band.left, top: Math.max(band.top, b.top - pad), width: band.width, height: b.height + 2 * pad };
    });
  }
  const h = band.height / lineCount;
  return Array.from({ length: lineCount }, (_, i) => ({ left: band.left, top: Math.floor(band.top + i * h), width: band.width, height: Math.ceil(h) }));
}

/** The non-blank lines of a band reading but for crumbs (a badly read MRZ line still holds its place). */
function asLines(text: string): IndependentReading | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ''))
    .filter((l) => l.length >= 10);
  return lines.length > 0 ? { lines } : undefined;
}

/** Lines of an MRZ of the reading's format. */
export function mrzLineCount(reading: Pick<MrzReading, 'format'>): number {
  return MRZ_LAYOUTS[reading.format].lineCount;
}

/**
 * The printed values the MRZ also carries, from visual-zone text: every date (digit look-alikes
 * next to digits read as digits: "0S APR 1958") and every 6–9 character token with a digit.
 */
export function visualZoneValues(text: string): { dates: string[]; documentNumbers: string[] } {
  const printed = text.split('\n').filter((l) => !l.includes('<'));
  const digitised = (t: string): string => t.replace(/(?<=\d)[OoSIl]|[OoSIl](?=\d)/g, (ch) => DIGIT_LOOKALIKES[ch] ?? ch);
  const dates = printed.flatMap((l) => findDates(digitised(l)).map((d) => d.value));
  const numbers = printed.flatMap((l) => l.split(/\s+/)).map((w) => w.replace(/[.,;:]+$/, '')).filter((w) => /^[A-Z0-9]{6,9}$/.test(w) && /\d/.test(w));
  return { dates: [...new Set(dates)], documentNumbers: [...new Set(numbers)] };
}

const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', S: '5', I: '1', l: '1' };

/** A PGM image binarised at Otsu's threshold: ink 0, paper 255. */
export function otsuThreshold(image: OcrImage): OcrImage {
  const pixels = pgmPixels(image);
  const histogram = new Array<number>(256).fill(0);
  for (const v of pixels) histogram[v]!++;
  const total = pixels.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i]!;
  let sumBelow = 0;
  let countBelow = 0;
  let best = { t: 127, variance: -1 };
  for (let t = 0; t < 256; t++) {
    countBelow += histogram[t]!;
    if (countBelow === 0) continue;
    const countAbove = total - countBelow;
    if (countAbove === 0) break;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / countBelow;
    const meanAbove = (sumAll - sumBelow) / countAbove;
    const variance = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
    if (variance > best.variance) best = { t, variance };
  }
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! <= best.t ? 0 : 255;
  return { ...image, image: encodePgm(out, image.width, image.height) };
}

/** A PGM image turned `deg` degrees clockwise about its centre (bilinear), same size, paper-white corners. */
export function rotateGray(image: OcrImage, deg: number): OcrImage {
  const { width, height } = image;
  const src = pgmPixels(image);
  const out = new Uint8Array(width * height).fill(255);
  const rad = (deg * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The source of an output pixel: the output point turned back by -deg.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= width || y0 >= height) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const top = src[y0 * width + x0]! * (1 - fx) + src[y0 * width + x1]! * fx;
      const bottom = src[y1 * width + x0]! * (1 - fx) + src[y1 * width + x1]! * fx;
      out[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { ...image, image: encodePgm(out, width, height) };
}
