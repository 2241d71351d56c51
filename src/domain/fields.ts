/**
 * Rule-based field extraction per document type. Identity documents: the MRZ first (source `mrz`),
 * then visual-zone labels (bilingual "Surname / Nom", numbered EU licence fields). Proofs of address:
 * the addressee's name and address block, the document date and the IBAN. Company registrations:
 * name, number, incorporation date and registered office. Every value carries evidence (page, line).
 *
 * A model's answer can be merged in afterwards with `mergeModelFields`; rule values are kept.
 */
import anyAscii from 'any-ascii';

import { repairPostcodeDigits } from './address.js';
import { findDates, type DateOrder } from './dates.js';
import type { DocumentType, FieldEvidence, FieldEvidenceMap, FieldName, Fields, MrzSummary } from './documents.js';
import { IDENTITY_TYPES, PROOF_OF_ADDRESS_TYPES } from './documents.js';
import { findIbans } from './iban.js';
import { isMrzState, mrzNameField, readMrz, repairWithVisualZone, type MrzFields, type MrzReading, type VisualZoneValues } from './mrz.js';
import { mrzSpellingsOfWord, reconcileMrzNames } from './mrz-names.js';
import { compareNames, jaroWinkler, nameTokens } from './names.js';

export interface FieldPage {
  page: number;
  text: string;
}

export interface FieldExtractionOptions {
  /** `YYYY-MM-DD`: resolves two-digit years. */
  asOf: string;
  /** Order of numeric dates like `03/04/2024`; default DMY. */
  dateOrder?: DateOrder;
}

/**
 * `MrzSummary` plus the comparison with the visual zone: which fields were read from both, and
 * which of those disagree. Plain JSON; travels wherever an `MrzSummary` does.
 */
export interface MrzCrossCheck extends MrzSummary {
  visualCompared: FieldName[];
  visualMismatches: FieldName[];
}

export interface FieldExtraction {
  fields: Fields;
  evidence: FieldEvidenceMap;
  mrz?: MrzCrossCheck;
  /** What the visual zone of an identity document says, before the MRZ takes precedence. */
  visual: Fields;
}

interface Line {
  page: number;
  text: string;
}

interface Found {
  value: string;
  line: Line;
}

// ---------------------------------------------------------------------------------------------
// Countries

const COUNTRY_ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['GBR', ['gb', 'uk', 'united kingdom', 'great britain', 'britain', 'england', 'scotland', 'wales', 'northern ireland', 'british', 'british citizen', 'royaume uni', 'vereinigtes konigreich', 'united kingdom of great britain and northern ireland']],
  ['IRL', ['ie', 'ireland', 'eire', 'irish', 'eireannach', 'irlande', 'irland']],
  ['DEU', ['de', 'd', 'germany', 'deutschland', 'german', 'deutsch', 'allemagne', 'bundesrepublik deutschland', 'alemania', 'germania']],
  ['FRA', ['fr', 'france', 'french', 'francais', 'francaise', 'frankreich', 'republique francaise', 'francia']],
  ['ESP', ['es', 'spain', 'espana', 'spanish', 'espanol', 'espanola', 'espagne', 'spanien', 'reino de espana', 'spagna']],
  ['NLD', ['nl', 'netherlands', 'the netherlands', 'holland', 'nederland', 'dutch', 'nederlandse', 'pays bas', 'niederlande', 'koninkrijk der nederlanden', 'paesi bassi']],
  ['ITA', ['it', 'italy', 'italia', 'italian', 'italiana', 'italiano', 'italie', 'italien', 'repubblica italiana']],
  ['SWE', ['se', 'sweden', 'sverige', 'swedish', 'svensk', 'suede', 'schweden', 'konungariket sverige']],
  ['PRT', ['pt', 'portugal', 'portuguese', 'portuguesa', 'portugues', 'republica portuguesa']],
  ['POL', ['pl', 'poland', 'polska', 'polish', 'polskie', 'polski', 'pologne', 'polen', 'rzeczpospolita polska']],
  ['BEL', ['be', 'belgium', 'belgique', 'belgie', 'belgian', 'belge', 'belgien']],
  ['LUX', ['lu', 'luxembourg', 'luxemburg']],
  ['AUT', ['at', 'austria', 'osterreich', 'austrian', 'autriche']],
  ['CHE', ['ch', 'switzerland', 'schweiz', 'suisse', 'svizzera', 'swiss']],
  ['DNK', ['dk', 'denmark', 'danmark', 'danish']],
  ['NOR', ['no', 'norway', 'norge', 'norwegian']],
  ['FIN', ['fi', 'finland', 'suomi', 'finnish']],
  ['GRC', ['gr', 'greece', 'hellas', 'greek']],
  ['CZE', ['cz', 'czech republic', 'czechia', 'czech']],
  ['ROU', ['ro', 'romania', 'romanian']],
  ['HUN', ['hu', 'hungary', 'magyarorszag', 'hungarian']],
  ['USA', ['us', 'usa', 'united states', 'united states of america', 'american']],
  ['CAN', ['ca', 'canada', 'canadian']],
  ['AUS', ['au', 'australia', 'australian']],
  ['IND', ['in', 'india', 'indian']],
  ['CHN', ['cn', 'china', 'chinese']],
  ['RUS', ['ru', 'russia', 'russian federation', 'russian']],
  ['UKR', ['ua', 'ukraine', 'ukrainian']],
  ['TUR', ['tr', 'turkey', 'turkiye', 'turkish']],
  ['BRA', ['br', 'brazil', 'brasil', 'brazilian']],
  ['MEX', ['mx', 'mexico', 'mexican']],
  ['JPN', ['jp', 'japan', 'japanese']],
  ['NGA', ['ng', 'nigeria', 'nigerian']],
  ['ZAF', ['za', 'south africa', 'south african']],
  ['PAK', ['pk', 'pakistan', 'pakistani']],
  ['IRN', ['ir', 'iran', 'iranian']],
  ['PRK', ['kp', 'north korea', 'democratic peoples republic of korea']],
];

const COUNTRY_LOOKUP: ReadonlyMap<string, string> = new Map(
  COUNTRY_ALIASES.flatMap(([alpha3, aliases]) => [[alpha3.toLowerCase(), alpha3] as const, ...aliases.map((a) => [a, alpha3] as const)]),
);
/** Other ISO alpha-3 codes pass through unchanged. */
const ALPHA3 = /^[A-Z]{3}$/;

