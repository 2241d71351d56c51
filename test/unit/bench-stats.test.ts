import { describe, expect, it } from 'vitest';

import { mean, percentile, perSecond, sum } from '../../src/bench/stats.js';

describe('percentile', () => {
  it('when between ranks, then it interpolates linearly', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
  });

  it('when samples are unsorted, then the order does not matter and the input is not changed', () => {
    const samples = [300, 100, 200];
    expect(percentile(samples, 50)).toBe(200);
    expect(samples).toEqual([300, 100, 200]);
  });

  it('when at the ends or with one sample, then it is the minimum, maximum or that sample', () => {
    expect(percentile([5, 1, 9], 0)).toBe(1);
    expect(percentile([5, 1, 9], 100)).toBe(9);
    expect(percentile([7], 95)).toBe(7);
  });

  it('when there are no samples, then NaN; when p is out of range, then it throws', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('mean, sum, perSecond', () => {
  it('when given samples, then they summarise them', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
    expect(sum([1, 2, 3])).toBe(6);
    expect(perSecond(10, 4000)).toBe(2.5);
    expect(perSecond(10, 0)).toBeNaN();
  });
});
