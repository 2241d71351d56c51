/**
 * Label vocabularies: the words documents print before a value (visual zone of identity documents,
 * proofs of address, company registrations), and the word lists that tell names, streets and
 * companies apart.
 */
import type { FieldName } from '../documents.js';
import { labelRegex } from './common.js';

export type VisualKind = 'text' | 'date' | 'sex' | 'country' | 'number';

export interface VisualLabel {
  field: FieldName | 'other';
  kind: VisualKind;
  phrases: string[];
}

export const VISUAL_LABELS: readonly VisualLabel[] = [
  { field: 'surname', kind: 'text', phrases: ['su(?:rn|m)ames?', 'last name', 'family name', 'nom', 'apellidos?', 'cognome', 'nachname', 'familienname', 'achternaam'] },
  { field: 'givenNames', kind: 'text', phrases: ['given names?', 'first names?', 'forenames?', 'pr[ée]noms?', 'vornamen?', 'nombres?', 'nomi', 'voornamen?'] },
  { field: 'dateOfBirth', kind: 'date', phrases: ['date of birth', 'birth date', 'd\\.?o\\.?b\\.?', 'date de naissance', 'geburtsdatum', 'fecha de nacimiento', 'data di nascita', 'geboortedatum'] },
  { field: 'expiryDate', kind: 'date', phrases: ['date of expiry', 'expiry date', 'expiry', 'expires', 'expiration date', "date (?:d['’ ]?)?expiration", 'valid until', 'valid thru', 'g[üu]ltig bis', 'fecha de caducidad', 'data di scadenza', 'geldig tot'] },
  { field: 'issueDate', kind: 'date', phrases: ['date of issue', 'issue date', 'issued on', 'date de d[ée]livrance', 'ausstellungsdatum', 'fecha de expedici[óo]n', 'data di rilascio', 'afgiftedatum'] },
  { field: 'documentNumber', kind: 'number', phrases: ['passport no\\.?', 'passport number', 'document no\\.?', 'document number', 'card no\\.?', 'card number', 'licen[cs]e no\\.?', 'licen[cs]e number', 'id no\\.?', 'n[°º]\\.? ?du (?:passeport|document)', 'num[ée]ro du (?:passeport|document)', 'passnummer', 'ausweisnummer'] },
  { field: 'nationality', kind: 'country', phrases: ['nationality', 'nationalit[ée]', 'staatsangeh[öo]rigkeit', 'nacionalidad', 'nazionalit[àa]', 'nationaliteit'] },
  { field: 'sex', kind: 'sex', phrases: ['sex', 'sexe', 'geschlecht', 'sexo', 'sesso', 'geslacht', 'gender'] },
  { field: 'issuingCountry', kind: 'country', phrases: ['country code', 'code of issuing state', 'issuing (?:country|state)', 'country of issue', 'code'] },
  { field: 'address', kind: 'text', phrases: ['address', 'adresse', 'domicile', 'anschrift', 'domicilio', 'indirizzo'] },
  { field: 'other', kind: 'text', phrases: ['type', 'place of birth', 'lieu de naissance', 'authority', 'autorit[ée]', 'signature', 'height', 'taille', 'geburtsort', 'beh[öo]rde'] },
];

