/**
 * Corroboration of an MRZ reading by an independent source: the printed visual zone, or another
 * reading of the band (other OCR settings, another crop or scale). A value a look-alike swap chose
 * (O/0 in a document number) or whose check digit was inferred is `unverified`; it becomes
 * `corroborated` only when the independent source gives the very same string. Nothing here makes a
 * value agree by trying spellings until a check digit does.
 */
import { MRZ_PROTECTED_FIELDS, unverifiedMrzFieldsOf, type MrzFieldName, type MrzFieldStatus, type MrzRepairRecord, type MrzSummary } from '../documents.js';
import { at, type CheckDef, datePositions, documentNumberRange, fromGrid, LAYOUTS, type MrzReading, type MrzReadOptions, positionsOf, rangeText, setAt, toGrid } from './layouts.js';
import { cleanMrzLine } from './locate.js';
import { mrzFields } from './parse.js';
import { repairMrz } from './read.js';
import { checkPasses, checksFor } from './repair.js';
import { type FieldStatusMap, zoneStatus } from './status.js';

/** What the visual zone prints that the MRZ also carries: its dates (`YYYY-MM-DD`) and document numbers. */
export interface VisualZoneValues {
  dates: readonly string[];
  documentNumbers: readonly string[];
}

/** An independent source: another reading of the band's lines, and/or the printed visual zone. */
export interface IndependentMrzSource {
  lines?: readonly string[];
  visual?: VisualZoneValues;
}

/** At most this many characters of a failed MRZ field may differ from the printed value that replaces it. */
const MAX_VISUAL_REPAIR = 2;

/** Statuses a witness must have for its value to count: it agreed with its own check digit without a guess. */
const TRUSTED: ReadonlySet<MrzFieldStatus | undefined> = new Set(['read', 'repaired', 'corroborated']);

/** Fields of a summary that are unverified (the ones worth another reading). */
export function unverifiedFields(summary: MrzSummary): string[] {
  return unverifiedMrzFieldsOf(summary.fieldStatus);
}

/**
 * The reading with `fieldStatus` updated by an independent source: an unverified field becomes
 * corroborated when the source gives the same value; a disagreement leaves it unverified. A failed
 * date or document number is put right with the printed value only when that value then satisfies
 * its own check digit and the composite digit (read, not inferred) too: three witnesses, and the
 * field is recorded as corroborated with the change as a `visual-zone` repair.
 */
export function corroborateMrz(primary: MrzReading, independent: IndependentMrzSource, options: MrzReadOptions): MrzReading {
  const before = primary.summary.fieldStatus;
  if (!before) return primary;
  const status: FieldStatusMap = { ...before };
  const layout = LAYOUTS[primary.format];
  const grid = toGrid(primary.lines);
  const checks = checksFor(layout, grid);
  const repairs: MrzRepairRecord[] = [...(primary.summary.repairs ?? [])];
  if (independent.lines && independent.lines.length > 0) corroborateByLines(primary, independent.lines, status, repairs);
  let changed = false;
  if (independent.visual) {
    const state = { grid, checks, status, repairs };
    changed = refuteSwapWithVisualZone(primary, independent.visual, state);
    corroborateByVisualZone(primary, independent.visual, status);
    changed = repairFailedWithVisualZone(primary, independent.visual, state) || changed;
  }
  settleComposite(status, repairs);
  if (!changed && sameStatus(before, status)) return primary;
  const lines = changed ? fromGrid(grid) : primary.lines;
  return {
    ...primary,
    lines,
    fields: changed ? mrzFields(lines, primary.format, options) : primary.fields,
    summary: withStatus(primary.summary, status, repairs),
  };
}

function withStatus(summary: MrzSummary, status: FieldStatusMap, repairs: MrzRepairRecord[]): MrzSummary {
  const failedChecks = MRZ_PROTECTED_FIELDS.filter((f) => status[f] === 'failed');
  const unverified = MRZ_PROTECTED_FIELDS.some((f) => status[f] === 'unverified');
  const { unverified: _previous, ...rest } = summary;
  return { ...rest, valid: failedChecks.length === 0, failedChecks, ...(unverified ? { unverified: true } : {}), fieldStatus: status, repairs };
}

