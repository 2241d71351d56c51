/**
 * MRZ corroboration with the real engines: a passport page drawn here (OCR-B MRZ), a stored first
 * reading in which OCR took the document number's 0 for an O (so the value agrees with its check
 * digit only after a look-alike swap: unverified), and the corroboration activity re-reading the
 * band with real Tesseract.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corroborateActivities, type CorroborateInput, type CorroborateResult } from '../../activities/corroborate.activities.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool, type TesseractPool } from '../../src/adapters/tesseract-ocr.js';
import { stepKeyFor, type StoredCorroborationStep } from '../../src/domain/corroborate-document.js';
import { READING_PLAN } from '../../src/domain/corroboration.js';
import { firstMrzReading } from '../../src/domain/corroboration-reading.js';
import type { DocumentRef, PageText } from '../../src/domain/documents.js';
import type { DocumentStore } from '../../src/domain/ports.js';
import { drawIdentityPage, turnedPng } from '../support/draw.js';
import { buildTd3, type MrzPerson } from '../support/mrz-builder.js';

const ASOF = '2026-11-01';
const HOLDER: MrzPerson = {
  issuingState: 'UTO',
  surname: 'Eriksson',
  givenNames: 'Anna Maria',
  documentNumber: 'CX7R30514',
  nationality: 'UTO',
  dateOfBirth: '1974-08-12',
  sex: 'F',
  expiryDate: '2031-04-15',
};
const VISUAL = ['PASSPORT', 'Surname', 'ERIKSSON', 'Given names', 'ANNA MARIA', 'Nationality UTOPIAN'];

let ocr: TesseractPool;
beforeAll(async () => {
  ocr = await createTesseractPool({ size: 1 });
});
afterAll(async () => {
  await ocr?.terminate();
});

/** An in-memory store holding one document and its stored text. */
function memoryStore(bytes: Uint8Array, stored: { fileKind: 'png'; pages: PageText[] }): DocumentStore & { blobs: Map<string, unknown> } {
  const blobs = new Map<string, unknown>([['text/doc.json', stored]]);
  return {
    blobs,
    getDocument: async () => bytes,
    putJson: async (key: string, value: unknown) => void blobs.set(key, structuredClone(value)),
    getJson: async <T>(key: string) => {
      if (!blobs.has(key)) throw new Error(`no ${key}`);
      return structuredClone(blobs.get(key)) as T;
    },
  } as unknown as DocumentStore & { blobs: Map<string, unknown> };
}

/** The page as drawn (printed truth), and the first reading's text with the document number's 0 read as O. */
function passport(printed: MrzPerson, extraVisual: string[] = []): { png: Uint8Array; firstReading: string } {
  const mrz = buildTd3(printed);
  const png = drawIdentityPage({ lines: [...VISUAL, ...extraVisual], mrz }).encodeSync('png');
  const misread = buildTd3(HOLDER).map((line, i) => (i === 1 ? line.replace(/^CX7R30514/, 'CX7R3O514') : line));
  return { png, firstReading: [...VISUAL, ...misread].join('\n') };
}

async function runStep(png: Uint8Array, firstReading: string, stepIndex: number): Promise<{ result: CorroborateResult; store: ReturnType<typeof memoryStore>; input: CorroborateInput }> {
  const pages: PageText[] = [{ page: 1, text: firstReading, confidence: 0.9, method: 'ocr' }];
  const first = firstMrzReading(pages, ASOF);
  // The premise: the first reading's document number is only unverified.
  expect(first?.reading.fields.documentNumber).toBe('CX7R30514');
  expect(first?.reading.summary.fieldStatus?.documentNumber).toBe('unverified');
  const store = memoryStore(png, { fileKind: 'png', pages });
  const doc: DocumentRef = { id: 'd'.repeat(64), fileName: 'passport.png', size: png.length };
  const input: CorroborateInput = { doc, textKey: 'text/doc.json', asOf: ASOF, step: READING_PLAN[stepIndex]!, stepNumber: 1, mrz: first!.reading.summary };
  const { corroborateDocument } = corroborateActivities({ store, ocr, pdf: createPdfEngine(), image: createSharpPreprocessor() });
  const result = (await new MockActivityEnvironment().run(corroborateDocument, input)) as CorroborateResult;
  return { result, store, input };
}

describe('corroborateDocument with real Tesseract', () => {
  test('when the band, re-read line by line, prints the 0 the first reading took for an O, then the document number is corroborated', async () => {
    const { png, firstReading } = passport(HOLDER);
    const { result, store, input } = await runStep(png, firstReading, 0);
    expect(result.outcome).toBe('corroborated');
    expect(result.mrz.fieldStatus?.documentNumber).toBe('corroborated');
    expect(result.mrz.unverified).toBeUndefined();
    // Small JSON back, the reading itself stored under the document's and the step's key.
    expect(JSON.stringify(result)).not.toContain('CX7R30514');
    const stored = store.blobs.get(stepKeyFor(input.doc.id, 1, input.step.id)) as StoredCorroborationStep;
    expect(stored.outcome).toBe('corroborated');
    expect(stored.independent?.lines?.join('\n')).toContain('CX7R30514');
  }, 120_000);

  test('when the page was photographed turned a quarter, then the band is found on the page made upright and the re-read corroborates', async () => {
    const { png, firstReading } = passport(HOLDER);
    const { result } = await runStep(await turnedPng(png, 90), firstReading, 0);
    expect(result.outcome).toBe('corroborated');
  }, 120_000);

  test('when the page prints another document number, then the re-read does not corroborate the first reading', async () => {
    // Same check digit would be a coincidence: the band re-read gives its own, different value.
    const { png, firstReading } = passport({ ...HOLDER, documentNumber: 'CX7R38514' });
    const { result } = await runStep(png, firstReading, 0);
    expect(result.outcome).toBe('disagreed');
    expect(result.mrz.fieldStatus?.documentNumber).toBe('unverified');
    expect(result.mrz.unverified).toBe(true);
  }, 120_000);

  test('when the printed visual zone is read again, then its document number corroborates the MRZ', async () => {
    const { png, firstReading } = passport(HOLDER, ['Passport No. CX7R30514']);
    const visualStep = READING_PLAN.findIndex((s) => s.tool === 'visual-zone');
    const { result } = await runStep(png, firstReading, visualStep);
    expect(result.outcome).toBe('corroborated');
    expect(result.mrz.fieldStatus?.documentNumber).toBe('corroborated');
  }, 120_000);
});
