/**
 * The torture corpus (src/corpus/torture.ts) as cases through the real pipeline: real Temporal,
 * real workers in this process with pdf.js, tesseract.js and sharp, low limits. Every case also holds
 * a good utility bill. No file may crash or hang the worker, every file must come out as a document
 * report (read, or a document error with a clear code), and the bill must still be read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sanitiseFileName } from '../../src/adapters/fs-document-store.js';
import { generateTortureCorpus, type TortureFile } from '../../src/corpus/torture.js';
import { DOCUMENT_ERROR_CODES } from '../../src/domain/errors.js';
import type { CaseReport, DocumentReport } from '../../src/domain/report.js';
import { caseWorkflowId } from '../../src/temporal/names.js';
import { textPdf } from '../support/draw.js';
import { createLogger } from '../../src/logger.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';

const AS_OF = '2026-11-01';
const FILES_PER_CASE = 8;
/** The whole batch must finish inside this; a hung page would hold it far longer. */
const BATCH_BOUND_MS = 170_000;
const LIMITS = { PAGE_TIMEOUT: '10s', MAX_PAGES: '50', MAX_PIXELS: '20000000', MAX_DOCUMENT_BYTES: String(30 * 1024 * 1024) };

let pipeline: Pipeline;
let corpus: TortureFile[];
let workersStopped: string | undefined;

beforeAll(async () => {
  corpus = await generateTortureCorpus();
  // Rules only: the model reads text, not files, and is not what this test is about.
  pipeline = await startPipeline({ ...LIMITS, MODEL_MODE: 'off' }, { logger: createLogger('error') });
  pipeline.workers.done.then(
    () => (workersStopped = 'the workers stopped'),
    (err: unknown) => (workersStopped = `the workers failed: ${String(err)}`),
  );
});
afterAll(() => pipeline?.close());

function utilityBill(caseId: string): Promise<Uint8Array> {
  return textPdf([[
    'Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', `Account number: 9912${caseId.replace(/\D/g, '').padStart(4, '0')}`,
    'Alice Martin', '12 High Street', 'London SW1A 1AA', 'Amount due: GBP 54.20',
  ]]);
}

describe('the torture corpus through the real pipeline', () => {
  test('no crash, no hang, every file accounted for, and the good document in each case still read', { timeout: 240_000 }, async () => {
    const groups: TortureFile[][] = [];
    for (let i = 0; i < corpus.length; i += FILES_PER_CASE) groups.push(corpus.slice(i, i + FILES_PER_CASE));
    const cases = await Promise.all(
      groups.map(async (files, i) => {
        const caseId = `torture-${String(i + 1).padStart(2, '0')}`;
        return {
          caseId,
          applicant: { fullName: 'Alice Martin' },
          documents: [
            ...files.map((f) => ({ fileName: f.name, bytes: f.bytes })),
            { fileName: 'good-bill.pdf', bytes: await utilityBill(caseId) },
          ],
        };
      }),
    );

    const started = Date.now();
    const { batchId } = await pipeline.service.submitBatch({ asOf: AS_OF, cases });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), BATCH_BOUND_MS)));
    const outcome = await Promise.race([pipeline.service.waitForBatch(batchId), bound]);
    clearTimeout(timer);
    const elapsed = Date.now() - started;
    console.log(`torture corpus: ${corpus.length} files in ${cases.length} cases, batch done in ${(elapsed / 1000).toFixed(1)} s`);
    expect(outcome, `the batch did not finish within ${BATCH_BOUND_MS / 1000} s`).not.toBe('hung');

    // The same worker process ran everything and is still running.
    expect(workersStopped).toBeUndefined();

    const reports = new Map<string, CaseReport>();
    for (const c of cases) {
      const report = (await pipeline.service.getCaseInBatch(batchId, c.caseId)) as CaseReport | undefined;
      expect(report?.documents, `case ${c.caseId} has no report`).toBeDefined();
      reports.set(c.caseId, report!);
    }

    const outcomes: string[] = [];
    groups.forEach((files, i) => {
      const report = reports.get(cases[i]!.caseId)!;
      const byFile = new Map<string, DocumentReport>(report.documents.map((d) => [d.file, d]));
      expect(report.documents).toHaveLength(files.length + 1);
      const bill = byFile.get('good-bill.pdf');
      expect(bill?.error, `${report.caseId}: the good bill was not read`).toBeUndefined();
      expect(bill?.type).toBe('utility_bill');
      for (const file of files) {
        const doc = byFile.get(sanitiseFileName(file.name));
        expect(doc, `${file.name} (${file.about}) is missing from ${report.caseId}`).toBeDefined();
        const result = doc!.errorCode ?? 'read';
        outcomes.push(`${file.name}: ${result}`);
        const label = `${file.name} (${file.about}) → ${result}${doc!.error ? `: ${doc!.error}` : ''}`;
        if (file.expect.kind === 'read') {
          expect(doc!.error, label).toBeUndefined();
          expect(doc!.pages.length, label).toBeGreaterThan(0);
        } else if (file.expect.kind === 'error') {
          expect(file.expect.codes, label).toContain(doc!.errorCode);
        } else if (doc!.errorCode !== undefined) {
          // A clear document error, never "retries ran out" (PROCESSING_FAILED).
          expect(DOCUMENT_ERROR_CODES as readonly string[], label).toContain(doc!.errorCode);
        }
        if (doc!.errorCode) expect(doc!.error, label).toBeTruthy();
      }
      // A case with unreadable documents goes on to review, for people to look at.
      if (report.documents.some((d) => d.error !== undefined)) {
        expect(report.decision).toBe('review');
        expect(report.reasons).toContain('unreadable_document');
      }
      // Names are labels, never paths: no separators, control or bidi characters.
      for (const d of report.documents) expect(d.file).toMatch(/^[\p{L}\p{N}._ -]+$/u);
    });
    console.log(outcomes.join('\n'));

    // Every text extraction ran once, on this process's worker: nothing timed out and was retried.
    const identities = new Set<string>();
    for (const c of cases) {
      const history = await pipeline.env.client.workflow.getHandle(caseWorkflowId(batchId, c.caseId)).fetchHistory();
      const events = history.events ?? [];
      expect(events.filter((e) => e.activityTaskTimedOutEventAttributes), `${c.caseId}: an activity timed out`).toEqual([]);
      for (const e of events) {
        const startedTask = e.activityTaskStartedEventAttributes;
        if (!startedTask) continue;
        expect(startedTask.attempt, `${c.caseId}: an activity was retried`).toBe(1);
        identities.add(startedTask.identity ?? '');
      }
    }
    expect(identities.size).toBe(1);
    expect([...identities][0]).toContain(`${process.pid}@`);
  });
});
