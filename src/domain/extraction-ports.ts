/**
 * Ports that text extraction needs besides OcrEngine. Adapters (pdf.js, sharp) implement them and
 * translate their engines' failures into domain errors:
 * EncryptedDocumentError, UnreadableDocumentError, DocumentTooLargeError.
 */

/** An encoded image ready for OCR (PGM or PNG) and its size in pixels. */
export interface OcrImage {
  image: Uint8Array;
  width: number;
  height: number;
  /** Pixels per inch, when known (a rendered page's dpi, an image's density times its upscale). */
  dpi?: number;
}

/**
 * A run of text from a PDF text layer in display space: points (1/72 in), origin top-left, y down,
 * page rotation applied. (x, y) is where the run's baseline starts; `height` is about its font size.
 */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The producer marked the end of a line after this run. */
  hasEOL: boolean;
}

export interface PdfEngine {
  /**
   * Throws EncryptedDocumentError when a password is needed, UnreadableDocumentError when
   * unparseable; DocumentTooComplexError (at any call) when the document needs more memory than it may have.
   */
  open(bytes: Uint8Array, options?: PdfOpenOptions): Promise<PdfDocument>;
}

export interface PdfOpenOptions {
  /** Aborts the open, also while it waits for the engine. */
  signal?: AbortSignal;
  /** Called when the document has to wait for a free reader (other documents hold them all). */
  onWait?: () => void;
  /**
   * Called when the engine starts on this document, after any wait for a free reader: the time
   * limit of opening counts from here, so a document is not charged with its neighbours' time.
   */
  onStart?: () => void;
}

export interface PdfDocument {
  readonly pageCount: number;
  /** 1-based. */
  getPage(page: number): Promise<PdfPage>;
  /** Frees the engine's resources; call it exactly once, also after failures. */
  close(): Promise<void>;
}

export interface PdfPage {
  /** Displayed size in points, rotation applied. */
  readonly width: number;
  readonly height: number;
  /** The text layer's runs in content-stream order. */
  textRuns(): Promise<TextRun[]>;
  /** Renders the page on white, in grayscale, at `dpi`; stops early (rejecting) when `signal` aborts. */
  render(dpi: number, signal?: AbortSignal): Promise<OcrImage>;
  /** Drops the page's cached fonts and images; long documents would otherwise hold every page. */
  release(): void;
}

/** What an image's header says, without decoding its pixels. */
export interface ImageInfo {
  /** Stored size; EXIF orientation may swap width and height when displayed. */
  width: number;
  height: number;
  /** Pages (TIFF) or frames (animated WebP); 1 for most images. */
  pages: number;
}

export interface PrepareImageOptions {
  /** 0-based page (multi-page TIFF). */
  page: number;
  /** Resize factor applied after orientation, ≥ 1 (upscaling small images helps OCR). */
  scale: number;
  /** Refuse to decode more input pixels than this (a guard against headers that lie). */
  maxPixels: number;
  /** Divide by the local paper brightness (uneven light); default false. */
  whiten?: boolean;
}

export interface ImagePreprocessor {
  /** Reads the header only. Throws UnreadableDocumentError when it cannot. */
  inspect(bytes: Uint8Array): Promise<ImageInfo>;
  /** Decodes one page, applies EXIF orientation, grayscale, scale and contrast normalisation, encodes for OCR. */
  prepare(bytes: Uint8Array, options: PrepareImageOptions): Promise<OcrImage>;
}
