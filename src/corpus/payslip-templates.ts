/** Payslip layouts (A4, points): employer header, employee block, earnings and deductions. */
import { formatDate, monthYear } from './dates.js';
import type { PageSpec } from './layout.js';
import { a4Page } from './layout.js';
import { cents, money, printName } from './format.js';
import { addressLines } from './people.js';
import type { PayslipSpec } from './specs.js';

const SOCIAL_LABEL = { GB: 'National Insurance', IE: 'PRSI / USC', DE: 'Sozialversicherung', NL: 'Premies volksverzekeringen' } as const;
const TAX_ID_LABEL = { GB: 'NI number', IE: 'PPS number', DE: 'Steuer-ID', NL: 'BSN' } as const;

export function netPay(doc: PayslipSpec): number {
  return cents(doc.gross - doc.incomeTax - doc.socialSecurity - doc.pension);
}

function deductions(doc: PayslipSpec): [string, number][] {
  return [
    ['Income tax', doc.incomeTax],
    [SOCIAL_LABEL[doc.address.country], doc.socialSecurity],
    ['Pension contribution', doc.pension],
  ];
}

function tablePayslip(doc: PayslipSpec): PageSpec {
  const page = a4Page('sans', 9.5);
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  const c = (n: number): string => money(n, doc.currency);
  page.text(45, 55, doc.employer.name, { size: 16, bold: true });
  page.lines(45, 72, addressLines(doc.employer.address), { size: 8.5, color: '#555555', leading: 11 });
  page.text(550, 55, 'PAYSLIP', { size: 18, bold: true, align: 'right', color: '#444444' });
  page.text(550, 75, `Pay date: ${d(doc.documentDate)}`, { align: 'right' });
  page.text(550, 90, `Pay period: ${monthYear(doc.documentDate)}`, { align: 'right' });
  page.lines(60, 150, [printName(doc.name), ...addressLines(doc.address, doc.addressStyle)], { size: 10.5, leading: 14 });
  const facts: [string, string][] = [['Employee no.', doc.employeeNumber], [TAX_ID_LABEL[doc.address.country], doc.taxId], ['Job title', doc.jobTitle]];
  facts.forEach(([label, value], i) => page.row(340, 550, 150 + i * 15, label, value));
  page.rect(45, 245, 505, 18, { fill: '#e6e6e6' });
  page.text(52, 258, 'Earnings', { bold: true });
  page.text(300, 258, 'Deductions', { bold: true });
  page.row(52, 285, 282, 'Basic salary', c(doc.gross));
  deductions(doc).forEach(([label, value], i) => page.row(300, 545, 282 + i * 16, label, c(value)));
  page.line(45, 340, 550, 340);
  page.row(52, 285, 358, 'Gross pay', c(doc.gross), { bold: true });
  page.row(300, 545, 358, 'Total deductions', c(cents(doc.gross - netPay(doc))), { bold: true });
  page.rect(300, 380, 250, 30, { stroke: '#000000', lineWidth: 1 });
  page.row(310, 540, 400, 'NET PAY', c(netPay(doc)), { bold: true, size: 12 });
  return page.build();
}

function boxedPayslip(doc: PayslipSpec): PageSpec {
  const page = a4Page('serif', 10);
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  const c = (n: number): string => money(n, doc.currency);
  page.text(297, 50, `Statement of earnings - ${monthYear(doc.documentDate)}`, { size: 14, bold: true, align: 'center' });
  page.text(297, 68, doc.employer.name, { size: 11, align: 'center' });
  page.rect(45, 90, 250, 110, { stroke: '#000000' });
  page.text(55, 108, 'Employee', { size: 8.5, color: '#555555' });
  page.lines(55, 124, [printName(doc.name), ...addressLines(doc.address, doc.addressStyle)], { leading: 13.5 });
  page.rect(305, 90, 245, 110, { stroke: '#000000' });
  const facts: [string, string][] = [
    ['Payment date', d(doc.documentDate)], ['Employee ID', doc.employeeNumber], [TAX_ID_LABEL[doc.address.country], doc.taxId], ['Position', doc.jobTitle],
  ];
  facts.forEach(([label, value], i) => page.row(315, 540, 112 + i * 20, label, value, { size: 9.5 }));
  const rows: [string, string][] = [['Gross salary', c(doc.gross)], ...deductions(doc).map(([label, value]): [string, string] => [label, `-${c(value)}`])];
  rows.forEach(([label, value], i) => page.row(55, 540, 240 + i * 18, label, value));
  page.line(45, 318, 550, 318, '#000000', 1);
  page.row(55, 540, 338, 'Net payment', c(netPay(doc)), { bold: true, size: 12 });
  page.lines(45, 770, [`${doc.employer.name}, ${addressLines(doc.employer.address).join(', ')}`, `Payroll queries: ${doc.employer.phone}`], { size: 8, color: '#555555' });
  return page.build();
}

export function payslipPages(doc: PayslipSpec): PageSpec[] {
  return [doc.template % 2 === 0 ? tablePayslip(doc) : boxedPayslip(doc)];
}
