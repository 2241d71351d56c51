import { describe, expect, it } from 'vitest';

import { displayName, extractFieldsByRules, leftColumn, licenceNumber, mergeModelFields, naturalCase, printedNameLine, toAlpha3 } from '../../src/domain/fields/index.js';
import { buildTd1, buildTd3, type MrzPerson } from '../support/mrz-builder.js';

const AS_OF = '2026-11-01';
const page = (text: string, n = 1): Array<{ page: number; text: string }> => [{ page: n, text }];

const JURGEN: MrzPerson = {
  issuingState: 'D', surname: 'MUELLER', givenNames: 'JUERGEN', documentNumber: 'C01X00T47', nationality: 'D',
  dateOfBirth: '1964-08-12', sex: 'M', expiryDate: '2031-02-28',
};

function passportText(mrz: readonly string[], dateOfBirth = '12 AUG/AOÛT 1964'): string {
  return [
    'BUNDESREPUBLIK DEUTSCHLAND',
    'PASSPORT / PASSEPORT',
    'Type / Type Code / Code Passport No. / N° du passeport',
    'P D C01X00T47',
    'Surname / Nom',
    'MÜLLER',
    'Given names / Prénoms',
    'JÜRGEN',
    'Nationality / Nationalité',
    'DEUTSCH',
    'Date of birth / Date de naissance Sex / Sexe',
    `${dateOfBirth} M`,
    'Date of issue / Date de délivrance Authority / Autorité',
    '01 MAR/MARS 2021 STADT KÖLN',
    "Date of expiry / Date d'expiration",
    '28 FEB/FÉV 2031',
    ...mrz,
  ].join('\n');
}

