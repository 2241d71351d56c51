/**
 * Verify rather than guess: is this proof of address addressed to the declared applicant at the
 * declared address? The declared name and address are searched for in the document's text with
 * OCR-tolerant matching (tokens, folded diacritics, given names and surname in either order,
 * initials, small slips per word, postcodes compared with OCR's look-alikes folded), skipping the
 * issuer's lines (see fields/parties.ts). The best span found is the evidence. Pure.
 */
import { compareAddresses, DEFAULT_ADDRESS_THRESHOLD, extractPostcode, repairPostcodeDigits } from './address.js';
import type { FieldEvidence } from './documents.js';
import { toLines, type FieldPage, type Line } from './fields/common.js';
import { issuerLines } from './fields/parties.js';
import { leftColumn } from './fields/postal.js';
import { compareNames, DEFAULT_NAME_THRESHOLD, nameTokens, tokenSimilarity } from './names.js';

export interface SpanMatch {
  /** 0..1, as compareNames / compareAddresses score it. */
  score: number;
  /** Page and the printed span (PII: never logged). */
  evidence: FieldEvidence;
}

export interface SearchOptions {
  threshold?: number;
}

/** Lines of the pages with the issuer's lines left out. */
function addresseeLines(pages: readonly FieldPage[]): Line[] {
  const lines = toLines(pages);
  const isIssuer = issuerLines(lines);
  return lines.map((line, i) => (isIssuer[i] ? { page: line.page, text: '' } : line));
}

const PARTICLES = new Set(['van', 'von', 'de', 'den', 'der', 'del', 'della', 'di', 'da', 'das', 'do', 'dos', 'du', 'la', 'le', 'ten', 'ter', 'y', 'i', 'e', 'zu']);

/** A word that can be part of a printed name: capitalised, an initial, or a particle. */
function isNameWord(word: string): boolean {
  const bare = word.replace(/,$/, '');
  if (bare.length === 0 || /[\d:;|/()@]/.test(bare)) return false;
  return /^\p{Lu}[\p{L}'’.-]*$/u.test(bare) || PARTICLES.has(bare.toLowerCase());
}

/**
 * Runs of name words on a line: what may be a printed name, whole. A label's colon, a digit or a
 * lower-case word ends a run, so "Titular: Juan García López NIF 123" gives "Juan García López".
 */
function nameRuns(text: string): string[] {
  const runs: string[] = [];
  let current: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (isNameWord(word)) {
      current.push(word);
      continue;
    }
    if (current.length > 0) runs.push(current.join(' '));
    current = [];
  }
  if (current.length > 0) runs.push(current.join(' '));
  return runs.map((r) => r.replace(/,$/, ''));
}

/**
 * Printed names to compare: each run of name words, and a run that ends its line joined to the run
 * that opens the next (a name OCR split over two lines).
 */
function nameCandidates(lines: readonly Line[]): Array<{ text: string; page: number; span: string }> {
  const out: Array<{ text: string; page: number; span: string }> = [];
  lines.forEach((line, i) => {
    if (line.text.length === 0) return;
    const runs = nameRuns(line.text);
    for (const run of runs) out.push({ text: run, page: line.page, span: run });
    const last = runs.at(-1);
    const next = lines[i + 1];
    if (!last || !next || next.page !== line.page || !line.text.trimEnd().endsWith(last)) return;
    const opening = nameRuns(next.text)[0];
    if (opening && next.text.trimStart().startsWith(opening)) out.push({ text: `${last} ${opening}`, page: line.page, span: `${last}\n${opening}` });
  });
  return out;
}

/**
 * The best printed name in the text that is `name`: given names and surname in any order,
 * initials for given names, OCR slips, a missing middle name; or undefined when none reaches the
 * threshold. A run that prints another given name beside the surname ("María García López" for
 * "Juan García López") does not match.
 */
