/**
 * Character repair of aligned MRZ lines: what the format allows by position, and look-alike
 * substitutions checked by check digits.
 */
import { allFillers, at, type CharClass, type CheckDef, classAt, fromGrid, type Grid, gridCheckDigit, type Layout, LOOK_ALIKES, MAX_AMBIGUOUS_POSITIONS, MAX_SUBSTITUTIONS, mrzCheckDigit, type MrzCheckName, type Pos, positionsOf, r, type Range, rangeText, setAt, structuralIssues, TO_DIGIT, TO_LETTER, toGrid } from './layouts.js';
import { FOUR_OR_NINE } from './locate.js';

/** Maps characters to what each position allows (a letter in a date is a misread digit). */
export function forceClasses(grid: Grid, layout: Layout): number {
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

export function forcedChar(ch: string, cls: CharClass): string {
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
export function td1LongNumberCheck(grid: Grid): CheckDef | undefined {
  const line = grid[0]?.join('') ?? '';
  if (line[14] !== '<' || !/[A-Z0-9]/.test(line[15] ?? '')) return undefined;
  const firstFiller = line.indexOf('<', 15);
  const digitIndex = (firstFiller === -1 ? 30 : firstFiller) - 1;
  return { name: 'documentNumber', digit: { line: 0, index: digitIndex }, ranges: [r(0, 5, 14), r(0, 15, digitIndex)] };
}

export function checksFor(layout: Layout, grid: Grid): CheckDef[] {
  if (layout.format !== 'TD1') return layout.checks;
  const long = td1LongNumberCheck(grid);
  return long ? layout.checks.map((c) => (c.name === 'documentNumber' ? long : c)) : layout.checks;
}


export function checkPasses(grid: Grid, check: CheckDef): boolean {
  const digit = at(grid, check.digit);
  if (check.mayBeEmpty && allFillers(grid, check.ranges)) return digit === '<' || digit === '0';
  const code = digit.charCodeAt(0);
  if (digit.length !== 1 || code < 48 || code > 57) return false;
  const expected = code - 48;
  // TD1 long number: issuers differ on whether the `<` at position 14 counts.
  if (check.name === 'documentNumber' && check.ranges.length === 2 && gridCheckDigit(grid, check.ranges, true) === expected) return true;
  return gridCheckDigit(grid, check.ranges) === expected;
}

export function ambiguousPositions(grid: Grid, layout: Layout, check: CheckDef, locked: Set<string>): Pos[] {
  return positionsOf(check.ranges)
    .filter((p) => !locked.has(key(p)) && classAt(layout, p) === 'alnum')
    .filter((p) => {
      const ch = at(grid, p);
      if (ch === 'K') return isTrailingInSegment(grid, layout, p); // K for `<` only in a field's tail
      return LOOK_ALIKES[ch] !== undefined;
    })
    .slice(0, MAX_AMBIGUOUS_POSITIONS);
}

export function isTrailingInSegment(grid: Grid, layout: Layout, pos: Pos): boolean {
  const segment = layout.segments.find((s) => s.line === pos.line && pos.index >= s.start && pos.index < s.end);
  const rest = (grid[pos.line] ?? []).slice(pos.index + 1, segment?.end ?? pos.index + 1).join('');
  return /^[K<]*$/.test(rest);
}

export function key(p: Pos): string {
  return `${p.line}:${p.index}`;
}

/** Every `size`-subset of 0…count−1 in lexicographic order; kept, as the search asks for the same few. */
export const subsetLists = new Map<string, readonly (readonly number[])[]>();

export function subsetsBySize(count: number, size: number): readonly (readonly number[])[] {
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
export function classTransitions(grid: Grid, layout: Layout, check: CheckDef): number {
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
export const TRANSITION_WEIGHT = 0.75;

/**
 * The cheapest reading that makes a failing check pass, applied to `grid`: cost = substitutions +
 * 0.75 × letter/digit transitions. Several look-alike readings often satisfy one check digit; the
 * transition prior picks the plausible one. Returns the number of substitutions, or undefined
 * when no reading passes.
 */
export function repairCheck(grid: Grid, layout: Layout, check: CheckDef, locked: Set<string>): number | undefined {
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

export interface GridRepair {
  lines: string[];
  failedChecks: MrzCheckName[];
  changes: number;
  issues: number;
  /** A check digit that could not be read was inferred. */
  inferred: boolean;
  /** Positions (`line:index`) changed by a look-alike swap the check digit chose. */
  lookAlikes: string[];
  /** The check whose unreadable digit was inferred. */
  inferredCheck?: MrzCheckName;
}

export interface Substitution {
  pos: Pos;
  original: string;
}

/** Substitutions a reading may carry and still have one unreadable check digit inferred. */
export const MAX_REPAIRS_BEFORE_INFERENCE = 1;

export function repairGrid(lines: string[], layout: Layout): GridRepair {
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
  // Swaps between two characters both legal at their place, chosen because the check digit agrees.
  const lookAlikes = repairs.flat().filter((s) => at(grid, s.pos) !== s.original).map((s) => key(s.pos));
  const failing = checks.filter((c) => !checkPasses(grid, c));
  // One look-alike repair, confirmed by its own field's check digit, still leaves the other digits
  // to vouch for the data; two or more repairs with the composite unread prove too little.
  const inference = kept <= MAX_REPAIRS_BEFORE_INFERENCE ? inferUnreadableDigit(grid, checks, unreadable, letters) : false;
  const inferred = inference === 'inferred';
  // A `g`/`y` settled as 4 or 9 by the data: a choice between two digits, like a look-alike swap.
  if (inference === 'read' && failing[0]) lookAlikes.push(key(failing[0].digit));
  const repairedLines = fromGrid(grid);
  const failedChecks = checks.filter((c) => !checkPasses(grid, c)).map((c) => c.name);
  return {
    lines: repairedLines,
    failedChecks,
    changes: forced + kept,
    issues: structuralIssues(repairedLines, layout),
    inferred,
    lookAlikes,
    ...(inferred && failing[0] ? { inferredCheck: failing[0].name } : {}),
  };
}

/** Half repairs kept (see repairByHalves): a badly read zone gives a few thousand distinct lines. */
export const HALF_REPAIR_CACHE_SIZE = 20_000;
export const halfRepairs = new Map<string, GridRepair>();

/**
 * `repairGrid`, computed as two halves that are kept: the names line, and the lines with check
 * digits. Every step of the repair reads and writes within one half (the check digits and their
 * fields lie in the other lines; the names line's own steps, the document code and issuing state
 * included, touch nothing else), and its counts add up. So a combination's repair is the repair of
 * its names line with the other lines all fillers, merged with the repair of its other lines with a
 * names line of fillers, less the all-filler zone's counts counted twice. The search repairs tens of
 * thousands of combinations of a badly read zone, made of a few thousand distinct lines.
 */
export function repairByHalves(lines: string[], layout: Layout): GridRepair {
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
    lookAlikes: checked.lookAlikes,
    ...(checked.inferredCheck ? { inferredCheck: checked.inferredCheck } : {}),
  };
}

/**
 * Check digits that could not be read: a letter or junk where a digit belongs (OCR gives `y`, `é`,
 * `g` for some digits), or a filler where none is allowed (a lost last character).
 */
export function unreadableDigits(grid: Grid, layout: Layout): Set<MrzCheckName> {
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
export function clearEmptyOptionalDigits(grid: Grid, layout: Layout): number {
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
export function letterDigits(grid: Grid, layout: Layout): Set<MrzCheckName> {
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
export function inferUnreadableDigit(
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
export function forceDocumentCode(grid: Grid, layout: Layout): number {
  if (layout.format !== 'TD3' || at(grid, { line: 0, index: 0 }) === 'P') return 0;
  setAt(grid, { line: 0, index: 0 }, 'P');
  return 1;
}

/** Optional data (personal number, optional fields) is left-aligned: after a `<<`, only fillers. */
export function clearOptionalJunk(grid: Grid, layout: Layout): number {
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

export function optionalSegments(layout: Layout): Range[] {
  switch (layout.format) {
    case 'TD3':
      return [r(1, 28, 42)];
    case 'TD2':
      return [r(1, 28, 35)];
    case 'TD1':
      return [r(0, 15, 30), r(1, 18, 29)];
    case 'MRVA':
      return [r(1, 28, 44)];
    case 'MRVB':
      return [r(1, 28, 36)];
  }
}

export function snapshot(grid: Grid, positions: readonly Pos[]): Substitution[] {
  return positions.map((pos) => ({ pos, original: at(grid, pos) }));
}

export function failureCount(grid: Grid, checks: CheckDef[]): number {
  return checks.filter((c) => !checkPasses(grid, c)).length;
}

/**
 * The composite digit covers the other fields, so it tells a misread field from a misprinted check
 * digit: a repair after which the composite fails while the reading as printed satisfies it is
 * undone. Tries undoing every subset of repairs; keeps the fewest failures, then the fewest
 * changes. Returns the number of substitutions kept.
 */
export function keepRepairsTheCompositeConfirms(grid: Grid, checks: CheckDef[], repairs: Substitution[][]): number {
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
export function writeSelected(grid: Grid, sets: Substitution[][], mask: number): void {
  sets.forEach((subs, i) => {
    if (mask & (1 << i)) subs.forEach((s) => setAt(grid, s.pos, s.original));
  });
}

/**
 * Names carry no check digit, so only unambiguous damage is repaired: when the surname/given-names
 * separator `<<` is missing, the last `KK` in the field is taken as it.
 */
export function repairNames(grid: Grid, layout: Layout): void {
  const { line, start, end } = layout.names;
  const field = (grid[line] ?? []).slice(start, end).join('');
  const trimmed = field.replace(/<+$/, '');
  if (trimmed.includes('<<') || !/[A-Z]/.test(trimmed)) return;
  const last = trimmed.lastIndexOf('KK');
  if (last <= 0) return;
  const fixed = trimmed.slice(0, last) + '<<' + trimmed.slice(last + 2);
  [...fixed.padEnd(end - start, '<')].forEach((ch, i) => setAt(grid, { line, index: start + i }, ch));
}
