/**
 * Rules first, the local model where rules fall short: it breaks ties on uncertain types and fills
 * fields rules did not find, and every value it adds is grounded in the document text and marked
 * with its source. Logic over the `LocalModel` port; no I/O of its own.
 */
import { DEFAULT_CLASSIFICATION_THRESHOLD, classifyByRules, mergeClassification, type Classification } from './classification.js';
import { DOCUMENT_TYPES, IDENTITY_TYPES, PROOF_OF_ADDRESS_TYPES, type DocumentAnalysis, type DocumentType, type FieldName, type Fields, type ModelUse, type PageText } from './documents.js';
import { extractFieldsByRules, mergeModelFields, type FieldExtraction } from './fields/index.js';
import { assessIban, verificationOf, type IbanEvidence } from './iban.js';
import {
  CLASSIFICATION_MAX_TOKENS,
  CLASSIFICATION_SCHEMA,
  MODEL_FIELDS,
  PROMPT_VERSION,
  buildClassificationPrompt,
  buildFieldPrompt,
  fieldMaxTokens,
  fieldSchemaFor,
  parseClassification,
  parseFields,
  type LocalModel,
} from './model-prompts.js';

export interface ModelAnalysisOptions {
  asOf: string;
  /**
   * Below this rules confidence the model is asked for the type. Default 0.5, the classification
   * threshold: the model only speaks where rules said `unknown`. Measured with the default 270M base
   * model, asking it about types the rules already had (at 0.8) demoted correct answers to unknown.
   */
  askModelBelow?: number;
  /**
   * Ask the model for fields rules did not find: `'needed'` (default) only when a field the checks
   * rest on is missing (see `needsModelFields`), then for every missing field at once; `true` whenever
   * any field is missing; `false` never.
   */
  fillFields?: boolean | 'needed';
  signal?: AbortSignal;
}

/**
 * Fields the model never fills: the dates that can reject a case on their own (expiry, age). A
 * rejection must rest on what the document prints and the rules read (MRZ check digits, labels);
 * where the rules found no such date the checks stay inconclusive and the case goes to a person.
 */
export const RULES_ONLY_FIELDS: readonly FieldName[] = ['dateOfBirth', 'expiryDate'];

/** `method` tells a text layer (the document's own characters) from an OCR reading; absent → OCR. */
type Pages = readonly (Pick<PageText, 'page' | 'text' | 'mrzText'> & Partial<Pick<PageText, 'method'>>)[];

/** Page text with the MRZ band's own reading beside it (the MRZ reader keeps the consistent one). */
function withMrzBand(pages: Pages): { page: number; text: string }[] {
  return pages.map(({ page, text, mrzText }) => ({ page, text: mrzText ? `${text}\n${mrzText}` : text }));
}

function toAnalysis(classification: Classification, extraction: FieldExtraction, model?: ModelUse): DocumentAnalysis {
  return {
    type: classification.type,
    confidence: classification.confidence,
    fields: extraction.fields,
    evidence: extraction.evidence,
    ...(extraction.mrz ? { mrz: extraction.mrz } : {}),
    ...(model ? { model } : {}),
  };
}

/**
 * The rules' fields, with the IBAN of a proof of address verified over every reading of the page
 * (see `assessIban`): its value is the one the readings support, its evidence says how sure that is
 * (read, repaired, corroborated, unverified, failed, unreadable), and the `iban_valid` check judges
 * by it, so an OCR misread is not reported as an invalid IBAN.
 */
function extractFields(type: DocumentType, pages: Pages, options: Parameters<typeof extractFieldsByRules>[2]): FieldExtraction {
  const extraction = extractFieldsByRules(type, withMrzBand(pages), options);
  if (!PROOF_OF_ADDRESS_TYPES.includes(type)) return extraction;
  const assessed = assessIban(pages.map(({ page, text, method }) => ({ page, text, source: method === 'pdf-text' ? 'text-layer' : 'ocr' })));
  if (!assessed) {
    // No reading of the page supports an IBAN (none printed, masked, or only a number away from the
    // IBAN label): whatever IBAN-shaped string extraction picked is not one to judge.
    if (extraction.fields.iban === undefined) return extraction;
    const { iban: _dropped, ...fields } = extraction.fields;
    const { iban: _noEvidence, ...evidence } = extraction.evidence;
    return { ...extraction, fields, evidence };
  }
  const fields: Fields = { ...extraction.fields };
  if (assessed.iban) fields.iban = assessed.iban;
  else delete fields.iban;
  const evidence: IbanEvidence = {
    source: 'text',
    ...(assessed.page !== undefined ? { page: assessed.page } : {}),
    ...(assessed.text !== undefined ? { text: assessed.text } : {}),
    verification: verificationOf(assessed),
  };
  return { ...extraction, fields, evidence: { ...extraction.evidence, iban: evidence } };
}

/** Type and fields by deterministic rules alone (MRZ, keywords, labels). */
export function analyseByRules(pages: Pages, options: { asOf: string }): DocumentAnalysis {
  const text = withMrzBand(pages);
  const classification = classifyByRules(text);
  return toAnalysis(classification, extractFields(classification.type, pages, options));
}

