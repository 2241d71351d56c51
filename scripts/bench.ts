/**
 * `npm run bench`: the engine's throughput against the native tools on the same generated inputs,
 * the model's latency, and a batch through the real workflows; one table, ratios against the goals
 * of issue 6. Numbers are measured, never asserted: the exit code says whether the run happened.
 *
 *   npm run bench [-- --quick] [--pages N] [--applicants N] [--json FILE] [--seed S] [--only ocr,pdf,render,model,e2e] [--keep] [--topology one-process|split|both]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { generateEndToEndCorpus, measureEndToEnd } from '../src/bench/e2e.js';
import { generateBenchInputs, type BenchInputs } from '../src/bench/inputs.js';
import { measureModel, measureOcr, measurePdfText, measureRender } from '../src/bench/micro.js';
import { parseBenchOptions, USAGE, UsageError, type BenchOptions, type Phase } from '../src/bench/options.js';
import { buildRows, type BenchResults } from '../src/bench/rows.js';
import { formatTable } from '../src/bench/table.js';

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

/** Runs the chosen rows; a row that fails is reported and the others still run. Returns the failures. */
async function run(options: BenchOptions): Promise<string[]> {
  const config = loadConfig();
  const parallelism = config.ocr.workers;
  const workDir = await mkdtemp(join(tmpdir(), 'kyc-bench-'));
  const results: BenchResults = {};
  const failures: string[] = [];
  const startedAt = new Date();
  const started = performance.now();
  const wants = (phase: Phase): boolean => options.phases.includes(phase);
  const attempt = async (phase: Phase, work: () => Promise<void>): Promise<void> => {
    if (!wants(phase)) return;
    try {
      await work();
    } catch (err) {
      failures.push(`${phase}: ${(err as Error)?.message ?? String(err)}`);
      log(`${phase} failed: ${(err as Error)?.stack ?? String(err)}`);
    }
  };
  try {
    let inputs: BenchInputs | undefined;
    if (wants('ocr') || wants('pdf') || wants('render') || wants('model')) {
      const t = performance.now();
      inputs = await generateBenchInputs(join(workDir, 'inputs'), { seed: options.seed, pages: options.pages, pdfPages: options.pdfPages });
      log(`generated ${inputs.ocr.length} images, ${inputs.scanPdfs.length} scanned PDFs, ${inputs.textPdfs.length} text PDFs (seed ${options.seed}) in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed)`);
    }
    let ocrTexts: string[] = [];
    let pdfTexts: string[] = [];
    await attempt('ocr', async () => {
      log(`OCR: ${inputs!.ocr.length} images, engine vs tesseract CLI, ${parallelism} at a time…`);
      const { texts, ...ocr } = await measureOcr(inputs!.ocr, config, parallelism);
      results.ocr = ocr;
      ocrTexts = texts;
    });
    await attempt('pdf', async () => {
      log(`PDF text: ${inputs!.textPdfs.length} files, engine vs pdftotext…`);
      const { texts, ...pdfText } = await measurePdfText(inputs!.textPdfs);
      results.pdfText = pdfText;
      pdfTexts = texts;
    });
    await attempt('render', async () => {
      log(`Rendering: ${inputs!.scanPdfs.length} scanned PDFs, engine vs pdftoppm…`);
      results.render = await measureRender(inputs!.scanPdfs);
    });
    await attempt('model', async () => {
      if (config.model.mode === 'off') return log('Model: MODEL_MODE=off, skipped');
      // What the model would be shown: the engine's own text of each document (OCR or text layer),
      // else the drawn text when those rows did not run.
      const documents = [
        ...inputs!.ocr.map((f, i) => ({ text: ocrTexts[i] ?? f.groundTruth.join('\n'), type: f.type })),
        ...inputs!.textPdfs.map((f, i) => ({ text: pdfTexts[i] ?? f.groundTruth.join('\n'), type: f.type })),
      ];
      const count = Math.min(options.modelDocuments, documents.length);
      const picked = Array.from({ length: count }, (_, i) => documents[Math.floor((i * documents.length) / count)]!);
      log(`Model: classifying ${picked.length} documents…`);
      results.model = await measureModel(picked, config);
    });
    if (options.phases.includes('e2e')) {
      const e2eDir = join(workDir, 'e2e');
      let e2eInputs: Awaited<ReturnType<typeof generateEndToEndCorpus>> | undefined;
      for (const topology of options.topologies) {
        await attempt('e2e', async () => {
          log(topology === 'split'
            ? `End to end: ${options.applicants} applicants, workflows and I/O in one process, OCR and the model in a worker process (as docker-compose.yml)…`
            : `End to end: ${options.applicants} applicants, every queue in one process (the embedded default)…`);
          e2eInputs ??= await generateEndToEndCorpus({ applicants: options.applicants, seed: options.seed, workDir: e2eDir, log });
          const result = await measureEndToEnd({ applicants: options.applicants, inputs: e2eInputs, workDir: e2eDir, topology, log });
          if (topology === 'split') results.e2eSplit = result;
          else results.e2e = result;
        });
      }
    }
  } finally {
    if (options.keep) log(`inputs and data kept in ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }

  const machine = `${cpus()[0]?.model.trim() ?? 'cpu'} × ${availableParallelism()}, load average ${loadavg()[0]!.toFixed(1)} at the end`;
  const header = [
    `KYC engine benchmark — ${startedAt.toISOString()} — ${options.isQuick ? 'quick' : 'full'} run, seed ${options.seed}, ${((performance.now() - started) / 60_000).toFixed(1)} min`,
    `machine: ${machine}`,
    'Same inputs on both sides of a row, run ref, engine, engine, ref (by halves); fast rows repeat the set (× rounds) until each side ran ≥ 5 s.',
    'Warm-up excluded: untimed first — OCR one image per slot, PDF text and rendering 5 files, each side; end to end a 2-applicant batch.',
    '',
  ].join('\n');
  const rows = buildRows(results);
  process.stdout.write(`${header}\n${formatTable(rows)}${failures.map((f) => `FAILED ${f}\n`).join('')}`);
  if (options.jsonFile) {
    await writeFile(options.jsonFile, `${JSON.stringify({ startedAt: startedAt.toISOString(), options, machine, rows, failures, results }, null, 2)}\n`);
    log(`results written to ${options.jsonFile}`);
  }
  return failures;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message ? `bench: ${message}\n` : ''}${USAGE}\n`);
    process.exitCode = err instanceof UsageError && message === '' ? 0 : 2;
    return;
  }
  const failures = await run(options);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