/** ISO 3166 alpha-3 for a code (alpha-2/alpha-3, MRZ `D`), a country name or a nationality word. */
export function toAlpha3(text: string): string | undefined {
  const key = anyAscii(text).toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();
  const direct = COUNTRY_LOOKUP.get(key);
  if (direct) return direct;
  const upper = text.trim().toUpperCase();
  if (ALPHA3.test(upper) && key.length === 3) return upper;
  const firstPart = text.split('/')[0];
  if (firstPart !== undefined && firstPart !== text) return toAlpha3(firstPart);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function toLines(pages: readonly FieldPage[]): Line[] {
  return pages.flatMap((p) =>
    p.text
      .split(/\r?\n/)
      .map((t) => t.replace(/\s+/g, ' ').trim())
      .filter((t) => t.length > 0)
      .map((text) => ({ page: p.page, text })),
  );
}

/** Alternation of label phrases as a regex that does not match inside a word. */
function labelRegex(phrases: readonly string[], flags = 'iu'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.join('|')})(?![\\p{L}])`, flags);
}

const NAME_PARTICLES = new Set(['van', 'von', 'de', 'den', 'der', 'ten', 'ter', 'del', 'dos', 'das']);

/** "ANNE-MARIE O'BRIEN" → "Anne-Marie O'Brien"; names already in mixed case are kept. */
export function naturalCase(name: string): string {
  // ß has no everyday capital: "GROß" is an upper-case name.
  if (/\p{Ll}/u.test(name.replace(/ß/g, ''))) return name.trim();
  return name
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((word) => (NAME_PARTICLES.has(word) ? word : word.replace(/(^|[-'’])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())))
    .join(' ');
}

function clean(value: string): string {
  return value.replace(/^[\s:;,.\-–|/]+|[\s:;,|/]+$/g, '').replace(/\s+/g, ' ');
}

class FieldSink {
  readonly fields: Fields = {};
  readonly evidence: FieldEvidenceMap = {};

  has(name: FieldName): boolean {
    return this.fields[name] !== undefined;
  }

  set(name: FieldName, value: string | undefined, evidence: FieldEvidence): void {
    if (value === undefined || value.length === 0 || this.has(name)) return;
    this.fields[name] = value;
    this.evidence[name] = evidence;
  }

  setFound(name: FieldName, found: Found | undefined, map: (v: string) => string | undefined = (v) => v): void {
    if (!found) return;
    this.set(name, map(found.value), { source: 'text', page: found.line.page, text: found.line.text });
  }
}

// ---------------------------------------------------------------------------------------------
// Identity documents: visual zone

type VisualKind = 'text' | 'date' | 'sex' | 'country' | 'number';

interface VisualLabel {
  field: FieldName | 'other';
  kind: VisualKind;
  phrases: string[];
}

const VISUAL_LABELS: readonly VisualLabel[] = [
  { field: 'surname', kind: 'text', phrases: ['su(?:rn|m)ames?', 'last name', 'family name', 'nom', 'apellidos?', 'cognome', 'nachname', 'familienname', 'achternaam'] },
  { field: 'givenNames', kind: 'text', phrases: ['given names?', 'first names?', 'forenames?', 'pr[ée]noms?', 'vornamen?', 'nombres?', 'nomi', 'voornamen?'] },
  { field: 'dateOfBirth', kind: 'date', phrases: ['date of birth', 'birth date', 'd\\.?o\\.?b\\.?', 'date de naissance', 'geburtsdatum', 'fecha de nacimiento', 'data di nascita', 'geboortedatum'] },
  { field: 'expiryDate', kind: 'date', phrases: ['date of expiry', 'expiry date', 'expiry', 'expires', 'expiration date', "date (?:d['’ ]?)?expiration", 'valid until', 'valid thru', 'g[üu]ltig bis', 'fecha de caducidad', 'data di scadenza', 'geldig tot'] },
  { field: 'issueDate', kind: 'date', phrases: ['date of issue', 'issue date', 'issued on', 'date de d[ée]livrance', 'ausstellungsdatum', 'fecha de expedici[óo]n', 'data di rilascio', 'afgiftedatum'] },
  { field: 'documentNumber', kind: 'number', phrases: ['passport no\\.?', 'passport number', 'document no\\.?', 'document number', 'card no\\.?', 'card number', 'licen[cs]e no\\.?', 'licen[cs]e number', 'id no\\.?', 'n[°º]\\.? ?du (?:passeport|document)', 'num[ée]ro du (?:passeport|document)', 'passnummer', 'ausweisnummer'] },
  { field: 'nationality', kind: 'country', phrases: ['nationality', 'nationalit[ée]', 'staatsangeh[öo]rigkeit', 'nacionalidad', 'nazionalit[àa]', 'nationaliteit'] },
  { field: 'sex', kind: 'sex', phrases: ['sex', 'sexe', 'geschlecht', 'sexo', 'sesso', 'geslacht', 'gender'] },
  { field: 'issuingCountry', kind: 'country', phrases: ['country code', 'code of issuing state', 'issuing (?:country|state)', 'country of issue', 'code'] },
  { field: 'address', kind: 'text', phrases: ['address', 'adresse', 'domicile', 'anschrift', 'domicilio', 'indirizzo'] },
  { field: 'other', kind: 'text', phrases: ['type', 'place of birth', 'lieu de naissance', 'authority', 'autorit[ée]', 'signature', 'height', 'taille', 'geburtsort', 'beh[öo]rde'] },
];

const VISUAL_MATCHERS = VISUAL_LABELS.map((l) => ({ ...l, regex: labelRegex(l.phrases, 'giu') }));

interface LabelHit {
  label: VisualLabel;
  start: number;
  end: number;
}

/** Labels in a line, left to right, bilingual repeats ("Surname / Nom") merged into one. */
function labelHits(text: string): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const matcher of VISUAL_MATCHERS) {
    for (const m of text.matchAll(matcher.regex)) hits.push({ label: matcher, start: m.index, end: m.index + m[0].length });
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: LabelHit[] = [];
  for (const hit of hits) {
    const last = merged.at(-1);
    if (last && hit.start < last.end) continue;
    const between = last ? text.slice(last.end, hit.start) : '';
    if (last && last.label.field === hit.label.field && /^[\s/|.]*$/.test(between)) {
      last.end = hit.end;
      continue;
    }
    merged.push({ ...hit });
  }
  return merged.map((hit, i) => extendOverTranslation(text, hit, merged[i + 1]?.start ?? text.length));
}

/** "Given names | Prenens": a `/` or `|` and one word after a label is its translation (OCR-garbled or not). */
function extendOverTranslation(text: string, hit: LabelHit, limit: number): LabelHit {
  const m = /^\s*[/|]\s*[\p{L}'’.]+\s*:?/u.exec(text.slice(hit.end, limit));
  return m ? { ...hit, end: hit.end + m[0].length } : hit;
}

/** True when a line is made of labels only (its values are on the next line). */
function isLabelOnly(text: string, hits: LabelHit[]): boolean {
  if (hits.length === 0) return false;
  let rest = text;
  for (const hit of [...hits].reverse()) rest = rest.slice(0, hit.start) + ' ' + rest.slice(hit.end);
  // Punctuation and quote marks around labels are OCR crumbs ("‘Sumame / Nom").
  return /^[\s/|:.,()\d'‘’"“”`´~_—–-]*$/u.test(rest);
}

