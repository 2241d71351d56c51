/**
 * How long the audit trail's periodic work takes as the trail grows: appends, a signed checkpoint
 * of every case head (first, then unchanged, then after one case grew) and verifying every chain.
 * Usage: npx tsx tools/audit-bench/checkpoint-bench.ts [cases=2000] [recordsPerCase=12]
 * A throwaway SQLite file under the OS temp dir; figures in docs/audit-trail.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAuditStore } from '../../src/adapters/audit-db.js';
import { verifyChain } from '../../src/audit/chain.js';
import { writeCheckpoint } from '../../src/audit/checkpoint.js';

const cases = Number(process.argv[2] ?? 2000);
const perCase = Number(process.argv[3] ?? 12);
const dir = await mkdtemp(join(tmpdir(), 'kyc-audit-bench-'));
const keyring = { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
const store = await openAuditStore(`file:${join(dir, 'review.db')}`, keyring);
const path = join(dir, 'audit', 'checkpoint.json');
const ms = (t0: number): string => `${(performance.now() - t0).toFixed(0)} ms`;
try {
  let t0 = performance.now();
  for (let c = 0; c < cases; c++) {
    const caseId = `case-${c}`;
    const entries = Array.from({ length: perCase }, (_, i) => ({ entryId: `${caseId}:${i}`, at: new Date().toISOString(), actor: 'engine', action: 'step', detail: { i, documentId: randomBytes(16).toString('hex') } }));
    await store.append({ caseKey: `kyc-case-b1-${caseId}`, caseId, batchId: 'b1' }, entries);
  }
  console.log(`appended ${cases} cases × ${perCase} records: ${ms(t0)}`);
  t0 = performance.now();
  let r = await writeCheckpoint({ source: store, keys: store.keys.checkpoint, chainKeys: store.keys.chain, path });
  console.log(`first checkpoint (${r.cases} heads, ${(await stat(path)).size} bytes): ${ms(t0)}`);
  t0 = performance.now();
  r = await writeCheckpoint({ source: store, keys: store.keys.checkpoint, chainKeys: store.keys.chain, path });
  console.log(`checkpoint, nothing changed (written: ${r.written}): ${ms(t0)}`);
  await store.append({ caseKey: 'kyc-case-b1-case-0', caseId: 'case-0', batchId: 'b1' }, [{ entryId: 'more', at: new Date().toISOString(), actor: 'engine', action: 'step', detail: {} }]);
  t0 = performance.now();
  r = await writeCheckpoint({ source: store, keys: store.keys.checkpoint, chainKeys: store.keys.chain, path });
  console.log(`checkpoint, one case grew (written: ${r.written}): ${ms(t0)}`);
  t0 = performance.now();
  let records = 0;
  for (const caseKey of (await store.lastRecords()).keys()) {
    const chain = await store.list(caseKey);
    records += chain.length;
    if (!verifyChain(chain, store.keys.chain).ok) throw new Error(`${caseKey} does not verify`);
  }
  console.log(`every chain read and verified (${records} records): ${ms(t0)}`);
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
