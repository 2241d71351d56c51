/**
 * Sanctions screening against the OpenSanctions `targets.simple.csv` export. The CSV text is read by
 * an adapter and handed in as a string; parsing and matching are pure.
 *
 * Matching is fuzzy over each entry's name and aliases (word order, missing middle names,
 * transliterations), with the birth date as corroboration: equal raises the score, different lowers it.
 */
import { parse } from 'csv-parse/sync';

import { nameSimilarity, nameTokens, foldTransliteration } from './names.js';

export interface SanctionsEntry {
  id: string;
  /** FollowTheMoney schema: `Person`, `Organization`, `Company`, `LegalEntity`, `Vessel`, … */
  schema: string;
  name: string;
  aliases: string[];
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as published. */
  birthDates: string[];
  countries: string[];
  datasets: string[];
  /** Sanctions programmes as published (the `sanctions` column); absent in entries made before it was read. */
  programmes?: string[];
}

export interface SanctionsMatch {
  entryId: string;
  /** The entry's primary name. */
  entryName: string;
  /** The name or alias that matched. */
  matchedName: string;
  /** 0..1: how alike the screened name and `matchedName` are, before the birth date. */
  nameScore: number;
  /** 0..1, birth-date corroboration included. */
  score: number;
  /** `match` / `mismatch` when both sides have a birth date, else `unknown`. */
  birthDate: 'match' | 'mismatch' | 'unknown';
}

export interface ScreenOptions {
  /** Minimum score to report; default 0.85. */
  threshold?: number;
  /** Most matches returned, best first; default 5. */
  limit?: number;
  /** Only entries of these schemas; default all. */
  schemas?: readonly string[];
}

export const DEFAULT_SANCTIONS_THRESHOLD = 0.85;

/** Score bonus when a full birth date matches, and for a year-only match. */
const BIRTH_DATE_BONUS = 0.08;
const BIRTH_YEAR_BONUS = 0.04;
/** Score penalty when every published birth date differs. */
const BIRTH_DATE_PENALTY = 0.15;

type CsvRow = Record<string, string | undefined>;

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Entries of a `targets.simple.csv` file (header row required; unknown columns are ignored). */
export function parseSanctionsCsv(csv: string): SanctionsEntry[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as CsvRow[];
  return rows.flatMap((row) => {
    const id = row.id?.trim();
    const name = row.name?.trim();
    if (!id || !name) return [];
    return [
      {
        id,
        schema: row.schema?.trim() ?? '',
        name,
        aliases: splitList(row.aliases).filter((a) => a !== name),
        birthDates: splitList(row.birth_date),
        countries: splitList(row.countries),
        datasets: splitList(row.dataset ?? row.datasets),
        programmes: splitList(row.sanctions),
      },
    ];
  });
}

function birthDateAgreement(dateOfBirth: string | undefined, published: string[]): SanctionsMatch['birthDate'] {
  if (!dateOfBirth || published.length === 0) return 'unknown';
  return published.some((d) => dateOfBirth.startsWith(d) || d.startsWith(dateOfBirth)) ? 'match' : 'mismatch';
}

function corroborate(score: number, agreement: SanctionsMatch['birthDate'], published: string[]): number {
  if (agreement === 'mismatch') return score - BIRTH_DATE_PENALTY;
  if (agreement !== 'match') return score;
  const hasFullDate = published.some((d) => d.length === 10);
  return Math.min(1, score + (hasFullDate ? BIRTH_DATE_BONUS : BIRTH_YEAR_BONUS));
}

/** Cheap pre-filter: some token pair must share its first folded letter. */
function mayMatch(queryInitials: Set<string>, candidate: string): boolean {
  return nameTokens(candidate).some((t) => queryInitials.has(foldTransliteration(t)[0] ?? ''));
}

function bestName(name: string, initials: Set<string>, entry: SanctionsEntry): { name: string; score: number } {
  let best = { name: entry.name, score: 0 };
  for (const candidate of [entry.name, ...entry.aliases]) {
    if (!mayMatch(initials, candidate)) continue;
    const score = nameSimilarity(name, candidate);
    if (score > best.score) best = { name: candidate, score };
  }
  return best;
}

/** Entries whose name or an alias resembles `name`, best first, at or above the threshold. */
export function screenName(
  name: string,
  dateOfBirth: string | undefined,
  entries: readonly SanctionsEntry[],
  options: ScreenOptions = {},
): SanctionsMatch[] {
  const threshold = options.threshold ?? DEFAULT_SANCTIONS_THRESHOLD;
  const initials = new Set(nameTokens(name).map((t) => foldTransliteration(t)[0] ?? ''));
  if (initials.size === 0) return [];
  const matches: SanctionsMatch[] = [];
  for (const entry of entries) {
    if (options.schemas && !options.schemas.includes(entry.schema)) continue;
    const best = bestName(name, initials, entry);
    if (best.score < threshold - BIRTH_DATE_BONUS) continue;
    const agreement = birthDateAgreement(dateOfBirth, entry.birthDates);
    const score = Math.round(corroborate(best.score, agreement, entry.birthDates) * 1000) / 1000;
    if (score < threshold) continue;
    matches.push({ entryId: entry.id, entryName: entry.name, matchedName: best.name, nameScore: Math.round(best.score * 1000) / 1000, score, birthDate: agreement });
  }
  matches.sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId));
  return matches.slice(0, options.limit ?? 5);
}
