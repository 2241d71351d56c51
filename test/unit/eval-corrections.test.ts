import { describe, expect, test } from 'vitest';
import { analyseByRules } from '../../src/domain/analysis.js';
import type { DocumentAnalysis } from '../../src/domain/documents.js';
import {
  asOfFor,
  formatCorrectionsScore,
  pagesOf,
  parseCorrectionExamples,
  planCorrections,
  scoreCorrections,
  type AnalysedCorrection,
  type CorrectionExample,
} from '../../src/eval/corrections.js';

const BILL = 'Northern Power Ltd\nElectricity bill\nBill date: 03/10/2026\nAccount number: 99120044\nAlice Martin\n12 High Street\nLondon SW1A 1AA\nAmount due: GBP 54.20';
const MODEL = { file: 'gemma-3-270m-q4_k_m.gguf', sha256: 'ab'.repeat(32), promptVersion: 'kyc-prompts-test' };

function example(overrides: Partial<CorrectionExample> = {}): CorrectionExample {
  return {
    correctionId: 'kyc-case-b-1-c1:1:doc-1:fullName:3',
    caseId: 'c1',
    batchId: 'b-1',
    documentId: 'doc-1',
    file: 'bill.pdf',
    documentType: 'utility_bill',
    textKey: 'text/doc-1.json',
    field: 'fullName',
    extracted: 'Alice Marti',
    corrected: 'Alice Martin',
    reviewer: 'anna',
    reviewerKeyId: 'k-anna',
    at: '2026-11-02T10:00:00.000Z',
    text: [BILL],
    ...overrides,
  };
}

function analysis(fields: DocumentAnalysis['fields'], overrides: Partial<DocumentAnalysis> = {}): AnalysedCorrection['analysis'] {
  return { type: 'utility_bill', fields, ...overrides };
}

const jsonl = (examples: unknown[]): string => examples.map((e) => JSON.stringify(e)).join('\n');

describe('parseCorrectionExamples', () => {
  test('when the export holds lines and blank lines, then each line is one example with its text', () => {
    const examples = parseCorrectionExamples(`${jsonl([example(), example({ correctionId: 'x', text: undefined })])}\n\n`);
    expect(examples).toHaveLength(2);
    expect(examples[0]).toMatchObject({ field: 'fullName', corrected: 'Alice Martin', text: [BILL], reviewer: 'anna' });
    expect(examples[1]!.text).toBeUndefined();
  });

  test('when a line is not JSON, then the error names the line', () => {
    expect(() => parseCorrectionExamples(`${jsonl([example()])}\n{oops`)).toThrow(/line 2: not JSON/);
  });

  test('when a line names an unknown field, then the error names the line and the field', () => {
    expect(() => parseCorrectionExamples(jsonl([{ ...example(), field: 'shoeSize' }]))).toThrow(/line 1: .*field/);
  });

  test('when a line lacks the corrected value, then it is refused', () => {
    const { corrected: _c, ...incomplete } = example();
    expect(() => parseCorrectionExamples(jsonl([incomplete]))).toThrow(/corrected/);
  });
});

describe('planCorrections', () => {
  test('when an example has no text or only blank pages, then it is counted as skipped, not scored', () => {
    const plan = planCorrections([example(), example({ correctionId: 'b', documentId: 'doc-2', text: undefined }), example({ correctionId: 'c', documentId: 'doc-3', text: [' ', ''] })]);
    expect(plan).toMatchObject({ examples: 3, withoutText: 2, superseded: 0 });
    expect(plan.toScore.map((e) => e.correctionId)).toEqual([example().correctionId]);
  });

  test('when one document field was corrected twice, then only the later correction is the label', () => {
    const first = example({ correctionId: 'a:3', corrected: 'Alicia Martin', at: '2026-11-02T10:00:00.000Z' });
    const second = example({ correctionId: 'a:5', corrected: 'Alice Martin', at: '2026-11-02T10:05:00.000Z' });
    const otherField = example({ correctionId: 'a:5:address', field: 'address', corrected: '12 High Street, London SW1A 1AA', at: '2026-11-02T10:05:00.000Z' });
    const plan = planCorrections([second, first, otherField]);
    expect(plan.superseded).toBe(1);
    expect(plan.toScore.map((e) => e.correctionId)).toEqual(['a:5', 'a:5:address']);
  });

  test('when two corrections of one field share a time, then the higher correction id wins', () => {
    const plan = planCorrections([example({ correctionId: 't:7' }), example({ correctionId: 't:6' })]);
    expect(plan.toScore.map((e) => e.correctionId)).toEqual(['t:7']);
  });
});

