import { describe, expect, it } from 'vitest';

import { classifyByRules, mergeClassification } from '../../src/domain/classification.js';
import { buildTd1, buildTd2, buildTd3, type MrzPerson } from '../support/mrz-builder.js';

const PERSON: MrzPerson = {
  issuingState: 'GBR', surname: 'Taylor', givenNames: 'Emily', documentNumber: '123456789', nationality: 'GBR',
  dateOfBirth: '1990-01-02', sex: 'F', expiryDate: '2030-01-01',
};

const page = (text: string): Array<{ page: number; text: string }> => [{ page: 1, text }];

const UTILITY_BILL = `Greenfield Energy Ltd
1 Power Way, Leeds LS1 1AA
Emily Taylor
12 Baker Street
London NW1 6XE
Account number 5057 3719 90
Bill date 25/08/2026
Billing period 23/05/2026 - 21/08/2026
Your electricity bill
380 kWh at 0.266 per kWh £101.01
Standing charge 91 days at 0.33 per day £30.03
Amount due £131.04`;

const BANK_STATEMENT = `Albion Bank plc
Current Account Statement
Emily Taylor
12 Baker Street
London NW1 6XE
Statement date 09/09/2026
Sort code 60-16-13
IBAN GB29 NWBK 6016 1331 9268 19
Date Description Paid out Paid in Balance
BALANCE BROUGHT FORWARD £3,487.47
17/08/2026 DIRECT DEBIT ENERGY SUPPLY £129.13 £3,358.34
18/08/2026 CARD PAYMENT CORNER GROCER £54.41 £3,303.93
19/08/2026 CARD PAYMENT CORNER GROCER £59.98 £3,243.95
20/08/2026 CARD PAYMENT BLUE DOOR CAFE £15.25 £3,228.70
Closing balance £3,228.70`;

const PAYSLIP = `Statement of earnings - September 2026
Northwind Logistics Ltd
Employee
Emily Taylor
12 Baker Street
London NW1 6XE
Payment date 07/09/2026
NI number JV 07 12 96 C
Gross salary £2,190.00
Income tax -£354.03
Net payment £1,645.75`;

const CERTIFICATE = `CERTIFICATE OF INCORPORATION
OF A PRIVATE LIMITED COMPANY
Company Number 12345678
The Registrar of Companies for England and Wales hereby certifies that
QUAYSIDE DIGITAL LTD
is this day incorporated as a private company limited by shares,
and that the situation of its registered office is:
5 Dock Road
Bristol BS1 4AB
Given on 12 March 2019.`;

describe('classifyByRules', () => {
  it('when the text holds a TD3 MRZ and passport words, then it is a passport with high confidence', () => {
    const result = classifyByRules(page(['PASSPORT / PASSEPORT', 'Surname / Nom', 'TAYLOR', ...buildTd3(PERSON)].join('\n')));
    expect(result.type).toBe('passport');
    expect(result.confidence).toBeGreaterThan(0.9);
    expect(result.signals).toEqual(expect.arrayContaining(['mrz:TD3', 'keyword:passport']));
  });

  it('when the text holds only a TD3 MRZ (OCR lost every word), then the MRZ alone makes it a passport', () => {
    expect(classifyByRules(page(buildTd3(PERSON).join('\n'))).type).toBe('passport');
  });

  it.each([
    ['TD1', buildTd1({ ...PERSON, issuingState: 'FRA', nationality: 'FRA' })],
    ['TD2', buildTd2({ ...PERSON, issuingState: 'FRA', nationality: 'FRA' })],
  ])('when the text holds a %s MRZ starting with I, then it is an identity card', (_format, lines) => {
    const result = classifyByRules(page(["CARTE NATIONALE D'IDENTITÉ", ...lines].join('\n')));
    expect(result.type).toBe('id_card');
  });

  it('when a TD1 MRZ comes with driving-licence words, then it is a driving licence', () => {
    const result = classifyByRules(page(['PERMIS DE CONDUIRE', ...buildTd1({ ...PERSON, documentCode: 'I' })].join('\n')));
    expect(result.type).toBe('driving_licence');
  });

  it('when an EU licence shows its numbered fields, then it is a driving licence', () => {
    const text = 'DRIVING LICENCE\nUNITED KINGDOM\n1. TAYLOR\n2. EMILY\n3. 02.01.1990 LONDON\n4a. 01.02.2020 4c. DVLA\n4b. 31.01.2030\n5. TAYLO901020E99AB\n8. 12 BAKER STREET';
    expect(classifyByRules(page(text)).type).toBe('driving_licence');
  });

  it.each([
    ['utility_bill', UTILITY_BILL],
    ['bank_statement', BANK_STATEMENT],
    ['payslip', PAYSLIP],
    ['company_registration', CERTIFICATE],
  ])('when the text is a typical %s, then it is classified so', (type, text) => {
    const result = classifyByRules(page(text));
    expect(result.type).toBe(type);
    expect(result.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('when the document is in German, then the keywords still work', () => {
    const text = 'Kontoauszug Nr. 9\nAlter Kontostand 1.200,00 EUR\nNeuer Kontostand 980,00 EUR\nIBAN DE89 3704 0044 0532 0130 00';
    expect(classifyByRules(page(text)).type).toBe('bank_statement');
  });

  it('when the text is nearly empty or says nothing known, then it is unknown', () => {
    expect(classifyByRules(page('   ')).type).toBe('unknown');
    expect(classifyByRules(page('Dear customer, thank you for your letter of last week.')).type).toBe('unknown');
  });

  it('when the threshold is raised above the confidence, then the type becomes unknown but scores remain', () => {
    const loose = classifyByRules(page('Your statement\nIBAN GB29 NWBK 6016 1331 9268 19'));
    expect(loose.type).toBe('bank_statement');
    const strict = classifyByRules(page('Your statement\nIBAN GB29 NWBK 6016 1331 9268 19'), { threshold: 0.95 });
    expect(strict.type).toBe('unknown');
    expect(strict.scores.bank_statement).toBeGreaterThan(0);
  });
});

describe('mergeClassification', () => {
  it('when the model agrees, then confidence rises', () => {
    const rules = classifyByRules(page(UTILITY_BILL));
    const merged = mergeClassification(rules, { type: 'utility_bill', confidence: 0.7 });
    expect(merged.type).toBe('utility_bill');
    expect(merged.confidence).toBeGreaterThan(rules.confidence);
  });

  it('when the model disagrees with an MRZ-backed answer, then the MRZ wins', () => {
    const rules = classifyByRules(page(buildTd3(PERSON).join('\n')));
    expect(mergeClassification(rules, { type: 'bank_statement', confidence: 0.99 }).type).toBe('passport');
  });

  it('when the rules found nothing and the model is confident, then the model decides', () => {
    const rules = classifyByRules(page('Dear customer, thank you for your letter.'));
    expect(mergeClassification(rules, { type: 'payslip', confidence: 0.8 }).type).toBe('payslip');
  });
});
