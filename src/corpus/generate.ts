/**
 * The corpus generator: plans every case from the seed, renders the files, and writes the case-folder
 * layout with labels.json and sanctions.csv. Same seed and asOf → byte-identical output.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isIsoDate } from './dates.js';
import { caseLabel } from './labels.js';
import type { CaseRecipe } from './plan-cases.js';
import { assignReasons, planCase, recipeFor } from './plan-cases.js';
import type { Person } from './people.js';
import { rngFor } from './random.js';
import { renderDocument } from './render-document.js';
import type { SanctionsEntry } from './sanctions.js';
import { applicantEntry, inventedEntries, sanctionsCsv } from './sanctions.js';
import type { CaseSpec, CorpusLabels } from './specs.js';

/** Fixed default so that a run without --as-of is reproducible on any day. */
export const DEFAULT_AS_OF = '2026-11-01';
export const SAMPLE_SEED = 20261101;

export interface CorpusPlan {
  asOf: string;
  seed: number;
  cases: CaseSpec[];
  sanctions: SanctionsEntry[];
}

export interface PlanOptions {
  applicants: number;
  seed: number;
  asOf?: string;
}

export interface WriteOptions {
  /** Remove outDir first; otherwise a non-empty outDir is an error (stale files would pollute the corpus). */
  clean?: boolean;
  /** Documents rendered at once (default 2). */
  concurrency?: number;
}

export interface CorpusSummary {
  outDir: string;
  asOf: string;
  seed: number;
  cases: number;
  files: number;
  bytes: number;
}

function caseId(index: number): string {
  return `case-${String(index + 1).padStart(3, '0')}`;
}

function validate(options: PlanOptions): string {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  if (!isIsoDate(asOf)) throw new Error(`asOf must be a YYYY-MM-DD date, got ${JSON.stringify(asOf)}`);
  if (!Number.isInteger(options.applicants) || options.applicants < 1 || options.applicants > 10_000) {
    throw new Error(`applicants must be an integer in 1..10000, got ${options.applicants}`);
  }
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  return asOf;
}

export interface CustomPlanOptions {
  seed: number;
  asOf?: string;
  /** One recipe per case: which documents, in which formats, with which (single) flaw. */
  recipes: readonly CaseRecipe[];
}

/** A corpus from explicit recipes, for fixtures that need particular documents and formats. */
export function planCases(options: CustomPlanOptions): CorpusPlan {
  const asOf = validate({ applicants: options.recipes.length, seed: options.seed, ...(options.asOf ? { asOf: options.asOf } : {}) });
  return planFromRecipes(options.seed, asOf, options.recipes);
}

function planFromRecipes(seed: number, asOf: string, recipes: readonly CaseRecipe[]): CorpusPlan {
  const takenKeys = new Set<string>();
  const planned = recipes.map((recipe, i) => planCase({ caseId: caseId(i), seed, asOf, recipe, takenKeys }));
  const listRng = rngFor(seed, 'sanctions');
  const listed: Person[] = planned.filter((p) => p.spec.reasons.includes('sanctions_match')).map((p) => p.person);
  const sanctions = listRng.shuffle([...inventedEntries(listRng, asOf), ...listed.map((person) => applicantEntry(listRng, person, asOf))]);
  return { asOf, seed, cases: planned.map((p) => p.spec), sanctions };
}

/** Decides every case, document and label without rendering anything (fast; used by tests). */
export function planCorpus(options: PlanOptions): CorpusPlan {
  const asOf = validate(options);
  const rng = rngFor(options.seed, 'corpus');
  const recipes = assignReasons(options.applicants, rng).map((reason, i) => recipeFor(reason, rngFor(options.seed, `recipe-${i}`)));
  return planFromRecipes(options.seed, asOf, recipes);
}

/** The four-applicant sample for the README's first run: quick to process, one of each headline outcome. */
export function planSampleBatch(asOf: string = DEFAULT_AS_OF): CorpusPlan {
  const recipes: CaseRecipe[] = [
    { identity: [{ type: 'passport', format: 'photo-jpeg' }], proofOfAddress: [{ type: 'utility_bill', format: 'text-pdf' }], extras: [], exactDeclaration: true, country: 'GB', nationality: 'GBR' },
    { identity: [{ type: 'id_card', format: 'scan-pdf' }], proofOfAddress: [{ type: 'bank_statement', format: 'text-pdf' }], extras: [], exactDeclaration: true, country: 'DE', nationality: 'DEU' },
    { reason: 'expired_document', identity: [{ type: 'passport', format: 'photo-jpeg' }], proofOfAddress: [{ type: 'utility_bill', format: 'text-pdf' }], extras: [], exactDeclaration: true, country: 'IE', nationality: 'IRL' },
    { reason: 'name_mismatch', identity: [{ type: 'passport', format: 'photo-jpeg' }], proofOfAddress: [{ type: 'payslip', format: 'text-pdf' }], extras: [], exactDeclaration: true, country: 'GB', nationality: 'FRA' },
  ];
  return planCases({ seed: SAMPLE_SEED, asOf, recipes });
}

export function corpusLabels(plan: CorpusPlan): CorpusLabels {
  const cases: CorpusLabels['cases'] = {};
  for (const spec of plan.cases) cases[spec.caseId] = caseLabel(spec);
  return { asOf: plan.asOf, seed: plan.seed, cases };
}

async function prepareDir(outDir: string, clean: boolean): Promise<void> {
  if (clean) await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const existing = await readdir(outDir);
  if (existing.length > 0) throw new Error(`${outDir} is not empty; choose another directory or pass { clean: true } (CLI: --clean)`);
}

/** Runs `task` over `items` with at most `limit` in flight; results keep input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Renders and writes a planned corpus. */
export async function writeCorpus(plan: CorpusPlan, outDir: string, options: WriteOptions = {}): Promise<CorpusSummary> {
  await prepareDir(outDir, options.clean ?? false);
  const jobs = plan.cases.flatMap((spec) => spec.documents.map((doc) => ({ spec, doc })));
  for (const spec of plan.cases) {
    await mkdir(join(outDir, spec.caseId), { recursive: true });
    await writeFile(join(outDir, spec.caseId, 'applicant.json'), json(spec.applicant));
  }
  const sizes = await mapLimited(jobs, options.concurrency ?? 2, async ({ spec, doc }) => {
    const rng = rngFor(plan.seed, `${spec.caseId}/${doc.fileName}/render`);
    const bytes = await renderDocument(doc, { rng, asOf: plan.asOf });
    await writeFile(join(outDir, spec.caseId, doc.fileName), bytes);
    return bytes.length;
  });
  await writeFile(join(outDir, 'labels.json'), json(corpusLabels(plan)));
  await writeFile(join(outDir, 'sanctions.csv'), sanctionsCsv(plan.sanctions));
  return {
    outDir, asOf: plan.asOf, seed: plan.seed, cases: plan.cases.length, files: jobs.length,
    bytes: sizes.reduce((sum, size) => sum + size, 0),
  };
}

export interface CorpusOptions extends PlanOptions, WriteOptions {
  outDir: string;
}

export async function generateCorpus(options: CorpusOptions): Promise<CorpusSummary> {
  return writeCorpus(planCorpus(options), options.outDir, options);
}

/** Writes the fixed four-applicant sample batch (see planSampleBatch). */
export async function generateSampleBatch(outDir: string, options: WriteOptions & { asOf?: string } = {}): Promise<CorpusSummary> {
  return writeCorpus(planSampleBatch(options.asOf), outDir, options);
}
