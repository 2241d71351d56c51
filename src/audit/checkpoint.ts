/**
 * The signed checkpoint: every case's head (count and last MAC) at one moment, signed with the
 * checkpoint key (./keys.ts), written atomically to `<data dir>/audit/checkpoint.json` (mode 0600).
 * A later deletion of a case's last records, or of the whole case, no longer matches it.
 *
 * Written periodically by every worker process that serves the io queue (the ones that append),
 * from the heads in the database. Several writers are harmless: each writes a whole file aside and
 * renames it into place. A checkpoint never moves a head backwards: when the database now holds
 * fewer records for a case than the previous checkpoint, or another record at the previous head,
 * the previous head is kept (and the case reported), so the evidence outlives later checkpoints.
 * And it signs only heads whose record authenticates (see `authentic`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile, rename, unlink } from 'node:fs/promises';
import { canonicalJson, sealOf, type AuditHead, type AuditRecord } from './chain.js';
import type { AuditKeys } from './keys.js';
import { writePrivateTemp } from '../security/file-modes.js';

export interface CaseHead extends AuditHead {
  caseId: string;
}

export interface AuditCheckpoint {
  version: 1;
  writtenAt: string;
  /** The checkpoint key that signed it. */
  keyId: string;
  /** caseKey → head. */
  heads: Record<string, CaseHead>;
  mac: string;
}

function macOf(body: Omit<AuditCheckpoint, 'mac'>, key: Buffer): string {
  return createHmac('sha256', key).update(canonicalJson(body)).digest('hex');
}

export function signCheckpoint(heads: Record<string, CaseHead>, keys: AuditKeys, now: Date): AuditCheckpoint {
  const key = keys.keys.get(keys.activeKeyId);
  if (!key) throw new Error(`the active checkpoint key ${keys.activeKeyId} is not in the keyring`);
  const body = { version: 1 as const, writtenAt: now.toISOString(), keyId: keys.activeKeyId, heads };
  return { ...body, mac: macOf(body, key) };
}

/** Undefined when the signature holds, else why not. */
export function checkpointProblem(value: unknown, keys: AuditKeys): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a checkpoint';
  const cp = value as Partial<AuditCheckpoint>;
  if (cp.version !== 1 || typeof cp.writtenAt !== 'string' || typeof cp.keyId !== 'string' || typeof cp.mac !== 'string' || typeof cp.heads !== 'object' || cp.heads === null) {
    return 'not a checkpoint (fields missing)';
  }
  const key = keys.keys.get(cp.keyId);
  if (!key) return `signed with key ${cp.keyId}, which is not in the keyring`;
  const { mac, ...body } = cp as AuditCheckpoint;
  const expected = Buffer.from(macOf(body, key));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'its signature does not match its content (edited or forged)';
  return undefined;
}

export type CheckpointRead = { status: 'valid'; checkpoint: AuditCheckpoint } | { status: 'missing' } | { status: 'invalid'; problem: string };

export async function readCheckpoint(path: string, keys: AuditKeys): Promise<CheckpointRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 'invalid', problem: 'not valid JSON' };
  }
  const problem = checkpointProblem(parsed, keys);
  return problem ? { status: 'invalid', problem } : { status: 'valid', checkpoint: parsed as AuditCheckpoint };
}

/** Whole file or none: written aside (0600), synced, renamed into place. */
async function writeAtomically(path: string, body: string): Promise<void> {
  const temp = await writePrivateTemp(path, body);
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}

/** What a checkpoint reads of the audit store. */
export interface CheckpointSource {
  /** Every case's last record, by case key. */
  lastRecords(): Promise<Map<string, AuditRecord>>;
  /** The MAC of one record, undefined when it is not there. */
  hashAt(caseKey: string, seq: number): Promise<string | undefined>;
}

export interface CheckpointResult {
  written: boolean;
  cases: number;
  /** Cases whose head in the database no longer extends the previous checkpoint's: kept as they were. */
  held: string[];
  /** Cases whose head record does not authenticate (bad MAC, unknown key, unkeyed after the first checkpoint): not signed. */
  refused: string[];
  /** Set when the previous checkpoint file did not verify (it is moved aside, not trusted). */
  rejectedPrevious?: string;
}

