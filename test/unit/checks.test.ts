import { describe, expect, it } from 'vitest';

import { runChecks, type CheckDocument, type CheckInput } from '../../src/domain/checks.js';
import type { Check } from '../../src/domain/report.js';
import { parseSanctionsCsv } from '../../src/domain/sanctions.js';

const AS_OF = '2026-11-01';

const PASSPORT: CheckDocument = {
  file: 'passport.jpg',
  type: 'passport',
  fields: { surname: 'Taylor', givenNames: 'Emily', fullName: 'Emily Taylor', dateOfBirth: '1990-01-02', expiryDate: '2030-01-01', documentNumber: '123456789' },
  mrz: { format: 'TD3', valid: true, failedChecks: [], repaired: true, visualCompared: ['surname', 'dateOfBirth'], visualMismatches: [] },
};

const BILL: CheckDocument = {
  file: 'bill.pdf',
  type: 'utility_bill',
  fields: { fullName: 'EMILY TAYLOR', address: 'Flat 3, 12 Baker St, London NW1 6XE', statementDate: '2026-09-15' },
};

const STATEMENT: CheckDocument = {
  file: 'statement.pdf',
  type: 'bank_statement',
  fields: { fullName: 'Taylor, Emily', address: 'Flat 3, 12 Baker Street, London NW1 6XE', statementDate: '2026-10-01', iban: 'GB29NWBK60161331926819' },
};

const APPLICANT = { fullName: 'Emily Taylor', dateOfBirth: '1990-01-02', address: 'Flat 3, 12 Baker Street, London NW1 6XE', nationality: 'GBR' };

function input(overrides: Partial<CheckInput> = {}): CheckInput {
  return { applicant: APPLICANT, documents: [PASSPORT, BILL, STATEMENT], asOf: AS_OF, sanctions: [], ...overrides };
}

function find(checks: Check[], id: string, file?: string): Check | undefined {
  return checks.find((c) => c.id === id && (file === undefined || c.file === file));
}

function statuses(checks: Check[]): Record<string, string> {
  return Object.fromEntries(checks.map((c) => [`${c.id}${c.file ? `@${c.file}` : ''}`, c.status]));
}

describe('runChecks on a clean case', () => {
  it('when everything agrees, then every check passes in a stable order', () => {
    const checks = runChecks(input());
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(checks.map((c) => c.id)).toEqual([
      'document_readable',
      'identity_document_present',
      'proof_of_address_present',
      'document_not_expired',
      'applicant_adult',
      'mrz_checksum',
      'mrz_vs_visual',
      'name_matches_declared',
      'identity_name_read',
      'name_matches_proof_of_address',
      'name_matches_proof_of_address',
      'address_matches_declared',
      'address_matches_declared',
      'proof_of_address_recent',
      'proof_of_address_recent',
      'iban_valid',
      'sanctions_screening',
    ]);
  });

  it('when details are written, then they carry no names, addresses or dates', () => {
    const details = runChecks(input()).map((c) => c.detail).join('\n');
    for (const pii of ['Emily', 'Taylor', 'Baker', 'NW1', '1990', '2030-01-01', 'GB29']) expect(details).not.toContain(pii);
  });
});

describe('readability and presence', () => {
  it('when a document failed to read or could not be classified, then each gets a failed readability check', () => {
    const checks = runChecks(input({ documents: [PASSPORT, BILL, { file: 'x.pdf', type: 'unknown', fields: {}, error: 'truncated' }, { file: 'y.png', type: 'unknown', fields: {} }] }));
    expect(checks.filter((c) => c.id === 'document_readable').map((c) => [c.file, c.status])).toEqual([['x.pdf', 'fail'], ['y.png', 'fail']]);
  });

  it('when there is no identity document or no proof of address, then presence fails', () => {
    expect(find(runChecks(input({ documents: [BILL] })), 'identity_document_present')?.status).toBe('fail');
    expect(find(runChecks(input({ documents: [PASSPORT] })), 'proof_of_address_present')?.status).toBe('fail');
  });

  it('when the only identity document is unreadable, then it does not count as present', () => {
    const checks = runChecks(input({ documents: [{ ...PASSPORT, error: 'blank page' }, BILL] }));
    expect(find(checks, 'identity_document_present')?.status).toBe('fail');
  });
});

