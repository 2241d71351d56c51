import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readCaseDir } from '../../src/cli/case-dir.js';
import { generateCorpus } from '../../src/corpus/index.js';
import type { CaseReport } from '../../src/domain/report.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';

interface Labels {
  asOf: string;
  cases: Record<string, { decision: string; reasons: string[] }>;
}

const POLICY_REASONS = [
  'expired_document', 'underage', 'missing_identity', 'missing_proof_of_address', 'unreadable_document',
  'mrz_checksum', 'name_mismatch', 'address_mismatch', 'stale_proof_of_address', 'sanctions_match', 'invalid_iban',
];

let pipeline: Pipeline;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kyc-paths-'));
  await generateCorpus({ outDir: dir, applicants: 24, seed: 11 });
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
});
afterAll(async () => {
  await pipeline?.close();
  await rm(dir, { recursive: true, force: true });
});

test('every decision path of the policy, as one batch through the real workflows, decides as labelled (≥ 90%, rejections exact)', async () => {
  const labels = JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as Labels;
  const reasonsCovered = new Set(Object.values(labels.cases).flatMap((c) => c.reasons));
  expect([...reasonsCovered].sort()).toEqual([...POLICY_REASONS].sort());
  expect(new Set(Object.values(labels.cases).map((c) => c.decision))).toEqual(new Set(['approved', 'rejected', 'review']));

  const caseDirs = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  const cases = await Promise.all(caseDirs.map((d) => readCaseDir(d, 50_000_000)));
  const sanctionsCsv = await readFile(join(dir, 'sanctions.csv'));
  const { batchId } = await pipeline.service.submitBatch({ asOf: labels.asOf, cases, sanctionsCsv });
  const outcome = await pipeline.service.waitForBatch(batchId);
  expect(outcome.completed).toBe(cases.length);

  const got: Record<string, { decision: string; reasons: string[] }> = {};
  for (const c of cases) {
    const report = (await pipeline.service.getCaseInBatch(batchId, c.caseId)) as CaseReport;
    got[c.caseId] = { decision: report.decision, reasons: [...report.reasons].sort() };
  }
  // A gate on real OCR of noisy photos and scans, not a per-case oracle: measured 22/24 on this
  // seed (one false name mismatch; one deliberately broken composite check digit that OCR lost and
  // the MRZ repair inferred — see the issue notes). No case that should be rejected may be approved.
  const ids = Object.keys(labels.cases);
  const right = ids.filter((id) => got[id]?.decision === labels.cases[id]!.decision);
  expect(right.length / ids.length).toBeGreaterThanOrEqual(0.9);
  for (const id of ids.filter((i) => labels.cases[i]!.decision === 'rejected')) {
    expect(got[id]?.decision, id).toBe('rejected');
    expect(got[id]?.reasons, id).toEqual([...labels.cases[id]!.reasons].sort());
  }
  for (const id of ids.filter((i) => labels.cases[i]!.decision === 'approved')) expect(got[id]?.decision, id).not.toBe('rejected');
}, 600_000);
