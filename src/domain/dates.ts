/**
 * Date parsing for the many printed formats found on identity documents, bills and statements.
 * Pure and deterministic: anything relative ("two-digit years in the past") takes `asOf` as data.
 * All results are ISO calendar dates `YYYY-MM-DD`; impossible dates (31 April, 29 Feb 2023) are rejected.
 */

/** Field order of all-numeric dates that are not ISO (`12/03/1985`). Dotted dates are always DMY. */
export type DateOrder = 'DMY' | 'MDY';

/** How to read a two-digit year: as a date in the past (birth) or up to ~20 years ahead (expiry). */
export type CenturyDirection = 'past' | 'future';

export interface TwoDigitYearRule {
  /** Reference date, `YYYY-MM-DD`. */
  asOf: string;
  direction: CenturyDirection;
}

export interface DateParseOptions {
  /** Order of numeric dates written with `/` or `-`; default `DMY`. */
  order?: DateOrder;
  /** Without a rule, two-digit years 00–49 are 20xx and 50–99 are 19xx. */
  twoDigitYear?: TwoDigitYearRule;
}

export interface FoundDate {
  /** `YYYY-MM-DD` */
  value: string;
  /** Offset of the match in the searched text. */
  index: number;
  /** The matched text as printed. */
  text: string;
}

/** How far ahead a two-digit expiry year may point. */
const FUTURE_WINDOW_YEARS = 20;

/** Month names and abbreviations (accent-folded, lower case) in the languages seen on EU documents. */
const MONTHS: Readonly<Record<string, number>> = buildMonthTable({
  // English, French, German, Spanish, Italian, Dutch, Portuguese, Polish (nominative, genitive, short).
  1: ['jan', 'january', 'janv', 'janvier', 'januar', 'janner', 'enero', 'ene', 'gennaio', 'gen', 'januari', 'janeiro', 'styczen', 'stycznia', 'sty'],
  2: ['feb', 'february', 'fev', 'fevr', 'fevrier', 'februar', 'febrero', 'febbraio', 'februari', 'fevereiro', 'luty', 'lutego', 'lut'],
  3: ['mar', 'march', 'mars', 'marz', 'mrz', 'marzo', 'maart', 'mrt', 'marco', 'marzec', 'marca'],
  4: ['apr', 'april', 'avr', 'avril', 'abril', 'abr', 'aprile', 'kwiecien', 'kwietnia', 'kwi'],
  5: ['may', 'mai', 'mayo', 'maggio', 'mag', 'mei', 'maio', 'maj', 'maja'],
  6: ['jun', 'june', 'juin', 'juni', 'junio', 'giugno', 'giu', 'junho', 'czerwiec', 'czerwca', 'cze'],
  7: ['jul', 'july', 'juil', 'juillet', 'juli', 'julio', 'luglio', 'lug', 'julho', 'lipiec', 'lipca', 'lip'],
  8: ['aug', 'august', 'aout', 'agosto', 'ago', 'augustus', 'sierpien', 'sierpnia', 'sie'],
  9: ['sep', 'sept', 'september', 'septembre', 'septiembre', 'setiembre', 'settembre', 'set', 'setembro', 'wrzesien', 'wrzesnia', 'wrz'],
  10: ['oct', 'october', 'octobre', 'oktober', 'okt', 'octubre', 'ottobre', 'ott', 'outubro', 'out', 'pazdziernik', 'pazdziernika', 'paz'],
  11: ['nov', 'november', 'novembre', 'noviembre', 'novembro', 'listopad', 'listopada', 'lis'],
  12: ['dec', 'december', 'decembre', 'dezember', 'dez', 'diciembre', 'dic', 'dicembre', 'dezembro', 'grudzien', 'grudnia', 'gru'],
});

function buildMonthTable(byMonth: Record<number, string[]>): Record<string, number> {
  const table: Record<string, number> = {};
  for (const [month, names] of Object.entries(byMonth)) {
    for (const name of names) table[name] = Number(month);
  }
  return table;
}

