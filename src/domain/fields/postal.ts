/**
 * Name and address lines of letters and cards: a person's name line, an address line, an address
 * block, the left column of a two-column line, and names put in display order.
 */
import { repairPostcodeDigits } from '../address.js';
import { findDates } from '../dates.js';
import { NAME_PARTICLES, type Line } from './common.js';
import { AMOUNT_LINE, COMPANY_WORDS, FACT_LABEL, MONEY, NOT_NAME_WORDS, POSTCODE, STREET_WORDS, TITLES } from './labels.js';

export function stripTitle(text: string): string {
  return text.replace(TITLES, '');
}

/**
 * The left column of a line OCR or `pdftotext` ran together with a facts column: the text before
 * the first fact label or money amount ("12 Mill Road  Account number 123" → "12 Mill Road").
 */
export function leftColumn(text: string): string {
  const cuts = [FACT_LABEL.exec(text)?.index, MONEY.exec(text)?.index, findDates(text)[0]?.index].filter(
    (i): i is number => i !== undefined && i > 0,
  );
  const cut = cuts.length > 0 ? Math.min(...cuts) : text.length;
  return withoutOcrCrumbs(text.slice(0, cut).replace(/[\s,;:|£$€—–-]+$/, '').trim());
}

/** "124 ELM RD ee eae": short lower-case debris after an upper-case line. */
export function withoutOcrCrumbs(text: string): string {
  const m = /^(.*\p{Lu}{2}.*?)(?:\s+\p{Ll}{1,3})+$/u.exec(text);
  return m?.[1] && !/\p{Ll}/u.test(m[1]) ? m[1] : text;
}

/**
 * A name line without one-letter OCR crumbs at its end ("Lena-Marie Weiß a"). A trailing digit is
 * no crumb: "Lange Voorhout 2" is a street, not a name.
 */
export function nameCore(text: string): string {
  return leftColumn(text).replace(/(?:\s+[^\s\d])+$/u, '').trim();
}

/** Words a printed name keeps in lower case: particles, and the "y" / "e" / "i" between Iberian surnames. */
const LOWER_CASE_NAME_WORDS = new Set([...NAME_PARTICLES, 'della', 'da', 'di', 'do', 'du', 'la', 'le', 'zu', 'y', 'e', 'i']);

/** A line that reads as a person's name: 2–5 words, letters only, no company or document words. */
export function isPersonNameLine(text: string): boolean {
  const bare = stripTitle(nameCore(text));
  if (bare.length < 3 || bare.length > 60 || /[\d@:]/.test(bare) || COMPANY_WORDS.test(bare)) return false;
  const words = bare.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 5) return false;
  if (words.some((w) => NOT_NAME_WORDS.has(w.toLowerCase()))) return false;
  return words.every((w) => /^[\p{L}][\p{L}'’.-]*$/u.test(w) && (/^\p{Lu}/u.test(w) || LOWER_CASE_NAME_WORDS.has(w.toLowerCase())));
}

export function isAddressLine(text: string): boolean {
  if (text.length > 70 || /:/.test(text) || MONEY.test(text) || FACT_LABEL.test(text)) return false;
  // A day and month without a year ("02/07"): a booking date in a statement's table.
  if (/^\d{1,2}[./-]\d{1,2}\.?$/.test(text.trim())) return false;
  if (findDates(text).length > 0) return false;
  return /\d/.test(text) || STREET_WORDS.test(text) || POSTCODE.test(text);
}

/** "LindenstraBe", "Schillerstrabe": OCR reads ß as B or b; German street words end in -straße. */
export const GERMAN_SHARP_S = /(?<=\p{Ll}stra)[B8b]e\b/gu;

/** An address block and the index of its last line. */
export interface AddressSpan {
  lines: Line[];
  /** Index in the searched lines of the block's last line (`from - 1` when empty). */
  last: number;
}

/**
 * The address block starting at `from`: address lines, skipping interleaved fact lines, until the
 * postcode line. A line `isIssuer` marks ends the block: the issuer's address is never the addressee's.
 */
export function addressSpan(lines: Line[], from: number, isIssuer?: readonly boolean[]): AddressSpan {
  const block: Line[] = [];
  let last = from - 1;
  for (let i = from; i < lines.length && block.length < 5; i++) {
    const line = lines[i];
    if (!line || isIssuer?.[i]) break;
    const left = repairPostcodeDigits(leftColumn(line.text).replace(/[\s_*~|]+$/, '')).replace(GERMAN_SHARP_S, 'ße');
    if (left.length > 0 && isAddressLine(left)) {
      block.push({ page: line.page, text: left });
      last = i;
      if (POSTCODE.test(left) && block.length >= 2) break;
      continue;
    }
    const isSkippable = FACT_LABEL.test(line.text) || AMOUNT_LINE.test(line.text) || MONEY.test(line.text);
    if (!isSkippable || block.length > 0 && i - from > 8) break;
  }
  // Lines with digits but neither a street word nor a postcode ("5488-2926-6730-9473 70") are no address.
  if (!block.some((l) => STREET_WORDS.test(l.text) || POSTCODE.test(l.text))) return { lines: [], last: from - 1 };
  return { lines: block, last };
}

/** The address block starting at `from` (see addressSpan). */
export function addressBlock(lines: Line[], from: number, isIssuer?: readonly boolean[]): Line[] {
  return addressSpan(lines, from, isIssuer).lines;
}

/**
 * Given names first, titles dropped: "Doe, John" → "John Doe"; "DOE John" (surname in capitals
 * before mixed-case given names) → "John DOE".
 */
export function displayName(text: string): string {
  const bare = stripTitle(text.trim());
  const comma = /^([^,]+),\s*(.+)$/.exec(bare);
  if (comma) return `${comma[2]} ${comma[1]}`;
  const words = bare.split(/\s+/);
  const isUpper = (w: string): boolean => /\p{Lu}{2}/u.test(w) && !/\p{Ll}/u.test(w);
  const leading = words.findIndex((w) => !isUpper(w) && !NAME_PARTICLES.has(w));
  // Only a surname in capitals moves; "de Lattre Alexis" has none and stays as printed.
  if (leading <= 0 || !words.slice(0, leading).some(isUpper) || words.slice(leading).some(isUpper)) return bare;
  return [...words.slice(leading), ...words.slice(0, leading)].join(' ');
}
