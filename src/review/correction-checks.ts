/**
 * What a reviewer's corrected values contradict: a pure function, safe to call from the case
 * workflow (no I/O, no clock, no randomness) and unit-tested without Temporal.
 *
 * The checks re-run after a correction see the corrected fields, not the MRZ band, so on their own
 * they would take a typed value as given. This adds the verdict they cannot reach, as the check
 * `correction_matches_evidence` on each corrected document:
 *
 * - against the document's own MRZ: a corrected document number, birth date or expiry date that
 *   differs from the MRZ value, where that value is verified by its check digit (`read`,
 *   `repaired`) or by an independent reading (`corroborated`). An MRZ field that is `unverified` or
 *   `failed` may well be what the reviewer is fixing, so it is not held against the correction.
 *   Dates are compared as the MRZ holds them (YYMMDD): the MRZ does not say the century. Names,
 *   nationality and sex are not compared: no check digit protects them and the MRZ transliterates
 *   and truncates names, so a typed "Müller" against "MUELLER" is no contradiction.
 * - against the other identity documents of the case: a corrected birth date that differs from
 *   another identity document's (one not in doubt), and a corrected document number that differs
 *   from another document of the same type (front and back of one card, sent as two files).
 *
 * A contradiction fails the check, with a detail naming the field in words ("Expiry date"), never the
 * values (they are PII).
 * Corrections that were compared and agree pass it. A later correction of the same document keeps
 * the earlier contradictions in its verdict: correcting another field does not clear them.
 */
import type { CheckId } from '../domain/check-ids.js';
import type { DocumentType, FieldName, MrzFieldStatus } from '../domain/documents.js';
import { IDENTITY_TYPES } from '../domain/documents.js';
import type { Check, DocumentReport } from '../domain/report.js';
import { en } from './messages/en.js';
import type { FieldCorrection } from './types.js';

export const CORRECTION_CHECK_ID = 'correction_matches_evidence' satisfies CheckId;

/** The detail's phrase for a value the MRZ contradicts (the web page and tests look for it). */
export const DIFFERS_FROM_MRZ = 'corrected value differs from the MRZ';

/** The fields a check digit protects, and so the only ones a correction is held against the MRZ on. */
export const MRZ_COMPARED_FIELDS: readonly FieldName[] = ['documentNumber', 'dateOfBirth', 'expiryDate'];

const VERIFIED: readonly MrzFieldStatus[] = ['read', 'repaired', 'corroborated'];
const DOUBTFUL: readonly MrzFieldStatus[] = ['failed', 'unverified'];

/** Words for the detail, from the English catalogue: check details are English text (src/domain/checks.ts). */
const fieldWords = (field: FieldName): string => en.fields[field];
const kindWords = (type: DocumentType): string => {
  const words = en.documentTypes[type];
  return words.charAt(0).toLowerCase() + words.slice(1);
};

/** What is read of a document: its fields, their evidence and the MRZ field statuses. */
export type CorrectableDocument = Pick<DocumentReport, 'documentId' | 'file' | 'type' | 'fields' | 'evidence' | 'mrzFieldStatus'>;

