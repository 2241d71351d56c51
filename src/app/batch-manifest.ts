/**
 * A batch's manifest: the list of its cases (applicants and document references), written once to
 * the document store when the batch is accepted and read by the batch workflow a page at a time.
 *
 * The workflow's input carries the manifest's hash, and every page read is checked against it, so a
 * manifest rewritten after acceptance (by a bug, a second submission, an insider with file access)
 * stops the batch instead of feeding it someone else's cases. The hash covers one hash per entry
 * (case id bound to a hash of the entry's content), so erasure may still blank an entry's content
 * in place — the case id stays, the content hash stays — without breaking the batch.
 */
import { createHash } from 'node:crypto';
import type { BatchCaseSpec } from '../../workflows/messages.js';

export interface BatchManifest {
  cases: BatchCaseSpec[];
  /** sha256 of each entry's content (all but its case id), in order; absent in manifests before hashing. */
  contentHashes?: string[];
}

/**
 * Where a batch's manifest lives: one folder per batch id. Store keys are lower-case only, so the id
 * is hashed (hex): `B-1` and `b-1` are two batches, with two manifests.
 */
export function batchManifestKey(batchId: string): string {
  return `batches/${sha256Hex(`batch:${batchId}`)}/manifest.json`;
}

/** The key of manifests written before ids were hashed (lower-cased ids); read by erasure only. */
export function legacyBatchManifestKey(batchId: string): string {
  return `batches/${batchId.toLowerCase()}/manifest.json`;
}

/** The manifest of the given cases and its hash (what the batch workflow's input carries). */
export function buildManifest(cases: BatchCaseSpec[]): { manifest: BatchManifest; hash: string } {
  const contentHashes = cases.map(entryContentHash);
  return { manifest: { cases, contentHashes }, hash: manifestHash(cases.map((c) => c.caseId), contentHashes) };
}

/** The hash of a manifest as stored (for a manifest found already written). */
export function hashOfManifest(manifest: BatchManifest): string | undefined {
  if (!manifest.contentHashes || manifest.contentHashes.length !== manifest.cases.length) return undefined;
  return manifestHash(manifest.cases.map((c) => c.caseId), manifest.contentHashes);
}

export class ManifestMismatchError extends Error {
  override name = 'ManifestMismatchError';
  readonly code = 'MANIFEST_MISMATCH';
}

/**
 * The entries `[offset, offset + limit)` of the manifest, after checking it against the hash the
 * workflow was started with. An entry may differ from its content hash only when erasure blanked it
 * (no applicant, no documents).
 */
export function verifiedPage(manifest: BatchManifest, expectedHash: string, offset: number, limit: number): BatchCaseSpec[] {
  if (hashOfManifest(manifest) !== expectedHash) {
    throw new ManifestMismatchError('the batch manifest is not the one the batch was accepted with');
  }
  const page = manifest.cases.slice(offset, offset + limit);
  page.forEach((entry, i) => {
    const erased = entry.applicant === undefined && entry.documents.length === 0;
    if (!erased && entryContentHash(entry) !== manifest.contentHashes![offset + i]) {
      throw new ManifestMismatchError(`entry ${offset + i} of the batch manifest was changed after acceptance`);
    }
  });
  return page;
}

function entryContentHash(entry: BatchCaseSpec): string {
  return sha256Hex(canonicalJson({ applicant: entry.applicant ?? null, documents: entry.documents }));
}

function manifestHash(caseIds: string[], contentHashes: string[]): string {
  const h = createHash('sha256').update(`kyc-batch-manifest/1\n${caseIds.length}\n`);
  caseIds.forEach((caseId, i) => h.update(`${sha256Hex(caseId)}:${contentHashes[i]}\n`));
  return h.digest('hex');
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
