/**
 * Accuracy on the bank's own corrected cases. Every reviewer correction exported by
 * `kyc export-corrections` (JSONL: a `CorrectionRecord` plus the document's text, page by page) is a
 * labelled example: the eval script analyses the stored text again, with the model under test or with
 * rules alone, and this module scores whether the analysed value of the corrected field now equals
 * the reviewer's value, compared the way the corpus eval compares fields (`fieldValuesMatch`).
 * Pure: parsing, selection, scoring and the table; no I/O, no model.
 *
 * The output names fields, counts and correction ids only: correction values are applicant data.
 */
import { z } from 'zod';

import type { DocumentAnalysis, FieldName, ModelUse } from '../domain/documents.js';
import { FIELD_NAMES } from '../domain/documents.js';
import { formatPercent, formatTable } from './format.js';
import type { Ratio } from './score.js';
import { fieldValuesMatch } from './score.js';

/** The parts of an exported line the scoring reads; other keys are kept and ignored. */
export const CorrectionExampleSchema = z.looseObject({
  correctionId: z.string().min(1),
  caseId: z.string(),
  documentId: z.string().min(1),
  file: z.string(),
  documentType: z.string(),
  field: z.enum(FIELD_NAMES),
  /** The engine's value before the correction; absent when it had none. */
  extracted: z.string().optional(),
  corrected: z.string(),
  /** ISO time of the correction; its date is the default as-of date of the re-analysis. */
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'an ISO date-time'),
  model: z.object({ file: z.string(), sha256: z.string(), promptVersion: z.string() }).optional(),
  /** The document's extracted text, one string per page; absent when no longer stored. */
  text: z.array(z.string()).optional(),
});

export type CorrectionExample = z.infer<typeof CorrectionExampleSchema>;

/** One example per non-empty line; throws naming the first bad line. */
export function parseCorrectionExamples(jsonl: string): CorrectionExample[] {
  const examples: CorrectionExample[] = [];
  jsonl.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${index + 1}: not JSON (${(err as Error).message})`);
    }
    const parsed = CorrectionExampleSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`);
      throw new Error(`line ${index + 1}: not a correction example (${problems.join('; ')})`);
    }
    examples.push(parsed.data);
  });
  return examples;
}

export interface CorrectionPlan {
  /** Lines in the export. */
  examples: number;
  /** No stored text to analyse (the document's text was deleted, or never stored). */
  withoutText: number;
  /** An earlier correction of the same document field; the latest one is the label. */
  superseded: number;
  /** The examples to analyse and score, in export order. */
  toScore: CorrectionExample[];
}

const hasText = (e: CorrectionExample): boolean => (e.text ?? []).some((page) => page.trim() !== '');

/**
 * Which examples count: those with text, and of several corrections of one document field only the
 * latest (by `at`, then correction id), since a later correction overrides an earlier one.
 */
export function planCorrections(examples: readonly CorrectionExample[]): CorrectionPlan {
  const withText = examples.filter(hasText);
  const latest = new Map<string, CorrectionExample>();
  for (const e of withText) {
    const key = `${e.documentId}\0${e.field}`;
    const seen = latest.get(key);
    if (!seen || e.at > seen.at || (e.at === seen.at && e.correctionId > seen.correctionId)) latest.set(key, e);
  }
  const kept = new Set(latest.values());
  return {
    examples: examples.length,
    withoutText: examples.length - withText.length,
    superseded: withText.length - kept.size,
    toScore: withText.filter((e) => kept.has(e)),
  };
}

/** The example's text as the analysis takes it: 1-based pages. */
export function pagesOf(example: CorrectionExample): { page: number; text: string }[] {
  return (example.text ?? []).map((text, i) => ({ page: i + 1, text }));
}

/** The date the analysis runs as of: the one asked for, else the day of the correction. */
export function asOfFor(example: CorrectionExample, asOf?: string): string {
  return asOf ?? example.at.slice(0, 10);
}

export interface AnalysedCorrection {
  example: CorrectionExample;
  analysis: Pick<DocumentAnalysis, 'type' | 'fields' | 'model'>;
}

export interface CorrectionFieldScore extends Ratio {
  field: FieldName;
  /** The analysis gave a different value. */
  wrong: number;
  /** The analysis gave no value. */
  missing: number;
  /** Sanity: the engine's original value already matched the correction (a correction of form only). */
  wasEqual: number;
}

export interface CorrectionMistake {
  correctionId: string;
  field: FieldName;
  recordedType: string;
  analysedType: string;
  /** No value, or a different one; the values themselves are not kept (applicant data). */
  kind: 'missing' | 'wrong';
}

export interface CorrectionsScore {
  plan: Omit<CorrectionPlan, 'toScore'> & { scored: number };
  /** Analysed value equals the corrected value. */
  overall: Ratio;
  /** Sanity: the originally extracted value equals the corrected value. */
  original: Ratio;
  byField: CorrectionFieldScore[];
  /** The analysis found the document type the case recorded. */
  sameType: Ratio;
  /** Scored corrections whose analysis the model contributed to (type or a field). */
  modelUsed: number;
  /** Models recorded on the corrected documents (`file sha256 promptVersion` → examples); `none` for rules. */
  recordedModels: Record<string, number>;
  mistakes: CorrectionMistake[];
}

function ratioOf(correct: number, total: number): Ratio {
  return { correct, total, accuracy: total === 0 ? null : correct / total };
}

