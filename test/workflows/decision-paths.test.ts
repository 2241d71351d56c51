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

const REJECT_REASONS = ['expired_document', 'underage'];
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

test('every decision path of the policy, as one batch through the real workflows, never approves what it should not, rejects exactly as labelled, and decides ≥ 80% as labelled', async () => {
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
  // First, fail closed: no case whose truth is review or reject may be approved, and every case
  // that should be rejected is rejected for exactly its labelled rejection reasons (a rejected case
  // may carry review reasons besides, e.g. an MRZ value nobody could verify).
  const ids = Object.keys(labels.cases);
  for (const id of ids.filter((i) => labels.cases[i]!.decision !== 'approved')) expect(got[id]?.decision, id).not.toBe('approved');
  for (const id of ids.filter((i) => labels.cases[i]!.decision === 'rejected')) {
    expect(got[id]?.decision, id).toBe('rejected');
    expect(got[id]?.reasons.filter((r) => REJECT_REASONS.includes(r)), id).toEqual([...labels.cases[id]!.reasons].filter((r) => REJECT_REASONS.includes(r)).sort());
  }
  for (const id of ids.filter((i) => labels.cases[i]!.decision === 'approved')) expect(got[id]?.decision, id).not.toBe('rejected');
  // Then a gate on real OCR of noisy photos and scans, not a per-case oracle. Measured 20–21/24 on
  // this seed since MRZ verdicts are honest (issue 15): clean passports whose composite digit OCR
  // lost, or whose number only agrees after a look-alike swap, now go to a person as
  // mrz_unverified instead of passing on a guess (the earlier 22/24 counted such guesses as passes).
  const right = ids.filter((id) => got[id]?.decision === labels.cases[id]!.decision);
  expect(right.length / ids.length).toBeGreaterThanOrEqual(0.8);
}, 600_000);
