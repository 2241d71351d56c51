/**
 * Rule-based field extraction per document type. Identity documents: the MRZ first (source `mrz`),
 * then visual-zone labels (bilingual "Surname / Nom", numbered EU licence fields). Proofs of address:
 * the addressee's name and address block, the document date and the IBAN. Company registrations:
 * name, number, incorporation date and registered office. Every value carries evidence (page, line).
 *
 * A model's answer can be merged in afterwards with `mergeModelFields`; rule values are kept.
 */
import type { DocumentType, FieldEvidenceMap, FieldName, Fields } from '../documents.js';
import { IDENTITY_TYPES, PROOF_OF_ADDRESS_TYPES } from '../documents.js';
import type { FieldExtraction, FieldExtractionOptions, FieldPage } from './common.js';
import { extractCompany } from './company.js';
import { extractIdentity } from './identity.js';
import { issuerCue } from './parties.js';
import { extractProofOfAddress } from './proof-of-address.js';

export type { FieldExtraction, FieldExtractionOptions, FieldPage, MrzCrossCheck } from './common.js';
export { naturalCase } from './common.js';
export { toAlpha3 } from './countries.js';
export { printedNameLine, restoreUmlauts, withoutStrayWords } from './identity.js';
export { licenceNumber } from './licence.js';
export { displayName, isPersonNameLine, leftColumn } from './postal.js';

/** Fields of a document of the given type, from its pages of text. */
export function extractFieldsByRules(
  type: DocumentType,
  pages: readonly FieldPage[],
  options: FieldExtractionOptions,
): FieldExtraction {
  // A visa carries an MRZ and a visual zone like an identity document (it is not one for the policy).
  if (IDENTITY_TYPES.includes(type) || type === 'visa') return extractIdentity(type, pages, options);
  if (PROOF_OF_ADDRESS_TYPES.includes(type)) return extractProofOfAddress(pages, options);
  if (type === 'company_registration') return extractCompany(pages, options);
  return { fields: {}, evidence: {}, visual: {} };
}

/**
 * Adds a model's fields where the rules found nothing (source `model`). Rule values, and above all
 * MRZ values protected by check digits, are never overwritten. A name or address that carries an
 * issuer's cue (a legal form, a VAT number, a web site) is the issuer's, and is dropped.
 */
export function mergeModelFields(rules: FieldExtraction, model: Fields): FieldExtraction {
  const fields: Fields = { ...rules.fields };
  const evidence: FieldEvidenceMap = { ...rules.evidence };
  for (const [name, value] of Object.entries(model) as Array<[FieldName, string | undefined]>) {
    if (value === undefined || value.length === 0 || fields[name] !== undefined) continue;
    // A person's name or address never carries an issuer's cue: such an answer named the issuer.
    if ((name === 'fullName' || name === 'address') && issuerCue(value) !== undefined) continue;
    fields[name] = value;
    evidence[name] = { source: 'model' };
  }
  return { ...rules, fields, evidence };
}
