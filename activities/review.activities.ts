import type { CorrectionRecord, ReviewEvent, ReviewStore, ReviewTask } from '../src/review/types.js';
import type { AuditStore } from '../src/adapters/audit-db.js';
import type { AuditHead } from '../src/audit/chain.js';
import { auditReviewEvents } from './audit.activities.js';
import { toFailure } from './to-failure.js';

export interface ReviewDeps {
  reviewStore: ReviewStore;
  auditStore: AuditStore;
}

export const reviewActivities = (deps: ReviewDeps) => ({
  /**
   * The workflow's task into the inbox database: version-ordered upsert, idempotent events. Returns
   * the audit trail's head after the events (undefined without events), for the workflow to keep.
   */
  async projectReview(input: { task: ReviewTask; events: ReviewEvent[] }): Promise<AuditHead | undefined> {
    try {
      await deps.reviewStore.upsertTask(input.task);
      if (input.events.length > 0) await deps.reviewStore.appendEvents(input.events);
      // Who did what, when, also into the case's MAC-chained audit trail (without free text).
      return await auditReviewEvents(deps.auditStore, input.task.workflowId, input.task.batchId, input.events);
    } catch (err) {
      throw toFailure(err);
    }
  },

  /** Reviewer corrections kept as labelled examples (idempotent by correction id). */
  async recordCorrections(records: CorrectionRecord[]): Promise<void> {
    try {
      if (records.length > 0) await deps.reviewStore.addCorrections(records);
    } catch (err) {
      throw toFailure(err);
    }
  },
});
