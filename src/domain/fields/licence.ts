/** Identity documents, EU driving licences: the numbered fields (1. surname … 8. address), or their order when OCR lost the numbers. */
import { repairPostcodeDigits } from '../address.js';
import { findDates } from '../dates.js';
import type { FieldEvidence } from '../documents.js';
import { FieldSink, NAME_PARTICLES, clean, type FieldExtractionOptions, type Line } from './common.js';
import { toAlpha3 } from './countries.js';
import { addressBlock, isAddressLine } from './postal.js';

const LICENCE_MARKER = /(?:^|\s)(1|2|3|4a|4b|4c|4d|5|7|8|9)\.(?=\s|\p{L})/giu;

/** Splits "4a. 12.03.2020 4c. DVLA" into its numbered parts. */
function licenceParts(text: string): Array<{ key: string; value: string }> {
  const marks = [...text.matchAll(LICENCE_MARKER)];
  return marks.map((m, i) => {
    const start = m.index + m[0].length;
    const end = marks[i + 1]?.index ?? text.length;
    return { key: (m[1] ?? '').toLowerCase(), value: text.slice(start, end).trim() };
  });
}

export function licenceFields(lines: Line[], options: FieldExtractionOptions): FieldSink {
  const sink = new FieldSink();
  lines.forEach((line, i) => {
    for (const { key, value } of licenceParts(line.text)) {
      const evidence: FieldEvidence = { source: 'text', page: line.page, text: line.text };
      const date = (): string | undefined => findDates(value, { order: options.dateOrder })[0]?.value;
      switch (key) {
        case '1': sink.set('surname', clean(value), evidence); break;
        case '2': sink.set('givenNames', clean(value), evidence); break;
        case '3': sink.set('dateOfBirth', date(), evidence); break;
        case '4a': sink.set('issueDate', date(), evidence); break;
        case '4b': sink.set('expiryDate', date(), evidence); break;
        case '4c': sink.set('issuingCountry', authorityCountry(value), evidence); break;
        case '5': sink.set('documentNumber', licenceNumber(value.split(/\s+/)[0]?.toUpperCase() ?? ''), evidence); break;
        case '8': {
          const block = [value, ...continuationLines(lines, i + 1)].filter((l) => l.length > 0).map(repairPostcodeDigits);
          sink.set('address', block.join(', '), { ...evidence, text: block.join('\n') });
          break;
        }
      }
    }
  });
  if (!sink.has('issuingCountry')) {
    const header = lines.slice(0, 8).find((l) => toAlpha3(l.text) !== undefined && l.text.length > 1);
    if (header) sink.set('issuingCountry', toAlpha3(header.text), { source: 'text', page: header.page, text: header.text });
  }
  if (!sink.has('surname') || !sink.has('dateOfBirth')) licenceByPosition(sink, lines, options);
  return sink;
}

/** A UK licence number: surname (9-padded), birth date digits, initials, a digit, two check letters. */
const UK_LICENCE_NUMBER = /^[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}$/;

/**
 * A licence number with OCR's O/0 and I/1 slips put right where the UK format fixes letters and
 * digits ("ASHW0504217H99RY" → "ASHWO504217H99RY"). Numbers of other formats are returned as read.
 */
export function licenceNumber(value: string): string {
  if (value.length !== 16) return value;
  const toLetters = (t: string): string => t.replace(/0/g, 'O').replace(/1/g, 'I');
  const toDigits = (t: string): string => t.replace(/O/g, '0').replace(/[IL]/g, '1');
  const fixed = toLetters(value.slice(0, 5)) + toDigits(value.slice(5, 11)) + toLetters(value.slice(11, 13)) + toDigits(value.slice(13, 14)) + toLetters(value.slice(14));
  return UK_LICENCE_NUMBER.test(fixed) ? fixed : value;
}

