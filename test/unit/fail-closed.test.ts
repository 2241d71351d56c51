/**
 * Fail closed: no check the engine can emit ends approved when it fails (or, for value-bearing
 * checks, when it is inconclusive), under the built-in policy and under the shipped file. The walks
 * go over `CHECK_IDS` itself, so a check added later is covered without editing this file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { CHECK_IDS, runChecks, type CheckDocument, type CheckInput } from '../../src/domain/checks.js';
import { decideCase, DEFAULT_POLICY, parsePolicy, VALUE_BEARING_CHECKS, type Policy } from '../../src/domain/decision.js';
import type { Applicant, Check } from '../../src/domain/report.js';
import type { SanctionsEntry } from '../../src/domain/sanctions.js';
import { correctionChecks } from '../../src/review/correction-checks.js';

const FILE_POLICY = parsePolicy(JSON.parse(readFileSync(new URL('../../config/policy.json', import.meta.url), 'utf8')));
const POLICIES: Array<[string, Policy]> = [
  ['DEFAULT_POLICY', DEFAULT_POLICY],
  ['config/policy.json', FILE_POLICY],
];

const AS_OF = '2026-11-01';
const APPLICANT: Applicant = { fullName: 'Anna Müller', dateOfBirth: '1990-04-12', address: '1 High Street, London SW1A 1AA', nationality: 'GBR' };

function passport(): CheckDocument {
  return {
    file: 'passport.jpg',
    type: 'passport',
    fields: { surname: 'MÜLLER', givenNames: 'ANNA', dateOfBirth: '1990-04-12', expiryDate: '2031-05-20', documentNumber: '925076473', nationality: 'GBR' },
    mrz: { format: 'TD3', valid: true, failedChecks: [], repaired: false, visualCompared: ['documentNumber', 'dateOfBirth'], visualMismatches: [] },
  };
}

function bill(): CheckDocument {
  return {
    file: 'bill.pdf',
    type: 'utility_bill',
    fields: { fullName: 'Anna Müller', address: '1 High Street, London SW1A 1AA', statementDate: '2026-10-02', iban: 'GB82WEST12345698765432' },
  };
}

/** Clean: every check passes. Sanctions screened against a list without the applicant. */
function cleanInput(): CheckInput {
  return { applicant: { ...APPLICANT }, documents: [passport(), bill()], asOf: AS_OF, sanctions: [] };
}

const LISTED: SanctionsEntry = { id: 'NK-1', schema: 'Person', name: 'Anna Müller', aliases: [], birthDates: ['1990-04-12'], countries: [], datasets: [] };

type Edit = (input: CheckInput) => void;
const id = (input: CheckInput): CheckDocument => input.documents.find((d) => d.type === 'passport')!;
const proof = (input: CheckInput): CheckDocument => input.documents.find((d) => d.type === 'utility_bill')!;

/**
 * Checks that have no `fail` outcome: they only say whether something was read, so their
 * inconclusive outcome is what holds a case back (listed in INCONCLUSIVE below).
 */
const NEVER_FAIL: ReadonlyArray<(typeof CHECK_IDS)[number]> = ['identity_name_read'];

/** For every other check: an edit of the clean case that makes runChecks emit it as `fail`. */
const FAILING: Partial<Record<(typeof CHECK_IDS)[number], Edit>> = {
  document_readable: (i) => void i.documents.push({ file: 'x.pdf', type: 'unknown', fields: {} }),
  identity_document_present: (i) => void (i.documents = i.documents.filter((d) => d.type !== 'passport')),
  proof_of_address_present: (i) => void (i.documents = i.documents.filter((d) => d.type !== 'utility_bill')),
  document_not_expired: (i) => void (id(i).fields.expiryDate = '2024-01-31'),
  applicant_adult: (i) => {
    id(i).fields.dateOfBirth = '2011-03-03';
    i.applicant!.dateOfBirth = '2011-03-03';
  },
  mrz_checksum: (i) => void (id(i).mrz = { ...id(i).mrz!, valid: false, failedChecks: ['documentNumber'] }),
  mrz_vs_visual: (i) => void (id(i).mrz = { ...id(i).mrz!, visualMismatches: ['documentNumber'] }),
  name_matches_declared: (i) => void (i.applicant!.fullName = 'Jonas Petersen'),
  name_matches_proof_of_address: (i) => void (proof(i).fields.fullName = 'Jonas Petersen'),
  address_matches_declared: (i) => void (proof(i).fields.address = '77 Rue de la Paix, 75002 Paris'),
  proof_of_address_recent: (i) => void (proof(i).fields.statementDate = '2025-01-15'),
  iban_valid: (i) => void (proof(i).fields.iban = 'GB83WEST12345698765432'),
  sanctions_screening: (i) => void (i.sanctions = [LISTED]),
};

