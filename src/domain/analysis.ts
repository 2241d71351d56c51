import { classifyByRules, type ClassifyOptions } from './classification.js';
import type { DocumentAnalysis, PageText } from './documents.js';
import { extractFieldsByRules, type FieldExtractionOptions } from './fields.js';

export interface AnalysisOptions extends FieldExtractionOptions, ClassifyOptions {}

/** Type and fields of one document by deterministic rules alone (MRZ, keywords, labels). */
export function analyseByRules(
  pageTexts: readonly Pick<PageText, 'page' | 'text' | 'mrzText'>[],
  options: AnalysisOptions,
): DocumentAnalysis {
  // The MRZ band's own reading goes beside the page text; the MRZ reader keeps the reading whose
  // check digits agree, so a clean band reading wins over the page's damaged one.
  const pages = pageTexts.map(({ page, text, mrzText }) => ({ page, text: mrzText ? `${text}\n${mrzText}` : text }));
  const classification = classifyByRules(pages, options);
  const extraction = extractFieldsByRules(classification.type, pages, options);
  return {
    type: classification.type,
    confidence: classification.confidence,
    fields: extraction.fields,
    evidence: extraction.evidence,
    ...(extraction.mrz ? { mrz: extraction.mrz } : {}),
  };
}
