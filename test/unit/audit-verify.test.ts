/**
 * The verifier's three checks (chain, workflow head, checkpoint) against each kind of tampering an
 * insider with database write access can do, and the signed checkpoint file (written atomically,
 * 0600, never moving a head backwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { chainRecord, GENESIS_HASH, headOf, legacyHash, type AuditHead, type AuditRecord } from '../../src/audit/chain.js';
import { readCheckpoint, signCheckpoint, writeCheckpoint, type CheckpointSource } from '../../src/audit/checkpoint.js';
import { auditKeyrings, deriveAuditKeys } from '../../src/audit/keys.js';
import { verifyTrail, type CheckName, type HeadLookup } from '../../src/audit/verify.js';
import { testKeyring } from '../support/master-keys.js';

const KEYS = auditKeyrings(testKeyring(['k1']));
const CASE = 'kyc-case-b1-c1';

function chain(n: number, caseKey = CASE): AuditRecord[] {
  const caseId = caseKey.split('-').at(-1)!;
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    records.push(
      chainRecord(records.at(-1), { caseKey, caseId, batchId: 'b1', entryId: `${caseId}:${i}`, at: '2026-12-01T10:00:00.000Z', actor: 'engine', action: `step${i}`, detail: { i } }, KEYS.chain),
    );
  }
  return records;
}

const found = (head: AuditHead): HeadLookup => ({ status: 'found', head });

/** Verdict per check: which check found what. */
function verdicts(records: AuditRecord[], head: AuditHead | undefined, checkpoint: AuditHead | undefined = head): Record<CheckName, string> {
  const v = verifyTrail({
    caseKey: CASE,
    records,
    keys: KEYS.chain,
    ...(head ? { workflowHead: found(head) } : {}),
    ...(checkpoint ? { checkpointHead: found(checkpoint) } : {}),
  });
  return Object.fromEntries(v.checks.map((c) => [c.check, c.status])) as Record<CheckName, string>;
}

describe('verifying a trail against its heads', () => {
  const records = chain(6);
  const head = headOf(records)!;

  test('when nothing was touched, then all three checks hold', () => {
    expect(verdicts(records, head)).toEqual({ chain: 'ok', 'workflow-head': 'ok', checkpoint: 'ok' });
  });

  test('when records were appended after the workflow last saw the trail, then its head still holds', () => {
    const older = headOf(records.slice(0, 4))!;
    const v = verifyTrail({ caseKey: CASE, records, keys: KEYS.chain, workflowHead: found(older) });
    expect(v.ok).toBe(true);
    expect(v.checks[1]!.detail).toContain('2 record(s) appended since');
  });

  test('when a record is edited, then the chain finds it', () => {
    const edited = records.map((r) => (r.seq === 3 ? { ...r, detail: { i: 'x' } } : r));
    expect(verdicts(edited, head)).toEqual({ chain: 'broken', 'workflow-head': 'ok', checkpoint: 'ok' });
  });

  test('when the last records are deleted, then the chain holds but the workflow head and the checkpoint find it', () => {
    const v = verifyTrail({ caseKey: CASE, records: records.slice(0, 4), keys: KEYS.chain, workflowHead: found(head), checkpointHead: found(head) });
    expect(v.ok).toBe(false);
    expect(v.checks.map((c) => c.status)).toEqual(['ok', 'broken', 'broken']);
    expect(v.checks[1]!.detail).toContain('record 6 is missing (the trail ends at record 4)');
  });

  test('when every record of the case is deleted, then the heads find it', () => {
    expect(verdicts([], head)).toEqual({ chain: 'ok', 'workflow-head': 'broken', checkpoint: 'broken' });
  });

  test('when a middle record is deleted, then the chain finds it', () => {
    expect(verdicts(records.filter((r) => r.seq !== 3), head).chain).toBe('broken');
  });

  test('when records are reordered, then the chain finds it', () => {
    const reordered = [records[0]!, records[2]!, records[1]!, ...records.slice(3)];
    expect(verdicts(reordered, head).chain).toBe('broken');
  });

  test('when the whole trail is rebuilt with plain sha256, then both heads find the rewrite and the chain does not trust the unconfirmed legacy records', () => {
    const forged: AuditRecord[] = [];
    for (const r of records) {
      const { hash: _h, macKeyId: _k, ...rest } = r;
      const unsealed = { ...rest, prevHash: forged.at(-1)?.hash ?? GENESIS_HASH, ...(r.seq === 2 ? { detail: { i: 'forged' } } : {}) };
      forged.push({ ...unsealed, hash: legacyHash(unsealed) });
    }
    expect(verdicts(forged, head)).toEqual({ chain: 'broken', 'workflow-head': 'broken', checkpoint: 'broken' });
    // With no head at all to compare with, still not trusted.
    expect(verifyTrail({ caseKey: CASE, records: forged, keys: KEYS.chain }).checks[0]).toMatchObject({ status: 'broken', detail: expect.stringContaining('no head confirms') });
  });

  test('when a trail from before keyed MACs is confirmed by a head, then it passes, reported as legacy', () => {
    const legacy: AuditRecord[] = [];
    for (const r of records) {
      const { hash: _h, macKeyId: _k, ...rest } = r;
      const unsealed = { ...rest, prevHash: legacy.at(-1)?.hash ?? GENESIS_HASH };
      legacy.push({ ...unsealed, hash: legacyHash(unsealed) });
    }
    const v = verifyTrail({ caseKey: CASE, records: legacy, keys: KEYS.chain, workflowHead: { status: 'none', why: 'old workflow' }, checkpointHead: found(headOf(legacy)!) });
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => c.status)).toEqual(['legacy', 'skipped', 'ok']);
    expect(v.checks[0]!.detail).toContain('6 legacy, unkeyed');
  });

  test('when the trail is rebuilt with another key and the last record deleted, then the chain and both heads find it', () => {
    const attacker = deriveAuditKeys(testKeyring(['k1']));
    const forged: AuditRecord[] = [];
    for (const r of records.slice(0, 5)) {
      const { seq: _s, prevHash: _p, hash: _h, macKeyId: _k, ...rest } = r;
      forged.push(chainRecord(forged.at(-1), rest, attacker));
    }
    expect(verdicts(forged, head)).toEqual({ chain: 'broken', 'workflow-head': 'broken', checkpoint: 'broken' });
  });

  test('when the heads cannot be read, then their checks are skipped and say why; an invalid checkpoint is a break', () => {
    const v = verifyTrail({
      caseKey: CASE,
      records,
      keys: KEYS.chain,
      workflowHead: { status: 'unavailable', why: 'Temporal is not running' },
      checkpointHead: { status: 'invalid', why: 'its signature does not match' },
    });
    expect(v.checks.map((c) => [c.status, c.detail])).toEqual([
      ['ok', '6 records, every MAC and link holds'],
      ['skipped', 'Temporal is not running'],
      ['broken', 'its signature does not match'],
    ]);
    expect(v.ok).toBe(false);
  });
});