function typedValue(kind: VisualKind, value: string, ordinal: number, isAlone: boolean, options: FieldExtractionOptions): string | undefined {
  switch (kind) {
    case 'date':
      return findDates(value, { order: options.dateOrder })[isAlone ? 0 : ordinal]?.value;
    case 'sex': {
      const token = isAlone ? /^\s*([MFX])(?![\p{L}])/u.exec(value.toUpperCase()) : /(?<![\p{L}])([MFX])(?![\p{L}])/u.exec(value);
      return token?.[1];
    }
    case 'country': {
      if (isAlone) return toAlpha3(value);
      const codes = [...value.matchAll(/(?<![\p{L}])[A-Z]{3}(?![\p{L}])/gu)].map((m) => m[0]);
      return codes.length > 0 ? toAlpha3(codes[Math.min(ordinal, codes.length - 1)] ?? '') : undefined;
    }
    case 'number': {
      const token = value.split(/\s+/).find((t) => /\d/.test(t) && /^[A-Z0-9<-]{5,}$/i.test(t));
      return token?.toUpperCase();
    }
    case 'text':
      return clean(value) || undefined;
  }
}

function nextValueLine(lines: Line[], from: number): Line | undefined {
  const next = lines[from + 1];
  if (!next) return undefined;
  return isLabelOnly(next.text, labelHits(next.text)) ? undefined : next;
}

/** Visual-zone fields of a passport or ID card: labels with the value inline or on the next line. */
function visualFields(lines: Line[], options: FieldExtractionOptions): FieldSink {
  const sink = new FieldSink();
  lines.forEach((line, i) => {
    const hits = labelHits(line.text);
    if (hits.length === 0) return;
    if (isLabelOnly(line.text, hits)) {
      const valueLine = nextValueLine(lines, i);
      if (valueLine) assignFromValueLine(sink, hits, valueLine, options);
      return;
    }
    assignInline(sink, line, hits, options);
  });
  return sink;
}

function assignFromValueLine(sink: FieldSink, hits: LabelHit[], valueLine: Line, options: FieldExtractionOptions): void {
  const ordinals = new Map<VisualKind, number>();
  for (const hit of hits) {
    const ordinal = ordinals.get(hit.label.kind) ?? 0;
    ordinals.set(hit.label.kind, ordinal + 1);
    if (hit.label.field === 'other') continue;
    const value = typedValue(hit.label.kind, valueLine.text, ordinal, hits.length === 1, options);
    sink.set(hit.label.field, value, { source: 'text', page: valueLine.page, text: valueLine.text });
  }
}

/** "Date of birth: 12.03.1985" — a label followed by its value on the same line. */
function assignInline(sink: FieldSink, line: Line, hits: LabelHit[], options: FieldExtractionOptions): void {
  hits.forEach((hit, n) => {
    if (hit.label.field === 'other') return;
    const end = hits[n + 1]?.start ?? line.text.length;
    const value = line.text.slice(hit.end, end);
    if (!/[\p{L}\p{N}]/u.test(value)) return;
    const typed = typedValue(hit.label.kind, value, 0, true, options);
    sink.set(hit.label.field, typed, { source: 'text', page: line.page, text: line.text });
  });
}

// ---------------------------------------------------------------------------------------------
// Identity documents: EU driving licence numbered fields

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

function licenceFields(lines: Line[], options: FieldExtractionOptions): FieldSink {
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

// ---------------------------------------------------------------------------------------------
// Identity documents: combining MRZ and visual zone

const CROSS_CHECKED: readonly FieldName[] = ['surname', 'givenNames', 'dateOfBirth', 'expiryDate', 'documentNumber', 'issuingCountry', 'sex'];

function sameValue(field: FieldName, a: string, b: string): boolean {
  if (field === 'surname' || field === 'givenNames') return compareNames(a, b, { threshold: 0.9 }).match;
  if (field === 'documentNumber') return compact(a) === compact(b);
  return a === b;
}

function compact(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/O/g, '0');
}

function crossCheck(mrzFields: MrzFields, visual: Fields): { compared: FieldName[]; mismatches: FieldName[] } {
  const compared = CROSS_CHECKED.filter((f) => mrzFields[f as keyof MrzFields] !== undefined && visual[f] !== undefined);
  const mismatches = compared.filter((f) => !sameValue(f, mrzFields[f as keyof MrzFields] ?? '', visual[f] ?? ''));
  return { compared, mismatches };
}

/** A country code read from an MRZ that is a real state (not OCR debris like `REV`). */
function isKnownCountry(code: string): boolean {
  return isMrzState(code) || code === 'DEU' || code === 'GBR';
}

function readFirstMrz(pages: readonly FieldPage[], options: FieldExtractionOptions): { reading: MrzReading; page: number } | undefined {
  for (const page of pages) {
    const reading = readMrz(page.text, { asOf: options.asOf });
    if (reading) return { reading, page: page.page };
  }
  return undefined;
}

/**
 * Visual names when they agree with the MRZ (they keep accents and case), or when the MRZ name line
 * is damaged (its state code is not a state); MRZ names otherwise.
 */
