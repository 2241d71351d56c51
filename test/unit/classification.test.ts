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
    const text = 'Kontoauszug Nr. 9 vom 30.09.2026\nAlter Kontostand 1.200,00 EUR\nNeuer Kontostand 980,00 EUR\nIBAN DE89 3704 0044 0532 0130 00';
    expect(classifyByRules(page(text)).type).toBe('bank_statement');
  });

  it('when the text is nearly empty or says nothing known, then it is unknown', () => {
    expect(classifyByRules(page('   ')).type).toBe('unknown');
    expect(classifyByRules(page('Dear customer, thank you for your letter of last week.')).type).toBe('unknown');
  });

  it('when the threshold is raised above the confidence, then the type becomes unknown but scores remain', () => {
    const loose = classifyByRules(page(BANK_STATEMENT));
    expect(loose.type).toBe('bank_statement');
    const strict = classifyByRules(page(BANK_STATEMENT), { threshold: 0.99 });
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

  it('when the rules found no type but the text shows the content of the one the model names, then the model decides', () => {
    // A payslip in words the keyword rules do not know, but with a pay line and a date.
    const text = 'Acme SA\nJuly 2026\nEmily Taylor\nSalario bruto 2.190,00 EUR\nSalario liquido 1.645,75 EUR';
    const rules = classifyByRules(page(text));
    expect(rules.type).toBe('unknown');
    expect(mergeClassification(rules, { type: 'payslip', confidence: 0.8 }).type).toBe('payslip');
  });

  it('when the model names a type the text shows no content of, then it stays unknown with low confidence', () => {
    const rules = classifyByRules(page('Dear customer, thank you for your letter.'));
    const merged = mergeClassification(rules, { type: 'payslip', confidence: 0.8 });
    expect(merged.type).toBe('unknown');
    expect(merged.confidence).toBeLessThan(0.5);
    expect(merged.signals).toContain('content:missing:payslip');
  });
});

