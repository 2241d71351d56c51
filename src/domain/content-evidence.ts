/**
 * Evidence of a document's content, as opposed to its keywords. A passport is a passport because it
 * carries an MRZ or a filled data page, not because the word "pasaporte" is printed on a form; a
 * bill is a proof of address because it is addressed to someone at an address and dated. Pure
 * functions over accent-folded, lower-case text (classification folds it once).
 *
 * What is measured here is generic structure in the eight languages of the corpus — a label followed
 * by a plausible value, an address line, a date, an amount, transaction rows — never one template.
 */
import { DOCUMENT_TYPES, type DocumentType } from './documents.js';
import { findDates, monthFromName } from './dates.js';

/** A type without content evidence keeps at most this much evidence: below the 0.5 threshold. */
export const CONTENT_CAP = 0.3;

/** Filled identity fields that make a data page without an MRZ (one of them a date). */
export const MIN_IDENTITY_FIELDS = 2;

/** The types whose content is checked; others (and `unknown`) are left to their own rules. */
export const GATED_TYPES: readonly DocumentType[] = ['passport', 'id_card', 'driving_licence', 'utility_bill', 'bank_statement', 'payslip', 'company_registration'];

export interface ContentEvidence {
  /** Types the content supports. */
  supported: DocumentType[];
  /** Types that cannot be the answer: gated types without content, every type on a blank form. */
  unsupported: DocumentType[];
  /** Short names of what was found or ruled out, e.g. `identity-fields:3`, `blank-form`, `invoice`. */
  signals: string[];
}

type FieldKind = 'name' | 'date' | 'number' | 'sex' | 'text';

/** Identity labels (folded) by the kind of value they introduce. */
const IDENTITY_LABELS: ReadonlyArray<[FieldKind, string[]]> = [
  ['name', [
    'surnames?', 'last names?', 'family names?', 'given names?', 'first names?', 'forenames?', 'names?', 'nom', 'noms', 'nom d.usage', 'prenoms?',
    'familienname', 'nachname', 'vornamen?', 'geburtsname', 'apellidos?', 'nombres?', 'cognome', 'nome', 'achternaam', 'voorna(?:am|men)',
    'nazwisko', 'imie', 'imiona', 'apelidos?', 'ln', 'fn',
  ]],
  ['date', [
    'date of birth', 'birth date', 'dob', 'date de naissance', 'ne(?:e|\\(e\\))? le', 'geburtstag', 'geburtsdatum', 'geboren am', 'fecha de nacimiento', 'data di nascita',
    'geboortedatum', 'data urodzenia', 'data de nascimento', 'date of expiry', 'expiry date', 'expiry', 'expires', 'exp', 'valid until',
    'date d.expiration', 'date de validite', 'valable jusqu.au', 'gultig bis', 'ablaufdatum', 'fecha de caducidad', 'valido hasta', 'scadenza',
    'geldig tot', 'data waznosci', 'valido ate', 'date of issue', 'issue date', 'iss', 'date de delivrance', 'delivre le', 'ausstellungsdatum',
    'fecha de expedicion', 'data di rilascio', 'datum van afgifte', 'data wydania', 'data de emissao',
  ]],
  ['number', [
    'document (?:no|number|nr)', 'passport (?:no|number|nr)', 'card (?:no|number|nr)', 'licen[cs]e (?:no|number|nr)', 'dl', 'id (?:no|number)',
    'n(?:o|umero)? du document', 'numero de document', 'dokumentennummer', 'dokumentnummer', 'ausweisnummer', 'passnummer', 'numero de documento',
    'numero de pasaporte', 'numero (?:del )?documento', 'numero (?:del )?passaporto', 'documentnummer', 'paspoortnummer', 'numer dokumentu',
    'numer paszportu', 'numero do documento', 'numero do passaporte', 'personal (?:no|number)', 'personalausweisnummer',
  ]],
  ['sex', ['sex', 'sexe', 'geschlecht', 'sexo', 'sesso', 'geslacht', 'plec']],
  ['text', [
    'nationality', 'nationalite', 'staatsangehorigkeit', 'nacionalidad', 'nazionalita', 'nationaliteit', 'obywatelstwo', 'nacionalidade',
    'place of birth', 'lieu de naissance', 'geburtsort', 'lugar de nacimiento', 'luogo di nascita', 'geboorteplaats', 'miejsce urodzenia',
    'local de nascimento', 'authority', 'autorite', 'behorde', 'autoridad', 'autorita',
  ]],
];

