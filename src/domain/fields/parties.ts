/**
 * Who is who on a letter: the issuer (utility, bank, employer) and the addressee. Told by role, not
 * position: the issuer's own cues (company suffixes, registration and VAT numbers, registered
 * office, customer-service lines, telephone, web and e-mail, bank details) and the labels that
 * introduce a party ("Sprzedawca", "Employer" for the issuer; "Titular", "Kunde" for the addressee).
 * A block that carries an issuer cue is never the addressee. Vocabularies in English, French,
 * German, Spanish, Italian, Dutch, Polish and Portuguese.
 */
import { labelRegex, type Line } from './common.js';
import { ADDRESS_LABEL, HOLDER_LABEL, POSTCODE } from './labels.js';
import { isAddressLine, isPersonNameLine, leftColumn } from './postal.js';

/**
 * Legal-form suffixes. Short ones ("SA", "SL", "AG", "NV") must stand alone: "SA1" and "SL6" are
 * British postcodes.
 */
const COMPANY_SUFFIX = new RegExp(
  `(?<![\\p{L}\\p{N}.])(?:${[
    'ltd', 'limited', 'plc', 'llp', 'llc', 'inc', 'corp', 'gmbh', 'e\\.\\s?v', 'b\\.\\s?v', 'n\\.\\s?v', 'bvba', 'sprl',
    's\\.\\s?a\\.?(?:\\s?u\\.?)?', 's\\.\\s?l\\.?(?:\\s?u\\.?)?', 'sarl', 's\\.a\\.r\\.l', 'sasu', 'eurl',
    's\\.p\\.a', 's\\.r\\.l', 's\\.n\\.c', 's\\.a\\.s', 'lda', 'ltda', 'unipessoal', 'sp\\.\\s?z\\s?o\\.\\s?o', 'sp\\.\\s?k', 'sp\\.\\s?j',
  ].join('|')})(?![\\p{L}\\p{N}])\\.?`,
  'iu',
);
/** Short legal forms count in capitals only ("AG", "SA", "BV"): "Spa Road" and "Sa" are not companies. */
const SHORT_COMPANY_SUFFIX = /(?<![\p{L}\p{N}])(?:AG|KG|OHG|SE|BV|NV|VOF|SA|SAU|SL|SLU|SAS|SRL|SPA|SNC|CV|SCI)(?![\p{L}\p{N}])/u;

/** Registration, tax and legal lines a company prints about itself. */
const LEGAL_CUES = labelRegex([
  'vat(?: (?:no|number|reg(?:istration)?(?: no)?))?', 'tva(?: intracommunautaire)?', 'n[°º] tva', 'ust-?id(?:-?nr)?\\.?', 'ust\\.?-?idnr\\.?', 'umsatzsteuer(?:-?id)?',
  'steuernummer', 'st\\.?-?nr\\.?', 'btw(?:-?(?:nr|nummer))?', 'kvk(?:-?nummer)?', 'p\\.?\\s?iva', 'partita iva', 'c\\.?f\\.? e p\\.? ?iva', 'nipc', 'siren', 'siret', 'rcs',
  'naf', 'ape', 'hrb', 'hra', 'amtsgericht', 'registergericht', 'handelsregister', 'krs', 'regon', 'cif', 'company (?:no\\.?|number|reg(?:istration)?)',
  'registered in', 'registered office', 'registered address', 'registered number', 'si[èe]ge social', 'si[èe]ge', 'sitz der gesellschaft', 'sitz', 'domicilio social',
  'sede legale', 'sede sociale', 'sede social', 'sede', 'statutaire zetel', 'siedziba', 'capital social', 'capitale sociale', 'share capital', 'stammkapital',
  'kapita[łl] zak[łl]adowy', 'gesch[äa]ftsf[üu]hr(?:er|ung)', 'vorstand', 'aufsichtsrat', 'g[ée]rant', 'authorised and regulated', 'authorized and regulated',
  'financial conduct authority', 'inscrita en el registro', 'registro mercantil', 'registro delle imprese', 'conservat[óo]ria', 'matr[íi]cula',
]);

