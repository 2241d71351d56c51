import { describe, expect, it } from 'vitest';

import { fmt, fmtPercent, fmtPointDifference, fmtRatio, formatTable, rateComparison, type BenchRow } from '../../src/bench/table.js';

const row = (metric: string, engine: string): BenchRow => ({ metric, engine, reference: '2.00', ratio: '0.50×', goal: '≥ 0.80×', verdict: 'BELOW', note: 'n' });

describe('formatTable', () => {
  it('when rows differ in width, then columns line up and numbers are right-aligned (Markdown)', () => {
    const lines = formatTable([row('OCR pages/s', '1.00'), row('PDF', '100.00')]).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[1]).toMatch(/^\|:-+\|-+:\|/);
    expect(lines[2]).toContain('|   1.00 |');
  });
});

describe('formatting and verdicts', () => {
  it('when a value was not measured, then it prints a dash', () => {
    expect(fmt(Number.NaN)).toBe('—');
    expect(fmtRatio(undefined)).toBe('—');
    expect(fmtPercent(0.1234)).toBe('12.3 %');
    expect(fmtPointDifference(0.05, 0.045)).toBe('+0.50 pp');
    expect(fmtPointDifference(0.04, 0.045)).toBe('−0.50 pp');
  });

  it('when the engine reaches the ratio, then PASS; below it, BELOW; without a reference, info', () => {
    expect(rateComparison(8, 10, 0.8)).toEqual({ ratio: 0.8, verdict: 'PASS' });
    expect(rateComparison(7.9, 10, 0.8).verdict).toBe('BELOW');
    expect(rateComparison(1, 0, 0.8).verdict).toBe('info');
  });
});
