/**
 * Finding MRZ lines in OCR or PDF text: which lines look like an MRZ, cleaned of OCR's usual filler
 * look-alikes, grouped into blocks.
 */

export interface MrzBlock {
  /** The text lines as found. */
  sourceLines: string[];
  /** 0-based index of each source line within the searched text. */
  lineIndexes: number[];
  /** Whitespace removed, filler look-alikes mapped to `<`, upper case (a run-together line is split). */
  lines: string[];
  /** For each entry of `lines`, the index of its source line in `sourceLines`. */
  sourceOf: number[];
}
// ---------------------------------------------------------------------------------------------
// Locating

export const FILLER_LOOK_ALIKES = /[scek‹]/g;
/** Marks a character OCR could not read (kept so positions stay aligned; never a valid digit). */
export const UNREADABLE = '?';
/** Marks a `g`/`y` beside digits: OCR-B 4 or 9, unreadable, but only ever one of those two. */
export const FOUR_OR_NINE = '!';

/**
 * Whitespace removed, `«` → `<<`, lower-case filler look-alikes → `<`, unreadable glyphs → `?`,
 * upper case, other junk dropped, K runs → `<`.
 */
export function cleanMrzLine(raw: string): string {
  const compact0 = raw
    .replace(/\s+/g, '')
    .replace(/[gy](?=$|\d)|(?<=\d)[gy]/g, FOUR_OR_NINE) // OCR-B 4 and 9 come out as g or y
    .replace(/[^\x00-\x7F«‹]/g, UNREADABLE)
    .replace(/«/g, '<<');
  const cleaned = fillerNoiseRuns(compact0)
    .replace(FILLER_LOOK_ALIKES, '<')
    .toUpperCase()
    .replace(/[^A-Z0-9<?!]/g, '');
  return fillerRunsFromK(cleaned);
}

/** Share of filler look-alikes (`s c e k <`) in a lower-case run that makes the whole run fillers. */
const NOISE_SHARE = 0.6;

/**
 * Lower-case runs OCR makes of a filler run ("eeeeeleeereeeee"): an MRZ holds no lower-case letter,
 * so a run of five or more lower-case letters and fillers, mostly filler look-alikes, is all
 * fillers, other letters in it ("l", "r") included. A lone capital between a filler and such a run
 * ("<Leeeee") is the run's first filler misread, not a one-letter name.
 */
function fillerNoiseRuns(line: string): string {
  const chars = [...line];
  for (const match of line.matchAll(/[a-z<‹]{5,}/g)) {
    const run = match[0];
    if (!/[a-z]/.test(run) || (run.match(/[scek<‹]/g) ?? []).length < NOISE_SHARE * run.length) continue;
    const start = match.index;
    for (let i = start; i < start + run.length; i++) chars[i] = '<';
    const before = chars[start - 1];
    if (before && /[A-Z]/.test(before) && (start - 1 === 0 || chars[start - 2] === '<')) chars[start - 1] = '<';
  }
  return chars.join('');
}

/** K runs that can only be fillers: three or more, between fillers, or trailing the line. */
export function fillerRunsFromK(line: string): string {
  const toFillers = (run: string): string => '<'.repeat(run.length);
  return line
    .replace(/K{3,}/g, toFillers)
    .replace(/(?<=<)K+(?=<)/g, toFillers)
    .replace(/(?<=<)K+$/g, toFillers)
    .replace(/KK+$/g, toFillers);
}

export function looksLikeMrzLine(raw: string): boolean {
  const compact = raw.replace(/\s+/g, '');
  if (compact.length < 20 || compact.length > 100) return false;
  const allowed = compact.replace(/[^A-Z0-9<«‹scek]/g, '').length;
  if (allowed / compact.length < 0.9) return false;
  const cleaned = cleanMrzLine(raw);
  if (cleaned.includes('<')) return true;
  const digits = cleaned.replace(/[^0-9]/g, '').length;
  return cleaned.length >= 28 && digits >= 6;
}

/** Splits a line that OCR ran together (2×44, 2×36, 3×30). */
export function splitJoined(line: string): string[] {
  if (line.length === 88) return [line.slice(0, 44), line.slice(44)];
  if (line.length === 72) return [line.slice(0, 36), line.slice(36)];
  if (line.length === 90) return [line.slice(0, 30), line.slice(30, 60), line.slice(60)];
  return [line];
}

/** Runs of consecutive MRZ-looking lines (blank lines ignored). */
export function locateMrz(text: string): MrzBlock[] {
  const blocks: MrzBlock[] = [];
  let current: MrzBlock | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim().length === 0) return;
    if (!looksLikeMrzLine(raw)) {
      current = undefined;
      return;
    }
    if (!current) {
      current = { sourceLines: [], lineIndexes: [], lines: [], sourceOf: [] };
      blocks.push(current);
    }
    const source = current.sourceLines.length;
    current.sourceLines.push(raw);
    current.lineIndexes.push(index);
    for (const line of splitJoined(cleanMrzLine(raw))) {
      current.lines.push(line);
      current.sourceOf.push(source);
    }
  });
  return blocks;
}
