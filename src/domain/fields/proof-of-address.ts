/**
 * Proofs of address (bills, statements, payslips): the addressee's name and address, told from the
 * issuer's by role (see parties.ts), the document's own date, the IBAN.
 */
import { repairPostcodeDigits } from '../address.js';
import { daysInMonth, findDates, monthFromName, toIsoDate } from '../dates.js';
import { findIbans } from '../iban.js';
import { FieldSink, clean, dateAfterLabel, toLines, type FieldExtraction, type FieldExtractionOptions, type FieldPage, type Found, type Line } from './common.js';
import { ADDRESS_LABEL, DOCUMENT_DATE_LABELS, DUE_OR_BIRTH_LABEL, GENERIC_DATE_LABEL, HOLDER_LABEL, ISSUE_DATE_LABEL, PERIOD_LABEL } from './labels.js';
import { ISSUER_LABEL, hasCompanySuffix, issuerCue, issuerLines } from './parties.js';
import { addressBlock, addressSpan, displayName, isAddressLine, isPersonNameLine, leftColumn, nameCore } from './postal.js';

interface Holder {
  name: Line;
  index: number;
}

const HOLDER_LABELS = new RegExp(HOLDER_LABEL.source, 'giu');
/** "Name" in any language: whose name it is, only the start of the line says. */
const GENERIC_NAME_LABEL = /^(?:name|nom|naam|nome|nombre|nominativo)$/i;

/**
 * The name a role label introduces: at the start of a line, or anywhere when a colon follows it
 * ("Invoice no. 12 Customer: Jan Kowalski"); the name after it on the line, or on the next line
 * ("Titular" above the customer's name). Never on a line that introduces the issuer.
 */
function holderByLabel(lines: Line[], isIssuer: readonly boolean[]): Holder | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const issuerLabel = ISSUER_LABEL.exec(line.text);
    for (const m of line.text.matchAll(HOLDER_LABELS)) {
      const after = line.text.slice(m.index + m[0].length);
      // Mid-line, only a role label with its colon: "Customer: …", not "Bank name: …".
      if (m.index > 3 && (!/^\s*:/.test(after) || GENERIC_NAME_LABEL.test(m[0]))) continue;
      if (issuerLabel && issuerLabel.index <= m.index) break;
      const rest = clean(leftColumn(clean(after)));
      if (rest.length > 0) {
        if (isPersonNameLine(rest) && !hasCompanySuffix(rest)) return { name: { page: line.page, text: rest }, index: i };
        continue;
      }
      const next = lines[i + 1];
      if (next && !isIssuer[i + 1] && isPersonNameLine(next.text) && !hasCompanySuffix(next.text)) return { name: next, index: i + 1 };
    }
  }
  return undefined;
}

/** Kinds of issuer cue that, on the line right after a name-and-address block, make it the issuer's. */
const TRAILING_ISSUER_CUES = new Set(['legal', 'web', 'contact']);

/**
 * The address window of a letter: a person's name followed by an address block, with no issuer cue
 * in it or on the line right after it (the issuer's telephone, web site or VAT number). When the
 * first such block opens the first page and another follows, the first is the letterhead.
 */
function holderByLayout(lines: Line[], isIssuer: readonly boolean[]): Holder | undefined {
  const candidates: Holder[] = [];
  for (let i = 0; i < lines.length && candidates.length < 2; i++) {
    const line = lines[i];
    if (!line || isIssuer[i] || !isPersonNameLine(line.text)) continue;
    const span = addressSpan(lines, i + 1, isIssuer);
    if (span.lines.length === 0) continue;
    const after = lines[span.last + 1];
    const cue = after && after.page === line.page ? issuerCue(after.text) : undefined;
    if (cue && TRAILING_ISSUER_CUES.has(cue.kind)) continue;
    candidates.push({ name: line, index: i });
  }
  const [first, second] = candidates;
  const firstPage = lines[0]?.page;
  const isLetterhead = first !== undefined && first.name.page === firstPage && first.index <= 1;
  return isLetterhead && second ? second : first;
}

function setAddressee(sink: FieldSink, lines: Line[]): void {
  const isIssuer = issuerLines(lines);
  const holder = holderByLabel(lines, isIssuer) ?? holderByLayout(lines, isIssuer);
  if (holder) {
    sink.set('fullName', displayName(nameCore(holder.name.text)), { source: 'text', page: holder.name.page, text: holder.name.text });
  }
  const labelled = labelledAddress(lines, isIssuer);
  const block = labelled ?? (holder ? addressBlock(lines, holder.index + 1, isIssuer) : []);
  if (block.length > 0) {
    sink.set('address', block.map((l) => l.text).join(', '), { source: 'text', page: block[0]?.page, text: block.map((l) => l.text).join('\n') });
  }
}

function labelledAddress(lines: Line[], isIssuer: readonly boolean[]): Line[] | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || isIssuer[i]) continue;
    const m = ADDRESS_LABEL.exec(line.text);
    if (!m || m.index > 3) continue;
    const rest = repairPostcodeDigits(clean(line.text.slice(m.index + m[0].length)));
    // "Adresse de l'installation": the rest of a longer label, not an address.
    const first: Line[] = rest.length > 0 && isAddressLine(rest) ? [{ page: line.page, text: rest }] : [];
    const block = [...first, ...addressBlock(lines, i + 1, isIssuer)];
    if (block.length > 0) return block;
  }
  return undefined;
}

