/**
 * Corpus v2: the words each language prints on proofs of address, and its date formats. Several
 * synonyms per role, so that no single label word identifies the addressee.
 */
import type { Rng } from '../../src/corpus/random.js';
import type { Lang } from './world.js';

export interface Words {
  /** Words printed above or before the addressee. */
  addressee: readonly string[];
  billTitle: readonly string[];
  statementTitle: readonly string[];
  payslipTitle: readonly string[];
  invoiceTitle: string;
  bankDetailsTitle: string;
  billDate: string;
  statementDate: string;
  payDate: string;
  invoiceDate: string;
  customerNo: string;
  period: string;
  amountDue: string;
  dueDate: string;
  consumption: string;
  openingBalance: string;
  closingBalance: string;
  description: string;
  amount: string;
  employee: string;
  employer: string;
  gross: string;
  tax: string;
  social: string;
  net: string;
  service: string;
  vat: string;
  office: string;
  supplyAddress: string;
  accountHolder: string;
  page: string;
  total: string;
  months: readonly string[];
}

export const WORDS: Record<Lang, Words> = {
  en: {
    addressee: ['Account holder', 'Customer', 'Bill to'], billTitle: ['Your electricity bill', 'Water services bill', 'Gas and electricity statement'],
    statementTitle: ['Current account statement', 'Statement of account'], payslipTitle: ['Payslip', 'Pay advice'], invoiceTitle: 'Invoice', bankDetailsTitle: 'Confirmation of bank details',
    billDate: 'Bill date', statementDate: 'Statement date', payDate: 'Pay date', invoiceDate: 'Invoice date', customerNo: 'Customer number', period: 'Billing period',
    amountDue: 'Amount due', dueDate: 'Payment due by', consumption: 'Units used', openingBalance: 'Opening balance', closingBalance: 'Closing balance',
    description: 'Description', amount: 'Amount', employee: 'Employee', employer: 'Employer', gross: 'Gross pay', tax: 'Income tax', social: 'National Insurance',
    net: 'Net pay', service: 'Customer service', vat: 'VAT reg. no.', office: 'Registered office', supplyAddress: 'Supply address', accountHolder: 'Account holder',
    page: 'Page', total: 'Total',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  },
  fr: {
    addressee: ['Titulaire du contrat', 'Destinataire', 'Client'], billTitle: ["Facture d'électricité", "Facture d'eau", 'Votre facture de gaz'],
    statementTitle: ['Relevé de compte', 'Extrait de compte courant'], payslipTitle: ['Bulletin de paie', 'Bulletin de salaire'], invoiceTitle: 'Facture n°', bankDetailsTitle: "Relevé d'Identité Bancaire",
    billDate: 'Date de facture', statementDate: 'Date du relevé', payDate: 'Date de paiement', invoiceDate: "Date d'émission", customerNo: 'Référence client', period: 'Période de consommation',
    amountDue: 'Montant à payer', dueDate: 'À régler avant le', consumption: 'Consommation', openingBalance: 'Solde précédent', closingBalance: 'Nouveau solde',
    description: 'Libellé', amount: 'Montant', employee: 'Salarié', employer: 'Employeur', gross: 'Salaire brut', tax: 'Prélèvement à la source', social: 'Cotisations sociales',
    net: 'Net à payer', service: 'Service client', vat: 'N° TVA intracommunautaire', office: 'Siège social', supplyAddress: 'Adresse de livraison', accountHolder: 'Titulaire du compte',
    page: 'Page', total: 'Total',
    months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  },
  de: {
    addressee: ['Rechnungsempfänger', 'Kunde', 'Vertragspartner'], billTitle: ['Stromrechnung', 'Jahresabrechnung Gas', 'Wasserrechnung'],
    statementTitle: ['Kontoauszug', 'Girokonto Kontoauszug'], payslipTitle: ['Gehaltsabrechnung', 'Entgeltabrechnung'], invoiceTitle: 'Rechnung', bankDetailsTitle: 'Kontobestätigung',
    billDate: 'Rechnungsdatum', statementDate: 'Auszugsdatum', payDate: 'Abrechnungsdatum', invoiceDate: 'Rechnungsdatum', customerNo: 'Kundennummer', period: 'Abrechnungszeitraum',
    amountDue: 'Zu zahlender Betrag', dueDate: 'Fällig am', consumption: 'Verbrauch', openingBalance: 'Alter Kontostand', closingBalance: 'Neuer Kontostand',
    description: 'Buchungstext', amount: 'Betrag', employee: 'Arbeitnehmer', employer: 'Arbeitgeber', gross: 'Gesamtbrutto', tax: 'Lohnsteuer', social: 'Sozialversicherung',
    net: 'Auszahlungsbetrag', service: 'Kundenservice', vat: 'USt-IdNr.', office: 'Sitz der Gesellschaft', supplyAddress: 'Lieferanschrift', accountHolder: 'Kontoinhaber',
    page: 'Seite', total: 'Summe',
    months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  },
  es: {
    addressee: ['Titular', 'Cliente', 'Destinatario'], billTitle: ['Factura de electricidad', 'Factura de agua', 'Factura de gas natural'],
    statementTitle: ['Extracto de cuenta', 'Extracto mensual'], payslipTitle: ['Nómina', 'Recibo de salarios'], invoiceTitle: 'Factura', bankDetailsTitle: 'Certificado de titularidad bancaria',
    billDate: 'Fecha de factura', statementDate: 'Fecha del extracto', payDate: 'Fecha de pago', invoiceDate: 'Fecha de emisión', customerNo: 'Nº de cliente', period: 'Periodo de facturación',
    amountDue: 'Importe a pagar', dueDate: 'Fecha de cargo', consumption: 'Consumo', openingBalance: 'Saldo anterior', closingBalance: 'Saldo final',
    description: 'Concepto', amount: 'Importe', employee: 'Trabajador', employer: 'Empresa', gross: 'Total devengado', tax: 'Retención IRPF', social: 'Seguridad Social',
    net: 'Líquido a percibir', service: 'Atención al cliente', vat: 'NIF', office: 'Domicilio social', supplyAddress: 'Dirección de suministro', accountHolder: 'Titular de la cuenta',
    page: 'Página', total: 'Total',
    months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  },
  it: {
    addressee: ['Intestatario', 'Cliente', 'Destinatario'], billTitle: ['Bolletta luce', 'Bolletta acqua', 'Bolletta gas'],
    statementTitle: ['Estratto conto', 'Estratto conto corrente'], payslipTitle: ['Busta paga', 'Cedolino paga'], invoiceTitle: 'Fattura', bankDetailsTitle: 'Coordinate bancarie',
    billDate: 'Data emissione', statementDate: 'Data estratto', payDate: 'Data pagamento', invoiceDate: 'Data fattura', customerNo: 'Codice cliente', period: 'Periodo di fatturazione',
    amountDue: 'Totale da pagare', dueDate: 'Scadenza', consumption: 'Consumi', openingBalance: 'Saldo iniziale', closingBalance: 'Saldo finale',
    description: 'Descrizione', amount: 'Importo', employee: 'Dipendente', employer: 'Datore di lavoro', gross: 'Retribuzione lorda', tax: 'IRPEF', social: 'Contributi INPS',
    net: 'Netto in busta', service: 'Servizio clienti', vat: 'P.IVA', office: 'Sede legale', supplyAddress: 'Indirizzo di fornitura', accountHolder: 'Intestatario del conto',
    page: 'Pagina', total: 'Totale',
    months: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  },
  nl: {
    addressee: ['Klant', 'Rekeninghouder', 'Geadresseerde'], billTitle: ['Jaarnota energie', 'Factuur water', 'Energierekening'],
    statementTitle: ['Rekeningafschrift', 'Dagafschrift'], payslipTitle: ['Loonstrook', 'Salarisstrook'], invoiceTitle: 'Factuur', bankDetailsTitle: 'Bevestiging rekeninggegevens',
    billDate: 'Factuurdatum', statementDate: 'Datum afschrift', payDate: 'Betaaldatum', invoiceDate: 'Factuurdatum', customerNo: 'Klantnummer', period: 'Periode',
    amountDue: 'Te betalen', dueDate: 'Uiterste betaaldatum', consumption: 'Verbruik', openingBalance: 'Beginsaldo', closingBalance: 'Eindsaldo',
    description: 'Omschrijving', amount: 'Bedrag', employee: 'Werknemer', employer: 'Werkgever', gross: 'Brutoloon', tax: 'Loonheffing', social: 'Premies werknemersverzekeringen',
    net: 'Netto uit te betalen', service: 'Klantenservice', vat: 'Btw-nummer', office: 'Statutair gevestigd', supplyAddress: 'Leveringsadres', accountHolder: 'Rekeninghouder',
    page: 'Pagina', total: 'Totaal',
    months: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  },
  pl: {
    addressee: ['Odbiorca', 'Klient', 'Płatnik'], billTitle: ['Rachunek za energię elektryczną', 'Faktura za wodę', 'Rachunek za gaz'],
    statementTitle: ['Wyciąg z rachunku', 'Wyciąg bankowy'], payslipTitle: ['Pasek wynagrodzenia', 'Odcinek płacowy'], invoiceTitle: 'Faktura VAT', bankDetailsTitle: 'Potwierdzenie danych rachunku',
    billDate: 'Data wystawienia', statementDate: 'Data wyciągu', payDate: 'Data wypłaty', invoiceDate: 'Data wystawienia', customerNo: 'Numer klienta', period: 'Okres rozliczeniowy',
    amountDue: 'Do zapłaty', dueDate: 'Termin płatności', consumption: 'Zużycie', openingBalance: 'Saldo początkowe', closingBalance: 'Saldo końcowe',
    description: 'Opis', amount: 'Kwota', employee: 'Pracownik', employer: 'Pracodawca', gross: 'Wynagrodzenie brutto', tax: 'Zaliczka na PIT', social: 'Składki ZUS',
    net: 'Do wypłaty', service: 'Biuro obsługi klienta', vat: 'NIP', office: 'Siedziba', supplyAddress: 'Adres punktu poboru', accountHolder: 'Posiadacz rachunku',
    page: 'Strona', total: 'Razem',
    // Genitive: "3 marca 2026".
    months: ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'],
  },
  pt: {
    addressee: ['Titular', 'Cliente', 'Destinatário'], billTitle: ['Fatura de eletricidade', 'Fatura da água', 'Fatura de gás'],
    statementTitle: ['Extrato bancário', 'Extrato de conta à ordem'], payslipTitle: ['Recibo de vencimento', 'Recibo de remunerações'], invoiceTitle: 'Fatura', bankDetailsTitle: 'Comprovativo de IBAN',
    billDate: 'Data da fatura', statementDate: 'Data do extrato', payDate: 'Data de pagamento', invoiceDate: 'Data de emissão', customerNo: 'N.º de cliente', period: 'Período de faturação',
    amountDue: 'Valor a pagar', dueDate: 'Data limite de pagamento', consumption: 'Consumo', openingBalance: 'Saldo anterior', closingBalance: 'Saldo final',
    description: 'Descritivo', amount: 'Montante', employee: 'Trabalhador', employer: 'Entidade patronal', gross: 'Total ilíquido', tax: 'Retenção IRS', social: 'Segurança Social',
    net: 'Total líquido', service: 'Apoio ao cliente', vat: 'NIPC', office: 'Sede', supplyAddress: 'Local de consumo', accountHolder: 'Titular da conta',
    page: 'Página', total: 'Total',
    months: ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
  },
};