export function findNameInText(pages: readonly FieldPage[], name: string, options: SearchOptions = {}): SpanMatch | undefined {
  const threshold = options.threshold ?? DEFAULT_NAME_THRESHOLD;
  const tokens = nameTokens(name);
  if (tokens.length === 0) return undefined;
  const minWords = Math.min(2, tokens.length);
  let best: SpanMatch | undefined;
  for (const candidate of nameCandidates(addresseeLines(pages))) {
    if (nameTokens(candidate.text).length < minWords) continue;
    const result = compareNames(candidate.text, name, { threshold });
    if (!result.match || (best && result.score <= best.score)) continue;
    best = { score: result.score, evidence: { source: 'text', page: candidate.page, text: candidate.span } };
  }
  return best;
}

/** How alike a printed word must be to a declared one (an OCR slip in a long word still counts). */
const PART_SIMILARITY = 0.93;

/**
 * An identity document may print its holder's names in fields of their own ("1. MÜLLER", then
 * "2. LEONIE"). The declared name is printed on it when every word of it (initials and particles
 * aside) is found in runs of name words that hold nothing but words of the declared name: a run
 * that names someone else too ("HIJO DE JUAN Y MARIA", a place of birth) does not count. The
 * weakest word's similarity is the score; the runs are the evidence.
 */
export function findNamePartsInText(pages: readonly FieldPage[], name: string): SpanMatch | undefined {
  const declared = nameTokens(name);
  const needed = declared.map((t, i) => (t.length > 1 && !PARTICLES.has(t) ? i : -1)).filter((i) => i >= 0);
  if (needed.length < 2) return undefined;
  const covered = new Set<number>();
  const spans: Array<{ page: number; span: string }> = [];
  let weakest = 1;
  for (const candidate of nameCandidates(addresseeLines(pages))) {
    const words = nameTokens(candidate.text).filter((t) => !PARTICLES.has(t));
    if (words.length === 0) continue;
    const matches = words.map((word) =>
      needed.reduce((best, i) => {
        const score = tokenSimilarity(word, declared[i]!);
        return score > best.score ? { index: i, score } : best;
      }, { index: -1, score: 0 }),
    );
    if (matches.some((m) => m.score < PART_SIMILARITY)) continue;
    for (const m of matches) {
      covered.add(m.index);
      weakest = Math.min(weakest, m.score);
    }
    if (!spans.some((s) => s.page === candidate.page && s.span === candidate.span)) spans.push(candidate);
  }
  if (needed.some((i) => !covered.has(i)) || spans.length === 0) return undefined;
  return { score: weakest, evidence: { source: 'text', page: spans[0]!.page, text: spans.map((s) => s.span).join('\n') } };
}

/** Postcodes equal once OCR's look-alikes are folded (O/0, I/1, S/5, B/8, Z/2, G/6) and spaces dropped. */
function samePostcode(a: string, b: string): boolean {
  const fold = (p: string): string => p.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/S/g, '5').replace(/B/g, '8').replace(/Z/g, '2').replace(/G/g, '6');
  return fold(a) === fold(b);
}

/**
 * The best run of one to five consecutive lines (their left columns, postcodes' OCR slips put right)
 * that is the declared address: the same house numbers, the same postcode when the declared one has
 * one, and enough of the words.
 */
export function findAddressInText(pages: readonly FieldPage[], address: string, options: SearchOptions = {}): SpanMatch | undefined {
  const threshold = options.threshold ?? DEFAULT_ADDRESS_THRESHOLD;
  const declaredPostcode = extractPostcode(address);
  const lines = addresseeLines(pages);
  let best: SpanMatch | undefined;
  for (let i = 0; i < lines.length; i++) {
    const parts: string[] = [];
    for (let n = 0; n < 5 && i + n < lines.length; n++) {
      const line = lines[i + n];
      if (!line || line.text.length === 0 || line.page !== lines[i]?.page) break;
      parts.push(repairPostcodeDigits(leftColumn(line.text)));
      const span = parts.join(', ');
      const postcode = extractPostcode(span);
      if (declaredPostcode !== undefined && (postcode === undefined || !samePostcode(postcode, declaredPostcode))) continue;
      const result = compareAddresses(span, address, { threshold });
      if (!result.match || (best && result.score <= best.score)) continue;
      best = { score: result.score, evidence: { source: 'text', page: line.page, text: parts.join('\n') } };
    }
  }
  return best;
}