describe('identity documents', () => {
  it('when a passport has an MRZ and a bilingual visual zone, then MRZ fields win and visual names keep accents', () => {
    const result = extractFieldsByRules('passport', page(passportText(buildTd3(JURGEN))), { asOf: AS_OF });
    expect(result.fields).toEqual({
      surname: 'Müller',
      givenNames: 'Jürgen',
      fullName: 'Jürgen Müller',
      documentNumber: 'C01X00T47',
      nationality: 'DEU',
      issuingCountry: 'DEU',
      dateOfBirth: '1964-08-12',
      expiryDate: '2031-02-28',
      issueDate: '2021-03-01',
      sex: 'M',
    });
    expect(result.evidence.dateOfBirth).toMatchObject({ source: 'mrz', page: 1 });
    expect(result.evidence.surname).toEqual({ source: 'text', page: 1, text: 'MÜLLER' });
    expect(result.evidence.issueDate?.text).toBe('01 MAR/MARS 2021 STADT KÖLN');
    expect(result.mrz).toMatchObject({ format: 'TD3', valid: true, failedChecks: [], repaired: false, visualMismatches: [] });
    expect(result.mrz?.visualCompared).toEqual(expect.arrayContaining(['surname', 'givenNames', 'dateOfBirth', 'expiryDate', 'documentNumber', 'sex']));
  });

  it('when the printed birth date differs from the MRZ, then the MRZ value is kept and the mismatch recorded', () => {
    const result = extractFieldsByRules('passport', page(passportText(buildTd3(JURGEN), '21 AUG/AOÛT 1964')), { asOf: AS_OF });
    expect(result.fields.dateOfBirth).toBe('1964-08-12');
    expect(result.visual.dateOfBirth).toBe('1964-08-21');
    expect(result.mrz?.visualMismatches).toEqual(['dateOfBirth']);
  });

  it('when the MRZ check digits fail, then the summary says which', () => {
    const result = extractFieldsByRules('passport', page(buildTd3(JURGEN, { breakCheck: 'expiryDate' }).join('\n')), { asOf: AS_OF });
    expect(result.mrz).toMatchObject({ valid: false, failedChecks: ['expiryDate'] });
    expect(result.fields.surname).toBe('Mueller');
  });

  it('when an ID card prints several labels on one line, then each value is taken by its type', () => {
    const person: MrzPerson = { ...JURGEN, issuingState: 'FRA', nationality: 'FRA', surname: 'Lefèvre', givenNames: 'Hélène', sex: 'F', documentNumber: 'X4RTBPFW4' };
    const text = [
      "IDENTITY CARD / CARTE D'IDENTITÉ",
      'Surname / Nom',
      'LEFÈVRE',
      'Given names / Prénoms',
      'HÉLÈNE',
      'Sex / Sexe Nationality / Nationalité',
      'F FRA',
      'Date of birth / Date de naissance',
      '12.08.1964',
      ...buildTd1(person),
    ].join('\n');
    const result = extractFieldsByRules('id_card', page(text), { asOf: AS_OF });
    expect(result.visual).toMatchObject({ sex: 'F', nationality: 'FRA', dateOfBirth: '1964-08-12' });
    expect(result.fields).toMatchObject({ surname: 'Lefèvre', givenNames: 'Hélène', fullName: 'Hélène Lefèvre', documentNumber: 'X4RTBPFW4' });
    expect(result.mrz?.format).toBe('TD1');
  });

  it('when OCR garbles the issue-date label, then the one remaining date between birth and expiry is the issue date', () => {
    const text = passportText(buildTd3(JURGEN)).replace('Date of issue / Date de délivrance Authority / Autorité', '© of issu / Dat');
    expect(extractFieldsByRules('passport', page(text), { asOf: AS_OF }).fields.issueDate).toBe('2021-03-01');
  });

  it('when an EU driving licence has numbered fields, then each number gives its field', () => {
    const text = [
      'DRIVING LICENCE',
      'UNITED KINGDOM',
      '1. MORGAN',
      '2. SARAH MEREDITH',
      '3. 11.03.1976 UNITED KINGDOM',
      '4a. 19.01.2013 4c. DVLA',
      '4b. 18.01.2023',
      '5. MORGA753116SM9IJ 35',
      '8. 122 BURNS CRESCENT',
      'EDINBURGH EH1 9GP',
      '9. AM/A/B1/B/F/K/P/Q',
    ].join('\n');
    const result = extractFieldsByRules('driving_licence', page(text), { asOf: AS_OF });
    expect(result.fields).toMatchObject({
      surname: 'Morgan',
      givenNames: 'Sarah Meredith',
      fullName: 'Sarah Meredith Morgan',
      dateOfBirth: '1976-03-11',
      issueDate: '2013-01-19',
      expiryDate: '2023-01-18',
      documentNumber: 'MORGA753116SM9IJ',
      issuingCountry: 'GBR',
      address: '122 BURNS CRESCENT, EDINBURGH EH1 9GP',
    });
    expect(result.mrz).toBeUndefined();
  });

  it('when OCR dropped the small field numbers of a licence, then the fixed field order is used', () => {
    const text = ['DRIVING LICENCE', 'UNITED KINGDOM', '1', '2', '4a.', 'ASHWORTH', 'OLIVER HARRY', '14.11.1970 LONDON', '17.04.2018 4c. DVLA', '. 16.04.2028', 'ASHWO711140OH9CZ', '120 CHURCH ROAD', 'EDINBURGH EH6 7UP'].join('\n');
    const result = extractFieldsByRules('driving_licence', page(text), { asOf: AS_OF });
    expect(result.fields).toMatchObject({
      surname: 'Ashworth',
      givenNames: 'Oliver Harry',
      dateOfBirth: '1970-11-14',
      issueDate: '2018-04-17',
      expiryDate: '2028-04-16',
      documentNumber: 'ASHWO711140OH9CZ',
      address: '120 CHURCH ROAD, EDINBURGH EH6 7UP',
    });
  });
});

describe('visual-zone labels as OCR leaves them', () => {
  it('when a label has a quote-mark crumb, reads "Sumame" for Surname, or a translation without its article, then the values are still found', () => {
    const text = ['PASSPORT / PASSEPORT', '‘Sumame / Nom', '', 'HOFFMANN', '', 'Given names / Prénoms', '', 'ANNA LENA-MARIE', '', 'Date of birth / Date de naissance', '', '12 MAYIMAI 1961', '', 'Date of expiry / Date expiration', '', '15 JUL/JUIL 2036'].join('\n');
    expect(extractFieldsByRules('passport', page(text), { asOf: AS_OF }).fields).toMatchObject({
      surname: 'Hoffmann',
      givenNames: 'Anna Lena-Marie',
      dateOfBirth: '1961-05-12',
      expiryDate: '2036-07-15',
    });
  });
});

