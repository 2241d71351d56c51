import { describe, expect, test } from 'vitest';
import { canonicalJson, chainRecord, GENESIS_HASH, verifyChain, type AuditRecord } from '../../src/audit/chain.js';
import { reviewEventToAudit } from '../../src/audit/entries.js';

function chain(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    records.push(
      chainRecord(records.at(-1), {
        caseKey: 'kyc-case-b-1-c1',
        caseId: 'c1',
        batchId: 'b-1',
        entryId: `e${i}`,
        at: `2026-11-01T10:00:0${i}.000Z`,
        actor: 'engine',
        action: 'step',
        detail: { i, nested: { b: 2, a: 1 } },
      }),
    );
  }
  return records;
}

describe('the hash-chained audit trail', () => {
  test('when records are chained, then each links to the one before and the chain verifies', () => {
    const records = chain(4);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    expect(records[2]!.prevHash).toBe(records[1]!.hash);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(verifyChain(records)).toEqual({ ok: true, records: 4, breaks: [] });
  });

  test('when a record is edited, then that record is reported', () => {
    const records = chain(4);
    records[1] = { ...records[1]!, detail: { i: 99 } };
    expect(verifyChain(records).breaks).toEqual([{ seq: 2, reason: expect.stringContaining('edited') }]);
  });

  test('when a record is edited and its hash recomputed, then the next record no longer links', () => {
    const records = chain(4);
    const forged = chainRecord(records[0], { ...records[1]!, detail: { i: 99 } });
    records[1] = forged;
    expect(verifyChain(records).breaks).toEqual([{ seq: 3, reason: expect.stringContaining('does not link') }]);
  });

  test('when a record is deleted, then the gap is reported', () => {
    const records = chain(4);
    records.splice(1, 1);
    const { ok, breaks } = verifyChain(records);
    expect(ok).toBe(false);
    expect(breaks.map((b) => b.seq)).toContain(3);
  });

  test('when keys come in another order, then the canonical form (and so the hash) is the same', () => {
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
