/**
 * The case decision as data plus one pure function. The policy says which check outcomes produce
 * which reason codes, which reasons reject and which send the case to a human; a bank edits the
 * JSON and loads it with `parsePolicy`.
 *
 * Fail closed: a reason the policy lists nowhere sends the case to review. A failed check without
 * a mapping, or mapped to an unlisted reason, reviews as `<check_id>_failed`; an inconclusive
 * value-bearing check (`VALUE_BEARING_CHECKS`) likewise as `<check_id>_inconclusive`. A bank
 * switches a rule off only explicitly, by listing its reason in `ignoredReasons`.
 */
import { z } from 'zod';

import { CHECK_IDS, type CheckId } from './check-ids.js';
import type { DocumentType, Fields } from './documents.js';
import type { Check, Decision } from './report.js';
import { DEFAULT_REVIEW_POLICY, ReviewPolicySchema } from '../review/policy.js';

const ReasonCode = z.string().regex(/^[a-z][a-z0-9_]*$/, 'reason codes are snake_case');

/**
 * Checks whose inconclusive outcome leaves a value unknown that could reject the case or is what
 * an approval rests on: such an outcome needs a reason (the policy's, else `<id>_inconclusive`).
 * The others are inconclusive in normal, harmless states and count only when the policy maps them.
 *
 * - document_not_expired: the expiry date was not read, so an expired document (a rejection)
 *   cannot be ruled out.
 * - applicant_adult: no birth date on any identity document nor in the declaration, so an
 *   under-age applicant (a rejection) cannot be ruled out.
 * - mrz_checksum: a protected MRZ field agrees with its check digit only after a look-alike swap
 *   or an inferred digit, nothing independent confirmed it: the document number, birth date or
 *   expiry the case is approved on may be wrong.
 * - mrz_vs_visual: never inconclusive today; listed so that a comparison that cannot be settled
 *   is not silently approved if it becomes one.
 * - identity_name_read: no identity document's whole name was read (only a surname, or nothing)
 *   and the declared name was not found printed on it: nobody knows whose document it is.
 *
 * Not listed, and why:
 * - document_readable, identity_document_present, proof_of_address_present: never inconclusive.
 * - name_matches_declared, address_matches_declared: inconclusive when the applicant declared no
 *   name or address (the declaration is optional), or when only the surname was read and it
 *   agrees (identity_name_read then reviews); a name or address that disagrees fails and reviews.
 * - name_matches_proof_of_address: inconclusive when the addressee was not found or there is no
 *   name to compare with; the proof's address is checked on its own (address_matches_declared).
 * - proof_of_address_recent: inconclusive when the bill's date was not found; a stale proof only
 *   ever reviews, and one shown to be old fails.
 * - iban_valid: only emitted when the document prints an IBAN; inconclusive when its readings
 *   disagree or pass only after a look-alike swap. A printed IBAN nobody could verify may be a
 *   misprint or a forgery as much as an OCR slip, so it goes to a person (`iban_unverified`).
 * - sanctions_screening: inconclusive when the deployment supplies no list (a bank's choice of
 *   where it screens) or there is no name at all (then identity_document_present fails).
 * - correction_matches_evidence: never inconclusive; emitted in review only, on a reviewer's
 *   corrections (fails when a corrected value contradicts a verified MRZ value or another identity
 *   document, see src/review/correction-checks.ts).
 */
export const VALUE_BEARING_CHECKS: readonly CheckId[] = ['document_not_expired', 'applicant_adult', 'mrz_checksum', 'mrz_vs_visual', 'identity_name_read', 'iban_valid'];

/** The review reason a check outcome gets when the policy gives it none it lists. */
export function unmappedReason(checkId: string, status: 'fail' | 'inconclusive'): string {
  return `${checkId}_${status === 'fail' ? 'failed' : 'inconclusive'}`;
}

const PolicyObjectSchema = z
  .object({
    version: z.literal(1),
    /** Any of these rejects the case. Order here is the order reasons are reported in. */
    rejectReasons: z.array(ReasonCode),
    /** Any of these (and no rejection) sends the case to review. */
    reviewReasons: z.array(ReasonCode),
    /**
     * Reasons the bank has switched off: found, they neither reject nor review. Anything listed in
     * none of the three lists sends the case to review (fail closed).
     */
    ignoredReasons: z.array(ReasonCode).default([]),
    /** Reasons that mark a case high-risk (e.g. for a senior reviewer queue). */
    highRiskReasons: z.array(ReasonCode),
    /** Nationalities or issuing states (ISO alpha-3) that send a case to review as `high_risk_country`. */
    highRiskCountries: z.array(z.string().regex(/^[A-Z]{3}$/, 'ISO 3166 alpha-3, upper case')),
    /** Check id → reason for a failed check, and for an inconclusive one where that matters. */
    checkReasons: z.record(z.string(), z.object({ fail: ReasonCode.optional(), inconclusive: ReasonCode.optional() }).strict()),
    /** Human review: queue deadlines, quality-control sampling. Defaults apply when left out. */
    review: ReviewPolicySchema.default(DEFAULT_REVIEW_POLICY),
  })
  .strict();

