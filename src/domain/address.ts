/**
 * Postal-address normalisation and comparison. The declared address and the one printed on a bill
 * differ in case, punctuation, accents, abbreviations (St/Street), postcode spacing, line breaks and
 * whether the country is written; they must still compare equal. Different house numbers or
 * postcodes must not.
 */
import anyAscii from 'any-ascii';

import { jaroWinkler } from './names.js';

export interface AddressComparison {
  match: boolean;
  score: number;
}

export interface AddressCompareOptions {
  /** Minimum score for a match; default 0.8. */
  threshold?: number;
}

export const DEFAULT_ADDRESS_THRESHOLD = 0.8;

/** Tokens this similar (Jaro-Winkler) count as the same word: OCR slips, "Shakespear" / "Shakespeare". */
const FUZZY_TOKEN_SIMILARITY = 0.92;

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  st: 'street', str: 'strasse', rd: 'road', ave: 'avenue', av: 'avenue', avda: 'avenida', apt: 'apartment',
  appt: 'apartment', apart: 'apartment', flat: 'apartment', ln: 'lane', dr: 'drive', blvd: 'boulevard',
  bd: 'boulevard', bvd: 'boulevard', ct: 'court', crt: 'court', cres: 'crescent', cl: 'close', pl: 'place',
  sq: 'square', hwy: 'highway', pkwy: 'parkway', pk: 'park', gdns: 'gardens', gdn: 'garden', grn: 'green',
  tce: 'terrace', terr: 'terrace', cir: 'circle', mt: 'mount', ste: 'suite', fl: 'floor', flr: 'floor',
  bldg: 'building', ho: 'house', hse: 'house', est: 'estate', ctr: 'centre', center: 'centre', sta: 'station',
  n: 'north', s: 'south', e: 'east', w: 'west', ne: 'northeast', nw: 'northwest', se: 'southeast', sw: 'southwest',
  imp: 'impasse', pza: 'plaza',
};

/** Words that carry no location: dropped before comparing. */
const NOISE_WORDS = new Set(['the', 'of', 'no', 'nr', 'number', 'c', 'o', 'co', 'care']);

/** Country names and codes often appended to one address and not the other. */
const COUNTRY_WORDS = new Set([
  'uk', 'gb', 'gbr', 'united kingdom', 'great britain', 'england', 'scotland', 'wales', 'northern ireland',
  'france', 'fr', 'fra', 'germany', 'deutschland', 'de', 'deu', 'spain', 'espana', 'es', 'esp', 'italy', 'italia',
  'it', 'ita', 'ireland', 'ie', 'irl', 'netherlands', 'nederland', 'nl', 'nld', 'belgium', 'belgique', 'be', 'bel',
  'usa', 'us', 'united states', 'united states of america', 'switzerland', 'schweiz', 'suisse', 'ch', 'che',
  'portugal', 'pt', 'prt', 'austria', 'osterreich', 'at', 'aut', 'luxembourg', 'lu', 'lux',
]);

const UK_POSTCODE = /\b([a-z]{1,2}\d[a-z\d]?)\s*([\dgosilbz][a-z]{2})\b/g;
const US_ZIP = /\b(\d{5})-(\d{4})\b/g;

function foldText(text: string): string {
  return anyAscii(text)
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/strasse\b/g, ' strasse');
}

/** "hauptstr" → "haupt strasse", so it equals "Hauptstraße" and "Haupt Str.". */
function splitGermanStreet(token: string): string[] {
  const m = /^([a-z]{3,})(str|strasse)$/.exec(token);
  return m?.[1] ? [m[1], 'strasse'] : [token];
}

function stripCountry(text: string): string {
  const parts = text.split(',').map((p) => p.trim());
  while (parts.length > 1 && COUNTRY_WORDS.has((parts.at(-1) ?? '').replace(/[^a-z ]/g, '').trim())) parts.pop();
  let joined = parts.join(' , ');
  for (const name of ['united kingdom', 'united states of america', 'united states', 'great britain']) {
    joined = joined.replace(new RegExp(`\\b${name}\\s*$`), '');
  }
  return joined;
}

