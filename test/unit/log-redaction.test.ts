/**
 * No personal data or document content in logs. Three layers: the real pino logger from
 * src/logger.ts fed careless log calls; the real activities' logging paths (through the same SDK
 * log sink the workers use) on documents full of distinctive personal data; and the workers of a
 * real case at trace level with everything they log captured. Each scan looks for every needle.
 */
import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, describe, expect, test } from 'vitest';
import { analyseActivities } from '../../activities/analyse.activities.js';
import { extractTextActivities } from '../../activities/extract-text.activities.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool } from '../../src/adapters/tesseract-ocr.js';
import type { DocumentRef, ExtractedTextSummary } from '../../src/domain/documents.js';
import type { DocumentStore } from '../../src/domain/ports.js';
import type { CaseReport } from '../../src/domain/report.js';
import { createLogger, redactLogObject, redactText, temporalLogSink } from '../../src/logger.js';
import { encryptedPdf, textPdf } from '../support/draw.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';

// --- the applicant: every value distinctive enough to find in a log line --------------------------

const PERSON = {
  fullName: 'Zebulon Quartermaine-Oyelaran',
  dateOfBirth: '1961-07-23',
  address: '47 Wisteria Crescent, Little Snoring NR21 0AX',
  nationality: 'GBR',
};
const IBAN = 'GB82 WEST 1234 5698 7654 32';
const DOCUMENT_TEXT = 'Quokka-Spline electricity tariff';
const FILE_NAMES = ['zebulon-passport-scan.pdf', 'Quartermaine_bill.pdf', 'wisteria-letter.pdf'];
const MRZ = 'P<GBRQUARTERMAINE<OYELARAN<<ZEBULON<<<<<<<<<<';
const NEEDLES = [
  'Zebulon', 'Quartermaine', 'Oyelaran', '1961-07-23', '23/07/1961', 'Wisteria', 'Snoring', 'NR21',
  'GB82', 'WEST1234', '5698 7654', 'Quokka', 'Spline', 'zebulon-passport', 'wisteria-letter', 'QUARTERMAINE',
];

function expectClean(text: string): void {
  const found = NEEDLES.filter((n) => text.toLowerCase().includes(n.toLowerCase()));
  expect(found, `personal data in the logs:\n${text.slice(0, 4000)}`).toEqual([]);
}

/** A pino logger from src/logger.ts writing into memory. */
function capturedLogger(level = 'trace'): { logger: ReturnType<typeof createLogger>; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(level, sink);
  const text = (): string => chunks.join('');
  return { logger, text, lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const billLines = [
  'Northern Power Ltd', 'Electricity bill', DOCUMENT_TEXT, 'Bill date: 03/10/2026', PERSON.fullName,
  '47 Wisteria Crescent', 'Little Snoring NR21 0AX', 'Date of birth: 23/07/1961', `IBAN ${IBAN}`, 'Amount due: GBP 54.20',
];

// --- 1. the logger itself -------------------------------------------------------------------------

describe('the redaction layer', () => {
  test('when a log call carries personal data under known keys at any depth, then every value is censored', () => {
    const { logger, text, lines } = capturedLogger();
    logger.info({ applicant: PERSON, documentId: 'doc-1', pages: 3 }, 'case received');
    logger.info({ deep: { deeper: { fields: { surname: 'QUARTERMAINE' }, list: [{ fileName: FILE_NAMES[0] }] } } }, 'nested');
    logger.warn({ doc: { id: 'doc-2', fileName: FILE_NAMES[1], text: DOCUMENT_TEXT } }, 'document');
    logger.info({ fullname: PERSON.fullName, FileName: FILE_NAMES[2], Text: DOCUMENT_TEXT }, 'keys in any case');
    expectClean(text());
    const [first] = lines();
    expect(first).toMatchObject({ msg: 'case received', documentId: 'doc-1', pages: 3, applicant: '[redacted]', service: 'kyc-engine' });
  });

  test('when personal data hides in free text (message, error, unknown key), then IBANs, MRZ lines and e-mails are masked', () => {
    const { logger, text } = capturedLogger();
    logger.info(`payment from ${IBAN} and ${IBAN.replace(/ /g, '')}`);
    logger.info({ detail: `read ${MRZ} from page 1` }, 'mrz read');
    logger.error({ err: new Error(`could not match ${IBAN}`, { cause: new Error(`line was ${MRZ}`) }) }, 'failed');
    logger.info({ contact: 'zebulon.quartermaine@example.org' }, 'contact');
    expectClean(text());
    expect(text()).toContain('[iban]');
    expect(text()).toContain('[mrz]');
  });

  test('when a check with its compared values or sanctions entry is logged, then those are censored and the verdict stays', () => {
    const check = {
      id: 'sanctions_screening',
      status: 'fail',
      comparison: { field: 'fullName', reference: 'Zebulon Quartermaine', found: 'Zeb Quartermain' },
      sanctionsMatch: { entryId: 'NK-1', entryName: 'Zebulon Quartermaine', aliases: ['Z. Quartermaine'] },
    };
    expect(redactLogObject({ check })).toEqual({ check: { id: 'sanctions_screening', status: 'fail', comparison: '[redacted]', sanctionsMatch: '[redacted]' } });
  });

  test('when bytes or deep structures are logged, then they are summarised, not dumped', () => {
    expect(redactLogObject({ image: new Uint8Array(10), data: new Uint8Array(4) })).toEqual({ image: '[redacted]', data: '[4 bytes]' });
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redactLogObject(deep))).toContain('[too deep]');
    expect(redactText('no personal data here: case-001, 3 pages, 2026-11-01')).toBe('no personal data here: case-001, 3 pages, 2026-11-01');
  });
});

