import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { caseWorkflowId } from '../../src/temporal/names.js';
import type { CaseReport } from '../../src/domain/report.js';
import { buildTd3 } from '../support/mrz-builder.js';
import { textImage, textPdf } from '../support/draw.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';

const AS_OF = '2026-11-01';
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline?.close();
});

async function passportPhoto(): Promise<Uint8Array> {
  const [l1, l2] = buildTd3({
    issuingState: 'GBR', surname: 'Martin', givenNames: 'Alice Jane', documentNumber: '533401372',
    nationality: 'GBR', dateOfBirth: '1988-04-12', sex: 'F', expiryDate: '2031-06-30',
  });
  return textImage('jpeg', {
    lines: [
      'UNITED KINGDOM OF GREAT BRITAIN', 'PASSPORT', 'Surname: MARTIN', 'Given names: ALICE JANE',
      'Nationality: BRITISH CITIZEN', 'Date of birth: 12 APR 1988', 'Date of expiry: 30 JUN 2031', '', l1, l2,
    ],
    font: 'ocrB', fontSize: 34, width: 1400, height: 900, photo: 0.4, rotateDeg: 0.8, seed: 7,
  });
}

function utilityBill(): Promise<Uint8Array> {
  return textPdf([[
    'Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Account number: 99120044',
    'Alice Martin', '12 High Street', 'London SW1A 1AA', 'Billing period: 01/09/2026 - 30/09/2026',
    'Electricity used: 212 kWh', 'Amount due: GBP 54.20',
  ]]);
}

async function waitForReports(batchId: string, caseIds: string[]): Promise<CaseReport[]> {
  await pipeline.service.waitForBatch(batchId);
  const reports = [];
  for (const id of caseIds) reports.push((await pipeline.service.getCaseInBatch(batchId, id)) as CaseReport);
  return reports;
}

describe('the KYC pipeline on a real Temporal server', () => {
  let batchId: string;
  let alice: CaseReport | undefined;
  let files: { passport: Uint8Array; bill: Uint8Array } | undefined;
  const submission = async () => {
    // Generated once: a resubmission sends the very same bytes.
    files ??= { passport: await passportPhoto(), bill: await utilityBill() };
    return pipeline.service.submitBatch({
      asOf: AS_OF,
      cases: [{
        caseId: 'alice',
        applicant: { fullName: 'Alice Martin', dateOfBirth: '1988-04-12', address: '12 High St, London SW1A 1AA', nationality: 'GBR' },
        documents: [
          { fileName: 'passport.jpg', bytes: files.passport },
          { fileName: 'bill.pdf', bytes: files.bill },
        ],
      }],
    });
  };

  test('a whole case: an OCR-read passport photo and a PDF text layer give a complete report', async () => {
    const first = await submission();
    expect(first.existing).toBe(false);
    batchId = first.batchId;
    [alice] = await waitForReports(batchId, ['alice']);
    expect(alice!.caseId).toBe('alice');
    expect(alice!.status).toBe('completed');
    const [passport, bill] = alice!.documents;
    expect(passport!.pages[0]!.method).toBe('ocr');
    expect(passport!.type).toBe('passport');
    expect(passport!.fields.surname?.toUpperCase()).toBe('MARTIN');
    expect(passport!.fields.documentNumber).toBe('533401372');
    expect(passport!.fields.dateOfBirth).toBe('1988-04-12');
    expect(passport!.fields.expiryDate).toBe('2031-06-30');
    expect(passport!.evidence.surname?.source).toBe('mrz');
    expect(bill!.pages[0]!.method).toBe('pdf-text');
    expect(bill!.type).toBe('utility_bill');
    expect(bill!.fields.statementDate ?? bill!.fields.issueDate).toBe('2026-10-03');
    expect(alice!.checks.find((c) => c.id === 'mrz_checksum')?.status).toBe('pass');
    expect(alice!.checks.find((c) => c.id === 'document_not_expired')?.status).toBe('pass');
    expect(alice!.decision).toBe('approved');
    expect(alice!.reasons).toEqual([]);
  });

  test('submitting the same batch again processes nothing twice', async () => {
    const again = await submission();
    expect(again).toEqual({ batchId, caseIds: ['alice'], existing: true });
    const [report] = await waitForReports(batchId, ['alice']);
    expect(report).toEqual(alice);
    // The case workflow ran once: its history schedules one text extraction per document.
    const history = await pipeline.env.client.workflow.getHandle(caseWorkflowId(batchId, 'alice')).fetchHistory();
    const extractions = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'extractText',
    );
    expect(extractions).toHaveLength(2);
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
    expect(bob!.status).toBe('completed');
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
});
