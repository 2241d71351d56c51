import type { AuditStore } from '../src/adapters/audit-db.js';
import type { AuditEntry } from '../src/audit/chain.js';
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
  /** The engine's steps of a case into its hash-chained trail (idempotent by entry id). */
  async recordAudit(input: AuditInput): Promise<void> {
    try {
      await deps.auditStore.append({ caseKey: input.caseKey, caseId: input.caseId, batchId: input.batchId }, input.entries);
    } catch (err) {
      throw toFailure(err);
    }
  },
});

/** People's actions, as the review projection writes them, into the same trail. */
export async function auditReviewEvents(store: AuditStore, caseKey: string, batchId: string, events: ReviewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await store.append({ caseKey, caseId: events[0]!.caseId, batchId }, events.map(reviewEventToAudit));
}
