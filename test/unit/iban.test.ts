import { describe, expect, it } from 'vitest';

import { findIbans, formatIban, isValidIban, normaliseIban, pickIban } from '../../src/domain/iban.js';

const GB = 'GB29 NWBK 6016 1331 9268 19';
const DE = 'DE89 3704 0044 0532 0130 00';

describe('isValidIban', () => {
  it.each([GB, DE, 'FR14 2004 1010 0505 0001 3M02 606', 'NL91ABNA0417164300', 'gb29nwbk60161331926819'])(
    'when the IBAN is %s, then it is valid',
    (iban) => {
      expect(isValidIban(iban)).toBe(true);
    },
  );

  it('when one digit is flipped, then the mod-97 check fails', () => {
    expect(isValidIban('GB29 NWBK 6016 1331 9268 18')).toBe(false);
    expect(isValidIban('DE89 3704 0044 0532 0130 01')).toBe(false);
  });

  it('when the length is wrong for the country, then it is invalid', () => {
    expect(isValidIban('GB29 NWBK 6016 1331 9268 1')).toBe(false);
  });
});

describe('findIbans', () => {
  it('when an IBAN is printed in groups of four, then it is found in electronic format', () => {
    const [found] = findIbans(`IBAN ${GB}    BIC NWBKGB2L`);
    expect(found).toMatchObject({ iban: 'GB29NWBK60161331926819', valid: true, text: GB });
  });

  it('when OCR runs the BIC into the IBAN line, then the candidate is cut at the country length', () => {
    const [found] = findIbans(`${DE} COBADEFFXXX`);
    expect(found?.iban).toBe('DE89370400440532013000');
    expect(found?.valid).toBe(true);
  });

  it('when an IBAN has a flipped digit, then it is still found but marked invalid', () => {
    const [found] = findIbans('IBAN: GB29 NWBK 6016 1331 9268 18');
    expect(found).toMatchObject({ iban: 'GB29NWBK60161331926818', valid: false });
  });

  it('when a longer reference precedes a real IBAN, then the IBAN is still found', () => {
    const found = findIbans(`Ref AB12 CDEF GHIJ ${DE}`);
    expect(found.map((f) => f.iban)).toContain('DE89370400440532013000');
  });

  it('when OCR reads a check digit 0 as the letter O, then the IBAN is still found with a 0', () => {
    const [found] = findIbans('IBAN IEO7 CLDG 5839 9565 7907 26');
    expect(found).toMatchObject({ iban: 'IE07CLDG58399565790726' });
    expect(findIbans('GBO2 NWBK 6016 1331 9268 19')[0]?.iban).toBe('GB02NWBK60161331926819');
  });

  it('when both check digits are letters, then it is no IBAN', () => {
    expect(findIbans('IEOO CLDG 5839 9565 7907 26')).toEqual([]);
  });

  it('when a text has no IBAN, then nothing is found', () => {
    expect(findIbans('Sort code 60-16-13 Account 31926819')).toEqual([]);
  });
});

describe('pickIban, normaliseIban and formatIban', () => {
  it('when a valid and an invalid IBAN are printed, then the valid one is picked', () => {
    expect(pickIban(`GB29 NWBK 6016 1331 9268 18\n${DE}`)?.iban).toBe('DE89370400440532013000');
  });

  it('when formatting, then groups of four are separated by spaces', () => {
    expect(normaliseIban(' gb29-nwbk 6016 1331 9268 19 ')).toBe('GB29NWBK60161331926819');
    expect(formatIban('GB29NWBK60161331926819')).toBe(GB);
  });
});
