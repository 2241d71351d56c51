/** Identity documents: the MRZ first, the visual zone beside it, and the two compared. */
import anyAscii from 'any-ascii';

import { findDates } from '../dates.js';
import type { DocumentType, FieldEvidence, FieldName, Fields } from '../documents.js';
import { corroborateMrz, isMrzState, mrzNameField, readMrz, type MrzFields, type MrzReading, type VisualZoneValues } from '../mrz/index.js';
import { mrzSpellingsOfWord, reconcileMrzNames } from '../mrz-names.js';
import { compareNames, jaroWinkler, nameTokens } from '../names.js';
import { FieldSink, naturalCase, toLines, type FieldExtraction, type FieldExtractionOptions, type FieldPage, type Line, type MrzCrossCheck } from './common.js';
import { visualFields } from './identity-visual.js';
import { licenceFields } from './licence.js';

const CROSS_CHECKED: readonly FieldName[] = ['surname', 'givenNames', 'dateOfBirth', 'expiryDate', 'documentNumber', 'issuingCountry', 'sex'];

export function sameValue(field: FieldName, a: string, b: string): boolean {
  if (field === 'surname' || field === 'givenNames') return sameName(a, b);
  if (field === 'documentNumber') {
    // One stray character OCR adds at an end of the printed number (a `j` from the field's rule
    // or frame) is debris, not another number; a different character inside it is a mismatch.
    const [mrz, printed] = [compact(a), compact(b)];
    return mrz === printed || (printed.length === mrz.length + 1 && mrz.length >= 6 && (printed.startsWith(mrz) || printed.endsWith(mrz)));
  }
  return a === b;
}

/**
 * The MRZ and the printed zone spell one name two ways: ICAO transliterates Ö as OE (or O), Å as AA,
 * ß as SS, and OCR reads a filler after a name as K or splits a word. Both sides are brought to one
 * key (accents folded, those digraphs single, fillers and spaces dropped) before they are compared,
 * so that spelling is not taken for a different name; a different name still differs.
 */
export function sameName(a: string, b: string): boolean {
  // A lone lower-case letter beside a printed name is OCR debris (names are printed in capitals).
  b = b.split(/\s+/).filter((t) => !/^\p{Ll}$/u.test(t)).join(' ');
  if (compareNames(a, b, { threshold: 0.9 }).match) return true;
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka.length === 0 || kb.length === 0) return false;
  return ka === kb || jaroWinkler(ka, kb) >= 0.93 || jaroWinkler(ka.replace(/K+$/, ''), kb.replace(/K+$/, '')) >= 0.97;
}

function nameKey(value: string): string {
  return anyAscii(value)
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .replace(/AE|OE|UE/g, (m) => m[0]!)
    .replace(/AA/g, 'A')
    .replace(/SS/g, 'S');
}

/**
 * A printed name OCR could have read: two letters or more, and letters (with hyphens, apostrophes,
 * spaces and dots) for the rest. Debris such as `a>.` or the `I` of a misread `Surname / Nom` label
 * is not a reading of the name, so it is not compared with the MRZ.
 */
