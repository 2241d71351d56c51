import { describe, expect, it } from 'vitest';

import {
  characterErrorRate, levenshtein, normaliseForCer, orderFreeErrorRate, orderFreeErrors,
} from '../../src/bench/text-metrics.js';

describe('levenshtein', () => {
  it('when strings are equal or one is empty, then the distance is 0 or the other length', () => {
    expect(levenshtein('abc', 'abc')).toBe(0);
    expect(levenshtein('', 'abcd')).toBe(4);
    expect(levenshtein('abcd', '')).toBe(4);
  });

  it('when strings differ, then substitutions, insertions and deletions each cost one', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('sitting', 'kitten')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
  });
});

describe('normaliseForCer', () => {
  it('when text has layout whitespace, ligatures and typographic punctuation, then those do not count', () => {
    expect(normaliseForCer('  Account\n\n number:\t\u201c12\u201d \u2013 \ufb01ne  ')).toBe('Account number: "12" - fine');
  });

  it('when text differs in case or accents, then the difference stays', () => {
    expect(normaliseForCer('Müller')).not.toBe(normaliseForCer('muller'));
  });
});

describe('characterErrorRate', () => {
  it('when pages are summed, then long pages weigh more (errors over all reference characters)', () => {
    const result = characterErrorRate([
      { reference: 'abcdefghij', hypothesis: 'abcdefghij' },
      { reference: 'ab', hypothesis: 'xy' },
    ]);
    expect(result).toEqual({ errors: 2, referenceChars: 12, cer: 2 / 12 });
  });

  it('when the hypothesis differs only in line breaks, then the CER is 0', () => {
    expect(characterErrorRate([{ reference: 'Name Anna\nCity Cork', hypothesis: 'Name   Anna City\n\nCork' }]).cer).toBe(0);
  });

  it('when nothing was to be read, then the CER is 0 rather than NaN', () => {
    expect(characterErrorRate([{ reference: '', hypothesis: 'noise' }]).cer).toBe(0);
  });
});

describe('orderFreeErrors', () => {
  it('when OCR reads a table column by column, then order costs nothing', () => {
    const reference = 'Date Amount\n1 May €10.00\n2 May €20.00';
    const byColumns = 'Date\n1 May\n2 May\nAmount\n€10.00\n€20.00';
    expect(orderFreeErrors(reference, byColumns).errors).toBe(0);
    expect(characterErrorRate([{ reference, hypothesis: byColumns }]).errors).toBeGreaterThan(0);
  });

  it('when a word is misread, then it costs its edits, and a missing word its length', () => {
    expect(orderFreeErrors('passport number X123', 'passp0rt X123')).toEqual({ errors: 1 + 'number'.length, referenceChars: 18 });
  });

  it('when OCR adds words, then each costs its length', () => {
    expect(orderFreeErrors('BANK', 'BANK ~~ noise')).toEqual({ errors: 2 + 5, referenceChars: 4 });
  });

  it('when two words run together, then the shorter one is lost', () => {
    expect(orderFreeErrors('2026 CARD PAYMENT', '2026CARD PAYMENT').errors).toBe(8);
  });

  it('when summed over pages, then it is a rate over reference characters (spaces not counted)', () => {
    expect(orderFreeErrorRate([{ reference: 'ab cd', hypothesis: 'ab cx' }, { reference: 'efgh', hypothesis: 'efgh' }])).toEqual({ errors: 1, referenceChars: 8, cer: 1 / 8 });
  });
});