/** Letters only, in upper or name case: a licence name line with its field number lost. */
function isBareNameLine(text: string): boolean {
  if (!/^[\p{L}'’ -]{2,}$/u.test(text) || toAlpha3(text) !== undefined || /licen[cs]e|permis|f[üu]hrerschein|rijbewijs/i.test(text)) return false;
  // Upper case as most licences print names, or name case with particles ("van den Berg").
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return !/\p{Ll}/u.test(text) || words.every((w) => /^\p{Lu}/u.test(w) || NAME_PARTICLES.has(w.toLowerCase()));
}

/**
 * OCR often drops the small field numbers of a licence; the fields keep their order: surname,
 * given names, birth date and place, issue date, expiry date, licence number, address. A two-column
 * layout can bring the issue date (4a) up before the names, so the birth line is the first dated
 * line after two bare name lines, else (three dates or more) the line with the earliest date: nobody
 * is born after their licence is issued. Of the later dates the earliest is the issue date and the
 * latest the expiry.
 */
function licenceByPosition(sink: FieldSink, lines: Line[], options: FieldExtractionOptions): void {
  const texts = lines.map((l) => l.text.replace(/^\s*(?:\d[a-d]?[.,]?\s+|[a-d]?[.,]\s*)/i, '').trim());
  const dated = texts.flatMap((t, i) => {
    const first = findDates(t, { order: options.dateOrder })[0];
    return first ? [{ i, date: first.value }] : [];
  });
  if (dated.length === 0) return;
  const afterNames = dated.find(({ i }) => i >= 2 && isBareNameLine(texts[i - 1] ?? '') && isBareNameLine(texts[i - 2] ?? ''));
  const earliest = dated.reduce((a, b) => (b.date < a.date ? b : a));
  // Without the names to place it, the earliest date is the birth date only among all three: with
  // two, they may be the issue and expiry dates, and a recent "birth" would reject the applicant.
  if (!afterNames && dated.length < 3) return;
  const birth = afterNames ?? earliest;
  const at = (i: number): FieldEvidence => ({ source: 'text', page: lines[i]?.page, text: lines[i]?.text });
  if (afterNames) {
    sink.set('surname', texts[birth.i - 2], at(birth.i - 2));
    sink.set('givenNames', texts[birth.i - 1], at(birth.i - 1));
  }
  sink.set('dateOfBirth', birth.date, at(birth.i));
  const others = dated.filter((d) => d !== birth && d.date > birth.date);
  const byDate = [...others].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i));
  const issue = byDate[0];
  if (issue) sink.set('issueDate', issue.date, at(issue.i));
  const expiry = byDate.length >= 2 ? byDate.at(-1) : undefined;
  if (!expiry) return;
  sink.set('expiryDate', expiry.date, at(expiry.i));
  const lastDated = Math.max(birth.i, ...others.map((d) => d.i));
  const numberAt = texts.findIndex((t, i) => i > lastDated && /^[A-Z0-9]{6,}$/.test(t.split(/\s+/)[0] ?? '') && /\d/.test(t));
  if (numberAt === -1) return;
  sink.set('documentNumber', licenceNumber(texts[numberAt]?.split(/\s+/)[0] ?? ''), at(numberAt));
  const block = addressBlock(lines, numberAt + 1).filter((l) => !/^\s*9\./.test(l.text));
  if (block.length > 0) sink.set('address', block.map((l) => l.text).join(', '), { ...at(numberAt + 1), text: block.map((l) => l.text).join('\n') });
}

/** Address lines after "8.": until the next numbered field. */
function continuationLines(lines: Line[], from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < lines.length && out.length < 4; i++) {
    const text = lines[i]?.text ?? '';
    if (licenceParts(text).length > 0 || !isAddressLine(text)) break;
    out.push(text);
  }
  return out;
}

const AUTHORITY_COUNTRIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bDVLA\b|\bDVA\b/i, 'GBR'],
  [/\bNDLS\b|\bRSA\b/i, 'IRL'],
  [/\bRDW\b|gemeente/i, 'NLD'],
  [/stadt|landkreis|kreis|bezirksamt/i, 'DEU'],
];

function authorityCountry(value: string): string | undefined {
  return AUTHORITY_COUNTRIES.find(([pattern]) => pattern.test(value))?.[1];
}
