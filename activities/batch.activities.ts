import type { DocumentStore } from '../src/domain/ports.js';
import type { BatchCaseSpec } from '../workflows/messages.js';
import { toFailure } from './to-failure.js';

/** Where a batch's list of cases is stored; the batch workflow reads it a page at a time. */
export function batchManifestKey(batchId: string): string {
  return `batches/${batchId.toLowerCase()}/manifest.json`;
}

export interface BatchManifest {
  cases: BatchCaseSpec[];
}

export const batchActivities = (deps: { store: DocumentStore }) => ({
  /**
   * One page of the batch's cases. The list lives in the store, not in workflow payloads, so a
   * batch of thousands of applicants keeps its workflow input and history small.
   */
  async loadBatchCases(input: { manifestKey: string; offset: number; limit: number }): Promise<BatchCaseSpec[]> {
    try {
      const manifest = await deps.store.getJson<BatchManifest>(input.manifestKey);
      return manifest.cases.slice(input.offset, input.offset + input.limit);
    } catch (err) {
      throw toFailure(err);
    }
  },
});