const ISO_DATE = /(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)/gu;
const NUMERIC_DATE = /(?<![\d.\/-])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d])/gu;
const SPACED_NUMERIC_DATE = /(?<![\d ])(\d{2}) (\d{2}) (\d{4})(?![\d])/gu;
/** "3 Oct 2026", "3. Oktober 2026", "3 de octubre de 2026" (Spanish, Portuguese), "3 października 2026". */
const DAY_MONTH_YEAR =
  /(?<![\p{L}\d])(\d{1,2})(?:st|nd|rd|th|er|º|°)?\.?(?:\s+de)?[\s./-]*(\p{L}{3,12})\.?(?:\s*\/\s*(\p{L}{3,12})\.?)?(?:\s+de)?[\s.,/-]*(\d{4}|\d{2})(?!\d)/giu;
const MONTH_DAY_YEAR = /(?<![\p{L}])(\p{L}{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)/giu;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidYmd(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD` for a valid calendar date, otherwise undefined. */
export function toIsoDate(year: number, month: number, day: number): string | undefined {
  if (!isValidYmd(year, month, day)) return undefined;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** True when `value` is a real `YYYY-MM-DD` calendar date. */
export function isIsoDate(value: string): boolean {
  const parts = splitIso(value);
  return parts !== undefined;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function splitIso(value: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return isValidYmd(year, month, day) ? { year, month, day } : undefined;
}

/**
 * Full year for a two-digit year. `past`: the latest reading not after `asOf` (birth dates).
 * `future`: a reading at most 20 years after `asOf` (expiry dates).
 */
export function resolveCentury(yy: number, month: number, day: number, rule?: TwoDigitYearRule): number {
  if (!rule) return yy < 50 ? 2000 + yy : 1900 + yy;
  const asOf = splitIso(rule.asOf);
  if (!asOf) throw new RangeError(`asOf is not a YYYY-MM-DD date: ${rule.asOf}`);
  let year = Math.floor(asOf.year / 100) * 100 + yy;
  if (rule.direction === 'past') {
    if (compareYmd(year, month, day, asOf) > 0) year -= 100;
  } else {
    if (year > asOf.year + FUTURE_WINDOW_YEARS) year -= 100;
    else if (year <= asOf.year + FUTURE_WINDOW_YEARS - 100) year += 100;
  }
  return year;
}

function compareYmd(year: number, month: number, day: number, other: { year: number; month: number; day: number }): number {
  return year - other.year || month - other.month || day - other.day;
}

/**
 * A bilingual month pair whose slash OCR read as a letter ("MAYIMAI", "JULIJUIL" for MAY/MAI,
 * JUL/JUIL): the month when both halves name the same one.
 */
function slashedMonthPair(token: string): number | undefined {
  for (let i = 3; i < token.length - 3; i++) {
    if (!/[Il|1]/.test(token[i]!)) continue;
    const first = monthFromName(token.slice(0, i));
    if (first !== undefined && first === monthFromName(token.slice(i + 1))) return first;
  }
  return undefined;
}

/** The month number for a month name or abbreviation in a supported language. */
export function monthFromName(token: string): number | undefined {
  const folded = token
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\.$/, '');
  return MONTHS[folded];
}

function fullYear(yearText: string, month: number, day: number, options: DateParseOptions): number {
  if (yearText.length === 4) return Number(yearText);
  return resolveCentury(Number(yearText), month, day, options.twoDigitYear);
}

interface Match {
  index: number;
  text: string;
  value: string | undefined;
}

function isoMatches(text: string): Match[] {
  return [...text.matchAll(ISO_DATE)].map((m) => ({
    index: m.index,
    text: m[0],
    value: toIsoDate(Number(m[1]), Number(m[2]), Number(m[3])),
  }));
}

function numericMatches(text: string, options: DateParseOptions): Match[] {
  return [...text.matchAll(NUMERIC_DATE)].map((m) => {
    const [first, separator, second, yearText] = [Number(m[1]), m[2], Number(m[3]), m[4] ?? ''];
    const isMonthFirst = separator !== '.' && options.order === 'MDY';
    const day = isMonthFirst ? second : first;
    const month = isMonthFirst ? first : second;
    return { index: m.index, text: m[0], value: toIsoDate(fullYear(yearText, month, day, options), month, day) };
  });
}

function spacedNumericMatches(text: string, options: DateParseOptions): Match[] {
  return [...text.matchAll(SPACED_NUMERIC_DATE)].map((m) => {
    const [first, second, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const isMonthFirst = options.order === 'MDY';
    const day = isMonthFirst ? second : first;
    const month = isMonthFirst ? first : second;
    return { index: m.index, text: m[0], value: toIsoDate(year, month, day) };
  });
}

function dayMonthYearMatches(text: string, options: DateParseOptions): Match[] {
  const found: Match[] = [];
  for (const m of text.matchAll(DAY_MONTH_YEAR)) {
    const month = monthFromName(m[2] ?? '') ?? (m[3] === undefined ? slashedMonthPair(m[2] ?? '') : undefined);
    if (month === undefined) continue;
    const second = m[3] === undefined ? month : monthFromName(m[3]);
    if (second !== undefined && second !== month) continue;
    const day = Number(m[1]);
    found.push({ index: m.index, text: m[0], value: toIsoDate(fullYear(m[4] ?? '', month, day, options), month, day) });
  }
  return found;
}

function monthDayYearMatches(text: string): Match[] {
  const found: Match[] = [];
  for (const m of text.matchAll(MONTH_DAY_YEAR)) {
    const month = monthFromName(m[1] ?? '');
    if (month === undefined) continue;
    found.push({ index: m.index, text: m[0], value: toIsoDate(Number(m[3]), month, Number(m[2])) });
  }
  return found;
}

/** Keeps the earliest, then longest, of overlapping matches. */
function withoutOverlaps(matches: Match[]): Match[] {
  const sorted = [...matches].sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const kept: Match[] = [];
  let end = -1;
  for (const match of sorted) {
    if (match.index < end) continue;
    kept.push(match);
    end = match.index + match.text.length;
  }
  return kept;
}

function allMatches(text: string, options: DateParseOptions): Match[] {
  return withoutOverlaps([
    ...isoMatches(text),
    ...numericMatches(text, options),
    ...spacedNumericMatches(text, options),
    ...dayMonthYearMatches(text, options),
    ...monthDayYearMatches(text),
  ]);
}

/** Every valid date in `text`, in reading order. A date-shaped but impossible match yields nothing. */
export function findDates(text: string, options: DateParseOptions = {}): FoundDate[] {
  return allMatches(text, options).flatMap((m) =>
    m.value === undefined ? [] : [{ value: m.value, index: m.index, text: m.text.trim() }],
  );
}

/** The first date in `text` as `YYYY-MM-DD`; undefined when there is none or the first one is impossible. */
export function parseDate(text: string, options: DateParseOptions = {}): string | undefined {
  return allMatches(text, options)[0]?.value;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). Both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

function epochDay(value: string): number {
  const parts = splitIso(value);
  if (!parts) throw new RangeError(`not a YYYY-MM-DD date: ${value}`);
  return Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000;
}

/**
 * Age in whole years on `asOf`. Someone born on 29 February has their birthday on 1 March in
 * non-leap years (the common legal reading, e.g. England and Wales), so they turn 18 on 1 March.
 */
export function ageOn(dateOfBirth: string, asOf: string): number | undefined {
  const birth = splitIso(dateOfBirth);
  const on = splitIso(asOf);
  if (!birth || !on) return undefined;
  const isLeapling = birth.month === 2 && birth.day === 29;
  const birthday = isLeapling && !isLeapYear(on.year) ? { month: 3, day: 1 } : birth;
  const hadBirthday = on.month > birthday.month || (on.month === birthday.month && on.day >= birthday.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}
