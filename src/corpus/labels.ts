/**
 * Ground truth for evaluation: the fields each document states, normalised the way a report should give
 * them: natural case with accents, given names first, dates YYYY-MM-DD, IBAN without spaces, address lines
 * joined with ", " with the printed abbreviations (St, Rd) kept. Names and addresses printed in upper case are
 * labelled in natural case; a name printed without its middle name is labelled without it.
 */
import type { Fields } from '../domain/documents.js';
import { labelName } from './format.js';
import type { Address, AddressStyle } from './people.js';
import { addressText } from './people.js';
import type { CaseLabel, CaseSpec, DocumentLabel, DocumentSpec, IdentityContent } from './specs.js';
import { decisionFor } from './specs.js';

function identityFields(doc: IdentityContent): Fields {
  // Sex is added by the MRZ documents only: EU driving licences do not print it.
  return {
    surname: doc.surname,
    givenNames: doc.givenNames,
    fullName: labelName(doc),
    dateOfBirth: doc.dateOfBirth,
    documentNumber: doc.documentNumber,
    issuingCountry: doc.issuingCountry,
    issueDate: doc.issueDate,
    expiryDate: doc.expiryDate,
  };
}

/** Addresses keep the printed abbreviations (St, Rd) but not the printed upper case. */
function labelAddress(address: Address, style: AddressStyle): string {
  return addressText(address, { ...style, uppercase: false });
}

export function documentFields(doc: DocumentSpec): Fields {
  switch (doc.type) {
    case 'passport':
    case 'id_card':
      return { ...identityFields(doc), nationality: doc.nationality, sex: doc.sex };
    case 'driving_licence':
      return { ...identityFields(doc), address: labelAddress(doc.address, doc.addressStyle) };
    case 'utility_bill':
    case 'payslip':
      return { fullName: labelName(doc.name), address: labelAddress(doc.address, doc.addressStyle), statementDate: doc.documentDate };
    case 'bank_statement':
      return {
        fullName: labelName(doc.name),
        address: labelAddress(doc.address, doc.addressStyle),
        statementDate: doc.documentDate,
        iban: doc.iban,
      };
    case 'company_registration':
      return {
        companyName: doc.companyName,
        registrationNumber: doc.registrationNumber,
        incorporationDate: doc.incorporationDate,
        registeredOffice: addressText(doc.registeredOffice),
      };
    case 'unknown':
      return {};
  }
}

export function documentLabel(doc: DocumentSpec): DocumentLabel {
  return { type: doc.type, fields: documentFields(doc), ...(doc.flags.length > 0 ? { flags: [...doc.flags] } : {}) };
}

export function caseLabel(spec: CaseSpec): CaseLabel {
  const documents: Record<string, DocumentLabel> = {};
  for (const doc of spec.documents) documents[doc.fileName] = documentLabel(doc);
  return { decision: decisionFor(spec.reasons), reasons: [...spec.reasons], documents };
}
