/**
 * The audit trail of a case: append-only, each record chained to the one before it by a keyed MAC
 * (HMAC-SHA256 under a key derived from the master keyring, see ./keys.ts), so that editing,
 * deleting or reordering a record breaks the chain, and nobody without the key can recompute it.
 * Records hold no personal data by construction (ids, codes, field names, model hashes, who and
 * when — never values or free text), so a case's trail survives its erasure intact.
 *
 * Records written before keyed MACs existed carry a plain sha256 and no `macKeyId`: "legacy,
 * unkeyed". They are accepted only as a prefix of a chain (a legacy record after a keyed one is a
 * break) and reported as such: a legacy prefix followed by a keyed record is anchored (the keyed
 * record's MAC covers the last legacy hash); a trail that is legacy to its end is not.
 * The chain alone cannot see its last records deleted: ./verify.ts compares it with the heads kept
 * outside the database (the case workflow, the signed checkpoint).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditKeys } from './keys.js';

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
  /** `hash` of the previous record; 64 zeros for the first. */
  prevHash: string;
  /** HMAC-SHA256 (hex) under the key `macKeyId`; a plain sha256 on legacy records. */
  hash: string;
  /** The audit MAC key (same id as the master key it is derived from); absent on legacy records. */
  macKeyId?: string;
}

/** Where a case's chain ended when someone outside the database last saw it. */
export interface AuditHead {
  /** Sequence number of the last record (= the number of records of an intact chain). */
  count: number;
  /** `hash` (the MAC) of that record. */
  mac: string;
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

type Unsealed = Omit<AuditRecord, 'hash'>;

function content(record: Unsealed): Record<string, unknown> {
  const { caseKey, caseId, batchId, seq, prevHash, entryId, at, actor, actorKeyId, action, detail } = record;
  return { caseKey, caseId, batchId, seq, prevHash, entryId, at, actor, actorKeyId, action, detail };
}

/** The plain sha256 of records made before keyed MACs (anyone can recompute it). */
export function legacyHash(record: Unsealed): string {
  return createHash('sha256').update(canonicalJson(content(record))).digest('hex');
}

/** The record's MAC: its content and the key id, under the audit key. */
export function macRecord(record: Unsealed & { macKeyId: string }, key: Buffer): string {
  return createHmac('sha256', key)
    .update(canonicalJson({ ...content(record), macKeyId: record.macKeyId }))
    .digest('hex');
}

/** The next record of a chain, sealed with the active audit key. */
export function chainRecord(previous: AuditRecord | undefined, base: Omit<AuditRecord, 'seq' | 'prevHash' | 'hash' | 'macKeyId'>, keys: AuditKeys): AuditRecord {
  const key = keys.keys.get(keys.activeKeyId);
  if (!key) throw new Error(`the active audit key ${keys.activeKeyId} is not in the keyring`);
  const unsealed = { ...base, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH, macKeyId: keys.activeKeyId };
  return { ...unsealed, hash: macRecord(unsealed, key) };
}

export function headOf(records: readonly AuditRecord[]): AuditHead | undefined {
  const last = records.at(-1);
  return last ? { count: last.seq, mac: last.hash } : undefined;
}

export type ChainBreakKind = 'sequence' | 'link' | 'mac' | 'unknown-key' | 'legacy-after-keyed' | 'legacy-hash';

export interface ChainBreak {
  seq: number;
  kind: ChainBreakKind;
  reason: string;
}

export interface ChainVerification {
  ok: boolean;
  records: number;
  /** Records with a keyed MAC that verified or not. */
  keyed: number;
  /** Legacy (plain sha256, unkeyed) records at the start of the chain. */
  legacy: number;
  /** True when a keyed record follows the legacy ones, so their hashes are covered by a MAC. */
  legacyAnchored: boolean;
  breaks: ChainBreak[];
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** How one record's own seal holds, links aside. */
export type Seal = 'keyed' | 'bad-mac' | 'unknown-key' | 'legacy' | 'bad-legacy';

export function sealOf(record: AuditRecord, keys: AuditKeys): Seal {
  const { hash, ...unsealed } = record;
  if (record.macKeyId === undefined) return sameHex(legacyHash(unsealed), hash) ? 'legacy' : 'bad-legacy';
  const key = keys.keys.get(record.macKeyId);
  if (!key) return 'unknown-key';
  return sameHex(macRecord({ ...unsealed, macKeyId: record.macKeyId }, key), hash) ? 'keyed' : 'bad-mac';
}

/** Recomputes every MAC (or legacy hash) and link; reports each record where the chain does not hold. */
export function verifyChain(records: readonly AuditRecord[], keys: AuditKeys): ChainVerification {
  const breaks: ChainBreak[] = [];
  let previous: AuditRecord | undefined;
  let keyed = 0;
  let legacy = 0;
  let legacyAnchored = false;
  for (const record of records) {
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (record.seq !== expectedSeq) {
      breaks.push({ seq: record.seq, kind: 'sequence', reason: `sequence ${record.seq} where ${expectedSeq} was expected (a record is missing or moved)` });
    }
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (record.prevHash !== expectedPrev) breaks.push({ seq: record.seq, kind: 'link', reason: 'does not link to the record before it' });
    const seal = sealOf(record, keys);
    if (record.macKeyId !== undefined) {
      if (keyed === 0 && legacy > 0) legacyAnchored = true;
      keyed += 1;
      if (seal === 'unknown-key') {
        breaks.push({ seq: record.seq, kind: 'unknown-key', reason: `names MAC key ${record.macKeyId}, which is not in the keyring (it cannot be verified)` });
      } else if (seal === 'bad-mac') {
        breaks.push({ seq: record.seq, kind: 'mac', reason: 'its MAC does not match its content (edited, or sealed with another key)' });
      }
    } else if (keyed > 0) {
      breaks.push({ seq: record.seq, kind: 'legacy-after-keyed', reason: 'is unkeyed (plain sha256) after keyed records: rewritten without the key' });
    } else {
      legacy += 1;
      if (seal === 'bad-legacy') breaks.push({ seq: record.seq, kind: 'legacy-hash', reason: 'its content does not match its legacy hash (the record was edited)' });
    }
    previous = record;
  }
  return { ok: breaks.length === 0, records: records.length, keyed, legacy, legacyAnchored, breaks };
}
