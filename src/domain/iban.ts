/**
 * IBAN extraction and validation. Statements print IBANs in groups of four (`GB29 NWBK 6016 1331 9268 19`)
 * and OCR text runs them into neighbouring words, so candidates are cut to the country's IBAN length.
 */
import { electronicFormatIBAN, getCountrySpecifications, isValidIBAN } from 'ibantools';

import type { FieldEvidence, FieldVerification } from './documents.js';

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

// ---------------------------------------------------------------------------------------------
// Unreadable, unverified or invalid: an IBAN's verdict from every reading of it on the page.
//
// A failed mod-97 check on one OCR reading says little: a digit misread as another fails it just as
// a wrong IBAN does. So every reading is gathered (the text layer, each OCR reading), each is repaired
// only where the IBAN format admits one character class (letters in the country code, digits in the
// check digits, the country's BBAN structure from ibantools), and the verdict says how sure it is:
// - `valid`: a reading passes mod-97 as read or after position-only repairs, and no reading passes
//   with another value;
// - `invalid`: the readings agree on a string that fails mod-97 (a text layer counts as agreed: it
//   is the document's own characters), and no look-alike swap makes it pass;
// - `unverified`: it passes only after a look-alike swap where both characters are legal (O/0 in an
//   alphanumeric BBAN position), or the readings disagree, or one OCR reading fails on its own;
// - `unreadable`: an IBAN is printed (its label is there) but no reading gives a complete one.

/** Where a reading of the IBAN came from: a text layer and a reviewer's value are the document's characters. */
export type IbanReadingSource = 'text-layer' | 'ocr' | 'model' | 'reviewer';

export interface IbanReadingInput {
  text: string;
  source: IbanReadingSource;
  /** 1-based page. */
  page?: number;
}

export type IbanStatus = 'valid' | 'invalid' | 'unverified' | 'unreadable';

export interface IbanRepair {
  /** 0-based position in the electronic format. */
  position: number;
  from: string;
  to: string;
  /** `position`: the format admits one class there; `look-alike`: both characters were legal there. */
  kind: 'position' | 'look-alike';
}

export interface IbanAssessment {
  status: IbanStatus;
  /** The value the readings support (electronic format); absent when unreadable. */
  iban?: string;
  /** Why, as a stable code: `read`, `repaired`, `corroborated`, `look-alike-only`, `readings-disagree`, `single-ocr-reading-fails`, `readings-agree-on-failure`, `text-layer-fails`, `no-complete-reading`. */
  reason: string;
  /** Readings that gave a complete IBAN-shaped string. */
  readings: number;
  repairs: IbanRepair[];
  /** Page and printed line of the reading the value came from (PII: never logged). */
  page?: number;
  text?: string;
}

/** Letters OCR reads for digits, and back. Only pairs that are look-alikes in print. */
const DIGIT_FOR_LETTER: Readonly<Record<string, string>> = { O: '0', Q: '0', D: '0', I: '1', L: '1', Z: '2', S: '5', B: '8', G: '6', T: '7' };
const LETTER_FOR_DIGIT: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '8': 'B', '6': 'G' };
/** Swaps tried in alphanumeric positions, where both characters are legal: a fix there is not verified. */
const AMBIGUOUS_SWAPS: Readonly<Record<string, string>> = { O: '0', '0': 'O', I: '1', '1': 'I', Z: '2', '2': 'Z', S: '5', '5': 'S', B: '8', '8': 'B', G: '6', '6': 'G' };
/** Most look-alike positions tried together (2^n variants). */
const MAX_AMBIGUOUS_POSITIONS = 8;

type CharClass = 'n' | 'a' | 'c';

const STRUCTURES: ReadonlyMap<string, readonly CharClass[]> = buildStructures();

/** ibantools' BBAN expressions (`^[A-Z]{4}[0-9]{14}$`) as one character class per IBAN position. */
function buildStructures(): Map<string, CharClass[]> {
  const out = new Map<string, CharClass[]>();
  for (const [code, spec] of Object.entries(getCountrySpecifications())) {
    if (!spec.chars || !spec.bban_regexp) continue;
    const classes: CharClass[] = ['a', 'a', 'n', 'n'];
    const part = /\[([^\]]+)\]\{(\d+)\}/g;
    let m: RegExpExecArray | null;
    while ((m = part.exec(spec.bban_regexp)) !== null) {
      const set = m[1] ?? '';
      const cls: CharClass = set === '0-9' ? 'n' : set === 'A-Z' ? 'a' : 'c';
      for (let i = 0; i < Number(m[2]); i++) classes.push(cls);
    }
    if (classes.length === spec.chars) out.set(code, classes);
  }
  return out;
}

