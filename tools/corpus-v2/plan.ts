/**
 * Corpus v2: what every applicant submits and what every document prints, decided before rendering.
 * Labels are derived from these specs only, i.e. from what is printed.
 */
import anyAscii from 'any-ascii';
import { composeIBAN, isValidIBAN } from 'ibantools';

import type { CaseLabel, CorpusLabels, DecisionReason, DeclaredApplicant, DocumentLabel } from '../../src/corpus/specs.js';
import { decisionFor } from '../../src/corpus/specs.js';
import { Rng, hashString } from '../../src/corpus/random.js';
import type { Fields } from '../../src/domain/documents.js';
import { mrv, td1, td3, type MrzData } from './mrz.js';
import type { IdDateStyle, PaperDateStyle } from './words.js';
import type { Address, Country, Issuer, Lang, Person } from './world.js';
import { ALPHA3, BBAN, COUNTRIES, LANG, foreignPerson, icaoCode, otherSurname, randomAddress, randomIssuer, randomPerson } from './world.js';

export const V2_DEFAULTS = { seed: 7301, applicants: 40, asOf: '2026-10-15' } as const;

/** How the document reaches the bank. */
export type Capture =
  | { medium: 'text-pdf' }
  | { medium: 'scan-pdf' | 'scan-png' | 'photo' | 'lowres'; rotate: 0 | 90 | 180 | 270; exif: boolean };

export type IdKind = 'passport' | 'id_card' | 'driving_licence' | 'visa';
export type PaperKind = 'utility_bill' | 'bank_statement' | 'payslip' | 'invoice' | 'bank_details' | 'blank_form';

export interface IdDoc {
  family: 'id';
  kind: IdKind;
  fileName: string;
  layout: number;
  capture: Capture;
  /** Country whose language and design the document uses (the issuing state for our countries). */
  country: Country;
  issuingAlpha3: string;
  holder: Person;
  documentNumber: string;
  issueDate: string;
  expiryDate: string;
  dateStyle: IdDateStyle;
  authority: string;
  mrz?: string[];
  /** Driving licences: printed address (layouts 0 and 1), categories. */
  address?: Address;
  categories?: string;
  visaKind?: 'A' | 'B';
  wrongCheckDigit?: boolean;
  flags: DecisionReason[];
}

export interface PaperDoc {
  family: 'paper';
  kind: PaperKind;
  fileName: string;
  layout: number;
  capture: Capture;
  country: Country;
  lang: Lang;
  issuer: Issuer;
  /** Addressee as printed (name without salutation) and the salutation, if any. */
  givenNames: string;
  surname: string;
  nameStyle: 'natural' | 'upper' | 'surname-first';
  salutation: string;
  address: Address;
  documentDate: string;
  dateStyle: PaperDateStyle;
  iban?: string;
  reference: string;
  flags: DecisionReason[];
}

export type DocSpec = IdDoc | PaperDoc;

export interface CaseV2 {
  caseId: string;
  reasons: DecisionReason[];
  applicant: DeclaredApplicant;
  documents: DocSpec[];
}

export interface PlanV2 {
  seed: number;
  asOf: string;
  cases: CaseV2[];
}

// ---------------------------------------------------------------------------------------------
// Dates

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const day = m === '02' && d === '29' ? '28' : d;
  return `${String(Number(y) + years).padStart(4, '0')}-${m}-${day}`;
}

// ---------------------------------------------------------------------------------------------
// Case outcomes

type Outcome = 'clean' | 'clean-extra' | 'foreign-visa' | 'expired' | 'underage' | 'name' | 'address' | 'stale' | 'check-digit' | 'iban' | 'not-poa';

/** The mix for 40 applicants; other sizes take the same proportions (rounded, at least one of each past 20). */
const MIX: ReadonlyArray<readonly [Outcome, number]> = [
  ['clean', 10], ['clean-extra', 3], ['foreign-visa', 2], ['expired', 3], ['underage', 3], ['name', 4], ['address', 4],
  ['stale', 4], ['check-digit', 3], ['iban', 2], ['not-poa', 2],
];

function outcomes(count: number, rng: Rng): Outcome[] {
  const total = MIX.reduce((s, [, n]) => s + n, 0);
  const list: Outcome[] = [];
  for (const [outcome, n] of MIX) for (let i = 0; i < Math.max(count >= 20 ? 1 : 0, Math.round((n * count) / total)); i++) list.push(outcome);
  while (list.length < count) list.push('clean');
  return rng.shuffle(list).slice(0, count);
}

