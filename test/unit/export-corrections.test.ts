/**
 * `kyc export-corrections` reads two real stores: the review database (a temporary SQLite file) and
 * the document store (a temporary directory) holding each document's extracted text at its textKey.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { openReviewStore } from '../../src/adapters/review-db.js';
import { correctionExamples, type CorrectionExample } from '../../src/cli/admin.js';
import type { PageText } from '../../src/domain/documents.js';
import { parseCorrectionExamples } from '../../src/eval/corrections.js';
import type { CorrectionRecord, ReviewStore } from '../../src/review/types.js';
import { testKeyring } from '../support/master-keys.js';

const DOC_A = 'a'.repeat(64);
const DOC_B = 'b'.repeat(64);
const DOC_C = 'c'.repeat(64);
const textKey = (id: string): string => `text/${id}.json`;

const PASSPORT_PAGES: PageText[] = [
  { page: 1, text: 'PASSPORT\nSurname: MULLER\nGiven names: ANNA', confidence: 0.91, method: 'ocr', mrzText: 'P<DEUMULLER<<ANNA<<<<<<<<', durationMs: 840 },
  { page: 2, text: 'Observations: none', confidence: 0.88, method: 'ocr' },
];
const BILL_PAGES: PageText[] = [{ page: 1, text: 'Electricity bill\nAlice Martin\n12 High Street', confidence: 1, method: 'pdf-text' }];

function correction(overrides: Partial<CorrectionRecord> & Pick<CorrectionRecord, 'correctionId' | 'documentId' | 'at'>): CorrectionRecord {
  return {
    caseId: 'c1',
    batchId: 'b-1',
    file: 'passport.jpg',
    documentType: 'passport',
    textKey: textKey(overrides.documentId),
    field: 'surname',
    extracted: 'MULLER',
    extractedSource: 'rules',
    corrected: 'Müller',
    reviewer: 'anna',
    reviewerKeyId: 'k-anna',
    ...overrides,
  };
}

let dir: string;
let reviews: ReviewStore;
let documents: FsDocumentStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kyc-export-corrections-'));
  const keys = testKeyring();
  reviews = await openReviewStore(`file:${join(dir, 'review.db')}`, keys);
  documents = new FsDocumentStore(join(dir, 'store'), keys);
  await documents.putJson(textKey(DOC_A), { fileKind: 'jpeg', pages: PASSPORT_PAGES });
  await documents.putJson(textKey(DOC_B), { fileKind: 'pdf', pages: BILL_PAGES });
});

afterEach(async () => {
  await reviews.close();
  await rm(dir, { recursive: true, force: true });
});

async function exported(): Promise<CorrectionExample[]> {
  const all: CorrectionExample[] = [];
  for await (const example of correctionExamples(reviews, documents)) all.push(example);
  return all;
}

describe('correctionExamples', () => {
  test('when corrections are stored with their documents\' text, then each is exported once with the text of every page', async () => {
    const surname = correction({ correctionId: 't1:1:a:surname:2', documentId: DOC_A, at: '2026-11-02T10:00:00.000Z' });
    const givenNames = correction({ correctionId: 't1:1:a:givenNames:2', documentId: DOC_A, field: 'givenNames', extracted: 'ANNA', corrected: 'Anna Maria', at: '2026-11-02T10:00:00.000Z' });
    const model = { file: 'gemma-3-270m-q4_k_m.gguf', sha256: 'ab'.repeat(32), promptVersion: 'kyc-prompts-test' };
    const fullName = correction({
      correctionId: 't2:1:b:fullName:4',
      caseId: 'c2',
      documentId: DOC_B,
      file: 'bill.pdf',
      documentType: 'utility_bill',
      field: 'fullName',
      extracted: 'Alice Marti',
      extractedSource: 'model',
      corrected: 'Alice Martin',
      model,
      at: '2026-11-03T09:00:00.000Z',
    });
    await reviews.addCorrections([fullName, surname, givenNames]);
    await reviews.addCorrections([surname]); // a retried write: idempotent by correctionId

    const examples = await exported();

    // What the engine analysed: each page's text with its MRZ band reading appended.
    const analysed = PASSPORT_PAGES.map((p) => (p.mrzText ? `${p.text}\n${p.mrzText}` : p.text));
    expect(analysed[0]).toContain('P<DEUMULLER');
    expect(examples).toEqual([
      { ...givenNames, text: analysed },
      { ...surname, text: analysed },
      { ...fullName, text: ['Electricity bill\nAlice Martin\n12 High Street'] },
    ]);
  });

  test('when a correction has no textKey, or its text is no longer stored, then it is exported without text', async () => {
    const { textKey: _k, ...withoutKey } = correction({ correctionId: 'no-key', documentId: DOC_C, at: '2026-11-02T10:00:00.000Z' });
    const deleted = correction({ correctionId: 'deleted', documentId: DOC_C, at: '2026-11-02T11:00:00.000Z' });
    await reviews.addCorrections([withoutKey, deleted]);

    const examples = await exported();

    expect(examples).toEqual([withoutKey, deleted]);
    expect(examples.every((e) => !('text' in e))).toBe(true);
  });

  test('when there are no corrections, then nothing is exported', async () => {
    expect(await exported()).toEqual([]);
  });

  test('when the export is written as JSONL, then npm run eval -- --corrections reads every line back', async () => {
    await reviews.addCorrections([
      correction({ correctionId: 'one', documentId: DOC_A, at: '2026-11-02T10:00:00.000Z' }),
      correction({ correctionId: 'two', documentId: DOC_C, at: '2026-11-02T11:00:00.000Z' }),
    ]);
    const lines = (await exported()).map((e) => JSON.stringify(e)).join('\n');

    const parsed = parseCorrectionExamples(`${lines}\n`);

    expect(parsed.map((e) => [e.correctionId, e.text?.length])).toEqual([
      ['one', 2],
      ['two', undefined],
    ]);
  });
});
