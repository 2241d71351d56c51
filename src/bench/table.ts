/** The benchmark's one table: goals, verdicts and a Markdown-compatible layout. Pure. */

export type Verdict = 'PASS' | 'BELOW' | 'info';

export interface BenchRow {
  metric: string;
  engine: string;
  reference: string;
  /** engine ÷ reference, formatted ("0.84×"), or a difference ("+0.3 pp"). */
  ratio: string;
  goal: string;
  verdict: Verdict;
  note: string;
}

export const COLUMNS: ReadonlyArray<{ key: keyof BenchRow; title: string; align: 'left' | 'right' }> = [
  { key: 'metric', title: 'metric', align: 'left' },
  { key: 'engine', title: 'engine', align: 'right' },
  { key: 'reference', title: 'reference', align: 'right' },
  { key: 'ratio', title: 'ratio', align: 'right' },
  { key: 'goal', title: 'goal', align: 'left' },
  { key: 'verdict', title: 'verdict', align: 'left' },
  { key: 'note', title: 'measured how', align: 'left' },
];

/** A number with `digits` decimals, or an em dash when it was not measured. */
export function fmt(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export function fmtPercent(share: number | undefined, digits = 1): string {
  return share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)} %`;
}

export function fmtRatio(ratio: number | undefined): string {
  return ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(2)}×`;
}

export function fmtMiB(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? '—' : `${Math.round(bytes / 2 ** 20)} MiB`;
}

/** PASS when the condition holds, BELOW when it does not, info when nothing was measured. */
export function verdict(isMet: boolean | undefined): Verdict {
  return isMet === undefined ? 'info' : isMet ? 'PASS' : 'BELOW';
}

/** engine ÷ reference for a "higher is better" rate, with its verdict against `minRatio`. */
export function rateComparison(engine: number, reference: number, minRatio: number): { ratio: number; verdict: Verdict } {
  const ratio = reference > 0 ? engine / reference : Number.NaN;
  return { ratio, verdict: verdict(Number.isFinite(ratio) ? ratio >= minRatio : undefined) };
}

/** A difference of two shares in percentage points, signed: "+0.30 pp", "-1.20 pp". */
export function fmtPointDifference(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '—';
  const pp = (a - b) * 100;
  return `${pp >= 0 ? '+' : '−'}${Math.abs(pp).toFixed(2)} pp`;
}

/** A Markdown table (pipes, aligned columns) that reads as well in a terminal as in the README. */
export function formatTable(rows: readonly BenchRow[]): string {
  const widths = COLUMNS.map((c) => Math.max(c.title.length, 3, ...rows.map((r) => r[c.key].length)));
  const cell = (text: string, i: number): string => {
    const column = COLUMNS[i]!;
    return column.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  };
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${COLUMNS.map((c, i) => (c.align === 'right' ? `${'-'.repeat(widths[i]! + 1)}:` : `:${'-'.repeat(widths[i]! + 1)}`)).join('|')}|`;
  return [line(COLUMNS.map((c) => c.title)), rule, ...rows.map((r) => line(COLUMNS.map((c) => r[c.key])))].join('\n') + '\n';
}
