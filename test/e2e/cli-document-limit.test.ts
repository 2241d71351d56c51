/**
 * `kyc process` with one document over MAX_DOCUMENT_BYTES: the real CLI in its own process, with its
 * embedded Temporal server (own port, own data dir) and in-process workers. That document fails alone
 * as DOCUMENT_TOO_LARGE in its case's report; the batch runs, its other documents and cases are read,
 * and `--json` prints the whole report. Before, the CLI refused the whole batch (exit 2, empty stdout)
 * at a hard-coded 50 MiB, whatever MAX_DOCUMENT_BYTES said.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { CaseReport } from '../../src/domain/report.js';
import { TEST_MASTER_KEYS } from '../support/temporal.js';
import { textPdf } from '../support/draw.js';

const MAX_DOCUMENT_BYTES = 200_000;
let root: string | undefined;

afterAll(async () => {
  if (!root) return;
  // A failed run may leave its embedded server: stop it (its process group) by its pid file.
  const pid = Number(await readFile(join(root, 'data', 'temporal', 'server.pid'), 'utf8').catch(() => ''));
  if (pid > 0) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // stopped already
    }
  }
  await rm(root, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

const bill = (account: string): Promise<Uint8Array> =>
  textPdf([['Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', `Account number: ${account}`, 'Alice Martin', '12 High Street', 'London SW1A 1AA', 'Amount due: GBP 54.20']]);

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('when one document of a batch is over MAX_DOCUMENT_BYTES, then it alone fails as DOCUMENT_TOO_LARGE and the batch is reported', { timeout: 240_000 }, async () => {
  root = await mkdtemp(join(tmpdir(), 'kyc-cli-limit-'));
  const caseA = join(root, 'case-a');
  const caseB = join(root, 'case-b');
  await mkdir(caseA);
  await mkdir(caseB);
  await writeFile(join(caseA, 'applicant.json'), JSON.stringify({ fullName: 'Alice Martin' }));
  await writeFile(join(caseA, 'bill.pdf'), await bill('99120001'));
  await writeFile(join(caseB, 'applicant.json'), JSON.stringify({ fullName: 'Alice Martin' }));
  await writeFile(join(caseB, 'bill.pdf'), await bill('99120002'));
  // A readable PDF, padded past the limit with a comment after its end: only its size is wrong.
  const big = Buffer.concat([Buffer.from(await bill('99120003')), Buffer.from(`%${'x'.repeat(MAX_DOCUMENT_BYTES)}\n`)]);
  expect(big.length).toBeGreaterThan(MAX_DOCUMENT_BYTES);
  await writeFile(join(caseB, 'large-scan.pdf'), big);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KYC_DATA_DIR: join(root, 'data'),
    KYC_MASTER_KEYS: TEST_MASTER_KEYS,
    TEMPORAL_ADDRESS: '',
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_VERSION_CHECK_DISABLED: '1',
    MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES),
    MODEL_MODE: 'off',
    OCR_WORKERS: '1',
    LOG_LEVEL: 'error',
  };
  const { code, stdout, stderr } = await run(['process', '--json', '--as-of', '2026-11-01', caseA, caseB], env);
  expect(code, stderr).toBe(0);
  const result = JSON.parse(stdout) as { batchId: string; cases: CaseReport[] };
  const byCase = new Map(result.cases.map((c) => [c.caseId, c]));
  expect([...byCase.keys()].sort()).toEqual(['case-a', 'case-b']);

  const large = byCase.get('case-b')!.documents.find((d) => d.file === 'large-scan.pdf');
  expect(large?.errorCode).toBe('DOCUMENT_TOO_LARGE');
  expect(large?.error).toContain(`the limit is ${MAX_DOCUMENT_BYTES}`);
  for (const c of result.cases) {
    const read = c.documents.find((d) => d.file === 'bill.pdf');
    expect(read?.error, `${c.caseId}'s bill`).toBeUndefined();
    expect(read?.type).toBe('utility_bill');
  }
  // The case with a refused document goes to people; the other is decided on its own.
  expect(byCase.get('case-b')!.decision).toBe('review');
  expect(byCase.get('case-b')!.reasons).toContain('unreadable_document');
});
