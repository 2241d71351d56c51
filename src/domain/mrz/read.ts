/**
 * Reading an MRZ block: aligning its lines to a layout (fillers lost or added), choosing the best
 * reading among formats, windows and alignments, and turning it into fields and a summary.
 */
import { type Layout, LAYOUTS, type MrzFormat, type MrzReading, type MrzReadOptions, type MrzRepair, r } from './layouts.js';
import { locateMrz, type MrzBlock } from './locate.js';
import { documentCodeOf, mrzFields } from './parse.js';
import { corroborateMrz } from './corroborate.js';
import { zoneStatus } from './status.js';
import { MRZ_PROTECTED_FIELDS, unverifiedMrzFieldsOf, type MrzSummary } from '../documents.js';
import { type GridRepair, repairByHalves } from './repair.js';

// ---------------------------------------------------------------------------------------------
// Alignment: bring each line to the fixed length, adding or removing fillers where they were lost.

export function fillerRuns(line: string): Array<{ start: number; length: number }> {
  return [...line.matchAll(/<+/g)].map((m) => ({ start: m.index, length: m[0].length }));
}

export function insertAt(line: string, index: number, text: string): string {
  return line.slice(0, index) + text + line.slice(index);
}

export interface Aligned {
  line: string;
  /** Fillers added or dropped cost little; dropping data costs much. */
  cost: number;
}

export const CHEAP = 0.05;
export const ODD_PLACE = 0.3;
export const LOST_DATA = 1.5;

export function longestRun(runs: Array<{ start: number; length: number }>): number {
  return runs.reduce((best, run, i) => (run.length > (runs[best]?.length ?? 0) ? i : best), 0);
}

export function lengthCandidates(line: string, length: number, isDataLine: boolean): Aligned[] {
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

export function cheapestPerLine(candidates: Aligned[]): Aligned[] {
  const best = new Map<string, Aligned>();
  for (const c of candidates) {
    const seen = best.get(c.line);
    if (!seen || c.cost < seen.cost) best.set(c.line, c);
  }
  return [...best.values()];
}

// ---------------------------------------------------------------------------------------------
// Choosing a reading

export interface Candidate extends GridRepair {
  format: MrzFormat;
  /** Characters inserted or dropped to reach the fixed line length. */
  lengthChanges: number;
  lengthCost: number;
  /** The combination's lines aligned to the layout, before character repair. */
  aligned: string[];
}

/** Weight of each character the lines are off the layout's length (a format prior). */
export const LENGTH_PRIOR = 0.15;

/**
 * An inferred digit costs almost a failure: an alignment that pushes a readable (perhaps wrong)
 * digit out of its place must not look better than reporting that digit.
 */
export const INFERRED_DIGIT_COST = 3.7;

/** Disagreeing check digits weigh most, then implausible values, then how much was changed. */
export function cost(c: Candidate): number {
  const inferred = c.inferred ? INFERRED_DIGIT_COST : 0;
  return c.failedChecks.length * 4 + c.issues * 3 + c.lengthCost + c.changes * 0.3 + c.lengthChanges * LENGTH_PRIOR + inferred;
}

export function better(a: Candidate, b: Candidate): boolean {
  return cost(a) < cost(b);
}

export function cartesian<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}

