/**
 * ICAO 9303 layouts of machine-readable zones: line sizes, what each position may hold, check
 * digits and their fields, and the character tables the later stages use.
 */
import { states as MRZ_STATES } from 'mrz';
import { toIsoDate } from '../dates.js';
import type { MrzSummary } from '../documents.js';

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

export interface MrzRepair {
  format: MrzFormat;
  lines: string[];
  repaired: boolean;
  failedChecks: MrzCheckName[];
  /** Number of characters changed or inserted/removed to reach this reading. */
  changes: number;
  /** One check digit could not be read and was inferred from the data (the others agree). */
  inferredDigit?: boolean;
  /** The lines aligned to the layout's length, before any character was changed. */
  aligned: string[];
  /** Positions (`line:index`) a look-alike swap changed (both characters legal there). */
  lookAlikes: string[];
  /** The check whose unreadable digit was inferred. */
  inferredCheck?: MrzCheckName;
}

export type CharClass = 'alpha' | 'numeric' | 'alnum' | 'check' | 'sex';

export interface Pos {
  line: number;
  index: number;
}

export interface Range {
  line: number;
  start: number;
  end: number;
}

export interface Segment extends Range {
  cls: CharClass;
}

export interface CheckDef {
  name: MrzCheckName;
  digit: Pos;
  ranges: Range[];
  /** The personal number may be all fillers; its check digit is then `<` or `0`. */
  mayBeEmpty?: boolean;
}

