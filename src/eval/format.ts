/** Plain-text, aligned tables of an evaluation score, for a terminal. */
import type { ConfusionMatrix, EvalScore, GoalResult, Goals, Predicted, Ratio } from './score.js';
import { DECISIONS, MISSING } from './score.js';

export interface FormatOptions {
  /** Mistakes listed per kind (type, field, decision); default 10, 0 hides them. */
  maxMistakes?: number;
}

type Align = 'left' | 'right';

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned unless told. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const side = align?.[i] ?? (i === 0 ? 'left' : 'right');
        return side === 'left' ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0);
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatPercent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function formatRatio(ratio: Ratio): string {
  return `${ratio.correct}/${ratio.total} = ${formatPercent(ratio.accuracy)}`;
}

const TYPE_COLUMNS: Partial<Record<string, string>> = {
  passport: 'pass',
  id_card: 'id',
  driving_licence: 'licence',
  utility_bill: 'bill',
  bank_statement: 'bank',
  payslip: 'payslip',
  company_registration: 'company',
  visa: 'visa',
  unknown: 'unknown',
  missing: 'missing',
};

function formatMatrix<T extends string>(
  matrix: ConfusionMatrix<T>,
  labels: readonly T[],
  columnName: (label: Predicted<T>) => string = (label) => label,
): string {
  const columns = [...labels, MISSING] as Predicted<T>[];
  const rows = labels.map((expected) => [
    expected,
    ...columns.map((predicted) => {
      const count = matrix[expected][predicted] ?? 0;
      return count === 0 && predicted !== expected ? '.' : String(count);
    }),
  ]);
  return formatTable(['expected \\ predicted', ...columns.map(columnName)], rows);
}

function formatCoverage(score: EvalScore): string {
  const { cases, documents } = score;
  const extra = (n: number): string => (n > 0 ? `, ${n} unlabelled ignored` : '');
  return [
    `Cases:     ${cases.reported}/${cases.labelled} reported${cases.missing > 0 ? ` (${cases.missing} missing, counted wrong)` : ''}${extra(cases.unlabelled)}`,
    `Documents: ${documents.reported}/${documents.labelled} reported${documents.missing > 0 ? ` (${documents.missing} missing, counted wrong)` : ''}${extra(documents.unlabelled)}`,
  ].join('\n');
}

function formatFields(score: EvalScore): string {
  const rows = score.fields.byField.map((f) => [f.field, String(f.total), String(f.correct), String(f.wrong), String(f.missing), formatPercent(f.accuracy)]);
  return formatTable(['field', 'labelled', 'correct', 'wrong', 'missing', 'accuracy'], rows);
}

/** First of all: cases approved although the truth is review or reject, with what the engine saw and let pass. */
export function formatFalseApprovals(score: EvalScore, max = 20): string {
  const list = score.falseApprovals;
  const head = `FALSE APPROVALS: ${list.length} (approved where the truth is review or reject)`;
  if (list.length === 0) return head;
  const lines = list.slice(0, max).map((f) => {
    const seen = f.notPassed.length > 0 ? `; checks not passed: ${f.notPassed.join(', ')}` : '; every check passed';
    return `  ${f.caseId}: truth ${f.expected} [${f.expectedReasons.join(', ')}]${seen}`;
  });
  if (list.length > max) lines.push(`  … and ${list.length - max} more (see score.json)`);
  return [head, ...lines].join('\n');
}

function formatMrz(score: EvalScore): string {
  const m = score.mrz;
  if (m.passVerdicts === 0 && m.wrongDigitDocuments === 0) return '';
  const lines = [
    `MRZ honesty: ${m.passWithWrongNumber} of ${m.passVerdicts} \`mrz_checksum: pass\` verdicts carry a wrong document number` +
      (m.wrongDigitDocuments > 0 ? `; wrong printed check digits failed: ${m.wrongDigitFailed}/${m.wrongDigitDocuments}` : ''),
    ...m.wrongNumbers.slice(0, 10).map((w) => `  pass with wrong number: ${w.caseId}/${w.file}`),
    ...m.wrongDigitMissed.slice(0, 10).map((w) => `  wrong check digit not failed: ${w.caseId}/${w.file} (${w.status})`),
  ];
  return lines.join('\n');
}

