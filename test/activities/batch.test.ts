/**
 * `loadBatchCases` over a real encrypted document store: a page of the manifest the batch was
 * accepted with, and a non-retryable MANIFEST_MISMATCH when the stored manifest is another.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { batchActivities } from '../../activities/batch.activities.js';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { batchManifestKey, buildManifest } from '../../src/app/batch-manifest.js';
import type { BatchCaseSpec } from '../../workflows/messages.js';
import { TEST_KEYRING } from '../support/temporal.js';

let dir: string;
let store: FsDocumentStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kyc-batch-act-'));
  store = new FsDocumentStore(join(dir, 'store'), TEST_KEYRING);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cases = (prefix: string): BatchCaseSpec[] =>
  Array.from({ length: 3 }, (_, i) => ({ caseId: `${prefix}${i}`, documents: [{ id: String(i).repeat(64), fileName: `${prefix}${i}.pdf`, size: 10 + i }] }));

describe('loadBatchCases', () => {
  test('when the manifest is the accepted one, then a page of it comes back', async () => {
    const { manifest, hash } = buildManifest(cases('a'));
    await store.putJson(batchManifestKey('B-ok'), manifest);
    const { loadBatchCases } = batchActivities({ store });
    const page: BatchCaseSpec[] = await new MockActivityEnvironment().run(loadBatchCases, { manifestKey: batchManifestKey('B-ok'), offset: 1, limit: 5, manifestHash: hash });
    expect(page.map((c) => c.caseId)).toEqual(['a1', 'a2']);
  });

  test('when the stored manifest was replaced after acceptance, then the read fails for good', async () => {
    const accepted = buildManifest(cases('a'));
    await store.putJson(batchManifestKey('B-swapped'), buildManifest(cases('b')).manifest);
    const { loadBatchCases } = batchActivities({ store });
    const failure = await new MockActivityEnvironment()
      .run(loadBatchCases, { manifestKey: batchManifestKey('B-swapped'), offset: 0, limit: 5, manifestHash: accepted.hash })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('MANIFEST_MISMATCH');
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
  });

  test('when a batch was accepted before manifests were hashed, then its page is read as before', async () => {
    await store.putJson(batchManifestKey('B-old'), { cases: cases('c') });
    const { loadBatchCases } = batchActivities({ store });
    const page: BatchCaseSpec[] = await new MockActivityEnvironment().run(loadBatchCases, { manifestKey: batchManifestKey('B-old'), offset: 0, limit: 2 });
    expect(page.map((c) => c.caseId)).toEqual(['c0', 'c1']);
  });
});