// ---------------------------------------------------------------------------------------------
// Captures: a deck per family, so that every kind appears in a corpus of forty.

const ID_DECK: Capture[] = [
  { medium: 'photo', rotate: 0, exif: false }, { medium: 'photo', rotate: 0, exif: false }, { medium: 'photo', rotate: 0, exif: false },
  { medium: 'photo', rotate: 0, exif: true }, { medium: 'scan-png', rotate: 0, exif: false }, { medium: 'scan-pdf', rotate: 0, exif: false },
  { medium: 'scan-pdf', rotate: 0, exif: false }, { medium: 'lowres', rotate: 0, exif: false }, { medium: 'scan-png', rotate: 90, exif: false },
  { medium: 'photo', rotate: 180, exif: false }, { medium: 'scan-pdf', rotate: 270, exif: false }, { medium: 'scan-png', rotate: 0, exif: false },
];
const PAPER_DECK: Capture[] = [
  { medium: 'text-pdf' }, { medium: 'text-pdf' }, { medium: 'text-pdf' }, { medium: 'text-pdf' },
  { medium: 'scan-pdf', rotate: 0, exif: false }, { medium: 'scan-pdf', rotate: 0, exif: false }, { medium: 'photo', rotate: 0, exif: false },
  { medium: 'photo', rotate: 0, exif: false }, { medium: 'scan-png', rotate: 0, exif: false }, { medium: 'scan-pdf', rotate: 90, exif: false },
];

class Deck<T> {
  private order: T[] = [];
  constructor(private readonly items: readonly T[], private readonly rng: Rng) {}
  next(): T {
    if (this.order.length === 0) this.order = this.rng.shuffle([...this.items]);
    return this.order.pop() as T;
  }
}

// ---------------------------------------------------------------------------------------------
// Text printable in a text-layer PDF with the standard fonts (WinAnsi): other letters lose their marks.

const WIN_ANSI_EXTRA = new Set('ŒœŠšŽžŸƒ€'.split(''));
export function winAnsi(text: string): string {
  return [...text].map((c) => (c.charCodeAt(0) < 256 || WIN_ANSI_EXTRA.has(c) ? c : anyAscii(c))).join('');
}

// ---------------------------------------------------------------------------------------------
// Identity documents

const up = (rng: Rng, n: number, alphabet = 'ABCDEFGHJKLMNPRSTUVWXYZ'): string => Array.from({ length: n }, () => rng.pick(alphabet.split(''))).join('');

function passportNumber(rng: Rng, alpha3: string): string {
  switch (alpha3) {
    case 'GBR': return rng.digits(9);
    case 'FRA': return `${rng.digits(2)}${up(rng, 2)}${rng.digits(5)}`;
    case 'DEU': return `C${up(rng, 8, 'CFGHJKLMNPRTVWXYZ0123456789')}`;
    case 'ESP': return `${up(rng, 3)}${rng.digits(6)}`;
    case 'ITA': return `Y${up(rng, 1)}${rng.digits(7)}`;
    case 'NLD': return `N${up(rng, 2, 'BCDFGHJKLMNPRSTVWXYZ')}${up(rng, 2, 'BCDFGHJKLMNPRSTVWXYZ0123456789')}${up(rng, 2, 'BCDFGHJKLMNPRSTVWXYZ')}${rng.digits(1)}${rng.digits(1)}`;
    case 'POL': return `E${up(rng, 1)}${rng.digits(7)}`;
    case 'PRT': return `${up(rng, 1)}${rng.digits(6)}`;
    default: return `${up(rng, 2)}${rng.digits(7)}`;
  }
}

