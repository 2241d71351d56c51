import { describe, expect, it } from 'vitest';

import { compareNames, foldTransliteration, jaroWinkler, nameSimilarity, nameTokens, normaliseName } from '../../src/domain/names.js';

describe('jaroWinkler', () => {
  it('when given the textbook pairs, then it gives the textbook values', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
  });

  it('when strings are equal or disjoint, then it gives 1 or 0', () => {
    expect(jaroWinkler('ANNA', 'ANNA')).toBe(1);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
    expect(jaroWinkler('', 'ABC')).toBe(0);
  });
});

describe('normaliseName', () => {
  it('when a name has accents, case, titles and apostrophes, then they are folded away', () => {
    expect(normaliseName("Mr Seán O'Brien")).toBe('sean obrien');
    expect(normaliseName('MÜLLER, Jürgen')).toBe('jurgen muller');
    expect(nameTokens('Anne-Marie  Evans')).toEqual(['anne', 'marie', 'evans']);
  });

  it('when folding transliterations, then common variants meet', () => {
    expect(foldTransliteration('aleksandr')).toBe(foldTransliteration('alexandr'));
    expect(foldTransliteration('dmitriy')).toBe(foldTransliteration('dmitry'));
    expect(foldTransliteration('mueller')).toBe('muler');
  });
});

describe('compareNames', () => {
  it.each([
    ['DOE JOHN', 'John Doe'],
    ['Doe, John', 'John Doe'],
    ['John Michael Doe', 'John Doe'],
    ["Seán O'Brien", 'SEAN OBRIEN'],
    ['Jürgen Müller', 'JUERGEN MUELLER'],
    ['José García', 'Jose Garcia'],
    ['Anne-Marie Evans', 'Anne Marie Evans'],
    ['Aleksandr Ivanov', 'Alexander Ivanov'],
    ['Dmitriy Ivanov', 'Dmitry Ivanov'],
    ['Mohammed Ali', 'Muhammad Ali'],
    ['van den Berg Bram', 'Bram van den Berg'],
    ['Lena-Marie Weiß', 'LENA MARIE WEISS'],
  ])('when comparing %s with %s, then they match', (a, b) => {
    const result = compareNames(a, b);
    expect(result.match).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(0.88);
  });

  it.each([
    ['John Smith', 'John Doe'],
    ['Anna Schmidt', 'Anna Schneider'],
    ['Pierre Dupont', 'Paul Durand'],
  ])('when comparing %s with %s, then they do not match', (a, b) => {
    expect(compareNames(a, b).match).toBe(false);
  });

  it('when one side is only a first name, then it is not a match', () => {
    const result = compareNames('John', 'John Doe');
    expect(result.match).toBe(false);
    expect(result.score).toBeLessThan(0.8);
  });

  it('when a middle name is missing, then the score is a little lower than an exact match', () => {
    expect(nameSimilarity('John Michael Doe', 'John Doe')).toBeLessThan(1);
    expect(nameSimilarity('John Doe', 'JOHN DOE')).toBe(1);
  });

  it('when a threshold is given, then it decides the match', () => {
    expect(compareNames('Anne-Marie Evans', 'Annemarie Evans', { threshold: 0.95 }).match).toBe(false);
    expect(compareNames('Anne-Marie Evans', 'Annemarie Evans', { threshold: 0.85 }).match).toBe(true);
  });

  it('when a name is empty, then nothing matches', () => {
    expect(compareNames('', 'John Doe')).toEqual({ match: false, score: 0 });
  });
});
