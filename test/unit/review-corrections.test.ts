/**
 * A reviewer's correction re-runs the checks on the corrected values, as the case workflow does
 * (the re-run gets the corrected fields, not the MRZ band); a correction never makes a failed check
 * disappear without a new verdict.
 */
import { describe, expect, it } from 'vitest';

import { CHECK_IDS, runChecks, type CheckDocument, type CheckInput } from '../../src/domain/checks.js';
import { decideCase } from '../../src/domain/decision.js';
import type { FieldName } from '../../src/domain/documents.js';
import type { Check } from '../../src/domain/report.js';
import { checksAfterCorrections, failedCheckIds, KEPT_AFTER_CORRECTION } from '../../src/review/rules.js';

const AS_OF = '2026-11-01';

function passport(mrz: CheckDocument['mrz']): CheckDocument {
  return {
    file: 'passport.jpg',
    type: 'passport',
    fields: { surname: 'MÜLLER', givenNames: 'ANNA', dateOfBirth: '1990-04-12', expiryDate: '2031-05-20', documentNumber: '925076473', nationality: 'GBR' },
    ...(mrz ? { mrz } : {}),
  };
}

function bill(file = 'bill.pdf', iban = 'GB82WEST12345698765432'): CheckDocument {
  return { file, type: 'utility_bill', fields: { fullName: 'Anna Müller', address: '1 High Street, London SW1A 1AA', statementDate: '2026-10-02', iban } };
}

function caseWith(documents: CheckDocument[]): CheckInput {
  return {
    applicant: { fullName: 'Anna Müller', dateOfBirth: '1990-04-12', address: '1 High Street, London SW1A 1AA' },
    documents,
    asOf: AS_OF,
    sanctions: [],
  };
}

/** What applyCorrections does: the corrected fields into the documents, the checks re-run without the MRZ summary. */
function corrected(input: CheckInput, corrections: Array<{ file: string; field: FieldName; value: string }>): Check[] {
  const previous = runChecks(input);
  const documents = input.documents.map((doc) => {
    const fields = { ...doc.fields };
    for (const c of corrections.filter((x) => x.file === doc.file)) fields[c.field] = c.value;
    return { file: doc.file, type: doc.type, fields, ...(doc.error ? { error: doc.error } : {}) };
  });
  return checksAfterCorrections(previous, runChecks({ ...input, documents }));
}

const statusOf = (checks: readonly Check[], id: string, file?: string): string[] =>
  checks.filter((c) => c.id === id && (file === undefined || c.file === file)).map((c) => c.status);

const BROKEN_MRZ = { format: 'TD3' as const, valid: false, failedChecks: ['expiryDate'], repaired: false, visualCompared: ['expiryDate' as const], visualMismatches: [] };