/** Tax ids a person also has (Spanish NIF, Polish NIP): an issuer cue only in a footer or beside a company. */
const WEAK_ID = labelRegex(['nif', 'nip', 'nie', 'c\\.?f\\.?', 'codice fiscale', 'tax id', 'tin']);

/** How to reach the issuer: customer service, telephone, fax. */
const CONTACT_CUES = labelRegex([
  'customer services?', 'customer care', 'customer support', 'customer (?:helpline|hotline)', 'help ?line', 'hotline', 'call us', 'contact us', 'phone', 'telephone', 'tel',
  'fax', 'e-?mail', 'service clients?', 'service client[èe]le', 'contactez-nous', 't[ée]l[ée]phone', 't[ée]l', 'kundenservice', 'kundendienst', 'kundencenter',
  'kundenbetreuung', 'servicenummer', 'telefon', 'atenci[óo]n al cliente', 'servicio de atenci[óo]n', 'tel[ée]fono', 'tfno', 'servizio clienti', 'assistenza clienti',
  'numero verde', 'telefono', 'klantenservice', 'telefoon', 'obs[łl]uga klienta', 'biuro obs[łl]ugi', 'infolinia', 'apoio ao cliente', 'linha de apoio', 'atendimento',
  'telefone', 'contactos?', 'contatti', 'kontakt', 'opening hours', 'lines are open',
]);

/** The issuer's bank details printed for payments (not the addressee's account). */
const BANK_CUES = labelRegex([
  'bankverbindung', 'coordonn[ée]es bancaires', 'datos bancarios', 'coordinate bancarie', 'bankgegevens',
  'rachunek bankowy', 'numer konta', 'dados banc[áa]rios', 'bank details', 'pay(?:ment)? to',
]);

/** Account lines: the addressee's own on a statement, the issuer's in a payment footer. */
const ACCOUNT_LINE = labelRegex(['iban', 'bic', 'swift', 'sort code']);

const WEB_OR_EMAIL = /\bwww\.|https?:\/\/|[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|co\.uk|de|fr|es|it|nl|pl|pt|eu|be|ie|at|ch|net|org)\b/i;

/** Labels that introduce the issuer's block: seller, supplier, employer. */
export const ISSUER_LABEL = labelRegex([
  'seller', 'supplier', 'vendor', 'issued by', 'issuer', 'employer',
  'fournisseur', 'vendeur', '[ée]metteur', 'employeur',
  'lieferant', 'verk[äa]ufer', 'aussteller', 'arbeitgeber', 'rechnungssteller',
  'vendedor', 'proveedor', 'emisor', 'empleador', 'empresa', 'comercializadora',
  'fornitore', 'venditore', 'emittente', 'datore di lavoro', 'azienda',
  'leverancier', 'verkoper', 'werkgever',
  'sprzedawca', 'wystawca', 'dostawca', 'pracodawca',
  'fornecedor', 'emitente', 'entidade patronal', 'entidade empregadora',
]);

export interface IssuerCue {
  /** `footer`: a tax id or account line at the foot of a page (the issuer's, as likely as not). */
  kind: 'company' | 'legal' | 'contact' | 'bank' | 'web' | 'footer';
}

/**
 * The issuer cue a line carries, if any, in its left column (a facts column OCR ran into it, such as
 * the addressee's IBAN, is not read). `isFooter`: the line lies in the last third of its page, where
 * tax ids and account numbers are the issuer's.
 */
export function issuerCue(line: string, isFooter = false): IssuerCue | undefined {
  const text = leftColumn(line);
  if (isFooter && (WEAK_ID.test(text) || ACCOUNT_LINE.test(text))) return { kind: 'footer' };
  if (hasCompanySuffix(text)) return { kind: 'company' };
  if (LEGAL_CUES.test(text)) return { kind: 'legal' };
  if (WEB_OR_EMAIL.test(text)) return { kind: 'web' };
  if (CONTACT_CUES.test(text)) return { kind: 'contact' };
  if (BANK_CUES.test(text)) return { kind: 'bank' };
  return undefined;
}