/** Separators between bilingual labels (`Surname / Nom`) and between a label and its value. */
const LABEL_RUN = IDENTITY_LABELS.map(([kind, labels]) => ({
  kind,
  // `1. Surname (s) / Nom:`, `3 DOB` → the value after it (empty when it stands alone).
  pattern: new RegExp(`^\\s*(?:\\d{1,2}[a-z]?\\.?\\s*)?(?:${labels.join('|')})\\b(?:\\s?\\([a-z]{1,2}\\))?(?:\\s*[/|]\\s*[a-z' .()]{2,30}?(?=\\s*(?:[:/|]|$)))*\\s*[:.]?\\s*(.*)$`),
}));

/** EU licence numbered fields: `1.` surname, `2.` given names, `3.` birth, `4a.`/`4b.` issue/expiry, `5.` number. */
const LICENCE_FIELD = /^\s*(1|2|3|4a|4b|4c|5|8)\.\s+(\S.*)$/;
const LICENCE_KIND: Readonly<Record<string, FieldKind>> = { '1': 'name', '2': 'name', '3': 'date', '4a': 'date', '4b': 'date', '4c': 'text', '5': 'number', '8': 'text' };

/** A label with nothing after it (`Name:`, `Address 1: House nr:`, `Date: ____`). */
const EMPTY_LABEL = /^[a-z][a-z0-9 ().'/#-]{0,38}:\s*(?:[_.\s]*)$/;

function isLabelOnly(text: string): boolean {
  const t = text.trim();
  if (t.length === 0) return true;
  if (/^[_.\s-]+$/.test(t)) return true;
  // Every `segment:` on the line is a label with nothing after it (the last one may stand alone).
  const segments = t.split(/:\s*/);
  if (segments.length > 1 && (segments[segments.length - 1] ?? '').replace(/[_.\s]/g, '') === '') return true;
  return LABEL_RUN.some(({ pattern }) => (pattern.exec(t)?.[1] ?? 'x').replace(/[_.\s:]/g, '') === '');
}

function plausible(kind: FieldKind, value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || isLabelOnly(v) || /[a-z0-9][a-z0-9 ]{0,25}:/.test(v)) return false; // another label, not a value
  switch (kind) {
    case 'name':
      return /[a-z]{2,}/.test(v) && v.split(/\s+/).length <= 6 && !/\d{3,}/.test(v);
    case 'date':
      // Either order of all-numeric dates (US licences print MDY), or a day, a month abbreviation the parser may not know (bilingual `14 MAA/MAR 1985`) and a year.
      return findDates(v).length > 0 || findDates(v, { order: 'MDY' }).length > 0 || /^\d{1,2}\s+[a-z]{3,4}(?:\s?\/\s?[a-z]{3,4})?\s+\d{2,4}\b/.test(v);
    case 'number':
      return /^[a-z0-9 <-]{4,}/.test(v) && /\d/.test(v);
    case 'sex':
      return /^(?:m|f|x|h|d|w|k|male|female|masculin|feminin|mannlich|weiblich)\b/.test(v);
    case 'text':
      return /[a-z]{3,}/.test(v);
  }
}

/** The identity labels that are followed (on their line, or alone on the next) by a plausible value. */
function filledIdentityFields(lines: readonly string[]): FieldKind[] {
  const filled: FieldKind[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const licence = LICENCE_FIELD.exec(line);
    if (licence) {
      const kind = LICENCE_KIND[licence[1] ?? ''] ?? 'text';
      if (plausible(kind, licence[2] ?? '')) filled.push(kind);
      continue;
    }
    for (const { kind, pattern } of LABEL_RUN) {
      const m = pattern.exec(line);
      if (!m) continue;
      const inline = (m[1] ?? '').trim();
      // OCR sets a value below its label, often after a blank line.
      const below = lines.slice(i + 1, i + 3).find((l) => l.trim().length > 0) ?? '';
      const value = inline.length > 0 ? inline : below;
      if (plausible(kind, value)) filled.push(kind);
      break;
    }
  }
  return filled;
}