function cardNumber(rng: Rng, alpha3: string): string {
  switch (alpha3) {
    case 'DEU': return `L${up(rng, 8, 'CFGHJKLMNPRTVWXYZ0123456789')}`;
    case 'FRA': return up(rng, 9, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789');
    case 'ITA': return `C${up(rng, 1)}${rng.digits(5)}${up(rng, 2)}`;
    case 'NLD': return `I${up(rng, 8, 'BCDFGHJKLMNPRSTVWXYZ0123456789')}`;
    default: return `${up(rng, 3)}${rng.digits(6)}`;
  }
}

function licenceNumber(rng: Rng, p: Person, country: Country): string {
  switch (country) {
    case 'GB': {
      const s = anyAscii(p.surname).toUpperCase().replace(/[^A-Z]/g, '').padEnd(5, '9').slice(0, 5);
      const [y, m, d] = p.dateOfBirth.split('-') as [string, string, string];
      const month = p.sex === 'F' ? String(Number(m) + 50) : m;
      return `${s}${y[2]}${month}${d}${y[3]}${anyAscii(p.givenNames).toUpperCase()[0]}9${up(rng, 2, 'ABCDEFGHJKLMNPRSTUVWXYZ')}`;
    }
    case 'FR': return `${rng.digits(2)}${up(rng, 2)}${rng.digits(5)}`;
    case 'DE': return `${up(rng, 1)}${rng.digits(3)}${up(rng, 4, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789')}${rng.digits(2)}`;
    case 'ES': return `${rng.digits(8)}${up(rng, 1, 'TRWAGMYFPDXBNJZSQVHLCKE')}`;
    case 'IT': return `${up(rng, 2)}${rng.digits(7)}${up(rng, 1)}`;
    case 'NL': return rng.digits(10);
    case 'PL': return `${rng.digits(5)}/${rng.digits(2)}/${rng.digits(4)}`;
    case 'PT': return `${up(rng, 1)}-${rng.digits(6)} ${rng.digits(1)}`;
  }
}

const AUTHORITY: Record<Country, (rng: Rng, p: Person) => string> = {
  GB: () => 'HMPO', FR: (_, p) => `Préfecture de ${p.address.lines[1]?.replace(/^\S+\s/, '') ?? 'Paris'}`, DE: (_, p) => `Stadt ${p.address.lines[1]?.replace(/^\S+\s/, '') ?? ''}`,
  ES: () => 'DGP', IT: () => 'Ministero dell\'Interno', NL: () => 'Burgemeester', PL: () => 'Minister Spraw Wewnętrznych', PT: () => 'SEF',
};

function identityDoc(args: {
  rng: Rng; kind: IdKind; holder: Person; country: Country; issuingAlpha3: string; asOf: string; capture: Capture; fileName: string;
  expired?: boolean; wrongDigit?: boolean; flags: DecisionReason[]; layout: number;
}): IdDoc {
  const { rng, kind, holder, asOf } = args;
  const years = kind === 'driving_licence' ? (args.country === 'GB' ? 10 : 15) : addYears(holder.dateOfBirth, 18) > asOf ? 5 : 10;
  const expiryDate = args.expired ? addDays(asOf, -rng.int(15, 400)) : addDays(asOf, rng.int(120, years * 365 - 200));
  const issueDate = addDays(addYears(expiryDate, -years), 1);
  const documentNumber = kind === 'passport' ? passportNumber(rng, args.issuingAlpha3)
    : kind === 'id_card' ? cardNumber(rng, args.issuingAlpha3)
      : kind === 'visa' ? rng.digits(9)
        : licenceNumber(rng, holder, args.country);
  const doc: IdDoc = {
    family: 'id', kind, fileName: args.fileName, layout: args.layout, capture: args.capture, country: args.country,
    issuingAlpha3: args.issuingAlpha3, holder, documentNumber, issueDate, expiryDate,
    dateStyle: rng.pick(['spaced', 'dots', 'mon', 'slashes'] as const),
    authority: kind === 'driving_licence' && args.country === 'GB' ? 'DVLA' : args.issuingAlpha3 !== ALPHA3[args.country] && kind === 'passport' ? 'Ministry of Foreign Affairs' : AUTHORITY[args.country](rng, holder),
    flags: args.flags,
  };
  if (kind === 'visa') {
    // A visa is valid for months, not years, and issued by the country of residence.
    doc.issueDate = addDays(asOf, -rng.int(20, 120));
    doc.expiryDate = addDays(doc.issueDate, rng.int(300, 360));
    doc.visaKind = rng.chance(0.5) ? 'A' : 'B';
  }
  if (kind === 'driving_licence') {
    doc.categories = rng.pick(['AM/B1/B', 'B', 'A1/A2/B/BE', 'AM/B/C1']);
    if (doc.layout !== 2) doc.address = holder.address;
  }
  if (kind !== 'driving_licence') {
    const data: MrzData = {
      code: kind === 'passport' ? 'P<' : kind === 'visa' ? 'V<' : args.issuingAlpha3 === 'FRA' ? 'ID' : 'I<',
      issuer: icaoCode(args.issuingAlpha3), surname: holder.surname, givenNames: holder.givenNames, documentNumber,
      nationality: icaoCode(holder.nationality), dateOfBirth: holder.dateOfBirth, sex: holder.sex, expiryDate: doc.expiryDate,
      ...(args.wrongDigit ? { wrongDigit: true } : {}),
    };
    doc.mrz = kind === 'passport' ? td3(data) : kind === 'id_card' ? td1(data) : mrv(data, doc.visaKind ?? 'A');
    if (args.wrongDigit) doc.wrongCheckDigit = true;
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Paper documents

function iban(rng: Rng, country: Country, valid: boolean): string {
  for (;;) {
    const candidate = composeIBAN({ countryCode: country, bban: BBAN[country](rng) });
    if (!candidate || !isValidIBAN(candidate)) continue;
    if (valid) return candidate;
    // Change one digit of the account part: mod-97 then fails (a one-digit change always does).
    const at = candidate.length - 1 - rng.int(0, 5);
    const digit = candidate[at] as string;
    if (!/\d/.test(digit)) continue;
    const wrong = `${candidate.slice(0, at)}${(Number(digit) + rng.int(1, 9)) % 10}${candidate.slice(at + 1)}`;
    if (!isValidIBAN(wrong)) return wrong;
  }
}

const SALUTATIONS: Record<Lang, { M: string[]; F: string[] }> = {
  en: { M: ['Mr', 'Mr.'], F: ['Ms', 'Mrs'] }, fr: { M: ['M.', 'Monsieur'], F: ['Mme', 'Madame'] }, de: { M: ['Herrn', 'Herr'], F: ['Frau'] },
  es: { M: ['D.', 'Sr.'], F: ['Dña.', 'Sra.'] }, it: { M: ['Sig.', 'Egr. Sig.'], F: ['Sig.ra', 'Gent.ma Sig.ra'] }, nl: { M: ['Dhr.', 'De heer'], F: ['Mevr.', 'Mevrouw'] },
  pl: { M: ['Pan'], F: ['Pani'] }, pt: { M: ['Exmo. Sr.', 'Sr.'], F: ['Exma. Sra.', 'Sra.'] },
};

function paperDoc(args: {
  rng: Rng; kind: PaperKind; person: Person; country: Country; asOf: string; capture: Capture; fileName: string;
  stale?: boolean; invalidIban?: boolean; flags: DecisionReason[]; layout: number;
}): PaperDoc {
  const { rng, kind, person, country, capture } = args;
  const lang = LANG[country];
  const issuerKind = kind === 'utility_bill' ? 'utility' : kind === 'payslip' ? 'employer' : kind === 'invoice' ? 'shop' : 'bank';
  const documentDate = args.stale ? addDays(args.asOf, -rng.int(110, 320)) : addDays(args.asOf, -rng.int(4, 70));
  const fold = capture.medium === 'text-pdf' ? winAnsi : (s: string): string => s;
  const doc: PaperDoc = {
    family: 'paper', kind, fileName: args.fileName, layout: args.layout, capture, country, lang,
    issuer: randomIssuer(rng, country, issuerKind),
    givenNames: fold(person.givenNames), surname: fold(person.surname),
    nameStyle: rng.weighted([['natural', 5], ['upper', 3], ['surname-first', 2]] as const),
    salutation: rng.chance(0.5) ? rng.pick(SALUTATIONS[lang][person.sex]) : '',
    address: { lines: person.address.lines.map(fold) },
    documentDate, dateStyle: rng.chance(0.5) ? 'long' : 'numeric',
    reference: `${rng.digits(3)}${rng.pick(['-', ' ', ''])}${rng.digits(4)}${rng.pick(['-', ''])}${rng.digits(3)}`,
    flags: args.flags,
  };
  doc.issuer = { ...doc.issuer, name: fold(doc.issuer.name), address: { lines: doc.issuer.address.lines.map(fold) } };
  if (kind === 'bank_statement' || kind === 'bank_details') doc.iban = iban(rng, country, !args.invalidIban);
  if (kind === 'blank_form') doc.layout = 0;
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Cases

const PHOTO_NAMES = ['IMG_', 'PXL_', 'photo_', 'WhatsApp Image '];

function fileName(rng: Rng, capture: Capture, stem: string, used: Set<string>): string {
  let name: string;
  do {
    const ext = capture.medium === 'text-pdf' || capture.medium === 'scan-pdf' ? 'pdf' : capture.medium === 'scan-png' ? 'png' : 'jpg';
    const base = capture.medium === 'photo' || capture.medium === 'lowres' ? `${rng.pick(PHOTO_NAMES)}${rng.digits(8)}_${rng.digits(4)}`
      : capture.medium === 'text-pdf' ? `${stem}-${rng.digits(4)}` : `scan${rng.digits(4)}`;
    name = `${base}.${ext}`;
  } while (used.has(name));
  used.add(name);
  return name;
}

function declaredAddress(address: Address): string {
  return address.lines.join(', ');
}

interface Decks {
  id: Deck<Capture>;
  paper: Deck<Capture>;
  /** Layouts taken in turn per document kind, so that each kind shows all three. */
  layouts: Map<string, number>;
}

function nextLayout(decks: Decks, kind: string): number {
  const n = decks.layouts.get(kind) ?? 0;
  decks.layouts.set(kind, n + 1);
  return n % 3;
}

function planOne(index: number, outcome: Outcome, seed: number, asOf: string, decks: Decks): CaseV2 {
  const rng = new Rng(hashString(`v2/${seed}/case-${index}`));
  const country = COUNTRIES[(index + seed) % COUNTRIES.length] as Country;
  const age = outcome === 'underage' ? rng.int(16, 17) : rng.int(20, 74);
  const dateOfBirth = addDays(addYears(asOf, -age), -rng.int(10, 350));
  const person = outcome === 'foreign-visa' ? foreignPerson(rng, country, dateOfBirth) : randomPerson(rng, country, dateOfBirth);
  const used = new Set<string>();
  const reasons: DecisionReason[] = [];
  const flag = (reason: DecisionReason): DecisionReason[] => {
    if (!reasons.includes(reason)) reasons.push(reason);
    return [reason];
  };

  // Identity document: passports for foreigners and for the MRZ cases, else a mix (GB issues no ID cards).
  const idKind: IdKind = outcome === 'foreign-visa' || outcome === 'check-digit' && rng.chance(0.6) ? 'passport'
    : outcome === 'check-digit' ? (country === 'GB' ? 'passport' : 'id_card')
      : rng.weighted([['passport', 4], ['id_card', country === 'GB' ? 0 : 3], ['driving_licence', outcome === 'underage' ? 0 : 3]] as const);
  const idCapture = decks.id.next();
  const documents: DocSpec[] = [];
  const issuingAlpha3 = person.nationality;
  documents.push(identityDoc({
    rng, kind: idKind, holder: person, country: outcome === 'foreign-visa' ? 'GB' : country, issuingAlpha3: idKind === 'driving_licence' ? ALPHA3[country] : issuingAlpha3,
    asOf, capture: idCapture, fileName: fileName(rng, idCapture, idKind, used),
    expired: outcome === 'expired', wrongDigit: outcome === 'check-digit', layout: nextLayout(decks, idKind),
    flags: outcome === 'expired' ? flag('expired_document') : outcome === 'underage' ? flag('underage') : outcome === 'check-digit' ? flag('mrz_checksum') : [],
  }));
  // A foreign passport uses the English layouts; its visa comes from the country of residence.
  if (outcome === 'foreign-visa') {
    const capture = decks.id.next();
    documents.push(identityDoc({ rng, kind: 'visa', holder: person, country, issuingAlpha3: ALPHA3[country], asOf, capture, fileName: fileName(rng, capture, 'visa', used), flags: [], layout: nextLayout(decks, 'visa') }));
  }

  // Proof of address.
  const poaKind: PaperKind = outcome === 'iban' ? 'bank_statement' : rng.weighted([['utility_bill', 4], ['bank_statement', 3], ['payslip', 3]] as const);
  const poaCapture = decks.paper.next();
  if (outcome === 'not-poa') {
    const kind: PaperKind = index % 2 === 0 ? 'invoice' : 'bank_details';
    documents.push(paperDoc({ rng, kind, person, country, asOf, capture: poaCapture, fileName: fileName(rng, poaCapture, kind, used), flags: [], layout: nextLayout(decks, kind) }));
    flag('missing_proof_of_address');
  } else {
    documents.push(paperDoc({
      rng, kind: poaKind, person, country, asOf, capture: poaCapture, fileName: fileName(rng, poaCapture, poaKind, used),
      stale: outcome === 'stale', invalidIban: outcome === 'iban', layout: nextLayout(decks, poaKind),
      flags: outcome === 'stale' ? flag('stale_proof_of_address') : outcome === 'iban' ? flag('invalid_iban') : [],
    }));
  }
  if (outcome === 'clean-extra') {
    const kind: PaperKind = (['blank_form', 'invoice', 'bank_details'] as const)[nextLayout(decks, 'extra-kind')] ?? 'invoice';
    const capture = decks.paper.next();
    documents.push(paperDoc({ rng, kind, person, country, asOf, capture, fileName: fileName(rng, capture, kind, used), flags: [], layout: nextLayout(decks, kind) }));
  }

  // The declaration.
  const surname = outcome === 'name' ? otherSurname(rng, person) : person.surname;
  if (outcome === 'name') flag('name_mismatch');
  let address = person.address;
  if (outcome === 'address') {
    do address = randomAddress(rng, country); while (address.lines[0] === person.address.lines[0] || address.lines[1] === person.address.lines[1]);
    flag('address_mismatch');
  }
  const natural = `${person.givenNames} ${surname}`;
  const fullName = outcome === 'name' ? natural : rng.weighted([[natural, 6], [natural.toUpperCase(), 1], [anyAscii(natural), 1]] as const);
  return {
    caseId: `v2-${String(index + 1).padStart(3, '0')}`,
    reasons: orderReasons(reasons),
    applicant: { fullName, dateOfBirth: person.dateOfBirth, address: declaredAddress(address), nationality: person.nationality },
    documents,
  };
}

const REASON_ORDER: readonly DecisionReason[] = [
  'expired_document', 'underage', 'missing_identity', 'missing_proof_of_address', 'unreadable_document', 'mrz_checksum', 'name_mismatch',
  'address_mismatch', 'stale_proof_of_address', 'sanctions_match', 'invalid_iban',
];
function orderReasons(reasons: DecisionReason[]): DecisionReason[] {
  return REASON_ORDER.filter((r) => reasons.includes(r));
}

export function planV2(options: { seed: number; applicants: number; asOf?: string }): PlanV2 {
  const asOf = options.asOf ?? V2_DEFAULTS.asOf;
  const rng = new Rng(hashString(`v2/${options.seed}/mix`));
  const decks: Decks = { id: new Deck(ID_DECK, rng.fork('id-deck')), paper: new Deck(PAPER_DECK, rng.fork('paper-deck')), layouts: new Map() };
  const list = outcomes(options.applicants, rng);
  return { seed: options.seed, asOf, cases: list.map((outcome, i) => planOne(i, outcome, options.seed, asOf, decks)) };
}

// ---------------------------------------------------------------------------------------------
// Labels: what is printed

export function labelFor(doc: DocSpec): DocumentLabel {
  const flags = doc.flags.length > 0 ? { flags: [...doc.flags] } : {};
  if (doc.family === 'id') {
    const h = doc.holder;
    const fields: Fields = {
      surname: h.surname, givenNames: h.givenNames, fullName: `${h.givenNames} ${h.surname}`, dateOfBirth: h.dateOfBirth,
      documentNumber: doc.documentNumber, issuingCountry: doc.issuingAlpha3, expiryDate: doc.expiryDate,
    };
    if (doc.kind !== 'visa') fields.issueDate = doc.issueDate;
    if (doc.kind !== 'driving_licence') Object.assign(fields, { nationality: h.nationality, sex: h.sex });
    if (doc.address) fields.address = doc.address.lines.join(', ');
    return { type: doc.kind as DocumentLabel['type'], fields, ...flags };
  }
  if (doc.kind === 'invoice' || doc.kind === 'bank_details' || doc.kind === 'blank_form') return { type: 'unknown', fields: {}, ...flags };
  const fields: Fields = { fullName: `${doc.givenNames} ${doc.surname}`, address: doc.address.lines.join(', '), statementDate: doc.documentDate };
  if (doc.iban) fields.iban = doc.iban;
  return { type: doc.kind, fields, ...flags };
}

export function caseLabelV2(spec: CaseV2): CaseLabel {
  const documents: Record<string, DocumentLabel> = {};
  for (const doc of spec.documents) documents[doc.fileName] = labelFor(doc);
  return { decision: decisionFor(spec.reasons), reasons: [...spec.reasons], documents };
}

export function labelsV2(plan: PlanV2): CorpusLabels {
  const cases: CorpusLabels['cases'] = {};
  for (const spec of plan.cases) cases[spec.caseId] = caseLabelV2(spec);
  return { asOf: plan.asOf, seed: plan.seed, cases };
}
