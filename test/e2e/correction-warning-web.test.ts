/**
 * The reviewer's page, in Chromium, warns before a decision is sent when a corrected value
 * contradicts the document's verified MRZ: the same rule the workflow applies when it records the
 * failed check `correction_matches_evidence` (see test/workflows/review-correction-contradicts-mrz.test.ts).
 * A value that agrees with the MRZ raises no warning. Screenshot saved as an artefact.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { buildTd3 } from '../support/mrz-builder.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { openReviewDesk, SCREENSHOTS, type ReviewDesk } from '../support/review-desk.js';
import { waitFor } from '../support/wait.js';

const CASE_ID = 'web-mrz-contradiction-1';
const PASSPORT = 'passport.pdf';

let pipeline: Pipeline;
let desk: ReviewDesk;
let page: Page;
let problems: string[];
let baseUrl: string;
let reviewer: TestKey;

beforeAll(async () => {

  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  const submitter = await createKey(pipeline.reviewStore, 'backoffice', ['submitter']);
  reviewer = await createKey(pipeline.reviewStore, 'rosa', ['reviewer']);
  desk = await openReviewDesk(pipeline, 'kyc-web-warning-');
  ({ page, problems, baseUrl } = desk);

  // A passport whose MRZ check digits all agree, and a bill at another address than declared: review.
  const [mrz1, mrz2] = buildTd3({
    issuingState: 'GBR', surname: 'Hollingsworth', givenNames: 'Marta', documentNumber: 'K4839201', nationality: 'GBR', dateOfBirth: '1984-02-19', sex: 'F', expiryDate: '2030-01-01',
  });
  const { batchId } = await pipeline.service.submitBatch({
    asOf: '2026-11-01',
    submittedBy: submitter.actor.keyId,
    cases: [
      {
        caseId: CASE_ID,
        applicant: { fullName: 'Marta Hollingsworth', address: '9 Lantern Street, Leeds LS2 8AA' },
        documents: [
          {
            fileName: PASSPORT,
            bytes: await textPdf([[
              'PASSPORT', 'United Kingdom of Great Britain and Northern Ireland', 'Passport No: K4839201', 'Surname: HOLLINGSWORTH',
              'Given names: MARTA', 'Nationality: BRITISH CITIZEN', 'Date of birth: 19 FEB 1984', 'Date of expiry: 01 JAN 2030', mrz1, mrz2,
            ]]),
          },
          {
            fileName: 'bill.pdf',
            bytes: await textPdf([['Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', 'Marta Hollingsworth', '22 Orchard Way', 'York YO1 7HH']]),
          },
        ],
      },
    ],
  });
  await pipeline.service.waitForBatch(batchId);
  await waitFor(() => pipeline.reviewStore.latestTaskForCase(CASE_ID), 20_000, 'the review task');
});

afterAll(async () => {
  await desk?.close();
  await pipeline?.close();
});

describe('a correction that contradicts the MRZ, on the page', () => {
  test('when the reviewer types an expiry the MRZ contradicts, then the page warns before sending; the MRZ value itself raises no warning', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('API key').fill(reviewer.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('banner').getByText('Signed in as rosa').waitFor();
    // As a reviewer gets there: from the inbox's row for the case.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('table', { name: /^Review tasks/ }).getByRole('link', { name: CASE_ID, exact: true }).click();
    await page.getByRole('heading', { name: `Case ${CASE_ID}`, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByRole('button', { name: 'Release', exact: true }).waitFor();

    const expiry = page.getByRole('textbox', { name: `Correct the expiry date of ${PASSPORT}` });
    expect(await expiry.inputValue()).toBe('2030-01-01');
    await expiry.fill('2031-05-20');
    const warning = page.getByRole('note', { name: 'Corrections that contradict the documents' });
    await warning.waitFor();
    expect(await warning.innerText()).toContain(`Expiry date of ${PASSPORT} differs from its machine-readable zone`);
    expect(await warning.innerText()).toContain('Corrections against the documents');
    await page.screenshot({ path: join(SCREENSHOTS, '06-correction-contradicts-mrz.png'), fullPage: true });

    // Back to the MRZ's value, and a document number typed as the MRZ has it save spacing: a
    // correction is still sent, and nothing contradicts.
    await expiry.fill('2030-01-01');
    await page.getByRole('textbox', { name: `Correct the document number of ${PASSPORT}` }).fill('K 4839201');
    await page.getByText('1 correction will be sent with the decision').waitFor();
    await warning.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });
});
