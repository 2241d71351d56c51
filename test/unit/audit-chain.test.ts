import { describe, expect, test } from 'vitest';
import { canonicalJson, chainRecord, GENESIS_HASH, legacyHash, verifyChain, type AuditRecord } from '../../src/audit/chain.js';
import { reviewEventToAudit } from '../../src/audit/entries.js';
import { AUDIT_CHAIN_LABEL, AUDIT_CHECKPOINT_LABEL, deriveAuditKeys, type AuditKeys } from '../../src/audit/keys.js';
import { testKeyring } from '../support/master-keys.js';

const KEYRING = testKeyring(['k2', 'k1']);
const KEYS = deriveAuditKeys(KEYRING);

function base(i: number): Omit<AuditRecord, 'seq' | 'prevHash' | 'hash' | 'macKeyId'> {
  return {
    caseKey: 'kyc-case-b-1-c1',
    caseId: 'c1',
    batchId: 'b-1',
    entryId: `e${i}`,
    at: `2026-11-01T10:00:0${i}.000Z`,
    actor: 'engine',
    action: 'step',
    detail: { i, nested: { b: 2, a: 1 } },
  };
}

function chain(n: number, keys: AuditKeys = KEYS): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i++) records.push(chainRecord(records.at(-1), base(i), keys));
  return records;
}

/** Records as the engine wrote them before keyed MACs: plain sha256, no key id. */
function legacyChain(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    const unsealed = { ...base(i), seq: i + 1, prevHash: records.at(-1)?.hash ?? GENESIS_HASH };
    records.push({ ...unsealed, hash: legacyHash(unsealed) });
  }
  return records;
}

/** What an insider with the database and the project's code (but not the key) can do: reseal with sha256. */
function resealLegacy(record: AuditRecord, prevHash: string): AuditRecord {
  const { hash: _h, macKeyId: _k, ...rest } = record;
  const unsealed = { ...rest, prevHash };
  return { ...unsealed, hash: legacyHash(unsealed) };
}

const kinds = (records: AuditRecord[]) => verifyChain(records, KEYS).breaks.map((b) => [b.seq, b.kind]);