describe('the signed checkpoint file', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempPath = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'kyc-audit-cp-'));
    dirs.push(dir);
    return join(dir, 'audit', 'checkpoint.json');
  };

  /** An audit store's view: per case, its records. */
  const sourceOf = (cases: Map<string, AuditRecord[]>): CheckpointSource => ({
    lastRecords: async () => new Map([...cases].filter(([, r]) => r.length > 0).map(([k, r]) => [k, r.at(-1)!])),
    hashAt: async (k, seq) => cases.get(k)?.find((r) => r.seq === seq)?.hash,
  });

  test('when written, then it is 0600, signed, and holds every case head', async () => {
    const path = tempPath();
    const records = chain(3);
    const result = await writeCheckpoint({ source: sourceOf(new Map([[CASE, records]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path });
    expect(result).toEqual({ written: true, cases: 1, held: [], refused: [] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    const read = await readCheckpoint(path, KEYS.checkpoint);
    expect(read.status === 'valid' && read.checkpoint.heads[CASE]).toEqual({ caseId: 'c1', ...headOf(records) });
    // Nothing new: not rewritten.
    expect((await writeCheckpoint({ source: sourceOf(new Map([[CASE, records]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path })).written).toBe(false);
  });

  test('when someone edits it or signs it with another key, then it does not verify', async () => {
    const path = tempPath();
    await writeCheckpoint({ source: sourceOf(new Map([[CASE, chain(3)]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path });
    const cp = JSON.parse(await readFile(path, 'utf8'));
    cp.heads[CASE].count = 2;
    await writeFile(path, JSON.stringify(cp));
    expect(await readCheckpoint(path, KEYS.checkpoint)).toEqual({ status: 'invalid', problem: expect.stringContaining('signature') });
    const forged = signCheckpoint({ [CASE]: { caseId: 'c1', count: 2, mac: 'x' } }, deriveAuditKeys(testKeyring(['k1'])), new Date());
    await writeFile(path, JSON.stringify(forged));
    expect(await readCheckpoint(path, KEYS.checkpoint)).toEqual({ status: 'invalid', problem: expect.stringContaining('signature') });
    // The chain key does not sign checkpoints either: the two are separate.
    await writeFile(path, JSON.stringify(signCheckpoint({}, KEYS.chain, new Date())));
    expect((await readCheckpoint(path, KEYS.checkpoint)).status).toBe('invalid');
  });

  test('when the database lost records since the last checkpoint, then the next checkpoint keeps the old head', async () => {
    const path = tempPath();
    const records = chain(5);
    const cases = new Map([[CASE, records], ['kyc-case-b1-c2', chain(2, 'kyc-case-b1-c2')]]);
    await writeCheckpoint({ source: sourceOf(cases), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path });
    // Insider: deletes the last two records of c1 and every record of c2, then a legitimate append follows.
    const truncated = records.slice(0, 3);
    truncated.push(chainRecord(truncated.at(-1), { caseKey: CASE, caseId: 'c1', batchId: 'b1', entryId: 'new', at: '2026-12-02T00:00:00.000Z', actor: 'engine', action: 'x', detail: {} }, KEYS.chain));
    const result = await writeCheckpoint({ source: sourceOf(new Map([[CASE, truncated]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path });
    expect(result.held.sort()).toEqual([CASE, 'kyc-case-b1-c2']);
    const read = await readCheckpoint(path, KEYS.checkpoint);
    expect(read.status === 'valid' && read.checkpoint.heads[CASE]).toMatchObject(headOf(records)!);
    // …and so the verifier still sees the deletion, though the database's chain holds.
    const v = verifyTrail({ caseKey: CASE, records: truncated, keys: KEYS.chain, checkpointHead: found(headOf(records)!) });
    expect(v.checks.map((c) => c.status)).toEqual(['ok', 'skipped', 'broken']);
  });

  test('when a head record does not authenticate, then the checkpoint does not sign it; unkeyed heads only on the first checkpoint', async () => {
    const path = tempPath();
    const legacyTrail = (caseKey: string): AuditRecord[] => {
      const out: AuditRecord[] = [];
      for (const r of chain(2)) {
        const { hash: _h, macKeyId: _k, ...rest } = r;
        const unsealed = { ...rest, caseKey, prevHash: out.at(-1)?.hash ?? GENESIS_HASH };
        out.push({ ...unsealed, hash: legacyHash(unsealed) });
      }
      return out;
    };
    // The first checkpoint after the upgrade vouches for the trails written before keyed MACs.
    const old = legacyTrail('kyc-case-b0-old');
    expect(await writeCheckpoint({ source: sourceOf(new Map([['kyc-case-b0-old', old]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path })).toMatchObject({ cases: 1, refused: [] });
    // Later: a fabricated unkeyed trail, and one forged under another key, appear in the database.
    const fake = legacyTrail('kyc-case-b0-fake');
    const forged = chain(2, 'kyc-case-b0-forged');
    forged[1] = chainRecord(forged[0], { ...forged[1]!, detail: { x: 1 } }, deriveAuditKeys(testKeyring(['k1'])));
    const result = await writeCheckpoint({
      source: sourceOf(new Map([['kyc-case-b0-old', old], ['kyc-case-b0-fake', fake], ['kyc-case-b0-forged', forged]])),
      keys: KEYS.checkpoint,
      chainKeys: KEYS.chain,
      path,
    });
    expect(result.refused.sort()).toEqual(['kyc-case-b0-fake', 'kyc-case-b0-forged']);
    const read = await readCheckpoint(path, KEYS.checkpoint);
    expect(read.status === 'valid' && Object.keys(read.checkpoint.heads)).toEqual(['kyc-case-b0-old']);
  });

  test('when the trail grows, then the checkpoint moves forward', async () => {
    const path = tempPath();
    const records = chain(5);
    await writeCheckpoint({ source: sourceOf(new Map([[CASE, records.slice(0, 2)]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path });
    expect(await writeCheckpoint({ source: sourceOf(new Map([[CASE, records]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path })).toEqual({ written: true, cases: 1, held: [], refused: [] });
    const read = await readCheckpoint(path, KEYS.checkpoint);
    expect(read.status === 'valid' && read.checkpoint.heads[CASE]?.count).toBe(5);
  });

  test('when the previous checkpoint was tampered with, then it is moved aside and not trusted', async () => {
    const path = tempPath();
    await writeCheckpoint({ source: sourceOf(new Map([[CASE, chain(2)]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path });
    await writeFile(path, '{"version":1}');
    const result = await writeCheckpoint({ source: sourceOf(new Map([[CASE, chain(2)]])), keys: KEYS.checkpoint, chainKeys: KEYS.chain, path });
    expect(result).toMatchObject({ written: true, rejectedPrevious: expect.stringContaining('not a checkpoint') });
    expect((await readCheckpoint(path, KEYS.checkpoint)).status).toBe('valid');
  });

  test('when several writers race, then the file is always a whole, valid checkpoint', async () => {
    const path = tempPath();
    const source = sourceOf(new Map([[CASE, chain(4)]]));
    await Promise.all(Array.from({ length: 8 }, (_, i) => writeCheckpoint({ source, keys: KEYS.checkpoint, chainKeys: KEYS.chain, path, now: new Date(Date.UTC(2026, 11, 1, 0, 0, i)) })));
    expect((await readCheckpoint(path, KEYS.checkpoint)).status).toBe('valid');
  });
});