/** Another reading of the band, repaired in the same format: its trusted values confirm equal ones. */
function corroborateByLines(primary: MrzReading, lines: readonly string[], status: FieldStatusMap, repairs: readonly MrzRepairRecord[]): void {
  const cleaned = lines.map(cleanMrzLine).filter((l) => l.length > 0);
  const other = repairMrz(cleaned, primary.format);
  if (!other) return;
  const witness = zoneStatus(other, cleaned).fieldStatus;
  const mine = checksFor(LAYOUTS[primary.format], toGrid(primary.lines));
  const theirs = checksFor(LAYOUTS[primary.format], toGrid(other.lines));
  const data = (lines: string[], c: CheckDef): string => rangeText(toGrid(lines), c.ranges);
  const digit = (lines: string[], c: CheckDef): string => at(toGrid(lines), c.digit);
  for (const check of mine) {
    const counterpart = theirs.find((c) => c.name === check.name);
    if (status[check.name] !== 'unverified' || !counterpart) continue;
    const sameData = data(primary.lines, check) === data(other.lines, counterpart);
    if (TRUSTED.has(witness[check.name]) && sameData && digit(primary.lines, check) === digit(other.lines, counterpart)) {
      status[check.name] = 'corroborated';
      continue;
    }
    // Our digit was inferred (unreadable here); the other reading read it clearly over the same
    // data, and it disagrees: the printed digit is wrong, not our reading of it.
    const inferred = repairs.some((r) => r.kind === 'inferred-digit' && r.field === `${check.name}CheckDigit`);
    if (inferred && sameData && witness[check.name] === 'failed' && /[0-9]/.test(digit(other.lines, counterpart))) status[check.name] = 'failed';
  }
}

/** The printed document number and dates: the same string confirms an unverified field. */
function corroborateByVisualZone(primary: MrzReading, visual: VisualZoneValues, status: FieldStatusMap): void {
  const number = primary.fields.documentNumber?.replace(/[^A-Z0-9]/g, '');
  if (status.documentNumber === 'unverified' && number) {
    const printed = visual.documentNumbers.map((n) => n.toUpperCase().replace(/[^A-Z0-9]/g, ''));
    if (printed.includes(number)) status.documentNumber = 'corroborated';
  }
  for (const field of ['dateOfBirth', 'expiryDate'] as const) {
    const value = primary.fields[field];
    if (status[field] === 'unverified' && value && visual.dates.includes(value)) status[field] = 'corroborated';
  }
}

/**
 * An unverified document number whose look-alike swap the visual zone refutes: the zone prints the
 * number exactly as OCR read it in the MRZ, so the MRZ's own digit disagrees with the printed data
 * and the swap only hid that (a misprinted or altered digit). The swap is undone and the field fails.
 */
function refuteSwapWithVisualZone(primary: MrzReading, visual: VisualZoneValues, state: GridState): boolean {
  const { grid, checks, status } = state;
  const check = checks.find((c) => c.name === 'documentNumber');
  const swaps = state.repairs.filter((r) => r.field === 'documentNumber' && r.kind === 'look-alike');
  if (!check || status.documentNumber !== 'unverified' || swaps.length === 0) return false;
  if (state.repairs.some((r) => r.field === 'documentNumberCheckDigit' && r.kind === 'inferred-digit')) return false;
  const positions = positionsOf(check.ranges);
  const asRead = toGrid(primary.lines);
  for (const swap of swaps) {
    const pos = positions[swap.position];
    if (pos) setAt(asRead, pos, swap.from);
  }
  const strip = (value: string): string => value.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const printed = visual.documentNumbers.map(strip);
  if (!printed.includes(strip(rangeText(asRead, check.ranges))) || printed.includes(strip(rangeText(grid, check.ranges)))) return false;
  for (const swap of swaps) {
    const pos = positions[swap.position];
    if (pos) setAt(grid, pos, swap.from);
  }
  state.repairs.splice(0, state.repairs.length, ...state.repairs.filter((r) => !swaps.includes(r)));
  status.documentNumber = checkPasses(grid, check) ? 'read' : 'failed';
  const composite = checks.find((c) => c.name === 'composite');
  if (composite && status.composite === 'unverified') {
    const stillGuessed = state.repairs.some((r) => r.kind === 'look-alike' || r.kind === 'inferred-digit');
    status.composite = checkPasses(grid, composite) ? (stillGuessed ? 'unverified' : 'read') : /[0-9]/.test(at(grid, composite.digit)) ? 'failed' : 'unverified';
  }
  return true;
}