describe('pagesOf and asOfFor', () => {
  test('when an example has pages of text, then they are numbered from 1 for the analysis', () => {
    expect(pagesOf(example({ text: ['one', 'two'] }))).toEqual([{ page: 1, text: 'one' }, { page: 2, text: 'two' }]);
  });

  test('when no as-of date is asked for, then the analysis runs as of the day of the correction', () => {
    expect(asOfFor(example())).toBe('2026-11-02');
    expect(asOfFor(example(), '2026-10-15')).toBe('2026-10-15');
  });
});

describe('scoreCorrections', () => {
  test('when the analysis now finds the corrected value, then it counts as correct, compared as the corpus eval compares fields', () => {
    const e = example({ corrected: 'alice  MARTIN' }); // names compare normalised
    const score = scoreCorrections(planCorrections([e]), [{ example: e, analysis: analysis({ fullName: 'Alice Martin' }) }]);
    expect(score.overall).toEqual({ correct: 1, total: 1, accuracy: 1 });
    expect(score.byField).toEqual([{ field: 'fullName', correct: 1, total: 1, accuracy: 1, wrong: 0, missing: 0, wasEqual: 0 }]);
    expect(score.mistakes).toEqual([]);
  });

  test('when the analysis gives another value or none, then it is wrong or missing, and listed without the values', () => {
    const wrong = example({ correctionId: 'w' });
    const missing = example({ correctionId: 'm', documentId: 'doc-2', field: 'address', corrected: '12 High Street, London SW1A 1AA' });
    const score = scoreCorrections(planCorrections([wrong, missing]), [
      { example: wrong, analysis: analysis({ fullName: 'Alicia Martin' }) },
      { example: missing, analysis: analysis({ fullName: 'Alice Martin' }, { type: 'bank_statement' }) },
    ]);
    expect(score.overall).toEqual({ correct: 0, total: 2, accuracy: 0 });
    expect(score.byField.map((f) => [f.field, f.wrong, f.missing])).toEqual([
      ['fullName', 1, 0],
      ['address', 0, 1],
    ]);
    expect(score.mistakes).toEqual([
      { correctionId: 'w', field: 'fullName', recordedType: 'utility_bill', analysedType: 'utility_bill', kind: 'wrong' },
      { correctionId: 'm', field: 'address', recordedType: 'utility_bill', analysedType: 'bank_statement', kind: 'missing' },
    ]);
    expect(score.sameType).toEqual({ correct: 1, total: 2, accuracy: 0.5 });
    expect(JSON.stringify(score)).not.toContain('Alicia');
  });

  test('when the original value already equalled the correction, then the sanity count shows it', () => {
    const formOnly = example({ correctionId: 'f', field: 'iban', extracted: 'IE29AIBK93115212345678', corrected: 'IE29 AIBK 9311 5212 3456 78' });
    const fixed = example({ correctionId: 'x', documentId: 'doc-2' });
    const noOriginal = example({ correctionId: 'n', documentId: 'doc-3', extracted: undefined });
    const score = scoreCorrections(planCorrections([formOnly, fixed, noOriginal]), [
      { example: formOnly, analysis: analysis({ iban: 'IE29AIBK93115212345678' }) },
      { example: fixed, analysis: analysis({ fullName: 'Alice Martin' }) },
      { example: noOriginal, analysis: analysis({}) },
    ]);
    expect(score.original).toEqual({ correct: 1, total: 3, accuracy: 1 / 3 });
    expect(score.byField.find((f) => f.field === 'iban')?.wasEqual).toBe(1);
    expect(score.overall.correct).toBe(2);
  });

  test('when fields are scored, then they are listed in the field order of the engine and totals add up', () => {
    const examples = [
      example({ correctionId: '1', field: 'iban', corrected: 'DE89370400440532013000' }),
      example({ correctionId: '2', documentId: 'd2', field: 'surname', corrected: 'Müller' }),
      example({ correctionId: '3', documentId: 'd3', field: 'surname', corrected: 'Meyer' }),
    ];
    const score = scoreCorrections(
      planCorrections(examples),
      examples.map((e) => ({ example: e, analysis: analysis({ surname: 'MULLER', iban: 'DE89 3704 0044 0532 0130 00' }) })),
    );
    expect(score.byField.map((f) => [f.field, f.correct, f.total])).toEqual([
      ['surname', 1, 2],
      ['iban', 1, 1],
    ]);
    expect(score.overall).toEqual({ correct: 2, total: 3, accuracy: 2 / 3 });
  });

  test('when the model contributed to an analysis, then it is counted, and the models on record are tallied', () => {
    const a = example({ correctionId: 'a', model: MODEL });
    const b = example({ correctionId: 'b', documentId: 'doc-2' });
    const score = scoreCorrections(planCorrections([a, b]), [
      { example: a, analysis: analysis({ fullName: 'Alice Martin' }, { model: MODEL }) },
      { example: b, analysis: analysis({ fullName: 'Alice Martin' }) },
    ]);
    expect(score.modelUsed).toBe(1);
    expect(score.recordedModels).toEqual({ [`${MODEL.file} sha256 ${MODEL.sha256} prompts ${MODEL.promptVersion}`]: 1, none: 1 });
  });

  test('when nothing could be scored, then accuracies are n/a rather than 0', () => {
    const score = scoreCorrections(planCorrections([example({ text: undefined })]), []);
    expect(score.overall.accuracy).toBeNull();
    expect(score.plan).toEqual({ examples: 1, withoutText: 1, superseded: 0, scored: 0 });
    expect(formatCorrectionsScore(score, { model: undefined })).toContain('(nothing to score)');
  });

  test('when the stored text is analysed by rules, then the score says whether rules now find the corrected value', () => {
    const e = example();
    const plan = planCorrections([e]);
    const analysed = plan.toScore.map((x) => ({ example: x, analysis: analyseByRules(pagesOf(x), { asOf: asOfFor(x) }) }));
    expect(scoreCorrections(plan, analysed).overall.accuracy).toBe(1);
  });
});