/** An IBAN label in the languages of the corpus (the word itself is the same everywhere). */
const IBAN_LABEL = /\bI\s?B\s?A\s?N\b/i;
/** An IBAN-shaped run: two letters (or look-alikes), then alphanumerics in groups. */
const LOOSE_CANDIDATE = /(?<![A-Z0-9])([A-Z0-9]{2}(?:[ \t-]?[A-Z0-9]){10,34})/g;

interface Reading {
  /** After position-only repairs. */
  iban: string;
  printed: string;
  repairs: IbanRepair[];
  valid: boolean;
  /** Distinct valid strings reachable by look-alike swaps in alphanumeric positions. */
  lookAlikeFixes: string[];
  /** Read on a line that carries the IBAN label. */
  labelled: boolean;
  source: IbanReadingSource;
  page?: number;
}

function countryOf(first: string, hasLabel: boolean): { code: string; repairs: IbanRepair[] } | undefined {
  if (STRUCTURES.has(first)) return { code: first, repairs: [] };
  if (!hasLabel) return undefined; // digits as country letters only where the page prints an IBAN label
  const repairs: IbanRepair[] = [];
  let code = '';
  for (let i = 0; i < 2; i++) {
    const ch = first[i] ?? '';
    const letter = /[A-Z]/.test(ch) ? ch : LETTER_FOR_DIGIT[ch];
    if (!letter) return undefined;
    if (letter !== ch) repairs.push({ position: i, from: ch, to: letter, kind: 'position' });
    code += letter;
  }
  return STRUCTURES.has(code) ? { code, repairs } : undefined;
}

/** Repairs a compact run to the country's structure; undefined when it cannot be this country's IBAN. */
function repairToStructure(compact: string, hasLabel: boolean): Omit<Reading, 'printed' | 'labelled' | 'source' | 'page'> | undefined {
  const country = countryOf(compact.slice(0, 2), hasLabel);
  if (!country) return undefined;
  const classes = STRUCTURES.get(country.code)!;
  if (compact.length < classes.length) return undefined;
  const repairs = [...country.repairs];
  const ambiguous: number[] = [];
  let out = country.code;
  for (let i = 2; i < classes.length; i++) {
    const ch = compact[i] ?? '';
    const cls = classes[i];
    let to = ch;
    if (cls === 'n' && !/\d/.test(ch)) to = DIGIT_FOR_LETTER[ch] ?? '';
    else if (cls === 'a' && !/[A-Z]/.test(ch)) to = LETTER_FOR_DIGIT[ch] ?? '';
    if (to === '') return undefined; // a character the format cannot hold there: not this IBAN
    if (to !== ch) repairs.push({ position: i, from: ch, to, kind: 'position' });
    if (cls === 'c' && AMBIGUOUS_SWAPS[ch] !== undefined) ambiguous.push(i);
    out += to;
  }
  const valid = isValidIBAN(out);
  return { iban: out, repairs, valid, lookAlikeFixes: valid ? [] : lookAlikeFixes(out, ambiguous) };
}

function lookAlikeFixes(iban: string, positions: number[]): string[] {
  const tried = positions.slice(0, MAX_AMBIGUOUS_POSITIONS);
  const fixes = new Set<string>();
  for (let mask = 1; mask < 1 << tried.length; mask++) {
    const chars = [...iban];
    tried.forEach((pos, bit) => {
      if (mask & (1 << bit)) chars[pos] = AMBIGUOUS_SWAPS[chars[pos] ?? ''] ?? chars[pos] ?? '';
    });
    const variant = chars.join('');
    if (isValidIBAN(variant)) fixes.add(variant);
  }
  return [...fixes];
}