const pad = (n: number): string => String(n).padStart(2, '0');

export type PaperDateStyle = 'long' | 'numeric';

/** A YYYY-MM-DD date as a document in `lang` prints it. */
export function paperDate(iso: string, lang: Lang, style: PaperDateStyle): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const month = WORDS[lang].months[m - 1] as string;
  if (style === 'numeric') {
    if (lang === 'de' || lang === 'pl') return `${pad(d)}.${pad(m)}.${y}`;
    if (lang === 'nl') return `${pad(d)}-${pad(m)}-${y}`;
    return `${pad(d)}/${pad(m)}/${y}`;
  }
  switch (lang) {
    case 'en': return `${d} ${month} ${y}`;
    case 'de': return `${d}. ${month} ${y}`;
    case 'es':
    case 'pt': return `${d} de ${month} de ${y}`;
    default: return `${d} ${month} ${y}`;
  }
}

const MON = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export type IdDateStyle = 'spaced' | 'dots' | 'mon' | 'slashes';

/** A date on an identity document's data page. */
export function idDate(iso: string, style: IdDateStyle): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  switch (style) {
    case 'spaced': return `${pad(d)} ${pad(m)} ${y}`;
    case 'dots': return `${pad(d)}.${pad(m)}.${y}`;
    case 'slashes': return `${pad(d)}/${pad(m)}/${y}`;
    case 'mon': return `${pad(d)} ${MON[m - 1]} ${y}`;
  }
}

export function money(amount: number, lang: Lang, currency: 'EUR' | 'GBP' | 'PLN'): string {
  const fixed = Math.abs(amount).toFixed(2);
  const [int, dec] = fixed.split('.') as [string, string];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'en' ? ',' : lang === 'fr' || lang === 'pl' ? ' ' : '.');
  const sign = amount < 0 ? '-' : '';
  if (lang === 'en') return `${sign}£${grouped}.${dec}`;
  const symbol = currency === 'PLN' ? 'zł' : '€';
  return `${sign}${grouped},${dec} ${symbol}`;
}

export function pickWord(rng: Rng, words: readonly string[]): string {
  return rng.pick(words);
}
