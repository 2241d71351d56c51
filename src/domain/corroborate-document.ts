/**
 * One corroboration step over a stored document: read it again with the step's tool, compare the
 * independent reading with the first one (`corroborateMrz`), and store what was found under keys
 * derived from the document and the step, so a retry overwrites. Logic over ports.
 */
import { stepOutcome, type ReadingStep, type StepOutcome } from './corroboration.js';
import {
  firstMrzReading,
  locateBand,
  mrzLineCount,
  pageImage,
  readWithTool,
  visualZoneValues,
  type BandLocation,
  type IndependentReading,
  type ReadingPorts,
} from './corroboration-reading.js';
import { MRZ_PROTECTED_FIELDS, type DocumentRef, type Fields, type FileKind, type MrzFieldName, type MrzFieldStatus, type MrzSummary, type PageText } from './documents.js';
import { corroborateMrz, readMrz, type MrzReading } from './mrz/index.js';
import type { LocalModel } from './model-prompts.js';
import type { DocumentStore } from './ports.js';

/** Small JSON back to the workflow: no MRZ text. */
export interface StepResult {
  outcome: StepOutcome;
  mrz: MrzSummary;
  /** Only MRZ values the step put right (a failed value the printed visual zone settled). */
  fields?: Fields;
}

export type CorroborationStore = Pick<DocumentStore, 'getDocument' | 'getJson' | 'putJson'>;

export interface CorroborationStepInput {
  doc: DocumentRef;
  textKey: string;
  asOf: string;
  step: ReadingStep;
  stepNumber: number;
  mrz: MrzSummary;
}

export interface CorroborationDeps extends ReadingPorts {
  store: CorroborationStore;
  model?: LocalModel;
}

/** What one step stored: its outcome, the statuses after it and the independent reading (evidence, encrypted at rest). */
export interface StoredCorroborationStep {
  stepId: string;
  outcome: StepOutcome;
  mrz: MrzSummary;
  independent?: IndependentReading;
}

interface StoredPages {
  fileKind: FileKind;
  pages: PageText[];
}

export function bandKeyFor(documentId: string): string {
  return `corroboration/${documentId}/band.json`;
}

export function stepKeyFor(documentId: string, stepNumber: number, stepId: string): string {
  return `corroboration/${documentId}/step-${stepNumber}-${stepId}.json`;
}

/**
 * Runs one step. `failed` when the tool read nothing usable (no MRZ in the stored text, no band,
 * no model); errors of the store or the engines propagate for the activity's retries.
 */
export async function corroborateDocumentMrz(
  input: CorroborationStepInput,
  deps: CorroborationDeps,
  options: { signal?: AbortSignal } = {},
): Promise<StepResult> {
  const { doc, step } = input;
  const { fileKind, pages } = await deps.store.getJson<StoredPages>(input.textKey);
  const first = firstMrzReading(pages, input.asOf);
  const independent = first ? await readIndependently(input, { fileKind, pages }, first, deps, options) : undefined;
  const result = first && independent ? compare(first.reading, independent, input) : { outcome: 'failed' as const, mrz: input.mrz };
  const stored: StoredCorroborationStep = { stepId: step.id, ...result, ...(independent ? { independent } : {}) };
  await deps.store.putJson(stepKeyFor(doc.id, input.stepNumber, step.id), stored);
  return result;
}

async function readIndependently(
  input: CorroborationStepInput,
  text: StoredPages,
  first: { reading: MrzReading; page: number },
  deps: CorroborationDeps,
  options: { signal?: AbortSignal },
): Promise<IndependentReading | undefined> {
  if (input.step.tool === 'model') {
    if (!deps.model) return undefined;
    const page = text.pages.find((p) => p.page === first.page);
    return page ? visualValuesFromModel(page.text, deps.model, options.signal) : undefined;
  }
  const bytes = await deps.store.getDocument(input.doc.id);
  const stored = text.pages.find((p) => p.page === first.page) ?? { page: first.page };
  const image = await pageImage(bytes, text.fileKind, stored, deps, options);
  const location = await bandLocation(input.doc.id, first.page, () => locateBand(image, first.page, deps.ocr, options.signal), deps.store);
  return readWithTool(image, location, input.step, deps.ocr, { lineCount: mrzLineCount(first.reading), ...(options.signal ? { signal: options.signal } : {}) });
}

/** The band found by the document's first step, reused by the later ones (a page OCR each saved). */
async function bandLocation(documentId: string, page: number, locate: () => Promise<BandLocation>, store: CorroborationStore): Promise<BandLocation> {
  const key = bandKeyFor(documentId);
  try {
    const stored = await store.getJson<BandLocation>(key);
    if (stored.page === page) return stored;
  } catch {
    // Not located yet.
  }
  const location = await locate();
  await store.putJson(key, location);
  return location;
}

/**
 * The statuses after comparing: fields the summary had in doubt (unverified or failed) take the
 * status the comparison gave them; every other field keeps the one it had (an earlier step may
 * have corroborated it). A failed value the printed visual zone put right comes back in `fields`.
 */