/** True when the line names a company by its legal form ("Iberdrola Clientes S.A.U."). */
export function hasCompanySuffix(text: string): boolean {
  // In a line all in capitals a short form is as likely a word ("12 SPA ROAD").
  return COMPANY_SUFFIX.test(text) || (/\p{Ll}/u.test(text) && SHORT_COMPANY_SUFFIX.test(text));
}

/**
 * Per line, whether it belongs to the issuer: it carries an issuer cue, or it follows an issuer
 * label ("Sprzedawca:", "Employer") within that label's block. A label line that introduces the
 * addressee ends such a block.
 */
export function issuerLines(lines: readonly Line[]): boolean[] {
  const pageLength = new Map<number, number>();
  const pageIndex: number[] = [];
  for (const line of lines) {
    const seen = pageLength.get(line.page) ?? 0;
    pageIndex.push(seen);
    pageLength.set(line.page, seen + 1);
  }
  const cues = lines.map((line, i) => {
    const total = pageLength.get(line.page) ?? 1;
    // A footer needs a page long enough to have one.
    return issuerCue(line.text, total >= 15 && (pageIndex[i] ?? 0) >= (total * 2) / 3);
  });
  const marks = cues.map((cue) => cue !== undefined);
  // The issuer's block: the address lines under its name, and those above its contact or tax line.
  cues.forEach((cue, i) => {
    if (!cue || cue.kind === 'bank' || cue.kind === 'footer') return;
    if (cue.kind === 'company') spread(lines, marks, i, 1);
    if (headIsIssuers(lines, i)) spread(lines, marks, i, -1);
  });
  lines.forEach((line, i) => {
    const m = ISSUER_LABEL.exec(line.text);
    if (!m || m.index > 3) return;
    marks[i] = true;
    for (let j = i + 1; j < lines.length && j <= i + 5; j++) {
      const next = lines[j];
      if (!next || isAddresseeLabel(next.text) || next.page !== line.page) break;
      marks[j] = true;
    }
  });
  return marks;
}

/**
 * Whether the address lines above a contact or tax line are the issuer's: the line that heads them
 * carries an issuer cue, or is neither a person's name nor an addressee's label. A customer-service
 * line printed right under the addressee ("Titular", "JUAN GARCÍA LÓPEZ", street, city) does not
 * make the addressee the issuer.
 */
function headIsIssuers(lines: readonly Line[], from: number): boolean {
  let i = from - 1;
  while (i >= 0 && lines[i]?.page === lines[from]?.page && isAddressLine(leftColumn(lines[i]?.text ?? ''))) i--;
  const head = lines[i];
  if (i === from - 1 || !head || head.page !== lines[from]?.page) return false;
  return issuerCue(head.text) !== undefined || (!isPersonNameLine(head.text) && !isAddresseeLabel(head.text));
}

/** A line that introduces the addressee or the addressee's address ("Titular", "Kunde:", "Bill to", "Morada:"). */
export function isAddresseeLabel(text: string): boolean {
  const m = HOLDER_LABEL.exec(leftColumn(text)) ?? ADDRESS_LABEL.exec(text);
  return m !== null && m.index <= 3;
}

/** Marks the address lines next to line `from` in one direction, up to and including a postcode line. */
function spread(lines: readonly Line[], marks: boolean[], from: number, step: 1 | -1): void {
  const page = lines[from]?.page;
  for (let i = from + step, n = 0; i >= 0 && i < lines.length && n < 4; i += step, n++) {
    const line = lines[i];
    if (!line || line.page !== page) return;
    const left = leftColumn(line.text);
    if (!isAddressLine(left)) return;
    const isPostcodeLine = POSTCODE.test(left);
    // Going up, a postcode line below the first one closes another block.
    if (step === -1 && isPostcodeLine && n > 0) return;
    marks[i] = true;
    if (step === 1 && isPostcodeLine) return;
  }
}
