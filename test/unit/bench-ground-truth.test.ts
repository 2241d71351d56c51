import { describe, expect, it } from 'vitest';

import { pageGroundTruth } from '../../src/bench/ground-truth.js';
import { a4Page } from '../../src/corpus/layout.js';

describe('pageGroundTruth', () => {
  it('when runs share a baseline, then they form one line, left to right, whatever order they were drawn in', () => {
    const page = a4Page('sans', 10);
    page.row(40, 550, 100, 'Total due', '€12.00');
    page.text(40, 80, 'Invoice');
    expect(pageGroundTruth(page.build())).toBe('Invoice\nTotal due €12.00');
  });

  it('when baselines differ by less than half a font size, then the runs are still one line', () => {
    const page = a4Page('sans', 10);
    page.text(300, 203, 'right');
    page.text(40, 200, 'left');
    expect(pageGroundTruth(page.build())).toBe('left right');
  });

  it('when a page has shapes and blank text, then only the text counts', () => {
    const page = a4Page('sans', 10);
    page.rect(0, 0, 10, 10, { fill: '#000000' }).line(0, 0, 5, 5).text(10, 10, '   ').text(10, 30, 'Name');
    expect(pageGroundTruth(page.build())).toBe('Name');
  });
});