export function bestForLayout(lines: string[], layout: Layout): Candidate | undefined {
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
export function bestOfCombos(lines: string[], layout: Layout, combos: Aligned[][], toBeat?: Candidate): Candidate | undefined {
  const lengthChanges = lines.reduce((sum, l) => sum + Math.abs(l.length - layout.lineLength), 0);
  const ceiling = toBeat ? cost(toBeat) : Infinity;
  const ordered = combos
    .map((combo, index) => {
      const lengthCost = combo.reduce((sum, c) => sum + c.cost, 0);
      const floor = cost({ lines: [], failedChecks: [], changes: 0, issues: 0, inferred: false, lookAlikes: [], format: layout.format, lengthChanges, lengthCost, aligned: [] });
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
    const candidate: Candidate = { ...repaired, format: layout.format, lengthChanges, lengthCost, aligned: lines };
    const candidateCost = cost(candidate);
    if (!best || candidateCost < best.cost || (candidateCost === best.cost && index < best.index)) best = { candidate, cost: candidateCost, index };
  }
  return best?.candidate;
}

/** Where stray characters are looked for: the fixed-position data at the start of a data line. */
export const DATA_SPAN = 30;
export const STRAY_CHARACTER_COST = 0.8;

/** How much longer than its layout a data line may be for the stray character search. */
export const MAX_STRAY = 3;

/**
 * A data line a few characters longer than its layout with one or two non-filler characters
 * deleted from its data span; a shorter one with one filler inserted there (a lost `<` in `D<<`).
 * Each variant is realigned.
 */
export function deletionVariants(line: string, length: number): Aligned[][] {
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

export function withCost(candidates: Aligned[], extra: number): Aligned[] {
  return candidates.map((c) => ({ line: c.line, cost: c.cost + extra }));
}

export function formatsFor(lines: string[]): MrzFormat[] {
  if (lines.length === 3) return ['TD1'];
  if (lines.length !== 2) return [];
  const longest = Math.max(...lines.map((l) => l.length));
  // A visa's document code starts with V (ICAO 9303 part 7); no other two-line document's does.
  const isVisa = lines[0]?.startsWith('V') === true;
  const [long, short]: [MrzFormat, MrzFormat] = isVisa ? ['MRVA', 'MRVB'] : ['TD3', 'TD2'];
  if (longest >= 41) return [long, short];
  if (longest <= 32) return [short];
  return [short, long];
}

/** A reading is an MRZ at all: few implausible values, and a fitting document code or agreeing digits. */
export function acceptable(c: Candidate): boolean {
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
    aligned: best.aligned,
    lookAlikes: best.lookAlikes,
    ...(best.inferredCheck ? { inferredCheck: best.inferredCheck } : {}),
  };
}

/** Windows of a block that could be one MRZ: the whole block, else every 3- and 2-line run. */
export function windows(block: MrzBlock): Array<{ offset: number; lines: string[] }> {
  const n = block.lines.length;
  if (n === 2 || n === 3) return [{ offset: 0, lines: block.lines }];
  const out: Array<{ offset: number; lines: string[] }> = [];
  for (const size of [3, 2]) {
    for (let i = 0; i + size <= n; i++) out.push({ offset: i, lines: block.lines.slice(i, i + size) });
  }
  return out;
}

export interface Located {
  block: MrzBlock;
  offset: number;
  repair: MrzRepair;
  /** Protected fields left unverified (guesses: look-alike swaps, inferred digits, dropped data). */
  guesses: number;
}

/** Texts whose search result is kept: classification and field extraction read the same text. */
export const SEARCH_CACHE_SIZE = 32;
export const searched = new Map<string, Located | undefined>();

/**
 * The best-agreeing repaired MRZ among the line groups of `text`. The repair search costs up to a
 * second of CPU on a badly read zone, and a document's text is searched by its classification and
 * its field extraction alike, so recent results are kept (frozen: callers share them).
 */
export function findBestMrz(text: string): Located | undefined {
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

export function searchBestMrz(text: string): Located | undefined {
  let best: Located | undefined;
  for (const block of locateMrz(text)) {
    for (const window of windows(block)) {
      const repair = repairMrz(window.lines);
      if (!repair) continue;
      const candidate = { block, offset: window.offset, repair, guesses: guessesOf(repair, window.lines) };
      if (best && !isBetterRepair(candidate, best)) continue;
      best = candidate;
    }
  }
  return best;
}

/**
 * Fewer disagreeing digits first; then fewer guesses (look-alike swaps the digits chose, inferred
 * digits): a reading of the zone that needs none is worth more than one with fewer fillers to add.
 */
export function isBetterRepair(a: Located, b: Located): boolean {
  const fa = a.repair.failedChecks.length;
  const fb = b.repair.failedChecks.length;
  if (fa !== fb) return fa < fb;
  return a.guesses < b.guesses || (a.guesses === b.guesses && a.repair.changes < b.repair.changes);
}

function guessesOf(repair: MrzRepair, cleaned: readonly string[]): number {
  return unverifiedMrzFieldsOf(zoneStatus(repair, cleaned).fieldStatus).filter((f) => MRZ_PROTECTED_FIELDS.includes(f)).length;
}

/** Format and document code of the MRZ in `text`, without reading fields (for classification). */
export function detectMrz(
  text: string,
): { format: MrzFormat; documentCode: string; valid: boolean; unverified: boolean; verified: boolean } | undefined {
  const found = findBestMrz(text);
  if (!found) return undefined;
  const { repair } = found;
  const status = zoneStatus(repair);
  const unverified = unverifiedMrzFieldsOf(status.fieldStatus).some((f) => MRZ_PROTECTED_FIELDS.includes(f));
  return {
    format: repair.format,
    documentCode: documentCodeOf(repair.lines),
    // No clearly read check digit disagrees.
    valid: status.failedChecks.length === 0,
    unverified,
    // Every check digit agrees with its field as read or repaired by position: nothing to settle.
    verified: status.failedChecks.length === 0 && !unverified && repair.failedChecks.length === 0,
  };
}

/** Line combinations tried by `combineMrzReadings` (each costs a repair search). */
export const MAX_COMBINATIONS = 48;

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
      if (found?.verified) return lines;
      if (found) readWithDisagreeingDigits.add(k);
    }
  }
  return undefined;
}

