/**
 * Corrections keep checks honest, through the real workflows: a passport whose MRZ check digits all
 * agree goes to review for another reason (the declared address differs from the bill); a reviewer
 * who types an expiry date the verified MRZ contradicts leaves a failed check on the case, and
 * approving is recorded as overriding it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CaseReport } from '../../src/domain/report.js';
import { CORRECTION_CHECK_ID, DIFFERS_FROM_MRZ } from '../../src/review/correction-checks.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { buildTd3 } from '../support/mrz-builder.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const AS_OF = '2026-11-01';
const CASE_ID = 'mrz-contradicted-1';
let pipeline: Pipeline;
let submitter: TestKey;
let reviewer: TestKey;

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  submitter = await createKey(pipeline.reviewStore, 'backoffice', ['submitter']);
  reviewer = await createKey(pipeline.reviewStore, 'rosa', ['reviewer']);
});
afterAll(async () => {
  await pipeline?.close();
});

async function documents(): Promise<Array<{ fileName: string; bytes: Uint8Array }>> {
  const [mrz1, mrz2] = buildTd3({
    issuingState: 'GBR', surname: 'Hollingsworth', givenNames: 'Marta', documentNumber: 'K4839201', nationality: 'GBR', dateOfBirth: '1984-02-19', sex: 'F', expiryDate: '2030-01-01',
  });
  const passport = await textPdf([[
    'PASSPORT', 'United Kingdom of Great Britain and Northern Ireland', 'Passport No: K4839201', 'Surname: HOLLINGSWORTH',
    'Given names: MARTA', 'Nationality: BRITISH CITIZEN', 'Date of birth: 19 FEB 1984', 'Date of expiry: 01 JAN 2030', mrz1, mrz2,
  ]]);
  const bill = await textPdf([[
    'Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Marta Hollingsworth', '22 Orchard Way', 'York YO1 7HH', 'Amount due: GBP 41.80',
  ]]);
  return [
    { fileName: 'passport.pdf', bytes: passport },
    { fileName: 'bill.pdf', bytes: bill },
  ];
}

describe('a correction that contradicts a verified MRZ value', () => {
  test('leaves a failed check on the case, and approving over it is recorded as the reviewer\'s override', async () => {
    const { batchId } = await pipeline.service.submitBatch({
      asOf: AS_OF,
      submittedBy: submitter.actor.keyId,
      cases: [{ caseId: CASE_ID, applicant: { fullName: 'Marta Hollingsworth', address: '9 Lantern Street, Leeds LS2 8AA' }, documents: await documents() }],
    });
    await pipeline.service.waitForBatch(batchId);
    const task = await waitFor(() => pipeline.reviewStore.latestTaskForCase(CASE_ID), 20_000, 'the review task');
    expect(task.reasons).toContain('address_mismatch');

    const before = (await pipeline.service.getCase(CASE_ID)) as CaseReport;
    expect(before.checks.filter((c) => c.id === 'mrz_checksum').map((c) => c.status)).toEqual(['pass']);
    expect(before.checks.filter((c) => c.id === CORRECTION_CHECK_ID)).toEqual([]);
    const passport = before.documents.find((d) => d.file === 'passport.pdf')!;
    expect(passport.fields.expiryDate).toBe('2030-01-01');
    expect(passport.mrzFieldStatus?.expiryDate).toBe('read');

    await pipeline.review.act(CASE_ID, reviewer.actor, { kind: 'claim' });
    await pipeline.review.act(CASE_ID, reviewer.actor, {
      kind: 'decide',
      decision: {
        decision: 'approve',
        reason: 'applicant moved; expiry read from the photo page',
        corrections: [{ documentId: passport.documentId, field: 'expiryDate', value: '2031-05-20' }],
      },
    });

    const final = await waitFor(async () => {
      const r = (await pipeline.service.getCase(CASE_ID)) as CaseReport;
      return r.status === 'completed' ? r : undefined;
    });
    expect(final).toMatchObject({ decision: 'approved', automaticDecision: 'review', decidedBy: 'rosa' });
    // The re-run alone passes the typed date (it lies in the future); the contradiction is what fails.
    expect(final.checks.filter((c) => c.id === 'document_not_expired').map((c) => c.status)).toEqual(['pass']);
    expect(final.checks.filter((c) => c.id === CORRECTION_CHECK_ID)).toEqual([
      { id: CORRECTION_CHECK_ID, status: 'fail', detail: `Expiry date: ${DIFFERS_FROM_MRZ}`, file: 'passport.pdf' },
    ]);
    expect(final.documents.find((d) => d.file === 'passport.pdf')!.evidence.expiryDate).toMatchObject({ source: 'reviewer', previous: '2030-01-01' });

    const { events } = (await pipeline.review.getTask(CASE_ID))!;
    const approved = events.find((e) => e.action === 'approved');
    expect(approved?.detail?.overridesFailedChecks).toEqual(expect.arrayContaining([CORRECTION_CHECK_ID, 'address_matches_declared']));
  });
});
