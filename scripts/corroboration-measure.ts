/**
 * Measures MRZ corroboration on a labelled corpus directory (as `npm run eval -- --keep` leaves it):
 * every passport, ID card and visa is read as the OCR worker reads it, analysed by rules, and where an MRZ value is
 * unverified the planner's reading steps are run (the workflow's loop, without Temporal). Prints
 * per document the steps, their outcomes and times, and whether each corroborated value is the
 * labelled truth. Prints no document values.
 *
 *   npx tsx scripts/corroboration-measure.ts DIR [--max-steps N]
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPdfEngine } from '../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../src/adapters/sharp-image.js';
import { createTesseractPool } from '../src/adapters/tesseract-ocr.js';
import { analyseByRules } from '../src/domain/analysis.js';
import { corroborateDocumentMrz, stepKeyFor, type StoredCorroborationStep } from '../src/domain/corroborate-document.js';
import { readMrz } from '../src/domain/mrz/index.js';
import { nextReadingStep, unverifiedMrzFields, type TakenStep } from '../src/domain/corroboration.js';
import type { Fields, MrzSummary } from '../src/domain/documents.js';
import { extractDocumentText } from '../src/domain/extraction.js';

interface Labels {
  asOf: string;
  cases: Record<string, { documents: Record<string, { type: string; fields: Fields }> }>;
}

const MRZ_TYPES = new Set(['passport', 'id_card', 'visa', 'residence_permit']);
const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'max-steps': { type: 'string', default: '4' } } });
const dir = positionals[0];
if (!dir) throw new Error('usage: corroboration-measure.ts DIR [--max-steps N]');
const maxSteps = Number(values['max-steps']);
const labels = JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as Labels;
const ocr = await createTesseractPool({ size: 1 });
const pdf = createPdfEngine();
const image = createSharpPreprocessor();

const rows: string[] = [];
const totals = { documents: 0, withMrz: 0, unverified: 0, corroborated: 0, wrongCorroborated: 0, steps: 0, stepMs: 0, stillUnverified: 0 };
try {
  for (const caseId of Object.keys(labels.cases).sort()) {
    const entries = (await readdir(join(dir, caseId))).filter((f) => f !== 'applicant.json').sort();
    for (const file of entries) {
      const truth = labels.cases[caseId]?.documents[file];
      // Only documents that carry an MRZ (by their label): the others cost OCR and never take a step.
      if (!MRZ_TYPES.has(truth?.type ?? '')) continue;
      const bytes = new Uint8Array(await readFile(join(dir, caseId, file)));
      totals.documents++;
      const { fileKind, pages } = await extractDocumentText(bytes, { ocr, pdf, image });
      const analysis = analyseByRules(pages, { asOf: labels.asOf });
      if (!analysis.mrz) continue;
      totals.withMrz++;
      const before = unverifiedMrzFields(analysis.mrz);
      if (before.length === 0) continue;
      totals.unverified++;
      const blobs = new Map<string, unknown>([['text/doc.json', { fileKind, pages }]]);
      const store = {
        getDocument: async () => bytes,
        getJson: async <T>(key: string) => {
          if (!blobs.has(key)) throw new Error(`no ${key}`);
          return structuredClone(blobs.get(key)) as T;
        },
        putJson: async (key: string, value: unknown) => void blobs.set(key, structuredClone(value)),
      };
      const doc = { id: `${caseId}-${file}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-'), fileName: file, size: bytes.length };
      let mrz: MrzSummary = analysis.mrz;
      const taken: TakenStep[] = [];
      const timings: number[] = [];
      const disagreements: string[] = [];
      for (let step = nextReadingStep({ unverified: before, stepsTaken: taken, budget: { maxSteps } }); step; step = nextReadingStep({ unverified: unverifiedMrzFields(mrz), stepsTaken: taken, budget: { maxSteps } })) {
        const started = performance.now();
        const result = await corroborateDocumentMrz({ doc, textKey: 'text/doc.json', asOf: labels.asOf, step, stepNumber: taken.length + 1, mrz }, { store, ocr, pdf, image });
        timings.push(performance.now() - started);
        if (result.outcome === 'disagreed') {
          // What the disagreeing band reading says, against the label (the engine keeps the value unverified).
          const stored = blobs.get(stepKeyFor(doc.id, taken.length + 1, step.id)) as StoredCorroborationStep | undefined;
          const other = stored?.independent?.lines ? readMrz(stored.independent.lines.join('\n'), { asOf: labels.asOf }) : undefined;
          const says = before.filter((f) => f in (truth?.fields ?? {})).map((f) => `${f}:${other?.fields[f as keyof typeof other.fields] === truth?.fields[f as keyof Fields] ? 'right' : 'wrong'}/${other?.summary.fieldStatus?.[f as keyof NonNullable<MrzSummary['fieldStatus']>] ?? '-'}`);
          disagreements.push(says.join(' '));
        }
        mrz = result.mrz;
        taken.push({ id: step.id, tool: step.tool, outcome: result.outcome });
      }
      const corroborated = before.filter((f) => mrz.fieldStatus?.[f as keyof NonNullable<MrzSummary['fieldStatus']>] === 'corroborated');
      const wrong = corroborated.filter((f) => f in (truth?.fields ?? {}) && analysis.fields[f as keyof Fields] !== truth?.fields[f as keyof Fields]);
      totals.corroborated += corroborated.length;
      totals.wrongCorroborated += wrong.length;
      totals.steps += taken.length;
      totals.stepMs += timings.reduce((a, b) => a + b, 0);
      if (unverifiedMrzFields(mrz).length > 0) totals.stillUnverified++;
      // Is the unverified value itself right? (The engine cannot know; the label does.)
      const rightBefore = before.map((f) => `${f}:${f in (truth?.fields ?? {}) ? (analysis.fields[f as keyof Fields] === truth?.fields[f as keyof Fields] ? 'right' : 'WRONG') : 'n/a'}`);
      rows.push(
        `${caseId}/${file.replace(/\d/g, '#')} ${truth?.type ?? '?'} unverified [${rightBefore.join(' ')}] → ${taken.map((t, i) => `${t.id}=${t.outcome} ${Math.round(timings[i]!)}ms`).join(', ') || 'no step'}; corroborated [${corroborated.join(' ')}]${disagreements.length ? ` disagreeing reading [${disagreements.join('; ')}]` : ''}${wrong.length ? ` WRONG [${wrong.join(' ')}]` : ''}`,
      );
    }
  }
} finally {
  await ocr.terminate();
}
console.log(rows.join('\n'));
console.log(JSON.stringify({ maxSteps, ...totals, meanStepMs: totals.steps ? Math.round(totals.stepMs / totals.steps) : 0 }));
