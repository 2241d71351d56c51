/**
 * Fields of aligned, repaired MRZ lines, with the `mrz` package where it knows the format.
 */
import { parse as parseMrzPackage } from 'mrz';
import { resolveCentury, toIsoDate } from '../dates.js';
import { type Layout, LAYOUTS, MRZ_TO_ALPHA3, type MrzFields, type MrzFormat, type MrzReading, type MrzReadOptions, r, rangeText, toGrid } from './layouts.js';

// ---------------------------------------------------------------------------------------------
// Fields

export function mrzCountry(code: string | null | undefined): string | undefined {
  const bare = (code ?? '').replace(/[<\s]+/g, '');
  if (bare.length === 0) return undefined;
  return MRZ_TO_ALPHA3[bare] ?? bare;
}

export function mrzDate(yymmdd: string | null | undefined, asOf: string, direction: 'past' | 'future'): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd ?? '');
  if (!m) return undefined;
  const [month, day] = [Number(m[2]), Number(m[3])];
  return toIsoDate(resolveCentury(Number(m[1]), month, day, { asOf, direction }), month, day);
}

export function mrzSex(value: string | null | undefined): string | undefined {
  if (value === 'male' || value === 'M') return 'M';
  if (value === 'female' || value === 'F') return 'F';
  if (value === 'nonspecified' || value === '<' || value === 'X') return 'X';
  return undefined;
}

/** Letters OCR makes out of fillers; alone at the end of the given names they are noise. */
export const FILLER_GHOSTS = /<[KXCESYG]$/;

/**
 * Surname before the first `<<`, given names after it up to the next `<<` (names are left-aligned;
 * anything after a run of fillers is OCR noise), one trailing ghost letter dropped.
 */
export function nameParts(field: string): { surname?: string; givenNames?: string } {
  const trimmed = field.replace(/<+$/, '');
  const separator = trimmed.indexOf('<<');
  const surname = separator === -1 ? trimmed : trimmed.slice(0, separator);
  const afterSeparator = separator === -1 ? '' : trimmed.slice(separator).replace(/^<+/, '');
  const given = afterSeparator.split('<<')[0]?.replace(FILLER_GHOSTS, '') ?? '';
  const clean = (s: string): string | undefined => {
    const v = s.replace(/</g, ' ').replace(/\s+/g, ' ').trim();
    return v.length > 0 ? v : undefined;
  };
  // The name field holds letters and fillers only: digits anywhere in it mean OCR read something
  // else (a damaged line, the photo's edge) as the name. No name is better than a wrong one.
  if (/\d/.test(surname + given)) return {};
  return { surname: clean(surname), givenNames: clean(given) };
}

/** Raw slices by layout; the fallback when the `mrz` package rejects a value (e.g. state `UTO`). */
export function sliceFields(lines: string[], layout: Layout): Record<string, string> {
  const g = toGrid(lines);
  const t = (line: number, start: number, end: number): string => rangeText(g, [r(line, start, end)]);
  const names = nameParts(t(layout.names.line, layout.names.start, layout.names.end));
  const common = { issuingState: t(0, 2, 5), lastName: names.surname ?? '', firstName: names.givenNames ?? '' };
  if (layout.format === 'TD1') {
    return { ...common, documentNumber: t(0, 5, 14), birthDate: t(1, 0, 6), sex: t(1, 7, 8), expirationDate: t(1, 8, 14), nationality: t(1, 15, 18) };
  }
  return { ...common, documentNumber: t(1, 0, 9), nationality: t(1, 10, 13), birthDate: t(1, 13, 19), sex: t(1, 20, 21), expirationDate: t(1, 21, 27) };
}

export interface PackageFields {
  fields: Record<string, string | null | undefined>;
  documentNumber: string | null;
}

export function parseWithPackage(lines: string[]): PackageFields | undefined {
  try {
    const result = parseMrzPackage(lines);
    if (result.format !== 'TD1' && result.format !== 'TD2' && result.format !== 'TD3') return undefined;
    return { fields: result.fields, documentNumber: result.documentNumber };
  } catch {
    return undefined;
  }
}

export function present(value: string | undefined): string | undefined {
  const v = value?.replace(/</g, ' ').replace(/\s+/g, ' ').trim();
  return v && v.length > 0 ? v : undefined;
}

/** Fields of repaired, correctly sized MRZ lines. */
export function mrzFields(lines: string[], format: MrzFormat, options: MrzReadOptions): MrzFields {
  const layout = LAYOUTS[format];
  const raw = sliceFields(lines, layout);
  const pkg = parseWithPackage(lines);
  const pick = (name: string): string | undefined => pkg?.fields[name] ?? raw[name];
  const names = nameParts(rangeText(toGrid(lines), [layout.names]));
  const fields: MrzFields = {
    surname: names.surname,
    givenNames: names.givenNames,
    documentNumber: present(pkg?.documentNumber ?? raw.documentNumber),
    nationality: mrzCountry(pick('nationality')),
    issuingCountry: mrzCountry(pick('issuingState')),
    dateOfBirth: mrzDate(pick('birthDate'), options.asOf, 'past'),
    expiryDate: mrzDate(pick('expirationDate'), options.asOf, 'future'),
    sex: mrzSex(pick('sex')),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as MrzFields;
}

export function documentCodeOf(lines: string[]): string {
  return (lines[0] ?? '').slice(0, 2).replace(/</g, '');
}

/** The names field of a reading's (repaired) lines, fillers and all. */
export function mrzNameField(reading: Pick<MrzReading, 'format' | 'lines'>): string {
  const { line, start, end } = LAYOUTS[reading.format].names;
  return (reading.lines[line] ?? '').slice(start, end);
}