function setNames(sink: FieldSink, reading: MrzReading, mrzEvidence: FieldEvidence, visual: FieldSink, lines: Line[]): void {
  const mrz = reading.fields;
  const nameLineDamaged = reading.format !== 'TD1' && !isMrzState(reading.lines[0]?.slice(2, 5) ?? '');
  const unlabelled = printedLines(lines, reading);
  const printedText = unlabelled.map((l) => l.text).join('\n');
  // The MRZ names cut and spelled with the printed words (OCR reads fillers as letters).
  const reconciled = reconcileMrzNames(mrzNameField(reading), printedText);
  for (const field of ['surname', 'givenNames'] as const) {
    const fromMrz = reconciled ? reconciled[field] : mrz[field];
    // Unlabelled printed name found by spelling out the MRZ name: it agrees with the MRZ by construction.
    const spellings = [mrz[field], ...(fromMrz ? mrzSpellingsOfWord(fromMrz) : [])].filter((s): s is string => s !== undefined);
    const guided = visual.fields[field] === undefined ? spellings.map((s) => printedNameLine(s, unlabelled)).find(Boolean) : undefined;
    const fromVisual = guided ? guided.text.replace(/[.,;:]+$/, '') : visual.fields[field];
    const visualEvidence: FieldEvidence | undefined = guided ? { source: 'text', page: guided.page, text: guided.text } : visual.evidence[field];
    const agree =
      guided !== undefined ||
      (fromMrz !== undefined &&
        fromVisual !== undefined &&
        // The MRZ spelling of the printed name, or that spelling with fillers OCR read as letters.
        (sameValue(field, fromMrz, fromVisual) || printedNameLine(fromMrz, [{ text: fromVisual }]) !== undefined));
    if (fromVisual !== undefined && (agree || fromMrz === undefined || nameLineDamaged)) {
      const printed = agree && fromMrz !== undefined ? withoutStrayWords(fromVisual, fromMrz) : fromVisual;
      sink.set(field, naturalCase(printed), visualEvidence ?? mrzEvidence);
    } else if (fromMrz !== undefined) {
      sink.set(field, naturalCase(restoreUmlauts(fromMrz, unlabelled.map((l) => l.text).join(' '))), mrzEvidence);
    }
  }
}

/**
 * A printed name that agrees with the MRZ, without words at its ends the MRZ does not have: remains
 * of a label OCR half read ("Gr. Eoin Darragh", "Es. JANA LENA-MARIE") when the MRZ says "EOIN DARRAGH".
 */
export function withoutStrayWords(printed: string, mrzName: string): string {
  const mrzTokens = nameTokens(mrzName);
  const words = printed.trim().split(/\s+/);
  const inMrz = (word: string): boolean => nameTokens(word).some((t) => mrzTokens.some((m) => jaroWinkler(t, m) >= STRAY_WORD_SIMILARITY));
  const count = (ws: string[]): number => ws.flatMap((w) => nameTokens(w)).length;
  // Only what looks like a label's remains goes: an abbreviation or a crumb of up to three letters.
  // A longer word may be a given name the MRZ had no room for.
  const stray = (word: string): boolean => (/\.$/.test(word) || word.replace(/\P{L}/gu, '').length <= 3) && !inMrz(word);
  while (words.length > 1 && count(words) > mrzTokens.length && stray(words[0]!)) words.shift();
  while (words.length > 1 && count(words) > mrzTokens.length && stray(words.at(-1)!)) words.pop();
  return words.join(' ');
}

/** A printed word at least this close to an MRZ word is the same word (OCR slips allowed). */
const STRAY_WORD_SIMILARITY = 0.85;

const UMLAUTS: Readonly<Record<string, string>> = { AE: 'Ä', OE: 'Ö', UE: 'Ü', SS: 'ß' };

/**
 * Undoes ICAO 9303's umlaut transliteration (Ä→AE, Ö→OE, Ü→UE, ß→SS) in an MRZ name where the
 * visual zone prints the same word with one character in the digraph's place: "JUERGEN" and a
 * printed "Jürgen" (or an OCR-damaged "Jiirgen", "Jérgen") give "JÜRGEN". A word printed with
 * the digraph itself ("Mueller") stays as it is; without such a printed word nothing changes.
 */
export function restoreUmlauts(mrzName: string, visualText: string): string {
  const printed = visualText
    .replace(/ß/g, 'ẞ') // upper-casing would make it SS
    .toUpperCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length >= 2);
  return mrzName
    .split(/(\s+)/)
    .map((word) => {
      if (!/AE|OE|UE|SS/.test(word)) return word;
      const parts = word.split(/(AE|OE|UE|SS)/);
      // Each digraph: itself, or one printed character in its place (remembered for the rebuild).
      const pattern = parts.map((p, i) => (i % 2 === 1 ? `(${p}|\\p{L}{1,2})` : escapeRegExp(p))).join('');
      const re = new RegExp(`^${pattern}$`, 'u');
      for (const candidate of printed) {
        if (candidate === word) return word;
        const match = re.exec(candidate);
        if (!match) continue;
        let group = 0;
        const rebuilt = parts
          .map((p, i) => {
            if (i % 2 === 0) return p;
            const seen = match[++group] ?? p;
            // OCR often reads an umlaut as two letters ("ii" for ü): any other one or two letters count.
            // "OË" in Joël is the digraph with an accent, not an umlaut.
            return anyAscii(seen) === p ? p : (UMLAUTS[p] ?? p);
          })
          .join('');
        if (rebuilt !== word) return rebuilt;
      }
      return word;
    })
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Filler look-alikes: what OCR makes of `<` in an MRZ name field. */
const FILLER_NOISE = '[<KXCSE]';

/** The lines of the page other than the MRZ reading's own source lines: the visual zone. */
function printedLines(lines: Line[], reading: MrzReading | undefined): Line[] {
  const mrzLines = new Set(reading?.sourceLines.map((l) => l.replace(/\s+/g, ' ').trim()) ?? []);
  return lines.filter((l) => !mrzLines.has(l.text));
}

/**
 * The visual-zone line that prints an MRZ name whose fillers OCR misread as letters, when the
 * visual zone's labels were lost: "DAANK" or "LENACMARIE" from the MRZ, "DAAN" or "LENA-MARIE"
 * printed. A line qualifies when the MRZ name is its spelling with only filler look-alikes added
 * at word breaks and at the end. Printed names keep accents, hyphens and spacing the MRZ cannot.
 */
