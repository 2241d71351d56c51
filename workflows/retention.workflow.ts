import { retentionCutoffs, type RetentionInput, type RetentionResult } from '../src/domain/retention.js';
import { retention } from './activities.js';

const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_MAX_PAGES = 200;

/**
 * Retention, run daily by the `kyc-retention` schedule: erase documents of cases closed longer ago
 * than the document retention, and whole cases closed longer ago than the report retention. The
 * work is done a page of cases per activity call; what a run leaves (more than maxPages pages) the
 * next run takes up. The cutoffs come from the workflow's clock, once per run.
 */
export async function applyRetention(input: RetentionInput): Promise<RetentionResult> {
  const cutoffs = retentionCutoffs(Date.now(), input);
  const limit = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const maxPages = input.maxPages ?? DEFAULT_MAX_PAGES;
  const total = { casesClosed: 0, documentCases: 0, reportCases: 0, more: false };
  for (let page = 0; page < maxPages; page++) {
    const done = await retention.eraseExpiredCases({ ...cutoffs, limit, refresh: page === 0 });
    total.casesClosed += done.casesClosed;
    total.documentCases += done.documentCases;
    total.reportCases += done.reportCases;
    total.more = done.more;
    if (!done.more) break;
  }
  return { ...cutoffs, ...total };
}
