import { describe, expect, test } from 'vitest';
import { linesFromTsv } from '../../src/adapters/tesseract-ocr.js';

/** Rows as Tesseract's TSV renderer writes them: level, page, block, paragraph, line, word, left, top, width, height, conf, text. */
const row = (level: number, line: number, word: number, box: [number, number, number, number], text = '', conf = -1): string =>
  [level, 1, 1, 1, line, word, ...box, conf, text].join('\t');

describe('linesFromTsv', () => {
  test('when a page has lines of words, then each line holds its words joined by single spaces and its own box', () => {
    const tsv = [
      row(1, 0, 0, [0, 0, 1200, 800]),
      row(2, 0, 0, [100, 90, 900, 80]),
      row(3, 0, 0, [100, 90, 900, 80]),
      row(4, 1, 0, [100, 90, 500, 30]),
      row(5, 1, 1, [100, 92, 200, 26], 'PASSPORT', 96.1),
      row(5, 1, 2, [320, 92, 20, 26], '/', 90),
      row(5, 1, 3, [360, 90, 240, 28], 'PASSEPORT', 95),
      row(4, 2, 0, [100, 140, 900, 30]),
      row(5, 2, 1, [100, 140, 900, 30], 'P<IRLKELLY<<PADRAIG<<<<', 80),
      '',
    ].join('\n');
    expect(linesFromTsv(tsv)).toEqual([
      { text: 'PASSPORT / PASSEPORT', box: { x0: 100, y0: 90, x1: 600, y1: 120 } },
      { text: 'P<IRLKELLY<<PADRAIG<<<<', box: { x0: 100, y0: 140, x1: 1000, y1: 170 } },
    ]);
  });

  test('when a line has no word with text, then it is left out and the next line keeps its own words', () => {
    const tsv = [
      row(4, 1, 0, [10, 10, 300, 40]),
      row(5, 1, 1, [10, 10, 300, 40], ' ', 0),
      row(4, 2, 0, [10, 60, 100, 20]),
      row(5, 2, 1, [10, 60, 100, 20], 'Surname', 91),
    ].join('\n');
    expect(linesFromTsv(tsv)).toEqual([{ text: 'Surname', box: { x0: 10, y0: 60, x1: 110, y1: 80 } }]);
  });

  test('when the output is empty or holds only page and block rows, then there are no lines', () => {
    expect(linesFromTsv('')).toEqual([]);
    expect(linesFromTsv([row(1, 0, 0, [0, 0, 10, 10]), row(2, 0, 0, [0, 0, 10, 10])].join('\n'))).toEqual([]);
  });
});