export function printedNameLine<T extends { text: string }>(mrzName: string, lines: readonly T[]): T | undefined {
  const target = mrzName.toUpperCase().replace(/\s+/g, '<');
  return lines.find((line) => {
    const text = line.text.replace(/[.,;:]+$/, '').trim();
    if (text.length < 2 || text.length > 40 || !/^\p{L}[\p{L}' -]*$/u.test(text)) return false;
    return mrzSpellingsOfWord(text).some((spelling) => {
      const words = spelling.split('<').filter((w) => w.length > 0);
      if (words.length === 0) return false;
      const pattern = words.map((w) => w).join(`${FILLER_NOISE}{1,2}`);
      return new RegExp(`^${pattern}${FILLER_NOISE}*$`).test(target);
    });
  });
}

function extractIdentity(type: DocumentType, pages: readonly FieldPage[], options: FieldExtractionOptions): FieldExtraction {
  const lines = toLines(pages);
  const visual = type === 'driving_licence' ? licenceFields(lines, options) : visualFields(lines, options);
  if (type === 'driving_licence' && !visual.has('surname')) mergeSink(visual, visualFields(lines, options));
  const sink = new FieldSink();
  const first = readFirstMrz(pages, options);
  // Check digits that fail may be OCR's misreading, which the printed value of the field can settle.
  const fromVisual = first && repairWithVisualZone(first.reading, visualZoneValues(lines, first.reading, visual.fields, options), options);
  const found = first && fromVisual ? { ...first, reading: fromVisual } : first;
  let mrz: MrzCrossCheck | undefined;
  if (found) {
    const { reading, page } = found;
    const evidence: FieldEvidence = { source: 'mrz', page, text: reading.sourceLines.join('\n') };
    setNames(sink, reading, evidence, visual, lines);
    for (const [name, value] of Object.entries(reading.fields) as Array<[FieldName, string]>) {
      const isBadCountry = (name === 'nationality' || name === 'issuingCountry') && !isKnownCountry(value);
      if (!isBadCountry) sink.set(name, value, evidence);
    }
    const { compared, mismatches } = crossCheck(reading.fields, visual.fields);
    mrz = { ...reading.summary, visualCompared: compared, visualMismatches: mismatches };
  }
  for (const [name, value] of Object.entries(visual.fields) as Array<[FieldName, string]>) {
    const isName = name === 'surname' || name === 'givenNames';
    sink.set(name, isName ? naturalCase(value) : value, visual.evidence[name] ?? { source: 'text' });
  }
  if (!sink.has('issueDate')) setIssueDateByElimination(sink, lines, found?.reading, options);
  addFullName(sink);
  return { fields: sink.fields, evidence: sink.evidence, ...(mrz ? { mrz } : {}), visual: visual.fields };
}

/**
 * Every date and document number the visual zone prints, for settling the MRZ's failing check
 * digits: the labelled values first, then any date in the text, read with the digit look-alikes OCR
 * puts beside digits ("0S APR 1958") turned back into digits.
 */
function visualZoneValues(lines: Line[], reading: MrzReading, visual: Fields, options: FieldExtractionOptions): VisualZoneValues {
  const printed = printedLines(lines, reading).filter((l) => !l.text.includes('<'));
  const digitised = (text: string): string => text.replace(/(?<=\d)[OoSIl]|[OoSIl](?=\d)/g, (ch) => DIGIT_LOOKALIKES[ch] ?? ch);
  const dates = printed.flatMap((l) => findDates(digitised(l.text), { order: options.dateOrder }).map((d) => d.value));
  const labelled = [visual.dateOfBirth, visual.expiryDate].filter((d): d is string => d !== undefined);
  const numbers = [visual.documentNumber, ...printed.flatMap((l) => l.text.split(/\s+/)).filter((w) => /^[A-Z0-9]{6,9}$/.test(w) && /\d/.test(w))];
  return { dates: [...new Set([...labelled, ...dates])], documentNumbers: [...new Set(numbers.filter((n): n is string => n !== undefined))] };
}

const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', S: '5', I: '1', l: '1' };

/**
 * When OCR garbled the "Date of issue" label: the one printed date that is neither the birth nor the
 * expiry date, lies between them and is not after `asOf`.
 */
function setIssueDateByElimination(sink: FieldSink, lines: Line[], mrz: MrzReading | undefined, options: FieldExtractionOptions): void {
  const { dateOfBirth, expiryDate } = sink.fields;
  if (!dateOfBirth || !expiryDate) return;
  const found = printedLines(lines, mrz)
    .flatMap((line) => findDates(line.text, { order: options.dateOrder }).map((d) => ({ value: d.value, line })))
    .filter((d) => d.value !== dateOfBirth && d.value !== expiryDate && d.value > dateOfBirth && d.value < expiryDate && d.value <= options.asOf);
  const distinct = new Set(found.map((d) => d.value));
  const only = found[0];
  if (distinct.size === 1 && only) sink.set('issueDate', only.value, { source: 'text', page: only.line.page, text: only.line.text });
}

function mergeSink(into: FieldSink, from: FieldSink): void {
  for (const [name, value] of Object.entries(from.fields) as Array<[FieldName, string]>) {
    into.set(name, value, from.evidence[name] ?? { source: 'text' });
  }
}

function addFullName(sink: FieldSink): void {
  const { givenNames, surname } = sink.fields;
  if (sink.has('fullName') || (!givenNames && !surname)) return;
  const evidence = sink.evidence.surname ?? sink.evidence.givenNames ?? { source: 'text' };
  sink.set('fullName', [givenNames, surname].filter(Boolean).join(' '), evidence);
}

// ---------------------------------------------------------------------------------------------
// Proof of address

const HOLDER_LABEL = labelRegex(['account holders?', 'account name', 'customer name', 'name', 'bill to', 'billed to', 'addressee', 'employee name', 'employee(?=\\s*:?\\s*$)', 'titulaire', 'kontoinhaber']);
const ADDRESS_LABEL = labelRegex(['address', 'supply address', 'billing address', 'adresse', 'anschrift']);
const DOCUMENT_DATE_LABELS: readonly RegExp[] = [
  labelRegex(['statement date', 'date of statement', 'statement of account as at', 'as at', 'bill date', 'date of bill', 'invoice date', 'date of invoice', 'pay date', 'payment date', 'date of payment', 'date of issue', 'issue date', 'issued on', 'period ending', 'period end', 'date de (?:la )?facture', 'rechnungsdatum', 'datum']),
];
const PERIOD_LABEL = labelRegex(['statement period', 'billing period', 'period', 'supply period', 'pay period']);
const ISSUE_DATE_LABEL = labelRegex(['date of issue', 'issue date', 'issued on']);
/** Lines that carry facts, not the addressee block: skipped inside an address block. */
const FACT_LABEL = labelRegex([
  'account (?:number|no\\.?)', 'customer account', 'sort code', 'iban', 'bic', 'swift', 'statement date', 'period', 'bill date', 'invoice date',
  'billing period', 'payment due', 'due', 'amount due', 'pay date', 'payment date', 'employee (?:no\\.?|id|number)', 'ni number', 'pps number',
  'steuer-id', 'bsn', 'job title', 'position', 'account summary', 'opening balance', 'closing balance', 'money (?:in|out)', 'meter reading',
  'gross (?:pay|salary)', 'net (?:pay|payment|salary)', 'basic salary', 'income tax', 'pension', 'total', 'deductions', 'vat',
  'standing charge', 'balance brought forward', 'bill dat[a-z]*', 'date', 'billing', 'invoice',
]);
const AMOUNT_LINE = /^[-+]?\s*[£$€]\s?[\d,.]+$/;
/** A money amount anywhere in a line: `£12.30`, `€ 1,234.50`, `12,30`. */
const MONEY = /[£$€]\s?-?\d|\d[.,]\d{2}(?!\d)/;
const COMPANY_WORDS = labelRegex([
  'ltd', 'limited', 'plc', 'llp', 'llc', 'inc', 'dac', 'gmbh', 'ag', 'b\\.?v\\.?', 'n\\.?v\\.?', 'sa', 'sas', 'sarl', 'bank', 'sparkasse',
  'spaarbank', 'building society', 'energy', 'energie', 'power', 'water', 'gas', 'electric', 'electricity', 'utilities', 'services',
  'group', 'council', 'payroll', 'company', 'holdings', 'trading', 'consulting', 'digital', 'design', 'logistics', 'ventures',
  'insurance', 'stadtwerke', 'versorgung',
]);
const NOT_NAME_WORDS = new Set([
  'statement', 'account', 'bill', 'invoice', 'payslip', 'balance', 'summary', 'period', 'date', 'customer', 'charges', 'page', 'total',
  'amount', 'number', 'details', 'your', 'the', 'of', 'and', 'for', 'to', 'from', 'earnings', 'registered', 'certificate', 'current',
  'savings', 'payment', 'employee', 'employer', 'salary', 'deductions', 'description', 'questions', 'dear', 'thank', 'you', 'tax', 'pay',
  'net', 'gross', 'basic', 'income', 'pension', 'electricity', 'gas', 'water', 'supply', 'online', 'private', 'retail', 'extract',
  'position', 'job', 'title', 'id', 'reference', 'holder', 'name', 'address',
]);
const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|prof|herr|frau|mme|mlle|m)\.?\s+/i;
const STREET_WORDS = labelRegex([
  'street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'ln', 'drive', 'dr', 'close', 'way', 'place', 'terrace', 'crescent', 'court',
  'gardens', 'square', 'hill', 'grove', 'park', 'row', 'walk', 'mews', 'flat', 'apartment', 'apt', 'unit', 'house', 'building', 'floor',
  'rue', 'boulevard', 'chemin', '\\p{L}*stra(?:ss|ß)e', 'str', '\\p{L}*weg', 'gasse', 'platz', '\\p{L}*allee', '\\p{L}*straat',
  '\\p{L}*gracht', 'laan', 'plein', 'kade', 'via', 'calle', 'plaza',
]);
const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b\d{5}\b|\b\d{4}\s?[A-Z]{2}\b|\b[A-Z]\d{2}\s?[A-Z0-9]{4}\b/i;

function stripTitle(text: string): string {
  return text.replace(TITLES, '');
}

/**
 * The left column of a line OCR or `pdftotext` ran together with a facts column: the text before
 * the first fact label or money amount ("12 Mill Road  Account number 123" → "12 Mill Road").
 */
export function leftColumn(text: string): string {
  const cuts = [FACT_LABEL.exec(text)?.index, MONEY.exec(text)?.index, findDates(text)[0]?.index].filter(
    (i): i is number => i !== undefined && i > 0,
  );
  const cut = cuts.length > 0 ? Math.min(...cuts) : text.length;
  return withoutOcrCrumbs(text.slice(0, cut).replace(/[\s,;:|£$€—–-]+$/, '').trim());
}

/** "124 ELM RD ee eae": short lower-case debris after an upper-case line. */
function withoutOcrCrumbs(text: string): string {
  const m = /^(.*\p{Lu}{2}.*?)(?:\s+\p{Ll}{1,3})+$/u.exec(text);
  return m?.[1] && !/\p{Ll}/u.test(m[1]) ? m[1] : text;
}

/**
 * A name line without one-letter OCR crumbs at its end ("Lena-Marie Weiß a"). A trailing digit is
 * no crumb: "Lange Voorhout 2" is a street, not a name.
 */
function nameCore(text: string): string {
  return leftColumn(text).replace(/(?:\s+[^\s\d])+$/u, '').trim();
}

/** A line that reads as a person's name: 2–5 words, letters only, no company or document words. */
export function isPersonNameLine(text: string): boolean {
  const bare = stripTitle(nameCore(text));
  if (bare.length < 3 || bare.length > 60 || /[\d@:]/.test(bare) || COMPANY_WORDS.test(bare)) return false;
  const words = bare.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 5) return false;
  if (words.some((w) => NOT_NAME_WORDS.has(w.toLowerCase()))) return false;
  return words.every((w) => /^[\p{L}][\p{L}'’.-]*$/u.test(w) && (/^\p{Lu}/u.test(w) || NAME_PARTICLES.has(w.toLowerCase())));
}

function isAddressLine(text: string): boolean {
  if (text.length > 70 || /:/.test(text) || MONEY.test(text) || FACT_LABEL.test(text)) return false;
  if (findDates(text).length > 0) return false;
  return /\d/.test(text) || STREET_WORDS.test(text) || POSTCODE.test(text);
}

/** "LindenstraBe": OCR reads ß as B; German street words end in -straße. */
const GERMAN_SHARP_S = /(?<=\p{Ll}stra)[B8]e\b/gu;

/** The address block starting at `from`: address lines, skipping interleaved fact lines, until the postcode line. */
function addressBlock(lines: Line[], from: number): Line[] {
  const block: Line[] = [];
  for (let i = from; i < lines.length && block.length < 5; i++) {
    const line = lines[i];
    if (!line) break;
    const left = repairPostcodeDigits(leftColumn(line.text)).replace(GERMAN_SHARP_S, 'ße');
    if (left.length > 0 && isAddressLine(left)) {
      block.push({ page: line.page, text: left });
      if (POSTCODE.test(left) && block.length >= 2) break;
      continue;
    }
    const isSkippable = FACT_LABEL.test(line.text) || AMOUNT_LINE.test(line.text) || MONEY.test(line.text);
    if (!isSkippable || block.length > 0 && i - from > 8) break;
  }
  return block;
}

function holderByLabel(lines: Line[]): { name: Line; index: number } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const left = leftColumn(line.text);
    const m = HOLDER_LABEL.exec(left);
    if (!m || m.index > 3) continue;
    const rest = clean(left.slice(m.index + m[0].length));
    if (rest.length > 0 && isPersonNameLine(rest)) return { name: { page: line.page, text: rest }, index: i };
    const next = lines[i + 1];
    if (rest.length === 0 && next && isPersonNameLine(next.text)) return { name: next, index: i + 1 };
  }
  return undefined;
}

