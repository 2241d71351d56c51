/**
 * Machine-readable zones (ICAO 9303 TD1 3×30, TD2 2×36, TD3 2×44) in OCR text.
 *
 * OCR damages MRZ lines in known ways: runs of `<` come out as K, s, c, e, « or vanish, spaces
 * appear inside lines, and look-alike characters swap (O/0, I/1, B/8, S/5, Z/2, G/6). This module
 * finds the lines, realigns them to the fixed layout, maps characters to what each position allows,
 * and tries look-alike substitutions until the check digits agree. A check-digit failure is only
 * reported when no consistent repair exists. The aligned lines are then parsed with the `mrz` package.
 */
import { parse as parseMrzPackage, states as MRZ_STATES } from 'mrz';

import { resolveCentury, toIsoDate } from './dates.js';
import type { MrzSummary } from './documents.js';

export type MrzFormat = MrzSummary['format'];

/** Names used in `MrzSummary.failedChecks`. */
export type MrzCheckName = 'documentNumber' | 'dateOfBirth' | 'expiryDate' | 'personalNumber' | 'composite';

export interface MrzFields {
  surname?: string;
  givenNames?: string;
  documentNumber?: string;
  nationality?: string;
  issuingCountry?: string;
  /** `YYYY-MM-DD` */
  dateOfBirth?: string;
  /** `YYYY-MM-DD` */
  expiryDate?: string;
  /** `M`, `F` or `X` (unspecified). */
  sex?: string;
}

export interface MrzReading {
  format: MrzFormat;
  /** Document code as printed, fillers removed: `P`, `I`, `ID`, `AC`, … */
  documentCode: string;
  /** The repaired lines. */
  lines: string[];
  /** The text lines the zone was read from, as found (evidence). */
  sourceLines: string[];
  /** 0-based index of the first source line within the searched text. */
  lineIndex: number;
  fields: MrzFields;
  summary: MrzSummary;
}

export interface MrzReadOptions {
  /** `YYYY-MM-DD`: resolves two-digit years (births in the past, expiries up to ~20 years ahead). */
  asOf: string;
}

/** Lines of text that look like an MRZ, before any repair. */
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

export interface MrzRepair {
  format: MrzFormat;
  lines: string[];
  repaired: boolean;
  failedChecks: MrzCheckName[];
  /** Number of characters changed or inserted/removed to reach this reading. */
  changes: number;
  /** One check digit could not be read and was inferred from the data (the others agree). */
  inferredDigit?: boolean;
}

type CharClass = 'alpha' | 'numeric' | 'alnum' | 'check' | 'sex';

interface Pos {
  line: number;
  index: number;
}

interface Range {
  line: number;
  start: number;
  end: number;
}

interface Segment extends Range {
  cls: CharClass;
}

interface CheckDef {
  name: MrzCheckName;
  digit: Pos;
  ranges: Range[];
  /** The personal number may be all fillers; its check digit is then `<` or `0`. */
  mayBeEmpty?: boolean;
}

interface Layout {
  format: MrzFormat;
  lineLength: number;
  lineCount: number;
  segments: Segment[];
  checks: CheckDef[];
  /** Line holding the names field, and its range. */
  names: Range;
  /** Lines whose last characters are check digits (fillers go before them). */
  dataLines: number[];
  documentCodes: string[];
}

const r = (line: number, start: number, end: number): Range => ({ line, start, end });
const seg = (line: number, start: number, end: number, cls: CharClass): Segment => ({ line, start, end, cls });

const TD3: Layout = {
  format: 'TD3',
  lineLength: 44,
  lineCount: 2,
  segments: [
    seg(0, 0, 44, 'alpha'),
    seg(1, 0, 9, 'alnum'), seg(1, 9, 10, 'check'), seg(1, 10, 13, 'alpha'), seg(1, 13, 19, 'numeric'),
    seg(1, 19, 20, 'check'), seg(1, 20, 21, 'sex'), seg(1, 21, 27, 'numeric'), seg(1, 27, 28, 'check'),
    seg(1, 28, 42, 'alnum'), seg(1, 42, 43, 'check'), seg(1, 43, 44, 'check'),
  ],
  checks: [
    { name: 'documentNumber', digit: { line: 1, index: 9 }, ranges: [r(1, 0, 9)] },
    { name: 'dateOfBirth', digit: { line: 1, index: 19 }, ranges: [r(1, 13, 19)] },
    { name: 'expiryDate', digit: { line: 1, index: 27 }, ranges: [r(1, 21, 27)] },
    { name: 'personalNumber', digit: { line: 1, index: 42 }, ranges: [r(1, 28, 42)], mayBeEmpty: true },
    { name: 'composite', digit: { line: 1, index: 43 }, ranges: [r(1, 0, 10), r(1, 13, 20), r(1, 21, 43)] },
  ],
  names: r(0, 5, 44),
  dataLines: [1],
  documentCodes: ['P'],
};

const TD2: Layout = {
  format: 'TD2',
  lineLength: 36,
  lineCount: 2,
  segments: [
    seg(0, 0, 36, 'alpha'),
    seg(1, 0, 9, 'alnum'), seg(1, 9, 10, 'check'), seg(1, 10, 13, 'alpha'), seg(1, 13, 19, 'numeric'),
    seg(1, 19, 20, 'check'), seg(1, 20, 21, 'sex'), seg(1, 21, 27, 'numeric'), seg(1, 27, 28, 'check'),
    seg(1, 28, 35, 'alnum'), seg(1, 35, 36, 'check'),
  ],
  checks: [
    { name: 'documentNumber', digit: { line: 1, index: 9 }, ranges: [r(1, 0, 9)] },
    { name: 'dateOfBirth', digit: { line: 1, index: 19 }, ranges: [r(1, 13, 19)] },
    { name: 'expiryDate', digit: { line: 1, index: 27 }, ranges: [r(1, 21, 27)] },
    { name: 'composite', digit: { line: 1, index: 35 }, ranges: [r(1, 0, 10), r(1, 13, 20), r(1, 21, 35)] },
  ],
  names: r(0, 5, 36),
  dataLines: [1],
  documentCodes: ['I', 'A', 'C'],
};

const TD1: Layout = {
  format: 'TD1',
  lineLength: 30,
  lineCount: 3,
  segments: [
    seg(0, 0, 5, 'alpha'), seg(0, 5, 14, 'alnum'), seg(0, 14, 15, 'check'), seg(0, 15, 30, 'alnum'),
    seg(1, 0, 6, 'numeric'), seg(1, 6, 7, 'check'), seg(1, 7, 8, 'sex'), seg(1, 8, 14, 'numeric'),
    seg(1, 14, 15, 'check'), seg(1, 15, 18, 'alpha'), seg(1, 18, 29, 'alnum'), seg(1, 29, 30, 'check'),
    seg(2, 0, 30, 'alpha'),
  ],
  checks: [
    { name: 'documentNumber', digit: { line: 0, index: 14 }, ranges: [r(0, 5, 14)] },
    { name: 'dateOfBirth', digit: { line: 1, index: 6 }, ranges: [r(1, 0, 6)] },
    { name: 'expiryDate', digit: { line: 1, index: 14 }, ranges: [r(1, 8, 14)] },
    { name: 'composite', digit: { line: 1, index: 29 }, ranges: [r(0, 5, 30), r(1, 0, 7), r(1, 8, 15), r(1, 18, 29)] },
  ],
  names: r(2, 0, 30),
  dataLines: [1],
  documentCodes: ['I', 'A', 'C'],
};

