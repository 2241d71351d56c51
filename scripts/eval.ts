/**
 * Measured accuracy: generates a labelled corpus, runs the engine over it as a user would
 * (`kyc process … --json`), and scores the reports against labels.json. Accuracy is reported, not
 * asserted: the exit code says whether the run happened, not whether the goals were met.
 *
 *   npm run eval [-- --corpus v1|v2|real-dev|real-test --applicants N --seed S --as-of D --out DIR --keep --engine-args "..."]
 *   npm run eval -- --reports FILE [--out DIR]      re-score a stored `kyc process --json` output
 *   npm run eval -- --corrections FILE.jsonl [--model PATH | --rules-only] [--as-of D]
 *                                                   score a model on reviewers' corrections (`kyc export-corrections`)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CorpusLabels } from '../src/corpus/index.js';
import { DEFAULT_AS_OF, corpusLabels, generateCorpus, planCorpus } from '../src/corpus/index.js';
import { formatScore } from '../src/eval/format.js';
import { parseReports, scoreRun } from '../src/eval/score.js';
import { V2_DEFAULTS, generateV2, labelsV2, planV2 } from '../tools/corpus-v2/generate.js';
import type { CaseReport } from '../src/domain/report.js';
import { createLlamaModel, type LocalModel } from '../src/adapters/llama-model.js';
import { loadConfig } from '../src/config.js';
import { analyseWithModel } from '../src/domain/analysis.js';
import type { DocumentAnalysis } from '../src/domain/documents.js';
import { InvalidInputError, KycError } from '../src/domain/errors.js';
import { PROMPT_VERSION } from '../src/domain/model-prompts.js';
import type { AnalysedCorrection, CorrectionPlan } from '../src/eval/corrections.js';
import { asOfFor, formatCorrectionsScore, pagesOf, parseCorrectionExamples, planCorrections, scoreCorrections } from '../src/eval/corrections.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KYC_BIN = join(ROOT, 'bin', 'kyc.mjs');
const EXIT = { ok: 0, engineFailed: 1, usage: 2 } as const;
const DEFAULTS = { applicants: 40, seed: 2026 } as const;

const CORPORA = ['v1', 'v2', 'real-dev', 'real-test'] as const;
type CorpusName = (typeof CORPORA)[number];

const USAGE = `usage: npm run eval -- [--corpus v1|v2|real-dev|real-test] [--applicants N] [--seed S] [--as-of YYYY-MM-DD] [--out DIR] [--keep] [--engine-args "..."]
       npm run eval -- --reports FILE [--out DIR]
       npm run eval -- --corrections FILE.jsonl [--model PATH | --rules-only] [--as-of YYYY-MM-DD]
  --corpus C         v1: the engine's own generator (src/corpus; default); v2: the independent generator
                     (tools/corpus-v2, frozen at seed ${V2_DEFAULTS.seed}, ${V2_DEFAULTS.applicants} applicants, as of ${V2_DEFAULTS.asOf});
                     real-dev / real-test: a real-document split built by tools/real-docs/build.ts (in
                     $KYC_REAL_DOCS_CACHE/<split> or ~/.cache/kyc-engine/real-docs/<split>, built when absent; or --out DIR)
  --applicants N     applicants in the generated corpus (default ${DEFAULTS.applicants}; v2: ${V2_DEFAULTS.applicants})
  --seed S           corpus seed (default ${DEFAULTS.seed}; v2: ${V2_DEFAULTS.seed})
  --as-of D          corpus date (default ${DEFAULT_AS_OF}; v2: ${V2_DEFAULTS.asOf}); the engine runs with the corpus date
  --out DIR          corpus directory; reused when it already holds labels.json (default: a new temp dir)
  --keep             keep the documents of a temp corpus (results are always kept)
  --engine-args "…"  extra arguments for \`kyc process\`, e.g. "--worker always"
  --reports FILE     score this \`kyc process --json\` output instead of running the engine;
                     labels come from DIR/labels.json (DIR = --out or the file's folder), else from the seed
  --corrections F    score against reviewers' corrections (\`kyc export-corrections --out F\`): each
                     example's stored text is analysed again and the corrected field compared; prints
                     a table, writes nothing. As of each correction's date unless --as-of is given
  --model PATH       with --corrections: the GGUF model to score (default MODEL_PATH, else the default model)
  --rules-only       with --corrections: rules alone, no model
Writes reports.json and score.json into the corpus directory. Exit 0 when the run happened,
1 when the engine failed, 2 on a usage or setup error.`;

class UsageError extends Error {}

interface EvalArgs {
  corpus: CorpusName;
  applicants: number;
  seed: number;
  asOf: string;
  /** Which of applicants/seed/asOf were given, so that a reused corpus can be checked against them. */
  explicit: { applicants: boolean; seed: boolean; asOf: boolean };
  out?: string;
  keep: boolean;
  reports?: string;
  engineArgs: string[];
  corrections?: string;
  model?: string;
  rulesOnly: boolean;
}

