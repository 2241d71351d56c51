/**
 * How far each field of a repaired MRZ can be trusted, and what repair changed (ICAO 9303 by
 * position). A field is `read` when its check digit agrees with it as OCR read it; `repaired` when
 * only characters the format fixes by position changed (a letter where only digits are allowed);
 * `unverified` when it agrees only after a swap between two characters both legal there (O/0 in a
 * document number) or after its unreadable digit was inferred; `failed` when a clearly read check
 * digit disagrees. Many wrong strings satisfy a mod-10 digit after a look-alike swap, so such a swap
 * proves nothing until an independent reading gives the same value (see corroborate.ts).
 */
import type { MrzFieldName, MrzFieldStatus, MrzRepairRecord } from '../documents.js';
import {
  at,
  type CheckDef,
  countryRanges,
  isState,
  LAYOUTS,
  type Layout,
  type MrzCheckName,
  type MrzRepair,
  type Pos,
  positionsOf,
  type Range,
  rangeText,
  sexPosition,
  toGrid,
} from './layouts.js';
import { checkPasses, checksFor, key } from './repair.js';

export type FieldStatusMap = Partial<Record<MrzFieldName, MrzFieldStatus>>;

export interface ZoneStatus {
  fieldStatus: FieldStatusMap;
  repairs: MrzRepairRecord[];
  /** Checks whose clearly read digit disagrees. */
  failedChecks: MrzCheckName[];
}

/** The statuses that leave a field's value open to doubt. */
const DOUBTFUL: ReadonlySet<MrzFieldStatus> = new Set(['unverified', 'failed']);

/** Field statuses and repair records of a repair, `cleaned` being the lines as located (before alignment). */
export function zoneStatus(repair: MrzRepair, cleaned: readonly string[] = repair.aligned): ZoneStatus {
  const layout = LAYOUTS[repair.format];
  const grid = toGrid(repair.lines);
  const aligned = toGrid(repair.aligned);
  const lookAlikes = new Set(repair.lookAlikes);
  const checks = checksFor(layout, grid);
  const owner = fieldOwners(layout, checks);
  const repairs: MrzRepairRecord[] = [...alignmentRecords(cleaned, repair.aligned)];
  // One record per changed character, named by the field that holds it.
  for (let line = 0; line < grid.length; line++) {
    for (let index = 0; index < (grid[line]?.length ?? 0); index++) {
      const pos = { line, index };
      const from = at(aligned, pos);
      const to = at(grid, pos);
      if (from === to) continue;
      const field = owner.get(key(pos)) ?? { name: `line${line + 1}`, position: index };
      const isInferred = repair.inferredCheck !== undefined && checks.some((c) => c.name === repair.inferredCheck && samePos(c.digit, pos));
      const kind: MrzRepairRecord['kind'] = isInferred ? 'inferred-digit' : lookAlikes.has(key(pos)) ? 'look-alike' : 'position';
      repairs.push({ field: field.name, position: field.position, from, to, kind });
    }
  }
  const fieldStatus: FieldStatusMap = {};
  for (const check of checks) fieldStatus[check.name] = checkStatus(check, { grid, aligned, lookAlikes, repair });
  // A character dropped from a field, its first included (one glyph read as two, a stray mark),
  // was chosen by the field's own check digit among the alignments: as much a guess as a
  // look-alike swap. Fields after it moved as a whole, whichever character went, and keep theirs.
  for (const record of repairs) {
    if (record.kind !== 'alignment' || !/[^<]/.test(record.from)) continue;
    const line = Number(record.field.replace('line', '')) - 1;
    for (const check of checks) {
      const inside = check.ranges.some((rg) => rg.line === line && record.position >= rg.start && record.position < rg.end);
      if (inside && fieldStatus[check.name] !== 'failed') fieldStatus[check.name] = 'unverified';
    }
  }
  const changedIn = (ranges: readonly Range[]): boolean => positionsOf([...ranges]).some((p) => at(grid, p) !== at(aligned, p));
  const names = [layout.names];
  if (/[A-Z]/.test(rangeText(grid, names))) {
    const status: MrzFieldStatus = changedIn(names) ? 'repaired' : 'read';
    fieldStatus.surname = status;
    fieldStatus.givenNames = status;
  }
  const [issuing, nationality] = countryRanges(layout);
  for (const [name, range] of [['issuingCountry', issuing], ['nationality', nationality]] as const) {
    if (range && isState(rangeText(grid, [range]))) fieldStatus[name] = changedIn([range]) ? 'repaired' : 'read';
  }
  const sex = sexPosition(layout);
  if (['M', 'F', '<', 'X'].includes(at(grid, sex))) fieldStatus.sex = at(grid, sex) === at(aligned, sex) ? 'read' : 'repaired';
  const failedChecks = checks.filter((c) => fieldStatus[c.name] === 'failed').map((c) => c.name);
  return { fieldStatus, repairs, failedChecks };
}