export const MRZ_LAYOUTS: Readonly<Record<MrzFormat, { lineLength: number; lineCount: number }>> = {
  TD1: { lineLength: 30, lineCount: 3 },
  TD2: { lineLength: 36, lineCount: 2 },
  TD3: { lineLength: 44, lineCount: 2 },
};

const LAYOUTS: Record<MrzFormat, Layout> = { TD1, TD2, TD3 };

/** Letter read where a digit belongs. */
const TO_DIGIT: Readonly<Record<string, string>> = { O: '0', Q: '0', D: '0', U: '0', I: '1', L: '1', Z: '2', S: '5', G: '6', B: '8', T: '7' };
/** Digit read where a letter belongs. */
const TO_LETTER: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B', '4': 'A', '7': 'T' };
/**
 * Look-alikes tried in alphanumeric fields until the check digit agrees. G and 6 are absent: their
 * values differ by exactly 10, so no check digit can tell them apart and a swap would be a guess.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  O: '0', '0': 'O', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z', K: '<',
};

/** Substitutions tried per check before giving up. */
const MAX_SUBSTITUTIONS = 2;
/** Look-alike positions considered per check (bounds the search). */
const MAX_AMBIGUOUS_POSITIONS = 14;
/** Country codes the `mrz` package does not list but documents carry (ICAO specimen state). */
const EXTRA_STATES = new Set(['UTO']);
/** MRZ codes that are not ISO 3166 alpha-3. */
const MRZ_TO_ALPHA3: Readonly<Record<string, string>> = {
  D: 'DEU', GBD: 'GBR', GBN: 'GBR', GBO: 'GBR', GBP: 'GBR', GBS: 'GBR', RKS: 'XKX',
};

// ---------------------------------------------------------------------------------------------
// Check digits

function charValue(ch: string): number {
  if (ch === '<') return 0;
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return 0;
}

/** ICAO 9303 check digit: weights 7, 3, 1; `<` = 0, A = 10 … Z = 35. */
export function mrzCheckDigit(value: string): number {
  let sum = 0;
  for (let i = 0; i < value.length; i++) sum += charValue(value[i] ?? '<') * WEIGHTS[i % 3]!;
  return sum % 10;
}

const WEIGHTS = [7, 3, 1] as const;

/**
 * `mrzCheckDigit` of the grid's characters in `ranges`, read in place (the repair search runs it
 * for every candidate substitution). `fillerAfterFirst`: a `<` counted between the first range and
 * the rest (the TD1 long document number).
 */
function gridCheckDigit(grid: Grid, ranges: readonly Range[], fillerAfterFirst = false): number {
  let sum = 0;
  let i = 0;
  for (let r = 0; r < ranges.length; r++) {
    const rg = ranges[r]!;
    const line = grid[rg.line];
    for (let index = rg.start; index < rg.end; index++, i++) sum += charValue(line?.[index] ?? '<') * WEIGHTS[i % 3]!;
    if (fillerAfterFirst && r === 0) i++; // '<' is worth 0: only the weights move on
  }
  return sum % 10;
}

