/**
 * IBAN extraction and validation. Statements print IBANs in groups of four (`GB29 NWBK 6016 1331 9268 19`)
 * and OCR text runs them into neighbouring words, so candidates are cut to the country's IBAN length.
 */
import { electronicFormatIBAN, getCountrySpecifications, isValidIBAN } from 'ibantools';

export interface IbanCandidate {
  /** Electronic format: upper case, no spaces. */
  iban: string;
  /** The text as printed. */
  text: string;
  /** Offset of the candidate in the searched text. */
  index: number;
  valid: boolean;
}

/**
 * Country code, check digits, then up to 30 alphanumerics, optionally in space-separated groups.
 * One check digit may be an O (OCR's reading of 0); the other must be a digit.
 */
const CANDIDATE = /(?<![A-Z0-9])([A-Z]{2}\s?(?:\d[\dO]|O\d)(?:\s?[A-Z0-9]){8,30})/g;

const COUNTRY_LENGTHS: ReadonlyMap<string, number> = buildLengths();

function buildLengths(): Map<string, number> {
  const lengths = new Map<string, number>();
  for (const [code, spec] of Object.entries(getCountrySpecifications())) {
    if (spec.chars) lengths.set(code, spec.chars);
  }
  return lengths;
}

/** Upper case, separators removed; undefined when the input is empty. */
export function normaliseIban(text: string): string | undefined {
  return electronicFormatIBAN(text) ?? undefined;
}

export function isValidIban(text: string): boolean {
  const iban = normaliseIban(text);
  return iban !== undefined && isValidIBAN(iban);
}

/** Print format: groups of four separated by spaces. */
export function formatIban(iban: string): string {
  return (normaliseIban(iban) ?? '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** Maps each compact character back to its offset within the printed text. */
function compactOffsets(printed: string): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < printed.length; i++) if (!/\s/.test(printed[i] ?? '')) offsets.push(i);
  return offsets;
}

function toCandidate(printed: string, index: number): IbanCandidate | undefined {
  const compact = printed.replace(/\s/g, '');
  const expected = COUNTRY_LENGTHS.get(compact.slice(0, 2));
  if (expected === undefined || compact.length < expected) return undefined;
  // Check digits are digits: an O there is OCR's misreading of 0.
  const iban = compact.slice(0, 2) + compact.slice(2, 4).replace(/O/g, '0') + compact.slice(4, expected);
  const end = compactOffsets(printed)[expected - 1] ?? printed.length - 1;
  return { iban, text: printed.slice(0, end + 1), index, valid: isValidIBAN(iban) };
}

/**
 * IBAN-shaped strings in `text` (upper-cased first), valid or not, in reading order. A candidate
 * must start with a known IBAN country and be at least that country's IBAN length.
 */
export function findIbans(text: string): IbanCandidate[] {
  const upper = text.toUpperCase();
  const pattern = new RegExp(CANDIDATE.source, 'g');
  const found: IbanCandidate[] = [];
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(upper)) !== null) {
    const candidate = toCandidate(match[1] ?? '', match.index);
    if (candidate) {
      found.push(candidate);
      pattern.lastIndex = match.index + candidate.text.length;
    } else {
      pattern.lastIndex = match.index + 1; // an IBAN may start inside a rejected run
    }
  }
  return found;
}

/** The first valid IBAN, else the first candidate (so a mistyped IBAN can be reported), else undefined. */
export function pickIban(text: string): IbanCandidate | undefined {
  const candidates = findIbans(text);
  return candidates.find((c) => c.valid) ?? candidates[0];
}
