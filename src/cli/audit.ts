/**
 * `kyc audit <caseId> [--verify] [--json] [--strict]`, `kyc audit --verify-all`, `kyc audit --checkpoint`:
 * a case's MAC-chained trail, verified three ways (src/audit/verify.ts): the chain itself, the head
 * its case workflow kept (when Temporal is reachable; never started for this), and the latest
 * signed checkpoint. Exit 0 when every check holds, 1 on any break (and, with --strict, on legacy
 * unkeyed records), 2 when there is no trail.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { openAuditStore } from '../adapters/audit-db.js';
import type { AuditRecord } from '../audit/chain.js';
import { readCheckpoint, writeCheckpoint, type CheckpointRead } from '../audit/checkpoint.js';
import { verifyTrail, type HeadLookup, type TrailVerification } from '../audit/verify.js';
import { loadConfig, type Config } from '../config.js';
import type { CaseReport } from '../domain/report.js';
import { loadKeyring } from '../security/keyring.js';
import { createDataConverter } from '../security/payload-codec.js';
import { portOpen } from '../temporal/dev-server.js';
import { caseStateQuery } from '../../workflows/messages.js';

export interface AuditCommandOptions {
  verify?: boolean;
  verifyAll?: boolean;
  checkpoint?: boolean;
  strict?: boolean;
  json?: boolean;
  batch?: string;
}

export interface AuditCommandDeps {
  config?: Readonly<Config>;
  /** A Temporal client to read workflow heads with; default: connect when a server answers. */
  client?: Client;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

const QUERY_TIMEOUT_MS = 10_000;

export async function auditCommand(caseId: string | undefined, opts: AuditCommandOptions, deps: AuditCommandDeps = {}): Promise<number> {
  const config = deps.config ?? loadConfig();
  const out = deps.out ?? ((text: string) => void process.stdout.write(text));
  const err = deps.err ?? ((text: string) => void process.stderr.write(text));
  const keyring = await loadKeyring(config);
  const store = await openAuditStore(config.review.dbUrl, keyring);
  let temporal: { client?: Client; why: string; close(): Promise<void> } | undefined;
  try {
    if (opts.checkpoint) {
      const result = await writeCheckpoint({ source: store, keys: store.keys.checkpoint, chainKeys: store.keys.chain, path: config.audit.checkpointPath });
      out(
        opts.json
          ? `${JSON.stringify(result)}\n`
          : `checkpoint ${result.written ? 'written' : 'unchanged'}: ${result.cases} case(s)` +
              (result.held.length ? `; heads kept because the database no longer extends them: ${result.held.join(', ')}` : '') +
              (result.refused.length ? `; heads refused because their record does not authenticate: ${result.refused.join(', ')}` : '') +
              (result.rejectedPrevious ? `; the previous checkpoint was rejected: ${result.rejectedPrevious}` : '') +
              '\n',
      );
      if (!caseId && !opts.verifyAll) return result.held.length > 0 || result.refused.length > 0 || result.rejectedPrevious ? 1 : 0;
    }
    const checkpoint = opts.verify || opts.verifyAll ? await readCheckpoint(config.audit.checkpointPath, store.keys.checkpoint) : undefined;
    if (opts.verify || opts.verifyAll) temporal = deps.client ? { client: deps.client, why: '', close: async () => {} } : await connectTemporal(config, keyring);

    const verifyOne = async (caseKey: string, records: AuditRecord[]): Promise<TrailVerification> =>
      verifyTrail({
        caseKey,
        records,
        keys: store.keys.chain,
        workflowHead: await workflowHead(temporal!, caseKey),
        checkpointHead: checkpointHead(checkpoint!, config.audit.checkpointPath, caseKey),
      });

    if (opts.verifyAll) {
      const keys = new Set([...(await store.lastRecords()).keys(), ...(checkpoint?.status === 'valid' ? Object.keys(checkpoint.checkpoint.heads) : [])]);
      const results: TrailVerification[] = [];
      for (const caseKey of [...keys].sort()) results.push(await verifyOne(caseKey, await store.list(caseKey)));
      const broken = results.filter((r) => !r.ok);
      const legacy = results.filter((r) => r.checks.some((c) => c.status === 'legacy'));
      if (opts.json) {
        out(`${JSON.stringify({ ok: broken.length === 0, cases: results.length, broken: broken.length, legacy: legacy.length, results: results.map(({ chain: _chain, ...r }) => r) })}\n`);
      } else {
        for (const r of results) {
          const status = !r.ok ? 'BROKEN' : r.checks.some((c) => c.status === 'legacy') ? 'legacy' : 'ok';
          out(`${status.padEnd(7)} ${r.caseKey} (${r.records} records)\n`);
          if (!r.ok || status === 'legacy') out(formatChecks(r, '          '));
        }
        out(`${results.length} case(s): ${broken.length} broken, ${legacy.length} with legacy unkeyed records\n`);
        if (checkpoint?.status !== 'valid') out(`checkpoint: ${describeCheckpoint(checkpoint!, config.audit.checkpointPath)}\n`);
      }
      return exitCode(results, opts);
    }

    if (!caseId) {
      err('kyc: give a case id, or --verify-all, or --checkpoint\n');
      return 2;
    }
    const inDb = await store.caseKeysFor(caseId);
    const inCheckpoint = checkpoint?.status === 'valid' ? Object.entries(checkpoint.checkpoint.heads).filter(([, h]) => h.caseId === caseId).map(([k]) => k) : [];
    const candidates = [...inDb, ...inCheckpoint.filter((k) => !inDb.includes(k))];
    const caseKey = opts.batch ? candidates.find((k) => k === `kyc-case-${opts.batch}-${caseId}`) : candidates[0];
    if (!caseKey) {
      err(`kyc: no audit trail for case ${caseId}${opts.batch ? ` in batch ${opts.batch}` : ''}\n`);
      return 2;
    }
    const records = await store.list(caseKey);
    const verification = opts.verify ? await verifyOne(caseKey, records) : undefined;
    if (opts.json) {
      out(`${JSON.stringify({ caseKey, records, ...(verification ? { verification } : {}) })}\n`);
    } else {
      out(`Audit trail of ${caseKey} (${records.length} records)\n`);
      for (const r of records) {
        out(`${String(r.seq).padStart(4)}  ${r.at}  ${r.actor.padEnd(12)}  ${r.action.padEnd(24)}  ${r.macKeyId ? '' : '[legacy, unkeyed]  '}${JSON.stringify(r.detail)}\n`);
      }
      if (verification) {
        out(formatChecks(verification, ''));
        out(verification.ok ? `verified: ${records.length} records\n` : `BROKEN: ${verification.checks.filter((c) => c.status === 'broken').map((c) => c.check).join(', ')}\n`);
      }
    }
    return verification ? exitCode([verification], opts) : 0;
  } finally {
    await temporal?.close();
    await store.close();
  }
}

