/**
 * A real browser for end-to-end tests of the web page: Debian's Chromium driven by playwright-core
 * (which downloads nothing), and a recorder of what the page reports going wrong.
 */
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** No GPU, no sandbox (containers), nothing fetched in the background: the bank's network is closed. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Headless Chromium from the system package; a missing binary is a setup error, never a skip. */
export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${executablePath}: the web end-to-end test drives the system browser. ` +
        'Install it with `apt-get install chromium` (Debian) and run the test again.',
    );
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * Everything the page reports going wrong: console errors (failed loads, CSP refusals are logged
 * there too), uncaught exceptions, and `securitypolicyviolation` events reported from inside the page.
 * Call before the first navigation.
 */
export async function recordPageProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.exposeFunction('__reportCspViolation', (text: string) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      void report(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return problems;
}
