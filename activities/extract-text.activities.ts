import { Context } from '@temporalio/activity';
import type { DocumentRef, ExtractedTextSummary, FileKind, PageText } from '../src/domain/documents.js';
import { KycError } from '../src/domain/errors.js';
import { extractDocumentText, type ExtractionLimits, type ExtractionPorts } from '../src/domain/extraction.js';
import type { DocumentStore } from '../src/domain/ports.js';
import { toFailure } from './to-failure.js';

export interface StoredText {
  fileKind: FileKind;
  pages: PageText[];
}

export interface ExtractTextDeps extends ExtractionPorts {
  store: DocumentStore;
  limits?: Partial<ExtractionLimits>;
}

export function textKeyFor(documentId: string): string {
  return `text/${documentId}.json`;
}

/**
 * Heartbeats also come on a timer, so one long page (up to PAGE_TIMEOUT) does not look hung. The
 * timer runs on the event loop: a worker whose loop is blocked stops heartbeating, Temporal's
 * heartbeat timeout (30 s) fires, and another worker retries the document.
 */
const HEARTBEAT_EVERY_MS = 5_000;

export const extractTextActivities = (deps: ExtractTextDeps) => ({
  /** Reads the document's text page by page (text layer or OCR) and stores it under its id. */
  async extractText(doc: DocumentRef): Promise<ExtractedTextSummary> {
    const ctx = Context.current();
    let done = { page: 0, total: 0 };
    const timer = setInterval(() => ctx.heartbeat(done), HEARTBEAT_EVERY_MS);
    try {
      const bytes = await deps.store.getDocument(doc.id);
      const { fileKind, pages } = await extractDocumentText(bytes, deps, {
        ...deps.limits,
        signal: ctx.cancellationSignal,
        onPage: (p) => {
          done = p;
          ctx.heartbeat(p);
        },
      });
      const textKey = textKeyFor(doc.id);
      await deps.store.putJson(textKey, { fileKind, pages } satisfies StoredText);
      ctx.log.info('text extracted', { documentId: doc.id, pages: pages.length, fileKind });
      return {
        textKey,
        fileKind,
        pages: pages.map((p) => ({
          page: p.page,
          method: p.method,
          confidence: Math.round(p.confidence * 1000) / 1000,
          characters: p.text.length,
        })),
      };
    } catch (err) {
      // Ids and codes only: an engine's message may quote the document.
      if (err instanceof KycError) ctx.log.warn('text not extracted', { documentId: doc.id, code: err.code, pagesDone: done.page });
      throw toFailure(err);
    } finally {
      clearInterval(timer);
    }
  },
});