const FORM_PAIR = /([a-z][a-z0-9 ().'/#-]{0,38}):\s*([^:]*?)(?=\s+[a-z][a-z0-9 ().'/#-]{0,38}:|$)/g;

/**
 * Generic form labels (`label: value`) over the whole text. A label with nothing after it counts as
 * empty unless the next line holds a value (no label of its own), as OCR often sets values below labels.
 */
function formLabels(lines: readonly string[]): { empty: number; filled: number } {
  let empty = 0;
  let filled = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (!t.includes(':')) continue;
    const pairs = [...t.matchAll(FORM_PAIR)];
    pairs.forEach((pair, index) => {
      const value = (pair[2] ?? '').replace(/[_.\s]/g, '');
      const next = (lines[i + 1] ?? '').trim();
      const valueBelow = index === pairs.length - 1 && next.replace(/[_.\s]/g, '').length > 0 && !next.includes(':');
      if (value.length > 0 || valueBelow) filled++;
      else empty++;
    });
  }
  return { empty, filled };
}

/**
 * A data page whose labels OCR lost (read column by column, or printed as small numbers): dates
 * that span a decade or more (a birth date beside an issue or expiry date; a bill's or a statement's
 * dates lie months apart) and a short line of letters alone (a name).
 */
function unlabelledIdentityValues(lines: readonly string[]): boolean {
  const years = lines.flatMap((l) => [...findDates(l), ...findDates(l, { order: 'MDY' })].map((d) => Number(d.value.slice(0, 4))));
  if (years.length < 2 || Math.max(...years) - Math.min(...years) < 10) return false;
  return lines.some((l) => {
    const t = l.trim();
    return t.length >= 2 && t.length <= 30 && !t.includes(':') && /^[a-z][a-z' -]*$/.test(t) && t.split(/\s+/).length <= 4 && !isLabelOnly(t);
  });
}

// ---------------------------------------------------------------------------------------------
// Proofs of address and statements

const STREET_WORDS = [
  'street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'drive', 'way', 'close', 'place', 'court', 'crescent', 'gardens', 'terrace', 'square',
  'hill', 'park', 'grove', 'row', 'walk', 'mews', 'rue', 'boulevard', 'bd', 'bld', 'chemin', 'allee', 'impasse', 'quai', 'route', 'calle', 'avenida',
  'plaza', 'paseo', 'camino', 'via', 'viale', 'piazza', 'corso', 'vicolo', 'rua', 'travessa', 'largo', 'praca', 'ulica', 'ul', 'aleja', 'al', 'os', 'plac',
].join('|');
/** `12 Baker Street`, `5, rue de la Paix`, `Calle Mayor 12`, `ul. Dluga 5`, `Hauptstrasse 5`, `Kerkstraat 12`. */
const STREET_LINE = new RegExp(
  `\\b\\d{1,4}[a-z]?,?\\s+(?:[a-z'.-]+\\s+){0,4}(?:${STREET_WORDS})\\b|\\b(?:${STREET_WORDS})\\.?\\s+(?:[a-z'.-]+\\s+){0,4}\\d{1,4}[a-z]?\\b|[a-z]{3,}(?:strasse|str\\.|weg|platz|allee|gasse|ring|damm|straat|laan|plein|gracht|kade|steeg|singel)\\s+\\d{1,4}`,
);
/** Postcode followed by a town, or a UK postcode. */
const POSTCODE_LINE = /\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b|\b\d{4,5}\s+[a-z]{3,}|\b\d{4}\s?[a-z]{2}\s+[a-z]{3,}|\b\d{2}-\d{3}\s+[a-z]{3,}|\b\d{4}-\d{3}\b/;
/** An amount with a currency or two decimals. */
const AMOUNT = /(?:[£$€]\s?\d[\d,.\s]*\d|\d[\d,.]*[.,]\d{2}\s?(?:€|eur|gbp|usd|pln|zl|chf)?\b|\b(?:eur|gbp|usd|pln|chf)\s?\d[\d,.]*[.,]\d{2})/;
/** A transaction row: a date, words, an amount. */
const DATED_ROW = /^\s*(?:\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?|\d{1,2}\s+[a-z]{3,9}(?:\s+\d{2,4})?)\s+\S.*\d[.,]\d{2}\b/;
const BALANCE_LINE = /\b(?:opening|closing|previous|new|start|end) balance\b|\bbalance (?:brought|carried) forward\b|\bsolde (?:initial|final|precedent|nouveau|crediteur|debiteur|au)\b|\b(?:alter|neuer) (?:kontostand|saldo)\b|\bsaldo (?:inicial|final|anterior|iniziale|finale|precedente|begin|eind|poczatkowe|koncowe|inicial|final)\b|\bbeginsaldo\b|\beindsaldo\b/;
const STATEMENT_PERIOD = /\b(?:statement )?period\b|\bfrom\b.*\bto\b|\bdu\b.*\bau\b|\bvom\b.*\bbis\b|\bdel\b.*\bal\b|\bvan\b.*\btot\b|\bod\b.*\bdo\b|\bde\b.*\ba\b/;
const PAY_LINE = /\b(?:gross|net) (?:pay|salary|earnings|payment)\b|\bbasic (?:pay|salary)\b|\bsalaire (?:brut|net|de base)\b|\bnet (?:a payer|imposable)\b|\b(?:brutto|netto|gesamtbrutto)(?:lohn|gehalt|bezug|betrag|verdienst)?\b|\bauszahlungsbetrag\b|\bsalario (?:bruto|liquido|base)\b|\bliquido a percibir\b|\btotal devengado\b|\b(?:retribuzione|stipendio) (?:lorda|netta|lordo|netto)\b|\btotale (?:lordo|netto|competenze|trattenute)\b|\bpaga base\b|\bnetto (?:in busta|del mese|a pagare|loon|salaris)\b|\bbruto ?(?:loon|salaris)\b|\buit te betalen\b|\bwynagrodzenie (?:brutto|netto|zasadnicze)\b|\bdo wyplaty\b|\bvencimento (?:base|liquido)\b|\b(?:total )?iliquido\b|\bliquido a receber\b|\btake home\b/;
const CONSUMPTION = /\bkwh\b|\bm3\b|\bmeter\b|\bcompteur\b|\bzahler|\bcontador\b|\bcontatore\b|\bmeterstand\b|\blicznik\b|\bconsumption\b|\bconsommation\b|\bverbrauch\b|\bconsumo\b|\bverbruik\b|\bzuzycie\b|\bsupply (?:address|point|period)\b|\bpoint de livraison\b|\blieferstelle\b|\bpunto de suministro\b|\bpunto di fornitura\b|\bleveringsadres\b|\bpunkt poboru\b|\bstanding charge\b|\btariff?\b|\babonnement\b|\bsubscription\b|\bbroadband\b|\bline rental\b|\bmobile\b|\bforfait\b|\bbilling period\b|\bperiode de facturation\b|\babrechnungszeitraum\b|\bperiodo de facturacion\b|\bperiodo di fatturazione\b|\bfactuurperiode\b|\bokres rozliczeniowy\b|\bperiodo de faturacao\b|\belectricity\b|\belectricite\b|\bstrom\b|\bgas\b|\bwater\b|\beau\b|\bwasser\b|\bagua\b|\bacqua\b|\bwoda\b|\benergy\b|\benergie\b|\benergia\b/;
/**
 * A commercial invoice: an invoice word, line items (quantity / unit price) and VAT totals. It
 * proves a purchase, not a residence: nothing in it says the buyer lives at the billing address.
 */
const INVOICE_WORD = /\binvoice\b|\bfacture\b|\brechnung\b|\bfactura\b|\bfattura\b|\bfactuur\b|\bfaktura\b|\bfatura\b/;
const LINE_ITEMS = /\b(?:qty|quantity|quantite|qte|menge|anzahl|cantidad|cant|quantita|qta|aantal|ilosc|quantidade|qtd)\b|\bunit price\b|\bprix unitaire\b|\b(?:einzel|stuck)preis\b|\bprecio unitario\b|\bprezzo unitario\b|\bstukprijs\b|\bcena jedn|\bpreco unitario\b/;
const VAT_TOTALS = /\bvat\b|\btva\b|\bmwst\b|\bust\b|\biva\b|\bbtw\b|\bvat total\b|\btotal (?:ht|ttc|net|excl|incl)\b|\bsub ?total\b|\bnettobetrag\b|\bzwischensumme\b|\bbase imponible\b|\bimponibile\b|\bnetto\b.*\bbrutto\b/;
/** A bank-details slip (RIB, account confirmation): an IBAN and nothing else of a statement. */
const BANK_DETAILS = /\breleve d.identite bancaire\b|\brib\b|\bbank (?:account )?details\b|\bbankverbindung\b|\biban confirmation\b|\baccount confirmation\b|\bcertificat de compte\b|\battestation (?:de compte|bancaire)\b|\bcoordonnees bancaires\b|\bdatos bancarios\b|\bcertificado de titularidad\b|\bcoordinate bancarie\b|\bbankgegevens\b|\bdane (?:do przelewu|bankowe|rachunku)\b|\bdados bancarios\b|\bkontobestatigung\b/;

function hasDate(text: string): boolean {
  if (findDates(text).length > 0) return true;
  // A month and year alone date a payslip or a statement (`September 2026`, `09/2026`).
  for (const m of text.matchAll(/\b([a-z]{3,9})\.?\s+(\d{4})\b/g)) if (monthFromName(m[1] ?? '') !== undefined) return true;
  return /\b(?:0?[1-9]|1[0-2])[./-](?:19|20)\d{2}\b/.test(text);
}

/** A line that looks like a person or company name: two to seven words of letters, not a label. */
function isNameLine(line: string): boolean {
  const t = line.trim();
  if (t.length < 4 || t.endsWith(':')) return false;
  // OCR puts rules and bars beside the address window: words of punctuation alone do not count.
  const words = t.split(/\s+/).map((w) => w.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')).filter((w) => w.length > 0);
  return words.length >= 2 && words.length <= 7 && words.every((w) => /^[a-z][a-z'.,&-]*$/.test(w));
}

/** An address line with a name-like line just above it (the address window of a letter), not in a form's label. */
function hasAddressBlock(lines: readonly string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!STREET_LINE.test(line) && !POSTCODE_LINE.test(line)) continue;
    if (EMPTY_LABEL.test(line.trim())) continue;
    const above = lines.slice(Math.max(0, i - 3), i);
    // The addressee may be labelled (`Titular: Ana Garcia`), stand on its own line, or lead the
    // address line itself (`Emily Taylor, 12 Baker Street, London NW1 6XE`).
    if (above.some((l) => isNameLine(l) || isNameLine(l.split(':').slice(1).join(':')))) return true;
    if (isNameLine(line.split(/[,\d]/)[0] ?? '')) return true;
  }
  return false;
}

const AMOUNT_ONLY = /^\s*-?(?:[£$€]\s?)?\d[\d,.\s]*[.,]\d{2}\s?(?:€|eur|gbp|usd|pln|zl|chf|cr|dr)?\s*$/;
/** Two dates joined as a period: `2026-08-15 to 2026-09-11`, `du 01/09 au 30/09/2026`, `01.09.–30.09.2026`. */
const PERIOD_JOIN = /\s(?:to|until|through|-|–|au|bis|al|a|tot|t\/m|do|ate)\s/;

function isDateOnly(line: string): boolean {
  const dates = findDates(line);
  return dates.length === 1 && line.trim().length <= (dates[0]?.text.length ?? 0) + 2;
}

/**
 * What makes a statement: transaction rows (a date, words, an amount), a balance with amounts, or a
 * statement period. OCR often reads a statement's table column by column, so dates alone on their
 * lines beside amounts alone on theirs count as rows too.
 */
function statementContent(lines: readonly string[], text: string): string | undefined {
  const rows = lines.filter((l) => DATED_ROW.test(l)).length;
  if (rows >= 2) return `transaction-rows:${rows}`;
  const dateOnly = lines.filter(isDateOnly).length;
  const amountOnly = lines.filter((l) => AMOUNT_ONLY.test(l)).length;
  if (dateOnly >= 3 && amountOnly >= 3) return 'transaction-columns';
  const amountLines = lines.filter((l) => AMOUNT.test(l)).length;
  if (lines.some((l) => BALANCE_LINE.test(l) && AMOUNT.test(l))) return 'balance';
  if (BALANCE_LINE.test(text) && amountLines >= 2) return 'balance';
  const period = lines.some((l) => findDates(l).length >= 2 && (STATEMENT_PERIOD.test(l) || PERIOD_JOIN.test(l)));
  return period ? 'statement-period' : undefined;
}

/** A pay label with its amount on the line or, in a payslip's grid, on one of the two lines below. */
function hasPayLine(lines: readonly string[]): boolean {
  if (lines.some((l, i) => PAY_LINE.test(l) && lines.slice(i, i + 3).some((near) => AMOUNT.test(near)))) return true;
  // OCR reads a payslip's grid column by column: the pay labels, then their amounts further down.
  // Two pay lines (gross and net) and amounts elsewhere on the page are the same grid read that way.
  return lines.filter((l) => PAY_LINE.test(l)).length >= 2 && lines.filter((l) => AMOUNT.test(l)).length >= 2;
}

export interface ContentOptions {
  /** An MRZ was found: that alone is an identity document's content. */
  hasMrz: boolean;
}

/**
 * The types whose content the (folded) text shows:
 * - identity types: an MRZ, or at least `MIN_IDENTITY_FIELDS` filled identity fields, one a date, or
 *   (labels lost by OCR) dates a decade or more apart and a name line;
 * - utility bill: an addressee above an address, a date, and an amount or a consumption cue;
 * - bank statement: transaction rows (or, read by columns, date and amount columns), a balance with
 *   amounts, or a statement period — an IBAN alone is a bank-details slip;
 * - payslip: a pay label with its amount (on its line or just below) and a date;
 * - company registration: a number or a date.
 * Not proofs of address, and why: a commercial invoice proves a purchase, not where the buyer lives
 * (anyone can have goods billed to any address); a bank-details slip (RIB) proves an account, is
 * printed on demand and carries no period of activity. Both (an invoice: line items and VAT totals,
 * no consumption or service cue) support no proof-of-address type: they become `unknown` and reach
 * a person, with the signal saying why. They get no type of their own because no check or policy
 * rule would use one: the type set is the closed label set the model, the policy and the evaluation
 * share, and a new type there would only be another way to reach a person. Labels without values
 * (a form template) support nothing.
 */
export function contentEvidence(text: string, options: ContentOptions): ContentEvidence {
  const lines = text.split('\n');
  const signals: string[] = [];
  const supported: DocumentType[] = [];
  const identity = filledIdentityFields(lines);
  const form = formLabels(lines);
  // Empty labels outnumber filled ones, and no values stand elsewhere (OCR may read a column of
  // labels, then the column of their values): a template, whatever document it names.
  const datedLines = lines.filter((l) => findDates(l).length > 0).length;
  const blankForm = !options.hasMrz && form.empty >= 3 && form.empty > form.filled && datedLines <= 1 && !unlabelledIdentityValues(lines);
  if (blankForm) {
    signals.push('blank-form');
    return { supported, unsupported: DOCUMENT_TYPES.filter((t) => t !== 'unknown'), signals };
  }

  const idFields = identity.length;
  if (options.hasMrz) {
    supported.push('passport', 'id_card', 'driving_licence');
  } else if (idFields >= MIN_IDENTITY_FIELDS && identity.includes('date')) {
    supported.push('passport', 'id_card', 'driving_licence');
    signals.push(`identity-fields:${idFields}`);
  } else if (unlabelledIdentityValues(lines)) {
    supported.push('passport', 'id_card', 'driving_licence');
    signals.push('identity-values');
  }

  const dated = hasDate(text);
  const invoice = INVOICE_WORD.test(text) && LINE_ITEMS.test(text) && VAT_TOTALS.test(text) && !CONSUMPTION.test(text);
  const statement = statementContent(lines, text);
  const bankDetails = !statement && BANK_DETAILS.test(text);
  if (invoice) signals.push('invoice');
  if (bankDetails) signals.push('bank-details');
  if (!invoice && !bankDetails) {
    const amounts = lines.filter((l) => AMOUNT.test(l)).length;
    if (dated && hasAddressBlock(lines) && (amounts > 0 || CONSUMPTION.test(text))) supported.push('utility_bill');
    if (dated && statement) {
      supported.push('bank_statement');
      signals.push(statement);
    }
    if (dated && hasPayLine(lines)) supported.push('payslip');
  }
  if (dated || /\b\d{5,}\b/.test(text)) supported.push('company_registration');
  return { supported, unsupported: GATED_TYPES.filter((t) => !supported.includes(t)), signals };
}
