/**
 * Measured accuracy: compares the engine's case reports with the corpus labels (labels.json).
 * Pure and deterministic: no I/O, so a stored run can be re-scored and the rules unit-tested.
 *
 * Documents are matched by case id + file name. A case or document the engine did not report counts
 * as wrong everywhere it is labelled (type, fields, decision, reasons), under the column `missing`.
 */
import anyAscii from 'any-ascii';

import type { CorpusLabels, DocumentLabel } from '../corpus/specs.js';
import { DECISION_REASONS } from '../corpus/specs.js';
import { addressTokens } from '../domain/address.js';
import type { FieldName } from '../domain/documents.js';
import { DOCUMENT_TYPES, FIELD_NAMES } from '../domain/documents.js';
import { normaliseName } from '../domain/names.js';
import type { BatchReport, CaseReport, Decision, DocumentReport } from '../domain/report.js';

export const DECISIONS = ['approved', 'rejected', 'review'] as const satisfies readonly Decision[];

/** The predicted column for a labelled case or document the engine did not report. */
export const MISSING = 'missing';
export type Predicted<T extends string> = T | typeof MISSING;

/** counts[expected][predicted]. */
export type ConfusionMatrix<T extends string> = Record<T, Record<Predicted<T>, number>>;

export interface Ratio {
  correct: number;
  total: number;
  /** correct / total, 0..1; null when nothing was counted. */
  accuracy: number | null;
}

export interface FieldScore extends Ratio {
  field: FieldName;
  /** Labelled, but the engine gave no value (or no report). */
  missing: number;
  /** Labelled, and the engine gave a different value. */
  wrong: number;
}

export interface ReasonScore {
  code: string;
  /** Cases labelled with the reason. */
  expected: number;
  /** Cases the engine gave the reason to. */
  predicted: number;
  truePositives: number;
  recall: number | null;
  precision: number | null;
}

export interface TypeMistake {
  caseId: string;
  file: string;
  expected: string;
  predicted: string;
}

export interface FieldMistake {
  caseId: string;
  file: string;
  field: FieldName;
  expected: string;
  /** Absent when the engine gave no value. */
  actual?: string;
}

export interface DecisionMistake {
  caseId: string;
  expected: Decision;
  predicted: Predicted<Decision>;
  expectedReasons: string[];
  reasons: string[];
}

export interface Goals {
  documentType: number;
  fields: number;
  decisions: number;
  /** Share of the reasons given that were expected (micro-averaged over reason codes). */
  reasonsPrecision: number;
}

export const GOALS: Goals = { documentType: 0.98, fields: 0.9, decisions: 0.95, reasonsPrecision: 0.85 };

/** A case the engine approved although the truth is review or reject: the worst mistake a KYC engine makes. */
export interface FalseApproval {
  caseId: string;
  expected: Decision;
  expectedReasons: string[];
  /** The engine's checks that did not pass (`id: status (file)`), i.e. what it saw and still approved. */
  notPassed: string[];
}

/** MRZ honesty: a `pass` must mean the value is right, and a wrong printed check digit must fail. */
export interface MrzHonesty {
  /** `mrz_checksum: pass` verdicts on documents whose label carries a document number. */
  passVerdicts: number;
  /** Of those, how many report a document number other than the printed one. */
  passWithWrongNumber: number;
  wrongNumbers: Array<{ caseId: string; file: string; expected: string; actual?: string }>;
  /** Documents labelled with a wrong printed check digit (flag `mrz_checksum`), and how many the engine failed. */
  wrongDigitDocuments: number;
  wrongDigitFailed: number;
  wrongDigitMissed: Array<{ caseId: string; file: string; status: string }>;
}

export interface GoalResult {
  name: keyof Goals;
  target: number;
  accuracy: number | null;
  isMet: boolean;
}

export interface Coverage {
  labelled: number;
  reported: number;
  /** Labelled but not reported. */
  missing: number;
  /** Reported but not labelled (ignored by every score). */
  unlabelled: number;
}

