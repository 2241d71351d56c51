/**
 * Person-name comparison tolerant of what documents do to names: case, accents, word order
 * ("DOE JOHN", "Doe, John"), a missing middle name, hyphens and apostrophes (O'Brien / OBRIEN),
 * and transliteration variants (Aleksandr / Alexander). Scores are 0..1.
 */
import anyAscii from 'any-ascii';

export interface NameComparison {
  match: boolean;
  score: number;
}

export interface NameCompareOptions {
  /** Minimum score for a match; default 0.88. */
  threshold?: number;
}

export const DEFAULT_NAME_THRESHOLD = 0.88;

/** Every token of the shorter name must reach this similarity with a token of the other. */
const MIN_TOKEN_SIMILARITY = 0.8;
/** Score factor per token of the longer name left unmatched (a missing middle name). */
const UNMATCHED_TOKEN_FACTOR = 0.97;
/** Score factor when one side is a single token and the other is not ("John" vs "John Doe"). */
const SINGLE_TOKEN_FACTOR = 0.75;

const TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'm', 'mme', 'mlle', 'herr', 'frau', 'sr', 'sra', 'srta',
]);

/** Spelling variants folded to one form; applied in order to accent-free lower-case tokens. */
const TRANSLITERATION_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/tsch/g, 'ch'],
  [/sch/g, 'sh'],
  [/tch/g, 'ch'],
  [/dzh/g, 'j'],
  [/zh/g, 'j'],
  [/kh/g, 'h'],
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/ck/g, 'k'],
  [/ks/g, 'x'],
  [/cs/g, 'x'],
  [/q/g, 'k'],
  [/c(?=[aou])/g, 'k'],
  [/w/g, 'v'],
  [/ou/g, 'u'],
  [/ue/g, 'u'],
  [/oe/g, 'o'],
  [/ae/g, 'a'],
  [/(?<=[a-z])(?:iy|ij|ii)$/g, 'i'],
  [/y/g, 'i'],
  [/([a-z])\1+/g, '$1'],
];

/**
 * Accent-free lower case, titles dropped, "Surname, Given" turned into "Given Surname",
 * apostrophes removed (O'Brien → obrien) and other punctuation turned into spaces.
 */
export function normaliseName(name: string): string {
  const ascii = anyAscii(name).toLowerCase();
  const reordered = reorderCommaName(ascii);
  const tokens = reordered
    .replace(/['’`´]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0);
  while (tokens.length > 1 && TITLES.has(tokens[0] ?? '')) tokens.shift();
  return tokens.join(' ');
}

/** "Doe, John" → "John Doe"; a comma is how documents mark the surname-first order. */
function reorderCommaName(name: string): string {
  const parts = name.split(',');
  if (parts.length !== 2) return name;
  const [surname = '', given = ''] = parts;
  return given.trim().length === 0 ? surname : `${given} ${surname}`;
}

export function nameTokens(name: string): string[] {
  const normalised = normaliseName(name);
  return normalised.length === 0 ? [] : normalised.split(' ');
}

/** Folds common transliteration variants of a normalised token (e.g. aleksandr → alexandr). */
export function foldTransliteration(token: string): string {
  let folded = token;
  for (const [pattern, replacement] of TRANSLITERATION_RULES) folded = folded.replace(pattern, replacement);
  return folded;
}

/** Jaro similarity 0..1. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler similarity 0..1 (common-prefix bonus up to 4 characters, scaling 0.1). */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** Similarity of two name tokens: exact after folding scores 1; an initial matches its name at 0.9. */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.9 : 0;
  const fa = foldTransliteration(a);
  const fb = foldTransliteration(b);
  if (fa === fb) return 0.97;
  const byVowels = sameSkeleton(fa, fb) ? 0.93 : 0;
  return Math.max(byVowels, jaroWinkler(fa, fb), jaroWinkler(a, b) - 0.02);
}

/** Transliterations differ mostly in vowels (Mohammed / Muhammad): same first letter and consonants. */
function sameSkeleton(a: string, b: string): boolean {
  const skeleton = (t: string): string => t[0] + t.slice(1).replace(/[aeiouh]/g, '');
  const sa = skeleton(a);
  return a[0] === b[0] && sa.length >= 3 && sa === skeleton(b);
}

/** Greedy best pairing of the shorter token list into the longer one. */
function pairTokens(shorter: string[], longer: string[]): number[] {
  const pairs: Array<{ i: number; j: number; s: number }> = [];
  shorter.forEach((a, i) => longer.forEach((b, j) => pairs.push({ i, j, s: tokenSimilarity(a, b) })));
  pairs.sort((x, y) => y.s - x.s || x.i - y.i || x.j - y.j);
  const best = new Array<number>(shorter.length).fill(0);
  const usedShort = new Set<number>();
  const usedLong = new Set<number>();
  for (const { i, j, s } of pairs) {
    if (usedShort.has(i) || usedLong.has(j)) continue;
    usedShort.add(i);
    usedLong.add(j);
    best[i] = s;
  }
  return best;
}

function tokenScore(a: string[], b: string[]): { score: number; weakest: number } {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const similarities = pairTokens(shorter, longer);
  const weights = shorter.map((t) => Math.max(t.length, 2));
  const total = weights.reduce((x, y) => x + y, 0);
  const weighted = similarities.reduce((sum, s, i) => sum + s * (weights[i] ?? 0), 0) / total;
  let score = weighted * UNMATCHED_TOKEN_FACTOR ** (longer.length - shorter.length);
  if (shorter.length === 1 && longer.length > 1) score *= SINGLE_TOKEN_FACTOR;
  return { score, weakest: Math.min(...similarities) };
}

/** "anna maria" vs "annamaria": compare the sorted tokens run together, folded. */
function joinedScore(a: string[], b: string[]): number {
  const join = (tokens: string[]): string => foldTransliteration([...tokens].sort().join(''));
  const ja = join(a);
  const jb = join(b);
  if (ja === jb) return 0.97;
  const s = jaroWinkler(ja, jb);
  return s >= 0.96 ? s - 0.02 : 0;
}

/** Similarity 0..1 of two person names, order-insensitive and transliteration-tolerant. */
export function nameSimilarity(a: string, b: string): number {
  return scoreNames(nameTokens(a), nameTokens(b)).score;
}

function scoreNames(a: string[], b: string[]): { score: number; weakest: number } {
  if (a.length === 0 || b.length === 0) return { score: 0, weakest: 0 };
  if (a.join(' ') === b.join(' ')) return { score: 1, weakest: 1 };
  const byTokens = tokenScore(a, b);
  const joined = joinedScore(a, b);
  return joined > byTokens.score ? { score: joined, weakest: joined } : byTokens;
}

export function compareNames(a: string, b: string, options: NameCompareOptions = {}): NameComparison {
  const threshold = options.threshold ?? DEFAULT_NAME_THRESHOLD;
  const { score, weakest } = scoreNames(nameTokens(a), nameTokens(b));
  const rounded = Math.round(score * 1000) / 1000;
  return { match: score >= threshold && weakest >= MIN_TOKEN_SIMILARITY, score: rounded };
}
