/**
 * A reviewer's corrected value is held against what the engine verified: the document's own MRZ
 * (where a check digit or an independent reading vouches for the value) and the other identity
 * documents of the case. A contradiction leaves a failed check; merged as the review workflow
 * merges re-run checks, it stays on the case and an approval has to override it.
 */
import { describe, expect, it } from 'vitest';

import { runChecks, type CheckDocument } from '../../src/domain/checks.js';
import { decideCase } from '../../src/domain/decision.js';
import type { Check } from '../../src/domain/report.js';
import {
  contradictionText,
  correctionChecks,
  correctionContradictions,
  CORRECTION_CHECK_ID,
  DIFFERS_FROM_MRZ,
  type CorrectableDocument,
} from '../../src/review/correction-checks.js';
import { checksAfterCorrections, failedCheckIds } from '../../src/review/rules.js';
import type { FieldCorrection } from '../../src/review/types.js';

const PASSPORT_FIELDS = { surname: 'MÜLLER', givenNames: 'ANNA', dateOfBirth: '1990-04-12', expiryDate: '2030-01-01', documentNumber: '925076473', nationality: 'GBR' };

function passport(overrides: Partial<CorrectableDocument> = {}): CorrectableDocument {
  return {
    documentId: 'd-passport',
    file: 'passport.jpg',
    type: 'passport',
    fields: { ...PASSPORT_FIELDS },
    evidence: { dateOfBirth: { source: 'mrz' }, expiryDate: { source: 'mrz' }, documentNumber: { source: 'mrz' }, surname: { source: 'mrz' } },
    mrzFieldStatus: { documentNumber: 'read', dateOfBirth: 'read', expiryDate: 'read', surname: 'read' },
    ...overrides,
  };
}

function idCard(overrides: Partial<CorrectableDocument> = {}): CorrectableDocument {
  return {
    documentId: 'd-card',
    file: 'card.jpg',
    type: 'id_card',
    fields: { surname: 'MÜLLER', givenNames: 'ANNA', dateOfBirth: '1990-04-12', documentNumber: 'L01X00T47' },
    evidence: { dateOfBirth: { source: 'text' }, documentNumber: { source: 'text' } },
    ...overrides,
  };
}

const fix = (field: FieldCorrection['field'], value: string, documentId = 'd-passport'): FieldCorrection => ({ documentId, field, value });

describe('a correction held against the document\'s MRZ', () => {
  it('when a corrected expiry date differs from a check-digit-verified MRZ date, then the check fails naming the field', () => {
    const checks = correctionChecks({ documents: [passport()], corrections: [fix('expiryDate', '2031-05-20')] });
    expect(checks).toEqual([{ id: CORRECTION_CHECK_ID, status: 'fail', detail: `Expiry date: ${DIFFERS_FROM_MRZ}`, file: 'passport.jpg' }]);
    // The detail names the field, never the values (they are PII).
    expect(checks[0]!.detail).not.toContain('2031');
    expect(checks[0]!.detail).not.toContain('2030');
    // …and the field in words, not as its code.
    expect(checks[0]!.detail).not.toContain('expiryDate');
  });

  it.each(['repaired', 'corroborated'] as const)('when the MRZ value is %s, then it counts as verified too', (status) => {
    const checks = correctionChecks({ documents: [passport({ mrzFieldStatus: { expiryDate: status } })], corrections: [fix('expiryDate', '2031-05-20')] });
    expect(checks.map((c) => c.status)).toEqual(['fail']);
  });

  it.each(['unverified', 'failed'] as const)('when the MRZ value is %s, then the correction is not held against it (it may be the fix)', (status) => {
    const checks = correctionChecks({ documents: [passport({ mrzFieldStatus: { expiryDate: status } })], corrections: [fix('expiryDate', '2031-05-20')] });
    expect(checks).toEqual([]);
  });

  it('when a corrected document number differs from the MRZ only in spacing or case, then it agrees', () => {
    const checks = correctionChecks({ documents: [passport()], corrections: [fix('documentNumber', '925 076 473')] });
    expect(checks).toEqual([{ id: CORRECTION_CHECK_ID, status: 'pass', detail: 'corrected values agree with the MRZ', file: 'passport.jpg' }]);
    const other = correctionChecks({ documents: [passport()], corrections: [fix('documentNumber', '925076478')] });
    expect(other.map((c) => [c.status, c.detail])).toEqual([['fail', `Document number: ${DIFFERS_FROM_MRZ}`]]);
  });

  it('when a corrected date differs from the MRZ only in the century, then it agrees (the MRZ holds YYMMDD)', () => {
    const doc = passport({ fields: { ...PASSPORT_FIELDS, dateOfBirth: '2024-03-01' } });
    expect(correctionChecks({ documents: [doc], corrections: [fix('dateOfBirth', '1924-03-01')] }).map((c) => c.status)).toEqual(['pass']);
  });

  it('when a corrected date is not a date at all, then it contradicts the MRZ date', () => {
    expect(correctionChecks({ documents: [passport()], corrections: [fix('expiryDate', '01.01.2030')] }).map((c) => c.status)).toEqual(['fail']);
  });

  it('when a name is corrected, then it is not held against the MRZ (transliterated, no check digit)', () => {
    expect(correctionChecks({ documents: [passport()], corrections: [fix('surname', 'Mueller-Schmidt')] })).toEqual([]);
  });

  it('when the value came from the printed zone and not the MRZ, then only a date (printed century, MRZ YYMMDD) is compared', () => {
    const printedNumber = passport({ evidence: { documentNumber: { source: 'text' }, expiryDate: { source: 'text' } } });
    expect(correctionChecks({ documents: [printedNumber], corrections: [fix('documentNumber', 'X1')] })).toEqual([]);
    expect(correctionChecks({ documents: [printedNumber], corrections: [fix('expiryDate', '2031-05-20')] }).map((c) => c.status)).toEqual(['fail']);
  });

  it('when the document has no MRZ, then nothing is compared', () => {
    const licence: CorrectableDocument = { documentId: 'd-l', file: 'licence.jpg', type: 'driving_licence', fields: { expiryDate: '2030-01-01' }, evidence: { expiryDate: { source: 'text' } } };
    expect(correctionChecks({ documents: [licence], corrections: [fix('expiryDate', '2031-05-20', 'd-l')] })).toEqual([]);
  });

  it('when the same field is corrected twice in one decision, then the last value is the one judged', () => {
    const checks = correctionChecks({ documents: [passport()], corrections: [fix('expiryDate', '2031-05-20'), fix('expiryDate', '2030-01-01')] });
    expect(checks.map((c) => c.status)).toEqual(['pass']);
  });
});