function exitCode(results: TrailVerification[], opts: AuditCommandOptions): number {
  if (results.some((r) => !r.ok)) return 1;
  if (opts.strict && results.some((r) => r.checks.some((c) => c.status === 'legacy'))) return 1;
  return 0;
}

function formatChecks(v: TrailVerification, indent: string): string {
  return v.checks.map((c) => `${indent}${`${c.check}:`.padEnd(15)} ${(c.status === 'broken' ? 'BROKEN' : c.status).padEnd(8)} ${c.detail}\n`).join('');
}

function describeCheckpoint(read: CheckpointRead, path: string): string {
  if (read.status === 'missing') return `none yet at ${path}`;
  if (read.status === 'invalid') return `${path} is not a valid checkpoint: ${read.problem}`;
  return `of ${read.checkpoint.writtenAt}`;
}

function checkpointHead(read: CheckpointRead, path: string, caseKey: string): HeadLookup {
  if (read.status === 'missing') return { status: 'unavailable', why: `no checkpoint at ${path} yet` };
  if (read.status === 'invalid') return { status: 'invalid', why: `${path} is not a valid checkpoint: ${read.problem}` };
  const head = read.checkpoint.heads[caseKey];
  return head
    ? { status: 'found', head: { count: head.count, mac: head.mac }, at: read.checkpoint.writtenAt }
    : { status: 'none', why: `the case is newer than the checkpoint of ${read.checkpoint.writtenAt}` };
}

/** A client when Temporal answers (the cluster, or the embedded server if it is up): never starts one. */
async function connectTemporal(config: Readonly<Config>, keyring: Awaited<ReturnType<typeof loadKeyring>>): Promise<{ client?: Client; why: string; close(): Promise<void> }> {
  const none = (why: string) => ({ why, close: async () => {} });
  const address = config.temporal.address ?? ((await portOpen(config.temporal.port)) ? `127.0.0.1:${config.temporal.port}` : undefined);
  if (!address) return none('Temporal is not running (the embedded server is down): not checked');
  try {
    const connection = await Connection.connect({ address, connectTimeout: 5_000 });
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(keyring) });
    return { client, why: '', close: () => connection.close() };
  } catch (e) {
    return none(`Temporal at ${address} did not answer (${(e as Error).message}): not checked`);
  }
}

/** The head the case workflow kept: its result once completed, its state query while it runs. */
async function workflowHead(temporal: { client?: Client; why: string }, caseKey: string): Promise<HeadLookup> {
  if (!temporal.client) return { status: 'unavailable', why: temporal.why };
  const handle = temporal.client.workflow.getHandle(caseKey);
  try {
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') {
      const report = (await handle.result()) as CaseReport;
      return report.auditHead
        ? { status: 'found', head: report.auditHead, at: 'the completed workflow' }
        : { status: 'none', why: 'the workflow completed without a head (it ran before audit heads existed)' };
    }
    const state = await withTimeout(handle.query(caseStateQuery), QUERY_TIMEOUT_MS, 'no worker answered the state query');
    return state.auditHead
      ? { status: 'found', head: state.auditHead, at: `the ${status.name.toLowerCase()} workflow` }
      : { status: 'none', why: `the ${status.name.toLowerCase()} workflow keeps no head yet (or started before audit heads existed)` };
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { status: 'none', why: `no workflow ${caseKey} in Temporal (closed longer ago than its retention?)` };
    return { status: 'unavailable', why: `the workflow could not be read: ${(e as Error).message}` };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
