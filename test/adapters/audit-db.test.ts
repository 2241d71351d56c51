/**
 * The audit trail's store on both databases it runs on: a SQLite file and a throwaway PostgreSQL
 * server (test/support/postgres.ts). Appends are batched per call; these tests hold them to the
 * trail's promises: every entry once, in order, hash-chained, also under retries and concurrency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient } from '@libsql/client';
import { openAuditStore, type AuditStore } from '../../src/adapters/audit-db.js';
import { GENESIS_HASH, legacyHash, verifyChain, type AuditEntry } from '../../src/audit/chain.js';
import { testKeyring } from '../support/master-keys.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const KEYRING = testKeyring(['k1']);

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
    const store = await openAuditStore(url, KEYRING);
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
    expect(chain.every((r) => r.macKeyId === 'k1')).toBe(true);
    expect(verifyChain(chain, store.keys.chain)).toMatchObject({ ok: true, keyed: 4, legacy: 0 });
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
    expect(verifyChain(chain, store.keys.chain).ok).toBe(true);
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
    expect(verifyChain(chain, a.keys.chain).ok).toBe(true);
    // Each call's entries stay together and in their order.
    for (const written of results) {
      expect(written.map((r) => r.seq)).toEqual([written[0]!.seq, written[0]!.seq + 1, written[0]!.seq + 2]);
    }
  });

  test('when cases have records, then their heads are each last record, and the MAC of a record can be read by position', async () => {
    const store = await openStore();
    const h1 = await store.append(target('head-1'), [entry('h1:1'), entry('h1:2'), entry('h1:3')]);
    const h2 = await store.append(target('head-2'), [entry('h2:1')]);
    const last = await store.lastRecords();
    expect(last.get(target('head-1').caseKey)).toEqual(h1[2]);
    expect(last.get(target('head-2').caseKey)).toEqual(h2[0]);
    expect(await store.hashAt(target('head-1').caseKey, 2)).toBe(h1[1]!.hash);
    expect(await store.hashAt(target('head-1').caseKey, 9)).toBeUndefined();
  });
});

describe('audit store upgraded from unkeyed records', () => {
  test('when a database holds sha256 records from before keyed MACs, then they read as legacy and new records anchor them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyc-audit-legacy-'));
    dirs.push(dir);
    const url = `file:${join(dir, 'review.db')}`;
    // The table as migration 0001 left it, with one record the old code wrote.
    const db = createClient({ url });
    await db.execute(
      'CREATE TABLE audit_log (case_key text not null, seq integer not null, case_id text not null, batch_id text not null, entry_id text not null unique, at text not null, actor text not null, actor_key_id text, action text not null, detail text not null, prev_hash text not null, hash text not null, constraint audit_log_pk primary key (case_key, seq))',
    );
    const old = { caseKey: 'kyc-case-b1-old', caseId: 'old', batchId: 'b1', seq: 1, prevHash: GENESIS_HASH, ...entry('old:1') };
    await db.execute({
      sql: 'INSERT INTO audit_log (case_key, seq, case_id, batch_id, entry_id, at, actor, actor_key_id, action, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
      args: [old.caseKey, 1, 'old', 'b1', old.entryId, old.at, old.actor, null, old.action, JSON.stringify(old.detail), GENESIS_HASH, legacyHash(old)],
    });
    db.close();

    const store = await openAuditStore(url, KEYRING);
    try {
      const before = await store.list(old.caseKey);
      expect(before[0]).not.toHaveProperty('macKeyId');
      expect(verifyChain(before, store.keys.chain)).toMatchObject({ ok: true, legacy: 1, keyed: 0, legacyAnchored: false });
      await store.append({ caseKey: old.caseKey, caseId: 'old', batchId: 'b1' }, [entry('old:2')]);
      expect(verifyChain(await store.list(old.caseKey), store.keys.chain)).toMatchObject({ ok: true, legacy: 1, keyed: 1, legacyAnchored: true });
    } finally {
      await store.close();
    }
  });
});