/**
 * A head is signed only when its record authenticates: its own MAC holds under the chain keys.
 * Unkeyed (legacy) heads are signed by the first checkpoint only, which so vouches for the trails
 * written before keyed MACs; an unkeyed trail appearing later is one nobody with the key wrote.
 */
function authentic(record: AuditRecord, chainKeys: AuditKeys, first: boolean): boolean {
  // Its own seal only: links are the verifier's business.
  const seal = sealOf(record, chainKeys);
  return seal === 'keyed' || (seal === 'legacy' && first);
}

export async function writeCheckpoint(options: { source: CheckpointSource; keys: AuditKeys; chainKeys: AuditKeys; path: string; now?: Date }): Promise<CheckpointResult> {
  const { source, keys, path } = options;
  const now = options.now ?? new Date();
  const previous = await readCheckpoint(path, keys);
  let rejectedPrevious: string | undefined;
  if (previous.status === 'invalid') {
    rejectedPrevious = previous.problem;
    // Kept as evidence, out of the way; a fresh checkpoint starts from the database.
    await rename(path, `${path}.rejected-${now.toISOString().replaceAll(':', '')}`).catch(() => {});
  }
  const first = previous.status !== 'valid';
  const before = previous.status === 'valid' ? previous.checkpoint.heads : {};
  const current = await source.lastRecords();
  const heads: Record<string, CaseHead> = {};
  const held: string[] = [];
  const refused: string[] = [];
  for (const [caseKey, last] of current) {
    const head: CaseHead = { caseId: last.caseId, count: last.seq, mac: last.hash };
    const old = before[caseKey];
    if (old && old.count === head.count && old.mac === head.mac) {
      heads[caseKey] = old;
      continue;
    }
    const extendsOld = !old || (head.count > old.count && (await source.hashAt(caseKey, old.count)) === old.mac);
    if (extendsOld && authentic(last, options.chainKeys, first)) {
      heads[caseKey] = head;
    } else if (old) {
      heads[caseKey] = old;
      held.push(caseKey);
    } else {
      refused.push(caseKey);
    }
  }
  for (const [caseKey, old] of Object.entries(before)) {
    if (heads[caseKey]) continue;
    heads[caseKey] = old; // the case's records are gone from the database: its head stays.
    held.push(caseKey);
  }
  const result = { cases: Object.keys(heads).length, held, refused, ...(rejectedPrevious ? { rejectedPrevious } : {}) };
  if (previous.status === 'valid' && canonicalJson(previous.checkpoint.heads) === canonicalJson(heads)) return { written: false, ...result };
  await writeAtomically(path, `${JSON.stringify(signCheckpoint(heads, keys, now))}\n`);
  return { written: true, ...result };
}

export interface Checkpointer {
  /** One checkpoint now (also what the timer does). */
  runOnce(): Promise<CheckpointResult>;
  /** Stops the timer and writes a last checkpoint. */
  stop(): Promise<void>;
}

/** Writes a checkpoint every `intervalMs` (0: never by timer); one at a time per process. */
export function startCheckpointer(options: {
  source: CheckpointSource;
  keys: AuditKeys;
  chainKeys: AuditKeys;
  path: string;
  intervalMs: number;
  onResult?: (result: CheckpointResult) => void;
  onError?: (err: unknown) => void;
}): Checkpointer {
  let running: Promise<CheckpointResult> | undefined;
  const runOnce = (): Promise<CheckpointResult> => {
    running ??= writeCheckpoint(options).finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = (): void => {
    runOnce().then(
      (r) => options.onResult?.(r),
      (err: unknown) => options.onError?.(err),
    );
  };
  const timer = options.intervalMs > 0 ? setInterval(tick, options.intervalMs) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      if (options.intervalMs > 0) await runOnce().then(options.onResult, options.onError);
    },
  };
}
