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

/**
 * Labels before the addressee's name, in English, French, German, Spanish, Italian, Dutch, Polish
 * and Portuguese: the role the document gives a person, whatever the position of the block.
 */
export const HOLDER_LABEL = labelRegex([
  // English
  'account holders?', 'account name', 'customer name', 'customer', 'name', 'bill to', 'billed to', 'invoice to', 'addressee', 'recipient',
  'employee name', 'employee(?=\\s*:?\\s*$)', 'payee', 'policy ?holder',
  // French
  'titulaire(?: du (?:compte|contrat))?', 'destinataire', 'nom du client', 'client', 'abonn[ée]', 'salari[ée]', 'nom(?: et pr[ée]nom)?', 'factur[ée] [àa]', 'adress[ée] [àa]',
  // German
  'rechnungsempf[äa]nger', 'empf[äa]nger', 'kontoinhaber(?:in)?', 'kunde', 'kundin', 'kundenname', 'vertragspartner', 'anschlussinhaber', 'mitarbeiter(?:in)?', 'arbeitnehmer(?:in)?',
  // Spanish
  'titular(?: del (?:contrato|suministro|servicio|cuenta))?', 'nombre del (?:cliente|titular)', 'cliente', 'destinatario', 'trabajador(?:a)?', 'empleado', 'nombre',
  // Italian
  'intestatario(?: del contratto)?', 'intestato a', 'titolare', 'nominativo', 'dipendente', 'lavoratore',
  // Dutch
  'klant', 'klantnaam', 'rekeninghouder', 'ontvanger', 'geadresseerde', 'tenaamstelling', 'werknemer', 'naam', 't\\.a\\.v\\.?',
  // Polish
  'odbiorca', 'nabywca', 'klient', 'p[łl]atnik', 'posiadacz rachunku', 'w[łl]a[śs]ciciel rachunku', 'pracownik', 'imi[ęe] i nazwisko',
  // Portuguese
  'destinat[áa]rio', 'nome do cliente', 'titular da conta', 'trabalhador', 'colaborador', 'nome',
]);
/** Labels before the addressee's postal address (not the issuer's registered office). */
export const ADDRESS_LABEL = labelRegex([
  'address', 'supply address', 'billing address', 'service address', 'postal address', 'correspondence address', 'home address',
  'adresse(?: de (?:facturation|fourniture|livraison|consommation|correspondance))?', 'lieu de consommation',
  'anschrift', 'lieferanschrift', 'lieferadresse', 'rechnungsanschrift', 'verbrauchsstelle', 'wohnanschrift',
  'direcci[óo]n(?: de (?:suministro|facturaci[óo]n|env[íi]o))?', 'domicilio(?! social)(?: de (?:suministro|facturaci[óo]n))?',
  'indirizzo(?: di (?:fornitura|fatturazione|residenza))?',
  'adres(?: dostawy| zamieszkania| korespondencyjny| do korespondencji)?', 'leveringsadres', 'woonadres', 'factuuradres',
  'morada(?: de fornecimento)?', 'endere[çc]o(?: de fornecimento)?',
]);
/**
 * Labels before the document's own date (bill, statement, payslip), most specific first. Never a due
 * date or a birth date (see DUE_OR_BIRTH_LABEL).
 */
