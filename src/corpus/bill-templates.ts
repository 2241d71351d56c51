/** Utility-bill layouts (A4, points): three suppliers' house styles over the same content. */
import { daysBetween, formatDate } from './dates.js';
import type { PageBuilder, PageSpec } from './layout.js';
import { a4Page } from './layout.js';
import { cents, money, printName } from './format.js';
import { addressLines } from './people.js';
import type { UtilityBillSpec } from './specs.js';

interface BillFigures {
  days: number;
  energy: number;
  standing: number;
  subtotal: number;
  tax: number;
  charges: number;
  payments: number;
  due: number;
}

/** The arithmetic of a bill: usage × unit price + standing charge, plus tax; the last bill was paid. */
export function billFigures(doc: UtilityBillSpec): BillFigures {
  const days = daysBetween(doc.periodStart, doc.periodEnd) + 1;
  const energy = cents(doc.usage * doc.unitPrice);
  const standing = cents(days * doc.standingCharge);
  const subtotal = cents(energy + standing);
  const tax = cents(subtotal * doc.taxRate);
  const charges = cents(subtotal + tax);
  const payments = doc.previousBalance;
  return { days, energy, standing, subtotal, tax, charges, payments, due: cents(doc.previousBalance - payments + charges) };
}

const UNITS = { electricity: 'kWh', gas: 'kWh', water: 'm³' } as const;
const TITLES = { electricity: 'Electricity bill', gas: 'Gas bill', water: 'Water charges' } as const;

function customerBlock(page: PageBuilder, doc: UtilityBillSpec, x: number, y: number): number {
  return page.lines(x, y, [printName(doc.name), ...addressLines(doc.address, doc.addressStyle)], { size: 10.5, leading: 14 });
}

function chargeRows(doc: UtilityBillSpec, f: BillFigures): [string, string][] {
  const c = (n: number): string => money(n, doc.currency);
  return [
    [`${doc.usage} ${UNITS[doc.utility]} at ${doc.unitPrice.toFixed(3)} per ${UNITS[doc.utility]}`, c(f.energy)],
    [`Standing charge ${f.days} days at ${doc.standingCharge.toFixed(2)} per day`, c(f.standing)],
    [`VAT at ${Math.round(doc.taxRate * 100)}%`, c(f.tax)],
  ];
}

function modernBill(doc: UtilityBillSpec): PageSpec {
  const page = a4Page('sans');
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  const f = billFigures(doc);
  const c = (n: number): string => money(n, doc.currency);
  page.rect(0, 0, 595, 78, { fill: '#1d6b52' });
  page.text(45, 46, doc.supplier.name, { size: 20, bold: true, color: '#ffffff' });
  page.lines(550, 26, [...addressLines(doc.supplier.address), doc.supplier.phone], { size: 8, color: '#e8f3ee', align: 'right', leading: 10.5 });
  customerBlock(page, doc, 55, 140);
  page.rect(340, 110, 210, 92, { stroke: '#1d6b52', lineWidth: 1 });
  page.row(352, 540, 130, 'Account number', doc.accountNumber);
  page.row(352, 540, 148, 'Bill date', d(doc.documentDate));
  page.row(352, 540, 166, 'Billing period', `${d(doc.periodStart)} - ${d(doc.periodEnd)}`, { size: 8 });
  page.row(352, 540, 184, 'Payment due', d(doc.dueDate));
  page.text(55, 260, `Your ${TITLES[doc.utility].toLowerCase()}`, { size: 16, bold: true, color: '#1d6b52' });
  const summary: [string, string][] = [
    ['Previous balance', c(doc.previousBalance)],
    ['Payments received - thank you', c(-f.payments)],
    ['Charges for this period', c(f.charges)],
  ];
  summary.forEach(([label, value], i) => page.row(55, 540, 290 + i * 18, label, value, { size: 10.5 }));
  page.line(55, 347, 540, 347, '#1d6b52', 1);
  page.row(55, 540, 366, 'Amount due', c(f.due), { size: 13, bold: true });
  page.text(55, 420, 'How we worked out your charges', { size: 11, bold: true });
  chargeRows(doc, f).forEach(([label, value], i) => page.row(55, 540, 442 + i * 16, label, value));
  page.text(55, 780, `Questions? Call ${doc.supplier.phone} or visit ${doc.supplier.website}.`, { size: 8, color: '#555555' });
  return page.build();
}

