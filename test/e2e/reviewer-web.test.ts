/**
 * The web page in a real browser over the real pipeline: the back office submits a name-mismatch case
 * on the page, the batch view follows it into review; a reviewer signs in with the keyboard, finds the
 * case in the inbox, sees the PDF's rendered page, the declared name beside the one found with the
 * differing letters marked and the failed name check, claims, corrects the name and approves. The
 * decision is read back from the service. A second case, whose applicant is on the sanctions list the
 * batch was sent with, shows a senior reviewer the sanctions banner with the listed entry's details.
 * The page must log no errors and trip no CSP rule on the way. Screenshots of each step go to
 * test-artifacts/e2e/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildWeb } from '../../scripts/build-web.js';
import { createApiServer } from '../../src/api/server.js';
import type { CaseReport } from '../../src/domain/report.js';
import { launchChromium, recordPageProblems } from '../support/browser.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const CASE_ID = 'web-1';
const FILE = 'water.pdf';
const SANCTIONS_CASE_ID = 'web-sanctions-1';
/** One row of an OpenSanctions targets.simple.csv (an invented person): the sanctions case's applicant. */
const SANCTIONS_CSV = [
  'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change',
  'NK-web-1,Person,Ivor Grimsby-Thane,"Ivor Grimsbi-Tane;I. Grimsby Thane",1971-04-02,gb;cy,,,"Invented programme A;Invented programme B",,,gb_hmt_sanctions;eu_fsf,2022-03-01,2026-10-01,2026-01-01',
  'NK-web-2,Person,Oliver Quarrington,,1962,gb,,,Invented programme A,,,un_sc_sanctions,2022-03-01,2026-10-01,2026-01-01',
].join('\n');
const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/e2e/', import.meta.url));
/** Two cores run Temporal, OCR workers and Chromium together: waits are generous. */
const UI_TIMEOUT = 30_000;

let pipeline: Pipeline;
let api: FastifyInstance;
let browser: Browser;
let page: Page;
let problems: string[];
let workDir: string;
let baseUrl: string;
let submitter: TestKey;
let reviewer: TestKey;
let senior: TestKey;
let otherBank: TestKey;