describe('formatCorrectionsScore', () => {
  const examples = [
    example({ correctionId: 'old', corrected: 'Alicia Martin', at: '2026-11-01T00:00:00.000Z' }),
    example(),
    example({ correctionId: 'gone', documentId: 'doc-9', text: undefined }),
    example({ correctionId: 'addr', documentId: 'doc-2', field: 'address', extracted: undefined, corrected: '1 Other Road, Leeds LS1 1AA' }),
  ];
  const plan = planCorrections(examples);
  const score = scoreCorrections(
    plan,
    plan.toScore.map((e) => ({ example: e, analysis: analysis({ fullName: 'Alice Martin', address: '12 High Street, London SW1A 1AA' }, { model: MODEL }) })),
  );

  test('when printed, then it names the model file, its sha256 and the prompt version, and the counts', () => {
    const text = formatCorrectionsScore(score, { model: MODEL });
    expect(text).toContain(`Model:       ${MODEL.file} sha256 ${MODEL.sha256} prompts ${MODEL.promptVersion}`);
    expect(text).toContain('Examples:    4 read, 2 scored (1 without text, 1 superseded by a later correction of the same field)');
    expect(text).toContain('Accuracy:    1/2 = 50.0%');
    expect(text).toMatch(/fullName\s+1\s+1\s+0\s+0\s+100\.0%\s+0/);
    expect(text).toMatch(/address\s+1\s+0\s+1\s+0\s+0\.0%\s+0/);
    expect(text).toMatch(/all\s+2\s+1\s+1\s+0\s+50\.0%\s+0/);
    expect(text).toContain('addr address: wrong');
  });

  test('when printed, then no corrected or analysed value appears', () => {
    const text = formatCorrectionsScore(score, { model: MODEL });
    for (const value of ['Alice', 'Alicia', 'High Street', 'Other Road']) expect(text).not.toContain(value);
  });

  test('when run with rules alone and a fixed date, then the header says so', () => {
    const text = formatCorrectionsScore(score, { model: undefined, asOf: '2026-10-15' });
    expect(text).toContain('(as of 2026-10-15)');
    expect(text).toContain('Model:       none (rules only)');
  });
});
