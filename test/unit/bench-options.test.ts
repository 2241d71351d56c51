import { describe, expect, it } from 'vitest';

import { parseBenchOptions, UsageError } from '../../src/bench/options.js';

describe('parseBenchOptions', () => {
  it('when run plainly, then full sizes; with --quick, CI sizes', () => {
    expect(parseBenchOptions([])).toMatchObject({ isQuick: false, pages: 60, pdfPages: 300, applicants: 100, phases: ['ocr', 'pdf', 'render', 'model', 'e2e'] });
    expect(parseBenchOptions(['--quick'])).toMatchObject({ isQuick: true, pages: 10, applicants: 20 });
  });

  it('when sizes and rows are given, then they win over the defaults', () => {
    expect(parseBenchOptions(['--quick', '--pages', '4', '--applicants', '3', '--only', 'e2e,ocr', '--json', 'out.json'])).toMatchObject({
      pages: 4, pdfPages: 20, applicants: 3, phases: ['ocr', 'e2e'], jsonFile: 'out.json',
    });
  });

  it('when no topology is named, then both run; --topology picks one', () => {
    expect(parseBenchOptions([]).topologies).toEqual(['one-process', 'split']);
    expect(parseBenchOptions(['--topology', 'split']).topologies).toEqual(['split']);
    expect(() => parseBenchOptions(['--topology', 'cluster'])).toThrow(UsageError);
  });

  it('when an argument is wrong, then it is a usage error', () => {
    expect(() => parseBenchOptions(['--pages', '0'])).toThrow(UsageError);
    expect(() => parseBenchOptions(['--pages', 'many'])).toThrow(UsageError);
    expect(() => parseBenchOptions(['--only', 'gpu'])).toThrow(UsageError);
    expect(() => parseBenchOptions(['--frobnicate'])).toThrow();
  });
});
