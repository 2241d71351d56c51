import { describe, expect, test } from 'vitest';
import { corroborateDocumentMrz, stepKeyFor, visualValuesFromModel, type CorroborationDeps } from '../../src/domain/corroborate-document.js';
import { READING_PLAN } from '../../src/domain/corroboration.js';
import { firstMrzReading } from '../../src/domain/corroboration-reading.js';
import type { PageText } from '../../src/domain/documents.js';
import type { GenerateJsonOptions, JsonSchema, LocalModel, ModelPrompt } from '../../src/domain/model-prompts.js';
import { buildTd3 } from '../support/mrz-builder.js';

const ASOF = '2026-11-01';
const MODEL_STEP = READING_PLAN.find((s) => s.tool === 'model')!;
const HOLDER = { issuingState: 'UTO', surname: 'Eriksson', givenNames: 'Anna Maria', documentNumber: 'CX7R30514', nationality: 'UTO', dateOfBirth: '1974-08-12', sex: 'F' as const, expiryDate: '2031-04-15' };

/** A model that answers `answer` and records what it was asked. */
function fakeModel(answer: unknown): LocalModel & { asked: Array<{ prompt: ModelPrompt; schema: JsonSchema; options: GenerateJsonOptions }> } {
  const asked: Array<{ prompt: ModelPrompt; schema: JsonSchema; options: GenerateJsonOptions }> = [];
  return {
    asked,
    modelId: { file: 'fake.gguf', sha256: '0'.repeat(64) },
    async generateJson<T>(prompt: ModelPrompt, schema: JsonSchema, options: GenerateJsonOptions) {
      asked.push({ prompt, schema, options });
      if (answer instanceof Error) throw answer;
      return { value: answer as T, tokens: 10, promptTokens: 100, ms: 5 };
    },
    dispose: async () => {},
  };
}

/** The page's printed text with a decoy number and date, then the MRZ with the document number's 0 read as O. */
function page(): PageText {
  const [line1, line2] = buildTd3(HOLDER);
  const text = ['PASSPORT', 'Passport No. CX7R30514', 'Reference 55512345X', 'Date of birth 12 AUG 1974', 'Issued 01 MAR 2021', line1, line2.replace('CX7R30514', 'CX7R3O514')].join('\n');
  return { page: 1, text, confidence: 0.9, method: 'ocr' };
}

function memoryDeps(pages: PageText[], model?: LocalModel): CorroborationDeps & { blobs: Map<string, unknown> } {
  const blobs = new Map<string, unknown>([['text/doc.json', { fileKind: 'png', pages }]]);
  const never = (): Promise<never> => Promise.reject(new Error('not used by the model tool'));
  return {
    blobs,
    store: {
      getDocument: never,
      getJson: async <T>(key: string) => structuredClone(blobs.get(key)) as T,
      putJson: async (key: string, value: unknown) => void blobs.set(key, structuredClone(value)),
    },
    ocr: { recognize: never },
    pdf: { open: never },
    image: { inspect: never, prepare: never },
    ...(model ? { model } : {}),
  };
}

describe('visualValuesFromModel', () => {
  test('the model may only choose among the values the page prints outside the MRZ', async () => {
    const model = fakeModel({ documentNumber: 'CX7R30514', dateOfBirth: '1974-08-12' });
    const reading = await visualValuesFromModel(page().text, model);
    expect(reading).toEqual({ visual: { documentNumbers: ['CX7R30514'], dates: ['1974-08-12'] } });
    const schema = model.asked[0]!.schema as unknown as { properties: Record<string, { enum: string[] }> };
    expect(schema.properties.documentNumber!.enum).toEqual(['CX7R30514', '55512345X']);
    expect(schema.properties.dateOfBirth!.enum).toEqual(['1974-08-12', '2021-03-01']);
    // The MRZ is not shown to the model: its answer must be independent of it.
    expect(model.asked[0]!.prompt.user).not.toContain('<<');
  });

  test('an answer that is not a printed value counts as no reading', async () => {
    expect(await visualValuesFromModel(page().text, fakeModel({ documentNumber: 'CX7R3O514' }))).toBeUndefined();
  });

  test('when the page prints no candidate, then the model is not asked', async () => {
    const model = fakeModel({});
    expect(await visualValuesFromModel('PASSPORT\nREPUBLIC OF UTOPIA', model)).toBeUndefined();
    expect(model.asked).toHaveLength(0);
  });

  test('a failed model call is no reading (advisory)', async () => {
    expect(await visualValuesFromModel(page().text, fakeModel(new Error('context overflow')))).toBeUndefined();
  });
});

describe('corroborateDocumentMrz with the model tool', () => {
  const pages = [page()];
  const first = firstMrzReading(pages, ASOF)!;
  const input = { doc: { id: 'e'.repeat(64), fileName: 'p.png', size: 1 }, textKey: 'text/doc.json', asOf: ASOF, step: MODEL_STEP, stepNumber: 4, mrz: first.reading.summary };

  test('the premise: the first reading’s document number is unverified', () => {
    expect(first.reading.summary.fieldStatus?.documentNumber).toBe('unverified');
  });

  test('when the model picks the printed number the MRZ gives, then it is corroborated and the step is stored under its key', async () => {
    const deps = memoryDeps(pages, fakeModel({ documentNumber: 'CX7R30514' }));
    const result = await corroborateDocumentMrz(input, deps);
    expect(result.outcome).toBe('corroborated');
    expect(result.mrz.fieldStatus?.documentNumber).toBe('corroborated');
    expect(deps.blobs.get(stepKeyFor(input.doc.id, 4, MODEL_STEP.id))).toMatchObject({ stepId: MODEL_STEP.id, outcome: 'corroborated' });
  });

  test('when the model picks the decoy, then nothing is corroborated', async () => {
    const result = await corroborateDocumentMrz(input, memoryDeps(pages, fakeModel({ documentNumber: '55512345X' })));
    expect(result.outcome).toBe('no-change');
    expect(result.mrz.fieldStatus?.documentNumber).toBe('unverified');
    expect(result.mrz.unverified).toBe(true);
  });

  test('when the worker has no model, then the step fails and the summary is unchanged', async () => {
    const result = await corroborateDocumentMrz(input, memoryDeps(pages));
    expect(result).toEqual({ outcome: 'failed', mrz: input.mrz });
  });
});
