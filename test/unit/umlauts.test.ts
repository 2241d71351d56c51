import { describe, expect, test } from 'vitest';
import { restoreUmlauts } from '../../src/domain/fields/index.js';

describe('restoreUmlauts: the MRZ transliteration undone where the visual zone prints the letter', () => {
  test.each([
    ['JUERGEN SOEREN', 'Vornamen Jürgen Sören', 'JÜRGEN SÖREN'],
    ['SJOEGREN', 'Sjégren', 'SJÖGREN'], // OCR read ö as é: one letter in the digraph's place
    ['MUELLER', 'Miiller', 'MÜLLER'], // OCR read ü as ii
    ['WEISS', 'Weiß', 'WEIß'],
    ['KOEHLER', 'KÖHLER', 'KÖHLER'],
  ])('when the MRZ has %s and the page prints %s, then %s', (mrz, printed, expected) => {
    expect(restoreUmlauts(mrz, printed)).toBe(expected);
  });

  test.each([
    ['MUELLER', 'Mueller'], // printed with the digraph itself
    ['SCHROEDER', 'no such word on the page'],
    ['JOEL', 'Joël'], // an accent on the digraph's letter, not an umlaut
    ['RAPHAEL', 'Raphaël'],
    ['ROSS', 'Ross'],
  ])('when the MRZ has %s and the page prints %s, then the MRZ spelling stays', (mrz, printed) => {
    expect(restoreUmlauts(mrz, printed)).toBe(mrz);
  });
});