/**
 * Checks the engine's run never emits: they judge a reviewer's corrections (in review only). Each
 * has a correction that makes it fail instead of an edit of the documents.
 */
const AFTER_CORRECTION: Partial<Record<(typeof CHECK_IDS)[number], () => Check[]>> = {
  correction_matches_evidence: () =>
    correctionChecks({
      documents: [
        {
          documentId: 'd-passport',
          file: 'passport.jpg',
          type: 'passport',
          fields: { ...passport().fields },
          evidence: { expiryDate: { source: 'mrz' } },
          mrzFieldStatus: { expiryDate: 'read' },
        },
      ],
      corrections: [{ documentId: 'd-passport', field: 'expiryDate', value: '2032-05-20' }],
    }),
};

/** For the value-bearing checks: an edit that makes runChecks emit it as `inconclusive`. */
const INCONCLUSIVE: Partial<Record<(typeof CHECK_IDS)[number], Edit>> = {
  document_not_expired: (i) => void delete id(i).fields.expiryDate,
  applicant_adult: (i) => {
    delete id(i).fields.dateOfBirth;
    delete i.applicant!.dateOfBirth;
  },
  mrz_checksum: (i) => void (id(i).mrz = { ...id(i).mrz!, unverified: true }),
  identity_name_read: (i) => void delete id(i).fields.givenNames,
};

function edited(edit: Edit): Check[] {
  const input = cleanInput();
  edit(input);
  return runChecks(input);
}

function documentsOf(input: CheckInput): Array<{ type: CheckDocument['type']; fields: CheckDocument['fields'] }> {
  return input.documents.map(({ type, fields }) => ({ type, fields }));
}

const CLEAN_CHECKS = runChecks(cleanInput());
const CLEAN_DOCS = documentsOf(cleanInput());

