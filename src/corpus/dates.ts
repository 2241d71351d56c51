/** Calendar helpers on ISO `YYYY-MM-DD` strings (UTC, no clock) and the date styles documents use. */
import type { Rng } from './random.js';

const DAY_MS = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
const MONTHS_FR = ['JAN', 'FÉV', 'MARS', 'AVR', 'MAI', 'JUIN', 'JUIL', 'AOÛT', 'SEPT', 'OCT', 'NOV', 'DÉC'] as const;

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && toIso(parseIso(value)) === value;
}

function parseIso(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return toIso(new Date(parseIso(iso).getTime() + days * DAY_MS));
}

/** Same day and month `years` later (29 Feb → 28 Feb). */
export function addYears(iso: string, years: number): string {
  const year = Number(iso.slice(0, 4)) + years;
  const monthDay = iso.slice(5) === '02-29' ? '02-28' : iso.slice(5);
  return `${String(year).padStart(4, '0')}-${monthDay}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parseIso(to).getTime() - parseIso(from).getTime()) / DAY_MS);
}

/** Whole years of age on `onDate`. */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return onDate.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/** Date styles seen on documents. Numeric dates are always day-first (European documents). */
export type DateStyle = 'dmy-slash' | 'dmy-dot' | 'd-mon-y' | 'iso' | 'month-d-y' | 'd-month-y';

export const DATE_STYLES: readonly DateStyle[] = ['dmy-slash', 'd-mon-y', 'iso', 'month-d-y', 'd-month-y', 'dmy-dot'];

export function formatDate(iso: string, style: DateStyle): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const month = MONTHS[Number(m) - 1] as string;
  switch (style) {
    case 'dmy-slash':
      return `${d}/${m}/${y}`;
    case 'dmy-dot':
      return `${d}.${m}.${y}`;
    case 'd-mon-y':
      return `${d} ${month.slice(0, 3)} ${y}`;
    case 'iso':
      return iso;
    case 'month-d-y':
      return `${month} ${Number(d)}, ${y}`;
    case 'd-month-y':
      return `${Number(d)} ${month} ${y}`;
  }
}

/** Identity-document styles: `12 MAR 1985`, `12 MAR/MARS 85`, `12.03.1985`. */
export type IdDateStyle = 'dd-MON-yyyy' | 'bilingual' | 'dotted';

export function formatIdDate(iso: string, style: IdDateStyle): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const mon = (MONTHS[Number(m) - 1] as string).slice(0, 3).toUpperCase();
  switch (style) {
    case 'dd-MON-yyyy':
      return `${d} ${mon} ${y}`;
    case 'bilingual':
      return `${d} ${mon}/${MONTHS_FR[Number(m) - 1]} ${y}`;
    case 'dotted':
      return `${d}.${m}.${y}`;
  }
}

/** A date `minDays`..`maxDays` before `iso`. */
export function daysBefore(iso: string, rng: Rng, minDays: number, maxDays: number): string {
  return addDays(iso, -rng.int(minDays, maxDays));
}

/** `2024-03` → `March 2024`. */
export function monthYear(iso: string): string {
  return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
}