describe('checks after a reviewer corrects fields', () => {
  it('when the expiry date of a passport whose MRZ check digit fails is corrected, then mrz_checksum still fails and the case is not approved', () => {
    const input = caseWith([passport(BROKEN_MRZ), bill()]);
    expect(statusOf(runChecks(input), 'mrz_checksum')).toEqual(['fail']);
    const checks = corrected(input, [{ file: 'passport.jpg', field: 'expiryDate', value: '2032-01-01' }]);
    const mrz = checks.filter((c) => c.id === 'mrz_checksum');
    expect(mrz).toEqual([expect.objectContaining({ status: 'fail', file: 'passport.jpg' })]);
    expect(mrz[0]!.detail).toContain(KEPT_AFTER_CORRECTION.trim());
    expect(statusOf(checks, 'mrz_vs_visual')).toEqual(['pass']);
    expect(decideCase(checks, input.documents).decision).toBe('review');
  });

  it('when a corrected field changes a recomputable verdict, then the new verdict replaces the old one', () => {
    const input = caseWith([{ ...passport(undefined), fields: { ...passport(undefined).fields, expiryDate: '2024-02-02' } }, bill()]);
    expect(statusOf(runChecks(input), 'document_not_expired')).toEqual(['fail']);
    const checks = corrected(input, [{ file: 'passport.jpg', field: 'expiryDate', value: '2030-02-02' }]);
    expect(statusOf(checks, 'document_not_expired')).toEqual(['pass']);
    expect(checks.find((c) => c.id === 'document_not_expired')!.detail).not.toContain(KEPT_AFTER_CORRECTION.trim());
  });

  it('when a corrected value is still wrong, then its check fails again (re-run, not trusted)', () => {
    const input = caseWith([passport(undefined), bill()]);
    const checks = corrected(input, [{ file: 'bill.pdf', field: 'iban', value: 'GB83WEST12345698765432' }]);
    expect(statusOf(checks, 'iban_valid')).toEqual(['fail']);
  });

  it('when the corrected checks are listed, then they keep the order runChecks reports them in', () => {
    const input = caseWith([passport(BROKEN_MRZ), bill()]);
    const ids = corrected(input, [{ file: 'passport.jpg', field: 'expiryDate', value: '2032-01-01' }]).map((c) => c.id);
    const order = ids.map((id) => (CHECK_IDS as readonly string[]).indexOf(id));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(ids).toEqual(runChecks(input).map((c) => c.id));
  });

  it('when a check of one document gets no new verdict while the same check of another does, then the first keeps its failure', () => {
    const previous: Check[] = [
      { id: 'iban_valid', status: 'fail', detail: 'IBAN fails', file: 'a.pdf' },
      { id: 'iban_valid', status: 'pass', detail: 'IBAN valid', file: 'b.pdf' },
    ];
    const rerun: Check[] = [{ id: 'iban_valid', status: 'pass', detail: 'IBAN valid', file: 'b.pdf' }];
    expect(statusOf(checksAfterCorrections(previous, rerun), 'iban_valid', 'a.pdf')).toEqual(['fail']);
  });

  it('when a case-level verdict is answered by one about a document (or back), then only the new one remains', () => {
    const previous: Check[] = [{ id: 'applicant_adult', status: 'inconclusive', detail: 'no date of birth found' }];
    const rerun: Check[] = [{ id: 'applicant_adult', status: 'pass', detail: 'adult', file: 'passport.jpg' }];
    expect(checksAfterCorrections(previous, rerun)).toEqual(rerun);
  });

  it('when any field of any document is corrected to any value, then every earlier failure has a verdict afterwards', () => {
    const input = caseWith([passport({ ...BROKEN_MRZ, visualMismatches: ['expiryDate'] }), bill('bill.pdf', 'GB83WEST12345698765432'), bill('statement.pdf')]);
    const fields: FieldName[] = ['surname', 'givenNames', 'fullName', 'dateOfBirth', 'documentNumber', 'expiryDate', 'address', 'statementDate', 'iban'];
    const values = ['2030-01-01', '1999-09-09', 'Jonas Petersen', 'GB82WEST12345698765432', 'X', '77 Rue de la Paix, Paris'];
    const failedBefore = runChecks(input).filter((c) => c.status === 'fail');
    expect(failedCheckIds(failedBefore)).toEqual(['mrz_checksum', 'mrz_vs_visual', 'iban_valid']);
    for (const doc of input.documents) {
      for (const field of fields) {
        for (const value of values) {
          const after = corrected(input, [{ file: doc.file, field, value }]);
          for (const failed of failedBefore) {
            expect(after.some((c) => c.id === failed.id && (c.file === failed.file || c.file === undefined || failed.file === undefined)), `${doc.file} ${field}=${value}: ${failed.id}`).toBe(true);
          }
          expect(statusOf(after, 'mrz_checksum')).toEqual(['fail']);
          expect(statusOf(after, 'mrz_vs_visual')).toEqual(['fail']);
        }
      }
    }
  });
});

describe('failedCheckIds', () => {
  it('when checks fail on several documents, then each id is named once, in report order', () => {
    const checks: Check[] = [
      { id: 'mrz_checksum', status: 'fail', detail: '', file: 'a' },
      { id: 'iban_valid', status: 'fail', detail: '', file: 'a' },
      { id: 'iban_valid', status: 'fail', detail: '', file: 'b' },
      { id: 'sanctions_screening', status: 'inconclusive', detail: '' },
    ];
    expect(failedCheckIds(checks)).toEqual(['mrz_checksum', 'iban_valid']);
  });
});