// --- 2. the activities' logging paths ------------------------------------------------------------

describe('the activities log ids and counts only', () => {
  test('when documents full of personal data are extracted and analysed (and one fails), then no value reaches the log', { timeout: 60_000 }, async () => {
    const { logger, text, lines } = capturedLogger();
    const sdkLogger = new DefaultLogger('TRACE', temporalLogSink(logger));
    const blobs = new Map<string, unknown>();
    const documents = new Map<string, Uint8Array>();
    const store = {
      async getDocument(id: string) {
        return documents.get(id)!;
      },
      async putJson(key: string, value: unknown) {
        blobs.set(key, JSON.parse(JSON.stringify(value)));
      },
      async getJson<T>(key: string) {
        return blobs.get(key) as T;
      },
    } as unknown as DocumentStore;
    documents.set('a'.repeat(64), await textPdf([billLines]));
    documents.set('b'.repeat(64), await encryptedPdf(`${PERSON.fullName} ${IBAN}`, 'secret'));
    const ocr = await createTesseractPool({ size: 1 });
    try {
      const deps = { store, ocr, pdf: createPdfEngine(), image: createSharpPreprocessor(), modelMode: 'assist' as const };
      const { extractText } = extractTextActivities(deps);
      const { analyseDocument } = analyseActivities({ store });
      const env = new MockActivityEnvironment(
        { workflowExecution: { workflowId: 'kyc-case-b-1-case-77', runId: 'run-1' }, workflowType: 'processKycCase' },
        { logger: sdkLogger },
      );
      const bill: DocumentRef = { id: 'a'.repeat(64), fileName: FILE_NAMES[1]!, size: 1 };
      const summary = (await env.run(extractText, bill)) as ExtractedTextSummary;
      await env.run(analyseDocument, { doc: bill, textKey: summary.textKey, asOf: '2026-11-01' });
      const locked: DocumentRef = { id: 'b'.repeat(64), fileName: FILE_NAMES[0]!, size: 1 };
      await expect(env.run(extractText, locked)).rejects.toThrow();
      // And a careless call in an activity is caught by the same layer.
      await env.run(async () => {
        const { log } = await import('@temporalio/activity');
        log.info('careless', { applicant: PERSON, page: { text: billLines.join('\n') }, iban: IBAN });
      });
    } finally {
      await ocr.terminate();
    }
    expectClean(text());
    const logged = lines();
    const extracted = logged.find((l) => l.msg === 'text extracted');
    expect(extracted).toMatchObject({ documentId: 'a'.repeat(64), workflowId: 'kyc-case-b-1-case-77', pages: 1, fileKind: 'pdf' });
    expect(logged.find((l) => l.msg === 'document analysed')).toMatchObject({ type: 'utility_bill', workflowId: 'kyc-case-b-1-case-77' });
    expect(logged.find((l) => l.msg === 'text not extracted')).toMatchObject({ code: 'ENCRYPTED_DOCUMENT', documentId: 'b'.repeat(64) });
  });
});

// --- 3. the workers of a real case -----------------------------------------------------------------

describe('the workers of a real case, at trace level', () => {
  let pipeline: Pipeline | undefined;
  afterAll(() => pipeline?.close());

  test('when a case with personal data runs end to end, then nothing personal is in any log line', { timeout: 180_000 }, async () => {
    const { logger, text, lines } = capturedLogger('trace');
    pipeline = await startPipeline({ LOG_LEVEL: 'trace', MODEL_MODE: 'off' }, { logger });
    const { batchId } = await pipeline.service.submitBatch({
      asOf: '2026-11-01',
      cases: [{
        caseId: 'case-77',
        applicant: PERSON,
        documents: [
          { fileName: FILE_NAMES[1]!, bytes: await textPdf([billLines]) },
          { fileName: FILE_NAMES[2]!, bytes: await textPdf([[`Dear ${PERSON.fullName},`, DOCUMENT_TEXT, MRZ]]) },
          { fileName: FILE_NAMES[0]!, bytes: new TextEncoder().encode(`not a document: ${PERSON.fullName} ${IBAN}`) },
        ],
      }],
    });
    await pipeline.service.waitForBatch(batchId);
    const report = (await pipeline.service.getCaseInBatch(batchId, 'case-77')) as CaseReport;
    await pipeline.close();
    pipeline = undefined;

    expect(report.documents).toHaveLength(3); // the case really ran
    const logged = lines();
    expect(logged.length).toBeGreaterThan(20);
    expectClean(text());
    // Structured, with the case's workflow id on what its activities log.
    const extracted = logged.filter((l) => l.msg === 'text extracted');
    expect(extracted.length).toBe(2);
    for (const line of extracted) expect(String(line.workflowId)).toMatch(/^kyc-case-.*-case-77$/);
  });
});