export interface Layout {
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

export const r = (line: number, start: number, end: number): Range => ({ line, start, end });
export const seg = (line: number, start: number, end: number, cls: CharClass): Segment => ({ line, start, end, cls });

export const TD3: Layout = {
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

export const TD2: Layout = {
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

export const TD1: Layout = {
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

/**
 * Machine-readable visas (ICAO 9303 part 7): the names line as on a passport; the data line as TD3's
 * up to the expiry digit, then optional data to the end: 16 characters on MRV-A (2×44), 8 on MRV-B
 * (2×36). No personal-number digit and no composite digit.
 */
function visaLayout(format: 'MRVA' | 'MRVB', lineLength: number): Layout {
  return {
    format,
    lineLength,
    lineCount: 2,
    segments: [
      seg(0, 0, lineLength, 'alpha'),
      seg(1, 0, 9, 'alnum'), seg(1, 9, 10, 'check'), seg(1, 10, 13, 'alpha'), seg(1, 13, 19, 'numeric'),
      seg(1, 19, 20, 'check'), seg(1, 20, 21, 'sex'), seg(1, 21, 27, 'numeric'), seg(1, 27, 28, 'check'),
      seg(1, 28, lineLength, 'alnum'),
    ],
    checks: [
      { name: 'documentNumber', digit: { line: 1, index: 9 }, ranges: [r(1, 0, 9)] },
      { name: 'dateOfBirth', digit: { line: 1, index: 19 }, ranges: [r(1, 13, 19)] },
      { name: 'expiryDate', digit: { line: 1, index: 27 }, ranges: [r(1, 21, 27)] },
    ],
    names: r(0, 5, lineLength),
    dataLines: [1],
    documentCodes: ['V'],
  };
}

export const MRVA: Layout = visaLayout('MRVA', 44);
export const MRVB: Layout = visaLayout('MRVB', 36);

export const MRZ_LAYOUTS: Readonly<Record<MrzFormat, { lineLength: number; lineCount: number }>> = {
  TD1: { lineLength: 30, lineCount: 3 },
  TD2: { lineLength: 36, lineCount: 2 },
  TD3: { lineLength: 44, lineCount: 2 },
  MRVA: { lineLength: 44, lineCount: 2 },
  MRVB: { lineLength: 36, lineCount: 2 },
};

export const LAYOUTS: Record<MrzFormat, Layout> = { TD1, TD2, TD3, MRVA, MRVB };

/** Whether a format is a visa's (document code `V`). */
export function isVisaFormat(format: MrzFormat): boolean {
  return format === 'MRVA' || format === 'MRVB';
}

/** Letter read where a digit belongs. */
export const TO_DIGIT: Readonly<Record<string, string>> = { O: '0', Q: '0', D: '0', U: '0', I: '1', L: '1', Z: '2', S: '5', G: '6', B: '8', T: '7' };
/** Digit read where a letter belongs. */
export const TO_LETTER: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B', '4': 'A', '7': 'T' };
/**
 * Look-alikes tried in alphanumeric fields until the check digit agrees. G and 6 are absent: their
 * values differ by exactly 10, so no check digit can tell them apart and a swap would be a guess.
 */
export const LOOK_ALIKES: Readonly<Record<string, string>> = {
  O: '0', '0': 'O', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z', K: '<',
};

/** Substitutions tried per check before giving up. */
export const MAX_SUBSTITUTIONS = 2;
/** Look-alike positions considered per check (bounds the search). */
export const MAX_AMBIGUOUS_POSITIONS = 14;
/** Country codes the `mrz` package does not list but documents carry (ICAO specimen state). */
export const EXTRA_STATES = new Set(['UTO']);
/** MRZ codes that are not ISO 3166 alpha-3. */
export const MRZ_TO_ALPHA3: Readonly<Record<string, string>> = {
  D: 'DEU', GBD: 'GBR', GBN: 'GBR', GBO: 'GBR', GBP: 'GBR', GBS: 'GBR', RKS: 'XKX',
};

// ---------------------------------------------------------------------------------------------
// Check digits

export function charValue(ch: string): number {
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

export const WEIGHTS = [7, 3, 1] as const;

/**
 * `mrzCheckDigit` of the grid's characters in `ranges`, read in place (the repair search runs it
 * for every candidate substitution). `fillerAfterFirst`: a `<` counted between the first range and
 * the rest (the TD1 long document number).
 */
export function gridCheckDigit(grid: Grid, ranges: readonly Range[], fillerAfterFirst = false): number {
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
export function allFillers(grid: Grid, ranges: readonly Range[]): boolean {
  for (const rg of ranges) for (let index = rg.start; index < rg.end; index++) if ((grid[rg.line]?.[index] ?? '<') !== '<') return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Character repair

export type Grid = string[][];

export function toGrid(lines: string[]): Grid {
  return lines.map((l) => [...l]);
}

export function fromGrid(grid: Grid): string[] {
  return grid.map((l) => l.join(''));
}

export function at(grid: Grid, pos: Pos): string {
  return grid[pos.line]?.[pos.index] ?? '<';
}

export function setAt(grid: Grid, pos: Pos, ch: string): void {
  const line = grid[pos.line];
  if (line) line[pos.index] = ch;
}

/** Positions of each range list, computed once: the repair search asks for the same few thousands of times. */
export const positionsOfRanges = new WeakMap<readonly Range[], readonly Pos[]>();

export function positionsOf(ranges: Range[]): readonly Pos[] {
  let positions = positionsOfRanges.get(ranges);
  if (!positions) {
    positions = Object.freeze(ranges.flatMap((rg) => Array.from({ length: rg.end - rg.start }, (_, i) => Object.freeze({ line: rg.line, index: rg.start + i }))));
    positionsOfRanges.set(ranges, positions);
  }
  return positions;
}

/** Each layout's character class per position (line × 64 + index), computed once. */
export const classTables = new WeakMap<Layout, ReadonlyMap<number, CharClass>>();

export function classAt(layout: Layout, pos: Pos): CharClass {
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

export function rangeText(grid: Grid, ranges: Range[]): string {
  return ranges.map((rg) => (grid[rg.line] ?? []).slice(rg.start, rg.end).join('')).join('');
}

// ---------------------------------------------------------------------------------------------
// Plausibility

/** True for a code the MRZ may carry as a state (ISO alpha-3, `D`, `UTO`, UN and XX* codes). */
export function isMrzState(code: string): boolean {
  return isState(code);
}

export function isState(code: string): boolean {
  const bare = code.replace(/<+$/, '');
  return bare in MRZ_STATES || EXTRA_STATES.has(bare);
}

export function isMrzDate(yymmdd: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return false;
  return toIsoDate(2000, Number(m[2]), Number(m[3])) !== undefined;
}

export function datePositions(layout: Layout): Range[] {
  return layout.format === 'TD1' ? [r(1, 0, 6), r(1, 8, 14)] : [r(1, 13, 19), r(1, 21, 27)];
}

export function countryRanges(layout: Layout): Range[] {
  return layout.format === 'TD1' ? [r(0, 2, 5), r(1, 15, 18)] : [r(0, 2, 5), r(1, 10, 13)];
}

/** A document number starts at the field start; fillers only pad its end. */
export function documentNumberRange(layout: Layout): Range {
  return layout.format === 'TD1' ? r(0, 5, 14) : r(1, 0, 9);
}

export function sexPosition(layout: Layout): Pos {
  return layout.format === 'TD1' ? { line: 1, index: 7 } : { line: 1, index: 20 };
}

export function structuralIssues(lines: string[], layout: Layout): number {
  const grid = toGrid(lines);
  let issues = 0;
  if (!layout.documentCodes.includes(lines[0]?.[0] ?? '')) issues++;
  for (const rg of countryRanges(layout)) if (!isState(rangeText(grid, [rg]))) issues++;
  for (const rg of datePositions(layout)) if (!isMrzDate(rangeText(grid, [rg]))) issues++;
  if (!['M', 'F', '<', 'X'].includes(at(grid, sexPosition(layout)))) issues++;
  if (!/^[A-Z0-9]+<*$/.test(rangeText(grid, [documentNumberRange(layout)]))) issues++;
  return issues;
}