function letterBill(doc: UtilityBillSpec): PageSpec {
  const page = a4Page('serif', 10.5);
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  const f = billFigures(doc);
  const c = (n: number): string => money(n, doc.currency);
  page.text(50, 60, doc.supplier.name.toUpperCase(), { size: 17, bold: true });
  page.lines(50, 78, addressLines(doc.supplier.address), { size: 9, color: '#444444' });
  page.text(545, 60, TITLES[doc.utility], { size: 13, align: 'right' });
  page.text(545, 78, `Date of bill: ${d(doc.documentDate)}`, { size: 10, align: 'right' });
  page.text(545, 93, `Customer account: ${doc.accountNumber}`, { size: 10, align: 'right' });
  customerBlock(page, doc, 70, 165);
  page.line(50, 250, 545, 250, '#000000', 0.8);
  page.text(50, 272, `Supply period ${d(doc.periodStart)} to ${d(doc.periodEnd)}`, { bold: true });
  chargeRows(doc, f).forEach(([label, value], i) => page.row(50, 545, 300 + i * 17, label, value));
  page.line(330, 350, 545, 350);
  page.row(330, 545, 368, 'Total charges', c(f.charges), { bold: true });
  page.row(330, 545, 386, 'Balance brought forward', c(doc.previousBalance - f.payments));
  page.rect(330, 398, 215, 30, { stroke: '#000000', lineWidth: 1 });
  page.row(340, 535, 418, 'TOTAL TO PAY', c(f.due), { bold: true, size: 12 });
  page.text(50, 470, `Please pay by ${d(doc.dueDate)}. Direct debit customers need not take any action.`);
  page.line(50, 700, 545, 700, '#999999');
  page.text(50, 720, `${doc.supplier.name} - ${addressLines(doc.supplier.address).join(', ')} - ${doc.supplier.website}`, { size: 7.5, color: '#555555' });
  return page.build();
}

function compactBill(doc: UtilityBillSpec): PageSpec {
  const page = a4Page('sans', 9);
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  const f = billFigures(doc);
  const c = (n: number): string => money(n, doc.currency);
  page.text(40, 50, doc.supplier.name, { size: 15, bold: true, color: '#0b4f8a' });
  page.text(40, 66, `${TITLES[doc.utility]} - Invoice`, { size: 10, color: '#0b4f8a' });
  page.rect(40, 90, 250, 100, { fill: '#f0f5fa' });
  page.text(50, 108, 'Bill to', { size: 8, color: '#555555' });
  customerBlock(page, doc, 50, 126);
  page.rect(305, 90, 250, 100, { fill: '#0b4f8a' });
  page.text(320, 115, 'Amount due', { size: 10, color: '#ffffff' });
  page.text(320, 148, c(f.due), { size: 24, bold: true, color: '#ffffff' });
  page.text(320, 175, `Due ${d(doc.dueDate)}`, { size: 10, color: '#ffffff' });
  const facts: [string, string][] = [
    ['Invoice date', d(doc.documentDate)],
    ['Account no.', doc.accountNumber],
    ['Period', `${d(doc.periodStart)} - ${d(doc.periodEnd)}`],
    ['Meter reading', `${doc.usage} ${UNITS[doc.utility]} used`],
  ];
  facts.forEach(([label, value], i) => page.row(40, 300, 225 + i * 15, label, value));
  page.text(40, 310, 'Charges', { size: 11, bold: true });
  chargeRows(doc, f).forEach(([label, value], i) => page.row(40, 555, 330 + i * 15, label, value));
  page.row(40, 555, 385, 'Previous balance / payments received', `${c(doc.previousBalance)} / ${c(f.payments)}`);
  page.text(40, 800, `${doc.supplier.website}  |  ${doc.supplier.phone}`, { size: 7.5, color: '#777777' });
  return page.build();
}

export function utilityBillPages(doc: UtilityBillSpec): PageSpec[] {
  const templates = [modernBill, letterBill, compactBill] as const;
  return [(templates[doc.template % templates.length] ?? modernBill)(doc)];
}
