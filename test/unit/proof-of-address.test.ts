import { describe, expect, it } from 'vitest';

import { extractFieldsByRules } from '../../src/domain/fields/index.js';
import { issuerCue } from '../../src/domain/fields/parties.js';

/**
 * Bills, statements and payslips in the eight languages, written for these tests: each with the
 * issuer's letterhead, its footer (registration, VAT, customer service) and the addressee block in a
 * different place, under a role label or in a letter's address window.
 */
const AS_OF = '2026-11-01';
const page = (lines: string[]): Array<{ page: number; text: string }> => [{ page: 1, text: lines.join('\n') }];

describe('proofs of address in eight languages: the addressee, not the issuer', () => {
  it('when an English bill puts the letterhead first and "Bill to" mid-page, then the customer is the addressee and the bill date dates it', () => {
    const text = page([
      'Brightwater Energy Ltd',
      '1 Energy Way',
      'Swindon SN1 2AB',
      'Customer services 0800 123 4567',
      'www.brightwater-energy.co.uk',
      'Your electricity bill',
      'Bill date 3 October 2026',
      'Account number 12345678',
      'Bill to:',
      'Mr Oliver James Bennett',
      '14 Elm Grove',
      'Bristol BS3 4AA',
      'Billing period 1 Sep 2026 – 30 Sep 2026',
      'Amount due £84.20',
      'Payment due 17 October 2026',
      'Brightwater Energy Ltd, registered in England No. 01234567, VAT No GB 123 4567 89',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Oliver James Bennett');
    expect(fields.address).toBe('14 Elm Grove, Bristol BS3 4AA');
    expect(fields.statementDate).toBe('2026-10-03');
  });

  it('when a French facture names the "Destinataire" under the letterhead, then she is the addressee and the date de facture dates it, not the échéance', () => {
    const text = page([
      'EDF Énergie SA',
      '22-30 avenue de Wagram',
      '75008 Paris',
      'Service client : 09 69 32 15 15',
      'FACTURE',
      "Date d'échéance : 17 octobre 2026",
      'Date de facture : 3 octobre 2026',
      'Destinataire',
      'Mme Claire Dubois',
      '12 rue des Lilas',
      '69003 Lyon',
      'Montant TTC 96,40 €',
      'EDF SA au capital de 1 943 290 542 euros – Siège social : 22-30 avenue de Wagram 75008 Paris – RCS Paris 552 081 317 – TVA FR 03 552 081 317',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Claire Dubois');
    expect(fields.address).toBe('12 rue des Lilas, 69003 Lyon');
    expect(fields.statementDate).toBe('2026-10-03');
  });

  it('when a German Rechnung opens with the address window under a return line, then the window is the addressee and the Rechnungsdatum dates it', () => {
    const text = page([
      'Stadtwerke Lindenau GmbH · Hafenstraße 3 · 04109 Leipzig',
      'Herrn',
      'Lukas Schröder',
      'Schillerstraße 75',
      '12165 Berlin',
      'Stadtwerke Lindenau GmbH',
      'Hafenstraße 3',
      '04109 Leipzig',
      'Telefon 0341 123456',
      'Rechnung Nr. 2026-10-4471',
      'Rechnungsdatum 03.10.2026',
      'Fällig am 17.10.2026',
      'Abrechnungszeitraum 01.09.2026 - 30.09.2026',
      'Sitz der Gesellschaft: Leipzig · Amtsgericht Leipzig HRB 1234 · USt-IdNr. DE123456789',
      'Bankverbindung: Sparkasse Leipzig IBAN DE89 3704 0044 0532 0130 00',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Lukas Schröder');
    expect(fields.address).toBe('Schillerstraße 75, 12165 Berlin');
    expect(fields.statementDate).toBe('2026-10-03');
  });

  it('when a Spanish factura prints "Titular" above the customer, then the customer (not Iberdrola) is the addressee and the fecha de emisión dates it', () => {
    const text = page([
      'Iberdrola Clientes S.A.U.',
      'C/ Tomás Redondo 1',
      '28033 Madrid',
      'CIF A-95758389',
      'FACTURA DE ELECTRICIDAD',
      'Fecha de vencimiento: 20 de octubre de 2026',
      'Fecha de emisión: 3 de octubre de 2026',
      'Titular',
      'JUAN GARCÍA LÓPEZ',
      'Calle Mayor 12, 3º B',
      '28013 Madrid',
      'Atención al cliente: 900 225 235',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('JUAN GARCÍA LÓPEZ');
    expect(fields.address).toBe('Calle Mayor 12, 3º B, 28013 Madrid');
    expect(fields.statementDate).toBe('2026-10-03');
  });

  it('when an Italian bolletta labels the intestatario and the supply address, then those are the addressee and the data fattura dates it', () => {
    const text = page([
      'Enel Energia S.p.A.',
      'Viale Regina Margherita 125',
      '00198 Roma',
      'P.IVA 15844561009',
      'Bolletta luce',
      'Scadenza 20 ottobre 2026',
      'Data fattura 3 ottobre 2026',
      'Intestatario del contratto: Giulia Russo',
      'Indirizzo di fornitura: Via Garibaldi 8',
      '20121 Milano',
      'Servizio clienti 800 900 860',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Giulia Russo');
    expect(fields.address).toBe('Via Garibaldi 8, 20121 Milano');
    expect(fields.statementDate).toBe('2026-10-03');
  });

  it('when a Dutch loonstrook names the werkgever first, then the werknemer is the addressee and the uitbetalingsdatum dates it, not the birth date', () => {
    const text = page([
      'Werkgever: Van Dijk Logistiek B.V.',
      'Keizersgracht 100',
      '1015 CS Amsterdam',
      'KvK 12345678',
      'Loonstrook september 2026',
      'Geboortedatum 12-03-1990',
      'Werknemer',
      'Sanne de Vries',
      'Wilhelminastraat 19',
      '1054 WE Amsterdam',
      'Periode 01-09-2026 t/m 30-09-2026',
      'Uitbetalingsdatum 25-09-2026',
      'Nettoloon € 2.310,45',
    ]);
    const { fields } = extractFieldsByRules('payslip', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Sanne de Vries');
    expect(fields.address).toBe('Wilhelminastraat 19, 1054 WE Amsterdam');
    expect(fields.statementDate).toBe('2026-09-25');
  });

  it('when a Polish rachunek names the odbiorca below the seller, then the odbiorca is the addressee and the data wystawienia dates it', () => {
    const text = page([
      'Tauron Sprzedaż sp. z o.o.',
      'ul. Łagiewnicka 60',
      '30-417 Kraków',
      'NIP 676-22-92-224',
      'Rachunek nr 123/2026',
      'Data wystawienia: 3 października 2026',
      'Odbiorca:',
      'Anna Nowak',
      'ul. Kwiatowa 5 m. 3',
      '00-950 Warszawa',
      'Termin płatności: 17.10.2026',
      'Biuro Obsługi Klienta: 32 606 0 606',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Anna Nowak');
    expect(fields.address).toBe('ul. Kwiatowa 5 m. 3, 00-950 Warszawa');
    expect(fields.statementDate).toBe('2026-10-03');
  });

  it('when a Portuguese fatura labels the cliente and the morada, then those are the addressee and the data de emissão dates it', () => {
    const text = page([
      'EDP Comercial – Comercialização de Energia, S.A.',
      'Av. 24 de Julho, 12',
      '1249-300 Lisboa',
      'NIPC 503 504 564',
      'Fatura',
      'Data limite de pagamento: 20 de outubro de 2026',
      'Data de emissão: 3 de outubro de 2026',
      'Cliente: Ana Sofia Ferreira',
      'Morada: Rua das Flores 45, 2º Esq.',
      '4050-262 Porto',
      'Apoio ao cliente 808 53 53 53',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Ana Sofia Ferreira');
    expect(fields.address).toBe('Rua das Flores 45, 2º Esq., 4050-262 Porto');
    expect(fields.statementDate).toBe('2026-10-03');
  });

  it('when an unlabelled statement opens with the bank\'s letterhead block, then the second name-and-address block is the addressee', () => {
    const text = page([
      'Harbour Mutual',
      'PO Box 12',
      'Leeds LS1 4AP',
      'Emily Taylor',
      '12 Baker Street',
      'London NW1 6XE',
      'Statement date 12 October 2026',
      'Opening balance £1,204.10',
    ]);
    const { fields } = extractFieldsByRules('bank_statement', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Emily Taylor');
    expect(fields.address).toBe('12 Baker Street, London NW1 6XE');
  });

  it('when the issuer\'s block has no legal suffix but its telephone follows its postcode, then it is not the addressee', () => {
    const text = page([
      'Statement of account',
      'Clara Jansen',
      'Brouwersgracht 7',
      '1013 GZ Amsterdam',
      'Tel 020 555 0101',
      'Pieter Bakker',
      'Prinsengracht 263',
      '1016 GV Amsterdam',
      'Statement date 30 September 2026',
    ]);
    const { fields } = extractFieldsByRules('bank_statement', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Pieter Bakker');
    expect(fields.address).toBe('Prinsengracht 263, 1016 GV Amsterdam');
  });
});

describe('issuer cues', () => {
  it.each([
    ['Iberdrola Clientes S.A.U.', 'company'],
    ['Van Dijk Logistiek B.V.', 'company'],
    ['Tauron Sprzedaż sp. z o.o.', 'company'],
    ['Enel Energia S.p.A.', 'company'],
    ['Amtsgericht Leipzig HRB 1234', 'legal'],
    ['P.IVA 15844561009', 'legal'],
    ['TVA FR 03 552 081 317', 'legal'],
    ['Atención al cliente: 900 225 235', 'contact'],
    ['www.brightwater-energy.co.uk', 'web'],
  ])('when a line reads "%s", then it is an issuer cue (%s)', (line, kind) => {
    expect(issuerCue(line)?.kind).toBe(kind);
  });

  it.each(['Lukas Schröder', '12 Spa Road', '12 SPA ROAD', 'London SE15 4BU', 'Swansea SA1 3SN', 'Calle Mayor 12, 3º B', '1015 JX Amsterdam IBAN NL91 ABNA 0417 1643 00'])(
    'when a line reads "%s", then it carries no issuer cue',
    (line) => {
      expect(issuerCue(line)).toBeUndefined();
    },
  );
});

describe('proofs of address read through OCR noise', () => {
  it("when OCR ran the employee-id column into the address and left crumbs after the postcode, then the address is the left column and stops before the employer's footer", () => {
    const text = page([
      'Statement of earnings - October 2026',
      'Harrow Lane Consulting Ltd',
      'Employee Payment date 19/10/2026',
      'PRIYA NAIR :',
      '41 Mill Road Employee 1D 20417',
      'London E8 2DQ_ * NI number QQ 12 34 56C',
      'Net payment £2,904.10',
      'Harrow Lane Consulting Ltd, 9 Dock Street, London E1 8JN',
      'Payroll queries: 020 7946 0000',
    ]);
    const { fields } = extractFieldsByRules('payslip', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('PRIYA NAIR');
    expect(fields.address).toBe('41 Mill Road, London E8 2DQ');
    expect(fields.statementDate).toBe('2026-10-19');
  });
});

describe('role labels mid-line', () => {
  it('when "Customer:" follows an invoice number on the same line, then the name after it is the addressee; "Bank name:" names no addressee', () => {
    const text = page(['Bank name: Harbour Mutual', 'Invoice no. 4471 Customer: Tomasz Wiśniewski', 'ul. Polna 3', '61-001 Poznań', 'Invoice date 2 October 2026']);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Tomasz Wiśniewski');
    expect(fields.address).toBe('ul. Polna 3, 61-001 Poznań');
  });
});

describe('a payslip dated by its month only', () => {
  it('when a Lohnabrechnung prints only "Abrechnungsmonat Oktober 2026", then the last day of that month dates it', () => {
    const text = page(['Elbufer Logistik GmbH', 'Lohnabrechnung', 'Abrechnungsmonat Oktober 2026', 'Mitarbeiter', 'Leonie Schröder', 'Schillerstraße 75', '12165 Berlin']);
    const { fields } = extractFieldsByRules('payslip', text, { asOf: AS_OF });
    expect(fields.statementDate).toBe('2026-10-31');
    expect(fields.fullName).toBe('Leonie Schröder');
  });
});

describe('Iberian names in an address window', () => {
  it('when a Portuguese extrato prints "Maria da Silva e Santos" above her address after the bank\'s block, then she is the addressee', () => {
    const text = page([
      'Banco Atlântico, S.A.',
      'Praça do Comércio 1',
      '1100-148 Lisboa',
      'Extrato de conta',
      'Maria da Silva e Santos',
      'Rua Augusta 100, 3º Dto',
      '1100-053 Lisboa',
      'Data do extrato: 30 de setembro de 2026',
    ]);
    const { fields } = extractFieldsByRules('bank_statement', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('Maria da Silva e Santos');
    expect(fields.address).toBe('Rua Augusta 100, 3º Dto, 1100-053 Lisboa');
    expect(fields.statementDate).toBe('2026-09-30');
  });
});

describe('unlabelled periods in other languages', () => {
  it.each([
    ['01/09/2026 al 30/09/2026', '2026-09-30'],
    ['01-09-2026 t/m 30-09-2026', '2026-09-30'],
    ['01.09.2026 do 30.09.2026', '2026-09-30'],
    ['01/09/2026 até 30/09/2026', '2026-09-30'],
  ])('when a statement prints "%s" alone on a line, then its end (%s) dates it', (period, value) => {
    // A later booking date: the latest date printed is not the statement's.
    const text = page(['Kowalczyk Bank', 'Jan Kowalski', 'ul. Polna 3', '61-001 Poznań', period, '05/10/2026 Przelew 12,00 zł']);
    expect(extractFieldsByRules('bank_statement', text, { asOf: AS_OF }).fields.statementDate).toBe(value);
  });
});

describe('labels that are longer than they look', () => {
  it('when "Adresse de l\'installation" stands alone and the facture is dated by "Facture n° … du", then the address is the block under the name and the due date is not the date', () => {
    const text = page([
      'Nom de l’abonné',
      'Adresse de l’installation',
      'Fibre Services Abonnés',
      'Martin Héloïse',
      '8 rue des Tanneurs',
      '67000 STRASBOURG',
      'Facture n°77310 du 02 juillet 2026',
      'Date limite de paiement le 05 juillet 2026',
      'Prélèvement à partir du : 05 juillet 2026',
    ]);
    const { fields } = extractFieldsByRules('utility_bill', text, { asOf: AS_OF });
    expect(fields.address).toBe('8 rue des Tanneurs, 67000 STRASBOURG');
    expect(fields.statementDate).toBe('2026-07-02');
    expect(fields.fullName).toBe('Martin Héloïse');
  });

  it('when the lines after a labelled name hold card numbers and amounts, then they are not taken for an address', () => {
    const text = page(['NAME : PRIYA SHAH STATEMENT DATE : 01 AUG 26', '(S$) PAYMENT AMOUNT', '4111-1111-1111-1111 70', '02/07', 'PAGE 1 OF 2']);
    const { fields } = extractFieldsByRules('bank_statement', text, { asOf: AS_OF });
    expect(fields.fullName).toBe('PRIYA SHAH');
    expect(fields.address).toBeUndefined();
  });
});
