/**
 * The values behind the comparison checks and the sanctions entry behind a possible match: carried
 * in the check (`comparison`, `sanctionsMatch`) so a reviewer sees declared and found side by side.
 */
import { describe, expect, it } from 'vitest';

import { runChecks, type CheckDocument, type CheckInput } from '../../src/domain/checks.js';
import type { Check } from '../../src/domain/report.js';
import { parseSanctionsCsv } from '../../src/domain/sanctions.js';

const AS_OF = '2026-11-01';
const PASSPORT: CheckDocument = {
  file: 'passport.jpg',
  type: 'passport',
  fields: { fullName: 'Emily Taylor', dateOfBirth: '1990-01-02', expiryDate: '2030-01-01' },
};
const BILL: CheckDocument = {
  file: 'bill.pdf',
  type: 'utility_bill',
  fields: { fullName: 'Emma Tailor', address: '9 Mill Lane, Leeds LS2 7AB', statementDate: '2026-09-15' },
};
const APPLICANT = { fullName: 'Emily Taylor', dateOfBirth: '1990-01-03', address: 'Flat 3, 12 Baker Street, London NW1 6XE' };

function run(overrides: Partial<CheckInput> = {}): Check[] {
  return runChecks({ applicant: APPLICANT, documents: [PASSPORT, BILL], asOf: AS_OF, sanctions: [], ...overrides });
}
const find = (checks: Check[], id: string): Check | undefined => checks.find((c) => c.id === id);

describe('comparison checks carry both values', () => {
  it('when the bill is addressed elsewhere, then the address check holds the declared and the read address with the score', () => {
    const check = find(run(), 'address_matches_declared');
    expect(check?.status).toBe('fail');
    expect(check?.comparison).toMatchObject({ field: 'address', reference: APPLICANT.address, referenceSource: 'declaration', found: BILL.fields.address });
    expect(check?.comparison?.score).toBeGreaterThanOrEqual(0);
    expect(check?.comparison?.score).toBeLessThan(1);
  });

  it('when the bill names someone else, then the addressee check compares with the passport name and says so', () => {
    const check = find(run(), 'name_matches_proof_of_address');
    expect(check).toMatchObject({ status: 'fail', file: 'bill.pdf' });
    expect(check?.comparison).toMatchObject({ field: 'fullName', reference: 'Emily Taylor', referenceSource: 'passport', referenceFile: 'passport.jpg', found: 'Emma Tailor' });
  });

  it('when the declared name matches the passport, then the pair is there with a score of the match', () => {
    const check = find(run(), 'name_matches_declared');
    expect(check).toMatchObject({ status: 'pass', comparison: { reference: 'Emily Taylor', referenceSource: 'declaration', found: 'Emily Taylor' } });
    expect(check?.comparison?.score).toBeGreaterThan(0.9);
  });

  it('when the birth date comes from the passport, then the declared date stands beside it', () => {
    expect(find(run(), 'applicant_adult')?.comparison).toEqual({ field: 'dateOfBirth', reference: '1990-01-03', referenceSource: 'declaration', found: '1990-01-02' });
  });
});

describe('a possible sanctions match carries the entry', () => {
  const list = parseSanctionsCsv(
    'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change\n' +
      'NK-emt,Person,Emily Jane Taylor,Emilie Taylor;E. J. Taylor,1990-01-02,gb;ie,,,UK financial sanctions;EU asset freeze,,,gb_hmt_sanctions;eu_fsf,2022-01-01,2026-10-01,2026-01-01\n' +
      'NK-oth,Person,Oliver Wright,,1970,gb,,,,,,un_sc_sanctions,2022-01-01,2026-10-01,2026-01-01\n',
  );

  it('when the passport name is listed, then the check fails with the entry as published and why it scored', () => {
    const check = find(run({ sanctions: list }), 'sanctions_screening');
    expect(check?.status).toBe('fail');
    expect(check?.sanctionsMatch).toMatchObject({
      screenedName: 'Emily Taylor',
      screenedSource: 'passport',
      screenedBirthDate: '1990-01-02',
      entryId: 'NK-emt',
      schema: 'Person',
      entryName: 'Emily Jane Taylor',
      aliases: ['Emilie Taylor', 'E. J. Taylor'],
      birthDates: ['1990-01-02'],
      countries: ['gb', 'ie'],
      programmes: ['UK financial sanctions', 'EU asset freeze'],
      datasets: ['gb_hmt_sanctions', 'eu_fsf'],
      birthDate: 'match',
      threshold: 0.85,
    });
    const match = check!.sanctionsMatch!;
    // The birth date raised the name's score.
    expect(match.score).toBeGreaterThan(match.nameScore);
  });

  it('when nobody is listed, then the check passes without an entry', () => {
    const check = find(run({ sanctions: list.slice(1) }), 'sanctions_screening');
    expect(check?.status).toBe('pass');
    expect(check?.sanctionsMatch).toBeUndefined();
  });
});
