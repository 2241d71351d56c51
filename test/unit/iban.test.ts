import { describe, expect, it } from 'vitest';

import { assessIban, findIbans, formatIban, ibanVerdict, isValidIban, normaliseIban, pickIban, type IbanReadingInput } from '../../src/domain/iban.js';

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

const ocr = (text: string, page = 1): IbanReadingInput => ({ text, source: 'ocr', page });
const layer = (text: string, page = 1): IbanReadingInput => ({ text, source: 'text-layer', page });
/** FR BBANs hold an alphanumeric account number: there O and 0 are both legal. */
const FR = 'FR14 2004 1010 0505 0001 3M02 606';

describe('assessIban: unreadable, unverified or invalid', () => {
  it('when the text layer prints a valid IBAN, then it is valid as read', () => {
    expect(assessIban([layer(`Account holder\nIBAN ${DE}\nBIC COBADEFFXXX`)])).toMatchObject({
      status: 'valid', reason: 'read', iban: 'DE89370400440532013000', repairs: [],
    });
  });

  it('when OCR reads an O where the German BBAN admits only digits, then the position repair makes it valid and is recorded', () => {
    const result = assessIban([ocr('IBAN DE89 37O4 0044 0532 0130 00')]);
    expect(result).toMatchObject({ status: 'valid', reason: 'repaired', iban: 'DE89370400440532013000' });
    expect(result?.repairs).toEqual([{ position: 6, from: 'O', to: '0', kind: 'position' }]);
  });

  it('when OCR reads digits for the bank code letters of a British IBAN, then they are repaired by position', () => {
    expect(assessIban([ocr('IBAN GB29 NW8K 6016 1331 9268 19')])).toMatchObject({ status: 'valid', iban: 'GB29NWBK60161331926819' });
  });

  it('when one OCR reading fails mod-97 and nothing else was read, then it is unverified, not invalid (a misread digit fails it just the same)', () => {
    const result = assessIban([ocr('IBAN DE89 3704 0044 0582 0130 00')]);
    expect(result).toMatchObject({ status: 'unverified', reason: 'single-ocr-reading-fails', iban: 'DE89370400440582013000' });
  });

  it('when two OCR readings agree on a string that fails mod-97, then it is invalid', () => {
    const wrong = 'IBAN DE89 3704 0044 0582 0130 00';
    expect(assessIban([ocr(wrong), ocr(wrong)])).toMatchObject({ status: 'invalid', reason: 'readings-agree-on-failure' });
  });

  it('when the text layer prints a string that fails mod-97, then it is invalid: those are the document own characters', () => {
    expect(assessIban([layer('IBAN: GB29 NWBK 6016 1331 9268 18')])).toMatchObject({ status: 'invalid', reason: 'text-layer-fails', iban: 'GB29NWBK60161331926818' });
  });

  it('when one OCR reading misreads and another reads it right, then the valid reading stands', () => {
    expect(assessIban([ocr('IBAN DE89 3704 0044 0582 0130 00'), ocr(`IBAN ${DE}`)])).toMatchObject({ status: 'valid', iban: 'DE89370400440532013000' });
  });

  it('when two readings agree on the valid value, then it is corroborated', () => {
    expect(assessIban([layer(`IBAN ${DE}`), ocr(`IBAN ${DE}`)])).toMatchObject({ status: 'valid', reason: 'corroborated' });
  });

  it('when the string passes only after swapping O for 0 where the BBAN admits both, then it is unverified, not valid', () => {
    const misread = FR.replace('0505', '05O5');
    expect(isValidIban(misread)).toBe(false);
    const result = assessIban([ocr(`IBAN ${misread}`)]);
    expect(result?.status).toBe('unverified');
    expect(result?.reason).toBe('look-alike-only');
  });

  it('even from the text layer, a look-alike fix is unverified: a wrong IBAN can pass after a swap just as a misread can', () => {
    expect(assessIban([layer(`IBAN ${FR.replace('0505', '05O5')}`)])?.status).toBe('unverified');
  });

  it('when two readings give two different valid IBANs, then it is unverified', () => {
    expect(assessIban([ocr(`IBAN ${DE}`), ocr(`IBAN ${GB}`)])).toMatchObject({ status: 'unverified', reason: 'readings-disagree' });
  });

  it('when the IBAN label is printed but no complete IBAN can be read, then it is unreadable', () => {
    expect(assessIban([ocr('IBAN: DE89 37#4 00')])).toMatchObject({ status: 'unreadable', reason: 'no-complete-reading', readings: 0, page: 1 });
  });

  it('when OCR reads a table column by column, the IBAN label apart from a value whose country reads 1E, then the country is repaired by position', () => {
    const page = 'Account number\nSort code\nIBAN\nBIC\n67431874\n64-55-98\n1E29 AIBK 9311 5212 3456 78\nAIBKIE2D';
    expect(isValidIban('IE29AIBK93115212345678')).toBe(true);
    expect(assessIban([ocr(page)])).toMatchObject({ status: 'valid', reason: 'repaired', iban: 'IE29AIBK93115212345678' });
  });

  it('when no IBAN label is printed, then a run starting with a digit is not made into an IBAN', () => {
    expect(assessIban([ocr('Ref 1E29 AIBK 9311 5212 3456 78')])).toBeUndefined();
  });

  it('when the page prints no IBAN and no IBAN label, then there is nothing to assess', () => {
    expect(assessIban([ocr('Sort code 60-16-13 Account 31926819')])).toBeUndefined();
  });

  it('when a transaction line names a payee IBAN, then the labelled IBAN is the document one', () => {
    const page = `TRANSFER TO GB29 NWBK 6016 1331 9268 19 50.00\nIBAN ${DE}`;
    expect(assessIban([layer(page)])?.iban).toBe('DE89370400440532013000');
  });

  it('when a word merely looks like the start of an IBAN, then no IBAN is made of it', () => {
    expect(assessIban([ocr('DEBIT CARD PAYMENT CORNER GROCER 12.50')])).toBeUndefined();
  });
});