export const HOLDER_LABEL = labelRegex(['account holders?', 'account name', 'customer name', 'name', 'bill to', 'billed to', 'addressee', 'employee name', 'employee(?=\\s*:?\\s*$)', 'titulaire', 'kontoinhaber']);
export const ADDRESS_LABEL = labelRegex(['address', 'supply address', 'billing address', 'adresse', 'anschrift']);
export const DOCUMENT_DATE_LABELS: readonly RegExp[] = [
  labelRegex(['statement date', 'date of statement', 'statement of account as at', 'as at', 'bill date', 'date of bill', 'invoice date', 'date of invoice', 'pay date', 'payment date', 'date of payment', 'date of issue', 'issue date', 'issued on', 'period ending', 'period end', 'date de (?:la )?facture', 'rechnungsdatum', 'datum']),
];
export const PERIOD_LABEL = labelRegex(['statement period', 'billing period', 'period', 'supply period', 'pay period']);
export const ISSUE_DATE_LABEL = labelRegex(['date of issue', 'issue date', 'issued on']);
/** Lines that carry facts, not the addressee block: skipped inside an address block. */
export const FACT_LABEL = labelRegex([
  'account (?:number|no\\.?)', 'customer account', 'sort code', 'iban', 'bic', 'swift', 'statement date', 'period', 'bill date', 'invoice date',
  'billing period', 'payment due', 'due', 'amount due', 'pay date', 'payment date', 'employee (?:no\\.?|id|number)', 'ni number', 'pps number',
  'steuer-id', 'bsn', 'job title', 'position', 'account summary', 'opening balance', 'closing balance', 'money (?:in|out)', 'meter reading',
  'gross (?:pay|salary)', 'net (?:pay|payment|salary)', 'basic salary', 'income tax', 'pension', 'total', 'deductions', 'vat',
  'standing charge', 'balance brought forward', 'bill dat[a-z]*', 'date', 'billing', 'invoice',
]);
export const AMOUNT_LINE = /^[-+]?\s*[£$€]\s?[\d,.]+$/;
/** A money amount anywhere in a line: `£12.30`, `€ 1,234.50`, `12,30`. */
export const MONEY = /[£$€]\s?-?\d|\d[.,]\d{2}(?!\d)/;
export const COMPANY_WORDS = labelRegex([
  'ltd', 'limited', 'plc', 'llp', 'llc', 'inc', 'dac', 'gmbh', 'ag', 'b\\.?v\\.?', 'n\\.?v\\.?', 'sa', 'sas', 'sarl', 'bank', 'sparkasse',
  'spaarbank', 'building society', 'energy', 'energie', 'power', 'water', 'gas', 'electric', 'electricity', 'utilities', 'services',
  'group', 'council', 'payroll', 'company', 'holdings', 'trading', 'consulting', 'digital', 'design', 'logistics', 'ventures',
  'insurance', 'stadtwerke', 'versorgung',
]);
export const NOT_NAME_WORDS = new Set([
  'statement', 'account', 'bill', 'invoice', 'payslip', 'balance', 'summary', 'period', 'date', 'customer', 'charges', 'page', 'total',
  'amount', 'number', 'details', 'your', 'the', 'of', 'and', 'for', 'to', 'from', 'earnings', 'registered', 'certificate', 'current',
  'savings', 'payment', 'employee', 'employer', 'salary', 'deductions', 'description', 'questions', 'dear', 'thank', 'you', 'tax', 'pay',
  'net', 'gross', 'basic', 'income', 'pension', 'electricity', 'gas', 'water', 'supply', 'online', 'private', 'retail', 'extract',
  'position', 'job', 'title', 'id', 'reference', 'holder', 'name', 'address',
]);
export const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|prof|herr|frau|mme|mlle|m)\.?\s+/i;
export const STREET_WORDS = labelRegex([
  'street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'ln', 'drive', 'dr', 'close', 'way', 'place', 'terrace', 'crescent', 'court',
  'gardens', 'square', 'hill', 'grove', 'park', 'row', 'walk', 'mews', 'flat', 'apartment', 'apt', 'unit', 'house', 'building', 'floor',
  'rue', 'boulevard', 'chemin', '\\p{L}*stra(?:ss|ß)e', 'str', '\\p{L}*weg', 'gasse', 'platz', '\\p{L}*allee', '\\p{L}*straat',
  '\\p{L}*gracht', 'laan', 'plein', 'kade', 'via', 'calle', 'plaza',
]);
export const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b\d{5}\b|\b\d{4}\s?[A-Z]{2}\b|\b[A-Z]\d{2}\s?[A-Z0-9]{4}\b/i;

export const COMPANY_NAME_LABEL = labelRegex(['company name', 'name of company', 'firmenname', 'firma', 'raison sociale', 'denomination', 'handelsnaam', 'statutaire naam']);
export const REGISTRATION_LABEL = labelRegex(['company number', 'company no\\.?', 'company registration number', 'registration number', 'registration no\\.?', 'registered number', 'handelsregisternummer', 'kvk[- ]?nummer', 'kvk', 'siren', 'crn']);
export const INCORPORATION_LABEL = labelRegex(['date of incorporation', 'incorporation date', 'incorporated on', 'given on', 'given at [^\\n]*? on', 'date of registration', 'registration date', 'gr[üu]ndungsdatum', 'eintragungsdatum', 'date d.immatriculation']);
export const OFFICE_LABEL = labelRegex(['registered office address', 'registered office', 'registered address', 'sitz', 'si[èe]ge social', 'statutaire zetel']);
export const CERTIFIES_THAT = /certif(?:y|ies) that\s*(.*)$/i;
export const INCORPORATED_PHRASE = /^(.*?)\s*(?:is this day incorporated|was incorporated|is incorporated)/i;