interface GridState {
  grid: string[][];
  checks: CheckDef[];
  status: FieldStatusMap;
  repairs: MrzRepairRecord[];
}

/**
 * A failed date or document number replaced by a printed value that differs from it in at most two
 * characters, kept only when its own digit and the composite digit (a digit as read) then agree.
 */
function repairFailedWithVisualZone(primary: MrzReading, visual: VisualZoneValues, { grid, checks, status, repairs }: GridState): boolean {
  const layout = LAYOUTS[primary.format];
  const composite = checks.find((c) => c.name === 'composite');
  if (!composite || !/[0-9]/.test(at(grid, composite.digit)) || status.composite === 'unverified') return false;
  const docRange = documentNumberRange(layout);
  const docLength = docRange.end - docRange.start;
  const dates = visual.dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).map((d) => d.slice(2).replace(/-/g, ''));
  const numbers = visual.documentNumbers
    .map((n) => n.toUpperCase().replace(/[^A-Z0-9]/g, ''))
    .filter((n) => n.length > 0 && n.length <= docLength)
    .map((n) => n.padEnd(docLength, '<'));
  let changed = false;
  for (const check of checks) {
    if (status[check.name] !== 'failed' || check.ranges.length !== 1) continue;
    const range = check.ranges[0]!;
    const isDate = datePositions(layout).some((d) => d.line === range.line && d.start === range.start && d.end === range.end);
    const isNumber = range.line === docRange.line && range.start === docRange.start && range.end === docRange.end;
    const current = rangeText(grid, [range]);
    const distance = (value: string): number => [...value].filter((ch, i) => ch !== current[i]).length;
    const fitting = (isDate ? dates : isNumber ? numbers : [])
      .filter((value) => value.length === current.length && distance(value) > 0 && distance(value) <= MAX_VISUAL_REPAIR)
      .sort((a, b) => distance(a) - distance(b));
    const write = (value: string): void => [...value].forEach((ch, i) => setAt(grid, { line: range.line, index: range.start + i }, ch));
    for (const value of fitting) {
      write(value);
      if (checkPasses(grid, check) && checkPasses(grid, composite)) {
        [...value].forEach((to, i) => {
          if (to !== current[i]) repairs.push({ field: check.name, position: i, from: current[i]!, to, kind: 'visual-zone' });
        });
        status[check.name] = 'corroborated';
        changed = true;
        break;
      }
      write(current);
    }
  }
  if (changed && status.composite === 'failed' && checkPasses(grid, composite)) status.composite = 'corroborated';
  return changed;
}

/** Which fields the composite's look-alike repairs lie in: it is corroborated once they all are. */
function settleComposite(status: FieldStatusMap, repairs: readonly MrzRepairRecord[]): void {
  if (status.composite !== 'unverified') return;
  const guessed = repairs.filter((r) => r.kind === 'look-alike' || r.kind === 'inferred-digit');
  if (guessed.some((r) => r.field === 'compositeCheckDigit' || r.field === 'composite')) return;
  const open = guessed.some((r) => {
    const field = r.field.replace(/CheckDigit$/, '') as MrzFieldName;
    return status[field] !== 'corroborated';
  });
  if (!open && guessed.length > 0) status.composite = 'corroborated';
}

function sameStatus(a: FieldStatusMap, b: FieldStatusMap): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<MrzFieldName>;
  return [...keys].every((k) => a[k] === b[k]);
}