describe('licence cues', () => {
  it('when a two-column layout brings the issue date up before the names, then the earliest date is the birth date', () => {
    // As OCR read an Irish licence: "4a." lost its digit and came first; the names lost their numbers too.
    const text = ['IRELAND', '9. AM/A2/B', 'a. 03.04.2020 4c.', 'CEADUNAS TIOMANA/ DRIVING LICENCE', 'HOFFMANN', 'SOREN', '22.07.1951 HAMBURG', 'RSA', '. 02.04.2030', '563488750', '162 STATION LANE', 'DUBLIN DO6 A3YN'].join('\n');
    const result = extractFieldsByRules('driving_licence', page(text), { asOf: AS_OF });
    expect(result.fields).toMatchObject({ surname: 'Hoffmann', givenNames: 'Soren', dateOfBirth: '1951-07-22', issueDate: '2020-04-03', expiryDate: '2030-04-02', documentNumber: '563488750' });
  });

  it('when only two dates were read and no names place them, then no birth date is guessed (it could be the issue date)', () => {
    const text = ['IRELAND', 'DRIVING LICENCE', 'a. 03.04.2020 4c.', 'RSA', '. 02.04.2030', '563488750'].join('\n');
    expect(extractFieldsByRules('driving_licence', page(text), { asOf: AS_OF }).fields.dateOfBirth).toBeUndefined();
  });

  it('when a licence prints names in name case and OCR lost the field numbers, then the field order still gives them', () => {
    const text = ['RIJBEWIJS / DRIVING LICENCE', 'NETHERLANDS', 'van den Berg', 'Thijs Daan', '22.10.1993 Rotterdam', '14.09.2015 4c. RDW', '13.09.2025', '6865643890', 'Wilhelminastraat 88', '3027 WP Rotterdam'].join('\n');
    const result = extractFieldsByRules('driving_licence', page(text), { asOf: AS_OF });
    expect(result.fields).toMatchObject({ surname: 'van den Berg', givenNames: 'Thijs Daan', dateOfBirth: '1993-10-22', documentNumber: '6865643890' });
  });

  it('when a UK licence number has O/0 or I/1 slips, then the format puts them right; other numbers stay as read', () => {
    expect(licenceNumber('ASHW0504217H99RY')).toBe('ASHWO504217H99RY');
    expect(licenceNumber('EVANS6O1234JA9XY')).toBe('EVANS601234JA9XY');
    expect(licenceNumber('M207KYMOZOO')).toBe('M207KYMOZOO');
    expect(licenceNumber('6865643890')).toBe('6865643890');
  });
});

describe('unlabelled printed names guided by the MRZ', () => {
  const LENA: MrzPerson = {
    issuingState: 'D', surname: 'GROSS', givenNames: 'LENA MARIE', documentNumber: 'C01X00T47', nationality: 'D',
    dateOfBirth: '1964-08-12', sex: 'F', expiryDate: '2031-02-28',
  };

  it('when OCR lost the name labels and read MRZ fillers as letters, then the printed names are taken', () => {
    const [line1, line2] = buildTd3(LENA);
    const damaged = line1!.replace('LENA<MARIE<<', 'LENAXMARIEK<').replace(/<<<<<<$/, 'KKKsss');
    const text = ['BUNDESREPUBLIK DEUTSCHLAND', 'P D C01X00T47', 'GROß', 'LENA-MARIE', 'DEUTSCH', damaged, line2].join('\n');
    const result = extractFieldsByRules('passport', page(text), { asOf: AS_OF });
    expect(result.fields).toMatchObject({ surname: 'Groß', givenNames: 'Lena-Marie', fullName: 'Lena-Marie Groß' });
    expect(result.evidence.givenNames).toEqual({ source: 'text', page: 1, text: 'LENA-MARIE' });
  });

  it('when matching, then only filler look-alikes may separate or follow the printed words', () => {
    const lines = [{ text: 'DEUTSCH' }, { text: 'DAAN.' }, { text: 'MÄRTA' }, { text: 'JEAN-LUC' }];
    expect(printedNameLine('DAANK', lines)?.text).toBe('DAAN.');
    expect(printedNameLine('MAERTAKX', lines)?.text).toBe('MÄRTA');
    expect(printedNameLine('JEANKLUCKX', lines)?.text).toBe('JEAN-LUC');
    expect(printedNameLine('DAANTJE', lines)).toBeUndefined();
    expect(printedNameLine('JEANLUC', lines)).toBeUndefined();
  });
});