describe('expiry and age', () => {
  it('when the document expires on the as-of date, then it is still valid that day', () => {
    const doc = { ...PASSPORT, fields: { ...PASSPORT.fields, expiryDate: AS_OF } };
    expect(find(runChecks(input({ documents: [doc, BILL] })), 'document_not_expired')?.status).toBe('pass');
  });

  it('when the document expired the day before, then the check fails', () => {
    const doc = { ...PASSPORT, fields: { ...PASSPORT.fields, expiryDate: '2026-10-31' } };
    const check = find(runChecks(input({ documents: [doc, BILL] })), 'document_not_expired');
    expect(check).toMatchObject({ status: 'fail', file: 'passport.jpg' });
    expect(check?.detail).toContain('1 days before');
  });

  it('when no expiry date was read, then the check is inconclusive', () => {
    const doc = { ...PASSPORT, fields: { ...PASSPORT.fields, expiryDate: undefined } };
    expect(find(runChecks(input({ documents: [doc, BILL] })), 'document_not_expired')?.status).toBe('inconclusive');
  });

  it('when the applicant was born on 29 February, then they turn 18 on 1 March of a non-leap year', () => {
    const doc = (dob: string): CheckDocument => ({ ...PASSPORT, fields: { ...PASSPORT.fields, dateOfBirth: dob } });
    expect(find(runChecks(input({ asOf: '2026-02-28', documents: [doc('2008-02-29'), BILL] })), 'applicant_adult')?.status).toBe('fail');
    expect(find(runChecks(input({ asOf: '2026-03-01', documents: [doc('2008-02-29'), BILL] })), 'applicant_adult')?.status).toBe('pass');
  });

  it('when the document has no birth date, then the declared one is used', () => {
    const doc = { ...PASSPORT, fields: { ...PASSPORT.fields, dateOfBirth: undefined } };
    const check = find(runChecks(input({ documents: [doc, BILL], applicant: { ...APPLICANT, dateOfBirth: '2010-05-05' } })), 'applicant_adult');
    expect(check?.status).toBe('fail');
    expect(check?.detail).toContain('declaration');
  });

  it('when no birth date is known at all, then the age check is inconclusive', () => {
    const doc = { ...PASSPORT, fields: { ...PASSPORT.fields, dateOfBirth: undefined } };
    expect(find(runChecks(input({ documents: [doc, BILL], applicant: undefined })), 'applicant_adult')?.status).toBe('inconclusive');
  });
});

describe('MRZ checks', () => {
  it('when the MRZ check digits fail, then the detail names the failed checks', () => {
    const doc = { ...PASSPORT, mrz: { format: 'TD1' as const, valid: false, failedChecks: ['dateOfBirth'], repaired: false } };
    const check = find(runChecks(input({ documents: [doc, BILL] })), 'mrz_checksum');
    expect(check).toMatchObject({ status: 'fail', file: 'passport.jpg' });
    expect(check?.detail).toContain('dateOfBirth');
  });

  it('when a check digit was unreadable and inferred, then mrz_checksum is inconclusive, not a pass', () => {
    const doc = { ...PASSPORT, mrz: { format: 'TD1' as const, valid: true, failedChecks: [], repaired: true, unverified: true } };
    const check = find(runChecks(input({ documents: [doc, BILL] })), 'mrz_checksum');
    expect(check).toMatchObject({ status: 'inconclusive', file: 'passport.jpg' });
  });

  it('when the visual zone disagrees with the MRZ, then mrz_vs_visual fails; without a comparison it is absent', () => {
    const mismatching = { ...PASSPORT, mrz: { ...PASSPORT.mrz!, visualMismatches: ['dateOfBirth' as const] } };
    expect(find(runChecks(input({ documents: [mismatching, BILL] })), 'mrz_vs_visual')?.status).toBe('fail');
    const uncompared = { ...PASSPORT, mrz: { format: 'TD3' as const, valid: true, failedChecks: [], repaired: false } };
    expect(find(runChecks(input({ documents: [uncompared, BILL] })), 'mrz_vs_visual')).toBeUndefined();
  });
});

