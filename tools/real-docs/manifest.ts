/**
 * The real-document manifest (manifest.json beside this file): its types, the split rule, the checks that
 * keep it honest, and the labels.json it turns into. Pure: no I/O, so a unit test can hold it to its rules.
 */
import { createHash } from 'node:crypto';

export const SPLITS = ['dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export const KINDS = [
  'passport', 'id_card', 'visa', 'residence permit', 'driving licence',
  'utility bill', 'bank statement', 'payslip', 'invoice', 'other',
] as const;

export interface PackageEntry {
  id: string;
  registry: 'pypi' | 'npm';
  name: string;
  version: string;
  kind: 'sdist' | 'wheel' | 'tarball';
  /** The archive's file name as the client saves it. */
  file: string;
  sha256: string;
  licence: string;
}

export interface CheckDigit {
  printed: string;
  computed: string;
}

export interface MrzTruth {
  format: 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';
  /** The lines as printed, read by hand. */
  lines: string[];
  checkDigits: Record<string, CheckDigit>;
  allCheckDigitsCorrect: boolean;
  /** Whether the MRZ's values match the printed visual zone; null when there is no visual zone. */
  agreesWithVisualZone: boolean | null;
}

export interface DocumentEntry {
  id: string;
  /** The same page in several files shares a group, and so a split. */
  group: string;
  split: Split;
  kind: (typeof KINDS)[number];
  package: string;
  /** Path inside the package archive. */
  path: string;
  sha256: string;
  /** File name inside the case folder. */
  fileName: string;
  licence: string;
  truth: { type: string; fields: Record<string, string>; mrz?: MrzTruth };
  applicant: Record<string, string>;
  expected: { decision: 'approved' | 'review' | 'rejected'; reasons: string[] };
}

export interface Manifest {
  asOf: string;
  seed: number;
  packages: PackageEntry[];
  documents: DocumentEntry[];
}

/** labels.json of one split, in the eval's CorpusLabels shape. */
export interface SplitLabels {
  asOf: string;
  seed: number;
  cases: Record<string, { decision: string; reasons: string[]; documents: Record<string, { type: string; fields: Record<string, string>; flags?: string[] }> }>;
}

/** The split rule, fixed before the engine ran on any document: parity of the first byte of a salted hash. */
export function splitOf(group: string): Split {
  const first = createHash('sha256').update(`real-docs-v1:${group}`).digest()[0] as number;
  return first % 2 === 0 ? 'dev' : 'test';
}

/** ICAO 9303 check digit: weights 7, 3, 1; digits as themselves, A–Z as 10–35, `<` as 0. */
export function checkDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i] as string;
    const value = c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += value * ([7, 3, 1][i % 3] as number);
  }
  return String(sum % 10);
}

/** The check-digit positions of a TD3 data line (0-based start, length): field, then its digit. */
const TD3_FIELDS: Record<string, [number, number]> = {
  documentNumber: [0, 9],
  dateOfBirth: [13, 6],
  expiryDate: [21, 6],
  personalNumber: [28, 14],
};

/** Each check digit of a TD3 MRZ: the printed one and the one its field gives. */
export function td3CheckDigits(line2: string): Record<string, CheckDigit> {
  const digits: Record<string, CheckDigit> = {};
  for (const [name, [start, length]] of Object.entries(TD3_FIELDS)) {
    digits[name] = { printed: line2[start + length] as string, computed: checkDigit(line2.slice(start, start + length)) };
  }
  const composite = line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43);
  digits.composite = { printed: line2[43] as string, computed: checkDigit(composite) };
  return digits;
}

const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REJECTIONS = ['expired_document', 'underage'];

export interface Vocabulary {
  documentTypes: readonly string[];
  fieldNames: readonly string[];
  reasons: readonly string[];
}

