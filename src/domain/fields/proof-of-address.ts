/** Proofs of address (bills, statements, payslips): the addressee's name and address, the document's date, the IBAN. */
import { repairPostcodeDigits } from '../address.js';
import { findDates } from '../dates.js';
import { findIbans } from '../iban.js';
import { FieldSink, clean, dateAfterLabel, toLines, type FieldExtraction, type FieldExtractionOptions, type FieldPage, type Found, type Line } from './common.js';
import { ADDRESS_LABEL, DOCUMENT_DATE_LABELS, HOLDER_LABEL, ISSUE_DATE_LABEL, PERIOD_LABEL } from './labels.js';
import { addressBlock, displayName, isPersonNameLine, leftColumn, nameCore } from './postal.js';

function holderByLabel(lines: Line[]): { name: Line; index: number } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const left = leftColumn(line.text);
    const m = HOLDER_LABEL.exec(left);
    if (!m || m.index > 3) continue;
    const rest = clean(left.slice(m.index + m[0].length));
    if (rest.length > 0 && isPersonNameLine(rest)) return { name: { page: line.page, text: rest }, index: i };
    const next = lines[i + 1];
    if (rest.length === 0 && next && isPersonNameLine(next.text)) return { name: next, index: i + 1 };
  }
  return undefined;
}

/** The first name line followed (within a few lines) by an address block: the addressee. */
function holderByLayout(lines: Line[]): { name: Line; index: number } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line && isPersonNameLine(line.text) && addressBlock(lines, i + 1).length > 0) return { name: line, index: i };
  }
  return undefined;
}

function setAddressee(sink: FieldSink, lines: Line[]): void {
  const holder = holderByLabel(lines) ?? holderByLayout(lines);
  if (holder) {
    sink.set('fullName', displayName(nameCore(holder.name.text)), { source: 'text', page: holder.name.page, text: holder.name.text });
  }
  const labelled = labelledAddress(lines);
  const block = labelled ?? (holder ? addressBlock(lines, holder.index + 1) : []);
  if (block.length > 0) {
    sink.set('address', block.map((l) => l.text).join(', '), { source: 'text', page: block[0]?.page, text: block.map((l) => l.text).join('\n') });
  }
}


function labelledAddress(lines: Line[]): Line[] | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const m = ADDRESS_LABEL.exec(line.text);
    if (!m || m.index > 3) continue;
    const rest = repairPostcodeDigits(clean(line.text.slice(m.index + m[0].length)));
    const first: Line[] = rest.length > 0 ? [{ page: line.page, text: rest }] : [];
    const block = [...first, ...addressBlock(lines, i + 1)];
    if (block.length > 0) return block;
  }
  return undefined;
}


/** "26 May 2026 to 25 Jun 2026": a date range alone on its line (OCR split it from its label column). */
const DATE_RANGE_JOINER = /^\s*(?:-|–|—|to|until|bis|tot|au)\s*$/i;

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

function setDocumentDate(sink: FieldSink, lines: Line[], options: FieldExtractionOptions): void {
  for (const label of DOCUMENT_DATE_LABELS) sink.setFound('statementDate', dateAfterLabel(lines, label, options));
  sink.setFound('statementDate', dateAfterLabel(lines, PERIOD_LABEL, options, 'last'));
  sink.setFound('statementDate', unlabelledPeriodEnd(lines, options));
  sink.setFound('issueDate', dateAfterLabel(lines, ISSUE_DATE_LABEL, options));
  if (!sink.has('statementDate') && !sink.has('issueDate')) sink.setFound('statementDate', latestPastDate(lines, options));
}

/**
 * When no label leads to the document's date (OCR put labels and values in separate columns): the
 * latest date printed on it that is not after `asOf`. A bill or payslip prints its own date and dates
 * near it (period, payment); an old document shows only old dates, so recency still fails it.
 */
function latestPastDate(lines: Line[], options: FieldExtractionOptions): Found | undefined {
  let best: Found | undefined;
  for (const line of lines) {
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
