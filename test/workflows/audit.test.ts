/**
 * The audit trail on the real pipeline: a case's engine steps, people's actions and document
 * access land in one MAC-chained trail in the review database; the API serves it to auditors;
 * `kyc audit --verify` (the real CLI, as a process) finds an edited record. The tampering suite
 * (test/workflows/audit-tampering.test.ts) goes through every kind of rewrite.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import type { AuditRecord, ChainVerification } from '../../src/audit/chain.js';
import type { CaseReport } from '../../src/domain/report.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { TEST_MASTER_KEYS } from '../support/temporal.js';
import { waitFor } from '../support/wait.js';

const KYC_BIN = fileURLToPath(new URL('../../bin/kyc.mjs', import.meta.url));
let pipeline: Pipeline;
let api: FastifyInstance;
let submitter: TestKey;
let reviewer: TestKey;
let auditor: TestKey;

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  api = createApiServer({ service: pipeline.service, review: pipeline.review, authenticate: (s) => pipeline.reviewStore.authenticate(s), logger: false });
  submitter = await createKey(pipeline.reviewStore, 'backoffice', ['submitter']);
  reviewer = await createKey(pipeline.reviewStore, 'alice', ['reviewer']);
  auditor = await createKey(pipeline.reviewStore, 'audit', ['auditor']);
});
afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

async function kycAudit(caseId: string): Promise<{ code: number; stdout: string }> {
  const env = {
    ...process.env,
    KYC_DATA_DIR: pipeline.config.dataDir,
    REVIEW_DB_URL: pipeline.config.review.dbUrl,
    // The pipeline's keys (the audit MAC keys derive from them) and its Temporal server (the workflow head).
    KYC_MASTER_KEYS: TEST_MASTER_KEYS,
    KYC_KEY_FILE: '',
    TEMPORAL_ADDRESS: pipeline.env.address,
    LOG_LEVEL: 'error',
  };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [KYC_BIN, 'audit', caseId, '--verify'], { env });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '' };
  }
}

describe('the audit trail of a case', () => {
  let documentId: string;

  test('engine steps, people and document access are recorded, hash-chained, without personal data', async () => {
    const bill = await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
    const { batchId } = await pipeline.service.submitBatch({
      asOf: '2026-11-01',
      submittedBy: submitter.actor.keyId,
      cases: [{ caseId: 'audited', applicant: { fullName: 'Jane Doe', address: '4 Mill Rd, Leeds LS1 4AP' }, documents: [{ fileName: 'water-jane-doe.pdf', bytes: bill }] }],
    });
    await pipeline.service.waitForBatch(batchId);
    await waitFor(() => pipeline.reviewStore.latestTaskForCase('audited'));
    const report = (await pipeline.service.getCase('audited')) as CaseReport;
    documentId = report.documents[0]!.documentId;

    expect((await api.inject({ method: 'GET', url: `/v1/cases/audited/documents/${documentId}`, headers: reviewer.headers })).statusCode).toBe(200);
    await pipeline.review.act('audited', reviewer.actor, { kind: 'claim' });
    await pipeline.review.act('audited', reviewer.actor, { kind: 'note', text: 'Jane Doe called about her address' });
    await pipeline.review.act('audited', reviewer.actor, {
      kind: 'decide',
      decision: { decision: 'approve', reason: 'Jane Doe identified in branch', corrections: [{ documentId, field: 'fullName', value: 'Jane A. Doe' }] },
    });

    const forbidden = await api.inject({ method: 'GET', url: '/v1/cases/audited/audit', headers: reviewer.headers });
    expect(forbidden.statusCode).toBe(403);
    const trail = await waitFor(async () => {
      const res = await api.inject({ method: 'GET', url: '/v1/cases/audited/audit', headers: auditor.headers });
      const body = res.json() as { records: AuditRecord[]; verification: ChainVerification };
      return body.records?.some((r) => r.action === 'review.approved') ? body : undefined;
    });
    const actions = trail.records.map((r) => r.action);
    expect(actions.slice(0, 4)).toEqual(['document.read', 'document.analysed', 'checks.run', 'case.decided']);
    expect(actions).toEqual(expect.arrayContaining(['document.accessed', 'review.opened', 'review.claimed', 'review.note', 'review.corrected', 'review.approved']));
    expect(trail.records.find((r) => r.action === 'document.accessed')).toMatchObject({ actor: 'alice', actorKeyId: reviewer.actor.keyId, detail: { documentId, what: 'file' } });
    expect(trail.records.find((r) => r.action === 'case.decided')!.detail).toMatchObject({ decision: 'review', round: 1 });
    expect(trail.records.find((r) => r.action === 'document.analysed')!.detail).toMatchObject({ documentId, type: 'utility_bill', model: null });
    expect(trail.records.map((r) => r.seq)).toEqual(trail.records.map((_, i) => i + 1));
    expect(trail.verification).toEqual({ ok: true, records: trail.records.length, keyed: trail.records.length, legacy: 0, legacyAnchored: false, breaks: [] });
    // Names, addresses, file names, notes and reasons stay out of the trail.
    const text = JSON.stringify(trail.records);
    for (const pii of ['Jane', 'Doe', 'Mill', 'water-jane', 'branch', 'called']) expect(text).not.toContain(pii);
  });

  test('kyc audit --verify holds on the untouched trail and names the record someone edited', async () => {
    const clean = await kycAudit('audited');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/chain: +ok +\d+ records, every MAC and link holds/);
    expect(clean.stdout).toMatch(/verified: \d+ records/);
    // The CLI process read the head the completed case workflow kept (its result, decrypted with the keys).
    expect(clean.stdout).toMatch(/workflow-head: +ok +record \d+ matches the head of the completed workflow/);

    // Someone with database access rewrites history: the decision of the engine.
    const path = decodeURIComponent(pipeline.config.review.dbUrl.replace(/^file:/, ''));
    const db = createClient({ url: `file:${path}` });
    const target = await db.execute({ sql: "SELECT seq FROM audit_log WHERE case_id = 'audited' AND action = 'case.decided'", args: [] });
    const seq = Number(target.rows[0]!.seq);
    await db.execute({ sql: "UPDATE audit_log SET detail = ? WHERE case_id = 'audited' AND seq = ?", args: ['{"decision":"approved","reasons":[]}', seq] });
    db.close();

    const broken = await kycAudit('audited');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`record ${seq} its MAC does not match its content`);
    expect(broken.stdout).toContain('BROKEN: chain');
  });
});
