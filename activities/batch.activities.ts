import { ApplicationFailure } from '@temporalio/common';
import type { DocumentStore } from '../src/domain/ports.js';
import type { BatchCaseSpec } from '../workflows/messages.js';
import { ManifestMismatchError, verifiedPage, type BatchManifest } from '../src/app/batch-manifest.js';
import { toFailure } from './to-failure.js';

export { batchManifestKey, type BatchManifest } from '../src/app/batch-manifest.js';

export const batchActivities = (deps: { store: DocumentStore }) => ({
  /**
   * One page of the batch's cases. The list lives in the store, not in workflow payloads, so a
   * batch of thousands of applicants keeps its workflow input and history small. With the hash the
   * batch was accepted with, the page is read only from that very manifest (batches accepted before
   * manifests were hashed have none).
   */
  async loadBatchCases(input: { manifestKey: string; offset: number; limit: number; manifestHash?: string }): Promise<BatchCaseSpec[]> {
    try {
      const manifest = await deps.store.getJson<BatchManifest>(input.manifestKey);
      if (input.manifestHash === undefined) return manifest.cases.slice(input.offset, input.offset + input.limit);
      return verifiedPage(manifest, input.manifestHash, input.offset, input.limit);
    } catch (err) {
      // A retry reads the same file: a changed manifest fails the batch at once.
      if (err instanceof ManifestMismatchError) throw ApplicationFailure.nonRetryable(err.message, err.code);
      throw toFailure(err);
    }
  },
});