/**
 * An edited policy must say what every check's failure means (and every value-bearing check's
 * inconclusive outcome), name only checks that exist, and list every reason it maps to.
 */
export const PolicySchema = PolicyObjectSchema.superRefine((policy, ctx) => {
  const known: readonly string[] = CHECK_IDS;
  const listed = new Set([...policy.rejectReasons, ...policy.reviewReasons]);
  const ignored = new Set(policy.ignoredReasons);
  for (const id of Object.keys(policy.checkReasons)) {
    if (!known.includes(id)) ctx.addIssue({ code: 'custom', path: ['checkReasons', id], message: `no check is called ${id}; checks: ${CHECK_IDS.join(', ')}` });
  }
  for (const id of CHECK_IDS) {
    const mapping = policy.checkReasons[id];
    if (!mapping?.fail) {
      ctx.addIssue({ code: 'custom', path: ['checkReasons', id, 'fail'], message: `say which reason a failed ${id} gives (to switch it off, list that reason in ignoredReasons)` });
    }
    if (VALUE_BEARING_CHECKS.includes(id) && !mapping?.inconclusive) {
      ctx.addIssue({ code: 'custom', path: ['checkReasons', id, 'inconclusive'], message: `say which reason an inconclusive ${id} gives (to switch it off, list that reason in ignoredReasons)` });
    }
  }
  // A malformed entry in a list is reported on its own; "not listed" on top of it would be noise.
  const lists = [...policy.rejectReasons, ...policy.reviewReasons, ...policy.ignoredReasons];
  if (!lists.every((r) => ReasonCode.safeParse(r).success)) return;
  for (const [id, mapping] of Object.entries(policy.checkReasons)) {
    for (const status of ['fail', 'inconclusive'] as const) {
      const reason = mapping[status];
      if (reason !== undefined && !listed.has(reason) && !ignored.has(reason)) {
        ctx.addIssue({ code: 'custom', path: ['checkReasons', id, status], message: `${reason} is in none of rejectReasons, reviewReasons, ignoredReasons` });
      }
    }
  }
  policy.ignoredReasons.forEach((reason, i) => {
    if (listed.has(reason)) ctx.addIssue({ code: 'custom', path: ['ignoredReasons', i], message: `${reason} is also listed to reject or review` });
  });
});

export type Policy = z.infer<typeof PolicyObjectSchema>;

export const DEFAULT_POLICY: Policy = {
  version: 1,
  rejectReasons: ['expired_document', 'underage'],
  reviewReasons: [
    'missing_identity',
    'missing_proof_of_address',
    'unreadable_document',
    'incomplete_document',
    'mrz_checksum',
    'mrz_unverified',
    'mrz_mismatch',
    'expiry_unverified',
    'age_unverified',
    'name_mismatch',
    'name_unverified',
    'address_mismatch',
    'stale_proof_of_address',
    'sanctions_match',
    'invalid_iban',
    'iban_unverified',
    'high_risk_country',
    'correction_mismatch',
  ],
  ignoredReasons: [],
  highRiskReasons: ['sanctions_match', 'high_risk_country'],
  highRiskCountries: [],
  checkReasons: {
    document_readable: { fail: 'unreadable_document' },
    identity_document_present: { fail: 'missing_identity' },
    proof_of_address_present: { fail: 'missing_proof_of_address' },
    document_not_expired: { fail: 'expired_document', inconclusive: 'expiry_unverified' },
    applicant_adult: { fail: 'underage', inconclusive: 'age_unverified' },
    mrz_checksum: { fail: 'mrz_checksum', inconclusive: 'mrz_unverified' },
    mrz_vs_visual: { fail: 'mrz_mismatch', inconclusive: 'mrz_unverified' },
    name_matches_declared: { fail: 'name_mismatch' },
    identity_name_read: { fail: 'name_unverified', inconclusive: 'name_unverified' },
    name_matches_proof_of_address: { fail: 'name_mismatch' },
    address_matches_declared: { fail: 'address_mismatch' },
    proof_of_address_recent: { fail: 'stale_proof_of_address' },
    iban_valid: { fail: 'invalid_iban', inconclusive: 'iban_unverified' },
    sanctions_screening: { fail: 'sanctions_match' },
    correction_matches_evidence: { fail: 'correction_mismatch' },
  },
  review: DEFAULT_REVIEW_POLICY,
};