/** The first name line followed (within a few lines) by an address block: the addressee. */
function holderByLayout(lines: Line[]): { name: Line; index: number } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line && isPersonNameLine(line.text) && addressBlock(lines, i + 1).length > 0) return { name: line, index: i };
  }
  return undefined;
}

function setAddressee(sink: FieldSink, lines: Line[]): void {
  const holder = holderByLabel(lines) ?? holderByLayout(lines);
  if (holder) {
    sink.set('fullName', displayName(nameCore(holder.name.text)), { source: 'text', page: holder.name.page, text: holder.name.text });
  }
  const labelled = labelledAddress(lines);
  const block = labelled ?? (holder ? addressBlock(lines, holder.index + 1) : []);
  if (block.length > 0) {
    sink.set('address', block.map((l) => l.text).join(', '), { source: 'text', page: block[0]?.page, text: block.map((l) => l.text).join('\n') });
  }
}

/**
 * Given names first, titles dropped: "Doe, John" → "John Doe"; "DOE John" (surname in capitals
 * before mixed-case given names) → "John DOE".
 */
export function displayName(text: string): string {
  const bare = stripTitle(text.trim());
  const comma = /^([^,]+),\s*(.+)$/.exec(bare);
  if (comma) return `${comma[2]} ${comma[1]}`;
  const words = bare.split(/\s+/);
  const isUpper = (w: string): boolean => /\p{Lu}{2}/u.test(w) && !/\p{Ll}/u.test(w);
  const leading = words.findIndex((w) => !isUpper(w) && !NAME_PARTICLES.has(w));
  if (leading <= 0 || words.slice(leading).some(isUpper)) return bare;
  return [...words.slice(leading), ...words.slice(0, leading)].join(' ');
}

