/**
 * The audit trail of a case: append-only, each record hash-chained to the one before it, so that
 * editing, deleting or reordering any record breaks every hash after it. Records hold no personal
 * data by construction (ids, codes, field names, model hashes, who and when — never values or free
 * text), so a case's trail survives its erasure intact.
 */
import { createHash } from 'node:crypto';

export interface AuditEntry {
  /** Deterministic id of the event (e.g. `<workflowId>:run1:3`): a retried append is a no-op. */
  entryId: string;
  at: string;
  /** `engine`, or the key name of the person. */
  actor: string;
  actorKeyId?: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  /** `kyc-case-<batchId>-<caseId>`: one chain per case workflow. */
  caseKey: string;
  caseId: string;
  batchId: string;
  /** 1, 2, 3… within the case. */
  seq: number;
  /** Hash of the previous record; 64 zeros for the first. */
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  const { caseKey, caseId, batchId, seq, prevHash, entryId, at, actor, actorKeyId, action, detail } = record;
  return createHash('sha256')
    .update(canonicalJson({ caseKey, caseId, batchId, seq, prevHash, entryId, at, actor, actorKeyId, action, detail }))
    .digest('hex');
}

export function chainRecord(previous: AuditRecord | undefined, base: Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>): AuditRecord {
  const unhashed = { ...base, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unhashed, hash: hashRecord(unhashed) };
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

export interface ChainVerification {
  ok: boolean;
  records: number;
  breaks: ChainBreak[];
}

/** Recomputes every hash and link; reports each record where the chain does not hold. */
export function verifyChain(records: readonly AuditRecord[]): ChainVerification {
  const breaks: ChainBreak[] = [];
  let previous: AuditRecord | undefined;
  for (const record of records) {
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (record.seq !== expectedSeq) breaks.push({ seq: record.seq, reason: `sequence ${record.seq} where ${expectedSeq} was expected (a record is missing or moved)` });
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (record.prevHash !== expectedPrev) breaks.push({ seq: record.seq, reason: 'does not link to the record before it' });
    const { hash, ...rest } = record;
    if (hashRecord(rest) !== hash) breaks.push({ seq: record.seq, reason: 'its content does not match its hash (the record was edited)' });
    previous = record;
  }
  return { ok: breaks.length === 0, records: records.length, breaks };
}