describe('ibanVerdict: the iban_valid check', () => {
  const value = 'DE89370400440532013000';
  const wrong = 'DE89370400440582013000';
  it.each([
    ['read', value, 'pass'],
    ['corroborated', value, 'pass'],
    ['failed', wrong, 'fail'],
    ['unverified', wrong, 'inconclusive'],
  ] as const)('when the extraction verified it as %s, then the check is %s', (verification, iban, status) => {
    expect(ibanVerdict(iban, { source: 'text', verification })?.status).toBe(status);
  });

  it('when the IBAN could not be read, then the check is inconclusive (unreadable), not fail', () => {
    expect(ibanVerdict(undefined, { source: 'text', verification: 'unreadable' })).toEqual({ status: 'inconclusive', outcome: 'unreadable' });
  });

  it('when no IBAN is printed, then there is no check', () => {
    expect(ibanVerdict(undefined, undefined)).toBeUndefined();
  });

  it('when a reviewer entered the value, then it is judged as it stands', () => {
    expect(ibanVerdict(wrong, { source: 'reviewer', verification: 'unverified' })?.status).toBe('fail');
    expect(ibanVerdict(value, { source: 'reviewer', verification: 'failed' })?.status).toBe('pass');
  });

  it('when the model copied an IBAN that fails mod-97, then it is inconclusive (the model copies digits no better than OCR reads them)', () => {
    expect(ibanVerdict(wrong, { source: 'model' })?.status).toBe('inconclusive');
  });

  it('when a value comes with no evidence of how it was read, then it is judged as given', () => {
    expect(ibanVerdict(wrong, undefined)?.status).toBe('fail');
    expect(ibanVerdict(value, undefined)?.status).toBe('pass');
  });
});

describe('IBANs a bill does not really print', () => {
  it('when the IBAN beside its label is masked, then there is nothing to verify', () => {
    const text = 'Nom de la banque :        BIC :        IBAN :\n                           FR76 ***************************\nTotal 29,99 €';
    expect(assessIban([{ page: 1, text, source: 'text-layer' }])).toBeUndefined();
  });
  it('when a failing IBAN-shaped number stands away from the page\u2019s IBAN label, then it is not the IBAN', () => {
    const text = 'Facture FO10479674 10577874\nDate 05/07/2015\n\nIBAN :\nFR76 ***************************';
    expect(assessIban([{ page: 1, text, source: 'text-layer' }])).toBeUndefined();
  });
  it('when the failing IBAN stands on or under its label, then it is still judged invalid', () => {
    const text = 'Account holder Jane Doe\nIBAN:\nDE89 3704 0044 0532 0130 01';
    expect(assessIban([{ page: 1, text, source: 'text-layer' }])?.status).toBe('invalid');
  });
});
