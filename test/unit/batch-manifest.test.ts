import { describe, expect, test } from 'vitest';
import {
  ManifestMismatchError,
  batchManifestKey,
  buildManifest,
  canonicalJson,
  hashOfManifest,
  verifiedPage,
  type BatchManifest,
} from '../../src/app/batch-manifest.js';
import type { BatchCaseSpec } from '../../workflows/messages.js';

const doc = (n: number) => ({ id: String(n).repeat(64).slice(0, 64), fileName: `d${n}.pdf`, size: n });
const CASES: BatchCaseSpec[] = [
  { caseId: 'a', applicant: { fullName: 'Ann Example' }, documents: [doc(1)] },
  { caseId: 'b', documents: [doc(2), doc(3)] },
  { caseId: 'c', applicant: { fullName: 'Cy Example' }, documents: [doc(4)] },
];
const copy = (m: BatchManifest): BatchManifest => JSON.parse(JSON.stringify(m)) as BatchManifest;

describe('batch manifest', () => {
  test('when ids differ only in letter case, then their manifests have different keys of store-safe characters', () => {
    expect(batchManifestKey('B-A94E')).not.toBe(batchManifestKey('b-a94e'));
    expect(batchManifestKey('B-A94E')).toMatch(/^batches\/[0-9a-f]{64}\/manifest\.json$/);
  });

  test('when the manifest is read back as stored, then every page verifies against its hash', () => {
    const { manifest, hash } = buildManifest(CASES);
    const stored = copy(manifest);
    expect(hashOfManifest(stored)).toBe(hash);
    expect(verifiedPage(stored, hash, 0, 2)).toEqual(CASES.slice(0, 2));
    expect(verifiedPage(stored, hash, 2, 2)).toEqual(CASES.slice(2));
  });

  test('when an entry, its order, its case id or the list is changed, then reading fails', () => {
    const { manifest, hash } = buildManifest(CASES);
    const swapped = copy(manifest);
    swapped.cases[0]!.documents = [doc(9)];
    expect(() => verifiedPage(swapped, hash, 0, 3)).toThrow(ManifestMismatchError);
    const renamed = copy(manifest);
    renamed.cases[1]!.caseId = 'B';
    expect(() => verifiedPage(renamed, hash, 0, 3)).toThrow(ManifestMismatchError);
    const reordered = copy(manifest);
    reordered.cases.reverse();
    reordered.contentHashes!.reverse();
    expect(() => verifiedPage(reordered, hash, 0, 3)).toThrow(ManifestMismatchError);
    const shortened = copy(manifest);
    shortened.cases.pop();
    shortened.contentHashes!.pop();
    expect(() => verifiedPage(shortened, hash, 0, 3)).toThrow(ManifestMismatchError);
    // Another batch's manifest under this batch's key.
    const other = buildManifest([{ caseId: 'z', documents: [doc(7)] }]).manifest;
    expect(() => verifiedPage(other, hash, 0, 1)).toThrow(ManifestMismatchError);
  });

  test('when erasure blanks an entry in place, then the manifest still verifies and the entry reads blank', () => {
    const { manifest, hash } = buildManifest(CASES);
    const erased = copy(manifest);
    erased.cases[0] = { caseId: 'a', documents: [] };
    expect(verifiedPage(erased, hash, 0, 3)[0]).toEqual({ caseId: 'a', documents: [] });
  });

  test('when keys come in another order, then the canonical JSON is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(canonicalJson({ a: { d: [1, { e: 3, f: 2 }] }, b: 1 }));
  });
});
