import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { batchWorkflowId, caseWorkflowId } from '../../src/temporal/names.js';
import { recordHistory } from '../support/histories.js';
import type { CaseReport } from '../../src/domain/report.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSampleBatch } from '../../src/corpus/index.js';
import { readCaseDir } from '../../src/cli/case-dir.js';
import type { SubmitCaseRequest } from '../../src/app/service.js';
import { textPdf } from '../support/draw.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';

const AS_OF = '2026-11-01';
let pipeline: Pipeline;
let sampleDir: string;
let labels: Labels;
let sampleCase: SubmitCaseRequest;

beforeAll(async () => {
  // The generated sample batch: a photographed passport and a text-layer utility bill, with labels.
  sampleDir = await mkdtemp(join(tmpdir(), 'kyc-sample-'));
  await generateSampleBatch(sampleDir, { asOf: AS_OF });
  labels = JSON.parse(await readFile(join(sampleDir, 'labels.json'), 'utf8')) as Labels;
  sampleCase = await readCaseDir(join(sampleDir, 'case-001'), 10_000_000);
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline?.close();
  await rm(sampleDir, { recursive: true, force: true });
});

function utilityBill(): Promise<Uint8Array> {
  return textPdf([[
    'Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Account number: 99120044',
    'Alice Martin', '12 High Street', 'London SW1A 1AA', 'Amount due: GBP 54.20',
  ]]);
}

interface Labels {
  cases: Record<string, { decision: string; reasons: string[]; documents: Record<string, { type: string; fields: Record<string, string> }> }>;
}

async function waitForReports(batchId: string, caseIds: string[]): Promise<CaseReport[]> {
  await pipeline.service.waitForBatch(batchId);
  const reports = [];
  for (const id of caseIds) reports.push((await pipeline.service.getCaseInBatch(batchId, id)) as CaseReport);
  return reports;
}

