/**
 * Corpus v2: machine-readable zones (ICAO 9303) for TD1 cards, TD3 passports and MRV-A/MRV-B visas.
 * `wrongDigit` prints a genuinely wrong document-number check digit (the composite is computed over the
 * printed line, so exactly one check fails, as on the real specimens that carry such an error).
 */
import anyAscii from 'any-ascii';

const WEIGHTS = [7, 3, 1];

function charValue(c: string): number {
  if (c === '<') return 0;
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  return c.charCodeAt(0) - 55;
}

/** ICAO 9303 check digit (weights 7-3-1, mod 10). */
export function checkDigit(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += charValue(text[i] as string) * (WEIGHTS[i % 3] as number);
  return String(sum % 10);
}

const GERMAN = /[ÄÖÜäöüß]/;

/** Transliteration for the MRZ: Ä→AE, Ö→OE, Ü→UE, ß→SS (ICAO's recommended forms), other marks dropped. */
export function mrzText(text: string): string {
  let t = text;
  if (GERMAN.test(t)) t = t.replace(/[Ää]/g, 'AE').replace(/[Öö]/g, 'OE').replace(/[Üü]/g, 'UE').replace(/ß/g, 'SS');
  return anyAscii(t).toUpperCase().replace(/[^A-Z0-9]+/g, '<');
}

const pad = (text: string, length: number): string => text.padEnd(length, '<').slice(0, length);

/** `SURNAME<<GIVEN<NAMES` filled to `length`. */
export function nameField(surname: string, givenNames: string, length: number): string {
  return pad(`${mrzText(surname)}<<${mrzText(givenNames)}`, length);
}

/** YYYY-MM-DD → YYMMDD. */
export function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

export interface MrzData {
  code: string; // P<, ID, I<, V<
  issuer: string; // ICAO code, `D` for Germany
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  dateOfBirth: string;
  sex: 'M' | 'F';
  expiryDate: string;
  optional?: string;
  /** Print a wrong check digit for the document number. */
  wrongDigit?: boolean;
}

function numberDigit(data: MrzData, number: string): string {
  const right = checkDigit(number);
  return data.wrongDigit ? String((Number(right) + 3 + (number.length % 5)) % 10) : right;
}

export function td3(data: MrzData): string[] {
  const number = pad(data.documentNumber, 9);
  const optional = pad(data.optional ?? '', 14);
  const l1 = pad(`${pad(data.code, 2)}${pad(data.issuer, 3)}${nameField(data.surname, data.givenNames, 39)}`, 44);
  const part = `${number}${numberDigit(data, number)}${pad(data.nationality, 3)}${yymmdd(data.dateOfBirth)}${checkDigit(yymmdd(data.dateOfBirth))}${data.sex}${yymmdd(data.expiryDate)}${checkDigit(yymmdd(data.expiryDate))}${optional}${checkDigit(optional)}`;
  const composite = part.slice(0, 10) + part.slice(13, 20) + part.slice(21, 43);
  return [l1, `${part}${checkDigit(composite)}`];
}

export function td1(data: MrzData): string[] {
  const number = pad(data.documentNumber, 9);
  const l1 = `${pad(data.code, 2)}${pad(data.issuer, 3)}${number}${numberDigit(data, number)}${pad(data.optional ?? '', 15)}`;
  const l2 = `${yymmdd(data.dateOfBirth)}${checkDigit(yymmdd(data.dateOfBirth))}${data.sex}${yymmdd(data.expiryDate)}${checkDigit(yymmdd(data.expiryDate))}${pad(data.nationality, 3)}${pad('', 11)}`;
  const composite = l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29);
  return [l1, `${l2}${checkDigit(composite)}`, nameField(data.surname, data.givenNames, 30)];
}

/** MRV-A (44 columns) or MRV-B (36 columns): no composite digit, optional data fills the rest. */
export function mrv(data: MrzData, kind: 'A' | 'B'): string[] {
  const width = kind === 'A' ? 44 : 36;
  const number = pad(data.documentNumber, 9);
  const l1 = pad(`V<${pad(data.issuer, 3)}${nameField(data.surname, data.givenNames, width - 5)}`, width);
  const l2 = pad(`${number}${numberDigit(data, number)}${pad(data.nationality, 3)}${yymmdd(data.dateOfBirth)}${checkDigit(yymmdd(data.dateOfBirth))}${data.sex}${yymmdd(data.expiryDate)}${checkDigit(yymmdd(data.expiryDate))}${data.optional ?? ''}`, width);
  return [l1, l2];
}