describe('names, addresses, recency, IBAN', () => {
  it('when the declared name is a different surname, then name_matches_declared fails', () => {
    const checks = runChecks(input({ applicant: { ...APPLICANT, fullName: 'Emily Hughes' } }));
    expect(find(checks, 'name_matches_declared')?.status).toBe('fail');
    expect(find(checks, 'name_matches_proof_of_address', 'bill.pdf')?.status).toBe('pass');
  });

  it('when only the surname was read on the identity document and it agrees, then the name checks are inconclusive, not failed', () => {
    const passport = { ...PASSPORT, fields: { ...PASSPORT.fields, givenNames: undefined, fullName: 'Taylor' } };
    const checks = runChecks(input({ documents: [passport, BILL] }));
    expect(find(checks, 'name_matches_declared')?.status).toBe('inconclusive');
    // Nobody read whose document this is: that alone holds the case for a person.
    expect(find(checks, 'identity_name_read')?.status).toBe('inconclusive');
    // The bill is compared with the declared name instead of a surname alone.
    expect(find(checks, 'name_matches_proof_of_address', 'bill.pdf')?.status).toBe('pass');
  });

  it('when the whole name was not read but the declared name is printed on the identity document, then both name checks pass with the printed span', () => {
    const pages = [{ page: 1, text: 'PASSPORT\nSurname\nTAYLOR\nGiven names\nEMILY\nDate of birth 02 JAN 1990\nHolder EMILY TAYLOR' }];
    const passport = { ...PASSPORT, fields: { ...PASSPORT.fields, givenNames: undefined, fullName: 'Taylor' }, pages };
    const checks = runChecks(input({ documents: [passport, BILL] }));
    const declared = find(checks, 'name_matches_declared') as Check & { evidence?: { text: string } };
    expect(declared.status).toBe('pass');
    expect(declared.evidence?.text).toContain('EMILY TAYLOR');
    expect(find(checks, 'identity_name_read')?.status).toBe('pass');
  });

  it('when the identity document prints another given name with the surname, then the declared name is not taken as printed', () => {
    const pages = [{ page: 1, text: 'PASSPORT\nHolder OLIVER TAYLOR' }];
    const passport = { ...PASSPORT, fields: { ...PASSPORT.fields, givenNames: undefined, fullName: 'Taylor' }, pages };
    const checks = runChecks(input({ documents: [passport, BILL] }));
    expect(find(checks, 'name_matches_declared')?.status).toBe('inconclusive');
    expect(find(checks, 'identity_name_read')?.status).toBe('inconclusive');
  });

  it('when a licence prints the surname and the given names in numbered fields of their own, then the declared name is found in its parts', () => {
    const pages = [{ page: 1, text: 'FÜHRERSCHEIN\nBUNDESREPUBLIK DEUTSCHLAND\n1. TAYLOR\n2. EMILY\n3. 02.01.1990 MÜNCHEN\n5. B072RRE2I55' }];
    const licence: CheckDocument = { file: 'licence.pdf', type: 'driving_licence', fields: { surname: 'TAYLOR', dateOfBirth: '1990-01-02', expiryDate: '2030-01-01' }, pages };
    const checks = runChecks(input({ documents: [licence, BILL] }));
    const declared = find(checks, 'name_matches_declared') as Check & { evidence?: { text: string } };
    expect(declared.status).toBe('pass');
    expect(declared.evidence?.text).toBe('TAYLOR\nEMILY');
    expect(find(checks, 'identity_name_read')?.status).toBe('pass');
  });

  it('when the declared given name appears only beside other names (a parent named on the card), then it is not taken as the holder\'s', () => {
    const pages = [{ page: 1, text: 'DOCUMENTO NACIONAL DE IDENTIDAD\nTAYLOR\nOLIVER\nHIJO DE EMILY Y MARIA' }];
    const card: CheckDocument = { file: 'dni.jpg', type: 'id_card', fields: { surname: 'TAYLOR', dateOfBirth: '1990-01-02', expiryDate: '2030-01-01' }, pages };
    const checks = runChecks(input({ documents: [card, BILL] }));
    expect(find(checks, 'name_matches_declared')?.status).toBe('inconclusive');
    expect(find(checks, 'identity_name_read')?.status).toBe('inconclusive');
  });

  it('when no name at all was read on the identity document and none is printed, then identity_name_read is inconclusive', () => {
    const passport = { ...PASSPORT, fields: { ...PASSPORT.fields, givenNames: undefined, surname: undefined, fullName: undefined } };
    const checks = runChecks(input({ documents: [passport, BILL] }));
    expect(find(checks, 'name_matches_declared')?.status).toBe('inconclusive');
    expect(find(checks, 'identity_name_read')?.status).toBe('inconclusive');
  });

  it('when there is no identity document, then identity_name_read says nothing (identity_document_present fails)', () => {
    const checks = runChecks(input({ documents: [BILL] }));
    expect(find(checks, 'identity_name_read')).toBeUndefined();
    expect(find(checks, 'identity_document_present')?.status).toBe('fail');
  });

  it('when only the surname was read and it is not in the declared name, then name_matches_declared fails', () => {
    const passport = { ...PASSPORT, fields: { ...PASSPORT.fields, givenNames: undefined, fullName: 'Hughes' } };
    expect(find(runChecks(input({ documents: [passport, BILL] })), 'name_matches_declared')?.status).toBe('fail');
  });

  it('when a proof of address is addressed to someone else, then name_matches_proof_of_address fails for it', () => {
    const bill = { ...BILL, fields: { ...BILL.fields, fullName: 'Oliver Wright' } };
    expect(statuses(runChecks(input({ documents: [PASSPORT, bill] })))['name_matches_proof_of_address@bill.pdf']).toBe('fail');
  });

  it('when the bill shows another address, then address_matches_declared fails', () => {
    const bill = { ...BILL, fields: { ...BILL.fields, address: '7 Church Road, Leeds LS6 2AB' } };
    expect(find(runChecks(input({ documents: [PASSPORT, bill] })), 'address_matches_declared')?.status).toBe('fail');
  });

  it('when nothing was declared, then the declared comparisons are inconclusive', () => {
    const checks = runChecks(input({ applicant: undefined }));
    expect(find(checks, 'name_matches_declared')?.status).toBe('inconclusive');
    expect(find(checks, 'address_matches_declared', 'bill.pdf')?.status).toBe('inconclusive');
  });

  it('when a proof of address is exactly 90 days old, then it is recent; at 91 days it is stale', () => {
    const dated = (date: string): CheckDocument => ({ ...BILL, fields: { ...BILL.fields, statementDate: date } });
    expect(find(runChecks(input({ documents: [PASSPORT, dated('2026-08-03')] })), 'proof_of_address_recent')?.status).toBe('pass');
    expect(find(runChecks(input({ documents: [PASSPORT, dated('2026-08-02')] })), 'proof_of_address_recent')?.status).toBe('fail');
  });

  it('when a proof of address is dated after the as-of date or undated, then recency is inconclusive', () => {
    const dated = (date: string | undefined): CheckDocument => ({ ...BILL, fields: { ...BILL.fields, statementDate: date } });
    expect(find(runChecks(input({ documents: [PASSPORT, dated('2026-12-01')] })), 'proof_of_address_recent')?.status).toBe('inconclusive');
    expect(find(runChecks(input({ documents: [PASSPORT, dated(undefined)] })), 'proof_of_address_recent')?.status).toBe('inconclusive');
  });

  it('when an IBAN has a flipped digit, then iban_valid fails', () => {
    const statement = { ...STATEMENT, fields: { ...STATEMENT.fields, iban: 'GB29NWBK60161331926818' } };
    expect(find(runChecks(input({ documents: [PASSPORT, statement] })), 'iban_valid')?.status).toBe('fail');
  });
});