describe('the clean case the walks start from', () => {
  it('when nothing is wrong, then every check the engine emits passes and the case is approved', () => {
    expect(CLEAN_CHECKS.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(new Set(CLEAN_CHECKS.map((c) => c.id))).toEqual(new Set(CHECK_IDS.filter((id) => !(id in AFTER_CORRECTION))));
    for (const [, policy] of POLICIES) expect(decideCase(CLEAN_CHECKS, CLEAN_DOCS, policy).decision).toBe('approved');
  });
});

describe.each(POLICIES)('fail closed under %s', (_name, policy) => {
  it.each([...CHECK_IDS])('when %s fails on otherwise clean documents, then the case is not approved', (checkId) => {
    const checks = [...CLEAN_CHECKS.filter((c) => c.id !== checkId), { id: checkId, status: 'fail' as const, detail: '' }];
    const decided = decideCase(checks, CLEAN_DOCS, policy);
    expect(decided.decision).not.toBe('approved');
    expect(decided.reasons.length).toBeGreaterThan(0);
  });

  it.each([...VALUE_BEARING_CHECKS])('when %s (value-bearing) is inconclusive, then the case is not approved', (checkId) => {
    const checks = [...CLEAN_CHECKS.filter((c) => c.id !== checkId), { id: checkId, status: 'inconclusive' as const, detail: '' }];
    expect(decideCase(checks, CLEAN_DOCS, policy).decision).not.toBe('approved');
  });

  it('when the policy has no mapping for a failed check, then the case reviews as <id>_failed', () => {
    const { mrz_vs_visual: _gone, ...checkReasons } = policy.checkReasons;
    const checks = [...CLEAN_CHECKS, { id: 'mrz_vs_visual', status: 'fail' as const, detail: '' }];
    expect(decideCase(checks, CLEAN_DOCS, { ...policy, checkReasons })).toMatchObject({ decision: 'review', reasons: ['mrz_vs_visual_failed'] });
  });

  it('when a check id the policy has never heard of fails, then the case reviews under its own name', () => {
    const checks = [...CLEAN_CHECKS, { id: 'a_check_added_later', status: 'fail' as const, detail: '' }];
    expect(decideCase(checks, CLEAN_DOCS, policy)).toMatchObject({ decision: 'review', reasons: ['a_check_added_later_failed'] });
  });

  it('when a failed check maps to a reason listed nowhere, then the case reviews as <id>_failed', () => {
    const lists = { rejectReasons: [], reviewReasons: [] };
    for (const checkId of CHECK_IDS) {
      const checks = [...CLEAN_CHECKS.filter((c) => c.id !== checkId), { id: checkId, status: 'fail' as const, detail: '' }];
      expect(decideCase(checks, CLEAN_DOCS, { ...policy, ...lists }).reasons).toEqual([`${checkId}_failed`]);
    }
  });

  it('when a value-bearing check is inconclusive and unmapped, then the case reviews as <id>_inconclusive', () => {
    for (const checkId of VALUE_BEARING_CHECKS) {
      const checkReasons = { ...policy.checkReasons, [checkId]: { fail: policy.checkReasons[checkId]!.fail } };
      const checks = [...CLEAN_CHECKS.filter((c) => c.id !== checkId), { id: checkId, status: 'inconclusive' as const, detail: '' }];
      expect(decideCase(checks, CLEAN_DOCS, { ...policy, checkReasons })).toMatchObject({ decision: 'review', reasons: [`${checkId}_inconclusive`] });
    }
  });
});

describe('real check runs: each check made to fail by its documents', () => {
  it('when a check id has no failing scenario here, then this list is incomplete', () => {
    expect([...Object.keys(FAILING), ...NEVER_FAIL, ...Object.keys(AFTER_CORRECTION)].sort()).toEqual([...CHECK_IDS].sort());
    for (const checkId of NEVER_FAIL) expect(Object.keys(INCONCLUSIVE)).toContain(checkId);
  });

  describe.each(Object.entries(FAILING))('%s', (checkId, edit) => {
    if (!edit) throw new Error(`no edit for ${checkId}`);
    it.each(POLICIES)('when the documents make it fail, then runChecks reports it failed and %s does not approve', (_name, policy) => {
      const input = cleanInput();
      edit(input);
      const checks = runChecks(input);
      expect(checks.filter((c) => c.id === checkId).map((c) => c.status)).toContain('fail');
      expect(decideCase(checks, documentsOf(input), policy).decision).not.toBe('approved');
    });
  });

  describe.each(Object.entries(AFTER_CORRECTION))('%s (after a correction)', (checkId, correct) => {
    it.each(POLICIES)('when a correction makes it fail, then it is reported failed and %s does not approve', (_name, policy) => {
      const checks = [...CLEAN_CHECKS, ...correct!()];
      expect(checks.filter((c) => c.id === checkId).map((c) => c.status)).toEqual(['fail']);
      expect(decideCase(checks, CLEAN_DOCS, policy).decision).not.toBe('approved');
    });
  });

  describe.each(Object.entries(INCONCLUSIVE))('%s', (checkId, edit) => {
    it.each(POLICIES)('when the documents leave it inconclusive, then %s does not approve', (_name, policy) => {
      const checks = edited(edit!);
      expect(checks.filter((c) => c.id === checkId).map((c) => c.status)).toEqual(['inconclusive']);
      expect(decideCase(checks, CLEAN_DOCS, policy).decision).not.toBe('approved');
    });
  });

  it('when the MRZ disagrees with the printed number and a look-alike makes its checksum inconclusive, then the case reviews (the approval seen in the field)', () => {
    const input = cleanInput();
    id(input).mrz = { ...id(input).mrz!, unverified: true, visualMismatches: ['documentNumber'] };
    const decided = decideCase(runChecks(input), documentsOf(input));
    expect(decided).toMatchObject({ decision: 'review', reasons: ['mrz_unverified', 'mrz_mismatch'] });
  });
});
