/**
 * Document, text and report types shared by workflows, activities and adapters.
 * Everything here is plain JSON so it can travel in Temporal payloads.
 */

import type { PageGeometry } from './geometry.js';

export const DOCUMENT_TYPES = [
  'passport',
  'id_card',
  'driving_licence',
  'utility_bill',
  'bank_statement',
  'payslip',
  'company_registration',
  'visa',
  'unknown',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const IDENTITY_TYPES: readonly DocumentType[] = ['passport', 'id_card', 'driving_licence'];
export const PROOF_OF_ADDRESS_TYPES: readonly DocumentType[] = ['utility_bill', 'bank_statement', 'payslip'];

/** File formats detected from content (magic bytes), never from the file name. */
export const FILE_KINDS = ['pdf', 'png', 'jpeg', 'tiff', 'webp'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A stored document: `id` is the sha256 of its bytes (content-addressed store). */
export interface DocumentRef {
  id: string;
  /** The submitted file name, sanitised: for reports only, never used as a path. */
  fileName: string;
  size: number;
}

export type TextMethod = 'pdf-text' | 'ocr';

export interface PageText {
  /** 1-based page number. */
  page: number;
  text: string;
  /** 0..1; pdf-text pages are 1. */
  confidence: number;
  method: TextMethod;
  /** The machine-readable zone read again on its own with MRZ settings, when the page has one. */
  mrzText?: string;
  /** Milliseconds spent on the page (render + OCR or text read). */
  durationMs?: number;
  /** OCR pages: what was done to the image before it was read (turn, deskew, perspective, scale). */
  geometry?: PageGeometry;
}

/** What extraction returns to the workflow: a reference to the stored text, never the text. */
export interface ExtractedTextSummary {
  textKey: string;
  fileKind: FileKind;
  pages: PageSummary[];
  /** PDF pages that could not be read while the others were (absent when every page read). */
  pageErrors?: PageError[];
}

/** A page of a document that could not be read: its number and the error's code and message (never document text). */
export interface PageError {
  page: number;
  /** A document error code (KycErrorCode), e.g. UNREADABLE_DOCUMENT. */
  code: string;
  message: string;
}

export interface PageSummary {
  page: number;
  method: TextMethod;
  confidence: number;
  characters: number;
  /** OCR pages: turn, deskew, perspective and scale applied before reading (see PageText.geometry). */
  geometry?: PageGeometry;
}

export const FIELD_NAMES = [
  'surname',
  'givenNames',
  'fullName',
  'dateOfBirth',
  'documentNumber',
  'nationality',
  'issuingCountry',
  'expiryDate',
  'address',
  'issueDate',
  'statementDate',
  'iban',
  'companyName',
  'registrationNumber',
  'incorporationDate',
  'registeredOffice',
  'sex',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** `reviewer`: a person corrected the value during review. */
export type FieldSource = 'mrz' | 'text' | 'model' | 'reviewer';

export interface FieldEvidence {
  source: FieldSource;
  /** For a reviewer's correction: who, and the value the engine had read. */
  correctedBy?: string;
  previous?: string;
  /** 1-based page the value was read from. */
  page?: number;
  /** The text span the value came from (kept out of logs; it is PII). */
  text?: string;
  /**
   * How sure the value is, where the field has a verification of its own (the IBAN: see
   * `assessIban`): read / repaired / corroborated pass, unverified and unreadable are inconclusive,
   * failed fails.
   */
  verification?: FieldVerification;
}

export type FieldVerification = 'read' | 'repaired' | 'corroborated' | 'unverified' | 'failed' | 'unreadable';

export type Fields = Partial<Record<FieldName, string>>;
export type FieldEvidenceMap = Partial<Record<FieldName, FieldEvidence>>;

/** Result of reading one document's text: its type and fields. */
export interface DocumentAnalysis {
  type: DocumentType;
  confidence: number;
  fields: Fields;
  evidence: FieldEvidenceMap;
  /** Machine-readable facts used by validations, e.g. MRZ format and check-digit results. */
  mrz?: MrzSummary;
  /** Present when the local model contributed the type or a field (evidence source `model`). */
  model?: ModelUse;
}

/** Which weights and which prompts produced the model-made values of a document. */
export interface ModelUse {
  file: string;
  sha256: string;
  promptVersion: string;
}

/** Names of the MRZ fields a reading reports on (`composite`: the digit over the whole zone). */
export const MRZ_FIELD_NAMES = [
  'documentNumber',
  'dateOfBirth',
  'expiryDate',
  'personalNumber',
  'composite',
  'surname',
  'givenNames',
  'nationality',
  'issuingCountry',
  'sex',
] as const;
export type MrzFieldName = (typeof MRZ_FIELD_NAMES)[number];

/** Fields a check digit protects: one of them unverified leaves the zone unverified. */
export const MRZ_PROTECTED_FIELDS: readonly MrzFieldName[] = ['documentNumber', 'dateOfBirth', 'expiryDate', 'personalNumber', 'composite'];

/**
 * How far an MRZ field can be trusted:
 * - `read`: as OCR read it (no check digit, or its check digit agrees);
 * - `repaired`: changed only where ICAO 9303 allows one class of character (O→0 in a date), and its
 *   check digit agrees;
 * - `corroborated`: an independent reading (the printed visual zone, or another reading of the band)
 *   gives the same value;
 * - `unverified`: agrees with its check digit only after a look-alike swap where both characters are
 *   legal (O/0 in a document number), or its check digit was inferred, and nothing confirmed it;
 * - `failed`: a clearly read check digit disagrees.
 */
export type MrzFieldStatus = 'read' | 'repaired' | 'corroborated' | 'unverified' | 'failed';

/** Fields whose status is `unverified` (the ones worth another reading), in the zone's order. */
export function unverifiedMrzFieldsOf(fieldStatus: Partial<Record<MrzFieldName, MrzFieldStatus>> | undefined): MrzFieldName[] {
  return (Object.entries(fieldStatus ?? {}) as Array<[MrzFieldName, MrzFieldStatus]>).filter(([, s]) => s === 'unverified').map(([f]) => f);
}

/** One change repair made to the zone as OCR read it (positions are 0-based within the field). */
export interface MrzRepairRecord {
  field: string;
  position: number;
  from: string;
  to: string;
  /**
   * `position`: the only class ICAO allows there; `look-alike`: a swap between two legal characters
   * chosen by the check digit; `alignment`: fillers added or characters dropped to reach the line length
   * (data characters shown as `*`);
   * `inferred-digit`: an unreadable check digit computed from the data; `visual-zone`: a failed field
   * replaced by the printed value, which then satisfies its own and the composite check digit.
   */
  kind: 'position' | 'look-alike' | 'alignment' | 'inferred-digit' | 'visual-zone';
}

export interface MrzSummary {
  format: 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';
  /** Every check digit agrees (after repair). */
  valid: boolean;
  /** Names of the check digits that failed, empty when valid. */
  failedChecks: string[];
  /** True when OCR errors were repaired to reach a consistent reading. */
  repaired: boolean;
  /**
   * One check digit could not be read and was inferred from the data: the fields the other digits
   * protect are verified, the zone as a whole is not (a tampered or misprinted digit would be missed).
   */
  unverified?: boolean;
  /** Per field, how far it can be trusted (see `MrzFieldStatus`). */
  fieldStatus?: Partial<Record<MrzFieldName, MrzFieldStatus>>;
  /** What repair changed, for the report (no values beyond single characters). */
  repairs?: MrzRepairRecord[];
  /** Fields read both from the MRZ and the visual zone, and those of them that disagree. */
  visualCompared?: FieldName[];
  visualMismatches?: FieldName[];
}
