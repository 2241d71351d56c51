/**
 * An insider with write access to the review database, against the real pipeline (real Temporal
 * dev server, real workers, the real SQLite file): cases run and wait for review, the io worker
 * writes its periodic signed checkpoint, then each case's trail is tampered with by SQL in its own
 * way. `kyc audit --verify` (the command function, in process) must find every one, and say which
 * check found it; the untouched trail verifies, its workflow head included.
 */
import { createClient, type Client as SqlClient } from '@libsql/client';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import { chainRecord, GENESIS_HASH, legacyHash, type AuditRecord } from '../../src/audit/chain.js';
import { readCheckpoint } from '../../src/audit/checkpoint.js';
import { deriveAuditKeys } from '../../src/audit/keys.js';
import type { TrailVerification } from '../../src/audit/verify.js';
import { auditCommand } from '../../src/cli/audit.js';
import type { CaseReport } from '../../src/domain/report.js';
import { caseWorkflowId } from '../../src/temporal/names.js';
import { caseStateQuery } from '../../workflows/messages.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { testKeyring } from '../support/master-keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const CASES = ['t-clean', 't-edit', 't-last', 't-middle', 't-reorder', 't-sha', 't-key', 't-access', 't-gone', 't-done'] as const;
type CaseName = (typeof CASES)[number];

let pipeline: Pipeline;
let api: FastifyInstance;
let sql: SqlClient;
let batchId: string;
const caseKey = (caseId: CaseName): string => caseWorkflowId(batchId, caseId);

beforeAll(async () => {
  // A short checkpoint interval, so that the worker's own periodic checkpoint is what the test relies on.
  pipeline = await startPipeline({ MODEL_MODE: 'off', AUDIT_CHECKPOINT_INTERVAL: '1s' });
  api = createApiServer({ service: pipeline.service, review: pipeline.review, authenticate: (s) => pipeline.reviewStore.authenticate(s), logger: false });
  sql = createClient({ url: `file:${decodeURIComponent(pipeline.config.review.dbUrl.replace(/^file:/, ''))}` });
}, 120_000);
afterAll(async () => {
  sql?.close();
  await api?.close();
  await pipeline?.close();
});

/** The command as `kyc audit` runs it, in this process, against this pipeline's database, checkpoint and Temporal. */
async function verify(caseId: string | undefined, opts: { verifyAll?: boolean } = {}): Promise<{ code: number; json: unknown; text: string }> {
  let json = '';
  let text = '';
  const code = await auditCommand(caseId, { verify: !opts.verifyAll, ...opts, json: true }, { config: pipeline.config, client: pipeline.env.client, out: (t) => (json += t), err: (t) => (text += t) });
  const plain = await auditCommand(caseId, { verify: !opts.verifyAll, ...opts }, { config: pipeline.config, client: pipeline.env.client, out: (t) => (text += t), err: (t) => (text += t) });
  expect(plain).toBe(code);
  return { code, json: JSON.parse(json), text };
}

const statuses = (v: TrailVerification): Record<string, string> => Object.fromEntries(v.checks.map((c) => [c.check, c.status]));

/** Writes records back over their rows (an insider's UPDATE), matched by entry id. */
async function overwrite(records: AuditRecord[]): Promise<void> {
  for (const r of records) {
    await sql.execute({
      sql: 'UPDATE audit_log SET seq = ?, detail = ?, prev_hash = ?, hash = ?, mac_key_id = ? WHERE entry_id = ?',
      args: [r.seq, JSON.stringify(r.detail), r.prevHash, r.hash, r.macKeyId ?? null, r.entryId],
    });
  }
}

