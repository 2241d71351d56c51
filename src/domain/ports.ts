import type { DocumentRef } from './documents.js';

/** A stored object: a document by its sha256, or a JSON blob by its key. */
export type StoredObjectRef = { kind: 'document'; id: string } | { kind: 'json'; key: string };

/**
 * Content-addressed document store plus keyed JSON blobs (extracted text, analyses). Everything in
 * it is encrypted at rest, each object under its own data key.
 */
export interface DocumentStore {
  /** Stores bytes under their sha256; storing the same bytes twice is a no-op. */
  putDocument(bytes: Uint8Array, fileName: string): Promise<DocumentRef>;
  /** Throws DocumentNotFoundError when absent (or its key destroyed); verifies the hash on read. */
  getDocument(id: string): Promise<Uint8Array>;
  /** Keys are path-like, `[a-z0-9._/-]` only, e.g. `text/<docId>.json`. Overwrites (idempotent retries). */
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T>;
  /**
   * Crypto-shredding: destroys the object's data key, so its content can never be read again,
   * wherever a copy of it survives. True when a key was destroyed.
   */
  destroyKey(object: StoredObjectRef): Promise<boolean>;
  /** Destroys the data key, then removes the content. Idempotent; true when anything was removed. */
  deleteDocument(id: string): Promise<boolean>;
  deleteJson(key: string): Promise<boolean>;
}

export interface OcrOptions {
  /** Tesseract page segmentation mode; default 3 (auto) for pages, 6/7 for bands. */
  psm?: number;
  /** Restrict recognised characters (e.g. MRZ: A-Z0-9<). */
  whitelist?: string;
  /** Recognise only this region of the image (pixels). */
  rectangle?: OcrRect;
  /** Also return the recognised lines with their boxes. */
  lines?: boolean;
  /** The image's resolution, when known: Tesseract sizes its layout analysis by it (else it guesses). */
  dpi?: number;
  /**
   * Gives up on the call when aborted (a page over its time limit, a cancelled activity): the call
   * rejects with `signal.reason`, and an engine that cannot stop mid-page drops that worker for a fresh one.
   */
  signal?: AbortSignal;
  /**
   * Called when the call must wait for a free engine (other documents' pages hold them all), and
   * when it then starts: a page's time limit does not count the wait (src/domain/extraction.ts).
   */
  onWait?: () => void;
  onStart?: () => void;
}

export interface OcrRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface OcrLine {
  text: string;
  /** Pixels: left, top, right, bottom. */
  box: { x0: number; y0: number; x1: number; y1: number };
}

export interface OcrResult {
  text: string;
  /** 0..1 */
  confidence: number;
  /** Present when `lines` was asked for. */
  lines?: OcrLine[];
}

/** An image for OCR: an encoded image (PNG, JPEG, TIFF, WebP, PGM/PNM) in memory. */
export interface OcrEngine {
  recognize(image: Uint8Array, options?: OcrOptions): Promise<OcrResult>;
}
