import { describe, expect, test } from 'vitest';
import type { CaseLabel, CorpusLabels, DocumentLabel } from '../../src/corpus/specs.js';
import type { DocumentType, Fields } from '../../src/domain/documents.js';
import type { CaseReport, Decision, DocumentReport } from '../../src/domain/report.js';
import { formatScore } from '../../src/eval/format.js';
import { fieldValuesMatch, parseReports, scoreRun } from '../../src/eval/score.js';

// Hand-made labels: two cases, three documents, written the way labels.json writes them.
const PASSPORT: DocumentLabel = {
  type: 'passport',
  fields: {
    surname: 'Müller', givenNames: 'Anna Maria', fullName: 'Anna Maria Müller', dateOfBirth: '1990-04-03',
    documentNumber: 'C01X00T47', nationality: 'DEU', issuingCountry: 'DEU', expiryDate: '2031-01-01', sex: 'F',
  },
};
const BILL: DocumentLabel = {
  type: 'utility_bill',
  fields: { fullName: 'Anna Müller', address: 'Flat 2, 4 Church St, London SW9 5BT', statementDate: '2026-10-01' },
};
const STATEMENT: DocumentLabel = {
  type: 'bank_statement',
  fields: { fullName: 'Seán Kelly', address: '76 Church Rd, Dublin D07 R60D', statementDate: '2026-09-08', iban: 'IE29AIBK93115212345678' },
  flags: ['invalid_iban'],
};

function labels(): CorpusLabels {
  const approved: CaseLabel = { decision: 'approved', reasons: [], documents: { 'passport.jpg': PASSPORT, 'bill.pdf': BILL } };
  const review: CaseLabel = { decision: 'review', reasons: ['missing_identity', 'invalid_iban'], documents: { 'statement.pdf': STATEMENT } };
  return { asOf: '2026-11-01', seed: 1, cases: { 'case-001': approved, 'case-002': review } };
}

function docReport(file: string, type: DocumentType, fields: Fields): DocumentReport {
  return { file, documentId: `sha-${file}`, type, confidence: 0.9, fields, evidence: {}, pages: [] };
}

function caseReport(caseId: string, decision: Decision, reasons: string[], documents: DocumentReport[]): CaseReport {
  return { caseId, batchId: 'b-1', status: 'completed', decision, reasons, asOf: '2026-11-01', documents, checks: [] };
}

/** Reports that say exactly what the labels say. */
function perfectReports(): CaseReport[] {
  return [
    caseReport('case-001', 'approved', [], [docReport('passport.jpg', 'passport', PASSPORT.fields), docReport('bill.pdf', 'utility_bill', BILL.fields)]),
    caseReport('case-002', 'review', ['missing_identity', 'invalid_iban'], [docReport('statement.pdf', 'bank_statement', STATEMENT.fields)]),
  ];
}