describe('the KYC pipeline on a real Temporal server', () => {
  let batchId: string;
  let first: CaseReport | undefined;
  const submission = () => pipeline.service.submitBatch({ asOf: AS_OF, cases: [sampleCase] });

  test('a whole case: an OCR-read passport photo and a PDF text layer give a complete, correct report', async () => {
    const submitted = await submission();
    expect(submitted.existing).toBe(false);
    batchId = submitted.batchId;
    [first] = await waitForReports(batchId, ['case-001']);
    const report = first!;
    const expected = labels.cases['case-001']!;
    expect(report).toMatchObject({ caseId: 'case-001', batchId, status: 'completed', asOf: AS_OF });
    const byFile = Object.fromEntries(report.documents.map((d) => [d.file, d]));
    const passport = byFile['passport.jpg']!;
    const bill = byFile['utility_bill.pdf']!;
    expect(passport.pages.map((p) => p.method)).toEqual(['ocr']);
    expect(bill.pages.map((p) => p.method)).toEqual(['pdf-text']);
    for (const [file, doc] of Object.entries(expected.documents)) {
      expect(byFile[file]!.type).toBe(doc.type);
      expect(byFile[file]!.confidence).toBeGreaterThan(0.5);
    }
    const truth = expected.documents['passport.jpg']!.fields;
    for (const field of ['documentNumber', 'dateOfBirth', 'expiryDate', 'nationality', 'issuingCountry']) {
      expect(passport.fields[field as keyof typeof passport.fields], field).toBe(truth[field]);
    }
    expect(passport.fields.surname?.toUpperCase()).toBe(truth.surname!.toUpperCase());
    expect(passport.evidence.documentNumber?.source).toBe('mrz');
    expect(bill.fields.statementDate).toBe(expected.documents['utility_bill.pdf']!.fields.statementDate);
    expect(report.checks.find((c) => c.id === 'mrz_checksum')?.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'document_not_expired')?.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'name_matches_declared')?.status).toBe('pass');
    expect(report.decision).toBe(expected.decision);
    expect(report.reasons).toEqual(expected.reasons);
  });

  test('submitting the same batch again processes nothing twice', async () => {
    const again = await submission();
    expect(again).toEqual({ batchId, caseIds: ['case-001'], existing: true });
    const [report] = await waitForReports(batchId, ['case-001']);
    expect(report).toEqual(first);
    // The case workflow ran once: its history schedules one text extraction per document.
    const history = await pipeline.env.client.workflow.getHandle(caseWorkflowId(batchId, 'case-001')).fetchHistory();
    const extractions = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'extractText',
    );
    expect(extractions).toHaveLength(2);
    // Checks, decision and audit trail in one activity: one round trip after the documents, not two.
    const scheduled = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled.filter((name) => name === 'concludeCase')).toHaveLength(1);
    expect(scheduled).not.toContain('runCaseChecks');
    expect(scheduled).not.toContain('recordAudit');
    // Histories from before the OCR worker analysed settled documents stay as kyc-case-two-documents.json;
    // those from before concludeCase, as kyc-case-analysed-at-ocr.json.
    await recordHistory('kyc-case-concluded-in-one', caseWorkflowId(batchId, 'case-001'), pipeline.env.address);
    await recordHistory('kyc-batch-one-case', batchWorkflowId(batchId), pipeline.env.address);
  });

  test('a bad document becomes a document error and the case goes on to review', async () => {
    const good = await utilityBill();
    const { batchId: badBatch } = await pipeline.service.submitBatch({
      asOf: AS_OF,
      cases: [{
        caseId: 'bob',
        applicant: { fullName: 'Alice Martin' },
        documents: [
          { fileName: 'truncated.pdf', bytes: good.slice(0, Math.floor(good.length / 3)) },
          { fileName: 'photo.jpg', bytes: new TextEncoder().encode('this is not an image at all') },
          { fileName: 'empty.png', bytes: new Uint8Array() },
          { fileName: 'bill.pdf', bytes: good },
        ],
      }],
    });
    const [bob] = await waitForReports(badBatch, ['bob']);
    expect(bob!.status).toBe('awaiting_review');
    const byFile = Object.fromEntries(bob!.documents.map((d) => [d.file, d]));
    expect(byFile['truncated.pdf']!.errorCode).toBe('UNREADABLE_DOCUMENT');
    expect(byFile['photo.jpg']!.errorCode).toBe('UNSUPPORTED_FILE_TYPE');
    expect(byFile['empty.png']!.errorCode).toBe('UNSUPPORTED_FILE_TYPE');
    expect(byFile['truncated.pdf']!.error).toBeTruthy();
    expect(byFile['bill.pdf']!.type).toBe('utility_bill');
    expect(byFile['bill.pdf']!.error).toBeUndefined();
    expect(bob!.decision).toBe('review');
    expect(bob!.reasons).toContain('unreadable_document');
    expect(bob!.reasons).toContain('missing_identity');
  });

  test('a document rules settle is finished by the OCR worker; one whose type they cannot tell goes through the model queue', async () => {
    const letter = await textPdf([['Reference 4471', 'Ms Alice Martin', '12 High Street', 'London SW1A 1AA', 'Please keep this letter for your records.']]);
    const { batchId: mixed } = await pipeline.service.submitBatch({
      asOf: AS_OF,
      cases: [{ caseId: 'carol', applicant: { fullName: 'Alice Martin' }, documents: [{ fileName: 'bill.pdf', bytes: await utilityBill() }, { fileName: 'letter.pdf', bytes: letter }] }],
    });
    const [carol] = await waitForReports(mixed, ['carol']);
    const byFile = Object.fromEntries(carol!.documents.map((d) => [d.file, d]));
    expect(byFile['bill.pdf']).toMatchObject({ type: 'utility_bill', fields: { fullName: 'Alice Martin' } });
    expect(byFile['letter.pdf']!.type).toBe('unknown');
    const history = await pipeline.env.client.workflow.getHandle(caseWorkflowId(mixed, 'carol')).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled.filter((name) => name === 'extractText')).toHaveLength(2);
    expect(scheduled.filter((name) => name === 'analyseDocument')).toHaveLength(1);
  });
});
