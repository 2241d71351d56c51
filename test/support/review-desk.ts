/**
 * The reviewers' web page as a browser test drives it: the page built into a temp folder, served by
 * the real API over a pipeline's service and review store, and one Chromium page signed in to nothing.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.js';
import { createApiServer } from '../../src/api/server.js';
import { launchChromium, recordPageProblems } from './browser.js';
import type { Pipeline } from './pipeline.js';

/** Where browser tests save their screenshots (artefacts of every run). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/e2e/', import.meta.url));
const UI_TIMEOUT = 30_000;

export interface ReviewDesk {
  page: Page;
  /** Console errors and failed requests the page met (see recordPageProblems). */
  problems: string[];
  baseUrl: string;
  close(): Promise<void>;
}

export async function openReviewDesk(pipeline: Pipeline, tempPrefix: string): Promise<ReviewDesk> {
  const workDir = await mkdtemp(join(tmpdir(), tempPrefix));
  const webDir = join(workDir, 'web');
  await buildWeb(webDir);
  await mkdir(SCREENSHOTS, { recursive: true });
  const browser = await launchChromium();
  const api = createApiServer({
    service: pipeline.service,
    review: pipeline.review,
    authenticate: (secret) => pipeline.reviewStore.authenticate(secret),
    webDir,
    logger: false,
  });
  const baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  const problems = await recordPageProblems(page);
  return {
    page,
    problems,
    baseUrl,
    async close() {
      await browser.close();
      await api.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
