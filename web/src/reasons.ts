/**
 * Reason codes in a reviewer's words. The code stays beside the words (it is what the policy file,
 * the webhook and the API say); a code not listed here — a bank's own, or a check's fail-closed
 * `<check_id>_failed` / `<check_id>_inconclusive` — is spelt out from its parts.
 */
import { humanize } from './format.js';

const REASON_LABELS: Readonly<Record<string, string>> = {
  expired_document: 'Identity document expired',
  underage: 'Applicant under age',
  missing_identity: 'No identity document',
  missing_proof_of_address: 'No proof of address',
  unreadable_document: 'A document could not be read',
  incomplete_document: 'Pages of a document could not be read',
  mrz_checksum: 'MRZ check digit disagrees',
  mrz_unverified: 'MRZ value not verified',
  mrz_mismatch: 'MRZ differs from the printed data',
  expiry_unverified: 'Expiry date not read',
  age_unverified: 'Birth date not found',
  name_mismatch: 'Name differs',
  name_unverified: 'Holder\'s name not read',
  address_mismatch: 'Address differs',
  stale_proof_of_address: 'Proof of address too old',
  sanctions_match: 'Possible sanctions match',
  invalid_iban: 'IBAN invalid',
  iban_unverified: 'IBAN not verified',
  high_risk_country: 'High-risk country',
  correction_mismatch: 'A correction contradicts the MRZ or another document',
  quality_control_sample: 'Quality-control sample',
};

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function reasonLabel(code: string): string {
  const known = REASON_LABELS[code];
  if (known) return known;
  const failed = /^(.+)_failed$/.exec(code);
  if (failed) return `Check failed: ${humanize(failed[1]!)}`;
  const inconclusive = /^(.+)_inconclusive$/.exec(code);
  if (inconclusive) return `Check inconclusive: ${humanize(inconclusive[1]!)}`;
  return sentence(humanize(code));
}