describe('proofs of address', () => {
  it('when OCR put the date labels and their values in separate columns, then the latest past date dates the document', () => {
    const text = ['Statement of earnings - May 2026', 'Kestrel Software GmbH', 'Employee', 'Chiara Rossi', 'Schillerstrae 95', '20771 Hamburg', 'Payment date', 'Employee ID', 'Steuer-ID', 'Position', '05/05/2026', 'E39946', '26538186227', 'Data Analyst'].join('\n');
    const result = extractFieldsByRules('payslip', page(text), { asOf: AS_OF });
    expect(result.fields.statementDate).toBe('2026-05-05');
    expect(result.evidence.statementDate?.text).toBe('05/05/2026');
  });

  it('when a date is labelled, then an unlabelled later one does not replace it', () => {
    const text = ['Electricity bill', 'Bill date: 03/09/2026', 'Alice Martin', '12 High Street', 'London SW1A 1AA', 'Pay by 20/09/2026'].join('\n');
    expect(extractFieldsByRules('utility_bill', page(text), { asOf: AS_OF }).fields.statementDate).toBe('2026-09-03');
  });

  it('when a sender address with a house number precedes the addressee, then it is not taken for a name', () => {
    const text = ['POLDERSTROOM B.V.', 'Lange Voorhout 2', '3083 JK Rotterdam', '', 'MARTA SJOGREN', 'KEIZERSGRACHT 43', '3048 MX ROTTERDAM'].join('\n');
    const result = extractFieldsByRules('utility_bill', page(text), { asOf: AS_OF });
    expect(result.fields).toMatchObject({ fullName: 'MARTA SJOGREN', address: 'KEIZERSGRACHT 43, 3048 MX ROTTERDAM' });
  });

  it('when OCR reads the ß of a German street as B, then the street is spelt right', () => {
    const text = ['Leonie Schröder', 'LindenstraBe 64', '81536 München'].join('\n');
    expect(extractFieldsByRules('bank_statement', page(text), { asOf: AS_OF }).fields.address).toBe('Lindenstraße 64, 81536 München');
  });

  it('when OCR split the statement labels from their values, then the unlabelled period end dates it', () => {
    const text = ['Polder Bank N.V.', 'VISSER Fleur', 'STATIONSWEG 84', '3559 RJ UTRECHT', 'Statement date', 'Period', 'BALANCE BROUGHT FORWARD',
      '28/05/2026', '25 Jun 2026', '', '26 May 2026 to 25 Jun 2026', '8139633683'].join('\n');
    const result = extractFieldsByRules('bank_statement', page(text), { asOf: AS_OF });
    expect(result.fields.statementDate).toBe('2026-06-25');
    expect(result.evidence.statementDate?.text).toBe('26 May 2026 to 25 Jun 2026');
  });

  it('when OCR reads postcode digits as letters, then the address carries the digits and ends at the postcode', () => {
    const text = ['KELLY Padraig', '76 Church Rd Employee ID 93679', 'Dublin DO7 R6OD PPS number 3633694V', '', 'Acme DAC 160 Grove Street, Dublin D07 P2P3'].join('\n');
    const result = extractFieldsByRules('payslip', page(text), { asOf: AS_OF });
    expect(result.fields.address).toBe('76 Church Rd, Dublin D07 R60D');
  });

  it('when a bill shows the addressee block, then name, address, bill date and evidence are read', () => {
    const text = [
      'Greenfield Energy Ltd',
      '1 Power Way',
      'Leeds LS1 1AA',
      'Emily Taylor',
      'Flat 3',
      '12 Baker St',
      'London NW1 6XE',
      'Account number 5057 3719 90',
      'Bill date 25/08/2026',
      'Billing period 23/05/2026 - 21/08/2026',
      'Amount due £131.04',
    ].join('\n');
    const result = extractFieldsByRules('utility_bill', page(text, 2), { asOf: AS_OF });
    expect(result.fields).toEqual({ fullName: 'Emily Taylor', address: 'Flat 3, 12 Baker St, London NW1 6XE', statementDate: '2026-08-25' });
    expect(result.evidence.statementDate).toEqual({ source: 'text', page: 2, text: 'Bill date 25/08/2026' });
    expect(result.evidence.address?.text).toBe('Flat 3\n12 Baker St\nLondon NW1 6XE');
  });

  it('when a statement was read with its columns run together, then the left column gives name and address', () => {
    const text = [
      'Grachten Spaarbank 1105 TX Amsterdam',
      'Current Account Statement',
      'Statement date 09/09/2026',
      'Sanne Joëlle van den Berg Period 13/08/2026 to 09/09/2026',
      'Wilhelminastraat 19 Account number 7570038728',
      '1015 JX Amsterdam IBAN NL91 ABNA 0417 1643 00',
      'BIC GRCHNL2U',
    ].join('\n');
    const result = extractFieldsByRules('bank_statement', page(text), { asOf: AS_OF });
    expect(result.fields).toEqual({
      fullName: 'Sanne Joëlle van den Berg',
      address: 'Wilhelminastraat 19, 1015 JX Amsterdam',
      statementDate: '2026-09-09',
      iban: 'NL91ABNA0417164300',
    });
  });

  it('when the holder is labelled and printed surname-first, then given names come first', () => {
    const text = ['Account holder', 'TAYLOR Emily', '12 Baker Street', 'London NW1 6XE', 'Statement of account as at 12 March 2026', 'IBAN GB29 NWBK 6016 1331 9268 18'].join('\n');
    const result = extractFieldsByRules('bank_statement', page(text), { asOf: AS_OF });
    expect(result.fields.fullName).toBe('Emily TAYLOR');
    expect(result.fields.statementDate).toBe('2026-03-12');
    expect(result.fields.iban).toBe('GB29NWBK60161331926818');
  });

  it('when a payslip names the employee under a label, then the pay date is the document date', () => {
    const text = ['Statement of earnings - September 2026', 'Northwind Logistics Ltd', 'Employee', 'Lena-Marie Weiß a', 'Königsallee 44 Employee ID : E95475', '50799 Köln Steuer-ID 94752295918', 'Payment date 07/09/2026', 'Gross salary €2,190.00'].join('\n');
    const result = extractFieldsByRules('payslip', page(text), { asOf: AS_OF });
    expect(result.fields).toEqual({ fullName: 'Lena-Marie Weiß', address: 'Königsallee 44, 50799 Köln', statementDate: '2026-09-07' });
  });

  it('when only a period is printed, then its end date dates the document', () => {
    const text = ['Emily Taylor', '12 Baker Street', 'London NW1 6XE', 'Statement period 01 Feb 2026 to 28 Feb 2026'].join('\n');
    expect(extractFieldsByRules('bank_statement', page(text), { asOf: AS_OF }).fields.statementDate).toBe('2026-02-28');
  });
});

