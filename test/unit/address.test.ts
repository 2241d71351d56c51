import { describe, expect, it } from 'vitest';

import { compareAddresses, extractPostcode, normaliseAddress, repairPostcodeDigits } from '../../src/domain/address.js';

describe('normaliseAddress', () => {
  it('when an address has abbreviations, punctuation and a compact-able postcode, then they are normalised', () => {
    expect(normaliseAddress('12 High St., London SW1A 1AA')).toBe('12 high street london sw1a1aa');
    expect(normaliseAddress('Apt. 4, 5 Oak Ave')).toBe('apartment 4 5 oak avenue');
    expect(normaliseAddress('Lindenstraße 12, 10115 Berlin, Germany')).toBe('linden strasse 12 10115 berlin');
  });
});

describe('extractPostcode', () => {
  it.each([
    ['12 High Street, London SW1A 1AA', 'SW1A1AA'],
    ['12 High Street, London sw1a1aa', 'SW1A1AA'],
    ['Kerkstraat 5, 1015 JX Amsterdam', '1015JX'],
    ['143 Orchard Street, Dublin D06 C948', 'D06C948'],
    ['Lindenstraße 12, 10115 Berlin', '10115'],
  ])('when the address is %s, then the postcode is %s', (address, postcode) => {
    expect(extractPostcode(address)).toBe(postcode);
  });
});

describe('repairPostcodeDigits', () => {
  it('when OCR reads 0 as O in an Eircode, then the digits are restored (Eircodes use no O or I)', () => {
    expect(repairPostcodeDigits('Dublin DO7 R6OD')).toBe('Dublin D07 R60D');
    expect(repairPostcodeDigits('Galway H91 0990')).toBe('Galway H91 0990');
  });

  it('when a UK inward code starts with O or holds a bracket for J, then it is put right', () => {
    expect(repairPostcodeDigits('Bristol BS3 OPJ')).toBe('Bristol BS3 0PJ');
    expect(repairPostcodeDigits('Edinburgh EH9 8X)')).toBe('Edinburgh EH9 8XJ');
    expect(repairPostcodeDigits('Leeds LS6 3]D, UK')).toBe('Leeds LS6 3JD, UK');
  });

  it('when a UK inward code starts with another digit look-alike (B, S, I, Z, G), then it becomes the digit', () => {
    expect(repairPostcodeDigits('BRISTOL BS3 BAW')).toBe('BRISTOL BS3 8AW');
    expect(repairPostcodeDigits('Leeds LS6 SLY')).toBe('Leeds LS6 5LY');
    expect(repairPostcodeDigits('London SW1A IAA')).toBe('London SW1A 1AA');
    expect(repairPostcodeDigits('Flat 2 BAY VIEW')).toBe('Flat 2 BAY VIEW');
  });

  it('when OCR reads the digit of a UK outward code as l, I or O, then it becomes the digit', () => {
    expect(repairPostcodeDigits('London NWl 6XE')).toBe('London NW1 6XE');
    expect(repairPostcodeDigits('London SWI 1AA')).toBe('London SW1 1AA');
    expect(repairPostcodeDigits('Bristol BSO 4AA')).toBe('Bristol BS0 4AA');
    expect(repairPostcodeDigits('CALL 6XE')).toBe('CALL 6XE');
  });

  it('when a Dutch or German postcode has an O among its digits, then it becomes 0', () => {
    expect(repairPostcodeDigits('1O25 CC Amsterdam')).toBe('1025 CC Amsterdam');
    expect(repairPostcodeDigits('81O36 München')).toBe('81036 München');
  });

  it('when words merely look like postcodes, then they are left alone', () => {
    for (const text of ['DOOR CODE', '76 Church Rd', 'Cork T23 P353', 'POLO 1234', '(EH9 8XJ)']) {
      expect(repairPostcodeDigits(text)).toBe(text);
    }
  });
});

describe('compareAddresses', () => {
  it.each([
    ['12 High St., London SW1A 1AA', '12 HIGH STREET, LONDON SW1A1AA'],
    ['98 Harbour Rd, Leeds LS6 4SR', '98 Harbour Road\nLeeds LS6 4SR'],
    ['Apt 4, 5 Oak Ave, Springfield', 'Apartment 4, 5 Oak Avenue, Springfield'],
    ['14 Willow Ln, Bristol BS7 6UW', '14 Willow Lane, Bristol BS7 6UW, United Kingdom'],
    ['Lindenstraße 12, 10115 Berlin', 'Lindenstr. 12, 10115 Berlin, Germany'],
    ['Kerkstraat 5, 1015 JX Amsterdam', 'Kerkstraat 5, 1015JX Amsterdam'],
    ['22 Rue de la Paix, 75002 Paris', '22 rue de la Paix 75002 PARIS France'],
    ['Flat 3, 12 High Street, London SW1A 1AA', '12 High Street, London SW1A 1AA'],
    ['Königsallee 44, 50799 Köln', 'Kenigsallee 44, 50799 K6ln'],
    ['2 Mill Road, Edinburgh EH9 6NP', '2 Mill Road, Edinburgh EH9 GNP'],
  ])('when comparing %j with %j, then they match', (a, b) => {
    expect(compareAddresses(a, b).match).toBe(true);
  });

  it('when the house numbers differ, then the addresses do not match', () => {
    expect(compareAddresses('12 High Street, London SW1A 1AA', '14 High Street, London SW1A 1AA').match).toBe(false);
  });

  it('when the postcodes differ, then the addresses do not match', () => {
    const result = compareAddresses('12 High Street, London SW1A 1AA', '12 High Street, London SW1A 2BB');
    expect(result.match).toBe(false);
    expect(result.score).toBeLessThanOrEqual(0.5);
  });

  it('when the addresses are different places, then the score is low', () => {
    const result = compareAddresses('12 Baker Street, London NW1 6XE', '7 Church Road, Leeds LS6 2AB');
    expect(result).toEqual({ match: false, score: 0 });
  });

  it('when an address is empty, then nothing matches', () => {
    expect(compareAddresses('', '12 High Street')).toEqual({ match: false, score: 0 });
  });
});
