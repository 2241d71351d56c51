/**
 * Builds ICAO 9303 MRZ lines (TD1, TD2, TD3) from fields, with correct check digits computed here
 * independently of src/domain/mrz/ — or one deliberately broken, to test failure paths.
 * Shared with the corpus generator.
 */

export type MrzCheck = 'documentNumber' | 'dateOfBirth' | 'expiryDate' | 'personalNumber' | 'composite';

export interface MrzPerson {
  /** `P` (passport, default for TD3), `I` (identity card, default for TD1/TD2), `ID`, `AC`, … */
  documentCode?: string;
  /** Three-letter code as printed in the MRZ (`UTO`, `GBR`, `D` for Germany). */
  issuingState: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  /** `YYYY-MM-DD` or `YYMMDD`. */
  dateOfBirth: string;
  sex: 'M' | 'F' | 'X' | '<';
  /** `YYYY-MM-DD` or `YYMMDD`. */
  expiryDate: string;
  /** TD3 personal number (14), TD1 optional data line 1 (15) / TD2 optional data (7). */
  optional?: string;
  /** TD1 optional data on line 2 (11). */
  optional2?: string;
}

export interface MrzBuildOptions {
  /**
   * Replace this check digit with a wrong one. The composite digit is computed over the printed
   * characters (as the corpus does), so exactly one check fails.
   */
  breakCheck?: MrzCheck;
}

const WEIGHTS = [7, 3, 1];

/** ICAO 9303 check digit (weights 7-3-1; `<` = 0; A = 10 … Z = 35). */
export function checkDigit(value: string): string {
  let sum = 0;
  [...value].forEach((ch, i) => {
    const v = ch === '<' ? 0 : /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += v * (WEIGHTS[i % 3] ?? 1);
  });
  return String(sum % 10);
}

function wrong(digit: string): string {
  return String((Number(digit) + 5) % 10);
}

/** Upper case, accents dropped, spaces/hyphens → `<`, other punctuation removed, padded with `<`. */
export function mrzText(value: string, length: number): string {
  const text = value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/['’]/g, '')
    .replace(/[\s-]+/g, '<')
    .replace(/[^A-Z0-9<]/g, '');
  return text.slice(0, length).padEnd(length, '<');
}

function mrzName(surname: string, givenNames: string, length: number): string {
  return mrzText(`${mrzText(surname, 39).replace(/<+$/, '')}<<${mrzText(givenNames, 39).replace(/<+$/, '')}`, length);
}

function yymmdd(date: string): string {
  const iso = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(date);
  if (iso) return `${iso[2]}${iso[3]}${iso[4]}`;
  if (/^\d{6}$/.test(date)) return date;
  throw new Error(`date must be YYYY-MM-DD or YYMMDD: ${date}`);
}

function withCheck(value: string): string {
  return value + checkDigit(value);
}

function code(person: MrzPerson, fallback: string): string {
  return mrzText(person.documentCode ?? fallback, 2);
}

/** The second (data) line shared by TD2 and TD3 up to the expiry check digit (28 characters). */
function dataLineStart(person: MrzPerson): string {
  return (
    withCheck(mrzText(person.documentNumber, 9)) +
    mrzText(person.nationality, 3) +
    withCheck(yymmdd(person.dateOfBirth)) +
    (person.sex === 'X' ? '<' : person.sex) +
    withCheck(yymmdd(person.expiryDate))
  );
}

/** Index of each check digit within the data line (TD1: document number on line 1, others on line 2). */
const DIGIT_INDEX: Record<'TD1' | 'TD2' | 'TD3', Partial<Record<MrzCheck, number>>> = {
  TD3: { documentNumber: 9, dateOfBirth: 19, expiryDate: 27, personalNumber: 42 },
  TD2: { documentNumber: 9, dateOfBirth: 19, expiryDate: 27 },
  TD1: { dateOfBirth: 6, expiryDate: 14 },
};

function breakAt(text: string, index: number | undefined): string {
  if (index === undefined) return text;
  const digit = text[index] === '<' ? '0' : (text[index] ?? '0');
  return text.slice(0, index) + wrong(digit) + text.slice(index + 1);
}

function compositeDigit(value: string, options: MrzBuildOptions): string {
  const digit = checkDigit(value);
  return options.breakCheck === 'composite' ? wrong(digit) : digit;
}

/** Passport booklet: 2 lines of 44. */
export function buildTd3(person: MrzPerson, options: MrzBuildOptions = {}): [string, string] {
  const line1 = code(person, 'P') + mrzText(person.issuingState, 3) + mrzName(person.surname, person.givenNames, 39);
  const personal = mrzText(person.optional ?? '', 14);
  const printed = dataLineStart(person) + personal + (/^<+$/.test(personal) ? '<' : checkDigit(personal));
  const body = breakAt(printed, options.breakCheck ? DIGIT_INDEX.TD3[options.breakCheck] : undefined);
  return [line1, body + compositeDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43), options)];
}

/** Identity card, TD2 size: 2 lines of 36. */
export function buildTd2(person: MrzPerson, options: MrzBuildOptions = {}): [string, string] {
  const line1 = code(person, 'I') + mrzText(person.issuingState, 3) + mrzName(person.surname, person.givenNames, 31);
  const printed = dataLineStart(person) + mrzText(person.optional ?? '', 7);
  const body = breakAt(printed, options.breakCheck ? DIGIT_INDEX.TD2[options.breakCheck] : undefined);
  return [line1, body + compositeDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 35), options)];
}

/** Identity card, TD1 size: 3 lines of 30. */
export function buildTd1(person: MrzPerson, options: MrzBuildOptions = {}): [string, string, string] {
  const printedLine1 = code(person, 'I') + mrzText(person.issuingState, 3) + withCheck(mrzText(person.documentNumber, 9)) + mrzText(person.optional ?? '', 15);
  const line1 = breakAt(printedLine1, options.breakCheck === 'documentNumber' ? 14 : undefined);
  const printedLine2 =
    withCheck(yymmdd(person.dateOfBirth)) +
    (person.sex === 'X' ? '<' : person.sex) +
    withCheck(yymmdd(person.expiryDate)) +
    mrzText(person.nationality, 3) +
    mrzText(person.optional2 ?? '', 11);
  const line2Body = breakAt(printedLine2, options.breakCheck ? DIGIT_INDEX.TD1[options.breakCheck] : undefined);
  const composite = compositeDigit(line1.slice(5, 30) + line2Body.slice(0, 7) + line2Body.slice(8, 15) + line2Body.slice(18, 29), options);
  return [line1, line2Body + composite, mrzName(person.surname, person.givenNames, 30)];
}

/** The ICAO 9303 specimen holder (Anna Maria Eriksson of Utopia). */
export const ICAO_SPECIMEN: MrzPerson = {
  issuingState: 'UTO',
  surname: 'Eriksson',
  givenNames: 'Anna Maria',
  documentNumber: 'L898902C3',
  nationality: 'UTO',
  dateOfBirth: '740812',
  sex: 'F',
  expiryDate: '120415',
  optional: 'ZE184226B',
};
