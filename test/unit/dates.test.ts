import { describe, expect, it } from 'vitest';

import { ageOn, daysBetween, findDates, isIsoDate, parseDate, resolveCentury } from '../../src/domain/dates.js';

describe('parseDate', () => {
  it.each([
    ['12/03/1985', '1985-03-12'],
    ['12.03.1985', '1985-03-12'],
    ['12-03-1985', '1985-03-12'],
    ['1985-03-12', '1985-03-12'],
    ['12 Mar 1985', '1985-03-12'],
    ['12 MAR 85', '1985-03-12'],
    ['March 12, 1985', '1985-03-12'],
    ['12 March 1985', '1985-03-12'],
    ['12th March 2019', '2019-03-12'],
    ['12 MARS 1985', '1985-03-12'],
    ['12 MAR/MARS 1985', '1985-03-12'],
    ['05 FÉV/FEB 2001', '2001-02-05'],
    ['1 août 2020', '2020-08-01'],
    ['14. Oktober 2021', '2021-10-14'],
  ])('when the text is %s, then it reads %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it('when numeric dates are configured month-first, then 03/12/1985 is 12 March', () => {
    expect(parseDate('03/12/1985')).toBe('1985-12-03');
    expect(parseDate('03/12/1985', { order: 'MDY' })).toBe('1985-03-12');
  });

  it('when a dotted date is read month-first, then dots stay day-first', () => {
    expect(parseDate('03.12.1985', { order: 'MDY' })).toBe('1985-12-03');
  });

  it('when the date is 29 February of a leap year, then it is valid', () => {
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(parseDate('29 Feb 2000')).toBe('2000-02-29');
  });

  it.each(['29/02/2023', '29 Feb 1900', '31/04/2020', '00/01/2020', '13/13/2020', '32.01.2020'])(
    'when the date %s is impossible, then nothing is read',
    (text) => {
      expect(parseDate(text)).toBeUndefined();
    },
  );

  it('when the second month of a bilingual date disagrees, then the date is rejected', () => {
    expect(parseDate('12 MAR/AVR 1985')).toBeUndefined();
  });

  it('when a word merely looks like a month slot, then no date is invented', () => {
    expect(parseDate('Flat 12 Marsh Lane 1985')).toBeUndefined();
    expect(parseDate('no date here')).toBeUndefined();
  });
});

describe('two-digit years', () => {
  it('when a birth date has a two-digit year, then it is the latest reading not after asOf', () => {
    const rule = { asOf: '2025-06-01', direction: 'past' as const };
    expect(parseDate('12 MAR 85', { twoDigitYear: rule })).toBe('1985-03-12');
    expect(parseDate('12 MAR 25', { twoDigitYear: rule })).toBe('2025-03-12');
    expect(parseDate('12 JUL 25', { twoDigitYear: rule })).toBe('1925-07-12');
  });

  it('when an expiry date has a two-digit year, then it may be up to 20 years ahead', () => {
    expect(resolveCentury(45, 1, 1, { asOf: '2025-06-01', direction: 'future' })).toBe(2045);
    expect(resolveCentury(46, 1, 1, { asOf: '2025-06-01', direction: 'future' })).toBe(1946);
    expect(resolveCentury(12, 4, 15, { asOf: '2025-06-01', direction: 'future' })).toBe(2012);
  });
});

describe('findDates', () => {
  it('when OCR read the slash of a bilingual month as a letter (MAYIMAI, JULIJUIL), then the date is still found; two different months are not', () => {
    expect(findDates('12 MAYIMAI 1961').map((d) => d.value)).toEqual(['1961-05-12']);
    expect(findDates('16 JULIJUIL 2026 STADT KOLN').map((d) => d.value)).toEqual(['2026-07-16']);
    expect(findDates('16 JULIAUG 2026')).toEqual([]);
    expect(findDates('12 MAILAND 1961')).toEqual([]);
  });

  it('when a line holds a period and an IBAN, then both dates are found in order and the IBAN digits are not dates', () => {
    const found = findDates('Period 01/02/2024 to 12/03/2024 IBAN GB29 NWBK 6016 1331 9268 19');
    expect(found.map((d) => d.value)).toEqual(['2024-02-01', '2024-03-12']);
    expect(found[1]?.text).toBe('12/03/2024');
  });
});

describe('ageOn', () => {
  it('when the birthday is today, then the new age counts', () => {
    expect(ageOn('2007-06-01', '2025-06-01')).toBe(18);
    expect(ageOn('2007-06-02', '2025-06-01')).toBe(17);
  });

  it('when born on 29 February, then the 18th birthday in a non-leap year is 1 March', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('when born on 29 February and the year is a leap year, then the birthday is 29 February', () => {
    expect(ageOn('2004-02-29', '2022-02-28')).toBe(17);
    expect(ageOn('2004-02-29', '2024-02-29')).toBe(20);
  });

  it('when a date is not a real date, then no age is given', () => {
    expect(ageOn('2023-02-29', '2025-01-01')).toBeUndefined();
  });
});

describe('daysBetween and isIsoDate', () => {
  it('when counting across a leap day, then every day counts', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
  });

  it('when a string is date-shaped but impossible, then it is not an ISO date', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-29')).toBe(false);
  });
});

describe('document dates in eight languages', () => {
  it.each([
    ['Bill date 3 October 2026', '2026-10-03'],
    ['Date de facture : 3 octobre 2026', '2026-10-03'],
    ['Rechnungsdatum: 3. Oktober 2026', '2026-10-03'],
    ['Fecha de emisión: 3 de octubre de 2026', '2026-10-03'],
    ['Data fattura 3 ottobre 2026', '2026-10-03'],
    ['Factuurdatum 3 oktober 2026', '2026-10-03'],
    ['Data wystawienia: 3 października 2026 r.', '2026-10-03'],
    ['Data de emissão: 3 de outubro de 2026', '2026-10-03'],
    ['Okres: 1 wrzesień 2026', '2026-09-01'],
    ['Zeitraum 1. März 2026', '2026-03-01'],
    ['Data: 12 grudnia 2025', '2025-12-12'],
    ['Emitida el 5 de febrero de 2026', '2026-02-05'],
  ])('when a document prints "%s", then the date is %s', (text, value) => {
    expect(findDates(text)[0]?.value).toBe(value);
  });

  it('when a period prints its start without a year ("1 Sep – 30 Sep 2026"), then its end is found', () => {
    expect(findDates('Billing period 1 Sep – 30 Sep 2026').map((d) => d.value)).toEqual(['2026-09-30']);
  });
});