describe('the MAC-chained audit trail', () => {
  test('when records are chained, then each links to the one before, names the active key, and the chain verifies', () => {
    const records = chain(4);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    expect(records[2]!.prevHash).toBe(records[1]!.hash);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records.every((r) => r.macKeyId === 'k2')).toBe(true);
    expect(verifyChain(records, KEYS)).toEqual({ ok: true, records: 4, keyed: 4, legacy: 0, legacyAnchored: false, breaks: [] });
  });

  test('when the MAC is a keyed one, then sha256 of the content does not reproduce it', () => {
    const [record] = chain(1);
    const { hash, ...rest } = record!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(legacyHash(rest)).not.toBe(hash);
  });

  test('when the chain and checkpoint keys are derived, then they differ from each other and from the master key', () => {
    const chainKey = deriveAuditKeys(KEYRING, AUDIT_CHAIN_LABEL).keys.get('k2')!;
    const checkpointKey = deriveAuditKeys(KEYRING, AUDIT_CHECKPOINT_LABEL).keys.get('k2')!;
    expect(chainKey.equals(checkpointKey)).toBe(false);
    expect(chainKey.equals(KEYRING.keys.get('k2')!)).toBe(false);
    expect(deriveAuditKeys(KEYRING).keys.get('k2')!.equals(chainKey)).toBe(true);
  });

  test('when a record is edited, then its MAC no longer matches', () => {
    const records = chain(4);
    records[1] = { ...records[1]!, detail: { i: 99 } };
    expect(kinds(records)).toEqual([[2, 'mac']]);
  });

  test('when a record is edited and resealed with plain sha256 (the old project function), then it is unkeyed after keyed records', () => {
    const records = chain(4);
    records[1] = resealLegacy({ ...records[1]!, detail: { i: 99 } }, records[0]!.hash);
    expect(kinds(records)).toEqual([
      [2, 'legacy-after-keyed'],
      [3, 'link'],
    ]);
  });

  test('when the whole chain is resealed with sha256, then it holds only as legacy, unanchored (the heads outside the database catch it)', () => {
    const original = chain(3);
    const forged: AuditRecord[] = [];
    for (const r of original) forged.push(resealLegacy(r, forged.at(-1)?.hash ?? GENESIS_HASH));
    expect(verifyChain(forged, KEYS)).toMatchObject({ ok: true, keyed: 0, legacy: 3, legacyAnchored: false });
  });

  test('when a record is edited and resealed with another key under the same key id, then its MAC fails', () => {
    const records = chain(4);
    const attacker = deriveAuditKeys(testKeyring(['k2']));
    const { seq: _s, prevHash: _p, hash: _h, macKeyId: _k, ...rest } = records[1]!;
    records[1] = chainRecord(records[0], { ...rest, detail: { i: 99 } }, attacker);
    expect(kinds(records)).toEqual([
      [2, 'mac'],
      [3, 'link'],
    ]);
  });

  test('when a record is resealed under a key id the ring does not hold, then it cannot be verified', () => {
    const records = chain(2);
    const attacker = deriveAuditKeys(testKeyring(['mine']));
    records[1] = chainRecord(records[0], base(1), attacker);
    expect(kinds(records)).toEqual([[2, 'unknown-key']]);
  });

  test('when the key rotates, then old records verify under the old key still in the ring, and fail once it is removed', () => {
    const oldKeys = deriveAuditKeys(testKeyring(['k1']));
    const rotated: AuditKeys = { activeKeyId: 'k2', keys: new Map([...oldKeys.keys, ['k2', KEYS.keys.get('k2')!]]) };
    const records = chain(2, oldKeys);
    records.push(chainRecord(records.at(-1), base(2), rotated));
    expect(records.map((r) => r.macKeyId)).toEqual(['k1', 'k1', 'k2']);
    expect(verifyChain(records, rotated).ok).toBe(true);
    const withoutOld: AuditKeys = { activeKeyId: 'k2', keys: new Map([['k2', KEYS.keys.get('k2')!]]) };
    expect(verifyChain(records, withoutOld).breaks.map((b) => b.kind)).toEqual(['unknown-key', 'unknown-key']);
  });

  test('when the middle record is deleted, then the gap and the broken link are reported', () => {
    const records = chain(4);
    records.splice(1, 1);
    expect(kinds(records)).toEqual([
      [3, 'sequence'],
      [3, 'link'],
    ]);
  });

  test('when two records swap places, then the sequence and links break', () => {
    const records = chain(4);
    [records[1], records[2]] = [records[2]!, records[1]!];
    expect(kinds(records)).toEqual([
      [3, 'sequence'],
      [3, 'link'],
      [2, 'sequence'],
      [2, 'link'],
      [4, 'sequence'],
      [4, 'link'],
    ]);
  });

  test('when two records swap their sequence numbers too, then the MACs (which cover them) break', () => {
    const records = chain(4);
    const a = records[1]!;
    const b = records[2]!;
    records[1] = { ...b, seq: 2, prevHash: a.prevHash };
    records[2] = { ...a, seq: 3, prevHash: records[1].hash };
    expect(verifyChain(records, KEYS).breaks.map((x) => x.kind)).toEqual(expect.arrayContaining(['mac']));
  });

  test('when the last records are deleted, then the chain alone still holds (only a head outside the database can tell)', () => {
    const records = chain(4);
    records.splice(2);
    expect(verifyChain(records, KEYS).ok).toBe(true);
  });

  test('when a trail starts with legacy records, then they verify as legacy, anchored by the first keyed record', () => {
    const records = legacyChain(3);
    records.push(chainRecord(records.at(-1), base(3), KEYS));
    expect(verifyChain(records, KEYS)).toEqual({ ok: true, records: 4, keyed: 1, legacy: 3, legacyAnchored: true, breaks: [] });
    // A legacy record edited and its whole legacy prefix recomputed: the keyed record's covered link gives it away.
    const forged: AuditRecord[] = [];
    for (const r of records.slice(0, 3)) forged.push(resealLegacy(r.seq === 2 ? { ...r, detail: { i: 42 } } : r, forged.at(-1)?.hash ?? GENESIS_HASH));
    expect(kinds([...forged, records[3]!])).toEqual([[4, 'link']]);
  });

  test('when a legacy record is edited without recomputing, then its legacy hash fails', () => {
    const records = legacyChain(3);
    records[2] = { ...records[2]!, actor: 'mallory' };
    expect(kinds(records)).toEqual([[3, 'legacy-hash']]);
  });

  test('when keys come in another order, then the canonical form (and so the MAC) is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":1}');
  });

  test('when a review event has a note or a reason, then only that one was given goes into the trail', () => {
    const entry = reviewEventToAudit({
      eventId: 't:1:3',
      taskId: 't:1',
      caseId: 'c1',
      at: '2026-11-01T10:00:00.000Z',
      actor: 'alice',
      actorKeyId: 'k1',
      action: 'note',
      detail: { text: 'Jane Doe phoned', reason: '', queue: 'standard' },
    });
    expect(entry).toMatchObject({ action: 'review.note', actor: 'alice', detail: { taskId: 't:1', textGiven: true, reasonGiven: false, queue: 'standard' } });
    expect(JSON.stringify(entry)).not.toContain('Jane');
  });
});