describe('a correction held against the other identity documents', () => {
  it('when a corrected birth date differs from another identity document\'s, then the check fails naming that kind of document', () => {
    const checks = correctionChecks({ documents: [idCard({ fields: { dateOfBirth: '1990-04-21' } }), passport()], corrections: [fix('dateOfBirth', '1990-04-22', 'd-card')] });
    expect(checks).toEqual([{ id: CORRECTION_CHECK_ID, status: 'fail', detail: 'Date of birth: corrected value differs from the passport', file: 'card.jpg' }]);
  });

  it('when a corrected birth date agrees with the other identity document, then the check passes', () => {
    const checks = correctionChecks({ documents: [idCard({ fields: { dateOfBirth: '1990-04-21' } }), passport()], corrections: [fix('dateOfBirth', '1990-04-12', 'd-card')] });
    expect(checks.map((c) => [c.status, c.detail])).toEqual([['pass', 'corrected values agree with the passport']]);
  });

  it('when the other document\'s birth date is itself in doubt (its MRZ digit failed), then it is not compared', () => {
    const doubtful = passport({ fields: { ...PASSPORT_FIELDS, dateOfBirth: '1950-04-12' }, mrzFieldStatus: { dateOfBirth: 'failed' } });
    expect(correctionChecks({ documents: [idCard(), doubtful], corrections: [fix('dateOfBirth', '1990-04-12', 'd-card')] })).toEqual([]);
  });

  it('when a birth date is corrected on both documents at once, then each is judged against the other\'s corrected value', () => {
    const checks = correctionChecks({
      documents: [idCard(), passport({ mrzFieldStatus: { dateOfBirth: 'failed' } })],
      corrections: [fix('dateOfBirth', '1991-01-01', 'd-card'), fix('dateOfBirth', '1992-02-02')],
    });
    expect(checks.map((c) => [c.file, c.status])).toEqual([['card.jpg', 'fail'], ['passport.jpg', 'fail']]);
  });

  it('when a document number differs from a document of another type, then that is no contradiction; of the same type, it is', () => {
    expect(correctionChecks({ documents: [idCard(), passport()], corrections: [fix('documentNumber', 'ZZ1234567', 'd-card')] })).toEqual([]);
    const back = idCard({ documentId: 'd-back', file: 'card-back.jpg' });
    const checks = correctionChecks({ documents: [idCard(), back], corrections: [fix('documentNumber', 'ZZ1234567', 'd-card')] });
    expect(checks.map((c) => [c.status, c.detail])).toEqual([['fail', 'Document number: corrected value differs from the identity card']]);
  });

  it('when a proof of address is corrected, then it is not compared with identity documents', () => {
    const bill: CorrectableDocument = { documentId: 'd-bill', file: 'bill.pdf', type: 'utility_bill', fields: { statementDate: '2026-10-02' }, evidence: {} };
    expect(correctionChecks({ documents: [passport(), bill], corrections: [fix('statementDate', '2026-10-03', 'd-bill')] })).toEqual([]);
  });
});