describe('an insider rewriting the audit trail in the database', () => {
  let reviewer: TestKey;
  const before = new Map<CaseName, AuditRecord[]>();

  test('cases run, their workflows keep the heads, and the worker signs a checkpoint of them', { timeout: 240_000 }, async () => {
    const bill = await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
    reviewer = await createKey(pipeline.reviewStore, 'alice', ['reviewer']);
    ({ batchId } = await pipeline.service.submitBatch({
      asOf: '2026-11-01',
      cases: CASES.map((caseId) => ({ caseId, applicant: { fullName: 'Jane Doe', address: '4 Mill Rd, Leeds LS1 4AP' }, documents: [{ fileName: 'bill.pdf', bytes: bill }] })),
    }));
    await pipeline.service.waitForBatch(batchId);
    // Each case waits for review once its task was opened: the workflow's head then covers that event.
    for (const caseId of CASES) {
      await waitFor(
        async () => {
          const state = await pipeline.env.client.workflow.getHandle(caseKey(caseId)).query(caseStateQuery);
          const trail = await pipeline.auditStore.list(caseKey(caseId));
          return trail.at(-1)?.action === 'review.opened' && state.auditHead?.count === trail.length;
        },
        60_000,
        `the review task of ${caseId}`,
      );
    }

    // A document opened through the API: appended outside the workflow, after its last head.
    const report = (await pipeline.service.getCase('t-access')) as CaseReport;
    const opened = await api.inject({ method: 'GET', url: `/v1/cases/t-access/documents/${report.documents[0]!.documentId}`, headers: reviewer.headers });
    expect(opened.statusCode).toBe(200);
    // One case decided, so that its head is read from the completed workflow's result.
    await pipeline.review.act('t-done', reviewer.actor, { kind: 'claim' });
    await pipeline.review.act('t-done', reviewer.actor, { kind: 'decide', decision: { decision: 'reject', reason: 'no identity document' } });
    await waitFor(async () => (await pipeline.env.client.workflow.getHandle(caseKey('t-done')).describe()).status.name === 'COMPLETED', 30_000, 't-done to complete');

    for (const caseId of CASES) before.set(caseId, await pipeline.auditStore.list(caseKey(caseId)));
    expect(before.get('t-access')!.at(-1)!.action).toBe('document.accessed');
    // The worker's periodic checkpoint catches up with every case's last record.
    const checkpoint = await waitFor(
      async () => {
        const read = await readCheckpoint(pipeline.config.audit.checkpointPath, pipeline.auditStore.keys.checkpoint);
        if (read.status !== 'valid') return undefined;
        return CASES.every((c) => read.checkpoint.heads[caseKey(c)]?.count === before.get(c)!.length) ? read.checkpoint : undefined;
      },
      30_000,
      'a checkpoint holding every case head',
    );
    expect(checkpoint.heads[caseKey('t-clean')]).toEqual({ caseId: 't-clean', count: before.get('t-clean')!.length, mac: before.get('t-clean')!.at(-1)!.hash });
    expect((await stat(pipeline.config.audit.checkpointPath)).mode & 0o777).toBe(0o600);

    // Untouched: the chain, the workflow's own head and the checkpoint all hold.
    for (const caseId of ['t-clean', 't-done', 't-access'] as const) {
      const { code, json } = await verify(caseId);
      expect(code).toBe(0);
      expect(statuses((json as { verification: TrailVerification }).verification)).toEqual({ chain: 'ok', 'workflow-head': 'ok', checkpoint: 'ok' });
    }
    // The workflow's head is the head of its own appends: before the API's document access.
    const state = await pipeline.env.client.workflow.getHandle(caseKey('t-access')).query(caseStateQuery);
    expect(state.auditHead).toEqual({ count: before.get('t-access')!.length - 1, mac: before.get('t-access')!.at(-2)!.hash });
    const done = (await pipeline.env.client.workflow.getHandle(caseKey('t-done')).result()) as CaseReport;
    expect(done.auditHead).toEqual({ count: before.get('t-done')!.length, mac: before.get('t-done')!.at(-1)!.hash });
  });

  test('each kind of tampering is found, by the check that can see it', { timeout: 120_000 }, async () => {
    const records = (c: CaseName): AuditRecord[] => before.get(c)!.map((r) => ({ ...r }));
    expect(records('t-edit').length).toBeGreaterThanOrEqual(5);

    // Edit: the engine's decision rewritten in place.
    const edited = records('t-edit').find((r) => r.action === 'case.decided')!;
    await sql.execute({ sql: 'UPDATE audit_log SET detail = ? WHERE entry_id = ?', args: ['{"decision":"approved","reasons":[]}', edited.entryId] });
    // Delete the last two records.
    await sql.execute({ sql: 'DELETE FROM audit_log WHERE case_key = ? AND seq > ?', args: [caseKey('t-last'), records('t-last').length - 2] });
    // Delete a middle record.
    await sql.execute({ sql: 'DELETE FROM audit_log WHERE case_key = ? AND seq = 2', args: [caseKey('t-middle')] });
    // Reorder: records 2 and 3 swap places (sequence numbers).
    await sql.batch([
      { sql: 'UPDATE audit_log SET seq = -1 WHERE case_key = ? AND seq = 2', args: [caseKey('t-reorder')] },
      { sql: 'UPDATE audit_log SET seq = 2 WHERE case_key = ? AND seq = 3', args: [caseKey('t-reorder')] },
      { sql: 'UPDATE audit_log SET seq = 3 WHERE case_key = ? AND seq = -1', args: [caseKey('t-reorder')] },
    ]);
    // Recompute with the project's own sha256: a record edited and the whole chain rehashed, unkeyed.
    const sha: AuditRecord[] = [];
    for (const r of records('t-sha')) {
      const { hash: _h, macKeyId: _k, ...rest } = r;
      const unsealed = { ...rest, prevHash: sha.at(-1)?.hash ?? GENESIS_HASH, ...(r.action === 'case.decided' ? { detail: { decision: 'approved', reasons: [] } } : {}) };
      sha.push({ ...unsealed, hash: legacyHash(unsealed) });
    }
    await overwrite(sha);
    // Recompute with the project's own chainRecord and a key of the insider's (same key id), dropping the last record.
    const insider = deriveAuditKeys(testKeyring(['test-k1']));
    const forged: AuditRecord[] = [];
    for (const r of records('t-key').slice(0, -1)) {
      const { seq: _s, prevHash: _p, hash: _h, macKeyId: _k, ...rest } = r;
      forged.push(chainRecord(forged.at(-1), r.action === 'case.decided' ? { ...rest, detail: { decision: 'approved', reasons: [] } } : rest, insider));
    }
    await overwrite(forged);
    await sql.execute({ sql: 'DELETE FROM audit_log WHERE case_key = ? AND seq = ?', args: [caseKey('t-key'), records('t-key').length] });
    // Delete the document access: after the workflow's last append, so only the checkpoint saw it.
    await sql.execute({ sql: "DELETE FROM audit_log WHERE case_key = ? AND action = 'document.accessed'", args: [caseKey('t-access')] });
    // Delete a whole case's trail.
    await sql.execute({ sql: 'DELETE FROM audit_log WHERE case_key = ?', args: [caseKey('t-gone')] });

    const expected: Record<Exclude<CaseName, 't-clean' | 't-done'>, Record<string, string>> = {
      't-edit': { chain: 'broken', 'workflow-head': 'ok', checkpoint: 'ok' },
      't-last': { chain: 'ok', 'workflow-head': 'broken', checkpoint: 'broken' },
      't-middle': { chain: 'broken', 'workflow-head': 'ok', checkpoint: 'ok' },
      't-reorder': { chain: 'broken', 'workflow-head': 'ok', checkpoint: 'ok' },
      // Unkeyed records that nothing confirms are not trusted: the chain check fails them too.
      't-sha': { chain: 'broken', 'workflow-head': 'broken', checkpoint: 'broken' },
      't-key': { chain: 'broken', 'workflow-head': 'broken', checkpoint: 'broken' },
      't-access': { chain: 'ok', 'workflow-head': 'ok', checkpoint: 'broken' },
      't-gone': { chain: 'ok', 'workflow-head': 'broken', checkpoint: 'broken' },
    };
    for (const [caseId, checks] of Object.entries(expected)) {
      const { code, json, text } = await verify(caseId);
      expect({ caseId, code, checks: statuses((json as { verification: TrailVerification }).verification) }).toEqual({ caseId, code: 1, checks });
      expect(text).toContain('BROKEN');
    }
    const lastText = (await verify('t-last')).text;
    expect(lastText).toMatch(new RegExp(`workflow-head: +BROKEN .*record ${records('t-last').length} is missing \\(the trail ends at record ${records('t-last').length - 2}\\)`));
    expect((await verify('t-edit')).text).toContain(`record ${edited.seq} its MAC does not match its content`);

    // The untouched ones still verify; the whole database at once finds exactly the tampered cases.
    expect((await verify('t-clean')).code).toBe(0);
    expect((await verify('t-done')).code).toBe(0);
    const all = await verify(undefined, { verifyAll: true });
    expect(all.code).toBe(1);
    const summary = all.json as { cases: number; broken: number; results: Array<{ caseKey: string; ok: boolean }> };
    expect(summary.results.filter((r) => !r.ok).map((r) => r.caseKey).sort()).toEqual(Object.keys(expected).map((c) => caseKey(c as CaseName)).sort());
    expect(summary.results.filter((r) => r.ok).map((r) => r.caseKey).sort()).toEqual([caseKey('t-clean'), caseKey('t-done')].sort());

    // The worker's next checkpoints keep the heads the database no longer matches: still found a while later.
    await new Promise((r) => setTimeout(r, 2_500));
    const read = await readCheckpoint(pipeline.config.audit.checkpointPath, pipeline.auditStore.keys.checkpoint);
    expect(read.status === 'valid' && read.checkpoint.heads[caseKey('t-last')]?.count).toBe(records('t-last').length);
    expect(read.status === 'valid' && read.checkpoint.heads[caseKey('t-gone')]?.count).toBe(records('t-gone').length);
    expect(statuses(((await verify('t-access')).json as { verification: TrailVerification }).verification).checkpoint).toBe('broken');
  });
});
