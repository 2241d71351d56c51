/**
 * Retention: how long documents and reports are kept after a case closes. Durations are written
 * as in the review policy (`90s`, `30m`, `24h`, `180d`), plus years (`5y` = 5 × 365 days).
 * Pure: the retention workflow computes its cutoffs here from its own clock.
 */

const RETENTION = /^(\d+)(ms|s|m|h|d|y)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 } as const;

export const RETENTION_PATTERN = RETENTION;

/** Milliseconds of a retention period such as `180d` or `5y`; throws on anything else. */
export function retentionMs(text: string): number {
  const match = RETENTION.exec(text);
  if (!match) throw new Error(`not a retention period: ${text} (write e.g. 180d, 5y, 12h)`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Input of the retention workflow (the schedule passes the configured periods). */
export interface RetentionInput {
  /** Documents and their extracted text are erased this long after the case closed. */
  documents: string;
  /** The whole case (report, review data, remaining documents) is erased this long after it closed. */
  reports: string;
  /** Cases per activity call; default 50. */
  pageSize?: number;
  /** Activity calls per run before leaving the rest to the next run; default 200. */
  maxPages?: number;
}

/** What one activity call did (and the sum over a run). */
export interface RetentionPageResult {
  /** Cases found closed since the last run (their close time recorded). */
  casesClosed: number;
  /** Cases whose documents were erased (the report kept). */
  documentCases: number;
  /** Cases erased whole. */
  reportCases: number;
  /** True when a page came back full: there may be more to do. */
  more: boolean;
}

export interface RetentionResult extends RetentionPageResult {
  documentsBefore: string;
  reportsBefore: string;
}

/** Cases closed before these instants (ISO) are past retention. */
export function retentionCutoffs(nowMs: number, input: Pick<RetentionInput, 'documents' | 'reports'>): { documentsBefore: string; reportsBefore: string } {
  return {
    documentsBefore: new Date(nowMs - retentionMs(input.documents)).toISOString(),
    reportsBefore: new Date(nowMs - retentionMs(input.reports)).toISOString(),
  };
}
