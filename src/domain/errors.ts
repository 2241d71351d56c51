/** Typed domain errors: a stable code and a retry hint; nothing about Temporal here. */
export type KycErrorCode =
  | 'UNSUPPORTED_FILE_TYPE'
  | 'UNREADABLE_DOCUMENT'
  | 'ENCRYPTED_DOCUMENT'
  | 'DOCUMENT_TOO_LARGE'
  | 'PAGE_TIMEOUT'
  | 'DOCUMENT_TOO_COMPLEX'
  | 'DOCUMENT_NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFIG_ERROR'
  | 'TEMPORAL_UNAVAILABLE';

export abstract class KycError extends Error {
  abstract readonly code: KycErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UnsupportedFileTypeError extends KycError {
  readonly code = 'UNSUPPORTED_FILE_TYPE';
  readonly retryable = false;
}
export class UnreadableDocumentError extends KycError {
  readonly code = 'UNREADABLE_DOCUMENT';
  readonly retryable = false;
}
export class EncryptedDocumentError extends KycError {
  readonly code = 'ENCRYPTED_DOCUMENT';
  readonly retryable = false;
}
export class DocumentTooLargeError extends KycError {
  readonly code = 'DOCUMENT_TOO_LARGE';
  readonly retryable = false;
}
/** A page (or the document's structure) took longer than the per-page time limit: cut off, not waited on. */
export class PageTimeoutError extends KycError {
  readonly code = 'PAGE_TIMEOUT';
  readonly retryable = false;
}
/** Reading the document needed more memory than one document may have (PDF_MEMORY_LIMIT): its reader was killed. */
export class DocumentTooComplexError extends KycError {
  readonly code = 'DOCUMENT_TOO_COMPLEX';
  readonly retryable = false;
}
export class DocumentNotFoundError extends KycError {
  readonly code = 'DOCUMENT_NOT_FOUND';
  readonly retryable = false;
}
export class InvalidInputError extends KycError {
  readonly code = 'INVALID_INPUT';
  readonly retryable = false;
}
export class ConfigError extends KycError {
  readonly code = 'CONFIG_ERROR';
  readonly retryable = false;
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
export class TemporalUnavailableError extends KycError {
  readonly code = 'TEMPORAL_UNAVAILABLE';
  readonly retryable = true;
}

/** Codes that make a document unreadable (a document error in the report, not a failed case). */
export const DOCUMENT_ERROR_CODES: readonly KycErrorCode[] = [
  'UNSUPPORTED_FILE_TYPE',
  'UNREADABLE_DOCUMENT',
  'ENCRYPTED_DOCUMENT',
  'DOCUMENT_TOO_LARGE',
  'PAGE_TIMEOUT',
  'DOCUMENT_TOO_COMPLEX',
  'DOCUMENT_NOT_FOUND',
];