describe('a type needs evidence of content, not a keyword', () => {
  // Blank forms: labels with nothing after them, as a PDF form's text layer shows them unfilled.
  const ENGLISH_FORM = `PDF Form Example
Given Name:
Family Name:
Address 1: House nr:
Address 2:
Postcode: City:
Country:
Gender:
Height (cm):
Driving License:
Passport number:
Favourite colour:`;
  const SPANISH_FORM = `SOLICITUD DE INSCRIPCIÓN
Nombre: ____________________
Apellidos: ____________________
Número de pasaporte: ____________
Fecha de nacimiento: ___/___/______
Domicilio: ______________________
Código postal: ________ Localidad: ____________
Firma:`;

  it.each([
    ['an English "PDF Form Example" whose fields are empty', ENGLISH_FORM],
    ['a Spanish form that mentions "pasaporte"', SPANISH_FORM],
  ])('when the text is %s, then it is unknown with low confidence', (_what, text) => {
    const result = classifyByRules(page(text));
    expect(result.type).toBe('unknown');
    expect(result.confidence).toBeLessThan(0.5);
    expect(result.signals).toContain('content:blank-form');
  });

  it('when a bill dates only months apart and names no one, then its dates do not make an identity document', () => {
    const text = 'DRIVING LICENCE RENEWAL REMINDER\n01/09/2026\n30/09/2026\nPlease renew\nAmount £14.00';
    expect(classifyByRules(page(text)).type).toBe('unknown');
  });

  it('when a form names an identity document but only one field is filled, then it is no identity document', () => {
    const text = 'PASSPORT APPLICATION\nSurname: TAYLOR\nGiven names:\nDate of birth:\nPassport number:\nSignature of applicant';
    expect(classifyByRules(page(text)).type).toBe('unknown');
  });

  it('when a model proposes passport for a blank form, then it stays unknown', () => {
    const merged = mergeClassification(classifyByRules(page(SPANISH_FORM)), { type: 'passport', confidence: 0.9 });
    expect(merged.type).toBe('unknown');
    expect(merged.confidence).toBeLessThan(0.5);
  });

  // Commercial invoices: line items and VAT totals for goods, no consumption or service address.
  it.each([
    ['English', `Bright Office Supplies Ltd
Unit 4, 22 Mill Lane, Leeds LS2 7AB
INVOICE
Invoice number INV-2026-0412
Invoice date 14/10/2026
Bill to: Emily Taylor
12 Baker Street
London NW1 6XE
Description Qty Unit price Amount
Printer paper A4 5 £4.99 £24.95
Toner cartridge 1 £59.00 £59.00
Subtotal £83.95
VAT 20% £16.79
Total due £100.74
IBAN GB29 NWBK 6016 1331 9268 19`],
    ['French', `Papeterie Dupont SARL
12 avenue Victor Hugo 69002 Lyon
FACTURE N° F-2026-118
Date : 14/10/2026
Client : Claire Martin
5 rue de la Paix
75002 Paris
Désignation Qté Prix unitaire Montant
Ramette papier A4 5 4,99 € 24,95 €
Cartouche d'encre 1 59,00 € 59,00 €
Total HT 83,95 €
TVA 20 % 16,79 €
Total TTC 100,74 €
Montant à payer 100,74 €`],
    ['German', `Bürobedarf Schulz GmbH
Industriestraße 8, 80331 München
RECHNUNG
Rechnungsnummer 2026-118
Rechnungsdatum 14.10.2026
Rechnungsempfänger: Erika Mustermann
Hauptstraße 5
10115 Berlin
Pos. Bezeichnung Menge Einzelpreis Gesamt
1 Kopierpapier A4 5 4,99 € 24,95 €
2 Tonerkartusche 1 59,00 € 59,00 €
Nettobetrag 83,95 €
MwSt. 19 % 15,95 €
Gesamtbetrag 99,90 €
IBAN DE89 3704 0044 0532 0130 00`],
  ])('when the text is a %s commercial invoice, then it is no proof of address: unknown, for a person', (_lang, text) => {
    const result = classifyByRules(page(text));
    expect(result.type).toBe('unknown');
    expect(result.confidence).toBeLessThan(0.5);
    expect(result.signals).toContain('content:invoice');
    expect(mergeClassification(result, { type: 'utility_bill', confidence: 0.9 }).type).toBe('unknown');
  });

  it('when the text is a bank-details slip (RIB) with an IBAN and no transactions, then it is no bank statement', () => {
    const text = `RELEVÉ D'IDENTITÉ BANCAIRE
Titulaire du compte : Claire Martin
5 rue de la Paix 75002 Paris
Domiciliation : Banque Exemple Paris Opéra
Code banque 20041 Code guichet 01005 N° de compte 0500013M026 Clé RIB 06
IBAN FR14 2004 1010 0505 0001 3M02 606
BIC PSSTFRPPPAR
Édité le 02/10/2026`;
    const result = classifyByRules(page(text));
    expect(result.type).toBe('unknown');
    expect(result.signals).toContain('content:bank-details');
    expect(mergeClassification(result, { type: 'bank_statement', confidence: 0.9 }).type).toBe('unknown');
  });

  it('when an English bank confirmation letter prints only the account details, then it is no bank statement', () => {
    const text = 'Albion Bank plc\nBank account details\nEmily Taylor\n12 Baker Street\nLondon NW1 6XE\nDate 02/10/2026\nSort code 60-16-13\nAccount number 31926819\nIBAN GB29 NWBK 6016 1331 9268 19\nBIC NWBKGB2L';
    expect(classifyByRules(page(text)).type).toBe('unknown');
  });

  // True positives in several languages.
  it.each([
    ['English statement with transactions', 'bank_statement', BANK_STATEMENT],
    ['French statement', 'bank_statement', `Banque Exemple
Relevé de compte
Claire Martin
5 rue de la Paix
75002 Paris
Période du 01/09/2026 au 30/09/2026
Date Libellé Débit Crédit
02/09 PRLV EDF 78,40
05/09 CB CARREFOUR 54,12
10/09 VIR SALAIRE 2 100,00
Solde au 30/09/2026 3 412,55 €`],
    ['German statement', 'bank_statement', `Musterbank AG
Kontoauszug 9/2026
Erika Mustermann
Hauptstraße 5
10115 Berlin
Alter Kontostand 1.200,00 EUR
01.09.2026 Lastschrift Stadtwerke 78,40
03.09.2026 Kartenzahlung Rewe 54,12
15.09.2026 Gehalt 2.100,00
Neuer Kontostand 3.167,48 EUR`],
    ['English bill with an addressee', 'utility_bill', UTILITY_BILL],
    ['Spanish bill with a Titular', 'utility_bill', `Iberdrola Clientes S.A.U.
Factura de electricidad
Titular: Ana García López
Calle Mayor 12, 3º B
28013 Madrid
Fecha de emisión: 05/10/2026
Periodo de facturación: 01/09/2026 - 30/09/2026
Consumo 245 kWh
Total a pagar 68,45 €`],
    ['French electricity facture (an invoice word, but for a supply)', 'utility_bill', `EDF
Facture d'électricité
Claire Martin
5 rue de la Paix
75002 Paris
Date de facture : 05/10/2026
Consommation 245 kWh
Total HT 57,04 €
TVA 20 % 11,41 €
Total TTC 68,45 €`],
    ['English payslip', 'payslip', PAYSLIP],
    ['Italian payslip whose amounts sit below their labels', 'payslip', 'Acme Srl\nMese retribuito OTTOBRE 2026\nMario Rossi\nVia Roma 5\n20121 Milano\nTOTALE LORDO\n3.214,29\nNETTO DEL MESE\n2.310,45'],
    ['French internet bill with a direct-debit slip (IBAN, BIC)', 'utility_bill', `Réseau Fibre SAS
Facture n° 77120 du 02/10/2026
Claire Martin
5 rue de la Paix
75002 Paris
Abonnement fibre et forfait téléphone 29,99 €
Total facture TTC 29,99 €
Somme à payer 29,99 €
Avis de prélèvement : IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP`],
    ['passport with an MRZ', 'passport', ['PASSPORT', ...buildTd3(PERSON)].join('\n')],
    ['French ID card visual zone, values below labels', 'id_card', "CARTE NATIONALE D'IDENTITÉ\nNom:\nMARTIN\nPrénom(s):\nClaire Marie\nNé(e) le:\n01.02.1990\nSexe: F"],
    ['German ID card, bilingual labels', 'id_card', 'PERSONALAUSWEIS\nName/Surname\nMUSTERMANN\nVorname/Given names\nERIKA\nGeburtstag/Date of birth\n12.08.1983\nStaatsangehörigkeit/Nationality\nDEUTSCH'],
    ['Spanish DNI, labels and values', 'id_card', 'DOCUMENTO NACIONAL DE IDENTIDAD\nAPELLIDOS: GARCIA LOPEZ\nNOMBRE: ANA\nFECHA DE NACIMIENTO: 01 02 1990\nSEXO: F'],
    ['US driving licence with AAMVA-style numbered labels', 'driving_licence', 'CALIFORNIA\nDRIVER LICENSE\n4d DLN I1234568\n1 SMITH\n2 JOHN ALLEN\n8 2570 24TH STREET\n3 DOB 08/31/1977\n4b EXP 08/31/2029\n15 SEX M'],
    ['English bill whose addressee leads the address line', 'utility_bill', 'Greenfield Energy Ltd\nEmily Taylor, 12 Baker Street, London NW1 6XE\nBill date 25/08/2026\nYour electricity bill\n380 kWh £101.01\nAmount due £131.04'],
    ['EU licence whose numbered labels OCR lost (values alone, dates years apart)', 'driving_licence', 'RIJBEWIJS / DRIVING LICENCE\nNETHERLANDS\n\nJansen\n\nPieter\n\n12.03.1980 Utrecht\n. 01.06.2019 4c. RDW\n. 31.05.2029\n\n5123456789\n\n9. AM/B'],
    ['statement OCR read column by column', 'bank_statement', 'Harbour Bank\nCurrent Account Statement\nMARY KELLY\n4 Quay Street\nGalway H91 X2Y3\nDate\n01/09/2026\n04/09/2026\n09/09/2026\n12/09/2026\nDescription\nBALANCE BROUGHT FORWARD\nCARD PAYMENT GROCER\nDIRECT DEBIT POWER\nSALARY\nPaid out\n€41.20\n€88.10\nBalance\n€1,200.00\n€1,158.80\n€1,070.70\n€3,170.70'],
    ['ID card OCR read as a column of labels, then the column of values', 'id_card', 'IDENTITY CARD\nSurname:\nGiven names:\nDate of birth:\nDate of expiry:\nTAYLOR\nEMILY\n02.01.1990\n01.01.2030'],
    ['Dutch passport data page without MRZ', 'passport', 'PASPOORT\nNaam: DE VRIES\nVoornamen: JAN PIETER\nGeboortedatum: 14 MAA 1985\nDocumentnummer: NXC1234P5'],
  ])('when the text is an %s, then it is a %s', (_what, type, text) => {
    const result = classifyByRules(page(text));
    expect(result.type).toBe(type);
    expect(result.confidence).toBeGreaterThanOrEqual(0.5);
  });
});