/** Whether every character of the grid in `ranges` is a filler. */
function allFillers(grid: Grid, ranges: readonly Range[]): boolean {
  for (const rg of ranges) for (let index = rg.start; index < rg.end; index++) if ((grid[rg.line]?.[index] ?? '<') !== '<') return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Locating

const FILLER_LOOK_ALIKES = /[scek‹]/g;
/** Marks a character OCR could not read (kept so positions stay aligned; never a valid digit). */
const UNREADABLE = '?';
/** Marks a `g`/`y` beside digits: OCR-B 4 or 9, unreadable, but only ever one of those two. */
const FOUR_OR_NINE = '!';

/**
 * Whitespace removed, `«` → `<<`, lower-case filler look-alikes → `<`, unreadable glyphs → `?`,
 * upper case, other junk dropped, K runs → `<`.
 */
export function cleanMrzLine(raw: string): string {
  const compact = raw
    .replace(/\s+/g, '')
    .replace(/[gy](?=$|\d)|(?<=\d)[gy]/g, FOUR_OR_NINE) // OCR-B 4 and 9 come out as g or y
    .replace(/[^\x00-\x7F«‹]/g, UNREADABLE)
    .replace(/«/g, '<<')
    .replace(FILLER_LOOK_ALIKES, '<')
    .toUpperCase()
    .replace(/[^A-Z0-9<?!]/g, '');
  return fillerRunsFromK(compact);
}

/** K runs that can only be fillers: three or more, between fillers, or trailing the line. */
function fillerRunsFromK(line: string): string {
  const toFillers = (run: string): string => '<'.repeat(run.length);
  return line
    .replace(/K{3,}/g, toFillers)
    .replace(/(?<=<)K+(?=<)/g, toFillers)
    .replace(/(?<=<)K+$/g, toFillers)
    .replace(/KK+$/g, toFillers);
}

function looksLikeMrzLine(raw: string): boolean {
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
function splitJoined(line: string): string[] {
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

// ---------------------------------------------------------------------------------------------
// Alignment: bring each line to the fixed length, adding or removing fillers where they were lost.

function fillerRuns(line: string): Array<{ start: number; length: number }> {
  return [...line.matchAll(/<+/g)].map((m) => ({ start: m.index, length: m[0].length }));
}

function insertAt(line: string, index: number, text: string): string {
  return line.slice(0, index) + text + line.slice(index);
}

interface Aligned {
  line: string;
  /** Fillers added or dropped cost little; dropping data costs much. */
  cost: number;
}

const CHEAP = 0.05;
const ODD_PLACE = 0.3;
const LOST_DATA = 1.5;

function longestRun(runs: Array<{ start: number; length: number }>): number {
  return runs.reduce((best, run, i) => (run.length > (runs[best]?.length ?? 0) ? i : best), 0);
}

function lengthCandidates(line: string, length: number, isDataLine: boolean): Aligned[] {
  const diff = length - line.length;
  if (diff === 0) return [{ line, cost: 0 }];
  const out: Aligned[] = [];
  const runs = fillerRuns(line);
  const longest = longestRun(runs);
  if (diff > 0) {
    const pad = '<'.repeat(diff);
    out.push({ line: line + pad, cost: diff * (line.endsWith('<') || !isDataLine ? CHEAP : ODD_PLACE) });
    runs.forEach((run, i) => out.push({ line: insertAt(line, run.start, pad), cost: diff * (i === longest ? CHEAP : ODD_PLACE) }));
    if (isDataLine) {
      out.push({ line: insertAt(line, line.length - 1, pad), cost: diff * CHEAP });
      out.push({ line: insertAt(line, line.length - 2, pad), cost: diff * CHEAP });
    } else {
      out.push({ line: insertAt(line, 1, '<') + '<'.repeat(diff - 1), cost: diff * CHEAP + ODD_PLACE }); // "P<UTO"
      out.push({ line: line.slice(1) + '<'.repeat(diff + 1), cost: LOST_DATA + (diff + 1) * CHEAP }); // junk before the code
    }
  } else {
    const cut = -diff;
    runs.forEach((run, i) => {
      if (run.length < cut) return;
      out.push({ line: line.slice(0, run.start) + line.slice(run.start + cut), cost: cut * (i === longest ? CHEAP : ODD_PLACE) });
    });
    const dropped = (text: string): number => [...text].reduce((sum, ch) => sum + (ch === '<' ? CHEAP : LOST_DATA), 0);
    out.push({ line: line.slice(0, length), cost: dropped(line.slice(length)) });
    out.push({ line: line.slice(cut), cost: dropped(line.slice(0, cut)) });
  }
  return cheapestPerLine(out.filter((c) => c.line.length === length));
}

function cheapestPerLine(candidates: Aligned[]): Aligned[] {
  const best = new Map<string, Aligned>();
  for (const c of candidates) {
    const seen = best.get(c.line);
    if (!seen || c.cost < seen.cost) best.set(c.line, c);
  }
  return [...best.values()];
}

// ---------------------------------------------------------------------------------------------
// Character repair

type Grid = string[][];

function toGrid(lines: string[]): Grid {
  return lines.map((l) => [...l]);
}

function fromGrid(grid: Grid): string[] {
  return grid.map((l) => l.join(''));
}

function at(grid: Grid, pos: Pos): string {
  return grid[pos.line]?.[pos.index] ?? '<';
}

function setAt(grid: Grid, pos: Pos, ch: string): void {
  const line = grid[pos.line];
  if (line) line[pos.index] = ch;
}

/** Positions of each range list, computed once: the repair search asks for the same few thousands of times. */
const positionsOfRanges = new WeakMap<readonly Range[], readonly Pos[]>();

function positionsOf(ranges: Range[]): readonly Pos[] {
  let positions = positionsOfRanges.get(ranges);
  if (!positions) {
    positions = Object.freeze(ranges.flatMap((rg) => Array.from({ length: rg.end - rg.start }, (_, i) => Object.freeze({ line: rg.line, index: rg.start + i }))));
    positionsOfRanges.set(ranges, positions);
  }
  return positions;
}

/** Each layout's character class per position (line × 64 + index), computed once. */
const classTables = new WeakMap<Layout, ReadonlyMap<number, CharClass>>();

function classAt(layout: Layout, pos: Pos): CharClass {
  let table = classTables.get(layout);
  if (!table) {
    const built = new Map<number, CharClass>();
    // The first segment holding a position decides its class, as a search in order would.
    for (const s of layout.segments) for (let i = s.start; i < s.end; i++) if (!built.has(s.line * 64 + i)) built.set(s.line * 64 + i, s.cls);
    table = built;
    classTables.set(layout, table);
  }
  return table.get(pos.line * 64 + pos.index) ?? 'alnum';
}

/** Maps characters to what each position allows (a letter in a date is a misread digit). */
function forceClasses(grid: Grid, layout: Layout): number {
  let changes = 0;
  for (const s of layout.segments) {
    for (let index = s.start; index < s.end; index++) {
      const pos = { line: s.line, index };
      const ch = at(grid, pos);
      const fixed = forcedChar(ch, s.cls);
      if (fixed !== ch) {
        setAt(grid, pos, fixed);
        changes++;
      }
    }
  }
  return changes;
}

function forcedChar(ch: string, cls: CharClass): string {
  switch (cls) {
    case 'numeric':
      return TO_DIGIT[ch] ?? ch;
    case 'check':
      return ch === 'K' ? '<' : (TO_DIGIT[ch] ?? ch);
    case 'alpha':
      return TO_LETTER[ch] ?? ch;
    case 'sex':
      return ch === 'K' ? '<' : ch;
    case 'alnum':
      return ch;
  }
}

/** The TD1 long document number: check position holds `<`, the number continues in the optional field. */
function td1LongNumberCheck(grid: Grid): CheckDef | undefined {
  const line = grid[0]?.join('') ?? '';
  if (line[14] !== '<' || !/[A-Z0-9]/.test(line[15] ?? '')) return undefined;
  const firstFiller = line.indexOf('<', 15);
  const digitIndex = (firstFiller === -1 ? 30 : firstFiller) - 1;
  return { name: 'documentNumber', digit: { line: 0, index: digitIndex }, ranges: [r(0, 5, 14), r(0, 15, digitIndex)] };
}

function checksFor(layout: Layout, grid: Grid): CheckDef[] {
  if (layout.format !== 'TD1') return layout.checks;
  const long = td1LongNumberCheck(grid);
  return long ? layout.checks.map((c) => (c.name === 'documentNumber' ? long : c)) : layout.checks;
}

function rangeText(grid: Grid, ranges: Range[]): string {
  return ranges.map((rg) => (grid[rg.line] ?? []).slice(rg.start, rg.end).join('')).join('');
}

function checkPasses(grid: Grid, check: CheckDef): boolean {
  const digit = at(grid, check.digit);
  if (check.mayBeEmpty && allFillers(grid, check.ranges)) return digit === '<' || digit === '0';
  const code = digit.charCodeAt(0);
  if (digit.length !== 1 || code < 48 || code > 57) return false;
  const expected = code - 48;
  // TD1 long number: issuers differ on whether the `<` at position 14 counts.
  if (check.name === 'documentNumber' && check.ranges.length === 2 && gridCheckDigit(grid, check.ranges, true) === expected) return true;
  return gridCheckDigit(grid, check.ranges) === expected;
}

function ambiguousPositions(grid: Grid, layout: Layout, check: CheckDef, locked: Set<string>): Pos[] {
  return positionsOf(check.ranges)
    .filter((p) => !locked.has(key(p)) && classAt(layout, p) === 'alnum')
    .filter((p) => {
      const ch = at(grid, p);
      if (ch === 'K') return isTrailingInSegment(grid, layout, p); // K for `<` only in a field's tail
      return LOOK_ALIKES[ch] !== undefined;
    })
    .slice(0, MAX_AMBIGUOUS_POSITIONS);
}

function isTrailingInSegment(grid: Grid, layout: Layout, pos: Pos): boolean {
  const segment = layout.segments.find((s) => s.line === pos.line && pos.index >= s.start && pos.index < s.end);
  const rest = (grid[pos.line] ?? []).slice(pos.index + 1, segment?.end ?? pos.index + 1).join('');
  return /^[K<]*$/.test(rest);
}

function key(p: Pos): string {
  return `${p.line}:${p.index}`;
}

/** Every `size`-subset of 0…count−1 in lexicographic order; kept, as the search asks for the same few. */
const subsetLists = new Map<string, readonly (readonly number[])[]>();

function subsetsBySize(count: number, size: number): readonly (readonly number[])[] {
  const cacheKey = `${count}/${size}`;
  let list = subsetLists.get(cacheKey);
  if (!list) {
    const out: number[][] = [];
    const grow = (from: number, chosen: number[]): void => {
      if (chosen.length === size) out.push(chosen);
      else for (let i = from; i < count; i++) grow(i + 1, [...chosen, i]);
    };
    grow(0, []);
    list = out;
    subsetLists.set(cacheKey, list);
  }
  return list;
}

/**
 * Letter↔digit switches inside the alphanumeric parts of a check's ranges, the check digit included
 * as the right neighbour of the field it follows (document numbers rarely alternate).
 */
function classTransitions(grid: Grid, layout: Layout, check: CheckDef): number {
  let transitions = 0;
  for (const rg of check.ranges) {
    let text = '';
    for (let index = rg.start; index < rg.end; index++) {
      const p = { line: rg.line, index };
      if (classAt(layout, p) === 'alnum') text += at(grid, p);
    }
    text = text
      .replace(/<+$/, '');
    if (check.digit.line === rg.line && check.digit.index === rg.end && !text.includes('<')) text += at(grid, check.digit);
    text = text.replace(/</g, '');
    for (let i = 1; i < text.length; i++) {
      if (/[0-9]/.test(text[i - 1] ?? '') !== /[0-9]/.test(text[i] ?? '')) transitions++;
    }
  }
  return transitions;
}

/** Weight of one letter/digit transition against one substitution when choosing a reading. */
const TRANSITION_WEIGHT = 0.75;

/**
 * The cheapest reading that makes a failing check pass, applied to `grid`: cost = substitutions +
 * 0.75 × letter/digit transitions. Several look-alike readings often satisfy one check digit; the
 * transition prior picks the plausible one. Returns the number of substitutions, or undefined
 * when no reading passes.
 */
function repairCheck(grid: Grid, layout: Layout, check: CheckDef, locked: Set<string>): number | undefined {
  // A reading that already agrees is kept: another agreeing one would need two coincident OCR errors.
  if (checkPasses(grid, check)) return 0;
  const positions = ambiguousPositions(grid, layout, check, locked);
  const originals = positions.map((p) => at(grid, p));
  const costOf = (size: number): number => size + TRANSITION_WEIGHT * classTransitions(grid, layout, check);
  let best: { subset: number[]; cost: number } | undefined;
  for (let size = 1; size <= Math.min(MAX_SUBSTITUTIONS, positions.length); size++) {
    if (best && best.cost < size) break;
    for (const subset of subsetsBySize(positions.length, size)) {
      subset.forEach((i) => setAt(grid, positions[i]!, LOOK_ALIKES[originals[i]!]!));
      if (checkPasses(grid, check)) {
        const cost = costOf(size);
        if (!best || cost < best.cost) best = { subset: [...subset], cost };
      }
      subset.forEach((i) => setAt(grid, positions[i]!, originals[i]!));
    }
  }
  if (!best) return undefined;
  best.subset.forEach((i) => setAt(grid, positions[i]!, LOOK_ALIKES[originals[i]!]!));
  return best.subset.length;
}

interface GridRepair {
  lines: string[];
  failedChecks: MrzCheckName[];
  changes: number;
  issues: number;
  /** A check digit that could not be read was inferred. */
  inferred: boolean;
}

interface Substitution {
  pos: Pos;
  original: string;
}

/** Substitutions a reading may carry and still have one unreadable check digit inferred. */
const MAX_REPAIRS_BEFORE_INFERENCE = 1;

function repairGrid(lines: string[], layout: Layout): GridRepair {
  const grid = toGrid(lines);
  repairNames(grid, layout);
  const emptied = clearEmptyOptionalDigits(grid, layout);
  const unreadable = unreadableDigits(grid, layout);
  const letters = letterDigits(grid, layout);
  const forced = emptied + forceDocumentCode(grid, layout) + clearOptionalJunk(grid, layout) + forceClasses(grid, layout);
  const checks = checksFor(layout, grid);
  const locked = new Set<string>();
  const repairs: Substitution[][] = [];
  for (const check of checks) {
    const before = snapshot(grid, positionsOf(check.ranges));
    const fixed = repairCheck(grid, layout, check, locked);
    if (fixed === undefined) continue;
    if (fixed > 0) repairs.push(before.filter((s) => at(grid, s.pos) !== s.original));
    positionsOf(check.ranges).forEach((p) => locked.add(key(p)));
  }
  const kept = keepRepairsTheCompositeConfirms(grid, checks, repairs);
  // One look-alike repair, confirmed by its own field's check digit, still leaves the other digits
  // to vouch for the data; two or more repairs with the composite unread prove too little.
  const inferred = kept <= MAX_REPAIRS_BEFORE_INFERENCE && inferUnreadableDigit(grid, checks, unreadable, letters) === 'inferred';
  const repairedLines = fromGrid(grid);
  const failedChecks = checks.filter((c) => !checkPasses(grid, c)).map((c) => c.name);
  return { lines: repairedLines, failedChecks, changes: forced + kept, issues: structuralIssues(repairedLines, layout), inferred };
}

/** Half repairs kept (see repairByHalves): a badly read zone gives a few thousand distinct lines. */
const HALF_REPAIR_CACHE_SIZE = 20_000;
const halfRepairs = new Map<string, GridRepair>();

/**
 * `repairGrid`, computed as two halves that are kept: the names line, and the lines with check
 * digits. Every step of the repair reads and writes within one half (the check digits and their
 * fields lie in the other lines; the names line's own steps, the document code and issuing state
 * included, touch nothing else), and its counts add up. So a combination's repair is the repair of
 * its names line with the other lines all fillers, merged with the repair of its other lines with a
 * names line of fillers, less the all-filler zone's counts counted twice. The search repairs tens of
 * thousands of combinations of a badly read zone, made of a few thousand distinct lines.
 */
function repairByHalves(lines: string[], layout: Layout): GridRepair {
  const namesLine = layout.names.line;
  const filler = '<'.repeat(layout.lineLength);
  const repairOf = (own: string[]): GridRepair => {
    const key = `${layout.format}\n${own.join('\n')}`;
    let repair = halfRepairs.get(key);
    if (!repair) {
      repair = repairGrid(own, layout);
      halfRepairs.set(key, repair);
      if (halfRepairs.size > HALF_REPAIR_CACHE_SIZE) halfRepairs.delete(halfRepairs.keys().next().value!);
    }
    return repair;
  };
  const names = repairOf(lines.map((l, i) => (i === namesLine ? l : filler)));
  const checked = repairOf(lines.map((l, i) => (i === namesLine ? filler : l)));
  const neither = repairOf(lines.map(() => filler));
  return {
    lines: checked.lines.map((l, i) => (i === namesLine ? names.lines[i]! : l)),
    failedChecks: [...checked.failedChecks],
    changes: names.changes + checked.changes - neither.changes,
    issues: names.issues + checked.issues - neither.issues,
    inferred: checked.inferred,
  };
}

/**
 * Check digits that could not be read: a letter or junk where a digit belongs (OCR gives `y`, `é`,
 * `g` for some digits), or a filler where none is allowed (a lost last character).
 */
function unreadableDigits(grid: Grid, layout: Layout): Set<MrzCheckName> {
  const out = new Set<MrzCheckName>();
  for (const check of checksFor(layout, grid)) {
    const ch = at(grid, check.digit);
    if (/[0-9]/.test(ch) || TO_DIGIT[ch] !== undefined) continue;
    if (ch === '<' && (check.mayBeEmpty || check.name === 'documentNumber')) continue;
    out.add(check.name);
  }
  return out;
}

/**
 * An empty personal number (fillers, read by OCR as `K`, `c`, `e`…) has `<` as its check digit; junk
 * there is the same filler noise, not an unreadable digit. Returns the characters changed.
 */
function clearEmptyOptionalDigits(grid: Grid, layout: Layout): number {
  let changes = 0;
  for (const check of checksFor(layout, grid)) {
    if (!check.mayBeEmpty) continue;
    const data = rangeText(grid, check.ranges);
    const ch = at(grid, check.digit);
    if (!data.startsWith('<') || !/^[<KXCSE]*$/i.test(data) || /[0-9<]/.test(ch)) continue;
    if (!/^[KXCSE]$/i.test(ch)) continue;
    setAt(grid, check.digit, '<');
    changes++;
  }
  return changes;
}

/** Check digits OCR gave as a letter with a digit look-alike (`G`, `S`, `O`…), before conversion. */
function letterDigits(grid: Grid, layout: Layout): Set<MrzCheckName> {
  const out = new Set<MrzCheckName>();
  for (const check of checksFor(layout, grid)) {
    const ch = at(grid, check.digit);
    if (!/[0-9<]/.test(ch) && TO_DIGIT[ch] !== undefined) out.add(check.name);
  }
  return out;
}

/**
 * One unreadable check digit can be inferred when every other check digit agrees with the data as
 * read, or after at most one look-alike substitution that its own field's digit confirms: they still
 * verify the fields. With more than one unreadable digit, or more substitutions, nothing is inferred.
 */
function inferUnreadableDigit(
  grid: Grid,
  checks: CheckDef[],
  unreadable: Set<MrzCheckName>,
  letters: Set<MrzCheckName> = new Set(),
): 'read' | 'inferred' | false {
  const failing = checks.filter((c) => !checkPasses(grid, c));
  const [only] = failing;
  if (failing.length !== 1 || !only) return false;
  // A letter printed where the check digit belongs (G for 6, S for 5…) was read as its look-alike;
  // when that look-alike disagrees with the data, the letter was a misreading, not a failed check.
  const unreadableOnly = unreadable.size === 1 && unreadable.has(only.name);
  const letterOnly = unreadable.size === 0 && letters.has(only.name);
  if (!unreadableOnly && !letterOnly) return false;
  const original = at(grid, only.digit);
  const value = String(mrzCheckDigit(rangeText(grid, only.ranges)));
  // A `g`/`y` is a 4 or a 9: when the data asks for one of those it is a reading; otherwise the
  // printed digit disagrees with the data and the check fails.
  if (original === FOUR_OR_NINE && value !== '4' && value !== '9') return false;
  setAt(grid, only.digit, value);
  if (checkPasses(grid, only)) return original === FOUR_OR_NINE ? 'read' : 'inferred';
  setAt(grid, only.digit, original);
  return false;
}

/** Passports (TD3) always start with `P`; OCR reads it as F, R or B at times. */
function forceDocumentCode(grid: Grid, layout: Layout): number {
  if (layout.format !== 'TD3' || at(grid, { line: 0, index: 0 }) === 'P') return 0;
  setAt(grid, { line: 0, index: 0 }, 'P');
  return 1;
}

/** Optional data (personal number, optional fields) is left-aligned: after a `<<`, only fillers. */
function clearOptionalJunk(grid: Grid, layout: Layout): number {
  let changes = 0;
  for (const s of optionalSegments(layout)) {
    const text = rangeText(grid, [s]);
    const end = text.startsWith('<') ? 0 : text.indexOf('<<');
    if (end === -1) continue;
    for (let index = s.start + end; index < s.end; index++) {
      if (at(grid, { line: s.line, index }) === '<') continue;
      setAt(grid, { line: s.line, index }, '<');
      changes++;
    }
  }
  return changes;
}

function optionalSegments(layout: Layout): Range[] {
  switch (layout.format) {
    case 'TD3':
      return [r(1, 28, 42)];
    case 'TD2':
      return [r(1, 28, 35)];
    case 'TD1':
      return [r(0, 15, 30), r(1, 18, 29)];
  }
}

function snapshot(grid: Grid, positions: readonly Pos[]): Substitution[] {
  return positions.map((pos) => ({ pos, original: at(grid, pos) }));
}

function failureCount(grid: Grid, checks: CheckDef[]): number {
  return checks.filter((c) => !checkPasses(grid, c)).length;
}

/**
 * The composite digit covers the other fields, so it tells a misread field from a misprinted check
 * digit: a repair after which the composite fails while the reading as printed satisfies it is
 * undone. Tries undoing every subset of repairs; keeps the fewest failures, then the fewest
 * changes. Returns the number of substitutions kept.
 */
function keepRepairsTheCompositeConfirms(grid: Grid, checks: CheckDef[], repairs: Substitution[][]): number {
  const count = (subs: Substitution[][]): number => subs.reduce((n, s) => n + s.length, 0);
  if (repairs.length === 0 || failureCount(grid, checks) === 0) return count(repairs);
  const repaired = repairs.map((subs) => subs.map((s) => ({ pos: s.pos, original: at(grid, s.pos) })));
  let best = { mask: 0, failures: failureCount(grid, checks), changes: count(repairs) };
  for (let mask = 1; mask < 1 << repairs.length; mask++) {
    writeSelected(grid, repairs, mask);
    const kept = repairs.filter((_, i) => !(mask & (1 << i)));
    const candidate = { mask, failures: failureCount(grid, checks), changes: count(kept) };
    if (candidate.failures < best.failures || (candidate.failures === best.failures && candidate.changes < best.changes)) best = candidate;
    writeSelected(grid, repaired, mask);
  }
  writeSelected(grid, repairs, best.mask);
  return best.changes;
}

/** For each set selected by `mask`, writes its recorded characters back into `grid`. */
function writeSelected(grid: Grid, sets: Substitution[][], mask: number): void {
  sets.forEach((subs, i) => {
    if (mask & (1 << i)) subs.forEach((s) => setAt(grid, s.pos, s.original));
  });
}

/**
 * Names carry no check digit, so only unambiguous damage is repaired: when the surname/given-names
 * separator `<<` is missing, the last `KK` in the field is taken as it.
 */
function repairNames(grid: Grid, layout: Layout): void {
  const { line, start, end } = layout.names;
  const field = (grid[line] ?? []).slice(start, end).join('');
  const trimmed = field.replace(/<+$/, '');
  if (trimmed.includes('<<') || !/[A-Z]/.test(trimmed)) return;
  const last = trimmed.lastIndexOf('KK');
  if (last <= 0) return;
  const fixed = trimmed.slice(0, last) + '<<' + trimmed.slice(last + 2);
  [...fixed.padEnd(end - start, '<')].forEach((ch, i) => setAt(grid, { line, index: start + i }, ch));
}

// ---------------------------------------------------------------------------------------------
// Plausibility

/** True for a code the MRZ may carry as a state (ISO alpha-3, `D`, `UTO`, UN and XX* codes). */
export function isMrzState(code: string): boolean {
  return isState(code);
}

function isState(code: string): boolean {
  const bare = code.replace(/<+$/, '');
  return bare in MRZ_STATES || EXTRA_STATES.has(bare);
}

function isMrzDate(yymmdd: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return false;
  return toIsoDate(2000, Number(m[2]), Number(m[3])) !== undefined;
}

function datePositions(layout: Layout): Range[] {
  return layout.format === 'TD1' ? [r(1, 0, 6), r(1, 8, 14)] : [r(1, 13, 19), r(1, 21, 27)];
}

function countryRanges(layout: Layout): Range[] {
  return layout.format === 'TD1' ? [r(0, 2, 5), r(1, 15, 18)] : [r(0, 2, 5), r(1, 10, 13)];
}

/** A document number starts at the field start; fillers only pad its end. */
function documentNumberRange(layout: Layout): Range {
  return layout.format === 'TD1' ? r(0, 5, 14) : r(1, 0, 9);
}

function sexPosition(layout: Layout): Pos {
  return layout.format === 'TD1' ? { line: 1, index: 7 } : { line: 1, index: 20 };
}

function structuralIssues(lines: string[], layout: Layout): number {
  const grid = toGrid(lines);
  let issues = 0;
  if (!layout.documentCodes.includes(lines[0]?.[0] ?? '')) issues++;
  for (const rg of countryRanges(layout)) if (!isState(rangeText(grid, [rg]))) issues++;
  for (const rg of datePositions(layout)) if (!isMrzDate(rangeText(grid, [rg]))) issues++;
  if (!['M', 'F', '<', 'X'].includes(at(grid, sexPosition(layout)))) issues++;
  if (!/^[A-Z0-9]+<*$/.test(rangeText(grid, [documentNumberRange(layout)]))) issues++;
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Choosing a reading

interface Candidate extends GridRepair {
  format: MrzFormat;
  /** Characters inserted or dropped to reach the fixed line length. */
  lengthChanges: number;
  lengthCost: number;
}

/** Weight of each character the lines are off the layout's length (a format prior). */
const LENGTH_PRIOR = 0.15;

/**
 * An inferred digit costs almost a failure: an alignment that pushes a readable (perhaps wrong)
 * digit out of its place must not look better than reporting that digit.
 */
const INFERRED_DIGIT_COST = 3.7;

/** Disagreeing check digits weigh most, then implausible values, then how much was changed. */
function cost(c: Candidate): number {
  const inferred = c.inferred ? INFERRED_DIGIT_COST : 0;
  return c.failedChecks.length * 4 + c.issues * 3 + c.lengthCost + c.changes * 0.3 + c.lengthChanges * LENGTH_PRIOR + inferred;
}

function better(a: Candidate, b: Candidate): boolean {
  return cost(a) < cost(b);
}

function cartesian<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}

function bestForLayout(lines: string[], layout: Layout): Candidate | undefined {
  if (lines.length !== layout.lineCount) return undefined;
  const perLine = lines.map((line, i) => lengthCandidates(line, layout.lineLength, layout.dataLines.includes(i)));
  let best = bestOfCombos(lines, layout, cartesian(perLine));
  if (best && best.failedChecks.length > 0) {
    // Stray or lost characters inside the data (one glyph read as two, a filler missed).
    for (const dataLine of layout.dataLines) {
      const variants = deletionVariants(lines[dataLine] ?? '', layout.lineLength);
      const combos = variants.flatMap((v) => cartesian(perLine.map((c, i) => (i === dataLine ? v : c))));
      const candidate = bestOfCombos(lines, layout, combos, best);
      if (candidate && better(candidate, best)) best = candidate;
    }
  }
  return best;
}

/**
 * The cheapest repaired combination (the first in `combos` order among equals), or one no cheaper
 * than `toBeat` when none is. A combination's alignment cost is a floor under its whole cost (the
 * other terms only add), so combinations are tried cheapest-aligned first and the search stops where
 * that floor reaches the best cost found: the same answer as trying all, without the repairs that
 * cannot win (a badly read zone has thousands of combinations, and each repair costs ~50 µs).
 */
function bestOfCombos(lines: string[], layout: Layout, combos: Aligned[][], toBeat?: Candidate): Candidate | undefined {
  const lengthChanges = lines.reduce((sum, l) => sum + Math.abs(l.length - layout.lineLength), 0);
  const ceiling = toBeat ? cost(toBeat) : Infinity;
  const ordered = combos
    .map((combo, index) => {
      const lengthCost = combo.reduce((sum, c) => sum + c.cost, 0);
      const floor = cost({ lines: [], failedChecks: [], changes: 0, issues: 0, inferred: false, format: layout.format, lengthChanges, lengthCost });
      return { combo, index, lengthCost, floor };
    })
    .sort((a, b) => a.floor - b.floor || a.index - b.index);
  let best: { candidate: Candidate; cost: number; index: number } | undefined;
  // Different edits often give the same lines (a filler inserted either side of another); the first
  // in this order has the lowest alignment cost, so a later one can only cost more.
  const tried = new Set<string>();
  for (const { combo, index, lengthCost, floor } of ordered) {
    if (floor >= ceiling || (best && floor > best.cost)) break;
    if (best && floor === best.cost && index > best.index) continue; // at best a tie, and later in order
    const lines = combo.map((c) => c.line);
    const key = lines.join('\n');
    if (tried.has(key)) continue;
    tried.add(key);
    const repaired = repairByHalves(lines, layout);
    const candidate: Candidate = { ...repaired, format: layout.format, lengthChanges, lengthCost };
    const candidateCost = cost(candidate);
    if (!best || candidateCost < best.cost || (candidateCost === best.cost && index < best.index)) best = { candidate, cost: candidateCost, index };
  }
  return best?.candidate;
}

/** Where stray characters are looked for: the fixed-position data at the start of a data line. */
const DATA_SPAN = 30;
const STRAY_CHARACTER_COST = 0.8;

/** How much longer than its layout a data line may be for the stray character search. */
const MAX_STRAY = 3;

/**
 * A data line a few characters longer than its layout with one or two non-filler characters
 * deleted from its data span; a shorter one with one filler inserted there (a lost `<` in `D<<`).
 * Each variant is realigned.
 */
function deletionVariants(line: string, length: number): Aligned[][] {
  const surplus = line.length - length;
  if (surplus === 0 || surplus > MAX_STRAY) return [];
  const span = Math.min(DATA_SPAN, line.length);
  const edit = surplus > 0
    ? (text: string, i: number): string | undefined => (text[i] === '<' ? undefined : text.slice(0, i) + text.slice(i + 1))
    : (text: string, i: number): string | undefined => insertAt(text, i, '<');
  const out: Aligned[][] = [];
  for (let i = 1; i < span; i++) {
    const once = edit(line, i);
    if (once === undefined) continue;
    out.push(withCost(lengthCandidates(once, length, true), STRAY_CHARACTER_COST));
    if (surplus < 2) continue; // one lost filler inside the data is common; two are not
    for (let j = i + 1; j < span; j++) {
      const twice = edit(once, j);
      if (twice !== undefined) out.push(withCost(lengthCandidates(twice, length, true), 2 * STRAY_CHARACTER_COST));
    }
  }
  return out;
}

function withCost(candidates: Aligned[], extra: number): Aligned[] {
  return candidates.map((c) => ({ line: c.line, cost: c.cost + extra }));
}

function formatsFor(lines: string[]): MrzFormat[] {
  if (lines.length === 3) return ['TD1'];
  if (lines.length !== 2) return [];
  const longest = Math.max(...lines.map((l) => l.length));
  if (longest >= 41) return ['TD3', 'TD2'];
  if (longest <= 32) return ['TD2'];
  return ['TD2', 'TD3'];
}

/** A reading is an MRZ at all: few implausible values, and a fitting document code or agreeing digits. */
function acceptable(c: Candidate): boolean {
  const layout = LAYOUTS[c.format];
  const checks = layout.checks.length;
  const passed = checks - c.failedChecks.length;
  const codeOk = layout.documentCodes.includes(c.lines[0]?.[0] ?? '');
  return c.issues <= 2 && (codeOk || passed >= 3);
}

/**
 * Realigns and repairs MRZ lines (already cleaned by `cleanMrzLine`). Tries the formats the line
 * count and lengths allow (or `format`), and returns the reading whose check digits agree best.
 */
export function repairMrz(lines: string[], format?: MrzFormat): MrzRepair | undefined {
  const formats = format ? [format] : formatsFor(lines);
  let best: Candidate | undefined;
  for (const f of formats) {
    const candidate = bestForLayout(lines, LAYOUTS[f]);
    if (candidate && (!best || better(candidate, best))) best = candidate;
  }
  if (!best || !acceptable(best)) return undefined;
  const original = lines.join('\n');
  return {
    format: best.format,
    lines: best.lines,
    repaired: best.lines.join('\n') !== original,
    failedChecks: best.failedChecks,
    changes: best.changes + best.lengthChanges,
    inferredDigit: best.inferred,
  };
}

/** Windows of a block that could be one MRZ: the whole block, else every 3- and 2-line run. */
function windows(block: MrzBlock): Array<{ offset: number; lines: string[] }> {
  const n = block.lines.length;
  if (n === 2 || n === 3) return [{ offset: 0, lines: block.lines }];
  const out: Array<{ offset: number; lines: string[] }> = [];
  for (const size of [3, 2]) {
    for (let i = 0; i + size <= n; i++) out.push({ offset: i, lines: block.lines.slice(i, i + size) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fields

function mrzCountry(code: string | null | undefined): string | undefined {
  const bare = (code ?? '').replace(/[<\s]+/g, '');
  if (bare.length === 0) return undefined;
  return MRZ_TO_ALPHA3[bare] ?? bare;
}

function mrzDate(yymmdd: string | null | undefined, asOf: string, direction: 'past' | 'future'): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd ?? '');
  if (!m) return undefined;
  const [month, day] = [Number(m[2]), Number(m[3])];
  return toIsoDate(resolveCentury(Number(m[1]), month, day, { asOf, direction }), month, day);
}

function mrzSex(value: string | null | undefined): string | undefined {
  if (value === 'male' || value === 'M') return 'M';
  if (value === 'female' || value === 'F') return 'F';
  if (value === 'nonspecified' || value === '<' || value === 'X') return 'X';
  return undefined;
}

/** Letters OCR makes out of fillers; alone at the end of the given names they are noise. */
const FILLER_GHOSTS = /<[KXCESYG]$/;

/**
 * Surname before the first `<<`, given names after it up to the next `<<` (names are left-aligned;
 * anything after a run of fillers is OCR noise), one trailing ghost letter dropped.
 */
function nameParts(field: string): { surname?: string; givenNames?: string } {
  const trimmed = field.replace(/<+$/, '');
  const separator = trimmed.indexOf('<<');
  const surname = separator === -1 ? trimmed : trimmed.slice(0, separator);
  const afterSeparator = separator === -1 ? '' : trimmed.slice(separator).replace(/^<+/, '');
  const given = afterSeparator.split('<<')[0]?.replace(FILLER_GHOSTS, '') ?? '';
  const clean = (s: string): string | undefined => {
    const v = s.replace(/</g, ' ').replace(/\s+/g, ' ').trim();
    return v.length > 0 ? v : undefined;
  };
  // The name field holds letters and fillers only: digits anywhere in it mean OCR read something
  // else (a damaged line, the photo's edge) as the name. No name is better than a wrong one.
  if (/\d/.test(surname + given)) return {};
  return { surname: clean(surname), givenNames: clean(given) };
}

/** Raw slices by layout; the fallback when the `mrz` package rejects a value (e.g. state `UTO`). */
function sliceFields(lines: string[], layout: Layout): Record<string, string> {
  const g = toGrid(lines);
  const t = (line: number, start: number, end: number): string => rangeText(g, [r(line, start, end)]);
  const names = nameParts(t(layout.names.line, layout.names.start, layout.names.end));
  const common = { issuingState: t(0, 2, 5), lastName: names.surname ?? '', firstName: names.givenNames ?? '' };
  if (layout.format === 'TD1') {
    return { ...common, documentNumber: t(0, 5, 14), birthDate: t(1, 0, 6), sex: t(1, 7, 8), expirationDate: t(1, 8, 14), nationality: t(1, 15, 18) };
  }
  return { ...common, documentNumber: t(1, 0, 9), nationality: t(1, 10, 13), birthDate: t(1, 13, 19), sex: t(1, 20, 21), expirationDate: t(1, 21, 27) };
}

interface PackageFields {
  fields: Record<string, string | null | undefined>;
  documentNumber: string | null;
}

function parseWithPackage(lines: string[]): PackageFields | undefined {
  try {
    const result = parseMrzPackage(lines);
    if (result.format !== 'TD1' && result.format !== 'TD2' && result.format !== 'TD3') return undefined;
    return { fields: result.fields, documentNumber: result.documentNumber };
  } catch {
    return undefined;
  }
}

function present(value: string | undefined): string | undefined {
  const v = value?.replace(/</g, ' ').replace(/\s+/g, ' ').trim();
  return v && v.length > 0 ? v : undefined;
}

/** Fields of repaired, correctly sized MRZ lines. */
export function mrzFields(lines: string[], format: MrzFormat, options: MrzReadOptions): MrzFields {
  const layout = LAYOUTS[format];
  const raw = sliceFields(lines, layout);
  const pkg = parseWithPackage(lines);
  const pick = (name: string): string | undefined => pkg?.fields[name] ?? raw[name];
  const names = nameParts(rangeText(toGrid(lines), [layout.names]));
  const fields: MrzFields = {
    surname: names.surname,
    givenNames: names.givenNames,
    documentNumber: present(pkg?.documentNumber ?? raw.documentNumber),
    nationality: mrzCountry(pick('nationality')),
    issuingCountry: mrzCountry(pick('issuingState')),
    dateOfBirth: mrzDate(pick('birthDate'), options.asOf, 'past'),
    expiryDate: mrzDate(pick('expirationDate'), options.asOf, 'future'),
    sex: mrzSex(pick('sex')),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as MrzFields;
}

interface Located {
  block: MrzBlock;
  offset: number;
  repair: MrzRepair;
}

/** Texts whose search result is kept: classification and field extraction read the same text. */
const SEARCH_CACHE_SIZE = 32;
const searched = new Map<string, Located | undefined>();

/**
 * The best-agreeing repaired MRZ among the line groups of `text`. The repair search costs up to a
 * second of CPU on a badly read zone, and a document's text is searched by its classification and
 * its field extraction alike, so recent results are kept (frozen: callers share them).
 */
function findBestMrz(text: string): Located | undefined {
  if (searched.has(text)) {
    const hit = searched.get(text);
    searched.delete(text); // most recently used last
    searched.set(text, hit);
    return hit;
  }
  const found = searchBestMrz(text);
  if (found) {
    Object.freeze(found.repair.lines);
    Object.freeze(found.repair.failedChecks);
  }
  searched.set(text, found);
  if (searched.size > SEARCH_CACHE_SIZE) searched.delete(searched.keys().next().value!);
  return found;
}

function searchBestMrz(text: string): Located | undefined {
  let best: Located | undefined;
  for (const block of locateMrz(text)) {
    for (const window of windows(block)) {
      const repair = repairMrz(window.lines);
      if (!repair) continue;
      if (best && !isBetterRepair(repair, best.repair)) continue;
      best = { block, offset: window.offset, repair };
    }
  }
  return best;
}

function isBetterRepair(a: MrzRepair, b: MrzRepair): boolean {
  const fa = a.failedChecks.length;
  const fb = b.failedChecks.length;
  return fa < fb || (fa === fb && a.changes < b.changes);
}

/** Format and document code of the MRZ in `text`, without reading fields (for classification). */
export function detectMrz(text: string): { format: MrzFormat; documentCode: string; valid: boolean; unverified: boolean } | undefined {
  const found = findBestMrz(text);
  if (!found) return undefined;
  const { repair } = found;
  return { format: repair.format, documentCode: documentCodeOf(repair.lines), valid: repair.failedChecks.length === 0, unverified: repair.inferredDigit === true };
}

/** Line combinations tried by `combineMrzReadings` (each costs a repair search). */
const MAX_COMBINATIONS = 48;

/**
 * A valid MRZ assembled line by line from several OCR readings of the same band, when no single
 * reading is valid: one reading often gets line 1 right and line 2 wrong, another the reverse.
 * Readings are lists of lines; only those with the most common count of 2 or 3 lines take part.
 * Returns the lines of the first combination whose check digits all agree, else undefined.
 *
 * The names line (TD1's third, TD2's and TD3's first) holds no check digit, so it cannot make the
 * others' digits agree: the lines with check digits vary first, under the first reading of the
 * names line, and a combination of them that was read as an MRZ whose digits disagree is not tried
 * again under another names line. Only those that were not read as an MRZ at all (a names line
 * too damaged to show the document code or issuing state) are. Each try is a repair search
 * (10–30 ms for a badly read zone), and trying every names line with every other line cost up to a
 * second per document that no combination could fix.
 */
export function combineMrzReadings(readings: readonly (readonly string[])[]): string[] | undefined {
  const shaped = readings.filter((r) => r.length === 2 || r.length === 3);
  const lineCount = shaped.filter((r) => r.length === 3).length > shaped.filter((r) => r.length === 2).length ? 3 : 2;
  const usable = shaped.filter((r) => r.length === lineCount);
  if (usable.length < 2) return undefined;
  // The distinct readings of each line: agreeing readings are tried once.
  const options = Array.from({ length: lineCount }, (_, line) => [...new Set(usable.map((r) => r[line] ?? ''))]);
  const namesLine = LAYOUTS[lineCount === 3 ? 'TD1' : 'TD3'].names.line;
  const checkedLines = options.flatMap((_, line) => (line === namesLine ? [] : [line]));
  // Every combination of the check-digit lines, the last line varying fastest.
  const combos = cartesian(checkedLines.map((line) => options[line]!));
  const readWithDisagreeingDigits = new Set<number>();
  let tried = 0;
  for (const names of options[namesLine]!) {
    for (const [k, combo] of combos.entries()) {
      if (readWithDisagreeingDigits.has(k)) continue;
      if (tried++ === MAX_COMBINATIONS) return undefined;
      const lines = [...combo];
      lines.splice(namesLine, 0, names);
      const found = detectMrz(lines.join('\n'));
      if (found?.valid) return lines;
      if (found) readWithDisagreeingDigits.add(k);
    }
  }
  return undefined;
}

function documentCodeOf(lines: string[]): string {
  return (lines[0] ?? '').slice(0, 2).replace(/</g, '');
}

/**
 * Finds, repairs and reads the MRZ in a page of OCR or PDF text. Returns the best-agreeing reading
 * when several line groups qualify, or undefined when the text holds no MRZ.
 */
export function readMrz(text: string, options: MrzReadOptions): MrzReading | undefined {
  const found = findBestMrz(text);
  return found && toReading(found.block, found.offset, found.repair, options);
}

function toReading(block: MrzBlock, offset: number, repair: MrzRepair, options: MrzReadOptions): MrzReading {
  const sources = [...new Set(block.sourceOf.slice(offset, offset + repair.lines.length))];
  const sourceLines = sources.map((i) => block.sourceLines[i] ?? '');
  const cleanedInput = block.lines.slice(offset, offset + repair.lines.length);
  const isVerbatim = sourceLines.length === cleanedInput.length && sourceLines.every((l, i) => l.trim() === cleanedInput[i]);
  return {
    format: repair.format,
    documentCode: documentCodeOf(repair.lines),
    lines: repair.lines,
    sourceLines,
    lineIndex: block.lineIndexes[sources[0] ?? 0] ?? 0,
    fields: mrzFields(repair.lines, repair.format, options),
    summary: {
      format: repair.format,
      valid: repair.failedChecks.length === 0,
      failedChecks: repair.failedChecks,
      repaired: repair.repaired || !isVerbatim,
      ...(repair.inferredDigit ? { unverified: true } : {}),
    },
  };
}

/** The names field of a reading's (repaired) lines, fillers and all. */
export function mrzNameField(reading: Pick<MrzReading, 'format' | 'lines'>): string {
  const { line, start, end } = LAYOUTS[reading.format].names;
  return (reading.lines[line] ?? '').slice(start, end);
}

/** What the visual zone prints that the MRZ also carries: its dates (`YYYY-MM-DD`) and document numbers. */
export interface VisualZoneValues {
  dates: readonly string[];
  documentNumbers: readonly string[];
}

/** At most this many characters of an MRZ field may differ from the printed value that replaces them. */
const MAX_VISUAL_REPAIR = 2;
/** The character OCR confuses `ch` with (O for 0, 0 for O…), from the repair's own tables. */
function lookAlike(ch: string): string | undefined {
  return TO_DIGIT[ch] ?? TO_LETTER[ch];
}

/** A printed document number and its look-alike spellings (at most 4 ambiguous characters: 16 variants). */
function lookAlikeVariants(value: string): string[] {
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