export function describeModel(model: ModelUse | undefined): string {
  return model ? `${model.file} sha256 ${model.sha256} prompts ${model.promptVersion}` : 'none';
}

export function scoreCorrections(plan: CorrectionPlan, analysed: readonly AnalysedCorrection[]): CorrectionsScore {
  const tallies = new Map<FieldName, { correct: number; wrong: number; missing: number; wasEqual: number }>();
  const mistakes: CorrectionMistake[] = [];
  const recordedModels: Record<string, number> = {};
  let sameType = 0;
  let modelUsed = 0;
  for (const { example, analysis } of analysed) {
    const tally = tallies.get(example.field) ?? { correct: 0, wrong: 0, missing: 0, wasEqual: 0 };
    tallies.set(example.field, tally);
    const value = analysis.fields[example.field];
    if (fieldValuesMatch(example.field, example.corrected, example.extracted)) tally.wasEqual += 1;
    if (analysis.type === example.documentType) sameType += 1;
    if (analysis.model) modelUsed += 1;
    const recorded = describeModel(example.model);
    recordedModels[recorded] = (recordedModels[recorded] ?? 0) + 1;
    if (fieldValuesMatch(example.field, example.corrected, value)) {
      tally.correct += 1;
      continue;
    }
    const kind = value === undefined || value.trim() === '' ? 'missing' : 'wrong';
    tally[kind] += 1;
    mistakes.push({ correctionId: example.correctionId, field: example.field, recordedType: example.documentType, analysedType: analysis.type, kind });
  }
  const byField = FIELD_NAMES.filter((f) => tallies.has(f)).map((field): CorrectionFieldScore => {
    const t = tallies.get(field)!;
    return { field, ...ratioOf(t.correct, t.correct + t.wrong + t.missing), wrong: t.wrong, missing: t.missing, wasEqual: t.wasEqual };
  });
  const sum = (pick: (f: CorrectionFieldScore) => number): number => byField.reduce((n, f) => n + pick(f), 0);
  return {
    plan: { examples: plan.examples, withoutText: plan.withoutText, superseded: plan.superseded, scored: analysed.length },
    overall: ratioOf(sum((f) => f.correct), analysed.length),
    original: ratioOf(sum((f) => f.wasEqual), analysed.length),
    byField,
    sameType: ratioOf(sameType, analysed.length),
    modelUsed,
    recordedModels,
    mistakes,
  };
}

export interface CorrectionsRun {
  /** The model the analysis ran with (its file, sha256 and the prompt version); undefined → rules alone. */
  model: ModelUse | undefined;
  /** The as-of date asked for; undefined → each correction's own date. */
  asOf?: string;
}

export function formatCorrectionsScore(score: CorrectionsScore, run: CorrectionsRun, options: { maxMistakes?: number } = {}): string {
  const { plan } = score;
  const maxMistakes = options.maxMistakes ?? 10;
  const skipped = [
    plan.withoutText > 0 ? `${plan.withoutText} without text` : '',
    plan.superseded > 0 ? `${plan.superseded} superseded by a later correction of the same field` : '',
  ].filter((s) => s.length > 0);
  const rows = score.byField.map((f) => [
    f.field,
    String(f.total),
    String(f.correct),
    String(f.wrong),
    String(f.missing),
    formatPercent(f.accuracy),
    String(f.wasEqual),
  ]);
  const totalRow = ['all', String(score.overall.total), String(score.overall.correct), String(score.mistakes.filter((m) => m.kind === 'wrong').length), String(score.mistakes.filter((m) => m.kind === 'missing').length), formatPercent(score.overall.accuracy), String(score.original.correct)];
  const recorded = Object.entries(score.recordedModels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, n]) => `  ${model}: ${n}`);
  const more = score.mistakes.length > maxMistakes ? [`  … and ${score.mistakes.length - maxMistakes} more`] : [];
  const sections = [
    `KYC evaluation on reviewers' corrections (as of ${run.asOf ?? 'each correction\'s date'})`,
    [
      `Model:       ${run.model ? describeModel(run.model) : 'none (rules only)'}`,
      `Examples:    ${plan.examples} read, ${plan.scored} scored${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}`,
      `Accuracy:    ${score.overall.correct}/${score.overall.total} = ${formatPercent(score.overall.accuracy)} now equal to the corrected value`,
      `Sanity:      ${score.original.correct}/${score.original.total} = ${formatPercent(score.original.accuracy)} were already equal before the correction (corrections of form only)`,
      `Same type:   ${score.sameType.correct}/${score.sameType.total} analysed as the type the case recorded`,
      `Model used:  for ${score.modelUsed} of ${plan.scored} corrections`,
    ].join('\n'),
    rows.length > 0 ? formatTable(['field', 'corrections', 'correct', 'wrong', 'missing', 'accuracy', 'was equal'], [...rows, totalRow]) : '(nothing to score)',
    recorded.length > 0 ? `Model on record when corrected:\n${recorded.join('\n')}` : '',
    maxMistakes > 0 && score.mistakes.length > 0
      ? [
          `Still wrong (${score.mistakes.length}; values not shown):`,
          ...score.mistakes.slice(0, maxMistakes).map((m) => `  ${m.correctionId} ${m.field}: ${m.kind}${m.analysedType === m.recordedType ? '' : ` (analysed as ${m.analysedType}, recorded ${m.recordedType})`}`),
          ...more,
        ].join('\n')
      : '',
  ];
  return `${sections.filter((s) => s.length > 0).join('\n\n')}\n`;
}
