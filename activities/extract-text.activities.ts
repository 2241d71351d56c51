import { Context } from '@temporalio/activity';
import { analyseWithRules, type RulesAnalysisOptions } from '../src/domain/analysis.js';
import type { DocumentAnalysis, DocumentRef, ExtractedTextSummary, FileKind, PageError, PageText } from '../src/domain/documents.js';
import { KycError } from '../src/domain/errors.js';
import { extractDocumentText, type ExtractionLimits, type ExtractionPorts } from '../src/domain/extraction.js';
import type { DocumentStore } from '../src/domain/ports.js';
import { toFailure } from './to-failure.js';

export interface StoredText {
  fileKind: FileKind;
  pages: PageText[];
  /** Pages that could not be read (absent when every page read). */
  pageErrors?: PageError[];
}

export interface ExtractTextDeps extends ExtractionPorts {
  store: DocumentStore;
  limits?: Partial<ExtractionLimits>;
  /**
   * The model's mode, as the model worker has it: `off` → this worker classifies and extracts the
   * fields by rules itself; `assist` → it does so only when the model would be asked nothing.
   */
  modelMode: 'assist' | 'off';
  /**
   * Runs analyseWithRules; default here, in the activity's thread. Worker processes pass one that
   * runs it in a worker thread (src/adapters/analysis-thread.ts): 50–200 ms of synchronous work
   * per document would otherwise hold up the Temporal activations this thread also carries.
   */
  analyse?: (pages: PageText[], options: RulesAnalysisOptions) => Promise<DocumentAnalysis | undefined>;
}

export interface ExtractTextOptions {
  /** Present: analyse the text here when rules settle it (see ExtractedText.analysis). */
  asOf?: string;
}

export interface ExtractedText extends ExtractedTextSummary {
  /**
   * Type and fields, when rules settled the document and the model would have been asked nothing:
   * the case workflow then skips the model's task queue for it (one round trip less per document).
   */
  analysis?: DocumentAnalysis;
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
  async extractText(doc: DocumentRef, options: ExtractTextOptions = {}): Promise<ExtractedText> {
    const ctx = Context.current();
    let done = { page: 0, total: 0 };
    const timer = setInterval(() => ctx.heartbeat(done), HEARTBEAT_EVERY_MS);
    try {
      const bytes = await deps.store.getDocument(doc.id);
      const { fileKind, pages, pageErrors } = await extractDocumentText(bytes, deps, {
        ...deps.limits,
        signal: ctx.cancellationSignal,
        onPage: (p) => {
          done = p;
          ctx.heartbeat(p);
        },
      });
      const textKey = textKeyFor(doc.id);
      await deps.store.putJson(textKey, { fileKind, pages, ...(pageErrors ? { pageErrors } : {}) } satisfies StoredText);
      ctx.log.info('text extracted', { documentId: doc.id, pages: pages.length, fileKind, failedPages: pageErrors?.length ?? 0 });
      const analyse = deps.analyse ?? analyseHere;
      const analysis = options.asOf === undefined ? undefined : await analyse(pages, { asOf: options.asOf, modelMode: deps.modelMode });
      if (analysis) {
        ctx.log.info('document analysed', { documentId: doc.id, type: analysis.type, confidence: analysis.confidence, fieldCount: Object.keys(analysis.fields).length, model: 'none' });
      }
      return {
        ...(analysis ? { analysis } : {}),
        textKey,
        fileKind,
        pages: pages.map((p) => ({
          page: p.page,
          method: p.method,
          confidence: Math.round(p.confidence * 1000) / 1000,
          characters: p.text.length,
          ...(p.geometry ? { geometry: p.geometry } : {}),
        })),
        // Only when some page failed: results of documents that read whole stay as they were.
        ...(pageErrors ? { pageErrors } : {}),
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

async function analyseHere(pages: PageText[], options: RulesAnalysisOptions): Promise<DocumentAnalysis | undefined> {
  return analyseWithRules(pages, options);
}
