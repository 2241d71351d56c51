/**
 * The case decision as data plus one pure function. The policy says which check outcomes produce
 * which reason codes, which reasons reject and which send the case to a human; a bank edits the
 * JSON and loads it with `parsePolicy`. Reasons absent from both lists are ignored, so a bank can
 * switch a rule off by removing its reason.
 */
import { z } from 'zod';

import type { DocumentType, Fields } from './documents.js';
import type { Check, Decision } from './report.js';
import { DEFAULT_REVIEW_POLICY, ReviewPolicySchema } from '../review/policy.js';

const ReasonCode = z.string().regex(/^[a-z][a-z0-9_]*$/, 'reason codes are snake_case');

export const PolicySchema = z
  .object({
    version: z.literal(1),
    /** Any of these rejects the case. Order here is the order reasons are reported in. */
    rejectReasons: z.array(ReasonCode),
    /** Any of these (and no rejection) sends the case to review. */
    reviewReasons: z.array(ReasonCode),
    /** Reasons that mark a case high-risk (e.g. for a senior reviewer queue). */
    highRiskReasons: z.array(ReasonCode),
    /** Nationalities or issuing states (ISO alpha-3) that send a case to review as `high_risk_country`. */
    highRiskCountries: z.array(z.string().regex(/^[A-Z]{3}$/, 'ISO 3166 alpha-3, upper case')),
    /** Check id → reason for a failed check, and optionally for an inconclusive one. */
    checkReasons: z.record(z.string(), z.object({ fail: ReasonCode.optional(), inconclusive: ReasonCode.optional() }).strict()),
    /** Human review: queue deadlines, quality-control sampling. Defaults apply when left out. */
    review: ReviewPolicySchema.default(DEFAULT_REVIEW_POLICY),
  })
  .strict();

export type Policy = z.infer<typeof PolicySchema>;

export const DEFAULT_POLICY: Policy = {
  version: 1,
  rejectReasons: ['expired_document', 'underage'],
  reviewReasons: [
    'missing_identity',
    'missing_proof_of_address',
    'unreadable_document',
    'mrz_checksum',
    'name_mismatch',
    'address_mismatch',
    'stale_proof_of_address',
    'sanctions_match',
    'invalid_iban',
    'high_risk_country',
  ],
  highRiskReasons: ['sanctions_match', 'high_risk_country'],
  highRiskCountries: [],
  checkReasons: {
    document_readable: { fail: 'unreadable_document' },
    identity_document_present: { fail: 'missing_identity' },
    proof_of_address_present: { fail: 'missing_proof_of_address' },
    document_not_expired: { fail: 'expired_document' },
    applicant_adult: { fail: 'underage' },
    mrz_checksum: { fail: 'mrz_checksum' },
    name_matches_declared: { fail: 'name_mismatch' },
    name_matches_proof_of_address: { fail: 'name_mismatch' },
    address_matches_declared: { fail: 'address_mismatch' },
    proof_of_address_recent: { fail: 'stale_proof_of_address' },
    iban_valid: { fail: 'invalid_iban' },
    sanctions_screening: { fail: 'sanctions_match' },
  },
  review: DEFAULT_REVIEW_POLICY,
};

/** What the decision needs to know about each document. */
export interface DecisionDocument {
  type: DocumentType;
  error?: string;
  fields?: Fields;
}

export interface CaseDecision {
  decision: Decision;
  /** Every reason found, rejection reasons first, in policy order, without duplicates. */
  reasons: string[];
  /** True when a reason is in the policy's high-risk set. */
  highRisk: boolean;
}

/** Parses an edited policy file (already JSON-decoded); throws a ZodError listing every problem. */
export function parsePolicy(json: unknown): Policy {
  return PolicySchema.parse(json);
}

function reasonsFromChecks(checks: readonly Check[], policy: Policy): string[] {
  return checks.flatMap((c) => {
    const mapping = policy.checkReasons[c.id];
    const reason = c.status === 'fail' ? mapping?.fail : c.status === 'inconclusive' ? mapping?.inconclusive : undefined;
    return reason ? [reason] : [];
  });
}

/** Reasons the documents themselves show, whatever the checks say: unreadable or unclassified files. */
function reasonsFromDocuments(documents: readonly DecisionDocument[], policy: Policy): string[] {
  const reasons: string[] = [];
  if (documents.some((d) => d.error !== undefined || d.type === 'unknown')) reasons.push('unreadable_document');
  const risky = new Set(policy.highRiskCountries);
  const countries = documents.flatMap((d) => [d.fields?.nationality, d.fields?.issuingCountry]);
  if (countries.some((c) => c !== undefined && risky.has(c))) reasons.push('high_risk_country');
  return reasons;
}

/**
 * `rejected` when any reject reason applies, else `review` when any review reason applies, else
 * `approved`. Reasons not listed by the policy are dropped.
 */
export function decideCase(
  checks: readonly Check[],
  documents: readonly DecisionDocument[],
  policy: Policy = DEFAULT_POLICY,
): CaseDecision {
  const found = new Set([...reasonsFromChecks(checks, policy), ...reasonsFromDocuments(documents, policy)]);
  const rejections = policy.rejectReasons.filter((r) => found.has(r));
  const reviews = policy.reviewReasons.filter((r) => found.has(r) && !rejections.includes(r));
  const reasons = [...rejections, ...reviews];
  const decision: Decision = rejections.length > 0 ? 'rejected' : reviews.length > 0 ? 'review' : 'approved';
  return { decision, reasons, highRisk: reasons.some((r) => policy.highRiskReasons.includes(r)) };
}