/** Every IBAN-shaped reading in one text, repaired by position only. */
function readingsIn(input: IbanReadingInput): Reading[] {
  const out: Reading[] = [];
  // OCR reads a table column by column: the label may stand apart from its value.
  const pageHasLabel = IBAN_LABEL.test(input.text);
  const lines = input.text.split('\n');
  for (const [index, line] of lines.entries()) {
    const upper = line.toUpperCase();
    const hasLabel = IBAN_LABEL.test(upper);
    // On a page that labels its IBAN, a failing IBAN-shaped run away from the label (an invoice or
    // customer number that starts with a country code) is not a reading of the IBAN.
    const nearLabel = hasLabel || IBAN_LABEL.test(lines[index - 1] ?? '');
    const searched = hasLabel ? upper.replace(IBAN_LABEL, ' ') : upper;
    const pattern = new RegExp(LOOSE_CANDIDATE.source, 'g');
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(searched)) !== null) {
      const printed = match[1] ?? '';
      const compact = printed.replace(/[\s-]/g, '');
      const repaired = repairToStructure(compact, hasLabel || pageHasLabel);
      if (repaired && pageHasLabel && !nearLabel && !repaired.valid) {
        pattern.lastIndex = match.index + 1;
      } else if (repaired) {
        out.push({ ...repaired, printed: line.trim(), labelled: hasLabel, source: input.source, ...(input.page !== undefined ? { page: input.page } : {}) });
      } else {
        pattern.lastIndex = match.index + 1; // an IBAN may start inside a rejected run
      }
    }
  }
  return out;
}

/**
 * The reading's IBAN: a page may print several (a payee's in a transaction line), so one per
 * reading, the labelled one first, a valid one before an invalid one.
 */
