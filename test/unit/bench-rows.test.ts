import { describe, expect, it } from 'vitest';

import type { OcrSide } from '../../src/bench/micro.js';
import { buildRows, GOALS } from '../../src/bench/rows.js';

describe('buildRows', () => {
  const side = (pagesPerSecond: number, cer: number): OcrSide => ({
    ms: 1000, pages: 10, pagesPerSecond, cer: { errors: 0, referenceChars: 100, cer }, orderFreeCer: { errors: 0, referenceChars: 100, cer }, tailIdleShare: 0.1,
  });

  it('when the engine OCRs faster but reads worse, then throughput passes and CER is BELOW by the difference', () => {
    const kinds = { a4: { engine: side(2, 0.05), native: side(2, 0.04) }, identity: { engine: side(2, 0.05), native: side(2, 0.04) } };
    const rows = buildRows({ ocr: { parallelism: 2, psm: 3, lang: 'eng', byKind: kinds, engine: side(2, 0.05), native: side(2, 0.04) } });
    expect(rows[0]).toMatchObject({ ratio: '1.00×', verdict: 'PASS' });
    expect(rows.find((r) => r.metric.startsWith('OCR CER, words'))).toMatchObject({ ratio: '+1.00 pp', verdict: 'BELOW', goal: '≤ CLI' });
    expect(rows.find((r) => r.metric.includes('identity'))!.note).toContain('engine 10 %, CLI 10 %');
  });

  it('when nothing was measured, then there are no rows', () => {
    expect(buildRows({})).toEqual([]);
  });

  it('goals are those of the issue', () => {
    expect(GOALS).toMatchObject({ ocrThroughputRatio: 0.8, pdfTextRatio: 0.9, renderRatio: 0.5, maxOverhead: 0.1 });
  });
});
