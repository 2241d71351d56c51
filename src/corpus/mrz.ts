/**
 * ICAO 9303 machine-readable zones for the corpus: TD3 (passports, 2×44) and TD1 (ID cards, 3×30).
 * Written here rather than imported from test support code because src/ must not depend on test/.
 */

const WEIGHTS = [7, 3, 1] as const;

/** Value of one MRZ character for check digits: 0–9 digits, A–Z = 10–35, `<` = 0. */
function charValue(char: string): number {
  if (char >= '0' && char <= '9') return char.charCodeAt(0) - 48;
  if (char >= 'A' && char <= 'Z') return char.charCodeAt(0) - 55;
  if (char === '<') return 0;
  throw new Error(`not an MRZ character: ${JSON.stringify(char)}`);
}

/** ICAO 9303 check digit: weights 7,3,1 repeating, sum modulo 10. */
export function mrzCheckDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += charValue(field[i] as string) * (WEIGHTS[i % 3] as number);
  return String(sum % 10);
}

const MULTI_LETTER: Record<string, string> = {
  Ä: 'AE', Æ: 'AE', Ö: 'OE', Ø: 'OE', Œ: 'OE', Ü: 'UE', ß: 'SS', Å: 'AA', Þ: 'TH', Ð: 'D',
};

/**
 * Transliterates a name to the MRZ alphabet (ICAO 9303 part 3 table): Ü → UE, ß → SS, other accents
 * dropped, apostrophes removed, hyphens and spaces become fillers.
 */
export function transliterate(name: string): string {
  const upper = name.toUpperCase(); // JS already maps ß to SS
  let out = '';
  for (const char of upper) {
    const multi = MULTI_LETTER[char];
    if (multi) {
      out += multi;
      continue;
    }
    const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (/^[A-Z0-9]$/.test(base)) out += base;
    else if (char === ' ' || char === '-') out += '<';
    // apostrophes, dots and anything else are omitted
  }
  return out.replace(/<+/g, '<').replace(/^<|<$/g, '');
}

/** `SURNAME<<GIVEN<NAMES`, padded or truncated to `width`. */
export function mrzName(surname: string, givenNames: string, width: number): string {
  const primary = transliterate(surname);
  const secondary = transliterate(givenNames);
  return pad(`${primary}<<${secondary}`, width);
}

export function pad(value: string, width: number): string {
  return value.length >= width ? value.slice(0, width) : value + '<'.repeat(width - value.length);
}

/** YYYY-MM-DD → YYMMDD. */
export function mrzDate(isoDate: string): string {
  return isoDate.slice(2, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10);
}

/** Which check digit to corrupt, to produce a deliberately invalid MRZ. */
export type MrzCheck = 'documentNumber' | 'dateOfBirth' | 'expiryDate' | 'composite';

export interface MrzPerson {
  surname: string;
  givenNames: string;
  documentNumber: string;
  /** ISO 3166 alpha-3 (or ICAO code such as D for Germany). */
  nationality: string;
  issuingState: string;
  dateOfBirth: string;
  expiryDate: string;
  sex: 'M' | 'F' | 'X';
  /** Optional data / personal number, A–Z 0–9 only. */
  optionalData?: string;
  /** Corrupt this check digit (used for the `mrz_checksum` decision path). */
  breakCheck?: MrzCheck;
}

function checkFor(field: string, check: MrzCheck, broken: MrzCheck | undefined): string {
  const digit = mrzCheckDigit(field);
  if (check !== broken) return digit;
  return String((Number(digit) + 1 + (Number(digit) % 3)) % 10);
}

function sexCode(sex: MrzPerson['sex']): string {
  return sex === 'X' ? '<' : sex;
}

/**
 * TD3 (passport) MRZ: two lines of 44 characters. The composite digit is computed over the printed
 * characters, so a broken check digit makes exactly one check fail.
 */
export function buildTd3(person: MrzPerson): [string, string] {
  const b = person.breakCheck;
  const line1 = pad(`P<${pad(person.issuingState, 3)}${mrzName(person.surname, person.givenNames, 39)}`, 44);
  const docNumber = pad(person.documentNumber, 9);
  const birth = mrzDate(person.dateOfBirth);
  const expiry = mrzDate(person.expiryDate);
  const optional = pad(person.optionalData ?? '', 14);
  const docField = docNumber + checkFor(docNumber, 'documentNumber', b);
  const birthField = birth + checkFor(birth, 'dateOfBirth', b);
  const expiryField = expiry + checkFor(expiry, 'expiryDate', b);
  const optionalField = optional + (person.optionalData ? mrzCheckDigit(optional) : '<');
  const composite = checkFor(docField + birthField + expiryField + optionalField, 'composite', b);
  const line2 = docField + pad(person.nationality, 3) + birthField + sexCode(person.sex) + expiryField + optionalField + composite;
  return [line1, line2];
}

/** TD1 (ID card) MRZ: three lines of 30 characters. */
export function buildTd1(person: MrzPerson): [string, string, string] {
  const b = person.breakCheck;
  const docNumber = pad(person.documentNumber, 9);
  const birth = mrzDate(person.dateOfBirth);
  const expiry = mrzDate(person.expiryDate);
  const optional2 = pad('', 11);
  const line1 = `ID${pad(person.issuingState, 3)}${docNumber}${checkFor(docNumber, 'documentNumber', b)}${pad(person.optionalData ?? '', 15)}`;
  const birthField = birth + checkFor(birth, 'dateOfBirth', b);
  const expiryField = expiry + checkFor(expiry, 'expiryDate', b);
  const composite = checkFor(line1.slice(5, 30) + birthField + expiryField + optional2, 'composite', b);
  const line2 = birthField + sexCode(person.sex) + expiryField + pad(person.nationality, 3) + optional2 + composite;
  const line3 = mrzName(person.surname, person.givenNames, 30);
  return [line1, line2, line3];
}