describe('scoreRun', () => {
  test('when the reports say what the labels say, then every accuracy is 100% and every goal passes', () => {
    const score = scoreRun(labels(), perfectReports());
    expect(score.documentType).toMatchObject({ correct: 3, total: 3, accuracy: 1 });
    expect(score.fields.overall).toMatchObject({ correct: 16, total: 16, accuracy: 1 });
    expect(score.fields.byField.every((f) => f.accuracy === 1)).toBe(true);
    expect(score.decision).toMatchObject({ correct: 2, total: 2, accuracy: 1 });
    expect(score.reasons.find((r) => r.code === 'invalid_iban')).toMatchObject({ expected: 1, predicted: 1, recall: 1, precision: 1 });
    expect(score.reasons.find((r) => r.code === 'underage')).toMatchObject({ expected: 0, predicted: 0, recall: null, precision: null });
    expect(score.mistakes).toEqual({ types: [], fields: [], decisions: [] });
    expect(score.goals.map((g) => g.isMet)).toEqual([true, true, true, true]);
    expect(score.falseApprovals).toEqual([]);
    expect(score.reasonsOverall).toMatchObject({ expected: 2, predicted: 2, truePositives: 2, precision: 1, recall: 1 });
    expect(score.cases).toEqual({ labelled: 2, reported: 2, missing: 0, unlabelled: 0 });
  });

  test('when a bill is classified as a bank statement, then the confusion matrix shows it off the diagonal', () => {
    const reports = perfectReports();
    reports[0]!.documents[1]!.type = 'bank_statement';
    const score = scoreRun(labels(), reports);
    expect(score.documentType).toMatchObject({ correct: 2, total: 3 });
    expect(score.documentType.matrix.utility_bill!.bank_statement).toBe(1);
    expect(score.documentType.matrix.utility_bill!.utility_bill).toBe(0);
    expect(score.documentType.matrix.passport!.passport).toBe(1);
    expect(score.mistakes.types).toEqual([{ caseId: 'case-001', file: 'bill.pdf', expected: 'utility_bill', predicted: 'bank_statement' }]);
  });

  test('when names differ only in case, accents, spacing and order, then they still count as correct', () => {
    const reports = perfectReports();
    reports[0]!.documents[0]!.fields = {
      ...PASSPORT.fields, surname: 'MULLER', givenNames: ' anna   MARIA ', fullName: 'MÜLLER, Anna Maria',
    };
    reports[0]!.documents[1]!.fields = { ...BILL.fields, fullName: 'muller anna', address: 'FLAT 2 4 CHURCH STREET LONDON SW95BT' };
    const score = scoreRun(labels(), reports);
    expect(score.fields.overall.accuracy).toBe(1);
  });

  test('when a name has a different letter, then it is wrong and listed with both values', () => {
    const reports = perfectReports();
    reports[0]!.documents[0]!.fields = { ...PASSPORT.fields, surname: 'Miller' };
    const score = scoreRun(labels(), reports);
    expect(score.fields.byField.find((f) => f.field === 'surname')).toMatchObject({ total: 1, correct: 0, wrong: 1, missing: 0 });
    expect(score.mistakes.fields).toEqual([{ caseId: 'case-001', file: 'passport.jpg', field: 'surname', expected: 'Müller', actual: 'Miller' }]);
  });

  test('when a case has no report, then its documents, fields and decision count as wrong', () => {
    const score = scoreRun(labels(), perfectReports().slice(0, 1));
    expect(score.cases).toEqual({ labelled: 2, reported: 1, missing: 1, unlabelled: 0 });
    expect(score.documents).toMatchObject({ labelled: 3, reported: 2, missing: 1 });
    expect(score.documentType).toMatchObject({ correct: 2, total: 3 });
    expect(score.documentType.matrix.bank_statement!.missing).toBe(1);
    expect(score.fields.overall).toMatchObject({ correct: 12, total: 16 });
    expect(score.fields.byField.find((f) => f.field === 'iban')).toMatchObject({ total: 1, correct: 0, missing: 1 });
    expect(score.decision).toMatchObject({ correct: 1, total: 2 });
    expect(score.decision.matrix.review.missing).toBe(1);
    expect(score.reasons.find((r) => r.code === 'missing_identity')).toMatchObject({ expected: 1, predicted: 0, recall: 0, precision: null });
  });

  test('when one document of a case is not reported, then only that document counts as missing', () => {
    const reports = perfectReports();
    reports[0]!.documents.pop();
    const score = scoreRun(labels(), reports);
    expect(score.documents).toMatchObject({ labelled: 3, reported: 2, missing: 1 });
    expect(score.documentType.matrix.utility_bill!.missing).toBe(1);
    expect(score.decision.accuracy).toBe(1);
  });

  test('when decisions are wrong, then the decision matrix counts expected × predicted and reasons get precision', () => {
    const reports = perfectReports();
    reports[0]!.decision = 'review';
    reports[0]!.reasons = ['name_mismatch'];
    reports[1]!.decision = 'rejected';
    reports[1]!.reasons = ['expired_document', 'invalid_iban'];
    const score = scoreRun(labels(), reports);
    expect(score.decision).toMatchObject({ correct: 0, total: 2, accuracy: 0 });
    expect(score.decision.matrix).toEqual({
      approved: { approved: 0, rejected: 0, review: 1, missing: 0 },
      rejected: { approved: 0, rejected: 0, review: 0, missing: 0 },
      review: { approved: 0, rejected: 1, review: 0, missing: 0 },
    });
    expect(score.reasons.find((r) => r.code === 'name_mismatch')).toMatchObject({ expected: 0, predicted: 1, truePositives: 0, precision: 0, recall: null });
    expect(score.reasons.find((r) => r.code === 'missing_identity')).toMatchObject({ recall: 0 });
    expect(score.reasons.find((r) => r.code === 'invalid_iban')).toMatchObject({ recall: 1, precision: 1 });
    expect(score.goals.find((g) => g.name === 'decisions')).toMatchObject({ accuracy: 0, isMet: false });
  });

  test('when the engine gives a reason code outside the policy list, then it is scored too', () => {
    const reports = perfectReports();
    reports[0]!.reasons = ['low_confidence'];
    const score = scoreRun(labels(), reports);
    expect(score.reasons.at(-1)).toMatchObject({ code: 'low_confidence', expected: 0, predicted: 1, precision: 0 });
  });

  test('when reports hold an unlabelled case or file, then they are ignored and counted as unlabelled', () => {
    const reports = [...perfectReports(), caseReport('case-999', 'approved', [], [])];
    reports[0]!.documents.push(docReport('extra.pdf', 'payslip', {}));
    const score = scoreRun(labels(), reports);
    expect(score.cases.unlabelled).toBe(1);
    expect(score.documents.unlabelled).toBe(1);
    expect(score.documentType.accuracy).toBe(1);
  });
});