export interface EvalScore {
  /** Which corpus was scored (v1, v2, real-dev, real-test, or a directory name). */
  corpus?: string;
  asOf: string;
  seed: number;
  cases: Coverage;
  documents: Coverage;
  falseApprovals: FalseApproval[];
  /** Document types in matrix order: the engine's types, then any other labelled or reported type. */
  documentType: Ratio & { matrix: ConfusionMatrix<string>; types: string[] };
  fields: { overall: Ratio; byField: FieldScore[] };
  decision: Ratio & { matrix: ConfusionMatrix<Decision> };
  reasons: ReasonScore[];
  /** Over every reason code: expected, given and both, summed (micro average). */
  reasonsOverall: { expected: number; predicted: number; truePositives: number; recall: number | null; precision: number | null };
  mrz: MrzHonesty;
  mistakes: { types: TypeMistake[]; fields: FieldMistake[]; decisions: DecisionMistake[] };
  goals: GoalResult[];
}

export interface ScoreOptions {
  /** The corpus name printed above the figures. */
  corpus?: string;
  /** Targets for the goal lines; default GOALS. */
  goals?: Partial<Goals>;
  /** Score only these fields; default every labelled field. */
  fields?: readonly FieldName[];
}

// ---------------------------------------------------------------------------------------------
// Field normalisation

type Normaliser = (value: string) => string;

const trimmed: Normaliser = (value) => value.trim();
const compactUpper: Normaliser = (value) => value.replace(/\s+/g, '').toUpperCase();
const personName: Normaliser = (value) => normaliseName(value);
const sortedName: Normaliser = (value) => normaliseName(value).split(' ').sort().join(' ');
/** Address tokens (case, punctuation, accents, St/Street, country dropped) run together, so postcode spacing does not count. */
const address: Normaliser = (value) => addressTokens(value).join('');
const plainText: Normaliser = (value) => anyAscii(value).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** How each field is compared: dates and countries exactly, names and addresses normalised. */
const FIELD_NORMALISERS: Record<FieldName, Normaliser> = {
  surname: personName,
  givenNames: personName,
  fullName: sortedName,
  dateOfBirth: trimmed,
  documentNumber: compactUpper,
  nationality: trimmed,
  issuingCountry: trimmed,
  expiryDate: trimmed,
  address,
  issueDate: trimmed,
  statementDate: trimmed,
  iban: compactUpper,
  companyName: plainText,
  registrationNumber: compactUpper,
  incorporationDate: trimmed,
  registeredOffice: address,
  sex: compactUpper,
};

/** The comparable form of a field value. */
export function normaliseFieldValue(field: FieldName, value: string): string {
  return FIELD_NORMALISERS[field](value);
}

/** Whether the engine's value counts as the labelled one. */
export function fieldValuesMatch(field: FieldName, expected: string, actual: string | undefined): boolean {
  if (actual === undefined || actual.trim() === '') return false;
  return normaliseFieldValue(field, expected) === normaliseFieldValue(field, actual);
}

// ---------------------------------------------------------------------------------------------
// Counting helpers