function primary(readings: Reading[]): Reading | undefined {
  const rank = (r: Reading): number => (r.labelled ? 0 : 2) + (r.valid ? 0 : 1);
  return [...readings].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * Whether the IBAN beside its label is printed masked (`FR76 ****…`, `•••• 1234`, `XXXX`), as bills
 * print the customer's account: there is no IBAN to verify then, neither unreadable nor invalid.
 */
function isMasked(text: string): boolean {
  const lines = text.split('\n');
  return lines.some((line, i) => IBAN_LABEL.test(line) && /(?:[*•·]\s?){4,}|X{4,}/.test(`${line} ${lines[i + 1] ?? ''}`.toUpperCase().replace(IBAN_LABEL, ' ')));
}

/** Whether any reading prints an IBAN label: then an IBAN was meant to be read there. */
function labelled(inputs: readonly IbanReadingInput[]): IbanReadingInput | undefined {
  return inputs.find((input) => IBAN_LABEL.test(input.text));
}

function authoritative(source: IbanReadingSource): boolean {
  return source === 'text-layer' || source === 'reviewer';
}

function fromReading(status: IbanStatus, reason: string, reading: Reading, iban: string, readings: number, extra: IbanRepair[] = []): IbanAssessment {
  return {
    status,
    iban,
    reason,
    readings,
    repairs: [...reading.repairs, ...extra],
    ...(reading.page !== undefined ? { page: reading.page } : {}),
    text: reading.printed,
  };
}

function swapsBetween(from: string, to: string): IbanRepair[] {
  const out: IbanRepair[] = [];
  for (let i = 0; i < from.length; i++) if (from[i] !== to[i]) out.push({ position: i, from: from[i] ?? '', to: to[i] ?? '', kind: 'look-alike' });
  return out;
}

/**
 * The verdict on the IBAN printed in `inputs` (each the text of one reading of the page or of the
 * IBAN's line). Undefined when no reading shows an IBAN or an IBAN label.
 */
export function assessIban(inputs: readonly IbanReadingInput[]): IbanAssessment | undefined {
  const readings = inputs.flatMap((input) => primary(readingsIn(input)) ?? []);
  if (readings.length === 0) {
    const label = labelled(inputs);
    if (!label || isMasked(label.text)) return undefined;
    const line = label.text.split('\n').find((l) => IBAN_LABEL.test(l))?.trim();
    return { status: 'unreadable', reason: 'no-complete-reading', readings: 0, repairs: [], ...(label.page !== undefined ? { page: label.page } : {}), ...(line ? { text: line } : {}) };
  }
  const count = readings.length;
  const valid = readings.filter((r) => r.valid);
  const validValues = new Set(valid.map((r) => r.iban));
  if (validValues.size > 1) return fromReading('unverified', 'readings-disagree', valid[0]!, valid[0]!.iban, count);
  if (valid.length > 0) {
    const first = valid.find((r) => r.repairs.length === 0) ?? valid[0]!;
    const reason = valid.length > 1 ? 'corroborated' : first.repairs.length > 0 ? 'repaired' : 'read';
    return fromReading('valid', reason, first, first.iban, count);
  }
  // Nothing passes as read: a look-alike fix is a candidate, never a verified value.
  const fixes = new Set(readings.flatMap((r) => r.lookAlikeFixes));
  const first = readings[0]!;
  if (fixes.size > 0) {
    const withFix = readings.find((r) => r.lookAlikeFixes.length > 0)!;
    const fix = fixes.size === 1 ? withFix.lookAlikeFixes[0]! : withFix.iban;
    return fromReading('unverified', 'look-alike-only', withFix, fix, count, fixes.size === 1 ? swapsBetween(withFix.iban, fix) : []);
  }
  const printed = readings.find((r) => authoritative(r.source));
  if (printed) return fromReading('invalid', 'text-layer-fails', printed, printed.iban, count);
  const values = new Set(readings.map((r) => r.iban));
  if (values.size === 1 && readings.length > 1) return fromReading('invalid', 'readings-agree-on-failure', first, first.iban, count);
  return fromReading('unverified', values.size > 1 ? 'readings-disagree' : 'single-ocr-reading-fails', first, first.iban, count);
}

/** How sure the IBAN is, in the MRZ's vocabulary (read / repaired / corroborated / unverified / failed). */
export type IbanVerification = FieldVerification;

/** The IBAN field's evidence: where it was read and its verification. */
export type IbanEvidence = Pick<FieldEvidence, 'source' | 'page' | 'text' | 'verification'>;

export function verificationOf(assessment: IbanAssessment): IbanVerification {
  switch (assessment.status) {
    case 'valid':
      return assessment.reason === 'corroborated' ? 'corroborated' : assessment.reason === 'repaired' ? 'repaired' : 'read';
    case 'invalid':
      return 'failed';
    case 'unverified':
      return 'unverified';
    case 'unreadable':
      return 'unreadable';
  }
}

export interface IbanVerdict {
  status: 'pass' | 'fail' | 'inconclusive';
  /** Stable code for the detail: `valid`, `invalid`, `unverified`, `unreadable`. */
  outcome: IbanStatus;
}

/**
 * The `iban_valid` verdict on a document's IBAN field. The extraction's verification decides
 * (see `assessIban`); a reviewer's value is the document's characters and is judged as it stands; a
 * value with no verification (a model's, or one from before verification existed) is one reading of
 * unknown provenance: valid passes, a look-alike fix leaves it unverified, and a failure fails only
 * when it did not come from the model (the model copies digits as unreliably as OCR reads them).
 */
export function ibanVerdict(value: string | undefined, evidence: IbanEvidence | undefined): IbanVerdict | undefined {
  if (value === undefined || value === '') {
    return evidence?.verification === 'unreadable' ? { status: 'inconclusive', outcome: 'unreadable' } : undefined;
  }
  if (evidence?.source === 'reviewer') return isValidIban(value) ? { status: 'pass', outcome: 'valid' } : { status: 'fail', outcome: 'invalid' };
  switch (evidence?.verification) {
    case 'failed':
      return { status: 'fail', outcome: 'invalid' };
    case 'unverified':
    case 'unreadable':
      return { status: 'inconclusive', outcome: 'unverified' };
    case 'read':
    case 'repaired':
    case 'corroborated':
      // The value is the one verified; a value edited since would be judged again here.
      return isValidIban(value) ? { status: 'pass', outcome: 'valid' } : { status: 'fail', outcome: 'invalid' };
    default: {
      const source: IbanReadingSource = evidence?.source === 'model' ? 'model' : 'text-layer';
      const assessed = assessIban([{ text: `IBAN ${value}`, source }]);
      if (!assessed || assessed.status === 'unreadable') return { status: 'inconclusive', outcome: 'unreadable' };
      if (assessed.status === 'valid') return { status: 'pass', outcome: 'valid' };
      if (assessed.status === 'invalid') return { status: 'fail', outcome: 'invalid' };
      return { status: 'inconclusive', outcome: 'unverified' };
    }
  }
}
