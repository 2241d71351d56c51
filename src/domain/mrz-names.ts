/**
 * MRZ names read by OCR, put right with the words the visual zone prints. OCR turns the fillers of a
 * name field into letters (`OSULLIVANKKCIANKK`, `BRAMK<<<`, `HOFFMANN<X<JUERGENK<X`), so the field
 * cannot be cut into surname and given names by its `<<` alone. The printed words of the page are a
 * dictionary: where a word's MRZ spelling starts at a position of the field, it is taken, in its
 * printed form (accents, apostrophes, hyphens); what lies between words is filler or filler noise.
 * Letters no printed word explains are kept as the MRZ has them, less filler ghosts at their ends
 * when that brings them closer to a printed word ("KTHIJS" and a printed "THIS"). Pure; no I/O.
 */
import anyAscii from 'any-ascii';

/** What OCR makes of `<` in a name field. */
const NOISE = new Set(['<', 'K', 'X', 'C', 'S', 'E']);
/** ICAO 9303 transliterations that differ from plain accent stripping. */
const ICAO: Readonly<Record<string, string>> = { Ä: 'AE', Ö: 'OE', Ü: 'UE', ß: 'SS', Å: 'AA', Æ: 'AE', Ø: 'OE', Œ: 'OE', Ĳ: 'IJ' };

interface PrintedWord {
  /** As printed: the value kept when the word is found in the MRZ. */
  printed: string;
  /** How the MRZ spells it (A–Z, `<` for a hyphen or space). */
  spelling: string;
}

/**
 * The MRZ spellings of a printed word or name: accents stripped or transliterated (ICAO 9303),
 * apostrophes dropped or made `<`, spaces and hyphens made `<`.
 */