export interface CorrectionCheckInput {
  /** The case's documents before these corrections. */
  documents: readonly CorrectableDocument[];
  corrections: readonly FieldCorrection[];
  /** The case's checks before these corrections: an earlier contradiction on a document stays. */
  previous?: readonly Check[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function normalisedNumber(value: string): string {
  return value.toUpperCase().replace(/[\s<-]/g, '');
}

function isDate(field: FieldName): boolean {
  return field === 'dateOfBirth' || field === 'expiryDate';
}

/**
 * The value the document's MRZ vouches for, when it vouches for one: the engine's own value (not
 * an earlier correction's) of a protected field whose MRZ status is verified. A date may carry the
 * printed century (evidence `text`) while its YYMMDD is the MRZ's; a number must come from the MRZ.
 */
function verifiedMrzValue(doc: CorrectableDocument, field: FieldName): string | undefined {
  if (!MRZ_COMPARED_FIELDS.includes(field)) return undefined;
  const status = doc.mrzFieldStatus?.[field as keyof NonNullable<CorrectableDocument['mrzFieldStatus']>];
  if (!status || !VERIFIED.includes(status)) return undefined;
  const value = doc.fields[field];
  const source = doc.evidence[field]?.source;
  if (value === undefined || source === undefined || source === 'reviewer') return undefined;
  if (source !== 'mrz' && !(isDate(field) && source === 'text' && ISO_DATE.test(value))) return undefined;
  return value;
}

function sameAsMrz(field: FieldName, mrz: string, corrected: string): boolean {
  if (isDate(field)) return ISO_DATE.test(mrz) && ISO_DATE.test(corrected.trim()) && mrz.slice(2) === corrected.trim().slice(2);
  return normalisedNumber(mrz) === normalisedNumber(corrected);
}

/** Another identity document's value for the field, when it is not in doubt. */
function otherValue(doc: CorrectableDocument, field: FieldName, corrected: ReadonlySet<string>): string | undefined {
  const value = doc.fields[field];
  if (value === undefined || (isDate(field) && !ISO_DATE.test(value.trim()))) return undefined;
  if (corrected.has(`${doc.documentId}:${field}`) || doc.evidence[field]?.source === 'reviewer') return value;
  const status = doc.mrzFieldStatus?.[field as keyof NonNullable<CorrectableDocument['mrzFieldStatus']>];
  return status && DOUBTFUL.includes(status) ? undefined : value;
}

/** The other documents a corrected field is compared with, and how two values are the same. */
function crossDocumentComparison(field: FieldName, doc: CorrectableDocument, other: CorrectableDocument): ((a: string, b: string) => boolean) | undefined {
  if (!IDENTITY_TYPES.includes(doc.type) || !IDENTITY_TYPES.includes(other.type)) return undefined;
  if (field === 'dateOfBirth') return (a, b) => a.trim() === b.trim();
  if (field === 'documentNumber' && doc.type === other.type) return (a, b) => normalisedNumber(a) === normalisedNumber(b);
  return undefined;
}

const KEPT_SUFFIX = /\s\(kept:[^)]*\)$/;

/** The contradictions an earlier correction's failed verdict named, one per `; `-separated part. */
function earlierContradictions(previous: readonly Check[], file: string): string[] {
  return previous
    .filter((c) => c.id === CORRECTION_CHECK_ID && c.file === file && c.status === 'fail')
    .flatMap((c) => c.detail.replace(KEPT_SUFFIX, '').split('; '))
    .filter((part) => part.length > 0);
}

/** One corrected value that contradicts what the engine verified: the document's MRZ, or another document. */
export interface Contradiction {
  documentId: string;
  file: string;
  field: FieldName;
  /** `mrz`: the document's own MRZ; otherwise the type of the other identity document. */
  against: 'mrz' | DocumentType;
  /** The other document, when `against` is one. */
  otherFile?: string;
}

interface Judged {
  doc: CorrectableDocument;
  contradictions: Contradiction[];
  /** What the document's corrections were compared with and agree with. */
  agreeing: Set<string>;
}

function judge(documents: readonly CorrectableDocument[], corrections: readonly FieldCorrection[]): Judged[] {
  // The last correction of a field wins, as the workflow applies them in order.
  const latest = new Map<string, FieldCorrection>();
  for (const c of corrections) latest.set(`${c.documentId}:${c.field}`, c);
  const after = documents.map((doc) => {
    const fields = { ...doc.fields };
    for (const c of latest.values()) if (c.documentId === doc.documentId) fields[c.field] = c.value;
    return { ...doc, fields };
  });
  const correctedKeys = new Set(latest.keys());

  return documents.flatMap((doc): Judged[] => {
    const mine = [...latest.values()].filter((c) => c.documentId === doc.documentId);
    if (mine.length === 0) return [];
    const contradictions: Contradiction[] = [];
    const agreeing = new Set<string>();
    for (const c of mine) {
      const base = { documentId: doc.documentId, file: doc.file, field: c.field };
      const mrz = verifiedMrzValue(doc, c.field);
      if (mrz !== undefined) {
        if (sameAsMrz(c.field, mrz, c.value)) agreeing.add('the MRZ');
        else contradictions.push({ ...base, against: 'mrz' });
      }
      for (const other of after) {
        if (other.documentId === doc.documentId) continue;
        const same = crossDocumentComparison(c.field, doc, other);
        const value = same && otherValue(other, c.field, correctedKeys);
        if (!same || value === undefined) continue;
        if (same(c.value, value)) agreeing.add(`the ${kindWords(other.type)}`);
        else contradictions.push({ ...base, against: other.type, otherFile: other.file });
      }
    }
    return [{ doc, contradictions, agreeing }];
  });
}

/** The contradiction in words, as the check's detail says it. */
export function contradictionText(c: Pick<Contradiction, 'field' | 'against'>): string {
  return c.against === 'mrz' ? `${fieldWords(c.field)}: ${DIFFERS_FROM_MRZ}` : `${fieldWords(c.field)}: corrected value differs from the ${kindWords(c.against)}`;
}

/**
 * Each corrected value that contradicts a verified MRZ value or another identity document: what
 * the reviewer's page warns about before the decision is sent (the same rule the workflow applies).
 */
export function correctionContradictions(input: Omit<CorrectionCheckInput, 'previous'>): Contradiction[] {
  return judge(input.documents, input.corrections).flatMap((j) => j.contradictions);
}

/**
 * One `correction_matches_evidence` verdict per corrected document where anything could be
 * compared (or an earlier contradiction stands), in the documents' order. Merge the result with
 * the re-run checks before `checksAfterCorrections`: a verdict here replaces the same document's
 * earlier one, and carries that one's contradictions along.
 */
export function correctionChecks(input: CorrectionCheckInput): Check[] {
  const { previous = [] } = input;
  return judge(input.documents, input.corrections).flatMap(({ doc, contradictions, agreeing }): Check[] => {
    const unique = [...new Set([...earlierContradictions(previous, doc.file), ...contradictions.map(contradictionText)])];
    if (unique.length > 0) return [{ id: CORRECTION_CHECK_ID, status: 'fail', detail: unique.join('; '), file: doc.file }];
    if (agreeing.size === 0) return [];
    return [{ id: CORRECTION_CHECK_ID, status: 'pass', detail: `corrected values agree with ${[...agreeing].join(' and ')}`, file: doc.file }];
  });
}