function labelledAddress(lines: Line[]): Line[] | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const m = ADDRESS_LABEL.exec(line.text);
    if (!m || m.index > 3) continue;
    const rest = repairPostcodeDigits(clean(line.text.slice(m.index + m[0].length)));
    const first: Line[] = rest.length > 0 ? [{ page: line.page, text: rest }] : [];
    const block = [...first, ...addressBlock(lines, i + 1)];
    if (block.length > 0) return block;
  }
  return undefined;
}

/** The date after a label, on the same line or the next. */
function dateAfterLabel(lines: Line[], label: RegExp, options: FieldExtractionOptions, pick: 'first' | 'last' = 'first'): Found | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const m = label.exec(line.text);
    if (!m) continue;
    const sameLine = findDates(line.text.slice(m.index + m[0].length), { order: options.dateOrder });
    const dates = sameLine.length > 0 ? sameLine : findDates(lines[i + 1]?.text ?? '', { order: options.dateOrder });
    const date = pick === 'first' ? dates[0] : dates.at(-1);
    const source = sameLine.length > 0 ? line : (lines[i + 1] ?? line);
    if (date) return { value: date.value, line: source };
  }
  return undefined;
}

/** "26 May 2026 to 25 Jun 2026": a date range alone on its line (OCR split it from its label column). */
const DATE_RANGE_JOINER = /^\s*(?:-|–|—|to|until|bis|tot|au)\s*$/i;

/** The end of the first unlabelled statement period: what dates a statement when its labels went astray. */
function unlabelledPeriodEnd(lines: Line[], options: FieldExtractionOptions): Found | undefined {
  for (const line of lines) {
    const dates = findDates(line.text, { order: options.dateOrder });
    const [from, to] = dates;
    if (dates.length !== 2 || !from || !to || from.index > 0 || to.value < from.value) continue;
    const between = line.text.slice(from.index + from.text.length, to.index);
    const after = line.text.slice(to.index + to.text.length);
    if (DATE_RANGE_JOINER.test(between) && after.trim() === '') return { value: to.value, line };
  }
  return undefined;
}

function setDocumentDate(sink: FieldSink, lines: Line[], options: FieldExtractionOptions): void {
  for (const label of DOCUMENT_DATE_LABELS) sink.setFound('statementDate', dateAfterLabel(lines, label, options));
  sink.setFound('statementDate', dateAfterLabel(lines, PERIOD_LABEL, options, 'last'));
  sink.setFound('statementDate', unlabelledPeriodEnd(lines, options));
  sink.setFound('issueDate', dateAfterLabel(lines, ISSUE_DATE_LABEL, options));
  if (!sink.has('statementDate') && !sink.has('issueDate')) sink.setFound('statementDate', latestPastDate(lines, options));
}

/**
 * When no label leads to the document's date (OCR put labels and values in separate columns): the
 * latest date printed on it that is not after `asOf`. A bill or payslip prints its own date and dates
 * near it (period, payment); an old document shows only old dates, so recency still fails it.
 */
