/**
 * The ids of every check the engine can emit (src/domain/checks.ts), in report order. A module of
 * its own, free of dependencies, so that workflow code (the decision policy, review rules) can
 * import it without the checks' matching libraries.
 */
export const CHECK_IDS = [
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
  'address_matches_declared',
  'proof_of_address_recent',
  'iban_valid',
  'sanctions_screening',
  // Emitted only in review, on a reviewer's corrections (src/review/correction-checks.ts).
  'correction_matches_evidence',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];
