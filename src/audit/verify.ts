/**
 * A case's trail checked three ways, each saying what it found:
 *  - chain: every MAC and link recomputed (edits, middle deletions, reordering, recomputed hashes);
 *  - workflow head: the head the case workflow kept from its own appends (Temporal's history, not
 *    the review database) must still be in the chain — catches deleted last records and a chain
 *    rebuilt from some point on;
 *  - checkpoint: the same against the latest signed checkpoint file, which also covers appends
 *    from outside the workflow (document access through the API, erasure records).
 * Legacy (unkeyed) records pass only when a keyed record after them anchors them or a head
 * confirms them; the first checkpoint after the upgrade confirms the trails written before it.
 * Pure: the caller fetches the records, the workflow head and the checkpoint.
 */
import { verifyChain, type AuditHead, type AuditRecord, type ChainBreak, type ChainVerification } from './chain.js';
import type { AuditKeys } from './keys.js';

export type HeadLookup =
  | { status: 'found'; head: AuditHead; at?: string }
  /** There is no head to compare with (e.g. a workflow started before heads existed). */
  | { status: 'none'; why: string }
  /** The place holding the head could not be read (Temporal down, checkpoint file invalid…). */
  | { status: 'unavailable'; why: string }
  /** The place holding the head is invalid: a failure in itself (e.g. a forged checkpoint). */
  | { status: 'invalid'; why: string };

export type CheckName = 'chain' | 'workflow-head' | 'checkpoint';

export interface TrailCheck {
  check: CheckName;
  /** ok: holds · legacy: holds, but over unkeyed records · broken · skipped: nothing to compare with. */
  status: 'ok' | 'legacy' | 'broken' | 'skipped';
  detail: string;
  breaks: ChainBreak[];
}

export interface TrailVerification {
  caseKey: string;
  /** False when any check is broken. */
  ok: boolean;
  records: number;
  chain: ChainVerification;
  checks: TrailCheck[];
}

/** Does the chain still hold the record a head names? */
export function compareWithHead(records: readonly AuditRecord[], head: AuditHead, source: string): ChainBreak[] {
  const last = records.at(-1);
  const named = records.find((r) => r.seq === head.count);
  if (!named) {
    const ends = last ? `the trail ends at record ${last.seq}` : 'the trail is empty';
    return [{ seq: head.count, kind: 'sequence', reason: `${source} saw ${head.count} records but record ${head.count} is missing (${ends}): records were deleted` }];
  }
  if (named.hash !== head.mac) {
    return [{ seq: head.count, kind: 'mac', reason: `record ${head.count} is not the one ${source} saw (the chain was rewritten from some point on)` }];
  }
  return [];
}

function headCheck(check: CheckName, source: string, lookup: HeadLookup | undefined, records: readonly AuditRecord[]): TrailCheck {
  if (!lookup) return { check, status: 'skipped', detail: 'not asked', breaks: [] };
  if (lookup.status === 'none' || lookup.status === 'unavailable') return { check, status: 'skipped', detail: lookup.why, breaks: [] };
  if (lookup.status === 'invalid') return { check, status: 'broken', detail: lookup.why, breaks: [] };
  const breaks = compareWithHead(records, lookup.head, source);
  const after = records.length > 0 ? records.at(-1)!.seq - lookup.head.count : 0;
  const when = lookup.at ? ` of ${lookup.at}` : '';
  return breaks.length > 0
    ? { check, status: 'broken', detail: `head${when}: ${lookup.head.count} records; ${breaks.map((b) => b.reason).join('; ')}`, breaks }
    : { check, status: 'ok', detail: `record ${lookup.head.count} matches the head${when}${after > 0 ? ` (${after} record(s) appended since)` : ''}`, breaks: [] };
}

export function verifyTrail(options: {
  caseKey: string;
  records: readonly AuditRecord[];
  keys: AuditKeys;
  workflowHead?: HeadLookup;
  checkpointHead?: HeadLookup;
}): TrailVerification {
  const { records } = options;
  const chain = verifyChain(records, options.keys);
  const chainCheck: TrailCheck = !chain.ok
    ? { check: 'chain', status: 'broken', detail: chain.breaks.map((b) => `record ${b.seq} ${b.reason}`).join('; '), breaks: chain.breaks }
    : chain.legacy > 0
      ? {
          check: 'chain',
          status: 'legacy',
          detail:
            `${chain.records} records hold; ${chain.legacy} legacy, unkeyed (plain sha256, made before keyed MACs)` +
            (chain.legacyAnchored ? ', anchored by the keyed record after them' : ', not anchored by any keyed record: anyone with database access could have rewritten them'),
          breaks: [],
        }
      : { check: 'chain', status: 'ok', detail: `${chain.records} records, every MAC and link holds`, breaks: [] };
  const heads = [
    headCheck('workflow-head', 'the case workflow', options.workflowHead, records),
    headCheck('checkpoint', 'the checkpoint', options.checkpointHead, records),
  ];
  // Unkeyed records nothing vouches for (no keyed record after them, no head that saw them) could
  // have been written by anyone with database access: not trusted (see README, threat model).
  if (chainCheck.status === 'legacy' && !chain.legacyAnchored && !heads.some((c) => c.status === 'ok')) {
    chainCheck.status = 'broken';
    chainCheck.detail = `${chain.records} legacy, unkeyed records (plain sha256) that no keyed record anchors and no head confirms: anyone with database access could have written them`;
  }
  const checks = [chainCheck, ...heads];
  return { caseKey: options.caseKey, ok: checks.every((c) => c.status !== 'broken'), records: records.length, chain, checks };
}