/** Everything that would make the manifest dishonest or unscorable; empty when it is sound. */
export function checkManifest(manifest: Manifest, vocabulary?: Vocabulary): string[] {
  const problems: string[] = [];
  const packages = new Set(manifest.packages.map((p) => p.id));
  const ids = new Set<string>();
  for (const doc of manifest.documents) {
    const at = (text: string): void => void problems.push(`${doc.id}: ${text}`);
    if (ids.has(doc.id)) at('duplicate id');
    ids.add(doc.id);
    if (!CASE_ID.test(doc.id)) at('not a valid case id');
    if (doc.split !== splitOf(doc.group)) at(`split ${doc.split}, the rule says ${splitOf(doc.group)}`);
    if (!packages.has(doc.package)) at(`unknown package ${doc.package}`);
    if (!/^[0-9a-f]{64}$/.test(doc.sha256)) at('sha256 missing');
    if (!(KINDS as readonly string[]).includes(doc.kind)) at(`kind ${doc.kind}`);
    if (doc.fileName === 'applicant.json' || doc.fileName.startsWith('.') || doc.fileName.includes('/')) at(`file name ${doc.fileName}`);
    if (!doc.licence) at('licence not recorded');
    const { decision, reasons } = doc.expected;
    const implied = reasons.some((r) => REJECTIONS.includes(r)) ? 'rejected' : reasons.length > 0 ? 'review' : 'approved';
    if (implied !== decision) at(`reasons imply ${implied}, labelled ${decision}`);
    if (vocabulary) {
      if (!vocabulary.documentTypes.includes(doc.truth.type)) at(`type ${doc.truth.type} is not a document type`);
      for (const field of Object.keys(doc.truth.fields)) if (!vocabulary.fieldNames.includes(field)) at(`field ${field} unknown`);
      for (const reason of reasons) if (!vocabulary.reasons.includes(reason)) at(`reason ${reason} unknown`);
    }
    const mrz = doc.truth.mrz;
    if (mrz?.format === 'TD3') {
      if (mrz.lines.length !== 2 || mrz.lines.some((l) => l.length !== 44)) at('TD3 MRZ needs two lines of 44');
      else {
        const digits = td3CheckDigits(mrz.lines[1] as string);
        for (const [name, digit] of Object.entries(digits)) {
          const recorded = mrz.checkDigits[name];
          if (recorded?.printed !== digit.printed || recorded.computed !== digit.computed) at(`MRZ ${name} check digit recorded wrongly`);
        }
        const allRight = Object.values(digits).every((d) => d.printed === d.computed);
        if (allRight !== mrz.allCheckDigitsCorrect) at('allCheckDigitsCorrect disagrees with the lines');
        if (!allRight && !reasons.includes('mrz_checksum')) at('a wrong printed check digit must expect mrz_checksum');
      }
    }
  }
  return problems;
}

/** Reasons that belong to the case (what is missing from it), not to the document in it. */
const CASE_REASONS = ['missing_identity', 'missing_proof_of_address'];

/**
 * labels.json for one split: one case per document. A document's `flags` are the expected reasons it
 * causes itself (an expired passport, a wrong printed check digit, a stale bill), as the generated
 * corpora label them; the eval reads `mrz_checksum` there to count wrong printed digits that did not fail.
 */
export function splitLabels(manifest: Manifest, split: Split): SplitLabels {
  const cases: SplitLabels['cases'] = {};
  for (const doc of manifest.documents.filter((d) => d.split === split)) {
    cases[doc.id] = {
      decision: doc.expected.decision,
      reasons: [...doc.expected.reasons],
      documents: { [doc.fileName]: documentLabel(doc) },
    };
  }
  return { asOf: manifest.asOf, seed: manifest.seed, cases };
}

function documentLabel(doc: DocumentEntry): { type: string; fields: Record<string, string>; flags?: string[] } {
  const flags = doc.expected.reasons.filter((r) => !CASE_REASONS.includes(r));
  return { type: doc.truth.type, fields: { ...doc.truth.fields }, ...(flags.length > 0 ? { flags } : {}) };
}
