import { describe, expect, it } from 'vitest';

import { findAddressInText, findNameInText } from '../../src/domain/addressee-verification.js';

/** A Spanish bill written for these tests: Iberdrola's letterhead and footer, the customer under "Titular". */
function spanishBill(customer: string[]): Array<{ page: number; text: string }> {
  return [
    { page: 1, text: ['Iberdrola Clientes S.A.U.', 'C/ Tomás Redondo 1', '28033 Madrid', 'CIF A-95758389', 'FACTURA DE ELECTRICIDAD'].join('\n') },
    {
      page: 2,
      text: ['Fecha de emisión: 3 de octubre de 2026', 'Titular', ...customer, 'Importe total 84,20 €', 'Atención al cliente: 900 225 235 · www.iberdrola.es'].join('\n'),
    },
  ];
}

describe('findNameInText: is the declared applicant named on the document?', () => {
  it('when OCR dropped the accents of the printed name, then the declared name is found with its page and span', () => {
    const found = findNameInText(spanishBill(['JUAN GARCIA LOPEZ', 'Calle Mayor 12, 3º B', '28013 Madrid']), 'Juan García López');
    expect(found?.evidence).toEqual({ source: 'text', page: 2, text: 'JUAN GARCIA LOPEZ' });
    expect(found?.score).toBeGreaterThan(0.95);
  });

  it('when the name is printed surname first with a comma, then it is found', () => {
    expect(findNameInText(spanishBill(['GARCÍA LÓPEZ, JUAN', 'Calle Mayor 12']), 'Juan García López')?.evidence?.text).toBe('GARCÍA LÓPEZ, JUAN');
  });

  it('when the given name is an initial, then it is found', () => {
    expect(findNameInText(spanishBill(['Sr. J. García López', 'Calle Mayor 12']), 'Juan García López')).toBeDefined();
  });

  it('when OCR split the name over two lines, then the two parts are found together', () => {
    const found = findNameInText(spanishBill(['Juan García', 'López', 'Calle Mayor 12']), 'Juan García López');
    expect(found?.evidence?.text).toBe('Juan García\nLópez');
  });

  it('when a word has an OCR slip (l for í), then it is still found', () => {
    expect(findNameInText(spanishBill(['JUAN GARClA LOPEZ']), 'Juan García López')).toBeDefined();
  });

  it('when another person with the same surnames is named, then the applicant is not found', () => {
    expect(findNameInText(spanishBill(['María García López', 'Calle Mayor 12']), 'Juan García López')).toBeUndefined();
  });

  it("when the declared name is only in the issuer's letterhead, then it is not found", () => {
    expect(findNameInText(spanishBill(['Ana Ruiz']), 'Tomás Redondo')).toBeUndefined();
  });
});

describe('findAddressInText: is the document addressed to the declared address?', () => {
  it('when OCR read a 0 of the postcode as O, then the declared address is found with its span', () => {
    const found = findAddressInText(spanishBill(['JUAN GARCÍA LÓPEZ', 'Calle Mayor 12, 3º B', '28O13 Madrid']), 'Calle Mayor 12, 3º B, 28013 Madrid');
    expect(found?.evidence).toEqual({ source: 'text', page: 2, text: 'Calle Mayor 12, 3º B\n28013 Madrid' });
  });

  it('when the postcode differs, then the address is not found', () => {
    expect(findAddressInText(spanishBill(['Calle Mayor 12, 3º B', '28014 Madrid']), 'Calle Mayor 12, 3º B, 28013 Madrid')).toBeUndefined();
  });

  it('when the house number differs, then the address is not found', () => {
    expect(findAddressInText(spanishBill(['Calle Mayor 14, 3º B', '28013 Madrid']), 'Calle Mayor 12, 3º B, 28013 Madrid')).toBeUndefined();
  });

  it("when the declared address is the issuer's, then it is not found", () => {
    expect(findAddressInText(spanishBill(['Calle Mayor 12', '28013 Madrid']), 'C/ Tomás Redondo 1, 28033 Madrid')).toBeUndefined();
  });

  it('when a German address was written with "Str." and OCR read ß as b, then it is found', () => {
    const pages = [{ page: 1, text: ['Stadtwerke Lindenau GmbH · Hafenstraße 3 · 04109 Leipzig', 'Herrn', 'Lukas Schröder', 'Schillerstrabe 75', '12165 Berlin', 'Rechnungsdatum 03.10.2026'].join('\n') }];
    expect(findAddressInText(pages, 'Schillerstr. 75, 12165 Berlin')).toBeDefined();
    expect(findNameInText(pages, 'Lukas Schroder')).toBeDefined();
  });
});
