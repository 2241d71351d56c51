import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReviewStore } from '../../src/adapters/review-db.js';
import { testKeyring } from './master-keys.js';
import type { Actor, ReviewStore, Role } from '../../src/review/types.js';

export interface TestKey {
  secret: string;
  actor: Actor;
  /** `Authorization` header for inject/fetch. */
  headers: { authorization: string };
}

/**
 * A real key in the real review database, with the given roles; `name` is the person, of the
 * `default` organisation unless `options.org` says otherwise.
 */
export async function createKey(
  store: ReviewStore,
  name: string,
  roles: Role[],
  options: { org?: string; samePerson?: boolean } = {},
): Promise<TestKey> {
  const { record, secret } = await store.createApiKey({ person: name, roles, ...options });
  return {
    secret,
    actor: { keyId: record.keyId, name: record.name, roles: record.roles, org: record.org, person: record.person },
    headers: { authorization: `Bearer ${secret}` },
  };
}

/** A SQLite review database in a temp dir, for API tests that need real keys. */
export async function tempReviewStore(): Promise<{ store: ReviewStore; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kyc-review-'));
  const store = await openReviewStore(`file:${join(dir, 'review.db')}`, testKeyring());
  return {
    store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