describe('company registrations', () => {
  it('when a certificate of incorporation is read, then name, number, date and office come out', () => {
    const text = [
      'CERTIFICATE OF INCORPORATION',
      'OF A PRIVATE LIMITED COMPANY',
      'Company Number 12345678',
      'The Registrar of Companies for England and Wales hereby certifies that',
      'QUAYSIDE DIGITAL LTD',
      'is this day incorporated as a private company limited by shares,',
      'and that the situation of its registered office is:',
      '5 Dock Road',
      'Bristol BS1 4AB',
      'Given on 12th March 2019.',
    ].join('\n');
    expect(extractFieldsByRules('company_registration', page(text), { asOf: AS_OF }).fields).toEqual({
      companyName: 'QUAYSIDE DIGITAL LTD',
      registrationNumber: '12345678',
      incorporationDate: '2019-03-12',
      registeredOffice: '5 Dock Road, Bristol BS1 4AB',
    });
  });

  it('when a register extract is read, then its labelled rows give the fields', () => {
    const text = ['Extract from the Companies Register', 'Company name Kestrel Software GmbH', 'Registration number HRB 123456', 'Date of incorporation 2018-05-04', 'Registered office Lindenstraße 12', '10115 Berlin', 'Directors: Anna Schmidt'].join('\n');
    expect(extractFieldsByRules('company_registration', page(text), { asOf: AS_OF }).fields).toEqual({
      companyName: 'Kestrel Software GmbH',
      registrationNumber: 'HRB 123456',
      incorporationDate: '2018-05-04',
      registeredOffice: 'Lindenstraße 12, 10115 Berlin',
    });
  });
});

