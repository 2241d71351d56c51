/**
 * Fail closed through the real workflows: a passport whose printed MRZ carries a wrong expiry check
 * digit goes to review; a reviewer who corrects the expiry date does not make the failed MRZ check
 * disappear (a typed value does not re-verify check digits), and approving over it is recorded as
 * the reviewer's decision, naming the check it overrides.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CaseReport } from '../../src/domain/report.js';
import { KEPT_AFTER_CORRECTION } from '../../src/review/rules.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { buildTd3 } from '../support/mrz-builder.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const AS_OF = '2026-11-01';
const CASE_ID = 'mrz-fix-1';
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
  const [mrz1, mrz2] = buildTd3(
    { issuingState: 'GBR', surname: 'Hollingsworth', givenNames: 'Marta', documentNumber: 'K4839201', nationality: 'GBR', dateOfBirth: '1984-02-19', sex: 'F', expiryDate: '2031-03-14' },
    { breakCheck: 'expiryDate' },
  );
  const passport = await textPdf([[
    'PASSPORT', 'United Kingdom of Great Britain and Northern Ireland', 'Passport No: K4839201', 'Surname: HOLLINGSWORTH',
    'Given names: MARTA', 'Nationality: BRITISH CITIZEN', 'Date of birth: 19 FEB 1984', 'Date of expiry: 14 MAR 2031', mrz1, mrz2,
  ]]);
  const bill = await textPdf([[
    'Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Marta Hollingsworth', '22 Orchard Way', 'York YO1 7HH', 'Amount due: GBP 41.80',
  ]]);
  return [
    { fileName: 'passport.pdf', bytes: passport },
    { fileName: 'bill.pdf', bytes: bill },
  ];
}

describe('a correction on a case whose MRZ check digit fails', () => {
  test('the MRZ verdict survives the correction, and approving over it is recorded as the reviewer\'s', async () => {
    const { batchId } = await pipeline.service.submitBatch({
      asOf: AS_OF,
      submittedBy: submitter.actor.keyId,
      cases: [{ caseId: CASE_ID, applicant: { fullName: 'Marta Hollingsworth', address: '22 Orchard Way, York YO1 7HH' }, documents: await documents() }],
    });
    await pipeline.service.waitForBatch(batchId);
    const task = await waitFor(() => pipeline.reviewStore.latestTaskForCase(CASE_ID), 20_000, 'the review task');
    expect(task.reasons).toContain('mrz_checksum');

    const before = (await pipeline.service.getCase(CASE_ID)) as CaseReport;
    expect(before.checks.filter((c) => c.id === 'mrz_checksum').map((c) => c.status)).toEqual(['fail']);
    const passport = before.documents.find((d) => d.file === 'passport.pdf')!;

    await pipeline.review.act(CASE_ID, reviewer.actor, { kind: 'claim' });
    await pipeline.review.act(CASE_ID, reviewer.actor, {
      kind: 'decide',
      decision: {
        decision: 'approve',
        reason: 'expiry checked against the issuing office',
        corrections: [{ documentId: passport.documentId, field: 'expiryDate', value: '2031-03-14' }],
      },
    });

    const final = await waitFor(async () => {
      const r = (await pipeline.service.getCase(CASE_ID)) as CaseReport;
      return r.status === 'completed' ? r : undefined;
    });
    expect(final).toMatchObject({ decision: 'approved', automaticDecision: 'review', decidedBy: 'rosa' });
    const mrz = final.checks.filter((c) => c.id === 'mrz_checksum');
    expect(mrz).toEqual([expect.objectContaining({ status: 'fail', file: 'passport.pdf' })]);
    expect(mrz[0]!.detail).toContain(KEPT_AFTER_CORRECTION.trim());
    // The corrected field's own check was re-run on the typed value.
    expect(final.checks.filter((c) => c.id === 'document_not_expired').map((c) => c.status)).toEqual(['pass']);

    const { events } = (await pipeline.review.getTask(CASE_ID))!;
    const approved = events.find((e) => e.action === 'approved');
    expect(approved).toMatchObject({ actor: 'rosa', detail: { reason: 'expiry checked against the issuing office', overridesFailedChecks: ['mrz_checksum'] } });
  });
});