describe('fieldValuesMatch', () => {
  test('when dates differ in format, then they do not match (dates are exact)', () => {
    expect(fieldValuesMatch('dateOfBirth', '1990-04-03', '1990-04-03')).toBe(true);
    expect(fieldValuesMatch('dateOfBirth', '1990-04-03', '03/04/1990')).toBe(false);
  });

  test('when an IBAN is grouped in fours, then it matches the compact one', () => {
    expect(fieldValuesMatch('iban', 'IE29AIBK93115212345678', 'IE29 AIBK 9311 5212 3456 78')).toBe(true);
  });

  test('when given names are in another order, then they do not match (only fullName ignores order)', () => {
    expect(fieldValuesMatch('givenNames', 'Anna Maria', 'Maria Anna')).toBe(false);
    expect(fieldValuesMatch('fullName', 'Anna Maria Müller', 'Müller Anna Maria')).toBe(true);
  });

  test('when countries differ in case, then they do not match (countries are exact)', () => {
    expect(fieldValuesMatch('nationality', 'DEU', 'deu')).toBe(false);
  });

  test('when the engine gives an empty value, then it does not match', () => {
    expect(fieldValuesMatch('surname', 'Kelly', '  ')).toBe(false);
    expect(fieldValuesMatch('surname', 'Kelly', undefined)).toBe(false);
  });
});

describe('parseReports', () => {
  test('when the CLI output has log lines around the JSON line, then the cases are found', () => {
    const text = `starting\n${JSON.stringify({ batchId: 'b-1', cases: perfectReports() })}\n`;
    expect(parseReports(text).map((c) => c.caseId)).toEqual(['case-001', 'case-002']);
  });

  test('when the text holds no reports, then it throws', () => {
    expect(() => parseReports('{"batchId":"b-1"}')).toThrow(/no case reports/);
  });
});

describe('formatScore', () => {
  test('when a run is formatted, then it prints the matrices and a PASS/BELOW line per goal', () => {
    const reports = perfectReports();
    reports[1]!.decision = 'approved';
    const text = formatScore(scoreRun(labels(), reports));
    expect(text).toContain('Document type: 3/3 = 100.0%');
    expect(text).toContain('Decisions: 1/2 = 50.0%');
    expect(text).toMatch(/document type\s+≥ 98%\s+100\.0%\s+PASS/);
    expect(text).toMatch(/decisions\s+≥ 95%\s+50\.0%\s+BELOW/);
  });
});

