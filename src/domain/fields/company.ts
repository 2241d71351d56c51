/** Company registrations: name, number, incorporation date and registered office. */
import { FieldSink, clean, dateAfterLabel, toLines, type FieldExtraction, type FieldExtractionOptions, type FieldPage, type Found, type Line } from './common.js';
import { CERTIFIES_THAT, COMPANY_NAME_LABEL, INCORPORATED_PHRASE, INCORPORATION_LABEL, OFFICE_LABEL, REGISTRATION_LABEL } from './labels.js';
import { addressBlock, isAddressLine } from './postal.js';

function valueAfter(lines: Line[], label: RegExp): Found | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const m = label.exec(line.text);
    if (!m) continue;
    const rest = clean(line.text.slice(m.index + m[0].length).replace(/^\s*(?:is|:)\s*/i, ''));
    if (rest.length > 0) return { value: rest, line };
    const next = lines[i + 1];
    if (next) return { value: next.text, line: next };
  }
  return undefined;
}

/** "… hereby certifies that" / "ACME LTD" / "is this day incorporated …". */
function certifiedCompanyName(lines: Line[]): Found | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = line ? CERTIFIES_THAT.exec(line.text) : null;
    if (!line || !m) continue;
    const sameLine = INCORPORATED_PHRASE.exec(m[1] ?? '')?.[1] ?? m[1] ?? '';
    if (clean(sameLine).length > 0) return { value: clean(sameLine), line };
    const next = lines[i + 1];
    if (next) return { value: clean(INCORPORATED_PHRASE.exec(next.text)?.[1] ?? next.text), line: next };
  }
  return undefined;
}

function registrationNumber(value: string): string | undefined {
  const m = /^((?:HRB|HRA|SC|NI|OC)?\s?[A-Z]{0,2}\d[\d ]{3,}\d)/i.exec(value.trim());
  return m?.[1]?.replace(/\s+/g, ' ').trim();
}

function officeAddress(lines: Line[]): Line[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = line ? OFFICE_LABEL.exec(line.text) : null;
    if (!line || !m) continue;
    const rest = clean(line.text.slice(m.index + m[0].length).replace(/^\s*(?:address|is)?\s*:?\s*/i, ''));
    const first: Line[] = rest.length > 0 && isAddressLine(rest) ? [{ page: line.page, text: rest }] : [];
    const block = [...first, ...addressBlock(lines, i + 1)];
    if (block.length > 0) return block;
  }
  return [];
}

export function extractCompany(pages: readonly FieldPage[], options: FieldExtractionOptions): FieldExtraction {
  const lines = toLines(pages);
  const sink = new FieldSink();
  sink.setFound('companyName', valueAfter(lines, COMPANY_NAME_LABEL) ?? certifiedCompanyName(lines));
  sink.setFound('registrationNumber', valueAfter(lines, REGISTRATION_LABEL), registrationNumber);
  sink.setFound('incorporationDate', dateAfterLabel(lines, INCORPORATION_LABEL, options));
  const office = officeAddress(lines);
  if (office.length > 0) {
    sink.set('registeredOffice', office.map((l) => l.text).join(', '), { source: 'text', page: office[0]?.page, text: office.map((l) => l.text).join('\n') });
  }
  return { fields: sink.fields, evidence: sink.evidence, visual: {} };
}
