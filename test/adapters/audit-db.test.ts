/**
 * The audit trail's store on both databases it runs on: a SQLite file and a throwaway PostgreSQL
 * server (test/support/postgres.ts). Appends are batched per call; these tests hold them to the
 * trail's promises: every entry once, in order, hash-chained, also under retries and concurrency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openAuditStore, type AuditStore } from '../../src/adapters/audit-db.js';
import { verifyChain, type AuditEntry } from '../../src/audit/chain.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let postgres: TestPostgres | undefined;
const BACKENDS = [
  {
    name: 'SQLite',
    before: async (): Promise<void> => undefined,
    after: async (): Promise<void> => undefined,
    newDatabase: async (): Promise<string> => {
      const dir = mkdtempSync(join(tmpdir(), 'kyc-audit-db-'));
      dirs.push(dir);
      return `file:${join(dir, 'audit.db')}`;
    },
  },
  {
    name: 'PostgreSQL',
    before: async (): Promise<void> => {
      postgres = await startPostgres();
    },
    after: async (): Promise<void> => {
      await postgres?.stop();
    },
    newDatabase: async (): Promise<string> => {
      if (!postgres) throw new Error('PostgreSQL did not start (see the beforeAll error)');
      return postgres.createDatabase();
    },
  },
];

const target = (caseId: string) => ({ caseKey: `kyc-case-b1-${caseId}`, caseId, batchId: 'b1' });
const entry = (id: string, action = 'step'): AuditEntry => ({ entryId: id, at: '2026-12-06T10:00:00.000Z', actor: 'engine', action, detail: { n: id } });

describe.each(BACKENDS)('audit store on $name', { timeout: 60_000 }, (backend) => {
  const open: AuditStore[] = [];
  let url: string;
  const openStore = async (): Promise<AuditStore> => {
    const store = await openAuditStore(url);
    open.push(store);
    return store;
  };

  beforeAll(async () => {
    await backend.before();
    url = await backend.newDatabase();
  }, 120_000);
  afterAll(async () => {
    for (const store of open) await store.close();
    await backend.after();
  });

  test('when entries are appended in one call, then they are chained in their order after what the case had', async () => {
    const store = await openStore();
    await store.append(target('order'), [entry('o:1')]);
    const written = await store.append(target('order'), [entry('o:2', 'a'), entry('o:3', 'b'), entry('o:4', 'c')]);
    expect(written.map((r) => [r.entryId, r.seq, r.action])).toEqual([['o:2', 2, 'a'], ['o:3', 3, 'b'], ['o:4', 4, 'c']]);
    const chain = await store.list(target('order').caseKey);
    expect(chain.map((r) => r.entryId)).toEqual(['o:1', 'o:2', 'o:3', 'o:4']);
    expect(verifyChain(chain).ok).toBe(true);
    expect(chain.slice(1)).toEqual(written);
  });

  test('when a call is retried, whole or after part of it was recorded, then no entry is written twice', async () => {
    const store = await openStore();
    const first = await store.append(target('retry'), [entry('r:1'), entry('r:2')]);
    // The same call again (an activity retried after its write went through): the same records back.
    expect(await store.append(target('retry'), [entry('r:1'), entry('r:2')])).toEqual(first);
    // A call of which the first entries are already recorded: the rest follow them.
    const mixed = await store.append(target('retry'), [entry('r:2'), entry('r:3'), entry('r:3'), entry('r:4')]);
    expect(mixed.map((r) => [r.entryId, r.seq])).toEqual([['r:2', 2], ['r:3', 3], ['r:3', 3], ['r:4', 4]]);
    const chain = await store.list(target('retry').caseKey);
    expect(chain.map((r) => r.entryId)).toEqual(['r:1', 'r:2', 'r:3', 'r:4']);
    expect(verifyChain(chain).ok).toBe(true);
    expect(await store.append(target('retry'), [])).toEqual([]);
  });

  test('when two connections append to the same case at once, then every entry is recorded once and the chain holds', async () => {
    const [a, b] = [await openStore(), await openStore()];
    const calls = Array.from({ length: 12 }, (_, i) =>
      (i % 2 === 0 ? a : b).append(target('race'), [entry(`race:${i}:1`), entry(`race:${i}:2`), entry(`race:${i}:3`)]),
    );
    const results = await Promise.all(calls);
    const chain = await a.list(target('race').caseKey);
    expect(chain).toHaveLength(36);
    expect(new Set(chain.map((r) => r.entryId)).size).toBe(36);
    expect(chain.map((r) => r.seq)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(verifyChain(chain).ok).toBe(true);
    // Each call's entries stay together and in their order.
    for (const written of results) {
      expect(written.map((r) => r.seq)).toEqual([written[0]!.seq, written[0]!.seq + 1, written[0]!.seq + 2]);
    }
  });
});
