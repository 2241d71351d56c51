import { Context } from '@temporalio/activity';
import { analyseWithModel } from '../src/domain/analysis.js';
import type { DocumentAnalysis, DocumentRef } from '../src/domain/documents.js';
import type { LocalModel } from '../src/domain/model-prompts.js';
import type { DocumentStore } from '../src/domain/ports.js';
import type { StoredText } from './extract-text.activities.js';
import { toFailure } from './to-failure.js';

export interface AnalyseInput {
  doc: DocumentRef;
  textKey: string;
  asOf: string;
}

export interface AnalyseDeps {
  store: DocumentStore;
  /** The worker's one local model; absent → rules alone. */
  model?: LocalModel;
}

export const analyseActivities = (deps: AnalyseDeps) => ({
  /** Classifies the document and extracts its fields: rules first, the local model where they fall short. */
  async analyseDocument(input: AnalyseInput): Promise<DocumentAnalysis> {
    const ctx = Context.current();
    const timer = setInterval(() => ctx.heartbeat(), 5_000);
    try {
      const { pages } = await deps.store.getJson<StoredText>(input.textKey);
      const analysis = await analyseWithModel(pages, deps.model, { asOf: input.asOf, signal: ctx.cancellationSignal });
      ctx.log.info('document analysed', {
        documentId: input.doc.id,
        type: analysis.type,
        confidence: analysis.confidence,
        fieldCount: Object.keys(analysis.fields).length,
        model: analysis.model ? analysis.model.file : 'none',
      });
      return analysis;
    } catch (err) {
      throw toFailure(err);
    } finally {
      clearInterval(timer);
    }
  },
});
