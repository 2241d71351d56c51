import { describe, expect, test } from 'vitest';

import { isPlausibleName, printedCentury, sameName, sameValue } from '../../src/domain/fields/identity.js';

describe('MRZ name against the printed name', () => {
  test.each([
    ['SCHROEDER', 'Schröder'],
    ['NYSTROEM', 'NYSTROM'],
    ['OWENK', 'OWEN'],
    ['JAMES RHY S', 'JAMES RHYS'],
    ['AAS', 'Ås'],
    ['STRASSER', 'Straßer'],
    ['OWENK', 'a OWEN'],
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

describe('a printed name worth comparing', () => {
  test.each([['a>.'], ['I'], ['4 FEB 1980'], ['']])('when OCR gave %j for the name, then it is not a reading of a name', (value) => {
    expect(isPlausibleName(value)).toBe(false);
  });
  test.each([['WRIGHT'], ["O'Neill"], ['Lena-Marie'], ['Ævarsdóttir'], ['JAMES RHYS']])('when OCR gave %j, then it is compared', (value) => {
    expect(isPlausibleName(value)).toBe(true);
  });
});

describe('MRZ document number against the printed one', () => {
  test('when OCR adds one stray character at an end of the printed number, then it is the same number', () => {
    expect(sameValue('documentNumber', 'JF4871424', 'JJF4871424')).toBe(true);
    expect(sameValue('documentNumber', 'L898902C3', 'L898902C3.')).toBe(true);
  });
  test('when a character inside differs or is missing, then the numbers differ', () => {
    expect(sameValue('documentNumber', 'JF4871424', 'JF4871427')).toBe(false);
    expect(sameValue('documentNumber', 'JF4871424', 'JF487424')).toBe(false);
    expect(sameValue('documentNumber', 'JF4871424', 'XJF48714245')).toBe(false);
  });
});

describe('the century of an MRZ date', () => {
  test('when the page prints the same date with another century, then the printed century is kept', () => {
    expect(printedCentury('dateOfBirth', '2012-12-12', '1912-12-12')).toBe('1912-12-12');
  });
  test('when the printed date is another date or the same, then the MRZ value stands', () => {
    expect(printedCentury('dateOfBirth', '2012-12-12', '1912-12-13')).toBeUndefined();
    expect(printedCentury('dateOfBirth', '1988-09-21', '1988-09-21')).toBeUndefined();
    expect(printedCentury('dateOfBirth', '2012-12-12', undefined)).toBeUndefined();
    expect(printedCentury('issueDate', '2012-12-12', '1912-12-12')).toBeUndefined();
  });
});