function formatReasons(score: EvalScore): string {
  const rows = score.reasons
    .filter((r) => r.expected > 0 || r.predicted > 0)
    .map((r) => [r.code, String(r.expected), String(r.predicted), String(r.truePositives), formatPercent(r.recall), formatPercent(r.precision)]);
  if (rows.length === 0) return '(no reasons expected or given)';
  return formatTable(['reason', 'expected', 'given', 'both', 'recall', 'precision'], rows);
}

function formatMistakes(score: EvalScore, max: number): string {
  const { types, fields, decisions } = score.mistakes;
  const more = (n: number): string[] => (n > max ? [`  … and ${n - max} more (see score.json)`] : []);
  const lines: string[] = [];
  if (types.length > 0) {
    lines.push(`Type mistakes (${types.length}):`, ...types.slice(0, max).map((m) => `  ${m.caseId}/${m.file}: ${m.expected} → ${m.predicted}`), ...more(types.length));
  }
  if (fields.length > 0) {
    lines.push(
      `Field mistakes (${fields.length}):`,
      ...fields.slice(0, max).map((m) => `  ${m.caseId}/${m.file} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${m.actual === undefined ? 'nothing' : JSON.stringify(m.actual)}`),
      ...more(fields.length),
    );
  }
  if (decisions.length > 0) {
    const reasons = (list: string[]): string => (list.length > 0 ? ` [${list.join(', ')}]` : '');
    lines.push(
      `Decision mistakes (${decisions.length}):`,
      ...decisions.slice(0, max).map((m) => `  ${m.caseId}: ${m.expected}${reasons(m.expectedReasons)} → ${m.predicted}${reasons(m.reasons)}`),
      ...more(decisions.length),
    );
  }
  return lines.join('\n');
}

const GOAL_NAMES: Record<keyof Goals, string> = { documentType: 'document type', fields: 'fields', decisions: 'decisions', reasonsPrecision: "reasons' precision" };

/** One line per goal: `document type  ≥ 98%   97.9%  BELOW`. */
export function formatGoals(goals: readonly GoalResult[], falseApprovals?: number): string {
  const rows = goals.map((g) => [GOAL_NAMES[g.name], `≥ ${Math.round(g.target * 1000) / 10}%`, formatPercent(g.accuracy), g.isMet ? 'PASS' : 'BELOW']);
  if (falseApprovals !== undefined) rows.unshift(['false approvals', '= 0', String(falseApprovals), falseApprovals === 0 ? 'PASS' : 'BELOW']);
  return formatTable(['goal', 'target', 'measured', 'result'], rows, ['left', 'right', 'right', 'left']);
}

export function formatScore(score: EvalScore, options: FormatOptions = {}): string {
  const maxMistakes = options.maxMistakes ?? 10;
  const r = score.reasonsOverall;
  const sections = [
    `KYC evaluation${score.corpus ? ` — corpus ${score.corpus}` : ''} (seed ${score.seed}, as of ${score.asOf})`,
    formatFalseApprovals(score),
    formatCoverage(score),
    `Decisions: ${formatRatio(score.decision)}\n${formatMatrix(score.decision.matrix, DECISIONS)}`,
    `Document type: ${formatRatio(score.documentType)}\n${formatMatrix(score.documentType.matrix, score.documentType.types, (t) => TYPE_COLUMNS[t] ?? t)}`,
    `Fields: ${formatRatio(score.fields.overall)}\n${formatFields(score)}`,
    `Reasons: precision ${formatPercent(r.precision)} (${r.truePositives}/${r.predicted} given were expected), recall ${formatPercent(r.recall)} (${r.truePositives}/${r.expected} expected were given)\n${formatReasons(score)}`,
    formatMrz(score),
    maxMistakes > 0 ? formatMistakes(score, maxMistakes) : '',
    `Goals\n${formatGoals(score.goals, score.falseApprovals.length)}`,
  ];
  return `${sections.filter((s) => s.length > 0).join('\n\n')}\n`;
}
