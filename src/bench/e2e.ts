/**
 * The end-to-end row: generates a corpus, runs it in its own process (e2e-child.ts) against a
 * private embedded Temporal dev server, and samples that process, the server and the machine's
 * cores from here while the batch runs.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from '../corpus/generate.js';
import type { EndToEndChildResult, Topology } from './e2e-child.js';
import { startSampler, type Sampler, type UsageReport } from './sampler.js';

export interface EndToEndResult extends EndToEndChildResult {
  usage: UsageReport;
  generateMs: number;
}

const CHILD = fileURLToPath(new URL('./e2e-child.ts', import.meta.url));
/** Settings that would point the child at a developer's cluster, keys, database or webhook. */
const PRIVATE_ENV = ['TEMPORAL_ADDRESS', 'KYC_MASTER_KEYS', 'KYC_KEY_FILE', 'REVIEW_DB_URL', 'WEBHOOK_URL', 'WEBHOOK_SECRET', 'SANCTIONS_LIST', 'POLICY_FILE'];

/** Free TCP ports on 127.0.0.1, held open together so they differ, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export interface EndToEndCorpus {
  corpus: string;
  warmup: string;
  generateMs: number;
}

/** Generates the batch (seeded) and the 2-applicant warm-up batch once, for every topology measured. */
export async function generateEndToEndCorpus(options: { applicants: number; seed: number; workDir: string; log: (line: string) => void }): Promise<EndToEndCorpus> {
  const corpus = join(options.workDir, 'corpus');
  const warmup = join(options.workDir, 'warmup');
  const generateStarted = performance.now();
  await generateCorpus({ applicants: options.applicants, seed: options.seed, outDir: corpus, clean: true });
  await generateCorpus({ applicants: 2, seed: options.seed + 1, outDir: warmup, clean: true });
  const generateMs = performance.now() - generateStarted;
  options.log(`generated ${options.applicants} applicants in ${(generateMs / 1000).toFixed(1)} s (not timed)`);
  return { corpus, warmup, generateMs };
}

/**
 * Runs the generated batch through the real workflows in a process of its own, on a private
 * embedded Temporal dev server (its data under `workDir/<topology>`), sampling its processes.
 */
export async function measureEndToEnd(options: { applicants: number; inputs: EndToEndCorpus; workDir: string; topology: Topology; log: (line: string) => void }): Promise<EndToEndResult> {
  const { log } = options;
  const { corpus, warmup, generateMs } = options.inputs;
  const workDir = join(options.workDir, options.topology);
  const dataDir = join(workDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const [port, uiPort] = await freePorts(2);
  const env: NodeJS.ProcessEnv = { ...process.env, KYC_DATA_DIR: dataDir, TEMPORAL_PORT: String(port), TEMPORAL_UI_PORT: String(uiPort) };
  for (const key of PRIVATE_ENV) delete env[key];
  env.LOG_LEVEL ??= 'error';
  const outFile = join(workDir, 'e2e-result.json');

  const child = spawn(process.execPath, [...process.execArgv, CHILD, corpus, warmup, outFile, options.topology], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let serverPid: number | undefined;
  let workerPid: number | undefined;
  let sampler: Sampler | undefined;
  let usage: UsageReport | undefined;
  child.on('message', (message: { type: string; serverPid?: number; workerPid?: number }) => {
    if (message.type === 'ready') {
      serverPid = message.serverPid;
      workerPid = message.workerPid;
      log(`engine up (Temporal dev server on 127.0.0.1:${port}); warm-up batch of 2 applicants, untimed`);
    } else if (message.type === 'batch-start') {
      log(`batch of ${options.applicants} applicants running (${options.topology === 'split' ? 'workflows and I/O in one process, OCR and model in another' : 'every queue in one process'})…`);
      sampler = startSampler(500);
      if (child.pid) sampler.follow('engine', child.pid);
      if (serverPid) sampler.follow('temporal', serverPid);
      if (workerPid) sampler.follow('ocr+model worker', workerPid);
    } else if (message.type === 'batch-end') {
      usage = sampler?.stop();
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) {
    if (!usage) sampler?.stop();
    throw new Error(`the end-to-end process exited with code ${code}`);
  }
  if (!usage) throw new Error('the end-to-end process never reported the batch');
  const result = JSON.parse(await readFile(outFile, 'utf8')) as EndToEndChildResult;
  return { ...result, usage, generateMs };
}