function ratioOf(correct: number, total: number): Ratio {
  return { correct, total, accuracy: total === 0 ? null : correct / total };
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function emptyMatrix<T extends string>(labels: readonly T[]): ConfusionMatrix<T> {
  const matrix = {} as ConfusionMatrix<T>;
  for (const expected of labels) {
    const row = {} as Record<Predicted<T>, number>;
    for (const predicted of [...labels, MISSING] as Predicted<T>[]) row[predicted] = 0;
    matrix[expected] = row;
  }
  return matrix;
}

function countIn<T extends string>(matrix: ConfusionMatrix<T>, expected: T, predicted: Predicted<T>): void {
  const row = matrix[expected];
  row[predicted] = (row[predicted] ?? 0) + 1;
}

function diagonal<T extends string>(matrix: ConfusionMatrix<T>, labels: readonly T[]): number {
  return labels.reduce((sum, label) => sum + matrix[label][label], 0);
}

function rowTotal<T extends string>(matrix: ConfusionMatrix<T>, labels: readonly T[]): number {
  return labels.reduce((sum, label) => sum + Object.values<number>(matrix[label]).reduce((a, b) => a + b, 0), 0);
}

/** The engine's types, then labelled or reported types it does not list yet (e.g. `visa` before it existed). */
function typeList(docs: readonly DocumentPair[]): string[] {
  const known: readonly string[] = DOCUMENT_TYPES;
  const extra = new Set<string>();
  for (const { label, report } of docs) {
    if (!known.includes(label.type)) extra.add(label.type);
    if (report && !known.includes(report.type)) extra.add(report.type);
  }
  return [...known, ...[...extra].sort()];
}

function knownDecision(decision: string): Predicted<Decision> {
  return (DECISIONS as readonly string[]).includes(decision) ? (decision as Decision) : MISSING;
}

// ---------------------------------------------------------------------------------------------
// Scoring

interface DocumentPair {
  caseId: string;
  file: string;
  label: DocumentLabel;
  report: DocumentReport | undefined;
}

interface CasePair {
  caseId: string;
  label: CorpusLabels['cases'][string];
  report: CaseReport | undefined;
}

function pairCases(labels: CorpusLabels, reports: readonly CaseReport[]): { pairs: CasePair[]; unlabelled: number } {
  const byId = new Map(reports.map((report) => [report.caseId, report]));
  const pairs = Object.entries(labels.cases).map(([caseId, label]) => ({ caseId, label, report: byId.get(caseId) }));
  const unlabelled = [...byId.keys()].filter((caseId) => !(caseId in labels.cases)).length;
  return { pairs, unlabelled };
}

function pairDocuments(cases: readonly CasePair[]): { pairs: DocumentPair[]; unlabelled: number } {
  const pairs: DocumentPair[] = [];
  let unlabelled = 0;
  for (const { caseId, label, report } of cases) {
    const byFile = new Map((report?.documents ?? []).map((doc) => [doc.file, doc]));
    for (const [file, docLabel] of Object.entries(label.documents)) {
      pairs.push({ caseId, file, label: docLabel, report: byFile.get(file) });
    }
    unlabelled += [...byFile.keys()].filter((file) => !(file in label.documents)).length;
  }
  return { pairs, unlabelled };
}

function coverage(labelled: number, missing: number, unlabelled: number): Coverage {
  return { labelled, reported: labelled - missing, missing, unlabelled };
}

function scoreTypes(docs: readonly DocumentPair[]): { score: EvalScore['documentType']; mistakes: TypeMistake[] } {
  const types = typeList(docs);
  const matrix = emptyMatrix<string>(types);
  const mistakes: TypeMistake[] = [];
  for (const { caseId, file, label, report } of docs) {
    const predicted = report ? report.type : MISSING;
    countIn(matrix, label.type, predicted);
    if (predicted !== label.type) mistakes.push({ caseId, file, expected: label.type, predicted });
  }
  const score = { ...ratioOf(diagonal(matrix, types), rowTotal(matrix, types)), matrix, types };
  return { score, mistakes };
}

function labelledFields(label: DocumentLabel, only: readonly FieldName[] | undefined): Array<[FieldName, string]> {
  const entries = Object.entries(label.fields) as Array<[FieldName, string | undefined]>;
  return entries.filter((entry): entry is [FieldName, string] => entry[1] !== undefined && (!only || only.includes(entry[0])));
}

interface FieldTally {
  correct: number;
  missing: number;
  wrong: number;
}

function scoreFields(
  docs: readonly DocumentPair[],
  only: readonly FieldName[] | undefined,
): { score: EvalScore['fields']; mistakes: FieldMistake[] } {
  const tallies = new Map<FieldName, FieldTally>();
  const mistakes: FieldMistake[] = [];
  for (const { caseId, file, label, report } of docs) {
    for (const [field, expected] of labelledFields(label, only)) {
      const tally = tallies.get(field) ?? { correct: 0, missing: 0, wrong: 0 };
      tallies.set(field, tally);
      const actual = report?.fields[field];
      if (fieldValuesMatch(field, expected, actual)) {
        tally.correct += 1;
        continue;
      }
      const isMissing = actual === undefined || actual.trim() === '';
      if (isMissing) tally.missing += 1;
      else tally.wrong += 1;
      mistakes.push({ caseId, file, field, expected, ...(isMissing ? {} : { actual }) });
    }
  }
  const byField = FIELD_NAMES.filter((field) => tallies.has(field)).map((field) => fieldScore(field, tallies.get(field)!));
  const correct = byField.reduce((sum, f) => sum + f.correct, 0);
  const total = byField.reduce((sum, f) => sum + f.total, 0);
  return { score: { overall: ratioOf(correct, total), byField }, mistakes };
}

function fieldScore(field: FieldName, tally: FieldTally): FieldScore {
  const total = tally.correct + tally.missing + tally.wrong;
  return { field, ...ratioOf(tally.correct, total), missing: tally.missing, wrong: tally.wrong };
}

function scoreDecisions(cases: readonly CasePair[]): { score: EvalScore['decision']; mistakes: DecisionMistake[] } {
  const matrix = emptyMatrix(DECISIONS);
  const mistakes: DecisionMistake[] = [];
  for (const { caseId, label, report } of cases) {
    const predicted = report ? knownDecision(report.decision) : MISSING;
    countIn(matrix, label.decision, predicted);
    if (predicted !== label.decision) {
      mistakes.push({ caseId, expected: label.decision, predicted, expectedReasons: [...label.reasons], reasons: [...(report?.reasons ?? [])] });
    }
  }
  return { score: { ...ratioOf(diagonal(matrix, DECISIONS), rowTotal(matrix, DECISIONS)), matrix }, mistakes };
}

/** Reason codes in policy order, then any other code the engine gave, alphabetically. */
function reasonCodes(cases: readonly CasePair[]): string[] {
  const known: readonly string[] = DECISION_REASONS;
  const extra = new Set<string>();
  for (const { report } of cases) for (const code of report?.reasons ?? []) if (!known.includes(code)) extra.add(code);
  return [...known, ...[...extra].sort()];
}

function scoreReasons(cases: readonly CasePair[]): ReasonScore[] {
  return reasonCodes(cases).map((code) => {
    let expected = 0;
    let predicted = 0;
    let truePositives = 0;
    for (const { label, report } of cases) {
      const isExpected = (label.reasons as readonly string[]).includes(code);
      const isPredicted = report?.reasons.includes(code) ?? false;
      if (isExpected) expected += 1;
      if (isPredicted) predicted += 1;
      if (isExpected && isPredicted) truePositives += 1;
    }
    return { code, expected, predicted, truePositives, recall: share(truePositives, expected), precision: share(truePositives, predicted) };
  });
}

function reasonsOverall(reasons: readonly ReasonScore[]): EvalScore['reasonsOverall'] {
  const expected = reasons.reduce((sum, r) => sum + r.expected, 0);
  const predicted = reasons.reduce((sum, r) => sum + r.predicted, 0);
  const truePositives = reasons.reduce((sum, r) => sum + r.truePositives, 0);
  return { expected, predicted, truePositives, recall: share(truePositives, expected), precision: share(truePositives, predicted) };
}

/** Approved by the engine, review or reject in truth; with the checks the engine did not pass. */
function findFalseApprovals(cases: readonly CasePair[]): FalseApproval[] {
  return cases
    .filter(({ label, report }) => report?.decision === 'approved' && label.decision !== 'approved')
    .map(({ caseId, label, report }) => ({
      caseId,
      expected: label.decision,
      expectedReasons: [...label.reasons],
      notPassed: (report?.checks ?? []).filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status}${c.file ? ` (${c.file})` : ''}`),
    }));
}

function scoreMrz(docs: readonly DocumentPair[], cases: readonly CasePair[]): MrzHonesty {
  const checksOf = new Map(cases.map((c) => [c.caseId, c.report?.checks ?? []]));
  const honesty: MrzHonesty = { passVerdicts: 0, passWithWrongNumber: 0, wrongNumbers: [], wrongDigitDocuments: 0, wrongDigitFailed: 0, wrongDigitMissed: [] };
  for (const { caseId, file, label, report } of docs) {
    const verdict = checksOf.get(caseId)?.find((c) => c.id === 'mrz_checksum' && c.file === file);
    const expected = label.fields.documentNumber;
    if (verdict?.status === 'pass' && expected !== undefined) {
      honesty.passVerdicts += 1;
      const actual = report?.fields.documentNumber;
      if (!fieldValuesMatch('documentNumber', expected, actual)) {
        honesty.passWithWrongNumber += 1;
        honesty.wrongNumbers.push({ caseId, file, expected, ...(actual ? { actual } : {}) });
      }
    }
    if (label.flags?.includes('mrz_checksum')) {
      honesty.wrongDigitDocuments += 1;
      if (verdict?.status === 'fail') honesty.wrongDigitFailed += 1;
      else honesty.wrongDigitMissed.push({ caseId, file, status: verdict?.status ?? 'no verdict' });
    }
  }
  return honesty;
}

/** PASS/BELOW per goal; a goal with nothing counted is not met (reasons' precision: met when nothing was given). */
export function evaluateGoals(
  score: Pick<EvalScore, 'documentType' | 'fields' | 'decision'> & { reasonsOverall?: EvalScore['reasonsOverall'] },
  goals: Goals = GOALS,
): GoalResult[] {
  const overall = score.reasonsOverall;
  const accuracies: Record<keyof Goals, number | null> = {
    documentType: score.documentType.accuracy,
    fields: score.fields.overall.accuracy,
    decisions: score.decision.accuracy,
    reasonsPrecision: overall ? (overall.precision ?? (overall.predicted === 0 ? 1 : null)) : null,
  };
  return (Object.keys(goals) as Array<keyof Goals>).map((name) => {
    const accuracy = accuracies[name];
    return { name, target: goals[name], accuracy, isMet: accuracy !== null && accuracy >= goals[name] };
  });
}

/** Scores one engine run against the corpus labels. */
export function scoreRun(labels: CorpusLabels, reports: readonly CaseReport[], options: ScoreOptions = {}): EvalScore {
  const cases = pairCases(labels, reports);
  const docs = pairDocuments(cases.pairs);
  const types = scoreTypes(docs.pairs);
  const fields = scoreFields(docs.pairs, options.fields);
  const decisions = scoreDecisions(cases.pairs);
  const reasons = scoreReasons(cases.pairs);
  const partial = { documentType: types.score, fields: fields.score, decision: decisions.score, reasonsOverall: reasonsOverall(reasons) };
  return {
    ...(options.corpus ? { corpus: options.corpus } : {}),
    asOf: labels.asOf,
    seed: labels.seed,
    cases: coverage(cases.pairs.length, cases.pairs.filter((c) => !c.report).length, cases.unlabelled),
    documents: coverage(docs.pairs.length, docs.pairs.filter((d) => !d.report).length, docs.unlabelled),
    falseApprovals: findFalseApprovals(cases.pairs),
    ...partial,
    reasons,
    mrz: scoreMrz(docs.pairs, cases.pairs),
    mistakes: { types: types.mistakes, fields: fields.mistakes, decisions: decisions.mistakes },
    goals: evaluateGoals(partial, { ...GOALS, ...options.goals }),
  };
}

// ---------------------------------------------------------------------------------------------
// Engine output

function isCaseReportLike(value: unknown): value is CaseReport {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CaseReport>;
  return typeof v.caseId === 'string' && typeof v.decision === 'string' && Array.isArray(v.reasons) && Array.isArray(v.documents);
}

/**
 * The case reports in `kyc process --json` output (`{"batchId","cases":[…]}`) or a bare `CaseReport[]`.
 * Tolerates log lines around the JSON line. Throws when no report list can be found.
 */
export function parseReports(text: string): CaseReport[] {
  const candidates = [text, ...text.split('\n').reverse()].map((s) => s.trim()).filter((s) => s.startsWith('{') || s.startsWith('['));
  for (const candidate of candidates) {
    let json: unknown;
    try {
      json = JSON.parse(candidate);
    } catch {
      continue;
    }
    const list = Array.isArray(json) ? json : (json as Partial<BatchReport> | null)?.cases;
    if (Array.isArray(list) && list.every(isCaseReportLike)) return list;
  }
  throw new Error('no case reports found: expected {"batchId","cases":[...]} or a JSON array of case reports');
}