describe('sanctions screening', () => {
  const list = parseSanctionsCsv(
    'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change\n' +
      'NK-xyz,Person,Emilie Tailor,,1990-01-02,gb,,,,,,test,,,\n',
  );

  it('when the applicant resembles a listed person with the same birth date, then screening fails naming the entry', () => {
    const check = find(runChecks(input({ sanctions: list })), 'sanctions_screening');
    expect(check?.status).toBe('fail');
    expect(check?.detail).toMatch(/entry NK-xyz \(Emilie Tailor\), score [01]\.\d\d, birth date match/);
  });

  it('when nobody on the list resembles the applicant, then screening passes', () => {
    const check = find(runChecks(input({ sanctions: list, documents: [{ ...PASSPORT, fields: { ...PASSPORT.fields, fullName: 'Oliver Wright' } }, BILL] })), 'sanctions_screening');
    expect(check?.status).toBe('pass');
  });

  it('when no list is supplied, then screening is inconclusive', () => {
    expect(find(runChecks(input({ sanctions: undefined })), 'sanctions_screening')?.status).toBe('inconclusive');
  });
});

describe('input validation', () => {
  it('when asOf is not a date, then runChecks refuses', () => {
    expect(() => runChecks(input({ asOf: '2026-13-01' }))).toThrow(RangeError);
  });
});

