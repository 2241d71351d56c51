import { Context } from '@temporalio/activity';
import { analyseByRules } from '../src/domain/analysis.js';
import type { DocumentAnalysis, DocumentRef } from '../src/domain/documents.js';
import type { DocumentStore } from '../src/domain/ports.js';
import type { StoredText } from './extract-text.activities.js';
import { toFailure } from './to-failure.js';

export interface AnalyseInput {
  doc: DocumentRef;
  textKey: string;
  asOf: string;
}

export const analyseActivities = (deps: { store: DocumentStore }) => ({
  /** Classifies the document and extracts its fields from the stored text. */
  async analyseDocument(input: AnalyseInput): Promise<DocumentAnalysis> {
    try {
      const { pages } = await deps.store.getJson<StoredText>(input.textKey);
      const analysis = analyseByRules(pages, { asOf: input.asOf });
      Context.current().log.info('document analysed', {
        documentId: input.doc.id,
        type: analysis.type,
        confidence: analysis.confidence,
        fieldCount: Object.keys(analysis.fields).length,
      });
      return analysis;
    } catch (err) {
      throw toFailure(err);
    }
  },
});
