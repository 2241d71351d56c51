import { describe, expect, it } from 'vitest';

import { analyseByRules } from '../../src/domain/analysis.js';
import { runChecks, type CheckDocument } from '../../src/domain/checks.js';
import type { PageText } from '../../src/domain/documents.js';

const AS_OF = '2026-11-01';

/** A statement page; `iban` is printed on its IBAN line. */
function statementPage(iban: string, method: PageText['method']): PageText {
  const text = `Albion Bank plc
Current Account Statement
Emily Taylor
12 Baker Street
London NW1 6XE
Statement date 09/09/2026
Statement period 10/08/2026 to 09/09/2026
IBAN ${iban}
Date Description Paid out Paid in Balance
Opening balance £3,487.47
17/08/2026 DIRECT DEBIT ENERGY SUPPLY £129.13 £3,358.34
18/08/2026 CARD PAYMENT CORNER GROCER £54.41 £3,303.93
19/08/2026 CARD PAYMENT CORNER GROCER £59.98 £3,243.95
Closing balance £3,243.95`;
  return { page: 1, text, confidence: method === 'ocr' ? 0.8 : 1, method };
}

/** The iban_valid verdict the checks give the statement analysed from `page`. */
function ibanCheck(page: PageText): { status: string; detail: string } | undefined {
  const analysis = analyseByRules([page], { asOf: AS_OF });
  const doc: CheckDocument = { file: 'statement.pdf', type: analysis.type, fields: analysis.fields, evidence: analysis.evidence };
  const check = runChecks({ applicant: undefined, documents: [doc], asOf: AS_OF }).find((c) => c.id === 'iban_valid');
  return check && { status: check.status, detail: check.detail };
}

describe('iban_valid from the analysis of a statement', () => {
  it('when the text layer prints a valid IBAN, then the check passes', () => {
    expect(ibanCheck(statementPage('GB29 NWBK 6016 1331 9268 19', 'pdf-text'))?.status).toBe('pass');
  });

  it('when OCR misread one digit of the IBAN, then the check is inconclusive, not a spurious invalid_iban', () => {
    const check = ibanCheck(statementPage('GB29 NWBK 6016 1331 9263 19', 'ocr'));
    expect(check?.status).toBe('inconclusive');
    expect(check?.detail).toMatch(/could not be verified/);
  });

  it('when the text layer prints an IBAN that fails mod-97, then the check fails', () => {
    expect(ibanCheck(statementPage('GB29 NWBK 6016 1331 9263 19', 'pdf-text'))?.status).toBe('fail');
  });

  it('when OCR read an O in the numeric account part, then the repair by position passes', () => {
    expect(ibanCheck(statementPage('GB29 NWBK 6O16 1331 9268 19', 'ocr'))?.status).toBe('pass');
  });

  it('when the IBAN line is cut short, then the check says unreadable and is inconclusive', () => {
    const check = ibanCheck(statementPage('GB29 NWBK 60', 'ocr'));
    expect(check).toMatchObject({ status: 'inconclusive', detail: expect.stringMatching(/could not be read/) });
  });
});
