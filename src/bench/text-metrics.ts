/**
 * Character error rate (CER) of OCR output against the text a generator drew: the Levenshtein
 * distance between the two after the same normalisation, divided by the reference length. Pure.
 */

/**
 * What CER should not count: Unicode compatibility forms (ligatures such as "ﬁ"), typographic
 * quotes and dashes against their ASCII forms, and layout whitespace (line breaks, column gaps),
 * which collapses to single spaces. Case, accents and punctuation still count.
 */
export function normaliseForCer(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Edit distance (insertions, deletions, substitutions of UTF-16 code units; O(min(a,b)) memory). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length < b.length) [a, b] = [b, a];
  if (b.length === 0) return a.length;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = previous[j]! + 1;
      const insertion = current[j - 1]! + 1;
      current[j] = Math.min(substitution, deletion, insertion);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

export interface CerTotals {
  /** Edit operations summed over every page. */
  errors: number;
  /** Normalised reference characters summed over every page. */
  referenceChars: number;
  /** errors / referenceChars (micro-average: long pages weigh more); 0 for an empty reference. */
  cer: number;
}

/** CER over many pages: total edits over total reference characters. */
export function characterErrorRate(pairs: ReadonlyArray<{ reference: string; hypothesis: string }>): CerTotals {
  let errors = 0;
  let referenceChars = 0;
  for (const { reference, hypothesis } of pairs) {
    const ref = normaliseForCer(reference);
    errors += levenshtein(ref, normaliseForCer(hypothesis));
    referenceChars += ref.length;
  }
  return { errors, referenceChars, cer: referenceChars === 0 ? 0 : errors / referenceChars };
}

/**
 * Edit operations between reference and hypothesis words matched regardless of order: identical
 * words pair first, then the closest remaining pairs (fewest edits relative to length), greedily;
 * an unmatched word costs its length. Layout analysis that reads a table column by column instead of
 * row by row costs nothing here, while it dominates a reading-order Levenshtein. Spaces are not
 * counted (a missing space costs the shorter word instead).
 */
export function orderFreeErrors(reference: string, hypothesis: string): { errors: number; referenceChars: number } {
  const refWords = words(reference);
  const hypWords = words(hypothesis);
  const referenceChars = refWords.reduce((n, w) => n + w.length, 0);
  // Identical words first.
  const available = new Map<string, number>();
  for (const w of hypWords) available.set(w, (available.get(w) ?? 0) + 1);
  const refLeft: string[] = [];
  for (const w of refWords) {
    const count = available.get(w) ?? 0;
    if (count > 0) available.set(w, count - 1);
    else refLeft.push(w);
  }
  const hypLeft = [...available].flatMap(([w, count]) => Array<string>(count).fill(w));
  // Then the closest pairs that share anything at all (fewer edits than the longer word has characters).
  const pairs: Array<{ r: number; h: number; distance: number; relative: number }> = [];
  for (const [r, rw] of refLeft.entries()) {
    for (const [h, hw] of hypLeft.entries()) {
      const longer = Math.max(rw.length, hw.length);
      if (Math.abs(rw.length - hw.length) >= longer) continue;
      const distance = levenshtein(rw, hw);
      if (distance < longer) pairs.push({ r, h, distance, relative: distance / longer });
    }
  }
  pairs.sort((a, b) => a.relative - b.relative || a.distance - b.distance || a.r - b.r || a.h - b.h);
  const refUsed = new Set<number>();
  const hypUsed = new Set<number>();
  let errors = 0;
  for (const { r, h, distance } of pairs) {
    if (refUsed.has(r) || hypUsed.has(h)) continue;
    refUsed.add(r);
    hypUsed.add(h);
    errors += distance;
  }
  refLeft.forEach((w, i) => (errors += refUsed.has(i) ? 0 : w.length));
  hypLeft.forEach((w, i) => (errors += hypUsed.has(i) ? 0 : w.length));
  return { errors, referenceChars };
}

/** `characterErrorRate` with words matched regardless of order (see orderFreeErrors). */
export function orderFreeErrorRate(pairs: ReadonlyArray<{ reference: string; hypothesis: string }>): CerTotals {
  let errors = 0;
  let referenceChars = 0;
  for (const { reference, hypothesis } of pairs) {
    const result = orderFreeErrors(reference, hypothesis);
    errors += result.errors;
    referenceChars += result.referenceChars;
  }
  return { errors, referenceChars, cer: referenceChars === 0 ? 0 : errors / referenceChars };
}

function words(text: string): string[] {
  const normalised = normaliseForCer(text);
  return normalised === '' ? [] : normalised.split(' ');
}
