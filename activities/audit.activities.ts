import { headAfter, type AuditStore } from '../src/adapters/audit-db.js';
import type { AuditEntry, AuditHead } from '../src/audit/chain.js';
import { reviewEventToAudit } from '../src/audit/entries.js';
import type { ReviewEvent } from '../src/review/types.js';
import { toFailure } from './to-failure.js';

export interface AuditDeps {
  auditStore: AuditStore;
}

export interface AuditInput {
  caseKey: string;
  caseId: string;
  batchId: string;
  entries: AuditEntry[];
}

export const auditActivities = (deps: AuditDeps) => ({
  /**
   * The engine's steps of a case into its MAC-chained trail (idempotent by entry id). Returns the
   * head after them, which the case workflow keeps outside the database (see src/audit/verify.ts).
   */
  async recordAudit(input: AuditInput): Promise<AuditHead | undefined> {
    try {
      return headAfter(await deps.auditStore.append({ caseKey: input.caseKey, caseId: input.caseId, batchId: input.batchId }, input.entries));
    } catch (err) {
      throw toFailure(err);
    }
  },
});

/** People's actions, as the review projection writes them, into the same trail. */
export async function auditReviewEvents(store: AuditStore, caseKey: string, batchId: string, events: ReviewEvent[]): Promise<AuditHead | undefined> {
  if (events.length === 0) return undefined;
  return headAfter(await store.append({ caseKey, caseId: events[0]!.caseId, batchId }, events.map(reviewEventToAudit)));
}
