import { describe, expect, it } from 'vitest';
import { diffValues, type Segment } from '../../web/src/diff.js';

/** Changed parts in brackets: "J[o]an". */
const show = (segments: Segment[]): string => segments.map((s) => (s.changed ? `[${s.text}]` : s.text)).join('');

describe('diffValues (declared against found, for the case view)', () => {
  it('when one word replaces another, then only the differing letters are marked', () => {
    const d = diffValues('Joan Smith', 'Jane Doe');
    expect(show(d.left)).toBe('J[o]an [Smith]');
    expect(show(d.right)).toBe('Jan[e] [Doe]');
  });

  it('when only letter case and line breaks differ, then nothing is marked', () => {
    const d = diffValues('Emily Taylor', 'EMILY\nTAYLOR');
    expect(d.left.some((s) => s.changed) || d.right.some((s) => s.changed)).toBe(false);
    expect(show(d.right)).toBe('EMILY TAYLOR');
  });

  it('when words are missing or added, then those words are marked whole', () => {
    const d = diffValues('Flat 3, 12 Baker Street', '12 Baker St London');
    expect(show(d.left)).toBe('[Flat 3,] 12 Baker [Street]');
    expect(show(d.right)).toBe('12 Baker [St London]');
  });

  it('when dates differ in one digit, then that digit is marked', () => {
    expect(show(diffValues('1990-01-03', '1990-01-02').right)).toBe('1990-01-0[2]');
  });
});