function latestPastDate(lines: Line[], options: FieldExtractionOptions): Found | undefined {
  let best: Found | undefined;
  for (const line of lines) {
    for (const date of findDates(line.text, { order: options.dateOrder })) {
      if (date.value <= options.asOf && (!best || date.value > best.value)) best = { value: date.value, line };
    }
  }
  return best;
}

function setIban(sink: FieldSink, lines: Line[]): void {
  for (const line of lines) {
    const candidates = findIbans(line.text);
    const best = candidates.find((c) => c.valid) ?? candidates[0];
    if (best?.valid) return sink.set('iban', best.iban, { source: 'text', page: line.page, text: line.text });
  }
  const anyCandidate = lines.find((l) => findIbans(l.text).length > 0);
  if (anyCandidate) sink.set('iban', findIbans(anyCandidate.text)[0]?.iban, { source: 'text', page: anyCandidate.page, text: anyCandidate.text });
}

function extractProofOfAddress(pages: readonly FieldPage[], options: FieldExtractionOptions): FieldExtraction {
  const lines = toLines(pages);
  const sink = new FieldSink();
  setAddressee(sink, lines);
  setDocumentDate(sink, lines, options);
  setIban(sink, lines);
  return { fields: sink.fields, evidence: sink.evidence, visual: {} };
}

// ---------------------------------------------------------------------------------------------
// Company registration

const COMPANY_NAME_LABEL = labelRegex(['company name', 'name of company', 'firmenname', 'firma', 'raison sociale', 'denomination', 'handelsnaam', 'statutaire naam']);
const REGISTRATION_LABEL = labelRegex(['company number', 'company no\\.?', 'company registration number', 'registration number', 'registration no\\.?', 'registered number', 'handelsregisternummer', 'kvk[- ]?nummer', 'kvk', 'siren', 'crn']);
const INCORPORATION_LABEL = labelRegex(['date of incorporation', 'incorporation date', 'incorporated on', 'given on', 'given at [^\\n]*? on', 'date of registration', 'registration date', 'gr[üu]ndungsdatum', 'eintragungsdatum', 'date d.immatriculation']);
const OFFICE_LABEL = labelRegex(['registered office address', 'registered office', 'registered address', 'sitz', 'si[èe]ge social', 'statutaire zetel']);
const CERTIFIES_THAT = /certif(?:y|ies) that\s*(.*)$/i;
const INCORPORATED_PHRASE = /^(.*?)\s*(?:is this day incorporated|was incorporated|is incorporated)/i;

function valueAfter(lines: Line[], label: RegExp): Found | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const m = label.exec(line.text);
    if (!m) continue;
    const rest = clean(line.text.slice(m.index + m[0].length).replace(/^\s*(?:is|:)\s*/i, ''));
    if (rest.length > 0) return { value: rest, line };
    const next = lines[i + 1];
    if (next) return { value: next.text, line: next };
  }
  return undefined;
}

/** "… hereby certifies that" / "ACME LTD" / "is this day incorporated …". */
function certifiedCompanyName(lines: Line[]): Found | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = line ? CERTIFIES_THAT.exec(line.text) : null;
    if (!line || !m) continue;
    const sameLine = INCORPORATED_PHRASE.exec(m[1] ?? '')?.[1] ?? m[1] ?? '';
    if (clean(sameLine).length > 0) return { value: clean(sameLine), line };
    const next = lines[i + 1];
    if (next) return { value: clean(INCORPORATED_PHRASE.exec(next.text)?.[1] ?? next.text), line: next };
  }
  return undefined;
}

function registrationNumber(value: string): string | undefined {
  const m = /^((?:HRB|HRA|SC|NI|OC)?\s?[A-Z]{0,2}\d[\d ]{3,}\d)/i.exec(value.trim());
  return m?.[1]?.replace(/\s+/g, ' ').trim();
}

function officeAddress(lines: Line[]): Line[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = line ? OFFICE_LABEL.exec(line.text) : null;
    if (!line || !m) continue;
    const rest = clean(line.text.slice(m.index + m[0].length).replace(/^\s*(?:address|is)?\s*:?\s*/i, ''));
    const first: Line[] = rest.length > 0 && isAddressLine(rest) ? [{ page: line.page, text: rest }] : [];
    const block = [...first, ...addressBlock(lines, i + 1)];
    if (block.length > 0) return block;
  }
  return [];
}

function extractCompany(pages: readonly FieldPage[], options: FieldExtractionOptions): FieldExtraction {
  const lines = toLines(pages);
  const sink = new FieldSink();
  sink.setFound('companyName', valueAfter(lines, COMPANY_NAME_LABEL) ?? certifiedCompanyName(lines));
  sink.setFound('registrationNumber', valueAfter(lines, REGISTRATION_LABEL), registrationNumber);
  sink.setFound('incorporationDate', dateAfterLabel(lines, INCORPORATION_LABEL, options));
  const office = officeAddress(lines);
  if (office.length > 0) {
    sink.set('registeredOffice', office.map((l) => l.text).join(', '), { source: 'text', page: office[0]?.page, text: office.map((l) => l.text).join('\n') });
  }
  return { fields: sink.fields, evidence: sink.evidence, visual: {} };
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Fields of a document of the given type, from its pages of text. */
export function extractFieldsByRules(
  type: DocumentType,
  pages: readonly FieldPage[],
  options: FieldExtractionOptions,
): FieldExtraction {
  if (IDENTITY_TYPES.includes(type)) return extractIdentity(type, pages, options);
  if (PROOF_OF_ADDRESS_TYPES.includes(type)) return extractProofOfAddress(pages, options);
  if (type === 'company_registration') return extractCompany(pages, options);
  return { fields: {}, evidence: {}, visual: {} };
}

/**
 * Adds a model's fields where the rules found nothing (source `model`). Rule values, and above all
 * MRZ values protected by check digits, are never overwritten.
 */
export function mergeModelFields(rules: FieldExtraction, model: Fields): FieldExtraction {
  const fields: Fields = { ...rules.fields };
  const evidence: FieldEvidenceMap = { ...rules.evidence };
  for (const [name, value] of Object.entries(model) as Array<[FieldName, string | undefined]>) {
    if (value === undefined || value.length === 0 || fields[name] !== undefined) continue;
    fields[name] = value;
    evidence[name] = { source: 'model' };
  }
  return { ...rules, fields, evidence };
}