interface CheckContext {
  grid: string[][];
  aligned: string[][];
  lookAlikes: ReadonlySet<string>;
  repair: MrzRepair;
}

function checkStatus(check: CheckDef, { grid, aligned, lookAlikes, repair }: CheckContext): MrzFieldStatus {
  const positions = [...positionsOf(check.ranges), check.digit];
  if (!checkPasses(grid, check)) {
    // Only a digit OCR read as a digit, over data OCR could read, makes a failure; anything else
    // is a digit or a field nobody could read, and so unverified.
    const digitAsRead = at(aligned, check.digit);
    const dataReadable = !positionsOf(check.ranges).some((p) => /[?!]/.test(at(grid, p)));
    // A g/y (`!`) is a 4 or a 9: when the data asks for another digit, it disagrees as clearly.
    return /[0-9!]/.test(digitAsRead) && dataReadable ? 'failed' : 'unverified';
  }
  if (repair.inferredCheck === check.name) return 'unverified';
  if (positions.some((p) => lookAlikes.has(key(p)))) return 'unverified';
  return positions.some((p) => at(grid, p) !== at(aligned, p)) ? 'repaired' : 'read';
}

/** For each position of the zone a check covers: the field that holds it and the position within it. */
function fieldOwners(layout: Layout, checks: readonly CheckDef[]): Map<string, { name: string; position: number }> {
  const owners = new Map<string, { name: string; position: number }>();
  // Own fields first; the composite's ranges then name only what no other check covers.
  const ordered = [...checks].sort((a, b) => Number(a.name === 'composite') - Number(b.name === 'composite'));
  for (const check of ordered) {
    const name = check.name === 'composite' ? 'optionalData' : check.name;
    positionsOf(check.ranges).forEach((p, i) => {
      if (!owners.has(key(p))) owners.set(key(p), { name, position: i });
    });
    if (!owners.has(key(check.digit))) owners.set(key(check.digit), { name: `${check.name}CheckDigit`, position: 0 });
  }
  const { line, start, end } = layout.names;
  for (let i = start; i < end; i++) if (!owners.has(`${line}:${i}`)) owners.set(`${line}:${i}`, { name: 'names', position: i - start });
  return owners;
}

function samePos(a: Pos, b: Pos): boolean {
  return a.line === b.line && a.index === b.index;
}

/** One record per line whose length alignment changed it (fillers added or dropped). */
function alignmentRecords(cleaned: readonly string[], aligned: readonly string[]): MrzRepairRecord[] {
  return aligned.flatMap((line, i) => {
    const before = cleaned[i] ?? '';
    if (before === line) return [];
    let start = 0;
    while (start < line.length && start < before.length && line[start] === before[start]) start++;
    let end = 0;
    while (end < line.length - start && end < before.length - start && line[line.length - 1 - end] === before[before.length - 1 - end]) end++;
    // Data characters masked: a stretch of a line is more than the single characters other records hold.
    const mask = (text: string): string => text.replace(/[^<]/g, '*');
    return [{ field: `line${i + 1}`, position: start, from: mask(before.slice(start, before.length - end)), to: mask(line.slice(start, line.length - end)), kind: 'alignment' as const }];
  });
}

/** Whether no field is failed or unverified. */
export function isVerified(fieldStatus: FieldStatusMap): boolean {
  return !Object.values(fieldStatus).some((s) => s !== undefined && DOUBTFUL.has(s));
}