export function mrzSpellingsOfWord(word: string): string[] {
  const upper = word.replace(/ß/g, 'ẞ').toUpperCase().replace(/ẞ/g, 'ß');
  const icao = upper.replace(/[ÄÖÜßÅÆØŒĲ]/gu, (ch) => ICAO[ch] ?? ch);
  const spellings = new Set<string>();
  for (const base of [anyAscii(upper), anyAscii(icao)]) {
    for (const apostrophe of ['', '<']) {
      spellings.add(base.replace(/['’]/g, apostrophe).replace(/[\s-]+/g, '<').replace(/[^A-Z<]/g, ''));
    }
  }
  return [...spellings].filter((s) => /[A-Z]{2}/.test(s));
}

/**
 * Words of the visual zone that could be names: letters, apostrophes and hyphens, two or more
 * letters. Lines holding a `<` are MRZ lines (another reading of the zone), not printed words.
 */
function printedWords(text: string): PrintedWord[] {
  const visual = text.split('\n').filter((line) => !line.includes('<')).join('\n');
  const words = visual.match(/\p{L}[\p{L}'’-]*\p{L}/gu) ?? [];
  const out: PrintedWord[] = [];
  for (const printed of new Set(words)) {
    for (const spelling of mrzSpellingsOfWord(printed)) out.push({ printed, spelling });
  }
  // Longest first: "VANDERBERG" before "VAN".
  return out.sort((a, b) => b.spelling.length - a.spelling.length);
}

/** A printed word whose spelling starts at `at` (a `<` in it may have been read as a filler look-alike). */
function wordAt(field: string, at: number, words: readonly PrintedWord[]): PrintedWord | undefined {
  return words.find(({ spelling }) => {
    if (at + spelling.length > field.length) return false;
    for (let i = 0; i < spelling.length; i++) {
      const want = spelling[i]!;
      const got = field[at + i]!;
      if (want === '<' ? !NOISE.has(got) : want !== got) return false;
    }
    return true;
  });
}

/**
 * How many characters from `at` are filler or filler noise before the next word. Look-alikes are
 * letters too ("SIOBHAN" starts with one), so the gap ends where a printed word begins; else after
 * its last `<`; else, with no `<` in it, after its leading `K`s (a `<<` read as `KK`).
 */
function gapAfter(field: string, at: number, words: readonly PrintedWord[]): number {
  let end = at;
  while (end < field.length && NOISE.has(field[end]!)) end++;
  const stretch = field.slice(at, end);
  if (end === field.length) return stretch.length;
  for (let length = stretch.length; length >= 0; length--) if (wordAt(field, at + length, words)) return length;
  const lastFiller = stretch.lastIndexOf('<');
  if (lastFiller >= 0) return lastFiller + 1;
  return /^K*/.exec(stretch)![0].length;
}

export interface ReconciledNames {
  surname?: string;
  givenNames?: string;
  /** How many words were found printed in the visual zone. */
  confirmed: number;
}

/**
 * Surname and given names of an MRZ names field, cut and spelled with the help of the visual zone's
 * text. Undefined when no printed word confirms any part of the field: the plain MRZ reading stands.
 * `keep` decides, for a word no printed word explains, which form to keep (e.g. with a trailing
 * filler ghost dropped when that form is the one the visual zone supports).
 */
export function reconcileMrzNames(
  field: string,
  visualText: string,
  keep: (raw: string) => string = (raw) => raw,
): ReconciledNames | undefined {
  const words = printedWords(visualText);
  const components: string[][] = [[]];
  let confirmed = 0;
  let at = field.search(/[^<]/);
  if (at < 0) return undefined;
  while (at < field.length && components.length <= 2) {
    const word = wordAt(field, at, words);
    let taken: string | undefined;
    let next = at;
    if (word) {
      const after = at + word.spelling.length;
      const gap = field.slice(after, after + gapAfter(field, after, words));
      // A word ends at fillers, at the field's end, at a `KK` (a misread `<<`), or where the next
      // printed word starts; "JAN" is no word inside "JANSEN".
      const ends = gap.includes('<') || after + gap.length === field.length || /^K{2,}$/.test(gap) || wordAt(field, after + gap.length, words) !== undefined;
      if (ends) {
        taken = word.printed;
        next = after;
        confirmed++;
      }
    }
    if (taken === undefined) [taken, next] = rawToken(field, at, words);
    if (taken.length > 0) components[components.length - 1]!.push(taken);
    const gap = gapAfter(field, next, words);
    at = next + gap;
    if (at >= field.length) break;
    // Two or more fillers between words (`<` or its usual misreading `K`; an X, C, S or E is more
    // often a stray mark than a filler): the surname/given-names separator, or the end of the names.
    const fillers = (field.slice(next, at).match(/[<K]/g) ?? []).length;
    if (fillers >= 2) components.push([]);
    else if (gap === 0) break; // a letter no word explains and no filler after it: stop
  }
  if (confirmed === 0) return undefined;
  const [surname, given] = components;
  const join = (parts: string[] | undefined): string | undefined => (parts && parts.length > 0 ? parts.join(' ') : undefined);
  return { surname: join(surname), givenNames: join(given), confirmed };
}

/** Letters up to the next `<`, ghosts trimmed; a single filler look-alike alone is dropped. */
function rawToken(field: string, at: number, words: readonly PrintedWord[]): [string, number] {
  let end = at;
  while (end < field.length && field[end] !== '<') end++;
  const raw = field.slice(at, end);
  if (raw.length === 1 && NOISE.has(raw)) return ['', end];
  return [trimGhosts(raw, words), end];
}

/**
 * `raw` without leading `K`s or trailing look-alikes when that form is strictly closer (in edits) to
 * a printed word ("JUERGENK" and "Jurgen", "KTHIJS" and a misread "THIS"); otherwise `raw`, so a
 * misread printed letter ("NOVAR") never costs the MRZ its own ("NOVAK").
 */
function trimGhosts(raw: string, words: readonly PrintedWord[]): string {
  const lead = raw.replace(/^K+/, '');
  const candidates = [lead, raw.replace(/[KXCSE]+$/, ''), lead.replace(/[KXCSE]+$/, '')].filter((c) => c.length >= 2 && c !== raw);
  const distance = (token: string): number => Math.min(Infinity, ...words.map((w) => editDistance(token, w.spelling)));
  let best = raw;
  let bestDistance = distance(raw);
  for (const candidate of candidates) {
    const d = distance(candidate);
    if (d < bestDistance && d <= Math.max(1, Math.floor(candidate.length / 4))) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
