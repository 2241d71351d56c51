/**
 * The inbox's triage in a real browser over the real pipeline: a senior reviewer sees each task's
 * age and which one escalated (the standard queue's deadline is a few seconds here, so its case
 * escalates for real in the workflow), and "Claim next" opens the next task they may review until
 * none is left, then says so. The page must log no errors and trip no CSP rule on the way.
 * Screenshot: test-artifacts/e2e/triage-01-inbox.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../../src/domain/decision.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { openReviewDesk, SCREENSHOTS, type ReviewDesk } from '../support/review-desk.js';
import { waitFor } from '../support/wait.js';

const SANCTIONS_CSV =
  'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change\nNK-1,Person,Jane Doe,,,,,,UN list,,,test,2020-01-01,2026-01-01,2026-01-01\n';

let pipeline: Pipeline;
let desk: ReviewDesk;
let page: Page;
let problems: string[];
let baseUrl: string;
let senior: TestKey;

beforeAll(async () => {

  // The standard queue's deadline passes within seconds: its task escalates to the senior queue.
  const policy = {
    ...DEFAULT_POLICY,
    review: { ...DEFAULT_POLICY.review, queues: { ...DEFAULT_POLICY.review.queues, standard: { deadline: '3s', reminder: '2s' } } },
  };
  pipeline = await startPipeline({ MODEL_MODE: 'off' }, { policy });
  await createKey(pipeline.reviewStore, 'backoffice', ['submitter']);
  senior = await createKey(pipeline.reviewStore, 'sam', ['senior_reviewer']);
  desk = await openReviewDesk(pipeline, 'kyc-triage-e2e-');
  ({ page, problems, baseUrl } = desk);

  const bill = await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
  for (const [caseId, sanctions] of [
    ['triage-late', undefined],
    ['triage-pep', SANCTIONS_CSV],
  ] as const) {
    const { batchId } = await pipeline.service.submitBatch({
      asOf: '2026-11-01',
      submitter: { org: 'default', person: 'backoffice' },
      ...(sanctions ? { sanctionsCsv: new TextEncoder().encode(sanctions) } : {}),
      cases: [{ caseId, applicant: { fullName: 'Jane Doe', address: '4 Mill Rd, Leeds LS1 4AP' }, documents: [{ fileName: 'water.pdf', bytes: bill }] }],
    });
    await pipeline.service.waitForBatch(batchId);
  }
  await waitFor(async () => ((await pipeline.reviewStore.latestTaskForCase('triage-late'))?.escalatedAt ? true : undefined), 30_000, 'the escalation');
  await waitFor(() => pipeline.reviewStore.latestTaskForCase('triage-pep'), 30_000, 'the sanctions task');
});

afterAll(async () => {
  await desk?.close();
  await pipeline?.close();
});

const inboxRow = (caseId: string) =>
  page
    .getByRole('table', { name: /^Review tasks/ })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: caseId, exact: true }) });

describe('triage in the inbox', () => {
  test('each row shows its age; the escalated task is marked, the other is not', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('API key').fill(senior.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('banner').getByText('Signed in as sam').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();

    const late = inboxRow('triage-late');
    const pep = inboxRow('triage-pep');
    await late.waitFor();
    await pep.waitFor();
    expect(await late.getByText('Escalated', { exact: true }).count()).toBe(1);
    expect(await pep.getByText('Escalated', { exact: true }).count()).toBe(0);
    for (const row of [late, pep]) expect(await row.locator('.task-age').innerText()).toMatch(/^(under 1 min|\d+ min)$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'triage-01-inbox.png'), fullPage: true });
  });

  test('"Claim next" opens each task the reviewer may review in turn, then says none is left', async () => {
    const claimed: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
      await page.getByRole('button', { name: 'Claim next' }).click();
      await page.waitForURL(/#\/cases\/triage-/);
      claimed.push(decodeURIComponent(new URL(page.url()).hash.replace('#/cases/', '')));
    }
    expect(claimed.sort()).toEqual(['triage-late', 'triage-pep']);
    for (const caseId of claimed) {
      expect(await pipeline.reviewStore.latestTaskForCase(caseId)).toMatchObject({ status: 'claimed', assignee: 'sam' });
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('button', { name: 'Claim next' }).click();
    await page.getByRole('status').getByText('No open task is waiting that you may claim.').waitFor();
    // The browser logs the documented 404 NO_TASK answer: exactly that one, nothing else.
    const none = problems.filter((p) => /status of 404/.test(p) && p.includes('/v1/review/next'));
    expect(none).toHaveLength(1);
    problems.splice(problems.indexOf(none[0]!), 1);
    expect(problems).toEqual([]);
  });
});
