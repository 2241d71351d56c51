/**
 * What each generated document says, decided before anything is rendered. Planning produces these
 * specs (cheap, pure); rendering turns them into bytes; labels are derived from them.
 */
import type { DocumentType, Fields } from '../domain/documents.js';
import type { Decision } from '../domain/report.js';
import type { DateStyle, IdDateStyle } from './dates.js';
import type { MrzCheck } from './mrz.js';
import type { Address, AddressStyle, ResidenceCountry, Sex } from './people.js';

/** Every reason the decision policy can give, in policy order: rejections first. */
export const DECISION_REASONS = [
  'expired_document',
  'underage',
  'missing_identity',
  'missing_proof_of_address',
  'unreadable_document',
  'mrz_checksum',
  'name_mismatch',
  'address_mismatch',
  'stale_proof_of_address',
  'sanctions_match',
  'invalid_iban',
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

export const REJECTION_REASONS: readonly DecisionReason[] = ['expired_document', 'underage'];

/** The decision the policy gives for a set of reasons: any rejection reason rejects, any other reviews. */
export function decisionFor(reasons: readonly DecisionReason[]): Decision {
  if (reasons.some((reason) => REJECTION_REASONS.includes(reason))) return 'rejected';
  return reasons.length > 0 ? 'review' : 'approved';
}

/** How a document reaches the bank: photographed by a phone, scanned, or produced as a PDF. */
export type FileFormat =
  | 'photo-jpeg'
  | 'photo-png'
  | 'photo-webp'
  | 'scan-pdf'
  | 'scan-tiff'
  | 'scan-png'
  | 'text-pdf';

export const FILE_EXTENSIONS: Record<FileFormat, string> = {
  'photo-jpeg': 'jpg', 'photo-png': 'png', 'photo-webp': 'webp', 'scan-pdf': 'pdf', 'scan-tiff': 'tif', 'scan-png': 'png', 'text-pdf': 'pdf',
};

/** How a name is printed: `Anna Müller`, `ANNA MÜLLER`, `Müller, Anna`, `MÜLLER Anna`. */
export type NameStyle = 'natural' | 'upper' | 'surname-comma' | 'surname-first';

export interface PrintedName {
  givenNames: string;
  surname: string;
  style: NameStyle;
}

interface DocBase {
  fileName: string;
  format: FileFormat;
  /** Layout variant, 0-based. */
  template: number;
  /** Decision reasons this document causes (for evaluation); empty for a clean document. */
  flags: DecisionReason[];
}

export interface IdentityContent {
  surname: string;
  givenNames: string;
  sex: Sex;
  dateOfBirth: string;
  nationality: string;
  placeOfBirth: string;
  documentNumber: string;
  /** ISO alpha-3 of the issuing state. */
  issuingCountry: string;
  issueDate: string;
  expiryDate: string;
  authority: string;
  dateStyle: IdDateStyle;
}

export interface PassportSpec extends DocBase, IdentityContent {
  type: 'passport';
  breakCheck?: MrzCheck;
}

export interface IdCardSpec extends DocBase, IdentityContent {
  type: 'id_card';
  breakCheck?: MrzCheck;
}

export interface DrivingLicenceSpec extends DocBase, IdentityContent {
  type: 'driving_licence';
  address: Address;
  addressStyle: AddressStyle;
  categories: string;
}

export interface Organisation {
  name: string;
  address: Address;
  phone: string;
  website: string;
}

interface AddressedContent {
  name: PrintedName;
  address: Address;
  addressStyle: AddressStyle;
  /** The date that dates the proof of address (bill date, statement date, pay date). */
  documentDate: string;
  dateStyle: DateStyle;
  currency: 'GBP' | 'EUR';
}

export type UtilityKind = 'electricity' | 'gas' | 'water';

export interface UtilityBillSpec extends DocBase, AddressedContent {
  type: 'utility_bill';
  utility: UtilityKind;
  supplier: Organisation;
  accountNumber: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  previousBalance: number;
  payments: number;
  usage: number;
  unitPrice: number;
  standingCharge: number;
  taxRate: number;
}

export interface Transaction {
  date: string;
  description: string;
  /** Positive = money in. */
  amount: number;
}

export interface BankStatementSpec extends DocBase, AddressedContent {
  type: 'bank_statement';
  bank: Organisation & { bic: string };
  /** Compact IBAN as printed (grouped in 4s on the page); invalid for `invalid_iban`. */
  iban: string;
  accountNumber: string;
  sortCode?: string;
  periodStart: string;
  openingBalance: number;
  transactions: Transaction[];
}

export interface PayslipSpec extends DocBase, AddressedContent {
  type: 'payslip';
  employer: Organisation;
  employeeNumber: string;
  taxId: string;
  jobTitle: string;
  gross: number;
  incomeTax: number;
  socialSecurity: number;
  pension: number;
}

export interface CompanyRegistrationSpec extends DocBase {
  type: 'company_registration';
  country: ResidenceCountry;
  companyName: string;
  registrationNumber: string;
  incorporationDate: string;
  registeredOffice: Address;
  director: string;
  dateStyle: DateStyle;
}

/** A file the engine cannot read: a truncated PDF or image, or a blank scanned page. */
export interface UnreadableSpec extends DocBase {
  type: 'unknown';
  corruption: 'truncated-pdf' | 'truncated-jpeg' | 'blank-page';
  /** What the file would have been, had it not been damaged (rendered, then truncated). */
  original?: Exclude<DocumentSpec, UnreadableSpec>;
}

export type DocumentSpec =
  | PassportSpec
  | IdCardSpec
  | DrivingLicenceSpec
  | UtilityBillSpec
  | BankStatementSpec
  | PayslipSpec
  | CompanyRegistrationSpec
  | UnreadableSpec;

export type ProofOfAddressSpec = UtilityBillSpec | BankStatementSpec | PayslipSpec;
export type IdentitySpec = PassportSpec | IdCardSpec | DrivingLicenceSpec;

/** applicant.json: what the bank declared. */
export interface DeclaredApplicant {
  fullName: string;
  dateOfBirth: string;
  address: string;
  nationality: string;
}

export interface CaseSpec {
  caseId: string;
  reasons: DecisionReason[];
  applicant: DeclaredApplicant;
  documents: DocumentSpec[];
}

export interface DocumentLabel {
  type: DocumentType;
  fields: Fields;
  /** Decision reasons caused by this document; absent when none. */
  flags?: DecisionReason[];
}

export interface CaseLabel {
  decision: Decision;
  reasons: DecisionReason[];
  documents: Record<string, DocumentLabel>;
}

/** labels.json */
export interface CorpusLabels {
  asOf: string;
  seed: number;
  cases: Record<string, CaseLabel>;
}