/** "26 May 2026 to 25 Jun 2026": a date range alone on its line (OCR split it from its label column). */
const DATE_RANGE_JOINER = /^\s*(?:-|–|—|to|until|bis|tot|t\/m|tot en met|au|al|a|hasta|fino al|do|at[ée])\s*$/i;

/** The end of the first unlabelled statement period: what dates a statement when its labels went astray. */
function unlabelledPeriodEnd(lines: Line[], options: FieldExtractionOptions): Found | undefined {
  for (const line of lines) {
    const dates = findDates(line.text, { order: options.dateOrder });
    const [from, to] = dates;
    if (dates.length !== 2 || !from || !to || from.index > 0 || to.value < from.value) continue;
    const between = line.text.slice(from.index + from.text.length, to.index);
    const after = line.text.slice(to.index + to.text.length);
    if (DATE_RANGE_JOINER.test(between) && after.trim() === '') return { value: to.value, line };
  }
  return undefined;
}

/**
 * The document's own date: a labelled bill, statement or pay date; else the end of its period; else
 * a bare "Date:" with its date on the same line; else the latest date printed that is not a due or
 * birth date.
 */
function setDocumentDate(sink: FieldSink, lines: Line[], options: FieldExtractionOptions): void {
  for (const label of DOCUMENT_DATE_LABELS) sink.setFound('statementDate', dateAfterLabel(lines, label, options));
  sink.setFound('statementDate', dateAfterLabel(lines, PERIOD_LABEL, options, 'last'));
  sink.setFound('statementDate', unlabelledPeriodEnd(lines, options));
  sink.setFound('statementDate', genericDate(lines, options));
  sink.setFound('issueDate', dateAfterLabel(lines, ISSUE_DATE_LABEL, options));
  if (!sink.has('statementDate') && !sink.has('issueDate')) sink.setFound('statementDate', latestPastDate(lines, options));
  if (!sink.has('statementDate') && !sink.has('issueDate')) sink.setFound('statementDate', periodMonth(lines));
}

/** "October 2026", "październik 2026", "10/2026". */
const MONTH_YEAR = /(?<![\p{L}\d])(?:(\p{L}{3,12})\.?|(\d{1,2})[./-])\s*(\d{4})(?!\d)/u;

/**
 * A pay or billing period printed as a month and year only ("Abrechnungsmonat: Oktober 2026",
 * "Statement of earnings - October 2026"): its last day, when no date at all dates the document.
 */
function periodMonth(lines: Line[]): Found | undefined {
  for (const line of lines) {
    const m = MONTH_YEAR.exec(line.text);
    if (!m) continue;
    const month = m[1] !== undefined ? monthFromName(m[1]) : Number(m[2]);
    const year = Number(m[3]);
    if (month === undefined || month < 1 || month > 12) continue;
    const value = toIsoDate(year, month, daysInMonth(year, month));
    if (value) return { value, line };
  }
  return undefined;
}

/** "Datum: 03.10.2026", "Fecha 3 de octubre de 2026": a bare date word with its date on the same line, no due or birth label there. */
function genericDate(lines: Line[], options: FieldExtractionOptions): Found | undefined {
  for (const line of lines) {
    const m = GENERIC_DATE_LABEL.exec(line.text);
    if (!m || DUE_OR_BIRTH_LABEL.test(line.text)) continue;
    const date = findDates(line.text.slice(m.index + m[0].length), { order: options.dateOrder })[0];
    if (date) return { value: date.value, line };
  }
  return undefined;
}

/** Lines whose dates are due or birth dates: the labelled line, and the next when the label stands alone. */
function dueOrBirthLines(lines: Line[]): Set<number> {
  const out = new Set<number>();
  lines.forEach((line, i) => {
    const m = DUE_OR_BIRTH_LABEL.exec(line.text);
    if (!m) return;
    out.add(i);
    if (findDates(line.text).length === 0) out.add(i + 1);
  });
  return out;
}

/**
 * When no label leads to the document's date (OCR put labels and values in separate columns): the
 * latest date printed on it that is not after `asOf`. A bill or payslip prints its own date and dates
 * near it (period, payment); an old document shows only old dates, so recency still fails it.
 */
function latestPastDate(lines: Line[], options: FieldExtractionOptions): Found | undefined {
  let best: Found | undefined;
  const excluded = dueOrBirthLines(lines);
  for (const [i, line] of lines.entries()) {
    if (excluded.has(i)) continue;
    for (const date of findDates(line.text, { order: options.dateOrder })) {
      if (date.value <= options.asOf && (!best || date.value > best.value)) best = { value: date.value, line };
    }
  }
  return best;
}

function setIban(sink: FieldSink, lines: Line[]): void {
  for (const line of lines) {
    const candidates = findIbans(line.text);
    const best = candidates.find((c) => c.valid) ?? candidates[0];
    if (best?.valid) return sink.set('iban', best.iban, { source: 'text', page: line.page, text: line.text });
  }
  const anyCandidate = lines.find((l) => findIbans(l.text).length > 0);
  if (anyCandidate) sink.set('iban', findIbans(anyCandidate.text)[0]?.iban, { source: 'text', page: anyCandidate.page, text: anyCandidate.text });
}

export function extractProofOfAddress(pages: readonly FieldPage[], options: FieldExtractionOptions): FieldExtraction {
  const lines = toLines(pages);
  const sink = new FieldSink();
  setAddressee(sink, lines);
  setDocumentDate(sink, lines, options);
  setIban(sink, lines);
  return { fields: sink.fields, evidence: sink.evidence, visual: {} };
}
