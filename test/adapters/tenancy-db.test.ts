/**
 * The batches table (owners, idempotency keys) on a SQLite file and on a real PostgreSQL (Debian's,
 * started in a temp dir): the unique constraints decide racing claims, ids compare exactly, claims
 * are finished, released or taken over only with their token, and case lookups are scoped to owners.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openReviewStore } from '../../src/adapters/review-db.js';
import type { NewBatchClaim } from '../../src/adapters/tenancy-db.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let postgres: TestPostgres | undefined;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const BACKENDS = [
  {
    name: 'SQLite',
    before: async () => undefined,
    after: async () => undefined,
    newDatabase: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kyc-tenancy-'));
      dirs.push(dir);
      return `file:${join(dir, 'review.db')}`;
    },
  },
  {
    name: 'PostgreSQL',
    before: async () => {
      postgres = await startPostgres();
    },
    after: async () => {
      await postgres?.stop();
    },
    newDatabase: async () => {
      if (!postgres) throw new Error('PostgreSQL did not start (see the beforeAll error)');
      return postgres.createDatabase();
    },
  },
];

const claim = (overrides: Partial<NewBatchClaim> = {}): NewBatchClaim => ({
  batchId: 'B-1',
  ownerOrg: 'acme',
  submittedBy: 'acme/Alice Martin',
  fingerprint: 'f'.repeat(64),
  caseIds: ['c1'],
  claimToken: 'token-1',
  claimedAt: '2026-12-01T09:00:00.000Z',
  ...overrides,
});

describe.each(BACKENDS)('batches table on $name', (backend) => {
  const open: Array<{ close(): Promise<void> }> = [];
  beforeAll(() => backend.before(), 120_000);
  afterAll(async () => {
    for (const s of open) await s.close();
    await backend.after();
  });
  async function fresh() {
    const store = await openReviewStore(await backend.newDatabase());
    open.push(store);
    return store;
  }

  test('when two claims share a batch id or an organisation’s key, then only the first is taken; ids compare exactly', async () => {
    const { batches } = await fresh();
    expect(await batches.claimBatch(claim({ idempotencyKey: 'k' }))).toBe(true);
    expect(await batches.claimBatch(claim({ claimToken: 't2' }))).toBe(false); // same id
    expect(await batches.claimBatch(claim({ batchId: 'B-2', idempotencyKey: 'k', claimToken: 't3' }))).toBe(false); // same org + key
    expect(await batches.claimBatch(claim({ batchId: 'b-1', claimToken: 't4' }))).toBe(true); // another id
    expect(await batches.claimBatch(claim({ batchId: 'B-3', ownerOrg: 'globex', idempotencyKey: 'k', claimToken: 't5' }))).toBe(true); // another org's key
    expect(await batches.claimBatch(claim({ batchId: 'B-4', claimToken: 't6' }))).toBe(true); // no key: never a key conflict
    expect(await batches.claimBatch(claim({ batchId: 'B-5', claimToken: 't7' }))).toBe(true);
    expect((await batches.findBatch('B-1'))?.claimToken).toBe('token-1');
    expect((await batches.findBatch('b-1'))?.claimToken).toBe('t4');
    expect(await batches.findBatch('b-2')).toBeUndefined();
    expect((await batches.findBatchByKey('acme', 'k'))?.batchId).toBe('B-1');
    expect((await batches.findBatchByKey('globex', 'k'))?.batchId).toBe('B-3');
    expect(await batches.findBatchByKey('acme', 'K')).toBeUndefined();
  });

  test('when 20 claims for one key race, then exactly one is taken', async () => {
    const { batches } = await fresh();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => batches.claimBatch(claim({ batchId: `race-${i}`, idempotencyKey: 'race', claimToken: `t${i}` }))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('when a claim is finished, released or taken over, then only its token does it', async () => {
    const { batches } = await fresh();
    await batches.claimBatch(claim());
    expect(await batches.markStarted('B-1', 'wrong', { key: 'k', hash: 'h' })).toBe(false);
    expect(await batches.releaseClaim('B-1', 'wrong')).toBe(false);
    expect(await batches.takeOverClaim('B-1', 'wrong', 'token-2', '2026-12-01T10:00:00.000Z')).toBe(false);
    expect(await batches.takeOverClaim('B-1', 'token-1', 'token-2', '2026-12-01T10:00:00.000Z')).toBe(true);
    expect(await batches.markStarted('B-1', 'token-1', { key: 'k', hash: 'h' })).toBe(false);
    expect(await batches.markStarted('B-1', 'token-2', { key: 'batches/x/manifest.json', hash: 'abc' })).toBe(true);
    expect(await batches.findBatch('B-1')).toMatchObject({ state: 'started', manifestKey: 'batches/x/manifest.json', manifestHash: 'abc', caseIds: ['c1'] });
    // A started batch is never released.
    expect(await batches.releaseClaim('B-1', 'token-2')).toBe(false);
    await batches.claimBatch(claim({ batchId: 'B-9', claimToken: 'gone' }));
    expect(await batches.releaseClaim('B-9', 'gone')).toBe(true);
    expect(await batches.findBatch('B-9')).toBeUndefined();
  });

  test('when owners share a case id, then each finds its own case; batches without an owner row belong to the default organisation', async () => {
    const store = await fresh();
    const { batches } = store;
    for (const [batchId, org, at] of [['acme-b', 'acme', '2026-12-01T09:00:00.000Z'], ['globex-b', 'globex', '2026-12-01T10:00:00.000Z']] as const) {
      await batches.claimBatch(claim({ batchId, ownerOrg: org, claimToken: batchId }));
      await store.registerCase({ workflowId: `kyc-case-${batchId}-shared`, caseId: 'shared', batchId, documentIds: [], submittedAt: at });
    }
    // Not started yet: nobody's case.
    expect(await batches.findCase('shared', 'acme', 'default')).toBeUndefined();
    await batches.markStarted('acme-b', 'acme-b', { key: 'k1', hash: 'h1' });
    await batches.markStarted('globex-b', 'globex-b', { key: 'k2', hash: 'h2' });
    expect((await batches.findCase('shared', 'acme', 'default'))?.batchId).toBe('acme-b');
    expect((await batches.findCase('shared', 'globex', 'default'))?.batchId).toBe('globex-b');
    expect((await batches.findCase('shared', undefined, 'default'))?.batchId).toBe('globex-b'); // the latest, for admins
    expect(await batches.findCase('shared', 'initech', 'default')).toBeUndefined();
    expect(await batches.findCase('SHARED', 'acme', 'default')).toBeUndefined();

    await store.registerCase({ workflowId: 'kyc-case-legacy-old', caseId: 'old', batchId: 'legacy', documentIds: [], submittedAt: '2026-01-01T00:00:00.000Z' });
    expect((await batches.findCase('old', 'default', 'default'))?.batchId).toBe('legacy');
    expect(await batches.findCase('old', 'acme', 'default')).toBeUndefined();

    await batches.forgetCases('acme-b', ['kyc-case-acme-b-shared']);
    expect(await store.findCase('kyc-case-acme-b-shared')).toBeUndefined();
    expect(await store.findCase('kyc-case-globex-b-shared')).toBeDefined();
  });
});
