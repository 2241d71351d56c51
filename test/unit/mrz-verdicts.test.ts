/**
 * From MRZ field statuses to the `mrz_checksum` verdict, and machine-readable visas from the text
 * to the document type: the pieces of issue 15's honest MRZ verdicts that sit outside the MRZ module.
 * MRZ lines are ICAO 9303 specimens (part 4 TD3 and part 7 MRV-A/MRV-B, state Utopia).
 */
import { describe, expect, it } from 'vitest';

import { runChecks, type CheckDocument } from '../../src/domain/checks.js';
import { classifyByRules } from '../../src/domain/classification.js';
import { IDENTITY_TYPES, PROOF_OF_ADDRESS_TYPES, type MrzSummary } from '../../src/domain/documents.js';
import { extractFieldsByRules } from '../../src/domain/fields/index.js';
import { readMrz } from '../../src/domain/mrz/index.js';

const AS_OF = '2026-11-01';
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const MRV_A = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
const MRV_B = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'];

function checksumOf(mrz: MrzSummary): { status: string; detail: string } {
  const doc: CheckDocument = { file: 'passport.jpg', type: 'passport', fields: { surname: 'Eriksson' }, mrz };
  const check = runChecks({ applicant: undefined, documents: [doc], asOf: AS_OF }).find((c) => c.id === 'mrz_checksum');
  return { status: check?.status ?? 'missing', detail: check?.detail ?? '' };
}

function summaryOf(lines: readonly string[]): MrzSummary {
  return readMrz(lines.join('\n'), { asOf: AS_OF })!.summary;
}

describe('mrz_checksum from the field statuses', () => {
  it('when every field was read as printed, then it passes', () => {
    expect(checksumOf(summaryOf(TD3)).status).toBe('pass');
  });

  it('when a date needed a digit where only digits are allowed, then it passes and says which field was repaired', () => {
    const result = checksumOf(summaryOf([TD3[0]!, 'L898902C36UTO74O8122F1204159ZE184226B<<<<<10']));
    expect(result.status).toBe('pass');
    expect(result.detail).toContain('repaired: dateOfBirth');
  });

  it('when the document number agrees only after an O/0 swap, then it is inconclusive and names the field', () => {
    const result = checksumOf(summaryOf([TD3[0]!, 'L8989O2C36UTO7408122F1204159ZE184226B<<<<<10']));
    expect(result.status).toBe('inconclusive');
    expect(result.detail).toContain('documentNumber');
  });

  it('when a clearly read digit disagrees, then it fails', () => {
    expect(checksumOf(summaryOf([TD3[0]!, 'L898902C36UTO7408123F1204159ZE184226B<<<<<10'])).status).toBe('fail');
  });

  it('when a field status says failed although valid was left true, then it still fails (fail closed)', () => {
    const mrz: MrzSummary = { format: 'TD3', valid: true, failedChecks: [], repaired: false, fieldStatus: { documentNumber: 'failed' } };
    expect(checksumOf(mrz).status).toBe('fail');
  });

  it('when an unverified field was corroborated, then it passes and says so', () => {
    const mrz: MrzSummary = { format: 'TD3', valid: true, failedChecks: [], repaired: true, fieldStatus: { documentNumber: 'corroborated', dateOfBirth: 'read' } };
    const result = checksumOf(mrz);
    expect(result.status).toBe('pass');
    expect(result.detail).toContain('corroborated: documentNumber');
  });
});

describe('machine-readable visas', () => {
  it.each([
    ['MRV-A', MRV_A],
    ['MRV-B', MRV_B],
  ])('when a page carries an %s zone, then the document is a visa with its MRZ fields', (_format, lines) => {
    const pages = [{ page: 1, text: ['VISA', 'UTOPIA', ...lines].join('\n') }];
    expect(classifyByRules(pages).type).toBe('visa');
    const extraction = extractFieldsByRules('visa', pages, { asOf: AS_OF });
    expect(extraction.fields).toMatchObject({ surname: 'Eriksson', documentNumber: 'L8988901C', dateOfBirth: '1940-09-07' });
    expect(extraction.mrz?.valid).toBe(true);
  });

  it('when the default policy lists identity documents and proofs of address, then a visa is neither', () => {
    expect(IDENTITY_TYPES).not.toContain('visa');
    expect(PROOF_OF_ADDRESS_TYPES).not.toContain('visa');
  });

  it('when a passport is read, then it is not taken for a visa', () => {
    expect(classifyByRules([{ page: 1, text: ['PASSPORT', ...TD3].join('\n') }]).type).toBe('passport');
  });
});
