/**
 * What differs between two short values (a declared name and the one read, two addresses): words
 * are aligned first (longest common subsequence, ignoring letter case and trailing punctuation),
 * then a word replaced by one other word is compared letter by letter, so "Joan" against "Jane"
 * marks the "o" and the "e", not the whole word. Pure; small inputs only (names, addresses).
 */

export interface Segment {
  text: string;
  /** Not in the other value. */
  changed: boolean;
}

export interface Difference {
  left: Segment[];
  right: Segment[];
}

/** Longest common subsequence of two sequences as index pairs, in order. */
function lcsPairs<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): Array<[number, number]> {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint16Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i * cols + j] = same(a[i]!, b[j]!)
        ? table[(i + 1) * cols + j + 1]! + 1
        : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (same(a[i]!, b[j]!)) {
      pairs.push([i, j]);
      i += 1;
      j += 1;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) {
      i += 1;
    } else {
      j += 1;
    }
  }
  return pairs;
}

function wordKey(word: string): string {
  return word.toLocaleLowerCase().replace(/[.,;:]+$/, '');
}

/** Adjacent segments of the same kind joined: one <mark> per run. */
function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.changed === s.changed) last.text += s.text;
    else if (s.text.length > 0) out.push({ ...s });
  }
  return out;
}

function diffChars(a: string, b: string): Difference {
  const left = [...a];
  const right = [...b];
  const pairs = lcsPairs(left, right, (x, y) => x.toLocaleLowerCase() === y.toLocaleLowerCase());
  const keptLeft = new Set(pairs.map(([i]) => i));
  const keptRight = new Set(pairs.map(([, j]) => j));
  return {
    left: merge(left.map((c, i) => ({ text: c, changed: !keptLeft.has(i) }))),
    right: merge(right.map((c, j) => ({ text: c, changed: !keptRight.has(j) }))),
  };
}

/** The words of a value (line breaks and runs of spaces become one space). */
function words(value: string): string[] {
  return value.split(/\s+/).filter((w) => w.length > 0);
}

export function diffValues(a: string, b: string): Difference {
  const left = words(a);
  const right = words(b);
  const pairs = lcsPairs(left, right, (x, y) => wordKey(x) === wordKey(y));
  const out: Difference = { left: [], right: [] };
  const space = (side: Segment[]): void => {
    if (side.length > 0) side.push({ text: ' ', changed: false });
  };
  const emitGap = (fromL: number, toL: number, fromR: number, toR: number): void => {
    const gapL = left.slice(fromL, toL);
    const gapR = right.slice(fromR, toR);
    // One word for one word, or the same number replaced: letter by letter; otherwise whole words.
    if (gapL.length > 0 && gapL.length === gapR.length) {
      gapL.forEach((word, k) => {
        const chars = diffChars(word, gapR[k]!);
        space(out.left);
        out.left.push(...chars.left);
        space(out.right);
        out.right.push(...chars.right);
      });
      return;
    }
    for (const word of gapL) {
      space(out.left);
      out.left.push({ text: word, changed: true });
    }
    for (const word of gapR) {
      space(out.right);
      out.right.push({ text: word, changed: true });
    }
  };
  let i = 0;
  let j = 0;
  for (const [pi, pj] of pairs) {
    emitGap(i, pi, j, pj);
    space(out.left);
    out.left.push({ text: left[pi]!, changed: false });
    space(out.right);
    out.right.push({ text: right[pj]!, changed: false });
    i = pi + 1;
    j = pj + 1;
  }
  emitGap(i, left.length, j, right.length);
  return { left: merge(bridge(out.left)), right: merge(bridge(out.right)) };
}

/** A space between two changed words belongs to the change: one mark for "Flat 3,", not two. */
function bridge(segments: Segment[]): Segment[] {
  const wholeWord = (k: number): boolean =>
    segments[k]?.changed === true && (segments[k - 1] ?? { text: ' ' }).text === ' ' && (segments[k + 1] ?? { text: ' ' }).text === ' ';
  return segments.map((s, k) => (s.text === ' ' && !s.changed && wholeWord(k - 1) && wholeWord(k + 1) ? { ...s, changed: true } : s));
}
