/** IBANs with correct ISO 13616 mod-97 check digits, and deliberately invalid ones. */
import type { Rng } from './random.js';

export type IbanCountry = 'GB' | 'IE' | 'DE' | 'NL';

/** Remainder of a long alphanumeric string (letters A=10 … Z=35) modulo 97. */
export function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** Builds the IBAN for a country and BBAN: check digits = 98 − (BBAN + country + "00") mod 97. */
export function ibanFromBban(country: IbanCountry, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '');
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact) && mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
}

/** `GB29NWBK60161331926819` → `GB29 NWBK 6016 1331 9268 19`. */
export function groupIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Changes one digit of the account part, which mod-97 always detects (ISO 7064 catches every
 * single-character substitution).
 */
export function corruptIban(iban: string, rng: Rng): string {
  const positions = [...iban].map((char, index) => ({ char, index })).filter((p) => p.index >= 8 && /\d/.test(p.char));
  const target = rng.pick(positions);
  const replacement = String((Number(target.char) + rng.int(1, 9)) % 10);
  const broken = iban.slice(0, target.index) + replacement + iban.slice(target.index + 1);
  if (isValidIban(broken)) throw new Error('corrupted IBAN still valid');
  return broken;
}