/** Rules, then the model for an uncertain type and for missing fields. Without a model: rules alone. */
export async function analyseWithModel(
  pages: Pages,
  model: LocalModel | undefined,
  options: ModelAnalysisOptions,
): Promise<DocumentAnalysis> {
  const text = withMrzBand(pages);
  let classification = classifyByRules(text);
  if (!model) return toAnalysis(classification, extractFields(classification.type, pages, options));

  let used = false;
  if (asksForType(classification, options)) {
    const answer = await advisory(options.signal, () =>
      model.generateJson(buildClassificationPrompt(pages), CLASSIFICATION_SCHEMA, {
        maxTokens: CLASSIFICATION_MAX_TOKENS,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    const parsed = answer && parseClassification(answer.value);
    if (parsed) {
      classification = mergeClassification(classification, parsed);
      used = true;
    }
  }

  let extraction = extractFields(classification.type, pages, options);
  const missing = fieldsToAsk(classification.type, extraction, options);
  if (missing.length > 0) {
    const answer = await advisory(options.signal, () =>
      model.generateJson(buildFieldPrompt(classification.type, pages, missing), fieldSchemaFor(classification.type, missing), {
        maxTokens: fieldMaxTokens(classification.type, missing),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    const fields = answer ? parseFields(classification.type, answer.value, { pages }) : {};
    if (Object.keys(fields).length > 0) {
      extraction = mergeModelFields(extraction, fields);
      used = true;
    }
  }
  return toAnalysis(classification, extraction, used ? { ...model.modelId, promptVersion: PROMPT_VERSION } : undefined);
}

/**
 * The analysis when rules settle the document and a model would be asked nothing (a type they are
 * sure of, every field the checks rest on found): exactly what `analyseWithModel` returns for it,
 * with or without a model. Undefined when a model would be asked. Lets the worker that read the
 * text finish the document itself, without a round trip through the model's task queue.
 */
export function analyseIfRulesSuffice(pages: Pages, options: ModelAnalysisOptions): DocumentAnalysis | undefined {
  const text = withMrzBand(pages);
  const classification = classifyByRules(text);
  if (asksForType(classification, options)) return undefined;
  const extraction = extractFields(classification.type, pages, options);
  return fieldsToAsk(classification.type, extraction, options).length > 0 ? undefined : toAnalysis(classification, extraction);
}

export interface RulesAnalysisOptions {
  asOf: string;
  /** The model's mode, as the model worker has it. */
  modelMode: 'assist' | 'off';
}

/**
 * What the rules settle on their own, with the model in `modelMode`: `off` → always an analysis;
 * `assist` → one only when the model would be asked nothing (see analyseIfRulesSuffice).
 */
export function analyseWithRules(pages: Pages, options: RulesAnalysisOptions): DocumentAnalysis | undefined {
  return options.modelMode === 'off' ? analyseByRules(pages, { asOf: options.asOf }) : analyseIfRulesSuffice(pages, { asOf: options.asOf });
}

/**
 * Whether the model is asked for the type: when the rules are unsure, unless the content supports
 * no type at all (a blank form): whatever the model answered, `mergeClassification` would keep it
 * unknown, so the call (seconds to minutes on a CPU) would change nothing.
 */
function asksForType(classification: Classification, options: ModelAnalysisOptions): boolean {
  const nothingSupported = DOCUMENT_TYPES.every((t) => t === 'unknown' || classification.unsupported.includes(t));
  return !nothingSupported && classification.confidence < (options.askModelBelow ?? DEFAULT_CLASSIFICATION_THRESHOLD);
}

/** Missing fields the model is to be asked for (none when `fillFields` says not to ask). */
function fieldsToAsk(type: DocumentType, extraction: FieldExtraction, options: ModelAnalysisOptions): FieldName[] {
  const missing = (MODEL_FIELDS[type] ?? []).filter((f: FieldName) => extraction.fields[f] === undefined && !RULES_ONLY_FIELDS.includes(f));
  const fill = options.fillFields ?? 'needed';
  const ask = fill === 'needed' ? needsModelFields(type, extraction.fields) : fill;
  return ask ? missing : [];
}

/**
 * Whether a document lacks a field its checks rest on: the holder's names on an identity document
 * (name matching); the name, address and a date on a proof of address (address match, recency); the
 * company's particulars on a registration. Fields nothing checks (an ID card's printed address, a
 * payslip's IBAN, which most do not print) are no reason for a model call of several seconds; when
 * a call is made for a needed field, the others missing ride along in the same request.
 */
export function needsModelFields(type: DocumentType, fields: Partial<Record<FieldName, string>>): boolean {
  const lacks = (name: FieldName): boolean => fields[name] === undefined;
  if (IDENTITY_TYPES.includes(type)) return lacks('surname') || lacks('givenNames');
  if (PROOF_OF_ADDRESS_TYPES.includes(type)) return lacks('fullName') || lacks('address') || (lacks('statementDate') && lacks('issueDate'));
  if (type === 'company_registration') return (['companyName', 'registrationNumber', 'incorporationDate', 'registeredOffice'] as const).some(lacks);
  return false;
}

/**
 * The model is advisory: an answer cut at maxTokens, off-schema, or a failed call counts as no
 * answer and the rules' result stands. Cancellation still propagates.
 */
async function advisory<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  }
}
