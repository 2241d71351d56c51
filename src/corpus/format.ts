/** Text formatting shared by templates and labels: names and money as documents print them. */
import type { PrintedName } from './specs.js';

export function printName(name: PrintedName): string {
  switch (name.style) {
    case 'natural':
      return `${name.givenNames} ${name.surname}`;
    case 'upper':
      return `${name.givenNames} ${name.surname}`.toUpperCase();
    case 'surname-comma':
      return `${name.surname}, ${name.givenNames}`;
    case 'surname-first':
      return `${name.surname.toUpperCase()} ${name.givenNames}`;
  }
}

/** The label form of a printed name: given names first, natural case. */
export function labelName(name: Pick<PrintedName, 'givenNames' | 'surname'>): string {
  return `${name.givenNames} ${name.surname}`;
}

const SYMBOLS = { GBP: '£', EUR: '€' } as const;

/** `£1,234.50` or `€ 1.234,50` style is avoided: every document uses a dot for decimals. */
export function money(amount: number, currency: keyof typeof SYMBOLS): string {
  const sign = amount < 0 ? '-' : '';
  const [whole, cents] = Math.abs(amount).toFixed(2).split('.') as [string, string];
  return `${sign}${SYMBOLS[currency]}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** Rounds to cents, avoiding float noise in printed and summed amounts. */
export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
