import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';

import { decideCase, DEFAULT_POLICY, parsePolicy, PolicySchema, type DecisionDocument } from '../../src/domain/decision.js';
import type { Check, CheckStatus } from '../../src/domain/report.js';

const check = (id: string, status: CheckStatus, file?: string): Check => ({ id, status, detail: '', ...(file ? { file } : {}) });

const DOCS: DecisionDocument[] = [
  { type: 'passport', fields: { nationality: 'GBR' } },
  { type: 'utility_bill', fields: {} },
];

const ALL_PASS: Check[] = [
  'document_readable', 'identity_document_present', 'proof_of_address_present', 'document_not_expired', 'applicant_adult',
  'mrz_checksum', 'name_matches_declared', 'address_matches_declared', 'proof_of_address_recent', 'sanctions_screening',
].map((id) => check(id, 'pass'));

function withFailures(...ids: string[]): Check[] {
  return [...ALL_PASS.filter((c) => !ids.includes(c.id)), ...ids.map((id) => check(id, 'fail'))];
}

describe('decideCase', () => {
  it('when every check passes, then the case is approved without reasons', () => {
    expect(decideCase(ALL_PASS, DOCS)).toEqual({ decision: 'approved', reasons: [], highRisk: false });
  });

  it('when the identity document is expired, then the case is rejected', () => {
    expect(decideCase(withFailures('document_not_expired'), DOCS)).toMatchObject({ decision: 'rejected', reasons: ['expired_document'] });
  });

  it('when the applicant is under 18, then the case is rejected', () => {
    expect(decideCase(withFailures('applicant_adult'), DOCS)).toMatchObject({ decision: 'rejected', reasons: ['underage'] });
  });

  it.each([
    ['identity_document_present', 'missing_identity'],
    ['proof_of_address_present', 'missing_proof_of_address'],
    ['document_readable', 'unreadable_document'],
    ['mrz_checksum', 'mrz_checksum'],
    ['mrz_vs_visual', 'mrz_mismatch'],
    ['name_matches_declared', 'name_mismatch'],
    ['name_matches_proof_of_address', 'name_mismatch'],
    ['address_matches_declared', 'address_mismatch'],
    ['proof_of_address_recent', 'stale_proof_of_address'],
    ['sanctions_screening', 'sanctions_match'],
    ['iban_valid', 'invalid_iban'],
  ])('when %s fails, then the case goes to review for %s', (id, reason) => {
    expect(decideCase(withFailures(id), DOCS)).toMatchObject({ decision: 'review', reasons: [reason] });
  });

  it('when rejection and review reasons mix, then rejection wins and rejection reasons come first, deduplicated in policy order', () => {
    const checks = [...withFailures('sanctions_screening', 'name_matches_declared', 'document_not_expired'), check('name_matches_proof_of_address', 'fail', 'b.pdf')];
    expect(decideCase(checks, DOCS)).toEqual({ decision: 'rejected', reasons: ['expired_document', 'name_mismatch', 'sanctions_match'], highRisk: true });
  });

  it('when a document has an unknown type or an error, then it is unreadable even without a failed check', () => {
    expect(decideCase(ALL_PASS, [...DOCS, { type: 'unknown' }])).toMatchObject({ decision: 'review', reasons: ['unreadable_document'] });
    expect(decideCase(ALL_PASS, [...DOCS, { type: 'payslip', error: 'encrypted' }]).reasons).toEqual(['unreadable_document']);
  });

  it('when a document was read only in part (some pages failed), then the case is not approved on the rest: it reviews as incomplete_document', () => {
    const partial: DecisionDocument = { type: 'bank_statement', pageErrors: [{ page: 2, code: 'UNREADABLE_DOCUMENT', message: 'the page cannot be parsed' }] };
    expect(decideCase(ALL_PASS, [...DOCS, partial])).toMatchObject({ decision: 'review', reasons: ['incomplete_document'] });
    // An empty list is no missing page.
    expect(decideCase(ALL_PASS, [...DOCS, { type: 'bank_statement', pageErrors: [] }]).decision).toBe('approved');
    // Unlisted by a bank's own policy, it still reviews (fail closed).
    const policy = { ...DEFAULT_POLICY, reviewReasons: DEFAULT_POLICY.reviewReasons.filter((r) => r !== 'incomplete_document') };
    expect(decideCase(ALL_PASS, [...DOCS, partial], policy)).toMatchObject({ decision: 'review', reasons: ['incomplete_document'] });
  });

  it.each(['sanctions_screening', 'name_matches_declared', 'name_matches_proof_of_address', 'address_matches_declared', 'proof_of_address_recent'])(
    'when %s is inconclusive (a normal state), then the default policy adds no reason',
    (id) => {
      const checks = [...ALL_PASS.filter((c) => c.id !== id), check(id, 'inconclusive')];
      expect(decideCase(checks, DOCS)).toEqual({ decision: 'approved', reasons: [], highRisk: false });
    },
  );

  it.each([
    ['mrz_checksum', 'mrz_unverified'],
    ['mrz_vs_visual', 'mrz_unverified'],
    ['document_not_expired', 'expiry_unverified'],
    ['applicant_adult', 'age_unverified'],
    ['iban_valid', 'iban_unverified'],
  ])('when %s is inconclusive, then the case goes to review for %s', (id, reason) => {
    const checks = [...ALL_PASS.filter((c) => c.id !== id), check(id, 'inconclusive')];
    expect(decideCase(checks, DOCS)).toMatchObject({ decision: 'review', reasons: [reason] });
  });

  it('when the MRZ disagrees with the printed number and its checksum is inconclusive, then the case is not approved', () => {
    const checks = [...ALL_PASS.filter((c) => c.id !== 'mrz_checksum'), check('mrz_checksum', 'inconclusive', 'p.jpg'), check('mrz_vs_visual', 'fail', 'p.jpg')];
    expect(decideCase(checks, DOCS)).toMatchObject({ decision: 'review', reasons: ['mrz_unverified', 'mrz_mismatch'] });
  });

  it('when a bank maps an inconclusive check to a reason, then that reason applies', () => {
    const policy = { ...DEFAULT_POLICY, checkReasons: { ...DEFAULT_POLICY.checkReasons, sanctions_screening: { fail: 'sanctions_match', inconclusive: 'sanctions_match' } } };
    const checks = ALL_PASS.map((c) => (c.id === 'sanctions_screening' ? check(c.id, 'inconclusive') : c));
    expect(decideCase(checks, DOCS, policy)).toMatchObject({ decision: 'review', reasons: ['sanctions_match'], highRisk: true });
  });

  it('when a bank removes a reason from its lists, then that failure still reviews, under the check\'s own name', () => {
    const policy = { ...DEFAULT_POLICY, reviewReasons: DEFAULT_POLICY.reviewReasons.filter((r) => r !== 'invalid_iban') };
    expect(decideCase(withFailures('iban_valid'), DOCS, policy)).toMatchObject({ decision: 'review', reasons: ['iban_valid_failed'] });
  });

  it('when a bank lists a reason in ignoredReasons, then that failure no longer counts', () => {
    const policy = { ...DEFAULT_POLICY, reviewReasons: DEFAULT_POLICY.reviewReasons.filter((r) => r !== 'invalid_iban'), ignoredReasons: ['invalid_iban'] };
    expect(decideCase(withFailures('iban_valid'), DOCS, policy)).toEqual({ decision: 'approved', reasons: [], highRisk: false });
  });

  it('when a bank ignores a check\'s own fallback reason, then that unmapped failure no longer counts', () => {
    const { iban_valid: _iban, ...checkReasons } = DEFAULT_POLICY.checkReasons;
    const policy = { ...DEFAULT_POLICY, checkReasons, ignoredReasons: ['iban_valid_failed'] };
    expect(decideCase(withFailures('iban_valid'), DOCS, policy).decision).toBe('approved');
  });

  it('when a reason is both listed and ignored, then the listing wins', () => {
    const policy = { ...DEFAULT_POLICY, ignoredReasons: ['expired_document'] };
    expect(decideCase(withFailures('document_not_expired'), DOCS, policy).decision).toBe('rejected');
  });

  it('when a document is unreadable and the policy lists unreadable_document nowhere, then the case still reviews', () => {
    const policy = { ...DEFAULT_POLICY, reviewReasons: DEFAULT_POLICY.reviewReasons.filter((r) => r !== 'unreadable_document') };
    expect(decideCase(ALL_PASS, [...DOCS, { type: 'unknown' }], policy)).toMatchObject({ decision: 'review', reasons: ['unreadable_document'] });
  });

  it('when a policy recorded before ignoredReasons existed is used, then it decides as before', () => {
    const { ignoredReasons: _ignored, ...old } = DEFAULT_POLICY;
    expect(decideCase(withFailures('iban_valid'), DOCS, old as typeof DEFAULT_POLICY)).toMatchObject({ decision: 'review', reasons: ['invalid_iban'] });
    expect(decideCase(ALL_PASS, DOCS, old as typeof DEFAULT_POLICY).decision).toBe('approved');
  });

  it('when a nationality is in the high-risk set, then the case goes to review as high-risk', () => {
    const policy = { ...DEFAULT_POLICY, highRiskCountries: ['GBR'] };
    expect(decideCase(ALL_PASS, DOCS, policy)).toEqual({ decision: 'review', reasons: ['high_risk_country'], highRisk: true });
    expect(decideCase(ALL_PASS, DOCS).decision).toBe('approved');
  });
});