describe('a payslip whose grid OCR read column by column', () => {
  const labelsThenAmounts = [
    'Officine Brenta S.r.l.',
    'Piazza della Liberta 126 - 70121 Bari',
    'Sig.ra Gaia Ferraresi',
    'Via San Giorgio 147',
    '70122 Bari',
    'Busta paga agosto 2026',
    'Descrizione',
    'Retribuzione lorda',
    'IRPEF',
    'Contributi INPS',
    'Netto in busta',
    'Data pagamento',
    'Dipendente',
    'Datore di lavoro',
    '10/08/2026',
    '3457033091',
    'Importo',
    '3.914,95 €',
    '-444,76 €',
    '514,38 €',
    '2.955,80 €',
  ].join('\n');

  it('when the pay labels stand above and their amounts further down, then it is still a payslip', () => {
    expect(classifyByRules([{ page: 1, text: labelsThenAmounts }]).type).toBe('payslip');
  });

  it('when the same page has only one pay label, then the amounts far below do not make it a payslip', () => {
    const oneLabel = labelsThenAmounts.replace('Retribuzione lorda\n', '');
    expect(classifyByRules([{ page: 1, text: oneLabel }]).type).not.toBe('payslip');
  });
});

describe('driving licences in Polish and Portuguese', () => {
  it('when a Portuguese licence prints CARTA DE CONDUÇÃO and OCR reads 4a. as 4a, then it is a driving licence', () => {
    const text = [
      'REPUBLICA PORTUGUESA',
      'CARTA DE CONDUÇÃO',
      '1. GONCALVES',
      '2. LEONOR',
      '3. 01/02/1958 COIMBRA',
      '4a, 04/02/2016 4c. IMT',
      '4b. 03/02/2031',
      '5. H-178560 2',
      '9. AM/B/C1',
    ].join('\n');
    expect(classifyByRules([{ page: 1, text }]).type).toBe('driving_licence');
  });

  it('when a Polish licence prints PRAWO JAZDY, then it is a driving licence', () => {
    const text = ['RZECZPOSPOLITA POLSKA', 'PRAWO JAZDY', '1. DABROWSKI', '2. PAWEL TOMASZ', '3. 29.06.2000 WROCLAW', '4a. 03.09.2014', '4b. 02.09.2029', '5. 37090/41/1349', '9. AM/A2/B'].join('\n');
    expect(classifyByRules([{ page: 1, text }]).type).toBe('driving_licence');
  });
});

describe('an identity card whose values OCR set below their labels after a blank line', () => {
  it('when the labels and values are a blank line apart, then the filled fields still count', () => {
    const text = ["CARTE NATIONALE D'IDENTITE", '', 'BENALI', '', 'Prénoms', '', 'MAELLE', '', 'Date de naissance', '', '05 07 1982', 'Sexe', '', 'Lieu de naissance: Dijon'].join('\n');
    expect(classifyByRules([{ page: 1, text }]).type).toBe('id_card');
  });

  it('when the labels are followed only by blank lines and other labels, then it is a blank form', () => {
    const text = ["CARTE NATIONALE D'IDENTITE", '', 'Nom :', '', 'Prénoms :', '', 'Date de naissance :', '', 'Lieu de naissance :', '', 'Adresse :'].join('\n');
    expect(classifyByRules([{ page: 1, text }]).type).toBe('unknown');
  });
});
