/**
 * What every family's extraction shares: the page and option types, lines of text, label regexes,
 * name casing and the sink that keeps the first value found for each field with its evidence.
 */
import type { FieldEvidence, FieldEvidenceMap, FieldName, Fields, MrzSummary } from '../documents.js';
import { findDates, type DateOrder } from '../dates.js';

export interface FieldPage {
  page: number;
  text: string;
}

export interface FieldExtractionOptions {
  /** `YYYY-MM-DD`: resolves two-digit years. */
  asOf: string;
  /** Order of numeric dates like `03/04/2024`; default DMY. */
  dateOrder?: DateOrder;
}

/**
 * `MrzSummary` plus the comparison with the visual zone: which fields were read from both, and
 * which of those disagree. Plain JSON; travels wherever an `MrzSummary` does.
 */
export interface MrzCrossCheck extends MrzSummary {
  visualCompared: FieldName[];
  visualMismatches: FieldName[];
}

export interface FieldExtraction {
  fields: Fields;
  evidence: FieldEvidenceMap;
  mrz?: MrzCrossCheck;
  /** What the visual zone of an identity document says, before the MRZ takes precedence. */
  visual: Fields;
}

export interface Line {
  page: number;
  text: string;
}

export interface Found {
  value: string;
  line: Line;
}

export function toLines(pages: readonly FieldPage[]): Line[] {
  return pages.flatMap((p) =>
    p.text
      .split(/\r?\n/)
      .map((t) => t.replace(/\s+/g, ' ').trim())
      .filter((t) => t.length > 0)
      .map((text) => ({ page: p.page, text })),
  );
}

/** Alternation of label phrases as a regex that does not match inside a word. */
export function labelRegex(phrases: readonly string[], flags = 'iu'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.join('|')})(?![\\p{L}])`, flags);
}

export const NAME_PARTICLES = new Set(['van', 'von', 'de', 'den', 'der', 'ten', 'ter', 'del', 'dos', 'das']);

/** "ANNE-MARIE O'BRIEN" → "Anne-Marie O'Brien"; names already in mixed case are kept. */
export function naturalCase(name: string): string {
  // ß has no everyday capital: "GROß" is an upper-case name.
  if (/\p{Ll}/u.test(name.replace(/ß/g, ''))) return name.trim();
  return name
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((word) => (NAME_PARTICLES.has(word) ? word : word.replace(/(^|[-'’])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())))
    .join(' ');
}

export function clean(value: string): string {
  return value.replace(/^[\s:;,.\-–|/]+|[\s:;,|/]+$/g, '').replace(/\s+/g, ' ');
}

export class FieldSink {
  readonly fields: Fields = {};
  readonly evidence: FieldEvidenceMap = {};

  has(name: FieldName): boolean {
    return this.fields[name] !== undefined;
  }

  set(name: FieldName, value: string | undefined, evidence: FieldEvidence): void {
    if (value === undefined || value.length === 0 || this.has(name)) return;
    this.fields[name] = value;
    this.evidence[name] = evidence;
  }

  setFound(name: FieldName, found: Found | undefined, map: (v: string) => string | undefined = (v) => v): void {
    if (!found) return;
    this.set(name, map(found.value), { source: 'text', page: found.line.page, text: found.line.text });
  }
}


/** The date after a label, on the same line or the next. */
export function dateAfterLabel(lines: Line[], label: RegExp, options: FieldExtractionOptions, pick: 'first' | 'last' = 'first'): Found | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const m = label.exec(line.text);
    if (!m) continue;
    const sameLine = findDates(line.text.slice(m.index + m[0].length), { order: options.dateOrder });
    const dates = sameLine.length > 0 ? sameLine : findDates(lines[i + 1]?.text ?? '', { order: options.dateOrder });
    const date = pick === 'first' ? dates[0] : dates.at(-1);
    const source = sameLine.length > 0 ? line : (lines[i + 1] ?? line);
    if (date) return { value: date.value, line: source };
  }
  return undefined;
}