describe('policy as data', () => {
  it('when the default policy goes through JSON and back, then it parses unchanged', () => {
    expect(parsePolicy(JSON.parse(JSON.stringify(DEFAULT_POLICY)))).toEqual(DEFAULT_POLICY);
  });

  it('when an edited policy has mistakes, then parsing lists them', () => {
    const edited = { ...DEFAULT_POLICY, highRiskCountries: ['gb'], rejectReasons: ['Expired Document'], extra: true };
    try {
      parsePolicy(edited);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ZodError);
      const paths = (err as ZodError).issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['highRiskCountries.0', 'rejectReasons.0', '']));
    }
  });

  it('when an edited policy leaves a check without a reason for its failure, then parsing names the check', () => {
    const { mrz_vs_visual: _gone, ...checkReasons } = DEFAULT_POLICY.checkReasons;
    const result = PolicySchema.safeParse({ ...DEFAULT_POLICY, checkReasons });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['checkReasons.mrz_vs_visual.fail', 'checkReasons.mrz_vs_visual.inconclusive']);
  });

  it('when a value-bearing check has no reason for an inconclusive outcome, then parsing names it', () => {
    const checkReasons = { ...DEFAULT_POLICY.checkReasons, mrz_checksum: { fail: 'mrz_checksum' } };
    const result = PolicySchema.safeParse({ ...DEFAULT_POLICY, checkReasons });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['checkReasons.mrz_checksum.inconclusive']);
  });

  it('when an edited policy maps a check that does not exist, then parsing refuses it', () => {
    const checkReasons = { ...DEFAULT_POLICY.checkReasons, mrz_vs_visaul: { fail: 'mrz_mismatch' } };
    const result = PolicySchema.safeParse({ ...DEFAULT_POLICY, checkReasons });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['checkReasons.mrz_vs_visaul']);
  });

  it('when a reason is taken out of the lists without being ignored, then parsing says where it is still used', () => {
    const result = PolicySchema.safeParse({ ...DEFAULT_POLICY, reviewReasons: DEFAULT_POLICY.reviewReasons.filter((r) => r !== 'name_mismatch') });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['checkReasons.name_matches_declared.fail', 'checkReasons.name_matches_proof_of_address.fail']);
  });

  it('when a reason is moved to ignoredReasons, then the policy parses; listed and ignored at once, it does not', () => {
    const ignoring = { ...DEFAULT_POLICY, reviewReasons: DEFAULT_POLICY.reviewReasons.filter((r) => r !== 'invalid_iban'), ignoredReasons: ['invalid_iban'] };
    expect(parsePolicy(ignoring).ignoredReasons).toEqual(['invalid_iban']);
    const both = PolicySchema.safeParse({ ...DEFAULT_POLICY, ignoredReasons: ['invalid_iban'] });
    expect(both.error?.issues.map((i) => i.path.join('.'))).toEqual(['ignoredReasons.0']);
  });

  it('when a policy file from before ignoredReasons is parsed, then it gets an empty list', () => {
    const { ignoredReasons: _ignored, ...old } = DEFAULT_POLICY;
    expect(parsePolicy(old).ignoredReasons).toEqual([]);
  });
});
