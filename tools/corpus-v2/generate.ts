/**
 * Corpus v2: an independent, labelled synthetic corpus (eight countries and languages, three layouts
 * per document type, phone photos, scans, rotations, visas, documents that are not proofs of address).
 * Written apart from src/corpus so that tuning the engine on one cannot hide the gap on the other.
 *
 * FROZEN: the seed, size and this code were fixed before the engine was changed for them (see
 * docs/accuracy.md). Change nothing here except to fix a label that is demonstrably wrong, and say so.
 *
 *   npx tsx tools/corpus-v2/generate.ts --out DIR [--seed S] [--applicants N] [--as-of YYYY-MM-DD]
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Rng, hashString } from '../../src/corpus/random.js';
import { pageFor } from './layouts.js';
import type { PlanV2 } from './plan.js';
import { V2_DEFAULTS, labelsV2, planV2 } from './plan.js';
import { renderDoc } from './render.js';

export { V2_DEFAULTS, labelsV2, planV2 } from './plan.js';

export interface V2Summary {
  outDir: string;
  seed: number;
  asOf: string;
  cases: number;
  files: number;
}

/** The bytes of one document: pure function of the plan and the seed. */
export async function renderV2Document(plan: PlanV2, caseIndex: number, docIndex: number): Promise<Uint8Array> {
  const spec = plan.cases[caseIndex];
  const doc = spec?.documents[docIndex];
  if (!spec || !doc) throw new Error(`no document ${caseIndex}/${docIndex}`);
  const rng = new Rng(hashString(`v2/${plan.seed}/${spec.caseId}/${doc.fileName}/render`));
  return renderDoc(doc, pageFor(doc, rng.fork('layout')), rng.fork('capture'));
}

export async function generateV2(options: { outDir: string; seed?: number; applicants?: number; asOf?: string }): Promise<V2Summary> {
  const seed = options.seed ?? V2_DEFAULTS.seed;
  const plan = planV2({ seed, applicants: options.applicants ?? V2_DEFAULTS.applicants, asOf: options.asOf ?? V2_DEFAULTS.asOf });
  await mkdir(options.outDir, { recursive: true });
  if ((await readdir(options.outDir)).length > 0) throw new Error(`${options.outDir} is not empty`);
  let files = 0;
  for (const [c, spec] of plan.cases.entries()) {
    const dir = join(options.outDir, spec.caseId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'applicant.json'), `${JSON.stringify(spec.applicant, null, 2)}\n`);
    for (const [d, doc] of spec.documents.entries()) {
      await writeFile(join(dir, doc.fileName), await renderV2Document(plan, c, d));
      files += 1;
    }
  }
  await writeFile(join(options.outDir, 'labels.json'), `${JSON.stringify(labelsV2(plan), null, 2)}\n`);
  await writeFile(join(options.outDir, 'corpus.json'), `${JSON.stringify({ family: 'v2', seed, applicants: plan.cases.length, asOf: plan.asOf }, null, 2)}\n`);
  return { outDir: options.outDir, seed, asOf: plan.asOf, cases: plan.cases.length, files };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, seed: { type: 'string' }, applicants: { type: 'string' }, 'as-of': { type: 'string' } } });
  if (!values.out) throw new Error('usage: tsx tools/corpus-v2/generate.ts --out DIR [--seed S] [--applicants N] [--as-of D]');
  const summary = await generateV2({
    outDir: values.out,
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.applicants ? { applicants: Number(values.applicants) } : {}),
    ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
  });
  process.stderr.write(`corpus v2: ${summary.cases} applicants, ${summary.files} documents (seed ${summary.seed}, as of ${summary.asOf}) in ${summary.outDir}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
