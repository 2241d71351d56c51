/** Identity documents, visual zone: labelled fields ("Surname / Nom"), inline or on the next line. */
import { findDates } from '../dates.js';
import { FieldSink, clean, labelRegex, type FieldExtractionOptions, type Line } from './common.js';
import { toAlpha3 } from './countries.js';
import { VISUAL_LABELS, type VisualKind, type VisualLabel } from './labels.js';

const VISUAL_MATCHERS = VISUAL_LABELS.map((l) => ({ ...l, regex: labelRegex(l.phrases, 'giu') }));

interface LabelHit {
  label: VisualLabel;
  start: number;
  end: number;
}

/** Labels in a line, left to right, bilingual repeats ("Surname / Nom") merged into one. */
function labelHits(text: string): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const matcher of VISUAL_MATCHERS) {
    for (const m of text.matchAll(matcher.regex)) hits.push({ label: matcher, start: m.index, end: m.index + m[0].length });
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: LabelHit[] = [];
  for (const hit of hits) {
    const last = merged.at(-1);
    if (last && hit.start < last.end) continue;
    const between = last ? text.slice(last.end, hit.start) : '';
    if (last && last.label.field === hit.label.field && /^[\s/|.]*$/.test(between)) {
      last.end = hit.end;
      continue;
    }
    merged.push({ ...hit });
  }
  return merged.map((hit, i) => extendOverTranslation(text, hit, merged[i + 1]?.start ?? text.length));
}

/** "Given names | Prenens": a `/` or `|` and one word after a label is its translation (OCR-garbled or not). */
function extendOverTranslation(text: string, hit: LabelHit, limit: number): LabelHit {
  const m = /^\s*[/|]\s*[\p{L}'’.]+\s*:?/u.exec(text.slice(hit.end, limit));
  return m ? { ...hit, end: hit.end + m[0].length } : hit;
}

/** True when a line is made of labels only (its values are on the next line). */
function isLabelOnly(text: string, hits: LabelHit[]): boolean {
  if (hits.length === 0) return false;
  let rest = text;
  for (const hit of [...hits].reverse()) rest = rest.slice(0, hit.start) + ' ' + rest.slice(hit.end);
  // Punctuation and quote marks around labels are OCR crumbs ("‘Sumame / Nom").
  return /^[\s/|:.,()\d'‘’"“”`´~_—–-]*$/u.test(rest);
}

function typedValue(kind: VisualKind, value: string, ordinal: number, isAlone: boolean, options: FieldExtractionOptions): string | undefined {
  switch (kind) {
    case 'date':
      return findDates(value, { order: options.dateOrder })[isAlone ? 0 : ordinal]?.value;
    case 'sex': {
      const token = isAlone ? /^\s*([MFX])(?![\p{L}])/u.exec(value.toUpperCase()) : /(?<![\p{L}])([MFX])(?![\p{L}])/u.exec(value);
      return token?.[1];
    }
    case 'country': {
      if (isAlone) return toAlpha3(value);
      const codes = [...value.matchAll(/(?<![\p{L}])[A-Z]{3}(?![\p{L}])/gu)].map((m) => m[0]);
      return codes.length > 0 ? toAlpha3(codes[Math.min(ordinal, codes.length - 1)] ?? '') : undefined;
    }
    case 'number': {
      const token = value.split(/\s+/).find((t) => /\d/.test(t) && /^[A-Z0-9<-]{5,}$/i.test(t));
      return token?.toUpperCase();
    }
    case 'text':
      return clean(value) || undefined;
  }
}

function nextValueLine(lines: Line[], from: number): Line | undefined {
  const next = lines[from + 1];
  if (!next) return undefined;
  return isLabelOnly(next.text, labelHits(next.text)) ? undefined : next;
}


/** Visual-zone fields of a passport or ID card: labels with the value inline or on the next line. */
export function visualFields(lines: Line[], options: FieldExtractionOptions): FieldSink {
  const sink = new FieldSink();
  lines.forEach((line, i) => {
    const hits = labelHits(line.text);
    if (hits.length === 0) return;
    if (isLabelOnly(line.text, hits)) {
      const valueLine = nextValueLine(lines, i);
      if (valueLine) assignFromValueLine(sink, hits, valueLine, options);
      return;
    }
    assignInline(sink, line, hits, options);
  });
  return sink;
}

export function assignFromValueLine(sink: FieldSink, hits: LabelHit[], valueLine: Line, options: FieldExtractionOptions): void {
  const ordinals = new Map<VisualKind, number>();
  for (const hit of hits) {
    const ordinal = ordinals.get(hit.label.kind) ?? 0;
    ordinals.set(hit.label.kind, ordinal + 1);
    if (hit.label.field === 'other') continue;
    const value = typedValue(hit.label.kind, valueLine.text, ordinal, hits.length === 1, options);
    sink.set(hit.label.field, value, { source: 'text', page: valueLine.page, text: valueLine.text });
  }
}

/** "Date of birth: 12.03.1985" — a label followed by its value on the same line. */
export function assignInline(sink: FieldSink, line: Line, hits: LabelHit[], options: FieldExtractionOptions): void {
  hits.forEach((hit, n) => {
    if (hit.label.field === 'other') return;
    const end = hits[n + 1]?.start ?? line.text.length;
    const value = line.text.slice(hit.end, end);
    if (!/[\p{L}\p{N}]/u.test(value)) return;
    const typed = typedValue(hit.label.kind, value, 0, true, options);
    sink.set(hit.label.field, typed, { source: 'text', page: line.page, text: line.text });
  });
}