/** Splits `--a "b c" d` the way a shell would (quotes and backslashes only). */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current = (current ?? '') + text[++i];
      else current = (current ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      current = (current ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (current !== undefined) args.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (quote) throw new UsageError(`unbalanced ${quote} in --engine-args`);
  if (current !== undefined) args.push(current);
  return args;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(value)}`);
  return parsed;
}

/** `--engine-args "--worker always"`: parseArgs refuses a value that starts with a dash unless joined by `=`. */
function joinEngineArgs(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--engine-args' && i + 1 < argv.length) joined.push(`--engine-args=${argv[++i]}`);
    else joined.push(argv[i] as string);
  }
  return joined;
}

function parseCli(argv: readonly string[]): EvalArgs | undefined {
  const { values } = parseArgs({
    args: joinEngineArgs(argv),
    options: {
      corpus: { type: 'string' },
      applicants: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      reports: { type: 'string' },
      'engine-args': { type: 'string' },
      corrections: { type: 'string' },
      model: { type: 'string' },
      'rules-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  checkCorrectionsOptions(values);
  const corpus = (values.corpus ?? 'v1') as CorpusName;
  if (!CORPORA.includes(corpus)) throw new UsageError(`--corpus must be one of ${CORPORA.join(', ')}, got ${JSON.stringify(values.corpus)}`);
  const defaults = corpus === 'v2' ? V2_DEFAULTS : { ...DEFAULTS, asOf: DEFAULT_AS_OF };
  return {
    corpus,
    applicants: integer('applicants', values.applicants, defaults.applicants),
    seed: integer('seed', values.seed, defaults.seed),
    asOf: values['as-of'] ?? defaults.asOf,
    explicit: { applicants: values.applicants !== undefined, seed: values.seed !== undefined, asOf: values['as-of'] !== undefined },
    ...(values.out ? { out: resolve(values.out) } : {}),
    keep: values.keep,
    ...(values.reports ? { reports: resolve(values.reports) } : {}),
    engineArgs: splitArgs(values['engine-args'] ?? ''),
    ...(values.corrections ? { corrections: resolve(values.corrections) } : {}),
    ...(values.model ? { model: resolve(values.model) } : {}),
    rulesOnly: values['rules-only'],
  };
}

/** The corrections mode runs no engine and no corpus: refuse options that would be silently ignored. */
function checkCorrectionsOptions(values: Record<string, string | boolean | undefined>): void {
  if (!values.corrections) {
    if (values.model !== undefined || values['rules-only']) throw new UsageError('--model and --rules-only go with --corrections');
    return;
  }
  const ignored = ['corpus', 'applicants', 'seed', 'out', 'keep', 'reports', 'engine-args'].filter((name) => values[name] !== undefined && values[name] !== false);
  if (ignored.length > 0) throw new UsageError(`--corrections does not take ${ignored.map((n) => `--${n}`).join(', ')}`);
  if (values.model !== undefined && values['rules-only']) throw new UsageError('--model and --rules-only exclude each other');
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A stored corpus must be the one asked for: a different seed or size would score the wrong labels. */
function checkReusedLabels(labels: CorpusLabels, args: EvalArgs, file: string): void {
  const count = Object.keys(labels.cases).length;
  const conflicts = [
    args.explicit.seed && labels.seed !== args.seed ? `seed ${labels.seed} (asked ${args.seed})` : '',
    args.explicit.applicants && count !== args.applicants ? `${count} applicants (asked ${args.applicants})` : '',
    args.explicit.asOf && labels.asOf !== args.asOf ? `as-of ${labels.asOf} (asked ${args.asOf})` : '',
  ].filter((c) => c.length > 0);
  if (conflicts.length > 0) throw new UsageError(`${file} holds a different corpus: ${conflicts.join(', ')}; choose another --out`);
}

interface Corpus {
  dir: string;
  labels: CorpusLabels;
  /** The documents were generated by this run into a temp dir (removed at the end unless --keep). */
  isTemp: boolean;
}

async function readLabels(file: string, args: EvalArgs): Promise<CorpusLabels> {
  const labels = JSON.parse(await readFile(file, 'utf8')) as CorpusLabels;
  checkReusedLabels(labels, args, file);
  return labels;
}

const REAL_DOCS_BUILD = join(ROOT, 'tools', 'real-docs', 'build.ts');

/** Where tools/real-docs/build.ts lays out a split: $KYC_REAL_DOCS_CACHE/<split>, else ~/.cache/kyc-engine/real-docs/<split>. */
function realDocsDir(corpus: 'real-dev' | 'real-test'): string {
  const cache = process.env.KYC_REAL_DOCS_CACHE ?? join(homedir(), '.cache', 'kyc-engine', 'real-docs');
  return resolve(cache, corpus === 'real-dev' ? 'dev' : 'test');
}

/** Builds a real-document split with its own script (downloads through the registries' clients, checks sha256). */
async function buildRealDocs(corpus: 'real-dev' | 'real-test'): Promise<void> {
  if (!existsSync(REAL_DOCS_BUILD)) throw new UsageError(`--corpus ${corpus}: no labels.json and no ${REAL_DOCS_BUILD} to build it`);
  const split = corpus === 'real-dev' ? 'dev' : 'test';
  say(`Building the real-document ${split} split: tsx tools/real-docs/build.ts --split ${split}`);
  const child = spawn(process.execPath, ['--import', 'tsx', REAL_DOCS_BUILD, '--split', split], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number>((done, fail) => {
    child.once('error', fail);
    child.once('close', (c) => done(c ?? 1));
  });
  if (code !== 0) throw new UsageError(`tools/real-docs/build.ts --split ${split} failed with exit code ${code}`);
}

/** The corpus to run or score: a stored one, a newly generated one, or (re-scoring) labels planned from the seed. */
async function prepareCorpus(args: EvalArgs): Promise<Corpus> {
  if ((args.corpus === 'real-dev' || args.corpus === 'real-test') && !args.out && !args.reports) {
    const dir = realDocsDir(args.corpus);
    if (!existsSync(join(dir, 'labels.json'))) await buildRealDocs(args.corpus);
    say(`Using the ${args.corpus} corpus in ${dir}`);
    return { dir, labels: await readLabels(join(dir, 'labels.json'), args), isTemp: false };
  }
  const dir = args.out ?? (args.reports ? dirname(args.reports) : await mkdtemp(join(tmpdir(), 'kyc-eval-')));
  const labelsFile = join(dir, 'labels.json');
  const isTemp = !args.out && !args.reports;
  if (!isTemp && existsSync(labelsFile)) {
    say(`Using the ${args.corpus} corpus in ${dir}`);
    return { dir, labels: await readLabels(labelsFile, args), isTemp };
  }
  if (args.corpus === 'real-dev' || args.corpus === 'real-test') {
    throw new UsageError(`--corpus ${args.corpus}: no labels.json in ${dir}; build the split with tools/real-docs/build.ts, or omit --out to use (and build) ${realDocsDir(args.corpus)}`);
  }
  const plan = { applicants: args.applicants, seed: args.seed, asOf: args.asOf };
  if (args.corpus === 'v2') {
    if (args.seed !== V2_DEFAULTS.seed || args.applicants !== V2_DEFAULTS.applicants || args.asOf !== V2_DEFAULTS.asOf) {
      say(`Note: corpus v2 is frozen at seed ${V2_DEFAULTS.seed}, ${V2_DEFAULTS.applicants} applicants, as of ${V2_DEFAULTS.asOf}; other settings are not comparable with docs/accuracy.md`);
    }
    if (args.reports) {
      say(`No labels.json in ${dir}: corpus v2 labels planned from seed ${args.seed}, ${args.applicants} applicants, as of ${args.asOf}`);
      return { dir, labels: labelsV2(planV2(plan)), isTemp };
    }
    say(`Generating corpus v2: ${args.applicants} applicants (seed ${args.seed}, as of ${args.asOf}) into ${dir} …`);
    const started = performance.now();
    const summary = await generateV2({ outDir: dir, ...plan });
    say(`Generated ${summary.files} documents in ${seconds(started)}s.`);
    return { dir, labels: JSON.parse(await readFile(labelsFile, 'utf8')) as CorpusLabels, isTemp };
  }
  if (args.reports) {
    say(`No labels.json in ${dir}: labels planned from seed ${args.seed}, ${args.applicants} applicants, as of ${args.asOf}`);
    return { dir, labels: corpusLabels(planCorpus(plan)), isTemp };
  }
  say(`Generating ${args.applicants} applicants (seed ${args.seed}, as of ${args.asOf}) into ${dir} …`);
  const started = performance.now();
  const summary = await generateCorpus({ outDir: dir, ...plan });
  say(`Generated ${summary.files} documents in ${seconds(started)}s.`);
  return { dir, labels: JSON.parse(await readFile(labelsFile, 'utf8')) as CorpusLabels, isTemp };
}

/** The corpus named in score.json and above the figures: the --corpus given, or v2 when the directory says it is one. */
function corpusName(args: EvalArgs, dir: string): string {
  if (args.corpus !== 'v1') return args.corpus;
  return existsSync(join(dir, 'corpus.json')) ? 'v2 (from corpus.json)' : 'v1';
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

interface EngineRun {
  exitCode: number;
  stdout: string;
  durationMs: number;
}

/** `kyc process` over every case folder, as a child process; its stderr (progress) goes straight to ours. */
async function runEngine(corpus: Corpus, engineArgs: readonly string[]): Promise<EngineRun> {
  const dirs = Object.keys(corpus.labels.cases).map((caseId) => join(corpus.dir, caseId));
  const sanctions = join(corpus.dir, 'sanctions.csv');
  const args = [KYC_BIN, 'process', ...dirs, '--json', '--as-of', corpus.labels.asOf];
  if (existsSync(sanctions)) args.push('--sanctions', sanctions);
  args.push(...engineArgs);
  say(`Running: kyc process <${dirs.length} case dirs> --json --as-of ${corpus.labels.asOf}${existsSync(sanctions) ? ' --sanctions sanctions.csv' : ''} ${engineArgs.join(' ')}`.trimEnd());
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exitCode = await new Promise<number>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
  return { exitCode, stdout: Buffer.concat(chunks).toString('utf8'), durationMs: Math.round(performance.now() - started) };
}

/** Removes the case folders of a temp corpus; labels, sanctions, reports and score stay. */
async function removeDocuments(corpus: Corpus): Promise<void> {
  await Promise.all(Object.keys(corpus.labels.cases).map((caseId) => rm(join(corpus.dir, caseId), { recursive: true, force: true })));
}

interface Outcome {
  reports?: CaseReport[];
  engine?: EngineRun;
  exitCode: number;
}

async function obtainReports(args: EvalArgs, corpus: Corpus): Promise<Outcome> {
  if (args.reports) return { reports: parseReports(await readFile(args.reports, 'utf8')), exitCode: EXIT.ok };
  const engine = await runEngine(corpus, args.engineArgs);
  say(`Engine finished in ${(engine.durationMs / 1000).toFixed(1)}s with exit code ${engine.exitCode}.`);
  if (engine.stdout.trim().length > 0) await writeFile(join(corpus.dir, 'reports.json'), engine.stdout);
  const exitCode = engine.exitCode === 0 ? EXIT.ok : EXIT.engineFailed;
  try {
    return { reports: parseReports(engine.stdout), engine, exitCode };
  } catch (err) {
    say(`The engine output holds no reports: ${(err as Error).message}`);
    return { engine, exitCode: EXIT.engineFailed };
  }
}

/** The model to score: --model, else MODEL_PATH, else the default model; as the inference worker loads it. */
async function loadModel(args: EvalArgs): Promise<LocalModel | undefined> {
  if (args.rulesOnly) return undefined;
  const config = loadConfig();
  const modelPath = args.model ?? config.model.path;
  say(`Loading ${modelPath} …`);
  return createLlamaModel({ modelPath, ...(config.model.threads ? { threads: config.model.threads } : {}) });
}

/** `--corrections FILE`: the engine's document analysis again on each corrected document's stored text. */
async function scoreCorrectionsFile(args: EvalArgs, file: string): Promise<number> {
  let plan: CorrectionPlan;
  try {
    plan = planCorrections(parseCorrectionExamples(await readFile(file, 'utf8')));
  } catch (err) {
    throw new InvalidInputError(`${file}: ${(err as Error).message}`);
  }
  const asOf = args.explicit.asOf ? args.asOf : undefined;
  const model = await loadModel(args);
  try {
    say(`Analysing ${plan.toScore.length} corrected document field(s) from ${file} with ${model ? model.modelId.file : 'rules alone'} …`);
    const started = performance.now();
    // One analysis per document and date: several corrections of one document share it.
    const analyses = new Map<string, Promise<DocumentAnalysis>>();
    const analysed: AnalysedCorrection[] = [];
    for (const example of plan.toScore) {
      const key = `${example.documentId}\0${asOfFor(example, asOf)}`;
      if (!analyses.has(key)) analyses.set(key, analyseWithModel(pagesOf(example), model, { asOf: asOfFor(example, asOf) }));
      analysed.push({ example, analysis: await analyses.get(key)! });
    }
    say(`Analysed ${analyses.size} document(s) in ${seconds(started)}s.`);
    process.stdout.write(formatCorrectionsScore(scoreCorrections(plan, analysed), {
      model: model ? { ...model.modelId, promptVersion: PROMPT_VERSION } : undefined,
      ...(asOf ? { asOf } : {}),
    }));
    return EXIT.ok;
  } finally {
    await model?.dispose();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCli(argv);
  if (!args) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (args.corrections) return scoreCorrectionsFile(args, args.corrections);
  const corpus = await prepareCorpus(args);
  const outcome = await obtainReports(args, corpus);
  if (outcome.reports) {
    const score = scoreRun(corpus.labels, outcome.reports, { corpus: corpusName(args, corpus.dir) });
    process.stdout.write(formatScore(score));
    const run = {
      applicants: Object.keys(corpus.labels.cases).length,
      reports: args.reports ?? join(corpus.dir, 'reports.json'),
      ...(outcome.engine ? { engineArgs: args.engineArgs, engineExitCode: outcome.engine.exitCode, engineDurationMs: outcome.engine.durationMs } : {}),
    };
    const scoreFile = join(corpus.dir, 'score.json');
    await writeFile(scoreFile, `${JSON.stringify({ run, ...score }, null, 2)}\n`);
    say(`Score written to ${scoreFile}`);
  }
  if (outcome.exitCode !== EXIT.ok) {
    say(`The engine failed: see its messages above${outcome.reports ? '; missing reports were counted as wrong' : ''}.`);
    if (corpus.isTemp) say(`The corpus stays in ${corpus.dir}; rerun on it with --out ${corpus.dir}`);
  }
  if (corpus.isTemp && !args.keep && outcome.exitCode === EXIT.ok) {
    await removeDocuments(corpus);
    say(`Documents removed (pass --keep to keep them); labels, reports and score stay in ${corpus.dir}`);
  }
  return outcome.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const isUsage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const isSetup = err instanceof KycError; // e.g. no model file, a malformed corrections file: the message says it all
    process.stderr.write(`eval: ${err instanceof Error ? (isUsage || isSetup ? err.message : (err.stack ?? err.message)) : String(err)}\n`);
    if (isUsage) process.stderr.write(`${USAGE}\n`);
    process.exitCode = EXIT.usage;
  },
);