describe('proofs of address verified against the declared applicant in their text', () => {
  /** A bill whose extraction took the issuer for the addressee; its text names the applicant under "Customer". */
  const MISREAD_BILL: CheckDocument = {
    file: 'bill-text.pdf',
    type: 'utility_bill',
    fields: { fullName: 'Harbour Energy', address: '1 Energy Way, Swindon SN1 2AB', statementDate: '2026-10-03' },
    pages: [
      {
        page: 1,
        text: [
          'Harbour Energy Ltd',
          '1 Energy Way',
          'Swindon SN1 2AB',
          'VAT No GB 123 4567 89',
          'Customer',
          'Miss E. Taylor',
          'Flat 3',
          '12 Baker Street',
          'London NWl 6XE',
          'Bill date 3 October 2026',
        ].join('\n'),
      },
    ],
  };

  it('when the text names the applicant and the declared address outside the issuer, then both checks pass with the span as evidence', () => {
    const checks = runChecks(input({ documents: [PASSPORT, MISREAD_BILL] })) as Array<Check & { evidence?: { page?: number; text?: string } }>;
    const name = find(checks, 'name_matches_proof_of_address', 'bill-text.pdf') as (typeof checks)[number];
    const address = find(checks, 'address_matches_declared', 'bill-text.pdf') as (typeof checks)[number];
    expect(name.status).toBe('pass');
    expect(name.evidence).toEqual({ source: 'text', page: 1, text: 'Miss E. Taylor' });
    expect(address.status).toBe('pass');
    expect(address.evidence?.text).toBe('Flat 3\n12 Baker Street\nLondon NW1 6XE');
  });

  it('when the text does not name the applicant, then the extracted addressee is compared and the mismatch fails', () => {
    const other: CheckDocument = {
      ...MISREAD_BILL,
      pages: [{ page: 1, text: 'Harbour Energy Ltd\n1 Energy Way\nSwindon SN1 2AB\nCustomer\nOliver Wright\n7 Church Road\nLeeds LS6 2AB' }],
    };
    const checks = runChecks(input({ documents: [PASSPORT, other] }));
    expect(find(checks, 'name_matches_proof_of_address', 'bill-text.pdf')?.status).toBe('fail');
    expect(find(checks, 'address_matches_declared', 'bill-text.pdf')?.status).toBe('fail');
  });
});

describe('dates an MRZ could not verify', () => {
  const passport = (status: 'failed' | 'unverified' | 'read') => ({
    file: 'passport.jpg',
    type: 'passport' as const,
    fields: { fullName: 'Ann Smith', dateOfBirth: '2012-01-01', expiryDate: '1955-03-01' },
    mrz: {
      format: 'TD3' as const,
      valid: status !== 'failed',
      failedChecks: status === 'failed' ? ['expiryDate', 'dateOfBirth'] : [],
      repaired: false,
      fieldStatus: { expiryDate: status, dateOfBirth: status },
    },
  });
  const run = (status: 'failed' | 'unverified' | 'read') =>
    runChecks({ applicant: undefined, documents: [passport(status)], asOf: '2026-11-01' });

  it.each(['failed', 'unverified'] as const)('when the MRZ dates are %s, then they neither reject nor approve', (status) => {
    const checks = run(status);
    expect(checks.find((c) => c.id === 'document_not_expired')?.status).toBe('inconclusive');
    expect(checks.find((c) => c.id === 'applicant_adult')?.status).toBe('inconclusive');
  });

  it('when the MRZ dates were read with agreeing digits, then they decide', () => {
    const checks = run('read');
    expect(checks.find((c) => c.id === 'document_not_expired')?.status).toBe('fail');
    expect(checks.find((c) => c.id === 'applicant_adult')?.status).toBe('fail');
  });
});