export const DOCUMENT_DATE_LABELS: readonly RegExp[] = [
  labelRegex([
    'statement date', 'date of statement', 'statement of account as at', 'as at', 'bill date', 'date of bill', 'invoice date', 'date of invoice',
    'pay date', 'payment date', 'date of payment', 'date of issue', 'issue date', 'issued on', 'document date', 'period ending', 'period end',
    "date de (?:la )?facture", 'facture(?: n[°º]\\s?\\S+)? du', 'rechnung(?: nr\\.?\\s?\\S+)? vom', "date d['’ ]?[ée]mission", "date d['’ ]?[ée]dition", 'date du relev[ée]', '[ée]mise? le', '[ée]tabli le', 'date de paie(?:ment)?', 'fait le',
    'rechnungsdatum', 'ausstellungsdatum', 'abrechnungsdatum', 'auszugsdatum', 'belegdatum', 'erstellt am', 'kontoauszug vom', 'auszahlungsdatum', 'zahltag',
    'fecha de (?:emisi[óo]n|factura|expedici[óo]n|cargo|pago|la factura|extracto|del extracto)', 'fecha factura', 'fecha emisi[óo]n',
    'data (?:della |di )?fattura', 'data (?:di )?emissione', 'data documento', "data dell['’ ]estratto", 'data (?:di )?pagamento', 'data (?:di )?retribuzione',
    'factuurdatum', 'datum factuur', 'datum van uitgifte', 'afschriftdatum', 'datum afschrift', 'uitbetalingsdatum', 'betaaldatum',
    'data wystawienia', 'data dokumentu', 'data wyci[ąa]gu', 'data wyp[łl]aty', 'data sporz[ąa]dzenia',
    'data (?:de |da )?emiss[ãa]o', 'data da fatura', 'data do extrato', 'data (?:de )?pagamento', 'data do recibo',
  ]),
];
/** Bare date words: a document date only on a line that names no due date or birth date. */
export const GENERIC_DATE_LABEL = labelRegex(['date', 'datum', 'fecha', 'data', 'datum:']);
/** Dates that are not the document's own: when a bill is due, when a person was born. */
export const DUE_OR_BIRTH_LABEL = labelRegex([
  'due date', 'date due', 'payment due', 'due by', 'due on', 'pay by', 'payable by', 'to be paid by', 'direct debit on', 'collected on',
  "date d['’ ]?[ée]ch[ée]ance", '[ée]ch[ée]ance', 'date limite(?: de paiement)?', 'pr[ée]l[èe]vement', '[àa] payer (?:avant|le)', 'pr[ée]lev[ée] le', 'date (?:de )?pr[ée]l[èe]vement',
  'f[äa]llig(?:keitsdatum| am| bis)?', 'zahlbar bis', 'zu zahlen bis', 'abbuchung am', 'abbuchungsdatum',
  'fecha (?:de )?vencimiento', 'vencimiento', 'fecha l[íi]mite', 'fecha de cargo en cuenta', 'pagar antes',
  'data (?:di )?scadenza', 'scadenza', 'pagare entro', 'entro il',
  'vervaldatum', 'uiterste betaaldatum', 'te betalen voor', 'betalen v[óo][óo]r', 'incassodatum',
  'termin p[łl]atno[śs]ci', 'zap[łl]aci[ćc] do', 'p[łl]atne do',
  'data (?:de )?vencimento', 'data limite', 'pagar at[ée]', 'data de cobran[çc]a',
  'date of birth', 'birth date', 'born', 'date de naissance', 'n[ée]e? le', 'geburtsdatum', 'geboren am', 'fecha de nacimiento',
  'data di nascita', 'nato il', 'nata il', 'geboortedatum', 'data urodzenia', 'data de nascimento', 'd\\.?o\\.?b\\.?',
]);
export const PERIOD_LABEL = labelRegex([
  'statement period', 'billing period', 'period', 'supply period', 'pay period', 'p[ée]riode(?: de facturation| de consommation)?',
  'abrechnungszeitraum', 'leistungszeitraum', 'zeitraum', 'abrechnungsmonat', 'periodo(?: de facturaci[óo]n| di fatturazione| di riferimento)?',
  'factuurperiode', 'periode', 'loonperiode', 'okres(?: rozliczeniowy)?', 'per[íi]odo(?: de fatura[çc][ãa]o)?',
]);
export const ISSUE_DATE_LABEL = labelRegex(['date of issue', 'issue date', 'issued on']);
/** Lines that carry facts, not the addressee block: skipped inside an address block. */
export const FACT_LABEL = labelRegex([
  'account (?:number|no\\.?)', 'customer account', 'sort code', 'iban', 'bic', 'swift', 'statement date', 'period', 'bill date', 'invoice date',
  'billing period', 'payment due', 'due', 'amount due', 'pay date', 'payment date', 'employee (?:no\\.?|[i1l]d|number)', 'ni number', 'pps number',
  'steuer-id', 'bsn', 'job title', 'position', 'account summary', 'opening balance', 'closing balance', 'money (?:in|out)', 'meter reading',
  'gross (?:pay|salary)', 'net (?:pay|payment|salary)', 'basic salary', 'income tax', 'pension', 'total', 'deductions', 'vat',
  'standing charge', 'balance brought forward', 'bill dat[a-z]*', 'date', 'billing', 'invoice',
  'n[°º] (?:client|de client|contrat)', 'kundennummer', 'kunden-?nr\\.?', 'vertragsnummer', 'rechnungsnummer', 'n[úu]mero de (?:cliente|contrato|factura)',
  'codice cliente', 'numero cliente', 'klantnummer', 'factuurnummer', 'numer klienta', 'nr klienta', 'numer faktury', 'n[úu]mero de cliente',
  'nif', 'nie', 'dni', 'cif', 'nip', 'pesel', 'codice fiscale', 'steuer-?nr\\.?', 'sozialversicherungsnummer',
  'account', 'konto(?:nummer)?', 'compte', 'cuenta', 'conto', 'rekening(?:nummer)?', 'rachunek', 'conta',
]);
export const AMOUNT_LINE = /^[-+]?\s*[£$€]\s?[\d,.]+$/;
/** A money amount anywhere in a line: `£12.30`, `€ 1,234.50`, `12,30`. */
export const MONEY = /[£$€]\s?-?\d|\d[.,]\d{2}(?!\d)/;
export const COMPANY_WORDS = labelRegex([
  'ltd', 'limited', 'plc', 'llp', 'llc', 'inc', 'dac', 'gmbh', 'ag', 'b\\.?v\\.?', 'n\\.?v\\.?', 'sa', 'sas', 'sarl', 'bank', 'sparkasse',
  'spaarbank', 'building society', 'energy', 'energie', 'power', 'water', 'gas', 'electric', 'electricity', 'utilities', 'services',
  'group', 'council', 'payroll', 'company', 'holdings', 'trading', 'consulting', 'digital', 'design', 'logistics', 'ventures',
  'insurance', 'stadtwerke', 'versorgung',
  's\\.a\\.(?:u\\.?)?', 's\\.l\\.(?:u\\.?)?', 'sau', 'slu', 'srl', 's\\.r\\.l\\.?', 'spa', 's\\.p\\.a\\.?', 'lda', 'ltda', 'sp\\. ?z ?o\\.? ?o\\.?', 'z ?o\\.o\\.?',
  'kg', 'ohg', 'e\\.v\\.?', 'bvba', 'sprl', 'nv', 'bv',
  'energia', 'energ[íi]a', '[ée]nergie', 'electricidad', 'elettricit[àa]', 'eletricidade', 'gaz', 'agua', 'aguas', 'acqua', '[áa]gua', 'eau', 'eaux',
  'wasser', 'strom', 'stroom', 'telecom', 'telekom', 'mobile', 'comunicaciones', 'comercializadora', 'clientes', 'servicios', 'servizi', 'servi[çc]os',
  'diensten', 'dienste', 'us[łl]ugi', 'banco', 'banca', 'banque', 'caixa', 'credit', 'cr[ée]dit', 'soci[ée]t[ée]', 'sociedad', 'societ[àa]', 'sociedade',
  'sp[óo][łl]ka', 'gesellschaft', 'versicherung', 'seguros', 'assicurazioni', 'verzekeringen', 'assurances?', 'mutuelle', 'gemeente',
  'ayuntamiento', 'comune', 'municipio', 'mairie', 'finanzamt', 'volksbank', 'raiffeisen', 'cooperativa', 'genossenschaft', 'human resources',
  'personalabteilung', 'ressources humaines', 'recursos humanos', 'risorse umane', 'kadry',
]);
export const NOT_NAME_WORDS = new Set([
  'statement', 'account', 'bill', 'invoice', 'payslip', 'balance', 'summary', 'period', 'date', 'customer', 'charges', 'page', 'total',
  'amount', 'number', 'details', 'your', 'the', 'of', 'and', 'for', 'to', 'from', 'earnings', 'registered', 'certificate', 'current',
  'savings', 'payment', 'employee', 'employer', 'salary', 'deductions', 'description', 'questions', 'dear', 'thank', 'you', 'tax', 'pay',
  'net', 'gross', 'basic', 'income', 'pension', 'electricity', 'gas', 'water', 'supply', 'online', 'private', 'retail', 'extract',
  'position', 'job', 'title', 'id', 'reference', 'holder', 'name', 'address', 'factura', 'facture', 'rechnung', 'fattura', 'factuur',
  'faktura', 'fatura', 'rachunek', 'relevé', 'releve', 'kontoauszug', 'extracto', 'estratto', 'rekeningafschrift', 'wyciąg', 'wyciag',
  'extrato', 'nómina', 'nomina', 'bulletin', 'lohnabrechnung', 'gehaltsabrechnung', 'loonstrook', 'recibo', 'cliente', 'client', 'kunde',
  'klant', 'klient', 'titular', 'titulaire', 'destinataire', 'destinatario', 'destinatário', 'odbiorca', 'intestatario', 'empfänger',
  'empfanger', 'rechnungsempfänger', 'rechnungsempfanger', 'seite', 'página', 'pagina', 'strona', 'importe', 'montant', 'betrag',
  'importo', 'bedrag', 'kwota', 'datum', 'fecha', 'data', 'période', 'periode', 'zeitraum', 'periodo', 'okres', 'período', 'madame',
  'monsieur', 'sehr', 'geehrte', 'geehrter', 'estimado', 'estimada', 'gentile', 'geachte', 'szanowny', 'szanowna', 'prezado', 'prezada',
  'nombre', 'nome', 'naam', 'nom', 'imię', 'imie', 'nazwisko', 'adresse', 'anschrift', 'dirección', 'direccion', 'indirizzo', 'adres',
  'morada', 'endereço', 'endereco', 'sprzedawca', 'service', 'services', 'kundenservice', 'contact', 'kontakt', 'contacto', 'contatti',
]);
export const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|prof|herrn?|frau|mme|mlle|m|monsieur|madame|sr|sra|srta|don|do[ñn]a|d[ñn]a|d|sig|sig\.ra|sigra|dott|dhr|mevr|mw|pan|pani|exmo|exma)\.?\s+/i;
export const STREET_WORDS = labelRegex([
  'street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'ln', 'drive', 'dr', 'close', 'way', 'place', 'terrace', 'crescent', 'court',
  'gardens', 'square', 'hill', 'grove', 'park', 'row', 'walk', 'mews', 'flat', 'apartment', 'apt', 'unit', 'house', 'building', 'floor',
  'rue', 'boulevard', 'chemin', '\\p{L}*stra(?:ss|ß)e', 'str', '\\p{L}*weg', 'gasse', 'platz', '\\p{L}*allee', '\\p{L}*straat',
  '\\p{L}*gracht', 'laan', 'plein', 'kade', 'via', 'calle', 'plaza',
  'avenida', 'avda', 'paseo', 'carrer', 'c/', 'pla[çc]a', 'piazza', 'corso', 'viale', 'vicolo', 'largo', 'rua', 'travessa', 'pra[çc]a', 'ulica', 'ul\\.',
  'aleja', 'al\\.', 'plac', 'osiedle', 'os\\.', 'all[ée]e', 'impasse', 'quai', 'cours', 'steenweg', 'dreef', 'singel', 'markt', 'ring', 'damm',
]);
/** UK, 5-digit (DE, FR, ES, IT), Dutch `1234 AB`, Eircode, Polish `00-950`, Portuguese `1000-001`. */
export const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b\d{5}\b|\b\d{4}\s?[A-Z]{2}\b|\b[A-Z]\d{2}\s?[A-Z0-9]{4}\b|\b\d{2}-\d{3}\b|\b\d{4}-\d{3}\b/i;

export const COMPANY_NAME_LABEL = labelRegex(['company name', 'name of company', 'firmenname', 'firma', 'raison sociale', 'denomination', 'handelsnaam', 'statutaire naam']);
export const REGISTRATION_LABEL = labelRegex(['company number', 'company no\\.?', 'company registration number', 'registration number', 'registration no\\.?', 'registered number', 'handelsregisternummer', 'kvk[- ]?nummer', 'kvk', 'siren', 'crn']);
export const INCORPORATION_LABEL = labelRegex(['date of incorporation', 'incorporation date', 'incorporated on', 'given on', 'given at [^\\n]*? on', 'date of registration', 'registration date', 'gr[üu]ndungsdatum', 'eintragungsdatum', 'date d.immatriculation']);
export const OFFICE_LABEL = labelRegex(['registered office address', 'registered office', 'registered address', 'sitz', 'si[èe]ge social', 'statutaire zetel']);
export const CERTIFIES_THAT = /certif(?:y|ies) that\s*(.*)$/i;
export const INCORPORATED_PHRASE = /^(.*?)\s*(?:is this day incorporated|was incorporated|is incorporated)/i;