describe('merged as the review workflow merges a re-run', () => {
  const CHECK_DOC: CheckDocument = {
    file: 'passport.jpg',
    type: 'passport',
    fields: { ...PASSPORT_FIELDS },
    mrz: { format: 'TD3', valid: true, failedChecks: [], repaired: false, fieldStatus: { expiryDate: 'read' }, visualCompared: ['expiryDate'], visualMismatches: [] },
  };
  const bill: CheckDocument = { file: 'bill.pdf', type: 'utility_bill', fields: { fullName: 'Anna Müller', address: '1 High Street, London SW1A 1AA', statementDate: '2026-10-02' } };
  const input = { applicant: { fullName: 'Anna Müller', address: '1 High Street, London SW1A 1AA' }, documents: [CHECK_DOC, bill], asOf: '2026-11-01', sanctions: [] };

  /** The review workflow's merge: the re-run (without the MRZ summary) plus the corrections' verdicts. */
  function afterCorrection(previous: Check[], documents: CorrectableDocument[], corrections: FieldCorrection[]): Check[] {
    const corrected = input.documents.map(({ mrz: _mrz, ...doc }) => ({ ...doc, fields: { ...doc.fields, ...(doc.file === 'passport.jpg' ? Object.fromEntries(corrections.map((c) => [c.field, c.value])) : {}) } }));
    const rerun = runChecks({ ...input, documents: corrected });
    return checksAfterCorrections(previous, [...rerun, ...correctionChecks({ documents, corrections, previous })]);
  }

  it('when the expiry typed contradicts the MRZ, then the case carries a failed check, it is not approved by policy, and an approval overrides it', () => {
    const before = runChecks(input);
    expect(decideCase(before, input.documents).decision).toBe('approved');
    const checks = afterCorrection(before, [passport()], [fix('expiryDate', '2031-05-20')]);
    // The re-run alone would have passed: a valid-looking future date.
    expect(checks.filter((c) => c.id === 'document_not_expired').map((c) => c.status)).toEqual(['pass']);
    expect(checks.filter((c) => c.id === CORRECTION_CHECK_ID)).toEqual([expect.objectContaining({ status: 'fail', file: 'passport.jpg' })]);
    expect(decideCase(checks, input.documents)).toMatchObject({ decision: 'review', reasons: ['correction_mismatch'] });
    expect(failedCheckIds(checks)).toEqual([CORRECTION_CHECK_ID]);
  });

  it('when a later correction of another field agrees, then the earlier contradiction stays on the document', () => {
    const first = afterCorrection(runChecks(input), [passport()], [fix('expiryDate', '2031-05-20')]);
    const corrected = passport({
      fields: { ...PASSPORT_FIELDS, expiryDate: '2031-05-20' },
      evidence: { ...passport().evidence, expiryDate: { source: 'reviewer', correctedBy: 'rosa', previous: '2030-01-01' } },
    });
    const second = afterCorrection(first, [corrected], [fix('documentNumber', '925076473')]);
    const verdicts = second.filter((c) => c.id === CORRECTION_CHECK_ID);
    expect(verdicts).toEqual([{ id: CORRECTION_CHECK_ID, status: 'fail', detail: `Expiry date: ${DIFFERS_FROM_MRZ}`, file: 'passport.jpg' }]);
  });

  it('when a later decision corrects nothing on that document, then the failed verdict is kept', () => {
    const first = afterCorrection(runChecks(input), [passport()], [fix('expiryDate', '2031-05-20')]);
    const rerun = runChecks({ ...input, documents: input.documents.map(({ mrz: _m, ...d }) => d) });
    const kept = checksAfterCorrections(first, [...rerun, ...correctionChecks({ documents: [passport()], corrections: [], previous: first })]);
    expect(kept.filter((c) => c.id === CORRECTION_CHECK_ID).map((c) => c.status)).toEqual(['fail']);
  });
});

describe('the contradictions the page warns about before sending', () => {
  it('when corrections contradict the MRZ and another document, then each is listed with what it contradicts, as the check words it', () => {
    const found = correctionContradictions({
      documents: [passport(), idCard()],
      corrections: [fix('expiryDate', '2031-05-20'), fix('dateOfBirth', '1990-04-13', 'd-card'), fix('documentNumber', '925076473')],
    });
    expect(found).toEqual([
      { documentId: 'd-passport', file: 'passport.jpg', field: 'expiryDate', against: 'mrz' },
      { documentId: 'd-card', file: 'card.jpg', field: 'dateOfBirth', against: 'passport', otherFile: 'passport.jpg' },
    ]);
    expect(found.map(contradictionText)).toEqual([`Expiry date: ${DIFFERS_FROM_MRZ}`, 'Date of birth: corrected value differs from the passport']);
  });
});
