/** Command-line options of `npm run bench`. Pure. */
import { parseArgs } from 'node:util';

export const PHASES = ['ocr', 'pdf', 'render', 'model', 'e2e'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  isQuick: boolean;
  /** Pages OCR'd by each side; also the number of scanned PDFs rendered. */
  pages: number;
  /** Text-layer PDF pages read by each side (text extraction is ~100× faster than OCR). */
  pdfPages: number;
  /** Documents classified by the model. */
  modelDocuments: number;
  applicants: number;
  seed: number;
  jsonFile: string | undefined;
  phases: Phase[];
  /** Keep the generated inputs and the engine's data directory. */
  keep: boolean;
  /** End-to-end topologies to run on the same batch. */
  topologies: Array<'one-process' | 'split'>;
}

export const USAGE = `usage: npm run bench -- [--quick] [--pages N] [--applicants N] [--json FILE] [--seed S] [--only ${PHASES.join(',')}] [--keep]
  --quick          small sizes for a CI smoke run (10 pages, 20 applicants)
  --pages N        pages OCR'd and scanned PDFs rendered per side (default 60); text PDFs: 5 × N pages
  --applicants N   applicants in the end-to-end batch (default 100)
  --json FILE      also write every measurement as JSON
  --seed S         seed of the generated inputs (default 2026)
  --only LIST      run only these rows (comma-separated)
  --keep           keep the generated inputs and the engine's data directory
  --topology T     end to end in one-process, split or both (default both)`;

/**
 * 60 OCR pages: each kind's set is timed in two halves per side, and with 30 pages a half held 7–8
 * documents on 2 lanes, so up to 15 % of the lanes' time went idle waiting for the last document
 * (printed as "lanes idle") and the ratio moved ±0.03 between runs; with 60 it is 3–5 %.
 */
const FULL = { pages: 60, applicants: 100, modelDocuments: 12 } as const;
const QUICK = { pages: 10, applicants: 20, modelDocuments: 5 } as const;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      pages: { type: 'string' },
      applicants: { type: 'string' },
      json: { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      topology: { type: 'string', default: 'both' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) throw new UsageError('');
  const sizes = values.quick ? QUICK : FULL;
  const pages = positiveInt('--pages', values.pages) ?? sizes.pages;
  const phases = values.only === undefined ? [...PHASES] : values.only.split(',').map((p) => p.trim());
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new UsageError(`--only: unknown row(s) ${unknown.join(', ')}; choose from ${PHASES.join(', ')}`);
  const topology = values.topology ?? 'both';
  if (!['one-process', 'split', 'both'].includes(topology)) throw new UsageError(`--topology: expected one-process, split or both, got ${JSON.stringify(topology)}`);
  return {
    isQuick: values.quick === true,
    pages,
    pdfPages: pages * 5,
    modelDocuments: Math.min(sizes.modelDocuments, pages * 2),
    applicants: positiveInt('--applicants', values.applicants) ?? sizes.applicants,
    seed: integer('--seed', values.seed) ?? 2026,
    jsonFile: values.json,
    phases: PHASES.filter((p) => phases.includes(p)),
    keep: values.keep === true,
    topologies: topology === 'both' ? ['one-process', 'split'] : [topology as 'one-process' | 'split'],
  };
}

export class UsageError extends Error {}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${name}: expected an integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  const n = integer(name, value);
  if (n !== undefined && n < 1) throw new UsageError(`${name}: expected a positive integer, got ${n}`);
  return n;
}