beforeAll(async () => {
  // The browser first: without it there is nothing to test, and the failure should say so at once.
  browser = await launchChromium();
  workDir = await mkdtemp(join(tmpdir(), 'kyc-web-e2e-'));
  const webDir = join(workDir, 'web');
  await buildWeb(webDir);
  await mkdir(SCREENSHOTS, { recursive: true });

  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  submitter = await createKey(pipeline.reviewStore, 'backoffice', ['submitter']);
  reviewer = await createKey(pipeline.reviewStore, 'alice', ['reviewer']);
  senior = await createKey(pipeline.reviewStore, 'sam', ['senior_reviewer']);
  otherBank = await createKey(pipeline.reviewStore, 'globex-office', ['submitter'], { org: 'globex' });
  api = createApiServer({
    service: pipeline.service,
    review: pipeline.review,
    authenticate: (secret) => pipeline.reviewStore.authenticate(secret),
    webDir,
    logger: false,
  });
  baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  context.setDefaultTimeout(UI_TIMEOUT);
  page = await context.newPage();
  problems = await recordPageProblems(page);

  // The sanctions case goes in through the service with its own list (the page's form sends none):
  // a text PDF statement, so it needs no OCR and is ready by the time the reviewer gets to it.
  await pipeline.service.submitBatch({
    asOf: '2026-11-01',
    sanctionsCsv: new TextEncoder().encode(SANCTIONS_CSV),
    submitter: { org: 'default', person: 'backoffice' },
    cases: [
      {
        caseId: SANCTIONS_CASE_ID,
        applicant: { fullName: 'Ivor Grimsby-Thane', dateOfBirth: '1971-04-02', address: '9 Quay Street, Hull HU1 1AA', nationality: 'GBR' },
        documents: [
          {
            fileName: 'statement.pdf',
            bytes: await textPdf([['Humber Bank plc', 'Bank statement', 'Statement date: 01/10/2026', 'Mr Ivor Grimsby-Thane', '9 Quay Street', 'Hull HU1 1AA']]),
          },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await pipeline?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function screenshot(step: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${step}.png`), fullPage: true });
}

/** Text as shown, without the words kept for screen readers only. */
async function visibleText(locator: Locator): Promise<string> {
  return locator.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
    return (copy.textContent ?? '').trim();
  });
}

/** The marked (differing) parts of a value, in order. */
async function markedParts(locator: Locator): Promise<string[]> {
  return locator.locator('mark').evaluateAll((marks) =>
    marks.map((m) => Array.from(m.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('')),
  );
}

/** A description list's terms and values. */
async function definitions(list: Locator): Promise<Record<string, string>> {
  return list
    .locator(':scope > div')
    .evaluateAll((items) => Object.fromEntries(items.map((item) => [item.querySelector('dt')?.textContent ?? '', item.querySelector('dd')?.textContent ?? ''])));
}

/** The polite live region, where confirmations appear. */
const statusMessage = (): Locator => page.getByRole('status');

/** The case summary's terms and their values. */
async function summaryItems(): Promise<Record<string, string>> {
  return page
    .getByRole('region', { name: 'Summary' })
    .locator('dl > div')
    .evaluateAll((items) => Object.fromEntries(items.map((item) => [item.querySelector('dt')?.textContent ?? '', item.querySelector('dd')?.textContent ?? ''])));
}

async function signInWithMouse(key: TestKey): Promise<void> {
  await page.getByLabel('API key').fill(key.secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('banner').getByText(`Signed in as ${key.actor.name}`).waitFor();
}

describe('a name-mismatch case through the web page', () => {
  let batchId: string;

  test('when the back office submits a case with a PDF bill, then the batch view follows it to review', async () => {
    await page.goto(`${baseUrl}/`);
    await signInWithMouse(submitter);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Submit a case' }).waitFor();

    const billPath = join(workDir, FILE);
    await writeFile(
      billPath,
      await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]),
    );
    await page.getByLabel('Case id').fill(CASE_ID);
    await page.getByLabel('Full name').fill('Joan Smith'); // not the bill's name: a reviewer must settle it
    await page.getByLabel('Address').fill('4 Mill Rd, Leeds LS1 4AP');
    await page.getByLabel('As-of date (optional)').fill('2026-11-01');
    await page.getByLabel('Documents').setInputFiles(billPath);
    await page.getByRole('button', { name: 'Submit case' }).click();

    await page.waitForURL(/#\/batches\/[^/]+$/);
    batchId = decodeURIComponent(new URL(page.url()).hash.replace('#/batches/', ''));
    // The batch view polls every 2 s; OCR and Temporal share two cores with the browser.
    const progress = page.getByRole('progressbar', { name: 'Batch progress' });
    await waitFor(
      () => progress.evaluate((bar: HTMLProgressElement) => bar.value >= bar.max || undefined),
      90_000,
      'the batch progress bar to be complete',
    );
    await statusMessage().getByText(`Batch ${batchId} completed: 1 of 1 cases done.`).waitFor();
    const row = page.getByRole('table', { name: `Cases of batch ${batchId}` }).getByRole('row', { name: new RegExp(CASE_ID) });
    await row.getByText('awaiting review').waitFor();
    expect(await row.getByRole('link', { name: CASE_ID }).getAttribute('href')).toBe(`#/cases/${CASE_ID}`);
    await screenshot('01-batch-submitted');
    expect(problems).toEqual([]);
  });

  test('when a reviewer signs in with the keyboard, then the inbox lists the case with its time left', async () => {
    // The task is projected into the review database as the workflow opens it.
    await waitFor(() => pipeline.reviewStore.latestTaskForCase(CASE_ID), 30_000, `the review task of ${CASE_ID}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await statusMessage().getByText('Signed out.').waitFor();

    // Keyboard only: Tab until the key field has focus, type the key, Enter submits the form.
    const keyField = page.getByLabel('API key');
    let tabs = 0;
    while (!(await keyField.evaluate((el) => el === document.activeElement))) {
      expect(tabs, 'the API key field is reachable with Tab').toBeLessThan(10);
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    expect(tabs).toBeGreaterThan(0);
    await page.keyboard.type(reviewer.secret);
    await page.keyboard.press('Enter');
    await page.getByRole('banner').getByText('Signed in as alice').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    const inbox = page.getByRole('table', { name: /^Review tasks/ });
    const row = inbox.getByRole('row').filter({ has: page.getByRole('link', { name: CASE_ID, exact: true }) });
    await row.waitFor();
    const timeLeft = row.locator('time');
    expect(await timeLeft.innerText()).toMatch(/^(\d+ (d|h|min) )+left$/); // "23 h 59 min left"
    await screenshot('02-inbox');
    await row.getByRole('link', { name: CASE_ID, exact: true }).click();
    await page.getByRole('heading', { name: `Case ${CASE_ID}`, level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  test('when the reviewer opens the case, then the PDF page preview is loaded and the failed name check is listed', async () => {
    const documentRegion = page.getByRole('region', { name: FILE, exact: true });
    const preview = documentRegion.getByRole('img', { name: `${FILE}, page 1 of 1` });
    await preview.waitFor();
    const naturalWidth = await waitFor(
      () => preview.evaluate((img: HTMLImageElement) => (img.complete && img.naturalWidth > 0 ? img.naturalWidth : undefined)),
      UI_TIMEOUT,
      'the preview image to load',
    );
    expect(naturalWidth).toBeGreaterThan(100);

    const failed = page.getByRole('table', { name: /^Failed and inconclusive checks \(\d+\)$/ });
    await failed.waitFor();
    const nameCheck = failed.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Name (as declared|on the proof of address)\s+name_matches_/ }) });
    expect(await nameCheck.count()).toBeGreaterThan(0);
    expect(await nameCheck.filter({ hasText: 'fail' }).count()).toBeGreaterThan(0);
    await screenshot('03-case');
    expect(problems).toEqual([]);
  });

  test('when the reviewer reads the case, then the declaration stands beside the name found, the differing letters marked', async () => {
    const section = page.getByRole('region', { name: 'Declared and found' });
    await section.waitFor();
    expect(await definitions(section.locator('dl.declared-list'))).toMatchObject({
      'Declared name': 'Joan Smith',
      'Declared address': '4 Mill Rd, Leeds LS1 4AP',
      'Declared date of birth': 'not declared',
    });
    const compared = section.getByRole('table', { name: 'Compared values (differences marked)' });
    const row = compared.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Name on the proof of address', exact: true }) });
    await row.waitFor();
    const [what, result, reference, found, where, score] = await row.locator('th, td').all();
    expect(await what!.innerText()).toBe('Name on the proof of address'); // a label, not a code
    expect(await result!.innerText()).toBe('differs');
    expect(await visibleText(reference!.locator('.value'))).toBe('Joan Smith');
    expect(await reference!.locator('.compared-source').innerText()).toBe('declared');
    expect(await visibleText(found!)).toBe('Jane Doe');
    // "Joan" against "Jane": the o and the e; the surnames share nothing.
    expect(await markedParts(reference!)).toEqual(['o', 'Smith']);
    expect(await markedParts(found!)).toEqual(['e', 'Doe']);
    expect(await where!.innerText()).toMatch(new RegExp(`^${FILE.replace('.', '\\.')}(, page 1)?`));
    const value = Number(await score!.innerText());
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(0.9);
    await section.screenshot({ path: join(SCREENSHOTS, '03b-declared-vs-found.png') });
    // Screened against no list (none was sent): no possible match, so no banner.
    expect(await page.getByRole('region', { name: 'Possible sanctions match' }).count()).toBe(0);

    // The API gives the declaration to whoever may read the case, and nothing to another bank.
    const mine = await fetch(`${baseUrl}/v1/cases/${CASE_ID}`, { headers: reviewer.headers });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as CaseReport).applicant).toEqual({ fullName: 'Joan Smith', address: '4 Mill Rd, Leeds LS1 4AP' });
    const theirs = await fetch(`${baseUrl}/v1/cases/${CASE_ID}`, { headers: otherBank.headers });
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).not.toContain('Joan');
    expect(problems).toEqual([]);
  });

  test('when someone else claims first, then Claim fails beside the buttons and the case shows the new assignee', async () => {
    const asSam = (action: string): Promise<Response> =>
      fetch(`${baseUrl}/v1/review/tasks/${CASE_ID}/${action}`, {
        method: 'POST',
        headers: { ...senior.headers, 'content-type': 'application/json' },
        body: '{}',
      });
    // Before claiming, the decision can only fail: its buttons are disabled, and the page says why.
    await expect(page.getByRole('button', { name: 'Approve', exact: true }).isDisabled()).resolves.toBe(true);
    await page.getByText('Claim the task to decide.').waitFor();

    expect((await asSam('claim')).status).toBe(200); // the page still shows the task open
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    const controls = page.locator('.task-controls');
    await controls.getByRole('alert').getByText('Not done: the task is claimed by sam').waitFor();
    await controls.getByText('The task is claimed by sam.').waitFor(); // reloaded: no Claim on another's task
    await page.getByRole('button', { name: 'Claim', exact: true }).waitFor({ state: 'detached' });
    expect(await summaryItems()).toMatchObject({ 'Task status': 'claimed', Assignee: 'sam' });
    await screenshot('03c-claim-refused');

    expect((await asSam('release')).status).toBe(200);
    await page.getByRole('button', { name: 'Reload case' }).click();
    await page.getByRole('button', { name: 'Claim', exact: true }).waitFor();
    // Chromium logs the refused request itself (409): expected here, and the only problem.
    const refused = problems.filter((p) => /status of 409/.test(p) && p.includes(`/v1/review/tasks/${CASE_ID}/claim`));
    expect(refused).toHaveLength(1);
    problems.splice(problems.indexOf(refused[0]!), 1);
    expect(problems).toEqual([]);
  });

  test('when the reviewer claims, corrects the name and approves, then the page confirms and the service records it', async () => {
    expect(await summaryItems()).toMatchObject({ 'Case status': 'awaiting review', Decision: 'review', 'Task status': 'open', Assignee: 'unassigned' });
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await statusMessage().getByText('Claimed: the task is assigned to alice.').waitFor();
    await page.getByRole('button', { name: 'Release', exact: true }).waitFor(); // Claim became Release

    const correction = page.getByRole('textbox', { name: `Correct the full name of ${FILE}` });
    await correction.fill('Joan Smith');
    await page.getByText('1 correction will be sent with the decision').waitFor();
    await page.getByRole('textbox', { name: 'Reason', exact: true }).fill('married name, certificate seen');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await statusMessage().getByText(/^Approved: the case is closed\./).waitFor();
    await page.getByRole('button', { name: 'Approve', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'Summary' }).getByText('Decided by').waitFor(); // the case view reloaded
    expect(await summaryItems()).toMatchObject({ 'Case status': 'completed', Decision: 'approved', 'Engine decision': 'review', 'Task status': 'completed' });
    await screenshot('04-approved');

    const report = await waitFor(
      async () => {
        const r = (await pipeline.service.getCase(CASE_ID)) as CaseReport | undefined;
        return r?.status === 'completed' ? r : undefined;
      },
      30_000,
      `${CASE_ID} to complete`,
    );
    expect(report).toMatchObject({ caseId: CASE_ID, batchId, status: 'completed', decision: 'approved', decidedBy: 'alice', automaticDecision: 'review' });
    const bill = report.documents.find((d) => d.file === FILE);
    expect(bill?.fields.fullName).toBe('Joan Smith');
    expect(bill?.evidence.fullName).toMatchObject({ source: 'reviewer', correctedBy: 'alice', previous: 'Jane Doe' });
    expect(problems).toEqual([]);
  });

  test('when a senior reviewer opens a case whose applicant is listed, then the sanctions banner shows the entry', async () => {
    await waitFor(() => pipeline.reviewStore.latestTaskForCase(SANCTIONS_CASE_ID), 120_000, `the review task of ${SANCTIONS_CASE_ID}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await statusMessage().getByText('Signed out.').waitFor();
    await signInWithMouse(senior);
    await page.goto(`${baseUrl}/#/cases/${SANCTIONS_CASE_ID}`);
    await page.getByRole('heading', { name: `Case ${SANCTIONS_CASE_ID}`, level: 1 }).waitFor();

    const banner = page.getByRole('region', { name: 'Possible sanctions match' });
    await banner.waitFor();
    await banner.getByRole('heading', { name: 'Listed entry' }).waitFor();
    const entry = await definitions(banner.locator('dl.sanctions-details'));
    expect(entry).toMatchObject({
      'Applicant screened': 'Ivor Grimsby-Thane (declared, born 1971-04-02)',
      'Listed name': 'Ivor Grimsby-Thane',
      Aliases: 'Ivor Grimsbi-Tane; I. Grimsby Thane',
      'Birth dates': '1971-04-02',
      Countries: 'GB; CY',
      Programmes: 'Invented programme A; Invented programme B',
      Lists: 'gb_hmt_sanctions; eu_fsf',
      'List entry': 'NK-web-1 (Person)',
    });
    expect(Number(entry.Score)).toBeGreaterThanOrEqual(0.85);
    expect(entry.Why).toMatch(/^“Ivor Grimsby-Thane” resembles the applicant's name \(name score \d\.\d\d\); the listed birth date agrees with the applicant's, which adds to the score \(up to 1\.00\)\. Score \d\.\d\d; matches are reported from 0\.85\.$/);
    // The banner comes first on the page, above the summary.
    const [bannerTop, summaryTop] = await Promise.all([
      banner.evaluate((el) => el.getBoundingClientRect().top),
      page.getByRole('region', { name: 'Summary' }).evaluate((el) => el.getBoundingClientRect().top),
    ]);
    expect(bannerTop).toBeLessThan(summaryTop);
    // The failed check is listed too, and the other listed person is not named anywhere.
    const failed = page.getByRole('table', { name: /^Failed and inconclusive checks \(\d+\)$/ });
    await failed.getByRole('rowheader', { name: /^Sanctions list\s+sanctions_screening$/ }).waitFor();
    expect(await page.getByText('Oliver Quarrington').count()).toBe(0);
    await screenshot('05-sanctions');
    await banner.screenshot({ path: join(SCREENSHOTS, '05b-sanctions-banner.png') });
    expect(problems).toEqual([]);
  });

  test('when the run is over, then the page logged no errors and no CSP violations (and the recorder hears one)', async () => {
    expect(problems).toEqual([]);
    // The recorder is live: an inline script is refused by the page's CSP and reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'void 0';
      document.body.append(script);
    });
    await waitFor(() => problems.some((p) => p.startsWith('CSP violation: script-src')), 10_000, 'the CSP probe to be reported');
  });
});