export function isPlausibleName(value: string): boolean {
  const ascii = anyAscii(value).trim();
  const letters = ascii.replace(/[^A-Za-z]/g, '').length;
  const others = ascii.replace(/[A-Za-z\s'.-]/g, '').length;
  return letters >= 2 && others === 0;
}

function compact(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/O/g, '0');
}

/**
 * Fields read from both zones, and those that differ. A field the MRZ left unverified (a look-alike
 * swap nobody corroborated) is not compared: its doubt is already the `mrz_checksum` verdict, and a
 * printed value that differs from a guess says nothing new about the document.
 */
function crossCheck(reading: MrzReading, visual: Fields): { compared: FieldName[]; mismatches: FieldName[] } {
  const mrzFields = reading.fields;
  const status = reading.summary.fieldStatus ?? {};
  const doubtful = (f: FieldName): boolean => (status as Record<string, string | undefined>)[f] === 'unverified';
  const readable = (f: FieldName): boolean => (f === 'surname' || f === 'givenNames' ? isPlausibleName(visual[f] ?? '') : true);
  const compared = CROSS_CHECKED.filter((f) => mrzFields[f as keyof MrzFields] !== undefined && visual[f] !== undefined && !doubtful(f) && readable(f));
  const mismatches = compared.filter((f) => !sameValue(f, mrzFields[f as keyof MrzFields] ?? '', visual[f] ?? ''));
  return { compared, mismatches };
}

/**
 * The MRZ writes years with two digits; the century is a guess (a birth in the past, an expiry
 * ahead). When the printed zone gives the same day, month and two-digit year with its four-digit
 * year, the printed century is the document's own: 121212 is 1912-12-12 on a page that prints
 * 12 DEC 1912, not a child born in 2012.
 */
export function printedCentury(field: FieldName, fromMrz: string, printed: string | undefined): string | undefined {
  if (field !== 'dateOfBirth' && field !== 'expiryDate') return undefined;
  if (!printed || !/^\d{4}-\d{2}-\d{2}$/.test(printed) || !/^\d{4}-\d{2}-\d{2}$/.test(fromMrz)) return undefined;
  return printed !== fromMrz && printed.slice(2) === fromMrz.slice(2) ? printed : undefined;
}

/** A country code read from an MRZ that is a real state (not OCR debris like `REV`). */
function isKnownCountry(code: string): boolean {
  return isMrzState(code) || code === 'DEU' || code === 'GBR';
}

function readFirstMrz(pages: readonly FieldPage[], options: FieldExtractionOptions): { reading: MrzReading; page: number } | undefined {
  for (const page of pages) {
    const reading = readMrz(page.text, { asOf: options.asOf });
    if (reading) return { reading, page: page.page };
  }
  return undefined;
}

/**
 * Visual names when they agree with the MRZ (they keep accents and case), or when the MRZ name line
 * is damaged (its state code is not a state); MRZ names otherwise.
 */
function setNames(sink: FieldSink, reading: MrzReading, mrzEvidence: FieldEvidence, visual: FieldSink, lines: Line[]): void {
  const mrz = reading.fields;
  const nameLineDamaged = reading.format !== 'TD1' && !isMrzState(reading.lines[0]?.slice(2, 5) ?? '');
  const unlabelled = printedLines(lines, reading);
  const printedText = unlabelled.map((l) => l.text).join('\n');
  // The MRZ names cut and spelled with the printed words (OCR reads fillers as letters).
  const reconciled = reconcileMrzNames(mrzNameField(reading), printedText);
  for (const field of ['surname', 'givenNames'] as const) {
    const fromMrz = reconciled ? reconciled[field] : mrz[field];
    // Unlabelled printed name found by spelling out the MRZ name: it agrees with the MRZ by construction.
    const spellings = [mrz[field], ...(fromMrz ? mrzSpellingsOfWord(fromMrz) : [])].filter((s): s is string => s !== undefined);
    const guided = visual.fields[field] === undefined ? spellings.map((s) => printedNameLine(s, unlabelled)).find(Boolean) : undefined;
    const fromVisual = guided ? guided.text.replace(/[.,;:]+$/, '') : visual.fields[field];
    const visualEvidence: FieldEvidence | undefined = guided ? { source: 'text', page: guided.page, text: guided.text } : visual.evidence[field];
    const agree =
      guided !== undefined ||
      (fromMrz !== undefined &&
        fromVisual !== undefined &&
        // The MRZ spelling of the printed name, or that spelling with fillers OCR read as letters.
        (sameValue(field, fromMrz, fromVisual) || printedNameLine(fromMrz, [{ text: fromVisual }]) !== undefined));
    if (fromVisual !== undefined && (agree || fromMrz === undefined || nameLineDamaged)) {
      const printed = agree && fromMrz !== undefined ? withoutStrayWords(fromVisual, fromMrz) : fromVisual;
      sink.set(field, naturalCase(printed), visualEvidence ?? mrzEvidence);
    } else if (fromMrz !== undefined) {
      sink.set(field, naturalCase(restoreUmlauts(fromMrz, unlabelled.map((l) => l.text).join(' '))), mrzEvidence);
    }
  }
}

/**
 * A printed name that agrees with the MRZ, without words at its ends the MRZ does not have: remains
 * of a label OCR half read ("Gr. Eoin Darragh", "Es. JANA LENA-MARIE") when the MRZ says "EOIN DARRAGH".
 */
export function withoutStrayWords(printed: string, mrzName: string): string {
  const mrzTokens = nameTokens(mrzName);
  const words = printed.trim().split(/\s+/);
  const inMrz = (word: string): boolean => nameTokens(word).some((t) => mrzTokens.some((m) => jaroWinkler(t, m) >= STRAY_WORD_SIMILARITY));
  const count = (ws: string[]): number => ws.flatMap((w) => nameTokens(w)).length;
  // Only what looks like a label's remains goes: an abbreviation or a crumb of up to three letters.
  // A longer word may be a given name the MRZ had no room for.
  const stray = (word: string): boolean => (/\.$/.test(word) || word.replace(/\P{L}/gu, '').length <= 3) && !inMrz(word);
  while (words.length > 1 && count(words) > mrzTokens.length && stray(words[0]!)) words.shift();
  while (words.length > 1 && count(words) > mrzTokens.length && stray(words.at(-1)!)) words.pop();
  return words.join(' ');
}

/** A printed word at least this close to an MRZ word is the same word (OCR slips allowed). */
const STRAY_WORD_SIMILARITY = 0.85;

const UMLAUTS: Readonly<Record<string, string>> = { AE: 'Ä', OE: 'Ö', UE: 'Ü', SS: 'ß' };

/**
 * Undoes ICAO 9303's umlaut transliteration (Ä→AE, Ö→OE, Ü→UE, ß→SS) in an MRZ name where the
 * visual zone prints the same word with one character in the digraph's place: "JUERGEN" and a
 * printed "Jürgen" (or an OCR-damaged "Jiirgen", "Jérgen") give "JÜRGEN". A word printed with
 * the digraph itself ("Mueller") stays as it is; without such a printed word nothing changes.
 */
export function restoreUmlauts(mrzName: string, visualText: string): string {
  const printed = visualText
    .replace(/ß/g, 'ẞ') // upper-casing would make it SS
    .toUpperCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length >= 2);
  return mrzName
    .split(/(\s+)/)
    .map((word) => {
      if (!/AE|OE|UE|SS/.test(word)) return word;
      const parts = word.split(/(AE|OE|UE|SS)/);
      // Each digraph: itself, or one printed character in its place (remembered for the rebuild).
      const pattern = parts.map((p, i) => (i % 2 === 1 ? `(${p}|\\p{L}{1,2})` : escapeRegExp(p))).join('');
      const re = new RegExp(`^${pattern}$`, 'u');
      for (const candidate of printed) {
        if (candidate === word) return word;
        const match = re.exec(candidate);
        if (!match) continue;
        let group = 0;
        const rebuilt = parts
          .map((p, i) => {
            if (i % 2 === 0) return p;
            const seen = match[++group] ?? p;
            // OCR often reads an umlaut as two letters ("ii" for ü): any other one or two letters count.
            // "OË" in Joël is the digraph with an accent, not an umlaut.
            return anyAscii(seen) === p ? p : (UMLAUTS[p] ?? p);
          })
          .join('');
        if (rebuilt !== word) return rebuilt;
      }
      return word;
    })
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Filler look-alikes: what OCR makes of `<` in an MRZ name field. */
const FILLER_NOISE = '[<KXCSE]';

/** The lines of the page other than the MRZ reading's own source lines: the visual zone. */
function printedLines(lines: Line[], reading: MrzReading | undefined): Line[] {
  const mrzLines = new Set(reading?.sourceLines.map((l) => l.replace(/\s+/g, ' ').trim()) ?? []);
  return lines.filter((l) => !mrzLines.has(l.text));
}

/**
 * The visual-zone line that prints an MRZ name whose fillers OCR misread as letters, when the
 * visual zone's labels were lost: "DAANK" or "LENACMARIE" from the MRZ, "DAAN" or "LENA-MARIE"
 * printed. A line qualifies when the MRZ name is its spelling with only filler look-alikes added
 * at word breaks and at the end. Printed names keep accents, hyphens and spacing the MRZ cannot.
 */
export function printedNameLine<T extends { text: string }>(mrzName: string, lines: readonly T[]): T | undefined {
  const target = mrzName.toUpperCase().replace(/\s+/g, '<');
  return lines.find((line) => {
    const text = line.text.replace(/[.,;:]+$/, '').trim();
    if (text.length < 2 || text.length > 40 || !/^\p{L}[\p{L}' -]*$/u.test(text)) return false;
    return mrzSpellingsOfWord(text).some((spelling) => {
      const words = spelling.split('<').filter((w) => w.length > 0);
      if (words.length === 0) return false;
      const pattern = words.map((w) => w).join(`${FILLER_NOISE}{1,2}`);
      return new RegExp(`^${pattern}${FILLER_NOISE}*$`).test(target);
    });
  });
}

export function extractIdentity(type: DocumentType, pages: readonly FieldPage[], options: FieldExtractionOptions): FieldExtraction {
  const lines = toLines(pages);
  const visual = type === 'driving_licence' ? licenceFields(lines, options) : visualFields(lines, options);
  if (type === 'driving_licence' && !visual.has('surname')) mergeSink(visual, visualFields(lines, options));
  const sink = new FieldSink();
  const first = readFirstMrz(pages, options);
  // The printed values are an independent reading: they corroborate what a look-alike swap chose,
  // and settle a failed field only when its own and the composite check digit then agree.
  const found = first && { ...first, reading: corroborateMrz(first.reading, { visual: visualZoneValues(lines, first.reading, visual.fields, options) }, options) };
  let mrz: MrzCrossCheck | undefined;
  if (found) {
    const { reading, page } = found;
    const evidence: FieldEvidence = { source: 'mrz', page, text: reading.sourceLines.join('\n') };
    setNames(sink, reading, evidence, visual, lines);
    for (const [name, value] of Object.entries(reading.fields) as Array<[FieldName, string]>) {
      const isBadCountry = (name === 'nationality' || name === 'issuingCountry') && !isKnownCountry(value);
      if (isBadCountry) continue;
      const century = printedCentury(name, value, visual.fields[name]);
      sink.set(name, century ?? value, century ? (visual.evidence[name] ?? evidence) : evidence);
    }
    const { compared, mismatches } = crossCheck(reading, visual.fields);
    mrz = { ...reading.summary, visualCompared: compared, visualMismatches: mismatches };
  }
  for (const [name, value] of Object.entries(visual.fields) as Array<[FieldName, string]>) {
    const isName = name === 'surname' || name === 'givenNames';
    sink.set(name, isName ? naturalCase(value) : value, visual.evidence[name] ?? { source: 'text' });
  }
  if (!sink.has('issueDate')) setIssueDateByElimination(sink, lines, found?.reading, options);
  addFullName(sink);
  return { fields: sink.fields, evidence: sink.evidence, ...(mrz ? { mrz } : {}), visual: visual.fields };
}

/**
 * Every date and document number the visual zone prints, for settling the MRZ's failing check
 * digits: the labelled values first, then any date in the text, read with the digit look-alikes OCR
 * puts beside digits ("0S APR 1958") turned back into digits.
 */
function visualZoneValues(lines: Line[], reading: MrzReading, visual: Fields, options: FieldExtractionOptions): VisualZoneValues {
  const printed = printedLines(lines, reading).filter((l) => !l.text.includes('<'));
  const digitised = (text: string): string => text.replace(/(?<=\d)[OoSIl]|[OoSIl](?=\d)/g, (ch) => DIGIT_LOOKALIKES[ch] ?? ch);
  const dates = printed.flatMap((l) => findDates(digitised(l.text), { order: options.dateOrder }).map((d) => d.value));
  const labelled = [visual.dateOfBirth, visual.expiryDate].filter((d): d is string => d !== undefined);
  const numbers = [visual.documentNumber, ...printed.flatMap((l) => l.text.split(/\s+/)).filter((w) => /^[A-Z0-9]{6,9}$/.test(w) && /\d/.test(w))];
  return { dates: [...new Set([...labelled, ...dates])], documentNumbers: [...new Set(numbers.filter((n): n is string => n !== undefined))] };
}

const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', S: '5', I: '1', l: '1' };

/**
 * When OCR garbled the "Date of issue" label: the one printed date that is neither the birth nor the
 * expiry date, lies between them and is not after `asOf`.
 */
function setIssueDateByElimination(sink: FieldSink, lines: Line[], mrz: MrzReading | undefined, options: FieldExtractionOptions): void {
  const { dateOfBirth, expiryDate } = sink.fields;
  if (!dateOfBirth || !expiryDate) return;
  const found = printedLines(lines, mrz)
    .flatMap((line) => findDates(line.text, { order: options.dateOrder }).map((d) => ({ value: d.value, line })))
    .filter((d) => d.value !== dateOfBirth && d.value !== expiryDate && d.value > dateOfBirth && d.value < expiryDate && d.value <= options.asOf);
  const distinct = new Set(found.map((d) => d.value));
  const only = found[0];
  if (distinct.size === 1 && only) sink.set('issueDate', only.value, { source: 'text', page: only.line.page, text: only.line.text });
}

function mergeSink(into: FieldSink, from: FieldSink): void {
  for (const [name, value] of Object.entries(from.fields) as Array<[FieldName, string]>) {
    into.set(name, value, from.evidence[name] ?? { source: 'text' });
  }
}

function addFullName(sink: FieldSink): void {
  const { givenNames, surname } = sink.fields;
  if (sink.has('fullName') || (!givenNames && !surname)) return;
  const evidence = sink.evidence.surname ?? sink.evidence.givenNames ?? { source: 'text' };
  sink.set('fullName', [givenNames, surname].filter(Boolean).join(' '), evidence);
}