/** Comparable tokens of an address, in order: expanded abbreviations, compact postcodes, no country. */
export function addressTokens(address: string): string[] {
  let text = stripCountry(foldText(address));
  text = text.replace(UK_POSTCODE, '$1$2').replace(US_ZIP, '$1');
  const tokens = text
    .replace(/(\d+)\s*([a-z])\b(?![a-z])/g, '$1$2') // "12 b" → "12b"
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0)
    .flatMap(splitGermanStreet)
    .map((t) => ABBREVIATIONS[t] ?? t)
    .filter((t) => !NOISE_WORDS.has(t));
  while (tokens.length > 1 && COUNTRY_WORDS.has(tokens.at(-1) ?? '')) tokens.pop();
  return tokens;
}

/** Normalised form of an address, for display in tests and for equality checks. */
export function normaliseAddress(address: string): string {
  return addressTokens(address).join(' ');
}

/** The postcode in compact upper-case form (UK style or 4–5 digit), when one can be found. */
/**
 * The postcode in compact upper-case form, when one can be found: UK (OCR-tolerant inward part),
 * Irish Eircode, Dutch `1234 AB`, or 4–5 digits before a town.
 */
export function extractPostcode(address: string): string | undefined {
  const text = foldText(address);
  for (const pattern of POSTCODE_PATTERNS) {
    const m = pattern.exec(text);
    if (m) return m.slice(1).filter(Boolean).join('').toUpperCase();
  }
  return undefined;
}

const POSTCODE_PATTERNS: readonly RegExp[] = [
  /\b([a-z]{1,2}\d[a-z\d]?)\s*([\dgosilbz][a-z]{2})\b/,
  /\b([a-z]\d{2}|d6w)\s?([a-z0-9]{4})\b/,
  /\b(\d{4})\s?([a-z]{2})\b/,
  /\b(\d{5})(?:-\d{4})?\b/,
  /\b(?:[a-z]-)?(\d{4})\b(?=\s+[a-z])/,
];

/** Eircode letters: O and I are never used, so in an Eircode they are OCR's 0 and 1. */
const EIRCODE = /\b([ACDEFHKNPRTVWXY])([0-9OI]{2}|6W)\s([0-9ACDEFHKNPRTVWXYOI]{4})\b/g;
/** UK postcode whose inward part starts with a letter OCR reads for a digit (it is always a digit). */
const UK_INWARD_O = /\b([A-Z]{1,2}\d[A-Z\d]?)\s([OBSIZG])([ABD-HJLNP-UW-Z]{2})\b/g;
const INWARD_DIGIT: Readonly<Record<string, string>> = { O: '0', B: '8', S: '5', I: '1', Z: '2', G: '6' };
/** UK postcode whose inward letters hold a `]` or `)`: OCR's reading of J. */
const UK_INWARD_J = /\b([A-Z]{1,2}\d[A-Z\d]?)\s(\d(?=[A-Z\])]*[\])])[A-Z\])]{2})(?![\w\])])/g;
/** UK postcode whose outward digit OCR read as a letter ("NWl 6XE", "SWI 1AA"): the letters are always followed by a digit. */
const UK_OUTWARD_DIGIT = /\b([A-Z]{1,2})([lIO|])([A-Z0-9]?\s\d[ABD-HJLNP-UW-Z]{2})\b/g;
const OUTWARD_DIGIT: Readonly<Record<string, string>> = { l: '1', I: '1', '|': '1', O: '0' };
/** Dutch `1234 AB` and German `12345` postcodes with an O among the digits. */
const DIGITS_WITH_O = /\b(?=[\dO]*\d[\dO]*\b)(\d[\dO]{3}(?=\s[A-Z]{2}\b)|\d[\dO]{4}(?=\s\p{Lu}))/gu;

/**
 * Postcodes with OCR's letter-for-digit slips put right where the format says a digit belongs:
 * "Dublin DO7 R6OD" → "Dublin D07 R60D", "BS3 OPJ" → "BS3 0PJ", "NWl 6XE" → "NW1 6XE", "BS3 BAW" → "BS3 8AW", "EH9 8X)" → "EH9 8XJ", "1O25 CC" → "1025 CC". Only
 * upper-case postcode-shaped tokens are touched, and an Eircode needs a real digit in its routing key.
 */
