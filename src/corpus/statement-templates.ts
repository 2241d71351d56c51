/** Bank-statement layouts (A4, points). The IBAN is always printed in groups of four. */
import { formatDate } from './dates.js';
import type { PageBuilder, PageSpec } from './layout.js';
import { a4Page } from './layout.js';
import { cents, money, printName } from './format.js';
import { groupIban } from './iban.js';
import { addressLines } from './people.js';
import type { BankStatementSpec } from './specs.js';

interface StatementRow {
  date: string;
  description: string;
  amount: number;
  balance: number;
}

function runningBalance(doc: BankStatementSpec): StatementRow[] {
  let balance = doc.openingBalance;
  return doc.transactions.map((t) => {
    balance = cents(balance + t.amount);
    return { ...t, balance };
  });
}

function closing(doc: BankStatementSpec): number {
  return runningBalance(doc).at(-1)?.balance ?? doc.openingBalance;
}

function holderBlock(page: PageBuilder, doc: BankStatementSpec, x: number, y: number): number {
  return page.lines(x, y, [printName(doc.name), ...addressLines(doc.address, doc.addressStyle)], { size: 10.5, leading: 14 });
}

function accountFacts(doc: BankStatementSpec): [string, string][] {
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  return [
    ['Statement date', d(doc.documentDate)],
    ['Period', `${d(doc.periodStart)} to ${d(doc.documentDate)}`],
    ['Account number', doc.accountNumber],
    ...(doc.sortCode ? ([['Sort code', doc.sortCode]] as [string, string][]) : []),
    ['IBAN', groupIban(doc.iban)],
    ['BIC', doc.bank.bic],
  ];
}

/** Date | Description | Paid out | Paid in | Balance. */
function transactionTable(page: PageBuilder, doc: BankStatementSpec, top: number, shortDates: boolean): void {
  const c = (n: number): string => money(n, doc.currency);
  const d = (iso: string): string => (shortDates ? formatDate(iso, 'dmy-slash') : formatDate(iso, doc.dateStyle));
  const cols = { date: 45, desc: 120, out: 390, in: 465, bal: 550 };
  page.rect(40, top - 13, 515, 18, { fill: '#e9edf2' });
  page.text(cols.date, top, 'Date', { bold: true });
  page.text(cols.desc, top, 'Description', { bold: true });
  page.text(cols.out, top, 'Paid out', { bold: true, align: 'right' });
  page.text(cols.in, top, 'Paid in', { bold: true, align: 'right' });
  page.text(cols.bal, top, 'Balance', { bold: true, align: 'right' });
  page.text(cols.desc, top + 20, 'BALANCE BROUGHT FORWARD');
  page.text(cols.bal, top + 20, c(doc.openingBalance), { align: 'right' });
  runningBalance(doc).forEach((row, i) => {
    const y = top + 38 + i * 17;
    page.text(cols.date, y, d(row.date), { size: 8.5 });
    page.text(cols.desc, y, row.description, { size: 8.5 });
    page.text(row.amount < 0 ? cols.out : cols.in, y, c(Math.abs(row.amount)), { size: 8.5, align: 'right' });
    page.text(cols.bal, y, c(row.balance), { size: 8.5, align: 'right' });
  });
  const end = top + 38 + doc.transactions.length * 17;
  page.line(40, end - 8, 555, end - 8, '#999999');
  page.text(cols.desc, end + 6, 'BALANCE CARRIED FORWARD', { bold: true });
  page.text(cols.bal, end + 6, c(closing(doc)), { bold: true, align: 'right' });
}

function retailStatement(doc: BankStatementSpec): PageSpec {
  const page = a4Page('sans', 9);
  page.text(45, 55, doc.bank.name, { size: 18, bold: true, color: '#5a1f6b' });
  page.lines(550, 40, addressLines(doc.bank.address), { size: 8, align: 'right', color: '#555555', leading: 10 });
  page.text(45, 85, 'Current Account Statement', { size: 12 });
  holderBlock(page, doc, 55, 135);
  accountFacts(doc).forEach(([label, value], i) => page.row(330, 555, 125 + i * 14, label, value));
  transactionTable(page, doc, 260, true);
  page.text(45, 800, `${doc.bank.name} - ${addressLines(doc.bank.address).join(', ')} - ${doc.bank.phone} - ${doc.bank.website}`, { size: 7, color: '#777777' });
  return page.build();
}

function privateStatement(doc: BankStatementSpec): PageSpec {
  const page = a4Page('serif', 10);
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  const c = (n: number): string => money(n, doc.currency);
  page.text(297, 55, doc.bank.name.toUpperCase(), { size: 16, bold: true, align: 'center' });
  page.line(45, 68, 550, 68, '#000000', 1);
  page.text(45, 92, `Statement of account as at ${d(doc.documentDate)}`, { size: 12, bold: true });
  holderBlock(page, doc, 45, 125);
  page.rect(320, 108, 230, 88, { stroke: '#000000' });
  page.text(330, 124, 'Account summary', { bold: true });
  page.row(330, 540, 142, 'Opening balance', c(doc.openingBalance));
  page.row(330, 540, 158, 'Money in', c(doc.transactions.filter((t) => t.amount > 0).reduce((s, t) => cents(s + t.amount), 0)));
  page.row(330, 540, 174, 'Money out', c(doc.transactions.filter((t) => t.amount < 0).reduce((s, t) => cents(s - t.amount), 0)));
  page.row(330, 540, 190, 'Closing balance', c(closing(doc)), { bold: true });
  page.text(45, 225, `IBAN ${groupIban(doc.iban)}    BIC ${doc.bank.bic}`, { size: 10.5 });
  page.text(45, 241, `Account ${doc.accountNumber}${doc.sortCode ? `   Sort code ${doc.sortCode}` : ''}   Period ${d(doc.periodStart)} - ${d(doc.documentDate)}`, { size: 9 });
  transactionTable(page, doc, 280, false);
  return page.build();
}

function onlineStatement(doc: BankStatementSpec): PageSpec {
  const page = a4Page('sans', 9);
  const d = (iso: string): string => formatDate(iso, doc.dateStyle);
  page.rect(0, 0, 595, 60, { fill: '#0f2d4a' });
  page.text(40, 38, doc.bank.name, { size: 16, bold: true, color: '#ffffff' });
  page.text(555, 38, 'Account statement', { size: 11, color: '#ffffff', align: 'right' });
  page.text(40, 95, 'IBAN', { size: 8, color: '#666666' });
  page.text(40, 112, groupIban(doc.iban), { size: 13, bold: true, family: 'mono' });
  page.text(380, 95, 'Statement date', { size: 8, color: '#666666' });
  page.text(380, 112, d(doc.documentDate), { size: 12, bold: true });
  page.text(40, 150, 'Account holder', { size: 8, color: '#666666' });
  holderBlock(page, doc, 40, 166);
  accountFacts(doc).slice(1).forEach(([label, value], i) => page.row(330, 555, 160 + i * 14, label, value));
  transactionTable(page, doc, 280, false);
  return page.build();
}

export function bankStatementPages(doc: BankStatementSpec): PageSpec[] {
  const templates = [retailStatement, privateStatement, onlineStatement] as const;
  return [(templates[doc.template % templates.length] ?? retailStatement)(doc)];
}