describe('false approvals, reasons overall, MRZ honesty and unknown types', () => {
  test('when a case that should go to review is approved, then it is a false approval listed with the checks that did not pass', () => {
    const reports = perfectReports();
    reports[1]!.decision = 'approved';
    reports[1]!.reasons = [];
    reports[1]!.checks = [
      { id: 'iban_valid', status: 'inconclusive', detail: 'unreadable', file: 'statement.pdf' },
      { id: 'document_readable', status: 'pass', detail: 'ok' },
    ];
    const score = scoreRun(labels(), reports);
    expect(score.falseApprovals).toEqual([
      { caseId: 'case-002', expected: 'review', expectedReasons: ['missing_identity', 'invalid_iban'], notPassed: ['iban_valid: inconclusive (statement.pdf)'] },
    ]);
    const text = formatScore(score);
    expect(text).toContain('FALSE APPROVALS: 1');
    expect(text).toContain('case-002: truth review [missing_identity, invalid_iban]; checks not passed: iban_valid: inconclusive (statement.pdf)');
    // Printed first: before the decisions, types, fields and reasons.
    expect(text.indexOf('FALSE APPROVALS')).toBeLessThan(text.indexOf('Decisions:'));
    expect(text.indexOf('Decisions:')).toBeLessThan(text.indexOf('Document type:'));
    expect(text.indexOf('Fields:')).toBeLessThan(text.indexOf('Reasons:'));
    expect(text).toMatch(/false approvals\s+= 0\s+1\s+BELOW/);
  });

  test('when an approvable case goes to review, then it is not a false approval (a false alarm is another mistake)', () => {
    const reports = perfectReports();
    reports[0]!.decision = 'review';
    reports[0]!.reasons = ['name_mismatch'];
    expect(scoreRun(labels(), reports).falseApprovals).toEqual([]);
  });

  test('when the engine gives spurious reasons, then the overall precision counts them over every code', () => {
    const reports = perfectReports();
    reports[0]!.decision = 'review';
    reports[0]!.reasons = ['name_mismatch', 'address_mismatch'];
    const score = scoreRun(labels(), reports);
    expect(score.reasonsOverall).toMatchObject({ expected: 2, predicted: 4, truePositives: 2, precision: 0.5, recall: 1 });
    expect(score.goals.find((g) => g.name === 'reasonsPrecision')).toMatchObject({ accuracy: 0.5, isMet: false });
    expect(formatScore(score)).toContain('Reasons: precision 50.0% (2/4 given were expected), recall 100.0% (2/2 expected were given)');
  });

  test('when a document is labelled with a type the engine does not list, then it gets its own matrix row', () => {
    const permit: DocumentLabel = { type: 'residence_permit' as DocumentType, fields: { documentNumber: '123456789' } };
    const l = labels();
    l.cases['case-001']!.documents['permit.jpg'] = permit;
    const reports = perfectReports();
    reports[0]!.documents.push(docReport('permit.jpg', 'passport', { documentNumber: '123456789' }));
    const score = scoreRun(l, reports);
    expect(score.documentType.types.at(-1)).toBe('residence_permit');
    expect(score.documentType.matrix.residence_permit!.passport).toBe(1);
    expect(score.documentType).toMatchObject({ correct: 3, total: 4 });
    expect(formatScore(score)).toMatch(/^residence_permit\s+1\s/m);
  });

  test('when an MRZ passes with a wrong document number, and a wrong printed digit passes, then both are counted', () => {
    const l = labels();
    l.cases['case-001']!.documents['passport.jpg'] = { ...PASSPORT, flags: ['mrz_checksum'] };
    const second: DocumentLabel = { type: 'id_card', fields: { documentNumber: 'L01X00T47' } };
    l.cases['case-001']!.documents['card.png'] = second;
    const reports = perfectReports();
    reports[0]!.documents.push(docReport('card.png', 'id_card', { documentNumber: 'LO1X0OT47' }));
    reports[0]!.checks = [
      { id: 'mrz_checksum', status: 'pass', detail: 'agree', file: 'passport.jpg' },
      { id: 'mrz_checksum', status: 'pass', detail: 'agree', file: 'card.png' },
    ];
    const score = scoreRun(l, reports);
    expect(score.mrz).toMatchObject({ passVerdicts: 2, passWithWrongNumber: 1, wrongDigitDocuments: 1, wrongDigitFailed: 0 });
    expect(score.mrz.wrongNumbers).toEqual([{ caseId: 'case-001', file: 'card.png', expected: 'L01X00T47', actual: 'LO1X0OT47' }]);
    expect(score.mrz.wrongDigitMissed).toEqual([{ caseId: 'case-001', file: 'passport.jpg', status: 'pass' }]);
    expect(formatScore(score)).toContain('MRZ honesty: 1 of 2 `mrz_checksum: pass` verdicts carry a wrong document number; wrong printed check digits failed: 0/1');
    reports[0]!.checks[0]!.status = 'fail';
    expect(scoreRun(l, reports).mrz).toMatchObject({ passVerdicts: 1, wrongDigitFailed: 1, wrongDigitMissed: [] });
  });

  test('when a corpus name is given, then it heads the printout', () => {
    expect(formatScore(scoreRun(labels(), perfectReports(), { corpus: 'v2' }))).toMatch(/^KYC evaluation — corpus v2 \(seed 1/);
  });
});