/**
 * Finds, repairs and reads the MRZ in a page of OCR or PDF text. Returns the best-agreeing reading
 * when several line groups qualify, or undefined when the text holds no MRZ.
 */
export function readMrz(text: string, options: MrzReadOptions): MrzReading | undefined {
  const found = findBestMrz(text);
  if (!found) return undefined;
  const reading = toReading(found.block, found.offset, found.repair, options);
  // Another reading of the band in the same text (the page's OCR and the band read again with MRZ
  // settings) is an independent witness for the values a look-alike swap chose.
  const others = otherReadings(text, found).map((lines) => ({ lines }));
  return others.reduce<MrzReading>((current, independent) => corroborateMrz(current, independent, options), reading);
}

/** The lines of every other MRZ-shaped window of `text` of the same line count (other readings of the zone). */
function otherReadings(text: string, found: Located): string[][] {
  const own = found.block.lines.slice(found.offset, found.offset + found.repair.lines.length).join('\n');
  const out: string[][] = [];
  for (const block of locateMrz(text)) {
    for (const window of windows(block)) {
      if (window.lines.length !== found.repair.lines.length || window.lines.join('\n') === own) continue;
      out.push(window.lines);
    }
  }
  return out;
}

export function toReading(block: MrzBlock, offset: number, repair: MrzRepair, options: MrzReadOptions): MrzReading {
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
    summary: summaryOf(repair, cleanedInput, !isVerbatim),
  };
}

/** The summary of a repair: per-field statuses, what changed, and the zone's verdict. */
export function summaryOf(repair: MrzRepair, cleaned: readonly string[], isReshaped = false): MrzSummary {
  const status = zoneStatus(repair, cleaned);
  const unverified = unverifiedMrzFieldsOf(status.fieldStatus).some((f) => MRZ_PROTECTED_FIELDS.includes(f));
  return {
    format: repair.format,
    valid: status.failedChecks.length === 0,
    failedChecks: status.failedChecks,
    repaired: repair.repaired || isReshaped || status.repairs.length > 0,
    ...(unverified ? { unverified: true } : {}),
    fieldStatus: status.fieldStatus,
    repairs: status.repairs,
  };
}