/** What the decision needs to know about each document. */
export interface DecisionDocument {
  type: DocumentType;
  error?: string;
  fields?: Fields;
  /** Pages that could not be read while the others were (see DocumentReport.pageErrors). */
  pageErrors?: readonly unknown[];
}

export interface CaseDecision {
  decision: Decision;
  /** Every reason found, without duplicates: rejection then review reasons in policy order, then unlisted ones as found. */
  reasons: string[];
  /** True when a reason is in the policy's high-risk set. */
  highRisk: boolean;
}

/** Parses an edited policy file (already JSON-decoded); throws a ZodError listing every problem. */
export function parsePolicy(json: unknown): Policy {
  return PolicySchema.parse(json);
}

/**
 * One reason per failed check, and per inconclusive check that is value-bearing or that the policy
 * maps: the policy's reason when the policy lists it (ignored ones included, dropped later), else
 * the check's own `<id>_failed` / `<id>_inconclusive`, which reviews.
 */
function reasonsFromChecks(checks: readonly Check[], policy: Policy, isAccounted: (reason: string) => boolean): string[] {
  const valueBearing: readonly string[] = VALUE_BEARING_CHECKS;
  return checks.flatMap((c) => {
    if (c.status !== 'fail' && c.status !== 'inconclusive') return [];
    const mapped = policy.checkReasons[c.id]?.[c.status];
    if (mapped !== undefined && isAccounted(mapped)) return [mapped];
    if (c.status === 'inconclusive' && mapped === undefined && !valueBearing.includes(c.id)) return [];
    return [unmappedReason(c.id, c.status)];
  });
}

/**
 * Reasons the documents themselves show, whatever the checks say: unreadable or unclassified files,
 * and documents read only in part (`incomplete_document`: what the case was judged on may lack the
 * missing pages, so it is never approved on the rest without a person).
 */
function reasonsFromDocuments(documents: readonly DecisionDocument[], policy: Policy): string[] {
  const reasons: string[] = [];
  if (documents.some((d) => d.error !== undefined || d.type === 'unknown')) reasons.push('unreadable_document');
  if (documents.some((d) => d.error === undefined && (d.pageErrors?.length ?? 0) > 0)) reasons.push('incomplete_document');
  const risky = new Set(policy.highRiskCountries);
  const countries = documents.flatMap((d) => [d.fields?.nationality, d.fields?.issuingCountry]);
  if (countries.some((c) => c !== undefined && risky.has(c))) reasons.push('high_risk_country');
  return reasons;
}

/**
 * `rejected` when any reject reason applies, else `review` when any other reason applies, else
 * `approved`. Reasons in `ignoredReasons` are dropped; reasons the policy lists nowhere review
 * (after the listed ones, in the order found): nothing that failed is dropped by omission.
 */
export function decideCase(
  checks: readonly Check[],
  documents: readonly DecisionDocument[],
  policy: Policy = DEFAULT_POLICY,
): CaseDecision {
  // A policy recorded in a workflow input before `ignoredReasons` existed has none.
  const ignored = new Set<string>((policy as Partial<Policy>).ignoredReasons ?? []);
  const listed = new Set([...policy.rejectReasons, ...policy.reviewReasons]);
  const isAccounted = (reason: string): boolean => listed.has(reason) || ignored.has(reason);
  const found = new Set([...reasonsFromChecks(checks, policy, isAccounted), ...reasonsFromDocuments(documents, policy)]);
  // A reason both listed and ignored (parsePolicy refuses that) counts: listed wins, fail closed.
  const rejections = policy.rejectReasons.filter((r) => found.has(r));
  const reviews = policy.reviewReasons.filter((r) => found.has(r) && !rejections.includes(r));
  const unlisted = [...found].filter((r) => !isAccounted(r));
  const reasons = [...rejections, ...reviews, ...unlisted];
  const decision: Decision = rejections.length > 0 ? 'rejected' : reasons.length > 0 ? 'review' : 'approved';
  return { decision, reasons, highRisk: reasons.some((r) => policy.highRiskReasons.includes(r)) };
}
