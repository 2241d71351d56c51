/** Company-registration layouts: a certificate of incorporation and a register extract. */
import { formatDate } from './dates.js';
import type { PageSpec } from './layout.js';
import { a4Page } from './layout.js';
import { addressLines } from './people.js';
import type { CompanyRegistrationSpec } from './specs.js';

const REGISTRARS = {
  GB: 'The Registrar of Companies for England and Wales',
  IE: 'The Registrar of Companies, Companies Registration Office, Dublin',
  DE: 'Amtsgericht (Registergericht) - Handelsregister Abteilung B',
  NL: 'Kamer van Koophandel - Handelsregister',
} as const;

function certificate(doc: CompanyRegistrationSpec): PageSpec {
  const page = a4Page('serif', 12);
  const date = formatDate(doc.incorporationDate, doc.dateStyle);
  page.rect(30, 30, 535, 782, { stroke: '#6b5a2a', lineWidth: 3 });
  page.rect(40, 40, 515, 762, { stroke: '#6b5a2a', lineWidth: 0.8 });
  page.text(297, 120, 'CERTIFICATE OF INCORPORATION', { size: 20, bold: true, align: 'center' });
  page.text(297, 145, 'OF A PRIVATE LIMITED COMPANY', { size: 13, align: 'center' });
  page.text(297, 200, `Company Number ${doc.registrationNumber}`, { size: 14, bold: true, align: 'center' });
  page.lines(297, 260, [
    `${REGISTRARS[doc.country]} hereby certifies that`,
  ], { align: 'center' });
  page.text(297, 300, doc.companyName.toUpperCase(), { size: 17, bold: true, align: 'center' });
  page.lines(297, 340, [
    'is this day incorporated as a private company limited by shares,',
    'and that the situation of its registered office is:',
  ], { align: 'center', leading: 17 });
  page.lines(297, 395, addressLines(doc.registeredOffice), { align: 'center', size: 12, leading: 16, bold: true });
  page.text(297, 470, `Given on ${date}.`, { align: 'center' });
  page.text(297, 540, `First director: ${doc.director}`, { align: 'center', size: 10.5 });
  page.line(200, 640, 395, 640);
  page.text(297, 656, 'Registrar of Companies', { align: 'center', size: 10 });
  return page.build();
}

function registerExtract(doc: CompanyRegistrationSpec): PageSpec {
  const page = a4Page('sans', 10);
  const date = formatDate(doc.incorporationDate, doc.dateStyle);
  page.text(45, 60, 'Extract from the Companies Register', { size: 16, bold: true });
  page.text(45, 78, REGISTRARS[doc.country], { size: 9, color: '#555555' });
  const rows: [string, string][] = [
    ['Company name', doc.companyName],
    ['Registration number', doc.registrationNumber],
    ['Company type', 'Private company limited by shares'],
    ['Date of incorporation', date],
    ['Status', 'Active'],
  ];
  rows.forEach(([label, value], i) => {
    page.rect(45, 105 + i * 26, 505, 26, { stroke: '#bbbbbb' });
    page.text(55, 122 + i * 26, label, { color: '#444444' });
    page.text(230, 122 + i * 26, value, { bold: true });
  });
  const officeTop = 105 + rows.length * 26;
  const office = addressLines(doc.registeredOffice);
  page.rect(45, officeTop, 505, 12 + office.length * 14, { stroke: '#bbbbbb' });
  page.text(55, officeTop + 17, 'Registered office', { color: '#444444' });
  page.lines(230, officeTop + 17, office, { bold: true, leading: 14 });
  page.text(45, officeTop + 60 + office.length * 14, `Directors: ${doc.director}`);
  return page.build();
}

export function companyRegistrationPages(doc: CompanyRegistrationSpec): PageSpec[] {
  return [doc.template % 2 === 0 ? certificate(doc) : registerExtract(doc)];
}