describe('helpers', () => {
  it('when the type is unknown, then no field is extracted', () => {
    expect(extractFieldsByRules('unknown', page('anything 12/03/2024'), { asOf: AS_OF })).toEqual({ fields: {}, evidence: {}, visual: {} });
  });

  it.each([
    ['United Kingdom', 'GBR'], ['GB', 'GBR'], ['France', 'FRA'], ['FRANÇAISE', 'FRA'], ['D', 'DEU'], ['Deutschland', 'DEU'],
    ['BRITISH CITIZEN', 'GBR'], ['IRISH / ÉIREANNACH', 'IRL'], ['UTO', 'UTO'], ['nl', 'NLD'],
  ])('when converting %s to alpha-3, then it is %s', (text, code) => {
    expect(toAlpha3(text)).toBe(code);
  });

  it('when a country is not known, then no code is guessed', () => {
    expect(toAlpha3('Atlantis Republic')).toBeUndefined();
  });

  it('when an upper-case name holds ß, then it is still upper case to natural-case', () => {
    expect(naturalCase('GROß')).toBe('Groß');
  });

  it('when formatting names, then case and order become natural', () => {
    expect(naturalCase("ANNE-MARIE O'BRIEN")).toBe("Anne-Marie O'Brien");
    expect(naturalCase('DE VRIES')).toBe('de Vries');
    expect(naturalCase('McCarthy')).toBe('McCarthy');
    expect(displayName('Taylor, Emily')).toBe('Emily Taylor');
    expect(displayName('Mrs Emily Taylor')).toBe('Emily Taylor');
    expect(displayName('TAYLOR Emily')).toBe('Emily TAYLOR');
    // No surname in capitals to move: printed order kept.
    expect(displayName('de Lattre Alexis')).toBe('de Lattre Alexis');
  });

  it('when a line has a facts column, then the left column is what precedes it', () => {
    expect(leftColumn('12 Mill Road Account number 123')).toBe('12 Mill Road');
    expect(leftColumn('37 Elm Street £ 3 70')).toBe('37 Elm Street');
    expect(leftColumn('124 ELM RD ee eae')).toBe('124 ELM RD');
  });

  it('when a model answer is merged, then it fills gaps but never replaces rule values', () => {
    const rules = extractFieldsByRules('passport', page(buildTd3(JURGEN).join('\n')), { asOf: AS_OF });
    const merged = mergeModelFields(rules, { surname: 'Other', issueDate: '2021-03-01' });
    expect(merged.fields.surname).toBe('Mueller');
    expect(merged.fields.issueDate).toBe('2021-03-01');
    expect(merged.evidence.issueDate).toEqual({ source: 'model' });
    expect(merged.evidence.surname?.source).toBe('mrz');
  });

  it("when the model answers a bill's addressee with the issuer (a legal form, a web site), then that answer is dropped", () => {
    const rules = extractFieldsByRules('utility_bill', page('Factura\nFecha de emisión: 3 de octubre de 2026'), { asOf: AS_OF });
    const issuer = mergeModelFields(rules, { fullName: 'Iberdrola Clientes S.A.U.', address: 'C/ Tomás Redondo 1, 28033 Madrid · www.iberdrola.es' });
    expect(issuer.fields.fullName).toBeUndefined();
    expect(issuer.fields.address).toBeUndefined();
    const person = mergeModelFields(rules, { fullName: 'Juan García López', address: 'Calle Mayor 12, 28013 Madrid' });
    expect(person.fields).toMatchObject({ fullName: 'Juan García López', address: 'Calle Mayor 12, 28013 Madrid' });
  });
});