function compare(primary: MrzReading, independent: IndependentReading, input: CorroborationStepInput): StepResult {
  const after = corroborateMrz(primary, independent, { asOf: input.asOf });
  const before = input.mrz.fieldStatus ?? {};
  const fieldStatus = { ...before };
  for (const [field, status] of Object.entries(before) as Array<[MrzFieldName, MrzFieldStatus]>) {
    const now = after.summary.fieldStatus?.[field];
    if ((status === 'unverified' || status === 'failed') && now !== undefined && now !== status) fieldStatus[field] = now;
  }
  const disagreeing = independent.lines ? disagreeingFields(primary, independent.lines, input) : [];
  const fields = changedFields(primary, after, fieldStatus);
  // The repair records change only with the values.
  const mrz = summaryWith(input.mrz, fieldStatus, fields ? after.summary.repairs : undefined);
  const outcome = stepOutcome({ before: input.mrz, after: mrz, disagreeing });
  return { outcome, mrz, ...(fields ? { fields } : {}) };
}

/** MRZ values the comparison changed (a failed value put right and now corroborated), else undefined. */
function changedFields(primary: MrzReading, after: MrzReading, status: Partial<Record<MrzFieldName, MrzFieldStatus>>): Fields | undefined {
  const changed: Fields = {};
  for (const field of ['documentNumber', 'dateOfBirth', 'expiryDate'] as const) {
    const value = after.fields[field];
    if (value !== undefined && value !== primary.fields[field] && status[field] === 'corroborated') changed[field] = value;
  }
  return Object.keys(changed).length > 0 ? changed : undefined;
}

/** Unverified fields whose value the independent band reading, read as an MRZ of its own, gives differently. */
function disagreeingFields(primary: MrzReading, lines: readonly string[], input: CorroborationStepInput): string[] {
  const other = readMrz(lines.join('\n'), { asOf: input.asOf });
  if (!other || other.format !== primary.format) return [];
  const unverified = Object.entries(input.mrz.fieldStatus ?? {}).flatMap(([f, s]) => (s === 'unverified' ? [f] : []));
  const value = (r: MrzReading, f: string): string | undefined => (r.fields as Record<string, string | undefined>)[f];
  return unverified.filter((f) => value(primary, f) !== undefined && value(other, f) !== undefined && value(primary, f) !== value(other, f));
}

/** The summary with new statuses; `valid`, `failedChecks` and `unverified` follow them (contract: MrzSummary). */
function summaryWith(summary: MrzSummary, fieldStatus: Partial<Record<MrzFieldName, MrzFieldStatus>>, repairs: MrzSummary['repairs']): MrzSummary {
  const failedChecks = MRZ_PROTECTED_FIELDS.filter((f) => fieldStatus[f] === 'failed');
  const unverified = MRZ_PROTECTED_FIELDS.some((f) => fieldStatus[f] === 'unverified');
  const { unverified: _was, ...rest } = summary;
  return { ...rest, valid: failedChecks.length === 0, failedChecks, fieldStatus, ...(repairs ? { repairs } : {}), ...(unverified ? { unverified: true } : {}) };
}

/**
 * The `model` tool: the local model picks, from the printed values of the page (the visual zone's
 * document-number-like tokens and dates, never the MRZ), which is the document number, the birth
 * date and the expiry date. It can only choose among values the page prints (an enum), so its
 * answer is grounded by construction; it is asked nothing when the page prints none.
 */
export async function visualValuesFromModel(pageText: string, model: LocalModel, signal?: AbortSignal): Promise<IndependentReading | undefined> {
  const printed = pageText
    .split('\n')
    .filter((l) => !l.includes('<'))
    .join('\n');
  const candidates = visualZoneValues(printed);
  const properties: Record<string, { enum: readonly string[] }> = {};
  if (candidates.documentNumbers.length > 0) properties.documentNumber = { enum: candidates.documentNumbers };
  if (candidates.dates.length > 0) {
    properties.dateOfBirth = { enum: candidates.dates };
    properties.expiryDate = { enum: candidates.dates };
  }
  if (Object.keys(properties).length === 0) return undefined;
  const prompt = {
    system: 'You read identity documents. Answer with JSON only.',
    user: `Printed text of an identity document page:\n<document>\n${printed.replace(/<\/?document>/gi, '').slice(0, 1500)}\n</document>\n\nWhich printed value is the document number, which the date of birth and which the expiry date?`,
  };
  let answer: { documentNumber?: string; dateOfBirth?: string; expiryDate?: string };
  try {
    answer = (await model.generateJson<typeof answer>(prompt, { type: 'object', properties }, { maxTokens: 80, ...(signal ? { signal } : {}) })).value;
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined; // advisory: no answer is no reading
  }
  const pick = (value: string | undefined, from: readonly string[]): string[] => (value !== undefined && from.includes(value) ? [value] : []);
  const documentNumbers = pick(answer.documentNumber, candidates.documentNumbers);
  const dates = [...new Set([...pick(answer.dateOfBirth, candidates.dates), ...pick(answer.expiryDate, candidates.dates)])];
  return documentNumbers.length + dates.length > 0 ? { visual: { dates, documentNumbers } } : undefined;
}
