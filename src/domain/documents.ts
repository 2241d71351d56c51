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
}

export interface PageSummary {
  page: number;
  method: TextMethod;
  confidence: number;
  characters: number;
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
}

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

export interface MrzSummary {
  format: 'TD1' | 'TD2' | 'TD3';
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
  /** Fields read both from the MRZ and the visual zone, and those of them that disagree. */
  visualCompared?: FieldName[];
  visualMismatches?: FieldName[];
}
