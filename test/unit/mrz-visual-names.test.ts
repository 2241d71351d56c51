import { describe, expect, test } from 'vitest';

import { sameName } from '../../src/domain/fields/identity.js';

describe('MRZ name against the printed name', () => {
  test.each([
    ['SCHROEDER', 'Schröder'],
    ['NYSTROEM', 'NYSTROM'],
    ['OWENK', 'OWEN'],
    ['JAMES RHY S', 'JAMES RHYS'],
    ['AAS', 'Ås'],
    ['STRASSER', 'Straßer'],
  ])('when the MRZ spells %s and the page prints %s, then they are one name', (mrz, printed) => {
    expect(sameName(mrz, printed)).toBe(true);
  });

  test.each([
    ['ANNA', 'ANNE'],
    ['MUELLER', 'MEYER'],
    ['JOHN', 'JOAN MARIE'],
  ])('when the MRZ says %s and the page prints %s, then they differ', (mrz, printed) => {
    expect(sameName(mrz, printed)).toBe(false);
  });
});