export function repairPostcodeDigits(text: string): string {
  const digits = (part: string): string => part.replace(/O/g, '0').replace(/I/g, '1');
  return text
    .replace(EIRCODE, (m, area: string, key: string, unique: string) =>
      /\d/.test(key) ? `${area}${digits(key)} ${digits(unique)}` : m,
    )
    .replace(UK_INWARD_O, (_m, outward: string, letter: string, rest: string) => `${outward} ${INWARD_DIGIT[letter] ?? letter}${rest}`)
    .replace(UK_INWARD_J, (_m, outward: string, inward: string) => `${outward} ${inward.replace(/[\])]/g, 'J')}`)
    .replace(UK_OUTWARD_DIGIT, (_m, area: string, digit: string, rest: string) => `${area}${OUTWARD_DIGIT[digit] ?? digit}${rest}`)
    .replace(DIGITS_WITH_O, (m) => digits(m));
}

function isNumberToken(token: string): boolean {
  return /^\d+[a-z]?$/.test(token);
}

/** Digits OCR reads inside words ("K6ln" for "Köln"): folded back to letters. */
const DIGIT_IN_WORD: Readonly<Record<string, string>> = { '0': 'o', '1': 'l', '3': 'e', '5': 's', '6': 'o', '8': 'b' };

function foldOcrDigits(token: string): string {
  if (!/[a-z]{2}/.test(token) || !/^[a-z]*\d[a-z]+$|^[a-z]+\d[a-z]*$/.test(token)) return token;
  return token.replace(/\d/g, (d) => DIGIT_IN_WORD[d] ?? d);
}

function hasFuzzyMatch(token: string, others: readonly string[]): boolean {
  if (others.includes(token)) return true;
  if (isNumberToken(token) || token.length < 4) return false;
  const folded = foldOcrDigits(token);
  return others.some((o) => !isNumberToken(o) && jaroWinkler(folded, foldOcrDigits(o)) >= FUZZY_TOKEN_SIMILARITY);
}

/** House numbers in the shorter address must all appear in the longer one. */
function numbersCompatible(a: string[], b: string[]): boolean {
  const na = a.filter(isNumberToken);
  const nb = b.filter(isNumberToken);
  const [fewer, more] = na.length <= nb.length ? [na, nb] : [nb, na];
  return fewer.every((n) => more.includes(n));
}

/** Postcode characters OCR confuses, mapped to one form before postcodes are compared. */
function canonicalPostcode(postcode: string): string {
  return postcode.toUpperCase().replace(/[O]/g, '0').replace(/[IL]/g, '1').replace(/S/g, '5').replace(/G/g, '6').replace(/B/g, '8').replace(/Z/g, '2');
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

type PostcodeRelation = 'same' | 'near' | 'conflict' | 'unknown';

/** `near`: one character apart after OCR folding (a misread, not another district). */
function postcodeRelation(a: string | undefined, b: string | undefined): PostcodeRelation {
  if (a === undefined || b === undefined) return 'unknown';
  const ca = canonicalPostcode(a);
  const cb = canonicalPostcode(b);
  if (ca === cb) return 'same';
  return editDistanceAtMostOne(ca, cb) ? 'near' : 'conflict';
}

/** Address tokens without the postcode (compared on its own). */
function tokensWithoutPostcode(address: string, postcode: string | undefined): string[] {
  const tokens = addressTokens(address);
  if (postcode === undefined) return tokens;
  const compact = postcode.toLowerCase();
  const withoutWhole = tokens.filter((t) => t !== compact);
  return withoutWhole.length < tokens.length ? withoutWhole : tokens.filter((t) => !compact.startsWith(t) && !compact.endsWith(t));
}

export function compareAddresses(a: string, b: string, options: AddressCompareOptions = {}): AddressComparison {
  const threshold = options.threshold ?? DEFAULT_ADDRESS_THRESHOLD;
  const pa = extractPostcode(a);
  const pb = extractPostcode(b);
  const ta = tokensWithoutPostcode(a, pa);
  const tb = tokensWithoutPostcode(b, pb);
  if (ta.length === 0 || tb.length === 0) return { match: false, score: 0 };
  const [shorter, longer] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  const matched = shorter.filter((t) => hasFuzzyMatch(t, longer)).length;
  const containment = matched / shorter.length;
  const jaccard = matched / (shorter.length + longer.length - matched);
  let score = 0.75 * containment + 0.25 * jaccard;
  const relation = postcodeRelation(pa, pb);
  if (relation === 'conflict') score *= 0.5;
  const numbersAgree = numbersCompatible(ta, tb);
  if (!numbersAgree) score *= 0.6;
  const rounded = Math.round(score * 1000) / 1000;
  return { match: score >= threshold && relation !== 'conflict' && numbersAgree, score: rounded };
}
