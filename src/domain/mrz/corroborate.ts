/**
 * Corroboration of an MRZ reading by an independent source: the printed visual zone, or another
 * reading of the band.
 */
import { at, datePositions, documentNumberRange, fromGrid, LAYOUTS, mrzCheckDigit, type MrzReading, type MrzReadOptions, rangeText, setAt, TO_DIGIT, TO_LETTER, toGrid } from './layouts.js';
import { mrzFields } from './parse.js';
import { checkPasses, checksFor } from './repair.js';

/** What the visual zone prints that the MRZ also carries: its dates (`YYYY-MM-DD`) and document numbers. */
export interface VisualZoneValues {
  dates: readonly string[];
  documentNumbers: readonly string[];
}

/** At most this many characters of an MRZ field may differ from the printed value that replaces them. */
export const MAX_VISUAL_REPAIR = 2;
/** The character OCR confuses `ch` with (O for 0, 0 for O…), from the repair's own tables. */
export function lookAlike(ch: string): string | undefined {
  return TO_DIGIT[ch] ?? TO_LETTER[ch];
}

/** A printed document number and its look-alike spellings (at most 4 ambiguous characters: 16 variants). */
export function lookAlikeVariants(value: string): string[] {
  const positions = [...value].flatMap((ch, i) => (lookAlike(ch) ? [i] : [])).slice(0, 4);
  const out: string[] = [];
  for (let mask = 0; mask < 1 << positions.length; mask++) {
    const chars = [...value];
    positions.forEach((p, bit) => {
      if (mask & (1 << bit)) chars[p] = lookAlike(chars[p]!)!;
    });
    out.push(chars.join(''));
  }
  return out;
}

/**
 * An MRZ whose check digits fail, put right with the visual zone: a failing date or document number
 * is replaced by a printed value that differs from it in at most two characters and satisfies its
 * check digit, and the result is kept only if then every check digit agrees, the composite included
 * (one OCR lost is inferred, the zone then marked unverified). The printed value and the field's own
 * digit then vouch for each other ("280405" read where the card has 580405
 * and prints 05 APR 1958).
 */
export function repairWithVisualZone(reading: MrzReading, visual: VisualZoneValues, options: MrzReadOptions): MrzReading | undefined {
  if (reading.summary.valid) return undefined;
  const layout = LAYOUTS[reading.format];
  const grid = toGrid(reading.lines);
  const docRange = documentNumberRange(layout);
  const docLength = docRange.end - docRange.start;
  const dates = visual.dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).map((d) => d.slice(2).replace(/-/g, ''));
  const numbers = visual.documentNumbers
    .map((n) => n.toUpperCase().replace(/[^A-Z0-9]/g, ''))
    .filter((n) => n.length > 0 && n.length <= docLength)
    .flatMap((n) => lookAlikeVariants(n.padEnd(docLength, '<')));
  let changed = 0;
  for (const check of checksFor(layout, grid)) {
    if (checkPasses(grid, check) || check.ranges.length !== 1) continue;
    const range = check.ranges[0]!;
    const isDate = datePositions(layout).some((d) => d.line === range.line && d.start === range.start && d.end === range.end);
    const isNumber = range.line === docRange.line && range.start === docRange.start && range.end === docRange.end;
    const candidates = isDate ? dates : isNumber ? numbers : [];
    const current = rangeText(grid, [range]);
    // A look-alike (O for 0…) costs nothing: the check digit settles those.
    const distance = (value: string): number => [...value].filter((ch, i) => ch !== current[i] && lookAlike(ch) !== current[i]).length;
    const fitting = candidates
      .filter((value) => value.length === current.length && distance(value) > 0 && distance(value) <= MAX_VISUAL_REPAIR)
      .sort((a, b) => distance(a) - distance(b));
    for (const value of fitting) {
      [...value].forEach((ch, i) => setAt(grid, { line: range.line, index: range.start + i }, ch));
      if (checkPasses(grid, check)) {
        changed++;
        break;
      }
      [...current].forEach((ch, i) => setAt(grid, { line: range.line, index: range.start + i }, ch));
    }
  }
  if (changed === 0) return undefined;
  const failing = checksFor(layout, grid).filter((c) => !checkPasses(grid, c));
  // A composite digit OCR lost (a filler or letter in its place) is inferred, and the zone marked
  // unverified, as when no repair was needed; a composite digit that was read must agree.
  const lost = failing.length === 1 && failing[0]!.name === 'composite' && !/[0-9]/.test(at(grid, failing[0]!.digit));
  if (failing.length > 0 && !lost) return undefined;
  if (lost) setAt(grid, failing[0]!.digit, String(mrzCheckDigit(rangeText(grid, failing[0]!.ranges))));
  const lines = fromGrid(grid);
  return {
    ...reading,
    lines,
    fields: mrzFields(lines, reading.format, options),
    summary: { ...reading.summary, valid: true, failedChecks: [], repaired: true, ...(lost ? { unverified: true } : {}) },
  };
}
